package tdes

import (
	"bytes"
	"crypto/cipher"
	"crypto/des"
	"math/rand/v2"
	"testing"
)

func TestNewCipher(t *testing.T) {
	k16 := []byte("0123456789ABCDEF")
	c, ok := NewCipher(k16)
	if !ok {
		t.Fatal("16-byte key refused")
	}
	ref, _ := des.NewTripleDESCipher(append(append([]byte(nil), k16...), k16[:8]...))
	var a, b [8]byte
	c.Encrypt(a[:], []byte("abcdefgh"))
	ref.Encrypt(b[:], []byte("abcdefgh"))
	if a != b {
		t.Fatal("16-byte key is not K1 K2 K1")
	}
	if _, ok := NewCipher(make([]byte, 24)); !ok {
		t.Fatal("24-byte key refused")
	}
	for _, n := range []int{0, 8, 15, 17, 23, 25, 32} {
		if _, ok := NewCipher(make([]byte, n)); ok {
			t.Errorf("NewCipher accepted %d bytes", n)
		}
	}
	if _, ok := NewCipherOrDES(make([]byte, 8)); !ok {
		t.Fatal("8-byte DES key refused")
	}
	if _, ok := NewCipherOrDES(make([]byte, 7)); ok {
		t.Fatal("7-byte key accepted")
	}
	if !bytes.Equal(k16, []byte("0123456789ABCDEF")) {
		t.Fatal("key modified")
	}
}

func TestExpand(t *testing.T) {
	k, ok := Expand([]byte("0123456789ABCDEF"))
	if !ok || string(k[:]) != "0123456789ABCDEF01234567" {
		t.Fatalf("Expand = %q, %v", k, ok)
	}
	k, ok = Expand([]byte("0123456789ABCDEFGHIJKLMN"))
	if !ok || string(k[:]) != "0123456789ABCDEFGHIJKLMN" {
		t.Fatalf("Expand = %q, %v", k, ok)
	}
	if _, ok := Expand(make([]byte, 8)); ok {
		t.Fatal("Expand accepted 8 bytes")
	}
}

func TestFixParity(t *testing.T) {
	key := []byte{0x00, 0x01, 0xFE, 0xFF, 0x12, 0x13}
	FixParity(key)
	// Odd parity: each byte has an odd number of one bits.
	want := []byte{0x01, 0x01, 0xFE, 0xFE, 0x13, 0x13}
	if !bytes.Equal(key, want) {
		t.Fatalf("FixParity = %X, want %X", key, want)
	}
}

// The ciphers equal crypto/des's for random keys of each length, both ways,
// in place too.
func TestAgainstCryptoDES(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 3000 {
		n := []int{8, 16, 24}[i%3]
		key := make([]byte, n)
		for j := range key {
			key[j] = byte(rng.Uint32())
		}
		var ref cipher.Block
		switch n {
		case 8:
			ref, _ = des.NewCipher(key)
		case 16:
			ref, _ = des.NewTripleDESCipher(append(bytes.Clone(key), key[:8]...))
		default:
			ref, _ = des.NewTripleDESCipher(key)
		}
		c, ok := NewCipherOrDES(key)
		if !ok || c.BlockSize() != 8 {
			t.Fatalf("%d-byte key refused", n)
		}
		src := make([]byte, 8)
		for j := range src {
			src[j] = byte(rng.Uint32())
		}
		got, want := make([]byte, 8), make([]byte, 8)
		c.Encrypt(got, src)
		ref.Encrypt(want, src)
		if !bytes.Equal(got, want) {
			t.Fatalf("Encrypt, key %d bytes: %X, crypto/des %X", n, got, want)
		}
		c.Decrypt(got, got)
		if !bytes.Equal(got, src) {
			t.Fatalf("Decrypt, key %d bytes: %X, want %X", n, got, src)
		}
		ref.Decrypt(want, src)
		c.Decrypt(got, src)
		if !bytes.Equal(got, want) {
			t.Fatalf("Decrypt, key %d bytes: %X, crypto/des %X", n, got, want)
		}
	}
}

// A short buffer panics as it does in crypto/des (the cipher.Block
// contract), and the panic names this package.
func TestShortBlockPanics(t *testing.T) {
	c, _ := NewCipherOrDES(make([]byte, 8))
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("no panic on a 7-byte block")
		}
	}()
	c.Encrypt(make([]byte, 8), make([]byte, 7))
}
