package aesenc

import (
	"bytes"
	"crypto/aes"
	"errors"
	"testing"
)

// FuzzEncrypt runs the differential test on arbitrary key and block bytes:
// for a valid key length both paths must agree with crypto/aes, out of place
// and in place; for any other length Init must fail with ErrKeySize; a short
// block must give zeros. Nothing may panic or modify the inputs.
func FuzzEncrypt(f *testing.F) {
	// FIPS 197 Appendix B and C vectors, and a few invalid shapes.
	for _, tc := range fips197Vectors {
		f.Add(unhex(f, tc.key), unhex(f, tc.in))
	}
	f.Add([]byte{}, []byte{})
	f.Add(make([]byte, 15), make([]byte, 16))
	f.Add(make([]byte, 16), make([]byte, 15))
	f.Add(bytes.Repeat([]byte{0xff}, 33), bytes.Repeat([]byte{0xff}, 17))

	f.Fuzz(func(t *testing.T, key, block []byte) {
		keyCopy, blockCopy := bytes.Clone(key), bytes.Clone(block)
		defer func() {
			if !bytes.Equal(key, keyCopy) || !bytes.Equal(block, blockCopy) {
				t.Fatal("inputs modified")
			}
		}()

		var want []byte
		if ref, err := aes.NewCipher(key); err == nil && len(block) >= BlockSize {
			want = make([]byte, BlockSize)
			ref.Encrypt(want, block)
		}
		valid := len(key) == 16 || len(key) == 24 || len(key) == 32

		for _, fallback := range []bool{false, true} {
			if !fallback && !hasAESNI {
				continue
			}
			forceFallback = fallback
			var k Key
			err := k.Init(key)
			forceFallback = false
			if !valid {
				if !errors.Is(err, ErrKeySize) {
					t.Fatalf("Init(%d bytes) = %v, want ErrKeySize", len(key), err)
				}
				if k != (Key{}) {
					t.Fatal("failed Init left a key")
				}
			} else if err != nil {
				t.Fatalf("Init(%d bytes): %v", len(key), err)
			}

			got := bytes.Repeat([]byte{0x5a}, BlockSize)
			k.Encrypt(got, block)
			in := bytes.Clone(block)
			k.Encrypt(in, in)
			switch {
			case want != nil:
				if !bytes.Equal(got, want) {
					t.Fatalf("fallback=%v: Encrypt = %x, crypto/aes %x", fallback, got, want)
				}
				if !bytes.Equal(in[:BlockSize], want) || !bytes.Equal(in[BlockSize:], block[BlockSize:]) {
					t.Fatalf("fallback=%v: in place = %x, crypto/aes %x", fallback, in, want)
				}
			default: // no key or short block: zeros, never the plaintext
				if !bytes.Equal(got, make([]byte, BlockSize)) {
					t.Fatalf("fallback=%v: Encrypt without key or block wrote %x", fallback, got)
				}
				n := min(len(in), BlockSize)
				if !bytes.Equal(in[:n], make([]byte, n)) || !bytes.Equal(in[n:], block[n:]) {
					t.Fatalf("fallback=%v: in place without key or block: %x", fallback, in)
				}
			}
		}
	})
}
