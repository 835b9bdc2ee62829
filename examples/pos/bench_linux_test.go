//go:build linux

package main

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's usage.
const rusageThread = 1

// threadCPU returns the CPU time (user and system) the calling thread has
// used.
func threadCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkHostRatioCPU is BenchmarkHostRatio measured in CPU time of the
// benchmark's own thread instead of wall time: on a machine shared with
// other work the wall time of either half includes waiting for a core,
// its CPU time does not (background GC work on other threads is not
// counted in either half).
func BenchmarkHostRatioCPU(b *testing.B) {
	for _, c := range hostCases {
		b.Run(string(c.spec)+"-"+string(c.dk), func(b *testing.B) {
			p := newPrimitiveInputs(b, c.spec, c.dk, min(b.N, primitiveRequests))
			h, frames := benchSales(b, c.spec, c.dk, b.N)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var host, sum time.Duration
			b.ResetTimer()
			for i := range b.N {
				t0 := threadCPU(b)
				a, err := h.handle("bench", frames[i])
				if err != nil {
					b.Fatal(err)
				}
				a.release()
				t1 := threadCPU(b)
				if err := p.all(); err != nil {
					b.Fatal(err)
				}
				host += t1 - t0
				sum += threadCPU(b) - t1
			}
			b.ReportMetric(float64(host)/float64(sum), "host/sum")
			b.ReportMetric(float64(host.Nanoseconds())/float64(b.N), "host-cpu-ns/op")
			b.ReportMetric(float64(sum.Nanoseconds())/float64(b.N), "sum-cpu-ns/op")
		})
	}
}
