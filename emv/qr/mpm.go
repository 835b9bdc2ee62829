package qr

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Sentinel errors of merchant-presented payloads. Read, Parse, the
// validation methods and the builder return them inside an *Error that
// names the offending object; test them with errors.Is.
var (
	// ErrEncoding reports a payload that is not valid UTF-8.
	ErrEncoding = errors.New("qr: payload is not valid UTF-8")
	// ErrTruncated reports an object cut off inside its ID or length.
	ErrTruncated = errors.New("qr: truncated object")
	// ErrID reports an ID that is not two decimal digits.
	ErrID = errors.New("qr: ID is not two digits")
	// ErrWrongID reports a well-formed ID used where it does not belong:
	// a builder account whose ID is not a merchant account ID (02-51) or an
	// unreserved template whose ID is not 80-99.
	ErrWrongID = errors.New("qr: ID not allowed here")
	// ErrLength reports a length that is not two decimal digits from 01 to
	// 99, or one that counts bytes where the specification counts
	// characters.
	ErrLength = errors.New("qr: bad length")
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
	// ErrCRCFormat reports a CRC object that is not four upper-case hex
	// digits (a lower-case CRC, a length other than 04).
	ErrCRCFormat = errors.New("qr: CRC not four upper-case hex digits")
	// ErrCRC reports a CRC that does not match the payload.
	ErrCRC = errors.New("qr: CRC mismatch")
	// ErrValue reports a value that breaks the rules of its ID or of the
	// profile: the format indicator, point of initiation, MCC, currency,
	// amount, tip indicator, country, name, city, postal code or a template
	// field.
	ErrValue = errors.New("qr: invalid value")
)

// Error is a payload error that names where it is: ID is the top-level
// object's ID and SubID, when set, the sub-object inside that template.
// Rule names the clause or profile rule broken ("EMVCo MPM v1.1 Table
// 4.4", "PIX: ..."), Detail says what is wrong. Neither carries a
// merchant account value.
type Error struct {
	ID     string
	SubID  string
	Rule   string
	Detail string
	Err    error
}

// Error formats the error as "qr: what: ID 62, sub-ID 05: detail (rule)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	if e.ID != "" {
		b.WriteString(": ID ")
		b.WriteString(e.ID)
		if e.SubID != "" {
			b.WriteString(", sub-ID ")
			b.WriteString(e.SubID)
		}
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Rule != "" {
		b.WriteString(" (")
		b.WriteString(e.Rule)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

func errAt(err error, id, sub string) *Error { return &Error{ID: id, SubID: sub, Err: err} }

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

// byteCounted looks, in s up to and including the object at stop, for the
// object whose length counts bytes instead of characters: its length taken
// as bytes ends on a character boundary after a multi-byte character, and
// what follows reads as an object or ends s. It returns that object's ID
// and an explanation.
func byteCounted(s string, stop int) (id, detail string, ok bool) {
	for i := 0; i <= stop && i+4 <= len(s); {
		oid := s[i : i+2]
		n := idNum(s[i+2 : i+4])
		if idNum(oid) < 0 || n <= 0 {
			return "", "", false
		}
		if e := i + 4 + n; e <= len(s) && (e == len(s) || utf8.RuneStart(s[e])) {
			c := utf8.RuneCountInString(s[i+4 : e])
			if c < n && utf8.ValidString(s[i+4:e]) {
				if _, _, _, err := next(s, e); e == len(s) || err == nil {
					return oid, "length " + s[i+2:i+4] + " counts bytes; the value has " +
						twoDigits(c) + " characters and lengths count characters", true
				}
			}
		}
		_, _, end, err := next(s, i)
		if err != nil {
			return "", "", false
		}
		i = end
	}
	return "", "", false
}

// syntaxErr builds the *Error for a fault found by next at s[i:], blaming a
// byte-counted length before it when there is one.
func syntaxErr(err error, s string, i int, id, sub string, inTemplate bool) *Error {
	if bid, detail, ok := byteCounted(s, i); ok {
		if inTemplate {
			return &Error{ID: id, SubID: bid, Err: ErrLength, Detail: detail, Rule: ruleFormat}
		}
		return &Error{ID: bid, Err: ErrLength, Detail: detail, Rule: ruleFormat}
	}
	if inTemplate {
		return &Error{ID: id, SubID: sub, Err: err, Rule: ruleFormat}
	}
	return &Error{ID: id, Err: err, Rule: ruleFormat}
}

// scanTemplate checks the syntax of a template value and returns how many
// sub-objects it holds up to the first fault, and the fault.
func scanTemplate(id, v string) (int, *Error) {
	var seen [100]bool
	n := 0
	var first *Error
	for i := 0; i < len(v); {
		sub, _, end, err := next(v, i)
		if err != nil {
			return n, syntaxErr(err, v, i, id, sub, true)
		}
		k := idNum(sub)
		if seen[k] && first == nil {
			first = &Error{ID: id, SubID: sub, Err: ErrDuplicate, Rule: ruleFormat}
		}
		seen[k] = true
		n++
		i = end
	}
	return n, first
}

// scanResult is what the first pass of Read learns.
type scanResult struct {
	top, total int // top-level objects and objects in all
	stop       int // where the objects end (the CRC, or the first fault)
	crcAt      int // start of the final 63, or -1
	err        *Error
}

// scan is the first pass of Read: syntax, duplicates, sizes.
func scan(s string) scanResult {
	r := scanResult{crcAt: -1}
	var seen [100]bool
	keep := func(e *Error) {
		if r.err == nil {
			r.err = e
		}
	}
	i := 0
	for i < len(s) {
		id, v, end, err := next(s, i)
		if err != nil {
			keep(syntaxErr(err, s, i, id, "", false))
			break
		}
		k := idNum(id)
		if k == 63 {
			if end == len(s) {
				r.crcAt = i
			} else {
				keep(&Error{ID: id, Err: ErrOrder, Detail: "the CRC is not the last object", Rule: ruleOrder})
			}
			break
		}
		if seen[k] {
			keep(&Error{ID: id, Err: ErrDuplicate, Rule: ruleFormat})
		}
		seen[k] = true
		if k == 0 && i != 0 {
			keep(&Error{ID: id, Err: ErrOrder, Detail: "the payload format indicator is not the first object", Rule: ruleOrder})
		}
		r.top++
		r.total++
		if isTemplate(id) {
			n, terr := scanTemplate(id, v)
			r.total += n
			if terr != nil {
				keep(terr)
			}
		}
		i = end
	}
	r.stop = i
	return r
}

// Read is the syntactic reading of a merchant-presented payload: objects of
// a two-digit ID, a two-digit length counting characters (not bytes) and
// the value; templates split into their sub-objects; the payload format
// indicator 00 first and the CRC 63 last, four upper-case hex digits of
// CRC-16/CCITT-FALSE over the UTF-8 bytes up to and including "6304". It
// checks no value: [Payload.Validate] and [Payload.Check] do.
//
// Read always returns what it could read: on a fault the Payload holds
// every object before it (a template with a fault inside keeps the
// sub-objects before the fault; a CRC fault keeps all objects), and the
// error names the first fault. Values are substrings of payload; for a
// payload Read accepts, String reproduces payload byte for byte.
//
// Errors: an *Error wrapping ErrEncoding, ErrTruncated, ErrID, ErrLength,
// ErrOverrun, ErrDuplicate, ErrMissing, ErrOrder, ErrCRCFormat or ErrCRC.
func Read(payload string) (Payload, error) {
	r := scan(payload)
	p := fill(payload, r)
	switch {
	case !utf8.ValidString(payload):
		return p, &Error{ID: invalidAt(payload), Err: ErrEncoding}
	case r.err != nil:
		return p, r.err
	case len(p.Objects) == 0 || p.Objects[0].ID != "00":
		return p, &Error{ID: "00", Err: ErrMissing, Detail: "the payload does not start with 00", Rule: ruleOrder}
	case r.crcAt < 0:
		return p, &Error{ID: "63", Err: ErrMissing, Rule: ruleCRC}
	}
	if err := checkCRC(payload, r.crcAt); err != nil {
		return p, err
	}
	return p, nil
}

// invalidAt returns the ID of the top-level object holding the first byte
// that is not UTF-8.
func invalidAt(s string) string {
	for i := 0; i < len(s); {
		id, _, end, err := next(s, i)
		if err != nil || !utf8.ValidString(s[i:end]) {
			return id
		}
		i = end
	}
	return ""
}

// fill is the second pass of Read: one slice with the top-level objects,
// then every template's sub-objects.
func fill(s string, r scanResult) Payload {
	if r.top == 0 {
		return Payload{}
	}
	objs := make([]Object, r.total)
	subAt := r.top
	t := 0
	for i := 0; i < r.stop && t < r.top; {
		id, v, end, _ := next(s, i)
		o := &objs[t]
		t++
		o.ID, o.Value = id, v
		if isTemplate(id) {
			start := subAt
			for j := 0; j < len(v) && subAt < len(objs); {
				sid, sv, send, err := next(v, j)
				if err != nil {
					break
				}
				objs[subAt] = Object{ID: sid, Value: sv}
				subAt++
				j = send
			}
			o.Sub = objs[start:subAt:subAt]
		}
		i = end
	}
	return Payload{Objects: objs[:r.top:r.top]}
}

// Parse reads a merchant-presented payload with [Read] and checks it
// against the EMVCo specification with [Payload.Validate]. Like Read, it
// returns what it could read with the first error, so that a caller can
// show a payload that breaks a rule; [ParseProfile] checks against a
// national profile instead.
//
// Errors: those of Read and Validate.
func Parse(payload string) (Payload, error) {
	return ParseProfile(payload, EMVCo)
}

// ParseProfile reads a payload with [Read] and checks it against profile
// prof ([Payload.ValidateProfile]), returning what it could read with the
// first error.
func ParseProfile(payload string, prof Profile) (Payload, error) {
	p, err := Read(payload)
	if err != nil {
		return p, err
	}
	return p, p.ValidateProfile(prof)
}

// checkCRC checks the CRC object starting at payload[at:].
func checkCRC(payload string, at int) error {
	got := payload[at+4:]
	want := crcHex(CRC(payload[:at+4]))
	switch {
	case payload[at+2:at+4] != "04":
		return &Error{ID: "63", Err: ErrCRCFormat, Detail: "length " + payload[at+2:at+4] + ", want 04", Rule: ruleCRC}
	case got == string(want[:]):
		return nil
	case strings.ToUpper(got) == string(want[:]):
		return &Error{ID: "63", Err: ErrCRCFormat, Detail: "lower-case hex " + got + "; the CRC " + string(want[:]) +
			" matches but is written in upper case", Rule: ruleCRC}
	case !isUpperHex(got):
		return &Error{ID: "63", Err: ErrCRCFormat, Detail: "not hexadecimal", Rule: ruleCRC}
	}
	return &Error{ID: "63", Err: ErrCRC, Detail: "the payload gives " + string(want[:]) + ", the code says " + got, Rule: ruleCRC}
}

func isUpperHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.Contains(upperHex, s[i:i+1]) {
			return false
		}
	}
	return true
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
