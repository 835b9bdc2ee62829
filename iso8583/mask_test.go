package iso8583

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	moov "github.com/moov-io/iso8583"
)

func TestDumpMasksGolden(t *testing.T) {
	raw := goldenCapture(t)
	m := moov.NewMessage(SpecUnionPay)
	if err := m.Unpack(raw[13:]); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Dump(m, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"6224242900000113", "28062013949031013", "D1EEF419D0AE2609", "2806", "2600000000000000"} {
		if strings.Contains(out, secret) {
			t.Errorf("dump shows %s:\n%s", secret, out)
		}
	}
	for _, want := range []string{"622424******0113", "9F26=95BBE372271DDA7C", "MTI", "8F651B26" /* MAC is not secret */} {
		if !strings.Contains(out, want) && !strings.Contains(out, strings.ToUpper(hex.EncodeToString([]byte(want)))) {
			t.Errorf("dump lacks %s:\n%s", want, out)
		}
	}
}

func TestMaskICC(t *testing.T) {
	// 5A PAN, 57 track 2 equivalent, 5F20 cardholder name, 9F26 cryptogram,
	// inside a constructed 70 template
	icc := mustHex(t, "7024"+"5A08"+"6224242900000113"+"5707"+"62242429000001"+"5F2003"+"414243"+"9F2608"+"0102030405060708")
	out := MaskICC(icc)
	for _, secret := range []string{"6224242900000113", "62242429000001", "414243"} {
		if strings.Contains(out, secret) {
			t.Errorf("MaskICC shows %s: %s", secret, out)
		}
	}
	if !strings.Contains(out, "5A=622424******0113") || !strings.Contains(out, "9F26=0102030405060708") || !strings.Contains(out, "57=[track, 14 characters hidden]") {
		t.Errorf("MaskICC = %s", out)
	}
	bad := MaskICC([]byte{0x9F, 0x26, 0x08, 0x62, 0x24})
	if strings.Contains(bad, "6224") || !strings.Contains(bad, "hidden") {
		t.Errorf("malformed: %s", bad)
	}
}

func TestMaskFilters(t *testing.T) {
	m := moov.NewMessage(Spec87ASCII)
	m.MTI("0100")
	_ = m.Field(2, "4761739001010119")
	_ = m.Field(35, "4761739001010119=25122011758928889")
	_ = m.Field(36, "nodelimiter")
	_ = m.Field(45, "B4761739001010119^DOE/JOHN^2512201")
	_ = m.Field(62, "SECRETKEYS")
	_ = m.BinaryField(52, testPIN)
	var buf bytes.Buffer
	if err := Dump(m, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"4761739001010119", "2512201", "DOE", "SECRETKEYS", "D1EEF419", "nodelimiter"} {
		if strings.Contains(out, secret) {
			t.Errorf("dump shows %s:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "476173******0119=[17 characters hidden]") || !strings.Contains(out, "476173******0119^[") {
		t.Errorf("dump:\n%s", out)
	}
	if got := maskTrack1("garbage"); strings.Contains(got, "garbage") {
		t.Error(got)
	}
}

// The field 48 leak of issue 14: a magnetic-stripe batch upload carries
// whole PANs in field 48 records; Dump shows each masked.
func TestDumpMasksBatchRecords(t *testing.T) {
	term := testTerminal(UnionPay)
	recs := []BatchRecord{
		{STAN: "000001", PAN: "6224242900000113", Amount: 1000},
		{Foreign: true, STAN: "000002", PAN: "4761739001010119", Amount: 250},
	}
	msgs, err := term.BatchUploadMagstripe(recs, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := msgs[0].Message(SpecUnionPay)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Dump(m, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"6224242900000113", "4761739001010119", "2429000001", "7390010101"} {
		if strings.Contains(out, secret) {
			t.Errorf("dump shows %s:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "[00 000001 622424******0113 1000]") || !strings.Contains(out, "[01 000002 476173******0119 250]") {
		t.Errorf("records not shown masked:\n%s", out)
	}
	// a record field 48 that does not parse still hides its PANs
	bad := "03" + m.GetField(48).(interface{ Value() string }).Value()[2:]
	if got := MaskField(48, bad, nil); strings.Contains(got, "6224242900000113") || strings.Contains(got, "4761739001010119") {
		t.Errorf("unparsed records: %s", got)
	}
}

// PANs hidden where no structure says so: private and text fields, in
// longer digit runs, beside letters; Luhn-valid test PANs from the card
// networks' published test card lists (4761739001010119 Visa, 5413330089010434
// Mastercard, 6224242900000113 the UnionPay capture of testdata/).
func TestMaskTextFindsHiddenPANs(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{"CARD4761739001010119END", "CARD476173******0119END"},
		{"00004761739001010119", "0000476173******0119"},
		{"x5413330089010434", "x541333******0434"},
		{"no digits", "no digits"},
		{"123456789012", "123456789012"},         // 12 digits: too short for a PAN
		{"4761739001010118", "4761739001010118"}, // Luhn fails
		{"", ""},
	} {
		if got := MaskText(c.in); got != c.out {
			t.Errorf("MaskText(%q) = %q, want %q", c.in, got, c.out)
		}
	}
	m := moov.NewMessage(SpecUnionPay)
	m.MTI("0200")
	_ = m.Field(63, "CUPcard 6224242900000113 ok")
	_ = m.Field(59, "A1=6224242900000113")
	_ = m.Field(44, "4761739001010119")
	_ = m.BinaryField(62, []byte("6224242900000113"))
	_ = m.Field(61, "000024000403112100000000000")
	f55 := mustHex(t, "5F24032812319F6B0C6224242900000113D2812201")
	_ = m.BinaryField(55, f55)
	_ = m.Field(14, "2812")
	var buf bytes.Buffer
	if err := Dump(m, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"6224242900000113", "4761739001010119", "281231", "2812"} {
		if strings.Contains(out, secret) {
			t.Errorf("dump shows %s:\n%s", secret, out)
		}
	}
	for _, want := range []string{"CUPcard 622424******0113 ok", "5F24=[hidden]", "9F6B=622424******0113=["} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %s:\n%s", want, out)
		}
	}
}
