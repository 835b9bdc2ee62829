package keyblock

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/poskit/poskit/internal/tdes"
	"github.com/poskit/poskit/internal/wipe"
)

// Check value methods of the KC and KP optional blocks (X9.143, 6.3.5).
const (
	// KCVLegacy: the leftmost 3 bytes of the key enciphering a block of zeros
	// (ANSI X9.24-1).
	KCVLegacy = "00"
	// KCVCMAC: the leftmost 5 bytes of the CMAC of a block of zeros under the
	// key (ANSI X9.24-1:2017).
	KCVCMAC = "01"
)

// CheckValue returns the key check value of key for algorithm alg ('T' or
// 'D' TDES/DES, 'A' AES) by method (KCVLegacy or KCVCMAC), as the KC and KP
// optional blocks carry it: 3 bytes legacy, 5 bytes CMAC.
//
// Errors: ErrKey (another algorithm or length), ErrCipher (TDES in FIPS
// 140-only mode), ErrOptionalBlock (unknown method).
func CheckValue(alg byte, key []byte, method string) ([]byte, error) {
	var b cipher.Block
	switch alg {
	case 'T', 'D':
		if !tdes.Allowed() {
			return nil, ErrCipher
		}
		var ok bool
		if b, ok = tdes.NewCipherOrDES(key); !ok {
			return nil, fmt.Errorf("%w: %d bytes for a check value of algorithm %c", ErrKey, len(key), alg)
		}
	case 'A':
		var err error
		if b, err = aes.NewCipher(key); err != nil {
			return nil, fmt.Errorf("%w: %d bytes for a check value of algorithm A", ErrKey, len(key))
		}
	default:
		return nil, fmt.Errorf("%w: no check value for algorithm %s", ErrKey, printable(alg))
	}
	var out [16]byte
	zero := make([]byte, b.BlockSize())
	switch method {
	case KCVLegacy:
		b.Encrypt(out[:], zero)
		return out[:3:3], nil
	case KCVCMAC:
		var c cmac
		c.init(b)
		copy(out[:], c.sum("", zero))
		c.wipe()
		return out[:5:5], nil
	}
	return nil, fmt.Errorf("%w: check value method %q is not 00 or 01", ErrOptionalBlock, method)
}

// kbpkAlg is the algorithm of the KBPK of a version.
func kbpkAlg(v byte) byte {
	if v == 'D' {
		return 'A'
	}
	return 'T'
}

// checkValues completes KC and KP blocks that give only the method, and
// verifies those that give a value, returning the blocks to write.
func (w Wrapper) checkValues(h *Header, kbpk, key []byte) ([]Block, error) {
	out := make([]Block, len(h.Blocks))
	copy(out, h.Blocks)
	for i, b := range out {
		if b.ID != "KC" && b.ID != "KP" {
			continue
		}
		if err := checkBlock(b.ID, b.Data); err != nil {
			return nil, err
		}
		alg, k := h.Algorithm, key
		if b.ID == "KP" {
			alg, k = kbpkAlg(h.Version), kbpk
		}
		kcv, err := CheckValue(alg, k, b.Data[:2])
		if err != nil {
			return nil, fmt.Errorf("%w: block %s", err, b.ID)
		}
		if len(b.Data) == 2 {
			out[i].Data = b.Data + strings.ToUpper(hex.EncodeToString(kcv))
			continue
		}
		if err := compareKCV(b, kcv); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// verifyCheckValues checks the KC and KP blocks of an unwrapped key block.
func verifyCheckValues(h *Header, kbpk, key []byte) error {
	for _, b := range h.Blocks {
		if b.ID != "KC" && b.ID != "KP" {
			continue
		}
		alg, k := h.Algorithm, key
		if b.ID == "KP" {
			alg, k = kbpkAlg(h.Version), kbpk
		}
		kcv, err := CheckValue(alg, k, b.Data[:2])
		if err != nil {
			return fmt.Errorf("%w: block %s", err, b.ID)
		}
		if err := compareKCV(b, kcv); err != nil {
			return err
		}
	}
	return nil
}

// compareKCV compares the value of a KC or KP block, at least 2 bytes and
// at most the method's length, with kcv in constant time.
func compareKCV(b Block, kcv []byte) error {
	v := make([]byte, (len(b.Data)-2)/2)
	defer wipe.Bytes(v)
	if _, err := hex.Decode(v, []byte(b.Data[2:])); err != nil || len(v) < 2 || len(v) > len(kcv) {
		return fmt.Errorf("%w: block %s holds a %d-byte check value", ErrOptionalBlock, b.ID, len(v))
	}
	if subtle.ConstantTimeCompare(v, kcv[:len(v)]) != 1 {
		return fmt.Errorf("%w: block %s", ErrCheckValue, b.ID)
	}
	return nil
}
