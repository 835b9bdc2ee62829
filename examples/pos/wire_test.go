package main

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/iso8583"
)

// The trace of a frame hides the PAN wherever it sits (field 2, track 2,
// tag 5A inside field 55) and a format 4 PIN block in field 59, and still
// shows what is not secret (the cryptogram, the KSN).
func TestTraceMasks(t *testing.T) {
	arqc := []byte{0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x07, 0x18}
	icc := emv.AppendTLV(nil, 0x9F26, arqc)
	icc = emv.AppendTLV(icc, 0x5A, []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x01, 0x19})
	icc = emv.AppendTLV(icc, 0x9F36, []byte{0x00, 0x2A})
	pb := strings.Repeat("AB", 16)
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		t.Run(string(spec), func(t *testing.T) {
			term := &iso8583.Terminal{Dialect: spec.dialect(), TerminalID: "POS00009", MerchantID: "898310048160001", Currency: "156", STAN: iso8583.NewSTANSource(0)}
			tx, err := term.Sale(iso8583.Card{PAN: card.PAN, Track2: card.track2(), ICC: icc, PINBlock: make([]byte, 8)}, 4200)
			if err != nil {
				t.Fatal(err)
			}
			m, err := message(spec.spec(), tx, privateData{tagKSN: "FFFF9876543210E00007", tagPINBlock: pb})
			if err != nil {
				t.Fatal(err)
			}
			packed, err := m.Pack()
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			tr := &tracer{w: &out}
			tr.frame("test", iso8583.Frame{TPDU: terminalTPDU, Header: terminalHeader, Message: packed}, m, spec.framing())
			s := out.String()
			checkNoSecrets(t, s)
			dump := s[:strings.Index(s, "  F0")]
			if strings.Contains(s, pb) || strings.Contains(dump, "41 42 41 42 41 42") {
				t.Error("the format 4 PIN block shows")
			}
			// the cryptogram is not secret: it shows in the hex dump
			want := strings.ToLower(hex.EncodeToString(arqc[:3]))
			if spec == SpecASCII {
				want = "41 31 42 32 43 33" // "A1B2C3" as ASCII hex characters
			} else {
				want = want[0:2] + " " + want[2:4] + " " + want[4:6]
			}
			if !strings.Contains(dump, want) {
				t.Errorf("the hex dump hides the cryptogram (%s):\n%s", want, dump)
			}
			if !strings.Contains(s, "476173******0119") {
				t.Errorf("want the masked PAN in the field list:\n%s", s)
			}
		})
	}
}

// parse59 reads the elements the host knows as substrings of field 59,
// keeps the last of a repeated tag, skips unknown tags and refuses what
// parsePrivate refuses.
func TestParse59(t *testing.T) {
	p, err := parse59("KS004ABCDXX0011PB0020AQO005QUERYQR003abcKS0021F")
	if err != nil {
		t.Fatal(err)
	}
	if want := (private59{ksn: "1F", pinBlock: "0A", qrOp: "QUERY", qr: "abc"}); p != want {
		t.Errorf("got %+v, want %+v", p, want)
	}
	if p, err := parse59(""); err != nil || p != (private59{}) {
		t.Errorf("empty field 59: %+v, %v", p, err)
	}
	for _, bad := range []string{"KS", "KS01", "KS0x1A", "KS005ABCD", "KS001AB"} {
		if _, err := parse59(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// decodeKSN decodes a KSN of even length within its buffer, and refuses
// an empty, odd, oversize or non-hex one.
func TestDecodeKSN(t *testing.T) {
	var kb [ksnMax]byte
	k, err := decodeKSN(kb[:], "FFFF9876543210E00001")
	if err != nil || hex.EncodeToString(k) != "ffff9876543210e00001" {
		t.Fatalf("got %x, %v", k, err)
	}
	for _, bad := range []string{"", "ABC", strings.Repeat("AB", ksnMax+1), "GG"} {
		if _, err := decodeKSN(kb[:], bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// mtiOf reads four ASCII digits on the ASCII spec and two BCD bytes on
// the UnionPay spec, and refuses anything else.
func TestMTIOf(t *testing.T) {
	for _, c := range []struct {
		spec Spec
		in   string
		want string
		ok   bool
	}{
		{SpecASCII, "0200rest", "0200", true},
		{SpecASCII, "02", "", false},
		{SpecASCII, "02x0", "", false},
		{SpecCUP, "\x02\x00rest", "0200", true},
		{SpecCUP, "\x02", "", false},
		{SpecCUP, "\x0A\x00", "", false},
	} {
		got, ok := mtiOf(c.spec, []byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("%s %q: got %q %v, want %q %v", c.spec, c.in, got, ok, c.want, c.ok)
		}
	}
	if err := (&hostConn{}).WriteMessage(nil, nil); err == nil {
		t.Error("the host's connections write whole frames only")
	}
}
