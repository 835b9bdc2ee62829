package mac

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"hash"
	"unsafe"
)

// Padding selects an ISO 9797-1 padding method.
type Padding int

// The ISO 9797-1 padding methods.
const (
	Method1 Padding = 1 // zeros up to the block size; none if aligned (an empty message is one zero block)
	Method2 Padding = 2 // 0x80 then zeros; always at least one byte
	Method3 Padding = 3 // a first block holding the data length in bits, then zeros
)

// String returns "method 1", "method 2" or "method 3".
func (p Padding) String() string {
	if p.valid() {
		return fmt.Sprintf("method %d", int(p))
	}
	return fmt.Sprintf("Padding(%d)", int(p))
}

func (p Padding) valid() bool { return p >= Method1 && p <= Method3 }

// Errors returned by this package; test them with errors.Is.
var (
	// ErrKeyLength reports a key whose length the algorithm does not take.
	// The wrapping error names the lengths allowed.
	ErrKeyLength = errors.New("mac: invalid key length")
	// ErrPadding reports a Padding value other than Method1, Method2, Method3.
	ErrPadding = errors.New("mac: unknown padding method")
)

func keyLengthError(alg string, allowed string, got int) error {
	return fmt.Errorf("%w: %s takes a key of %s bytes, not %d", ErrKeyLength, alg, allowed, got)
}

// Algorithm is a MAC algorithm bound to a key whose key schedule has been
// computed once. Every method is safe for concurrent use.
type Algorithm interface {
	// Size returns the length in bytes of a full MAC.
	Size() int
	// MAC returns the full MAC of data in a new slice.
	MAC(data []byte) []byte
	// AppendMAC appends the full MAC of data to dst and returns the result.
	AppendMAC(dst, data []byte) []byte
	// Verify reports, in constant time, whether tag is the leftmost part of
	// data's MAC. A tag shorter than 4 bytes or longer than Size never
	// verifies.
	Verify(data, tag []byte) bool
	// New returns a hash.Hash that computes the same MAC over what is
	// written to it, for messages too long to hold in one slice.
	New() hash.Hash
}

// MinTagLength is the shortest tag Verify accepts: ISO 9797-1 allows a MAC
// to be truncated to no fewer than 32 bits.
const MinTagLength = 4

// Equal reports whether a and b hold the same bytes, in time that depends on
// their lengths only.
func Equal(a, b []byte) bool {
	return subtle.ConstantTimeCompare(a, b) == 1
}

// verifyPrefix compares tag with the leftmost len(tag) bytes of full in
// constant time, rejecting truncations below MinTagLength.
func verifyPrefix(full, tag []byte) bool {
	if len(tag) < MinTagLength || len(tag) > len(full) {
		return false
	}
	return subtle.ConstantTimeCompare(full[:len(tag)], tag) == 1
}

// grow prepares to append an n-byte MAC of data to dst. It returns the
// slice to return (dst extended by n bytes) and the zeroed n-byte buffer to
// compute in, which the MAC functions use as the cipher's work buffer. That
// buffer is normally the new tail of out; when the caller's spare capacity
// shares memory with data (say AppendMAC(msg[:0], msg)), it is a fresh
// buffer instead, out is dst unchanged and the caller appends the result with
// settle, so that data is never overwritten before it is read.
func grow(dst, data []byte, n int) (out, work []byte) {
	l := len(dst)
	if cap(dst)-l >= n && overlaps(dst[l:l+n], data) {
		return dst, make([]byte, n)
	}
	out = append(dst, make([]byte, n)...)
	return out, out[l:]
}

// settle finishes what grow started: it appends the first n bytes of work to
// out unless work is out's own tail already.
func settle(out, work []byte, n int) []byte {
	if len(out) >= len(work) && &out[len(out)-len(work)] == &work[0] {
		return out[:len(out)-len(work)+n]
	}
	return append(out, work[:n]...)
}

// overlaps reports whether a and b share any byte of memory.
func overlaps(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	a0, b0 := uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&b[0]))
	return a0 < b0+uintptr(len(b)) && b0 < a0+uintptr(len(a))
}

// ISO9797Alg1 returns the ISO 9797-1 MAC algorithm 1 (CBC-MAC, zero IV) of
// data under an 8-byte DES key (ANSI X9.9) or a 16- or 24-byte TDES key.
// The result is the full 8-byte MAC.
func ISO9797Alg1(key, data []byte, p Padding) ([]byte, error) {
	m, err := newCBC(key, p, false)
	if err != nil {
		return nil, err
	}
	return m.MAC(data), nil
}

// ISO9797Alg3 returns the ISO 9797-1 MAC algorithm 3 (ANSI X9.19 retail
// MAC) of data under a 16- or 24-byte TDES key. The result is the full
// 8-byte MAC.
func ISO9797Alg3(key, data []byte, p Padding) ([]byte, error) {
	m, err := newCBC(key, p, true)
	if err != nil {
		return nil, err
	}
	return m.MAC(data), nil
}

// AESCMAC returns the 16-byte AES-CMAC (NIST SP 800-38B, RFC 4493) of data
// under a 16-, 24- or 32-byte AES key.
func AESCMAC(key, data []byte) ([]byte, error) {
	m, err := newAESCMAC(key)
	if err != nil {
		return nil, err
	}
	return m.MAC(data), nil
}

// TDESCMAC returns the 8-byte TDES CMAC (NIST SP 800-38B with a 64-bit
// block) of data under a 16- or 24-byte TDES key.
func TDESCMAC(key, data []byte) ([]byte, error) {
	m, err := newTDESCMAC(key)
	if err != nil {
		return nil, err
	}
	return m.MAC(data), nil
}

// CUPECB returns the China UnionPay POS MAC of data as 8 upper-case ASCII
// hexadecimal characters, under a single-length (8-byte) or double-length
// (16-byte) MAK. See NewCUPECB for the algorithm.
func CUPECB(key, data []byte) ([]byte, error) {
	m, err := newCUP(key)
	if err != nil {
		return nil, err
	}
	return m.MAC(data), nil
}
