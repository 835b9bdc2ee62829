package emv_test

import (
	"encoding/hex"
	"fmt"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/mac"
)

// An issuer host verifies the ARQC of a Visa CVN 18 card and answers with an
// ARPC (method 2) for the card status update 00000000. The data is pyemv's
// public CVN 18 example.
func ExampleCVN_Verify() {
	imk, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210") // issuer master key (AC)
	field55, _ := hex.DecodeString("" +
		"9F0206000000004000" + "9F0306000000000000" + "9F1A020124" + "95058000048000" +
		"5F2A020124" + "9A03191105" + "9C0101" + "9F370452BF4585" + "82021800" +
		"9F3602001C" + "9F100706011203A0B800" + "9F26087A788EA6B8A3E733")

	cvn, err := emv.CVNForIAD(mustFind(field55, 0x9F10))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp := emv.ARPCResponse{CSU: []byte{0, 0, 0, 0}}
	arpc, err := cvn.Verify(imk, "1234567890123456", "00", field55, resp)
	if err != nil {
		fmt.Println("decline:", err)
		return
	}
	fmt.Println(cvn.Name)
	fmt.Printf("ARPC %X\n", arpc)
	fmt.Printf("tag 91 %X\n", resp.IssuerAuthenticationData(arpc))
	// Output:
	// Visa CVN 18
	// ARPC 9AF514C1
	// tag 91 9AF514C100000000
}

func mustFind(data []byte, t emv.Tag) []byte {
	v, _, _ := emv.Find(data, t)
	return v
}

// The building blocks: derive the keys, compute the cryptogram, answer it.
// Values from docs/VECTORS.md (option A, common session key, padding method 2).
func ExampleARQC() {
	imk, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	mk, _ := emv.ICCMasterKeyOptionA(imk, "9901234567890123", "45")
	sk, _ := emv.CommonSessionKey(mk, []byte{0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56})
	data, _ := hex.DecodeString("0123456789ABCDEF0123456789ABCDEF")
	arqc, _ := emv.ARQC(sk, data, mac.Method2)
	arpc, _ := emv.ARPCMethod1(mk, arqc, []byte{0x00, 0x00})
	fmt.Printf("ARQC %X\nARPC %X\n", arqc, arpc)
	// Output:
	// ARQC 4B46013359B7A58B
	// ARPC F8C9CECAABD55AD1
}
