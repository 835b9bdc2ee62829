package iso8583

import (
	"errors"
	"fmt"

	"github.com/moov-io/iso8583/encoding"
	"github.com/moov-io/iso8583/prefix"
)

// Errors returned by the codecs. They never carry field contents.
var (
	// ErrInvalidDigit reports a character or nibble that the codec cannot
	// represent (a non-digit in a BCD field, an illegal track character).
	ErrInvalidDigit = errors.New("iso8583: invalid digit or nibble")
	// ErrShortData reports input that ends before the length it announces.
	ErrShortData = errors.New("iso8583: not enough data")
	// ErrLength reports a length that is negative, above a field's maximum,
	// different from a fixed field's length or not representable in the
	// prefix.
	ErrLength = errors.New("iso8583: bad field length")
)

// Alignment says where the padding nibble of an odd number of digits goes.
type Alignment uint8

const (
	// RightAligned puts the pad nibble first (0123 for "123"): amounts and
	// most fixed numeric fields.
	RightAligned Alignment = iota
	// LeftAligned puts the pad nibble last (1230 for "123"): UnionPay field
	// 22, variable numeric fields and track data.
	LeftAligned
)

// BCDEncoder is a table-free packed-BCD encoding.Encoder. Two digits go in
// a byte; an odd count gets one pad nibble (0x0 or 0xF) on the side that
// Align names. Decode's length counts digits. On decode either pad value is
// accepted; every other nibble must be 0-9.
type BCDEncoder struct {
	Align Alignment
	Pad   byte // 0x0 or 0xF
}

var _ encoding.Encoder = (*BCDEncoder)(nil)

// Ready-made BCD encoders.
var (
	BCD      = &BCDEncoder{Align: RightAligned}            // right aligned, 0 pad
	BCDLeft  = &BCDEncoder{Align: LeftAligned}             // left aligned, 0 pad
	BCDLeftF = &BCDEncoder{Align: LeftAligned, Pad: 0x0F}  // left aligned, F pad
	BCDRight = &BCDEncoder{Align: RightAligned, Pad: 0x0F} // right aligned, F pad
)

// Encode packs ASCII digits into BCD.
func (e *BCDEncoder) Encode(src []byte) ([]byte, error) {
	n := len(src)
	out := make([]byte, (n+1)/2)
	j := 0 // nibble index in out
	if n%2 == 1 && e.Align == RightAligned {
		out[0] = e.Pad & 0x0F << 4
		j = 1
	}
	for _, c := range src {
		d := c - '0'
		if d > 9 {
			return nil, fmt.Errorf("%w: BCD encode", ErrInvalidDigit)
		}
		if j&1 == 0 {
			out[j>>1] = d << 4
		} else {
			out[j>>1] |= d
		}
		j++
	}
	if j&1 == 1 {
		out[j>>1] |= e.Pad & 0x0F
	}
	return out, nil
}

// Decode unpacks length digits from src and reports the bytes read.
func (e *BCDEncoder) Decode(src []byte, length int) ([]byte, int, error) {
	return decoded(wireDecodeBCD(make([]byte, 0, min(max(length, 0), 2*len(src))), e, src, length))
}

// NibbleEncoder is the "z" encoding of track 2 and track 3 data: one
// character per nibble, left aligned, an odd count padded with Pad at the
// end. Encode takes the digits 0-9, the separator as '=' or 'D' (nibble D)
// and the other hex letters A-F; Decode writes nibble D as Sep and the
// other letters in upper case. Decode's length counts nibbles.
type NibbleEncoder struct {
	Sep byte // character written for nibble D on decode: '=' or 'D'
	Pad byte // 0x0 or 0xF
}

var _ encoding.Encoder = (*NibbleEncoder)(nil)

// Ready-made track encoders.
var (
	// Track is the ISO "z" encoding: '=' separator, F pad.
	Track = &NibbleEncoder{Sep: '=', Pad: 0x0F}
	// TrackD writes the separator as 'D' and pads with 0, as UnionPay
	// terminals do.
	TrackD = &NibbleEncoder{Sep: 'D', Pad: 0x00}
)

func nibbleOf(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c == '=':
		return 0x0D, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// Encode packs track characters into nibbles.
func (e *NibbleEncoder) Encode(src []byte) ([]byte, error) {
	out := make([]byte, (len(src)+1)/2)
	for i, c := range src {
		d, ok := nibbleOf(c)
		if !ok {
			return nil, fmt.Errorf("%w: track encode", ErrInvalidDigit)
		}
		if i&1 == 0 {
			out[i>>1] = d << 4
		} else {
			out[i>>1] |= d
		}
	}
	if len(src)&1 == 1 {
		out[len(out)-1] |= e.Pad & 0x0F
	}
	return out, nil
}

const hexUpper = "0123456789ABCDEF"

// Decode unpacks length nibbles from src and reports the bytes read.
func (e *NibbleEncoder) Decode(src []byte, length int) ([]byte, int, error) {
	return decoded(wireDecodeNibbles(make([]byte, 0, min(max(length, 0), 2*len(src))), e, src, length))
}

// hexBytesEncoder packs binary bytes as upper-case ASCII hex; Decode's
// length counts bytes (two characters each).
type hexBytesEncoder struct{}

// HexBytes is an encoding.Encoder for binary fields carried as ASCII hex
// characters on the wire (fields 52, 64, 128 of the ASCII spec). Unlike
// moov's BytesToASCIIHex it pairs with a byte-counting prefixer, so an
// 8-byte field round-trips through a field.Binary.
var HexBytes encoding.Encoder = hexBytesEncoder{}

func (hexBytesEncoder) Encode(src []byte) ([]byte, error) {
	out := make([]byte, 2*len(src))
	for i, b := range src {
		out[2*i] = hexUpper[b>>4]
		out[2*i+1] = hexUpper[b&0x0F]
	}
	return out, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

func (hexBytesEncoder) Decode(src []byte, length int) ([]byte, int, error) {
	return decoded(wireDecodeHex(make([]byte, 0, min(max(length, 0), len(src)/2)), src, length))
}

// bytesEncoder copies bytes; unlike moov's encoding.Binary its Decode
// copies only the field, not the rest of the message.
type bytesEncoder struct{}

// Binary is an encoding.Encoder for raw bytes.
var Binary encoding.Encoder = bytesEncoder{}

func (bytesEncoder) Encode(src []byte) ([]byte, error) {
	return append([]byte(nil), src...), nil
}

func (bytesEncoder) Decode(src []byte, length int) ([]byte, int, error) {
	if length < 0 {
		return nil, 0, fmt.Errorf("%w: binary decode", ErrLength)
	}
	if len(src) < length {
		return nil, 0, fmt.Errorf("%w: binary decode", ErrShortData)
	}
	return append([]byte(nil), src[:length]...), length, nil
}

// textEncoder is ASCII text, ASCII digits or ASCII track characters.
type textEncoder struct{ mode uint8 }

const (
	modeText = iota
	modeDigits
	modeTrack
)

// ASCII is an encoding.Encoder for printable text fields (an, ans): every
// byte must be below 0x80.
var ASCII encoding.Encoder = textEncoder{}

// ASCIIDigits is an encoding.Encoder for numeric fields carried as ASCII
// digits: every character must be 0-9.
var ASCIIDigits encoding.Encoder = textEncoder{mode: modeDigits}

// ASCIITrack is an encoding.Encoder for track 2 and 3 data carried as
// ASCII characters: digits, the separator '=' or 'D', and the other hex
// letters track data may hold.
var ASCIITrack encoding.Encoder = textEncoder{mode: modeTrack}

func (e textEncoder) check(b []byte) error {
	switch e.mode {
	case modeDigits:
		for _, c := range b {
			if c-'0' > 9 {
				return ErrInvalidDigit
			}
		}
		return nil
	case modeTrack:
		for _, c := range b {
			if _, ok := nibbleOf(c); !ok {
				return ErrInvalidDigit
			}
		}
		return nil
	}
	for _, c := range b {
		if c >= 0x80 {
			return ErrInvalidDigit
		}
	}
	return nil
}

// Encode checks src and returns it as is (ASCII needs no conversion): the
// result aliases src, which moov's packers copy before use. Decode likewise
// returns a capacity-capped sub-slice of its input, which field.String
// copies into its value; use Binary, which copies, for a field.Binary.
func (e textEncoder) Encode(src []byte) ([]byte, error) {
	if err := e.check(src); err != nil {
		return nil, fmt.Errorf("%w: ascii encode", err)
	}
	return src, nil
}

func (e textEncoder) Decode(src []byte, length int) ([]byte, int, error) {
	if length < 0 {
		return nil, 0, fmt.Errorf("%w: ascii decode", ErrLength)
	}
	if len(src) < length {
		return nil, 0, fmt.Errorf("%w: ascii decode", ErrShortData)
	}
	if err := e.check(src[:length]); err != nil {
		return nil, 0, fmt.Errorf("%w: ascii decode", err)
	}
	return src[:length:length], length, nil
}

// ---- length prefixers ----

type prefixKind uint8

const (
	kindASCII prefixKind = iota
	kindBCD
	kindBinary
	kindHex
)

// LengthPrefixer is a table-free prefix.Prefixer. It encodes the length the
// field hands it: digits for numeric BCD fields, nibbles for track data,
// bytes for binary and text fields. Digits is the number of L's (0 for a
// fixed field, which writes nothing and checks the length).
//
// A prefixer from the HexChars families writes twice the length it is
// given: it serves binary fields carried as ASCII hex whose prefix counts
// characters, and DecodeLength halves the count (which must be even).
type LengthPrefixer struct {
	kind   prefixKind
	Digits int
	scale2 bool
}

var _ prefix.Prefixer = (*LengthPrefixer)(nil)

func makePrefixers(k prefixKind, scale2 bool) prefix.Prefixers {
	return prefix.Prefixers{
		Fixed:  &LengthPrefixer{kind: k, scale2: scale2},
		L:      &LengthPrefixer{kind: k, Digits: 1, scale2: scale2},
		LL:     &LengthPrefixer{kind: k, Digits: 2, scale2: scale2},
		LLL:    &LengthPrefixer{kind: k, Digits: 3, scale2: scale2},
		LLLL:   &LengthPrefixer{kind: k, Digits: 4, scale2: scale2},
		LLLLL:  &LengthPrefixer{kind: k, Digits: 5, scale2: scale2},
		LLLLLL: &LengthPrefixer{kind: k, Digits: 6, scale2: scale2},
	}
}

// Length prefixer families. LengthASCII writes the length as ASCII digits
// ("37"), LengthBCD as packed BCD right aligned (LL in one byte 0x37, LLL
// in two bytes 0x01 0x04), LengthBinary as a big-endian integer of
// (Digits+1)/2 bytes (L and LL one byte, LLL and LLLL two bytes),
// LengthHex as ASCII hex digits (LL "25" for 37).
var (
	LengthASCII  = makePrefixers(kindASCII, false)
	LengthBCD    = makePrefixers(kindBCD, false)
	LengthBinary = makePrefixers(kindBinary, false)
	LengthHex    = makePrefixers(kindHex, false)

	// HexCharsASCII writes ASCII digits counting hex characters (two per
	// byte) for a binary field encoded with HexBytes: the ASCII spec's
	// field 55, which moov's Spec87ASCII then reads as a hex string.
	HexCharsASCII = makePrefixers(kindASCII, true)
)

var pow10 = [...]int{1, 10, 100, 1000, 10000, 100000, 1000000}

// Size is the number of bytes the prefix takes on the wire.
func (p *LengthPrefixer) Size() int {
	switch p.kind {
	case kindBCD, kindBinary:
		return (p.Digits + 1) / 2
	}
	return p.Digits
}

func (p *LengthPrefixer) limit() int {
	switch p.kind {
	case kindBinary:
		return 1<<(8*p.Size()) - 1
	case kindHex:
		return 1<<(4*p.Digits) - 1
	}
	return pow10[p.Digits] - 1
}

// Static prefix tables for the common LL and LLL cases: EncodeLength hands
// out capacity-capped sub-slices, so an append by the caller copies instead
// of writing into the table.
var (
	asciiLL  = buildTable(kindASCII, 2)
	asciiLLL = buildTable(kindASCII, 3)
	bcdLL    = buildTable(kindBCD, 2)
	bcdLLL   = buildTable(kindBCD, 3)
)

func buildTable(k prefixKind, digits int) []byte {
	p := &LengthPrefixer{kind: k, Digits: digits}
	n := p.Size()
	count := pow10[digits]
	t := make([]byte, 0, n*count)
	for i := range count {
		t = p.appendLength(t, i)
	}
	return t
}

func (p *LengthPrefixer) appendLength(dst []byte, n int) []byte {
	switch p.kind {
	case kindASCII:
		for i := p.Digits - 1; i >= 0; i-- {
			dst = append(dst, byte('0'+n/pow10[i]%10))
		}
	case kindHex:
		for i := p.Digits - 1; i >= 0; i-- {
			dst = append(dst, hexUpper[(n>>(4*i))&0x0F])
		}
	case kindBCD:
		size := (p.Digits + 1) / 2
		for i := size - 1; i >= 0; i-- {
			d := n / pow10[2*i] % 100
			dst = append(dst, byte(d/10<<4|d%10))
		}
	case kindBinary:
		for i := p.Size() - 1; i >= 0; i-- {
			dst = append(dst, byte(n>>(8*i)))
		}
	}
	return dst
}

// EncodeLength returns the prefix for a value of length units.
func (p *LengthPrefixer) EncodeLength(maxLen, length int) ([]byte, error) {
	if p.scale2 {
		maxLen *= 2
		length *= 2
	}
	if p.Digits == 0 {
		if length != maxLen {
			return nil, fmt.Errorf("%w: fixed field of %d holds %d", ErrLength, maxLen, length)
		}
		return nil, nil
	}
	if length < 0 || length > maxLen || length > p.limit() {
		return nil, fmt.Errorf("%w: length %d, max %d", ErrLength, length, maxLen)
	}
	var t []byte
	switch {
	case p.kind == kindASCII && p.Digits == 2:
		t = asciiLL
	case p.kind == kindASCII && p.Digits == 3:
		t = asciiLLL
	case p.kind == kindBCD && p.Digits == 2:
		t = bcdLL
	case p.kind == kindBCD && p.Digits == 3:
		t = bcdLLL
	}
	if t != nil {
		n := p.Size()
		return t[length*n : length*n+n : length*n+n], nil
	}
	return p.appendLength(make([]byte, 0, p.Size()), length), nil
}

// DecodeLength reads the prefix from data and returns the length it holds
// and the number of prefix bytes read.
func (p *LengthPrefixer) DecodeLength(maxLen int, data []byte) (int, int, error) {
	if p.Digits == 0 {
		return maxLen, 0, nil
	}
	if p.scale2 {
		maxLen *= 2
	}
	size := p.Size()
	if len(data) < size {
		return 0, 0, fmt.Errorf("%w: length prefix", ErrShortData)
	}
	n := 0
	switch p.kind {
	case kindASCII:
		for _, c := range data[:size] {
			d := c - '0'
			if d > 9 {
				return 0, 0, fmt.Errorf("%w: length prefix", ErrInvalidDigit)
			}
			n = n*10 + int(d)
		}
	case kindHex:
		for _, c := range data[:size] {
			d, ok := unhex(c)
			if !ok {
				return 0, 0, fmt.Errorf("%w: length prefix", ErrInvalidDigit)
			}
			n = n<<4 | int(d)
		}
	case kindBCD:
		for i, b := range data[:size] {
			hi, lo := b>>4, b&0x0F
			if hi > 9 || lo > 9 {
				return 0, 0, fmt.Errorf("%w: length prefix", ErrInvalidDigit)
			}
			if i == 0 && p.Digits%2 == 1 && hi != 0 {
				return 0, 0, fmt.Errorf("%w: length prefix", ErrInvalidDigit)
			}
			n = n*100 + int(hi)*10 + int(lo)
		}
	case kindBinary:
		for _, b := range data[:size] {
			n = n<<8 | int(b)
		}
	}
	if n > maxLen {
		return 0, 0, fmt.Errorf("%w: length %d, max %d", ErrLength, n, maxLen)
	}
	if p.scale2 {
		if n%2 != 0 {
			return 0, 0, fmt.Errorf("%w: odd hex length %d", ErrLength, n)
		}
		n /= 2
	}
	return n, size, nil
}

// Inspect names the prefixer, e.g. "poskit.BCD.LL".
func (p *LengthPrefixer) Inspect() string {
	kinds := [...]string{"ASCII", "BCD", "Binary", "Hex"}
	if p.scale2 {
		kinds[p.kind] = "HexChars" + kinds[p.kind]
	}
	if p.Digits == 0 {
		return "poskit." + kinds[p.kind] + ".Fixed"
	}
	return "poskit." + kinds[p.kind] + "." + "LLLLLL"[:p.Digits]
}

// decoded is the result of a codec's Decode from its append-style
// decoder (wire.go): nothing but the error when decoding failed.
func decoded(out []byte, read int, err error) ([]byte, int, error) {
	if err != nil {
		return nil, 0, err
	}
	return out, read, nil
}
