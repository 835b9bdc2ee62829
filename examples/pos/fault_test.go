package main

import (
	"encoding/hex"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

// waitLog waits until the host's log holds want (the host works on its own
// goroutines). It fails after 10 s; it asserts nothing about time.
func waitLog(t *testing.T, log *syncBuffer, want string) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		if strings.Contains(log.String(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("host log lacks %q:\n%s", want, log.String())
}

// rawConn dials the host as a misbehaving terminal would.
func rawConn(t *testing.T, h *Host) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", h.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// expectClosed checks that the host hung up on c.
func expectClosed(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	// a reset is a close too: the host closed with unread bytes pending
	if b, err := io.ReadAll(c); (err != nil && !errors.Is(err, syscall.ECONNRESET)) || len(b) != 0 {
		t.Errorf("want the host to close without answering, got %d bytes, %v", len(b), err)
	}
}

// sendBadMAC sends a signed sale whose MAC was altered on the way and
// returns the host's answer.
func sendBadMAC(t *testing.T, term *Terminal) *iso8583.Transaction {
	t.Helper()
	keys, err := term.keysFor(true)
	if err != nil {
		t.Fatal(err)
	}
	f55, err := term.chip.generateAC(500, 156, time.Now(), true)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := term.iso.Sale(iso8583.Card{Track2: card.track2(), ICC: f55, Contactless: true}, 500)
	if err != nil {
		t.Fatal(err)
	}
	reqMAC, respMAC, err := term.macs(tx, keys)
	if err != nil {
		t.Fatal(err)
	}
	m, err := message(term.spec.spec(), tx, privateData{tagKSN: hex.EncodeToString(keys.KSN)})
	if err != nil {
		t.Fatal(err)
	}
	packed, err := iso8583.SignMessage(m, reqMAC)
	if err != nil {
		t.Fatal(err)
	}
	// change the last MAC byte (a hex character on the ASCII spec)
	switch b := &packed[len(packed)-1]; {
	case *b == '0':
		*b = '1'
	case term.spec == SpecASCII:
		*b = '0'
	default:
		*b ^= 0x01
	}
	if err := term.link.w.WriteFrame(iso8583.Frame{TPDU: terminalTPDU, Header: terminalHeader, Message: packed}); err != nil {
		t.Fatal(err)
	}
	fr, err := term.link.r.ReadFrame()
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := term.check(tx, fr, respMAC)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// A terminal that sends an answer (MTI 0210) where a request belongs is
// hung up on at once, with the reason logged.
func TestAnswerFromTerminal(t *testing.T) {
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		t.Run(string(spec), func(t *testing.T) {
			var log syncBuffer
			h, err := NewHost(spec, DUKPTTDES, &tracer{w: &log})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			c := rawConn(t, h)
			mti := []byte("0210")
			if spec == SpecCUP {
				mti = []byte{0x02, 0x10}
			}
			fr, err := spec.framing().AppendFrame(nil, iso8583.Frame{TPDU: terminalTPDU, Header: terminalHeader, Message: append(mti, "rest"...)})
			if err != nil {
				t.Fatal(err)
			}
			c.Write(fr)
			expectClosed(t, c)
			waitLog(t, &log, "an answer (MTI 0210) where a request belongs")
		})
	}
}

// Faults on some connections: the host answers or closes as it should,
// logs why (masked) and keeps serving a well-behaved terminal.
func TestFaults(t *testing.T) {
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		t.Run(string(spec), func(t *testing.T) {
			var log syncBuffer
			h, err := NewHost(spec, DUKPTTDES, &tracer{w: &log})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			good, err := NewTerminal(spec, DUKPTTDES, h.Addr(), 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer good.Close()
			if err := good.SignOn(); err != nil {
				t.Fatal(err)
			}
			if _, err := good.ChipSale(1000); err != nil {
				t.Fatal(err)
			}
			head := 2 + 5 // length and TPDU
			if spec == SpecCUP {
				head += 6 // UnionPay header
			}

			// A terminal that hangs up in the middle of a frame.
			c := rawConn(t, h)
			c.Write([]byte{0x00, 0x40, 0x60, 0x00, 0x06, 0x00, 0x00, 0x02})
			c.Close()
			waitLog(t, &log, "disconnected mid-frame")

			// A length header above the host's limit: refused unread.
			c = rawConn(t, h)
			c.Write([]byte{0xFF, 0xF0, 0x60, 0x00, 0x06})
			expectClosed(t, c)
			waitLog(t, &log, "oversize length header")

			// A well-framed frame that holds no message.
			c = rawConn(t, h)
			fr, err := spec.framing().AppendFrame(nil, iso8583.Frame{TPDU: terminalTPDU, Header: terminalHeader,
				Message: []byte("\x02\x00garbage, not ISO 8583 at all")})
			if err != nil {
				t.Fatal(err)
			}
			if len(fr) <= head {
				t.Fatal("frame too short")
			}
			c.Write(fr)
			expectClosed(t, c)
			waitLog(t, &log, "garbage frame")

			// A sale whose MAC does not verify: answered A0, not booked.
			before := h.Totals(good.ID())
			resp := sendBadMAC(t, good)
			if resp.ResponseCode != "A0" || resp.Approved() {
				t.Errorf("bad MAC answered %q, want A0", resp.ResponseCode)
			}
			if after := h.Totals(good.ID()); after != before {
				t.Errorf("a sale with a bad MAC was booked: %+v, was %+v", after, before)
			}
			waitLog(t, &log, "MAC mismatch; answering A0")

			// The well-behaved terminal, on its same connection, is still
			// served, and its batch balances.
			r, err := good.ChipSale(2000)
			if err != nil || !r.Entry.Approved {
				t.Fatalf("sale after the faults: %v", err)
			}
			if _, tt, err := good.Settle(); err != nil || tt.DebitCount != 2 || tt.DebitAmount != 3000 {
				t.Fatalf("settle after the faults: %+v %v", tt, err)
			}
			checkNoSecrets(t, log.String())
			t.Log(log.String())
		})
	}
}

// A wrong PIN is declined with 55 and the log names the card masked.
func TestWrongPIN(t *testing.T) {
	var log syncBuffer
	h, err := NewHost(SpecASCII, DUKPTAES, &tracer{w: &log})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	term, err := NewTerminal(SpecASCII, DUKPTAES, h.Addr(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	if err := term.SignOn(); err != nil {
		t.Fatal(err)
	}
	term.chip.card.PIN = "9999"
	r, err := term.ChipSale(1500)
	if err != nil {
		t.Fatal(err)
	}
	if r.Entry.Approved || r.Entry.Resp.ResponseCode != "55" {
		t.Errorf("wrong PIN answered %q, want 55", r.Entry.Resp.ResponseCode)
	}
	waitLog(t, &log, "476173******0119: PIN: incorrect PIN")
	checkNoSecrets(t, log.String())
	if tt := h.Totals(term.ID()); tt.DebitCount != 0 {
		t.Errorf("a declined sale was counted: %+v", tt)
	}
}

// A reversal that overtakes its original: the host remembers it and books
// the late original reversed, so the totals never hold it.
func TestReversalBeforeOriginal(t *testing.T) {
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		t.Run(string(spec), func(t *testing.T) {
			var log syncBuffer
			h, err := NewHost(spec, DUKPTTDES, &tracer{w: &log})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			term, err := NewTerminal(spec, DUKPTTDES, h.Addr(), 4, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer term.Close()
			if err := term.SignOn(); err != nil {
				t.Fatal(err)
			}
			f55, err := term.chip.generateAC(700, 156, time.Now(), true)
			if err != nil {
				t.Fatal(err)
			}
			sale, err := term.iso.Sale(iso8583.Card{Track2: card.track2(), ICC: f55, Contactless: true}, 700)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := term.Reverse(sale); err != nil {
				t.Fatal(err)
			}
			waitLog(t, &log, "before its original")
			keys, err := term.keysFor(false)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := term.exchange(sale, nil, keys); err != nil {
				t.Fatal(err)
			}
			if tt := h.Totals(term.ID()); tt.DebitCount != 0 || tt.DebitAmount != 0 {
				t.Errorf("the reversed sale is in the totals: %+v", tt)
			}
		})
	}
}

// Each fault of -faults in turn, at 20%, under a short load of three
// terminals: every request whose answer was lost, late, cut off or
// garbage ends "outcome unknown", is reversed before the terminal's next
// transaction, and the terminals' totals equal the host's at the end.
func TestFaultsReconcile(t *testing.T) {
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		for _, fault := range faultNames {
			t.Run(string(spec)+"-"+fault, func(t *testing.T) {
				f, err := parseFaults(fault + "=20%")
				if err != nil {
					t.Fatal(err)
				}
				f.DelayFor = 600 * time.Millisecond
				var log syncBuffer
				r, err := runLoad(loadConfig{Spec: spec, DUKPT: DUKPTTDES, Terminals: 3, Duration: 20 * time.Second,
					MaxSales: 15, Faults: f, Seed: 7, Timeout: 300 * time.Millisecond, Log: &log})
				if err != nil {
					t.Fatalf("%v\nhost log:\n%s", err, log.String())
				}
				if !r.Balanced() || !strings.Contains(r.Reconciled(), ": balanced") {
					t.Errorf("not balanced: %s", r.Reconciled())
				}
				if r.Unknown == 0 || r.Reversals < r.Unknown || r.Queued != 0 {
					t.Errorf("%d unknown outcomes, %d reversals acknowledged, %d queued: want some, all reversed", r.Unknown, r.Reversals, r.Queued)
				}
				if !strings.Contains(log.String(), "fault: ") {
					t.Errorf("the host logged no %s fault", fault)
				}
				checkNoSecrets(t, log.String())
				t.Log(r.Reconciled())
			})
		}
	}
}

// The host closing the connection while a sale is in flight gives
// "outcome unknown, reversal pending", never a raw EOF or reset; the
// reversal then undoes what the host booked.
func TestHostClosesMidRequest(t *testing.T) {
	var log syncBuffer
	h, err := NewHost(SpecCUP, DUKPTTDES, &tracer{w: &log})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	term, err := NewTerminal(SpecCUP, DUKPTTDES, h.Addr(), 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	if err := term.SignOn(); err != nil {
		t.Fatal(err)
	}
	h.SetFaults(faults{Close: 1_000_000})
	r, err := term.ChipSale(4200)
	if !errors.Is(err, errUnknown) {
		t.Fatalf("sale with the connection cut: %v, want an unknown outcome", err)
	}
	for _, raw := range []string{"EOF", "reset", "broken pipe", "use of closed"} {
		if strings.Contains(err.Error(), raw) {
			t.Errorf("error %q shows the raw I/O error", err)
		}
	}
	if tt := h.Totals(term.ID()); tt.DebitCount != 1 {
		t.Fatalf("the host did not book the sale before closing: %+v", tt)
	}
	h.SetFaults(faults{})
	if err := term.queueReversal(r.Entry.Req); err != nil {
		t.Fatal(err)
	}
	if n, err := term.SendQueued(); err != nil || n != 1 {
		t.Fatalf("queued reversal: %d sent, %v", n, err)
	}
	if tt := h.Totals(term.ID()); tt != (iso8583.Totals{}) {
		t.Errorf("after the reversal the host still holds %+v", tt)
	}
	// a repeat of the same reversal (0401) is acknowledged and changes nothing
	if err := term.queueReversal(r.Entry.Req); err != nil {
		t.Fatal(err)
	}
	term.queued[0].sends = 1
	if _, err := term.SendQueued(); err != nil {
		t.Fatal(err)
	}
	if _, tt, err := term.Settle(); err != nil || tt != (iso8583.Totals{}) {
		t.Fatalf("settle: %+v %v", tt, err)
	}
	waitLog(t, &log, "already undone")

	// the whole host going away: unknown too, not a raw error
	h.Close()
	if _, err := term.ChipSale(100); !errors.Is(err, errUnknown) || strings.Contains(err.Error(), "EOF") {
		t.Errorf("sale to a closed host: %v", err)
	}
}

// Several connections, each with many requests in flight at once, each
// request with its own TPDU: every answer goes back on its own connection
// with its own request's TPDU swapped, and its own STAN: 0 misrouted.
func TestNoMisroutedReplies(t *testing.T) {
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		t.Run(string(spec), func(t *testing.T) {
			h, err := NewHost(spec, DUKPTTDES, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			const conns, perConn = 4, 40
			var wg sync.WaitGroup
			var misrouted, answered atomic.Int64
			for c := range conns {
				wg.Add(1)
				go func() {
					defer wg.Done()
					nc, err := net.Dial("tcp", h.Addr())
					if err != nil {
						t.Error(err)
						return
					}
					defer nc.Close()
					nc.SetDeadline(time.Now().Add(30 * time.Second))
					term := &iso8583.Terminal{Dialect: spec.dialect(), TerminalID: terminalID(10 + c), MerchantID: "898310048160001",
						STAN: iso8583.NewSTANSource(uint32(c * 1000))}
					sent := map[string]iso8583.TPDU{}
					var out []byte
					for i := range perConn {
						tx, err := term.SignOn()
						if err != nil {
							t.Error(err)
							return
						}
						packed, err := tx.Pack(spec.spec())
						if err != nil {
							t.Error(err)
							return
						}
						tpdu := iso8583.NewTPDU(0x60, 0x0006, uint16(c*100+i+1))
						sent[tx.STAN] = tpdu
						if out, err = spec.framing().AppendFrame(out, iso8583.Frame{TPDU: tpdu, Header: terminalHeader, Message: packed}); err != nil {
							t.Error(err)
							return
						}
					}
					if _, err := nc.Write(out); err != nil { // all at once
						t.Error(err)
						return
					}
					r := iso8583.NewReader(nc, spec.framing())
					for range perConn {
						fr, err := r.ReadFrame()
						if err != nil {
							t.Error(err)
							return
						}
						resp, err := iso8583.Unpack(spec.spec(), fr.Message)
						if err != nil {
							t.Error(err)
							return
						}
						want, ok := sent[resp.STAN]
						if !ok || fr.TPDU != want.Reply() || resp.TerminalID != term.TerminalID || spec == SpecCUP && fr.Header != terminalHeader {
							misrouted.Add(1)
						}
						delete(sent, resp.STAN)
						answered.Add(1)
					}
				}()
			}
			wg.Wait()
			if misrouted.Load() != 0 || answered.Load() != conns*perConn {
				t.Errorf("%d of %d answers misrouted, %d answered", misrouted.Load(), conns*perConn, answered.Load())
			}
		})
	}
}

// Terminals of the lifecycle package with sales in flight when the host
// goes away: every outcome is approved, reversal pending or not sent —
// never a raw I/O error — and the queued reversals reach the host that
// comes back on the same address.
func TestHostClosedMidRunLifecycle(t *testing.T) {
	h, err := NewHost(SpecCUP, DUKPTAES, nil)
	if err != nil {
		t.Fatal(err)
	}
	addr := h.Addr()
	const n = 3
	terms := make([]*lcTerminal, n)
	for i := range terms {
		if terms[i], err = newLCTerminal(SpecCUP, DUKPTAES, addr, 20+i, 500*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		defer terms[i].Close()
		if err := terms[i].SignOn(); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var pending atomic.Int64
	stop := make(chan struct{})
	for _, term := range terms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				out, err := term.ChipSale(int64(100 + k))
				if err != nil {
					t.Error(err)
					return
				}
				switch {
				case out.Status == terminal.Approved:
				case out.Status == terminal.ReversalPending && (errors.Is(out.Err, terminal.ErrNoAnswer) || errors.Is(out.Err, terminal.ErrBadAnswer)):
					pending.Add(1)
				case out.Status == terminal.Declined && errors.Is(out.Err, terminal.ErrNotSent):
				default:
					t.Errorf("outcome %v (%v): want approved, reversal pending or not sent", out, out.Err)
					return
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	h.Close() // the host goes away with sales in flight
	time.Sleep(700 * time.Millisecond)
	close(stop)
	wg.Wait()

	// a host back on the same address receives the queued reversals
	h2, err := startHost(hostConfig{Spec: SpecCUP, DUKPT: DUKPTAES, Addr: addr})
	if err != nil {
		t.Skipf("address %s not free again: %v", addr, err)
	}
	defer h2.Close()
	for _, term := range terms {
		if err := term.SignOn(); err != nil {
			t.Fatal(err)
		}
		if err := retryN(20, term.pos.Flush); err != nil || len(term.pos.Pending()) != 0 {
			t.Errorf("%s: %d still queued: %v", term.id, len(term.pos.Pending()), err)
		}
	}
	t.Logf("%d sales were in flight when the host went away", pending.Load())
}
