package dukpt_test

import (
	"crypto/aes"
	"crypto/des"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/poskit/poskit/dukpt"
)

// Benchmarks and their floors, side by side so that one run shows the ratios:
//
//   BenchmarkTDESKey/bits=N      vs BenchmarkFloorTDES/bits=N (target ≤ 1.05×)
//   BenchmarkTDESReceiver/...    vs BenchmarkTDESKey/bits=1   (target ≥ 3× faster)
//   BenchmarkAESKey/bits=N       vs BenchmarkFloorAES/bits=N  (target ≤ 1.2×)
//
// The floors are the standard library's cost of the cipher operations the
// standards require, key schedules included (and with them the one
// allocation crypto/des and crypto/aes make per key schedule):
//
//   TDES: 2 × (TDES key schedule + block) for the IPEK, then
//         2 × (DES key schedule + block) per one-bit of the counter;
//   AES:  (one-bits + 2) × (AES key schedule + block): the initial key, one
//         intermediate key per one-bit, the working key (AES-128).
//
// TDES derivations come in well under their floor: their DES schedules are
// values (internal/dea), built without allocating at about a tenth of
// crypto/des's cost, and a double-length TDES key takes two DES schedules,
// not crypto/des's three. AES derivations make exactly the floor's cipher
// calls on crypto/aes, so their ratio measures the overhead around them.
//
// The receiver's target is met by its device cache (a repeat terminal: the
// IPEK's step schedules are kept). For a terminal it has never seen, the
// receiver saves only the two BDK schedules: at counter 1 TDESKey does
// 6 DES schedules + 8 DES blocks and the receiver 2 schedules + 8 blocks,
// a ratio below 3 however fast or slow a schedule is.

// TDES counters with 1, 5 and 10 one-bits.
var tdesBenchCounters = []struct {
	bits int
	ksn  string
}{
	{1, "FFFF9876543210E00001"},
	{5, "FFFF9876543210E0001F"},
	{10, "FFFF9876543210E003FF"},
}

// AES counters with 1, 8 and 16 one-bits.
var aesBenchCounters = []struct {
	bits int
	ksn  string
}{
	{1, aesKeyID + "00000001"},
	{8, aesKeyID + "000000FF"},
	{16, aesKeyID + "0000FFFF"},
}

var benchSink []byte

func BenchmarkFloorTDES(b *testing.B) {
	for _, c := range tdesBenchCounters {
		b.Run(fmt.Sprintf("bits=%d", c.bits), func(b *testing.B) {
			b.ReportAllocs()
			var k24 [24]byte
			var k8 [8]byte
			copy(k24[:], unhex(b, tdesBDK+tdesBDK[:16]))
			blk := make([]byte, 8)
			for b.Loop() {
				for range 2 {
					tc, _ := des.NewTripleDESCipher(k24[:])
					tc.Encrypt(blk, blk)
				}
				for range 2 * c.bits {
					k8[0] = blk[0]
					dc, _ := des.NewCipher(k8[:])
					dc.Encrypt(blk, blk)
				}
			}
			benchSink = blk
		})
	}
}

func BenchmarkTDESKey(b *testing.B) {
	bdk := unhex(b, tdesBDK)
	for _, c := range tdesBenchCounters {
		ksn := unhex(b, c.ksn)
		b.Run(fmt.Sprintf("bits=%d", c.bits), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				k, err := dukpt.TDESKey(bdk, ksn, dukpt.PINEncryption)
				if err != nil {
					b.Fatal(err)
				}
				benchSink = k
			}
		})
	}
}

// BenchmarkTDESReceiver: "cached" is a repeat terminal (the IPEK's step
// schedules come from the device cache); "nocache" keeps only the BDK
// schedules, the cost for a terminal the receiver has not seen.
func BenchmarkTDESReceiver(b *testing.B) {
	bdk := unhex(b, tdesBDK)
	for _, mode := range []struct {
		name string
		opts []dukpt.ReceiverOption
	}{{"cached", nil}, {"nocache", []dukpt.ReceiverOption{dukpt.WithDeviceCache(0)}}} {
		r, err := dukpt.NewTDESReceiver(bdk, mode.opts...)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range tdesBenchCounters {
			ksn := unhex(b, c.ksn)
			b.Run(fmt.Sprintf("%s/bits=%d", mode.name, c.bits), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					k, err := r.Key(ksn, dukpt.PINEncryption)
					if err != nil {
						b.Fatal(err)
					}
					benchSink = k
				}
			})
		}
	}
}

func BenchmarkFloorAES(b *testing.B) {
	for _, c := range aesBenchCounters {
		b.Run(fmt.Sprintf("bits=%d", c.bits), func(b *testing.B) {
			b.ReportAllocs()
			var k [16]byte
			copy(k[:], unhex(b, aes128BDK))
			blk := make([]byte, 16)
			for b.Loop() {
				for range c.bits + 2 {
					ac, _ := aes.NewCipher(k[:])
					ac.Encrypt(blk, blk)
					k[0] = blk[0]
				}
			}
			benchSink = blk
		})
	}
}

func BenchmarkAESKey(b *testing.B) {
	bdk := unhex(b, aes128BDK)
	for _, c := range aesBenchCounters {
		ksn := unhex(b, c.ksn)
		b.Run(fmt.Sprintf("bits=%d", c.bits), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				k, err := dukpt.AESKey(bdk, ksn, dukpt.PINEncryption, dukpt.AES128)
				if err != nil {
					b.Fatal(err)
				}
				benchSink = k
			}
		})
	}
}

func BenchmarkAESReceiver(b *testing.B) {
	bdk := unhex(b, aes128BDK)
	for _, mode := range []struct {
		name string
		opts []dukpt.ReceiverOption
	}{{"cached", nil}, {"nocache", []dukpt.ReceiverOption{dukpt.WithDeviceCache(0)}}} {
		r, err := dukpt.NewAESReceiver(bdk, mode.opts...)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range aesBenchCounters {
			ksn := unhex(b, c.ksn)
			b.Run(fmt.Sprintf("%s/bits=%d", mode.name, c.bits), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					k, err := r.Key(ksn, dukpt.PINEncryption, dukpt.AES128)
					if err != nil {
						b.Fatal(err)
					}
					benchSink = k
				}
			})
		}
	}
}

const originatorRun = 10000

// reportPerTransaction reports the average time and allocations of one
// transaction over runs of originatorRun transactions.
func reportPerTransaction(b *testing.B, run func()) {
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	var elapsed time.Duration
	n := 0
	for b.Loop() {
		runtime.ReadMemStats(&ms0)
		start := time.Now()
		run()
		elapsed += time.Since(start)
		runtime.ReadMemStats(&ms1)
		n++
		b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/originatorRun, "allocs/tx")
	}
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(n*originatorRun), "ns/tx")
}

// BenchmarkTDESOriginatorNext: one op is 10,000 transactions from a freshly
// loaded terminal (all five working keys each).
func BenchmarkTDESOriginatorNext(b *testing.B) {
	ipek, ksn := unhex(b, tdesIPEK), unhex(b, tdesInitialKSN)
	reportPerTransaction(b, func() {
		o, err := dukpt.NewTDESOriginator(ipek, ksn)
		if err != nil {
			b.Fatal(err)
		}
		for range originatorRun {
			tx, err := o.Next()
			if err != nil {
				b.Fatal(err)
			}
			benchSink = tx.PIN
		}
	})
}

// BenchmarkAESOriginatorNext: one op is 10,000 transactions from a freshly
// loaded terminal (seven AES-128 working keys each).
func BenchmarkAESOriginatorNext(b *testing.B) {
	ik, id := unhex(b, aes128IK), unhex(b, aesKeyID)
	reportPerTransaction(b, func() {
		o, err := dukpt.NewAESOriginator(ik, id, dukpt.AES128)
		if err != nil {
			b.Fatal(err)
		}
		for range originatorRun {
			tx, err := o.Next()
			if err != nil {
				b.Fatal(err)
			}
			benchSink = tx.PIN
		}
	})
}

// BenchmarkRatio runs each derivation and its floor alternately in small
// batches and reports the ratio of their total times, which holds up better
// than two separate benchmarks on a loaded machine.
func BenchmarkRatio(b *testing.B) {
	tbdk := unhex(b, tdesBDK)
	for _, c := range tdesBenchCounters {
		ksn := unhex(b, c.ksn)
		var k24 [24]byte
		var k8 [8]byte
		copy(k24[:], unhex(b, tdesBDK+tdesBDK[:16]))
		blk := make([]byte, 8)
		floor := func() {
			for range 2 {
				tc, _ := des.NewTripleDESCipher(k24[:])
				tc.Encrypt(blk, blk)
			}
			for range 2 * c.bits {
				k8[0] = blk[0]
				dc, _ := des.NewCipher(k8[:])
				dc.Encrypt(blk, blk)
			}
		}
		b.Run(fmt.Sprintf("TDESKey-floor/bits=%d", c.bits), func(b *testing.B) {
			interleave(b, 1, func() {
				benchSink, _ = dukpt.TDESKey(tbdk, ksn, dukpt.PINEncryption)
			}, floor)
		})
	}
	ksn1 := unhex(b, tdesBenchCounters[0].ksn)
	for _, mode := range []struct {
		name string
		opts []dukpt.ReceiverOption
	}{{"cached", nil}, {"nocache", []dukpt.ReceiverOption{dukpt.WithDeviceCache(0)}}} {
		r, _ := dukpt.NewTDESReceiver(tbdk, mode.opts...)
		b.Run("TDESReceiver-"+mode.name+"-TDESKey/bits=1", func(b *testing.B) {
			interleave(b, 1, func() {
				benchSink, _ = r.Key(ksn1, dukpt.PINEncryption)
			}, func() {
				benchSink, _ = dukpt.TDESKey(tbdk, ksn1, dukpt.PINEncryption)
			})
		})
	}
	abdk := unhex(b, aes128BDK)
	for _, c := range aesBenchCounters {
		ksn := unhex(b, c.ksn)
		var k [16]byte
		copy(k[:], abdk)
		blk := make([]byte, 16)
		b.Run(fmt.Sprintf("AESKey-floor/bits=%d", c.bits), func(b *testing.B) {
			interleave(b, 8, func() {
				benchSink, _ = dukpt.AESKey(abdk, ksn, dukpt.PINEncryption, dukpt.AES128)
			}, func() {
				for range c.bits + 2 {
					ac, _ := aes.NewCipher(k[:])
					ac.Encrypt(blk, blk)
					k[0] = blk[0]
				}
			})
		})
	}
}

// interleave times batches of n calls of a and of base alternately and
// reports both averages and their ratio a/base, in wall time and (on Linux)
// in the CPU time of the benchmark's locked OS thread: "cpu-ratio" leaves
// out the time either side spent waiting for a core on a loaded machine.
func interleave(b *testing.B, n int, a, base func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	var ta, tb time.Duration
	var ca, cb int64
	cpuOK := true
	calls := 0
	for b.Loop() {
		c0, ok0 := threadCPU()
		start := time.Now()
		for range n {
			a()
		}
		mid := time.Now()
		c1, ok1 := threadCPU()
		for range n {
			base()
		}
		tb += time.Since(mid)
		c2, ok2 := threadCPU()
		ta += mid.Sub(start)
		ca += c1 - c0
		cb += c2 - c1
		cpuOK = cpuOK && ok0 && ok1 && ok2
		calls += n
	}
	b.ReportMetric(float64(ta.Nanoseconds())/float64(calls), "ns/call")
	b.ReportMetric(float64(tb.Nanoseconds())/float64(calls), "ns/base")
	b.ReportMetric(float64(ta)/float64(tb), "ratio")
	if cpuOK && cb > 0 {
		b.ReportMetric(float64(ca)/float64(cb), "cpu-ratio")
	}
}
