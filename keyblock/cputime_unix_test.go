//go:build unix

package keyblock

import "syscall"

// cpuNanos is the CPU time (user and system) this process has used, for a
// per-operation figure that a loaded machine does not inflate as it does
// wall time.
func cpuNanos() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
