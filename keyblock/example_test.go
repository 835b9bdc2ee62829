package keyblock_test

import (
	"encoding/hex"
	"fmt"

	"github.com/poskit/poskit/keyblock"
)

// Unwrap the version D example of TR-31:2018 A.7.4: an AES PIN encryption
// key under an AES-256 key block protection key.
func ExampleUnwrap() {
	kbpk, _ := hex.DecodeString("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6")
	h, key, err := keyblock.Unwrap(kbpk,
		"D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34")
	if err != nil {
		fmt.Println(err)
		return
	}
	kcv, _ := keyblock.CheckValue(h.Algorithm, key, keyblock.KCVCMAC)
	fmt.Printf("usage %s, algorithm %c, mode %c, %d-byte key, KCV %X\n", h.Usage, h.Algorithm, h.Mode, len(key), kcv)
	// Output: usage P0, algorithm A, mode E, 16-byte key, KCV 08793E25AB
}

// Wrap a DUKPT initial key for a terminal, with its initial key ID in the IK
// optional block and its check value in KC.
func ExampleWrap() {
	kbpk, _ := hex.DecodeString("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6")
	ik, _ := hex.DecodeString("1273671EA26AC29AFA4D1084127652A1")
	h := keyblock.Header{Version: 'D', Usage: "B1", Algorithm: 'A', Mode: 'X', KeyVersion: "00", Exportability: 'E',
		Blocks: []keyblock.Block{{ID: "IK", Data: "1234567890123456"}, {ID: "KC", Data: keyblock.KCVCMAC}}}
	kb, err := keyblock.Wrap(kbpk, h, ik)
	if err != nil {
		fmt.Println(err)
		return
	}
	back, _, err := keyblock.Unwrap(kbpk, kb)
	if err != nil {
		fmt.Println(err)
		return
	}
	kc, _ := back.Find("KC")
	fmt.Println(kb[:16], len(kb), "characters; KC", kc)
	// Output: D0160B1AX00E0300 160 characters; KC 0105EF4531EC
}
