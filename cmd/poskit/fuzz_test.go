package main

import (
	"testing"
)

// decodeCommands are the decoders FuzzDecode feeds, indexed by the fuzzer's
// first argument. Each reads raw bytes or text from standard input.
var decodeCommands = [][]string{
	{"iso8583", "decode", "-in", "raw", "-spec", "cup"},
	{"iso8583", "decode", "-in", "raw", "-spec", "ascii", "-json"},
	{"iso8583", "decode", "-in", "raw", "-frame", "cup", "-mac-alg", "cup", "-mac-key", "2222222222222222"},
	{"tlv", "decode", "-in", "raw"},
	{"tlv", "decode", "-in", "raw", "-json", "-strict"},
	{"qr", "decode"},
	{"qr", "decode", "-cpm", "-json"},
	{"pinblock", "decode", "-in", "raw", "-pan", "4012345678909"},
	{"receipt", "render", "-format", "escpos"},
	{"fee", "quote", "-schedule", "-", "-amount", "100", "-channel", "chip"},
	{"iso8583", "encode", "-spec", "ascii"},
}

// FuzzDecode runs the decoding subcommands on arbitrary input: they must
// never panic and must exit 0, 1 or 2.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(0), []byte("\x02\x00\x30\x38\x04\x80\x20\xC0\x80\x10\x00\x00\x00"))
	f.Add(uint8(1), []byte("0200F23C"))
	f.Add(uint8(3), []byte("\x70\x0E\x5A\x08\x62\x24\x24\x29\x00\x00\x01\x13\x5F\x34\x01\x01"))
	f.Add(uint8(5), []byte(emvcoSample))
	f.Add(uint8(6), []byte("hQVDUFYwMWETTwegAAAAAxAQUApWSVNBIERFQklU"))
	f.Add(uint8(8), []byte(saleJSON))
	f.Add(uint8(9), []byte(scheduleJSON))
	f.Add(uint8(10), []byte(saleFields))
	f.Fuzz(func(t *testing.T, which uint8, input []byte) {
		args := decodeCommands[int(which)%len(decodeCommands)]
		r := poskit(t, string(input), args...)
		if r.code < 0 || r.code > 2 {
			t.Fatalf("%v: exit %d", args, r.code)
		}
		if r.code == 0 && r.stderr != "" {
			t.Fatalf("%v: exit 0 with stderr %q", args, r.stderr)
		}
	})
}
