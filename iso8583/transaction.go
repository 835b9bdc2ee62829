package iso8583

import (
	"errors"
	"strconv"
	"time"

	moov "github.com/moov-io/iso8583"
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

// Dialect selects the message spec, and the field conventions, a Terminal
// builds for. It is not the card network (a UnionPay card can travel in
// an ISO87 message and the other way round).
type Dialect uint8

// Scheme is the former name of Dialect.
//
// Deprecated: use Dialect; "scheme" names the card network.
type Scheme = Dialect

const (
	// ISO87 is Spec87ASCII: fields 7 and 90 as ISO 8583:1987 uses them.
	ISO87 Dialect = iota
	// UnionPay is SpecUnionPay: fields 60, 61 and 63 as UnionPay uses them.
	UnionPay
)

// Spec returns the message spec of the dialect.
func (d Dialect) Spec() *moov.MessageSpec {
	if d == UnionPay {
		return SpecUnionPay
	}
	return Spec87ASCII
}

// String names the dialect: "ISO87" or "UnionPay".
func (d Dialect) String() string {
	if d == UnionPay {
		return "UnionPay"
	}
	return "ISO87"
}

// Transaction is the typed form of a POS request or response on either
// spec; the comment of each field gives its field number. Constructors on
// Terminal fill it; Message and FromMessage move it in and out of moov
// messages, and Pack, AppendPack, Unpack and UnpackInto to and from bytes
// directly by the spec's own field definitions, through one field table
// (mapping.go), without reflection. Empty strings and nil slices are absent fields. Fields
// marked ISO87 or UnionPay exist only in that dialect's spec.
type Transaction struct {
	MTI                string   // 0
	PAN                string   // 2
	ProcessingCode     string   // 3
	Amount             string   // 4, minor units, 12 digits
	TransmissionTime   string   // 7, ISO87, MMDDhhmmss UTC
	STAN               string   // 11
	LocalTime          string   // 12, hhmmss
	LocalDate          string   // 13, MMDD
	Expiry             string   // 14, YYMM
	SettlementDate     string   // 15
	EntryMode          string   // 22
	CardSequence       string   // 23
	ConditionCode      string   // 25
	PINCapture         string   // 26
	AcquirerID         string   // 32
	Track2             string   // 35
	Track3             string   // 36
	RRN                string   // 37
	AuthCode           string   // 38
	ResponseCode       string   // 39
	TerminalID         string   // 41
	MerchantID         string   // 42
	AdditionalResponse string   // 44
	AdditionalData     string   // 48, UnionPay settlement totals and batch upload records
	Currency           string   // 49
	PINBlock           []byte   // 52
	SecurityControl    string   // 53
	AdditionalAmounts  string   // 54, balance
	ICC                []byte   // 55
	F59                string   // 59, reserved for private use (自定义域): what terminal and host agree on
	F60                *Field60 // 60, UnionPay
	F61                *Field61 // 61, UnionPay
	F62                []byte   // 62, UnionPay sign-on keys
	F63                *Field63 // 63, UnionPay
	MAC                []byte   // 64
	NetworkMgmtCode    string   // 70, ISO87
	CreditsNumber      string   // 74, ISO87 settlement
	DebitsNumber       string   // 76, ISO87 settlement
	CreditsAmount      string   // 86, ISO87 settlement
	DebitsAmount       string   // 88, ISO87 settlement
	OriginalData       string   // 90, ISO87 reversal
	AccountID1         string   // 102, account identification 1 (a transfer's payer account)
	AccountID2         string   // 103, account identification 2 (a transfer's payee account or card)
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
	// KindParameterDownload is the terminal parameter download (参数下载):
	// 60.3 or field 70 360 and 361.
	KindParameterDownload
	// KindCAKeyDownload is the CA public key download (IC卡公钥下载): 370,
	// 371 and the status query 372.
	KindCAKeyDownload
	// KindAIDDownload is the AID parameter download (IC卡参数下载): 380,
	// 381 and the status query 382.
	KindAIDDownload
	// KindHotListDownload is the hot-card list download (黑名单下载): 390
	// and 391.
	KindHotListDownload
	// KindTransfer is a card-to-card transfer (转账): an 02xx message with
	// processing code 40xxxx.
	KindTransfer
)

var kindNames = [...][2]string{
	{"unknown", "未知"}, {"sale", "消费"}, {"void", "消费撤销"}, {"refund", "退货"},
	{"pre-authorisation", "预授权"}, {"pre-authorisation void", "预授权撤销"},
	{"pre-authorisation completion", "预授权完成"}, {"completion void", "预授权完成撤销"},
	{"balance inquiry", "余额查询"}, {"reversal", "冲正"}, {"sign-on", "签到"},
	{"echo test", "回响测试"}, {"settlement", "结算"}, {"batch upload", "批上送"},
	{"parameter download", "参数下载"}, {"CA public key download", "IC卡公钥下载"},
	{"AID parameter download", "IC卡参数下载"}, {"hot-card list download", "黑名单下载"},
	{"transfer", "转账"},
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
// UnionPay) 60.1 and 60.3. An 08xx message is a download (see
// DownloadStep) when its 60.3 or field 70 code is one of the Net*Download
// codes, an echo with 301 and a sign-on otherwise; an 02xx message with
// processing code 40xxxx is a transfer whatever its 60.1.
func (t *Transaction) Kind() Kind {
	if len(t.MTI) != 4 {
		return KindUnknown
	}
	switch t.MTI[:2] {
	case "04":
		return KindReversal
	case "08":
		net := t.netCode()
		if d, ok := downloadCodes[net]; ok {
			return d.kind
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
	if t.MTI[:2] == "02" && len(t.ProcessingCode) == 6 && t.ProcessingCode[:2] == procTransferPrefix {
		return KindTransfer
	}
	if t.F60 != nil && t.F60.TxnType != "" && t.F60.TxnType != TxnTypeManagement {
		switch t.F60.TxnType {
		case TxnTypeSale:
			return KindSale
		case TxnTypeVoid:
			return KindVoid
		case TxnTypeRefund:
			return KindRefund
		case TxnTypePreAuth:
			return KindPreAuth
		case TxnTypePreAuthVoid:
			return KindPreAuthVoid
		case TxnTypeCompletion:
			return KindCompletion
		case TxnTypeCompletionVoid:
			return KindCompletionVoid
		case TxnTypeBalanceInquiry:
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

// NewResponse builds the host's answer to req: MTI + 10 with the repeat
// digit cleared (0200 to 0210, 0221 to 0230, 0401 to 0410), the echoed
// fields (PAN, processing code, amount, STAN, condition code, acquirer and
// acceptor IDs, currency, accounts 102 and 103, 60 and 61; not the entry
// mode, which a response does not carry), local time and date from now,
// and the given response code, RRN and authorisation code (the last two
// may be empty).
func NewResponse(req *Transaction, code, rrn, authCode string, now time.Time) (*Transaction, error) {
	r := &Transaction{}
	if err := req.ResponseInto(r, code, rrn, authCode, now); err != nil {
		return nil, err
	}
	return r, nil
}
