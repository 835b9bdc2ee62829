// Package tdes builds DES and TDES block ciphers from the key lengths used in
// payments: 8 bytes (single DES), 16 bytes (double-length 2TDEA, K1 K2 K1) and
// 24 bytes (triple-length 3TDEA).
//
// The ciphers run on internal/dea, whose key schedule costs about a tenth of
// crypto/des's and whose results are crypto/des's for every key and block, so
// the one-shot paths of pinblock, mac, emv and iso8583 (a fresh DUKPT or
// session key per message) are not dominated by key schedules. A 16-byte key
// is never expanded into a copy: K1's schedule serves as K3's. DES is
// refused exactly when the standard library refuses it (FIPS 140-only mode).
package tdes

import (
	"crypto/cipher"
	"crypto/des"
	"encoding/binary"
	"sync"

	"github.com/poskit/poskit/internal/dea"
)

// Allowed reports whether this process may use DES: crypto/des refuses it in
// FIPS 140-only mode (GODEBUG=fips140=only), and so does this package.
var Allowed = sync.OnceValue(func() bool {
	var k [8]byte
	_, err := des.NewCipher(k[:])
	return err == nil
})

// ede is a cipher.Block on a TDES schedule.
type ede struct{ e dea.EDE }

func (b *ede) BlockSize() int { return des.BlockSize }

func (b *ede) Encrypt(dst, src []byte) {
	check(dst, src)
	binary.BigEndian.PutUint64(dst, b.e.Encrypt(binary.BigEndian.Uint64(src)))
}

func (b *ede) Decrypt(dst, src []byte) {
	check(dst, src)
	binary.BigEndian.PutUint64(dst, b.e.Decrypt(binary.BigEndian.Uint64(src)))
}

// single is a cipher.Block on a DES schedule.
type single struct{ k dea.Key }

func (b *single) BlockSize() int { return des.BlockSize }

func (b *single) Encrypt(dst, src []byte) {
	check(dst, src)
	binary.BigEndian.PutUint64(dst, b.k.Encrypt(binary.BigEndian.Uint64(src)))
}

func (b *single) Decrypt(dst, src []byte) {
	check(dst, src)
	binary.BigEndian.PutUint64(dst, b.k.Decrypt(binary.BigEndian.Uint64(src)))
}

// check enforces the cipher.Block contract as crypto/des does: a short
// buffer is a programming error in the caller.
func check(dst, src []byte) {
	if len(src) < des.BlockSize || len(dst) < des.BlockSize {
		panic("tdes: input not full block")
	}
}

// NewCipher returns a TDES block cipher for a 16- or 24-byte key. ok is false
// for any other length, and when DES is refused (see Allowed); the caller
// turns that into its own sentinel error.
func NewCipher(key []byte) (b cipher.Block, ok bool) {
	if (len(key) != 16 && len(key) != 24) || !Allowed() {
		return nil, false
	}
	c := new(ede)
	c.e.Init(key)
	return c, true
}

// NewCipherOrDES is NewCipher that also accepts an 8-byte single-DES key.
func NewCipherOrDES(key []byte) (cipher.Block, bool) {
	if len(key) == 8 {
		if !Allowed() {
			return nil, false
		}
		c := new(single)
		c.k.Init((*[8]byte)(key))
		return c, true
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

// Wipe zeroes the schedule of a block made by this package and reports
// whether b was one; a block from elsewhere is left as it is. The block
// must not be used afterwards.
func Wipe(b cipher.Block) bool {
	switch c := b.(type) {
	case *ede:
		c.e.Wipe()
		return true
	case *single:
		c.k.Wipe()
		return true
	}
	return false
}
