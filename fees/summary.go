package fees

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// SummaryTotals are the merchant's sums of one row of a [Summary]: gross,
// fees and net. (They are not the host's settlement totals of a batch,
// which count debits and credits for message 0500.) Refunds count negative
// in Gross, Fees and Net.
type SummaryTotals struct {
	Sales   int64 // number of sales
	Refunds int64 // number of refunds, voids and reversals
	Gross   int64 // sales minus refunds
	Fees    int64 // fees charged minus fees returned
	Net     int64 // Gross - Fees: what the merchant is paid
}

// Totals is the old name of [SummaryTotals].
//
// Deprecated: use SummaryTotals. "Totals" of a batch are the ISO 8583
// settlement totals in this module.
type Totals = SummaryTotals

// SummaryRow is the totals of one business day and channel.
type SummaryRow struct {
	Day     Date
	Channel Channel
	SummaryTotals
}

// TerminalRow is the totals of one business day and terminal.
type TerminalRow struct {
	Day      Date
	Terminal string
	SummaryTotals
}

// ComponentRow is the fees charged for one component (by line name) on
// one business day, over the sales added with their quotes.
type ComponentRow struct {
	Day       Date
	Component Component
	Name      string
	Lines     int64 // number of breakdown lines
	Fees      int64 // their fees
}

type channelKey struct {
	day Date
	ch  Channel
}

type terminalKey struct {
	day  Date
	term string
}

type componentKey struct {
	day  Date
	comp Component
	name string
}

// Summary folds transactions into the merchant's totals per business day
// and channel, per business day and terminal, and per business day and fee
// component, for a merchant statement or a settlement slip. Amounts are in
// one currency. A fee returned by a refund comes off the component rows
// when the return is added with [Summary.AddReturnOf], which splits it over
// the sale's breakdown; [Summary.AddReturn] books it in the channel and
// terminal rows only. The zero value is ready to use; it is not safe for
// concurrent use.
type Summary struct {
	byChannel   map[channelKey]SummaryTotals
	byTerminal  map[terminalKey]SummaryTotals
	byComponent map[componentKey][2]int64 // lines, fees
}

// AddSale adds the sale tx priced as q, with its breakdown lines. Errors
// wrap ErrTransaction (q is not tx's quote) or ErrOverflow.
func (s *Summary) AddSale(tx Transaction, q Quote) error {
	if q.Amount != tx.Amount || q.Amount < 0 || q.N < 0 || q.N > MaxLines {
		return fmt.Errorf("%w: quote does not belong to the transaction", ErrTransaction)
	}
	var sum int64
	for _, l := range q.Breakdown() {
		if l.Fee < 0 || l.Fee > math.MaxInt64-sum {
			return fmt.Errorf("%w: quote lines do not add up", ErrTransaction)
		}
		sum += l.Fee
	}
	if sum != q.Fee {
		return fmt.Errorf("%w: quote lines do not add up", ErrTransaction)
	}
	s.init()
	comp := make(map[componentKey][2]int64, q.N)
	for _, l := range q.Breakdown() {
		k := componentKey{tx.Day, l.Component, l.Name}
		v := s.byComponent[k]
		if c, ok := comp[k]; ok {
			v = c
		}
		f, ok := addChecked(v[1], l.Fee)
		if !ok {
			return fmt.Errorf("%w: summary totals", ErrOverflow)
		}
		comp[k] = [2]int64{v[0] + 1, f}
	}
	if err := s.add(tx.Day, tx.Channel, tx.Terminal, 1, 0, q.Amount, q.Fee); err != nil {
		return err
	}
	for k, v := range comp {
		s.byComponent[k] = v
	}
	return nil
}

// AddRefund adds a refund, void or reversal of amount that returned
// feeBack of the fee, booked on day for channel (and no terminal). Errors
// wrap ErrRefund (negative amounts) or ErrOverflow.
func (s *Summary) AddRefund(day Date, ch Channel, amount, feeBack int64) error {
	return s.AddReturn(day, &Sale{Channel: ch}, amount, feeBack)
}

// AddReturn adds a refund, void or reversal of sale booked on day: amount
// is what was refunded and feeBack the fee it returned (the results of
// [Schedule.Refund], Void or Reverse). It books to the sale's channel and
// terminal. Errors wrap ErrRefund (negative amounts) or ErrOverflow.
func (s *Summary) AddReturn(day Date, sale *Sale, amount, feeBack int64) error {
	if amount < 0 || feeBack < 0 {
		return fmt.Errorf("%w: negative refund", ErrRefund)
	}
	s.init()
	return s.add(day, sale.Channel, sale.Terminal, 0, 1, -amount, -feeBack)
}

// AddReturnOf is [Summary.AddReturn] for a sale whose quote q is at hand:
// the fee returned is also taken off the component rows of the return's
// day, split over q's breakdown lines in proportion to their fees
// (largest remainder, ties to the earlier line), so that the shares add up
// to feeBack exactly and ByComponent nets refunds as the other rows do.
// Errors wrap ErrTransaction (q is not the sale's quote, or feeBack is more
// than its fee), ErrRefund or ErrOverflow.
func (s *Summary) AddReturnOf(day Date, sale *Sale, q Quote, amount, feeBack int64) error {
	if q.Amount != sale.Amount || q.Fee != sale.Fee || q.N < 0 || q.N > MaxLines || feeBack > q.Fee {
		return fmt.Errorf("%w: quote does not belong to the sale", ErrTransaction)
	}
	var shares [MaxLines]int64
	if err := apportion(shares[:q.N], q.Breakdown(), q.Fee, feeBack); err != nil {
		return err
	}
	if err := s.AddReturn(day, sale, amount, feeBack); err != nil {
		return err
	}
	for i, l := range q.Breakdown() {
		k := componentKey{day, l.Component, l.Name}
		v := s.byComponent[k]
		v[1] -= shares[i] // cannot overflow: 0 <= shares[i] <= a fee booked before
		s.byComponent[k] = v
	}
	return nil
}

// apportion splits part (0 <= part <= total) over lines whose fees add up
// to total, in proportion to each line's fee: floor shares first, then one
// unit more to the lines with the largest remainders, earlier lines first
// on ties.
func apportion(shares []int64, lines []Line, total, part int64) error {
	var sum int64
	for _, l := range lines {
		if l.Fee < 0 || l.Fee > math.MaxInt64-sum {
			return fmt.Errorf("%w: quote lines do not add up", ErrTransaction)
		}
		sum += l.Fee
	}
	if sum != total || part < 0 {
		return fmt.Errorf("%w: quote lines do not add up", ErrTransaction)
	}
	if total == 0 {
		return nil
	}
	var rem [MaxLines]uint64
	left := part
	for i, l := range lines {
		hi, lo := bits.Mul64(uint64(l.Fee), uint64(part))
		q, r := bits.Div64(hi, lo, uint64(total)) // hi < total: fee, part <= total
		shares[i], rem[i] = int64(q), r
		left -= int64(q)
	}
	for ; left > 0; left-- { // fewer than len(lines) units remain
		best := -1
		for i := range lines {
			if rem[i] > 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		shares[best]++
		rem[best] = 0
	}
	return nil
}

func (s *Summary) init() {
	if s.byChannel == nil {
		s.byChannel = map[channelKey]SummaryTotals{}
		s.byTerminal = map[terminalKey]SummaryTotals{}
		s.byComponent = map[componentKey][2]int64{}
	}
}

// add books one transaction in the channel and terminal rows, or in
// neither if a sum overflows.
func (s *Summary) add(day Date, ch Channel, term string, sales, refunds, gross, fee int64) error {
	ck, tk := channelKey{day, ch}, terminalKey{day, term}
	c, ok1 := s.byChannel[ck].plus(sales, refunds, gross, fee)
	t, ok2 := s.byTerminal[tk].plus(sales, refunds, gross, fee)
	if !ok1 || !ok2 {
		return fmt.Errorf("%w: summary totals", ErrOverflow)
	}
	s.byChannel[ck], s.byTerminal[tk] = c, t
	return nil
}

func (t SummaryTotals) plus(sales, refunds, gross, fee int64) (SummaryTotals, bool) {
	net, ok0 := addChecked(gross, -fee) // fee > MinInt64: a fee is never negative before the sign flips
	var ok1, ok2, ok3, ok4, ok5 bool
	t.Gross, ok1 = addChecked(t.Gross, gross)
	t.Fees, ok2 = addChecked(t.Fees, fee)
	t.Net, ok3 = addChecked(t.Net, net)
	t.Sales, ok4 = addChecked(t.Sales, sales)
	t.Refunds, ok5 = addChecked(t.Refunds, refunds)
	return t, ok0 && ok1 && ok2 && ok3 && ok4 && ok5
}

func addChecked(a, b int64) (int64, bool) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return a, false
	}
	return a + b, true
}

// Rows returns the rows per day and channel, ordered by day, then channel.
func (s *Summary) Rows() []SummaryRow {
	out := make([]SummaryRow, 0, len(s.byChannel))
	for k, t := range s.byChannel {
		out = append(out, SummaryRow{Day: k.day, Channel: k.ch, SummaryTotals: t})
	}
	slices.SortFunc(out, func(a, b SummaryRow) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Channel, b.Channel))
	})
	return out
}

// ByTerminal returns the rows per day and terminal, ordered by day, then
// terminal ID.
func (s *Summary) ByTerminal() []TerminalRow {
	out := make([]TerminalRow, 0, len(s.byTerminal))
	for k, t := range s.byTerminal {
		out = append(out, TerminalRow{Day: k.day, Terminal: k.term, SummaryTotals: t})
	}
	slices.SortFunc(out, func(a, b TerminalRow) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Terminal, b.Terminal))
	})
	return out
}

// ByComponent returns the fees charged per day, component and line name,
// ordered by day, component, then name.
func (s *Summary) ByComponent() []ComponentRow {
	out := make([]ComponentRow, 0, len(s.byComponent))
	for k, v := range s.byComponent {
		out = append(out, ComponentRow{Day: k.day, Component: k.comp, Name: k.name, Lines: v[0], Fees: v[1]})
	}
	slices.SortFunc(out, func(a, b ComponentRow) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Component, b.Component), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// Total returns the sum of all rows, exactly: the sums are taken in 128
// bits, so the result does not depend on the order of the rows, and ok is
// false exactly when a field of the total does not fit in int64 (the field
// is then zero).
func (s *Summary) Total() (t SummaryTotals, ok bool) {
	var acc [5]int128
	for _, r := range s.byChannel {
		for i, v := range [5]int64{r.Sales, r.Refunds, r.Gross, r.Fees, r.Net} {
			acc[i].add(v)
		}
	}
	ok = true
	for i, dst := range [5]*int64{&t.Sales, &t.Refunds, &t.Gross, &t.Fees, &t.Net} {
		v, fits := acc[i].int64()
		*dst = v
		ok = ok && fits
	}
	return t, ok
}

// int128 is a two's complement 128-bit accumulator.
type int128 struct {
	hi int64
	lo uint64
}

func (x *int128) add(v int64) {
	var carry uint64
	x.lo, carry = bits.Add64(x.lo, uint64(v), 0)
	x.hi += int64(carry) + v>>63 // v>>63 is the sign extension: 0 or -1
}

// int64 returns x and true if it fits, or 0 and false.
func (x int128) int64() (int64, bool) {
	if x.hi != int64(x.lo)>>63 {
		return 0, false
	}
	return int64(x.lo), true
}
