package fees

import "fmt"

// Rate is a proportional fee as an exact integer: parts per 10^8 of the
// amount (RateScale = 100%). 0.6% is 600000, 0.38% is 380000, 0.0325% is
// 32500 and one basis point is 10000. The finest rate is 0.000001%.
type Rate int64

// RateScale is the Rate of 100%.
const RateScale Rate = 100_000_000

// Rates of the seeds and presets.
const (
	Percent    Rate = RateScale / 100   // 1%
	BasisPoint Rate = RateScale / 10000 // 0.01%
)

// ParseRate reads a rate written as a percentage ("0.6%", "0.38%",
// "0.0325%"), in basis points ("60bp", "60 bps") or as a plain fraction
// ("0.006"), exactly: no float64 is involved. A rate must lie in [0, 100%]
// and must not be finer than 0.000001% (1 in 10^8); anything else is an
// error wrapping ErrRate.
func ParseRate(s string) (Rate, error) {
	num, unit := s, ""
	switch {
	case hasSuffix(num, "%"):
		num, unit = num[:len(num)-1], "%"
	case hasSuffix(num, "bps"):
		num, unit = num[:len(num)-3], "bp"
	case hasSuffix(num, "bp"):
		num, unit = num[:len(num)-2], "bp"
	}
	for len(num) > 0 && num[len(num)-1] == ' ' {
		num = num[:len(num)-1]
	}
	// The number of decimal digits each unit allows at 10^-8 resolution.
	digits := 8 // plain fraction
	switch unit {
	case "%":
		digits = 6
	case "bp":
		digits = 4
	}
	v, err := parseMinor(num, digits)
	if err != nil || num == "" || num[0] == '-' || num[0] == '+' {
		return 0, fmt.Errorf("%w: %q (want e.g. \"0.6%%\", \"60bp\" or \"0.006\", at most 0.000001%% resolution)", ErrRate, clip(s))
	}
	if v > int64(RateScale) {
		return 0, fmt.Errorf("%w: %q is above 100%%", ErrRate, clip(s))
	}
	return Rate(v), nil
}

func hasSuffix(s, suf string) bool {
	return len(s) >= len(suf) && s[len(s)-len(suf):] == suf
}

// MustParseRate is ParseRate for constants; it panics on a malformed rate.
func MustParseRate(s string) Rate {
	r, err := ParseRate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// String writes the rate as a percentage with no trailing zeros: "0.6%",
// "0.0325%", "100%". ParseRate reads it back to the same value.
func (r Rate) String() string {
	s := formatMinor(int64(r), 6)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s + "%"
}

// MarshalText implements encoding.TextMarshaler ("0.38%").
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseRate.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
