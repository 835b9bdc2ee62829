//go:build linux

package pinblock

import "syscall"

// threadCPU returns the CPU time used so far by the calling OS thread
// (getrusage RUSAGE_THREAD), in nanoseconds.
func threadCPU() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1, &ru); err != nil { // 1 = RUSAGE_THREAD
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
