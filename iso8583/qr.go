package iso8583

import (
	"errors"
	"fmt"

	"github.com/poskit/poskit/internal/digits"
)

// ErrQRCode reports a scanned payment code that cannot be sent: not 16 to
// 19 digits.
var ErrQRCode = errors.New("iso8583: bad scanned payment code")

// EntryModeQR is field 22 of a scanned-code (card-less) request: PAN entry
// mode 03, "bar code", of ISO 8583:1987 field 22 positions 1-2 (the code
// read by the terminal's scanner stands in for the card number), then PIN
// entry capability 2, no PIN (the cardholder authenticates in the wallet
// that shows the code).
const EntryModeQR = "032"

// QRSale builds a sale paid with a payment code the terminal scanned from
// the cardholder's phone (被扫, customer-presented code): the same message
// as Sale (0200, processing code 000000, condition 00, UnionPay 60.1 "22")
// with the code in field 2 in place of a PAN, no track or card data, and
// field 22 EntryModeQR.
//
// The code must be 16 to 19 digits, what field 2 (n..19) holds on both
// specs. Published formats of customer-presented codes (the field list of
// a payment gateway's B-scans-C API, github.com/MidnightDancing/
// offlineAPIDocs, offline/unactivescan.md): UnionPay QR 19 digits starting
// with 62, WeChat Pay 18 digits starting with 10 to 15, Alipay 16 to 24
// digits starting with 25 to 30. UnionPay's own online API (the qrNo field
// of its QR consumer-presented sale, "C2B码, 1-20位数字", as its Java demo
// code and the blog walk-through of it at blog.csdn.net/hanfengzqh/article/
// details/75043052 show) carries the code as a text field, not a PAN. So
// UnionPay and WeChat codes fit field 2; an Alipay code longer than 19
// digits does not and is refused with ErrQRCode.
//
// Where a UnionPay POS message carries the code is not public: no public
// copy of the UnionPay POS terminal specification or of its QR annex was
// found, and acquirers' terminal code differs (field 2, or a private
// field). This constructor follows the ISO 8583:1987 reading, where the
// scanned number is the account identifier and PAN entry mode 03 (bar
// code) says how it was entered; a host that expects the code elsewhere
// moves it there. Answer with NewResponse as for any request.
func (t *Terminal) QRSale(code string, amount int64) (*Transaction, error) {
	if len(code) < 16 || len(code) > 19 || !digits.Valid(code) {
		return nil, fmt.Errorf("%w: code of %d characters", ErrQRCode, len(code))
	}
	if amount == 0 {
		return nil, ErrAmount
	}
	amt, err := formatAmount(amount)
	if err != nil {
		return nil, err
	}
	tx, err := t.base("0200", ProcSale, condNormal)
	if err != nil {
		return nil, err
	}
	tx.Amount, tx.PAN, tx.EntryMode, tx.Currency = amt, code, EntryModeQR, t.Currency
	tx.F60 = t.f60(TxnTypeSale, netNone)
	return tx, nil
}

// IsQR reports whether t was entered by scanning a code (field 22 PAN entry
// mode 03); its field 2 then holds the scanned code, not a card number.
func (t *Transaction) IsQR() bool {
	return len(t.EntryMode) >= 2 && t.EntryMode[:2] == EntryModeQR[:2]
}
