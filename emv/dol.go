package emv

import (
	"errors"
	"fmt"
)

// ErrDOL reports a malformed data object list or DOL-related data that
// does not match its list.
var ErrDOL = errors.New("emv: malformed DOL")

// DOLEntry is one entry of a data object list: a tag and the length the
// card wants for it.
type DOLEntry struct {
	Tag Tag
	Len int
}

// DOL is a data object list (PDOL 9F38, CDOL1 8C, CDOL2 8D, DDOL 9F49,
// TDOL 97, UDOL ...): tag and length pairs in the card's order. A tag may
// appear more than once.
type DOL []DOLEntry

// ParseDOL reads a data object list: each entry is a BER tag followed by a
// one-byte length (EMV Book 3 section 5.4).
func ParseDOL(v []byte) (DOL, error) {
	n := 0
	for p := 0; p < len(v); n++ {
		_, next, err := readDOLEntry(v, p)
		if err != nil {
			return nil, err
		}
		p = next
	}
	d := make(DOL, 0, n)
	for p := 0; p < len(v); {
		e, next, _ := readDOLEntry(v, p)
		d = append(d, e)
		p = next
	}
	return d, nil
}

func readDOLEntry(v []byte, p int) (DOLEntry, int, error) {
	start := p
	b := v[p]
	if b == 0x00 {
		return DOLEntry{}, 0, fmt.Errorf("%w: tag 00 at offset %d", ErrDOL, start)
	}
	t := Tag(b)
	p++
	if b&0x1F == 0x1F {
		for k := 1; ; k++ {
			if p >= len(v) {
				return DOLEntry{}, 0, fmt.Errorf("%w: truncated tag at offset %d", ErrDOL, start)
			}
			if k == 4 {
				return DOLEntry{}, 0, fmt.Errorf("%w: tag longer than 4 bytes at offset %d", ErrDOL, start)
			}
			c := v[p]
			t = t<<8 | Tag(c)
			p++
			if c&0x80 == 0 {
				break
			}
		}
	}
	if p >= len(v) {
		return DOLEntry{}, 0, fmt.Errorf("%w: missing length of tag %v at offset %d", ErrDOL, t, start)
	}
	return DOLEntry{Tag: t, Len: int(v[p])}, p + 1, nil
}

// Len returns the length of the DOL-related data: the sum of the entries'
// lengths.
func (d DOL) Len() int {
	n := 0
	for _, e := range d {
		n += e.Len
	}
	return n
}

// AppendBytes appends the encoded list (tags and one-byte lengths).
func (d DOL) AppendBytes(dst []byte) []byte {
	for _, e := range d {
		dst = e.Tag.AppendBytes(dst)
		dst = append(dst, byte(e.Len))
	}
	return dst
}

// ValueSource supplies data element values by tag, for building
// DOL-related data and field 55.
type ValueSource interface {
	Value(t Tag) (value []byte, ok bool)
}

// MapSource is a ValueSource backed by a map.
type MapSource map[Tag][]byte

// Value returns m[t].
func (m MapSource) Value(t Tag) ([]byte, bool) {
	v, ok := m[t]
	return v, ok
}

// TLVSource is a ValueSource backed by encoded TLV data (a card's records,
// a GPO response, a field 55): Value is Find on it, so nested templates are
// searched and malformed data yields no value.
type TLVSource []byte

// Value returns the first value of t in the data.
func (s TLVSource) Value(t Tag) ([]byte, bool) {
	v, ok, err := Find(s, t)
	return v, ok && err == nil
}

// Sources is a ValueSource that asks each source in turn (say, the
// terminal's values before the card's).
type Sources []ValueSource

// Value returns the first source's value of t.
func (s Sources) Value(t Tag) ([]byte, bool) {
	for _, src := range s {
		if v, ok := src.Value(t); ok {
			return v, true
		}
	}
	return nil, false
}

// BuildDOL appends to dst the DOL-related data for d with values from src,
// following EMV Book 3 section 5.4: a value longer than its entry keeps its
// rightmost bytes when its format is numeric (n) and its leftmost bytes
// otherwise; a shorter value is padded with leading zero bytes when numeric,
// trailing FF bytes when compressed numeric (cn), and trailing zero bytes
// otherwise; an absent value, or a constructed tag, is all zero bytes.
// Formats come from the dictionary (Lookup); unknown tags count as binary.
// It allocates only to grow dst.
func BuildDOL(dst []byte, d DOL, src ValueSource) []byte {
	for _, e := range d {
		dst = appendDOLValue(dst, e, src)
	}
	return dst
}

// AppendDOLData is BuildDOL reading the encoded list directly, without
// allocating (beyond growing dst).
func AppendDOLData(dst []byte, dol []byte, src ValueSource) ([]byte, error) {
	for p := 0; p < len(dol); {
		e, next, err := readDOLEntry(dol, p)
		if err != nil {
			return dst, err
		}
		dst = appendDOLValue(dst, e, src)
		p = next
	}
	return dst, nil
}

func appendDOLValue(dst []byte, e DOLEntry, src ValueSource) []byte {
	var v []byte
	ok := false
	if src != nil && !e.Tag.Constructed() {
		v, ok = src.Value(e.Tag)
	}
	if !ok {
		return appendFill(dst, 0x00, e.Len)
	}
	f := FormatB
	if i := findInfo(dictionary, e.Tag); i >= 0 {
		f = dictionary[i].Format
	}
	switch {
	case len(v) == e.Len:
		return append(dst, v...)
	case len(v) > e.Len && f == FormatN:
		return append(dst, v[len(v)-e.Len:]...)
	case len(v) > e.Len:
		return append(dst, v[:e.Len]...)
	case f == FormatN:
		dst = appendFill(dst, 0x00, e.Len-len(v))
		return append(dst, v...)
	case f == FormatCN:
		dst = append(dst, v...)
		return appendFill(dst, 0xFF, e.Len-len(v))
	}
	dst = append(dst, v...)
	return appendFill(dst, 0x00, e.Len-len(v))
}

func appendFill(dst []byte, c byte, n int) []byte {
	for i := 0; i < n; i++ {
		dst = append(dst, c)
	}
	return dst
}

// Split cuts DOL-related data (the body of a GET PROCESSING OPTIONS or
// GENERATE AC command, as a host receives it) into encoded TLV objects,
// one per entry, appended to dst: the reverse of BuildDOL, up to padding.
// Entries with a constructed tag, which BuildDOL fills with zeros, are left
// out. data must be exactly d.Len() bytes.
func (d DOL) Split(dst []byte, data []byte) ([]byte, error) {
	if len(data) != d.Len() {
		return dst, fmt.Errorf("%w: related data of %d bytes for a list of %d", ErrDOL, len(data), d.Len())
	}
	p := 0
	for _, e := range d {
		if !e.Tag.Constructed() {
			dst = AppendTLV(dst, e.Tag, data[p:p+e.Len])
		}
		p += e.Len
	}
	return dst, nil
}
