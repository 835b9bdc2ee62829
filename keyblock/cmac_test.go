package keyblock

import (
	"bytes"
	"crypto/aes"
	"testing"
)

// RFC 4493 section 4 (AES-128) examples.
func TestCMACRFC4493(t *testing.T) {
	b, _ := aes.NewCipher(unhex(t, "2b7e151628aed2a6abf7158809cf4f3c"))
	var c cmac
	c.init(b)
	msg := unhex(t, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "bb1d6929e95937287fa37d129b756746"},
		{16, "070a16b46b4d4144f79bdd9dd04a287c"},
		{40, "dfa66747de9ae63030ca32611497c827"},
		{64, "51f0bebf7e3b9d92fc49741779363cfe"},
	} {
		out := c.sum("", msg[:tc.n])
		if !bytes.Equal(out, unhex(t, tc.want)) {
			t.Errorf("len %d: %x, want %s", tc.n, out, tc.want)
		}
		// The same message split between header and data.
		out = c.sum(string(msg[:tc.n/3]), msg[tc.n/3:tc.n])
		if !bytes.Equal(out, unhex(t, tc.want)) {
			t.Errorf("len %d in two parts: %x, want %s", tc.n, out, tc.want)
		}
	}
}
