package emv

import (
	"errors"
	"fmt"
	"strings"

	"github.com/moov-io/bertlv"
)

// ErrTree reports a bertlv.TLV tree that cannot be encoded: a tag string
// that is not a well-formed hex BER tag, children under a primitive tag, or
// nesting deeper than MaxDepth.
var ErrTree = errors.New("emv: invalid TLV tree")

// DecodeTree decodes data strictly into a tree of bertlv.TLV, the interop
// type of github.com/moov-io/bertlv. The input is checked by this package's
// scanner and the tree is built by it; bertlv's own decoder is never run, so
// its faults (a panic on a crafted length such as 5A 88 FF FF FF FF FF FF FF
// FF, the indefinite length 80 read as zero) cannot be reached. Values alias
// data. Tag strings are upper-case hex, as bertlv writes them.
func DecodeTree(data []byte) ([]bertlv.TLV, error) {
	return DecodeTreeInto(nil, data, Strict)
}

// DecodeTreeMode is DecodeTree reading data in mode m. In lenient modes
// padding is dropped and an opaque constructed object (see KeepOpaque) is
// returned with its raw content in Value and no children.
func DecodeTreeMode(data []byte, m Mode) ([]bertlv.TLV, error) {
	return DecodeTreeInto(nil, data, m)
}

// DecodeTreeInto is DecodeTreeMode using storage for every node of the
// tree (top level and children alike) when it has the capacity: with
// enough storage and only tags known to the dictionary, it does not
// allocate; unknown tags cost one allocation in all (their hex names share
// one string). The returned slice and the children slices alias storage.
// CountObjects tells how much storage data needs.
func DecodeTreeInto(storage []bertlv.TLV, data []byte, m Mode) ([]bertlv.TLV, error) {
	n, unknown, err := countTree(data, m)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	if cap(storage) < n {
		storage = make([]bertlv.TLV, n)
	}
	storage = storage[:n]
	clear(storage)
	d := treeDecoder{data: data, mode: m, store: storage}
	if unknown > 0 {
		// The names of tags outside the dictionary are slices of the
		// data in hex: one allocation, whatever the order of decoding.
		var sb strings.Builder
		sb.Grow(2 * len(data))
		for _, c := range data {
			sb.WriteByte(hexDigits[c>>4])
			sb.WriteByte(hexDigits[c&0x0F])
		}
		d.names = sb.String()
	}
	return d.level(0, len(data)), nil
}

// CountObjects returns the number of objects (every level) in data read in
// mode m: the storage DecodeTreeInto needs.
func CountObjects(data []byte, m Mode) (int, error) {
	n, _, err := countTree(data, m)
	return n, err
}

func countTree(data []byte, m Mode) (n, unknown int, err error) {
	s := NewScannerMode(data, m)
	for s.Next() {
		n++
		if _, ok := internedTag(s.tag); !ok {
			unknown += 2 * s.tag.Len()
		}
	}
	return n, unknown, s.Err()
}

type treeDecoder struct {
	data  []byte
	mode  Mode
	store []bertlv.TLV
	next  int
	names string // the data in upper-case hex when a tag is not interned
}

// level builds the objects of data[start:end], which countTree has already
// validated, so no error can occur here. One pass lays the siblings out
// side by side in store; a constructed sibling is marked with a non-nil,
// empty TLVs and its Value spanning to the end of the data (so that its
// offset is cap(data)-cap(Value)), and its children are built after.
func (d *treeDecoder) level(start, end int) []bertlv.TLV {
	first := d.next
	for pos := start; ; {
		pos = skipPadding(d.data, pos, end, d.mode)
		if pos >= end {
			break
		}
		tag, vstart, vend, _ := readHeader(d.data, pos, end)
		o := &d.store[d.next]
		d.next++
		name, ok := internedTag(tag)
		if !ok {
			name = d.names[2*pos : 2*(pos+tag.Len())]
		}
		o.Tag = name
		switch {
		case d.data[pos]&0x20 == 0:
			o.Value = d.data[vstart:vend:vend]
		case vend == vstart:
		case d.mode&KeepOpaque != 0 && !levelOK(d.data, vstart, vend, d.mode):
			o.Value = d.data[vstart:vend:vend]
		default:
			o.Value = d.data[vstart:vend]
			o.TLVs = d.store[:0]
		}
		pos = vend
	}
	out := d.store[first:d.next:d.next]
	for i := range out {
		if out[i].TLVs == nil {
			continue
		}
		vstart := cap(d.data) - cap(out[i].Value)
		vend := vstart + len(out[i].Value)
		out[i].Value = nil
		out[i].TLVs = d.level(vstart, vend)
	}
	return out
}

// BertlvDecode runs bertlv.Decode on data only after this package's strict
// scanner has accepted all of it, so none of bertlv v0.1.0's faults can be
// reached (see DecodeTree). Strict data is exactly what bertlv decodes
// correctly; on it the result equals DecodeTree's.
func BertlvDecode(data []byte) ([]bertlv.TLV, error) {
	if err := Validate(data); err != nil {
		return nil, err
	}
	return bertlv.Decode(data)
}

// EncodeTree appends the encoding of tlvs to dst, allocating only to grow
// dst. As bertlv does, a node with children is encoded from its children and
// one without from its Value; lengths are minimal. Tag strings must be hex
// BER tags (either case).
func EncodeTree(dst []byte, tlvs []bertlv.TLV) ([]byte, error) {
	return encodeTree(dst, tlvs, 0)
}

func encodeTree(dst []byte, tlvs []bertlv.TLV, depth int) ([]byte, error) {
	if depth > MaxDepth {
		return dst, fmt.Errorf("%w: nesting deeper than %d", ErrTree, MaxDepth)
	}
	for i := range tlvs {
		t, err := ParseTag(tlvs[i].Tag)
		if err != nil {
			return dst, fmt.Errorf("%w: node %d: %w", ErrTree, i, err)
		}
		if len(tlvs[i].TLVs) == 0 {
			dst = AppendTLV(dst, t, tlvs[i].Value)
			continue
		}
		if !t.Constructed() {
			return dst, fmt.Errorf("%w: primitive tag %v has children", ErrTree, t)
		}
		dst = t.AppendBytes(dst)
		mark := len(dst)
		dst = append(dst, 0)
		dst, err = encodeTree(dst, tlvs[i].TLVs, depth+1)
		if err != nil {
			return dst, err
		}
		dst = fixLength(dst, mark)
	}
	return dst, nil
}

// fixLength rewrites the one-byte length placeholder at dst[mark] to the
// minimal length of dst[mark+1:], moving the content right when the length
// needs more bytes.
func fixLength(dst []byte, mark int) []byte {
	n := len(dst) - mark - 1
	if n < 0x80 {
		dst[mark] = byte(n)
		return dst
	}
	var lb [5]byte
	l := AppendLength(lb[:0], n)
	extra := len(l) - 1
	dst = append(dst, lb[:extra]...) // grow by extra bytes
	copy(dst[mark+len(l):], dst[mark+1:len(dst)-extra])
	copy(dst[mark:], l)
	return dst
}

// FindTree returns the first node with the given tag in a bertlv tree,
// depth first, going on with the siblings of a constructed node that does
// not hold it (bertlv.FindFirstTag stops at the first constructed node).
// Tag strings are compared without regard to case.
func FindTree(tlvs []bertlv.TLV, tag Tag) (bertlv.TLV, bool) {
	return findTree(tlvs, tag, 0)
}

func findTree(tlvs []bertlv.TLV, tag Tag, depth int) (bertlv.TLV, bool) {
	if depth > MaxDepth {
		return bertlv.TLV{}, false
	}
	for i := range tlvs {
		if t, err := ParseTag(tlvs[i].Tag); err == nil && t == tag {
			return tlvs[i], true
		}
		if r, ok := findTree(tlvs[i].TLVs, tag, depth+1); ok {
			return r, true
		}
	}
	return bertlv.TLV{}, false
}
