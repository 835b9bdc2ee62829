package iso8583

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/internal/digits"
)

// Errors of the typed transaction layer.
var (
	// ErrAmount reports an amount that is negative, zero where a value is
	// needed, or longer than 12 digits.
	ErrAmount = errors.New("iso8583: bad amount")
	// ErrCard reports card data that cannot be sent (a PAN that is not 12
	// to 19 digits, neither PAN nor track 2, a malformed expiry date).
	ErrCard = errors.New("iso8583: bad card data")
	// ErrTerminal reports a Terminal without IDs or STAN source.
	ErrTerminal = errors.New("iso8583: bad terminal configuration")
	// ErrOriginal reports an original transaction that lacks what the new
	// message must refer to.
	ErrOriginal = errors.New("iso8583: bad original transaction")
	// ErrMTI reports an MTI that cannot be answered or reversed.
	ErrMTI = errors.New("iso8583: unexpected MTI")
)

// Scheme selects the message spec a Terminal builds for.
type Scheme uint8

const (
	// ISO87 is Spec87ASCII: fields 7 and 90 as ISO 8583:1987 uses them.
	ISO87 Scheme = iota
	// UnionPay is SpecUnionPay: fields 60, 61 and 63 as UnionPay uses them.
	UnionPay
)

// Spec returns the message spec of the scheme.
func (s Scheme) Spec() *moov.MessageSpec {
	if s == UnionPay {
		return SpecUnionPay
	}
	return Spec87ASCII
}

// Transaction is the typed form of a POS request or response on either
// spec. Constructors on Terminal fill it; Message, Pack, FromMessage and
// Unpack move it in and out of moov messages through a field table,
// without reflection. Its iso8583 tags also let moov's Message.Marshal and
// Unmarshal handle it (same result, slower). Empty strings and nil slices
// are absent fields. Fields marked ISO87 or UnionPay exist only in that
// scheme's spec.
type Transaction struct {
	MTI                string   `iso8583:"0"`
	PAN                string   `iso8583:"2"`
	ProcessingCode     string   `iso8583:"3"`
	Amount             string   `iso8583:"4"`
	TransmissionTime   string   `iso8583:"7"` // ISO87, MMDDhhmmss UTC
	STAN               string   `iso8583:"11"`
	LocalTime          string   `iso8583:"12"` // hhmmss
	LocalDate          string   `iso8583:"13"` // MMDD
	Expiry             string   `iso8583:"14"` // YYMM
	SettlementDate     string   `iso8583:"15"`
	EntryMode          string   `iso8583:"22"`
	CardSequence       string   `iso8583:"23"`
	ConditionCode      string   `iso8583:"25"`
	PINCapture         string   `iso8583:"26"`
	AcquirerID         string   `iso8583:"32"`
	Track2             string   `iso8583:"35"`
	Track3             string   `iso8583:"36"`
	RRN                string   `iso8583:"37"`
	AuthCode           string   `iso8583:"38"`
	ResponseCode       string   `iso8583:"39"`
	TerminalID         string   `iso8583:"41"`
	MerchantID         string   `iso8583:"42"`
	AdditionalResponse string   `iso8583:"44"`
	AdditionalData     string   `iso8583:"48"` // UnionPay settlement totals
	Currency           string   `iso8583:"49"`
	PINBlock           []byte   `iso8583:"52"`
	SecurityControl    string   `iso8583:"53"`
	AdditionalAmounts  string   `iso8583:"54"` // balance
	ICC                []byte   `iso8583:"55"`
	F60                *Field60 `iso8583:"60"` // UnionPay
	F61                *Field61 `iso8583:"61"` // UnionPay
	F62                []byte   `iso8583:"62"` // UnionPay sign-on keys
	F63                *Field63 `iso8583:"63"` // UnionPay
	MAC                []byte   `iso8583:"64"`
	NetworkMgmtCode    string   `iso8583:"70"` // ISO87
	CreditsNumber      string   `iso8583:"74"` // ISO87 settlement
	DebitsNumber       string   `iso8583:"76"` // ISO87 settlement
	CreditsAmount      string   `iso8583:"86"` // ISO87 settlement
	DebitsAmount       string   `iso8583:"88"` // ISO87 settlement
	OriginalData       string   `iso8583:"90"` // ISO87 reversal
}

// Pack packs t with spec.
func (t *Transaction) Pack(spec *moov.MessageSpec) ([]byte, error) {
	m, err := t.Message(spec)
	if err != nil {
		return nil, err
	}
	b, err := m.Pack()
	if err != nil {
		return nil, fmt.Errorf("iso8583: pack: %w", err)
	}
	return b, nil
}

// Unpack unpacks b with spec into a Transaction.
func Unpack(spec *moov.MessageSpec, b []byte) (*Transaction, error) {
	m := moov.NewMessage(spec)
	if err := m.Unpack(b); err != nil {
		return nil, fmt.Errorf("iso8583: unpack: %w", err)
	}
	return fromUnpacked(m)
}

// Approved reports whether the response code is an approval (00, 08, 10,
// 11).
func (t *Transaction) Approved() bool {
	rc, _ := LookupResponse(t.ResponseCode)
	return rc.Action == ActionApprove
}

// Response describes the response code of t.
func (t *Transaction) Response() ResponseCode {
	rc, _ := LookupResponse(t.ResponseCode)
	return rc
}

// AmountMinor returns field 4 as minor units.
func (t *Transaction) AmountMinor() (int64, error) {
	if t.Amount == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(t.Amount, 10, 64)
	if err != nil || v < 0 {
		return 0, ErrAmount
	}
	return v, nil
}

// Kind is a POS transaction type.
type Kind uint8

// Transaction kinds.
const (
	KindUnknown Kind = iota
	KindSale
	KindVoid
	KindRefund
	KindPreAuth
	KindPreAuthVoid
	KindCompletion
	KindCompletionVoid
	KindBalanceInquiry
	KindReversal
	KindSignOn
	KindEcho
	KindSettlement
	KindBatchUpload
)

var kindNames = [...][2]string{
	{"unknown", "未知"}, {"sale", "消费"}, {"void", "消费撤销"}, {"refund", "退货"},
	{"pre-authorisation", "预授权"}, {"pre-authorisation void", "预授权撤销"},
	{"pre-authorisation completion", "预授权完成"}, {"completion void", "预授权完成撤销"},
	{"balance inquiry", "余额查询"}, {"reversal", "冲正"}, {"sign-on", "签到"},
	{"echo test", "回响测试"}, {"settlement", "结算"}, {"batch upload", "批上送"},
}

// String names the kind in English.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k][0]
	}
	return "unknown"
}

// Chinese names the kind in Chinese.
func (k Kind) Chinese() string {
	if int(k) < len(kindNames) {
		return kindNames[k][1]
	}
	return "未知"
}

// Kind classifies t from its MTI, processing code, condition code and (on
// UnionPay) 60.1 and 60.3.
func (t *Transaction) Kind() Kind {
	if len(t.MTI) != 4 {
		return KindUnknown
	}
	switch t.MTI[:2] {
	case "04":
		return KindReversal
	case "08":
		net := t.NetworkMgmtCode
		if t.F60 != nil {
			net = t.F60.NetMgmt
		}
		if net == netEcho {
			return KindEcho
		}
		return KindSignOn
	case "05":
		return KindSettlement
	case "03":
		return KindBatchUpload
	}
	if t.F60 != nil && t.F60.TxnType != "" && t.F60.TxnType != TxnManagement {
		switch t.F60.TxnType {
		case TxnSale:
			return KindSale
		case TxnVoid:
			return KindVoid
		case TxnRefund:
			return KindRefund
		case TxnPreAuth:
			return KindPreAuth
		case TxnPreAuthVoid:
			return KindPreAuthVoid
		case TxnCompletion:
			return KindCompletion
		case TxnCompletionVoid:
			return KindCompletionVoid
		case TxnBalanceInquiry:
			return KindBalanceInquiry
		}
	}
	pre := t.ConditionCode == condPreAuth
	switch {
	case t.MTI[:2] == "01" && t.ProcessingCode == ProcPreAuth:
		return KindPreAuth
	case t.MTI[:2] == "01" && t.ProcessingCode == ProcPreAuthVoid:
		return KindPreAuthVoid
	case t.MTI[:2] == "02" && t.ProcessingCode == ProcBalanceInquiry:
		return KindBalanceInquiry
	case t.MTI[:2] == "02" && pre && t.ProcessingCode == ProcCompletion:
		return KindCompletion
	case t.MTI[:2] == "02" && pre && t.ProcessingCode == ProcCompletionVoid:
		return KindCompletionVoid
	case t.MTI[:2] == "02" && t.ProcessingCode == ProcSale:
		return KindSale
	case t.MTI[:2] == "02" && (t.MTI[2] == '2' || t.MTI[2] == '3') && t.ProcessingCode == ProcRefund: // 0220 advice, 0230
		return KindRefund
	case t.MTI[:2] == "02" && t.ProcessingCode == ProcVoid:
		return KindVoid
	}
	return KindUnknown
}

// Terminal holds what a terminal knows about itself; its methods build
// requests. The STAN source is shared and safe for concurrent use; the
// rest is read only, so a Terminal may serve several goroutines.
type Terminal struct {
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
	if t.Scheme == ISO87 {
		tx.TransmissionTime = transmissionTime(now)
	}
	return tx, nil
}

func (t *Terminal) f60(txnType, net string) *Field60 {
	if t.Scheme != UnionPay {
		return nil
	}
	return &Field60{TxnType: txnType, Batch: t.batch(), NetMgmt: net, ReadCapability: t.ReadCapability}
}

func (t *Terminal) withCard(tx *Transaction, c Card) error {
	if c.PAN == "" && c.Track2 == "" {
		return fmt.Errorf("no PAN or track 2: %w", ErrCard)
	}
	if c.PAN != "" && (len(c.PAN) < 12 || len(c.PAN) > 19 || !digits.Valid(c.PAN)) {
		return fmt.Errorf("PAN %s: %w", digits.MaskPAN(c.PAN), ErrCard)
	}
	if c.Expiry != "" && (len(c.Expiry) != 4 || !digits.Valid(c.Expiry)) {
		return fmt.Errorf("expiry: %w", ErrCard)
	}
	if c.PINBlock != nil && len(c.PINBlock) != 8 {
		return fmt.Errorf("PIN block length: %w", ErrCard)
	}
	tx.PAN, tx.Expiry, tx.Track2, tx.Track3 = c.PAN, c.Expiry, c.Track2, c.Track3
	if t.Scheme == UnionPay {
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
		if t.Scheme == UnionPay {
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
	return t.financial("0200", ProcSale, condNormal, TxnSale, c, amount, true)
}

// BalanceInquiry builds a balance inquiry (余额查询): 0200, 310000, 60.1 "01".
func (t *Terminal) BalanceInquiry(c Card) (*Transaction, error) {
	return t.financial("0200", ProcBalanceInquiry, condNormal, TxnBalanceInquiry, c, 0, false)
}

// PreAuth builds a pre-authorisation (预授权): 0100, 030000, condition 06,
// 60.1 "10".
func (t *Terminal) PreAuth(c Card, amount int64) (*Transaction, error) {
	return t.financial("0100", ProcPreAuth, condPreAuth, TxnPreAuth, c, amount, true)
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
	if t.Scheme == UnionPay {
		f := &Field61{OrigBatch: o.Batch, OrigSTAN: o.STAN, OrigDate: o.Date}
		if txnType == TxnPreAuthVoid || txnType == TxnCompletion {
			// pre-auth references carry only the original date (61.3)
			f.OrigBatch, f.OrigSTAN = "000000", "000000"
		}
		if f.OrigDate == "" && txnType != TxnVoid && txnType != TxnCompletionVoid {
			return nil, ErrOriginal
		}
		if (txnType == TxnVoid || txnType == TxnCompletionVoid) && (o.Batch == "" || o.STAN == "") {
			return nil, ErrOriginal
		}
		tx.F61 = f
	}
	return tx, nil
}

// Void builds a sale void (消费撤销): 0200, 200000, 60.1 "23"; 37 and 38
// of the original, 61 with its batch and STAN.
func (t *Terminal) Void(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0200", ProcVoid, condNormal, TxnVoid, c, amount, o, true, false)
}

// Refund builds a refund (退货): 0220, 200000, 60.1 "25"; 37 of the
// original, 61 with its batch, STAN and date.
func (t *Terminal) Refund(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0220", ProcRefund, condNormal, TxnRefund, c, amount, o, true, false)
}

// PreAuthVoid builds a pre-authorisation void (预授权撤销): 0100, 200000,
// condition 06, 60.1 "11"; 38 and 61.3 of the pre-authorisation.
func (t *Terminal) PreAuthVoid(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0100", ProcPreAuthVoid, condPreAuth, TxnPreAuthVoid, c, amount, o, false, true)
}

// Completion builds a pre-authorisation completion (预授权完成): 0200,
// 000000, condition 06, 60.1 "20"; 38 and 61.3 of the pre-authorisation.
func (t *Terminal) Completion(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0200", ProcCompletion, condPreAuth, TxnCompletion, c, amount, o, false, true)
}

// CompletionVoid builds a completion void (预授权完成撤销): 0200, 200000,
// condition 06, 60.1 "21"; 37, 38 and 61 of the completion.
func (t *Terminal) CompletionVoid(c Card, amount int64, o Original) (*Transaction, error) {
	return t.referring("0200", ProcCompletionVoid, condPreAuth, TxnCompletionVoid, c, amount, o, true, true)
}

// Reversal builds a reversal (冲正, 0400) of a request whose answer did not
// arrive or could not be used. reason goes in field 39: "98" no response,
// "06" other terminal error ("" means "98").
//
// What carries over, and why: a reversal must identify the original
// exactly and undo its amount, so it repeats the card (2, 14, 23), the
// transaction (3, 4, 22, 25, 38 if any, 49, 55), the acceptor (32, 41, 42)
// and, on UnionPay, the original's STAN (11) with 60 and 61, which is how
// the host finds the original (terminal, batch, STAN). It never repeats the
// PIN (26, 52, 53) or track data (35, 36): they authorised the original,
// the reversal needs no cardholder verification, and resending them would
// only expose them. On ISO87 the reversal has its own STAN and transmission
// time, and field 90 (original data elements, n42) names the original:
// MTI (4), STAN (6), transmission date and time (10), acquirer ID (11) and
// forwarding institution ID (11), right aligned with zeros.
func (t *Terminal) Reversal(orig *Transaction, reason string) (*Transaction, error) {
	if orig == nil || len(orig.MTI) != 4 || (orig.MTI[:2] != "01" && orig.MTI[:2] != "02") {
		return nil, ErrMTI
	}
	if orig.STAN == "" {
		return nil, ErrOriginal
	}
	if reason == "" {
		reason = reversalNoResponse
	}
	rv := &Transaction{
		MTI:            "0400",
		PAN:            orig.PAN,
		ProcessingCode: orig.ProcessingCode,
		Amount:         orig.Amount,
		STAN:           orig.STAN,
		Expiry:         orig.Expiry,
		EntryMode:      orig.EntryMode,
		CardSequence:   orig.CardSequence,
		ConditionCode:  orig.ConditionCode,
		AcquirerID:     orig.AcquirerID,
		AuthCode:       orig.AuthCode,
		ResponseCode:   reason,
		TerminalID:     orig.TerminalID,
		MerchantID:     orig.MerchantID,
		Currency:       orig.Currency,
		ICC:            append([]byte(nil), orig.ICC...),
	}
	if len(orig.ICC) == 0 {
		rv.ICC = nil
	}
	if rv.PAN == "" && orig.Track2 != "" {
		rv.PAN = panOfTrack(orig.Track2)
	}
	if t.Scheme == UnionPay {
		if orig.F60 != nil {
			f := *orig.F60
			rv.F60 = &f
		}
		if orig.F61 != nil {
			f := *orig.F61
			rv.F61 = &f
		}
		return rv, nil
	}
	if t.STAN == nil {
		return nil, ErrTerminal
	}
	now := t.now()
	rv.STAN = t.STAN.Next()
	rv.TransmissionTime = transmissionTime(now)
	rv.LocalTime, rv.LocalDate = now.Format("150405"), now.Format("0102")
	ot := orig.TransmissionTime
	if len(ot) != 10 {
		ot = "0000000000"
	}
	acq := orig.AcquirerID
	if len(acq) > 11 {
		return nil, ErrOriginal
	}
	rv.OriginalData = orig.MTI + orig.STAN + ot + strings.Repeat("0", 11-len(acq)) + acq + "00000000000"
	return rv, nil
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

// SignOn builds a sign-on (签到): UnionPay 0800 with 60.3 "003"
// (double-length PIN and MAC keys; use SignOnWith for "001" or "004") and
// the operator in 63.1; ISO87 0800 with field 70 "001".
func (t *Terminal) SignOn() (*Transaction, error) { return t.SignOnWith(netSignOnDoubleDES) }

// Network management codes of UnionPay 60.3 for sign-on.
const (
	SignOnSingleDES = "001" // single-length PIN and MAC keys
	SignOnDoubleDES = "003" // double-length PIN key, MAC key
	SignOnWithTDK   = "004" // double-length keys and a track data key
)

// SignOnWith builds a sign-on asking for the key set code (60.3).
func (t *Terminal) SignOnWith(code string) (*Transaction, error) {
	tx, err := t.base("0800", "", "")
	if err != nil {
		return nil, err
	}
	tx.ProcessingCode, tx.ConditionCode = "", ""
	if t.Scheme == UnionPay {
		// UnionPay management requests carry no local time and date
		tx.LocalTime, tx.LocalDate = "", ""
		tx.F60 = &Field60{TxnType: TxnManagement, Batch: t.batch(), NetMgmt: code}
		op := t.Operator
		if op == "" {
			op = "001"
		}
		tx.F63 = &Field63{Code: op}
		return tx, nil
	}
	tx.NetworkMgmtCode = isoNetSignOn
	return tx, nil
}

// Echo builds an echo (network) test: UnionPay 0820 with 60.3 "301", ISO87
// 0800 with field 70 "301".
func (t *Terminal) Echo() (*Transaction, error) {
	tx, err := t.base("0800", "", "")
	if err != nil {
		return nil, err
	}
	tx.ProcessingCode, tx.ConditionCode = "", ""
	if t.Scheme == UnionPay {
		tx.LocalTime, tx.LocalDate = "", ""
		tx.MTI = "0820"
		tx.F60 = &Field60{TxnType: TxnManagement, Batch: t.batch(), NetMgmt: netEcho}
		return tx, nil
	}
	tx.NetworkMgmtCode = isoNetEcho
	return tx, nil
}

// Totals are the batch totals of a settlement, in minor units.
type Totals struct {
	DebitCount, CreditCount   int
	DebitAmount, CreditAmount int64
	// Foreign totals (外卡) of UnionPay; zero for a domestic-only batch.
	ForeignDebitCount, ForeignCreditCount   int
	ForeignDebitAmount, ForeignCreditAmount int64
}

func (tt Totals) check() error {
	for _, n := range []int{tt.DebitCount, tt.CreditCount, tt.ForeignDebitCount, tt.ForeignCreditCount} {
		if n < 0 || n > 999 {
			return ErrAmount
		}
	}
	for _, a := range []int64{tt.DebitAmount, tt.CreditAmount, tt.ForeignDebitAmount, tt.ForeignCreditAmount} {
		if a < 0 || a > 999999999999 {
			return ErrAmount
		}
	}
	return nil
}

// Settlement builds a settlement (结算): 0500. UnionPay: 48 holds the
// domestic (内卡) then foreign (外卡) totals, each debit amount n12, debit
// count n3, credit amount n12, credit count n3 and reconciliation code n1
// ("0" from the terminal; Settlement48Length documents the layout and its
// sources), 60.3 "201", the operator in 63.1. ISO87: fields 74, 76, 86 and
// 88 (credits and debits, number and amount).
func (t *Terminal) Settlement(tt Totals) (*Transaction, error) {
	if err := tt.check(); err != nil {
		return nil, err
	}
	tx, err := t.base("0500", "", "")
	if err != nil {
		return nil, err
	}
	tx.ProcessingCode, tx.ConditionCode = "", ""
	tx.Currency = t.Currency
	if t.Scheme == UnionPay {
		tx.LocalTime, tx.LocalDate = "", ""
		tx.AdditionalData = string(appendSettlement48(make([]byte, 0, Settlement48Length), tt, ReconNone, ReconNone))
		tx.F60 = &Field60{TxnType: TxnManagement, Batch: t.batch(), NetMgmt: netSettlement}
		op := t.Operator
		if op == "" {
			op = "001"
		}
		tx.F63 = &Field63{Code: op}
		return tx, nil
	}
	tx.CreditsNumber = fmt.Sprintf("%010d", tt.CreditCount+tt.ForeignCreditCount)
	tx.DebitsNumber = fmt.Sprintf("%010d", tt.DebitCount+tt.ForeignDebitCount)
	tx.CreditsAmount = fmt.Sprintf("%016d", tt.CreditAmount+tt.ForeignCreditAmount)
	tx.DebitsAmount = fmt.Sprintf("%016d", tt.DebitAmount+tt.ForeignDebitAmount)
	return tx, nil
}

// SettlementTotals reads the totals a settlement (0500 or its 0510 answer)
// carries, in the layout Settlement writes: UnionPay field 48 (62 digits,
// domestic then foreign, each debit amount, debit count, credit amount,
// credit count and a reconciliation code; see Settlement48Length) or,
// without field 48, the ISO 8583:1987 fields 74, 76, 86 and 88, which hold
// no foreign split. Errors: ErrAmount when a total is missing or not
// digits.
func (t *Transaction) SettlementTotals() (Totals, error) {
	var tt Totals
	num := func(s string) int64 {
		if !digits.Valid(s) || len(s) > 18 {
			return -1
		}
		n, _ := strconv.ParseInt(s, 10, 64)
		return n
	}
	if d := t.AdditionalData; d != "" {
		if len(d) != Settlement48Length || !digits.Valid(d) {
			return Totals{}, fmt.Errorf("%w: settlement field 48 is not 62 digits", ErrAmount)
		}
		tt.DebitAmount, tt.DebitCount = num(d[0:12]), int(num(d[12:15]))
		tt.CreditAmount, tt.CreditCount = num(d[15:27]), int(num(d[27:30]))
		tt.ForeignDebitAmount, tt.ForeignDebitCount = num(d[31:43]), int(num(d[43:46]))
		tt.ForeignCreditAmount, tt.ForeignCreditCount = num(d[46:58]), int(num(d[58:61]))
		return tt, nil
	}
	cc, dc := num(t.CreditsNumber), num(t.DebitsNumber)
	ca, da := num(t.CreditsAmount), num(t.DebitsAmount)
	if cc < 0 || dc < 0 || ca < 0 || da < 0 {
		return Totals{}, fmt.Errorf("%w: settlement fields 74, 76, 86 or 88 missing or not digits", ErrAmount)
	}
	tt.CreditCount, tt.DebitCount, tt.CreditAmount, tt.DebitAmount = int(cc), int(dc), ca, da
	return tt, nil
}

// BatchUpload builds a batch upload (批上送, 0320) of one stored approved
// transaction, sent after a settlement (see Transaction.Balanced): IC card
// transactions go one per message, magnetic-stripe ones several to a
// message in field 48 (BatchUploadMagstripe, which also builds the
// end-of-batch message).
//
// UnionPay: the IC card batch upload notification (基于PBOC借/贷记IC卡批上
// 送通知交易, section 9.4.7 of the UnionPay POS terminal specification)
// carries fields 2 (the PAN, from track 2 when the request had no field
// 2), 4, 11 (the original's STAN), 22, 23, 41, 42, 55 and 60 (60.1 "00",
// 60.2 the batch, 60.3 "203", 60.4 the terminal's read capability), and
// nothing else: the field list three public terminals agree on (the
// Android terminals of Basewin, NetICSettlement, and of Centerm,
// AsyncUploadIcDataTask, and the Wonders POS client, Connect
// upLoadNotification, which names the section). Those terminals also send
// a field 62 (n2 "61", four digits on whose meaning they differ, the amount
// n12 and the currency n3); it is not built here: set F62 if your host
// asks for it. Their 60.3 codes for uploads after an unbalanced settlement
// or for transactions whose ARPC failed differ (205, 204 or 206), so only
// 203 is built. ISO87: the card, amount, STAN, entry mode, processing and
// condition codes, RRN, authorisation code and ICC data of the original.
// Errors: ErrOriginal when req or resp is nil, req has no STAN or resp no
// RRN (only approved, answered transactions are uploaded).
func (t *Terminal) BatchUpload(req, resp *Transaction) (*Transaction, error) {
	if req == nil || resp == nil || req.STAN == "" || resp.RRN == "" {
		return nil, ErrOriginal
	}
	tx, err := t.base("0320", req.ProcessingCode, req.ConditionCode)
	if err != nil {
		return nil, err
	}
	tx.STAN = req.STAN
	tx.PAN, tx.Amount, tx.Expiry = req.PAN, req.Amount, req.Expiry
	if tx.PAN == "" {
		tx.PAN = panOfTrack(req.Track2)
	}
	tx.EntryMode, tx.CardSequence = req.EntryMode, req.CardSequence
	tx.RRN, tx.AuthCode, tx.Currency = resp.RRN, resp.AuthCode, req.Currency
	if len(req.ICC) > 0 {
		tx.ICC = append([]byte(nil), req.ICC...)
	}
	if t.Scheme == UnionPay {
		tx.ProcessingCode, tx.ConditionCode, tx.LocalTime, tx.LocalDate = "", "", "", ""
		tx.Expiry, tx.RRN, tx.AuthCode, tx.Currency, tx.AcquirerID = "", "", "", "", ""
		tx.F60 = &Field60{TxnType: TxnManagement, Batch: t.batch(), NetMgmt: netBatchUploadICC, ReadCapability: t.ReadCapability}
	}
	return tx, nil
}

// NewResponse builds the host's answer to req: MTI + 10, the echoed fields
// (PAN, processing code, amount, STAN, condition code, acquirer and acceptor
// IDs, currency, 60 and 61; not the entry mode, which a response does not
// carry), local time and date from now, and the given response code, RRN
// and authorisation code (the last two may be empty).
func NewResponse(req *Transaction, code, rrn, authCode string, now time.Time) (*Transaction, error) {
	if req == nil || len(req.MTI) != 4 || req.MTI[2]&1 != 0 {
		return nil, ErrMTI
	}
	mti := []byte(req.MTI)
	mti[2]++
	r := &Transaction{
		MTI:             string(mti),
		PAN:             req.PAN,
		ProcessingCode:  req.ProcessingCode,
		Amount:          req.Amount,
		STAN:            req.STAN,
		LocalTime:       now.Format("150405"),
		LocalDate:       now.Format("0102"),
		ConditionCode:   req.ConditionCode,
		AcquirerID:      req.AcquirerID,
		RRN:             rrn,
		AuthCode:        authCode,
		ResponseCode:    code,
		TerminalID:      req.TerminalID,
		MerchantID:      req.MerchantID,
		Currency:        req.Currency,
		NetworkMgmtCode: req.NetworkMgmtCode,
	}
	if r.PAN == "" {
		r.PAN = panOfTrack(req.Track2)
	}
	if req.TransmissionTime != "" {
		r.TransmissionTime = req.TransmissionTime
	}
	if req.F60 != nil {
		f := *req.F60
		r.F60 = &f
	}
	if req.F61 != nil {
		f := *req.F61
		r.F61 = &f
	}
	return r, nil
}
