// Command pos runs a card-payment terminal and an acquirer host in one
// process and walks through a shop's day over ISO 8583 on a loopback TCP
// connection:
//
//	go run ./examples/pos                       # ISO 8583:1987 ASCII, TDES DUKPT
//	go run ./examples/pos -spec cup -dukpt aes  # UnionPay spec, AES DUKPT
//	go run ./examples/pos -quiet -load 8        # 8 terminals for 5 s: TPS and p99
//
// Read it in this order: main.go (flags), journey.go (the day, step by
// step), terminal.go (the terminal), host.go, authorize.go and ledger.go
// (the acquirer host), card.go (the chip), wire.go (framing, field 59, the
// masked trace), keys.go (test keys) and load.go (many terminals at once).
//
// Every key here is a published test key or made up for the example; the
// host listens on 127.0.0.1 only.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/poskit/poskit/receipt"
)

func main() {
	err := run(os.Stdout, os.Args[1:])
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	default:
		fmt.Fprintln(os.Stderr, "pos:", err)
		os.Exit(1)
	}
}

// run parses the flags and runs the journey, or the load when -load is set.
func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("pos", flag.ContinueOnError)
	fs.SetOutput(w)
	spec := fs.String("spec", "ascii", "message spec: ascii (ISO 8583:1987, DUKPT MAC) or cup (UnionPay, session MAK)")
	dk := fs.String("dukpt", "tdes", "PIN key scheme: tdes (ISO format 0) or aes (ISO format 4)")
	lang := fs.String("lang", "both", "receipt language: zh, en or both")
	quiet := fs.Bool("quiet", false, "print only the steps, no frames or receipts")
	load := fs.Int("load", 0, "run N concurrent terminals instead of the journey and report TPS and p99")
	loadFor := fs.Duration("duration", 5*time.Second, "how long -load runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o := options{spec: Spec(*spec), dukpt: DUKPT(*dk), quiet: *quiet, load: *load, loadFor: *loadFor}
	if o.spec != SpecASCII && o.spec != SpecCUP {
		return fmt.Errorf("-spec %q: want ascii or cup", *spec)
	}
	if o.dukpt != DUKPTTDES && o.dukpt != DUKPTAES {
		return fmt.Errorf("-dukpt %q: want tdes or aes", *dk)
	}
	switch *lang {
	case "zh":
		o.lang = receipt.Chinese
	case "en":
		o.lang = receipt.English
	case "both":
		o.lang = receipt.Bilingual
	default:
		return fmt.Errorf("-lang %q: want zh, en or both", *lang)
	}
	if o.load > 0 {
		r, err := runLoad(o.spec, o.dukpt, o.load, o.loadFor, 0, io.Discard)
		fmt.Fprintln(w, r)
		return err
	}
	return journey(w, o)
}
