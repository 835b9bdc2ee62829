package mac_test

import (
	"encoding/hex"
	"fmt"

	"github.com/poskit/poskit/mac"
)

// An ANSI X9.19 retail MAC, truncated to the 4 bytes that ISO 8583 field 64
// usually carries.
func ExampleISO9797Alg3() {
	key, _ := hex.DecodeString("7CA110454A1A6E570131D9619DC1376E")
	tag, err := mac.ISO9797Alg3(key, []byte("Hello World !!!!"), mac.Method1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("full %X, field 64 %X\n", tag, tag[:4])
	// Output: full F09B856213BAB83B, field 64 F09B8562
}

// A host reuses the key schedule for every message under one key and
// verifies in constant time. The protocol sends the leftmost 4 bytes, so the
// host names that truncation: Verify takes only the full 8-byte MAC.
func ExampleNewISO9797Alg3() {
	key, _ := hex.DecodeString("7CA110454A1A6E570131D9619DC1376E")
	m, err := mac.NewISO9797Alg3(key, mac.Method1)
	if err != nil {
		panic(err)
	}
	msg := []byte("Hello World !!!!")
	received, _ := hex.DecodeString("F09B8562")
	fmt.Println(mac.VerifyTruncated(m, msg, received, 4))
	fmt.Println(mac.VerifyTruncated(m, []byte("Hello World !!!?"), received, 4))
	fmt.Println(m.Verify(msg, received)) // a truncated tag is not the full MAC
	// Output:
	// true
	// false
	// false
}

// The China UnionPay POS MAC is 8 ASCII characters.
func ExampleCUPECB() {
	mak, _ := hex.DecodeString("2222222222222222")
	mab, _ := hex.DecodeString("1234567890ABCDEFABCDEF1234567890")
	tag, err := mac.CUPECB(mak, mab)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s\n", tag)
	// Output: E267B6E2
}

func ExampleAESCMAC() {
	key, _ := hex.DecodeString("2B7E151628AED2A6ABF7158809CF4F3C")
	msg, _ := hex.DecodeString("6BC1BEE22E409F96E93D7E117393172A")
	tag, _ := mac.AESCMAC(key, msg)
	fmt.Printf("%X\n", tag)
	// Output: 070A16B46B4D4144F79BDD9DD04A287C
}

func ExampleKCV() {
	key, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	kcv, _ := mac.KCV(key)
	fmt.Printf("%X\n", kcv)
	// Output: 08D7B4
}

// A long MAB can be streamed.
func ExampleAlgorithm_New() {
	key, _ := hex.DecodeString("0123456789ABCDEF")
	m, _ := mac.NewISO9797Alg1(key, mac.Method1)
	h := m.New()
	h.Write([]byte("7654321 "))
	h.Write([]byte("Now is the time for "))
	fmt.Printf("%X\n", h.Sum(nil))
	// Output: F1D30F6849312CA4
}

// Wrong key lengths name the lengths allowed.
func ExampleErrKeyLength() {
	_, err := mac.ISO9797Alg3(make([]byte, 8), nil, mac.Method1)
	fmt.Println(err)
	// Output: mac: invalid key length: ISO 9797-1 algorithm 3 takes a key of 16 or 24 bytes, not 8
}
