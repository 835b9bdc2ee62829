package dukpt

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/poskit/poskit/internal/wipe"
)

// AES DUKPT, ANSI X9.24-3:2017.

const (
	aesKSNLen     = 12 // 8-byte initial key ID + 32-bit counter
	aesIDLen      = 8
	aesMaxOnes    = 16 // counters with more one-bits are never used
	aesRegisters  = 32
	aesCounterMax = 1<<32 - 1
)

// Key usage indicators of the derivation data (X9.24-3:2017 6.3.2).
const (
	kuKeyEncryption  = 0x0002
	kuPIN            = 0x1000
	kuMACGeneration  = 0x2000
	kuMACVerifiction = 0x2001
	kuMACBoth        = 0x2002
	kuDataEncrypt    = 0x3000
	kuDataDecrypt    = 0x3001
	kuDataBoth       = 0x3002
	kuKeyDerivation  = 0x8000
	kuInitialKey     = 0x8001
)

var usageIndicators = [...]uint16{
	PINEncryption:   kuPIN,
	MACGeneration:   kuMACGeneration,
	MACVerification: kuMACVerifiction,
	MACBoth:         kuMACBoth,
	DataEncryption:  kuDataEncrypt,
	DataDecryption:  kuDataDecrypt,
	DataBoth:        kuDataBoth,
	KeyEncryption:   kuKeyEncryption,
}

func aesUsage(u Usage) (uint16, error) {
	if u >= 0 && int(u) < len(usageIndicators) {
		return usageIndicators[u], nil
	}
	return 0, fmt.Errorf("%w: %v", ErrUsage, u)
}

// Algorithm indicators of the derivation data (X9.24-3:2017 6.3.2), in
// KeyType order.
var algIndicators = [...]uint16{
	TDES2:  0x0000,
	TDES3:  0x0001,
	AES128: 0x0002,
	AES192: 0x0003,
	AES256: 0x0004,
}

func checkKeyType(kt KeyType) error {
	if kt < 0 || int(kt) >= len(algIndicators) {
		return fmt.Errorf("%w: %v", ErrKeyType, kt)
	}
	return nil
}

// aesKeyType maps an AES key length to its key type.
func aesKeyType(n int) (KeyType, bool) {
	switch n {
	case 16:
		return AES128, true
	case 24:
		return AES192, true
	case 32:
		return AES256, true
	}
	return 0, false
}

// checkStrength rejects an AES working key longer than the derivation key;
// TDES working keys come from any AES derivation key.
func checkStrength(kt KeyType, derivation KeyType) error {
	if (kt == AES128 || kt == AES192 || kt == AES256) && kt.Size() > derivation.Size() {
		return fmt.Errorf("%w: %v key from an %v key", ErrKeyStrength, kt, derivation)
	}
	return nil
}

// ValidAESCounter reports whether c is a counter an AES DUKPT originator
// uses: not zero and at most 16 one-bits.
func ValidAESCounter(c uint32) bool {
	return c != 0 && bits.OnesCount32(c) <= aesMaxOnes
}

// derive enciphers the derivation data for a key of type kt under c and
// writes the key into out[:kt.Size()] (X9.24-3:2017 6.3.3). out must hold
// whole blocks: 32 bytes for 3TDEA and AES-192 keys, which take the
// leftmost 24 of two blocks.
// tail is the derivation data's last 8 bytes: the initial key ID for an
// initial key, otherwise the ID's last 4 bytes and the counter.
func derive(c cipher.Block, usage uint16, kt KeyType, tail uint64, out []byte) {
	n := kt.Size()
	// Version 01, key block counter, key usage indicator, algorithm
	// indicator, length in bits; then tail.
	head := 0x01<<56 | uint64(usage)<<32 | uint64(algIndicators[kt])<<16 | uint64(n*8)
	for i := 0; i*16 < n; i++ {
		d := out[i*16 : i*16+16]
		binary.BigEndian.PutUint64(d, head|uint64(i+1)<<48)
		binary.BigEndian.PutUint64(d[8:], tail)
		c.Encrypt(d, d)
	}
}

// newAES returns crypto/aes's cipher for key. The callers have checked
// key's length; the standard library refuses no AES key length in any FIPS
// 140 mode, so an error is not expected but is reported as ErrCipher.
func newAES(key []byte) (cipher.Block, error) {
	c, err := aes.NewCipher(key)
	if err != nil {
		return nil, cipherError(err)
	}
	return c, nil
}

func checkAESBDK(bdk []byte) (KeyType, error) {
	t, ok := aesKeyType(len(bdk))
	if !ok {
		return 0, fmt.Errorf("%w: AES BDK is %d bytes, want 16, 24 or 32", ErrBDKLength, len(bdk))
	}
	return t, nil
}

func checkAESKSN(ksn []byte) error {
	if len(ksn) != aesKSNLen {
		return fmt.Errorf("%w: AES KSN is %d bytes, want 12", ErrKSNLength, len(ksn))
	}
	return nil
}

// aesInitialKey writes the initial key for id under the BDK cipher c into
// out[:t.Size()].
func aesInitialKey(c cipher.Block, t KeyType, id []byte, out []byte) {
	derive(c, kuInitialKey, t, binary.BigEndian.Uint64(id[:8]), out)
}

// AESInitialKey returns the initial key that the terminal with the 8-byte
// initialKeyID was loaded with, derived from bdk (AES-128, AES-192 or
// AES-256: 16, 24 or 32 bytes); the initial key has the BDK's length
// (X9.24-3:2017 6.3.3). Errors: ErrBDKLength, ErrInitialKeyIDLength.
//
// The initial key is the root of one terminal's key tree: it is not a PIN key.
func AESInitialKey(bdk, initialKeyID []byte) ([]byte, error) {
	t, err := checkAESBDK(bdk)
	if err != nil {
		return nil, err
	}
	if len(initialKeyID) != aesIDLen {
		return nil, fmt.Errorf("%w: %d bytes, want 8", ErrInitialKeyIDLength, len(initialKeyID))
	}
	c, err := newAES(bdk)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 32)
	aesInitialKey(c, t, initialKeyID, out)
	return trim(out, t.Size()), nil
}

// bufSize is the working buffer a derivation with derivation keys of type t
// and a result of type kt needs: whole 16-byte blocks.
func bufSize(t, kt KeyType) int {
	if t.Size() > 16 || kt.Size() > 16 {
		return 32
	}
	return 16
}

// trim wipes out beyond n bytes and returns out[:n:n].
func trim(out []byte, n int) []byte {
	wipe.Bytes(out[n:])
	return out[:n:n]
}

// intermediate walks counter's one-bits from the highest down, starting from
// the initial key's cipher ik (type t); each step derives the next
// intermediate derivation key into out[:t.Size()] and builds its cipher
// (X9.24-3:2017 6.3.4). It returns the cipher of the last key: ik itself
// when counter is zero.
func intermediate(ik cipher.Block, t KeyType, idLow uint32, counter uint32, out []byte) (cipher.Block, error) {
	n := t.Size()
	c := ik
	var wc uint32
	rest := counter
	for rest != 0 {
		top := uint32(1) << (bits.Len32(rest) - 1)
		rest &^= top
		wc |= top
		derive(c, kuKeyDerivation, t, uint64(idLow)<<32|uint64(wc), out)
		var err error
		if c, err = newAES(out[:n]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// aesDerive is the common body of AESKey and AESReceiver.Key. Either bdk is
// the BDK's cipher (and the initial key is derived), or ik is the initial
// key's.
func aesDerive(bdk, ik cipher.Block, t KeyType, ksn []byte, counter uint32, usage uint16, kt KeyType) ([]byte, error) {
	out := make([]byte, bufSize(t, kt))
	if ik == nil {
		aesInitialKey(bdk, t, ksn, out)
		var err error
		if ik, err = newAES(out[:t.Size()]); err != nil {
			wipe.Bytes(out)
			return nil, err
		}
	}
	idLow := binary.BigEndian.Uint32(ksn[4:8])
	c, err := intermediate(ik, t, idLow, counter, out)
	if err != nil {
		wipe.Bytes(out)
		return nil, err
	}
	derive(c, usage, kt, uint64(idLow)<<32|uint64(counter), out)
	return trim(out, kt.Size()), nil
}

// checkAESKeyArgs validates everything AESKey takes but the BDK.
func checkAESKeyArgs(t KeyType, ksn []byte, u Usage, kt KeyType) (counter uint32, usage uint16, err error) {
	if err := checkAESKSN(ksn); err != nil {
		return 0, 0, err
	}
	counter = binary.BigEndian.Uint32(ksn[8:])
	if !ValidAESCounter(counter) {
		return 0, 0, fmt.Errorf("%w: AES counter %#x (zero or more than 16 one-bits)", ErrCounter, counter)
	}
	if usage, err = aesUsage(u); err != nil {
		return 0, 0, err
	}
	if err := checkKeyType(kt); err != nil {
		return 0, 0, err
	}
	if err := checkStrength(kt, t); err != nil {
		return 0, 0, err
	}
	return counter, usage, nil
}

// AESKey returns the working key of type kt for usage u of the transaction
// identified by the 12-byte ksn (8-byte initial key ID, 32-bit counter),
// derived from bdk (16, 24 or 32 bytes) per ANSI X9.24-3:2017. Every usage
// and key type is supported; TDES working keys come from any BDK, an AES
// working key may not be longer than the BDK.
//
// Errors: ErrBDKLength, ErrKSNLength, ErrCounter (counter zero or with more
// than 16 one-bits), ErrUsage, ErrKeyType, ErrKeyStrength. A host deriving
// many keys under one BDK should use an AESReceiver instead.
func AESKey(bdk, ksn []byte, u Usage, kt KeyType) ([]byte, error) {
	t, err := checkAESBDK(bdk)
	if err != nil {
		return nil, err
	}
	counter, usage, err := checkAESKeyArgs(t, ksn, u, kt)
	if err != nil {
		return nil, err
	}
	c, err := newAES(bdk)
	if err != nil {
		return nil, err
	}
	return aesDerive(c, nil, t, ksn, counter, usage, kt)
}

// AESIntermediateKey returns the intermediate derivation key (the
// "transaction key" of the X9.24-3 test vectors) for the 12-byte ksn under
// bdk. Any 32-bit counter is accepted, including 0 (the initial key) and
// counters with more than 16 one-bits such as 0xFFFFFFFF, the update-key
// position.
//
// It exists for test tools that check published intermediate values. It is
// NOT a PIN, MAC or data key: a PIN block enciphered under a PIN key does
// not decrypt under it. Use AESKey for working keys, or AESWorkingKey to
// take a working key from an intermediate key. Errors: ErrBDKLength,
// ErrKSNLength.
func AESIntermediateKey(bdk, ksn []byte) ([]byte, error) {
	t, err := checkAESBDK(bdk)
	if err != nil {
		return nil, err
	}
	if err := checkAESKSN(ksn); err != nil {
		return nil, err
	}
	c, err := newAES(bdk)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 32)
	n := t.Size()
	aesInitialKey(c, t, ksn, out)
	ik, err := newAES(out[:n])
	if err != nil {
		wipe.Bytes(out)
		return nil, err
	}
	idLow := binary.BigEndian.Uint32(ksn[4:8])
	if _, err := intermediate(ik, t, idLow, binary.BigEndian.Uint32(ksn[8:]), out); err != nil {
		wipe.Bytes(out)
		return nil, err
	}
	return trim(out, n), nil
}

// AESWorkingKey derives the working key of type kt for usage u from an
// intermediate derivation key (16, 24 or 32 bytes, as returned by
// AESIntermediateKey) for the 12-byte ksn. Any counter is accepted; this is
// how the update key (KeyEncryption at counter 0xFFFFFFFF) is reached. It
// exists for test tools and key-update procedures; hosts use AESKey or an
// AESReceiver. Errors: ErrKeyLength, ErrKSNLength, ErrUsage, ErrKeyType,
// ErrKeyStrength.
func AESWorkingKey(intermediateKey, ksn []byte, u Usage, kt KeyType) ([]byte, error) {
	t, ok := aesKeyType(len(intermediateKey))
	if !ok {
		return nil, fmt.Errorf("%w: AES intermediate key is %d bytes, want 16, 24 or 32", ErrKeyLength, len(intermediateKey))
	}
	if err := checkAESKSN(ksn); err != nil {
		return nil, err
	}
	usage, err := aesUsage(u)
	if err != nil {
		return nil, err
	}
	if err := checkKeyType(kt); err != nil {
		return nil, err
	}
	if err := checkStrength(kt, t); err != nil {
		return nil, err
	}
	c, err := newAES(intermediateKey)
	if err != nil {
		return nil, err
	}
	out := make([]byte, bufSize(t, kt))
	idLow := binary.BigEndian.Uint32(ksn[4:8])
	derive(c, usage, kt, uint64(idLow)<<32|uint64(binary.BigEndian.Uint32(ksn[8:])), out)
	return trim(out, kt.Size()), nil
}
