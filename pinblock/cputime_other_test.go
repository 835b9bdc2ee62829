//go:build !linux

package pinblock

// threadCPU is not available here; benchmarks then report wall time only.
func threadCPU() (int64, bool) { return 0, false }
