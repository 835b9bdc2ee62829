// Package wipe zeroes secret buffers.
//
// Go gives no guarantee that a secret leaves no copy behind: the garbage
// collector may have moved a slice, a string can never be wiped, and values
// passed through registers or spilled to the stack are out of reach. Wiping
// the buffers we own still shortens the time key and PIN bytes live in memory
// and keeps them out of later heap dumps of reused buffers.
package wipe

import "runtime"

// Bytes sets every byte of b to zero. The call is not optimised away.
func Bytes(b []byte) {
	clear(b)
	runtime.KeepAlive(b)
}
