package emv

import (
	"errors"
	"strings"
	"testing"
)

func TestDescribeMasks(t *testing.T) {
	var sb strings.Builder
	if err := Describe(&sb, sampleGPORecords); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	for _, want := range []string{
		"77 Response Message Template Format 2\n",
		"  82 Application Interchange Profile (AIP): 1980 (cardholder verification is supported; terminal risk management is to be performed; CDA supported; EMV mode is supported (contactless))\n",
		"  9F27 Cryptogram Information Data: 80 (ARQC)\n",
		"  57 Track 2 Equivalent Data: 476173******0119=****\n",
		"  5F20 Cardholder Name: [masked, 18 bytes]\n",
		"  9F1F Track 1 Discretionary Data: [masked, 10 bytes]\n",
		"  5A Application Primary Account Number (PAN): 476173******0119\n",
		"  5F24 Application Expiration Date: 221231 (2022-12-31)\n",
		"  8C Card Risk Management Data Object List 1 (CDOL1): 9F02069F03069F1A0295055F2A029A039C019F3704 (9F02(6) 9F03(6) 9F1A(2) 95(5) 5F2A(2) 9A(3) 9C(1) 9F37(4))\n",
		"  8E Cardholder Verification Method (CVM) List: 000000000000000042031E031F00 (X=0 Y=0; 1. enciphered PIN verified online, if terminal supports the CVM, else next rule; 2. signature, if terminal supports the CVM, else fail; 3. no CVM required, always, else fail)\n",
		"  5F28 Issuer Country Code: 0840\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing line %q in\n%s", want, out)
		}
	}
	for _, secret := range []string{"4761739001010119", "VISA ACQUIRER", "2212201", "1234567890\""} {
		if strings.Contains(out, secret) {
			t.Errorf("description shows %q", secret)
		}
	}
}

func TestDescribeField55(t *testing.T) {
	var sb strings.Builder
	if err := Describe(&sb, sampleField55, DescribeIndent("\t"), DescribeMode(Strict)); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	for _, want := range []string{
		"95 Terminal Verification Results (TVR): 0000008000 (transaction exceeds floor limit)\n",
		"9F02 Amount, Authorised (Numeric): 000000001000 (10.00)\n",
		"5F2A Transaction Currency Code: 0978\n",
		"9F1E Interface Device (IFD) Serial Number: \"12345678\"\n",
		"9F35 Terminal Type: 22 merchant, attended, offline with online capability\n",
		"9F34 Cardholder Verification Method (CVM) Results: 420300 (enciphered PIN verified online, if terminal supports the CVM: unknown)\n",
		"9A Transaction Date: 251121 (2025-11-21)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	// Currency exponent from 5F36 when present.
	sb.Reset()
	_ = Describe(&sb, mustHex("5F3601039F0206000000001234"))
	if !strings.Contains(sb.String(), "(1.234)") {
		t.Errorf("exponent 3: %s", sb.String())
	}
	// Kernel-specific names.
	sb.Reset()
	_ = Describe(&sb, mustHex("9F6B03123456"), DescribeKernel(KernelVisa))
	if !strings.Contains(sb.String(), "9F6B Card CVM Limit: [masked, 3 bytes]") {
		t.Errorf("kernel name: %s", sb.String())
	}
}

func TestDescribeErrorsAndOpaque(t *testing.T) {
	var sb strings.Builder
	err := Describe(&sb, mustHex("9F2701805A88FFFFFFFFFFFFFFFF"))
	if !errors.Is(err, ErrLengthTooLong) {
		t.Fatalf("error %v", err)
	}
	if !strings.HasPrefix(sb.String(), "9F27 ") || !strings.Contains(sb.String(), "error: emv: length field longer than 4 bytes at offset 4 (tag 5A)\n") {
		t.Errorf("output %q", sb.String())
	}
	sb.Reset()
	_ = Describe(&sb, mustHex("7003010203"+"DF7F0112"+"9F0B0141"+"990412345678"+"8200"))
	for _, want := range []string{
		"70 READ RECORD Response Message Template: content not TLV, 3 bytes: 010203\n",
		"DF7F (unknown): 12\n",
		"9F0B Cardholder Name Extended: [masked, 1 bytes]\n",
		"99 Transaction PIN Data: [secret, 4 bytes]\n",
		"82 Application Interchange Profile (AIP): (empty)\n",
	} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("missing %q in\n%s", want, sb.String())
		}
	}
	if DescribeValue(0x5A, mustHex("47617390010101")) != "476173****0101" {
		t.Errorf("short PAN: %s", DescribeValue(0x5A, mustHex("47617390010101")))
	}
	if DescribeValue(0x5A, mustHex("4761AB")) != "[masked, 3 bytes]" {
		t.Error("malformed PAN is not masked")
	}
	if DescribeValue(0x57, mustHex("47617390")) != "[masked, 4 bytes]" {
		t.Error("malformed track 2 is not masked")
	}
	if DescribeValue(0x9F21, mustHex("235959")) != "235959 (23:59:59)" || DescribeValue(0x81, mustHex("000003E8")) != "000003E8 (10.00)" {
		t.Error("time or binary amount")
	}
	if DescribeValue(0x5F2D, []byte("enfr")) != `"enfr"` || DescribeValue(0x9F20, mustHex("1234FF")) != "[masked, 3 bytes]" {
		t.Error("text or masked cn")
	}
}
