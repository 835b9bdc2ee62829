package mac

import (
	"github.com/poskit/poskit/internal/tdes"
)

// KCV returns the key check value of an 8-byte DES key or a 16- or 24-byte
// TDES key: the leftmost 3 bytes of the key enciphering a block of zeros
// (ANSI X9.24-1, and what key ceremonies and sign-on responses quote).
// Errors: ErrKeyLength, ErrUnavailable (DES refused, as in FIPS 140-only
// mode).
func KCV(key []byte) ([]byte, error) {
	if len(key) != 8 && len(key) != 16 && len(key) != 24 {
		return nil, keyLengthError("a DES/TDES key check value", "8, 16 or 24", len(key))
	}
	if err := desAllowed("a DES/TDES key check value"); err != nil {
		return nil, err
	}
	c, _ := tdes.NewCipherOrDES(key) // the length and the mode are checked
	b := make([]byte, 8)
	c.Encrypt(b, b)
	return b[:3:3], nil
}

// AESKCV returns the key check value of a 16-, 24- or 32-byte AES key as
// ANSI X9.24-3 and TR-31 define it: the leftmost 5 bytes of the AES-CMAC of
// a block of zeros.
func AESKCV(key []byte) ([]byte, error) {
	m, err := newAESCMAC(key)
	if err != nil {
		return nil, err
	}
	var zero [16]byte
	x := make([]byte, 16)
	m.sum(x, zero[:])
	return x[:5:5], nil
}
