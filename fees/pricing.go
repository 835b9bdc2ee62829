package fees

import (
	"fmt"
	"math"
	"math/bits"
)

// Pricing is one proportional-plus-fixed fee: round(amount × Rate) + Fixed,
// raised to Min and lowered to Cap (both on the whole of the percentage
// plus the fixed part). All amounts are minor units; zero Min or Cap means
// none. Rounding applies once, to the percentage part.
type Pricing struct {
	Rate     Rate
	Fixed    int64
	Min      int64
	Cap      int64
	Rounding Rounding
}

// Validate checks the pricing on its own: rate in [0, 100%], non-negative
// amounts, Min ≤ Cap, a known rounding mode. The error names the field.
func (p Pricing) Validate() error {
	_, field, err := p.check()
	if err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	return nil
}

func (p Pricing) check() (cpricing, string, error) {
	switch {
	case p.Rate < 0 || p.Rate > RateScale:
		return cpricing{}, "rate", fmt.Errorf("%w: %s is outside 0..100%%", ErrRate, p.Rate)
	case p.Fixed < 0:
		return cpricing{}, "fixed", fmt.Errorf("%w: negative fixed fee", ErrAmount)
	case p.Min < 0:
		return cpricing{}, "min", fmt.Errorf("%w: negative minimum", ErrAmount)
	case p.Cap < 0:
		return cpricing{}, "cap", fmt.Errorf("%w: negative cap", ErrAmount)
	case p.Cap != 0 && p.Min > p.Cap:
		return cpricing{}, "min", fmt.Errorf("%w: minimum above cap", ErrAmount)
	case p.Rounding > Up:
		return cpricing{}, "rounding", fmt.Errorf("%w: unknown rounding mode %d", ErrInvalid, p.Rounding)
	}
	c := cpricing{rate: uint64(p.Rate), fixed: p.Fixed, min: p.Min, cap: p.Cap, mode: p.Rounding}
	if c.cap == 0 {
		c.cap = math.MaxInt64
	}
	return c, "", nil
}

// Fee prices amount (minor units, not negative) with p. It does not
// allocate (except for the error of a malformed Pricing). Errors wrap ErrAmount (negative amount), ErrRate or ErrInvalid
// (a malformed Pricing) or ErrOverflow (the fee exceeds int64).
func (p Pricing) Fee(amount int64) (int64, error) {
	if amount < 0 || uint64(p.Rate) > uint64(RateScale) || p.Fixed|p.Min|p.Cap < 0 || p.Rounding > Up || (p.Cap != 0 && p.Min > p.Cap) {
		return p.feeError(amount)
	}
	cp := p.Cap
	if cp == 0 {
		cp = math.MaxInt64
	}
	f, _, ok := feeOf(amount, uint64(p.Rate), p.Fixed, p.Min, cp, p.Rounding)
	if !ok {
		return 0, ErrOverflow
	}
	return f, nil
}

func (p Pricing) feeError(amount int64) (int64, error) {
	if amount < 0 {
		return 0, ErrAmount
	}
	return 0, p.Validate()
}

// cpricing is a validated Pricing; cap is MaxInt64 when there is none.
type cpricing struct {
	rate  uint64
	fixed int64
	min   int64
	cap   int64
	mode  Rounding
}

// Line flags.
const (
	flagCapped  = 1 << iota // the cap lowered the fee
	flagFloored             // the minimum raised the fee
)

// feeOf is the hot path behind Pricing.Fee and Schedule.Quote, on scalars
// so that they travel in registers: round(amount × rate / RateScale) +
// fixed, clamped to [min, cap]; cap is MaxInt64 when there is none.
func feeOf(amount int64, rate uint64, fixed, min, cap int64, mode Rounding) (fee int64, flags uint8, ok bool) {
	var v int64
	if a := uint64(amount); a < 1<<36 { // a × rate < 2^63: one 64-bit product
		p := a * rate
		v = roundQuo(p/uint64(RateScale), p%uint64(RateScale), mode)
	} else {
		v = mulRateWide(a, rate, mode)
	}
	if v > math.MaxInt64-fixed { // the exact sum exceeds int64, so any cap
		if cap != math.MaxInt64 {
			return cap, flagCapped, true
		}
		return 0, 0, false
	}
	v += fixed
	if v < min {
		return min, flagFloored, true
	}
	if v > cap {
		return cap, flagCapped, true
	}
	return v, 0, true
}

// Rounding of the remainder rem of q = floor(amount × rate / RateScale):
// q is incremented when rem + bonus ≥ roundThreshold[mode], where bonus is
// q's lowest bit for HalfEven (so that an exact half rounds to even) and 0
// otherwise. Down's threshold is never reached since rem < RateScale.
var (
	roundThreshold = [4]uint64{uint64(RateScale) / 2, uint64(RateScale)/2 + 1, uint64(RateScale), 1}
	roundOddBonus  = [4]uint64{0, 1, 0, 0}
)

// mulRateWide returns amount × rate / RateScale rounded by mode, exactly,
// for 2^36 ≤ amount < 2^63 and rate ≤ RateScale: the rare path of
// cpricing.fee, kept out of line.
//
//go:noinline
func mulRateWide(amount, rate uint64, mode Rounding) int64 {
	hi, lo := bits.Mul64(amount, rate)
	q, rem := bits.Div64(hi, lo, uint64(RateScale)) // hi < RateScale because rate ≤ RateScale
	return roundQuo(q, rem, mode)
}

func roundQuo(q, rem uint64, mode Rounding) int64 {
	m := mode & 3
	if rem+q&roundOddBonus[m] >= roundThreshold[m] {
		q++
	}
	return int64(q)
}

// mulDivFloor returns floor(a × b / c) for 0 ≤ a, b and 0 ≤ b ≤ c, c > 0.
func mulDivFloor(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c)) // a×b/c ≤ a, no overflow
	return int64(q)
}
