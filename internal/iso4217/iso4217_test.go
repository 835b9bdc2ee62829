package iso4217

import "testing"

// Rows checked against ISO 4217 list one (SIX Group, 2024-06-25).
func TestLookups(t *testing.T) {
	for _, c := range []struct {
		alpha   string
		numeric int
		minor   int8
	}{
		{"CNY", 156, 2}, {"JPY", 392, 0}, {"BHD", 48, 3}, {"CLF", 990, 4}, {"XAU", 959, -1}, {"USD", 840, 2},
	} {
		a, n := ByAlpha(c.alpha), ByNumeric(c.numeric)
		if a == nil || a != n || a.Numeric != uint16(c.numeric) || a.Minor != c.minor {
			t.Errorf("%s: ByAlpha %+v, ByNumeric %+v; want numeric %d minor %d", c.alpha, a, n, c.numeric, c.minor)
		}
	}
	for _, n := range []int{0, -1, 1000} {
		if ByNumeric(n) != nil {
			t.Errorf("ByNumeric(%d) found a row", n)
		}
	}
	if ByAlpha("cny") != nil || ByAlpha("") != nil {
		t.Error("ByAlpha accepts a lower-case or empty code")
	}
	if len(All()) != len(table) || Published == "" {
		t.Error("All or Published is off")
	}
}
