package main

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func TestSamples(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil, nil); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"9F26 Application Cryptogram: 7A788EA6B8A3E733", // Visa CVN 18 test data (docs/VECTORS.md, after pyemv)
		"=> field 55: ARQC 7A788EA6B8A3E733, ATC 28, amount 4000 (currency 124)",
		"=> cryptogram version: Visa CVN 18",
		"5A Application Primary Account Number (PAN): 476173******0119",
		"Cardholder Name: [masked, 15 bytes]",
		"=> track 2: 476173******0119",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	for _, secret := range []string{"4761739001010119", "CARDHOLDER", "D2912201"} {
		if strings.Contains(s, secret) {
			t.Errorf("output shows %q", secret)
		}
	}
}

func TestInputs(t *testing.T) {
	var out bytes.Buffer
	// a GPO response, format 2, from stdin with spaces
	if err := run(&out, strings.NewReader("77 09 82 02 19 80 9F 36 02 00 21\n"), []string{"-"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "9F36 Application Transaction Counter (ATC): 0021") {
		t.Errorf("output:\n%s", out.String())
	}
	// lenient mode skips the padding a card may send
	out.Reset()
	if err := run(&out, nil, []string{"-lenient", "9F360200210000"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{{"zz"}, {"9F2608AABB"}, {"-x"}} {
		if err := run(&out, nil, bad); err == nil {
			t.Errorf("%v: want an error", bad)
		}
	}
}

// A field 55 with a 4-byte 9F1E and a trailing status word: the other
// elements are kept, the finding and the status word are shown.
func TestFindingsAndStatusWord(t *testing.T) {
	data, _ := hex.DecodeString("9F2608123456789012345F9F3602001C9F1E0431323334" + "9000")
	var b strings.Builder
	if err := describe(&b, data, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ATC 28", "=> finding: emv: wrong value length: tag 9F1E at offset 16: 4 bytes, want 8", "=> status word: 9000 (normal processing)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in\n%s", want, b.String())
		}
	}
}
