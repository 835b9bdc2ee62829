package main

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/mac"
)

// Field 59 comes from the network: parsing never panics, what parses
// encodes back to the same text when its tags are in order, and the host's
// parse59 accepts what parsePrivate accepts, with the same values.
func FuzzParsePrivate(f *testing.F) {
	f.Add("KS020FFFF9876543210E00001")
	f.Add("KS020FFFF9876543210E00001PB032" + "00112233445566778899AABBCCDDEEFF")
	f.Add("QO005ORDER")
	f.Add("KS999")
	f.Add("KS004ABCDKS0021A")
	f.Add("XX003abcPB000")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePrivate(s)
		q59, err59 := parse59(s)
		if (err == nil) != (err59 == nil) {
			t.Fatalf("%q: parsePrivate %v, parse59 %v", s, err, err59)
		}
		if err != nil {
			return
		}
		if want := (private59{ksn: p[tagKSN], pinBlock: p[tagPINBlock], qrOp: p[tagQROp], qr: p[tagQR]}); q59 != want {
			t.Fatalf("%q: parse59 %+v, parsePrivate %+v", s, q59, want)
		}
		q, err := parsePrivate(p.encode())
		if err != nil || len(q) != len(p) {
			t.Fatalf("re-encoding %q: %v", s, err)
		}
		for k, v := range p {
			if q[k] != v {
				t.Fatalf("tag %s: %q then %q", k, v, q[k])
			}
		}
		maskPrivate(s, nil)
	})
}

// Whatever a terminal sends, the host answers or refuses it without
// panicking, on both specs.
func FuzzHostFrame(f *testing.F) {
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		for _, b := range signedSeeds(f, spec) {
			f.Add(spec == SpecCUP, b)
		}
	}
	f.Add(false, []byte("0200"))
	hosts := map[bool]*Host{}
	for _, cup := range []bool{false, true} {
		spec := SpecASCII
		if cup {
			spec = SpecCUP
		}
		h, err := newHost(hostConfig{Spec: spec, DUKPT: DUKPTTDES})
		if err != nil {
			f.Fatal(err)
		}
		// a signed-on terminal, so that MAC'd requests reach the handlers
		if err := h.setSession("POS00001", iso8583.SessionKeys{PIN: make([]byte, 16), MAC: make([]byte, 16)}); err != nil {
			f.Fatal(err)
		}
		hosts[cup] = h
	}
	f.Fuzz(func(t *testing.T, cup bool, msg []byte) {
		h := hosts[cup]
		// a fuzzed sign-on may have changed the session keys
		if err := h.setSession("POS00001", iso8583.SessionKeys{PIN: make([]byte, 16), MAC: make([]byte, 16)}); err != nil {
			t.Fatal(err)
		}
		h.handle("fuzz", iso8583.Frame{TPDU: terminalTPDU, Header: terminalHeader, Message: msg})
	})
}

// signedSeeds are requests of every kind with a MAC that verifies (the
// session MAK of FuzzHostFrame's host on the UnionPay spec, the DUKPT MAC key
// of the KSN in field 59 on ASCII), so that the fuzzer starts inside the
// handlers.
func signedSeeds(f *testing.F, spec Spec) [][]byte {
	term := &iso8583.Terminal{Dialect: spec.dialect(), TerminalID: "POS00001", MerchantID: "898310048160001", Currency: "156", STAN: iso8583.NewSTANSource(0)}
	f55 := []byte{0x9F, 0x10, 0x07, 0x06, 0x01, 0x12, 0x03, 0xA0, 0xB8, 0x00, 0x9F, 0x36, 0x02, 0x00, 0x01}
	c := iso8583.Card{Track2: card.track2(), ICC: f55, PINBlock: make([]byte, 8)}
	orig := iso8583.Original{Batch: "000001", STAN: "000001", Date: "1121", RRN: "632506000001", AuthCode: "000001"}
	var txs []*iso8583.Transaction
	add := func(tx *iso8583.Transaction, err error) {
		if err != nil {
			f.Fatal(err)
		}
		txs = append(txs, tx)
	}
	add(term.SignOn())
	add(term.Sale(c, 100)) // a card sale
	add(term.Sale(c, 100)) // a QR order
	add(term.Sale(c, 100)) // a QR query
	add(term.Void(iso8583.Card{PAN: card.PAN}, 100, orig))
	add(term.Refund(iso8583.Card{PAN: card.PAN}, 50, orig))
	add(term.Reversal(txs[1], "98"))
	add(term.Settlement(iso8583.Totals{DebitCount: 1, DebitAmount: 100}))
	add(term.Echo())
	var out [][]byte
	for i, tx := range txs {
		ksn := append([]byte(nil), tdesInitialKSN...)
		ksn[9] = byte(i + 1)
		priv := privateData{tagKSN: hex.EncodeToString(ksn), tagPINBlock: strings.Repeat("0", 32)}
		switch i {
		case 2:
			priv[tagQROp] = "ORDER"
		case 3:
			priv[tagQROp] = "QUERY"
		}
		m, err := message(spec.spec(), tx, priv)
		if err != nil {
			f.Fatal(err)
		}
		var alg iso8583.MACAlgorithm
		if spec == SpecCUP {
			alg, err = mac.NewCUPECB(make([]byte, 16))
		} else {
			kq, _ := dukpt.TDESKey(tdesBDK, ksn, dukpt.MACGeneration)
			alg, _, err = newDUKPTMAC(DUKPTTDES, kq, kq)
		}
		if err != nil {
			f.Fatal(err)
		}
		b, err := iso8583.SignMessage(m, alg)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
