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
		"  8C Card Risk Management Data Object List 1 (CDOL1): 9F02069F03069F1A0295055F2A029A039C019F3704 (9F02(6) Amount, Authorised (Numeric); 9F03(6) Amount, Other (Numeric); 9F1A(2) Terminal Country Code; 95(5) Terminal Verification Results (TVR); 5F2A(2) Transaction Currency Code; 9A(3) Transaction Date; 9C(1) Transaction Type; 9F37(4) Unpredictable Number)\n",
		"  8E Cardholder Verification Method (CVM) List: 000000000000000042031E031F00 (X=0 Y=0; 1. enciphered PIN verified online, if terminal supports the CVM, else next rule; 2. signature, if terminal supports the CVM, else fail; 3. no CVM required, always, else fail)\n",
		"  5F28 Issuer Country Code: 0840 (US, United States)\n",
		"  94 Application File Locator (AFL): 0801010010010301 (SFI 1 records 1-1 (0 for ODA), SFI 2 records 1-3 (1 for ODA))\n",
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
		"9F02 Amount, Authorised (Numeric): 000000001000 (10.00 EUR)\n",
		"5F2A Transaction Currency Code: 0978 (EUR, Euro)\n",
		"9F1A Terminal Country Code: 0250 (FR, France)\n",
		"9C Transaction Type: 00 (goods and services)\n",
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
	if !strings.HasPrefix(sb.String(), "9F27 ") || !strings.Contains(sb.String(), "error: emv: length field longer than 4 bytes: offset 4, tag 5A\n") {
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

// TestDescribeByKernelAndCurrency: values whose decoding depends on the
// kernel, the currency exponent (ISO 4217 minor units, internal/iso4217)
// and the EMV century rule.
func TestDescribeByKernelAndCurrency(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		kernel Kernel
		want   string
	}{
		// 9F5D: AOSA (n12 amount) for Visa and UnionPay; Application
		// Capabilities Information (b3) for Mastercard Kernel C-2 (EMV
		// Contactless Book C-2, annex A).
		{"9F5D Visa", "5F2A0209789F5D06000000010203", KernelVisa, "9F5D Available Offline Spending Amount (AOSA): 000000010203 (102.03 EUR)"},
		{"9F5D UnionPay", "5F2A0201569F5D06000000010203", KernelUnionPay, "(102.03 CNY)"},
		{"9F5D Mastercard", "9F5D03010000", KernelMastercard, "9F5D Application Capabilities Information: 010000 (ACI version 0, data storage version 1)"},
		// 9F6C: the Visa CTQ, the UnionPay CTQ, the Mastercard Mag-stripe
		// Application Version Number.
		{"9F6C Visa", "9F6C028080", KernelVisa, "9F6C Card Transaction Qualifiers (CTQ): 8080 (online PIN required; consumer device CVM performed)"},
		{"9F6C UnionPay", "9F6C028080", KernelUnionPay, "8080 (online PIN required; byte 2 bit 8)"},
		{"9F6C Mastercard", "9F6C020001", KernelMastercard, "9F6C Mag-stripe Application Version Number (Card): 0001\n"},
		// 9F66 is not a TTQ under Kernel C-2.
		{"9F66 Mastercard", "9F660400000000", KernelMastercard, ": 00000000\n"},
		// Currency exponent from ISO 4217: yen 0, dinar 3, euro 2.
		{"yen", "5F2A0203929F0206000000010000", KernelEMV, "9F02 Amount, Authorised (Numeric): 000000010000 (10000 JPY)"},
		{"Kuwaiti dinar", "5F2A0204149F0206000000010000", KernelEMV, "(10.000 KWD)"},
		{"5F36 over ISO 4217", "5F2A0203925F3601029F0206000000010000", KernelEMV, "(100.00 JPY)"},
		{"unknown currency", "5F2A0200019F0206000000010000", KernelEMV, "5F2A Transaction Currency Code: 0001 (not an ISO 4217 currency)"},
		// EMV century rule: 00-49 is 20YY, 50-99 is 19YY.
		{"date 1999", "5F2403991231", KernelEMV, "5F24 Application Expiration Date: 991231 (1999-12-31)"},
		{"date 2049", "9A03490101", KernelEMV, "(2049-01-01)"},
		{"date 1950", "9A03500101", KernelEMV, "(1950-01-01)"},
		{"not a date", "9A03251341", KernelEMV, "(not a date)"},
		// Transaction type: ISO 8583:1987 processing code names.
		{"9C cash", "9C0101", KernelEMV, "9C Transaction Type: 01 (cash)"},
		{"9C refund", "9C0120", KernelEMV, "(returns (refund))"},
		{"9C other", "9C0199", KernelEMV, "(processing code 99)"},
		{"country", "9F1A020156", KernelEMV, "0156 (CN, China)"},
		{"no country", "9F1A020999", KernelEMV, "(not an ISO 3166 country)"},
		// GPO format 1: AIP and AFL; GENERATE AC format 1.
		{"GPO format 1", "800E1980080101001001030118010200", KernelEMV,
			"80 Response Message Template Format 1: 1980080101001001030118010200 (GPO: AIP 1980 (cardholder verification is supported; terminal risk management is to be performed; CDA supported; EMV mode is supported (contactless)); AFL SFI 1 records 1-1 (0 for ODA), SFI 2 records 1-3 (1 for ODA), SFI 3 records 1-2 (0 for ODA))"},
		{"GENERATE AC format 1", "80128000011234567890ABCDEF06010A03A00000", KernelEMV,
			"(GENERATE AC: CID 80 (ARQC), ATC 0001, AC 1234567890ABCDEF, IAD 7 bytes)"},
		{"DOL names by kernel", "9F38039F5D06", KernelMastercard, "9F5D(6) Application Capabilities Information"},
	}
	for _, tc := range tests {
		var sb strings.Builder
		if err := Describe(&sb, mustHex(tc.data), DescribeKernel(tc.kernel)); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !strings.Contains(sb.String(), tc.want) {
			t.Errorf("%s: want %q in\n%s", tc.name, tc.want, sb.String())
		}
	}
	// DescribeValueOf takes the currency from a context.
	got := DescribeValueOf(0x9F02, mustHex("000000010000"), DescribeContext(mustHex("5F2A020392")))
	if got != "000000010000 (10000 JPY)" {
		t.Errorf("DescribeValueOf: %q", got)
	}
	if century(0) != 2000 || century(49) != 2049 || century(50) != 1950 || century(99) != 1999 {
		t.Error("century rule")
	}
}
