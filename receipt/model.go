package receipt

import (
	"errors"
	"fmt"
	"time"

	"github.com/poskit/poskit/internal/digits"
)

// Errors returned by the renderers when a model cannot be printed. They are
// wrapped with the name of the offending field; test them with errors.Is.
// No error ever carries a PAN or any other card data.
var (
	ErrNil      = errors.New("receipt: nil document or printer")
	ErrType     = errors.New("receipt: unknown transaction type")
	ErrAmount   = errors.New("receipt: amount out of range")
	ErrCurrency = errors.New("receipt: invalid currency")
	ErrPAN      = errors.New("receipt: PAN must be 12 to 19 decimal digits")
	ErrEntry    = errors.New("receipt: unknown card entry mode")
	ErrCopy     = errors.New("receipt: unknown copy")
	ErrCVM      = errors.New("receipt: unknown cardholder verification")
	ErrChannel  = errors.New("receipt: unknown settlement channel")
	ErrCode     = errors.New("receipt: QR code or barcode data not printable")
	ErrProfile  = errors.New("receipt: paper profile out of range")
	ErrLanguage = errors.New("receipt: unknown language")
	ErrLabel    = errors.New("receipt: unknown label key")
	ErrPolicy   = errors.New("receipt: unknown masking policy")
	ErrCodePage = errors.New("receipt: unknown code page")
)

// Merchant identifies the card acceptor printed at the top of a slip.
type Merchant struct {
	Name       string // merchant name, any script
	Number     string // merchant number, 15 digits in UnionPay practice (ISO 8583 field 42)
	TerminalID string // terminal ID, 8 characters (ISO 8583 field 41)
	Operator   string // operator (cashier) number
}

// EntryMode is how the card was read; it prints as its letter after the PAN.
type EntryMode byte

// Entry modes, printed as their letter after the masked PAN.
const (
	EntryUnknown     EntryMode = 0
	EntrySwipe       EntryMode = 'S' // magnetic stripe
	EntryChip        EntryMode = 'I' // contact chip (ICC)
	EntryContactless EntryMode = 'C' // contactless (QuickPass, payWave, PayPass)
	EntryManual      EntryMode = 'M' // keyed
	EntryQR          EntryMode = 'Q' // QR code
)

func (e EntryMode) valid() bool {
	switch e {
	case EntryUnknown, EntrySwipe, EntryChip, EntryContactless, EntryManual, EntryQR:
		return true
	}
	return false
}

// Card is the card as far as a slip may know it. The PAN is printed only
// masked, according to the Printer's Policy and the slip's Copy; the expiry
// is held but printed only when Policy.ShowExpiry asks and the masking policy
// allows it.
type Card struct {
	PAN    string    // primary account number, 12 to 19 digits, or empty (QR payment)
	Expiry string    // YYMM, as on track 2; never printed by default
	Entry  EntryMode // how the card was read
}

// String returns the card with its PAN masked (first 6, last 4) and without
// the expiry, so a Card is safe to log.
func (c Card) String() string {
	if c.Entry == EntryUnknown {
		return digits.MaskPAN(c.PAN)
	}
	return digits.MaskPAN(c.PAN) + " " + string(rune(c.Entry))
}

// GoString is String, so that %#v does not print the PAN either.
func (c Card) GoString() string { return "receipt.Card{" + c.String() + "}" }

// TxnType is the kind of transaction a slip records.
type TxnType uint8

// Transaction types.
const (
	Sale           TxnType = iota // 消费
	Void                          // 消费撤销: cancels a sale of the same batch
	Refund                        // 退货
	PreAuth                       // 预授权
	Completion                    // 预授权完成
	BalanceInquiry                // 余额查询: Amount is the balance
	numTxnTypes
)

// Currency says how to print an amount held in minor units.
type Currency struct {
	Code   string // ISO 4217 alphabetic code, three upper-case letters
	Digits uint8  // minor-unit digits, 0 to 4
	Symbol string // printed before the amount instead of Code when set, e.g. "RMB"
}

// Common currencies. CNY prints as "RMB", the usage on Chinese slips.
var (
	CNY = Currency{Code: "CNY", Digits: 2, Symbol: "RMB"}
	HKD = Currency{Code: "HKD", Digits: 2}
	USD = Currency{Code: "USD", Digits: 2}
	EUR = Currency{Code: "EUR", Digits: 2}
	JPY = Currency{Code: "JPY", Digits: 0}
)

func (c Currency) check() error {
	if len(c.Code) != 3 || c.Digits > 4 {
		return ErrCurrency
	}
	for i := 0; i < 3; i++ {
		if c.Code[i] < 'A' || c.Code[i] > 'Z' {
			return ErrCurrency
		}
	}
	return nil
}

func (c Currency) prefix() string {
	if c.Symbol != "" {
		return c.Symbol
	}
	return c.Code
}

// Amount is money in minor units of a currency; there is no floating point.
type Amount struct {
	Minor    int64 // e.g. 1234 = 12.34 for a 2-digit currency; never negative
	Currency Currency
}

// String formats the amount as it is printed, e.g. "RMB 12.34".
func (a Amount) String() string {
	return string(appendAmount(nil, a.Currency, a.Minor, false))
}

// CVM is the cardholder verification performed.
type CVM uint8

// Cardholder verification methods.
const (
	CVMUnknown   CVM = iota // nothing printed
	CVMPIN                  // online or offline PIN verified
	CVMSignature            // signature line, unless below Policy.NoSignatureLimit
	CVMNone                 // no CVM (small contactless sale)
	numCVMs
)

// Chip holds the EMV data printed on a chip or contactless slip, already
// formatted by the caller (hex strings as read from the card).
type Chip struct {
	AID            string // 4F / 84, e.g. "A000000333010101"
	Label          string // application label (50) or preferred name (9F12)
	TVR            string // 95, 10 hex digits
	TSI            string // 9B, 4 hex digits
	ATC            string // 9F36, 4 hex digits
	CryptogramType string // "ARQC", "TC" or "AAC"
	Cryptogram     string // 9F26, 16 hex digits
}

func (c *Chip) empty() bool { return c == nil || *c == Chip{} }

// QR describes a QR-code payment (scan to pay).
type QR struct {
	Wallet      string // wallet or scheme, e.g. "微信支付", "Alipay", "UnionPay QR"
	OrderNumber string // merchant or wallet order number
}

// Copy says who keeps a slip.
type Copy uint8

// Copies of a slip.
const (
	MerchantCopy   Copy = iota // 商户存根, signed by the cardholder, kept by the merchant
	CardholderCopy             // 持卡人存根, handed to the cardholder
	BankCopy                   // 银行存根, kept for the acquirer
	numCopies
)

// Slip is a transaction slip (签购单). Callers fill it; empty fields are not
// printed. A Slip is only read by the renderers.
type Slip struct {
	Merchant Merchant
	Acquirer string // acquiring institution (收单行)
	Issuer   string // issuing bank (发卡行)
	Card     Card

	Type        TxnType
	Batch       string    // batch number, 6 digits (ISO 8583 field 60.2)
	Voucher     string    // voucher number = STAN, 6 digits (field 11)
	AuthCode    string    // authorisation code (field 38)
	RRN         string    // retrieval reference number, 12 characters (field 37)
	Time        time.Time // local date and time of the transaction; zero = not printed
	Amount      Amount    // the transaction amount; for BalanceInquiry the balance
	Tip         int64     // tip in minor units of Amount.Currency; 0 = not printed
	OrigVoucher string    // original voucher number (void, refund, completion)

	Chip *Chip // EMV data, nil for swipe or QR
	CVM  CVM
	QR   *QR // QR payment details, nil for a card payment

	Copy    Copy
	Reprint bool     // prints the reprint marker (重打印 / DUPLICATED)
	Remarks []string // 备注 lines
	Footer  []string // centred lines at the bottom (hotline, thanks)

	QRCode  string // printed as a QR code on ESC/POS (e-receipt link or order number)
	Barcode string // printed as a CODE128 barcode on ESC/POS (printable ASCII)
}

func (*Slip) document() {}

// Channel groups settlement totals.
type Channel uint8

// Settlement channels.
const (
	Domestic Channel = iota // 内卡: domestic (UnionPay) cards
	Foreign                 // 外卡: international cards
	QRPay                   // 扫码: QR payments
	numChannels
)

// Total is one line of a settlement: the count and sum of one transaction
// type on one channel. Several Totals for the same pair are added together.
type Total struct {
	Channel Channel
	Type    TxnType
	Count   int64 // number of transactions, never negative
	Amount  int64 // sum in minor units, never negative
}

// Settlement is a settlement slip (结算总计单) printed at the end of a batch.
// Net per channel is sales and completions less voids and refunds;
// pre-authorisations are listed but not netted, balance inquiries are
// skipped.
type Settlement struct {
	Merchant Merchant
	Acquirer string
	Batch    string
	Time     time.Time
	Currency Currency
	Totals   []Total
	Reprint  bool
	Footer   []string
}

func (*Settlement) document() {}

// Document is a *Slip or a *Settlement.
type Document interface{ document() }

const maxCode = 2000 // bytes of QR data; a version 40-L QR holds 2953

func checkCode(s string, barcode bool) error {
	if s == "" {
		return nil
	}
	if barcode {
		if len(s) > 80 {
			return fmt.Errorf("barcode: %w", ErrCode)
		}
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x7E {
				return fmt.Errorf("barcode: %w", ErrCode)
			}
		}
		return nil
	}
	if len(s) > maxCode {
		return fmt.Errorf("QR code: %w", ErrCode)
	}
	return nil
}

func (s *Slip) check() error {
	if s == nil {
		return ErrNil
	}
	if s.Type >= numTxnTypes {
		return fmt.Errorf("slip type %d: %w", s.Type, ErrType)
	}
	if err := s.Amount.Currency.check(); err != nil {
		return fmt.Errorf("slip amount: %w", err)
	}
	if s.Amount.Minor < 0 || s.Tip < 0 || s.Amount.Minor > maxInt64-s.Tip {
		return fmt.Errorf("slip amount: %w", ErrAmount)
	}
	if s.Card.PAN != "" && (len(s.Card.PAN) < 12 || len(s.Card.PAN) > 19 || !digits.Valid(s.Card.PAN)) {
		return fmt.Errorf("slip card: %w", ErrPAN)
	}
	if !s.Card.Entry.valid() {
		return fmt.Errorf("slip card: %w", ErrEntry)
	}
	if s.Copy >= numCopies {
		return fmt.Errorf("slip: %w", ErrCopy)
	}
	if s.CVM >= numCVMs {
		return fmt.Errorf("slip: %w", ErrCVM)
	}
	if err := checkCode(s.QRCode, false); err != nil {
		return fmt.Errorf("slip: %w", err)
	}
	if err := checkCode(s.Barcode, true); err != nil {
		return fmt.Errorf("slip: %w", err)
	}
	return nil
}

const (
	maxInt64 = 1<<63 - 1
	maxTotal = 1 << 58
)

func (s *Settlement) check() error {
	if s == nil {
		return ErrNil
	}
	if err := s.Currency.check(); err != nil {
		return fmt.Errorf("settlement: %w", err)
	}
	// Each (channel, type) sum is kept below 2^58 minor units (2.9e17, far
	// beyond any batch), so the nets and the grand total cannot overflow.
	var sums [numChannels][numTxnTypes]struct{ n, a int64 }
	for i, t := range s.Totals {
		if t.Channel >= numChannels {
			return fmt.Errorf("settlement total %d: %w", i, ErrChannel)
		}
		if t.Type >= numTxnTypes {
			return fmt.Errorf("settlement total %d: %w", i, ErrType)
		}
		if t.Count < 0 || t.Amount < 0 {
			return fmt.Errorf("settlement total %d: %w", i, ErrAmount)
		}
		p := &sums[t.Channel][t.Type]
		if t.Count > maxTotal-p.n || t.Amount > maxTotal-p.a {
			return fmt.Errorf("settlement total %d: %w", i, ErrAmount)
		}
		p.n += t.Count
		p.a += t.Amount
	}
	return nil
}
