// Command pinblock shows ISO 9564-1 PIN blocks: a format 0 block enciphered
// under a TDES key on the terminal, deciphered on the host, and translated
// to format 4 under an AES key for the next hop.
//
//	go run ./examples/pinblock
//	go run ./examples/pinblock -pin 4321 -pan 4111111111111111
//
// The keys are the published test keys of ANSI X9.24-1:2009 (annex A.4, the
// PIN key of KSN FFFF9876543210E00001) and X9.24-3:2017 (the AES-128 PIN
// key of counter 1). Test data only: real PINs are never printed.
package main

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/poskit/poskit/pinblock"
)

var (
	tdesPINKey, _ = hex.DecodeString("042666B49184CF5C68DE9628D0397B36")
	aesPINKey, _  = hex.DecodeString("AF8CB133A78F8DC2D1359F18527593FB")
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pinblock:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("pinblock", flag.ContinueOnError)
	fs.SetOutput(w)
	pin := fs.String("pin", "1234", "test PIN, 4 to 12 digits")
	pan := fs.String("pan", "4012345678909", "primary account number")
	if err := fs.Parse(args); err != nil {
		return err
	}

	// 1. The clear format 0 block: PIN field XOR PAN field.
	clear, err := pinblock.Encode(pinblock.ISO0, *pin, *pan)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "format 0, clear (test data):     %X\n", clear)

	// 2. The terminal's PIN pad enciphers it under the PIN key.
	block, err := pinblock.Encrypt(pinblock.ISO0, tdesPINKey, *pin, *pan)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "format 0 under the TDES PIN key: %X\n", block)

	// 3. The host deciphers and checks it; Decode is strict about every nibble.
	got, err := pinblock.Decrypt(pinblock.ISO0, tdesPINKey, block, *pan)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "host: block deciphers, PIN matches: %v\n", got == *pin)

	// 4. A wrong PAN or key is an error that says nothing about the PIN.
	if _, err := pinblock.Decrypt(pinblock.ISO0, aesPINKey[:16], block, *pan); err != nil {
		fmt.Fprintf(w, "under a wrong key: %v\n", err)
	}

	// 5. Translate to format 4 under an AES key without ever holding the
	// PIN in the clear (what an HSM does between two zones).
	f4, err := pinblock.Translate(pinblock.ISO0, tdesPINKey, pinblock.ISO4, aesPINKey, block, *pan)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "translated to format 4 (AES):    %X (%d bytes, random fill: differs each run)\n", f4, len(f4))
	got, err = pinblock.Decrypt(pinblock.ISO4, aesPINKey, f4, *pan)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "format 4 deciphers, PIN matches: %v\n", got == *pin)

	f, err := pinblock.Detect(clear)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Detect on the clear block: format %d\n", f)
	return nil
}
