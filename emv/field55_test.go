package emv

import (
	"bytes"
	"errors"
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
		"9F260712345678901234", "9F27028000", "9F1021" + "00000000000000000000000000000000000000000000000000000000000000000000", "9F3703A1B2C3",
		"9F3601FF", "950400000080", "9A0225A1", "9A032511A1", "9C020000", "9C011A", "9F0206A00000001000", "5F2A0109",
		"8201FF", "9F1A02A250", "9F03050000000000", "9F3302E0F8", "9F340100", "9F35020000", "9F3501AA", "9F1E0731323334353637",
		"8404A0000000", "9F090100", "9F410112", "9F4103000A12", "5F3402000A", "5F34010A",
	}
	for _, h := range bad {
		_, err := ParseField55(mustHex(h))
		if !errors.Is(err, ErrFieldLength) {
			t.Errorf("%s: %v", h, err)
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
