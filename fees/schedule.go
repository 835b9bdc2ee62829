package fees

import (
	"fmt"
	"math"
	"math/bits"
)

// MaxLines is the most lines a Quote can hold: a rule's components plus its
// surcharges.
const MaxLines = 8

// Tier is one amount band of a tiered component: it prices transactions of
// at most UpTo minor units (inclusive) not taken by an earlier tier. The
// last tier has UpTo 0, meaning no upper bound. The whole amount is priced
// by the one tier it falls in (not marginally).
type Tier struct {
	UpTo int64
	Pricing
}

// Component is one part of a rule's fee, such as the issuer fee of an
// Interchange++ breakdown. With Tiers, the tier the amount falls in prices
// it and Pricing must be zero.
type Component struct {
	Name string // shown in the breakdown; defaults to the kind's name
	Kind Kind
	Pricing
	Tiers []Tier
}

// Match is the condition of a rule or a surcharge. Every non-zero field
// must hold; an empty set or zero bound means "any".
type Match struct {
	Channels   Set[Channel]
	Funding    Set[Funding]
	Schemes    Set[Scheme]
	Classes    Set[MerchantClass]
	Settlement Set[Settlement]
	MCCs       []MCCRange // any of the ranges
	Region     Region
	MinAmount  int64  // amount ≥ MinAmount
	MaxAmount  int64  // amount ≤ MaxAmount, when not zero
	Window     Window // local time of day
}

// Surcharge is a fee added on top of a rule's fee when its own condition
// holds, such as instant (D0/T0) settlement from 11 CNY between 00:00 and
// 23:00 (see InstantSettlement).
type Surcharge struct {
	Name string
	When Match
	Pricing
}

// Rule prices the transactions its condition matches. A simple rule sets
// Pricing (and optionally Tiers) directly: its fee is one line of KindFee.
// A broken-down rule lists Components instead (Interchange++), and then
// Pricing and Tiers must be zero. Surcharges stack on either.
type Rule struct {
	Name string
	When Match
	Pricing
	Tiers      []Tier
	Components []Component
	Surcharges []Surcharge
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
}

// Schedule is a validated, immutable fee schedule. It is safe for
// concurrent use; Quote does not allocate.
type Schedule struct {
	name     string
	currency Currency
	digits   int
	rules    []crule
	idx      *ruleIndex // nil when there are more than 64 rules
	policy   RefundPolicy
	config   Config // deep copy, for Config()
}

type cmatch struct {
	channels, funding, schemes, classes, settlement uint32 // all ones for "any"
	regions                                         uint8  // bit 0 domestic, bit 1 cross-border
	hasWindow                                       bool
	from, to                                        TimeOfDay
	minAmount, maxAmount                            int64
	mccs                                            []MCCRange
}

type ctier struct {
	upTo int64
	p    cpricing
}

type ccomp struct {
	name  string
	kind  Kind
	rate  Rate
	p     cpricing
	tiers []ctier
}

type csurcharge struct {
	m cmatch
	c ccomp
}

type crule struct {
	m     cmatch
	name  string
	comps []ccomp
	surch []csurcharge
}

// ValidationError reports a schedule field that is wrong. Rule is the
// rule's index (-1 for the schedule itself) and Field its path inside the
// rule in the JSON spelling ("components[1].cap"). It matches ErrInvalid
// and the cause (ErrRate, ErrAmount ...) with errors.Is.
type ValidationError struct {
	Rule     int
	RuleName string
	Field    string
	Err      error
}

// Error names the rule (index and name) and the field.
func (e *ValidationError) Error() string {
	if e.Rule < 0 {
		return fmt.Sprintf("fees: schedule field %s: %v", e.Field, e.Err)
	}
	return fmt.Sprintf("fees: rule %d (%q) field %s: %v", e.Rule, clip(e.RuleName), e.Field, e.Err)
}

// Unwrap returns ErrInvalid and the cause.
func (e *ValidationError) Unwrap() []error { return []error{ErrInvalid, e.Err} }

// New validates c and returns the schedule. Errors are *ValidationError.
func New(c Config) (*Schedule, error) {
	s := &Schedule{name: c.Name, currency: c.Currency, config: copyConfig(c)}
	d, ok := c.Currency.MinorUnits()
	if !ok {
		return nil, &ValidationError{Rule: -1, Field: "currency", Err: fmt.Errorf("%w: %q has no minor unit or is unknown", ErrCurrency, c.Currency.Alpha())}
	}
	s.digits = d
	var err error
	if s.policy, err = checkPolicy(c.Refunds); err != nil {
		return nil, err
	}
	if len(c.Rules) == 0 {
		return nil, &ValidationError{Rule: -1, Field: "rules", Err: fmt.Errorf("%w: no rules", ErrInvalid)}
	}
	s.rules = make([]crule, len(c.Rules))
	for i := range c.Rules {
		r := &c.Rules[i]
		cr, field, err := compileRule(r)
		if err != nil {
			return nil, &ValidationError{Rule: i, RuleName: r.Name, Field: field, Err: err}
		}
		s.rules[i] = cr
	}
	s.idx = buildRuleIndex(s.rules)
	return s, nil
}

// ruleIndex holds, for each value of each enumerated field, the bit set of
// rules (bit i = rule i) whose condition admits it, so that Quote narrows
// the candidates with a few ANDs before checking amounts, windows and MCCs.
type ruleIndex struct {
	channel, funding, scheme, class, settlement [32]uint64
	region                                      [2]uint64 // domestic, cross-border
}

func buildRuleIndex(rules []crule) *ruleIndex {
	if len(rules) > 64 {
		return nil
	}
	x := new(ruleIndex)
	for i := range rules {
		m, bit := &rules[i].m, uint64(1)<<i
		for v := 0; v < 32; v++ {
			if m.channels&(1<<v) != 0 {
				x.channel[v] |= bit
			}
			if m.funding&(1<<v) != 0 {
				x.funding[v] |= bit
			}
			if m.schemes&(1<<v) != 0 {
				x.scheme[v] |= bit
			}
			if m.classes&(1<<v) != 0 {
				x.class[v] |= bit
			}
			if m.settlement&(1<<v) != 0 {
				x.settlement[v] |= bit
			}
		}
		for v := 0; v < 2; v++ {
			if m.regions&(1<<v) != 0 {
				x.region[v] |= bit
			}
		}
	}
	return x
}

func checkPolicy(p RefundPolicy) (RefundPolicy, error) {
	bad := func(field string, f FeeReturn) error {
		return &ValidationError{Rule: -1, Field: "refunds." + field, Err: fmt.Errorf("%w: %s is not allowed here", ErrInvalid, f)}
	}
	switch p.Refund {
	case FeeDefault:
		p.Refund = FeeProportional
	case FeeKept, FeeProportional:
	default:
		return p, bad("refund", p.Refund)
	}
	switch p.Void {
	case FeeDefault:
		p.Void = FeeFull
	case FeeKept, FeeFull:
	default:
		return p, bad("void", p.Void)
	}
	switch p.Reversal {
	case FeeDefault:
		p.Reversal = FeeFull
	case FeeKept, FeeFull:
	default:
		return p, bad("reversal", p.Reversal)
	}
	return p, nil
}

func isZeroPricing(p Pricing) bool { return p == Pricing{} }

func compileRule(r *Rule) (crule, string, error) {
	cr := crule{name: r.Name}
	var err error
	var field string
	if cr.m, field, err = compileMatch(&r.When); err != nil {
		return cr, "when." + field, err
	}
	if len(r.Components) == 0 {
		c := Component{Name: r.Name, Kind: KindFee, Pricing: r.Pricing, Tiers: r.Tiers}
		if c.Name == "" {
			c.Name = KindFee.String()
		}
		cc, field, err := compileComponent(&c)
		if err != nil {
			return cr, field, err
		}
		cr.comps = []ccomp{cc}
	} else {
		if !isZeroPricing(r.Pricing) || len(r.Tiers) > 0 {
			return cr, "rate", fmt.Errorf("%w: a rule with components prices through them only", ErrInvalid)
		}
		cr.comps = make([]ccomp, len(r.Components))
		for j := range r.Components {
			cc, field, err := compileComponent(&r.Components[j])
			if err != nil {
				return cr, fmt.Sprintf("components[%d].%s", j, field), err
			}
			cr.comps[j] = cc
		}
	}
	if n := len(cr.comps) + len(r.Surcharges); n > MaxLines {
		return cr, "surcharges", fmt.Errorf("%w: %d components and surcharges, at most %d", ErrInvalid, n, MaxLines)
	}
	cr.surch = make([]csurcharge, len(r.Surcharges))
	for j := range r.Surcharges {
		sc := &r.Surcharges[j]
		m, field, err := compileMatch(&sc.When)
		if err != nil {
			return cr, fmt.Sprintf("surcharges[%d].when.%s", j, field), err
		}
		c := Component{Name: sc.Name, Kind: KindSurcharge, Pricing: sc.Pricing}
		if c.Name == "" {
			c.Name = KindSurcharge.String()
		}
		cc, field, err := compileComponent(&c)
		if err != nil {
			return cr, fmt.Sprintf("surcharges[%d].%s", j, field), err
		}
		cr.surch[j] = csurcharge{m: m, c: cc}
	}
	return cr, "", nil
}

func compileComponent(c *Component) (ccomp, string, error) {
	if c.Kind > KindSurcharge {
		return ccomp{}, "kind", fmt.Errorf("%w: unknown kind %d", ErrInvalid, c.Kind)
	}
	cc := ccomp{name: c.Name, kind: c.Kind, rate: c.Rate}
	if cc.name == "" {
		cc.name = c.Kind.String()
	}
	if len(c.Tiers) == 0 {
		p, field, err := c.Pricing.check()
		cc.p = p
		return cc, field, err
	}
	if !isZeroPricing(c.Pricing) {
		return cc, "rate", fmt.Errorf("%w: a tiered component prices through its tiers only", ErrInvalid)
	}
	cc.tiers = make([]ctier, len(c.Tiers))
	prev := int64(-1)
	for i, t := range c.Tiers {
		last := i == len(c.Tiers)-1
		up := t.UpTo
		switch {
		case last && up != 0:
			return cc, fmt.Sprintf("tiers[%d].up_to", i), fmt.Errorf("%w: the last tier must be unbounded (up_to 0)", ErrInvalid)
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

func compileMatch(m *Match) (cmatch, string, error) {
	all := func(s uint32) uint32 {
		if s == 0 {
			return math.MaxUint32
		}
		return s
	}
	c := cmatch{
		channels:   all(uint32(m.Channels)),
		funding:    all(uint32(m.Funding)),
		schemes:    all(uint32(m.Schemes)),
		classes:    all(uint32(m.Classes)),
		settlement: all(uint32(m.Settlement)),
		minAmount:  m.MinAmount,
		maxAmount:  m.MaxAmount,
		from:       m.Window.From,
		to:         m.Window.To,
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
		return c, "min_amount", fmt.Errorf("%w: negative", ErrAmount)
	case m.MaxAmount < 0:
		return c, "max_amount", fmt.Errorf("%w: negative", ErrAmount)
	case c.maxAmount < c.minAmount:
		return c, "max_amount", fmt.Errorf("%w: below min_amount", ErrAmount)
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

func (m *cmatch) match(tx *Tx) bool {
	if m.channels&(1<<tx.Channel) == 0 || m.funding&(1<<tx.Funding) == 0 ||
		m.schemes&(1<<tx.Scheme) == 0 || m.classes&(1<<tx.Class) == 0 ||
		m.settlement&(1<<tx.Settlement) == 0 {
		return false
	}
	region := uint8(1)
	if tx.CrossBorder {
		region = 2
	}
	if m.regions&region == 0 {
		return false
	}
	return m.matchRest(tx)
}

// matchRest checks the conditions the rule index does not cover.
func (m *cmatch) matchRest(tx *Tx) bool {
	if tx.Amount < m.minAmount || tx.Amount > m.maxAmount {
		return false
	}
	if m.hasWindow {
		t := tx.Time
		if m.from < m.to {
			if t < m.from || t >= m.to {
				return false
			}
		} else if t < m.from && t >= m.to {
			return false
		}
	}
	if m.mccs != nil {
		for _, r := range m.mccs {
			if tx.MCC >= r.From && tx.MCC <= r.To {
				return true
			}
		}
		return false
	}
	return true
}

// Line is one line of a fee breakdown.
type Line struct {
	Fee     int64  // minor units
	Rate    Rate   // the rate applied (of the tier, if tiered)
	Name    string // component or surcharge name
	Kind    Kind
	Capped  bool // the cap lowered this line
	Floored bool // the minimum raised this line
}

// Quote is the price of one transaction: Fee is the sum of the breakdown
// lines, exactly, and Net = Amount - Fee. It is a plain value; Breakdown
// returns its lines.
type Quote struct {
	Amount   int64
	Fee      int64
	Net      int64
	Rule     int    // index of the rule that priced the transaction
	RuleName string // its name
	N        int    // number of lines used in Lines
	Lines    [MaxLines]Line
}

// Breakdown returns the lines of the quote (a slice of q.Lines).
func (q *Quote) Breakdown() []Line { return q.Lines[:q.N] }

// Quote prices tx with the first rule that matches it; it never
// allocates. Errors wrap ErrTx (a malformed transaction),
// ErrCurrency (tx.Currency differs from the schedule's), ErrNoRule or
// ErrOverflow.
func (s *Schedule) Quote(tx Tx) (q Quote, err error) {
	// q is the named result, filled in place: a Quote is a few hundred
	// bytes and copying it is a large part of the cost of a quote.
	if err := s.checkTx(&tx); err != nil {
		return q, err
	}
	if x := s.idx; x != nil {
		cr := 0
		if tx.CrossBorder {
			cr = 1
		}
		cand := x.channel[tx.Channel&31] & x.funding[tx.Funding&31] & x.scheme[tx.Scheme&31] &
			x.class[tx.Class&31] & x.settlement[tx.Settlement&31] & x.region[cr]
		for cand != 0 {
			i := bits.TrailingZeros64(cand)
			cand &= cand - 1
			if r := &s.rules[i]; r.m.matchRest(&tx) {
				if !price(&q, r, i, &tx) {
					return Quote{}, ErrOverflow
				}
				return
			}
		}
		return q, ErrNoRule
	}
	for i := range s.rules {
		if r := &s.rules[i]; r.m.match(&tx) {
			if !price(&q, r, i, &tx) {
				return Quote{}, ErrOverflow
			}
			return
		}
	}
	return q, ErrNoRule
}

// price fills q from rule r; it returns false on int64 overflow.
func price(q *Quote, r *crule, i int, tx *Tx) bool {
	q.Amount, q.Rule, q.RuleName = tx.Amount, i, r.name
	var total int64
	for j := range r.comps {
		if !addLine(q, &r.comps[j], tx.Amount, &total) {
			return false
		}
	}
	for j := range r.surch {
		sc := &r.surch[j]
		if sc.m.match(tx) && !addLine(q, &sc.c, tx.Amount, &total) {
			return false
		}
	}
	q.Fee = total
	q.Net = tx.Amount - total
	return true
}

func addLine(q *Quote, c *ccomp, amount int64, total *int64) bool {
	p, rate := &c.p, c.rate
	if c.tiers != nil {
		for k := range c.tiers {
			if amount <= c.tiers[k].upTo {
				p, rate = &c.tiers[k].p, Rate(c.tiers[k].p.rate)
				break
			}
		}
	}
	f, flags, ok := feeOf(amount, p.rate, p.fixed, p.min, p.cap, p.mode)
	if !ok || f > math.MaxInt64-*total || q.N >= MaxLines {
		return false
	}
	*total += f
	// Field by field: a composite literal would be built and copied.
	l := &q.Lines[q.N]
	l.Fee = f
	l.Rate = rate
	l.Name = c.name
	l.Kind = c.kind
	l.Capped = flags&flagCapped != 0
	l.Floored = flags&flagFloored != 0
	q.N++
	return true
}

func (s *Schedule) checkTx(tx *Tx) error {
	if tx.Amount < 0 {
		return errNegativeAmount
	}
	if tx.Currency.p != nil && tx.Currency != s.currency {
		return errCurrencyMismatch
	}
	if tx.Channel|tx.Funding.asChannel()|tx.Scheme.asChannel()|tx.Class.asChannel()|tx.Settlement.asChannel() >= 32 ||
		tx.Time < 0 || tx.Time > 86400 {
		return errTxField
	}
	return nil
}

// Preallocated errors keep the hot path free of allocations.
var (
	errNegativeAmount   = fmt.Errorf("%w: negative amount", ErrTx)
	errCurrencyMismatch = fmt.Errorf("%w: transaction currency differs from the schedule's", ErrCurrency)
	errTxField          = fmt.Errorf("%w: enumerated field or time of day out of range", ErrTx)
)

func (f Funding) asChannel() Channel       { return Channel(f) }
func (s Scheme) asChannel() Channel        { return Channel(s) }
func (c MerchantClass) asChannel() Channel { return Channel(c) }
func (s Settlement) asChannel() Channel    { return Channel(s) }

// Name returns the schedule's name.
func (s *Schedule) Name() string { return s.name }

// Currency returns the schedule's currency.
func (s *Schedule) Currency() Currency { return s.currency }

// Refunds returns the refund policy with defaults filled in.
func (s *Schedule) Refunds() RefundPolicy { return s.policy }

// Config returns a deep copy of the configuration the schedule was built
// from; changing it does not change the schedule.
func (s *Schedule) Config() Config { return copyConfig(s.config) }

func copyConfig(c Config) Config {
	out := c
	out.Rules = make([]Rule, len(c.Rules))
	for i, r := range c.Rules {
		r.When.MCCs = append([]MCCRange(nil), r.When.MCCs...)
		r.Tiers = append([]Tier(nil), r.Tiers...)
		comps := make([]Component, len(r.Components))
		for j, cp := range r.Components {
			cp.Tiers = append([]Tier(nil), cp.Tiers...)
			comps[j] = cp
		}
		if r.Components == nil {
			comps = nil
		}
		r.Components = comps
		sur := make([]Surcharge, len(r.Surcharges))
		for j, sc := range r.Surcharges {
			sc.When.MCCs = append([]MCCRange(nil), sc.When.MCCs...)
			sur[j] = sc
		}
		if r.Surcharges == nil {
			sur = nil
		}
		r.Surcharges = sur
		out.Rules[i] = r
	}
	return out
}
