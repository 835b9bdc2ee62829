package qr

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Sentinel errors of merchant-presented payloads. Parse, Validate and the
// builder return them inside an *Error that names the offending object;
// test them with errors.Is.
var (
	// ErrEncoding reports a payload that is not valid UTF-8.
	ErrEncoding = errors.New("qr: payload is not valid UTF-8")
	// ErrTruncated reports an object cut off inside its ID or length.
	ErrTruncated = errors.New("qr: truncated object")
	// ErrID reports an ID that is not two decimal digits.
	ErrID = errors.New("qr: ID is not two digits")
	// ErrLength reports a length that is not two decimal digits or is 00.
	ErrLength = errors.New("qr: length is not two digits from 01 to 99")
	// ErrOverrun reports a value whose length runs past the end of the
	// payload or of its template.
	ErrOverrun = errors.New("qr: value runs past the end")
	// ErrDuplicate reports an ID that appears twice at the same level.
	ErrDuplicate = errors.New("qr: duplicate ID")
	// ErrMissing reports a mandatory object that is absent.
	ErrMissing = errors.New("qr: mandatory object missing")
	// ErrOrder reports a payload format indicator (00) that is not the
	// first object or a CRC (63) that is not the last.
	ErrOrder = errors.New("qr: object out of place")
	// ErrCRC reports a CRC object that is not 4 upper-case hex digits or
	// does not match the payload.
	ErrCRC = errors.New("qr: CRC mismatch")
	// ErrValue reports a value that breaks the rules of its ID: the format
	// indicator, point of initiation, MCC, currency, amount, tip indicator,
	// country, name, city, postal code or a template field.
	ErrValue = errors.New("qr: invalid value")
)

// Error is a payload error that names where it is: ID is the top-level
// object's ID and SubID, when set, the sub-object inside that template.
// It never carries the object's value.
type Error struct {
	ID    string
	SubID string
	Err   error
}

// Error names the sentinel, the ID and the sub-ID.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	if e.ID != "" {
		b.WriteString(" (ID ")
		b.WriteString(e.ID)
		if e.SubID != "" {
			b.WriteString(", sub-ID ")
			b.WriteString(e.SubID)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

func errAt(err error, id, sub string) error { return &Error{ID: id, SubID: sub, Err: err} }

// Object is one data object: a two-digit ID and its value. For a template
// (IDs 26-51, 62, 64 and 80-99) Sub holds the template's sub-objects in
// order; Value is always the encoded value, and String writes Value.
type Object struct {
	ID    string
	Value string
	Sub   []Object
}

// Get returns the value of the template's sub-object with the given ID.
func (o Object) Get(subID string) (string, bool) {
	for _, s := range o.Sub {
		if s.ID == subID {
			return s.Value, true
		}
	}
	return "", false
}

// GUI returns the globally unique identifier of a merchant account or
// unreserved template (sub-ID 00): an AID, a reverse domain name or a UUID.
func (o Object) GUI() string {
	v, _ := o.Get("00")
	return v
}

// Payload is a merchant-presented QR payload: its data objects in the order
// they appear, without the CRC (ID 63), which String computes.
type Payload struct {
	Objects []Object
}

// isTemplate reports whether the top-level ID holds sub-objects.
func isTemplate(id string) bool {
	n := idNum(id)
	return n >= 26 && n <= 51 || n == 62 || n == 64 || n >= 80 && n <= 99
}

// idNum returns the value of a two-digit ID, or -1.
func idNum(id string) int {
	if len(id) != 2 || id[0] < '0' || id[0] > '9' || id[1] < '0' || id[1] > '9' {
		return -1
	}
	return int(id[0]-'0')*10 + int(id[1]-'0')
}

// next reads the object at s[i:] and returns its ID, value and the index
// after it. Lengths count characters.
func next(s string, i int) (id, value string, end int, err error) {
	if len(s)-i < 4 {
		if len(s)-i >= 2 && idNum(s[i:i+2]) >= 0 {
			id = s[i : i+2]
		}
		return id, "", 0, ErrTruncated
	}
	id = s[i : i+2]
	if idNum(id) < 0 {
		return "", "", 0, ErrID
	}
	n := idNum(s[i+2 : i+4])
	if n <= 0 {
		return id, "", 0, ErrLength
	}
	j := i + 4
	for k := 0; k < n; k++ {
		if j >= len(s) {
			return id, "", 0, ErrOverrun
		}
		if s[j] < utf8.RuneSelf {
			j++
		} else {
			_, w := utf8.DecodeRuneInString(s[j:])
			j += w
		}
	}
	return id, s[i+4 : j], j, nil
}

// scanTemplate checks the syntax of a template value and returns how many
// sub-objects it holds.
func scanTemplate(id, v string) (int, error) {
	var seen [100]bool
	n := 0
	for i := 0; i < len(v); {
		sub, _, end, err := next(v, i)
		if err != nil {
			return 0, errAt(err, id, sub)
		}
		k := idNum(sub)
		if seen[k] {
			return 0, errAt(ErrDuplicate, id, sub)
		}
		seen[k] = true
		n++
		i = end
	}
	return n, nil
}

// Parse reads a merchant-presented payload: objects of a two-digit ID, a
// two-digit length counting characters (not bytes) and the value; the
// payload format indicator 00 first with value "01"; the CRC 63 last, four
// upper-case hex digits of CRC-16/CCITT-FALSE over the UTF-8 bytes up to and
// including "6304". Templates are split into their sub-objects, and the
// payload is checked with Validate. The returned Payload's values are
// substrings of payload; String reproduces payload byte for byte.
//
// Errors: an *Error wrapping ErrEncoding, ErrTruncated, ErrID, ErrLength,
// ErrOverrun, ErrDuplicate, ErrMissing, ErrOrder, ErrCRC or ErrValue.
func Parse(payload string) (Payload, error) {
	if !utf8.ValidString(payload) {
		return Payload{}, errAt(ErrEncoding, "", "")
	}
	// Pass 1: syntax, duplicates, sizes.
	var seen [100]bool
	top, total := 0, 0
	crcAt := -1
	misplaced := false // a 63 before the end: reported after looking for a second 63
	for i := 0; i < len(payload); {
		id, v, end, err := next(payload, i)
		if err != nil {
			return Payload{}, errAt(err, id, "")
		}
		k := idNum(id)
		if seen[k] {
			return Payload{}, errAt(ErrDuplicate, id, "")
		}
		seen[k] = true
		switch {
		case k == 0 && i != 0:
			return Payload{}, errAt(ErrOrder, id, "")
		case k == 63:
			if end != len(payload) {
				misplaced = true
			}
			crcAt = i
		default:
			top++
			total++
			if isTemplate(id) {
				n, err := scanTemplate(id, v)
				if err != nil {
					return Payload{}, err
				}
				total += n
			}
		}
		i = end
	}
	if misplaced {
		return Payload{}, errAt(ErrOrder, "63", "")
	}
	if !seen[0] {
		return Payload{}, errAt(ErrMissing, "00", "")
	}
	if crcAt < 0 {
		return Payload{}, errAt(ErrMissing, "63", "")
	}
	if err := checkCRC(payload, crcAt); err != nil {
		return Payload{}, err
	}
	// Pass 2: fill one slice with the top-level objects, then every
	// template's sub-objects.
	objs := make([]Object, total)
	subAt := top
	t := 0
	for i := 0; i < crcAt; {
		id, v, end, _ := next(payload, i)
		o := &objs[t]
		t++
		o.ID, o.Value = id, v
		if isTemplate(id) {
			start := subAt
			for j := 0; j < len(v); {
				sid, sv, send, _ := next(v, j)
				objs[subAt] = Object{ID: sid, Value: sv}
				subAt++
				j = send
			}
			o.Sub = objs[start:subAt:subAt]
		}
		i = end
	}
	p := Payload{Objects: objs[:top:top]}
	if err := p.Validate(); err != nil {
		return Payload{}, err
	}
	return p, nil
}

// checkCRC checks the CRC object starting at payload[at:].
func checkCRC(payload string, at int) error {
	if payload[at+2:at+4] != "04" {
		return errAt(ErrCRC, "63", "")
	}
	got := payload[at+4:]
	want := crcHex(CRC(payload[:at+4]))
	if len(got) != 4 || got != string(want[:]) {
		return errAt(ErrCRC, "63", "")
	}
	return nil
}

// Get returns the value of the top-level object with the given ID.
func (p Payload) Get(id string) (string, bool) {
	o, ok := p.Lookup(id)
	return o.Value, ok
}

// Lookup returns the top-level object with the given ID.
func (p Payload) Lookup(id string) (Object, bool) {
	for _, o := range p.Objects {
		if o.ID == id {
			return o, true
		}
	}
	return Object{}, false
}

// encodedLen returns the number of bytes String writes before the CRC, or
// -1 if an object cannot be encoded.
func (p Payload) encodedLen() int {
	n := 0
	for _, o := range p.Objects {
		c := utf8.RuneCountInString(o.Value)
		if idNum(o.ID) < 0 || c < 1 || c > 99 {
			return -1
		}
		n += 4 + len(o.Value)
	}
	return n
}

// String encodes the payload: every object as ID, two-digit character
// length and value, in order, then "6304" and the CRC in upper-case hex. A
// payload from Parse comes back byte for byte. String returns "" if an
// object has an ID that is not two digits or a value of 0 or more than 99
// characters; Validate reports the details.
func (p Payload) String() string {
	n := p.encodedLen()
	if n < 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n + 8)
	crc := uint16(crcInit)
	var hdr [4]byte
	for _, o := range p.Objects {
		c := utf8.RuneCountInString(o.Value)
		hdr = [4]byte{o.ID[0], o.ID[1], byte('0' + c/10), byte('0' + c%10)}
		b.Write(hdr[:])
		b.WriteString(o.Value)
		crc = crcUpdateBytes(crc, hdr[:])
		crc = crcUpdate(crc, o.Value)
	}
	b.WriteString("6304")
	crc = crcUpdate(crc, "6304")
	h := crcHex(crc)
	b.Write(h[:])
	return b.String()
}

func crcUpdateBytes(crc uint16, s []byte) uint16 {
	for _, c := range s {
		crc = crc<<8 ^ crcTable[byte(crc>>8)^c]
	}
	return crc
}
