package iso8583

import (
	"fmt"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"
)

// The lean path moves a Transaction to and from bytes without moov field
// objects, for specs whose every field is made of this package's codecs
// (codec.go). The spec stays the one source of truth: a wireLayout is
// compiled from its field specs (Length, Enc, Pref) once per spec and kept
// beside the specLayout of unpack.go. The codecs below write and read
// exactly what BCDEncoder, NibbleEncoder, HexBytes, Binary, the ASCII
// encoders and LengthPrefixer do, with the same errors, appending to the
// caller's buffer instead of returning new slices; the differential tests
// (wire_test.go) hold the two paths to the same bytes and errors.

// codecKind names one of the package's encoders.
type codecKind uint8

const (
	codecNone codecKind = iota
	codecBCD
	codecNibble
	codecHex
	codecBytes
	codecText
)

// wireField is one field of a compiled spec.
type wireField struct {
	kind   codecKind
	binary bool // the value is bytes (a byte field of Transaction, or a field.Binary)
	pref   *LengthPrefixer
	length int
	bcd    *BCDEncoder
	nib    *NibbleEncoder
	text   textEncoder
}

// wireLayout is a spec compiled for the lean path; ok is false when a
// field uses something the lean path does not know (the moov path serves
// such specs).
type wireLayout struct {
	ok        bool
	fields    [193]wireField
	bitmapHex bool // the bitmap is carried as hex characters
	has128    bool // the spec defines field 128
	secondary bool // the spec defines a field from 65 to 127
}

// compileWire builds the wire layout of spec.
func compileWire(spec *moov.MessageSpec) *wireLayout {
	w := &wireLayout{}
	if spec == nil || !w.compileBitmap(spec.Fields[1]) {
		return w
	}
	if _, ok := spec.Fields[0]; !ok {
		return w
	}
	for id, f := range spec.Fields {
		if id == 1 {
			continue
		}
		if id < 0 || id >= len(w.fields) || !w.compileField(id, f) {
			return w
		}
		if id > 64 && id < 128 {
			w.secondary = true
		}
	}
	_, w.has128 = spec.Fields[128]
	w.ok = true
	return w
}

// compileBitmap accepts moov's bitmap of 8 bytes, auto-expanding, with a
// fixed prefixer of the package and binary or hex encoding.
func (w *wireLayout) compileBitmap(f field.Field) bool {
	bm, ok := f.(*field.Bitmap)
	if !ok {
		return false
	}
	s := bm.Spec()
	if s == nil || s.Length != 8 || s.DisableAutoExpand || s.Pad != nil {
		return false
	}
	if p, ok := s.Pref.(*LengthPrefixer); !ok || p.Digits != 0 {
		return false
	}
	switch s.Enc.(type) {
	case hexBytesEncoder:
		w.bitmapHex = true
	case bytesEncoder:
	default:
		return false
	}
	return true
}

// compileField accepts a field.String or field.Binary of the package's
// codecs, without padding or custom packers, of the type Transaction
// needs for the fields it maps.
func (w *wireLayout) compileField(id int, f field.Field) bool {
	wf := &w.fields[id]
	switch f.(type) {
	case *field.String:
	case *field.Binary:
		wf.binary = true
	default:
		return false
	}
	s := f.Spec()
	if s == nil || s.Pad != nil || s.Packer != nil || s.Unpacker != nil || len(s.Subfields) > 0 {
		return false
	}
	// Transaction's string fields need a field.String (a field.Binary's
	// String is hex); its byte fields take either (their Bytes are the
	// value), and their values go to the byte arena
	if id < len(fieldSlot) && (fieldSlot[id] > 0 || id == 60 || id == 61 || id == 63) && wf.binary {
		return false
	}
	if id < len(fieldSlot) && fieldSlot[id] < 0 {
		wf.binary = true
	}
	p, ok := s.Pref.(*LengthPrefixer)
	if !ok {
		return false
	}
	wf.pref, wf.length = p, s.Length
	switch e := s.Enc.(type) {
	case *BCDEncoder:
		wf.kind, wf.bcd = codecBCD, e
	case *NibbleEncoder:
		wf.kind, wf.nib = codecNibble, e
	case hexBytesEncoder:
		wf.kind = codecHex
	case bytesEncoder:
		wf.kind = codecBytes
	case textEncoder:
		wf.kind, wf.text = codecText, e
	default:
		return false
	}
	return true
}

// wireOf returns the compiled layout of spec, or nil when the lean path
// cannot serve it.
func wireOf(spec *moov.MessageSpec) *wireLayout {
	if spec == nil {
		return nil
	}
	if w := layoutOf(spec).wire; w.ok {
		return w
	}
	return nil
}

// ---- encoding: what the codecs' Encode and EncodeLength write ----

// wireAppend appends field f holding v (n units: digits, characters or
// bytes) to dst, prefix first; on error dst keeps its length.
func wireAppend[S string | []byte](dst []byte, f *wireField, v S) ([]byte, error) {
	mark := len(dst)
	size := f.pref.Size()
	for range size {
		dst = append(dst, 0)
	}
	var err error
	switch f.kind {
	case codecBCD:
		dst, err = wireBCD(dst, f.bcd, v)
	case codecNibble:
		dst, err = wireNibbles(dst, f.nib, v)
	case codecHex:
		for i := 0; i < len(v); i++ {
			dst = append(dst, hexUpper[v[i]>>4], hexUpper[v[i]&0x0F])
		}
	case codecBytes:
		dst = append(dst, v...)
	case codecText:
		if err = wireCheckText(f.text, v); err != nil {
			err = fmt.Errorf("%w: ascii encode", err)
		}
		dst = append(dst, v...)
	}
	if err == nil {
		err = wirePrefixFits(f.pref, f.length, len(v))
	}
	if err != nil {
		return dst[:mark], err
	}
	n := len(v)
	if f.pref.scale2 {
		n *= 2
	}
	f.pref.appendLength(dst[mark:mark], n) // writes into the room reserved
	return dst, nil
}

// wirePrefixFits is LengthPrefixer.EncodeLength's check of a value of n units
// in a field of maxLen.
func wirePrefixFits(p *LengthPrefixer, maxLen, n int) error {
	if p.scale2 {
		maxLen *= 2
		n *= 2
	}
	if p.Digits == 0 {
		if n != maxLen {
			return fmt.Errorf("%w: fixed field of %d holds %d", ErrLength, maxLen, n)
		}
		return nil
	}
	if n < 0 || n > maxLen || n > p.limit() {
		return fmt.Errorf("%w: length %d, max %d", ErrLength, n, maxLen)
	}
	return nil
}

// wireBCD is BCDEncoder.Encode appending to dst.
func wireBCD[S string | []byte](dst []byte, e *BCDEncoder, src S) ([]byte, error) {
	n := len(src)
	pad := e.Pad & 0x0F
	i := 0
	if n%2 == 1 && e.Align == RightAligned {
		d := src[0] - '0'
		if d > 9 {
			return dst, fmt.Errorf("%w: BCD encode", ErrInvalidDigit)
		}
		dst = append(dst, pad<<4|d)
		i = 1
	}
	for ; i+1 < n; i += 2 {
		hi, lo := src[i]-'0', src[i+1]-'0'
		if hi > 9 || lo > 9 {
			return dst, fmt.Errorf("%w: BCD encode", ErrInvalidDigit)
		}
		dst = append(dst, hi<<4|lo)
	}
	if i < n {
		d := src[i] - '0'
		if d > 9 {
			return dst, fmt.Errorf("%w: BCD encode", ErrInvalidDigit)
		}
		dst = append(dst, d<<4|pad)
	}
	return dst, nil
}

// wireNibbles is NibbleEncoder.Encode appending to dst.
func wireNibbles[S string | []byte](dst []byte, e *NibbleEncoder, src S) ([]byte, error) {
	for i := 0; i < len(src); i += 2 {
		hi, ok := nibbleOf(src[i])
		if !ok {
			return dst, fmt.Errorf("%w: track encode", ErrInvalidDigit)
		}
		lo := e.Pad & 0x0F
		if i+1 < len(src) {
			if lo, ok = nibbleOf(src[i+1]); !ok {
				return dst, fmt.Errorf("%w: track encode", ErrInvalidDigit)
			}
		}
		dst = append(dst, hi<<4|lo)
	}
	return dst, nil
}

// wireCheckText is textEncoder.check over a string or bytes.
func wireCheckText[S string | []byte](e textEncoder, v S) error {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch e.mode {
		case modeDigits:
			if c-'0' > 9 {
				return ErrInvalidDigit
			}
		case modeTrack:
			if _, ok := nibbleOf(c); !ok {
				return ErrInvalidDigit
			}
		default:
			if c >= 0x80 {
				return ErrInvalidDigit
			}
		}
	}
	return nil
}

// ---- decoding: what the codecs' DecodeLength and Decode read ----

// wireDecode reads field f at the start of src, appending its value to
// dst; it returns the bytes the field takes on the wire and the number of
// units read. canon, when not nil, receives the first non-canonical
// encoding (see canonical) without failing the decode.
func wireDecode(dst []byte, f *wireField, src []byte) ([]byte, int, int, error) {
	n, pl, err := f.pref.DecodeLength(f.length, src)
	if err != nil {
		return dst, 0, 0, err
	}
	src = src[pl:]
	var read int
	switch f.kind {
	case codecBCD:
		dst, read, err = wireDecodeBCD(dst, f.bcd, src, n)
	case codecNibble:
		dst, read, err = wireDecodeNibbles(dst, f.nib, src, n)
	case codecHex:
		dst, read, err = wireDecodeHex(dst, src, n)
	case codecBytes:
		if n < 0 {
			return dst, 0, 0, fmt.Errorf("%w: binary decode", ErrLength)
		}
		if len(src) < n {
			return dst, 0, 0, fmt.Errorf("%w: binary decode", ErrShortData)
		}
		dst, read = append(dst, src[:n]...), n
	case codecText:
		if n < 0 {
			return dst, 0, 0, fmt.Errorf("%w: ascii decode", ErrLength)
		}
		if len(src) < n {
			return dst, 0, 0, fmt.Errorf("%w: ascii decode", ErrShortData)
		}
		if err := wireCheckText(f.text, src[:n]); err != nil {
			return dst, 0, 0, fmt.Errorf("%w: ascii decode", err)
		}
		dst, read = append(dst, src[:n]...), n
	}
	if err != nil {
		return dst, 0, 0, err
	}
	return dst, pl + read, n, nil
}

// wireDecodeBCD is BCDEncoder.Decode appending to dst.
func wireDecodeBCD(dst []byte, e *BCDEncoder, src []byte, length int) ([]byte, int, error) {
	if length < 0 {
		return dst, 0, fmt.Errorf("%w: BCD decode", ErrLength)
	}
	read := (length + 1) / 2
	if len(src) < read {
		return dst, 0, fmt.Errorf("%w: BCD decode", ErrShortData)
	}
	j := 0
	if length%2 == 1 && e.Align == RightAligned {
		if p := src[0] >> 4; p != 0 && p != 0x0F {
			return dst, 0, fmt.Errorf("%w: BCD decode: pad", ErrInvalidDigit)
		}
		j = 1
	}
	for range length {
		d := src[j>>1] >> 4
		if j&1 == 1 {
			d = src[j>>1] & 0x0F
		}
		if d > 9 {
			return dst, 0, fmt.Errorf("%w: BCD decode", ErrInvalidDigit)
		}
		dst = append(dst, '0'+d)
		j++
	}
	if j&1 == 1 {
		if p := src[j>>1] & 0x0F; p != 0 && p != 0x0F {
			return dst, 0, fmt.Errorf("%w: BCD decode: pad", ErrInvalidDigit)
		}
	}
	return dst, read, nil
}

// wireDecodeNibbles is NibbleEncoder.Decode appending to dst.
func wireDecodeNibbles(dst []byte, e *NibbleEncoder, src []byte, length int) ([]byte, int, error) {
	if length < 0 {
		return dst, 0, fmt.Errorf("%w: track decode", ErrLength)
	}
	read := (length + 1) / 2
	if len(src) < read {
		return dst, 0, fmt.Errorf("%w: track decode", ErrShortData)
	}
	sep := e.Sep
	if sep == 0 {
		sep = '='
	}
	for i := range length {
		d := src[i>>1] >> 4
		if i&1 == 1 {
			d = src[i>>1] & 0x0F
		}
		if d == 0x0D {
			dst = append(dst, sep)
		} else {
			dst = append(dst, hexUpper[d])
		}
	}
	if length&1 == 1 {
		if p := src[length>>1] & 0x0F; p != 0 && p != 0x0F {
			return dst, 0, fmt.Errorf("%w: track decode: pad", ErrInvalidDigit)
		}
	}
	return dst, read, nil
}

// wireDecodeHex is HexBytes' Decode appending to dst.
func wireDecodeHex(dst []byte, src []byte, length int) ([]byte, int, error) {
	if length < 0 {
		return dst, 0, fmt.Errorf("%w: hex decode", ErrLength)
	}
	if len(src)/2 < length {
		return dst, 0, fmt.Errorf("%w: hex decode", ErrShortData)
	}
	for i := range length {
		hi, ok1 := unhex(src[2*i])
		lo, ok2 := unhex(src[2*i+1])
		if !ok1 || !ok2 {
			return dst, 0, fmt.Errorf("%w: hex decode", ErrInvalidDigit)
		}
		dst = append(dst, hi<<4|lo)
	}
	return dst, 2 * length, nil
}

// canonicalWire is canonical for field f: the n units in wire are what
// packing writes.
func canonicalWire(f *wireField, wire []byte, n int) error {
	switch f.kind {
	case codecBCD:
		return canonical(f.bcd, wire, n)
	case codecNibble:
		return canonical(f.nib, wire, n)
	case codecHex:
		return canonical(hexBytesEncoder{}, wire, n)
	}
	return nil
}
