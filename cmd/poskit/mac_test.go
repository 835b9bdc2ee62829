package main

import "testing"

func TestMAC(t *testing.T) {
	const dukptInput = "4012345678909D987" // X9.24-1:2009 A.4 MAC input (ASCII)
	runCases(t, []cmdCase{
		// ISO 9797-1 alg 1 with a DES key (ANSI X9.9 / FIPS 113); docs/VECTORS.md "MACs".
		{name: "x99", args: []string{"mac", "-alg", "x99", "-key", "0123456789ABCDEF", "-in", "raw", "7654321 Now is the time for "},
			stdout: "F1D30F6849312CA4\n"},
		// ISO 9797-1 alg 3 (X9.19) and alg 1 (TDES); docs/VECTORS.md "MACs".
		{name: "x919", args: []string{"mac", "-alg", "x919", "-key", "7CA110454A1A6E570131D9619DC1376E", "-in", "raw", "Hello World !!!!"},
			stdout: "F09B856213BAB83B\n"},
		{name: "alg3 stdin", args: []string{"mac", "-alg", "alg3", "-key", "7CA110454A1A6E570131D9619DC1376E", "-in", "raw"},
			stdin: "Hello World !!!!", stdout: "F09B856213BAB83B\n"},
		{name: "alg1 tdes", args: []string{"mac", "-alg", "alg1", "-key", "7CA110454A1A6E570131D9619DC1376E", "-in", "raw", "Hello World !!!!"},
			stdout: "862304D33AF01096\n"},
		// ISO 9797-1 alg 1, padding method 2; docs/VECTORS.md "MACs".
		{name: "alg1 pad2", args: []string{"mac", "-alg", "alg1", "-pad", "2", "-key", "0123456789ABCDEFFEDCBA9876543210", "1234567890ABCDEF"},
			stdout: "925B1737EF681AD3\n"},
		// RFC 4493 AES-CMAC examples 1 and 2.
		{name: "aes-cmac empty", args: []string{"mac", "-alg", "aes-cmac", "-key", "2B7E151628AED2A6ABF7158809CF4F3C", "-in", "raw", ""},
			stdout: "BB1D6929E95937287FA37D129B756746\n"},
		{name: "aes-cmac", args: []string{"mac", "-alg", "aes-cmac", "-key", "2B7E151628AED2A6ABF7158809CF4F3C", "6BC1BEE2 2E409F96 E93D7E11 7393172A"},
			stdout: "070A16B46B4D4144F79BDD9DD04A287C\n"},
		// UnionPay POS ECB MAC; docs/VECTORS.md "MACs".
		{name: "cup", args: []string{"mac", "-alg", "cup", "-key", "2222222222222222", "1234567890ABCDEFABCDEF1234567890"},
			stdout: "E267B6E2\n"},
		{name: "cup json", args: []string{"mac", "-alg", "cup", "-key", "2222222222222222", "-json", "1234567890ABCDEFABCDEF1234567890"},
			stdout: "{\n  \"algorithm\": \"cup\",\n  \"mac\": \"E267B6E2\",\n  \"mac_hex\": \"4532363742364532\"\n}\n"},
		// X9.24-1:2009 A.4: X9.19 request and response MACs of counter 1
		// under the DUKPT MAC keys, leftmost 4 bytes.
		{name: "dukpt request mac", args: []string{"mac", "-alg", "x919", "-key", "042666B4918430A368DE9628D03984C9", "-in", "raw", "-len", "4", dukptInput},
			stdout: "9CCC7817\n"},
		{name: "dukpt response mac", args: []string{"mac", "-alg", "x919", "-key", "042666B46E84CFA368DE96282F397BC9", "-in", "raw", "-len", "4", dukptInput},
			stdout: "20364223\n"},
		{name: "x919 json", args: []string{"mac", "-json", "-alg", "x919", "-key", "7CA110454A1A6E570131D9619DC1376E", "-in", "raw", "Hello World !!!!"},
			stdout: "{\n  \"algorithm\": \"x919\",\n  \"padding\": \"method 1\",\n  \"mac\": \"F09B856213BAB83B\"\n}\n"},
		// verification
		{name: "verify full", args: []string{"mac", "-alg", "x919", "-key", "7CA110454A1A6E570131D9619DC1376E", "-in", "raw", "-verify", "F09B856213BAB83B", "Hello World !!!!"},
			stdout: "MAC verified\n"},
		{name: "verify prefix", args: []string{"mac", "-alg", "x919", "-key", "042666B4918430A368DE9628D03984C9", "-in", "raw", "-verify", "9CCC7817", dukptInput},
			stdout: "MAC verified\n"},
		{name: "verify cup", args: []string{"mac", "-alg", "cup", "-key", "2222222222222222", "-verify", "E267B6E2", "1234567890ABCDEFABCDEF1234567890"},
			stdout: "MAC verified\n"},
		{name: "mismatch", args: []string{"mac", "-alg", "x919", "-key", "042666B4918430A368DE9628D03984C9", "-in", "raw", "-verify", "9CCC7818", dukptInput},
			code: 1, errHas: "MAC mismatch"},
		{name: "mismatch json", args: []string{"mac", "-json", "-alg", "cup", "-key", "2222222222222222", "-verify", "E267B6E3", "1234567890ABCDEFABCDEF1234567890"},
			code: 1, stdout: "{\n  \"algorithm\": \"cup\",\n  \"verified\": false\n}\n", errHas: "MAC mismatch"},
		// usage errors
		{name: "no alg", args: []string{"mac", "-key", "00", "00"}, code: 2, errHas: "missing -alg"},
		{name: "unknown alg", args: []string{"mac", "-alg", "hmac", "-key", "00", "00"}, code: 2, errHas: `-alg "hmac": unknown`},
		{name: "no key", args: []string{"mac", "-alg", "x919", "00"}, code: 2, errHas: "missing -key"},
		{name: "bad pad", args: []string{"mac", "-alg", "x919", "-pad", "4", "-key", "00", "00"}, code: 2, errHas: "-pad 4"},
		{name: "x99 tdes key", args: []string{"mac", "-alg", "x99", "-key", "7CA110454A1A6E570131D9619DC1376E", "00"}, code: 2, errHas: "8-byte DES key"},
		{name: "bad in", args: []string{"mac", "-alg", "cup", "-key", "2222222222222222", "-in", "b64", "00"}, code: 2, errHas: `-in "b64"`},
		{name: "data not hex", args: []string{"mac", "-alg", "cup", "-key", "2222222222222222", "hello"}, code: 2, errHas: "data is not hexadecimal"},
		{name: "no data", args: []string{"mac", "-alg", "cup", "-key", "2222222222222222"}, code: 2, errHas: "no data given"},
		{name: "bad len", args: []string{"mac", "-alg", "x919", "-len", "9", "-key", "7CA110454A1A6E570131D9619DC1376E", "00"}, code: 2, errHas: "-len 9"},
		{name: "verify short", args: []string{"mac", "-alg", "x919", "-verify", "9CCC78", "-key", "7CA110454A1A6E570131D9619DC1376E", "00"}, code: 2, errHas: "-verify: a MAC of 3 bytes"},
		{name: "verify not hex", args: []string{"mac", "-alg", "x919", "-verify", "9CCC78XY", "-key", "7CA110454A1A6E570131D9619DC1376E", "00"}, code: 2, errHas: "-verify is not hexadecimal"},
		// the package refuses the key
		{name: "key length", args: []string{"mac", "-alg", "x919", "-key", "0123456789ABCDEF", "00"}, code: 1, errHas: "invalid key length"},
	})
}
