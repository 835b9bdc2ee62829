//go:build !linux

package dukpt_test

func threadCPU() (int64, bool) { return 0, false }
