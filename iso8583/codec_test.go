package iso8583

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/moov-io/iso8583/encoding"
	"github.com/moov-io/iso8583/prefix"
)

func TestBCDEncoder(t *testing.T) {
	tests := []struct {
		enc  *BCDEncoder
		in   string
		want string
	}{
		{BCD, "123", "0123"},
		{BCD, "1234", "1234"},
		{BCD, "", ""},
		{BCD, "7", "07"},
		{BCDLeft, "123", "1230"},
		{BCDLeft, "071", "0710"}, // UnionPay field 22 of the golden capture
		{BCDLeftF, "123", "123F"},
		{BCDRight, "123", "F123"},
		{BCDLeft, "0", "00"},
		{BCD, "000000000001", "000000000001"},
	}
	for _, tt := range tests {
		got, err := tt.enc.Encode([]byte(tt.in))
		if err != nil {
			t.Fatalf("Encode(%q): %v", tt.in, err)
		}
		if !strings.EqualFold(hex.EncodeToString(got), tt.want) {
			t.Errorf("%+v Encode(%q) = %X, want %s", *tt.enc, tt.in, got, tt.want)
		}
		back, n, err := tt.enc.Decode(append(got, 0x99), len(tt.in))
		if err != nil || string(back) != tt.in || n != len(got) {
			t.Errorf("Decode(%X) = %q, %d, %v", got, back, n, err)
		}
	}
}

func TestBCDEncoderMatchesMoovOnEvenDigits(t *testing.T) {
	for _, s := range []string{"00", "1234", "9876543210", "000000001000"} {
		ours, err := BCD.Encode([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := encoding.BCD.Encode([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours, theirs) {
			t.Errorf("%s: ours %X, moov %X", s, ours, theirs)
		}
	}
	// odd counts: moov is right aligned with 0 pad, as our BCD
	ours, _ := BCD.Encode([]byte("123"))
	theirs, _ := encoding.BCD.Encode([]byte("123"))
	if !bytes.Equal(ours, theirs) {
		t.Errorf("odd: ours %X, moov %X", ours, theirs)
	}
}

func TestBCDEncoderErrors(t *testing.T) {
	if _, err := BCD.Encode([]byte("12a")); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("non-digit: %v", err)
	}
	if _, _, err := BCD.Decode([]byte{0x12}, 3); !errors.Is(err, ErrShortData) {
		t.Errorf("short: %v", err)
	}
	if _, _, err := BCD.Decode([]byte{0x12}, -1); !errors.Is(err, ErrLength) {
		t.Errorf("negative: %v", err)
	}
	if _, _, err := BCD.Decode([]byte{0x1A}, 2); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("nibble A: %v", err)
	}
	if _, _, err := BCD.Decode([]byte{0xA1}, 1); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("right pad A: %v", err)
	}
	if _, _, err := BCDLeft.Decode([]byte{0x1A}, 1); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("left pad A: %v", err)
	}
	// both pads accepted on decode
	for _, in := range [][]byte{{0x10}, {0x1F}} {
		if got, _, err := BCDLeft.Decode(in, 1); err != nil || string(got) != "1" {
			t.Errorf("left pad %X: %q %v", in, got, err)
		}
	}
	for _, in := range [][]byte{{0x01}, {0xF1}} {
		if got, _, err := BCD.Decode(in, 1); err != nil || string(got) != "1" {
			t.Errorf("right pad %X: %q %v", in, got, err)
		}
	}
}

// moov's BCD rejects the D separator and F pad of track 2; ours does not.
func TestMoovBCDRejectsTrackNibbles(t *testing.T) {
	if _, err := encoding.BCD.Encode([]byte("6224D2806")); err == nil {
		t.Error("moov BCD accepted D: the known fault is fixed upstream, revisit")
	}
	if _, _, err := encoding.BCD.Decode([]byte{0x62, 0xD2}, 4); err == nil {
		t.Error("moov BCD decoded D")
	}
	got, err := TrackD.Encode([]byte("6224D2806"))
	if err != nil || hex.EncodeToString(got) != "6224d28060" {
		t.Errorf("TrackD: %X %v", got, err)
	}
}

func TestNibbleEncoder(t *testing.T) {
	tests := []struct {
		enc       *NibbleEncoder
		in, want  string
		roundTrip string
	}{
		{Track, "4761739001010119=25122011758928889", "4761739001010119D25122011758928889", "4761739001010119=25122011758928889"},
		{Track, "4761739001010119D2512201175892888", "4761739001010119D2512201175892888F", "4761739001010119=2512201175892888"},
		{TrackD, "4761739001010119=2512201175892888", "4761739001010119D25122011758928880", "4761739001010119D2512201175892888"},
		{TrackD, "12ab", "12AB", "12AB"},
		{&NibbleEncoder{}, "1=2", "1D20", "1=2"}, // zero value: separator decodes as '=', pad 0
	}
	for _, tt := range tests {
		got, err := tt.enc.Encode([]byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if hex := bytes.ToUpper([]byte(hex.EncodeToString(got))); string(hex) != tt.want {
			t.Errorf("Encode(%q) = %s, want %s", tt.in, hex, tt.want)
		}
		back, n, err := tt.enc.Decode(got, len(tt.in))
		if err != nil || string(back) != tt.roundTrip || n != len(got) {
			t.Errorf("Decode = %q, %d, %v; want %q", back, n, err, tt.roundTrip)
		}
	}
	if _, err := Track.Encode([]byte("12^4")); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("bad char: %v", err)
	}
	if _, _, err := Track.Decode([]byte{0x12}, 3); !errors.Is(err, ErrShortData) {
		t.Errorf("short: %v", err)
	}
	if _, _, err := Track.Decode([]byte{0x12}, -2); !errors.Is(err, ErrLength) {
		t.Errorf("negative: %v", err)
	}
	if _, _, err := Track.Decode([]byte{0x1A}, 1); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("bad pad: %v", err)
	}
}

func TestHexBytesAndBinary(t *testing.T) {
	in := []byte{0xD1, 0xEE, 0xF4, 0x19, 0x00, 0xAE, 0x26, 0x09}
	enc, _ := HexBytes.Encode(in)
	if string(enc) != "D1EEF41900AE2609" {
		t.Errorf("HexBytes = %s", enc)
	}
	dec, n, err := HexBytes.Decode([]byte("d1eef41900ae2609FF"), 8)
	if err != nil || n != 16 || !bytes.Equal(dec, in) {
		t.Errorf("HexBytes.Decode = %X %d %v", dec, n, err)
	}
	if _, _, err := HexBytes.Decode([]byte("D1EEF41900AE260"), 8); !errors.Is(err, ErrShortData) {
		t.Errorf("short: %v", err)
	}
	if _, _, err := HexBytes.Decode([]byte("G1"), 1); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("bad hex: %v", err)
	}
	if _, _, err := HexBytes.Decode(nil, -1); !errors.Is(err, ErrLength) {
		t.Errorf("negative: %v", err)
	}

	src := []byte{1, 2, 3, 4}
	out, n, err := Binary.Decode(src, 2)
	if err != nil || n != 2 || !bytes.Equal(out, []byte{1, 2}) || cap(out) > 8 {
		t.Errorf("Binary.Decode = %v %d %v cap %d", out, n, err, cap(out))
	}
	out[0] = 9
	if src[0] != 1 {
		t.Error("Binary.Decode aliases its input")
	}
	if _, _, err := Binary.Decode(src, 5); !errors.Is(err, ErrShortData) {
		t.Errorf("short: %v", err)
	}
	if _, _, err := Binary.Decode(src, -1); !errors.Is(err, ErrLength) {
		t.Errorf("negative: %v", err)
	}
	enc, _ = Binary.Encode(src)
	enc[0] = 7
	if src[0] != 1 {
		t.Error("Binary.Encode aliases its input")
	}
}

func TestTextEncoders(t *testing.T) {
	if _, err := ASCII.Encode([]byte{'a', 0x80}); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("ASCII 0x80: %v", err)
	}
	if _, err := ASCIIDigits.Encode([]byte("12a")); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("digits: %v", err)
	}
	if _, _, err := ASCIIDigits.Decode([]byte("1a"), 2); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("digits decode: %v", err)
	}
	if _, err := ASCIITrack.Encode([]byte("1234=5678D9")); err != nil {
		t.Errorf("track: %v", err)
	}
	if _, err := ASCIITrack.Encode([]byte("12^4")); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("track ^: %v", err)
	}
	if _, _, err := ASCII.Decode([]byte("ab"), 3); !errors.Is(err, ErrShortData) {
		t.Errorf("short: %v", err)
	}
	if _, _, err := ASCII.Decode([]byte("ab"), -1); !errors.Is(err, ErrLength) {
		t.Errorf("negative: %v", err)
	}
	in := []byte("abc")
	enc, err := ASCII.Encode(in)
	if err != nil || &enc[0] != &in[0] {
		t.Error("ASCII.Encode copies (it should return its checked input)")
	}
	got, n, err := ASCII.Decode(in, 2)
	if err != nil || n != 2 || cap(got) != 2 || string(append(got, 'x')) != "abx" || in[2] != 'c' {
		t.Error("ASCII.Decode result is not capacity capped")
	}
	got, n, err = ASCII.Decode([]byte("abc"), 2)
	if err != nil || n != 2 || string(got) != "ab" {
		t.Errorf("decode: %q %d %v", got, n, err)
	}
}

func TestLengthPrefixers(t *testing.T) {
	tests := []struct {
		p    prefix.Prefixer
		n    int
		want string // hex of the prefix
	}{
		{LengthASCII.LL, 7, "3037"},
		{LengthASCII.LLL, 139, "313339"},
		{LengthASCII.LLLL, 1234, "31323334"},
		{LengthASCII.L, 7, "37"},
		{LengthBCD.LL, 16, "16"},
		{LengthBCD.LL, 34, "34"},
		{LengthBCD.LLL, 139, "0139"},
		{LengthBCD.LLLL, 1234, "1234"},
		{LengthBCD.L, 7, "07"},
		{LengthBCD.LLLLL, 12345, "012345"},
		{LengthBinary.LL, 200, "c8"},
		{LengthBinary.LLL, 426, "01aa"},
		{LengthHex.LL, 37, "3235"},
		{LengthHex.LLLL, 426, "30314141"},
		{HexCharsASCII.LLL, 139, "323738"}, // 139 bytes = 278 hex characters
	}
	for _, tt := range tests {
		got, err := tt.p.EncodeLength(999999, tt.n)
		if err != nil {
			t.Fatalf("%s EncodeLength(%d): %v", tt.p.Inspect(), tt.n, err)
		}
		if hex.EncodeToString(got) != tt.want {
			t.Errorf("%s EncodeLength(%d) = %x, want %s", tt.p.Inspect(), tt.n, got, tt.want)
		}
		n, read, err := tt.p.DecodeLength(999999, append(got, 0x39))
		if err != nil || n != tt.n || read != len(got) {
			t.Errorf("%s DecodeLength = %d, %d, %v", tt.p.Inspect(), n, read, err)
		}
	}
}

func TestLengthPrefixersMatchMoov(t *testing.T) {
	pairs := []struct {
		ours, moov prefix.Prefixer
		max        int
	}{
		{LengthASCII.LL, prefix.ASCII.LL, 99},
		{LengthASCII.LLL, prefix.ASCII.LLL, 999},
		{LengthBCD.LL, prefix.BCD.LL, 99},
		{LengthBCD.LLL, prefix.BCD.LLL, 999},
		{LengthBinary.LL, prefix.Binary.L, 255},
	}
	for _, p := range pairs {
		for n := 0; n <= p.max; n += 7 {
			a, err1 := p.ours.EncodeLength(p.max, n)
			b, err2 := p.moov.EncodeLength(p.max, n)
			if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
				t.Fatalf("%s vs %s at %d: %x %x %v %v", p.ours.Inspect(), p.moov.Inspect(), n, a, b, err1, err2)
			}
		}
	}
}

func TestLengthPrefixerTablesAreNotShared(t *testing.T) {
	a, _ := LengthBCD.LLL.EncodeLength(999, 139)
	b := append(a, 0xFF) // must copy, not write into the table
	b[0] = 0xEE
	c, _ := LengthBCD.LLL.EncodeLength(999, 139)
	d, _ := LengthBCD.LLL.EncodeLength(999, 140)
	if hex.EncodeToString(c) != "0139" || hex.EncodeToString(d) != "0140" || cap(a) != 2 {
		t.Errorf("table corrupted: %x %x", c, d)
	}
}

func TestLengthPrefixerErrors(t *testing.T) {
	if _, err := LengthASCII.LL.EncodeLength(99, 100); !errors.Is(err, ErrLength) {
		t.Errorf("over max: %v", err)
	}
	if _, err := LengthASCII.LL.EncodeLength(999, 100); !errors.Is(err, ErrLength) {
		t.Errorf("over digits: %v", err)
	}
	if _, err := LengthBinary.L.EncodeLength(999, 256); !errors.Is(err, ErrLength) {
		t.Errorf("over byte: %v", err)
	}
	if _, err := LengthBCD.LL.EncodeLength(99, -1); !errors.Is(err, ErrLength) {
		t.Errorf("negative: %v", err)
	}
	if _, err := LengthBCD.Fixed.EncodeLength(6, 5); !errors.Is(err, ErrLength) {
		t.Errorf("fixed: %v", err)
	}
	if b, err := LengthBCD.Fixed.EncodeLength(6, 6); err != nil || len(b) != 0 {
		t.Errorf("fixed ok: %x %v", b, err)
	}
	if n, read, err := LengthBCD.Fixed.DecodeLength(6, nil); n != 6 || read != 0 || err != nil {
		t.Errorf("fixed decode: %d %d %v", n, read, err)
	}
	if _, _, err := LengthBCD.LLL.DecodeLength(999, []byte{0x01}); !errors.Is(err, ErrShortData) {
		t.Errorf("short: %v", err)
	}
	if _, _, err := LengthBCD.LL.DecodeLength(99, []byte{0x1A}); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("bcd nibble: %v", err)
	}
	if _, _, err := LengthBCD.LLL.DecodeLength(999, []byte{0x11, 0x23}); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("bcd LLL high nibble: %v", err)
	}
	if _, _, err := LengthBCD.LLL.DecodeLength(100, []byte{0x01, 0x01}); !errors.Is(err, ErrLength) {
		t.Errorf("over max: %v", err)
	}
	if _, _, err := LengthASCII.LL.DecodeLength(99, []byte("1x")); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("ascii: %v", err)
	}
	if _, _, err := LengthHex.LL.DecodeLength(99, []byte("1x")); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("hex: %v", err)
	}
	if _, _, err := HexCharsASCII.LLL.DecodeLength(499, []byte("013")); !errors.Is(err, ErrLength) {
		t.Errorf("odd hex chars: %v", err)
	}
	if got := LengthBCD.LL.Inspect(); got != "poskit.BCD.LL" {
		t.Errorf("Inspect = %s", got)
	}
	if got := HexCharsASCII.Fixed.Inspect(); got != "poskit.HexCharsASCII.Fixed" {
		t.Errorf("Inspect = %s", got)
	}
}
