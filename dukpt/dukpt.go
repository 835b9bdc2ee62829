package dukpt

import (
	"errors"
	"fmt"
)

// Usage names what a working key is for. For TDES DUKPT it selects one of the
// X9.24-1 variants; for AES DUKPT it selects the X9.24-3 key usage indicator
// written into the derivation data.
type Usage int

// Key usages. MACBoth, DataBoth and KeyEncryption exist for AES DUKPT only.
const (
	PINEncryption   Usage = iota // TDES: PIN variant;           AES: 0x1000
	MACGeneration                // TDES: MAC request variant;   AES: 0x2000
	MACVerification              // TDES: MAC response variant;  AES: 0x2001
	MACBoth                      // AES only: 0x2002
	DataEncryption               // TDES: data request variant;  AES: 0x3000
	DataDecryption               // TDES: data response variant; AES: 0x3001
	DataBoth                     // AES only: 0x3002
	KeyEncryption                // AES only: 0x0002 (key encryption / update key)
)

var usageNames = [...]string{
	PINEncryption:   "PINEncryption",
	MACGeneration:   "MACGeneration",
	MACVerification: "MACVerification",
	MACBoth:         "MACBoth",
	DataEncryption:  "DataEncryption",
	DataDecryption:  "DataDecryption",
	DataBoth:        "DataBoth",
	KeyEncryption:   "KeyEncryption",
}

// String returns the constant's name, or "Usage(n)" for an unknown value.
func (u Usage) String() string {
	if u >= 0 && int(u) < len(usageNames) {
		return usageNames[u]
	}
	return fmt.Sprintf("Usage(%d)", int(u))
}

// KeyType is the algorithm and length of an AES DUKPT working key.
type KeyType int

// Working key types of X9.24-3 (HMAC keys are not supported).
const (
	TDES2  KeyType = iota // double-length TDES (2TDEA), 16 bytes
	TDES3                 // triple-length TDES (3TDEA), 24 bytes
	AES128                // AES-128, 16 bytes
	AES192                // AES-192, 24 bytes
	AES256                // AES-256, 32 bytes
)

var keyTypeNames = [...]string{
	TDES2:  "TDES2",
	TDES3:  "TDES3",
	AES128: "AES128",
	AES192: "AES192",
	AES256: "AES256",
}

// String returns the constant's name, or "KeyType(n)" for an unknown value.
func (kt KeyType) String() string {
	if kt >= 0 && int(kt) < len(keyTypeNames) {
		return keyTypeNames[kt]
	}
	return fmt.Sprintf("KeyType(%d)", int(kt))
}

// Size returns the key length in bytes, or 0 for an unknown key type.
func (kt KeyType) Size() int {
	switch kt {
	case TDES2, AES128:
		return 16
	case TDES3, AES192:
		return 24
	case AES256:
		return 32
	}
	return 0
}

// Errors returned by this package, wrapped with context; test with errors.Is.
// No error carries key bytes.
var (
	// ErrBDKLength: a TDES BDK is not 16 bytes, or an AES BDK is not 16, 24
	// or 32 bytes.
	ErrBDKLength = errors.New("dukpt: invalid BDK length")
	// ErrKSNLength: a TDES KSN is not 10 bytes (20 hex digits), or an AES
	// KSN is not 12 bytes (24 hex digits).
	ErrKSNLength = errors.New("dukpt: invalid KSN length")
	// ErrKSN: a KSN string is not hexadecimal.
	ErrKSN = errors.New("dukpt: invalid KSN")
	// ErrInitialKeyIDLength: an AES initial key ID is not 8 bytes.
	ErrInitialKeyIDLength = errors.New("dukpt: invalid initial key ID length")
	// ErrKeyLength: an initial key, transaction key or intermediate key
	// given to this package has the wrong length, or a data-encryption key
	// has a length its cipher does not take.
	ErrKeyLength = errors.New("dukpt: invalid key length")
	// ErrCounter: the KSN's transaction counter is zero, has more one-bits
	// than the standard allows (10 for TDES, 16 for AES), or is out of range.
	ErrCounter = errors.New("dukpt: invalid transaction counter")
	// ErrUsage: unknown key usage, or a usage the algorithm does not define
	// (MACBoth, DataBoth and KeyEncryption for TDES).
	ErrUsage = errors.New("dukpt: invalid key usage")
	// ErrKeyType: unknown working key type.
	ErrKeyType = errors.New("dukpt: invalid key type")
	// ErrKeyStrength: an AES working key would be stronger than the BDK
	// (or initial key) it is derived from.
	ErrKeyStrength = errors.New("dukpt: working key stronger than its derivation key")
	// ErrExhausted: an originator has used its last transaction counter, or
	// no valid counter follows a KSN.
	ErrExhausted = errors.New("dukpt: transaction counter exhausted")
	// ErrState: serialised originator state is truncated, of an unknown
	// version, fails its checksum (a torn write) or is inconsistent; also
	// returned by an originator that was never initialised.
	ErrState = errors.New("dukpt: invalid originator state")
	// ErrIVLength: a CBC initialisation vector is not one block long.
	ErrIVLength = errors.New("dukpt: invalid IV length")
	// ErrDataLength: CBC input is not a whole number of blocks where it must be.
	ErrDataLength = errors.New("dukpt: invalid data length")
	// ErrPadding: unknown padding choice, or padding that does not check on
	// decryption.
	ErrPadding = errors.New("dukpt: invalid padding")
	// ErrNoBDK: a TDESReceiver or AESReceiver that was not made by
	// NewTDESReceiver or NewAESReceiver.
	ErrNoBDK = errors.New("dukpt: receiver has no BDK")
	// ErrCipher: the standard library refused to build a cipher (for
	// example DES in FIPS 140-only mode), or a cipher.Block handle given to
	// a receiver has the wrong block size.
	ErrCipher = errors.New("dukpt: cipher unavailable")
	// ErrRollback: an originator would hand out a KSN at or below the last
	// one the host or a store has seen (see SetLastUsed), or would restore
	// such a state.
	ErrRollback = errors.New("dukpt: originator state rolled back")
)

func cipherError(err error) error {
	return fmt.Errorf("%w: %v", ErrCipher, err)
}
