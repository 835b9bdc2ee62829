// Command emvdecode describes EMV chip data: an ISO 8583 field 55 or a
// card's response (SELECT, GET PROCESSING OPTIONS, READ RECORD), given as
// hex. The PAN is masked (first 6, last 4), track data and names hidden.
//
//	go run ./examples/emvdecode                       # two samples
//	go run ./examples/emvdecode 9F26088A3B...         # your own hex
//	echo 70819F... | go run ./examples/emvdecode -    # hex from stdin
package main

import (
	"bufio"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/poskit/poskit/emv"
)

// Two samples: a field 55 of a Visa CVN 18 card (the published test data of
// that cryptogram version, with its ARQC), and a READ RECORD response
// holding track 2, a PAN, an expiry and a cardholder name (made up).
var samples = []string{
	"9F26087A788EA6B8A3E7339F2701809F100706011203A0B8009F370452BF4585" +
		"9F3602001C950580000480009A031911059C01019F02060000000040005F2A020124" +
		"820218009F1A0201249F0306000000000000",
	hex.EncodeToString(readRecord()),
}

func readRecord() []byte {
	var in []byte
	in = emv.AppendTLV(in, 0x57, []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x01, 0x19, 0xD2, 0x91, 0x22, 0x01, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0F})
	in = emv.AppendTLV(in, 0x5A, []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x01, 0x19})
	in = emv.AppendTLV(in, 0x5F24, []byte{0x29, 0x12, 0x31})
	in = emv.AppendTLV(in, 0x5F20, []byte("CARDHOLDER/TEST"))
	in = emv.AppendTLV(in, 0x5F34, []byte{0x01})
	in = emv.AppendTLV(in, 0x8C, []byte{0x9F, 0x02, 0x06, 0x9F, 0x03, 0x06, 0x9F, 0x1A, 0x02, 0x95, 0x05, 0x5F, 0x2A, 0x02, 0x9A, 0x03, 0x9C, 0x01, 0x9F, 0x37, 0x04})
	return emv.AppendTLV(nil, 0x70, in)
}

func main() {
	if err := run(os.Stdout, os.Stdin, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "emvdecode:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, stdin io.Reader, args []string) error {
	fs := flag.NewFlagSet("emvdecode", flag.ContinueOnError)
	fs.SetOutput(w)
	lenient := fs.Bool("lenient", false, "skip 00/FF padding and keep non-TLV templates raw, as real cards need")
	if err := fs.Parse(args); err != nil {
		return err
	}
	inputs := fs.Args()
	if len(inputs) == 0 {
		inputs = samples
	}
	for i, in := range inputs {
		if in == "-" {
			b, err := io.ReadAll(bufio.NewReader(stdin))
			if err != nil {
				return err
			}
			in = string(b)
		}
		data, err := hex.DecodeString(strings.Join(strings.Fields(in), ""))
		if err != nil {
			return fmt.Errorf("input %d: not hex: %w", i+1, err)
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := describe(w, data, *lenient); err != nil {
			return fmt.Errorf("input %d: %w", i+1, err)
		}
	}
	return nil
}

func describe(w io.Writer, data []byte, lenient bool) error {
	mode := emv.Strict
	if lenient {
		mode = emv.Lenient
	}
	// A card response ends with a status word (9000, 6A82 ...): split it off.
	data, sw, hasSW := emv.SplitStatusWord(data)
	// The whole tree, masked.
	if err := emv.Describe(w, data, emv.DescribeMode(mode)); err != nil {
		return err
	}
	if hasSW {
		fmt.Fprintf(w, "=> status word: %v\n", sw)
	}
	// A field 55 (it carries a cryptogram): the typed view and the
	// cryptogram version its issuer application data names.
	if _, ok, _ := emv.Find(data, 0x9F26); ok {
		f, err := emv.ParseField55(data)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "=> field 55: %v %X, ATC %d, amount %d (currency %03d), TVR %s\n",
			f.CID, f.AC, f.ATC, f.AmountAuthorised, f.CurrencyCode, f.TVR)
		// Elements of an unexpected length, unknown or repeated tags do not
		// cost the others: they are listed beside the result.
		for _, x := range f.Findings {
			fmt.Fprintf(w, "=> finding: %v\n", x)
		}
		if cvn, err := emv.CVNForIAD(f.IAD); err == nil {
			fmt.Fprintf(w, "=> cryptogram version: %s\n", cvn.Name)
		}
	}
	// A card record with track 2: the parsed, masked track.
	if v, ok, _ := emv.Find(data, 0x57); ok {
		t2, err := emv.ParseTrack2(v)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "=> track 2: %v, Luhn valid %v\n", t2, t2.LuhnValid())
	}
	return nil
}
