package iso8583

import (
	"fmt"
	"strings"
	"time"

	"github.com/poskit/poskit/internal/digits"
)

// Terminal holds what a terminal knows about itself; its methods build
// requests. The STAN source is shared and safe for concurrent use; the
// rest is read only, so a Terminal may serve several goroutines.
type Terminal struct {
	// Dialect is the message spec the terminal speaks.
	Dialect Dialect
	// Scheme is the former name of Dialect; UnionPay in either field
	// selects UnionPay.
	//
	// Deprecated: use Dialect.
	Scheme     Scheme
	TerminalID string // field 41, 8 characters
	MerchantID string // field 42, 15 characters
	AcquirerID string // field 32, optional
	Currency   string // field 49, e.g. "156"; optional
	Batch      string // UnionPay 60.2, 6 digits; "000001" when empty
	// ReadCapability is UnionPay 60.4 (2 magnetic stripe, 5 contact IC,
	// 6 contact and contactless); omitted when empty.
	ReadCapability string
	Operator       string // UnionPay 63.1 of management messages; "001" when empty
	STAN           *STANSource
	// Now returns the local time; time.Now when nil.
	Now func() time.Time
}

// Card is the card data of a request, as read from the card.
type Card struct {
	PAN            string // field 2 (manual entry, ICC); digits
	Expiry         string // field 14, YYMM
	Track2         string // field 35, digits with '=' or 'D'
	Track3         string // field 36
	SequenceNumber string // field 23, 3 digits (ICC)
	ICC            []byte // field 55, BER-TLV
	PINBlock       []byte // field 52, 8 bytes, already enciphered
	Contactless    bool   // entry mode 07 rather than 05 for ICC
}

// Original identifies the transaction a void, refund or completion refers
// to, as the terminal stored it.
type Original struct {
	Batch    string // 61.1
	STAN     string // 61.2
	Date     string // 61.3, MMDD
	RRN      string // field 37 of the original response
	AuthCode string // field 38 of the original response
}

// OriginalOf extracts the reference to an approved transaction from its
// request and response (response may be nil).
func OriginalOf(req, resp *Transaction) Original {
	o := Original{STAN: req.STAN, Date: req.LocalDate}
	if req.F60 != nil {
		o.Batch = req.F60.Batch
	}
	if resp != nil {
		o.RRN, o.AuthCode = resp.RRN, resp.AuthCode
		if resp.LocalDate != "" {
			o.Date = resp.LocalDate
		}
	}
	return o
}

// dialect is the effective dialect of t (see Terminal.Scheme).
func (t *Terminal) dialect() Dialect {
	if t.Dialect == UnionPay || t.Scheme == UnionPay {
		return UnionPay
	}
	return ISO87
}

func (t *Terminal) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Terminal) batch() string {
	if t.Batch == "" {
		return "000001"
	}
	return t.Batch
}

func formatAmount(minor int64) (string, error) {
	if minor < 0 || minor > 999999999999 {
		return "", ErrAmount
	}
	var b [12]byte
	return string(putDigits(b[:], minor)), nil
}

func (t *Terminal) base(mti, proc, cond string) (*Transaction, error) {
	if t.TerminalID == "" || t.MerchantID == "" || t.STAN == nil {
		return nil, ErrTerminal
	}
	now := t.now()
	var tb, db [6]byte
	tx := &Transaction{
		MTI:            mti,
		ProcessingCode: proc,
		STAN:           t.STAN.Next(),
		LocalTime:      string(clock(tb[:6], now.Hour(), now.Minute(), now.Second())),
		LocalDate:      string(clock(db[:4], int(now.Month()), now.Day())),
		ConditionCode:  cond,
		AcquirerID:     t.AcquirerID,
		TerminalID:     t.TerminalID,
		MerchantID:     t.MerchantID,
	}
	if t.dialect() == ISO87 {
		tx.TransmissionTime = transmissionTime(now)
	}
	return tx, nil
}

func (t *Terminal) f60(txnType, net string) *Field60 {
	if t.dialect() != UnionPay {
		return nil
	}
	return &Field60{TxnType: txnType, Batch: t.batch(), NetMgmt: net, ReadCapability: t.ReadCapability}
}

func (t *Terminal) withCard(tx *Transaction, c Card) error {
	if c.PAN == "" && c.Track2 == "" {
		return fmt.Errorf("%w: no PAN or track 2", ErrCard)
	}
	if c.PAN != "" && (len(c.PAN) < 12 || len(c.PAN) > 19 || !digits.Valid(c.PAN)) {
		return fmt.Errorf("%w: PAN %s", ErrCard, digits.MaskPAN(c.PAN))
	}
	if c.Expiry != "" && (len(c.Expiry) != 4 || !digits.Valid(c.Expiry)) {
		return fmt.Errorf("%w: expiry", ErrCard)
	}
	if c.PINBlock != nil && len(c.PINBlock) != 8 {
		return fmt.Errorf("%w: PIN block length", ErrCard)
	}
	tx.PAN, tx.Expiry, tx.Track2, tx.Track3 = c.PAN, c.Expiry, c.Track2, c.Track3
	if t.dialect() == UnionPay {
		// the wire form: the separator is nibble D, which unpacks as 'D'
		tx.Track2 = strings.ReplaceAll(tx.Track2, "=", "D")
		tx.Track3 = strings.ReplaceAll(tx.Track3, "=", "D")
	}
	tx.CardSequence = c.SequenceNumber
	tx.ICC = append([]byte(nil), c.ICC...)
	if len(c.ICC) == 0 {
		tx.ICC = nil
	}
	// field 22: PAN entry mode (01 manual, 02 magnetic stripe, 05 contact
	// IC, 07 contactless) then PIN entry capability (1 PIN entered, 2 not)
	mode := 0
	switch {
	case len(c.ICC) > 0 && c.Contactless:
		mode = 3
	case len(c.ICC) > 0:
		mode = 2
	case c.Track2 != "":
		mode = 1
	}
	if c.PINBlock != nil {
		tx.EntryMode = [...]string{"011", "021", "051", "071"}[mode]
		tx.PINBlock = append([]byte(nil), c.PINBlock...)
		tx.PINCapture = "12"
		if t.dialect() == UnionPay {
			// 53: PIN format ANSI X9.8 with PAN (2), double-length TDES (6)
			tx.SecurityControl = "2600000000000000"
		}
	} else {
		tx.EntryMode = [...]string{"012", "022", "052", "072"}[mode]
	}
	tx.Currency = t.Currency
	return nil
}

func (t *Terminal) financial(mti, proc, cond, txnType string, c Card, amount int64, needAmount bool) (*Transaction, error) {
	tx, err := t.base(mti, proc, cond)
	if err != nil {
		return nil, err
	}
	if needAmount {
		if amount == 0 {
			return nil, ErrAmount
		}
		if tx.Amount, err = formatAmount(amount); err != nil {
			return nil, err
		}
	}
	if err := t.withCard(tx, c); err != nil {
		return nil, err
	}
	tx.F60 = t.f60(txnType, netNone)
	return tx, nil
}

// Sale builds a sale (消费) request: 0200, processing code 000000,
// condition 00, 60.1 "22".
func (t *Terminal) Sale(c Card, amount int64) (*Transaction, error) {
	return t.financial("0200", ProcSale, condNormal, TxnTypeSale, c, amount, true)
}

// BalanceInquiry builds a balance inquiry (余额查询): 0200, 310000, 60.1 "01".
func (t *Terminal) BalanceInquiry(c Card) (*Transaction, error) {
	return t.financial("0200", ProcBalanceInquiry, condNormal, TxnTypeBalanceInquiry, c, 0, false)
}

// PreAuth builds a pre-authorisation (预授权): 0100, 030000, condition 06,
// 60.1 "10".
func (t *Terminal) PreAuth(c Card, amount int64) (*Transaction, error) {
	return t.financial("0100", ProcPreAuth, condPreAuth, TxnTypePreAuth, c, amount, true)
}

func (t *Terminal) referring(mti, proc, cond, txnType string, c Card, amount int64, o Original, needRRN, needAuth bool) (*Transaction, error) {
	tx, err := t.financial(mti, proc, cond, txnType, c, amount, true)
	if err != nil {
		return nil, err
	}
	if (needRRN && o.RRN == "") || (needAuth && o.AuthCode == "") {
		return nil, ErrOriginal
	}
	if needRRN {
		tx.RRN = o.RRN
	}
	if needAuth {
		tx.AuthCode = o.AuthCode
	}
	if t.dialect() == UnionPay {
		f := &Field61{OrigBatch: o.Batch, OrigSTAN: o.STAN, OrigDate: o.Date}
		if txnType == TxnTypePreAuthVoid || txnType == TxnTypeCompletion {
			// pre-auth references carry only the original date (61.3)
			f.OrigBatch, f.OrigSTAN = "000000", "000000"
		}
		if f.OrigDate == "" && txnType != TxnTypeVoid && txnType != TxnTypeCompletionVoid {
			return nil, ErrOriginal
		}
		if (txnType == TxnTypeVoid || txnType == TxnTypeCompletionVoid) && (o.Batch == "" || o.STAN == "") {
			return nil, ErrOriginal
		}
		tx.F61 = f
	}
	return tx, nil
}

// Void builds a sale void (消费撤销): 0200, 200000, 60.1 "23"; 37 and 38
// of the original, 61 with its batch and STAN.
func (t *Terminal) Void(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0200", ProcVoid, condNormal, TxnTypeVoid, c, amount, o, true, false)
}

// Refund builds a refund (退货): 0220, 200000, 60.1 "25"; 37 of the
// original, 61 with its batch, STAN and date.
func (t *Terminal) Refund(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0220", ProcRefund, condNormal, TxnTypeRefund, c, amount, o, true, false)
}

// PreAuthVoid builds a pre-authorisation void (预授权撤销): 0100, 200000,
// condition 06, 60.1 "11"; 38 and 61.3 of the pre-authorisation.
func (t *Terminal) PreAuthVoid(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0100", ProcPreAuthVoid, condPreAuth, TxnTypePreAuthVoid, c, amount, o, false, true)
}

// Completion builds a pre-authorisation completion (预授权完成): 0200,
// 000000, condition 06, 60.1 "20"; 38 and 61.3 of the pre-authorisation.
func (t *Terminal) Completion(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0200", ProcCompletion, condPreAuth, TxnTypeCompletion, c, amount, o, false, true)
}

// CompletionVoid builds a completion void (预授权完成撤销): 0200, 200000,
// condition 06, 60.1 "21"; 37, 38 and 61 of the completion.
func (t *Terminal) CompletionVoid(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0200", ProcCompletionVoid, condPreAuth, TxnTypeCompletionVoid, c, amount, o, true, true)
}

// clock writes two-digit values into dst.
func clock(dst []byte, vals ...int) []byte {
	for i, v := range vals {
		dst[2*i], dst[2*i+1] = byte('0'+v/10%10), byte('0'+v%10)
	}
	return dst
}

// transmissionTime is field 7, MMDDhhmmss in UTC.
func transmissionTime(now time.Time) string {
	u := now.UTC()
	var b [10]byte
	return string(clock(b[:], int(u.Month()), u.Day(), u.Hour(), u.Minute(), u.Second()))
}

func panOfTrack(tr string) string {
	for i := 0; i < len(tr); i++ {
		if tr[i] == '=' || tr[i] == 'D' || tr[i] == 'd' {
			return tr[:i]
		}
	}
	return ""
}
