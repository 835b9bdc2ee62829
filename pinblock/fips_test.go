package pinblock

import (
	"bytes"
	"crypto/fips140"
	"errors"
	"testing"

	"github.com/poskit/poskit/internal/fipstest"
)

// TestFIPS140Only runs TestFIPSOnlyPaths in a child process under
// GODEBUG=fips140=only, where crypto/des refuses DES. Run it directly with
//
//	GODEBUG=fips140=only go test -run FIPS ./pinblock
func TestFIPS140Only(t *testing.T) {
	fipstest.RunOnly(t, "TestFIPSOnlyPaths", "FIPS checks ran")
}

// TestFIPSOnlyPaths checks, in FIPS 140-only mode, that format 4 works
// (the docs/VECTORS.md vector of TestFormat4Vector) and that every TDES
// format returns ErrCipher, not a key length error or a panic.
func TestFIPSOnlyPaths(t *testing.T) {
	if !fips140.Enforced() {
		t.Skip("not in FIPS 140-only mode (see TestFIPS140Only)")
	}
	const pan = "4111111111111111"
	key := unhex(t, "AF8CB133A78F8DC2D1359F18527593FB")
	c, err := NewCipher(ISO4, key)
	if err != nil {
		t.Fatal(err)
	}
	c.Rand = bytes.NewReader(unhex(t, "2F69ADDE2E9E7ACE"))
	got, err := c.Encrypt("1234", pan)
	if want := unhex(t, "A912150391AB65A67E52883D81CE2D15"); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("format 4 in FIPS 140-only mode: %X, %v", got, err)
	}
	if pin, err := Decrypt(ISO4, key, got, pan); err != nil || pin != "1234" {
		t.Fatalf("Decrypt: %v", err)
	}
	if _, err := Encrypt(ISO4, key, "1234", pan); err != nil {
		t.Fatalf("one-shot format 4: %v", err)
	}
	k16 := make([]byte, 16)
	for _, f := range []Format{ISO0, ISO1, ISO2, ISO3} {
		if _, err := NewCipher(f, k16); !errors.Is(err, ErrCipher) || errors.Is(err, ErrKeyLength) {
			t.Errorf("NewCipher(%v): %v, want ErrCipher", f, err)
		}
		if _, err := Encrypt(f, k16, "1234", pan); !errors.Is(err, ErrCipher) {
			t.Errorf("Encrypt(%v): %v, want ErrCipher", f, err)
		}
		if _, err := Decrypt(f, k16, make([]byte, 8), pan); !errors.Is(err, ErrCipher) {
			t.Errorf("Decrypt(%v): %v, want ErrCipher", f, err)
		}
	}
	if _, err := Translate(ISO0, k16, ISO4, key, make([]byte, 8), pan); !errors.Is(err, ErrCipher) {
		t.Errorf("Translate: %v, want ErrCipher", err)
	}
	t.Log("FIPS checks ran")
}
