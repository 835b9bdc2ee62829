package iso8583

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's usage.
const rusageThread = 1

// threadCPU returns the CPU time the calling thread has used.
func threadCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pairRatioCPU is pairRatio in CPU time of the benchmark's own thread,
// which waiting for a core does not inflate: blocks of 64 operations of
// each path alternate on one locked thread, and the totals give
// lean-cpu-ns/op, moov-cpu-ns/op and their ratio x-moov-cpu. (Garbage
// collection done by other threads is not counted: allocs/op shows it.)
func pairRatioCPU(b *testing.B, ours, theirs func() error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const block = 64
	var co, ct time.Duration
	run := func(f func() error) time.Duration {
		t0 := threadCPU(b)
		for range block {
			if err := f(); err != nil {
				b.Fatal(err)
			}
		}
		return threadCPU(b) - t0
	}
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			co += run(ours)
			ct += run(theirs)
		} else {
			ct += run(theirs)
			co += run(ours)
		}
		n += block
	}
	b.ReportMetric(float64(co.Nanoseconds())/float64(n), "lean-cpu-ns/op")
	b.ReportMetric(float64(ct.Nanoseconds())/float64(n), "moov-cpu-ns/op")
	b.ReportMetric(float64(co)/float64(max(ct, 1)), "x-moov-cpu")
}

// BenchmarkRatioCPUTransactionPath is BenchmarkRatioTransactionPath in
// thread CPU time (see pairRatioCPU); one iteration is 64 operations of
// each path.
func BenchmarkRatioCPUTransactionPath(b *testing.B) {
	for _, d := range []Dialect{ISO87, UnionPay} {
		for _, op := range pathOps(b, d) {
			b.Run(d.String()+"/"+op.name, func(b *testing.B) { pairRatioCPU(b, op.lean, op.moov) })
		}
	}
}
