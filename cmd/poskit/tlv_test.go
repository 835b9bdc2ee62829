package main

import (
	"strings"
	"testing"
)

// A field 55 in the layout of the published UnionPay capture (see
// testdata/README.md), with a PAN and track 2 equivalent data added to show
// the masking.
const field55 = "9F260895BBE372271DDA7C9F2701809F101307010103A00000010A0100000000" +
	"00ED538FE49F37047F9F349E9F36020157950500000000009A031908309C0100" +
	"9F02060000000000015F2A02015682027C009F1A0201569F0306000000000000" +
	"9F3303E0E1C89F3501229F1E0831303030303031398408A0000003330101029F0902008C9F410400000403" +
	"5A086224242900000113" + "57116224242900000113D28062013949031013"

func TestTLV(t *testing.T) {
	runCases(t, []cmdCase{
		{name: "describe", args: []string{"tlv", "decode", field55}, golden: "tlv_field55.golden"},
		{name: "describe json", args: []string{"tlv", "decode", "-json", "-kernel", "unionpay"}, stdin: field55, golden: "tlv_field55.json.golden"},
		{name: "nested raw", args: []string{"tlv", "decode", "-in", "raw"}, stdin: "\x70\x0E\x5A\x08\x62\x24\x24\x29\x00\x00\x01\x13\x5F\x34\x01\x01",
			stdout: "70 READ RECORD Response Message Template\n  5A Application Primary Account Number (PAN): 622424******0113\n  5F34 Application PAN Sequence Number: 01\n"},
		{name: "padding lenient", args: []string{"tlv", "decode", "9F360201570000"}, stdout: "9F36 Application Transaction Counter (ATC): 0157\n"},
		{name: "unmask", args: []string{"tlv", "decode", "-unmask", "700E5A0862242429000001135F3401019F270180"},
			stdout: "70 READ RECORD Response Message Template\n  5A Application Primary Account Number (PAN): 6224242900000113\n  5F34 Application PAN Sequence Number: 01\n9F27 Cryptogram Information Data: 80 (ARQC)\n"},
		{name: "unmask json", args: []string{"tlv", "decode", "-unmask", "-json", "5A086224242900000113"},
			stdout: "[\n  {\n    \"tag\": \"5A\",\n    \"name\": \"Application Primary Account Number (PAN)\",\n    \"length\": 8,\n    \"value\": \"6224242900000113\"\n  }\n]\n"},
		// A trailing status word is split off and explained.
		{name: "GPO format 1 with 9000", args: []string{"tlv", "decode", "800E19800801010010010301180102009000"},
			stdout: "80 Response Message Template Format 1: 1980080101001001030118010200 (GPO: AIP 1980 (cardholder verification is supported; terminal risk management is to be performed; CDA supported; EMV mode is supported (contactless)); AFL SFI 1 records 1-1 (0 for ODA), SFI 2 records 1-3 (1 for ODA), SFI 3 records 1-2 (0 for ODA))\nstatus word: 9000 (normal processing)\n"},
		{name: "status word alone", args: []string{"tlv", "decode", "6A82"}, stdout: "status word: 6A82 (file or application not found)\n"},
		{name: "status word json", args: []string{"tlv", "decode", "-json", "9F360201579000"},
			stdout: "{\n  \"objects\": [\n    {\n      \"tag\": \"9F36\",\n      \"name\": \"Application Transaction Counter (ATC)\",\n      \"length\": 2,\n      \"value\": \"0157\"\n    }\n  ],\n  \"status_word\": \"9000 (normal processing)\"\n}\n"},
		// Kernel and currency: 9F5D is no amount for Mastercard; yen have no decimals.
		{name: "mastercard 9F5D", args: []string{"tlv", "decode", "-kernel", "mastercard", "9F5D03010000"},
			stdout: "9F5D Application Capabilities Information: 010000 (ACI version 0, data storage version 1)\n"},
		{name: "yen", args: []string{"tlv", "decode", "5F2A0203929F0206000000010000"},
			stdout: "5F2A Transaction Currency Code: 0392 (JPY, Yen)\n9F02 Amount, Authorised (Numeric): 000000010000 (10000 JPY)\n"},
		// failures
		{name: "unmask truncated", args: []string{"tlv", "decode", "-unmask", "5A0862242429000001135F3402"}, code: 1, errHas: "malformed TLV"},
		{name: "padding strict", args: []string{"tlv", "decode", "-strict", "9F36020157FF"}, code: 1, errHas: "malformed TLV"},
		{name: "truncated", args: []string{"tlv", "decode", "9F2608C2C1"}, code: 1, errHas: "malformed TLV"},
		{name: "truncated json", args: []string{"tlv", "decode", "-json", "9F2608C2C1"}, code: 1, errHas: "malformed TLV"},
		// usage errors
		{name: "bad kernel", args: []string{"tlv", "decode", "-kernel", "amex", "9F3602"}, code: 2, errHas: `-kernel "amex"`},
		{name: "not hex", args: []string{"tlv", "decode", "9F36XX"}, code: 2, errHas: "TLV data is not hexadecimal"},
		{name: "empty", args: []string{"tlv", "decode"}, code: 2, errHas: "no TLV data given"},
	})
	for _, args := range [][]string{{"tlv", "decode", field55}, {"tlv", "decode", "-json", field55}} {
		r := poskit(t, "", args...)
		for _, secret := range []string{"6224242900000113", "28062013949031013"} {
			if strings.Contains(r.stdout, secret) {
				t.Errorf("%v prints card data %s", args, secret)
			}
		}
	}
}
