package main

import (
	"bytes"
	"encoding/hex"
	"io"
	"os"
	"strings"
	"testing"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/iso8583"
)

// The tool's cost over the package calls it wraps: decoding the published
// UnionPay capture through run (flag parsing, hex input, output) against
// the floor of the same frame read, unpack and masked dump called directly.

func benchCapture(b *testing.B) (hexText string, raw []byte) {
	b.Helper()
	capture, err := os.ReadFile("testdata/cup_sale_capture.hex")
	if err != nil {
		b.Fatal(err)
	}
	hexText = strings.Join(strings.Fields(string(capture)), "")
	raw, err = hex.DecodeString(hexText)
	if err != nil {
		b.Fatal(err)
	}
	return hexText, raw
}

func BenchmarkISO8583Decode(b *testing.B) {
	hexText, _ := benchCapture(b)
	args := []string{"iso8583", "decode", "-frame", "cup", hexText}
	b.ReportAllocs()
	for b.Loop() {
		if code := run(args, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

func BenchmarkFloorISO8583Decode(b *testing.B) {
	_, raw := benchCapture(b)
	b.ReportAllocs()
	for b.Loop() {
		fr, err := iso8583.NewReader(bytes.NewReader(raw), iso8583.UnionPayFraming).ReadFrame()
		if err != nil {
			b.Fatal(err)
		}
		m := moov.NewMessage(iso8583.SpecUnionPay)
		if err := m.Unpack(fr.Message); err != nil {
			b.Fatal(err)
		}
		if err := iso8583.Dump(m, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKCV(b *testing.B) {
	args := []string{"kcv", "0123456789ABCDEFFEDCBA9876543210"}
	b.ReportAllocs()
	for b.Loop() {
		if code := run(args, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
