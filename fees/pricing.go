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
// amounts, Min ≤ Cap, a known rounding mode. The error wraps ErrRate,
// ErrAmount or ErrInvalid and names the field.
func (p Pricing) Validate() error {
	_, _, err := p.check()
	return err
}

// pricingFault names the first rule of Validate that a Pricing breaks.
type pricingFault uint8

const (
	faultNone pricingFault = iota
	faultRate
	faultFixed
	faultMin
	faultCap
	faultMinAboveCap
	faultRounding
)

// fault names the first rule of Validate that p breaks (faultOf).
func (p Pricing) fault() pricingFault { return faultOf(p.Rate, p.Fixed, p.Min, p.Cap, p.Rounding) }

// faultOf is the one statement of the rules of a Pricing, behind
// Validate, Fee and New. It takes scalars and is small enough to inline,
// so that Fee checks a Pricing at the cost of a few compares in registers
// (BenchmarkFeeSingleRule).
func faultOf(rate Rate, fixed, floor, ceil int64, mode Rounding) pricingFault {
	switch {
	case uint64(rate) > uint64(RateScale): // a negative rate too
		return faultRate
	case fixed|floor|ceil >= 0 && mode <= Up && (ceil == 0 || floor <= ceil):
		return faultNone // the common case in one test; the cases below say which rule fails
	case fixed < 0:
		return faultFixed
	case floor < 0:
		return faultMin
	case ceil < 0:
		return faultCap
	case mode > Up:
		return faultRounding
	}
	return faultMinAboveCap
}

// check returns the compiled form of p or, when p breaks a rule, the
// field's JSON name and the error.
func (p Pricing) check() (cpricing, string, error) {
	switch p.fault() {
	case faultRate:
		return cpricing{}, "rate", fmt.Errorf("%w: rate %s is outside 0..100%%", ErrRate, p.Rate)
	case faultFixed:
		return cpricing{}, "fixed", fmt.Errorf("%w: negative fixed fee", ErrAmount)
	case faultMin:
		return cpricing{}, "min", fmt.Errorf("%w: negative minimum", ErrAmount)
	case faultCap:
		return cpricing{}, "cap", fmt.Errorf("%w: negative cap", ErrAmount)
	case faultMinAboveCap:
		return cpricing{}, "min", fmt.Errorf("%w: minimum above cap", ErrAmount)
	case faultRounding:
		return cpricing{}, "rounding", fmt.Errorf("%w: unknown rounding mode %d", ErrInvalid, p.Rounding)
	}
	return p.compile(), "", nil
}

// compile returns the scalar form of a valid p.
func (p Pricing) compile() cpricing {
	c := cpricing{rate: uint64(p.Rate), fixed: p.Fixed, floor: p.Min, ceil: p.Cap, mode: p.Rounding}
	if p.Cap == 0 {
		c.ceil = noCap
	}
	return c
}

// Fee prices amount (minor units, not negative) with p. It allocates
// nothing but the error of a malformed Pricing. Errors wrap ErrAmount (a
// negative amount), ErrRate, ErrAmount or ErrInvalid (a malformed Pricing,
// as Validate) or ErrOverflow (the fee exceeds int64).
func (p Pricing) Fee(amount int64) (int64, error) {
	rate, fixed, floor, ceil, mode := p.Rate, p.Fixed, p.Min, p.Cap, p.Rounding
	if amount < 0 {
		return 0, errNegativeFeeAmount
	}
	if faultOf(rate, fixed, floor, ceil, mode) != faultNone {
		return 0, p.Validate()
	}
	if ceil == 0 {
		ceil = noCap
	}
	f, _, ok := feeOf(amount, uint64(rate), fixed, floor, ceil, mode)
	if !ok {
		return 0, errFeeOverflow
	}
	return f, nil
}

var (
	errNegativeFeeAmount = fmt.Errorf("%w: negative amount", ErrAmount)
	errFeeOverflow       = fmt.Errorf("%w: the fee exceeds int64", ErrOverflow)
)

// noCap is the ceil of a cpricing without a cap.
const noCap = -1

// cpricing is a validated Pricing; ceil is noCap when there is no cap.
type cpricing struct {
	rate  uint64
	fixed int64
	floor int64
	ceil  int64
	mode  Rounding
}

// Line flags.
const (
	flagCapped  = 1 << iota // the cap lowered the fee
	flagFloored             // the minimum raised the fee
)

// feeOf is the hot path behind Pricing.Fee and Schedule.Quote, on scalars
// so that they travel in registers: round(amount × rate / RateScale) +
// fixed, raised to floor and lowered to ceil (noCap: none). A cap of
// exactly MaxInt64 is a cap like any other.
func feeOf(amount int64, rate uint64, fixed, floor, ceil int64, mode Rounding) (fee int64, flags uint8, ok bool) {
	var v int64
	if a := uint64(amount); a < 1<<36 { // a × rate < 2^63: one 64-bit product
		p := a * rate
		v = roundQuo(p/uint64(RateScale), p%uint64(RateScale), mode)
	} else {
		v = mulRateWide(a, rate, mode)
	}
	if v > math.MaxInt64-fixed { // the exact sum exceeds int64, so any cap
		if ceil >= 0 {
			return ceil, flagCapped, true
		}
		return 0, 0, false
	}
	v += fixed
	if v < floor {
		return floor, flagFloored, true
	}
	if uint64(v) > uint64(ceil) { // v ≥ 0; noCap (-1) is above every v as unsigned
		return ceil, flagCapped, true
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
