package emv

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrMissingTag reports a data element that field 55 needs but the
	// source does not hold.
	ErrMissingTag = errors.New("emv: missing data element")
	// ErrUnknownTag reports a tag of field 55 that the dictionary does not
	// know.
	ErrUnknownTag = errors.New("emv: unknown tag")
	// ErrDuplicateTag reports a tag that appears twice in field 55.
	ErrDuplicateTag = errors.New("emv: duplicate tag")
)

// FindingType says what a [Finding] of ParseField55 is about.
type FindingType uint8

// Types of findings.
const (
	// FindingLength is an element whose length or format breaks its
	// definition (a 4-byte 9F1E, an amount that is not numeric); the
	// element is not decoded.
	FindingLength FindingType = iota + 1
	// FindingUnknown is a tag the dictionary does not know; Raw keeps it.
	FindingUnknown
	// FindingDuplicate is a tag seen before; the first wins.
	FindingDuplicate
)

// String returns "unexpected length", "unknown tag" or "duplicate".
func (k FindingType) String() string {
	switch k {
	case FindingLength:
		return "unexpected length"
	case FindingUnknown:
		return "unknown tag"
	case FindingDuplicate:
		return "duplicate"
	}
	return "finding"
}

// Finding is one remark of ParseField55 about an element it read: the tag,
// its offset in the field and what is wrong. Err wraps ErrFieldLength,
// ErrUnknownTag or ErrDuplicateTag and carries no value bytes.
type Finding struct {
	Tag    Tag
	Offset int
	Type   FindingType
	Err    error
}

// String returns the finding's error text.
func (f Finding) String() string { return f.Err.Error() }

// Field55Option changes how ParseField55 reads.
type Field55Option func(*field55Config)

type field55Config struct{ strict bool }

// Field55Strict makes ParseField55 return its first finding as the error.
// The Field55 it returns is filled as in the default, lenient reading.
func Field55Strict() Field55Option { return func(c *field55Config) { c.strict = true } }

// Field55Tags returns the standard online-authorisation set of ICC data
// for ISO 8583 field 55 (21 tags), in the order most acquirer
// specifications list it. The slice is a fresh copy.
func Field55Tags() []Tag {
	s := field55Set
	return s[:]
}

var field55Set = [...]Tag{
	0x9F26, // Application Cryptogram
	0x9F27, // Cryptogram Information Data
	0x9F10, // Issuer Application Data
	0x9F37, // Unpredictable Number
	0x9F36, // Application Transaction Counter
	0x95,   // Terminal Verification Results
	0x9A,   // Transaction Date
	0x9C,   // Transaction Type
	0x9F02, // Amount, Authorised
	0x5F2A, // Transaction Currency Code
	0x82,   // Application Interchange Profile
	0x9F1A, // Terminal Country Code
	0x9F03, // Amount, Other
	0x9F33, // Terminal Capabilities
	0x9F34, // CVM Results
	0x9F35, // Terminal Type
	0x9F1E, // IFD Serial Number
	0x84,   // Dedicated File Name
	0x9F09, // Application Version Number (terminal)
	0x9F41, // Transaction Sequence Counter
	0x5F34, // PAN Sequence Number
}

// Field55Builder builds the ICC data of ISO 8583 field 55 from a value
// source, copying each value unchanged.
type Field55Builder struct {
	// Tags is the order of the data elements; nil means Field55Tags().
	Tags []Tag
	// SkipMissing leaves out elements the source lacks instead of failing.
	SkipMissing bool
}

// Append appends the TLV objects for b.Tags, taken from src, to dst. It
// allocates only to grow dst (and whatever src does).
func (b Field55Builder) Append(dst []byte, src ValueSource) ([]byte, error) {
	tags := b.Tags
	if tags == nil {
		tags = field55Set[:]
	}
	for _, t := range tags {
		if !t.Valid() {
			return dst, fmt.Errorf("%w: %v", ErrInvalidTag, t)
		}
		v, ok := src.Value(t)
		if !ok {
			if b.SkipMissing {
				continue
			}
			return dst, fmt.Errorf("%w: tag %v", ErrMissingTag, t)
		}
		dst = AppendTLV(dst, t, v)
	}
	return dst, nil
}

// Field55 is field 55 decoded into typed values: the standard
// online-authorisation set. Absent elements keep their zero value; Has tells
// which were present. Byte slices alias the input.
type Field55 struct {
	AC                         []byte // 9F26
	CID                        CID    // 9F27
	IAD                        []byte // 9F10 Issuer Application Data
	UnpredictableNumber        []byte // 9F37
	ATC                        uint16 // 9F36
	TVR                        TVR    // 95
	TransactionDate            string // 9A as YYMMDD
	TransactionType            int    // 9C
	AmountAuthorised           int64  // 9F02, minor units
	CurrencyCode               int    // 5F2A, ISO 4217 numeric
	AIP                        AIP    // 82
	TerminalCountryCode        int    // 9F1A, ISO 3166 numeric
	AmountOther                int64  // 9F03, minor units
	TerminalCapabilities       TerminalCapabilities
	CVMResults                 CVMResults   // 9F34
	TerminalType               TerminalType // 9F35
	IFDSerialNumber            string       // 9F1E
	DFName                     []byte       // 84
	TerminalAppVersion         []byte       // 9F09
	TransactionSequenceCounter int64        // 9F41
	PANSequenceNumber          int          // 5F34
	// Raw is the whole input, for elements outside the standard set.
	Raw []byte
	// Findings lists what ParseField55 found wrong with the elements it
	// read, in field order.
	Findings []Finding
	present  [len(field55Set)]bool
}

// Has reports whether tag t (of the standard set) was present.
func (f *Field55) Has(t Tag) bool {
	for i, s := range field55Set {
		if s == t {
			return f.present[i]
		}
	}
	return false
}

// ParseField55 decodes a field 55 value (strict TLV) into typed values
// and keeps every element it can: an element of the standard set whose
// length or format is wrong is left out and listed in Findings, as are
// tags the dictionary does not know, known tags of an impossible length
// and repeated tags (the first wins). Elements outside the standard set
// stay in Raw.
//
// The error is nil unless the TLV itself is malformed (then the Field55
// holds the elements before the fault, and the error wraps the scanner's
// sentinel) or, with [Field55Strict], a finding is made (the first, which
// wraps ErrFieldLength, ErrUnknownTag or ErrDuplicateTag).
func ParseField55(data []byte, opts ...Field55Option) (Field55, error) {
	var cfg field55Config
	for _, o := range opts {
		o(&cfg)
	}
	f := Field55{Raw: data}
	var seen []Tag
	s := NewScanner(data)
	for s.Next() {
		t, v := s.Tag(), s.Value()
		if containsTag(seen, t) {
			f.find(t, s.Offset(), FindingDuplicate, ErrDuplicateTag, "")
			continue
		}
		seen = append(seen, t)
		idx := field55Index(t)
		if idx < 0 {
			f.checkOther(t, s.Offset(), v)
			continue
		}
		if err := f.set(t, v); err != nil {
			detail := strings.TrimPrefix(err.Error(), ErrFieldLength.Error()+": ")
			f.find(t, s.Offset(), FindingLength, ErrFieldLength, detail)
			continue
		}
		f.present[idx] = true
	}
	if err := s.Err(); err != nil {
		return f, err
	}
	if cfg.strict && len(f.Findings) > 0 {
		return f, f.Findings[0].Err
	}
	return f, nil
}

func containsTag(list []Tag, t Tag) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

func field55Index(t Tag) int {
	for i, s := range field55Set {
		if s == t {
			return i
		}
	}
	return -1
}

// find records a finding as "emv: what: tag T at offset N[: detail]".
func (f *Field55) find(t Tag, off int, k FindingType, sentinel error, detail string) {
	err := fmt.Errorf("%w: tag %v at offset %d", sentinel, t, off)
	if detail != "" {
		err = fmt.Errorf("%w: tag %v at offset %d: %s", sentinel, t, off, detail)
	}
	f.Findings = append(f.Findings, Finding{Tag: t, Offset: off, Type: k, Err: err})
}

// checkOther checks an element outside the standard set against the
// dictionary.
func (f *Field55) checkOther(t Tag, off int, v []byte) {
	info, ok := Lookup(t)
	switch {
	case !ok:
		f.find(t, off, FindingUnknown, ErrUnknownTag, "")
	case len(v) < info.MinLen || info.MaxLen > 0 && len(v) > info.MaxLen:
		f.find(t, off, FindingLength, ErrFieldLength, fmt.Sprintf("%d bytes, want %d to %d", len(v), info.MinLen, info.MaxLen))
	}
}

// set decodes one element of the standard set into f.
func (f *Field55) set(t Tag, v []byte) error {
	fixed := func(n int) error { return fixedLen(v, n) }
	num := func(n int) (int64, error) { return numLen(v, n) }
	var err error
	var x int64
	switch t {
	case 0x9F26:
		err = fixed(8)
		f.AC = v
	case 0x9F27:
		if err = fixed(1); err == nil {
			f.CID = CID(v[0])
		}
	case 0x9F10:
		if len(v) > 32 {
			err = fmt.Errorf("%w: %d bytes, at most 32", ErrFieldLength, len(v))
		}
		f.IAD = v
	case 0x9F37:
		err = fixed(4)
		f.UnpredictableNumber = v
	case 0x9F36:
		if err = fixed(2); err == nil {
			f.ATC = binary.BigEndian.Uint16(v)
		}
	case 0x95:
		f.TVR, err = ParseTVR(v)
	case 0x9A:
		if err = fixed(3); err == nil {
			d, ok := nDigits(v)
			if !ok {
				return fmt.Errorf("%w: not numeric", ErrFieldLength)
			}
			f.TransactionDate = d
		}
	case 0x9C:
		x, err = num(1)
		f.TransactionType = int(x)
	case 0x9F02:
		f.AmountAuthorised, err = num(6)
	case 0x5F2A:
		x, err = num(2)
		f.CurrencyCode = int(x)
	default:
		return f.setTerminal(t, v)
	}
	return err
}

// fixedLen reports a value that is not n bytes long.
func fixedLen(v []byte, n int) error {
	if len(v) != n {
		return fmt.Errorf("%w: %d bytes, want %d", ErrFieldLength, len(v), n)
	}
	return nil
}

// numLen decodes an n-format value of n bytes.
func numLen(v []byte, n int) (int64, error) {
	if err := fixedLen(v, n); err != nil {
		return 0, err
	}
	x, ok := nInt(v)
	if !ok {
		return 0, fmt.Errorf("%w: not numeric", ErrFieldLength)
	}
	return x, nil
}

// setTerminal decodes the elements of the standard set from 82 on.
func (f *Field55) setTerminal(t Tag, v []byte) error {
	fixed := func(n int) error { return fixedLen(v, n) }
	num := func(n int) (int64, error) { return numLen(v, n) }
	var err error
	var x int64
	switch t {
	case 0x82:
		f.AIP, err = ParseAIP(v)
	case 0x9F1A:
		x, err = num(2)
		f.TerminalCountryCode = int(x)
	case 0x9F03:
		f.AmountOther, err = num(6)
	case 0x9F33:
		f.TerminalCapabilities, err = ParseTerminalCapabilities(v)
	case 0x9F34:
		f.CVMResults, err = ParseCVMResults(v)
	case 0x9F35:
		x, err = num(1)
		f.TerminalType = TerminalType(x/10<<4 | x%10)
	case 0x9F1E:
		err = fixed(8)
		f.IFDSerialNumber = printable(v)
	case 0x84:
		if len(v) < 5 || len(v) > 16 {
			err = fmt.Errorf("%w: %d bytes, want 5 to 16", ErrFieldLength, len(v))
		}
		f.DFName = v
	case 0x9F09:
		err = fixed(2)
		f.TerminalAppVersion = v
	case 0x9F41:
		if len(v) < 2 || len(v) > 4 {
			return fmt.Errorf("%w: %d bytes, want 2 to 4", ErrFieldLength, len(v))
		}
		var ok bool
		if f.TransactionSequenceCounter, ok = nInt(v); !ok {
			err = fmt.Errorf("%w: not numeric", ErrFieldLength)
		}
	case 0x5F34:
		x, err = num(1)
		f.PANSequenceNumber = int(x)
	}
	return err
}
