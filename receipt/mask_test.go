package receipt

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestMaskPANTable(t *testing.T) {
	const pan = "6222021234567890128" // 19 digits, test number
	tests := []struct {
		m    MaskPolicy
		c    Copy
		want string
	}{
		{MaskUnionPay, MerchantCopy, "622202*********0128"},
		{MaskUnionPay, CardholderCopy, "622202*********0128"},
		{MaskUnionPay, BankCopy, "622202*********0128"},
		{MaskPCI, MerchantCopy, "622202*********0128"},
		{MaskPCI, CardholderCopy, "***************0128"},
		{MaskPCI, BankCopy, "622202*********0128"},
		{MaskFACTA, MerchantCopy, "***************0128"},
		{MaskFACTA, CardholderCopy, "***************0128"},
		{MaskPolicy(99), MerchantCopy, "***************0128"},
	}
	for _, tt := range tests {
		if got := MaskPAN(pan, tt.m, tt.c); got != tt.want {
			t.Errorf("MaskPAN(%d, %d) = %q, want %q", tt.m, tt.c, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"", ""}, {"1234", "****"}, {"12345", "*2345"}, {"1234567890", "******7890"},
		{"12345678901", "123456*8901"}, {"6222x21234567890", "6222*2******7890"},
	} {
		if got := MaskPAN(tt.in, MaskUnionPay, MerchantCopy); got != tt.want {
			t.Errorf("MaskPAN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	dst := []byte("card ")
	if got := string(AppendMaskedPAN(dst, pan, MaskPCI, CardholderCopy)); got != "card ***************0128" {
		t.Errorf("AppendMaskedPAN = %q", got)
	}
}

// TestMaskProperty: over random PANs of 13 to 19 digits, no policy shows
// more digits than it allows, every shown digit is the PAN's own in its
// place, and nothing beyond first 6 + last 4 is ever shown (PCI DSS 3.4).
func TestMaskProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2026))
	allow := func(m MaskPolicy, c Copy) (head, tail int) {
		switch {
		case m == MaskUnionPay:
			return 6, 4
		case m == MaskPCI && c != CardholderCopy:
			return 6, 4
		}
		return 0, 4 // PCI cardholder copy; FACTA: at most the last 5, we show 4
	}
	for trial := 0; trial < 20000; trial++ {
		n := 13 + rng.IntN(7)
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		pan := string(b)
		for m := MaskPolicy(0); m < numPolicies; m++ {
			for c := Copy(0); c < numCopies; c++ {
				got := MaskPAN(pan, m, c)
				if len(got) != n {
					t.Fatalf("length %d, want %d", len(got), n)
				}
				head, tail := allow(m, c)
				shown := 0
				for i := 0; i < n; i++ {
					if got[i] == '*' {
						continue
					}
					shown++
					if got[i] != pan[i] || (i >= head && i < n-tail) {
						t.Fatalf("policy %d copy %d shows digit %d of a %d-digit PAN", m, c, i, n)
					}
				}
				if shown != head+tail {
					t.Fatalf("policy %d copy %d shows %d digits, want %d", m, c, shown, head+tail)
				}
				if m == MaskFACTA && shown > 5 {
					t.Fatalf("FACTA shows %d digits", shown)
				}
			}
		}
	}
}

// TestSlipNeverLeaksPAN renders every copy under every policy in every
// renderer and checks the full PAN, and any run of digits longer than the
// policy allows, never appears.
func TestSlipNeverLeaksPAN(t *testing.T) {
	s := chipSale()
	s.Card.Expiry = "2812"
	for m := MaskPolicy(0); m < numPolicies; m++ {
		for _, show := range []bool{false, true} {
			p, err := NewPrinter(Config{Policy: Policy{Mask: m, ShowExpiry: show}})
			if err != nil {
				t.Fatal(err)
			}
			for c := Copy(0); c < numCopies; c++ {
				s.Copy = c
				for name, f := range map[string]func([]byte, Document) ([]byte, error){"text": p.AppendText, "escpos": p.AppendESCPOS, "html": p.AppendHTML} {
					b, err := f(nil, s)
					if err != nil {
						t.Fatal(err)
					}
					out := string(b)
					if strings.Contains(out, s.Card.PAN) || strings.Contains(out, s.Card.PAN[6:15]) {
						t.Fatalf("%s policy %d copy %d: PAN digits leak", name, m, c)
					}
					hasExp := strings.Contains(out, "2028/12")
					if want := show && m != MaskFACTA; hasExp != want {
						t.Fatalf("%s policy %d copy %d: expiry printed %v, want %v", name, m, c, hasExp, want)
					}
					masked := MaskPAN(s.Card.PAN, m, c)
					if !strings.Contains(out, masked) {
						t.Fatalf("%s policy %d copy %d: masked PAN %q missing", name, m, c, masked)
					}
				}
			}
		}
	}
}

func TestCardString(t *testing.T) {
	c := Card{PAN: "6222021234567890128", Expiry: "2812", Entry: EntryChip}
	if got := c.String(); got != "622202*********0128 I" {
		t.Errorf("Card.String() = %q", got)
	}
	c.Entry = EntryUnknown
	if got := c.String(); got != "622202*********0128" {
		t.Errorf("Card.String() = %q", got)
	}
}

// TestFormatNeverLeaks: printing a Slip with fmt shows the card masked.
func TestFormatNeverLeaks(t *testing.T) {
	s := chipSale()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, *s) + fmt.Sprintf(verb, s.Card)
		if strings.Contains(out, s.Card.PAN) || strings.Contains(out, "2812") {
			t.Errorf("%s leaks card data: %s", verb, out)
		}
	}
}
