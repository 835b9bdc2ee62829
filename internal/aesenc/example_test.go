package aesenc_test

import (
	"encoding/hex"
	"fmt"

	"github.com/poskit/poskit/internal/aesenc"
)

// A DUKPT-style step: build a schedule on the stack, encipher one block in
// place, wipe the schedule. The key and block are FIPS 197 Appendix C.1.
func ExampleKey() {
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	block, _ := hex.DecodeString("00112233445566778899aabbccddeeff")

	var k aesenc.Key
	if err := k.Init(key); err != nil {
		fmt.Println(err)
		return
	}
	defer k.Wipe()
	k.Encrypt(block, block)
	fmt.Printf("%x\n", block)

	err := k.Init(key[:10])
	fmt.Println(err)
	// Output:
	// 69c4e0d86a7b0430d8cdb78070b4c55a
	// aesenc: invalid AES key length: 10 bytes, want 16, 24 or 32
}
