package pinblock

import (
	"crypto/aes"
	"crypto/des"
	"crypto/rand"
	"runtime"
	"testing"
)

// Floors and targets of issue 2 ("Benchmarks"), side by side so that one
// `go test -bench .` run shows the ratios:
//
//	BenchmarkEncryptISO0         ≤ 1.05 × BenchmarkFloorTDESKeySchedule
//	BenchmarkEncryptISO0Reused   ≤ 1.5 × BenchmarkFloorTDES (+ BenchmarkEncodeISO0)
//	BenchmarkEncryptISO4         ≤ 1.2 × BenchmarkFloorAESKeySchedule, ≤ 2 allocs
//	BenchmarkEncryptISO4Reused   ≤ 2 × BenchmarkFloorAES
//
// Besides ns/op, each benchmark reports cpu-ns/op on Linux: the CPU time of
// the benchmark's own OS thread per operation. On a machine shared with other
// work, wall time is inflated by waiting for a core while CPU time is not,
// so compare cpu-ns/op there (it leaves out the garbage collector's
// background work, which floors and targets share alike).

var (
	benchKey16  = []byte("\x04\x26\x66\xB4\x91\x84\xCF\x5C\x68\xDE\x96\x28\xD0\x39\x7B\x36")
	benchKey24  = append(append([]byte{}, benchKey16...), benchKey16[:8]...)
	benchKeyAES = []byte("\xAF\x8C\xB1\x33\xA7\x8F\x8D\xC2\xD1\x35\x9F\x18\x52\x75\x93\xFB")
	benchSink   []byte
	benchPIN    string
)

const (
	benchPIN4 = "1234"
	benchPAN  = "4111111111111111"
)

// loop runs body under b.Loop on a locked OS thread and reports the
// thread's CPU time per operation as cpu-ns/op.
func loop(b *testing.B, body func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	t0, ok := threadCPU()
	n := 0
	for b.Loop() {
		body()
		n++
	}
	if t1, ok1 := threadCPU(); ok && ok1 && n > 0 {
		b.ReportMetric(float64(t1-t0)/float64(n), "cpu-ns/op")
	}
}

// One TDES block with a prebuilt cipher.
func BenchmarkFloorTDES(b *testing.B) {
	c, _ := des.NewTripleDESCipher(benchKey24)
	buf := make([]byte, 8)
	loop(b, func() { c.Encrypt(buf, buf) })
	benchSink = buf
}

// des.NewTripleDESCipher plus one block.
func BenchmarkFloorTDESKeySchedule(b *testing.B) {
	buf := make([]byte, 8)
	loop(b, func() {
		c, _ := des.NewTripleDESCipher(benchKey24)
		c.Encrypt(buf, buf)
	})
	benchSink = buf
}

// Two AES-128 blocks and 8 random bytes with a prebuilt cipher.
func BenchmarkFloorAES(b *testing.B) {
	c, _ := aes.NewCipher(benchKeyAES)
	buf := make([]byte, 16)
	loop(b, func() {
		rand.Read(buf[8:])
		c.Encrypt(buf, buf)
		c.Encrypt(buf, buf)
	})
	benchSink = buf
}

// aes.NewCipher plus two blocks and 8 random bytes.
func BenchmarkFloorAESKeySchedule(b *testing.B) {
	buf := make([]byte, 16)
	loop(b, func() {
		c, _ := aes.NewCipher(benchKeyAES)
		rand.Read(buf[8:])
		c.Encrypt(buf, buf)
		c.Encrypt(buf, buf)
	})
	benchSink = buf
}

// The formatting alone (clear block with its allocation), for the "+ the
// formatting" of the reused-cipher target.
func BenchmarkEncodeISO0(b *testing.B) {
	loop(b, func() { benchSink, _ = Encode(ISO0, benchPIN4, benchPAN) })
}

func BenchmarkEncryptISO0(b *testing.B) {
	loop(b, func() { benchSink, _ = Encrypt(ISO0, benchKey16, benchPIN4, benchPAN) })
}

func BenchmarkEncryptISO0Reused(b *testing.B) {
	c, _ := NewCipher(ISO0, benchKey16)
	loop(b, func() { benchSink, _ = c.Encrypt(benchPIN4, benchPAN) })
}

// The allocation-free form: PIN as bytes, output appended to a reused buffer.
func BenchmarkEncryptISO0AppendReused(b *testing.B) {
	c, _ := NewCipher(ISO0, benchKey16)
	pin := []byte(benchPIN4)
	dst := make([]byte, 0, 16)
	loop(b, func() { dst, _ = c.AppendEncrypt(dst[:0], pin, benchPAN) })
	benchSink = dst
}

func BenchmarkEncryptISO4(b *testing.B) {
	loop(b, func() { benchSink, _ = Encrypt(ISO4, benchKeyAES, benchPIN4, benchPAN) })
}

func BenchmarkEncryptISO4Reused(b *testing.B) {
	c, _ := NewCipher(ISO4, benchKeyAES)
	loop(b, func() { benchSink, _ = c.Encrypt(benchPIN4, benchPAN) })
}

func BenchmarkEncryptISO4AppendReused(b *testing.B) {
	c, _ := NewCipher(ISO4, benchKeyAES)
	pin := []byte(benchPIN4)
	dst := make([]byte, 0, 16)
	loop(b, func() { dst, _ = c.AppendEncrypt(dst[:0], pin, benchPAN) })
	benchSink = dst
}

func BenchmarkDecryptISO0(b *testing.B) {
	block, _ := Encrypt(ISO0, benchKey16, benchPIN4, benchPAN)
	loop(b, func() { benchPIN, _ = Decrypt(ISO0, benchKey16, block, benchPAN) })
}

func BenchmarkDecryptISO4Reused(b *testing.B) {
	c, _ := NewCipher(ISO4, benchKeyAES)
	block, _ := c.Encrypt(benchPIN4, benchPAN)
	loop(b, func() { benchPIN, _ = c.Decrypt(block, benchPAN) })
}

// A host's everyday path: format 0 under a terminal key into format 4 under
// a zone key, both key schedules reused.
func BenchmarkTranslateISO0ToISO4Reused(b *testing.B) {
	from, _ := NewCipher(ISO0, benchKey16)
	to, _ := NewCipher(ISO4, benchKeyAES)
	block, _ := from.Encrypt(benchPIN4, benchPAN)
	loop(b, func() { benchSink, _ = from.Translate(to, block, benchPAN) })
}
