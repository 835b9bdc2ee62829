package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestMake(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"payload: 00020101021215166200123456789012520458125303156540588.005802CN5910NOODLE BAR6008SHANGHAI",
		"dynamic code: NOODLE BAR, SHANGHAI CN, MCC 5812, amount \"88.00\", currency 156",
		"account ID 15: 6200123456789012",
		"bill number: T7-0031",
		"round trip exact: true",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}

	out.Reset()
	if err := run(&out, []string{"-amount", "", "-bill", ""}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "static code") || !strings.Contains(s, "010211") {
		t.Errorf("static code:\n%s", s)
	}
}

// The EMVCo specification's sample payload (docs/VECTORS.md): CRC A13A over the
// UTF-8 bytes, lengths in characters.
const emvcoSample = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"

func TestDecode(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, []string{"-decode", emvcoSample}); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"dynamic code: BEST TRANSPORT, BEIJING CN, MCC 4111, amount \"23.72\", currency 156",
		"alternate language ZH: 最佳运输",
		"account ID 29: template D15600000000",
		"round trip exact: true",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	// one character changed: the CRC no longer matches
	bad := strings.Replace(emvcoSample, "23.72", "93.72", 1)
	if err := run(&out, []string{"-decode", bad}); err == nil {
		t.Error("a payload with a wrong CRC was accepted")
	}
	if err := run(&out, []string{"-name", strings.Repeat("X", 30)}); err == nil {
		t.Error("a 30-character name was accepted")
	}
}

// A published DuitNow code (format indicator 02) conforms to DuitNow and
// is shown with its finding under EMVCo.
func TestProfile(t *testing.T) {
	const duitNow = "00020201021126410014A000000615000101065016640209123456789520499995303458540510.005802MY5909QRCSDNBHD6005BANGI6304343F"
	var out strings.Builder
	if err := run(&out, []string{"-profile", "DuitNow", "-decode", duitNow}); err != nil || strings.Contains(out.String(), "finding") {
		t.Fatalf("DuitNow: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(&out, []string{"-decode", duitNow}); err == nil || !strings.Contains(out.String(), "finding: qr: invalid value: ID 00") || !strings.Contains(out.String(), "QRCSDNBHD") {
		t.Fatalf("EMVCo: %v\n%s", err, out.String())
	}
	if err := run(&out, []string{"-profile", "nope"}); err == nil {
		t.Fatal("unknown profile accepted")
	}
}
