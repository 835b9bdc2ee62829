//go:build !unix

package keyblock

// cpuNanos is not measured here: the benchmarks report wall time only.
func cpuNanos() (int64, bool) { return 0, false }
