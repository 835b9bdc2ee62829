//go:build !race

package aesenc

// raceEnabled is true when the tests run under -race, where sync.Pool drops
// items at random and allocation counts of the fallback path are not exact.
const raceEnabled = false
