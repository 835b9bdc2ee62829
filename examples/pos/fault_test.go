package main

import (
	"encoding/hex"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/poskit/poskit/iso8583"
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
