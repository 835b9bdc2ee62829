package main

import (
	"bytes"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer the host's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Several terminals at once for a short, bounded time: runLoad itself fails
// unless every sale is answered with its own STAN and a MAC and ARPC that
// verify, every RRN is unique, each terminal's totals equal the host's and
// the sum of its approved sales, and every settlement balances.
func TestLoad(t *testing.T) {
	for _, c := range []struct {
		spec Spec
		dk   DUKPT
	}{{SpecASCII, DUKPTTDES}, {SpecCUP, DUKPTAES}} {
		t.Run(string(c.spec)+"-"+string(c.dk), func(t *testing.T) {
			var log syncBuffer
			r, err := runLoad(loadConfig{Spec: c.spec, DUKPT: c.dk, Terminals: 6, Duration: 2 * time.Second, MaxSales: 40, Log: &log})
			if err != nil {
				t.Fatalf("%v\nhost log:\n%s", err, log.String())
			}
			if r.Sales == 0 || r.Sales > 6*40 {
				t.Errorf("%d sales, want 1 to 240", r.Sales)
			}
			if r.Sales >= 6*7 && r.Voids == 0 {
				t.Errorf("%d sales and no void", r.Sales)
			}
			if r.P99 < r.P50 || r.Max < r.P99 {
				t.Errorf("percentiles out of order: %v", r)
			}
			if s := log.String(); strings.Contains(s, "closing") || strings.Contains(s, "answering") || strings.Contains(s, ": PIN") || strings.Contains(s, "ARQC") {
				t.Errorf("host logged faults under a clean load:\n%s", s)
			}
			t.Log(r)
		})
	}
}

// The host's totals follow what it booked, so a terminal whose batch
// differs from the host's gets 95 at settlement and the batch stays open.
func TestSettlementNotBalanced(t *testing.T) {
	var log syncBuffer
	h, err := NewHost(SpecCUP, DUKPTTDES, &tracer{w: &log})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	term, err := NewTerminal(SpecCUP, DUKPTTDES, h.Addr(), 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	if err := term.SignOn(); err != nil {
		t.Fatal(err)
	}
	if _, err := term.ChipSale(1000); err != nil {
		t.Fatal(err)
	}
	term.batch[0].Amount = 999 // the terminal's record no longer matches
	if _, _, err := term.Settle(); err == nil {
		t.Fatal("want a settlement error")
	}
	if len(term.batch) != 1 {
		t.Error("the batch was closed")
	}
	if want := "settlement not balanced"; !bytes.Contains([]byte(log.String()), []byte(want)) {
		t.Errorf("host log lacks %q:\n%s", want, log.String())
	}
	term.batch[0].Amount = 1000
	if _, _, err := term.Settle(); err != nil {
		t.Fatalf("settle: %v", err)
	}
}

// -load runs through run and prints the figures.
func TestLoadFlag(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, []string{"-load", "2", "-duration", "200ms", "-spec", "cup"}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.HasPrefix(s, "load: 2 terminals, ") || !strings.Contains(s, "TPS, latency p50") {
		t.Errorf("output: %q", s)
	}
}

// The host in one "process" (-serve), the terminals in another (-load
// -host): both end with a reconciled line that balances.
func TestServeAndDrive(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var served syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(&served, []string{"-serve", addr, "-duration", "6s", "-quiet", "-spec", "cup", "-faults", "drop=10%"})
	}()
	var out bytes.Buffer
	var err2 error
	for try := 0; try < 50; try++ { // until the host listens
		out.Reset()
		if err2 = run(&out, []string{"-load", "2", "-duration", "1s", "-host", addr, "-spec", "cup", "-timeout", "300ms"}); err2 == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err2 != nil {
		t.Fatalf("driver: %v\n%s", err2, out.String())
	}
	if err := <-done; err != nil {
		t.Fatalf("host: %v\n%s", err, served.String())
	}
	for name, s := range map[string]string{"driver": out.String(), "host": served.String()} {
		if !strings.Contains(s, "\nreconciled: ") && !strings.HasPrefix(s, "reconciled: ") || !strings.Contains(s, ": balanced\n") {
			t.Errorf("%s output lacks a balanced reconciled line:\n%s", name, s)
		}
	}
	if !strings.Contains(served.String(), "injected: drop ") {
		t.Errorf("host output: %s", served.String())
	}
}

func TestParseFaults(t *testing.T) {
	f, err := parseFaults("drop=5%,delay=2.5%,close=0.0001%,garbage=1")
	if err != nil {
		t.Fatal(err)
	}
	if f.Drop != 50_000 || f.Delay != 25_000 || f.Close != 1 || f.Garbage != 10_000 {
		t.Errorf("parsed %+v", f)
	}
	if got := f.String(); got != "drop=5.0000%,delay=2.5000%,close=0.0001%,garbage=1.0000%" {
		t.Errorf("String: %q", got)
	}
	for _, bad := range []string{"lost=5%", "drop", "drop=x%", "drop=101%", "drop=100.5%", "drop=0.00001%", "drop=60%,delay=50%", "drop=-1%"} {
		if _, err := parseFaults(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	// the draws follow the probabilities: all or nothing at the extremes
	fi := newFaultInjector(faults{Drop: 1_000_000}, 1)
	for range 100 {
		if i, _ := fi.draw(); i != 0 {
			t.Fatal("drop=100% did not drop")
		}
	}
	fi.set(faults{})
	if i, _ := fi.draw(); i != -1 {
		t.Fatal("no faults drew one")
	}
}
