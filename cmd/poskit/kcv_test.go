package main

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/poskit/poskit/mac"
)

func TestKCV(t *testing.T) {
	runCases(t, []cmdCase{
		// ANSI X9.24-1 key check value; docs/VECTORS.md "MACs".
		{name: "tdes", args: []string{"kcv", "0123456789ABCDEFFEDCBA9876543210"}, stdout: "08D7B4\n"},
		{name: "separators", args: []string{"kcv", "01234567 89ABCDEF:FEDCBA98-76543210"}, stdout: "08D7B4\n"},
		{name: "stdin lines", args: []string{"kcv"}, stdin: "0123456789ABCDEFFEDCBA9876543210\n\n0123456789abcdeffedcba9876543210\n",
			stdout: "08D7B4\n08D7B4\n"},
		{name: "json", args: []string{"kcv", "-json", "0123456789ABCDEFFEDCBA9876543210"},
			stdout: "{\n  \"algorithm\": \"des\",\n  \"key_length\": 16,\n  \"kcv\": \"08D7B4\"\n}\n"},
		// errors
		{name: "bad alg", args: []string{"kcv", "-alg", "rsa", "00"}, code: 2, errHas: `-alg "rsa"`},
		{name: "not hex", args: []string{"kcv", "0123456789ABCDEFFEDCBA987654321Z"}, code: 2, errHas: "key 1 is not hexadecimal"},
		{name: "odd hex", args: []string{"kcv", "0123456789ABCDEFFEDCBA987654321"}, code: 2, errHas: "odd number of hex digits"},
		{name: "empty stdin", args: []string{"kcv"}, stdin: "\n", code: 2, errHas: "no key given"},
		{name: "key length", args: []string{"kcv", "0123456789ABCD"}, code: 1, errHas: "key 1 (7 bytes)"},
		{name: "aes length", args: []string{"kcv", "-alg", "aes", "0123456789ABCDEF"}, code: 1, errHas: "invalid key length"},
	})
}

// The AES check value printed is mac.AESKCV's (X9.24-3: CMAC of a zero
// block), and the DES one mac.KCV's, for several keys.
func TestKCVAgreesWithMac(t *testing.T) {
	for _, k := range []string{"AF8CB133A78F8DC2D1359F18527593FB", "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1"} {
		key, _ := hex.DecodeString(k)
		want, err := mac.AESKCV(key)
		if err != nil {
			t.Fatal(err)
		}
		r := poskit(t, "", "kcv", "-alg", "aes", k)
		if r.code != 0 || r.stdout != strings.ToUpper(hex.EncodeToString(want))+"\n" {
			t.Errorf("aes kcv %s: %+v, want %X", k, r, want)
		}
	}
	for _, k := range []string{"2222222222222222", "7CA110454A1A6E570131D9619DC1376E", "0123456789ABCDEFFEDCBA987654321001234567890ABCDEF"[:48]} {
		key, _ := hex.DecodeString(k)
		want, err := mac.KCV(key)
		if err != nil {
			t.Fatal(err)
		}
		r := poskit(t, "", "kcv", k)
		if r.code != 0 || r.stdout != strings.ToUpper(hex.EncodeToString(want))+"\n" {
			t.Errorf("kcv %s: %+v, want %X", k, r, want)
		}
	}
}

// No error message quotes a key, whatever is wrong with it.
func TestErrorsNeverEchoKeys(t *testing.T) {
	const key = "0123456789ABCDEFFEDCBA98765432"
	for _, args := range [][]string{
		{"kcv", key + "ZZ"},
		{"kcv", key},
		{"kcv", key + "1"},
		{"mac", "-alg", "x919", "-key", key + "ZZ", "00"},
		{"mac", "-alg", "x919", "-key", key, "00"},
		{"pinblock", "encrypt", "-key", key + "Z1", "-pin", "1234", "-pan", "4012345678909"},
		{"pinblock", "decrypt", "-key", key, "-pan", "4012345678909", "1B9C1845EB993A7A"},
		{"dukpt", "derive", "-bdk", key, "-ksn", "FFFF9876543210E00001"},
		{"dukpt", "derive", "-bdk", key + "Q0", "-ksn", "FFFF9876543210E00001"},
		{"iso8583", "decode", "-mac-alg", "cup", "-mac-key", key, "0800"},
	} {
		r := poskit(t, "", args...)
		if r.code == 0 {
			t.Errorf("%v: exit 0", args)
		}
		if strings.Contains(strings.ToUpper(r.stderr), key[:12]) {
			t.Errorf("%v: stderr echoes the key: %q", args, r.stderr)
		}
	}
}
