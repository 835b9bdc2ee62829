package iso8583

import (
	"fmt"
	"strings"
	"testing"
)

// Formatting a Transaction, Card, BatchRecord or SessionKeys with any verb
// shows no PAN, track data, expiry, PIN block or key.
func TestFormatMasks(t *testing.T) {
	for _, d := range []Dialect{ISO87, UnionPay} {
		sale, err := testTerminal(d).Sale(chip, 1000)
		if err != nil {
			t.Fatal(err)
		}
		keys := SessionKeys{PIN: []byte{0xD1, 0xEE, 0xF4, 0x19, 0xD0, 0xAE, 0x26, 0x09}, MAC: []byte{0x1B, 0x9C, 0x18, 0x45, 0xEB, 0x99, 0x3A, 0x7A}}
		rec := BatchRecord{STAN: "000001", PAN: "6224242900000113", Amount: 1}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
			out := fmt.Sprintf(verb+" "+verb+" "+verb+" "+verb+" "+verb+" "+verb, sale, *sale, chip, rec, keys, &keys)
			for _, secret := range []string{"6224242900000113", "2806", "28062013949031013", "d1eef419", "D1EEF419", "1b9c1845", "1B9C1845", "[209 238"} {
				if strings.Contains(out, secret) {
					t.Errorf("%v %s shows %s: %s", d, verb, secret, out)
				}
			}
			if !strings.Contains(out, "622424******0113") {
				t.Errorf("%v %s: no masked PAN: %s", d, verb, out)
			}
		}
	}
	if s := (Transaction{MTI: "0800", F63: &Field63{Code: "001"}}).String(); s != "0800 63=001" {
		t.Errorf("String = %q", s)
	}
}
