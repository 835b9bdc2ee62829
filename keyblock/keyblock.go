package keyblock

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/poskit/poskit/internal/wipe"
)

// Errors returned by this package, wrapped with detail; test them with
// errors.Is. None carries key bytes.
var (
	// ErrFormat: the key block is not well formed (length field, characters,
	// payload or MAC field lengths).
	ErrFormat = errors.New("keyblock: malformed key block")
	// ErrVersion: a version other than A, B, C or D.
	ErrVersion = errors.New("keyblock: unsupported version")
	// ErrHeader: a header field has characters X9.143 does not allow there.
	ErrHeader = errors.New("keyblock: invalid header")
	// ErrOptionalBlock: an optional block is malformed, or the padding
	// block is misplaced.
	ErrOptionalBlock = errors.New("keyblock: invalid optional block")
	// ErrCombination: the X9.143 rule on key usage, algorithm and mode of use
	// combinations is broken.
	ErrCombination = errors.New("keyblock: usage, algorithm and mode of use do not combine")
	// ErrExportability: the exportability is not E, N or S, or Export was
	// asked to export a key that is non-exportable or for storage only.
	ErrExportability = errors.New("keyblock: invalid exportability")
	// ErrStrength: the X9.143 rule that a key is never wrapped under a weaker
	// key block protection key is broken.
	ErrStrength = errors.New("keyblock: key stronger than its key block protection key")
	// ErrKBPK: the key block protection key has a length the version does not
	// take (A, C: 8, 16 or 24 bytes; B: 16 or 24; D: 16, 24 or 32).
	ErrKBPK = errors.New("keyblock: invalid key block protection key length")
	// ErrKey: the key to wrap has a length its algorithm does not take, or
	// the key length field of an authenticated block is inconsistent.
	ErrKey = errors.New("keyblock: invalid key length")
	// ErrMAC: the key block does not authenticate under this KBPK: wrong
	// key, or a modified block.
	ErrMAC = errors.New("keyblock: MAC does not verify")
	// ErrCheckValue: a KC or KP optional block does not match the key or the
	// KBPK.
	ErrCheckValue = errors.New("keyblock: check value mismatch")
	// ErrLegacy: wrapping in version A or C was asked of a Wrapper without
	// LegacyVariantBinding.
	ErrLegacy = errors.New("keyblock: key variant binding (versions A and C) is deprecated by X9.143")
	// ErrCipher: TDES is not available, as in FIPS 140-only mode
	// (GODEBUG=fips140=only).
	ErrCipher = errors.New("keyblock: TDES refused in FIPS 140-only mode")
	// ErrRandom: the padding source failed.
	ErrRandom = errors.New("keyblock: random source failed")
)

// maxLength is the largest key block: the length field has 4 digits.
const maxLength = 9999

// Wrapper wraps keys with options. The zero value is what [Wrap] uses.
type Wrapper struct {
	// Rand supplies the key padding and the padding block; nil means
	// crypto/rand.Reader. Tests inject a fixed reader to reproduce the
	// published examples.
	Rand io.Reader
	// MaskedKeyLength, when larger than the key, pads the key data as though
	// the key had that many bytes, so that the key block does not reveal the
	// key's length (X9.143 recommends it when lengths differ in one use).
	MaskedKeyLength int
	// LegacyVariantBinding allows versions A and C. X9.143 deprecates their
	// key variant binding method; set it only to produce key blocks for a
	// peer that reads nothing else.
	LegacyVariantBinding bool
}

// Wrap wraps key under the key block protection key kbpk with the attributes
// of h, padding with crypto/rand; it is Wrapper{}.Wrap. Versions B and D only.
func Wrap(kbpk []byte, h Header, key []byte) (string, error) {
	return Wrapper{}.Wrap(kbpk, h, key)
}

// Wrap wraps key under kbpk with the attributes of h. h.Blocks are written in
// order; a padding block is added when needed. A KC or KP block whose data
// is only the method ("00" legacy check value, "01" CMAC) is completed with
// the check value of the key or of the KBPK; one with a value must match.
//
// Errors: ErrVersion, ErrLegacy, ErrHeader, ErrOptionalBlock,
// ErrCombination, ErrExportability, ErrKBPK, ErrKey, ErrStrength,
// ErrCheckValue, ErrCipher, ErrRandom, ErrFormat (longer than 9999
// characters).
func (w Wrapper) Wrap(kbpk []byte, h Header, key []byte) (string, error) {
	if err := checkFields(&h); err != nil {
		return "", err
	}
	if (h.Version == 'A' || h.Version == 'C') && !w.LegacyVariantBinding {
		return "", ErrLegacy
	}
	if err := checkRules(&h); err != nil {
		return "", err
	}
	if !kbpkLenOK(h.Version, len(kbpk)) {
		return "", fmt.Errorf("%w: %d bytes for version %c", ErrKBPK, len(kbpk), h.Version)
	}
	if err := checkKey(&h, len(kbpk), len(key), true); err != nil {
		return "", err
	}
	if len(key) > 0xFFFF/8 {
		return "", fmt.Errorf("%w: %d bytes, over the key length field", ErrKey, len(key))
	}
	blocks, err := w.checkValues(&h, kbpk, key)
	if err != nil {
		return "", err
	}
	h.Blocks = blocks
	r := w.Rand
	if r == nil {
		r = rand.Reader
	}
	var opt strings.Builder
	count, err := encodeBlocks(&opt, &h, func(n int) (string, error) { return padChars(r, n) })
	if err != nil {
		return "", err
	}
	bs := blockSize(h.Version)
	kl := max(len(key), w.MaskedKeyLength)
	if kl > maxLength/2 {
		return "", fmt.Errorf("%w: key data of %d bytes cannot fit in %d characters", ErrFormat, kl, maxLength)
	}
	plain := make([]byte, (2+kl+bs-1)/bs*bs)
	defer wipe.Bytes(plain)
	binary.BigEndian.PutUint16(plain, uint16(8*len(key)))
	copy(plain[2:], key)
	if _, err := io.ReadFull(r, plain[2+len(key):]); err != nil {
		return "", fmt.Errorf("%w: %v", ErrRandom, err)
	}
	total := 16 + opt.Len() + 2*len(plain) + 2*macLen(h.Version)
	if total > maxLength {
		return "", fmt.Errorf("%w: %d characters, over %d", ErrFormat, total, maxLength)
	}
	ctx := h.Context
	if ctx == 0 {
		ctx = '0'
	}
	header := fmt.Sprintf("%c%04d%s%c%c%s%c%02d%c0", h.Version, total, h.Usage, h.Algorithm, h.Mode,
		h.KeyVersion, h.Exportability, count, ctx) + opt.String()
	return seal(h.Version, kbpk, header, plain)
}

// padChars returns n random printable characters (uppercase letters and
// digits) for the padding block.
func padChars(r io.Reader, n int) (string, error) {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("%w: %v", ErrRandom, err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b), nil
}

// kbpkLenOK reports whether a KBPK of n bytes fits version v.
func kbpkLenOK(v byte, n int) bool {
	switch v {
	case 'A', 'C':
		return n == 8 || n == 16 || n == 24
	case 'B':
		return n == 16 || n == 24
	case 'D':
		return n == 16 || n == 24 || n == 32
	}
	return false
}

// seal authenticates and enciphers the clear key data under the header and
// returns the key block.
func seal(v byte, kbpk []byte, header string, plain []byte) (string, error) {
	kbek, kbak, err := bindingKeys(v, kbpk)
	if err != nil {
		return "", err
	}
	defer wipe.Bytes(kbek)
	defer wipe.Bytes(kbak)
	enc, err := newBlockCipher(v, kbek)
	if err != nil {
		return "", err
	}
	auth, err := newBlockCipher(v, kbak)
	if err != nil {
		return "", err
	}
	bs := blockSize(v)
	ct := make([]byte, len(plain))
	var mac [16]byte
	if v == 'A' || v == 'C' {
		// Variant binding: CBC with the first block of the header as IV,
		// then the MAC over header and ciphertext.
		cipher.NewCBCEncrypter(enc, []byte(header[:bs])).CryptBlocks(ct, plain)
		cbcMAC(auth, mac[:], []byte(header), ct)
	} else {
		// Derivation binding: CMAC over header and clear key data, then CBC
		// with the MAC as IV.
		var c cmac
		c.init(auth)
		copy(mac[:], c.sum(header, plain))
		c.wipe()
		cipher.NewCBCEncrypter(enc, mac[:bs]).CryptBlocks(ct, plain)
	}
	var sb strings.Builder
	sb.Grow(len(header) + 2*len(ct) + 2*macLen(v))
	sb.WriteString(header)
	sb.WriteString(strings.ToUpper(hex.EncodeToString(ct)))
	sb.WriteString(strings.ToUpper(hex.EncodeToString(mac[:macLen(v)])))
	return sb.String(), nil
}

// bindingKeys returns the KBEK and KBAK of a KBPK for version v, in fresh
// slices the caller wipes.
func bindingKeys(v byte, kbpk []byte) (kbek, kbak []byte, err error) {
	if v == 'A' || v == 'C' {
		kbek, kbak = variantKeys(kbpk)
		return kbek, kbak, nil
	}
	b, err := newBlockCipher(v, kbpk)
	if err != nil {
		return nil, nil, err
	}
	kbek, kbak = deriveKeys(v, b, len(kbpk))
	return kbek, kbak, nil
}
