package iso8583

import (
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/internal/digits"
)

// Dump writes a description of m for logs, built on moov's Describe, with
// the filters of MaskFilters: nothing it writes can reveal a full PAN,
// track data, an expiry date, a PIN block, sensitive ICC data or keys.
func Dump(m *moov.Message, w io.Writer) error {
	return moov.Describe(m, w, MaskFilters()...)
}

// maskedIDs are the field numbers MaskFilters covers: every field of
// either spec and of ISO 8583's secondary and tertiary bitmaps.
const maskedIDs = 192

// MaskFilters returns moov Describe filters, one per field number from 2
// to 192, each applying MaskField. Use them with
// moov.Describe(m, w, iso8583.MaskFilters()...).
func MaskFilters() []moov.FieldFilter {
	out := make([]moov.FieldFilter, 0, maskedIDs-1)
	for id := 2; id <= maskedIDs; id++ {
		out = append(out, moov.FilterField(strconv.Itoa(id), maskFilter(id)))
	}
	return out
}

func maskFilter(id int) moov.FilterFunc {
	return func(in string, f field.Field) string { return MaskField(id, in, f) }
}

// MaskField returns value, the text of field id, as a log may show it. The
// fields that carry card data are masked by their structure:
//   - PANs (2, 34, 102, 103) keep at most their first 6 and last 4 digits;
//   - track data (35, 36, 45) keeps only its masked PAN;
//   - field 48 of a UnionPay magnetic-stripe batch upload shows each
//     record with its PAN masked, and a field 48 of 12 to 19 digits alone
//     (the payee card of a UnionPay transfer) is masked as a PAN;
//   - in ICC data (55; f must then be its field, for the bytes) every tag
//     emv.SensitivityOf names is masked: 5A as a PAN, 57 and 9F6B as track
//     2, the others hidden;
//   - PIN data and keys (52, 53, 62, 96) are hidden.
//
// Expiry dates are hidden wherever they appear (14, 5F24 in 55, inside
// track data). The MTI, bitmaps (1, 65) and MACs (64, 128) are shown as
// they are; every other field goes through MaskText, which masks any run of
// digits that passes the Luhn check.
func MaskField(id int, value string, f field.Field) string {
	switch id {
	case 0, 1, 64, 65, 128:
		return value
	case 2, 34, 102, 103:
		return MaskText(digits.MaskPAN(value))
	case 14:
		return hidden(value)
	case 35, 36:
		return maskTrack(value)
	case 45:
		return maskTrack1(value)
	case 48:
		if recs, err := ParseBatchRecords(value); err == nil {
			return maskRecords(recs)
		}
		if len(value) >= 12 && len(value) <= 19 && digits.Valid(value) {
			return digits.MaskPAN(value) // a UnionPay transfer's payee card
		}
	case 52, 53, 62, 96:
		return hidden(value)
	case 55:
		if f == nil {
			return hidden(value)
		}
		b, err := f.Bytes()
		if err != nil {
			return hidden(value)
		}
		return MaskICC(b)
	}
	return MaskText(value)
}

func hidden(in string) string { return fmt.Sprintf("[%d characters hidden]", len(in)) }

// maskTrack keeps the masked PAN of track 2 or 3 and hides the rest.
func maskTrack(in string) string {
	pan := panOfTrack(in)
	if pan == "" {
		return fmt.Sprintf("[track, %d characters hidden]", len(in))
	}
	return digits.MaskPAN(pan) + fmt.Sprintf("=[%d characters hidden]", len(in)-len(pan)-1)
}

// maskTrack1 keeps the masked PAN of track 1 (%B PAN ^ NAME ^ ...).
func maskTrack1(in string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(in, "%"), "B")
	if i := strings.IndexByte(s, '^'); i > 0 {
		return digits.MaskPAN(s[:i]) + fmt.Sprintf("^[%d characters hidden]", len(s)-i-1)
	}
	return fmt.Sprintf("[track 1, %d characters hidden]", len(in))
}

func maskRecords(recs []BatchRecord) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d records:", len(recs))
	for _, r := range recs {
		org := "00"
		if r.Foreign {
			org = "01"
		}
		fmt.Fprintf(&sb, " [%s %s %s %d]", org, r.STAN, digits.MaskPAN(r.PAN), r.Amount)
	}
	return sb.String()
}

// MaskICC describes BER-TLV ICC data (field 55) with the values of
// sensitive tags masked: "9F26=95BBE372271DDA7C 5A=622424******0113
// 57=622424******0113=[17 characters hidden] 5F24=[hidden]". Data that is
// not well-formed BER-TLV is hidden whole.
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
		case s.Opaque():
			fmt.Fprintf(&sb, "[%d bytes hidden]", len(v))
		case tag == 0x5F24: // application expiration date
			sb.WriteString("[hidden]")
		case emv.SensitivityOf(tag) == emv.PAN:
			sb.WriteString(digits.MaskPAN(strings.TrimRight(strings.ToUpper(hex.EncodeToString(v)), "F")))
		case tag == 0x57 || tag == 0x9F6B: // track 2 equivalent data
			sb.WriteString(maskTrack(strings.TrimRight(strings.ToUpper(hex.EncodeToString(v)), "F")))
		case emv.IsSensitive(tag):
			fmt.Fprintf(&sb, "[%d bytes hidden]", len(v))
		default:
			sb.WriteString(MaskText(strings.ToUpper(hex.EncodeToString(v))))
		}
	}
	if s.Err() != nil {
		return fmt.Sprintf("[ICC data, %d bytes hidden: not BER-TLV]", len(data))
	}
	return sb.String()
}

// MaskText returns s with every possible PAN masked: in each run of 13 or
// more digits, every stretch of 13 to 19 digits that starts with a digit
// other than 0 and passes the Luhn check keeps its first 6 and last 4
// digits and has the others replaced by '*'. A PAN cannot hide in s, in a
// longer run of digits or beside other text; digits that only look like a
// PAN are masked too. s is returned as is when nothing is masked.
func MaskText(s string) string {
	var out []byte
	for i := 0; i < len(s); {
		if s[i]-'0' > 9 {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j]-'0' <= 9 {
			j++
		}
		if j-i >= 13 {
			out = maskRun(out, s, i, j)
		}
		i = j
	}
	if out == nil {
		return s
	}
	return string(out)
}

// maskRun masks the Luhn-valid stretches of the digit run s[lo:hi] in out
// (a copy of s made on the first mask).
func maskRun(out []byte, s string, lo, hi int) []byte {
	for start := lo; start+13 <= hi; start++ {
		if s[start] == '0' {
			continue
		}
		for n := 13; n <= 19 && start+n <= hi; n++ {
			if !luhn(s[start : start+n]) {
				continue
			}
			if out == nil {
				out = []byte(s)
			}
			for k := start + 6; k < start+n-4; k++ {
				out[k] = '*'
			}
		}
	}
	return out
}

// luhn reports whether the digits of s pass the Luhn (mod 10) check of
// ISO/IEC 7812-1 annex B.
func luhn(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
