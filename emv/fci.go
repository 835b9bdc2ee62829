package emv

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
)

// ErrFCI reports a SELECT response or directory record that is not a file
// control information template.
var ErrFCI = errors.New("emv: malformed FCI")

// PPSEName is the DF name of the contactless Proximity Payment System
// Environment, "2PAY.SYS.DDF01".
var PPSEName = []byte("2PAY.SYS.DDF01")

// PSEName is the DF name of the contact Payment System Environment,
// "1PAY.SYS.DDF01".
var PSEName = []byte("1PAY.SYS.DDF01")

// Candidate is an application offered by the card in a PPSE response (a 61
// entry of BF0C) or a PSE directory record (a 61 entry of 70).
type Candidate struct {
	AID           []byte // 4F, 5 to 16 bytes
	Label         string // 50, non-printable bytes replaced by '?'
	PreferredName string // 9F12, as the card sends it (issuer code table)
	// Priority is the low nibble of 87: 1 is the highest, 15 the lowest,
	// 0 means no priority given (sorted last).
	Priority int
	// ConfirmationRequired is b8 of 87: the cardholder must confirm.
	ConfirmationRequired bool
	KernelID             []byte // 9F2A, contactless kernel identifier
	ExtendedSelection    []byte // 9F29
}

// FCI is what a SELECT response (tag 6F) says: the DF name, the
// proprietary template A5 and, for a PPSE, the applications offered.
type FCI struct {
	DFName               []byte // 84
	Label                string // A5/50
	PreferredName        string // A5/9F12
	Priority             int    // A5/87 low nibble
	ConfirmationRequired bool   // A5/87 b8
	PDOL                 []byte // A5/9F38
	LanguagePreference   string // A5/5F2D
	CodeTableIndex       int    // A5/9F11, 0 when absent
	SFI                  int    // A5/88, the PSE directory's SFI, 0 when absent
	Candidates           []Candidate
	IssuerDiscretionary  []byte // A5/BF0C content
}

// ParseFCI reads a SELECT response body (without the status word) in
// lenient mode. For a PPSE it fills Candidates from BF0C, sorted by priority
// (SortCandidates). Entries without a well-formed AID (4F of 5 to 16 bytes)
// are left out. Byte slices alias data.
func ParseFCI(data []byte) (FCI, error) {
	var f FCI
	var parents [MaxDepth + 1]Tag
	seen := false
	s := NewScannerMode(data, Lenient)
	for s.Next() {
		d := s.Depth()
		parents[d] = s.Tag()
		if d == 0 {
			if s.Tag() != 0x6F {
				return FCI{}, fmt.Errorf("%w: tag %v at offset %d instead of 6F", ErrFCI, s.Tag(), s.Offset())
			}
			if seen {
				s.Skip()
				continue
			}
			seen = true
			continue
		}
		if s.Tag() == 0x61 {
			if c, ok := parseCandidate(s.Value()); ok {
				f.Candidates = append(f.Candidates, c)
			}
			s.Skip()
			continue
		}
		switch {
		case d == 1 && s.Tag() == 0x84:
			f.DFName = s.Value()
		case d == 2 && parents[1] == 0xA5:
			v := s.Value()
			switch s.Tag() {
			case 0x50:
				f.Label = printable(v)
			case 0x9F12:
				f.PreferredName = string(v)
			case 0x87:
				if len(v) == 1 {
					f.Priority, f.ConfirmationRequired = int(v[0]&0x0F), v[0]&0x80 != 0
				}
			case 0x9F38:
				f.PDOL = v
			case 0x5F2D:
				f.LanguagePreference = printable(v)
			case 0x9F11:
				if x, ok := nInt(v); ok && len(v) == 1 {
					f.CodeTableIndex = int(x)
				}
			case 0x88:
				if len(v) == 1 {
					f.SFI = int(v[0])
				}
			case 0xBF0C:
				f.IssuerDiscretionary = v
			}
		}
	}
	if err := s.Err(); err != nil {
		return FCI{}, fmt.Errorf("%w: %w", ErrFCI, err)
	}
	if !seen {
		return FCI{}, fmt.Errorf("%w: no 6F template", ErrFCI)
	}
	SortCandidates(f.Candidates)
	return f, nil
}

// ParseDirectoryRecord reads a PSE directory record (READ RECORD response,
// tag 70 holding 61 entries) into candidates sorted by priority. Entries
// without an AID (DDF entries, 9D) are left out.
func ParseDirectoryRecord(data []byte) ([]Candidate, error) {
	var out []Candidate
	seen := false
	s := NewScannerMode(data, Lenient)
	for s.Next() {
		if s.Depth() == 0 {
			if s.Tag() != 0x70 {
				return nil, fmt.Errorf("%w: tag %v at offset %d instead of 70", ErrFCI, s.Tag(), s.Offset())
			}
			seen = true
			continue
		}
		if s.Depth() == 1 && s.Tag() == 0x61 {
			if c, ok := parseCandidate(s.Value()); ok {
				out = append(out, c)
			}
		}
		s.Skip()
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFCI, err)
	}
	if !seen {
		return nil, fmt.Errorf("%w: no 70 template", ErrFCI)
	}
	SortCandidates(out)
	return out, nil
}

func parseCandidate(v []byte) (Candidate, bool) {
	var c Candidate
	s := NewScannerMode(v, Lenient)
	for s.Next() {
		val := s.Value()
		switch s.Tag() {
		case 0x4F:
			if c.AID == nil {
				c.AID = val
			}
		case 0x50:
			c.Label = printable(val)
		case 0x9F12:
			c.PreferredName = string(val)
		case 0x87:
			if len(val) == 1 {
				c.Priority, c.ConfirmationRequired = int(val[0]&0x0F), val[0]&0x80 != 0
			}
		case 0x9F2A:
			c.KernelID = val
		case 0x9F29:
			c.ExtendedSelection = val
		}
		s.Skip()
	}
	if s.Err() != nil || len(c.AID) < 5 || len(c.AID) > 16 {
		return Candidate{}, false
	}
	return c, true
}

func printable(v []byte) string {
	b := make([]byte, len(v))
	for i, c := range v {
		if c < 0x20 || c > 0x7E {
			c = '?'
		}
		b[i] = c
	}
	return string(b)
}

// SortCandidates orders candidates by priority: 1 first, 15 last, no
// priority (0) after all; equal priorities keep the card's order (EMV Book
// 1 section 12.4).
func SortCandidates(c []Candidate) {
	key := func(p int) int {
		if p == 0 {
			return 16
		}
		return p
	}
	sort.SliceStable(c, func(i, j int) bool { return key(c[i].Priority) < key(c[j].Priority) })
}

// TerminalAID is an application the terminal supports, with its
// Application Selection Indicator.
type TerminalAID struct {
	AID []byte
	// Partial allows partial name selection: a card AID that begins with
	// AID and is longer matches (EMV Book 1 section 12.3.1).
	Partial bool
}

// Matches reports whether the card's AID selects this terminal AID: equal,
// or longer and beginning with it when Partial is set.
func (t TerminalAID) Matches(cardAID []byte) bool {
	if len(t.AID) == 0 {
		return false
	}
	if len(cardAID) == len(t.AID) {
		return bytes.Equal(cardAID, t.AID)
	}
	return t.Partial && len(cardAID) > len(t.AID) && bytes.HasPrefix(cardAID, t.AID)
}

// MutuallySupported returns the candidates that some terminal AID matches,
// in the candidates' order (sort them first). It returns a new slice.
func MutuallySupported(candidates []Candidate, supported []TerminalAID) []Candidate {
	var out []Candidate
	for _, c := range candidates {
		for _, t := range supported {
			if t.Matches(c.AID) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}
