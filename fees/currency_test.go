package fees

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/currency"
)

// Where CLDR (the data behind golang.org/x/text/currency v0.41.0) gives a
// currency other standard digits than ISO 4217 list one, deliberately: CLDR
// records the digits used in practice (0 where the minor unit is no longer
// used), ISO 4217 the legal subdivision. Any difference not listed here fails
// the cross-check, so a regenerated table or a new x/text is reviewed.
var cldrDigits = map[string]int{
	"AFN": 0, "ALL": 0, "AMD": 0, "COP": 0, "GYD": 0, "IDR": 0, "IRR": 0,
	"IQD": 0, "KPW": 0, "LAK": 0, "LBP": 0, "MGA": 0, "MUR": 0, "MNT": 0,
	"MMK": 0, "PKR": 0, "RSD": 0, "SOS": 0, "SYP": 0, "TZS": 0, "UZS": 0,
	"YER": 0,
}

func TestCurrencyTableAgainstXText(t *testing.T) {
	var compared, differ int
	for _, c := range Currencies() {
		u, err := currency.ParseISO(c.Alpha())
		if err != nil {
			// x/text only knows codes CLDR lists; the fund and bond codes it
			// lacks are reported, not fatal.
			t.Logf("x/text lacks %s (%s)", c.Alpha(), c.Name())
			continue
		}
		if u.String() != c.Alpha() {
			t.Errorf("%s: x/text says %s", c.Alpha(), u)
		}
		d, ok := c.MinorUnits()
		if !ok {
			continue
		}
		compared++
		scale, _ := currency.Standard.Rounding(u)
		if scale == d {
			continue
		}
		differ++
		if want, listed := cldrDigits[c.Alpha()]; !listed || want != scale {
			t.Errorf("%s: ISO 4217 %d minor digits, x/text %d (not a known CLDR difference)", c.Alpha(), d, scale)
		}
	}
	t.Logf("compared %d currencies with x/text, %d known CLDR differences", compared, differ)
	if differ != len(cldrDigits) {
		t.Errorf("%d differences, %d listed: remove the stale entries", differ, len(cldrDigits))
	}
	if compared < 150 {
		t.Errorf("only %d currencies compared", compared)
	}
}

// Values from ISO 4217 list one (SIX Group, published 2024-06-25).
func TestCurrencyLookups(t *testing.T) {
	for _, tc := range []struct {
		alpha string
		num   int
		minor int
		name  string
	}{
		{"CNY", 156, 2, "Yuan Renminbi"}, {"USD", 840, 2, "US Dollar"}, {"JPY", 392, 0, "Yen"},
		{"BHD", 48, 3, "Bahraini Dinar"}, {"CLF", 990, 4, "Unidad de Fomento"}, {"HKD", 344, 2, "Hong Kong Dollar"},
		{"EUR", 978, 2, "Euro"}, {"KRW", 410, 0, "Won"}, {"ALL", 8, 2, "Lek"},
	} {
		c, ok := CurrencyByAlpha(tc.alpha)
		d, dok := c.MinorUnits()
		if !ok || c.Numeric() != tc.num || !dok || d != tc.minor || c.Name() != tc.name || c.String() != tc.alpha {
			t.Errorf("%s: %v %d %d %q", tc.alpha, ok, c.Numeric(), d, c.Name())
		}
		n, ok := CurrencyByNumeric(tc.num)
		if !ok || n != c {
			t.Errorf("numeric %d: %v", tc.num, n)
		}
		p, err := ParseCurrency(c.NumericString())
		if err != nil || p != c || len(c.NumericString()) != 3 {
			t.Errorf("field 49 %q: %v %v", c.NumericString(), p, err)
		}
		p, err = ParseCurrency(tc.alpha)
		if err != nil || p != c {
			t.Errorf("ParseCurrency(%q): %v", tc.alpha, err)
		}
	}
	if c, _ := CurrencyByAlpha("ALL"); c.NumericString() != "008" {
		t.Errorf("ALL numeric %q", c.NumericString())
	}
	if !MustCurrency("BOV").IsFund() || CNY.IsFund() {
		t.Error("IsFund")
	}
	xau := MustCurrency("XAU")
	if _, ok := xau.MinorUnits(); ok || xau.Numeric() != 959 {
		t.Error("XAU has no minor unit")
	}
	var zero Currency
	if zero.Valid() || zero.Alpha() != "" || zero.Numeric() != 0 || zero.NumericString() != "" || zero.Name() != "" || zero.IsFund() {
		t.Error("zero Currency")
	}
	if _, ok := zero.MinorUnits(); ok {
		t.Error("zero MinorUnits")
	}
	for _, bad := range []string{"", "cny", "XYZ", "000", "1000", "15", "9999", "abc1"} {
		if _, err := ParseCurrency(bad); !errors.Is(err, ErrCurrency) {
			t.Errorf("ParseCurrency(%q): %v", bad, err)
		}
	}
	if _, ok := CurrencyByNumeric(0); ok {
		t.Error("numeric 0")
	}
	if _, ok := CurrencyByNumeric(1000); ok {
		t.Error("numeric 1000")
	}
	// Unique codes in the table, and the publication date is recorded.
	seenA, seenN := map[string]bool{}, map[int]bool{}
	for _, c := range Currencies() {
		if seenA[c.Alpha()] || seenN[c.Numeric()] {
			t.Errorf("duplicate %s", c.Alpha())
		}
		seenA[c.Alpha()], seenN[c.Numeric()] = true, true
	}
	if ISO4217Published != "2024-06-25" {
		t.Errorf("published %s", ISO4217Published)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustCurrency did not panic")
		}
	}()
	MustCurrency("XYZ")
}

func TestAmounts(t *testing.T) {
	for _, tc := range []struct {
		s    string
		c    Currency
		want int64
	}{
		{"13", CNY, 1300}, {"3.25", CNY, 325}, {"0.5", CNY, 50}, {"10000.00", CNY, 1_000_000},
		{"-1.01", CNY, -101}, {"500", JPY, 500}, {"1.234", MustCurrency("BHD"), 1234},
		{"92233720368547758.07", CNY, 1<<63 - 1},
	} {
		got, err := ParseAmount(tc.s, tc.c)
		if err != nil || got != tc.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v", tc.s, tc.c, got, err)
		}
	}
	for _, bad := range []string{"", "1.234", "1.", ".5", "1e3", "+1", "1,00", "--1", "92233720368547758.08", "1 ", "x"} {
		if _, err := ParseAmount(bad, CNY); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseAmount(%q): %v", bad, err)
		}
	}
	if _, err := ParseAmount("1.5", JPY); !errors.Is(err, ErrAmount) {
		t.Error("JPY fraction")
	}
	if _, err := ParseAmount("1", MustCurrency("XAU")); !errors.Is(err, ErrCurrency) {
		t.Error("XAU amount")
	}
	for _, tc := range []struct {
		v    int64
		c    Currency
		want string
	}{{1_000_000, CNY, "10000.00"}, {5, CNY, "0.05"}, {-101, CNY, "-1.01"}, {0, CNY, "0.00"}, {500, JPY, "500"}, {-1 << 63, CNY, "-92233720368547758.08"}} {
		if got := FormatAmount(tc.v, tc.c); got != tc.want {
			t.Errorf("FormatAmount(%d) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// The embedded table is exactly the checked-in extract of ISO 4217 list
// one (so it was generated, not edited by hand).
func TestCurrencyTableMatchesSource(t *testing.T) {
	data, err := os.ReadFile("../internal/iso4217/testdata/iso4217-list-one-2024-06-25.csv")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rows = append(rows, strings.SplitN(line, ",", 5))
	}
	all := Currencies()
	if len(rows) != len(all) || len(all) != 179 {
		t.Fatalf("%d rows, %d currencies", len(rows), len(all))
	}
	for i, r := range rows {
		c := all[i]
		d, ok := c.MinorUnits()
		minor := "N.A."
		if ok {
			minor = strconv.Itoa(d)
		}
		fund := ""
		if c.IsFund() {
			fund = "true"
		}
		if c.Alpha() != r[0] || fmt.Sprintf("%03d", c.Numeric()) != r[1] || minor != r[2] || fund != r[3] || c.Name() != r[4] {
			t.Errorf("row %d %v: table has %s %d %s %q", i, r, c.Alpha(), c.Numeric(), minor, c.Name())
		}
	}
}
