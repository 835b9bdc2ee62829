package dukpt

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
)

// TDESKSN is a TDES DUKPT key serial number (X9.24-1:2009): 59 bits of key
// set identifier and device ID, then a 21-bit transaction counter. A KSN is
// not secret; String prints it in hex.
type TDESKSN [tdesKSNLen]byte

// AESKSN is an AES DUKPT key serial number (X9.24-3:2017): an 8-byte initial
// key ID (BDK ID and derivation ID), then a 32-bit transaction counter.
type AESKSN [aesKSNLen]byte

func parseHex(dst []byte, s, what string) error {
	if len(s) != 2*len(dst) {
		return fmt.Errorf("%w: %s KSN has %d hex digits, want %d", ErrKSNLength, what, len(s), 2*len(dst))
	}
	if _, err := hex.Decode(dst, []byte(s)); err != nil {
		return fmt.Errorf("%w: %s KSN is not hexadecimal", ErrKSN, what)
	}
	return nil
}

// ParseTDESKSN parses 20 hex digits (either case). The counter is not
// checked: see Valid. Errors: ErrKSNLength, ErrKSN.
func ParseTDESKSN(s string) (TDESKSN, error) {
	var k TDESKSN
	if err := parseHex(k[:], s, "TDES"); err != nil {
		return TDESKSN{}, err
	}
	return k, nil
}

// TDESKSNFromBytes copies a 10-byte KSN. Errors: ErrKSNLength.
func TDESKSNFromBytes(b []byte) (TDESKSN, error) {
	var k TDESKSN
	if len(b) != len(k) {
		return k, fmt.Errorf("%w: TDES KSN is %d bytes, want 10", ErrKSNLength, len(b))
	}
	copy(k[:], b)
	return k, nil
}

// String returns the KSN as 20 upper-case hex digits.
func (k TDESKSN) String() string { return upperHex(k[:]) }

// Bytes returns a new 10-byte slice holding the KSN.
func (k TDESKSN) Bytes() []byte { return append([]byte(nil), k[:]...) }

// Counter returns the 21-bit transaction counter.
func (k TDESKSN) Counter() uint32 { return tdesCounter(k[:]) }

// Initial returns the KSN with the counter cleared: the initial KSN loaded
// into the terminal with its IPEK.
func (k TDESKSN) Initial() TDESKSN {
	k[7] &= 0xE0
	k[8], k[9] = 0, 0
	return k
}

// WithCounter returns the KSN with its counter replaced by c.
// Errors: ErrCounter if c does not fit in 21 bits.
func (k TDESKSN) WithCounter(c uint32) (TDESKSN, error) {
	if c > tdesCounterMax {
		return TDESKSN{}, fmt.Errorf("%w: %#x does not fit in 21 bits", ErrCounter, c)
	}
	k = k.Initial()
	k[7] |= byte(c >> 16)
	k[8] = byte(c >> 8)
	k[9] = byte(c)
	return k, nil
}

// Valid reports whether the counter is one an originator uses (not zero, at
// most 10 one-bits).
func (k TDESKSN) Valid() bool { return ValidTDESCounter(k.Counter()) }

// Next returns the KSN with the next valid counter after k's: the KSN an
// originator uses after k. Errors: ErrExhausted after counter 0x1FF800.
func (k TDESKSN) Next() (TDESKSN, error) {
	c, ok := NextTDESCounter(k.Counter())
	if !ok {
		return TDESKSN{}, fmt.Errorf("%w: no TDES counter follows %#x", ErrExhausted, k.Counter())
	}
	return k.WithCounter(c)
}

// nextCounter returns the smallest counter above c with at most maxOnes
// one-bits, or a value above limit. Adding the lowest set bit skips every
// counter below it, all of which keep c's bits and add more.
func nextCounter(c uint64, maxOnes int) uint64 {
	n := c + 1
	for bits.OnesCount64(n) > maxOnes {
		n += n & -n
	}
	return n
}

// NextTDESCounter returns the smallest valid TDES counter above c (see
// ValidTDESCounter); ok is false when none is left (c ≥ 0x1FF800).
func NextTDESCounter(c uint32) (next uint32, ok bool) {
	n := nextCounter(uint64(c), tdesMaxOnes)
	if n > tdesCounterMax {
		return 0, false
	}
	return uint32(n), true
}

// ParseAESKSN parses 24 hex digits (either case). The counter is not
// checked: see Valid. Errors: ErrKSNLength, ErrKSN.
func ParseAESKSN(s string) (AESKSN, error) {
	var k AESKSN
	if err := parseHex(k[:], s, "AES"); err != nil {
		return AESKSN{}, err
	}
	return k, nil
}

// AESKSNFromBytes copies a 12-byte KSN. Errors: ErrKSNLength.
func AESKSNFromBytes(b []byte) (AESKSN, error) {
	var k AESKSN
	if len(b) != len(k) {
		return k, fmt.Errorf("%w: AES KSN is %d bytes, want 12", ErrKSNLength, len(b))
	}
	copy(k[:], b)
	return k, nil
}

// NewAESKSN returns the KSN of the 8-byte initialKeyID with counter c.
// Errors: ErrInitialKeyIDLength.
func NewAESKSN(initialKeyID []byte, c uint32) (AESKSN, error) {
	var k AESKSN
	if len(initialKeyID) != aesIDLen {
		return k, fmt.Errorf("%w: %d bytes, want 8", ErrInitialKeyIDLength, len(initialKeyID))
	}
	copy(k[:], initialKeyID)
	binary.BigEndian.PutUint32(k[8:], c)
	return k, nil
}

// String returns the KSN as 24 upper-case hex digits.
func (k AESKSN) String() string { return upperHex(k[:]) }

// Bytes returns a new 12-byte slice holding the KSN.
func (k AESKSN) Bytes() []byte { return append([]byte(nil), k[:]...) }

// InitialKeyID returns the first 8 bytes: BDK ID and derivation ID.
func (k AESKSN) InitialKeyID() [aesIDLen]byte { return [aesIDLen]byte(k[:aesIDLen]) }

// Counter returns the 32-bit transaction counter.
func (k AESKSN) Counter() uint32 { return binary.BigEndian.Uint32(k[8:]) }

// WithCounter returns the KSN with its counter replaced by c.
func (k AESKSN) WithCounter(c uint32) AESKSN {
	binary.BigEndian.PutUint32(k[8:], c)
	return k
}

// Valid reports whether the counter is one an originator uses (not zero, at
// most 16 one-bits).
func (k AESKSN) Valid() bool { return ValidAESCounter(k.Counter()) }

// Next returns the KSN with the next valid counter after k's: the KSN an
// originator uses after k. Errors: ErrExhausted after counter 0xFFFF0000.
func (k AESKSN) Next() (AESKSN, error) {
	c, ok := NextAESCounter(k.Counter())
	if !ok {
		return AESKSN{}, fmt.Errorf("%w: no AES counter follows %#x", ErrExhausted, k.Counter())
	}
	return k.WithCounter(c), nil
}

// NextAESCounter returns the smallest valid AES counter above c (see
// ValidAESCounter); ok is false when none is left (c ≥ 0xFFFF0000).
func NextAESCounter(c uint32) (next uint32, ok bool) {
	n := nextCounter(uint64(c), aesMaxOnes)
	if n > aesCounterMax {
		return 0, false
	}
	return uint32(n), true
}

func upperHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 2*len(b))
	for i, v := range b {
		out[2*i] = digits[v>>4]
		out[2*i+1] = digits[v&0x0F]
	}
	return string(out)
}
