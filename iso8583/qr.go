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
// field 22 EntryModeQR (PAN entry mode 03, bar code, as ISO 8583:1987
// reads it). The code must be 16 to 19 digits, what field 2 holds on both
// specs: UnionPay and WeChat Pay codes fit, a longer Alipay code does not
// (ErrQRCode). A host that expects the code in another field moves it
// there. Answer with NewResponse as for any request.
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
