package fees

import (
	"fmt"
	"strconv"

	"github.com/poskit/poskit/internal/iso4217"
)

// Currency is an ISO 4217 currency from the embedded table (ISO 4217 list
// one as published by SIX Group; see ISO4217Published). The zero Currency is
// not a currency; Valid reports which is which. Currency values compare
// with ==.
type Currency struct{ p *iso4217.Info }

// Commonly used currencies.
var (
	CNY = MustCurrency("CNY") // Yuan Renminbi, 156, 2 minor digits
	HKD = MustCurrency("HKD") // Hong Kong Dollar, 344, 2
	USD = MustCurrency("USD") // US Dollar, 840, 2
	EUR = MustCurrency("EUR") // Euro, 978, 2
	JPY = MustCurrency("JPY") // Yen, 392, 0
)

// ISO4217Published is the publication date of the ISO 4217 list the
// embedded table was generated from.
const ISO4217Published = iso4217.Published

// CurrencyByAlpha returns the currency with the given upper-case alphabetic
// code ("CNY").
func CurrencyByAlpha(code string) (Currency, bool) {
	c := iso4217.ByAlpha(code)
	return Currency{c}, c != nil
}

// CurrencyByNumeric returns the currency with the given numeric code (156
// for CNY), as carried in ISO 8583 field 49.
func CurrencyByNumeric(n int) (Currency, bool) {
	c := iso4217.ByNumeric(n)
	return Currency{c}, c != nil
}

// ParseCurrency accepts an alphabetic code ("CNY") or a three-digit numeric
// code as found in ISO 8583 field 49 ("156"). It returns an error wrapping
// ErrCurrency for anything else.
func ParseCurrency(s string) (Currency, error) {
	if len(s) == 3 && s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.Atoi(s)
		if err == nil {
			if c, ok := CurrencyByNumeric(n); ok {
				return c, nil
			}
		}
	} else if c, ok := CurrencyByAlpha(s); ok {
		return c, nil
	}
	return Currency{}, fmt.Errorf("%w: unknown code %q", ErrCurrency, clip(s))
}

// MustCurrency is CurrencyByAlpha for package-level variables; it panics if
// code is not in the table, so use it only with constant codes.
func MustCurrency(code string) Currency {
	c, ok := CurrencyByAlpha(code)
	if !ok {
		panic("fees: unknown currency " + code)
	}
	return c
}

// Currencies returns every currency of the table, in the order of the
// source list. The slice is a fresh copy.
func Currencies() []Currency {
	all := iso4217.All()
	out := make([]Currency, len(all))
	for i, p := range all {
		out[i] = Currency{p}
	}
	return out
}

// Valid reports whether c is a currency of the table (not the zero value).
func (c Currency) Valid() bool { return c.p != nil }

// Alpha returns the alphabetic code ("CNY"), or "" for the zero Currency.
func (c Currency) Alpha() string {
	if c.p == nil {
		return ""
	}
	return c.p.Alpha
}

// Numeric returns the numeric code (156 for CNY), or 0.
func (c Currency) Numeric() int {
	if c.p == nil {
		return 0
	}
	return int(c.p.Numeric)
}

// NumericString returns the numeric code as three digits ("156"), the form
// of ISO 8583 field 49, or "" for the zero Currency.
func (c Currency) NumericString() string {
	if c.p == nil {
		return ""
	}
	n := c.p.Numeric
	return string([]byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)})
}

// MinorUnits returns the number of decimal digits of the minor unit (2 for
// CNY: 1 yuan = 100 fen). ok is false where ISO 4217 gives none (gold, SDR,
// the testing code XTS ...); fee arithmetic refuses such currencies.
func (c Currency) MinorUnits() (digits int, ok bool) {
	if c.p == nil || c.p.Minor < 0 {
		return 0, false
	}
	return int(c.p.Minor), true
}

// Name returns the English name from the ISO 4217 list ("Yuan Renminbi").
func (c Currency) Name() string {
	if c.p == nil {
		return ""
	}
	return c.p.Name
}

// IsFund reports whether ISO 4217 marks the code as a fund (BOV, CLF ...).
func (c Currency) IsFund() bool { return c.p != nil && c.p.Fund }

// String returns the alphabetic code.
func (c Currency) String() string { return c.Alpha() }

// pow10 holds 10^0 .. 10^18.
var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// FormatAmount writes an amount in minor units as a decimal in major units
// with the currency's minor digits: FormatAmount(1000000, CNY) = "10000.00".
// Currencies without minor units print the bare integer.
func FormatAmount(amount int64, c Currency) string {
	d, _ := c.MinorUnits()
	return formatMinor(amount, d)
}

func formatMinor(amount int64, d int) string {
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u, 10)
	if d > 0 {
		for len(s) <= d {
			s = "0" + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ParseAmount reads a decimal amount in major units ("13", "3.25", "0.5")
// into minor units of c, exactly. More fraction digits than the currency has
// minor digits are an error (no silent rounding), as is a sign other than a
// leading '-', an exponent, or a value beyond int64.
func ParseAmount(s string, c Currency) (int64, error) {
	d, ok := c.MinorUnits()
	if !ok {
		return 0, fmt.Errorf("%w: %s has no minor unit", ErrCurrency, c.Alpha())
	}
	return parseMinor(s, d)
}

func parseMinor(s string, d int) (int64, error) {
	orig := s
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg = true
		s = s[1:]
	}
	intPart, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart, frac = s[:i], s[i+1:]
			break
		}
	}
	if intPart == "" || (len(s) > len(intPart) && frac == "") {
		return 0, fmt.Errorf("%w: %q", ErrAmount, clip(orig))
	}
	if len(frac) > d {
		return 0, fmt.Errorf("%w: %q has more than %d fraction digits", ErrAmount, clip(orig), d)
	}
	var v uint64
	const maxV = uint64(1<<63 - 1)
	for i := 0; i < len(intPart)+d; i++ {
		var ch byte = '0'
		if i < len(intPart) {
			ch = intPart[i]
		} else if j := i - len(intPart); j < len(frac) {
			ch = frac[j]
		}
		if ch < '0' || ch > '9' {
			return 0, fmt.Errorf("%w: %q", ErrAmount, clip(orig))
		}
		if v > (maxV-uint64(ch-'0'))/10 {
			return 0, fmt.Errorf("%w: %q out of range", ErrAmount, clip(orig))
		}
		v = v*10 + uint64(ch-'0')
	}
	if neg {
		return -int64(v), nil
	}
	return int64(v), nil
}

// clip shortens user input quoted in an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
