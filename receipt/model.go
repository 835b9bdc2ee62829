package receipt

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/poskit/poskit/internal/digits"
	"github.com/poskit/poskit/internal/iso4217"
)

// Errors returned by [NewPrinter] and the renderers. Each is wrapped once
// with a detail naming the offending field ("receipt: invalid expiry: slip
// card: month 99"); test them with errors.Is. No error ever carries a PAN
// or any other card data.
var (
	ErrNil       = errors.New("receipt: nil document or printer")
	ErrKind      = errors.New("receipt: unknown transaction kind")
	ErrAmount    = errors.New("receipt: amount out of range")
	ErrCurrency  = errors.New("receipt: invalid currency")
	ErrPAN       = errors.New("receipt: PAN must be 12 to 19 decimal digits")
	ErrExpiry    = errors.New("receipt: invalid expiry")
	ErrEntry     = errors.New("receipt: unknown card entry mode")
	ErrFunding   = errors.New("receipt: unknown card funding")
	ErrCopy      = errors.New("receipt: unknown copy")
	ErrCVM       = errors.New("receipt: unknown cardholder verification")
	ErrCardGroup = errors.New("receipt: unknown card group")
	ErrCode      = errors.New("receipt: QR code or barcode data not printable")
	ErrProfile   = errors.New("receipt: paper profile out of range")
	ErrTooNarrow = errors.New("receipt: paper too narrow")
	ErrLanguage  = errors.New("receipt: unknown language")
	ErrLabel     = errors.New("receipt: invalid label")
	ErrPolicy    = errors.New("receipt: unknown masking policy")
	ErrCodePage  = errors.New("receipt: code page cannot print")
	ErrLogo      = errors.New("receipt: logo not printable")
	ErrDCC       = errors.New("receipt: invalid currency conversion")
	ErrPayee     = errors.New("receipt: invalid transfer payee")
	ErrWrite     = errors.New("receipt: write")
)

// Former names of renamed errors.
var (
	// ErrType is the former name of ErrKind.
	//
	// Deprecated: use ErrKind.
	ErrType = ErrKind
	// ErrChannel is the former name of ErrCardGroup.
	//
	// Deprecated: use ErrCardGroup.
	ErrChannel = ErrCardGroup
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

// Funding is whether a card draws on the cardholder's account or on a
// credit line; a slip prints it as 借记卡 (DEBIT) or 贷记卡 (CREDIT).
type Funding uint8

// Card funding.
const (
	FundingUnknown Funding = iota // not printed
	Debit                         // 借记卡: debit card
	Credit                        // 贷记卡: credit card
	numFundings
)

// Card is the card as far as a slip may know it. The PAN is printed only
// masked, according to the Printer's [Policy] and the slip's [Copy]; the
// expiry is held but printed only when Policy.ShowExpiry asks and the
// masking policy allows it.
type Card struct {
	PAN     string    // primary account number, 12 to 19 digits, or empty (QR payment)
	Expiry  string    // YYMM, as on track 2, month 01 to 12; never printed by default
	Entry   EntryMode // how the card was read
	Funding Funding   // debit or credit; FundingUnknown prints nothing
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

// validExpiry reports whether e is YYMM with a month of 01 to 12.
func validExpiry(e string) bool {
	if len(e) != 4 || !digits.Valid(e) {
		return false
	}
	m := (e[2]-'0')*10 + e[3] - '0'
	return m >= 1 && m <= 12
}

// Kind is the kind of transaction a slip records.
type Kind uint8

// TxnType is the former name of [Kind].
//
// Deprecated: use Kind.
type TxnType = Kind

// Transaction kinds.
const (
	Sale           Kind = iota // 消费
	Void                       // 消费撤销: cancels a sale of the same batch
	Refund                     // 退货
	PreAuth                    // 预授权
	Completion                 // 预授权完成
	BalanceInquiry             // 余额查询: Amount is the balance
	Transfer                   // 转账: a card-to-card or card-to-account transfer debited to Card; Payee says to whom
	numKinds
)

// Currency says how to print an amount held in minor units. The minor-unit
// digits are those of ISO 4217 for Code; Digits, when not zero, must agree
// with them.
type Currency struct {
	Code   string // ISO 4217 alphabetic code, three upper-case letters
	Digits uint8  // minor-unit digits as ISO 4217 gives them, or 0 to take them from ISO 4217
	Symbol string // printed before the amount instead of Code when set, e.g. "RMB"
}

// Common currencies. CNY prints as "RMB", the usage on Chinese slips.
var (
	CNY = mustCurrency("CNY", "RMB")
	HKD = mustCurrency("HKD", "")
	USD = mustCurrency("USD", "")
	EUR = mustCurrency("EUR", "")
	JPY = mustCurrency("JPY", "")
)

func mustCurrency(code, symbol string) Currency {
	c, err := CurrencyOf(code)
	if err != nil {
		panic(err) // a code of this file missing from the ISO 4217 table
	}
	c.Symbol = symbol
	return c
}

// CurrencyOf returns the Currency of an ISO 4217 alphabetic code with its
// minor-unit digits from ISO 4217. Errors: [ErrCurrency] for a code that is
// not in ISO 4217 or has no minor unit (XAU).
func CurrencyOf(code string) (Currency, error) {
	c := Currency{Code: code}
	d, err := c.digits()
	if err != nil {
		return Currency{}, err
	}
	c.Digits = d
	return c, nil
}

// digits returns the minor-unit digits of c from ISO 4217.
func (c Currency) digits() (uint8, error) {
	info := iso4217.ByAlpha(c.Code)
	switch {
	case info == nil:
		return 0, fmt.Errorf("%w: %q is not an ISO 4217 code", ErrCurrency, printable(c.Code))
	case info.Minor < 0:
		return 0, fmt.Errorf("%w: %s has no minor unit", ErrCurrency, c.Code)
	case c.Digits != 0 && c.Digits != uint8(info.Minor):
		return 0, fmt.Errorf("%w: %s has %d minor digits, not %d", ErrCurrency, c.Code, info.Minor, c.Digits)
	}
	return uint8(info.Minor), nil
}

// printable returns s cut to 8 bytes with bytes outside printable ASCII
// as '?', for an error detail.
func printable(s string) string {
	b := []byte(s[:min(len(s), 8)])
	for i, c := range b {
		if c < 0x20 || c > 0x7E {
			b[i] = '?'
		}
	}
	return string(b)
}

func (c Currency) prefix() string {
	if c.Symbol != "" {
		return c.Symbol
	}
	return c.Code
}

// Amount is money in minor units of a currency; there is no floating point.
type Amount struct {
	Minor    int64    // e.g. 1234 = 12.34 for a 2-digit currency; never negative
	Currency Currency // how the amount prints
}

// String formats the amount as it is printed, e.g. "RMB 12.34"; an amount
// of an invalid currency prints its minor units and the code.
func (a Amount) String() string {
	d, _ := a.Currency.digits()
	return string(appendAmount(nil, a.Currency.prefix(), d, a.Minor, false))
}

// CVM is the cardholder verification performed.
type CVM uint8

// Cardholder verification methods.
const (
	CVMUnknown   CVM = iota // nothing printed
	CVMPIN                  // online or offline PIN verified
	CVMSignature            // signature line, unless the sale is below Policy.NoSignatureLimit
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

// Installment is a sale paid in instalments (分期付款), in minor units of
// the slip's currency; zero amounts are not printed.
type Installment struct {
	Periods int   // number of instalments, 2 to 99 (分期期数)
	First   int64 // first payment (首期还款金额)
	Each    int64 // each later payment (每期还款金额)
	Fee     int64 // instalment fee (分期手续费)
}

// DCC is a dynamic currency conversion the cardholder accepted: the slip
// prints the disclosure (the rate, the markup over the reference rate, the
// amount in the cardholder's currency and the statement that the cardholder
// chose that currency) below the amount.
type DCC struct {
	Amount    Amount // the total in the cardholder's currency
	Rate      string // units of Amount's currency per unit of the slip's currency, decimal, e.g. "0.138912"
	Markup    string // markup over the reference rate in percent, decimal, e.g. "3.50"
	Reference string // the reference rate, e.g. "ECB"; empty = not printed
}

// Payee is where a [Transfer] sends the money: the card or account
// credited (ISO 8583 field 103, account identification 2), its bank and
// the payee's name. The account prints only masked, by the same [Policy]
// and [Copy] rule as the cardholder's PAN (at most the first 6 and the last
// 4 digits), never whole.
type Payee struct {
	Account string // card or account number credited, 8 to 28 decimal digits; never printed whole
	Bank    string // bank of the account (转入行); empty = not printed
	Name    string // payee name printed as given (收款人): mask it first if the slip must not show it whole; empty = not printed
}

// String returns the payee with the account masked (first 6, last 4), so
// a Payee is safe to log.
func (p Payee) String() string {
	s := digits.MaskPAN(p.Account)
	if p.Bank != "" {
		s += " " + p.Bank
	}
	if p.Name != "" {
		s += " " + p.Name
	}
	return s
}

// GoString is String, so that %#v does not print the account either.
func (p Payee) GoString() string { return "receipt.Payee{" + p.String() + "}" }

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
//
// Identifiers, amounts and dates print whole: when one does not fit beside
// its label it moves to the next line, and a value wider than the paper is
// an [ErrTooNarrow] error rather than a split value.
type Slip struct {
	Merchant Merchant // the card acceptor
	Acquirer string   // acquiring institution (收单行)
	Issuer   string   // issuing bank (发卡行)
	Card     Card     // the card, printed masked

	Type        Kind      // the kind of transaction
	Batch       string    // batch number, 6 digits (ISO 8583 field 60.2)
	Voucher     string    // voucher number = STAN, 6 digits (field 11)
	AuthCode    string    // authorisation code (field 38)
	RRN         string    // retrieval reference number, 12 characters (field 37)
	Time        time.Time // local date and time of the transaction; zero = not printed
	Amount      Amount    // the transaction amount; for BalanceInquiry the balance
	Tip         int64     // tip in minor units of Amount.Currency; 0 = not printed
	Fee         int64     // fee or surcharge the cardholder pays on top of Amount (手续费; a Transfer's transfer fee), in TOTAL; 0 = not printed
	OrigVoucher string    // original voucher number (void, refund, completion)
	Payee       *Payee    // the credited account of a Transfer; required for a Transfer, refused on any other kind

	Installment *Installment // instalment plan, nil for a single payment
	DCC         *DCC         // currency conversion, nil when paid in Amount's currency

	Chip *Chip // EMV data, nil for swipe or QR
	CVM  CVM   // the cardholder verification performed
	QR   *QR   // QR payment details, nil for a card payment

	Copy    Copy     // who keeps this copy
	Reprint bool     // prints the reprint marker (重打印 / DUPLICATED)
	Remarks []string // 备注 lines
	Footer  []string // centred lines at the bottom (hotline, thanks)

	QRCode  string // printed as a QR code (e-receipt link or order number): printable UTF-8 text
	Barcode string // printed as a CODE128 barcode (printable ASCII)
}

func (*Slip) document() {}

// CardGroup groups settlement totals: domestic cards, foreign cards, QR
// payments.
type CardGroup uint8

// Channel is the former name of [CardGroup].
//
// Deprecated: use CardGroup.
type Channel = CardGroup

// Card groups of a settlement slip.
const (
	Domestic CardGroup = iota // 内卡: domestic (UnionPay) cards
	Foreign                   // 外卡: international cards
	QRPay                     // 扫码: QR payments
	numGroups
)

// Total is one line of a settlement: the count and sum of one transaction
// kind in one card group. Several Totals for the same pair are added
// together.
type Total struct {
	// Channel is the former name of Group, read only when Group is
	// Domestic.
	//
	// Deprecated: use Group.
	Channel CardGroup
	Type    Kind      // the kind of transaction counted
	Count   int64     // number of transactions, never negative
	Amount  int64     // sum in minor units, never negative
	Group   CardGroup // domestic cards, foreign cards or QR payments
}

func (t *Total) group() CardGroup {
	if t.Group != Domestic {
		return t.Group
	}
	return t.Channel
}

// SettlementSlip is a settlement slip (结算总计单) printed at the end of a
// batch. Net per card group is sales and completions less voids and
// refunds; pre-authorisations and transfers are listed but not netted
// (neither pays the merchant), balance inquiries are skipped.
type SettlementSlip struct {
	Merchant Merchant  // the card acceptor
	Acquirer string    // acquiring institution (收单行)
	Batch    string    // batch number, 6 digits (ISO 8583 field 60.2)
	Time     time.Time // local date and time of the settlement; zero = not printed
	Currency Currency  // the currency of every total
	Totals   []Total   // the batch's totals, in any order
	Reprint  bool      // prints the reprint marker (重打印 / DUPLICATED)
	Footer   []string  // centred lines at the bottom
}

// Settlement is the former name of [SettlementSlip].
//
// Deprecated: use SettlementSlip.
type Settlement = SettlementSlip

func (*SettlementSlip) document() {}

// Document is a *[Slip], a *[SettlementSlip] or a *[DownloadSlip].
type Document interface{ document() }

const maxCode = 2000 // bytes of QR data; a version 40-L QR holds 2953

// checkCode checks a QR code or barcode payload: a barcode is printable
// ASCII, a QR code printable UTF-8 text. Nothing that a printer or a
// renderer could read as a command or a direction change gets through.
func checkCode(s string, barcode bool) error {
	if barcode {
		if len(s) > 80 {
			return fmt.Errorf("%w: barcode of %d bytes, over 80", ErrCode, len(s))
		}
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x7E {
				return fmt.Errorf("%w: barcode byte %d is %#x", ErrCode, i, s[i])
			}
		}
		return nil
	}
	if len(s) > maxCode {
		return fmt.Errorf("%w: QR code of %d bytes, over %d", ErrCode, len(s), maxCode)
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if textRune(r, size) != r {
			return fmt.Errorf("%w: QR code byte %d is a control or invalid character", ErrCode, i)
		}
		i += size
	}
	return nil
}
