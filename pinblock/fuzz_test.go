package pinblock

import (
	"bytes"
	"errors"
	"testing"
)

// knownErr reports whether err is one of the package's sentinel errors.
func knownErr(err error) bool {
	for _, e := range []error{ErrFormat, ErrPINLength, ErrPINDigits, ErrPAN, ErrKeyLength, ErrBlockLength, ErrBadBlock, ErrCipher, ErrTranslation} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func validPIN(pin string) bool { return checkPIN(pin) == nil }

// FuzzDecode decodes any block under any format byte and PAN: no panic, a
// known error, and when it succeeds a 4-12 digit PIN, a block Detect
// agrees with, and (formats 0 and 2) the block that Encode rebuilds.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(ISO0), []byte("\x04\x12\x74\xED\xCB\xA9\x87\x6F"), "4012345678909")
	f.Add(uint8(ISO0), []byte("\x04\x12\x15\xFE\xDC\xBA\x98\x76"), "5432101234567891")
	f.Add(uint8(ISO1), []byte("\x14\x12\x34\x01\x23\x45\x67\x89"), "")
	f.Add(uint8(ISO2), []byte("\x24\x12\x34\xFF\xFF\xFF\xFF\xFF"), "")
	f.Add(uint8(ISO3), []byte("\x34\x12\x77\xEE\xEF\xCC\xB4\x3C"), "5544332211009966")
	f.Add(uint8(ISO4), []byte("\x44\x12\x34\xAA\xAA\xAA\xAA\xAA\x2F\x69\xAD\xDE\x2E\x9E\x7A\xCE"), "4111111111111111")
	f.Add(uint8(7), []byte{}, "1")
	f.Fuzz(func(t *testing.T, format uint8, block []byte, pan string) {
		in := bytes.Clone(block)
		fm := Format(format)
		pin, err := Decode(fm, block, pan)
		if !bytes.Equal(in, block) {
			t.Fatal("Decode modified its input")
		}
		if err != nil {
			if pin != "" || !knownErr(err) {
				t.Fatalf("Decode = %q, %v", pin, err)
			}
			return
		}
		if !validPIN(pin) {
			t.Fatalf("Decode returned an invalid PIN %q", pin)
		}
		if d, err := Detect(block); err != nil || d != fm {
			t.Fatalf("Detect = %v, %v; Decode accepted %v", d, err, fm)
		}
		if fm == ISO0 || fm == ISO2 {
			again, err := Encode(fm, pin, pan)
			if err != nil || !bytes.Equal(again, block) {
				t.Fatalf("Encode(Decode(block)) = %X, %v; block %X", again, err, block)
			}
		}
	})
}

// FuzzDecrypt deciphers any block under any format byte, key and PAN: no
// panic, a known error, inputs untouched, and when it succeeds the PIN
// enciphers back (identically for formats 0 and 2) and deciphers again.
func FuzzDecrypt(f *testing.F) {
	k16 := []byte("\x04\x26\x66\xB4\x91\x84\xCF\x5C\x68\xDE\x96\x28\xD0\x39\x7B\x36")
	kAES := []byte("\xAF\x8C\xB1\x33\xA7\x8F\x8D\xC2\xD1\x35\x9F\x18\x52\x75\x93\xFB")
	f.Add(uint8(ISO0), k16, []byte("\x1B\x9C\x18\x45\xEB\x99\x3A\x7A"), "4012345678909")
	f.Add(uint8(ISO4), kAES, []byte("\xA9\x12\x15\x03\x91\xAB\x65\xA6\x7E\x52\x88\x3D\x81\xCE\x2D\x15"), "4111111111111111")
	for _, fm := range []Format{ISO1, ISO2, ISO3} {
		b, _ := Encrypt(fm, k16, "12345678", "5544332211009966")
		f.Add(uint8(fm), k16, b, "5544332211009966")
	}
	f.Add(uint8(ISO4), k16[:8], []byte{1, 2, 3}, "")
	f.Fuzz(func(t *testing.T, format uint8, key, block []byte, pan string) {
		kin, bin := bytes.Clone(key), bytes.Clone(block)
		fm := Format(format)
		pin, err := Decrypt(fm, key, block, pan)
		if !bytes.Equal(kin, key) || !bytes.Equal(bin, block) {
			t.Fatal("Decrypt modified its input")
		}
		if err != nil {
			if pin != "" || !knownErr(err) {
				t.Fatalf("Decrypt = %q, %v", pin, err)
			}
			return
		}
		if !validPIN(pin) {
			t.Fatalf("Decrypt returned an invalid PIN %q", pin)
		}
		c, err := NewCipher(fm, key)
		if err != nil {
			t.Fatal(err)
		}
		if p2, err := c.Decrypt(block, pan); err != nil || p2 != pin {
			t.Fatalf("Cipher.Decrypt = %q, %v", p2, err)
		}
		again, err := Encrypt(fm, key, pin, pan)
		if err != nil {
			t.Fatal(err)
		}
		if (fm == ISO0 || fm == ISO2) && !bytes.Equal(again, block) {
			t.Fatalf("Encrypt(Decrypt(block)) = %X; block %X", again, block)
		}
		if p2, err := Decrypt(fm, key, again, pan); err != nil || p2 != pin {
			t.Fatalf("round trip = %q, %v", p2, err)
		}
	})
}

// FuzzEncrypt forms and enciphers any PIN and PAN under any format byte and
// key: no panic, a known error, inputs untouched, and when it succeeds the
// block deciphers to the PIN and Encode agrees on what is valid.
func FuzzEncrypt(f *testing.F) {
	k16 := []byte("\x04\x26\x66\xB4\x91\x84\xCF\x5C\x68\xDE\x96\x28\xD0\x39\x7B\x36")
	for _, fm := range allFormats {
		f.Add(uint8(fm), k16, "1234", "4012345678909")
	}
	f.Add(uint8(ISO4), k16, "123456789012", "1")
	f.Add(uint8(ISO0), k16[:8], "12a4", "")
	f.Fuzz(func(t *testing.T, format uint8, key []byte, pin, pan string) {
		kin := bytes.Clone(key)
		fm := Format(format)
		block, err := Encrypt(fm, key, pin, pan)
		if !bytes.Equal(kin, key) {
			t.Fatal("Encrypt modified the key")
		}
		_, encErr := Encode(fm, pin, pan)
		if err != nil {
			if block != nil || !knownErr(err) {
				t.Fatalf("Encrypt = %X, %v", block, err)
			}
			if encErr == nil && !errors.Is(err, ErrKeyLength) {
				t.Fatalf("Encode accepted what Encrypt refused: %v", err)
			}
			return
		}
		if encErr != nil {
			t.Fatalf("Encrypt accepted what Encode refused: %v", encErr)
		}
		if len(block) != fm.BlockSize() {
			t.Fatalf("block of %d bytes", len(block))
		}
		if got, err := Decrypt(fm, key, block, pan); err != nil || got != pin {
			t.Fatalf("Decrypt = %q, %v", got, err)
		}
	})
}
