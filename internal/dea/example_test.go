package dea_test

import (
	"encoding/hex"
	"fmt"

	"github.com/poskit/poskit/internal/dea"
)

// The single-DES example of FIPS 81: key 0123456789ABCDEF, plaintext "Now is t".
func ExampleKey() {
	var k dea.Key
	k.SetUint64(0x0123456789ABCDEF)
	c := k.Encrypt(0x4E6F772069732074) // "Now is t"
	fmt.Printf("%016X\n", c)
	fmt.Printf("%016X\n", k.Decrypt(c))
	k.Wipe()
	// Output:
	// 3FA40E8A984D4815
	// 4E6F772069732074
}

// A DUKPT PIN key (ANSI X9.24-1:2009 A.4, counter 1) enciphering an ISO 9564
// format 0 PIN block.
func ExampleEDE() {
	key, _ := hex.DecodeString("042666B49184CF5C68DE9628D0397B36")
	var e dea.EDE
	if !e.Init(key) {
		fmt.Println("bad key length")
		return
	}
	defer e.Wipe()
	fmt.Printf("%016X\n", e.Encrypt(0x041274EDCBA9876F))
	// Output: 1B9C1845EB993A7A
}

// EncryptBlock works on byte arrays; a slice converts to an array pointer.
func ExampleEDE_EncryptBlock() {
	key, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	var e dea.EDE
	e.Init(key)
	var zero, kcv [8]byte
	e.EncryptBlock(&kcv, &zero)
	fmt.Printf("KCV %X\n", kcv[:3])
	// Output: KCV 08D7B4
}
