package iso8583

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/encoding"
	moovErrors "github.com/moov-io/iso8583/errors"
	"github.com/moov-io/iso8583/field"
)

// Errors of strict unpacking. A FieldError carries them with the field and
// offset.
var (
	// ErrTrailingData reports bytes after the last field of a message.
	ErrTrailingData = errors.New("iso8583: bytes after the last field")
	// ErrBitmap reports a bitmap that lists no field, or a secondary
	// bitmap that lists none (repacking would drop it).
	ErrBitmap = errors.New("iso8583: unused bitmap")
	// ErrField reports a field that the spec cannot read or write, when
	// the cause is not one of this package's codec errors.
	ErrField = errors.New("iso8583: malformed field")
)

// FieldError reports where a message could not be read or written: the
// field and, when unpacking, the byte offset at which it starts. Err wraps
// the package's sentinel (errors.Is finds ErrInvalidDigit, ErrCard,
// ErrTrailingData...). Its text never holds field contents beyond what
// MaskText leaves.
type FieldError struct {
	Field  int   // field number: 0 the MTI, 1 the bitmap
	Offset int   // byte offset of the field in the packed message; -1 when packing
	Err    error // the cause
}

// Error reads "iso8583: what: detail (field N at offset O)".
func (e *FieldError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("%v (field %d)", e.Err, e.Field)
	}
	return fmt.Sprintf("%v (field %d at offset %d)", e.Err, e.Field, e.Offset)
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

// ownCause returns the outermost error in err's chain that this package
// wrote (its text starts with the package prefix), or err wrapped in
// ErrField with its text masked.
func ownCause(err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.HasPrefix(e.Error(), "iso8583: ") {
			return e
		}
	}
	return fmt.Errorf("%w: %s", ErrField, MaskText(err.Error()))
}

// UnpackMode says how strictly a message is read.
type UnpackMode uint8

const (
	// Strict, the default, refuses bytes after the last field, a bitmap
	// that lists no field (or a secondary bitmap that lists none), an
	// empty PAN (field 2) and track data (35, 36) that is not digits
	// around a separator, such as a track of pad nibbles.
	Strict UnpackMode = iota
	// Lenient reads what the spec's codecs accept and ignores trailing
	// bytes: for captures and logs from peers that do not follow the
	// rules.
	Lenient
)

// UnpackMessage unpacks b with spec into a new moov message. Errors are
// *FieldError values naming the field and its offset.
func UnpackMessage(spec *moov.MessageSpec, b []byte, mode UnpackMode) (*moov.Message, error) {
	m := moov.NewMessage(spec)
	if err := unpackInto(m, b, mode); err != nil {
		return nil, err
	}
	return m, nil
}

// unpackInto unpacks b into m with moov, then checks what moov does not.
func unpackInto(m *moov.Message, b []byte, mode UnpackMode) error {
	if err := m.Unpack(b); err != nil {
		id := -1
		var ue *moovErrors.UnpackError
		if errors.As(err, &ue) {
			id, _ = strconv.Atoi(ue.FieldID)
		}
		off := 0
		if id >= 0 {
			off, _ = layoutOf(m.GetSpec()).measure(m, b, id)
		} else {
			id = 0
		}
		return &FieldError{Field: id, Offset: off, Err: ownCause(err)}
	}
	if mode == Lenient {
		return nil
	}
	return checkStrict(m, b)
}

func checkStrict(m *moov.Message, b []byte) error {
	lay := layoutOf(m.GetSpec())
	var w walked
	end, err := lay.walk(m, b, -1, true, &w)
	if err != nil {
		return err
	}
	if w.last == 0 {
		return &FieldError{Field: 1, Offset: lay.mtiEnd(b), Err: fmt.Errorf("%w: no field is present", ErrBitmap)}
	}
	if w.bits > w.unit && !w.extended {
		return &FieldError{Field: 1, Offset: lay.mtiEnd(b), Err: fmt.Errorf("%w: a secondary bitmap without fields %d to %d", ErrBitmap, w.unit+1, w.bits)}
	}
	if end != len(b) {
		return &FieldError{Field: w.last, Offset: end, Err: fmt.Errorf("%w: %d bytes after field %d", ErrTrailingData, len(b)-end, w.last)}
	}
	for i, id := range cardFields {
		if w.card[i] < 0 {
			continue
		}
		if err := checkCardField(id, m.GetField(id)); err != nil {
			return &FieldError{Field: id, Offset: w.card[i], Err: err}
		}
	}
	return nil
}

// cardFields are the fields strict unpacking checks beyond their codec:
// the PAN and track 2 and 3.
var cardFields = [...]int{2, 35, 36}

// walked is what a strict walk learns besides the end of the message.
type walked struct {
	last     int                  // the last field present
	unit     int                  // bits in one bitmap of the spec
	bits     int                  // bits in the bitmaps received
	extended bool                 // a field beyond the first bitmap is present
	card     [len(cardFields)]int // offsets of 2, 35 and 36; -1 when absent
}

// checkCardField checks field 2 (PAN) or 35/36 (track 2/3) of a strictly
// read message.
func checkCardField(id int, f field.Field) error {
	if f == nil {
		return nil
	}
	v, err := f.String()
	if err != nil {
		return ownCause(err)
	}
	if id == 2 {
		if v == "" {
			return fmt.Errorf("%w: PAN of length 0", ErrCard)
		}
		return nil
	}
	return checkTrack(v, id == 35)
}

// checkTrack accepts digits around one separator ('=' or 'D') for track 2,
// or at least one for track 3, with at least one digit before the first.
func checkTrack[S string | []byte](v S, track2 bool) error {
	seps, first := 0, -1
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
		case c == '=' || c == 'D' || c == 'd':
			if first < 0 {
				first = i
			}
			seps++
		default:
			return fmt.Errorf("%w: track data holds a character that is not a digit or separator", ErrCard)
		}
	}
	switch {
	case seps == 0:
		return fmt.Errorf("%w: track data without a separator", ErrCard)
	case track2 && seps > 1:
		return fmt.Errorf("%w: track 2 with %d separators", ErrCard, seps)
	case first == 0:
		return fmt.Errorf("%w: track data without a PAN", ErrCard)
	}
	return nil
}

// specLayout is what measuring a message needs of its spec, by field.
type specLayout struct {
	fields [193]field.Field
	fast   [193]fastField
	wire   *wireLayout // the lean path's compiled form (wire.go)
}

// fastField describes a field made of the package's own prefixer and
// encoder, whose size on the wire needs no interface call.
type fastField struct {
	pref   *LengthPrefixer // nil: use the general path
	length int
	enc    encoding.Encoder
	scale  int // wire bytes per 2 units: 1 for BCD and nibbles, 4 for hex, 2 for bytes
}

var layouts sync.Map // *moov.MessageSpec -> *specLayout

func layoutOf(spec *moov.MessageSpec) *specLayout {
	if l, ok := layouts.Load(spec); ok {
		return l.(*specLayout)
	}
	l := &specLayout{}
	for id, f := range spec.Fields {
		if id < 0 || id >= len(l.fields) {
			continue
		}
		l.fields[id] = f
		s := f.Spec()
		lp, ok := s.Pref.(*LengthPrefixer)
		if !ok || len(s.Subfields) > 0 {
			continue
		}
		switch s.Enc.(type) {
		case *BCDEncoder, *NibbleEncoder:
			l.fast[id] = fastField{lp, s.Length, s.Enc, 1}
		case hexBytesEncoder:
			l.fast[id] = fastField{lp, s.Length, s.Enc, 4}
		case bytesEncoder, textEncoder:
			l.fast[id] = fastField{lp, s.Length, s.Enc, 2}
		}
	}
	l.wire = compileWire(spec)
	v, _ := layouts.LoadOrStore(spec, l)
	return v.(*specLayout)
}

// size returns the bytes field id takes at the start of src.
func (l *specLayout) size(id int, src []byte, canon bool) (int, error) {
	ff := &l.fast[id]
	if ff.pref == nil {
		return wireLen(l.fields[id], src, canon)
	}
	n, pl, err := ff.pref.DecodeLength(ff.length, src)
	if err != nil {
		return 0, ownCause(err)
	}
	k := n
	switch ff.scale {
	case 1:
		k = (n + 1) / 2
	case 4:
		k = 2 * n
	}
	if canon && len(src) >= pl+k {
		if err := canonical(ff.enc, src[pl:pl+k], n); err != nil {
			return 0, err
		}
	}
	return pl + k, nil
}

// wireLen returns the bytes field f takes at the start of src; with
// canon, it also refuses an encoding that packing would not reproduce.
func wireLen(f field.Field, src []byte, canon bool) (int, error) {
	if f == nil {
		return 0, fmt.Errorf("%w: not in the spec", ErrField)
	}
	s := f.Spec()
	if s == nil || s.Pref == nil || s.Enc == nil || len(s.Subfields) > 0 {
		// a composite or unusual field: unpack a copy to learn its size
		return field.NewInstanceOf(f).Unpack(src)
	}
	n, pl, err := s.Pref.DecodeLength(s.Length, src)
	if err != nil {
		return 0, ownCause(err)
	}
	if k, ok := encodedLen(s.Enc, n); ok {
		if canon && len(src) >= pl+k {
			if err := canonical(s.Enc, src[pl:pl+k], n); err != nil {
				return 0, err
			}
		}
		return pl + k, nil
	}
	_, read, err := s.Enc.Decode(src[pl:], n)
	return pl + read, err
}

// encodedLen is the size on the wire of n units in one of the package's
// encodings.
func encodedLen(enc encoding.Encoder, n int) (int, bool) {
	switch enc.(type) {
	case *BCDEncoder, *NibbleEncoder:
		return (n + 1) / 2, true
	case hexBytesEncoder:
		return 2 * n, true
	case bytesEncoder, textEncoder:
		return n, true
	}
	return 0, false
}

// canonical checks that the n units in wire are what the package's encoder
// enc writes for them: the pad nibble of an odd count and the letter case
// of hex characters, which decoding accepts in either form.
func canonical(enc encoding.Encoder, wire []byte, n int) error {
	switch e := enc.(type) {
	case *BCDEncoder:
		if n%2 == 0 {
			return nil
		}
		p := wire[len(wire)-1] & 0x0F
		if e.Align == RightAligned {
			p = wire[0] >> 4
		}
		if p != e.Pad&0x0F {
			return fmt.Errorf("%w: pad nibble %X, want %X", ErrInvalidDigit, p, e.Pad&0x0F)
		}
	case *NibbleEncoder:
		if n%2 == 0 {
			return nil
		}
		if p := wire[len(wire)-1] & 0x0F; p != e.Pad&0x0F {
			return fmt.Errorf("%w: pad nibble %X, want %X", ErrInvalidDigit, p, e.Pad&0x0F)
		}
	case hexBytesEncoder:
		for _, c := range wire {
			if c >= 'a' && c <= 'f' {
				return fmt.Errorf("%w: lower-case hex", ErrInvalidDigit)
			}
		}
	}
	return nil
}

// mtiEnd returns the offset of the bitmap in b.
func (l *specLayout) mtiEnd(b []byte) int {
	n, err := l.size(0, b, false)
	if err != nil {
		return 0
	}
	return n
}

// measure walks b as m was unpacked from it: it returns the offset of field
// stop, or with stop -1 the end of the last field.
func (l *specLayout) measure(m *moov.Message, b []byte, stop int) (int, error) {
	return l.walk(m, b, stop, false, nil)
}

// walk measures b field by field in the order of m's bitmap, stopping at
// field stop; with canon it refuses encodings that packing would not
// reproduce (see canonical), and with w it records what checkStrict needs.
func (l *specLayout) walk(m *moov.Message, b []byte, stop int, canon bool, w *walked) (int, error) {
	off, err := l.size(0, b, canon)
	if err != nil {
		return 0, &FieldError{Field: 0, Offset: 0, Err: ownCause(err)}
	}
	if stop == 0 {
		return 0, nil
	}
	if stop == 1 {
		return off, nil
	}
	data, _ := m.Bitmap().Bytes() // the bitmap's own bytes: read only
	unit, auto := 64, true
	if bf := l.fields[1]; bf != nil && bf.Spec().Length > 0 {
		bs := bf.Spec()
		unit, auto = 8*bs.Length, !bs.DisableAutoExpand
		if off, err = l.walkBitmaps(b, off, len(data)/bs.Length, bs, canon); err != nil {
			return off, err
		}
	}
	if w != nil {
		w.unit, w.bits, w.card = unit, 8*len(data), [len(cardFields)]int{-1, -1, -1}
	}
	for i, by := range data {
		for by != 0 {
			bit := bits.LeadingZeros8(by)
			by &^= 0x80 >> bit
			id := 8*i + bit + 1
			if id == 1 || (auto && (id == unit+1 || id == 2*unit+1)) {
				continue // a bitmap presence bit
			}
			if id == stop {
				return off, nil
			}
			if id >= len(l.fields) {
				return off, &FieldError{Field: id, Offset: off, Err: fmt.Errorf("%w: not in the spec", ErrField)}
			}
			n, err := l.size(id, b[off:], canon)
			if err != nil {
				return off, &FieldError{Field: id, Offset: off, Err: ownCause(err)}
			}
			if w != nil {
				w.note(id, off)
			}
			off += n
		}
	}
	return off, nil
}

func (w *walked) note(id, off int) {
	w.last = id
	if id > w.unit {
		w.extended = true
	}
	switch id {
	case 2:
		w.card[0] = off
	case 35:
		w.card[1] = off
	case 36:
		w.card[2] = off
	}
}

// walkBitmaps steps over count bitmaps of spec bs from off.
func (l *specLayout) walkBitmaps(b []byte, off, count int, bs *field.Spec, canon bool) (int, error) {
	for range count {
		k, ok := encodedLen(bs.Enc, bs.Length)
		if ok && canon && len(b) >= off+k {
			if err := canonical(bs.Enc, b[off:off+k], bs.Length); err != nil {
				return off, &FieldError{Field: 1, Offset: off, Err: err}
			}
		}
		if !ok {
			_, read, err := bs.Enc.Decode(b[off:], bs.Length)
			if err != nil {
				return off, &FieldError{Field: 1, Offset: off, Err: ownCause(err)}
			}
			k = read
		}
		off += k
	}
	return off, nil
}
