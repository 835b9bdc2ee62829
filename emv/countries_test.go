package emv

import (
	"fmt"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// The generated country table agrees with its source, the UN M.49 and
// ISO 3166-1 data of golang.org/x/text (go generate ./emv rewrites it).
func TestCountriesTableFresh(t *testing.T) {
	names := display.English.Regions()
	n := 0
	for code := 1; code < 1000; code++ {
		r, err := language.ParseRegion(fmt.Sprintf("%03d", code))
		if err != nil || len(r.String()) != 2 || !r.IsCountry() {
			continue
		}
		n++
		c, ok := countries[uint16(code)]
		if !ok || c.alpha2 != r.String() || c.name != names.Name(r) {
			t.Errorf("%03d: table %+v, x/text %s %s", code, c, r, names.Name(r))
		}
	}
	if n != len(countries) || n < 240 {
		t.Errorf("%d countries in x/text, %d in the table", n, len(countries))
	}
}
