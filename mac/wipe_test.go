package mac

import (
	"bytes"
	"crypto/aes"
	"testing"

	"github.com/poskit/poskit/internal/tdes"
)

// TestWipe checks that a wiped Algorithm no longer computes its key's MAC
// (its schedules are those of the zero key) and what Wipe reports.
func TestWipe(t *testing.T) {
	if !tdes.Allowed() {
		t.Skip("DES refused (FIPS 140-only mode)")
	}
	key := []byte("\x01\x23\x45\x67\x89\xAB\xCD\xEF\xFE\xDC\xBA\x98\x76\x54\x32\x10")
	data := []byte("Hello World !!!!")
	zero := make([]byte, 16)
	for name, mk := range map[string]func([]byte) (Algorithm, error){
		"alg1":     func(k []byte) (Algorithm, error) { return NewISO9797Alg1(k, Method1) },
		"alg1-des": func(k []byte) (Algorithm, error) { return NewISO9797Alg1(k[:8], Method1) },
		"alg3":     func(k []byte) (Algorithm, error) { return NewISO9797Alg3(k, Method1) },
		"cup":      NewCUPECB,
		"tdescmac": NewTDESCMAC,
	} {
		a, err := mk(key)
		if err != nil {
			t.Fatal(name, err)
		}
		z, _ := mk(zero[:len(key)])
		before := a.MAC(data)
		if !Wipe(a) {
			t.Errorf("%s: Wipe reported key material left", name)
		}
		after := a.MAC(data)
		if bytes.Equal(before, after) {
			t.Errorf("%s: the MAC did not change after Wipe", name)
		}
		if name != "tdescmac" && name != "alg1-des" && !bytes.Equal(after, z.MAC(data)) {
			t.Errorf("%s: after Wipe %X, the zero key gives %X", name, after, z.MAC(data))
		}
	}
	a, _ := NewAESCMAC(key)
	if Wipe(a) {
		t.Error("AES-CMAC: Wipe claimed to clear the crypto/aes schedule")
	}
	if c := a.(*cmac); c.k1 != [16]byte{} || c.k2 != [16]byte{} {
		t.Error("AES-CMAC: subkeys left")
	}
	b, _ := aes.NewCipher(key)
	fb, _ := NewCMACFromBlock(b)
	if Wipe(fb) {
		t.Error("a caller's block reported as cleared")
	}
	if Wipe(nil) {
		t.Error("nil reported as cleared")
	}
}
