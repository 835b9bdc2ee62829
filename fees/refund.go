package fees

import (
	"fmt"
	"math"
)

// Sale is the record of a priced sale that refunds, voids and reversals
// work against. It is a plain value owned by the caller; it is not safe
// for concurrent use.
//
// The policies, whichever FeeReturn applies: a refund returns at most the
// amount not yet refunded; a void (same business day only) cancels a sale
// that has not been refunded in part (refund the rest instead); a
// reversal cancels whatever is left, any day; a sale is cancelled at most
// once; a 0.00 sale can be voided or reversed.
type Sale struct {
	Amount      int64        // original amount, minor units
	Fee         int64        // original fee
	Day         Date         // business day of the sale
	Refunded    int64        // amount refunded, voided or reversed so far
	FeeReturned int64        // fee returned to the merchant so far
	Refunds     RefundPolicy // the policy of the rule that priced it; zero fields: the schedule's
	Cancelled   bool         // voided or reversed
	Channel     Channel      // for summaries
	Terminal    string       // for summaries
}

// NewSale records the sale tx priced as q, with the refund policy of the
// rule that priced it.
func NewSale(tx Transaction, q Quote) Sale {
	return Sale{Amount: q.Amount, Fee: q.Fee, Day: tx.Day, Refunds: q.Refunds, Channel: tx.Channel, Terminal: tx.Terminal}
}

// Remaining returns the amount that can still be refunded.
func (s *Sale) Remaining() int64 { return s.Amount - s.Refunded }

func (s *Sale) check() error {
	if s.Amount < 0 || s.Fee < 0 || s.Refunded < 0 || s.Refunded > s.Amount || s.FeeReturned < 0 || s.FeeReturned > s.Fee {
		return errSaleRecord
	}
	if _, bad := checkPolicy(RefundPolicy{}, s.Refunds); bad != "" {
		return errSaleRecord
	}
	return nil
}

var (
	errSaleRecord      = fmt.Errorf("%w: inconsistent sale record", ErrRefund)
	errCancelled       = fmt.Errorf("%w: the sale is already voided or reversed", ErrRefund)
	errPartlyRefunded  = fmt.Errorf("%w: the sale is partly refunded: refund the rest instead of voiding", ErrRefund)
	errNothingToCancel = fmt.Errorf("%w: the sale is fully refunded", ErrRefund)
)

// policyOf returns the sale's policy with the schedule's filling its zero
// fields; s.check has vetted it.
func (sc *Schedule) policyOf(s *Sale) RefundPolicy {
	p, _ := checkPolicy(sc.policy, s.Refunds)
	return p
}

// Refund records a (partial) refund of amount and returns the part of the
// fee given back to the merchant under the sale's refund policy. With
// FeeProportional the fee returned so far is always
// floor(Fee × Refunded / Amount), so the returns never add up to more than
// the fee, a refund of the whole amount in any number of pieces returns
// exactly the fee, and rounding favours no piece. Errors wrap ErrRefund.
func (sc *Schedule) Refund(s *Sale, amount int64) (int64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if s.Cancelled {
		return 0, errCancelled
	}
	if amount <= 0 || amount > s.Remaining() {
		return 0, fmt.Errorf("%w: amount %d outside 1..%d", ErrRefund, amount, s.Remaining())
	}
	s.Refunded += amount
	var back int64
	if sc.policyOf(s).Refund != FeeKept { // FeeProportional
		back = mulDivFloor(s.Fee, s.Refunded, s.Amount) - s.FeeReturned
		if back < 0 { // a record that returned more earlier (another policy)
			back = 0
		}
	}
	s.FeeReturned += back
	return back, nil
}

// Void cancels a sale on its own business day and returns the fee given
// back (all of it under FeeFull, the default). A void on another day is an
// error wrapping ErrNotSameDay (refund instead); a void of a sale already
// refunded in part, voided or reversed is an error wrapping ErrRefund.
func (sc *Schedule) Void(s *Sale, day Date) (int64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if day != s.Day {
		return 0, fmt.Errorf("%w: sale of %s, void on %s", ErrNotSameDay, s.Day, day)
	}
	if !s.Cancelled && s.Refunded > 0 {
		if s.Remaining() == 0 {
			return 0, errNothingToCancel
		}
		return 0, errPartlyRefunded
	}
	return cancel(s, sc.policyOf(s).Void)
}

// Reverse cancels the rest of a sale (a technical reversal, any day) and
// returns the fee given back (all of what is left under FeeFull, the
// default). Errors wrap ErrRefund: a sale already voided or reversed, or
// fully refunded.
func (sc *Schedule) Reverse(s *Sale) (int64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	return cancel(s, sc.policyOf(s).Reversal)
}

func cancel(s *Sale, f FeeReturn) (int64, error) {
	if s.Cancelled {
		return 0, errCancelled
	}
	if s.Amount > 0 && s.Remaining() == 0 {
		return 0, errNothingToCancel
	}
	s.Refunded = s.Amount
	s.Cancelled = true
	var back int64
	if f != FeeKept {
		back = s.Fee - s.FeeReturned
	}
	s.FeeReturned += back
	return back, nil
}

// GrossUp returns the quote for the smallest amount whose net reaches net:
// the amount to charge so that the merchant receives at least net after
// the fee. tx gives the other fields (channel, funding ...); its Amount is
// ignored. The search is exact for schedules whose net grows with the
// amount; where a tier or a minimum-amount surcharge makes the net drop
// across a boundary, the result still nets at least the target but a
// smaller amount below the boundary may too. Errors wrap ErrGrossUp or the
// errors of Quote.
func (s *Schedule) GrossUp(tx Transaction, net int64) (Quote, error) {
	if net < 0 {
		return Quote{}, fmt.Errorf("%w: negative target", ErrGrossUp)
	}
	at := func(a int64) (Quote, error) {
		tx.Amount = a
		return s.Quote(tx)
	}
	// lo nets below the target (or is below it), hi reaches it.
	lo, hi := net-1, net
	q, err := at(hi)
	for {
		if err != nil {
			return Quote{}, err
		}
		if q.Net >= net {
			break
		}
		if hi == math.MaxInt64 {
			return Quote{}, fmt.Errorf("%w: %s", ErrGrossUp, formatMinor(net, s.digits))
		}
		lo = hi
		hi = max(hi, 1)
		if hi > math.MaxInt64/2 {
			hi = math.MaxInt64
		} else {
			hi *= 2
		}
		q, err = at(hi)
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		m, err := at(mid)
		if err != nil {
			return Quote{}, err
		}
		if m.Net >= net {
			hi, q = mid, m
		} else {
			lo = mid
		}
	}
	return q, nil
}
