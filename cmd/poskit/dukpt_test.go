package main

import (
	"strings"
	"testing"
)

// ANSI X9.24-1:2009 Annex A.4 and ANSI X9.24-3:2017 test vectors, as listed
// in docs/VECTORS.md.
func TestDUKPTDerive(t *testing.T) {
	const bdk = "0123456789ABCDEFFEDCBA9876543210"
	const aesBDK = "FEDCBA9876543210F1F1F1F1F1F1F1F1"
	tdes := func(ksn string, usage ...string) []string {
		a := []string{"dukpt", "derive", "-bdk", bdk, "-ksn", ksn}
		if len(usage) > 0 {
			a = append(a, "-usage", usage[0])
		}
		return a
	}
	runCases(t, []cmdCase{
		{name: "tdes counter 1 all", args: tdes("FFFF9876543210E00001"), golden: "dukpt_tdes_1.golden"},
		{name: "tdes counter 1 json", args: append(tdes("FFFF9876543210E00001", "pin,mac-gen"), "-json"), golden: "dukpt_tdes_1.json.golden"},
		{name: "tdes counter 2", args: tdes("FFFF9876543210E00002", "pin"), golden: "dukpt_tdes_2.golden"},
		{name: "tdes counter 3", args: tdes("FFFF9876543210E00003", "pin"), golden: "dukpt_tdes_3.golden"},
		{name: "tdes EFF800", args: tdes("FFFF9876543210EFF800", "pin"), golden: "dukpt_tdes_eff800.golden"},
		{name: "tdes EFFC00", args: tdes("FFFF9876543210EFFC00", "pin"), golden: "dukpt_tdes_effc00.golden"},
		{name: "tdes F00000", args: tdes("FFFF9876543210F00000", "pin"), golden: "dukpt_tdes_f00000.golden"},
		{name: "aes128 counter 1", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "123456789012345600000001"}, golden: "dukpt_aes128_1.golden"},
		{name: "aes128 counter 2", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "123456789012345600000002", "-usage", "pin"}, golden: "dukpt_aes128_2.golden"},
		{name: "aes128 1FFFE", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "12345678901234560001FFFE", "-usage", "pin"}, golden: "dukpt_aes128_1fffe.golden"},
		{name: "aes128 FFFF0000", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "1234567890123456FFFF0000", "-usage", "pin"}, golden: "dukpt_aes128_ffff0000.golden"},
		{name: "aes update key", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "1234567890123456FFFFFFFF", "-usage", "key-enc", "-any-counter", "-json"}, golden: "dukpt_aes_update.json.golden"},
		{name: "aes update key 2tdea", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "1234567890123456FFFFFFFF", "-usage", "key-enc", "-any-counter", "-type", "tdes2"}, golden: "dukpt_aes_update_tdes2.golden"},
		{name: "aes update key 3tdea", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "1234567890123456FFFFFFFF", "-usage", "key-enc", "-any-counter", "-type", "tdes3"}, golden: "dukpt_aes_update_tdes3.golden"},
		{name: "aes256", args: []string{"dukpt", "derive", "-bdk", aesBDK + aesBDK, "-ksn", "123456789012345600000001", "-usage", "pin", "-json"}, golden: "dukpt_aes256_1.json.golden"},
		{name: "aes256 pin aes128", args: []string{"dukpt", "derive", "-bdk", aesBDK + aesBDK, "-ksn", "123456789012345600000001", "-usage", "pin", "-type", "aes128"}, golden: "dukpt_aes256_1_aes128.golden"},
		// failures
		{name: "tdes counter zero", args: tdes("FFFF9876543210E00000", "pin"), code: 1, errHas: "invalid transaction counter"},
		{name: "tdes too many bits", args: tdes("FFFF9876543210E007FF", "pin"), code: 1, errHas: "invalid transaction counter"},
		{name: "aes update without -any-counter", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "1234567890123456FFFFFFFF", "-usage", "key-enc"}, code: 1, errHas: "invalid transaction counter"},
		{name: "aes key stronger", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "123456789012345600000001", "-usage", "pin", "-type", "aes256"}, code: 1, errHas: "stronger"},
		{name: "tdes bdk length", args: []string{"dukpt", "derive", "-bdk", aesBDK + "00000000", "-ksn", "FFFF9876543210E00001"}, code: 1, errHas: "invalid BDK length"},
		// usage errors
		{name: "no bdk", args: []string{"dukpt", "derive", "-ksn", "FFFF9876543210E00001"}, code: 2, errHas: "missing -bdk"},
		{name: "no ksn", args: []string{"dukpt", "derive", "-bdk", bdk}, code: 2, errHas: "missing -ksn"},
		{name: "ksn length", args: []string{"dukpt", "derive", "-bdk", bdk, "-ksn", "FFFF9876543210E000"}, code: 2, errHas: "-ksn has 9 bytes"},
		{name: "ksn not hex", args: []string{"dukpt", "derive", "-bdk", bdk, "-ksn", "FFFF9876543210E0000G"}, code: 2, errHas: "-ksn is not hexadecimal"},
		{name: "bad usage", args: tdes("FFFF9876543210E00001", "pinx"), code: 2, errHas: `-usage "pinx"`},
		{name: "aes usage on tdes", args: tdes("FFFF9876543210E00001", "mac-both"), code: 2, errHas: "AES DUKPT only"},
		{name: "type on tdes", args: append(tdes("FFFF9876543210E00001"), "-type", "aes128"), code: 2, errHas: "-type is for AES"},
		{name: "bad type", args: []string{"dukpt", "derive", "-bdk", aesBDK, "-ksn", "123456789012345600000001", "-type", "des"}, code: 2, errHas: `-type "des"`},
		{name: "any-counter on tdes", args: append(tdes("FFFF9876543210E00001"), "-any-counter"), code: 2, errHas: "-any-counter is for AES"},
		{name: "stray arg", args: append(tdes("FFFF9876543210E00001"), "x"), code: 2, errHas: "unexpected argument"},
	})
}

// The golden files hold the published values; check them here too, so a
// regenerated golden file cannot drift from the standard unnoticed.
func TestDUKPTGoldenHoldVectors(t *testing.T) {
	want := map[string][]string{
		"dukpt_tdes_1.golden": {"6AC292FAA1315B4D858AB3A3D7D5933A", "042666B49184CFA368DE9628D0397BC9", "042666B49184CF5C68DE9628D0397B36",
			"042666B4918430A368DE9628D03984C9", "042666B46E84CFA368DE96282F397BC9", "448D3F076D8304036A55A3D7E0055A78", "AD7BFC8B06AD3A08A560B4105CF8D9E5"},
		"dukpt_tdes_2.golden":           {"C46551CEF9FD24B0AA9AD834130D3BC7", "C46551CEF9FD244FAA9AD834130D3B38"},
		"dukpt_tdes_3.golden":           {"0DF3D9422ACA56E547676D07AD6BADFA", "0DF3D9422ACA561A47676D07AD6BAD05"},
		"dukpt_tdes_eff800.golden":      {"F9CDFEBF4F5B1D9EB3EC12454527E176"},
		"dukpt_tdes_effc00.golden":      {"F9430DF975082491C77BE4EF4FDB91EE"},
		"dukpt_tdes_f00000.golden":      {"AA4D58DB653EC74A48C75F2F047DD2B5"},
		"dukpt_aes128_1.golden":         {"1273671EA26AC29AFA4D1084127652A1", "4F21B565BAD9835E112B6465635EAE44", "AF8CB133A78F8DC2D1359F18527593FB", "A2DC23DE6FDE0824A2BC321E08E4B8B7", "A35C412EFD41FDB98B69797C02DCD08F"},
		"dukpt_aes128_2.golden":         {"2F34D68DE10F68D38091A73B9E7C437C", "D30BDC73EC9714B000BEC66BDB7B6D09"},
		"dukpt_aes128_1fffe.golden":     {"E21E8C8D347F8561A2BE752DAA85A111"},
		"dukpt_aes128_ffff0000.golden":  {"F6BA59389BD14A9855BE9727E7C52E3C"},
		"dukpt_aes_update.json.golden":  {"9A9770AEE1ACD1B13473D0463A1883B9"},
		"dukpt_aes_update_tdes2.golden": {"4744A5ECBC62B5C4BB76FBEAE1E244A3"},
		"dukpt_aes_update_tdes3.golden": {"AF82BE8533CFCA526DA71708667AD0BBC7A7517504C78C8A"},
		"dukpt_aes256_1.json.golden":    {"CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F", "54AC2B32B145EA4A554CB8BC44B17467063A799856B1CCC2A138D36E8DBF78B3", "8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502"},
		"dukpt_aes256_1_aes128.golden":  {"09C9C432966811D6B2C3336BAC1B1202"},
	}
	for file, values := range want {
		b := readGolden(t, file)
		for _, v := range values {
			if !strings.Contains(b, v) {
				t.Errorf("%s lacks the published value %s", file, v)
			}
		}
	}
}
