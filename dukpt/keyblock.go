package dukpt

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/poskit/poskit/internal/wipe"
	"github.com/poskit/poskit/keyblock"
)

// ErrInitialKeyBlock: a key block given to NewTDESOriginatorFromKeyBlock or
// NewAESOriginatorFromKeyBlock does not hold an initial DUKPT key: its usage
// is not B1, its algorithm is not the originator's, or it lacks the KS
// (TDES initial KSN) or IK (AES initial key ID) optional block.
var ErrInitialKeyBlock = errors.New("dukpt: key block holds no initial DUKPT key")

// NewTDESOriginatorFromKeyBlock loads a terminal from an ANSI X9.143 key
// block, as a key-injection facility delivers it: the block is unwrapped and
// authenticated under the key block protection key kbpk, must have usage B1
// (initial DUKPT key) and algorithm T, and names the initial KSN (20
// hexadecimal digits, counter zero) in its KS optional block.
//
// Errors: those of keyblock.Unwrap (keyblock.ErrMAC for a wrong KBPK or a
// modified block), ErrInitialKeyBlock, and those of NewTDESOriginator.
func NewTDESOriginatorFromKeyBlock(kbpk []byte, block string) (*TDESOriginator, error) {
	h, ipek, err := keyblock.Unwrap(kbpk, block)
	if err != nil {
		return nil, err
	}
	defer wipe.Bytes(ipek)
	if h.Usage != "B1" || h.Algorithm != 'T' {
		return nil, fmt.Errorf("%w: usage %s, algorithm %c, want B1 and T", ErrInitialKeyBlock, h.Usage, h.Algorithm)
	}
	ks, ok := h.Find("KS")
	if !ok {
		return nil, fmt.Errorf("%w: no KS optional block", ErrInitialKeyBlock)
	}
	ksn, err := hex.DecodeString(ks)
	if err != nil || len(ksn) != 10 {
		return nil, fmt.Errorf("%w: KS block is not a 10-byte initial KSN", ErrInitialKeyBlock)
	}
	return NewTDESOriginator(ipek, ksn)
}

// NewAESOriginatorFromKeyBlock loads a terminal from an ANSI X9.143 key block
// holding an AES DUKPT initial key: usage B1, algorithm A, the 8-byte
// initial key ID in the IK optional block. Working keys are of type kt, as
// for NewAESOriginator.
//
// Errors: those of keyblock.Unwrap, ErrInitialKeyBlock, and those of
// NewAESOriginator.
func NewAESOriginatorFromKeyBlock(kbpk []byte, block string, kt KeyType) (*AESOriginator, error) {
	h, ik, err := keyblock.Unwrap(kbpk, block)
	if err != nil {
		return nil, err
	}
	defer wipe.Bytes(ik)
	if h.Usage != "B1" || h.Algorithm != 'A' {
		return nil, fmt.Errorf("%w: usage %s, algorithm %c, want B1 and A", ErrInitialKeyBlock, h.Usage, h.Algorithm)
	}
	id, ok := h.Find("IK")
	if !ok {
		return nil, fmt.Errorf("%w: no IK optional block", ErrInitialKeyBlock)
	}
	ikid, err := hex.DecodeString(id)
	if err != nil || len(ikid) != 8 {
		return nil, fmt.Errorf("%w: IK block is not an 8-byte initial key ID", ErrInitialKeyBlock)
	}
	return NewAESOriginator(ik, ikid, kt)
}
