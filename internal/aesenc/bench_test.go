package aesenc

import (
	"crypto/aes"
	"testing"
)

// Benchmarks in pairs: BenchmarkFloorX is crypto/aes doing what BenchmarkX
// does, so one run shows the ratio. Targets (internal/aesenc issue):
//   - InitEncrypt ≤ 0.5 × FloorNewCipherEncrypt, 0 allocs;
//   - Encrypt ≤ 1.2 × FloorEncrypt (crypto/aes through its cipher.Block).
//
// Each iteration enciphers the previous output, as DUKPT's dependent steps
// do, so the figures are latencies rather than pipelined throughput.

var benchKey = []byte("0123456789abcdef0123456789abcdef")

// The key-schedule benchmarks also feed each output block into the next key,
// as a DUKPT derivation does, so the schedule's latency is not hidden behind
// the previous iteration's block.

func benchFloorNewCipherEncrypt(b *testing.B, size int) {
	key := make([]byte, size)
	copy(key, benchKey)
	var buf [BlockSize]byte
	b.ReportAllocs()
	for b.Loop() {
		c, err := aes.NewCipher(key)
		if err != nil {
			b.Fatal(err)
		}
		c.Encrypt(buf[:], buf[:])
		copy(key, buf[:])
	}
}

func benchInitEncrypt(b *testing.B, size int) {
	key := make([]byte, size)
	copy(key, benchKey)
	var buf [BlockSize]byte
	b.ReportAllocs()
	for b.Loop() {
		var k Key
		if err := k.Init(key); err != nil {
			b.Fatal(err)
		}
		k.Encrypt(buf[:], buf[:])
		copy(key, buf[:])
	}
}

func benchFloorEncrypt(b *testing.B, size int) {
	c, err := aes.NewCipher(benchKey[:size])
	if err != nil {
		b.Fatal(err)
	}
	var buf [BlockSize]byte
	b.ReportAllocs()
	for b.Loop() {
		c.Encrypt(buf[:], buf[:])
	}
}

func benchEncrypt(b *testing.B, size int) {
	var k Key
	if err := k.Init(benchKey[:size]); err != nil {
		b.Fatal(err)
	}
	var buf [BlockSize]byte
	b.ReportAllocs()
	for b.Loop() {
		k.Encrypt(buf[:], buf[:])
	}
}

func BenchmarkFloorNewCipherEncrypt128(b *testing.B) { benchFloorNewCipherEncrypt(b, 16) }
func BenchmarkInitEncrypt128(b *testing.B)           { benchInitEncrypt(b, 16) }
func BenchmarkFloorEncrypt128(b *testing.B)          { benchFloorEncrypt(b, 16) }
func BenchmarkEncrypt128(b *testing.B)               { benchEncrypt(b, 16) }

func BenchmarkFloorNewCipherEncrypt192(b *testing.B) { benchFloorNewCipherEncrypt(b, 24) }
func BenchmarkInitEncrypt192(b *testing.B)           { benchInitEncrypt(b, 24) }
func BenchmarkFloorEncrypt192(b *testing.B)          { benchFloorEncrypt(b, 24) }
func BenchmarkEncrypt192(b *testing.B)               { benchEncrypt(b, 24) }

func BenchmarkFloorNewCipherEncrypt256(b *testing.B) { benchFloorNewCipherEncrypt(b, 32) }
func BenchmarkInitEncrypt256(b *testing.B)           { benchInitEncrypt(b, 32) }
func BenchmarkFloorEncrypt256(b *testing.B)          { benchFloorEncrypt(b, 32) }
func BenchmarkEncrypt256(b *testing.B)               { benchEncrypt(b, 32) }

// BenchmarkFallbackInitEncrypt128 and BenchmarkFallbackEncrypt128 show the
// crypto/aes fallback's cost (no target; for information).
func BenchmarkFallbackInitEncrypt128(b *testing.B) {
	forceFallback = true
	defer func() { forceFallback = false }()
	benchInitEncrypt(b, 16)
}

func BenchmarkFallbackEncrypt128(b *testing.B) {
	forceFallback = true
	defer func() { forceFallback = false }()
	benchEncrypt(b, 16)
}
