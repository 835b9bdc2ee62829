package pinblock

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/poskit/poskit/internal/wipe"
)

// Format is an ISO 9564-1 PIN block format.
type Format uint8

// The PIN block formats of ISO 9564-1:2017.
const (
	ISO0 Format = 0 // PIN + PAN, TDES
	ISO1 Format = 1 // PIN + random fill, no PAN
	ISO2 Format = 2 // PIN, F fill, ICC offline PIN
	ISO3 Format = 3 // PIN + random A-F fill + PAN
	ISO4 Format = 4 // AES, 16-byte block
)

// PIN lengths allowed by ISO 9564-1.
const (
	MinPINLength = 4
	MaxPINLength = 12
)

// Errors returned by this package, tested with errors.Is. Most are wrapped
// with context (the format, the lengths allowed); ErrBadBlock is always
// returned bare. None ever carries a PIN, a PAN or key bytes.
var (
	// ErrFormat: the Format is not one of ISO0 to ISO4.
	ErrFormat = errors.New("pinblock: unknown PIN block format")
	// ErrPINLength: the PIN is not 4 to 12 digits long.
	ErrPINLength = errors.New("pinblock: PIN must be 4 to 12 digits")
	// ErrPINDigits: the PIN holds a character other than 0-9.
	ErrPINDigits = errors.New("pinblock: PIN must be decimal digits")
	// ErrPAN: the PAN is not decimal digits of a length the format accepts.
	ErrPAN = errors.New("pinblock: invalid PAN")
	// ErrKeyLength: the key length does not suit the format (TDES 16 or 24
	// bytes for formats 0-3, AES 16, 24 or 32 bytes for format 4).
	ErrKeyLength = errors.New("pinblock: invalid key length")
	// ErrBlockLength: the PIN block is not 8 bytes (formats 0-3) or 16 bytes
	// (format 4) long.
	ErrBlockLength = errors.New("pinblock: invalid PIN block length")
	// ErrBadBlock: the PIN block is malformed, or was enciphered under
	// another key or bound to another PAN.
	ErrBadBlock = errors.New("pinblock: malformed PIN block")
	// ErrCipher: the format's cipher is unavailable — a cipher.Block given
	// to NewCipherFromBlock is nil or its block size does not suit the
	// format, a Cipher is nil or was not made by NewCipher or
	// NewCipherFromBlock, or this process may not use TDES (formats 0-3 in
	// FIPS 140-only mode, GODEBUG=fips140=only, as crypto/des refuses DES).
	ErrCipher = errors.New("pinblock: cipher unavailable")
	// ErrTranslation: ISO 9564-1 and PCI PIN requirement 3-3 do not permit
	// translating from one format to the other.
	ErrTranslation = errors.New("pinblock: translation not permitted")
	// ErrRandom: the random source a Cipher was given (Cipher.Rand) failed
	// to supply the fill of formats 1, 3 and 4; it wraps the reader's error.
	ErrRandom = errors.New("pinblock: reading random fill")
)

// String returns "ISO-0" to "ISO-4", or "Format(n)" for an unknown format.
func (f Format) String() string {
	if f <= ISO4 {
		return "ISO-" + string(rune('0'+f))
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// BlockSize returns the length in bytes of a PIN block of format f: 8 for
// formats 0-3, 16 for format 4, 0 for an unknown format.
func (f Format) BlockSize() int {
	switch {
	case f <= ISO3:
		return 8
	case f == ISO4:
		return 16
	}
	return 0
}

// The working representation: a PIN block or field is held as big-endian
// 64-bit words (hi = bytes 0-7, lo = bytes 8-15, lo used by format 4 only),
// so that forming, XORing and checking it costs a few register operations
// and never a heap buffer.
type words struct{ hi, lo uint64 }

// put stores w into b (8 or 16 bytes).
func (w words) put(b []byte) {
	binary.BigEndian.PutUint64(b, w.hi)
	if len(b) == 16 {
		binary.BigEndian.PutUint64(b[8:], w.lo)
	}
}

// xor XORs w into b (8 or 16 bytes) in place.
func (w words) xor(b []byte) {
	binary.BigEndian.PutUint64(b, binary.BigEndian.Uint64(b)^w.hi)
	if len(b) == 16 {
		binary.BigEndian.PutUint64(b[8:], binary.BigEndian.Uint64(b[8:])^w.lo)
	}
}

// Fill words: 14 nibbles of F (formats 0 and 2) or A (format 4).
const (
	fillF = 0x00FF_FFFF_FFFF_FFFF
	fillA = 0x00AA_AAAA_AAAA_AAAA
)

// be64 loads s[i:i+8] as a big-endian word (the compiler merges the loads).
func be64[T ~string | ~[]byte](s T, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i])<<56 | uint64(s[i+1])<<48 | uint64(s[i+2])<<40 | uint64(s[i+3])<<32 |
		uint64(s[i+4])<<24 | uint64(s[i+5])<<16 | uint64(s[i+6])<<8 | uint64(s[i+7])
}

// swarDigits checks that all 8 bytes of x are ASCII digits and packs them,
// in order, into the low 8 nibbles of the result. A byte is a digit when its
// high nibble is 3 and adding 6 to its low nibble does not carry into bit 6.
func swarDigits(x uint64) (packed uint64, bad uint64) {
	bad = (x&0xF0F0F0F0F0F0F0F0 ^ 0x3030303030303030) | (x+0x0606060606060606)&0x4040404040404040
	x &= 0x0F0F0F0F0F0F0F0F
	x = (x | x>>4) & 0x00FF00FF00FF00FF
	x = (x | x>>8) & 0x0000FFFF0000FFFF
	x = (x | x>>16) & 0x00000000FFFFFFFF
	return x, bad
}

// digitWords checks that s is made of ASCII digits and returns them as
// nibbles, right-aligned in the 128-bit value hi:lo (the last 32 digits when
// s is longer). ok is false if any byte is not a digit.
func digitWords[T ~string | ~[]byte](s T) (hi, lo uint64, ok bool) {
	var bad uint64
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x, b := swarDigits(be64(s, i))
		bad |= b
		hi = hi<<32 | lo>>32
		lo = lo<<32 | x
	}
	for ; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			bad = 1
		}
		hi = hi<<4 | lo>>60
		lo = lo<<4 | uint64(c&0x0f)
	}
	return hi, lo, bad == 0
}

// pinField returns the first 8 bytes of the plain-text PIN field: control
// nibble f, length, the PIN digits, then the low nibbles of fill. It checks
// the PIN (ErrPINLength, ErrPINDigits).
func pinField[T ~string | ~[]byte](f Format, pin T, fill uint64) (uint64, error) {
	n := len(pin)
	if n < MinPINLength || n > MaxPINLength {
		return 0, ErrPINLength
	}
	_, d, ok := digitWords(pin)
	if !ok {
		return 0, ErrPINDigits
	}
	shift := uint(4 * (14 - n))
	return uint64(f)<<60 | uint64(n)<<56 | d<<shift | fill&(1<<shift-1), nil
}

// panWords checks pan for format f and returns the account number field:
// for formats 0 and 3, 0000 then the 12 rightmost digits excluding the check
// digit (in hi); for format 4, M = max(len-12, 0), then the PAN
// right-justified in 12 digits (or all of it when longer), then zeros to 32
// nibbles (ISO 9564-1:2017); nothing for formats 1 and 2.
func panWords(f Format, pan string) (words, error) {
	lo := 13
	switch f {
	case ISO1, ISO2:
		return words{}, nil
	case ISO4:
		lo = 1
	}
	n := len(pan)
	if n < lo || n > 19 {
		return words{}, fmt.Errorf("%w: %v needs %d to 19 digits, got %d", ErrPAN, f, lo, n)
	}
	vh, vl, ok := digitWords(pan)
	if !ok {
		return words{}, fmt.Errorf("%w: %v needs decimal digits only", ErrPAN, f)
	}
	if f != ISO4 {
		return words{hi: vl >> 4 & 0xFFFF_FFFF_FFFF}, nil
	}
	// Move the n nibbles so the last one lands on nibble max(n, 12) of 32,
	// counting from 0 at the top: a left shift of 4*(31-max(n, 12)), 48 to
	// 76 bits, of the 128-bit value vh:vl. Then M goes into nibble 0.
	s := uint(4 * (31 - max(n, 12)))
	var w words
	if s >= 64 {
		w.hi = vl << (s - 64)
	} else {
		w.hi = vh<<s | vl>>(64-s)
		w.lo = vl << s
	}
	w.hi |= uint64(max(n-12, 0)) << 60
	return w, nil
}

// encode checks pin and pan for format f (known) and returns the clear
// block (formats 0-3, in blk.hi) or the plain-text PIN field (format 4, in
// blk) together with the PAN field (format 4's second operand; formats 0 and
// 3 have it XORed into blk already). Random fill comes from r (nil:
// crypto/rand).
func encode[T ~string | ~[]byte](f Format, pin T, pan string, r io.Reader) (blk, panf words, err error) {
	var fill uint64
	switch f {
	case ISO0, ISO2:
		fill = fillF
	case ISO4:
		fill = fillA
	}
	if blk.hi, err = pinField(f, pin, fill); err != nil {
		return words{}, words{}, err
	}
	if panf, err = panWords(f, pan); err != nil {
		return words{}, words{}, err
	}
	var rnd [8]byte
	switch f {
	case ISO0:
		blk.hi ^= panf.hi
		panf = words{}
	case ISO1:
		// Fill nibbles 0-F: the low 14-n nibbles of 8 random bytes.
		if err := readRand(r, rnd[:]); err != nil {
			return words{}, words{}, err
		}
		blk.hi |= binary.BigEndian.Uint64(rnd[:]) & (1<<(4*(14-len(pin))) - 1)
	case ISO3:
		if fill, err = fillAF(r, 14-len(pin)); err != nil {
			return words{}, words{}, err
		}
		blk.hi = (blk.hi | fill) ^ panf.hi
		panf = words{}
	case ISO4:
		if err := readRand(r, rnd[:]); err != nil {
			return words{}, words{}, err
		}
		blk.lo = binary.BigEndian.Uint64(rnd[:])
	}
	return blk, panf, nil
}

// fillAF returns k uniformly random nibbles A-F, the first drawn in the most
// significant place, by rejection sampling random bytes: 252 = 42 × 6 of the
// 256 byte values are used, b mapping to A + b mod 6, so each of the six
// values is equally likely.
func fillAF(r io.Reader, k int) (uint64, error) {
	var rnd [16]byte
	var fill uint64
	for k > 0 {
		if err := readRand(r, rnd[:]); err != nil {
			return 0, err
		}
		for _, b := range rnd {
			if b < 252 && k > 0 {
				fill = fill<<4 | uint64(10+b%6)
				k--
			}
		}
	}
	return fill, nil
}

// readRand fills b from r, or from crypto/rand when r is nil or is
// crypto/rand.Reader itself. b does not escape, so callers may pass stack
// arrays.
func readRand(r io.Reader, b []byte) error {
	if r == nil || r == rand.Reader {
		rand.Read(b)
		return nil
	}
	return readFrom(r, b)
}

// readFrom reads from a caller's reader through a heap buffer, so that the
// destination stays on the caller's stack.
func readFrom(r io.Reader, b []byte) error {
	t := make([]byte, len(b))
	if _, err := io.ReadFull(r, t); err != nil {
		return fmt.Errorf("%w: %w", ErrRandom, err)
	}
	copy(b, t)
	return nil
}

// parse checks the first 8 bytes v of a plain-text PIN field of format f
// (a clear block with its PAN already XORed out; for format 4 the first half
// of the PIN field) and writes the PIN's ASCII digits into pin. It checks
// every nibble without an early exit and reports only whether all checks
// passed.
func parse(v uint64, f Format, pin *[12]byte) (n int, ok bool) {
	n = int(v >> 56 & 0x0f)
	bad := v>>60 ^ uint64(f)
	if n < MinPINLength || n > MaxPINLength {
		bad |= 1
		n = 0
	}
	for i := 0; i < 14; i++ {
		x := byte(v>>(52-4*i)) & 0x0f
		if i < n {
			if x > 9 {
				bad |= 1
			}
			pin[i] = '0' + x
			continue
		}
		switch f {
		case ISO0, ISO2:
			bad |= uint64(x ^ 0x0f)
		case ISO3:
			if x < 10 {
				bad |= 1
			}
		case ISO4:
			bad |= uint64(x ^ 0x0a)
		}
	}
	if bad != 0 {
		clear(pin[:])
		return 0, false
	}
	return n, true
}

// decode checks a clear block (8 bytes for formats 0-3, the 16-byte PIN
// field for format 4; only its first 8 bytes are read) against the PAN field
// panf and writes the PIN digits into pin. f is known and block has the
// right length.
func decode(pin *[12]byte, f Format, block []byte, panf words) (int, error) {
	v := binary.BigEndian.Uint64(block)
	if f != ISO4 {
		v ^= panf.hi
	}
	n, ok := parse(v, f, pin)
	if !ok {
		return 0, ErrBadBlock
	}
	return n, nil
}

// checkBlock checks f, the block length and the PAN, in that order, and
// returns the PAN field.
func checkBlock(f Format, block []byte, pan string) (words, error) {
	bs := f.BlockSize()
	if bs == 0 {
		return words{}, fmt.Errorf("%w: %d", ErrFormat, uint8(f))
	}
	if len(block) != bs {
		return words{}, fmt.Errorf("%w: %v needs %d bytes, got %d", ErrBlockLength, f, bs, len(block))
	}
	return panWords(f, pan)
}

// Encode returns the clear PIN block for formats 0-3 (8 bytes). For format 4,
// which has no clear block (its PIN field and PAN field meet only between two
// encipherments), it returns the 16-byte plain-text PIN field, with pan
// checked as Encrypt would; Decode reverses both.
//
// The PIN must be 4 to 12 digits (ErrPINLength, ErrPINDigits); the PAN must
// suit the format (ErrPAN): 13 to 19 digits for formats 0 and 3, 1 to 19 for
// format 4, ignored for formats 1 and 2. Random fill (formats 1, 3 and 4)
// comes from crypto/rand. An unknown format is ErrFormat.
func Encode(f Format, pin, pan string) ([]byte, error) {
	bs := f.BlockSize()
	if bs == 0 {
		return nil, fmt.Errorf("%w: %d", ErrFormat, uint8(f))
	}
	blk, _, err := encode(f, pin, pan, nil)
	if err != nil {
		return nil, err
	}
	out := make([]byte, bs)
	blk.put(out)
	return out, nil
}

// Decode returns the PIN held in a clear PIN block (for format 4, the
// plain-text PIN field that Encode returns). It checks strictly the control
// nibble, the length 4-12, the digits and the fill (F for formats 0 and 2,
// A-F for format 3, A for format 4); any failure is ErrBadBlock, which is
// also what a wrong PAN usually looks like. A block of the wrong length is
// ErrBlockLength, a PAN that does not suit the format ErrPAN, an unknown
// format ErrFormat.
func Decode(f Format, block []byte, pan string) (pin string, err error) {
	panf, err := checkBlock(f, block, pan)
	if err != nil {
		return "", err
	}
	var d [12]byte
	n, err := decode(&d, f, block, panf)
	if err != nil {
		return "", err
	}
	pin = string(d[:n])
	wipe.Bytes(d[:])
	return pin, nil
}

// Detect returns the format of a clear PIN block: an 8-byte block of formats
// 0-3, or a 16-byte plain-text PIN field of format 4. It reads the control
// nibble and checks what can be checked without the PAN: the length 4-12;
// for formats 1, 2 and 4 every PIN digit and fill nibble; for formats 0 and 3
// the first two PIN digits (which no PAN digit covers), and for format 0 that
// every fill nibble, F XOR a PAN digit, is 6 or more. A block that fails is
// ErrBadBlock; a length other than 8 or 16 is ErrBlockLength. Detect cannot
// tell the format of an enciphered block.
func Detect(block []byte) (Format, error) {
	if len(block) != 8 && len(block) != 16 {
		return 0, fmt.Errorf("%w: %d bytes, want 8 or 16", ErrBlockLength, len(block))
	}
	v := binary.BigEndian.Uint64(block)
	f := Format(v >> 60)
	if f.BlockSize() != len(block) {
		return 0, ErrBadBlock
	}
	switch f {
	case ISO1, ISO2, ISO4:
		var pin [12]byte
		_, ok := parse(v, f, &pin)
		wipe.Bytes(pin[:])
		if !ok {
			return 0, ErrBadBlock
		}
		return f, nil
	}
	// Formats 0 and 3: nibbles 4-15 are XORed with PAN digits.
	n := int(v >> 56 & 0x0f)
	if n < MinPINLength || n > MaxPINLength || v>>52&0x0f > 9 || v>>48&0x0f > 9 {
		return 0, ErrBadBlock
	}
	if f == ISO0 {
		for i := n; i < 14; i++ {
			if v>>(52-4*i)&0x0f < 6 {
				return 0, ErrBadBlock
			}
		}
	}
	return f, nil
}
