package dea

import (
	"crypto/des"
	"encoding/binary"
	"testing"
)

// Each benchmark of this package is paired with its floor, the same work
// done by crypto/des, so that one `go test -bench .` run shows the ratios:
//
//	BenchmarkKeyInitEncrypt / BenchmarkFloorDESNewCipherEncrypt   target ≤ 1/4
//	BenchmarkKeyEncrypt     / BenchmarkFloorDESEncrypt            target ≤ 1.05
//	BenchmarkEDEInitEncrypt / BenchmarkFloorTDESNewCipherEncrypt  target ≤ 1/4 (16-byte key)
//
// The key and block change on every iteration (a counter mixed in), so that
// nothing can be hoisted out of the loop.

var (
	benchKey16 = []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10}
	sinkU64    uint64
	sinkBytes  [8]byte
)

func BenchmarkKeyInitEncrypt(b *testing.B) {
	b.ReportAllocs()
	var kb [8]byte
	copy(kb[:], benchKey16)
	var x uint64
	for i := 0; b.Loop(); i++ {
		kb[7] = byte(i)
		var k Key
		k.Init(&kb)
		x ^= k.Encrypt(uint64(i))
	}
	sinkU64 = x
}

func BenchmarkFloorDESNewCipherEncrypt(b *testing.B) {
	b.ReportAllocs()
	kb := make([]byte, 8)
	copy(kb, benchKey16)
	var in, out [8]byte
	for i := 0; b.Loop(); i++ {
		kb[7] = byte(i)
		c, err := des.NewCipher(kb)
		if err != nil {
			b.Fatal(err)
		}
		binary.BigEndian.PutUint64(in[:], uint64(i))
		c.Encrypt(out[:], in[:])
	}
	sinkBytes = out
}

func BenchmarkKeyEncrypt(b *testing.B) {
	b.ReportAllocs()
	var k Key
	k.SetUint64(0x0123456789abcdef)
	var x uint64
	for b.Loop() {
		x = k.Encrypt(x)
	}
	sinkU64 = x
}

func BenchmarkFloorDESEncrypt(b *testing.B) {
	b.ReportAllocs()
	c, err := des.NewCipher(benchKey16[:8])
	if err != nil {
		b.Fatal(err)
	}
	var x [8]byte
	for b.Loop() {
		c.Encrypt(x[:], x[:])
	}
	sinkBytes = x
}

func BenchmarkKeyDecrypt(b *testing.B) {
	b.ReportAllocs()
	var k Key
	k.SetUint64(0x0123456789abcdef)
	var x uint64
	for b.Loop() {
		x = k.Decrypt(x)
	}
	sinkU64 = x
}

func BenchmarkFloorDESDecrypt(b *testing.B) {
	b.ReportAllocs()
	c, err := des.NewCipher(benchKey16[:8])
	if err != nil {
		b.Fatal(err)
	}
	var x [8]byte
	for b.Loop() {
		c.Decrypt(x[:], x[:])
	}
	sinkBytes = x
}

func BenchmarkEDEInitEncrypt(b *testing.B) {
	b.ReportAllocs()
	kb := make([]byte, 16)
	copy(kb, benchKey16)
	var x uint64
	for i := 0; b.Loop(); i++ {
		kb[7] = byte(i)
		var e EDE
		e.Init(kb)
		x ^= e.Encrypt(uint64(i))
	}
	sinkU64 = x
}

func BenchmarkFloorTDESNewCipherEncrypt(b *testing.B) {
	b.ReportAllocs()
	kb := make([]byte, 24)
	var in, out [8]byte
	for i := 0; b.Loop(); i++ {
		// The 24-byte form of the 16-byte key, as internal/tdes builds it.
		copy(kb, benchKey16)
		kb[7] = byte(i)
		copy(kb[16:], kb[:8])
		c, err := des.NewTripleDESCipher(kb)
		if err != nil {
			b.Fatal(err)
		}
		binary.BigEndian.PutUint64(in[:], uint64(i))
		c.Encrypt(out[:], in[:])
	}
	sinkBytes = out
}

func BenchmarkEDEEncrypt(b *testing.B) {
	b.ReportAllocs()
	var e EDE
	e.Init(benchKey16)
	var x uint64
	for b.Loop() {
		x = e.Encrypt(x)
	}
	sinkU64 = x
}

func BenchmarkFloorTDESEncrypt(b *testing.B) {
	b.ReportAllocs()
	kb := make([]byte, 24)
	copy(kb, benchKey16)
	copy(kb[16:], benchKey16[:8])
	c, err := des.NewTripleDESCipher(kb)
	if err != nil {
		b.Fatal(err)
	}
	var x [8]byte
	for b.Loop() {
		c.Encrypt(x[:], x[:])
	}
	sinkBytes = x
}
