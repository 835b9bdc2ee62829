package emv

import (
	"errors"
	"fmt"
)

// ErrGPO reports a GET PROCESSING OPTIONS response that is neither format 1
// nor format 2, or an AFL that is malformed.
var ErrGPO = errors.New("emv: malformed GPO response")

// AFLEntry is one 4-byte entry of the Application File Locator (tag 94,
// EMV Book 3 section 10.2): records First to Last of file SFI, the first
// ODACount of which take part in offline data authentication.
type AFLEntry struct {
	SFI         int
	First, Last int
	ODACount    int
}

// ParseAFL reads an Application File Locator value.
func ParseAFL(v []byte) ([]AFLEntry, error) {
	if len(v)%4 != 0 {
		return nil, fmt.Errorf("%w: AFL of %d bytes is not a multiple of 4", ErrGPO, len(v))
	}
	out := make([]AFLEntry, 0, len(v)/4)
	for i := 0; i < len(v); i += 4 {
		e := AFLEntry{SFI: int(v[i] >> 3), First: int(v[i+1]), Last: int(v[i+2]), ODACount: int(v[i+3])}
		if v[i]&0x07 != 0 || e.SFI < 1 || e.SFI > 30 || e.First == 0 || e.Last < e.First || e.ODACount > e.Last-e.First+1 {
			return nil, fmt.Errorf("%w: AFL entry %d is invalid", ErrGPO, i/4+1)
		}
		out = append(out, e)
	}
	return out, nil
}

// GPOResponse is what a card answers to GET PROCESSING OPTIONS.
type GPOResponse struct {
	AIP AIP
	AFL []byte // tag 94 value; see ParseAFL
	// Data is the format 2 template's content (77), with whatever else the
	// card returned (for contactless kernels: 9F36, 9F26, 57 ...); nil for
	// format 1.
	Data []byte
}

// ParseGPO reads a GET PROCESSING OPTIONS response body (without the status
// word): format 1 (80: AIP then AFL) or format 2 (77 holding 82 and 94).
// Padding is accepted as in Lenient mode. Slices alias data.
func ParseGPO(data []byte) (GPOResponse, error) {
	s := NewScannerMode(data, Lenient)
	if !s.Next() {
		if err := s.Err(); err != nil {
			return GPOResponse{}, fmt.Errorf("%w: %w", ErrGPO, err)
		}
		return GPOResponse{}, fmt.Errorf("%w: empty", ErrGPO)
	}
	var r GPOResponse
	switch s.Tag() {
	case 0x80:
		v := s.Value()
		if len(v) < 2 || (len(v)-2)%4 != 0 {
			return GPOResponse{}, fmt.Errorf("%w: format 1 value of %d bytes", ErrGPO, len(v))
		}
		copy(r.AIP[:], v)
		r.AFL = v[2:]
	case 0x77:
		r.Data = s.Value()
		if err := ValidateMode(r.Data, Lenient); err != nil {
			return GPOResponse{}, fmt.Errorf("%w: %w", ErrGPO, err)
		}
		aip, ok, _ := FindMode(r.Data, 0x82, Lenient)
		if !ok || len(aip) != 2 {
			return GPOResponse{}, fmt.Errorf("%w: format 2 without a 2-byte AIP", ErrGPO)
		}
		copy(r.AIP[:], aip)
		r.AFL, _, _ = FindMode(r.Data, 0x94, Lenient)
	default:
		return GPOResponse{}, fmt.Errorf("%w: tag %v instead of 80 or 77", ErrGPO, s.Tag())
	}
	return r, nil
}
