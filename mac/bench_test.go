package mac

import (
	"crypto/aes"
	"crypto/des"
	"testing"
)

// A 282-byte MAB: the size of a typical ISO 8583 sale with field 55.
var mab282 = func() []byte {
	b := make([]byte, 282)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}()

// BenchmarkFloorDES37 is the floor for X9.19 over 282 bytes: 37 single-DES
// block operations with a prebuilt cipher.
func BenchmarkFloorDES37(b *testing.B) {
	c, _ := des.NewCipher(mustHex("0123456789ABCDEF"))
	var x [8]byte
	b.ReportAllocs()
	b.SetBytes(282)
	for b.Loop() {
		for i := 0; i < 37; i++ {
			c.Encrypt(x[:], x[:])
		}
	}
}

// BenchmarkX919Reused is X9.19 (ISO 9797-1 algorithm 3) over 282 bytes with a
// reused key schedule. Target: ≤ 1.1 × BenchmarkFloorDES37.
func BenchmarkX919Reused(b *testing.B) {
	m, _ := NewISO9797Alg3(mustHex("0123456789ABCDEFFEDCBA9876543210"), Method1)
	buf := make([]byte, 0, 8)
	b.ReportAllocs()
	b.SetBytes(282)
	for b.Loop() {
		buf = m.AppendMAC(buf[:0], mab282)
	}
}

// BenchmarkX919OneShot includes the key schedule and the returned slice.
func BenchmarkX919OneShot(b *testing.B) {
	key := mustHex("0123456789ABCDEFFEDCBA9876543210")
	b.ReportAllocs()
	b.SetBytes(282)
	for b.Loop() {
		ISO9797Alg3(key, mab282, Method1)
	}
}

// BenchmarkFloorAES20 is the floor for AES-CMAC over 282 bytes: 20 AES-128
// block operations with a prebuilt cipher.
func BenchmarkFloorAES20(b *testing.B) {
	c, _ := aes.NewCipher(mustHex("2B7E151628AED2A6ABF7158809CF4F3C"))
	var x [16]byte
	b.ReportAllocs()
	b.SetBytes(282)
	for b.Loop() {
		for i := 0; i < 20; i++ {
			c.Encrypt(x[:], x[:])
		}
	}
}

// BenchmarkAESCMACReused is AES-128-CMAC over 282 bytes with a reused key.
// Target: ≤ 1.2 × BenchmarkFloorAES20.
func BenchmarkAESCMACReused(b *testing.B) {
	m, _ := NewAESCMAC(mustHex("2B7E151628AED2A6ABF7158809CF4F3C"))
	buf := make([]byte, 0, 16)
	b.ReportAllocs()
	b.SetBytes(282)
	for b.Loop() {
		buf = m.AppendMAC(buf[:0], mab282)
	}
}

func BenchmarkTDESCMACReused(b *testing.B) {
	m, _ := NewTDESCMAC(mustHex("0123456789ABCDEFFEDCBA9876543210"))
	buf := make([]byte, 0, 8)
	b.ReportAllocs()
	b.SetBytes(282)
	for b.Loop() {
		buf = m.AppendMAC(buf[:0], mab282)
	}
}

func BenchmarkCUPECBReused(b *testing.B) {
	m, _ := NewCUPECB(mustHex("2222222222222222"))
	buf := make([]byte, 0, 8)
	b.ReportAllocs()
	b.SetBytes(282)
	for b.Loop() {
		buf = m.AppendMAC(buf[:0], mab282)
	}
}

func BenchmarkStreamingX919(b *testing.B) {
	m, _ := NewISO9797Alg3(mustHex("0123456789ABCDEFFEDCBA9876543210"), Method1)
	h := m.New()
	buf := make([]byte, 0, 8)
	b.ReportAllocs()
	b.SetBytes(282)
	for b.Loop() {
		h.Reset()
		h.Write(mab282)
		buf = h.Sum(buf[:0])
	}
}
