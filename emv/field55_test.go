package emv

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseField55(t *testing.T) {
	f, err := ParseField55(sampleField55)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.AC, mustHex("1234567890ABCDEF")) || f.CID.Type() != ACTypeARQC || len(f.IAD) != 32 ||
		!bytes.Equal(f.UnpredictableNumber, mustHex("A1B2C3D4")) || f.ATC != 0x1C || !f.TVR.Has(TVRFloorLimitExceeded) ||
		f.TransactionDate != "251121" || f.TransactionType != 0 || f.AmountAuthorised != 1000 || f.CurrencyCode != 978 ||
		!f.AIP.Has(AIPCDA) || f.TerminalCountryCode != 250 || f.AmountOther != 0 || !f.TerminalCapabilities.Has(TermCapCDA) ||
		f.CVMResults.Method() != CVMEncipheredPINOnline || f.TerminalType != 0x22 || f.IFDSerialNumber != "12345678" ||
		!bytes.Equal(f.DFName, mustHex("A0000000031010")) || !bytes.Equal(f.TerminalAppVersion, mustHex("0096")) ||
		f.TransactionSequenceCounter != 123 || f.PANSequenceNumber != 1 {
		t.Errorf("%+v", f)
	}
	for _, tag := range Field55Tags() {
		if !f.Has(tag) {
			t.Errorf("Has(%v) false", tag)
		}
	}
	if f.Has(0x9F6E) || !bytes.Equal(f.Raw, sampleField55) {
		t.Error("Has outside the set / Raw")
	}
	if v, ok, _ := Find(f.Raw, 0x9F6E); !ok || len(v) != 4 {
		t.Error("9F6E through Raw")
	}
	part, err := ParseField55(mustHex("9F3602001C" + "9F360200FF"))
	if err != nil || part.ATC != 0x1C || part.Has(0x9F26) || !part.Has(0x9F36) {
		t.Errorf("partial: %+v %v", part, err)
	}
}

func TestParseField55Errors(t *testing.T) {
	bad := []string{
		"9F260712345678901234", "9F27028000", "9F1021" + "000000000000000000000000000000000000000000000000000000000000000000", "9F3703A1B2C3",
		"9F3601FF", "950400000080", "9A0225A1", "9A032511A1", "9C020000", "9C011A", "9F0206A00000001000", "5F2A0109",
		"8201FF", "9F1A02A250", "9F03050000000000", "9F3302E0F8", "9F340100", "9F35020000", "9F3501AA", "9F1E0731323334353637",
		"8404A0000000", "9F090100", "9F410112", "9F4103000A12", "5F3402000A", "5F34010A",
	}
	for _, h := range bad {
		_, err := ParseField55(mustHex(h), Field55Strict())
		if !errors.Is(err, ErrFieldLength) || strings.Count(err.Error(), "emv:") != 1 {
			t.Errorf("%s: %v", h, err)
		}
		// Lenient: no error, one finding, the element left out.
		f, err := ParseField55(mustHex(h))
		if err != nil || len(f.Findings) != 1 || f.Findings[0].Type != FindingLength || f.Has(f.Findings[0].Tag) {
			t.Errorf("%s lenient: %v %+v", h, err, f.Findings)
		}
	}
	if _, err := ParseField55(mustHex("9F2608123456")); !errors.Is(err, ErrValueOutOfBounds) {
		t.Errorf("malformed TLV: %v", err)
	}
}

func TestField55Builder(t *testing.T) {
	// The two sides: building the standard set from the sample's own values
	// gives the sample's first 161 bytes (its 21 standard objects).
	var b Field55Builder
	out, err := b.Append(nil, TLVSource(sampleField55))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, sampleField55[:161]) {
		t.Errorf("built %X", out)
	}
	back, err := ParseField55(out)
	if err != nil || back.AmountAuthorised != 1000 {
		t.Errorf("parse of built: %v", err)
	}
	// Caller-chosen order.
	b = Field55Builder{Tags: []Tag{0x5F34, 0x9F27, 0x9F6E}}
	out, err = b.Append([]byte{0xEE}, TLVSource(sampleField55))
	if err != nil || !bytes.Equal(out, mustHex("EE"+"5F340101"+"9F270180"+"9F6E0420700000")) {
		t.Errorf("custom order %X %v", out, err)
	}
	// Missing elements.
	src := MapSource{0x9F26: mustHex("1122334455667788")}
	if _, err := (Field55Builder{}).Append(nil, src); !errors.Is(err, ErrMissingTag) {
		t.Errorf("missing: %v", err)
	}
	out, err = Field55Builder{SkipMissing: true}.Append(nil, src)
	if err != nil || !bytes.Equal(out, mustHex("9F26081122334455667788")) {
		t.Errorf("skip missing %X %v", out, err)
	}
	if _, err := (Field55Builder{Tags: []Tag{0x9F}}).Append(nil, src); !errors.Is(err, ErrInvalidTag) {
		t.Errorf("invalid tag: %v", err)
	}
	if got := Field55Tags(); len(got) != 21 || got[0] != 0x9F26 || got[20] != 0x5F34 {
		t.Error("Field55Tags")
	}
	// Field55Tags returns a copy.
	Field55Tags()[0] = 0
	if Field55Tags()[0] != 0x9F26 {
		t.Error("Field55Tags shares its array")
	}
}

// TestParseField55KeepsElements: one bad informational element (a 4-byte
// 9F1E, as in a NIBSS response quoted in issue 15), an unknown tag and a
// repeated tag do not cost the other elements.
func TestParseField55KeepsElements(t *testing.T) {
	// The 4-byte 9F1E comes first; the sample's own (8 bytes) repeats it.
	data := append(mustHex("9F1E0431323334"), sampleField55...)
	data = append(data, mustHex("DF7F0101"+"9F360200FF")...)
	f, err := ParseField55(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		tag Tag
		typ FindingType
	}{{0x9F1E, FindingLength}, {0x9F1E, FindingDuplicate}, {0xDF7F, FindingUnknown}, {0x9F36, FindingDuplicate}}
	if len(f.Findings) != len(want) {
		t.Fatalf("findings %v", f.Findings)
	}
	for i, w := range want {
		g := f.Findings[i]
		if g.Tag != w.tag || g.Type != w.typ || g.Type.String() == "finding" || !strings.HasPrefix(g.String(), "emv: ") {
			t.Errorf("finding %d: %+v %s, want %v %v", i, g, g, w.tag, w.typ)
		}
	}
	if f.Findings[0].Offset != 0 || !errors.Is(f.Findings[0].Err, ErrFieldLength) || !errors.Is(f.Findings[2].Err, ErrUnknownTag) || !errors.Is(f.Findings[1].Err, ErrDuplicateTag) {
		t.Errorf("findings %v", f.Findings)
	}
	if f.Has(0x9F1E) || !f.Has(0x9F26) || f.ATC != 0x1C || f.AmountAuthorised != 1000 {
		t.Errorf("elements lost: %+v", f)
	}
	if _, err := ParseField55(data, Field55Strict()); !errors.Is(err, ErrFieldLength) {
		t.Errorf("strict: %v", err)
	}
	// A malformed TLV keeps what comes before the fault.
	f, err = ParseField55(append(mustHex("9F3602001C"), 0x9F, 0x26, 0x08, 0x12))
	if !errors.Is(err, ErrValueOutOfBounds) || f.ATC != 0x1C || !f.Has(0x9F36) {
		t.Errorf("truncated: %v %+v", err, f)
	}
	// The sample has no finding.
	if f, _ := ParseField55(sampleField55); len(f.Findings) != 0 {
		t.Errorf("sample findings %v", f.Findings)
	}
}
