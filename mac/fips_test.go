package mac

import (
	"crypto/fips140"
	"errors"
	"fmt"
	"testing"

	"github.com/poskit/poskit/internal/fipstest"
)

// TestFIPS140Only runs TestFIPSOnlyPaths in a child process under
// GODEBUG=fips140=only, the mode in which crypto/des refuses DES. Run it
// directly with
//
//	GODEBUG=fips140=only go test -run FIPS ./mac
func TestFIPS140Only(t *testing.T) {
	fipstest.RunOnly(t, "TestFIPSOnlyPaths", "FIPS checks ran")
}

// TestFIPSOnlyPaths checks, in FIPS 140-only mode, that AES-CMAC works and
// that every DES-based constructor returns ErrUnavailable rather than a key
// length error or a cipher that panics on first use.
func TestFIPSOnlyPaths(t *testing.T) {
	if !fips140.Enforced() {
		t.Skip("not in FIPS 140-only mode (see TestFIPS140Only)")
	}
	// RFC 4493 example 2 (16-byte message); docs/VECTORS.md.
	key := unhex(t, "2b7e151628aed2a6abf7158809cf4f3c")
	msg := unhex(t, "6bc1bee22e409f96e93d7e117393172a")
	got, err := AESCMAC(key, msg)
	if err != nil || fmt.Sprintf("%X", got) != "070A16B46B4D4144F79BDD9DD04A287C" {
		t.Fatalf("AES-CMAC in FIPS 140-only mode: %X, %v", got, err)
	}
	if _, err := AESKCV(key); err != nil {
		t.Fatalf("AESKCV: %v", err)
	}
	k16 := make([]byte, 16)
	des := map[string]func() error{
		"ISO9797Alg1 DES":  func() error { _, err := ISO9797Alg1(k16[:8], msg, Method1); return err },
		"ISO9797Alg1 TDES": func() error { _, err := NewISO9797Alg1(k16, Method2); return err },
		"ISO9797Alg3":      func() error { _, err := ISO9797Alg3(k16, msg, Method1); return err },
		"TDESCMAC":         func() error { _, err := NewTDESCMAC(k16); return err },
		"CUPECB 8":         func() error { _, err := NewCUPECB(k16[:8]); return err },
		"CUPECB 16":        func() error { _, err := CUPECB(k16, msg); return err },
		"KCV":              func() error { _, err := KCV(k16); return err },
	}
	for name, f := range des {
		if err := f(); !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrKeyLength) {
			t.Errorf("%s: %v, want ErrUnavailable", name, err)
		}
	}
	t.Log("FIPS checks ran")
}
