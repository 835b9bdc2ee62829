package tms

import (
	"bytes"
	"crypto/fips140"
	"errors"
	"testing"
)

// The generator is deterministic and what it makes parses back to the
// same bytes; the card's signature of dynamic data recovers.
func TestGenerateRoundTrip(t *testing.T) {
	if fips140.Enforced() {
		if _, _, err := Generate(); !errors.Is(err, ErrSHA1) {
			t.Fatalf("FIPS 140-only: %v, want ErrSHA1", err)
		}
		t.Skip("SHA-1 is refused in FIPS 140-only mode")
	}
	f, c, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	fb, _ := Marshal(f)
	cb, _ := Marshal(c)
	g, err := Parse(fb)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseCard(cb)
	if err != nil {
		t.Fatal(err)
	}
	fb2, _ := Marshal(g)
	cb2, _ := Marshal(d)
	if !bytes.Equal(fb, fb2) || !bytes.Equal(cb, cb2) {
		t.Error("parse and marshal do not round-trip")
	}
	if s := d.String(); s != "card A0000000031010 (CA key index E1)" {
		t.Errorf("String: %q", s)
	}
	if _, err := d.SignDynamic(make([]byte, 200), nil); !errors.Is(err, ErrFile) {
		t.Errorf("dynamic data too long: %v", err)
	}
	if sig, err := d.SignDynamic([]byte{2, 1, 2}, []byte{1, 2, 3, 4}); err != nil || len(sig) != len(d.ICCModulus) {
		t.Errorf("SignDynamic: %d bytes, %v", len(sig), err)
	}
	var h Hex
	if err := h.UnmarshalText([]byte("GG")); !errors.Is(err, ErrFile) {
		t.Errorf("bad hex: %v", err)
	}
}

// FuzzParse: the terminal management file and the card's personalisation
// readers refuse bad input with an error, never a panic, and what Parse
// accepts marshals and parses again.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"caKeys":[{"rid":"A000000333","index":"E1","modulus":"C1","exponent":"03","expiry":"2035-12-31","checksum":"00"}]}`))
	f.Add([]byte(`{"aids":[{"aid":"A0000003330101","version":"0030","tacDenial":"0010000000","tacOnline":"D84004F800","tacDefault":"D84000A800","defaultDDOL":"9F3704"}]}`))
	f.Add([]byte(`{"hotCards":{"version":"000001","pans":["6212340000000000018"]}}`))
	f.Add([]byte(`{"aid":"A0000000031010","aip":"7C00","caIndex":"E1","issuerCert":"00","issuerExponent":"03"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if file, err := Parse(data); err == nil {
			b, err := Marshal(file)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Parse(b); err != nil {
				t.Fatalf("accepted, marshalled, refused: %v", err)
			}
		}
		if c, err := ParseCard(data); err == nil {
			_ = c.StaticData()
			_ = c.String()
		}
	})
}
