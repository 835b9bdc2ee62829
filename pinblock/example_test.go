package pinblock_test

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/poskit/poskit/pinblock"
)

// A terminal enciphers the PIN in format 0 under its PIN key; the host
// deciphers it. Values from ANSI X9.24-1:2009 Annex A.4 (first DUKPT
// transaction).
func Example() {
	pinKey, _ := hex.DecodeString("042666B49184CF5C68DE9628D0397B36")
	const pan = "4012345678909"

	block, err := pinblock.Encrypt(pinblock.ISO0, pinKey, "1234", pan)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", block)

	pin, err := pinblock.Decrypt(pinblock.ISO0, pinKey, block, pan)
	if err != nil {
		panic(err)
	}
	fmt.Println(pin == "1234")
	// Output:
	// 1B9C1845EB993A7A
	// true
}

func ExampleEncode() {
	block, _ := pinblock.Encode(pinblock.ISO0, "1234", "5432101234567891")
	fmt.Printf("%X\n", block)
	f, _ := pinblock.Detect(block)
	fmt.Println(f)
	// Output:
	// 041215FEDCBA9876
	// ISO-0
}

func ExampleDecode() {
	block, _ := hex.DecodeString("341277EEEFCCB43C")
	pin, err := pinblock.Decode(pinblock.ISO3, block, "5544332211009966")
	fmt.Println(pin, err)

	// The same block checked against another PAN fails the strict checks.
	_, err = pinblock.Decode(pinblock.ISO3, block, "5432101234567891")
	fmt.Println(err)
	// Output:
	// 1234 <nil>
	// pinblock: malformed PIN block
}

// A Cipher keeps the key schedule for repeated use; its Rand field supplies
// the random half of a format 4 block (here the fixed value of the
// published example, to reproduce it; leave it nil in production).
func ExampleCipher() {
	key, _ := hex.DecodeString("AF8CB133A78F8DC2D1359F18527593FB")
	random, _ := hex.DecodeString("2F69ADDE2E9E7ACE")

	c, err := pinblock.NewCipher(pinblock.ISO4, key)
	if err != nil {
		panic(err)
	}
	c.Rand = bytes.NewReader(random)
	block, _ := c.Encrypt("1234", "4111111111111111")
	fmt.Printf("%X\n", block)
	// Output:
	// A912150391AB65A67E52883D81CE2D15
}

// A host translates a format 0 block under a terminal's PIN key into format
// 4 under a zone key, without the PIN passing through its hands.
func ExampleTranslate() {
	dukptKey, _ := hex.DecodeString("042666B49184CF5C68DE9628D0397B36")
	zoneKey, _ := hex.DecodeString("00112233445566778899AABBCCDDEEFF")
	in, _ := hex.DecodeString("1B9C1845EB993A7A")
	const pan = "4012345678909"

	out, err := pinblock.Translate(pinblock.ISO0, dukptKey, pinblock.ISO4, zoneKey, in, pan)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(out))

	// The issuer, holding the zone key, checks the result.
	pin, err := pinblock.Decrypt(pinblock.ISO4, zoneKey, out, pan)
	fmt.Println(pin, err)
	// Output:
	// 16
	// 1234 <nil>
}

// AppendDecrypt hands the PIN back in a buffer the caller owns and can zero.
func ExampleCipher_AppendDecrypt() {
	key, _ := hex.DecodeString("042666B49184CF5C68DE9628D0397B36")
	block, _ := hex.DecodeString("1B9C1845EB993A7A")
	c, _ := pinblock.NewCipher(pinblock.ISO0, key)

	var buf [12]byte
	pin, err := c.AppendDecrypt(buf[:0], block, "4012345678909")
	fmt.Println(len(pin), err)
	clear(buf[:]) // done with the PIN
	// Output:
	// 4 <nil>
}
