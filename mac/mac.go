package mac

import (
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"
	"hash"
	"unsafe"

	"github.com/poskit/poskit/internal/tdes"
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
	// ErrUnavailable reports a cipher this process may not use: DES and
	// TDES in FIPS 140-only mode (GODEBUG=fips140=only), as crypto/des
	// refuses them.
	ErrUnavailable = errors.New("mac: cipher unavailable")
	// ErrBlock reports a cipher.Block handle that is nil or whose block
	// size the algorithm does not take.
	ErrBlock = errors.New("mac: unsuitable block cipher")
)

func keyLengthError(alg string, allowed string, got int) error {
	return fmt.Errorf("%w: %s takes a key of %s bytes, not %d", ErrKeyLength, alg, allowed, got)
}

// desAllowed returns ErrUnavailable when this process may not use DES.
func desAllowed(alg string) error {
	if !tdes.Allowed() {
		return fmt.Errorf("%w: %s needs DES, which FIPS 140-only mode refuses", ErrUnavailable, alg)
	}
	return nil
}

// checkBlock checks a cipher.Block handle's block size.
func checkBlock(alg string, b cipher.Block, sizes ...int) error {
	if b != nil {
		for _, n := range sizes {
			if b.BlockSize() == n {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: %s needs a block cipher with a block of %v bytes", ErrBlock, alg, sizes)
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
	// Verify reports, in constant time, whether tag is data's full MAC
	// (Size bytes). A truncated tag never verifies: use VerifyTruncated,
	// which names the length.
	Verify(data, tag []byte) bool
	// New returns a hash.Hash that computes the same MAC over what is
	// written to it, for messages too long to hold in one slice.
	New() hash.Hash
}

// MinTagLength is the shortest truncation VerifyTruncated accepts: ISO
// 9797-1 allows a MAC to be truncated to no fewer than 32 bits.
const MinTagLength = 4

// Tagger computes full MACs: every Algorithm is one, and so is a narrower
// interface of another package (iso8583.MACAlgorithm) that has these two
// methods.
type Tagger interface {
	// Size returns the length in bytes of a full MAC.
	Size() int
	// MAC returns the full MAC of data in a new slice.
	MAC(data []byte) []byte
}

// VerifyTruncated reports, in constant time, whether tag is the leftmost n
// bytes of m's MAC of data: the check for a protocol that sends a truncated
// MAC, such as the 4 bytes of ANSI X9.19 in many ISO 8583 dialects or the 8
// bytes of an AES-CMAC in a TR-31 key block. The caller names n, which the
// protocol fixes; n below MinTagLength or above m.Size(), a tag that is not
// exactly n bytes, or a nil m never verifies.
func VerifyTruncated(m Tagger, data, tag []byte, n int) bool {
	if m == nil || n < MinTagLength || n > m.Size() || len(tag) != n {
		return false
	}
	full := m.MAC(data)
	if len(full) < n {
		return false
	}
	return subtle.ConstantTimeCompare(full[:n], tag) == 1
}

// Equal reports whether a and b hold the same bytes, in time that depends on
// their lengths only.
func Equal(a, b []byte) bool {
	return subtle.ConstantTimeCompare(a, b) == 1
}

// verifyFull compares tag with the full MAC in constant time; a tag of any
// other length does not verify.
func verifyFull(full, tag []byte) bool {
	return subtle.ConstantTimeCompare(full, tag) == 1
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
