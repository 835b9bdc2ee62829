package main

import (
	"strings"
	"testing"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/emv/qr"
)

// The EMVCo QR Code Specification for Payment Systems (MPM) sample payload;
// docs/VECTORS.md "EMVCo QR, merchant-presented".
const emvcoSample = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"

func sampleCPMText(t *testing.T) string {
	t.Helper()
	s, err := qr.CPM{Applications: []qr.CPMTemplate{{
		Elements: []qr.CPMElement{
			{Tag: 0x4F, Value: []byte{0xA0, 0, 0, 0, 0x03, 0x10, 0x10}},
			{Tag: 0x50, Value: []byte("VISA DEBIT")},
			{Tag: 0x5A, Value: []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x01, 0x19}},
		},
		Transparent: emv.AppendTLV(nil, 0x9F26, []byte{0x12, 0x34, 0x56, 0x78, 0x90, 0xAB, 0xCD, 0xEF}),
	}}, Common: &qr.CPMTemplate{Elements: []qr.CPMElement{{Tag: 0x5F2D, Value: []byte("zhen")}}}}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pixDynamic is the dynamic example of Banco Central do Brasil's Manual de
// Padrões para Iniciação do Pix (6.2); duitNow a published DuitNow QR
// (format indicator 02); see emv/qr/profile_test.go for the sources.
const (
	pixDynamic = "00020101021226770014BR.GOV.BCB.PIX2555pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a995204000053039865802BR5907EMPRESA6009SAO PAULO62070503***6304EEAB"
	duitNow    = "00020201021126410014A000000615000101065016640209123456789520499995303458540510.005802MY5909QRCSDNBHD6005BANGI6304343F"
)

func TestQR(t *testing.T) {
	cpm := sampleCPMText(t)
	bad := strings.Replace(emvcoSample, "A13A", "A13B", 1)
	runCases(t, []cmdCase{
		{name: "decode sample", args: []string{"qr", "decode", emvcoSample}, golden: "qr_emvco_sample.golden"},
		{name: "decode sample stdin json", args: []string{"qr", "decode", "-json"}, stdin: emvcoSample + "\n", golden: "qr_emvco_sample.json.golden"},
		{name: "decode cpm masked", args: []string{"qr", "decode", cpm}, golden: "qr_cpm.golden"},
		{name: "decode cpm json", args: []string{"qr", "decode", "-cpm", "-json", cpm}, golden: "qr_cpm.json.golden"},
		{name: "decode cpm unmask", args: []string{"qr", "decode", "-unmask", cpm}, golden: "qr_cpm_unmask.golden"},
		// The qr package's example merchant: same text from flags and from JSON.
		{name: "encode flags", args: []string{"qr", "encode", "-account", "15=6200123456789012", "-account", "26=com.example.wallet,01=M42",
			"-mcc", "5812", "-currency", "156", "-amount", "88.00", "-country", "CN", "-name", "NOODLE BAR", "-city", "SHANGHAI",
			"-bill", "T7-0031", "-terminal", "T7"},
			stdout: "0002010102121516620012345678901226290018com.example.wallet0103M42520458125303156540588.005802CN5910NOODLE BAR6008SHANGHAI62170107T7-00310702T76304A1B3\n"},
		{name: "encode json file", args: []string{"qr", "encode", "-json", "-f", "-"},
			stdin: `{"Dynamic": true, "Accounts": [{"ID": "15", "Value": "6200123456789012"}, {"ID": "26", "GUI": "com.example.wallet", "Fields": [{"ID": "01", "Value": "M42"}]}],
			"MCC": "5812", "Currency": "156", "Amount": "88.00", "Country": "CN", "Name": "NOODLE BAR", "City": "SHANGHAI",
			"Additional": {"BillNumber": "T7-0031", "TerminalLabel": "T7"}}`,
			stdout: "{\n  \"payload\": \"0002010102121516620012345678901226290018com.example.wallet0103M42520458125303156540588.005802CN5910NOODLE BAR6008SHANGHAI62170107T7-00310702T76304A1B3\",\n  \"crc\": \"A1B3\"\n}\n"},
		// A PIX dynamic code without 54 (Banco Central do Brasil, Manual de
		// Padrões para Iniciação do Pix 6.2) conforms to EMVCo and to PIX.
		{name: "pix dynamic", args: []string{"qr", "decode", "-profile", "pix", pixDynamic}, golden: "qr_pix_dynamic.golden"},
		// DuitNow's format indicator 02 (a published DuitNow code) is shown
		// with its finding under EMVCo, and conforms to DuitNow.
		{name: "duitnow under emvco", args: []string{"qr", "decode", duitNow}, code: 1, golden: "qr_duitnow_emvco.golden", errHas: "1 finding(s) under EMVCo"},
		{name: "duitnow json", args: []string{"qr", "decode", "-json", duitNow}, code: 1, golden: "qr_duitnow_emvco.json.golden", errHas: "ID 00"},
		{name: "duitnow profile", args: []string{"qr", "decode", "-profile", "DuitNow", duitNow}, stdout: "", golden: "qr_duitnow.golden"},
		// A payload that does not read is shown up to the fault.
		{name: "truncated shown", args: []string{"qr", "decode", "0002010102115204581"}, code: 1, errHas: "value runs past the end: ID 52",
			stdout: "merchant-presented QR, static, read up to the fault\n00 Payload Format Indicator: 01\n01 Point of Initiation Method: 11\nfindings:\n  qr: value runs past the end: ID 52 (EMVCo MPM v1.1 §4.1: ID and length two digits, length 01-99 counting characters, IDs once per level)\n"},
		{name: "lower-case crc", args: []string{"qr", "decode", emvcoSample[:len(emvcoSample)-4] + "a13a"}, code: 1, errHas: "lower-case hex a13a"},
		{name: "encode pix dynamic", args: []string{"qr", "encode", "-profile", "PIX", "-dynamic", "-account", "26=BR.GOV.BCB.PIX,25=pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a99",
			"-mcc", "0000", "-currency", "986", "-country", "BR", "-name", "EMPRESA", "-city", "SAO PAULO", "-f", "-"}, stdin: `{"Additional": {"ReferenceLabel": "***"}}`, stdout: pixDynamic + "\n"},
		{name: "encode refused by profile", args: []string{"qr", "encode", "-profile", "PIX", "-account", "15=6200123456789012", "-mcc", "5812", "-currency", "156", "-country", "CN", "-name", "X", "-city", "Y"}, code: 1, errHas: "PIX"},
		{name: "bad profile", args: []string{"qr", "decode", "-profile", "xx", emvcoSample}, code: 2, errHas: `-profile "xx"`},
		// failures
		{name: "bad crc", args: []string{"qr", "decode", bad}, code: 1, errHas: "CRC mismatch"},
		{name: "truncated", args: []string{"qr", "decode", "000201010211"}, code: 1, errHas: "qr:"},
		{name: "cpm not base64", args: []string{"qr", "decode", "-cpm", "%%%"}, code: 1, errHas: "not base64"},
		{name: "encode invalid", args: []string{"qr", "encode", "-account", "15=6200123456789012", "-mcc", "58", "-currency", "156", "-country", "CN", "-name", "X", "-city", "Y"}, code: 1, errHas: "invalid value"},
		// usage errors
		{name: "decode nothing", args: []string{"qr", "decode"}, stdin: "  \n", code: 2, errHas: "no payload given"},
		{name: "encode no account", args: []string{"qr", "encode", "-mcc", "5812"}, code: 2, errHas: "no merchant account"},
		{name: "encode bad account", args: []string{"qr", "encode", "-account", "15"}, code: 2, errHas: "-account"},
		{name: "encode bad json", args: []string{"qr", "encode", "-f", "-"}, stdin: `{"Nme": "X"}`, code: 2, errHas: "merchant JSON"},
		{name: "encode missing file", args: []string{"qr", "encode", "-f", "testdata/no-such.json"}, code: 2, errHas: "no-such.json"},
		{name: "encode stray arg", args: []string{"qr", "encode", "x"}, code: 2, errHas: "unexpected argument"},
	})
	// Decoding what encode printed gives the merchant back.
	r := poskit(t, "", "qr", "encode", "-account", "15=6200123456789012", "-mcc", "5812", "-currency", "156", "-country", "CN", "-name", "NOODLE BAR", "-city", "SHANGHAI")
	d := poskit(t, r.stdout, "qr", "decode")
	if d.code != 0 || !strings.Contains(d.stdout, "static") || !strings.Contains(d.stdout, "59 Merchant Name: NOODLE BAR") {
		t.Errorf("decode(encode): %+v", d)
	}
	// A masked CPM decode shows the PAN's first 6 and last 4 digits only.
	m := poskit(t, "", "qr", "decode", cpm)
	if strings.Contains(m.stdout, "4761739001010119") || !strings.Contains(m.stdout, "476173******0119") {
		t.Errorf("CPM PAN not masked:\n%s", m.stdout)
	}
}
