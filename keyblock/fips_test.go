package keyblock

import (
	"bytes"
	"crypto/fips140"
	"errors"
	"testing"

	"github.com/poskit/poskit/internal/fipstest"
)

// TestFIPS140Only runs TestFIPSOnlyPaths in a child process under
// GODEBUG=fips140=only, where Go refuses TDES. Run it directly with
//
//	GODEBUG=fips140=only go test -run FIPS ./keyblock
func TestFIPS140Only(t *testing.T) {
	fipstest.RunOnly(t, "TestFIPSOnlyPaths", "FIPS checks ran")
}

// TestFIPSOnlyPaths checks, in FIPS 140-only mode, that version D with AES
// works and that every TDES path returns ErrCipher instead of panicking.
func TestFIPSOnlyPaths(t *testing.T) {
	if !fips140.Enforced() {
		t.Skip("not in FIPS 140-only mode (see TestFIPS140Only)")
	}
	d := publishedVectors[7] // TR-31:2018 A.7.4, version D
	if _, key, err := Unwrap(unhex(t, d.kbpk), d.block); err != nil || !bytes.Equal(key, unhex(t, d.key)) {
		t.Fatalf("version D: %v", err)
	}
	kbpk := bytes.Repeat([]byte{0x42}, 32)
	h := Header{Version: 'D', Usage: "P0", Algorithm: 'A', Mode: 'E', KeyVersion: "00", Exportability: 'E', Blocks: []Block{{"KC", "01"}, {"KP", "01"}}}
	kb, err := Wrap(kbpk, h, kbpk[:16])
	if err != nil {
		t.Fatalf("Wrap D: %v", err)
	}
	if _, _, err := Unwrap(kbpk, kb); err != nil {
		t.Fatalf("Unwrap D: %v", err)
	}
	for _, v := range publishedVectors[:7] { // versions A, B, C
		if _, _, err := Unwrap(unhex(t, v.kbpk), v.block); !errors.Is(err, ErrCipher) {
			t.Errorf("%s: %v, want ErrCipher", v.source, err)
		}
	}
	h.Version, h.Algorithm, h.Blocks = 'B', 'T', nil
	if _, err := Wrap(kbpk[:16], h, kbpk[:16]); !errors.Is(err, ErrCipher) {
		t.Errorf("Wrap B: %v", err)
	}
	// A TDES key in a version D block wraps, but its check value cannot be
	// computed.
	h.Version, h.Blocks = 'D', []Block{{"KC", "00"}}
	if _, err := Wrap(kbpk, h, kbpk[:16]); !errors.Is(err, ErrCipher) {
		t.Errorf("Wrap D with a TDES KC: %v", err)
	}
	if _, err := CheckValue('T', kbpk[:16], KCVLegacy); !errors.Is(err, ErrCipher) {
		t.Errorf("CheckValue T: %v", err)
	}
	t.Log("FIPS checks ran")
}
