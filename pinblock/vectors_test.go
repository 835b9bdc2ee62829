package pinblock

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex in test: %v", err)
	}
	return b
}

// Clear blocks from docs/VECTORS.md, "ISO 9564-1 PIN blocks" (formats 0 and 2)
// and "TDES DUKPT — ANSI X9.24-1:2009 Annex A.4" (the format 0 block).
func TestEncodeVectors(t *testing.T) {
	for _, v := range []struct {
		name     string
		f        Format
		pin, pan string
		block    string
	}{
		{"ISO 9564-1 format 0", ISO0, "1234", "5432101234567891", "041215FEDCBA9876"},
		{"ISO 9564-1 format 0 (2)", ISO0, "1234", "5544332211009966", "041277CDDEEFF669"},
		{"ISO 9564-1 format 2", ISO2, "1234", "", "241234FFFFFFFFFF"},
		{"X9.24-1:2009 A.4 format 0", ISO0, "1234", "4012345678909", "041274EDCBA9876F"},
	} {
		t.Run(v.name, func(t *testing.T) {
			got, err := Encode(v.f, v.pin, v.pan)
			if err != nil {
				t.Fatal(err)
			}
			if want := unhex(t, v.block); !bytes.Equal(got, want) {
				t.Fatalf("Encode = %X, want %X", got, want)
			}
			pin, err := Decode(v.f, got, v.pan)
			if err != nil || pin != v.pin {
				t.Fatalf("Decode = %q, %v; want %q", pin, err, v.pin)
			}
			f, err := Detect(got)
			if err != nil || f != v.f {
				t.Fatalf("Detect = %v, %v; want %v", f, err, v.f)
			}
		})
	}
}

// docs/VECTORS.md, "ISO 9564-1 PIN blocks": a format 3 block with random A-F fill.
func TestDecodeFormat3Vector(t *testing.T) {
	block := unhex(t, "341277EEEFCCB43C")
	pin, err := Decode(ISO3, block, "5544332211009966")
	if err != nil || pin != "1234" {
		t.Fatalf("Decode = %q, %v; want 1234", pin, err)
	}
	if f, err := Detect(block); err != nil || f != ISO3 {
		t.Fatalf("Detect = %v, %v", f, err)
	}
	// The same block bound to another PAN must not decode to 1234.
	if pin, err := Decode(ISO3, block, "5432101234567891"); err == nil && pin == "1234" {
		t.Fatal("format 3 block decoded under another PAN")
	}
}

// docs/VECTORS.md, "TDES DUKPT — ANSI X9.24-1:2009 Annex A.4": PIN 1234, PAN
// 4012345678909, and for KSN counters 1, 2 and 3 the PIN key (the PIN
// variant of the transaction key) and the encrypted format 0 block.
func TestEncryptDUKPTVector(t *testing.T) {
	for _, v := range []struct{ ksn, pinKey, block string }{
		{"FFFF9876543210E00001", "042666B49184CF5C68DE9628D0397B36", "1B9C1845EB993A7A"},
		{"FFFF9876543210E00002", "C46551CEF9FD244FAA9AD834130D3B38", "10A01C8D02C69107"},
		{"FFFF9876543210E00003", "0DF3D9422ACA561A47676D07AD6BAD05", "18DC07B94797B466"},
	} {
		key, want := unhex(t, v.pinKey), unhex(t, v.block)
		got, err := Encrypt(ISO0, key, "1234", "4012345678909")
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("KSN %s: Encrypt = %X, %v; want %X", v.ksn, got, err, want)
		}
		pin, err := Decrypt(ISO0, key, want, "4012345678909")
		if err != nil || pin != "1234" {
			t.Fatalf("KSN %s: Decrypt = %q, %v", v.ksn, pin, err)
		}
	}
	key := unhex(t, "042666B49184CF5C68DE9628D0397B36")
	want := unhex(t, "1B9C1845EB993A7A")
	// 24-byte form of the same double-length key (K1 K2 K1).
	key24 := append(append([]byte{}, key...), key[:8]...)
	got, err := Encrypt(ISO0, key24, "1234", "4012345678909")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Encrypt with 24-byte key = %X, %v", got, err)
	}
	c, err := NewCipher(ISO0, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err = c.Encrypt("1234", "4012345678909")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Cipher.Encrypt = %X, %v", got, err)
	}
	got, err = c.AppendEncrypt([]byte{0xEE}, []byte("1234"), "4012345678909")
	if err != nil || !bytes.Equal(got, append([]byte{0xEE}, want...)) {
		t.Fatalf("Cipher.AppendEncrypt = %X, %v", got, err)
	}
	d, err := c.AppendDecrypt([]byte("PIN="), want, "4012345678909")
	if err != nil || string(d) != "PIN=1234" {
		t.Fatalf("Cipher.AppendDecrypt = %q, %v", d, err)
	}
}

// docs/VECTORS.md, "ISO 9564-1 PIN blocks", format 4: PIN 1234, PAN
// 4111111111111111, random half 2F69ADDE2E9E7ACE, AES key
// AF8CB133A78F8DC2D1359F18527593FB (the X9.24-3 counter-1 PIN key).
func TestFormat4Vector(t *testing.T) {
	const pan = "4111111111111111"
	key := unhex(t, "AF8CB133A78F8DC2D1359F18527593FB")
	random := unhex(t, "2F69ADDE2E9E7ACE")
	wantField := unhex(t, "441234AAAAAAAAAA2F69ADDE2E9E7ACE")
	wantPAN := unhex(t, "44111111111111111000000000000000")
	want := unhex(t, "A912150391AB65A67E52883D81CE2D15")

	p, err := encodeBytes(ISO4, "1234", pan, bytes.NewReader(random))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p[:], wantField) {
		t.Fatalf("PIN field = %X, want %X", p, wantField)
	}
	var a [16]byte
	panField16(a[:], pan)
	if !bytes.Equal(a[:], wantPAN) {
		t.Fatalf("PAN field = %X, want %X", a, wantPAN)
	}

	c, err := NewCipher(ISO4, key)
	if err != nil {
		t.Fatal(err)
	}
	c.Rand = bytes.NewReader(random)
	got, err := c.Encrypt("1234", pan)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Encrypt = %X, want %X", got, want)
	}
	pin, err := Decrypt(ISO4, key, want, pan)
	if err != nil || pin != "1234" {
		t.Fatalf("Decrypt = %q, %v", pin, err)
	}
	pin, err = Decode(ISO4, wantField, pan)
	if err != nil || pin != "1234" {
		t.Fatalf("Decode of the PIN field = %q, %v", pin, err)
	}
	if f, err := Detect(wantField); err != nil || f != ISO4 {
		t.Fatalf("Detect = %v, %v", f, err)
	}
}

// The format 4 PAN field (ISO 9564-1:2017 9.4.2, as docs/VECTORS.md states it)
// at every length: M = max(len-12, 0), then the PAN right-justified in 12
// digits, then zeros.
func TestPANField16(t *testing.T) {
	for _, v := range []struct{ pan, field string }{
		{"1", "00000000000010000000000000000000"},
		{"12345", "00000000123450000000000000000000"},
		{"123456789012", "01234567890120000000000000000000"},
		{"1234567890123", "11234567890123000000000000000000"},
		{"4111111111111111", "44111111111111111000000000000000"},
		{"1234567890123456789", "71234567890123456789000000000000"},
	} {
		var a [16]byte
		panField16(a[:], v.pan)
		if got := hex.EncodeToString(a[:]); got != v.field {
			t.Errorf("PAN %s: field %s, want %s", v.pan, got, v.field)
		}
	}
}

// Formats 1 and 3 reproduced exactly by injecting the fill.
//
// Format 1: the example of IBM CCA Basic Services ("ISO-1 PIN-block
// format", Appendix E): PIN 123456 with fill 6ABCFDE1 gives
// 161234566ABCFDE1. Format 1 draws 8 random bytes and uses their low 14-n
// nibbles as the fill.
//
// Format 3: the docs/VECTORS.md block 341277EEEFCCB43C (PAN 5544332211009966)
// holds the fill DCCEDCBDAA; format 3 maps a random byte b < 252 to
// A + b mod 6, so the bytes 3 2 2 4 3 2 1 3 0 0 give that fill.
func TestInjectedFillVectors(t *testing.T) {
	key := unhex(t, "0123456789ABCDEFFEDCBA9876543210")
	for _, v := range []struct {
		name     string
		f        Format
		pin, pan string
		random   []byte
		clear    string
	}{
		{"IBM CCA ISO-1 example", ISO1, "123456", "",
			[]byte{0x55, 0x55, 0x55, 0x55, 0x6A, 0xBC, 0xFD, 0xE1}, "161234566ABCFDE1"},
		{"docs/VECTORS.md format 3", ISO3, "1234", "5544332211009966",
			[]byte{3, 2, 2, 4, 3, 2, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0}, "341277EEEFCCB43C"},
	} {
		t.Run(v.name, func(t *testing.T) {
			p, err := encodeBytes(v.f, v.pin, v.pan, bytes.NewReader(v.random))
			if err != nil {
				t.Fatal(err)
			}
			want := unhex(t, v.clear)
			if !bytes.Equal(p[:8], want) {
				t.Fatalf("clear block %X, want %X", p[:8], want)
			}
			if pin, err := Decode(v.f, want, v.pan); err != nil || pin != v.pin {
				t.Fatalf("Decode = %q, %v", pin, err)
			}
			// Through a Cipher: the enciphered block is E(K, clear block).
			c, err := NewCipher(v.f, key)
			if err != nil {
				t.Fatal(err)
			}
			c.Rand = bytes.NewReader(v.random)
			got, err := c.Encrypt(v.pin, v.pan)
			if err != nil {
				t.Fatal(err)
			}
			exp := make([]byte, 8)
			c.b.Encrypt(exp, want)
			if !bytes.Equal(got, exp) {
				t.Fatalf("Encrypt = %X, want %X", got, exp)
			}
		})
	}
}

// The PAN fields at every length against a string statement of the rule,
// and a non-digit at every position of every length is ErrPAN.
func TestPANFieldsAllLengths(t *testing.T) {
	const digits19 = "9876543210987654321"
	for n := 1; n <= 19; n++ {
		pan := digits19[:n]
		// Format 4: M, PAN right-justified in 12 digits, zeros to 32.
		m := max(n-12, 0)
		want := string(rune('0'+m)) + strings.Repeat("0", max(12-n, 0)) + pan
		want += strings.Repeat("0", 32-len(want))
		var a [16]byte
		panField16(a[:], pan)
		if got := strings.ToUpper(hex.EncodeToString(a[:])); got != want {
			t.Errorf("format 4 PAN field, %d digits: %s, want %s", n, got, want)
		}
		// Formats 0 and 3: 0000 and the 12 digits before the check digit.
		if n >= 13 {
			want := "0000" + pan[n-13:n-1]
			var p [8]byte
			panField8(&p, pan)
			if got := strings.ToUpper(hex.EncodeToString(p[:])); got != want {
				t.Errorf("format 0 PAN field, %d digits: %s, want %s", n, got, want)
			}
		}
		for i := 0; i < n; i++ {
			for _, c := range []byte{'/', ':', 'A', ' ', 0, 0xFF} {
				bad := []byte(pan)
				bad[i] = c
				for _, f := range []Format{ISO0, ISO3, ISO4} {
					if f != ISO4 && n < 13 {
						continue
					}
					if _, err := panWords(f, string(bad)); !errors.Is(err, ErrPAN) {
						t.Fatalf("%v PAN %q: err %v", f, bad, err)
					}
				}
			}
		}
	}
}
