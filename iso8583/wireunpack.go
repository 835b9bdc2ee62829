package iso8583

import (
	"errors"
	"fmt"
)

// errWireFallback sends a message the lean wireUnpacker does not handle (three or
// more bitmaps) to the moov path, which gives the same result for it.
var errWireFallback = errors.New("iso8583: lean path does not apply")

// wireSpan locates a decoded value in the wireUnpacker's string or byte arena,
// and the field on the wire.
type wireSpan struct {
	a, b int32 // value in the arena
	off  int32 // offset of the field in the message
	set  bool
}

// wireInfo is what unpacking learns that MAC verification needs.
type wireInfo struct {
	bits int       // bits in the bitmaps received
	mac  [2][2]int // start and end of fields 64 and 128 on the wire; 0, 0 when absent
}

// wireUnpacker reads one message of a compiled spec. Decoded strings go to
// an arena str and binary values to an arena bin, both first in buffers on
// unpackWire's stack (passed and returned by value, never stored, so that
// they stay there); assign turns each into one allocation.
type wireUnpacker struct {
	w        *wireLayout
	b        []byte
	spans    [len(fieldSlot)]wireSpan
	canonErr *FieldError // the first non-canonical encoding (strict)
	strict   bool
	mtiEnd   int
	last     int  // the last field present
	extended bool // a field above 64 is present
	info     wireInfo
}

// unpackWire unpacks b into t on the lean path. It returns errWireFallback,
// with t untouched, for a message the lean path leaves to moov.
func unpackWire(w *wireLayout, b []byte, t *Transaction, mode UnpackMode) (wireInfo, error) {
	var strBuf [1024]byte
	var binBuf [512]byte
	u := wireUnpacker{w: w, b: b, strict: mode == Strict}
	str, bin, end, err := u.run(strBuf[:0], binBuf[:0])
	if err == nil && u.strict {
		err = u.checkStrict(end, str)
	}
	if err == nil {
		err = u.assign(t, str, bin)
	}
	if err != nil && err != errWireFallback {
		*t = Transaction{}
	}
	return u.info, err
}

// run decodes the MTI, the bitmaps and every field; it returns the end of
// the last field. Decoding errors come first, in field order, as moov's
// Message.Unpack reports them; the strict checks wait for checkStrict.
func (u *wireUnpacker) run(str, bin []byte) ([]byte, []byte, int, error) {
	str, bin, off, err := u.field(0, 0, str, bin)
	if err != nil {
		return str, bin, 0, &FieldError{Field: 0, Offset: 0, Err: err}
	}
	u.mtiEnd = off
	var bm [16]byte
	off, err = u.bitmaps(off, &bm)
	if err != nil {
		return str, bin, 0, err
	}
	for i := 2; i <= u.info.bits; i++ {
		if i%64 == 1 || bm[(i-1)>>3]&(0x80>>((i-1)&7)) == 0 {
			continue // a bitmap presence bit, or a field not sent
		}
		if i >= len(u.w.fields) || u.w.fields[i].kind == codecNone {
			return str, bin, 0, &FieldError{Field: i, Offset: off, Err: fmt.Errorf("%w: field %d not in the spec", ErrField, i)}
		}
		start := off
		if str, bin, off, err = u.field(i, off, str, bin); err != nil {
			return str, bin, 0, &FieldError{Field: i, Offset: start, Err: err}
		}
		u.last = i
		if i > 64 {
			u.extended = true
		}
		if i == 64 || i == 128 {
			u.info.mac[i>>7] = [2]int{start, off}
		}
	}
	return str, bin, off, nil
}

// field decodes field id at off, its value to the end of str or bin, and
// returns the arenas and the offset after the field.
func (u *wireUnpacker) field(id, off int, str, bin []byte) ([]byte, []byte, int, error) {
	f := &u.w.fields[id]
	arena := str
	if f.binary {
		arena = bin
	}
	mark := len(arena)
	arena, read, n, err := wireDecode(arena, f, u.b[off:])
	if err != nil {
		return str, bin, off, err
	}
	if u.strict && u.canonErr == nil {
		k := wireUnits(f, n)
		if cerr := canonicalWire(f, u.b[off+read-k:off+read], n); cerr != nil {
			u.canonErr = &FieldError{Field: id, Offset: off, Err: cerr}
		}
	}
	if id < len(u.spans) && (id < 2 || fieldSlot[id] != 0 || id == 60 || id == 61 || id == 63) {
		u.spans[id] = wireSpan{a: int32(mark), b: int32(len(arena)), off: int32(off), set: true}
	} else {
		arena = arena[:mark] // a field Transaction does not hold
	}
	if f.binary {
		return str, arena, off + read, nil
	}
	return arena, bin, off + read, nil
}

// wireUnits is the size on the wire of n units of field f, without its
// prefix.
func wireUnits(f *wireField, n int) int {
	switch f.kind {
	case codecBCD, codecNibble:
		return (n + 1) / 2
	case codecHex:
		return 2 * n
	}
	return n
}

// bitmaps reads the primary bitmap and, when its first bit says so, the
// secondary one, into bm, as moov's field.Bitmap does.
func (u *wireUnpacker) bitmaps(off int, bm *[16]byte) (int, error) {
	for i := range 3 {
		if i == 2 {
			return off, errWireFallback // a third bitmap: moov's path
		}
		src := u.b[off:]
		var err error
		var read int
		if u.w.bitmapHex {
			_, read, err = wireDecodeHex(bm[8*i:8*i], src, 8)
			if err == nil && u.strict && u.canonErr == nil {
				if cerr := canonical(hexBytesEncoder{}, src[:read], 8); cerr != nil {
					u.canonErr = &FieldError{Field: 1, Offset: off, Err: cerr}
				}
			}
		} else if len(src) < 8 {
			err = fmt.Errorf("%w: binary decode", ErrShortData)
		} else {
			read = copy(bm[8*i:], src[:8])
		}
		if err != nil {
			return off, &FieldError{Field: 1, Offset: u.mtiEnd, Err: err}
		}
		off += read
		u.info.bits += 64
		if bm[8*i]&0x80 == 0 {
			return off, nil
		}
	}
	return off, nil
}

// checkStrict is checkStrict of unpack.go on what run learnt.
func (u *wireUnpacker) checkStrict(end int, str []byte) error {
	if u.canonErr != nil {
		return u.canonErr
	}
	if u.last == 0 {
		return &FieldError{Field: 1, Offset: u.mtiEnd, Err: fmt.Errorf("%w: no field is present", ErrBitmap)}
	}
	if u.info.bits > 64 && !u.extended {
		return &FieldError{Field: 1, Offset: u.mtiEnd, Err: fmt.Errorf("%w: a secondary bitmap without fields %d to %d", ErrBitmap, 65, u.info.bits)}
	}
	if end != len(u.b) {
		return &FieldError{Field: u.last, Offset: end, Err: fmt.Errorf("%w: %d bytes after field %d", ErrTrailingData, len(u.b)-end, u.last)}
	}
	for _, id := range cardFields {
		sp := u.spans[id]
		if !sp.set {
			continue
		}
		var err error
		if v := str[sp.a:sp.b]; id == 2 {
			if len(v) == 0 {
				err = fmt.Errorf("%w: PAN of length 0", ErrCard)
			}
		} else {
			err = checkTrack(v, id == 35)
		}
		if err != nil {
			return &FieldError{Field: id, Offset: int(sp.off), Err: err}
		}
	}
	return nil
}

// assign fills t from the decoded values: one string for every string
// field, one byte slice for every binary field, 60, 61 and 63 split into
// the structs t already points to when it does.
func (u *wireUnpacker) assign(t *Transaction, str, arena []byte) error {
	var s string
	if len(str) > 0 {
		s = string(str)
	}
	var bin []byte
	if len(arena) > 0 {
		bin = make([]byte, len(arena))
		copy(bin, arena)
	}
	f60, f61, f63 := t.F60, t.F61, t.F63
	*t = Transaction{}
	for _, f := range txStrings {
		if sp := u.spans[f.id]; sp.set {
			*f.get(t) = s[sp.a:sp.b]
		}
	}
	for _, f := range txBytes {
		if sp := u.spans[f.id]; sp.set && sp.b > sp.a {
			*f.get(t) = bin[sp.a:sp.b:sp.b]
		}
	}
	if sp := u.spans[60]; sp.set {
		if f60 == nil {
			f60 = &Field60{}
		}
		p := [...]*string{&f60.TxnType, &f60.Batch, &f60.NetMgmt, &f60.ReadCapability, &f60.ICCCondition, &f60.PartialSupport, &f60.AccountType}
		if err := splitString("60", s[sp.a:sp.b], p[:], widths60); err != nil {
			return &FieldError{Field: 60, Offset: int(sp.off), Err: err}
		}
		t.F60 = f60
	}
	if sp := u.spans[61]; sp.set {
		if f61 == nil {
			f61 = &Field61{}
		}
		p := [...]*string{&f61.OrigBatch, &f61.OrigSTAN, &f61.OrigDate, &f61.AuthMethod, &f61.AuthInstitution}
		if err := splitString("61", s[sp.a:sp.b], p[:], widths61); err != nil {
			return &FieldError{Field: 61, Offset: int(sp.off), Err: err}
		}
		t.F61 = f61
	}
	if sp := u.spans[63]; sp.set {
		if f63 == nil {
			f63 = &Field63{}
		}
		if err := split63(f63, s[sp.a:sp.b]); err != nil {
			return &FieldError{Field: 63, Offset: int(sp.off), Err: err}
		}
		t.F63 = f63
	}
	return nil
}

// splitString is splitDigits (unionpayfields.go) over a string: the parts
// are substrings of text.
func splitString(name, text string, parts []*string, widths []int) error {
	for _, p := range parts {
		*p = ""
	}
	off := 0
	for i, w := range widths {
		if off == len(text) {
			return nil
		}
		if len(text)-off < w {
			return fmt.Errorf("%w: %s.%d cut short", ErrSubfield, name, i+1)
		}
		*parts[i] = text[off : off+w]
		off += w
	}
	if off != len(text) {
		return fmt.Errorf("%w: %s: %d extra characters", ErrSubfield, name, len(text)-off)
	}
	return nil
}

// split63 is Field63.UnmarshalText over a string.
func split63(f *Field63, text string) error {
	*f = Field63{}
	if len(text) == 0 {
		return nil
	}
	if len(text) < 3 {
		return fmt.Errorf("%w: 63.1 cut short", ErrSubfield)
	}
	f.Code, f.Info = text[:3], text[3:]
	return nil
}
