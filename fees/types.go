package fees

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Functions wrap them with context; test with errors.Is.
var (
	ErrRate        = errors.New("fees: invalid rate")
	ErrAmount      = errors.New("fees: invalid amount")
	ErrCurrency    = errors.New("fees: invalid currency")
	ErrInvalid     = errors.New("fees: invalid schedule")
	ErrNoRule      = errors.New("fees: no rule matches the transaction")
	ErrOverflow    = errors.New("fees: amount out of range")
	ErrTransaction = errors.New("fees: invalid transaction")
	ErrRefund      = errors.New("fees: invalid refund")
	ErrNotSameDay  = errors.New("fees: void is only allowed on the day of the sale")
	ErrGrossUp     = errors.New("fees: no amount nets the target")
	ErrUsage       = errors.New("fees: invalid usage state")
	ErrJSON        = errors.New("fees: malformed schedule JSON")
)

// ErrTx is the old name of [ErrTransaction].
//
// Deprecated: use ErrTransaction.
var ErrTx = ErrTransaction

// Rounding says how the proportional part of a fee is rounded to a whole
// minor unit. It is applied once per component, to the exact product
// amount × rate; fixed amounts, minimums and caps are whole minor units
// already. The zero value is HalfUp.
//
// The modes differ only when the product has a remainder. 0.2% of 12.50
// CNY is exactly 2.5 fen: HalfUp 3, HalfEven 2, Down 2, Up 3. 0.2% of
// 17.50 CNY is 3.5 fen: HalfUp 4, HalfEven 4, Down 3, Up 4. 0.38% of 10.01
// CNY is 3.8038 fen: HalfUp 4, HalfEven 4, Down 3, Up 4. 0.38% of 10,000.00
// CNY is exactly 3800 fen in every mode. (ExampleRounding runs these.)
type Rounding uint8

// Rounding modes.
const (
	HalfUp   Rounding = iota // round half away from zero (the default)
	HalfEven                 // round half to even (banker's rounding)
	Down                     // truncate towards zero
	Up                       // any remainder rounds away from zero
)

var roundingNames = [...]string{"half-up", "half-even", "down", "up"}

// String returns "half-up", "half-even", "down" or "up".
func (r Rounding) String() string { return enumName(roundingNames[:], uint8(r)) }

// Channel is how the payment reached the terminal.
type Channel uint8

// Channels. QR payments name the wallet.
const (
	ChannelUnknown     Channel = iota
	ChannelSwipe               // magnetic stripe
	ChannelChip                // contact chip (insert)
	ChannelContactless         // contactless card or phone (QuickPass)
	ChannelWeChatPay           // QR by WeChat Pay
	ChannelAlipay              // QR by Alipay
	ChannelUnionPayQR          // QR by UnionPay (Cloud QuickPass)
)

var channelNames = [...]string{"unknown", "swipe", "chip", "contactless", "wechat-pay", "alipay", "unionpay-qr"}

// String returns the name used in JSON schedules ("contactless").
func (c Channel) String() string { return enumName(channelNames[:], uint8(c)) }

// Funding is the kind of account behind a card.
type Funding uint8

// Funding sources.
const (
	FundingUnknown Funding = iota
	Debit
	Credit
	Prepaid
)

var fundingNames = [...]string{"unknown", "debit", "credit", "prepaid"}

// String returns "debit", "credit", "prepaid" or "unknown".
func (f Funding) String() string { return enumName(fundingNames[:], uint8(f)) }

// Scheme is the card network.
type Scheme uint8

// Schemes.
const (
	SchemeUnknown Scheme = iota
	UnionPay
	Visa
	Mastercard
	JCB
	Amex
	Discover
)

var schemeNames = [...]string{"unknown", "unionpay", "visa", "mastercard", "jcb", "amex", "discover"}

// String returns the scheme's JSON name ("unionpay").
func (s Scheme) String() string { return enumName(schemeNames[:], uint8(s)) }

// MerchantClass is the acquirer's pricing class of a merchant, following the
// Chinese classes (一般类, 餐娱类, 民生类, 优惠类, 公益类/减免类).
type MerchantClass uint8

// Merchant classes.
const (
	ClassUnspecified   MerchantClass = iota
	ClassGeneral                     // 一般类
	ClassCatering                    // 餐娱类: restaurants, entertainment
	ClassLivelihood                  // 民生类: supermarkets, utilities
	ClassPreferential                // 优惠类
	ClassPublicWelfare               // 公益类 / 减免类
)

var classNames = [...]string{"unspecified", "general", "catering", "livelihood", "preferential", "public-welfare"}

// String returns the class's JSON name ("general").
func (c MerchantClass) String() string { return enumName(classNames[:], uint8(c)) }

// Payout is when the merchant is paid for a transaction. The zero value is
// T1.
type Payout uint8

// Payout speeds.
const (
	T1 Payout = iota // next working day (the default)
	D1               // next calendar day
	T0               // same working day
	D0               // same calendar day, instant
)

// Settlement is the old name of [Payout].
//
// Deprecated: use Payout. "Settlement" is the end-of-batch reconciliation
// with the host (ISO 8583 0500/0510) in this module.
type Settlement = Payout

var payoutNames = [...]string{"T1", "D1", "T0", "D0"}

// String returns "T1", "D1", "T0" or "D0".
func (p Payout) String() string { return enumName(payoutNames[:], uint8(p)) }

// TransactionKind is the type of a transaction: a sale, a
// pre-authorisation, a balance inquiry ... The zero value is KindSale.
type TransactionKind uint8

// Transaction kinds. Refunds, voids and reversals are not priced: they
// return fees through [Schedule.Refund], [Schedule.Void] and
// [Schedule.Reverse].
const (
	KindSale           TransactionKind = iota // a purchase (the default)
	KindPreAuth                               // pre-authorisation: holds funds, moves none
	KindCompletion                            // pre-authorisation completion: moves the held funds
	KindBalanceInquiry                        // balance inquiry: no amount
	KindTransfer                              // fund transfer
	KindCashAdvance                           // cash withdrawal or advance
)

var kindNames = [...]string{"sale", "pre-auth", "completion", "balance-inquiry", "transfer", "cash-advance"}

// String returns the kind's JSON name ("pre-auth").
func (k TransactionKind) String() string { return enumName(kindNames[:], uint8(k)) }

// Region restricts a rule to domestic or cross-border transactions.
type Region uint8

// Regions.
const (
	AnyRegion   Region = iota
	Domestic           // card issued in the merchant's country
	CrossBorder        // foreign card
)

var regionNames = [...]string{"any", "domestic", "cross-border"}

// String returns "any", "domestic" or "cross-border".
func (r Region) String() string { return enumName(regionNames[:], uint8(r)) }

// Component is the part of a fee a breakdown line stands for.
type Component uint8

// Fee components. ComponentFee is the merchant discount of a rule that is
// not broken down; issuer, network, acquirer and agent are the
// Interchange++ parts.
const (
	ComponentFee       Component = iota // merchant fee, not broken down
	ComponentIssuer                     // interchange: issuer fee
	ComponentNetwork                    // scheme / network fee
	ComponentAcquirer                   // acquirer markup
	ComponentAgent                      // agent (reseller) share
	ComponentSurcharge                  // a surcharge such as instant payout
	ComponentMarkup                     // a cross-border or currency markup
)

var componentNames = [...]string{"fee", "issuer", "network", "acquirer", "agent", "surcharge", "markup"}

// String returns the component's JSON name ("issuer").
func (c Component) String() string { return enumName(componentNames[:], uint8(c)) }

// Kind is the old name of [Component].
//
// Deprecated: use Component. "Kind" is the type of a transaction
// ([TransactionKind]) in this module.
type Kind = Component

// Old names of the Component values.
//
// Deprecated: use ComponentFee, ComponentIssuer, ComponentNetwork,
// ComponentAcquirer, ComponentAgent and ComponentSurcharge.
const (
	KindFee       = ComponentFee
	KindIssuer    = ComponentIssuer
	KindNetwork   = ComponentNetwork
	KindAcquirer  = ComponentAcquirer
	KindAgent     = ComponentAgent
	KindSurcharge = ComponentSurcharge
)

func enumName(names []string, v uint8) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%d", v)
}

func enumParse(names []string, s string) (uint8, bool) {
	for i, n := range names {
		if n == s {
			return uint8(i), true
		}
	}
	return 0, false
}

// Set is a set of small enumerated values (transaction kinds, channels,
// funding sources, schemes, merchant classes, payout speeds). In a Match the empty set
// means "any".
type Set[E ~uint8] uint32

// SetOf returns the set holding es. Values of 32 and above are ignored.
func SetOf[E ~uint8](es ...E) Set[E] {
	var s Set[E]
	for _, e := range es {
		if e < 32 {
			s |= 1 << e
		}
	}
	return s
}

// Has reports whether e is in the set.
func (s Set[E]) Has(e E) bool { return e < 32 && s&(1<<e) != 0 }

// Useful channel sets.
var (
	CardChannels = SetOf(ChannelSwipe, ChannelChip, ChannelContactless)
	QRChannels   = SetOf(ChannelWeChatPay, ChannelAlipay, ChannelUnionPayQR)
)

// TimeOfDay is a local time of day in seconds after midnight, 0 to 86400
// (86400, "24:00", is only meaningful as the end of a Window).
type TimeOfDay int32

// Clock returns the TimeOfDay h:m:s.
func Clock(h, m, s int) TimeOfDay { return TimeOfDay(h*3600 + m*60 + s) }

// String writes "hh:mm" or "hh:mm:ss".
func (t TimeOfDay) String() string {
	if t < 0 || t > 86400 {
		return fmt.Sprintf("invalid(%d)", int32(t))
	}
	if t%60 != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", t/3600, t/60%60, t%60)
	}
	return fmt.Sprintf("%02d:%02d", t/3600, t/60%60)
}

// ParseTimeOfDay reads "hh:mm" or "hh:mm:ss", from "00:00" to "24:00".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	var h, m, sec int
	ok := false
	switch len(s) {
	case 5:
		ok = s[2] == ':' && two(s[0:2], &h) && two(s[3:5], &m)
	case 8:
		ok = s[2] == ':' && s[5] == ':' && two(s[0:2], &h) && two(s[3:5], &m) && two(s[6:8], &sec)
	}
	t := Clock(h, m, sec)
	if !ok || m > 59 || sec > 59 || t > 86400 {
		return 0, fmt.Errorf("%w: time of day %q (want hh:mm)", ErrInvalid, clip(s))
	}
	return t, nil
}

func two(s string, v *int) bool {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return false
	}
	*v = int(s[0]-'0')*10 + int(s[1]-'0')
	return true
}

// Window is a daily time window [From, To) in local time. From == To means
// the whole day; From > To wraps past midnight (22:00–06:00).
type Window struct {
	From, To TimeOfDay
}

// Contains reports whether t falls in the window.
func (w Window) Contains(t TimeOfDay) bool {
	switch {
	case w.From == w.To:
		return true
	case w.From < w.To:
		return t >= w.From && t < w.To
	default:
		return t >= w.From || t < w.To
	}
}

// Date is a calendar day encoded as yyyymmdd (20261121), so that dates
// order as integers.
type Date int32

// NewDate returns the Date y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date(y*10000 + int(m)*100 + d) }

// DateOf returns t's calendar day in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// String writes "yyyy-mm-dd".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
}

// MCCRange is an inclusive range of ISO 18245 merchant category codes; a
// single code has From == To.
type MCCRange struct {
	From, To uint16
}

// Transaction is the transaction to price. Amount is in minor units of
// its Currency.
type Transaction struct {
	Amount      int64
	Currency    Currency // zero: the schedule's currency
	Kind        TransactionKind
	Channel     Channel
	Funding     Funding
	Scheme      Scheme
	Class       MerchantClass
	MCC         uint16 // ISO 18245 merchant category code
	CrossBorder bool
	Payout      Payout
	Day         Date      // business day, for summaries, voids and volume tiers
	Time        TimeOfDay // local time of day, for time windows
	Terminal    string    // terminal ID (ISO 8583 field 41), for summaries by terminal
}

// Tx is the old name of [Transaction].
//
// Deprecated: use Transaction.
type Tx = Transaction

// SetTime sets Day and Time from t, in t's location. Convert t to the
// merchant's time zone first.
func (tx *Transaction) SetTime(t time.Time) {
	h, m, s := t.Clock()
	tx.Day = DateOf(t)
	tx.Time = Clock(h, m, s)
}
