package main

import (
	"io"
	"testing"
)

// One full chip sale over loopback: DUKPT keys, PIN block, ARQC, MAC,
// framing, TCP, the host's unpack, MAC check, PIN check, ARQC check,
// ARPC, response MAC, and the terminal's checks of the answer.
func BenchmarkSaleRoundTrip(b *testing.B) {
	for _, c := range []struct {
		spec Spec
		dk   DUKPT
	}{{SpecASCII, DUKPTTDES}, {SpecASCII, DUKPTAES}, {SpecCUP, DUKPTTDES}} {
		b.Run(string(c.spec)+"-"+string(c.dk), func(b *testing.B) {
			h, err := NewHost(c.spec, c.dk, &tracer{w: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			defer h.Close()
			t, err := NewTerminal(c.spec, c.dk, h.Addr(), 1, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer t.Close()
			if err := t.SignOn(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				r, err := t.ChipSale(1000)
				if err != nil || !r.Entry.Approved {
					b.Fatal(err)
				}
				if len(t.batch) >= 900 {
					if _, _, err := t.Settle(); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
