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
