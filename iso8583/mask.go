package iso8583

import (
	"fmt"
	"io"
	"strings"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/internal/digits"
)

// Dump writes a description of m for logs, built on moov's Describe, with
// the filters of MaskFilters: nothing it writes can reveal a full PAN,
// track data, a PIN block, sensitive ICC data or keys.
func Dump(m *moov.Message, w io.Writer) error {
	return moov.Describe(m, w, MaskFilters()...)
}

// MaskFilters returns moov Describe filters that hide:
//   - PANs (fields 2, 20, 34) beyond the first 6 and last 4 digits;
//   - the expiry date (14), shown as "****";
//   - track 1, 2 and 3 data (45, 35, 36): only the masked PAN is kept;
//   - the PIN block (52) and security control (53) entirely;
//   - in field 55, the value of every tag emv.IsSensitive names (PAN 5A
//     masked 6+4, track and personal data and secrets hidden), or all of
//     it when it is not well-formed BER-TLV;
//   - the sign-on keys of field 62, and fields 96 (message security code).
//
// Use them with moov.Describe(m, w, iso8583.MaskFilters()...).
func MaskFilters() []moov.FieldFilter {
	return []moov.FieldFilter{
		moov.FilterField("2", maskPANFilter),
		moov.FilterField("20", maskPANFilter),
		moov.FilterField("34", maskPANFilter),
		moov.FilterField("14", hideFilter),
		moov.FilterField("35", maskTrackFilter),
		moov.FilterField("36", maskTrackFilter),
		moov.FilterField("45", maskTrack1Filter),
		moov.FilterField("52", hideFilter),
		moov.FilterField("53", hideFilter),
		moov.FilterField("55", maskICCFilter),
		moov.FilterField("62", hideFilter),
		moov.FilterField("96", hideFilter),
	}
}

func maskPANFilter(in string, _ field.Field) string { return digits.MaskPAN(in) }

func hideFilter(in string, _ field.Field) string {
	return fmt.Sprintf("[%d characters hidden]", len(in))
}

// maskTrackFilter keeps the masked PAN of track 2 or 3 and hides the rest.
func maskTrackFilter(in string, _ field.Field) string {
	pan := panOfTrack(in)
	if pan == "" {
		return fmt.Sprintf("[track, %d characters hidden]", len(in))
	}
	return digits.MaskPAN(pan) + fmt.Sprintf("=[%d characters hidden]", len(in)-len(pan)-1)
}

// maskTrack1Filter keeps the masked PAN of track 1 (%B PAN ^ NAME ^ ...).
func maskTrack1Filter(in string, _ field.Field) string {
	s := strings.TrimPrefix(strings.TrimPrefix(in, "%"), "B")
	if i := strings.IndexByte(s, '^'); i > 0 {
		return digits.MaskPAN(s[:i]) + fmt.Sprintf("^[%d characters hidden]", len(s)-i-1)
	}
	return fmt.Sprintf("[track 1, %d characters hidden]", len(in))
}

func maskICCFilter(in string, f field.Field) string {
	b, err := f.Bytes()
	if err != nil {
		return fmt.Sprintf("[%d characters hidden]", len(in))
	}
	return MaskICC(b)
}

// MaskICC describes BER-TLV ICC data (field 55) with the values of
// sensitive tags masked: "9F26=95BBE372271DDA7C 5A=622424******0113
// 57=[19 bytes hidden]". Data that is not well-formed BER-TLV is hidden
// whole.
func MaskICC(data []byte) string {
	var sb strings.Builder
	s := emv.NewScannerMode(data, emv.Lenient)
	for s.Next() {
		if s.Constructed() && !s.Opaque() {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		tag := s.Tag()
		fmt.Fprintf(&sb, "%X=", uint32(tag))
		v := s.Value()
		switch {
		case emv.SensitivityOf(tag) == emv.PAN:
			sb.WriteString(digits.MaskPAN(strings.TrimRight(fmt.Sprintf("%X", v), "F")))
		case emv.IsSensitive(tag) || s.Opaque():
			fmt.Fprintf(&sb, "[%d bytes hidden]", len(v))
		default:
			fmt.Fprintf(&sb, "%X", v)
		}
	}
	if s.Err() != nil {
		return fmt.Sprintf("[ICC data, %d bytes hidden: not BER-TLV]", len(data))
	}
	return sb.String()
}
