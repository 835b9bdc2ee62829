package mac

import (
	"bytes"
	"encoding/hex"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// Known-answer vectors. Sources are named per row; docs/VECTORS.md
// lists them, recomputed independently.
var vectors = []struct {
	name string
	alg  func(key, data []byte) ([]byte, error)
	key  string // hex
	data []byte
	want string // hex of the full MAC, or ASCII for the UnionPay MAC
}{
	{
		// ANSI X9.9 / FIPS 113 (FIPS 113 Appendix, the "Now is the time" example).
		name: "X9.9 single DES",
		alg:  alg1(Method1),
		key:  "0123456789ABCDEF",
		data: []byte("7654321 Now is the time for "),
		want: "F1D30F6849312CA4",
	},
	{
		// ANSI X9.19 retail MAC example (ISO 9797-1 algorithm 3).
		name: "X9.19 retail MAC",
		alg:  alg3(Method1),
		key:  "7CA110454A1A6E570131D9619DC1376E",
		data: []byte("Hello World !!!!"),
		want: "F09B856213BAB83B",
	},
	{
		// Same key and data, ISO 9797-1 algorithm 1 with TDES.
		name: "ISO 9797-1 alg 1 TDES",
		alg:  alg1(Method1),
		key:  "7CA110454A1A6E570131D9619DC1376E",
		data: []byte("Hello World !!!!"),
		want: "862304D33AF01096",
	},
	{
		// ISO 9797-1 algorithm 1, padding method 2 (docs/VECTORS.md, MACs).
		name: "ISO 9797-1 alg 1 method 2",
		alg:  alg1(Method2),
		key:  "0123456789ABCDEFFEDCBA9876543210",
		data: mustHex("1234567890ABCDEF"),
		want: "925B1737EF681AD3",
	},
	{
		// RFC 4493 section 4, example 1 (empty message).
		name: "AES-CMAC empty",
		alg:  AESCMAC,
		key:  "2B7E151628AED2A6ABF7158809CF4F3C",
		data: nil,
		want: "BB1D6929E95937287FA37D129B756746",
	},
	{
		// RFC 4493 section 4, example 2 (one block).
		name: "AES-CMAC 16 bytes",
		alg:  AESCMAC,
		key:  "2B7E151628AED2A6ABF7158809CF4F3C",
		data: mustHex("6BC1BEE22E409F96E93D7E117393172A"),
		want: "070A16B46B4D4144F79BDD9DD04A287C",
	},
	{
		// RFC 4493 section 4, example 3 (40 bytes: a partial last block).
		name: "AES-CMAC 40 bytes",
		alg:  AESCMAC,
		key:  "2B7E151628AED2A6ABF7158809CF4F3C",
		data: mustHex("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411"),
		want: "DFA66747DE9AE63030CA32611497C827",
	},
	{
		// RFC 4493 section 4, example 4 (64 bytes).
		name: "AES-CMAC 64 bytes",
		alg:  AESCMAC,
		key:  "2B7E151628AED2A6ABF7158809CF4F3C",
		data: mustHex("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710"),
		want: "51F0BEBF7E3B9D92FC49741779363CFE",
	},
	{
		// NIST SP 800-38B Appendix D.2, AES-192 example 2 (CMAC-AES192, Mlen 128).
		name: "AES-192-CMAC",
		alg:  AESCMAC,
		key:  "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B",
		data: mustHex("6BC1BEE22E409F96E93D7E117393172A"),
		want: "9E99A7BF31E710900662F65E617C5184",
	},
	{
		// NIST SP 800-38B Appendix D.3, AES-256 example 2 (CMAC-AES256, Mlen 128).
		name: "AES-256-CMAC",
		alg:  AESCMAC,
		key:  "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
		data: mustHex("6BC1BEE22E409F96E93D7E117393172A"),
		want: "28A7023F452E8F82BD4BF28D8C37C35C",
	},
	{
		// NIST SP 800-38B Appendix D.4, three-key TDEA example 1 (empty message).
		name: "TDES-CMAC empty",
		alg:  TDESCMAC,
		key:  "8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5",
		data: nil,
		want: "B7A688E122FFAF95",
	},
	{
		// NIST SP 800-38B Appendix D.4, three-key TDEA example 2 (Mlen 64).
		name: "TDES-CMAC 8 bytes",
		alg:  TDESCMAC,
		key:  "8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5",
		data: mustHex("6BC1BEE22E409F96"),
		want: "8E8F293136283797",
	},
	// psec test suite (public, tests/test_mac.py): TDES CBC-MAC and retail
	// MAC of "hello world" under every padding method.
	{name: "psec CBC-MAC method 1", alg: alg1(Method1), key: "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", data: []byte("hello world"), want: "68D9038F23360DF3"},
	{name: "psec CBC-MAC method 2", alg: alg1(Method2), key: "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", data: []byte("hello world"), want: "32DC341271ACCD00"},
	{name: "psec CBC-MAC method 3", alg: alg1(Method3), key: "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", data: []byte("hello world"), want: "CDACA53E2DAA5412"},
	// psec's retail MAC takes two keys: ASCII "AAAAAAAAAAAAAAAA" and
	// "BBBBBBBBBBBBBBBB", each a TDES key with equal halves, so single DES
	// keys 4141414141414141 and 4242424242424242.
	{name: "psec retail MAC method 1", alg: alg3(Method1), key: "41414141414141414242424242424242", data: []byte("hello world"), want: "3DDE5C5511661CBF"},
	{name: "psec retail MAC method 2", alg: alg3(Method2), key: "41414141414141414242424242424242", data: []byte("hello world"), want: "E16941032C3BC7D4"},
	{name: "psec retail MAC method 3", alg: alg3(Method3), key: "41414141414141414242424242424242", data: []byte("hello world"), want: "BA90F750EF43F668"},
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func alg1(p Padding) func(key, data []byte) ([]byte, error) {
	return func(key, data []byte) ([]byte, error) { return ISO9797Alg1(key, data, p) }
}

func alg3(p Padding) func(key, data []byte) ([]byte, error) {
	return func(key, data []byte) ([]byte, error) { return ISO9797Alg3(key, data, p) }
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			got, err := v.alg(unhex(t, v.key), v.data)
			if err != nil {
				t.Fatal(err)
			}
			if want := unhex(t, v.want); !bytes.Equal(got, want) {
				t.Fatalf("MAC = %X, want %s", got, v.want)
			}
		})
	}
}

// China UnionPay POS MAC (docs/VECTORS.md): MAB 1234567890ABCDEFABCDEF1234567890
// under the single-DES MAK 2222222222222222 folds to B9F9B96AA4FDB57F and
// gives the ASCII MAC "E267B6E2".
func TestCUPECBVector(t *testing.T) {
	mab := unhex(t, "1234567890ABCDEFABCDEF1234567890")
	if got := fold(0, mab); got != 0xB9F9B96AA4FDB57F {
		t.Fatalf("fold = %016X, want B9F9B96AA4FDB57F", got)
	}
	got, err := CUPECB(unhex(t, "2222222222222222"), mab)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "E267B6E2" {
		t.Fatalf("CUPECB = %q, want E267B6E2", got)
	}
	// A double-length MAK whose halves are equal is single DES.
	got2, err := CUPECB(unhex(t, "22222222222222222222222222222222"), mab)
	if err != nil {
		t.Fatal(err)
	}
	if string(got2) != "E267B6E2" {
		t.Fatalf("CUPECB with K1=K2 = %q, want E267B6E2", got2)
	}
}

// Key check value of the X9.24 test BDK (docs/VECTORS.md, MACs).
func TestKCV(t *testing.T) {
	got, err := KCV(unhex(t, "0123456789ABCDEFFEDCBA9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, unhex(t, "08D7B4")) {
		t.Fatalf("KCV = %X, want 08D7B4", got)
	}
}
