package main

// faults.go: the network faults the host injects on its side (-faults):
// answers lost after booking, answers sent late, connections dropped
// instead of answering, and garbage frames instead of answers. Each
// answer to a financial request, reversal or advice draws one fault at
// most; sign-on, echo, settlement and batch upload are left alone.

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	connection "github.com/moov-io/iso8583-connection"

	"github.com/poskit/poskit/iso8583"
)

// faults are the probabilities of each fault in parts per million, and how
// late a delayed answer comes.
type faults struct {
	Drop, Delay, Close, Garbage int // parts per million
	DelayFor                    time.Duration
}

// faultNames lists the faults in the order they are drawn.
var faultNames = [...]string{"drop", "delay", "close", "garbage"}

func (f *faults) field(name string) *int {
	switch name {
	case "drop":
		return &f.Drop
	case "delay":
		return &f.Delay
	case "close":
		return &f.Close
	case "garbage":
		return &f.Garbage
	}
	return nil
}

// parseFaults reads "drop=5%,delay=2%,close=1%,garbage=1%": each fault
// with a percentage (up to four decimals, no float arithmetic).
func parseFaults(s string) (faults, error) {
	f := faults{DelayFor: 1500 * time.Millisecond}
	if s == "" {
		return f, nil
	}
	total := 0
	for _, part := range strings.Split(s, ",") {
		name, pct, ok := strings.Cut(strings.TrimSpace(part), "=")
		p := f.field(name)
		if !ok || p == nil {
			return f, fmt.Errorf("-faults %q: want drop=P%%,delay=P%%,close=P%%,garbage=P%%", part)
		}
		ppm, err := parsePercent(pct)
		if err != nil {
			return f, fmt.Errorf("-faults %s: %v", name, err)
		}
		*p = ppm
		total += ppm
	}
	if total > 1_000_000 {
		return f, fmt.Errorf("-faults %q: the probabilities add up to more than 100%%", s)
	}
	return f, nil
}

// parsePercent reads "5%", "0.25%" or "12.5" as parts per million.
func parsePercent(s string) (int, error) {
	s = strings.TrimSuffix(s, "%")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 4 {
		return 0, fmt.Errorf("%q: want a percentage such as 5%% or 0.25%%", s)
	}
	frac += strings.Repeat("0", 4-len(frac))
	w, err1 := strconv.ParseUint(whole, 10, 8)
	d, err2 := strconv.ParseUint(frac, 10, 16)
	if err1 != nil || err2 != nil || w > 100 || w == 100 && d > 0 {
		return 0, fmt.Errorf("%q: want a percentage from 0 to 100", s)
	}
	return int(w)*10_000 + int(d), nil
}

func (f faults) String() string {
	var parts []string
	for _, n := range faultNames {
		p := *f.field(n)
		if p > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d.%04d%%", n, p/10_000, p%10_000))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}

// faultInjector draws the faults. It is safe for concurrent use.
type faultInjector struct {
	f      faults
	mu     sync.Mutex
	rnd    *rand.Rand
	counts [len(faultNames)]atomic.Int64
}

func newFaultInjector(f faults, seed uint64) *faultInjector {
	return &faultInjector{f: f, rnd: rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))}
}

// set replaces the faults to inject from now on.
func (fi *faultInjector) set(f faults) {
	fi.mu.Lock()
	fi.f = f
	fi.mu.Unlock()
}

// draw returns the index in faultNames of the fault to inject, or -1, and
// how late a delayed answer comes.
func (fi *faultInjector) draw() (int, time.Duration) {
	fi.mu.Lock()
	f := fi.f
	if f.Drop+f.Delay+f.Close+f.Garbage == 0 {
		fi.mu.Unlock()
		return -1, 0
	}
	n := fi.rnd.IntN(1_000_000)
	fi.mu.Unlock()
	for i, name := range faultNames {
		p := *f.field(name)
		if n < p {
			fi.counts[i].Add(1)
			return i, f.DelayFor
		}
		n -= p
	}
	return -1, 0
}

// Counts returns how many faults of each kind were injected so far.
func (fi *faultInjector) Counts() string {
	var parts []string
	for i, n := range faultNames {
		parts = append(parts, fmt.Sprintf("%s %d", n, fi.counts[i].Load()))
	}
	return strings.Join(parts, ", ")
}

// garbageMessage is what a garbage frame carries: no message of either
// spec (0xFF is neither a BCD nor an ASCII digit).
var garbageMessage = []byte("\xff\xff\xff\xffnot an ISO 8583 message")

// apply injects the drawn fault into the answer out to request a on conn:
// it returns the frame to write and whether to write it.
func (fi *faultInjector) apply(h *Host, c *hostConn, conn *connection.Connection, a answer, out []byte) ([]byte, bool) {
	fault, late := fi.draw()
	switch fault {
	case 0:
		h.log.printf("host: %s: fault: the answer to %s STAN %s is lost\n", c.peer, a.kind, a.stan)
		return nil, false
	case 1:
		h.log.printf("host: %s: fault: the answer to %s STAN %s comes %v late\n", c.peer, a.kind, a.stan, late)
		t := time.NewTimer(late)
		defer t.Stop()
		select {
		case <-t.C:
		case <-h.done:
			return nil, false
		}
	case 2:
		h.log.printf("host: %s: fault: the connection drops before the answer to %s STAN %s\n", c.peer, a.kind, a.stan)
		conn.Close()
		return nil, false
	case 3:
		h.log.printf("host: %s: fault: a garbage frame instead of the answer to %s STAN %s\n", c.peer, a.kind, a.stan)
		g, err := c.framing.AppendFrame(nil, iso8583.Frame{TPDU: terminalTPDU.Reply(), Header: terminalHeader, Message: garbageMessage})
		return g, err == nil
	}
	return out, true
}
