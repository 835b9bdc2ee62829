package dukpt

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"math/bits"

	"github.com/poskit/poskit/internal/wipe"
)

// Originator state: register consistency, the sealed format and the
// rollback guard.

// registerCounters returns, per register, the counter whose key the register
// holds when c is the next counter (0: the register must be empty). Register
// p, c's lowest one-bit, holds c's key; a register j above p holds the key of
// c's bits above j with bit j set, if bit j of c is clear and that counter
// has at most maxOnes one-bits; every other register has been used or not
// yet derived and is zero.
func registerCounters(c uint64, n, maxOnes int) []uint64 {
	out := make([]uint64, n)
	p := bits.TrailingZeros64(c)
	if p >= n {
		return out
	}
	out[p] = c
	for j := p + 1; j < n; j++ {
		if c&(1<<j) != 0 {
			continue
		}
		x := c&^(1<<(j+1)-1) | 1<<j
		if bits.OnesCount64(x) <= maxOnes {
			out[j] = x
		}
	}
	return out
}

// checkRegisters checks that the registers of a state whose next counter is
// c are filled exactly where registerCounters says: the next register holds
// a key (a restored state with an erased next register would hand out keys
// derived from an all-zero key) and every other register is empty or full
// as the counter implies. isZero(j) reports whether register j is zero.
func checkRegisters(c uint64, n, maxOnes int, isZero func(j int) bool) error {
	for j, x := range registerCounters(c, n, maxOnes) {
		switch {
		case x != 0 && isZero(j):
			return fmt.Errorf("%w: register %d is empty but counter %#x needs it", ErrState, j, c)
		case x == 0 && !isZero(j):
			return fmt.Errorf("%w: register %d is set but counter %#x has used it", ErrState, j, c)
		}
	}
	return nil
}

func allZero(b []byte) bool {
	var acc byte
	for _, v := range b {
		acc |= v
	}
	return acc == 0
}

// The sealed state: sealMagic, the sealed format version, the algorithm
// ('T' or 'A'), then AES-GCM with a random 96-bit nonce (nonce, ciphertext,
// tag) of the plain MarshalBinary state, with those 5 header bytes as
// additional data.
const (
	sealVersion   = 1
	sealHeaderLen = 5
	sealOverhead  = sealHeaderLen + 12 + 16
)

var sealMagic = [3]byte{'D', 'K', 'S'}

func sealHeader(alg byte) [sealHeaderLen]byte {
	return [sealHeaderLen]byte{sealMagic[0], sealMagic[1], sealMagic[2], sealVersion, alg}
}

// deviceAEAD returns AES-GCM with random nonces under deviceKey.
func deviceAEAD(deviceKey []byte) (cipher.AEAD, error) {
	if _, ok := aesKeyType(len(deviceKey)); !ok {
		return nil, fmt.Errorf("%w: device key is %d bytes, want 16, 24 or 32 (AES)", ErrKeyLength, len(deviceKey))
	}
	b, err := aes.NewCipher(deviceKey)
	if err != nil {
		return nil, cipherError(err)
	}
	g, err := cipher.NewGCMWithRandomNonce(b)
	if err != nil {
		return nil, cipherError(err)
	}
	return g, nil
}

// seal returns plain sealed under deviceKey for algorithm alg, and wipes
// plain.
func seal(deviceKey, plain []byte, alg byte) ([]byte, error) {
	defer clear(plain)
	g, err := deviceAEAD(deviceKey)
	if err != nil {
		return nil, err
	}
	h := sealHeader(alg)
	out := make([]byte, sealHeaderLen, sealOverhead+len(plain))
	copy(out, h[:])
	return g.Seal(out, nil, plain, h[:]), nil
}

// unseal checks and opens a sealed state of algorithm alg. The caller wipes
// the result when done.
func unseal(deviceKey, data []byte, alg byte) ([]byte, error) {
	g, err := deviceAEAD(deviceKey)
	if err != nil {
		return nil, err
	}
	h := sealHeader(alg)
	if len(data) < sealOverhead || [3]byte(data[:3]) != sealMagic {
		return nil, fmt.Errorf("%w: not a sealed DUKPT originator state", ErrState)
	}
	if data[3] != sealVersion {
		return nil, fmt.Errorf("%w: unknown sealed state version %d", ErrState, data[3])
	}
	if data[4] != alg {
		return nil, fmt.Errorf("%w: sealed state of another algorithm", ErrState)
	}
	plain, err := g.Open(nil, nil, data[sealHeaderLen:], h[:])
	if err != nil {
		return nil, fmt.Errorf("%w: sealed state does not authenticate under this device key", ErrState)
	}
	return plain, nil
}

func rollbackError(c, last uint64) error {
	return fmt.Errorf("%w: next counter %#x, but counter %#x was already seen", ErrRollback, c, last)
}

// SetLastUsed tells the originator the last KSN that the host (or a store
// the terminal trusts more than its own state) has seen from this terminal.
// From then on the originator refuses to hand out that KSN or an earlier
// one: Next returns ErrRollback instead of replaying keys, and
// UnmarshalBinary and UnmarshalSealed refuse a state of another terminal or
// one whose next counter is not above ksn's. A later call with an older KSN
// does not lower the guard.
//
// It returns ErrRollback at once when the originator's next counter is not
// above ksn's (the state was restored from an old copy): the terminal needs
// a newer state or a new IPEK. Errors: ErrState (not loaded), ErrKSN (ksn
// belongs to another terminal), ErrCounter (ksn's counter is not valid),
// ErrRollback.
func (o *TDESOriginator) SetLastUsed(ksn TDESKSN) error {
	if o == nil {
		return errNilOriginator
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.counter == 0 {
		return errNotLoaded
	}
	if ksn.Initial() != o.ksn {
		return fmt.Errorf("%w: the KSN of another terminal", ErrKSN)
	}
	c := ksn.Counter()
	if !ValidTDESCounter(c) {
		return fmt.Errorf("%w: TDES counter %#x (zero or more than 10 one-bits)", ErrCounter, c)
	}
	o.last = max(o.last, c)
	if o.counter != tdesDone && o.counter <= o.last {
		return rollbackError(uint64(o.counter), uint64(o.last))
	}
	return nil
}

// SetLastUsed is TDESOriginator.SetLastUsed for AES DUKPT: ksn's initial key
// ID must be the originator's. Errors: ErrState, ErrKSN, ErrCounter,
// ErrRollback.
func (o *AESOriginator) SetLastUsed(ksn AESKSN) error {
	if o == nil {
		return errNilOriginator
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.counter == 0 {
		return errNotLoaded
	}
	if ksn.InitialKeyID() != o.id {
		return fmt.Errorf("%w: the KSN of another terminal", ErrKSN)
	}
	c := ksn.Counter()
	if !ValidAESCounter(c) {
		return fmt.Errorf("%w: AES counter %#x (zero or more than 16 one-bits)", ErrCounter, c)
	}
	o.last = max(o.last, uint64(c))
	if o.counter != aesDone && o.counter <= o.last {
		return rollbackError(o.counter, o.last)
	}
	return nil
}

// MarshalSealed returns the originator's state (MarshalBinary) encrypted
// and authenticated with AES-GCM under deviceKey (16, 24 or 32 bytes), a
// key the terminal holds apart from the store: a version byte, a random
// nonce, the ciphertext and the tag. The state holds future keys, so a store
// that is not itself protected keeps only the sealed form. Errors: ErrState
// (not loaded), ErrKeyLength (device key), ErrCipher.
func (o *TDESOriginator) MarshalSealed(deviceKey []byte) ([]byte, error) {
	plain, err := o.MarshalBinary()
	if err != nil {
		return nil, err
	}
	defer clear(plain) // the clear state holds future keys
	return seal(deviceKey, plain, 'T')
}

// UnmarshalSealed restores a state written by MarshalSealed under the same
// deviceKey; data is not retained and on error the originator is unchanged.
// A state sealed under another key, altered in any bit, or of the AES
// algorithm does not authenticate (ErrState). Errors: ErrKeyLength, ErrState,
// ErrRollback (see SetLastUsed), ErrCipher.
func (o *TDESOriginator) UnmarshalSealed(deviceKey, data []byte) error {
	if o == nil {
		return errNilOriginator
	}
	plain, err := unseal(deviceKey, data, 'T')
	if err != nil {
		return err
	}
	defer clear(plain)
	return o.UnmarshalBinary(plain)
}

// MarshalSealed is TDESOriginator.MarshalSealed for AES DUKPT.
func (o *AESOriginator) MarshalSealed(deviceKey []byte) ([]byte, error) {
	plain, err := o.MarshalBinary()
	if err != nil {
		return nil, err
	}
	defer clear(plain) // the clear state holds future keys
	return seal(deviceKey, plain, 'A')
}

// UnmarshalSealed is TDESOriginator.UnmarshalSealed for AES DUKPT.
func (o *AESOriginator) UnmarshalSealed(deviceKey, data []byte) error {
	if o == nil {
		return errNilOriginator
	}
	plain, err := unseal(deviceKey, data, 'A')
	if err != nil {
		return err
	}
	defer clear(plain)
	return o.UnmarshalBinary(plain)
}

// Close zeroes the future-key registers and leaves the originator unloaded:
// later calls return ErrState until UnmarshalBinary or UnmarshalSealed
// loads a state. Persist the state first if the terminal will need it. Keys
// already handed out by Next are the caller's to wipe (TDESTransaction.Wipe).
// Close may be called more than once.
func (o *TDESOriginator) Close() error {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := range o.regs {
		wipe.Bytes(o.regs[i][:])
	}
	o.counter = 0
	return nil
}

// Close is TDESOriginator.Close for AES DUKPT: it zeroes the intermediate
// derivation key registers. The crypto/aes ciphers Next builds for one
// transaction are not reachable afterwards but cannot be zeroed (see the
// package documentation).
func (o *AESOriginator) Close() error {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := range o.regs {
		wipe.Bytes(o.regs[i][:])
	}
	o.counter = 0
	return nil
}
