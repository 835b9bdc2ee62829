package dukpt

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/poskit/poskit/internal/dea"
	"github.com/poskit/poskit/internal/tdes"
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

// Every cipher operation of a TDES derivation works on 64-bit halves held in
// registers and on key schedules held by value (internal/dea), so a
// derivation allocates only the key it returns, and every schedule it built
// is wiped before it returns.

// desAllowed returns ErrCipher when this process may not use DES: the
// standard library refuses it in FIPS 140-only mode (GODEBUG=fips140=only),
// and TDES DUKPT follows the same policy although its DES is internal/dea's.
func desAllowed() error {
	if !tdes.Allowed() {
		return fmt.Errorf("%w: DES is not allowed in FIPS 140-only mode", ErrCipher)
	}
	return nil
}

// reg is a 16-byte key register as two big-endian halves.
type reg struct{ l, r uint64 }

func regOf(k []byte) reg {
	return reg{binary.BigEndian.Uint64(k[:8]), binary.BigEndian.Uint64(k[8:16])}
}

// put writes the register into out[:16].
func (k reg) put(out []byte) {
	binary.BigEndian.PutUint64(out[:8], k.l)
	binary.BigEndian.PutUint64(out[8:16], k.r)
}

// bdkSchedules sets the two double-length TDES schedules of the IPEK
// derivation: under the BDK and under the BDK XOR
// C0C0C0C000000000C0C0C0C000000000 (X9.24-1:2009 A.6).
func bdkSchedules(bdk []byte, left, right *dea.EDE) error {
	if len(bdk) != tdesBDKLen {
		return fmt.Errorf("%w: TDES BDK is %d bytes, want 16", ErrBDKLength, len(bdk))
	}
	if err := desAllowed(); err != nil {
		return err
	}
	k := regOf(bdk)
	left.SetKeys(k.l, k.r, k.l)
	right.SetKeys(k.l^c0, k.r^c0, k.l^c0)
	return nil
}

// ipek returns the IPEK for ksn under the BDK's two schedules: the KSN's
// leftmost 8 bytes with the counter bits cleared, enciphered under each.
func ipek(left, right *dea.EDE, ksn []byte) reg {
	x := binary.BigEndian.Uint64(ksn[:8]) &^ 0x1F
	return reg{left.Encrypt(x), right.Encrypt(x)}
}

// stepState is what the non-reversible key generation process needs of one
// key register, prepared once for several steps from it (the IPEK's in a
// receiver's device cache, a future key's in an originator): the DES
// schedules of its left half plain and C0-masked, and its right half both
// ways. It is immutable once built and safe for concurrent use.
type stepState struct {
	l, lm dea.Key
	r, rm uint64
}

// init prepares the step state of key register k.
func (s *stepState) init(k reg) {
	s.l.SetUint64(k.l)
	s.lm.SetUint64(k.l ^ c0)
	s.r, s.rm = k.r, k.r^c0
}

func (s *stepState) wipe() {
	s.l.Wipe()
	s.lm.Wipe()
	s.r, s.rm = 0, 0
}

// step is the non-reversible key generation process of X9.24-1:2009 A.2
// with prepared schedules: the key register that follows for crypto
// register cr.
func (s *stepState) step(cr uint64) reg {
	return reg{
		l: s.lm.Encrypt(cr^s.rm) ^ s.rm,
		r: s.l.Encrypt(cr^s.r) ^ s.r,
	}
}

// tdesCryptoBase is the KSN's rightmost 64 bits with the counter cleared.
func tdesCryptoBase(ksn []byte) uint64 {
	return binary.BigEndian.Uint64(ksn[2:10]) &^ tdesCounterMax
}

// transactionKey walks counter's one-bits from the highest down, one
// non-reversible key generation step per bit, starting from key register k
// (the IPEK) or, when first is not nil, from the IPEK's prepared step state,
// and returns the transaction key.
func transactionKey(k reg, first *stepState, base uint64, counter uint32) reg {
	var st stepState
	cr := base
	for rest := counter; rest != 0; {
		top := uint32(1) << (bits.Len32(rest) - 1)
		rest &^= top
		cr |= uint64(top)
		if first != nil {
			k, first = first.step(cr), nil
			continue
		}
		st.init(k)
		k = st.step(cr)
	}
	st.wipe()
	return k
}

// applyVariant turns transaction key k into the working key for u, which
// must be valid (see tdesVariantMask). The data variants take the one-way
// step of X9.24-1:2009: the variant key enciphers each of its own halves
// with TDES.
func applyVariant(u Usage, k reg) reg {
	mask := tdesVariant[u]
	k.l ^= mask
	k.r ^= mask
	if u != DataEncryption && u != DataDecryption {
		return k
	}
	var e dea.EDE
	e.SetKeys(k.l, k.r, k.l)
	k = reg{e.Encrypt(k.l), e.Encrypt(k.r)}
	e.Wipe()
	return k
}

// TDESInitialKey returns the initial PIN encryption key (IPEK) that the
// terminal with initial KSN ksn was loaded with, derived from the 16-byte
// base derivation key bdk (X9.24-1:2009 A.6). ksn is 10 bytes; its counter
// bits are ignored. Errors: ErrBDKLength, ErrKSNLength, ErrCipher (DES
// refused, as in FIPS 140-only mode).
//
// The IPEK is the root of one terminal's key tree: it is not a PIN key.
func TDESInitialKey(bdk, ksn []byte) ([]byte, error) {
	if len(ksn) != tdesKSNLen {
		return nil, fmt.Errorf("%w: TDES KSN is %d bytes, want 10", ErrKSNLength, len(ksn))
	}
	var left, right dea.EDE
	defer left.Wipe()
	defer right.Wipe()
	if err := bdkSchedules(bdk, &left, &right); err != nil {
		return nil, err
	}
	out := make([]byte, 16)
	ipek(&left, &right, ksn).put(out)
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
// than 10 one-bits), ErrUsage, ErrCipher (DES refused, as in FIPS 140-only
// mode). A host deriving many keys under one BDK
// should use a TDESReceiver instead.
func TDESKey(bdk, ksn []byte, u Usage) ([]byte, error) {
	counter, err := checkTDESKSN(ksn)
	if err != nil {
		return nil, err
	}
	if _, err := tdesVariantMask(u); err != nil {
		return nil, err
	}
	var left, right dea.EDE
	defer left.Wipe()
	defer right.Wipe()
	if err := bdkSchedules(bdk, &left, &right); err != nil {
		return nil, err
	}
	k := transactionKey(ipek(&left, &right, ksn), nil, tdesCryptoBase(ksn), counter)
	out := make([]byte, 16)
	applyVariant(u, k).put(out)
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
	var left, right dea.EDE
	defer left.Wipe()
	defer right.Wipe()
	if err := bdkSchedules(bdk, &left, &right); err != nil {
		return nil, err
	}
	out := make([]byte, 16)
	transactionKey(ipek(&left, &right, ksn), nil, tdesCryptoBase(ksn), counter).put(out)
	return out, nil
}

// TDESWorkingKey applies usage u's variant (and, for the data keys, the
// one-way step) to a 16-byte transaction key as returned by
// TDESTransactionKey. It exists for test tools; hosts use TDESKey or a
// TDESReceiver. Errors: ErrKeyLength, ErrUsage, ErrCipher.
func TDESWorkingKey(transactionKey []byte, u Usage) ([]byte, error) {
	if len(transactionKey) != 16 {
		return nil, fmt.Errorf("%w: TDES transaction key is %d bytes, want 16", ErrKeyLength, len(transactionKey))
	}
	if _, err := tdesVariantMask(u); err != nil {
		return nil, err
	}
	if err := desAllowed(); err != nil {
		return nil, err
	}
	out := make([]byte, 16)
	applyVariant(u, regOf(transactionKey)).put(out)
	return out, nil
}
