package iso8583

import (
	"slices"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"
)

// chooser draws choices from fuzz input or a fixed seed; an exhausted
// input gives zeros, so every input is a valid program.
type chooser struct{ b []byte }

func (c *chooser) n(limit int) int {
	if limit <= 1 {
		return 0
	}
	v := 0
	for range 2 {
		v <<= 8
		if len(c.b) > 0 {
			v |= int(c.b[0])
			c.b = c.b[1:]
		}
	}
	return v % limit
}

// fieldValue returns a value of field f that packs and strictly unpacks to
// itself, and whether the field is binary.
func (c *chooser) fieldValue(id int, f field.Field) (string, []byte) {
	s := f.Spec()
	size := s.Length
	if lp, ok := s.Pref.(*LengthPrefixer); !ok || lp.Digits > 0 {
		size = 1 + c.n(min(s.Length, 60))
	}
	switch e := s.Enc.(type) {
	case *BCDEncoder:
		return c.digits(size), nil
	case *NibbleEncoder:
		return c.track(max(size, 2), e.Sep, id == 35), nil
	case bytesEncoder, hexBytesEncoder:
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(c.n(256))
		}
		return "", b
	case textEncoder:
		switch e.mode {
		case modeDigits:
			return c.digits(size), nil
		case modeTrack:
			return c.track(max(size, 2), '=', id == 35), nil
		}
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(0x20 + c.n(0x5F))
		}
		return string(b), nil
	}
	panic("unknown encoder in a spec of the package")
}

func (c *chooser) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + c.n(10))
	}
	return string(b)
}

// track returns n characters: a PAN, a separator, then digits (and, for
// track 3, more separators).
func (c *chooser) track(n int, sep byte, one bool) string {
	b := []byte(c.digits(n))
	pan := 1 + c.n(min(19, n-1))
	b[pan] = sep
	if !one && n > pan+2 && c.n(2) == 0 {
		b[pan+1+c.n(n-pan-1)] = sep
	}
	return string(b)
}

// randomMessage fills a message of spec with a random set of its fields.
func randomMessage(c *chooser, spec *moov.MessageSpec) (*moov.Message, error) {
	m := moov.NewMessage(spec)
	m.MTI(c.digits(4))
	ids := make([]int, 0, len(spec.Fields))
	for id := range spec.Fields {
		if id > 1 && id != 65 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	count := 0
	for _, id := range ids {
		if c.n(3) != 0 && (count > 0 || id != ids[len(ids)-1]) {
			continue
		}
		count++
		str, bin := c.fieldValue(id, spec.Fields[id])
		var err error
		if bin != nil {
			err = m.BinaryField(id, bin)
		} else {
			err = m.Field(id, str)
		}
		if err != nil {
			return nil, err
		}
	}
	return m, nil
}

// randomTransaction fills a Transaction with values of the fields the
// dialect's spec defines, each valid for its field.
func randomTransaction(c *chooser, d Dialect) *Transaction {
	spec := d.Spec()
	t := &Transaction{MTI: "0" + c.digits(3)}
	for _, f := range txStrings[1:] {
		if fl, ok := spec.Fields[f.id]; ok && c.n(2) == 0 {
			str, bin := c.fieldValue(f.id, fl)
			if bin == nil {
				*f.get(t) = str
			}
		}
	}
	for _, f := range txBytes {
		if fl, ok := spec.Fields[f.id]; ok && c.n(2) == 0 {
			if _, bin := c.fieldValue(f.id, fl); bin != nil {
				*f.get(t) = bin
			}
		}
	}
	if d == UnionPay && c.n(2) == 0 {
		t.F60 = &Field60{}
		c.parts(t.F60.parts(), widths60)
	}
	if d == UnionPay && c.n(2) == 0 {
		t.F61 = &Field61{}
		c.parts(t.F61.parts(), widths61)
	}
	if d == UnionPay && c.n(2) == 0 {
		t.F63 = &Field63{Code: c.printable(3), Info: c.printable(c.n(121))}
	}
	return t
}

// parts fills a random number of leading sub-fields with full-width digits.
func (c *chooser) parts(p []*string, widths []int) {
	n := 1 + c.n(len(p))
	for i := range n {
		*p[i] = c.digits(widths[i])
	}
}

func (c *chooser) printable(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(0x21 + c.n(0x5E))
	}
	return string(b)
}
