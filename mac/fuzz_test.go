package mac

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzMAC feeds every algorithm any key and any data: no panic, a clear
// error for a bad key, and for a good key the one-shot, reusable and
// streaming forms agree and the MAC verifies.
func FuzzMAC(f *testing.F) {
	f.Add(uint8(0), uint8(1), mustHex("0123456789ABCDEF"), []byte("7654321 Now is the time for "))
	f.Add(uint8(1), uint8(1), mustHex("7CA110454A1A6E570131D9619DC1376E"), []byte("Hello World !!!!"))
	f.Add(uint8(2), uint8(0), mustHex("2B7E151628AED2A6ABF7158809CF4F3C"), []byte{})
	f.Add(uint8(3), uint8(0), mustHex("8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5"), []byte{0x6B})
	f.Add(uint8(4), uint8(0), mustHex("2222222222222222"), mustHex("1234567890ABCDEFABCDEF1234567890"))
	f.Add(uint8(1), uint8(3), []byte{}, []byte{1})
	f.Fuzz(func(t *testing.T, alg, padding uint8, key, data []byte) {
		keyCopy, dataCopy := bytes.Clone(key), bytes.Clone(data)
		p := Padding(padding % 5) // includes invalid 0 and 4
		var (
			a   Algorithm
			err error
		)
		switch alg % 5 {
		case 0:
			a, err = NewISO9797Alg1(key, p)
		case 1:
			a, err = NewISO9797Alg3(key, p)
		case 2:
			a, err = NewAESCMAC(key)
		case 3:
			a, err = NewTDESCMAC(key)
		case 4:
			a, err = NewCUPECB(key)
		}
		if err != nil {
			if !errors.Is(err, ErrKeyLength) && !errors.Is(err, ErrPadding) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		tag := a.MAC(data)
		if len(tag) != a.Size() || !a.Verify(data, tag) {
			t.Fatalf("MAC %X does not verify", tag)
		}
		h := a.New()
		h.Write(data[:len(data)/2])
		h.Write(data[len(data)/2:])
		if got := h.Sum(nil); !bytes.Equal(got, tag) {
			t.Fatalf("streaming %X, one-shot %X", got, tag)
		}
		if !bytes.Equal(key, keyCopy) || !bytes.Equal(data, dataCopy) {
			t.Fatal("inputs modified")
		}
	})
}
