package fees

import (
	"fmt"
	"math"
	"strings"

	"github.com/poskit/poskit/internal/iso4217"
)

// MaxLines is the most lines a Quote can hold: a rule's parts plus its
// surcharges.
const MaxLines = 8

// Tier is one band of a tiered part: it prices transactions whose basis
// (see [TierBasis]) is at most UpTo minor units (inclusive) and not taken
// by an earlier tier. Tiers rise strictly; only the last one is open, with
// UpTo 0 meaning no upper bound. The whole amount is priced by the one tier
// its basis falls in (not marginally).
type Tier struct {
	UpTo int64
	Pricing
}

// TierBasis says what picks the tier of a tiered part.
type TierBasis uint8

// Tier bases. The volume bases need the merchant's [Usage]: quote with
// [Schedule.QuoteUsage].
const (
	ByAmount      TierBasis = iota // the transaction's amount (the default)
	ByDayVolume                    // the merchant's volume of the business day before this transaction
	ByMonthVolume                  // the merchant's volume of the calendar month before this transaction
)

var tierBasisNames = [...]string{"amount", "day-volume", "month-volume"}

// String returns "amount", "day-volume" or "month-volume".
func (b TierBasis) String() string { return enumName(tierBasisNames[:], uint8(b)) }

// Part is one part of a rule's fee, such as the issuer fee of an
// Interchange++ breakdown. With Tiers, the tier its basis falls in prices
// it and Pricing must be zero.
type Part struct {
	Name      string // shown in the breakdown; defaults to the component's name
	Component Component
	Pricing
	Tiers  []Tier
	TierBy TierBasis
}

// Match is the condition of a rule or a surcharge. Every non-zero field
// must hold; an empty set or zero bound means "any".
type Match struct {
	Kinds     Set[TransactionKind]
	Channels  Set[Channel]
	Funding   Set[Funding]
	Schemes   Set[Scheme]
	Classes   Set[MerchantClass]
	Payout    Set[Payout]
	MCCs      []MCCRange // any of the ranges
	Region    Region
	MinAmount int64    // amount ≥ MinAmount
	MaxAmount int64    // amount ≤ MaxAmount, when not zero
	Window    Window   // local time of day
	Currency  Currency // the transaction's currency; zero: the schedule's
}

// Surcharge is a fee added on top of a rule's fee when its own condition
// holds, such as instant (D0/T0) payout from 11 CNY between 00:00 and
// 23:00 (see [InstantPayout]) or a cross-border markup (see
// [CrossBorderMarkup]). It applies to whatever its rule matches and its
// own When admits; a surcharge that can never apply on its rule is a
// validation error. Its Currency must be zero (the rule's).
type Surcharge struct {
	Name      string
	Component Component // zero: ComponentSurcharge
	When      Match
	Pricing
}

// Rule prices the transactions its condition matches. A simple rule sets
// Pricing (and optionally Tiers) directly: its fee is one line of
// ComponentFee. A broken-down rule lists Parts instead (Interchange++),
// and then Pricing and Tiers must be zero. Surcharges stack on either.
//
// The fee of a rule is never above the transaction's amount: when the lines
// add up to more (a minimum or fixed fee on a small amount, or any fee on a
// 0.00 sale), the excess comes off the lines from the last one back, each
// such line marked Capped. A rule with FeeAboveAmount charges its lines in
// full instead, as for a balance inquiry at a fixed fee, and the net is
// then negative.
type Rule struct {
	Name string
	When Match
	Pricing
	Tiers          []Tier
	TierBy         TierBasis
	Parts          []Part
	Surcharges     []Surcharge
	Refunds        RefundPolicy // zero fields: the schedule's
	FeeAboveAmount bool
}

// RefundPolicy says what happens to the fee when a sale is refunded,
// voided or reversed. Zero fields take the defaults: Refund FeeProportional,
// Void FeeFull, Reversal FeeFull.
type RefundPolicy struct {
	Refund   FeeReturn // FeeKept or FeeProportional
	Void     FeeReturn // FeeKept or FeeFull (same-day void)
	Reversal FeeReturn // FeeKept or FeeFull
}

// FeeReturn is how much of the fee goes back to the merchant.
type FeeReturn uint8

// Fee return policies.
const (
	FeeDefault      FeeReturn = iota // the field's default
	FeeKept                          // the acquirer keeps the fee
	FeeProportional                  // returned in proportion to the amount refunded
	FeeFull                          // returned in full
)

var feeReturnNames = [...]string{"default", "kept", "proportional", "full"}

// String returns "kept", "proportional", "full" or "default".
func (f FeeReturn) String() string { return enumName(feeReturnNames[:], uint8(f)) }

// Config describes a schedule. New validates it and returns the immutable
// Schedule.
type Config struct {
	Name     string
	Currency Currency
	Rules    []Rule // in order: the first matching rule prices
	Refunds  RefundPolicy
	// DailyCap, when not zero, is the most a merchant pays in fees in one
	// business day in Currency, over the transactions quoted with
	// [Schedule.QuoteUsage].
	DailyCap int64
}

// Schedule is a validated, immutable fee schedule. It is safe for
// concurrent use; Quote does not allocate.
type Schedule struct {
	name       string
	currency   Currency
	digits     int
	rules      []crule
	currencies []*iso4217.Info // the currencies some rule prices
	idx        *ruleIndex      // nil when there are more than 64 rules
	policy     RefundPolicy
	dailyCap   int64
	config     Config // deep copy, for Config()
}

type cmatch struct {
	kinds, channels, funding, schemes, classes, payout uint32 // all ones for "any"
	regions                                            uint8  // bit 0 domestic, bit 1 cross-border
	hasWindow                                          bool
	from, to                                           TimeOfDay
	minAmount, maxAmount                               int64
	mccs                                               []MCCRange
	currency                                           *iso4217.Info
}

type ctier struct {
	upTo int64
	p    cpricing
}

type cpart struct {
	name      string
	component Component
	rate      Rate
	basis     TierBasis
	p         cpricing
	tiers     []ctier
}

type csurcharge struct {
	m cmatch
	c cpart
}

type crule struct {
	m          cmatch
	name       string
	parts      []cpart
	surch      []csurcharge
	policy     RefundPolicy // the rule's own; zero fields: the schedule's
	aboveOK    bool
	needsUsage bool // a part is tiered by volume
}

// ValidationError reports a schedule field that is wrong. Rule is the
// rule's index (-1 for the schedule itself) and Field its path inside the
// rule in the JSON spelling ("parts[1].cap"). It matches ErrInvalid and
// the cause (ErrRate, ErrAmount ...) with errors.Is.
type ValidationError struct {
	Rule     int
	RuleName string
	Field    string
	Err      error
}

// Error reads "fees: invalid schedule: rule 1 ("debit") field cap: invalid
// amount: negative cap": the package prefix once, then the place, then the
// cause.
func (e *ValidationError) Error() string {
	cause := "invalid"
	if e.Err != nil {
		cause = strings.TrimPrefix(e.Err.Error(), "fees: ")
		cause = strings.TrimPrefix(cause, "invalid schedule: ")
	}
	if e.Rule < 0 {
		return fmt.Sprintf("fees: invalid schedule: field %s: %s", e.Field, cause)
	}
	return fmt.Sprintf("fees: invalid schedule: rule %d (%q) field %s: %s", e.Rule, clip(e.RuleName), e.Field, cause)
}

// Unwrap returns ErrInvalid and the cause (the cause alone when it wraps
// ErrInvalid itself).
func (e *ValidationError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalid}
	}
	if u, ok := e.Err.(interface{ Unwrap() error }); (ok && u.Unwrap() == ErrInvalid) || e.Err == ErrInvalid {
		return []error{e.Err}
	}
	return []error{ErrInvalid, e.Err}
}

// New validates c and returns the schedule. Errors are *ValidationError.
func New(c Config) (*Schedule, error) {
	s := &Schedule{name: c.Name, currency: c.Currency, config: copyConfig(c)}
	d, ok := c.Currency.MinorUnits()
	if !ok {
		return nil, &ValidationError{Rule: -1, Field: "currency", Err: fmt.Errorf("%w: %q has no minor unit or is unknown", ErrCurrency, c.Currency.Alpha())}
	}
	s.digits = d
	var bad string
	if s.policy, bad = checkPolicy(RefundPolicy{}, c.Refunds); bad != "" {
		return nil, &ValidationError{Rule: -1, Field: "refunds." + bad, Err: errPolicy}
	}
	if c.DailyCap < 0 {
		return nil, &ValidationError{Rule: -1, Field: "daily_cap", Err: fmt.Errorf("%w: negative daily cap", ErrAmount)}
	}
	s.dailyCap = c.DailyCap
	if len(c.Rules) == 0 {
		return nil, &ValidationError{Rule: -1, Field: "rules", Err: fmt.Errorf("%w: no rules", ErrInvalid)}
	}
	s.rules = make([]crule, len(c.Rules))
	for i := range c.Rules {
		r := &c.Rules[i]
		cr, field, err := compileRule(r, c.Currency, s.policy)
		if err != nil {
			return nil, &ValidationError{Rule: i, RuleName: r.Name, Field: field, Err: err}
		}
		s.rules[i] = cr
		if !hasInfo(s.currencies, cr.m.currency) {
			s.currencies = append(s.currencies, cr.m.currency)
		}
	}
	s.idx = buildRuleIndex(s.rules)
	return s, nil
}

func hasInfo(l []*iso4217.Info, p *iso4217.Info) bool {
	for _, q := range l {
		if q == p {
			return true
		}
	}
	return false
}

var errPolicy = fmt.Errorf("%w: fee return not allowed for this field (refund: kept or proportional; void, reversal: kept or full)", ErrInvalid)

// checkPolicy fills p's default fields from def (or the package defaults)
// and checks them; bad is the name of a wrong field.
func checkPolicy(def, p RefundPolicy) (_ RefundPolicy, bad string) {
	if def == (RefundPolicy{}) {
		def = RefundPolicy{Refund: FeeProportional, Void: FeeFull, Reversal: FeeFull}
	}
	for _, f := range []struct {
		name      string
		v         *FeeReturn
		def       FeeReturn
		allowProp bool
	}{{"refund", &p.Refund, def.Refund, true}, {"void", &p.Void, def.Void, false}, {"reversal", &p.Reversal, def.Reversal, false}} {
		switch *f.v {
		case FeeDefault:
			*f.v = f.def
		case FeeKept:
		case FeeProportional:
			if !f.allowProp {
				return p, f.name
			}
		case FeeFull:
			if f.allowProp {
				return p, f.name
			}
		default:
			return p, f.name
		}
	}
	return p, ""
}

func isZeroPricing(p Pricing) bool { return p == Pricing{} }

func compileRule(r *Rule, cur Currency, def RefundPolicy) (crule, string, error) {
	cr := crule{name: r.Name, aboveOK: r.FeeAboveAmount}
	var err error
	var field string
	if cr.m, field, err = compileMatch(&r.When, cur); err != nil {
		return cr, "when." + field, err
	}
	if _, bad := checkPolicy(def, r.Refunds); bad != "" {
		return cr, "refunds." + bad, errPolicy
	}
	cr.policy = r.Refunds
	if len(r.Parts) == 0 {
		c := Part{Name: r.Name, Component: ComponentFee, Pricing: r.Pricing, Tiers: r.Tiers, TierBy: r.TierBy}
		cc, field, err := compilePart(&c)
		if err != nil {
			return cr, field, err
		}
		cr.parts = []cpart{cc}
	} else {
		if !isZeroPricing(r.Pricing) || len(r.Tiers) > 0 || r.TierBy != ByAmount {
			return cr, "rate", fmt.Errorf("%w: a rule with parts prices through them only", ErrInvalid)
		}
		cr.parts = make([]cpart, len(r.Parts))
		for j := range r.Parts {
			cc, field, err := compilePart(&r.Parts[j])
			if err != nil {
				return cr, fmt.Sprintf("parts[%d].%s", j, field), err
			}
			cr.parts[j] = cc
		}
	}
	for _, p := range cr.parts {
		cr.needsUsage = cr.needsUsage || p.basis != ByAmount
	}
	if cr.needsUsage && cr.m.currency != cur.p {
		return cr, "tier_by", fmt.Errorf("%w: volume tiers count the schedule's currency only", ErrInvalid)
	}
	if n := len(cr.parts) + len(r.Surcharges); n > MaxLines {
		return cr, "surcharges", fmt.Errorf("%w: %d parts and surcharges, at most %d", ErrInvalid, n, MaxLines)
	}
	cr.surch = make([]csurcharge, len(r.Surcharges))
	for j := range r.Surcharges {
		sc, field, err := compileSurcharge(&r.Surcharges[j], &cr.m, cur)
		if err != nil {
			return cr, fmt.Sprintf("surcharges[%d].%s", j, field), err
		}
		cr.surch[j] = sc
	}
	return cr, "", nil
}

func compileSurcharge(sc *Surcharge, rule *cmatch, cur Currency) (csurcharge, string, error) {
	if sc.When.Currency.Valid() {
		return csurcharge{}, "when.currency", fmt.Errorf("%w: a surcharge takes its rule's currency", ErrInvalid)
	}
	m, field, err := compileMatch(&sc.When, cur)
	if err != nil {
		return csurcharge{}, "when." + field, err
	}
	m.currency = rule.currency
	if f := disjoint(rule, &m); f != "" {
		return csurcharge{}, "when." + f, fmt.Errorf("%w: the surcharge can never apply on its rule", ErrInvalid)
	}
	comp := sc.Component
	if comp == ComponentFee {
		comp = ComponentSurcharge
	}
	c := Part{Name: sc.Name, Component: comp, Pricing: sc.Pricing}
	cc, field, err := compilePart(&c)
	if err != nil {
		return csurcharge{}, field, err
	}
	return csurcharge{m: m, c: cc}, "", nil
}

// disjoint returns the JSON name of a condition that no transaction the
// rule matches can meet in the surcharge's, or "".
func disjoint(r, s *cmatch) string {
	switch {
	case r.kinds&s.kinds == 0:
		return "kinds"
	case r.channels&s.channels == 0:
		return "channels"
	case r.funding&s.funding == 0:
		return "funding"
	case r.schemes&s.schemes == 0:
		return "schemes"
	case r.classes&s.classes == 0:
		return "classes"
	case r.payout&s.payout == 0:
		return "payout"
	case r.regions&s.regions == 0:
		return "region"
	case s.minAmount > r.maxAmount:
		return "min_amount"
	case s.maxAmount < r.minAmount:
		return "max_amount"
	}
	return ""
}

func compilePart(c *Part) (cpart, string, error) {
	if c.Component > ComponentMarkup {
		return cpart{}, "component", fmt.Errorf("%w: unknown component %d", ErrInvalid, c.Component)
	}
	if c.TierBy > ByMonthVolume {
		return cpart{}, "tier_by", fmt.Errorf("%w: unknown tier basis %d", ErrInvalid, c.TierBy)
	}
	cc := cpart{name: c.Name, component: c.Component, rate: c.Rate, basis: c.TierBy}
	if cc.name == "" {
		cc.name = c.Component.String()
	}
	if len(c.Tiers) == 0 {
		if c.TierBy != ByAmount {
			return cc, "tier_by", fmt.Errorf("%w: a tier basis without tiers", ErrInvalid)
		}
		p, field, err := c.Pricing.check()
		cc.p = p
		return cc, field, err
	}
	if !isZeroPricing(c.Pricing) {
		return cc, "rate", fmt.Errorf("%w: a tiered part prices through its tiers only", ErrInvalid)
	}
	cc.tiers = make([]ctier, len(c.Tiers))
	prev := int64(0)
	for i, t := range c.Tiers {
		last := i == len(c.Tiers)-1
		up := t.UpTo
		switch {
		case last && up != 0:
			return cc, fmt.Sprintf("tiers[%d].up_to", i), fmt.Errorf("%w: the last tier must be open (no up_to)", ErrInvalid)
		case !last && up == 0:
			return cc, fmt.Sprintf("tiers[%d].up_to", i), fmt.Errorf("%w: only the last tier may be open", ErrInvalid)
		case !last && up <= prev:
			return cc, fmt.Sprintf("tiers[%d].up_to", i), fmt.Errorf("%w: tiers must rise strictly and be positive", ErrInvalid)
		}
		if last {
			up = math.MaxInt64
		}
		p, field, err := t.Pricing.check()
		if err != nil {
			return cc, fmt.Sprintf("tiers[%d].%s", i, field), err
		}
		cc.tiers[i] = ctier{upTo: up, p: p}
		prev = up
	}
	return cc, "", nil
}

func compileMatch(m *Match, cur Currency) (cmatch, string, error) {
	all := func(s uint32) uint32 {
		if s == 0 {
			return math.MaxUint32
		}
		return s
	}
	c := cmatch{
		kinds:     all(uint32(m.Kinds)),
		channels:  all(uint32(m.Channels)),
		funding:   all(uint32(m.Funding)),
		schemes:   all(uint32(m.Schemes)),
		classes:   all(uint32(m.Classes)),
		payout:    all(uint32(m.Payout)),
		minAmount: m.MinAmount,
		maxAmount: m.MaxAmount,
		from:      m.Window.From,
		to:        m.Window.To,
		currency:  cur.p,
	}
	if m.Currency.Valid() {
		if _, ok := m.Currency.MinorUnits(); !ok {
			return c, "currency", fmt.Errorf("%w: %s has no minor unit", ErrCurrency, m.Currency)
		}
		c.currency = m.Currency.p
	}
	switch m.Region {
	case AnyRegion:
		c.regions = 3
	case Domestic:
		c.regions = 1
	case CrossBorder:
		c.regions = 2
	default:
		return c, "region", fmt.Errorf("%w: unknown region %d", ErrInvalid, m.Region)
	}
	if c.maxAmount == 0 {
		c.maxAmount = math.MaxInt64
	}
	switch {
	case m.MinAmount < 0:
		return c, "min_amount", fmt.Errorf("%w: negative min_amount", ErrAmount)
	case m.MaxAmount < 0:
		return c, "max_amount", fmt.Errorf("%w: negative max_amount", ErrAmount)
	case c.maxAmount < c.minAmount:
		return c, "max_amount", fmt.Errorf("%w: max_amount below min_amount", ErrAmount)
	case m.Window.From < 0 || m.Window.From >= 86400:
		return c, "window.from", fmt.Errorf("%w: time of day out of range", ErrInvalid)
	case m.Window.To < 0 || m.Window.To > 86400:
		return c, "window.to", fmt.Errorf("%w: time of day out of range", ErrInvalid)
	}
	c.hasWindow = m.Window.From != m.Window.To
	if len(m.MCCs) > 0 {
		c.mccs = make([]MCCRange, len(m.MCCs))
		for i, r := range m.MCCs {
			if r.From > r.To || r.To > 9999 {
				return c, fmt.Sprintf("mcc[%d]", i), fmt.Errorf("%w: bad MCC range %04d-%04d", ErrInvalid, r.From, r.To)
			}
			c.mccs[i] = r
		}
	}
	return c, "", nil
}

// Name returns the schedule's name.
func (s *Schedule) Name() string { return s.name }

// Currency returns the schedule's currency.
func (s *Schedule) Currency() Currency { return s.currency }

// Refunds returns the schedule's refund policy with defaults filled in.
func (s *Schedule) Refunds() RefundPolicy { return s.policy }

// Config returns a deep copy of the configuration the schedule was built
// from; changing it does not change the schedule.
func (s *Schedule) Config() Config { return copyConfig(s.config) }

func copyConfig(c Config) Config {
	out := c
	if c.Rules == nil {
		return out
	}
	out.Rules = make([]Rule, len(c.Rules))
	for i, r := range c.Rules {
		r.When.MCCs = cloneSlice(r.When.MCCs)
		r.Tiers = cloneSlice(r.Tiers)
		r.Parts = cloneSlice(r.Parts)
		for j := range r.Parts {
			r.Parts[j].Tiers = cloneSlice(r.Parts[j].Tiers)
		}
		r.Surcharges = cloneSlice(r.Surcharges)
		for j := range r.Surcharges {
			r.Surcharges[j].When.MCCs = cloneSlice(r.Surcharges[j].When.MCCs)
		}
		out.Rules[i] = r
	}
	return out
}

// cloneSlice copies s, keeping nil as nil.
func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
