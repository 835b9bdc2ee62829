package qr

import (
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/poskit/poskit/emv"
)

// Errors of consumer-presented payloads; DecodeCPM and CPM.Encode return
// them wrapped in a *CPMError naming the tag.
var (
	// ErrCPMBase64 reports text that is not standard base64.
	ErrCPMBase64 = errors.New("qr: consumer-presented payload is not base64")
	// ErrCPMTLV reports content that is not well-formed BER-TLV (the
	// wrapped error is the emv package's).
	ErrCPMTLV = errors.New("qr: consumer-presented payload is not BER-TLV")
	// ErrCPMFormat reports a payload that does not start with the payload
	// format indicator 85 "CPV01".
	ErrCPMFormat = errors.New("qr: consumer-presented payload format indicator is not 85 \"CPV01\"")
	// ErrCPMStructure reports a tag where the specification allows none:
	// at the top level anything but 85, 61 and one 62; a second 85; a
	// transparent template other than 63 in 61 or 64 in 62; a template
	// nested deeper.
	ErrCPMStructure = errors.New("qr: unexpected tag in consumer-presented payload")
	// ErrCPMMissing reports a payload without an application template (61)
	// or an application template without its ADF name (4F).
	ErrCPMMissing = errors.New("qr: mandatory consumer-presented data object missing")
)

// CPMError is a consumer-presented payload error naming the tag involved
// (0 when none). It never carries data values.
type CPMError struct {
	Tag emv.Tag
	Err error
}

// Error names the sentinel and the tag.
func (e *CPMError) Error() string {
	if e.Tag == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("%v: tag %v", e.Err, e.Tag)
}

// Unwrap returns the wrapped errors: the sentinel and, for ErrCPMTLV, the
// emv package's error.
func (e *CPMError) Unwrap() error { return e.Err }

func cpmErr(err error, t emv.Tag) error { return &CPMError{Tag: t, Err: err} }

// CPMFormatIndicator is the value of tag 85 in version 1 payloads.
const CPMFormatIndicator = "CPV01"

// CPMElement is one data object of a consumer-presented template.
type CPMElement struct {
	Tag   emv.Tag
	Value []byte
}

// CPMTemplate is an application template (61) or the common data template
// (62): its primitive data objects (4F ADF name, 50 label, 57 track 2
// equivalent data, 5A PAN, 5F20 cardholder name, 5F2D language, 9F08, 9F19,
// 9F24, 9F25, 9F26 ... ) in order, and the content of its transparent
// template (63 in 61, 64 in 62) as raw BER-TLV, nil when absent.
type CPMTemplate struct {
	Elements    []CPMElement
	Transparent []byte
}

// Get returns the value of the template's first element with tag t.
func (t CPMTemplate) Get(tag emv.Tag) ([]byte, bool) {
	for _, e := range t.Elements {
		if e.Tag == tag {
			return e.Value, true
		}
	}
	return nil, false
}

// CPM is a consumer-presented mode payload (EMVCo QR Code Specification for
// Payment Systems, Consumer-Presented Mode): one or more application
// templates and optional common data. It may hold a PAN and track 2
// equivalent data; do not log it.
type CPM struct {
	Applications []CPMTemplate // tags 61, in order
	Common       *CPMTemplate  // tag 62, nil when absent
}

// DecodeCPM decodes a consumer-presented payload: base64 (standard
// alphabet, with or without padding) of BER-TLV made of the payload format
// indicator 85 "CPV01", one or more application templates 61 and an optional
// common data template 62. It reads the TLV with the emv package's
// scanner; element values are slices of one decoded buffer.
//
// Errors: a *CPMError wrapping ErrCPMBase64, ErrCPMTLV, ErrCPMFormat,
// ErrCPMStructure or ErrCPMMissing.
func DecodeCPM(payload string) (CPM, error) {
	enc := base64.StdEncoding
	if len(payload)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	data, err := enc.DecodeString(payload)
	if err != nil {
		return CPM{}, cpmErr(ErrCPMBase64, 0)
	}
	return ParseCPM(data)
}

// ParseCPM reads the BER-TLV of a consumer-presented payload already
// decoded from base64 (see DecodeCPM). Element values alias data.
func ParseCPM(data []byte) (CPM, error) {
	var c CPM
	s := emv.NewScanner(data)
	var cur *CPMTemplate // the template at depth 0 being read
	var curTag emv.Tag
	first := true
	for s.Next() {
		t := s.Tag()
		switch s.Depth() {
		case 0:
			if cur != nil && curTag == 0x61 {
				if _, ok := cur.Get(0x4F); !ok {
					return CPM{}, cpmErr(ErrCPMMissing, 0x4F)
				}
			}
			cur, curTag = nil, 0
			if first {
				if t != 0x85 || string(s.Value()) != CPMFormatIndicator {
					return CPM{}, cpmErr(ErrCPMFormat, t)
				}
				first = false
				continue
			}
			switch t {
			case 0x61:
				// cur only ever points at the last template, so a later
				// append that moves the slice leaves no stale writes.
				c.Applications = append(c.Applications, CPMTemplate{})
				cur = &c.Applications[len(c.Applications)-1]
			case 0x62:
				if c.Common != nil {
					return CPM{}, cpmErr(ErrCPMStructure, t)
				}
				c.Common = &CPMTemplate{}
				cur = c.Common
			default:
				return CPM{}, cpmErr(ErrCPMStructure, t)
			}
			curTag = t
		case 1:
			switch {
			case curTag == 0x61 && t == 0x63, curTag == 0x62 && t == 0x64:
				if cur.Transparent != nil {
					return CPM{}, cpmErr(ErrCPMStructure, t)
				}
				cur.Transparent = s.Value()
			case s.Constructed():
				return CPM{}, cpmErr(ErrCPMStructure, t)
			default:
				cur.Elements = append(cur.Elements, CPMElement{Tag: t, Value: s.Value()})
			}
		default:
			// Content of a transparent template: kept raw, checked by
			// the scanner for well-formedness.
		}
	}
	if err := s.Err(); err != nil {
		var te *emv.Error
		var tag emv.Tag
		if errors.As(err, &te) {
			tag = te.Tag
		}
		return CPM{}, &CPMError{Tag: tag, Err: fmt.Errorf("%w: %w", ErrCPMTLV, err)}
	}
	if first {
		return CPM{}, cpmErr(ErrCPMFormat, 0)
	}
	if len(c.Applications) == 0 {
		return CPM{}, cpmErr(ErrCPMMissing, 0x61)
	}
	if cur != nil && curTag == 0x61 {
		if _, ok := cur.Get(0x4F); !ok {
			return CPM{}, cpmErr(ErrCPMMissing, 0x4F)
		}
	}
	return c, nil
}

// AppendBinary appends the BER-TLV of the payload (before base64) to dst.
//
// Errors: a *CPMError wrapping ErrCPMMissing (no application, or one
// without 4F) or ErrCPMStructure (an element tag that is constructed or
// not a valid tag).
func (c CPM) AppendBinary(dst []byte) ([]byte, error) {
	if len(c.Applications) == 0 {
		return dst, cpmErr(ErrCPMMissing, 0x61)
	}
	dst = emv.AppendTLV(dst, 0x85, []byte(CPMFormatIndicator))
	var err error
	for _, a := range c.Applications {
		if _, ok := a.Get(0x4F); !ok {
			return dst, cpmErr(ErrCPMMissing, 0x4F)
		}
		if dst, err = a.appendTemplate(dst, 0x61, 0x63); err != nil {
			return dst, err
		}
	}
	if c.Common != nil {
		if dst, err = c.Common.appendTemplate(dst, 0x62, 0x64); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func (t CPMTemplate) appendTemplate(dst []byte, tag, transparent emv.Tag) ([]byte, error) {
	var body []byte
	for _, e := range t.Elements {
		if !e.Tag.Valid() || e.Tag.Constructed() {
			return dst, cpmErr(ErrCPMStructure, e.Tag)
		}
		body = emv.AppendTLV(body, e.Tag, e.Value)
	}
	if t.Transparent != nil {
		if err := emv.Validate(t.Transparent); err != nil {
			return dst, &CPMError{Tag: transparent, Err: fmt.Errorf("%w: %w", ErrCPMTLV, err)}
		}
		body = emv.AppendTLV(body, transparent, t.Transparent)
	}
	return emv.AppendTLV(dst, tag, body), nil
}

// Encode returns the payload as base64 (standard alphabet, padded), the
// text a wallet renders as a QR code.
//
// Errors: as AppendBinary.
func (c CPM) Encode() (string, error) {
	b, err := c.AppendBinary(nil)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}
