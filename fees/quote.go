package fees

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/poskit/poskit/internal/iso4217"
)

// Line is one line of a fee breakdown.
type Line struct {
	Fee       int64  // minor units
	Rate      Rate   // the rate applied (of the tier, if tiered)
	Name      string // part or surcharge name
	Component Component
	Capped    bool // a cap, the amount or the daily cap lowered this line
	Floored   bool // the minimum raised this line
}

// Quote is the price of one transaction: Fee is the sum of the breakdown
// lines, exactly, and Net = Amount - Fee. It is a plain value; Breakdown
// returns its lines.
type Quote struct {
	Amount   int64
	Fee      int64
	Net      int64
	Rule     int          // index of the rule that priced the transaction
	RuleName string       // its name
	Refunds  RefundPolicy // the rule's own refund policy; zero fields: the schedule's
	N        int          // number of lines used in Lines
	Lines    [MaxLines]Line
}

// Breakdown returns the lines of the quote (a slice of q.Lines).
func (q *Quote) Breakdown() []Line { return q.Lines[:q.N] }

// ruleIndex holds, for each value of each enumerated field, the bit set of
// rules (bit i = rule i) whose condition admits it, so that Quote narrows
// the candidates with a few ANDs before checking amounts, windows and MCCs.
type ruleIndex struct {
	kind, channel, funding, scheme, class, payout [32]uint64
	region                                        [2]uint64 // domestic, cross-border
}

func buildRuleIndex(rules []crule) *ruleIndex {
	if len(rules) > 64 {
		return nil
	}
	x := new(ruleIndex)
	for i := range rules {
		m, bit := &rules[i].m, uint64(1)<<i
		for v := 0; v < 32; v++ {
			for _, f := range []struct {
				set uint32
				row *[32]uint64
			}{{m.kinds, &x.kind}, {m.channels, &x.channel}, {m.funding, &x.funding}, {m.schemes, &x.scheme}, {m.classes, &x.class}, {m.payout, &x.payout}} {
				if f.set&(1<<v) != 0 {
					f.row[v] |= bit
				}
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

func (m *cmatch) match(tx *Transaction, cur *iso4217.Info) bool {
	if m.kinds&(1<<tx.Kind) == 0 || m.channels&(1<<tx.Channel) == 0 || m.funding&(1<<tx.Funding) == 0 ||
		m.schemes&(1<<tx.Scheme) == 0 || m.classes&(1<<tx.Class) == 0 ||
		m.payout&(1<<tx.Payout) == 0 {
		return false
	}
	region := uint8(1)
	if tx.CrossBorder {
		region = 2
	}
	if m.regions&region == 0 {
		return false
	}
	return m.matchRest(tx, cur)
}

// matchRest checks the conditions the rule index does not cover.
func (m *cmatch) matchRest(tx *Transaction, cur *iso4217.Info) bool {
	if tx.Amount < m.minAmount || tx.Amount > m.maxAmount || m.currency != cur {
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

// Quote prices tx with the first rule that matches it; it never
// allocates. Errors wrap ErrTransaction (a malformed transaction, or a rule
// tiered by volume: use QuoteUsage), ErrCurrency (no rule prices
// tx.Currency), ErrNoRule or ErrOverflow.
func (s *Schedule) Quote(tx Transaction) (q Quote, err error) {
	// q is the named result, filled in place: a Quote is a few hundred
	// bytes and copying it is a large part of the cost of a quote.
	r, i, cur, err := s.find(&tx)
	if err != nil {
		return q, err
	}
	if r.needsUsage {
		return q, errNeedsUsage
	}
	if !price(&q, r, i, &tx, cur, nil) {
		return Quote{}, errQuoteOverflow
	}
	return q, nil
}

// find returns the first rule that matches tx and the currency it is in.
func (s *Schedule) find(tx *Transaction) (*crule, int, *iso4217.Info, error) {
	cur, err := s.checkTx(tx)
	if err != nil {
		return nil, 0, nil, err
	}
	if x := s.idx; x != nil {
		cr := 0
		if tx.CrossBorder {
			cr = 1
		}
		cand := x.kind[tx.Kind&31] & x.channel[tx.Channel&31] & x.funding[tx.Funding&31] & x.scheme[tx.Scheme&31] &
			x.class[tx.Class&31] & x.payout[tx.Payout&31] & x.region[cr]
		for cand != 0 {
			i := bits.TrailingZeros64(cand)
			cand &= cand - 1
			if r := &s.rules[i]; r.m.matchRest(tx, cur) {
				return r, i, cur, nil
			}
		}
		return nil, 0, nil, ErrNoRule
	}
	for i := range s.rules {
		if r := &s.rules[i]; r.m.match(tx, cur) {
			return r, i, cur, nil
		}
	}
	return nil, 0, nil, ErrNoRule
}

// price fills q from rule r; it returns false on int64 overflow. u, when
// not nil, holds the volumes that pick the tiers of volume-tiered parts.
func price(q *Quote, r *crule, i int, tx *Transaction, cur *iso4217.Info, u *Usage) bool {
	q.Amount, q.Rule, q.RuleName, q.Refunds = tx.Amount, i, r.name, r.policy
	var total int64
	for j := range r.parts {
		if !addLine(q, &r.parts[j], tx.Amount, u, &total) {
			return false
		}
	}
	for j := range r.surch {
		sc := &r.surch[j]
		if sc.m.match(tx, cur) && !addLine(q, &sc.c, tx.Amount, u, &total) {
			return false
		}
	}
	q.Fee = total
	if !r.aboveOK && total > tx.Amount {
		q.trim(total - tx.Amount)
	}
	q.Net = tx.Amount - q.Fee
	return true
}

// trim takes excess off the fee, from the last line back, marking each
// line it lowers Capped.
func (q *Quote) trim(excess int64) {
	for j := q.N - 1; j >= 0 && excess > 0; j-- {
		l := &q.Lines[j]
		cut := min(excess, l.Fee)
		if cut == 0 {
			continue
		}
		l.Fee -= cut
		l.Capped = true
		excess -= cut
		q.Fee -= cut
	}
}

func addLine(q *Quote, c *cpart, amount int64, u *Usage, total *int64) bool {
	p, rate := &c.p, c.rate
	if c.tiers != nil {
		basis := amount
		switch c.basis {
		case ByDayVolume:
			basis = u.DayVolume
		case ByMonthVolume:
			basis = u.MonthVolume
		}
		for k := range c.tiers {
			if basis <= c.tiers[k].upTo {
				p, rate = &c.tiers[k].p, Rate(c.tiers[k].p.rate)
				break
			}
		}
	}
	f, flags, ok := feeOf(amount, p.rate, p.fixed, p.floor, p.ceil, p.mode)
	if !ok || f > math.MaxInt64-*total || q.N >= MaxLines {
		return false
	}
	*total += f
	// Field by field: a composite literal would be built and copied.
	l := &q.Lines[q.N]
	l.Fee = f
	l.Rate = rate
	l.Name = c.name
	l.Component = c.component
	l.Capped = flags&flagCapped != 0
	l.Floored = flags&flagFloored != 0
	q.N++
	return true
}

// checkTx checks tx and returns the currency it is in.
func (s *Schedule) checkTx(tx *Transaction) (*iso4217.Info, error) {
	if tx.Amount < 0 {
		return nil, errNegativeAmount
	}
	cur := tx.Currency.p
	if cur == nil {
		cur = s.currency.p
	} else if cur != s.currency.p && !hasInfo(s.currencies, cur) {
		return nil, errCurrencyMismatch
	}
	if tx.Kind.asChannel()|tx.Channel|tx.Funding.asChannel()|tx.Scheme.asChannel()|tx.Class.asChannel()|tx.Payout.asChannel() >= 32 ||
		tx.Time < 0 || tx.Time > 86400 {
		return nil, errTxField
	}
	return cur, nil
}

// Preallocated errors keep the hot path free of allocations.
var (
	errNegativeAmount   = fmt.Errorf("%w: negative amount", ErrTransaction)
	errCurrencyMismatch = fmt.Errorf("%w: no rule prices the transaction's currency", ErrCurrency)
	errTxField          = fmt.Errorf("%w: enumerated field or time of day out of range", ErrTransaction)
	errNeedsUsage       = fmt.Errorf("%w: the rule is tiered by volume: quote with QuoteUsage", ErrTransaction)
	errQuoteOverflow    = fmt.Errorf("%w: the fee exceeds int64", ErrOverflow)
)

func (k TransactionKind) asChannel() Channel { return Channel(k) }
func (f Funding) asChannel() Channel         { return Channel(f) }
func (s Scheme) asChannel() Channel          { return Channel(s) }
func (c MerchantClass) asChannel() Channel   { return Channel(c) }
func (p Payout) asChannel() Channel          { return Channel(p) }
