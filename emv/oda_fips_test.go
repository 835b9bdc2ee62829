package emv

import (
	"crypto/fips140"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poskit/poskit/internal/fipstest"
)

// TestODAFIPS140Only signs an issuer certificate and static data here,
// then runs TestODAFIPSOnlyPaths on them in a child process under
// GODEBUG=fips140=only, where SHA-1 is refused: the ODA checks and option
// B of the ICC master key, even with a key handle that is no DES, return
// errors instead of panicking.
func TestODAFIPS140Only(t *testing.T) {
	if fips140.Enforced() || testing.Short() {
		t.Skip("signs with SHA-1; starts a child process")
	}
	ca := newODASigner(t, 1024, 3)
	issuer := newODASigner(t, 896, 3)
	cert, rem := ca.certify(0x02, []byte{0x47, 0x61, 0x73, 0xFF}, issuer.pub, nil)
	static := []byte("static application data")
	ssad := issuer.signSDA([]byte{0xDA, 0xC1}, static)
	lines := []string{hex.EncodeToString(ca.pub.Modulus), hex.EncodeToString(issuer.pub.Modulus),
		hex.EncodeToString(cert), hex.EncodeToString(rem), hex.EncodeToString(ssad)}
	file := filepath.Join(t.TempDir(), "oda.hex")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	fipstest.RunOnly(t, "TestODAFIPSOnlyPaths", "ODA FIPS checks ran", "POSKIT_ODA_FILE="+file)
}

// xorBlock is an 8-byte block cipher that is no cipher: a stand-in for a
// key handle (an HSM) that FIPS mode does not refuse.
type xorBlock struct{}

func (xorBlock) BlockSize() int { return 8 }
func (xorBlock) Encrypt(dst, src []byte) {
	for i := range 8 {
		dst[i] = src[i] ^ 0x5A
	}
}
func (b xorBlock) Decrypt(dst, src []byte) { b.Encrypt(dst, src) }

func TestODAFIPSOnlyPaths(t *testing.T) {
	if !fips140.Enforced() || os.Getenv("POSKIT_ODA_FILE") == "" {
		t.Skip("run by TestODAFIPS140Only")
	}
	raw, err := os.ReadFile(os.Getenv("POSKIT_ODA_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	var v [5][]byte
	for i, line := range strings.Split(string(raw), "\n") {
		if v[i], err = hex.DecodeString(line); err != nil {
			t.Fatal(err)
		}
	}
	three := []byte{3}
	ca, issuer := ODAPublicKey{Modulus: v[0], Exponent: three}, ODAPublicKey{Modulus: v[1], Exponent: three}
	if _, err := ODARecoverIssuerKey(ca, v[2], v[3], three, "4761739001010010"); !errors.Is(err, ErrODAKey) {
		t.Errorf("ODARecoverIssuerKey: %v, want ErrODAKey", err)
	}
	if _, err := ODAVerifySDA(issuer, v[4], []byte("static application data")); !errors.Is(err, ErrODAKey) {
		t.Errorf("ODAVerifySDA: %v, want ErrODAKey", err)
	}
	if _, err := ICCMasterKeyOptionBFromBlock(xorBlock{}, "12345678901234567", "01"); !errors.Is(err, ErrCryptogramCipher) {
		t.Errorf("ICCMasterKeyOptionBFromBlock: %v, want ErrCryptogramCipher", err)
	}
	t.Log("ODA FIPS checks ran")
}
