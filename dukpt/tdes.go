package dukpt

import (
	"crypto/cipher"
	"crypto/des"
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/poskit/poskit/internal/tdes"
	"github.com/poskit/poskit/internal/wipe"
)

// TDES DUKPT, ANSI X9.24-1:2009.

const (
	tdesBDKLen     = 16
	tdesKSNLen     = 10
	tdesCounterMax = 1<<21 - 1 // the counter is the KSN's rightmost 21 bits
	tdesMaxOnes    = 10        // counters with more one-bits are never used
	tdesRegisters  = 21
)

// c0 is the key-register mask of the IPEK and non-reversible key generation
// steps (X9.24-1:2009 A.2 and A.6): C0C0C0C000000000 on each half.
const c0 = 0xC0C0C0C000000000

// Variant masks of X9.24-1:2009 A.6 (one 64-bit half; both halves are equal).
var tdesVariant = [...]uint64{
	PINEncryption:   0x00000000000000FF,
	MACGeneration:   0x000000000000FF00, // MAC request
	MACVerification: 0x00000000FF000000, // MAC response
	DataEncryption:  0x0000000000FF0000, // data request
	DataDecryption:  0x000000FF00000000, // data response
}

func tdesVariantMask(u Usage) (uint64, error) {
	switch u {
	case PINEncryption, MACGeneration, MACVerification, DataEncryption, DataDecryption:
		return tdesVariant[u], nil
	}
	return 0, fmt.Errorf("%w: %v is not a TDES DUKPT usage", ErrUsage, u)
}

// tdesCounter returns the 21-bit transaction counter of a 10-byte KSN.
func tdesCounter(ksn []byte) uint32 {
	return (uint32(ksn[7])<<16 | uint32(ksn[8])<<8 | uint32(ksn[9])) & tdesCounterMax
}

// ValidTDESCounter reports whether c is a counter a TDES DUKPT originator
// uses: not zero, at most 21 bits, and at most 10 one-bits.
func ValidTDESCounter(c uint32) bool {
	return c != 0 && c <= tdesCounterMax && bits.OnesCount32(c) <= tdesMaxOnes
}

func checkTDESKSN(ksn []byte) (uint32, error) {
	if len(ksn) != tdesKSNLen {
		return 0, fmt.Errorf("%w: TDES KSN is %d bytes, want 10", ErrKSNLength, len(ksn))
	}
	c := tdesCounter(ksn)
	if !ValidTDESCounter(c) {
		return 0, fmt.Errorf("%w: TDES counter %#x (zero or more than 10 one-bits)", ErrCounter, c)
	}
	return c, nil
}

// bdkCiphers returns the two TDES ciphers of the IPEK derivation: under the
// BDK and under the BDK XOR C0C0C0C000000000C0C0C0C000000000.
func bdkCiphers(bdk []byte) (left, right cipher.Block, err error) {
	if len(bdk) != tdesBDKLen {
		return nil, nil, fmt.Errorf("%w: TDES BDK is %d bytes, want 16", ErrBDKLength, len(bdk))
	}
	k, _ := tdes.Expand(bdk)
	defer wipe.Bytes(k[:])
	if left, err = des.NewTripleDESCipher(k[:]); err != nil {
		return nil, nil, cipherError(err)
	}
	for i := 0; i < 24; i += 8 {
		k[i] ^= 0xC0
		k[i+1] ^= 0xC0
		k[i+2] ^= 0xC0
		k[i+3] ^= 0xC0
	}
	if right, err = des.NewTripleDESCipher(k[:]); err != nil {
		return nil, nil, cipherError(err)
	}
	return left, right, nil
}

// ipek writes the IPEK for ksn into out[:16] with the BDK's two ciphers.
//
// Buffers handed to a cipher.Block's Encrypt escape to the heap (the call
// goes through an interface), so every block operation of a derivation works
// in place in out, the returned key's own buffer: the derivation allocates
// nothing else. Keys for the key schedules stay on the stack.
func ipek(left, right cipher.Block, ksn, out []byte) {
	copy(out[:8], ksn[:8])
	out[7] &= 0xE0
	copy(out[8:16], out[:8])
	left.Encrypt(out[:8], out[:8])
	right.Encrypt(out[8:16], out[8:16])
}

// ede2 is double-length TDES (K1 K2 K1) made of two single-DES key
// schedules: crypto/des's TDES cipher computes K1's schedule twice, and a
// DES key schedule costs about as much as a dozen DES blocks. Where a TDES
// key enciphers only a block or two (the IPEK, the data-key one-way step)
// this is the cheaper way.
type ede2 struct{ k1, k2 cipher.Block }

// newEDE2 builds an ede2 from a 16-byte key, which it does not retain.
func newEDE2(key []byte) (e ede2, err error) {
	if e.k1, err = des.NewCipher(key[:8]); err != nil {
		return ede2{}, cipherError(err)
	}
	if e.k2, err = des.NewCipher(key[8:16]); err != nil {
		return ede2{}, cipherError(err)
	}
	return e, nil
}

// encrypt enciphers the 8-byte block b in place: E(K1), D(K2), E(K1).
func (e *ede2) encrypt(b []byte) {
	e.k1.Encrypt(b, b)
	e.k2.Decrypt(b, b)
	e.k1.Encrypt(b, b)
}

// bdkEDE is bdkCiphers for one-off derivations.
func bdkEDE(bdk []byte) (left, right ede2, err error) {
	if len(bdk) != tdesBDKLen {
		return ede2{}, ede2{}, fmt.Errorf("%w: TDES BDK is %d bytes, want 16", ErrBDKLength, len(bdk))
	}
	if left, err = newEDE2(bdk); err != nil {
		return ede2{}, ede2{}, err
	}
	var m [16]byte
	binary.BigEndian.PutUint64(m[:8], binary.BigEndian.Uint64(bdk[:8])^c0)
	binary.BigEndian.PutUint64(m[8:], binary.BigEndian.Uint64(bdk[8:16])^c0)
	right, err = newEDE2(m[:])
	wipe.Bytes(m[:])
	return left, right, err
}

// ipekEDE is ipek with ede2 ciphers.
func ipekEDE(left, right *ede2, ksn, out []byte) {
	copy(out[:8], ksn[:8])
	out[7] &= 0xE0
	copy(out[8:16], out[:8])
	left.encrypt(out[:8])
	right.encrypt(out[8:16])
}

// stepState is what the non-reversible key generation process needs of one
// key register, prepared once for several steps from it (the IPEK's in a
// receiver's device cache, a future key's in an originator): the DES ciphers
// of its left half plain and C0-masked, and its right half both ways. It is
// immutable and safe for concurrent use.
type stepState struct {
	l, lm cipher.Block
	r, rm uint64
}

// newStepState builds the step state of key register k.
func newStepState(k *[16]byte) (stepState, error) {
	var s stepState
	var err error
	if s.l, err = des.NewCipher(k[:8]); err != nil {
		return s, cipherError(err)
	}
	var lm [8]byte
	binary.BigEndian.PutUint64(lm[:], binary.BigEndian.Uint64(k[:8])^c0)
	s.lm, err = des.NewCipher(lm[:])
	wipe.Bytes(lm[:])
	if err != nil {
		return s, cipherError(err)
	}
	s.r = binary.BigEndian.Uint64(k[8:])
	s.rm = s.r ^ c0
	return s, nil
}

// step is the non-reversible key generation process of X9.24-1:2009 A.2
// with prepared ciphers: it writes the new key register into out[:16].
func (s *stepState) step(cr uint64, out []byte) {
	binary.BigEndian.PutUint64(out[8:16], cr^s.r)
	s.l.Encrypt(out[8:16], out[8:16])
	binary.BigEndian.PutUint64(out[8:16], binary.BigEndian.Uint64(out[8:16])^s.r)
	binary.BigEndian.PutUint64(out[:8], cr^s.rm)
	s.lm.Encrypt(out[:8], out[:8])
	binary.BigEndian.PutUint64(out[:8], binary.BigEndian.Uint64(out[:8])^s.rm)
}

// nrkgp is the non-reversible key generation process of X9.24-1:2009 A.2:
// key register k, crypto register cr; the new key register goes to out[:16]
// (see ipek) and back into k.
func nrkgp(k *[16]byte, cr uint64, out []byte) error {
	r := binary.BigEndian.Uint64(k[8:])
	c, err := des.NewCipher(k[:8])
	if err != nil {
		return cipherError(err)
	}
	binary.BigEndian.PutUint64(out[8:16], cr^r)
	c.Encrypt(out[8:16], out[8:16])
	binary.BigEndian.PutUint64(out[8:16], binary.BigEndian.Uint64(out[8:16])^r)

	binary.BigEndian.PutUint64(k[:8], binary.BigEndian.Uint64(k[:8])^c0)
	r ^= c0
	if c, err = des.NewCipher(k[:8]); err != nil {
		return cipherError(err)
	}
	binary.BigEndian.PutUint64(out[:8], cr^r)
	c.Encrypt(out[:8], out[:8])
	binary.BigEndian.PutUint64(out[:8], binary.BigEndian.Uint64(out[:8])^r)
	copy(k[:], out[:16])
	return nil
}

// tdesCryptoBase is the KSN's rightmost 64 bits with the counter cleared.
func tdesCryptoBase(ksn []byte) uint64 {
	return binary.BigEndian.Uint64(ksn[2:10]) &^ tdesCounterMax
}

// transactionKey walks counter's one-bits from the highest down, starting
// from key register k (the IPEK) or, when first is not nil, from the IPEK's
// prepared step state. The transaction key ends in out[:16] and in k.
func transactionKey(k *[16]byte, first *stepState, base uint64, counter uint32, out []byte) error {
	cr := base
	rest := counter
	if first != nil {
		top := uint32(1) << (bits.Len32(rest) - 1)
		rest &^= top
		cr |= uint64(top)
		first.step(cr, out)
		copy(k[:], out[:16])
	}
	for rest != 0 {
		top := uint32(1) << (bits.Len32(rest) - 1)
		rest &^= top
		cr |= uint64(top)
		if err := nrkgp(k, cr, out); err != nil {
			return err
		}
	}
	return nil
}

// applyVariant turns the transaction key in out[:16] into the
// working key for u. The data variants take the one-way step of
// X9.24-1:2009: the variant key enciphers each of its own halves with TDES.
func applyVariant(u Usage, out []byte) error {
	mask, err := tdesVariantMask(u)
	if err != nil {
		return err
	}
	l := binary.BigEndian.Uint64(out[:8]) ^ mask
	r := binary.BigEndian.Uint64(out[8:16]) ^ mask
	binary.BigEndian.PutUint64(out[:8], l)
	binary.BigEndian.PutUint64(out[8:16], r)
	if u != DataEncryption && u != DataDecryption {
		return nil
	}
	var k [16]byte
	binary.BigEndian.PutUint64(k[:8], l)
	binary.BigEndian.PutUint64(k[8:], r)
	e, err := newEDE2(k[:])
	wipe.Bytes(k[:])
	if err != nil {
		return err
	}
	e.encrypt(out[:8])
	e.encrypt(out[8:16])
	return nil
}

// TDESInitialKey returns the initial PIN encryption key (IPEK) that the
// terminal with initial KSN ksn was loaded with, derived from the 16-byte
// base derivation key bdk (X9.24-1:2009 A.6). ksn is 10 bytes; its counter
// bits are ignored. Errors: ErrBDKLength, ErrKSNLength, ErrCipher.
//
// The IPEK is the root of one terminal's key tree: it is not a PIN key.
func TDESInitialKey(bdk, ksn []byte) ([]byte, error) {
	if len(ksn) != tdesKSNLen {
		return nil, fmt.Errorf("%w: TDES KSN is %d bytes, want 10", ErrKSNLength, len(ksn))
	}
	left, right, err := bdkEDE(bdk)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 16)
	ipekEDE(&left, &right, ksn, out)
	return out, nil
}

// TDESKey returns the 16-byte working key for usage u of the transaction
// identified by the 10-byte ksn, derived from the 16-byte base derivation
// key bdk per ANSI X9.24-1:2009: PINEncryption (PIN variant),
// MACGeneration (MAC request), MACVerification (MAC response),
// DataEncryption (data request) and DataDecryption (data response, both
// data keys with the 2009 one-way step).
//
// Errors: ErrBDKLength, ErrKSNLength, ErrCounter (counter zero or with more
// than 10 one-bits), ErrUsage. A host deriving many keys under one BDK
// should use a TDESReceiver instead.
func TDESKey(bdk, ksn []byte, u Usage) ([]byte, error) {
	counter, err := checkTDESKSN(ksn)
	if err != nil {
		return nil, err
	}
	if _, err := tdesVariantMask(u); err != nil {
		return nil, err
	}
	left, right, err := bdkEDE(bdk)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 16)
	ipekEDE(&left, &right, ksn, out)
	return tdesFinish(nil, ksn, counter, u, out)
}

// tdesFinish is the common end of TDESKey and TDESReceiver.Key: from the IPEK
// in out[:16] (first nil) or the IPEK's step state, it derives the
// transaction key and then the working key for u, in out.
func tdesFinish(first *stepState, ksn []byte, counter uint32, u Usage, out []byte) ([]byte, error) {
	var k [16]byte
	defer wipe.Bytes(k[:])
	if first == nil {
		copy(k[:], out[:16])
	}
	if err := transactionKey(&k, first, tdesCryptoBase(ksn), counter, out); err != nil {
		wipe.Bytes(out)
		return nil, err
	}
	if err := applyVariant(u, out); err != nil {
		wipe.Bytes(out)
		return nil, err
	}
	return out, nil
}

// TDESTransactionKey returns the raw transaction key (the future key register
// of X9.24-1) for ksn: the key before any variant is applied.
//
// It exists for test tools that check published intermediate values. It is
// NOT a PIN, MAC or data key: decrypting a PIN block with it gives garbage.
// Use TDESKey for working keys. Errors as TDESKey.
func TDESTransactionKey(bdk, ksn []byte) ([]byte, error) {
	counter, err := checkTDESKSN(ksn)
	if err != nil {
		return nil, err
	}
	left, right, err := bdkEDE(bdk)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 16)
	var k [16]byte
	defer wipe.Bytes(k[:])
	ipekEDE(&left, &right, ksn, out)
	copy(k[:], out)
	if err := transactionKey(&k, nil, tdesCryptoBase(ksn), counter, out); err != nil {
		return nil, err
	}
	return out, nil
}

// TDESWorkingKey applies usage u's variant (and, for the data keys, the
// one-way step) to a 16-byte transaction key as returned by
// TDESTransactionKey. It exists for test tools; hosts use TDESKey or a
// TDESReceiver. Errors: ErrKeyLength, ErrUsage.
func TDESWorkingKey(transactionKey []byte, u Usage) ([]byte, error) {
	if len(transactionKey) != 16 {
		return nil, fmt.Errorf("%w: TDES transaction key is %d bytes, want 16", ErrKeyLength, len(transactionKey))
	}
	out := make([]byte, 16)
	copy(out, transactionKey)
	if err := applyVariant(u, out); err != nil {
		return nil, err
	}
	return out, nil
}
