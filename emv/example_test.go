package emv_test

import (
	"encoding/hex"
	"fmt"
	"os"

	"github.com/poskit/poskit/emv"
)

// A field 55 as an acquirer receives it: decode the typed values, then
// print the whole of it for a log, masked.
func ExampleDescribe() {
	field55, _ := hex.DecodeString("9F2608C2A3A0B5F0F1E2D39F2701809F100706010A03A0B800" +
		"9F3704A1B2C3D49F3602001C950500000080009A032511219C01009F0206000000001000" +
		"5F2A020978820219809F1A0202505A0847617390010101195F340101")

	f, err := emv.ParseField55(field55)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v for %d minor units of currency %d, ATC %d\n", f.CID, f.AmountAuthorised, f.CurrencyCode, f.ATC)

	if err := emv.Describe(os.Stdout, field55); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ARQC for 1000 minor units of currency 978, ATC 28
	// 9F26 Application Cryptogram: C2A3A0B5F0F1E2D3
	// 9F27 Cryptogram Information Data: 80 (ARQC)
	// 9F10 Issuer Application Data: 06010A03A0B800
	// 9F37 Unpredictable Number: A1B2C3D4
	// 9F36 Application Transaction Counter (ATC): 001C
	// 95 Terminal Verification Results (TVR): 0000008000 (transaction exceeds floor limit)
	// 9A Transaction Date: 251121 (2025-11-21)
	// 9C Transaction Type: 00 (goods and services)
	// 9F02 Amount, Authorised (Numeric): 000000001000 (10.00 EUR)
	// 5F2A Transaction Currency Code: 0978 (EUR, Euro)
	// 82 Application Interchange Profile (AIP): 1980 (cardholder verification is supported; terminal risk management is to be performed; CDA supported; EMV mode is supported (contactless))
	// 9F1A Terminal Country Code: 0250 (FR, France)
	// 5A Application Primary Account Number (PAN): 476173******0119
	// 5F34 Application PAN Sequence Number: 01
}

// Build the CDOL1-related data a terminal sends in GENERATE AC: the card's
// list says which values and how long; the terminal's values fill it.
func ExampleBuildDOL() {
	cdol1, _ := hex.DecodeString("9F02069F03069F1A0295055F2A029A039C019F3704")
	dol, err := emv.ParseDOL(cdol1)
	if err != nil {
		fmt.Println(err)
		return
	}
	terminal := emv.MapSource{
		0x9F02: {0x00, 0x00, 0x00, 0x00, 0x10, 0x00}, // 10.00
		0x9F1A: {0x02, 0x50},                         // France
		0x95:   {0x00, 0x00, 0x00, 0x80, 0x00},
		0x5F2A: {0x09, 0x78}, // EUR
		0x9A:   {0x25, 0x11, 0x21},
		0x9C:   {0x00},
		0x9F37: {0xA1, 0xB2, 0xC3, 0xD4},
		// 9F03 (amount, other) is absent: zero-filled.
	}
	data := emv.BuildDOL(nil, dol, terminal)
	fmt.Println(dol.Len(), "bytes:")
	fmt.Printf("%X\n", data)
	// Output:
	// 29 bytes:
	// 00000000100000000000000002500000008000097825112100A1B2C3D4
}

// Find reads one value out of nested templates without allocating.
func ExampleFind() {
	gpo, _ := hex.DecodeString("7716820219809F360200219F2608C2A3A0B5F0F1E2D39F270180")
	atc, ok, err := emv.Find(gpo, 0x9F36)
	fmt.Printf("%X %v %v\n", atc, ok, err)
	// Output:
	// 0021 true <nil>
}

// The scanner walks every object, depth first, without copying.
func ExampleScanner() {
	ppse, _ := hex.DecodeString("6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A0000000031010870101")
	s := emv.NewScanner(ppse)
	for s.Next() {
		fmt.Printf("%*s%v %d bytes\n", 2*s.Depth(), "", s.Tag(), len(s.Value()))
	}
	if err := s.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 6F 35 bytes
	//   84 14 bytes
	//   A5 17 bytes
	//     BF0C 14 bytes
	//       61 12 bytes
	//         4F 7 bytes
	//         87 1 bytes
}
