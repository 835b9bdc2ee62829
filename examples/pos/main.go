// Command pos runs a card-payment terminal and an acquirer host in one
// process and walks through a shop's day over ISO 8583 on a loopback TCP
// connection:
//
//	go run ./examples/pos                       # ISO 8583:1987 ASCII, TDES DUKPT
//	go run ./examples/pos -spec cup -dukpt aes  # UnionPay spec, AES DUKPT
//	go run ./examples/pos -quiet -load 8        # 8 terminals for 5 s: TPS and p99
//	go run ./examples/pos -load 8 -faults drop=5%,delay=2%,close=1%,garbage=1%
//
// The host and the terminals can run in two processes:
//
//	go run ./examples/pos -serve 127.0.0.1:8583 -faults drop=5%   # until Ctrl-C
//	go run ./examples/pos -load 8 -duration 5s -host 127.0.0.1:8583
//
// Every run ends with a line starting "reconciled:" that compares the
// terminals' totals with the host's, and exits 1 when they differ once the
// queued reversals have been sent.
//
// Read it in this order: main.go (flags), journey.go (the day, step by
// step), terminal.go (the journey's terminal, one request at a time on its
// own connection), host.go, authorize.go and ledger.go (the acquirer host,
// served through moov-io/iso8583-connection), manage.go (the downloads the
// host serves and the terminal runs after sign-on), oda.go (offline data
// authentication with the downloaded CA keys), transfer.go (a card-to-card
// transfer), faults.go (the faults it injects), card.go (the chip),
// wire.go (framing, field 59, the masked trace), keys.go (test keys),
// load.go (many terminals at once) and lifecycle.go (the load's terminals:
// poskit's terminal package, whose POS reverses every request whose
// outcome is unknown and downloads at first start).
//
// The host's CA public keys, AID parameters and hot-card list are in
// testdata/tms.json and the card's certificates in testdata/card.json,
// both made by internal/gentms (go generate ./examples/pos) with test keys
// derived from fixed seeds: never a payment scheme's keys.
//
// Every key here is a published test key or made up for the example; the
// host listens on loopback addresses only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
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

// run parses the flags and runs the journey, the load (-load), the host
// alone (-serve) or the load against a host in another process (-load
// with -host). Every run ends with a line starting "reconciled:" and fails
// when the terminals' totals and the host's differ.
func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("pos", flag.ContinueOnError)
	fs.SetOutput(w)
	spec := fs.String("spec", "ascii", "message spec: ascii (ISO 8583:1987, DUKPT MAC) or cup (UnionPay, session MAK)")
	dk := fs.String("dukpt", "tdes", "PIN key scheme: tdes (ISO format 0) or aes (ISO format 4)")
	lang := fs.String("lang", "both", "receipt language: zh, en or both")
	quiet := fs.Bool("quiet", false, "print only the steps, no frames or receipts")
	load := fs.Int("load", 0, "run N concurrent terminals instead of the journey and report TPS and p99")
	loadFor := fs.Duration("duration", 5*time.Second, "how long -load runs (and -serve, when given)")
	faultSpec := fs.String("faults", "", "host-side faults, e.g. drop=5%,delay=2%,close=1%,garbage=1%")
	faultDelay := fs.Duration("fault-delay", 1500*time.Millisecond, "how late a delayed answer comes")
	seed := fs.Uint64("seed", 1, "seed of the fault draws")
	timeout := fs.Duration("timeout", time.Second, "how long a -load terminal waits for an answer")
	serve := fs.String("serve", "", "run the host alone on this loopback address (e.g. 127.0.0.1:8583) until interrupted")
	hostAddr := fs.String("host", "", "with -load: drive the host serving on this address in another process")
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
	f, err := parseFaults(*faultSpec)
	if err != nil {
		return err
	}
	f.DelayFor = *faultDelay
	durationSet := false
	fs.Visit(func(fl *flag.Flag) { durationSet = durationSet || fl.Name == "duration" })
	switch {
	case *serve != "" && (*load > 0 || *hostAddr != ""):
		return errors.New("-serve runs the host alone: drive it with -load N -host ADDR from another process")
	case *hostAddr != "" && *load == 0:
		return errors.New("-host needs -load N")
	case *hostAddr != "" && *faultSpec != "":
		return errors.New("-faults is injected by the host: give it to the -serve process")
	case *serve != "":
		var stop time.Duration
		if durationSet {
			stop = *loadFor
		}
		return serveHost(w, hostConfig{Spec: o.spec, DUKPT: o.dukpt, Addr: *serve, Faults: f, Seed: *seed}, stop, *quiet)
	case o.load > 0:
		r, err := runLoad(loadConfig{Spec: o.spec, DUKPT: o.dukpt, Terminals: o.load, Duration: o.loadFor,
			Addr: *hostAddr, Faults: f, Seed: *seed, Timeout: *timeout, Log: io.Discard})
		fmt.Fprintln(w, r)
		fmt.Fprintln(w, r.Reconciled())
		return err
	}
	if *faultSpec != "" {
		return errors.New("-faults applies to -load and -serve")
	}
	return journey(w, o)
}

// serveHost runs the host alone until SIGINT or SIGTERM (or for stop, when
// not 0), then prints its reconciliation: what the terminals settled
// against what the host booked.
func serveHost(w io.Writer, cfg hostConfig, stop time.Duration, quiet bool) error {
	cfg.Log = &tracer{w: w}
	if quiet {
		cfg.Log = &tracer{w: io.Discard}
	}
	h, err := startHost(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "host: serving %s on %s, faults %s\n", cfg.Spec, h.Addr(), cfg.Faults)
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if stop > 0 {
		var c2 context.CancelFunc
		ctx, c2 = context.WithTimeout(ctx, stop)
		defer c2()
	}
	<-ctx.Done()
	h.Close()
	settled, booked := h.Reconciliation()
	verdict := "balanced"
	if settled != booked {
		verdict = "NOT BALANCED"
	}
	fmt.Fprintf(w, "reconciled: terminals (as settled) %s; host %s; faults %s (injected: %s): %s\n",
		totalsText(settled), totalsText(booked), cfg.Faults, h.faults.Counts(), verdict)
	if settled != booked {
		return errors.New("the terminals' settlements and the host's books differ")
	}
	return nil
}
