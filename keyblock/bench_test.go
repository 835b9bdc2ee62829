package keyblock

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"encoding/hex"
	"testing"
)

// The benchmarks unwrap a version D block (TR-31:2018 A.7.4: AES-256 KBPK,
// AES-128 key) and a version B block (TR-31:2018 A.7.2.2: 2TDEA KBPK and
// key), beside their cipher floor: the same cipher calls (KBPK schedule,
// CMAC derivation of KBEK and KBAK, their schedules, CBC decryption, CMAC of
// header and key data) made directly on crypto/aes and crypto/des, with the
// input already in binary. Compare the ratios within one run.

var (
	benchD = publishedVectors[7]
	benchB = publishedVectors[4]
)

func BenchmarkUnwrapD256(b *testing.B) {
	kbpk := unhex(b, benchD.kbpk)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Unwrap(kbpk, benchD.block); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnwrapB(b *testing.B) {
	kbpk := unhex(b, benchB.kbpk)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Unwrap(kbpk, benchB.block); err != nil {
			b.Fatal(err)
		}
	}
}

// floorCMAC is a plain SP 800-38B CMAC of msg (non-empty) for the floor.
func floorCMAC(c cipher.Block, msg []byte) []byte {
	bs := c.BlockSize()
	rb := byte(0x87)
	if bs == 8 {
		rb = 0x1B
	}
	dbl := func(in []byte) []byte {
		out := make([]byte, bs)
		for i := 0; i < bs-1; i++ {
			out[i] = in[i]<<1 | in[i+1]>>7
		}
		out[bs-1] = in[bs-1] << 1
		if in[0]&0x80 != 0 {
			out[bs-1] ^= rb
		}
		return out
	}
	l := make([]byte, bs)
	c.Encrypt(l, l)
	k1 := dbl(l)
	k2 := dbl(k1)
	n := (len(msg) + bs - 1) / bs
	last := make([]byte, bs)
	rest := msg[(n-1)*bs:]
	copy(last, rest)
	if len(rest) == bs {
		for i := range last {
			last[i] ^= k1[i]
		}
	} else {
		last[len(rest)] = 0x80
		for i := range last {
			last[i] ^= k2[i]
		}
	}
	x := make([]byte, bs)
	for i := 0; i < n-1; i++ {
		for j := range x {
			x[j] ^= msg[i*bs+j]
		}
		c.Encrypt(x, x)
	}
	for j := range x {
		x[j] ^= last[j]
	}
	c.Encrypt(x, x)
	return x
}

// floorBlock is a key block split into its parts, in binary.
type floorBlock struct {
	header, ct, mac []byte
}

func splitFloor(b *testing.B, kb string, macLen int) floorBlock {
	h := kb[:16]
	ct, _ := hex.DecodeString(kb[16 : len(kb)-2*macLen])
	mac, _ := hex.DecodeString(kb[len(kb)-2*macLen:])
	return floorBlock{[]byte(h), ct, mac}
}

func BenchmarkFloorD256(b *testing.B) {
	kbpk := unhex(b, benchD.kbpk)
	fb := splitFloor(b, benchD.block, 16)
	b.ReportAllocs()
	for b.Loop() {
		p, _ := aes.NewCipher(kbpk)
		var ek, ak []byte
		for i := byte(1); i <= 2; i++ {
			ek = append(ek, floorCMAC(p, []byte{i, 0, 0, 0, 0, 4, 1, 0})...)
			ak = append(ak, floorCMAC(p, []byte{i, 0, 1, 0, 0, 4, 1, 0})...)
		}
		e, _ := aes.NewCipher(ek)
		a, _ := aes.NewCipher(ak)
		plain := make([]byte, len(fb.ct))
		cipher.NewCBCDecrypter(e, fb.mac).CryptBlocks(plain, fb.ct)
		m := floorCMAC(a, append(append([]byte{}, fb.header...), plain...))
		if m[0] != fb.mac[0] {
			b.Fatal("floor MAC mismatch")
		}
	}
}

func BenchmarkFloorB(b *testing.B) {
	kbpk := unhex(b, benchB.kbpk)
	fb := splitFloor(b, benchB.block, 8)
	k3 := func(k []byte) []byte { return append(append([]byte{}, k...), k[:8]...) }
	b.ReportAllocs()
	for b.Loop() {
		p, _ := des.NewTripleDESCipher(k3(kbpk))
		var ek, ak []byte
		for i := byte(1); i <= 2; i++ {
			ek = append(ek, floorCMAC(p, []byte{i, 0, 0, 0, 0, 0, 0, 0x80})...)
			ak = append(ak, floorCMAC(p, []byte{i, 0, 1, 0, 0, 0, 0, 0x80})...)
		}
		e, _ := des.NewTripleDESCipher(k3(ek))
		a, _ := des.NewTripleDESCipher(k3(ak))
		plain := make([]byte, len(fb.ct))
		cipher.NewCBCDecrypter(e, fb.mac).CryptBlocks(plain, fb.ct)
		m := floorCMAC(a, append(append([]byte{}, fb.header...), plain...))
		if m[0] != fb.mac[0] {
			b.Fatal("floor MAC mismatch")
		}
	}
}

func BenchmarkWrapD256(b *testing.B) {
	kbpk := unhex(b, benchD.kbpk)
	key := unhex(b, benchD.key)
	h := Header{Version: 'D', Usage: "P0", Algorithm: 'A', Mode: 'E', KeyVersion: "00", Exportability: 'E'}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Wrap(kbpk, h, key); err != nil {
			b.Fatal(err)
		}
	}
}
