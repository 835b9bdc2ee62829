package emv

import (
	"errors"
	"fmt"
)

// ErrBuilder reports a misuse of Builder: an invalid tag, Close without
// Open, nesting deeper than MaxDepth, objects left open at Bytes, or a
// value longer than 0xFFFFFFFF bytes.
var ErrBuilder = errors.New("emv: builder misuse")

// Builder appends TLV objects, nested ones included, to a byte slice. It
// allocates only when its buffer lacks capacity, so a Builder reset onto a
// reused buffer encodes without allocating. Lengths are minimal (DER). The
// zero value is ready to use; it is not safe for concurrent use.
//
//	var b emv.Builder
//	b.Reset(buf[:0])
//	b.Open(0x70)
//	b.Add(0x5F24, []byte{0x25, 0x12, 0x31})
//	b.Close()
//	out, err := b.Bytes()
type Builder struct {
	buf   []byte
	marks [MaxDepth]int
	depth int
	err   error
}

// NewBuilder returns a Builder appending to dst.
func NewBuilder(dst []byte) *Builder { return &Builder{buf: dst} }

// Reset makes b append to dst, forgetting any open object and error.
func (b *Builder) Reset(dst []byte) {
	b.buf, b.depth, b.err = dst, 0, nil
}

func (b *Builder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// Add appends a primitive (or pre-encoded constructed) object.
func (b *Builder) Add(tag Tag, value []byte) {
	if b.err != nil {
		return
	}
	if !tag.Valid() {
		b.fail(fmt.Errorf("%w: invalid tag %v", ErrBuilder, tag))
		return
	}
	if uint64(len(value)) > 0xFFFFFFFF {
		b.fail(fmt.Errorf("%w: value of tag %v too long", ErrBuilder, tag))
		return
	}
	b.buf = AppendTLV(b.buf, tag, value)
}

// AddRaw appends bytes that are already encoded TLV objects, unchanged (a
// Scanner's Raw span, to keep a card's exact encoding).
func (b *Builder) AddRaw(raw []byte) {
	if b.err != nil {
		return
	}
	b.buf = append(b.buf, raw...)
}

// Open starts a constructed object; what is added until the matching Close
// becomes its content.
func (b *Builder) Open(tag Tag) {
	if b.err != nil {
		return
	}
	if !tag.Valid() || !tag.Constructed() {
		b.fail(fmt.Errorf("%w: %v is not a valid constructed tag", ErrBuilder, tag))
		return
	}
	if b.depth == MaxDepth {
		b.fail(fmt.Errorf("%w: nesting deeper than %d", ErrBuilder, MaxDepth))
		return
	}
	b.buf = tag.AppendBytes(b.buf)
	b.marks[b.depth] = len(b.buf)
	b.depth++
	b.buf = append(b.buf, 0)
}

// Close ends the innermost open constructed object, writing its length.
func (b *Builder) Close() {
	if b.err != nil {
		return
	}
	if b.depth == 0 {
		b.fail(fmt.Errorf("%w: Close without Open", ErrBuilder))
		return
	}
	b.depth--
	mark := b.marks[b.depth]
	if uint64(len(b.buf)-mark-1) > 0xFFFFFFFF {
		b.fail(fmt.Errorf("%w: constructed object too long", ErrBuilder))
		return
	}
	b.buf = fixLength(b.buf, mark)
}

// AddConstructed appends a constructed object whose content f adds.
func (b *Builder) AddConstructed(tag Tag, f func(*Builder)) {
	b.Open(tag)
	if b.err != nil {
		return
	}
	depth := b.depth
	f(b)
	if b.err == nil && b.depth != depth {
		b.fail(fmt.Errorf("%w: unbalanced Open/Close inside %v", ErrBuilder, tag))
		return
	}
	b.Close()
}

// Len returns the number of bytes written so far (including dst's own).
func (b *Builder) Len() int { return len(b.buf) }

// Bytes returns the encoded bytes, or the first error. Every Open must have
// been closed.
func (b *Builder) Bytes() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	if b.depth != 0 {
		return nil, fmt.Errorf("%w: %d object(s) left open", ErrBuilder, b.depth)
	}
	return b.buf, nil
}
