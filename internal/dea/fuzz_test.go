package dea

import (
	"crypto/des"
	"encoding/binary"
	"testing"
)

// FuzzCompareCryptoDES runs the differential test of TestCompareCryptoDES on
// arbitrary key and block bytes. Keys of 16 or 24 bytes are TDES keys, their
// first 8 bytes a DES key; any other key length must be refused by EDE.Init
// (and its first 8 bytes, zero-padded, still make a DES key). The block is
// the first 8 bytes of block, zero-padded.
func FuzzCompareCryptoDES(f *testing.F) {
	f.Add([]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}, []byte("Now is t"))
	f.Add([]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10}, []byte{})
	f.Add(make([]byte, 24), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{1, 2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Fuzz(func(t *testing.T, key, block []byte) {
		var in, out [8]byte
		copy(in[:], block)
		x := binary.BigEndian.Uint64(in[:])

		var kb [8]byte
		copy(kb[:], key)
		var k Key
		k.Init(&kb)
		c, err := des.NewCipher(kb[:])
		if err != nil {
			t.Fatal(err)
		}
		c.Encrypt(out[:], in[:])
		ct := k.Encrypt(x)
		if ct != binary.BigEndian.Uint64(out[:]) {
			t.Fatalf("DES key %X: Encrypt(%016X) = %016X, crypto/des %X", kb, x, ct, out)
		}
		if k.Decrypt(ct) != x {
			t.Fatalf("DES key %X: Decrypt(Encrypt(%016X)) != x", kb, x)
		}
		c.Decrypt(out[:], in[:])
		if got := k.Decrypt(x); got != binary.BigEndian.Uint64(out[:]) {
			t.Fatalf("DES key %X: Decrypt(%016X) = %016X, crypto/des %X", kb, x, got, out)
		}

		var e EDE
		ok := e.Init(key)
		if ok != (len(key) == 16 || len(key) == 24) {
			t.Fatalf("EDE.Init(%d bytes) = %v", len(key), ok)
		}
		if !ok {
			if e != (EDE{}) {
				t.Fatal("refused EDE.Init changed the schedule")
			}
			return
		}
		full := make([]byte, 0, 24)
		full = append(full, key...)
		if len(key) == 16 {
			full = append(full, key[:8]...)
		}
		c, err = des.NewTripleDESCipher(full)
		if err != nil {
			t.Fatal(err)
		}
		c.Encrypt(out[:], in[:])
		ct = e.Encrypt(x)
		if ct != binary.BigEndian.Uint64(out[:]) {
			t.Fatalf("TDES key %X: Encrypt(%016X) = %016X, crypto/des %X", key, x, ct, out)
		}
		if e.Decrypt(ct) != x {
			t.Fatalf("TDES key %X: Decrypt(Encrypt(%016X)) != x", key, x)
		}
		c.Decrypt(out[:], in[:])
		if got := e.Decrypt(x); got != binary.BigEndian.Uint64(out[:]) {
			t.Fatalf("TDES key %X: Decrypt(%016X) = %016X, crypto/des %X", key, x, got, out)
		}
	})
}
