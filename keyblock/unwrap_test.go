package keyblock

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Structural errors, after psec's tests/test_tr31.py
// (test_header_block_load_exceptions, test_kb_unwrap_exceptions): the same
// malformed inputs, with our sentinels.
func TestUnwrapErrors(t *testing.T) {
	e16 := bytes.Repeat([]byte("E"), 16)
	for _, tc := range []struct {
		kbpk []byte
		kb   string
		want error
	}{
		{e16, "", ErrFormat},
		{e16, "B0000", ErrFormat},
		{e16, "_0000P0TE00N0000", ErrFormat},
		{e16, "BX040P0TE00N0000", ErrFormat},
		{e16, "B0040P0TE00N0000", ErrFormat}, // length field 40, 16 characters
		{e16, "B0016P0TE00N0X00", ErrFormat},
		{e16, "B0016P0TE00N0001", ErrFormat}, // reserved byte
		{e16, "E0016P0TE00N0000", ErrVersion},
		{e16, "B0016P0TE00N0030", ErrHeader}, // key context 3
		{e16, "B0020P0TE00N0100", ErrOptionalBlock},
		{e16, "B0020P0TE00N0100KS", ErrOptionalBlock},
		{e16, "B0020P0TE00N0100KS1Y", ErrOptionalBlock},
		{e16, "B0020P0TE00N0100KS02", ErrOptionalBlock},
		{e16, "B0021P0TE00N0100KS071", ErrOptionalBlock},
		{e16, "B0020P0TE00N0100KS00", ErrOptionalBlock},
		{e16, "B0022P0TE00N0100KS0000", ErrOptionalBlock},
		{e16, "B0022P0TE00N0100KS0003", ErrOptionalBlock},
		{e16, "B0024P0TE00N0100KS000101", ErrOptionalBlock},
		{e16, "B0024P0TE00N0100KS0001FF", ErrOptionalBlock},
		{e16, "B0024P0TE00N0100KS00010H", ErrOptionalBlock},
		{e16, "B0020P0TE00N0100**04", ErrOptionalBlock},
		{e16, "B0021P0TE00N0100KS05\x03", ErrOptionalBlock},
		{e16, "B0024P0TE00N0200PB04KS04", ErrOptionalBlock}, // PB not last
		{e16, "B0022P0TE00N0100ZZ06ab", ErrOptionalBlock},   // header not a multiple of 8
		{e16, "B0024P0TE00N0100KS08XYZW", ErrOptionalBlock}, // KS not hex
		{e16, "A0087M3TC00E000062C2C14D8785A01A9E8283525CA96F490D0CC6346FC7C2AC1E6FF354468910379AA5BBA", ErrFormat},
		{e16, "A0088M3TC00E000062C2C14D8785A01A9E8283525CA96F490D0CC6346FC7C2AC1E6FF354468910379AA5BBAX", ErrFormat},
		{e16, "A0088M3TC00E000062c2C14D8785A01A9E8283525CA96F490D0CC6346FC7C2AC1E6FF354468910379AA5BBA6", ErrFormat}, // mixed case
		{e16, "A0088M3TC00E000062C2C14D8785A01A9E8283525CA96F490D0CC6346FC7C2AC1E6FF354468910379AA5BBa6", ErrFormat}, // mixed case
		// moov-io/tr31 pkg/tr31/tr31_test.go, Test_invalid_enctript_key_uwrap: version D
		// MAC mismatch, key length field 0 and key length beyond the data (KBPK "E"*16).
		{e16, "D0112P0AE00E0000DDF7B73888F22B757600010215895621B94A4E8DA57DD3E01BB66FF046A4E6B89B8F5C30BDD3A946205FDF791C3548E4", ErrMAC},
		{e16, "D0080M3TC00E000007E81A7F29A870D4A0CD5AB27E9FEC4A8863E879B11EA3A0ADA406AD26D35B2F", ErrKey},
		{e16, "D0112P0AE00E00000DC02E4C2B63120403CC732FB1B17E6D44138E7C341AE7368DEAD6FB4673F25ECFD803F1101F701A7FE8BD3516D3D1BF", ErrKey},
		{e16, "D0048P0AE00E00009B8F5C30BDD3A946205FDF791C3548EC", ErrFormat},
		{bytes.Repeat([]byte("E"), 19), "D0112P0AE00E0000DDF7B73888F22B757600010215895621B94A4E8DA57DD3E01BB66FF046A4E6B89B8F5C30BDD3A946205FDF791C3548E4", ErrKBPK},
		{e16, "A0024M3TC00E00009AA5BBA6", ErrFormat},
		{e16, "B0032M3TC00E0000FFFFFFFF9AA5BBA6", ErrFormat},
		{e16, "A0056M3TC00E0000BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB9AA5BBA6", ErrMAC},
		{e16, "B0064M3TC00E0000BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBFFFFFFFF9AA5BBA6", ErrMAC},
		{e16, "C0056M3TC00E0000BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB9AA5BBA6", ErrMAC},
		{e16[:7], "A0088M3TC00E000062C2C14D8785A01A9E8283525CA96F490D0CC6346FC7C2AC1E6FF354468910379AA5BBA6", ErrKBPK},
		{e16[:8], "B0064M3TC00E000013F1B06566ECAE897A6DF8C7AA651FCEF9480447EEEC9933", ErrKBPK},
		// psec: key length field 0 bits, and 128 bits in 64 bits of key data (KBPK "E"*16).
		{e16, "A0056M3TC00E0000ABE3EB7813FD4031BCBAEC1FCAB750BB920E4863", ErrKey},
		{e16, "B0064M3TC00E000013F1B06566ECAE897A6DF8C7AA651FCEF9480447EEEC9933", ErrKey},
		{e16, "C0056M3TC00E0000629D73329F5F42D868B2EB1E4C52D1E191BC1D3C", ErrKey},
		{e16, "A0056M3TC00E0000EF14FD71CFCDCE0630AD5C1CDE0041DCF95CF1D0", ErrKey},
		{e16, "B0064M3TC00E00000398DC96A5DDB0EF61E26F8935173BD478DF9484050A672A", ErrKey},
		{e16, "C0056M3TC00E000001235EC22408B6CE866746FF992B8707FD7A26D2", ErrKey},
		// Header rules are checked on unwrap too.
		{e16, "B0064P0TX00E0000BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBFFFFFFFFFFFFFFFF", ErrCombination},
		{e16, "B0064P0TE00X0000BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBFFFFFFFFFFFFFFFF", ErrExportability},
	} {
		_, key, err := Unwrap(tc.kbpk, tc.kb)
		if !errors.Is(err, tc.want) {
			t.Errorf("%q: %v, want %v", tc.kb, err, tc.want)
		}
		if key != nil {
			t.Errorf("%q: key returned with an error", tc.kb)
		}
	}
}

// A key stronger than the KBPK is refused on unwrap as well: wrap a 3TDEA
// key under a 2TDEA KBPK by hand (seal skips the rules) and unwrap it.
func TestUnwrapStrength(t *testing.T) {
	kbpk := bytes.Repeat([]byte{0x21}, 16)
	plain := make([]byte, 32)
	plain[0], plain[1] = 0, 192 // 24-byte key
	kb, err := seal('B', kbpk, "B0096K0TB00E0000", plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Unwrap(kbpk, kb); !errors.Is(err, ErrStrength) {
		t.Fatalf("3TDEA under 2TDEA: %v", err)
	}
}

// No error text carries key bytes: unwrap with keys whose hex would be
// recognisable and look for it in every error.
func TestErrorsCarryNoKey(t *testing.T) {
	kbpk := unhex(t, "A1B2C3D4E5F60718293A4B5C6D7E8F90")
	key := unhex(t, "0F1E2D3C4B5A69788796A5B4C3D2E1F0")
	h := Header{Version: 'B', Usage: "P0", Algorithm: 'T', Mode: 'E', KeyVersion: "00", Exportability: 'E', Blocks: []Block{{"KC", "00"}}}
	kb, err := Wrap(kbpk, h, key)
	if err != nil {
		t.Fatal(err)
	}
	for i := 16; i < len(kb); i++ {
		bad := kb[:i] + "0" + kb[i+1:]
		_, _, err := Unwrap(kbpk, bad)
		if err == nil {
			continue
		}
		msg := strings.ToUpper(err.Error())
		if strings.Contains(msg, "A1B2C3D4") || strings.Contains(msg, "0F1E2D3C") || strings.Count(msg, "KEYBLOCK:") != 1 {
			t.Fatalf("error %q", err)
		}
	}
}

// Unwrap returns a fresh slice, and never touches the caller's KBPK.
func TestUnwrapFreshSlices(t *testing.T) {
	v := publishedVectors[7] // TR-31:2018 A.7.4
	kbpk := unhex(t, v.kbpk)
	_, k1, _ := Unwrap(kbpk, v.block)
	_, k2, _ := Unwrap(kbpk, v.block)
	k1[0] ^= 0xFF
	if k2[0] == k1[0] || !bytes.Equal(kbpk, unhex(t, v.kbpk)) {
		t.Fatal("shared key slice or modified KBPK")
	}
}

func TestParseHeader(t *testing.T) {
	h, err := ParseHeader("B0120P0TE12E0100KS1800604B120F9292800000E6E28F097CB0350B2EB2DF520947F779FA34D9759CEE7E0DEEACF8353DB778D47FA4EC20DA3A9754")
	if err != nil {
		t.Fatal(err)
	}
	if h.KeyVersion != "12" || h.String() != "B P0 T E 12 E" {
		t.Errorf("%v", h)
	}
	if ks, ok := h.Find("KS"); !ok || ks != "00604B120F9292800000" {
		t.Errorf("KS %q", ks)
	}
	if _, ok := h.Find("IK"); ok {
		t.Error("IK found")
	}
	if s := (Header{Version: 1}).String(); !strings.HasPrefix(s, "?") {
		t.Errorf("unprintable version shows as %q", s)
	}
}
