package fees

import (
	"fmt"
	"math"
	"sort"
)

// Totals are the sums of one settlement row. Refunds count negative in
// Gross, Fees and Net.
type Totals struct {
	Sales   int64 // number of sales
	Refunds int64 // number of refunds, voids and reversals
	Gross   int64 // sales minus refunds
	Fees    int64 // fees charged minus fees returned
	Net     int64 // Gross - Fees: what the merchant is paid
}

// SummaryRow is the totals of one business day and channel.
type SummaryRow struct {
	Day     Date
	Channel Channel
	Totals
}

type summaryKey struct {
	day Date
	ch  Channel
}

// Summary folds transactions into settlement totals per business day and
// channel, for a settlement slip. The zero value is ready to use; it is not
// safe for concurrent use.
type Summary struct {
	rows map[summaryKey]*Totals
}

// AddSale adds the sale tx priced as q.
func (s *Summary) AddSale(tx Tx, q Quote) error {
	if q.Amount != tx.Amount || q.Fee < 0 || q.Amount < 0 {
		return fmt.Errorf("%w: quote does not belong to the transaction", ErrTx)
	}
	return s.add(tx.Day, tx.Channel, 1, 0, q.Amount, q.Fee)
}

// AddRefund adds a refund, void or reversal of amount that returned
// feeBack of the fee, booked on day for channel.
func (s *Summary) AddRefund(day Date, ch Channel, amount, feeBack int64) error {
	if amount < 0 || feeBack < 0 {
		return fmt.Errorf("%w: negative refund", ErrRefund)
	}
	return s.add(day, ch, 0, 1, -amount, -feeBack)
}

func (s *Summary) add(day Date, ch Channel, sales, refunds, gross, fee int64) error {
	if s.rows == nil {
		s.rows = map[summaryKey]*Totals{}
	}
	k := summaryKey{day, ch}
	t := s.rows[k]
	if t == nil {
		t = &Totals{}
	}
	n := *t
	var ok1, ok2, ok3 bool
	n.Gross, ok1 = addChecked(n.Gross, gross)
	n.Fees, ok2 = addChecked(n.Fees, fee)
	n.Net, ok3 = addChecked(n.Net, gross-fee)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("%w: settlement totals", ErrOverflow)
	}
	n.Sales += sales
	n.Refunds += refunds
	*t = n
	s.rows[k] = t
	return nil
}

func addChecked(a, b int64) (int64, bool) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return a, false
	}
	return a + b, true
}

// Rows returns the rows ordered by day, then channel.
func (s *Summary) Rows() []SummaryRow {
	out := make([]SummaryRow, 0, len(s.rows))
	for k, t := range s.rows {
		out = append(out, SummaryRow{Day: k.day, Channel: k.ch, Totals: *t})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Day != out[j].Day {
			return out[i].Day < out[j].Day
		}
		return out[i].Channel < out[j].Channel
	})
	return out
}

// Total returns the sum of all rows. ok is false if a sum overflows int64.
func (s *Summary) Total() (t Totals, ok bool) {
	ok = true
	for _, r := range s.rows {
		var a, b, c bool
		t.Gross, a = addChecked(t.Gross, r.Gross)
		t.Fees, b = addChecked(t.Fees, r.Fees)
		t.Net, c = addChecked(t.Net, r.Net)
		ok = ok && a && b && c
		t.Sales += r.Sales
		t.Refunds += r.Refunds
	}
	return t, ok
}
