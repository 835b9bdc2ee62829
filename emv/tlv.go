package emv

import (
	"errors"
	"fmt"
)

// MaxDepth is the deepest nesting of constructed objects the scanner and
// every decoder in this package accept: objects inside MaxDepth nested
// templates are reported at Depth() up to MaxDepth; one more level is an
// ErrTooDeep error. Real EMV data nests at most five levels (6F > A5 > BF0C
// > 61 > 73), so the bound only stops hostile input.
const MaxDepth = 16

// Sentinel errors of the TLV layer. Decoding errors are returned as *Error,
// which wraps one of these; test them with errors.Is.
var (
	// ErrTruncated reports a tag or length field cut off by the end of its
	// container.
	ErrTruncated = errors.New("emv: truncated TLV")
	// ErrTagTooLong reports a tag of more than 4 bytes.
	ErrTagTooLong = errors.New("emv: tag longer than 4 bytes")
	// ErrInvalidTag reports a byte that cannot start a tag (00, which is
	// padding and accepted only with SkipZeroPadding), or a malformed tag
	// given to ParseTag.
	ErrInvalidTag = errors.New("emv: invalid tag")
	// ErrIndefiniteLength reports the BER indefinite length form (80), which
	// EMV does not allow.
	ErrIndefiniteLength = errors.New("emv: indefinite length")
	// ErrLengthTooLong reports a length field of more than 4 bytes (85 and
	// above), such as the crafted 88 FF FF FF FF FF FF FF FF.
	ErrLengthTooLong = errors.New("emv: length field longer than 4 bytes")
	// ErrValueOutOfBounds reports a length that runs past the end of the
	// input or of the enclosing constructed object.
	ErrValueOutOfBounds = errors.New("emv: value runs past its container")
	// ErrTooDeep reports nesting deeper than MaxDepth.
	ErrTooDeep = errors.New("emv: nesting deeper than MaxDepth")
)

// Error is a TLV decoding error. It names where the problem is (the byte
// offset into the input and, once read, the tag) and never carries value
// bytes, so it is safe to log even for card data.
type Error struct {
	Offset int   // byte offset into the input where the faulty object starts
	Tag    Tag   // tag of the faulty object; 0 when the tag itself is faulty
	Err    error // one of the sentinel errors
}

// Error returns "emv: what: offset N, tag T" (without the tag when it is
// the tag that is faulty).
func (e *Error) Error() string {
	if e.Tag == 0 {
		return fmt.Sprintf("%v: offset %d", e.Err, e.Offset)
	}
	return fmt.Sprintf("%v: offset %d, tag %v", e.Err, e.Offset, e.Tag)
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// Tag is a BER-TLV tag with its bytes read big-endian: 0x9F26, 0x5F2A, 0x82.
// Tags of up to 4 bytes fit; EMV uses 1 to 3.
type Tag uint32

// Len returns the number of bytes of the encoded tag (1 to 4; 1 for 0).
func (t Tag) Len() int {
	switch {
	case t > 0xFFFFFF:
		return 4
	case t > 0xFFFF:
		return 3
	case t > 0xFF:
		return 2
	}
	return 1
}

// first returns the first (class and type) byte of the tag.
func (t Tag) first() byte { return byte(t >> (8 * uint(t.Len()-1))) }

// Constructed reports whether the tag's constructed bit (b6 of the first
// byte) is set: its value is itself a sequence of TLV objects.
func (t Tag) Constructed() bool { return t.first()&0x20 != 0 }

// Class returns the tag's class bits (b8-b7 of the first byte): 0 universal,
// 1 application, 2 context-specific, 3 private.
func (t Tag) Class() int { return int(t.first() >> 6) }

// Valid reports whether t is a well-formed BER tag: a first byte other than
// 00; for a first byte whose low five bits are all set, one to three more
// bytes of which every one but the last has b8 set; otherwise one byte.
func (t Tag) Valid() bool {
	n := t.Len()
	f := t.first()
	if f == 0 {
		return false
	}
	if f&0x1F != 0x1F {
		return n == 1
	}
	if n == 1 {
		return false
	}
	for i := n - 2; i >= 0; i-- {
		b := byte(t >> (8 * uint(i)))
		if i == 0 {
			if b&0x80 != 0 {
				return false
			}
		} else if b&0x80 == 0 {
			return false
		}
	}
	return true
}

// AppendBytes appends the encoded tag to dst.
func (t Tag) AppendBytes(dst []byte) []byte {
	for i := t.Len() - 1; i >= 0; i-- {
		dst = append(dst, byte(t>>(8*uint(i))))
	}
	return dst
}

const hexDigits = "0123456789ABCDEF"

// String returns the tag in upper-case hex, two digits per byte: "9F26".
func (t Tag) String() string {
	var b [8]byte
	n := t.Len()
	for i := 0; i < n; i++ {
		v := byte(t >> (8 * uint(n-1-i)))
		b[2*i] = hexDigits[v>>4]
		b[2*i+1] = hexDigits[v&0x0F]
	}
	return string(b[:2*n])
}

// ParseTag parses a tag written in hex ("9F26", "9f26"). The result must be
// a Valid tag.
func ParseTag(s string) (Tag, error) {
	if len(s) == 0 || len(s) > 8 || len(s)%2 != 0 {
		return 0, fmt.Errorf("%w: %q is not 1 to 4 hex bytes", ErrInvalidTag, s)
	}
	var t Tag
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, fmt.Errorf("%w: %q is not hex", ErrInvalidTag, s)
		}
		t = t<<4 | Tag(v)
	}
	if s[0] == '0' && s[1] == '0' || !t.Valid() {
		return 0, fmt.Errorf("%w: %q is not a well-formed BER tag", ErrInvalidTag, s)
	}
	return t, nil
}

// Mode selects how strictly the scanner reads its input. The zero value is
// strict.
type Mode uint8

const (
	// Strict accepts only back-to-back TLV objects with definite lengths.
	Strict Mode = 0
	// SkipZeroPadding skips 00 bytes before, between and after objects, as
	// EMV Book 3 (annex B) allows.
	SkipZeroPadding Mode = 1 << iota
	// SkipFFPadding skips FF bytes between and after objects. Because FF
	// also starts private constructed tags (FF8101 ...), a run of padding
	// (FF bytes, and 00 bytes with SkipZeroPadding) is skipped whole unless
	// one of its last FF bytes starts a well-formed constructed object: a
	// header that fits its container and non-empty content that reads as
	// TLV.
	SkipFFPadding
	// KeepOpaque keeps a constructed object whose content is not a sequence
	// of TLV objects as a single object with raw content (Opaque reports
	// true and the scanner does not descend) instead of failing.
	KeepOpaque
	// Lenient is what real cards need: both paddings and opaque content.
	Lenient = SkipZeroPadding | SkipFFPadding | KeepOpaque
)

// Scanner walks BER-TLV data depth first, without copying: every object,
// primitive or constructed, is reported once, a constructed object before its
// content. The slices it returns alias the input. A Scanner is a small value
// that lives on the stack; it is not safe for concurrent use, but any number
// of scanners may read the same input.
//
//	s := emv.NewScanner(data)
//	for s.Next() {
//		fmt.Println(s.Depth(), s.Tag(), s.Value())
//	}
//	if err := s.Err(); err != nil { ... }
type Scanner struct {
	data  []byte
	mode  Mode
	pos   int // where the next object (or padding) starts
	depth int
	ends  [MaxDepth]int // end offsets of the open constructed objects

	// the current object
	tag    Tag
	off    int // start of the tag
	vstart int // start of the value
	vend   int // end of the value
	cons   bool
	opaque bool
	skip   bool // do not descend into the current object
	has    bool
	err    error
}

// NewScanner returns a strict scanner over data.
func NewScanner(data []byte) Scanner {
	return Scanner{data: data}
}

// NewScannerMode returns a scanner over data reading it in mode m.
func NewScannerMode(data []byte, m Mode) Scanner {
	return Scanner{data: data, mode: m}
}

// Next advances to the next object in depth-first order and reports whether
// there is one. It returns false at the end of the input or on an error (see
// Err).
func (s *Scanner) Next() bool {
	if s.err != nil {
		return false
	}
	if s.has {
		s.has = false
		if s.cons && !s.opaque && !s.skip && s.vend > s.vstart {
			if s.depth == MaxDepth {
				return s.fail(s.off, s.tag, ErrTooDeep)
			}
			s.ends[s.depth] = s.vend
			s.depth++
			s.pos = s.vstart
		} else {
			s.pos = s.vend
		}
	}
	for {
		end := len(s.data)
		if s.depth > 0 {
			end = s.ends[s.depth-1]
		}
		if s.mode&(SkipZeroPadding|SkipFFPadding) != 0 {
			s.pos = skipPadding(s.data, s.pos, end, s.mode)
		}
		if s.pos < end {
			break
		}
		if s.depth == 0 {
			return false
		}
		s.depth--
		s.pos = end
	}
	end := len(s.data)
	if s.depth > 0 {
		end = s.ends[s.depth-1]
	}
	tag, vstart, vend, err := readHeader(s.data, s.pos, end)
	if err != nil {
		return s.fail(s.pos, tag, err)
	}
	s.tag, s.off, s.vstart, s.vend = tag, s.pos, vstart, vend
	s.cons = s.data[s.pos]&0x20 != 0
	s.opaque = false
	s.skip = false
	s.has = true
	if s.cons && s.mode&KeepOpaque != 0 && vend > vstart {
		s.opaque = !levelOK(s.data, vstart, vend, s.mode)
	}
	return true
}

func (s *Scanner) fail(off int, tag Tag, err error) bool {
	s.err = &Error{Offset: off, Tag: tag, Err: err}
	s.has = false
	return false
}

// skipPadding returns the first position at or after pos, before end, that
// is not padding under mode m. It is linear in the bytes it skips: a run of
// padding is measured once, and only an FF followed by a header is checked
// for a constructed object.
func skipPadding(data []byte, pos, end int, m Mode) int {
	zero := m&SkipZeroPadding != 0
	for pos < end {
		c := data[pos]
		if c == 0x00 && zero {
			pos++
			continue
		}
		if c != 0xFF || m&SkipFFPadding == 0 {
			return pos
		}
		r := pos
		for r < end && (data[r] == 0xFF || data[r] == 0x00 && zero) {
			r++
		}
		if r == end {
			return end
		}
		// An FF of the run may still start a private constructed tag
		// (FF8101 ...) whose header ends past the run: only the last few
		// bytes of the run can, since a tag and length of padding bytes
		// alone (FF FF FF FF ..., FF 00 ...) are too long or empty.
		from := r - 9
		if from < pos {
			from = pos
		}
		for p := from; p < r; p++ {
			if data[p] == 0xFF && startsObject(data, p, end) {
				return p
			}
		}
		pos = r
	}
	return pos
}

// startsObject reports whether a constructed object with TLV content starts
// at data[p:end].
func startsObject(data []byte, p, end int) bool {
	_, vs, ve, err := readHeader(data, p, end)
	return err == nil && vs != ve && levelOK(data, vs, ve, Strict)
}

// levelOK reports whether data[start:end] reads as a sequence of objects
// (one level, with padding as m allows). Nested content is checked when the
// scanner reaches it.
func levelOK(data []byte, start, end int, m Mode) bool {
	pos := start
	for {
		pos = skipPadding(data, pos, end, m)
		if pos >= end {
			return true
		}
		_, _, vend, err := readHeader(data, pos, end)
		if err != nil {
			return false
		}
		pos = vend
	}
}

// readHeader reads the tag and length of the object at data[pos:] inside a
// container ending at end, and returns the tag and the value bounds.
func readHeader(data []byte, pos, end int) (tag Tag, vstart, vend int, err error) {
	p := pos
	if p >= end {
		return 0, 0, 0, ErrTruncated
	}
	b := data[p]
	if b == 0x00 {
		return 0, 0, 0, ErrInvalidTag
	}
	tag = Tag(b)
	p++
	if b&0x1F == 0x1F {
		for n := 1; ; n++ {
			if p >= end {
				return 0, 0, 0, ErrTruncated
			}
			if n == 4 {
				return 0, 0, 0, ErrTagTooLong
			}
			c := data[p]
			tag = tag<<8 | Tag(c)
			p++
			if c&0x80 == 0 {
				break
			}
		}
	}
	if p >= end {
		return tag, 0, 0, ErrTruncated
	}
	l := data[p]
	p++
	var n uint64
	switch {
	case l < 0x80:
		n = uint64(l)
	case l == 0x80:
		return tag, 0, 0, ErrIndefiniteLength
	case l > 0x84:
		return tag, 0, 0, ErrLengthTooLong
	default:
		k := int(l & 0x7F)
		if end-p < k {
			return tag, 0, 0, ErrTruncated
		}
		for i := 0; i < k; i++ {
			n = n<<8 | uint64(data[p+i])
		}
		p += k
	}
	if n > uint64(end-p) {
		return tag, 0, 0, ErrValueOutOfBounds
	}
	return tag, p, p + int(n), nil
}

// Tag returns the current object's tag.
func (s *Scanner) Tag() Tag { return s.tag }

// Value returns the current object's value (for a constructed object, its
// encoded content). It aliases the input.
func (s *Scanner) Value() []byte { return s.data[s.vstart:s.vend:s.vend] }

// Raw returns the current object's bytes exactly as they appear in the input:
// tag, length and value. It aliases the input.
func (s *Scanner) Raw() []byte { return s.data[s.off:s.vend:s.vend] }

// Offset returns the byte offset of the current object's tag in the input.
func (s *Scanner) Offset() int { return s.off }

// ValueOffset returns the byte offset of the current object's value.
func (s *Scanner) ValueOffset() int { return s.vstart }

// Len returns the length of the current object's value.
func (s *Scanner) Len() int { return s.vend - s.vstart }

// Depth returns the nesting level of the current object: 0 for a top-level
// object, 1 inside one template, and so on up to MaxDepth.
func (s *Scanner) Depth() int { return s.depth }

// Constructed reports whether the current object's tag is constructed.
func (s *Scanner) Constructed() bool { return s.cons }

// Opaque reports whether the current object is constructed but its content
// is not TLV, so it is kept as raw bytes (only with KeepOpaque).
func (s *Scanner) Opaque() bool { return s.opaque }

// Skip makes the next call to Next continue after the current object instead
// of descending into it.
func (s *Scanner) Skip() { s.skip = true }

// Err returns the first error met, or nil at a clean end. The error is an
// *Error wrapping one of the package's sentinel errors.
func (s *Scanner) Err() error { return s.err }

// Validate reads all of data with a strict scanner and returns the first
// error, or nil if data is well-formed TLV.
func Validate(data []byte) error { return ValidateMode(data, Strict) }

// ValidateMode is Validate in mode m.
func ValidateMode(data []byte, m Mode) error {
	s := NewScannerMode(data, m)
	for s.Next() {
	}
	return s.Err()
}

// Find returns the value of the first object with the given tag anywhere in
// data, depth first: it descends into constructed objects and goes on with
// their siblings afterwards. It reads data strictly and does not allocate.
// It stops at the first match, so it does not report malformed data after
// the match; ok is false with a nil error when the tag is absent from
// well-formed data. The value aliases data.
func Find(data []byte, tag Tag) (value []byte, ok bool, err error) {
	return FindMode(data, tag, Strict)
}

// FindMode is Find reading data in mode m.
func FindMode(data []byte, tag Tag, m Mode) (value []byte, ok bool, err error) {
	s := NewScannerMode(data, m)
	for s.Next() {
		if s.tag == tag {
			return s.Value(), true, nil
		}
	}
	return nil, false, s.Err()
}

// AppendLength appends the DER (minimal) encoding of the length n to dst.
// n must be at most 0xFFFFFFFF; larger values are not representable in EMV
// and are written as 0xFFFFFFFF.
func AppendLength(dst []byte, n int) []byte {
	u := uint64(n)
	if n < 0 || u > 0xFFFFFFFF {
		u = 0xFFFFFFFF
	}
	switch {
	case u < 0x80:
		return append(dst, byte(u))
	case u <= 0xFF:
		return append(dst, 0x81, byte(u))
	case u <= 0xFFFF:
		return append(dst, 0x82, byte(u>>8), byte(u))
	case u <= 0xFFFFFF:
		return append(dst, 0x83, byte(u>>16), byte(u>>8), byte(u))
	}
	return append(dst, 0x84, byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

// AppendTLV appends tag, the minimal length of value and value to dst and
// returns the extended slice. It allocates only when dst lacks capacity.
// tag should be Valid; AppendTLV writes its bytes as given.
func AppendTLV(dst []byte, tag Tag, value []byte) []byte {
	n := len(value)
	switch {
	case n < 0x80 && tag <= 0xFF:
		dst = append(dst, byte(tag), byte(n))
	case n < 0x80 && tag <= 0xFFFF:
		dst = append(dst, byte(tag>>8), byte(tag), byte(n))
	default:
		dst = tag.AppendBytes(dst)
		dst = AppendLength(dst, n)
	}
	return append(dst, value...)
}
