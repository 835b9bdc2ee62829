// Package tdes builds DES and TDES block ciphers from the key lengths used in
// payments: 8 bytes (single DES), 16 bytes (double-length 2TDEA, K1 K2 K1) and
// 24 bytes (triple-length 3TDEA).
//
// crypto/des only accepts 24-byte TDES keys; this package expands a 16-byte
// key on the stack so that callers neither allocate nor copy key material into
// a heap buffer they would have to wipe.
package tdes

import (
	"crypto/cipher"
	"crypto/des"
)

// NewCipher returns a TDES block cipher for a 16- or 24-byte key. ok is false
// for any other length; the caller turns that into its own sentinel error.
func NewCipher(key []byte) (b cipher.Block, ok bool) {
	switch len(key) {
	case 16:
		var k [24]byte
		copy(k[:16], key)
		copy(k[16:], key[:8])
		b, err := des.NewTripleDESCipher(k[:])
		clear(k[:])
		return b, err == nil
	case 24:
		b, err := des.NewTripleDESCipher(key)
		return b, err == nil
	}
	return nil, false
}

// NewCipherOrDES is NewCipher that also accepts an 8-byte single-DES key.
func NewCipherOrDES(key []byte) (cipher.Block, bool) {
	if len(key) == 8 {
		b, err := des.NewCipher(key)
		return b, err == nil
	}
	return NewCipher(key)
}

// Expand returns a 24-byte copy of a 16- or 24-byte TDES key (K1 K2 K1 for a
// double-length key). ok is false for any other length.
func Expand(key []byte) (k [24]byte, ok bool) {
	switch len(key) {
	case 16:
		copy(k[:16], key)
		copy(k[16:], key[:8])
		return k, true
	case 24:
		copy(k[:], key)
		return k, true
	}
	return k, false
}

// FixParity sets each byte of key to odd parity in place (the low bit of each
// DES key byte is its parity bit).
func FixParity(key []byte) {
	for i, b := range key {
		b &^= 1
		// Odd parity: count the seven key bits and set bit 0 to make the total odd.
		p := b ^ b>>4
		p ^= p >> 2
		p ^= p >> 1
		if p&1 == 0 {
			b |= 1
		}
		key[i] = b
	}
}
