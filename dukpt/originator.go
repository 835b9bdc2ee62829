package dukpt

import (
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/bits"
	"sync"

	"github.com/poskit/poskit/internal/wipe"
)

// Originators (terminal side).
//
// Both keep the future-key registers of their standard: register i holds the
// key for the counter made of the current counter's bits above i with bit i
// set. The next counter's lowest set bit names the register holding its key;
// using it derives the registers below (unless the counter already has the
// maximum number of one-bits, in which case every counter below the next
// carry is skipped) and then erases it.

const stateVersion = 1

var (
	errNilOriginator = fmt.Errorf("%w: nil originator", ErrState)
	errNotLoaded     = fmt.Errorf("%w: originator not loaded, or closed", ErrState)
)

var (
	tdesMagic = [4]byte{'D', 'K', 'T', 'D'}
	aesMagic  = [4]byte{'D', 'K', 'T', 'A'}
)

const (
	tdesDone = tdesCounterMax + 1 // counter value of an exhausted TDES originator
	aesDone  = aesCounterMax + 1  // counter value of an exhausted AES originator

	tdesStateLen = 4 + 1 + tdesKSNLen + 4 + tdesRegisters*16 + 4
	aesStateLen  = 4 + 1 + 1 + 1 + aesIDLen + 8 + aesRegisters*32 + 4
)

// TDESTransaction is what a TDES terminal needs for one transaction: the KSN
// to send and the five working keys of X9.24-1:2009.
type TDESTransaction struct {
	KSN         TDESKSN
	PIN         []byte // PIN encryption key (PIN variant)
	MACRequest  []byte // MAC key for the request (MACGeneration)
	MACResponse []byte // MAC key for the response (MACVerification)
	DataRequest []byte // data encryption key, request (DataEncryption)
	// DataResponse is the data encryption key of the response
	// (DataDecryption).
	DataResponse []byte
}

// Wipe zeroes the transaction's keys.
func (t *TDESTransaction) Wipe() {
	for _, k := range [][]byte{t.PIN, t.MACRequest, t.MACResponse, t.DataRequest, t.DataResponse} {
		wipe.Bytes(k)
	}
}

// TDESOriginator is the terminal side of TDES DUKPT (X9.24-1:2009): it holds
// the 21 future-key registers, gives each transaction its KSN and keys, and
// skips counters with more than 10 one-bits. It is safe for concurrent use.
//
// Persist its state (MarshalBinary) after every Next and before using the
// keys Next returned: write the new state to a temporary file, sync it,
// rename it over the old one (or use your store's atomic write). A terminal
// that crashes after persisting and before using a key merely skips a
// counter; one that used a key before persisting would use it again after a
// restart, which DUKPT exists to prevent. The state holds future keys: it
// needs the same protection as the IPEK (MarshalSealed encrypts it under a
// device key). See the package documentation for the risk of restoring an
// old state and SetLastUsed for the guard against it.
type TDESOriginator struct {
	mu      sync.Mutex
	ksn     TDESKSN // initial KSN, counter cleared
	counter uint32  // counter of the next transaction; tdesDone when exhausted; 0 before loading
	last    uint32  // last counter the host or a store has seen; 0 when unknown
	regs    [tdesRegisters][16]byte
}

// NewTDESOriginator loads a terminal with its 16-byte IPEK and 10-byte
// initial KSN (counter zero), as key injection does, and fills the future-key
// registers. Errors: ErrKeyLength, ErrKSNLength, ErrCounter (non-zero
// counter).
func NewTDESOriginator(ipek, initialKSN []byte) (*TDESOriginator, error) {
	if len(ipek) != 16 {
		return nil, fmt.Errorf("%w: IPEK is %d bytes, want 16", ErrKeyLength, len(ipek))
	}
	ksn, err := TDESKSNFromBytes(initialKSN)
	if err != nil {
		return nil, err
	}
	if c := ksn.Counter(); c != 0 {
		return nil, fmt.Errorf("%w: initial KSN has counter %#x, want 0", ErrCounter, c)
	}
	if err := desAllowed(); err != nil {
		return nil, err
	}
	o := &TDESOriginator{ksn: ksn}
	var st stepState
	defer st.wipe()
	st.init(regOf(ipek))
	base := tdesCryptoBase(ksn[:])
	for j := range tdesRegisters {
		st.step(base | 1<<j).put(o.regs[j][:])
	}
	o.counter = 1
	return o, nil
}

// Next advances to the next transaction and returns its KSN and working keys.
// After counter 0x1FF800 it returns ErrExhausted: the terminal needs a new
// IPEK. See the type's doc for persisting the state before using the keys.
func (o *TDESOriginator) Next() (TDESTransaction, error) {
	if o == nil {
		return TDESTransaction{}, errNilOriginator
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	c := o.counter
	switch {
	case c == 0:
		return TDESTransaction{}, errNotLoaded
	case c >= tdesDone:
		return TDESTransaction{}, fmt.Errorf("%w: after TDES counter %#x", ErrExhausted, tdesCounterMax&^(1<<11-1))
	case c <= o.last:
		return TDESTransaction{}, rollbackError(uint64(c), uint64(o.last))
	}
	if err := desAllowed(); err != nil { // a state restored in a FIPS 140-only process
		return TDESTransaction{}, err
	}
	// X9.24-1's shift register is the counter's lowest one-bit; the current
	// key pointer p names the future key register holding c's key.
	sr := c & -c
	p := bits.TrailingZeros32(sr)
	k := regOf(o.regs[p][:]) // c's transaction key
	// With 10 one-bits, skip every counter below the carry.
	next := c + sr
	if bits.OnesCount32(c) < tdesMaxOnes {
		// New keys for the registers right of p, all from c's key: its
		// key schedules are built once.
		if p > 0 {
			var st stepState
			st.init(k)
			cr := tdesCryptoBase(o.ksn[:]) | uint64(c)
			for j := p - 1; j >= 0; j-- {
				st.step(cr | 1<<j).put(o.regs[j][:])
			}
			st.wipe()
		}
		next = c + 1
	}
	buf := make([]byte, 5*16)
	tx := TDESTransaction{
		PIN:          buf[0:16:16],
		MACRequest:   buf[16:32:32],
		MACResponse:  buf[32:48:48],
		DataRequest:  buf[48:64:64],
		DataResponse: buf[64:80:80],
	}
	for i, u := range []Usage{PINEncryption, MACGeneration, MACVerification, DataEncryption, DataDecryption} {
		applyVariant(u, k).put(buf[16*i : 16*i+16])
	}
	tx.KSN, _ = o.ksn.WithCounter(c)
	wipe.Bytes(o.regs[p][:])
	o.counter = min(next, tdesDone)
	return tx, nil
}

// Exhausted reports whether the originator has used its last counter.
func (o *TDESOriginator) Exhausted() bool {
	if o == nil {
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.counter >= tdesDone
}

// Counter returns the counter the next transaction will use, or 0 when the
// originator is exhausted or not loaded.
func (o *TDESOriginator) Counter() uint32 {
	if o == nil {
		return 0
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.counter >= tdesDone {
		return 0
	}
	return o.counter
}

// MarshalBinary returns the originator's state (version 1: magic, version,
// initial KSN, next counter, the 21 registers, CRC-32). The state contains
// future keys: store it as you would the IPEK. Errors: ErrState if the
// originator was never loaded.
func (o *TDESOriginator) MarshalBinary() ([]byte, error) {
	if o == nil {
		return nil, errNilOriginator
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.counter == 0 {
		return nil, errNotLoaded
	}
	b := make([]byte, 0, tdesStateLen)
	b = append(b, tdesMagic[:]...)
	b = append(b, stateVersion)
	b = append(b, o.ksn[:]...)
	b = binary.BigEndian.AppendUint32(b, o.counter)
	for i := range o.regs {
		b = append(b, o.regs[i][:]...)
	}
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

func checkStateFrame(data []byte, magic [4]byte, size int) error {
	if len(data) < 5 || [4]byte(data[:4]) != magic {
		return fmt.Errorf("%w: not a DUKPT originator state of this algorithm", ErrState)
	}
	if data[4] != stateVersion {
		return fmt.Errorf("%w: unknown version %d", ErrState, data[4])
	}
	if len(data) != size {
		return fmt.Errorf("%w: %d bytes, want %d (truncated?)", ErrState, len(data), size)
	}
	if crc32.ChecksumIEEE(data[:size-4]) != binary.BigEndian.Uint32(data[size-4:]) {
		return fmt.Errorf("%w: checksum mismatch (torn write?)", ErrState)
	}
	return nil
}

// UnmarshalBinary restores a state written by MarshalBinary; data is not
// retained. On error the originator is unchanged. Errors: ErrState (wrong
// magic, unknown version, wrong length, checksum mismatch, inconsistent
// fields, or registers that do not match the counter, such as an erased
// next register), ErrRollback (an older state than SetLastUsed allows, or
// another terminal's).
func (o *TDESOriginator) UnmarshalBinary(data []byte) error {
	if o == nil {
		return errNilOriginator
	}
	if err := checkStateFrame(data, tdesMagic, tdesStateLen); err != nil {
		return err
	}
	ksn := TDESKSN(data[5 : 5+tdesKSNLen])
	if ksn.Counter() != 0 {
		return fmt.Errorf("%w: initial KSN has a counter", ErrState)
	}
	c := binary.BigEndian.Uint32(data[5+tdesKSNLen:])
	if c != tdesDone && !ValidTDESCounter(c) {
		return fmt.Errorf("%w: counter %#x", ErrState, c)
	}
	regs := data[9+tdesKSNLen:]
	if c != tdesDone {
		err := checkRegisters(uint64(c), tdesRegisters, tdesMaxOnes, func(j int) bool { return allZero(regs[16*j : 16*j+16]) })
		if err != nil {
			return err
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.last != 0 && (ksn != o.ksn || c <= o.last) {
		return rollbackError(uint64(c), uint64(o.last))
	}
	o.ksn = ksn
	o.counter = c
	for i := range o.regs {
		copy(o.regs[i][:], regs[16*i:])
	}
	return nil
}

// AESTransaction is what an AES terminal needs for one transaction: the KSN
// to send and one working key of the originator's key type per usage.
type AESTransaction struct {
	KSN             AESKSN
	KeyType         KeyType
	PIN             []byte // PINEncryption (0x1000)
	MACGeneration   []byte // MACGeneration (0x2000)
	MACVerification []byte // MACVerification (0x2001)
	MACBoth         []byte // MACBoth (0x2002)
	DataEncryption  []byte // DataEncryption (0x3000)
	DataDecryption  []byte // DataDecryption (0x3001)
	DataBoth        []byte // DataBoth (0x3002)
}

var aesTxUsages = [...]Usage{PINEncryption, MACGeneration, MACVerification, MACBoth, DataEncryption, DataDecryption, DataBoth}

// Wipe zeroes the transaction's keys.
func (t *AESTransaction) Wipe() {
	for _, k := range [][]byte{t.PIN, t.MACGeneration, t.MACVerification, t.MACBoth, t.DataEncryption, t.DataDecryption, t.DataBoth} {
		wipe.Bytes(k)
	}
}

// AESOriginator is the terminal side of AES DUKPT (X9.24-3:2017): it holds
// the 32 intermediate derivation key registers, gives each transaction its
// KSN and working keys, and skips counters with more than 16 one-bits. It is
// safe for concurrent use. Persist its state as described for
// TDESOriginator: after every Next, before using the keys.
type AESOriginator struct {
	mu      sync.Mutex
	id      [aesIDLen]byte
	t       KeyType // initial key type: AES128, AES192 or AES256
	kt      KeyType // working key type
	counter uint64  // counter of the next transaction; aesDone when exhausted; 0 before loading
	last    uint64  // last counter the host or a store has seen; 0 when unknown
	regs    [aesRegisters][32]byte
}

// NewAESOriginator loads a terminal with its initial key (16, 24 or 32
// bytes) and 8-byte initial key ID, and fills the intermediate derivation
// key registers; each transaction's working keys are of type kt (an AES
// type no longer than the initial key, or any TDES type).
// Errors: ErrKeyLength, ErrInitialKeyIDLength, ErrKeyType, ErrKeyStrength.
func NewAESOriginator(initialKey, initialKeyID []byte, kt KeyType) (*AESOriginator, error) {
	t, ok := aesKeyType(len(initialKey))
	if !ok {
		return nil, fmt.Errorf("%w: AES initial key is %d bytes, want 16, 24 or 32", ErrKeyLength, len(initialKey))
	}
	if len(initialKeyID) != aesIDLen {
		return nil, fmt.Errorf("%w: %d bytes, want 8", ErrInitialKeyIDLength, len(initialKeyID))
	}
	if err := checkKeyType(kt); err != nil {
		return nil, err
	}
	if err := checkStrength(kt, t); err != nil {
		return nil, err
	}
	c, err := newAES(initialKey)
	if err != nil {
		return nil, err
	}
	o := &AESOriginator{id: [aesIDLen]byte(initialKeyID), t: t, kt: kt}
	idLow := uint64(binary.BigEndian.Uint32(initialKeyID[4:]))
	for j := range aesRegisters {
		o.derive(c, j, idLow<<32|1<<j)
	}
	o.counter = 1
	return o, nil
}

// derive fills register j with the intermediate key for tail under c.
func (o *AESOriginator) derive(c cipher.Block, j int, tail uint64) {
	derive(c, kuKeyDerivation, o.t, tail, o.regs[j][:])
	wipe.Bytes(o.regs[j][o.t.Size():])
}

// Next advances to the next transaction and returns its KSN and working keys.
// After counter 0xFFFF0000 it returns ErrExhausted: the terminal needs a new
// initial key. See TDESOriginator for persisting the state before using the
// keys.
func (o *AESOriginator) Next() (AESTransaction, error) {
	if o == nil {
		return AESTransaction{}, errNilOriginator
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	c := o.counter
	switch {
	case c == 0:
		return AESTransaction{}, errNotLoaded
	case c >= aesDone:
		return AESTransaction{}, fmt.Errorf("%w: after AES counter 0xFFFF0000", ErrExhausted)
	case c <= o.last:
		return AESTransaction{}, rollbackError(c, o.last)
	}
	sr := c & -c // shift register: the counter's lowest one-bit
	p := bits.TrailingZeros64(sr)
	n := o.t.Size()
	var k [32]byte
	defer wipe.Bytes(k[:])
	copy(k[:n], o.regs[p][:n])
	ci, err := newAES(k[:n])
	if err != nil {
		return AESTransaction{}, err
	}
	idLow := uint64(binary.BigEndian.Uint32(o.id[4:]))
	next := c + sr // with 16 one-bits: skip every counter below the carry
	if bits.OnesCount64(c) < aesMaxOnes {
		for j := p - 1; j >= 0; j-- {
			o.derive(ci, j, idLow<<32|c|1<<j)
		}
		next = c + 1
	}
	size := o.kt.Size()
	buf := make([]byte, len(aesTxUsages)*32)
	var keys [len(aesTxUsages)][]byte
	for i, u := range aesTxUsages {
		out := buf[32*i : 32*i+32]
		derive(ci, usageIndicators[u], o.kt, idLow<<32|c, out)
		wipe.Bytes(out[size:])
		keys[i] = out[:size:size]
	}
	ksn, _ := NewAESKSN(o.id[:], uint32(c))
	wipe.Bytes(o.regs[p][:])
	o.counter = min(next, aesDone)
	return AESTransaction{
		KSN: ksn, KeyType: o.kt,
		PIN: keys[0], MACGeneration: keys[1], MACVerification: keys[2], MACBoth: keys[3],
		DataEncryption: keys[4], DataDecryption: keys[5], DataBoth: keys[6],
	}, nil
}

// Exhausted reports whether the originator has used its last counter.
func (o *AESOriginator) Exhausted() bool {
	if o == nil {
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.counter >= aesDone
}

// Counter returns the counter the next transaction will use; ok is false
// when the originator is exhausted or not loaded.
func (o *AESOriginator) Counter() (c uint32, ok bool) {
	if o == nil {
		return 0, false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.counter == 0 || o.counter >= aesDone {
		return 0, false
	}
	return uint32(o.counter), true
}

// MarshalBinary returns the originator's state (version 1: magic, version,
// initial key type, working key type, initial key ID, next counter, the 32
// registers, CRC-32). The state contains future keys: store it as you would
// the initial key. Errors: ErrState if the originator was never loaded.
func (o *AESOriginator) MarshalBinary() ([]byte, error) {
	if o == nil {
		return nil, errNilOriginator
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.counter == 0 {
		return nil, errNotLoaded
	}
	b := make([]byte, 0, aesStateLen)
	b = append(b, aesMagic[:]...)
	b = append(b, stateVersion, byte(o.t), byte(o.kt))
	b = append(b, o.id[:]...)
	b = binary.BigEndian.AppendUint64(b, o.counter)
	for i := range o.regs {
		b = append(b, o.regs[i][:]...)
	}
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

// UnmarshalBinary restores a state written by MarshalBinary; data is not
// retained. On error the originator is unchanged. Errors: ErrState (wrong
// magic, unknown version, wrong length, checksum mismatch, inconsistent
// fields, or registers that do not match the counter, such as an erased
// next register), ErrRollback (an older state than SetLastUsed allows, or
// another terminal's).
func (o *AESOriginator) UnmarshalBinary(data []byte) error {
	if o == nil {
		return errNilOriginator
	}
	if err := checkStateFrame(data, aesMagic, aesStateLen); err != nil {
		return err
	}
	t, kt := KeyType(data[5]), KeyType(data[6])
	if t != AES128 && t != AES192 && t != AES256 {
		return fmt.Errorf("%w: initial key type %v", ErrState, t)
	}
	if checkKeyType(kt) != nil || checkStrength(kt, t) != nil {
		return fmt.Errorf("%w: working key type %v", ErrState, kt)
	}
	c := binary.BigEndian.Uint64(data[7+aesIDLen:])
	if c != aesDone && (c > aesCounterMax || !ValidAESCounter(uint32(c))) {
		return fmt.Errorf("%w: counter %#x", ErrState, c)
	}
	regs := data[15+aesIDLen:]
	for j := range aesRegisters { // bytes past the key in each register are zero
		if !allZero(regs[32*j+t.Size() : 32*j+32]) {
			return fmt.Errorf("%w: register %d is longer than an %v key", ErrState, j, t)
		}
	}
	if c != aesDone {
		if err := checkRegisters(c, aesRegisters, aesMaxOnes, func(j int) bool { return allZero(regs[32*j : 32*j+32]) }); err != nil {
			return err
		}
	}
	id := [aesIDLen]byte(data[7:])
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.last != 0 && (id != o.id || c <= o.last) {
		return rollbackError(c, o.last)
	}
	o.t, o.kt = t, kt
	o.id = id
	o.counter = c
	for i := range o.regs {
		copy(o.regs[i][:], regs[32*i:])
	}
	return nil
}
