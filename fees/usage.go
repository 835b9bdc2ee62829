package fees

import "fmt"

// Usage is what one merchant has done so far in the current business day
// and calendar month, in minor units of the schedule's currency: the state
// behind volume tiers ([ByDayVolume], [ByMonthVolume]) and the daily fee
// cap ([Config].DailyCap). It is a plain value that the caller keeps per
// merchant, persists between quotes (its fields are exported, for JSON or a
// database) and passes to [Schedule.QuoteUsage]; it is not safe for
// concurrent use. The zero value is a merchant with no history.
//
// Volumes count the amounts of the kinds that move money (sale, completion,
// transfer, cash advance) in the schedule's currency; refunds do not lower
// them. DayFees counts the fees charged on Day.
type Usage struct {
	Day         Date  // business day DayVolume and DayFees count
	DayVolume   int64 // amounts quoted on Day
	DayFees     int64 // fees charged on Day
	Month       Date  // first day of the month MonthVolume counts (yyyymm01)
	MonthVolume int64 // amounts quoted in Month
}

// QuoteUsage prices tx as Quote does, with the merchant's usage u: parts
// tiered by volume take the tier of the volume before tx, and the fee is
// lowered so that the day's fees stay within the schedule's DailyCap (the
// lines it lowers are marked Capped). On success u is brought forward to
// tx.Day and counts tx; on error u is unchanged. tx.Day is required and
// must not be before u.Day. It does not allocate. Errors are those of
// Quote, or wrap ErrUsage (a missing day, a day before u's, negative or
// overflowing totals).
func (s *Schedule) QuoteUsage(tx Transaction, u *Usage) (q Quote, err error) {
	r, i, cur, err := s.find(&tx)
	if err != nil {
		return q, err
	}
	n, err := u.at(tx.Day)
	if err != nil {
		return q, err
	}
	if !price(&q, r, i, &tx, cur, &n) {
		return Quote{}, errQuoteOverflow
	}
	if cur != s.currency.p {
		*u = n // another currency counts in neither volumes nor the cap
		return q, nil
	}
	if s.dailyCap > 0 {
		if room := s.dailyCap - n.DayFees; q.Fee > room {
			q.trim(q.Fee - max(room, 0))
			q.Net = q.Amount - q.Fee
		}
	}
	if moves(tx.Kind) {
		if n.DayVolume, err = addUsage(n.DayVolume, tx.Amount); err != nil {
			return Quote{}, err
		}
		if n.MonthVolume, err = addUsage(n.MonthVolume, tx.Amount); err != nil {
			return Quote{}, err
		}
	}
	if n.DayFees, err = addUsage(n.DayFees, q.Fee); err != nil {
		return Quote{}, err
	}
	*u = n
	return q, nil
}

// moves reports whether a kind of transaction moves money (and so counts
// in the volumes).
func moves(k TransactionKind) bool { return k != KindPreAuth && k != KindBalanceInquiry }

var (
	errUsageDay      = fmt.Errorf("%w: the transaction has no valid business day", ErrUsage)
	errUsageBackward = fmt.Errorf("%w: the transaction's day is before the usage's", ErrUsage)
	errUsageNegative = fmt.Errorf("%w: negative totals", ErrUsage)
	errUsageOverflow = fmt.Errorf("%w: totals exceed int64", ErrUsage)
)

func addUsage(a, b int64) (int64, error) {
	v, ok := addChecked(a, b)
	if !ok {
		return a, errUsageOverflow
	}
	return v, nil
}

// at returns u brought forward to day: a new day starts with no day
// volume and no day fees, a new month with no month volume.
func (u *Usage) at(day Date) (Usage, error) {
	if !day.valid() {
		return Usage{}, errUsageDay
	}
	if u.DayVolume < 0 || u.DayFees < 0 || u.MonthVolume < 0 {
		return Usage{}, errUsageNegative
	}
	if day < u.Day {
		return Usage{}, errUsageBackward
	}
	n := *u
	if day != n.Day {
		n.Day, n.DayVolume, n.DayFees = day, 0, 0
	}
	if m := day/100*100 + 1; m != n.Month {
		n.Month, n.MonthVolume = m, 0
	}
	return n, nil
}

// valid reports whether d is a plausible yyyymmdd date.
func (d Date) valid() bool {
	y, m, dd := d/10000, d/100%100, d%100
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31
}
