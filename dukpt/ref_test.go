package dukpt_test

import (
	"bytes"
	"crypto/aes"
	"crypto/des"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/poskit/poskit/dukpt"
)

// Reference derivations written straight from the standards' pseudo-code on
// the standard library's ciphers, byte by byte. The package computes TDES
// with its own DES (internal/dea) and its own register walk; these
// references check it against crypto/des and crypto/aes on keys and KSNs
// the published vectors do not reach.

// refTDESKey is X9.24-1:2009 A.6 on crypto/des.
func refTDESKey(bdk, ksn []byte, u dukpt.Usage) []byte {
	tdes := func(key16, block []byte) []byte {
		c, err := des.NewTripleDESCipher(append(append([]byte(nil), key16...), key16[:8]...))
		if err != nil {
			panic(err)
		}
		out := make([]byte, 8)
		c.Encrypt(out, block)
		return out
	}
	xor := func(a []byte, m []byte) []byte {
		out := bytes.Clone(a)
		for i := range out {
			out[i] ^= m[i%len(m)]
		}
		return out
	}
	c0 := []byte{0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0}
	// IPEK
	reg := bytes.Clone(ksn[:8])
	reg[7] &= 0xE0
	key := append(tdes(bdk, reg), tdes(xor(bdk, c0), reg)...)
	// Future key walk: R8 is the KSN's rightmost 8 bytes, counter cleared.
	r8 := binary.BigEndian.Uint64(ksn[2:]) &^ (1<<21 - 1)
	r3 := binary.BigEndian.Uint64(ksn[2:]) & (1<<21 - 1)
	for sr := uint64(1 << 20); sr != 0; sr >>= 1 {
		if sr&r3 == 0 {
			continue
		}
		r8 |= sr
		var cr [8]byte
		binary.BigEndian.PutUint64(cr[:], r8)
		half := func(k []byte) []byte {
			c, err := des.NewCipher(k[:8])
			if err != nil {
				panic(err)
			}
			out := xor(cr[:], k[8:])
			c.Encrypt(out, out)
			return xor(out, k[8:])
		}
		right := half(key)
		left := half(xor(key, c0))
		key = append(left, right...)
	}
	var mask []byte
	switch u {
	case dukpt.PINEncryption:
		mask = []byte{0, 0, 0, 0, 0, 0, 0, 0xFF}
	case dukpt.MACGeneration:
		mask = []byte{0, 0, 0, 0, 0, 0, 0xFF, 0}
	case dukpt.MACVerification:
		mask = []byte{0, 0, 0, 0, 0xFF, 0, 0, 0}
	case dukpt.DataEncryption:
		mask = []byte{0, 0, 0, 0, 0, 0xFF, 0, 0}
	case dukpt.DataDecryption:
		mask = []byte{0, 0, 0, 0xFF, 0, 0, 0, 0}
	}
	key = xor(key, mask)
	if u == dukpt.DataEncryption || u == dukpt.DataDecryption {
		key = append(tdes(key, key[:8]), tdes(key, key[8:])...)
	}
	return key
}

// refAESKey is X9.24-3:2017 6.3 on crypto/aes: derivation data is version
// 01, key block counter, key usage, algorithm, length in bits, then 8 bytes.
func refAESKey(bdk, ksn []byte, usage, alg uint16, size int) []byte {
	derive := func(key []byte, usage, alg uint16, size int, tail []byte) []byte {
		c, err := aes.NewCipher(key)
		if err != nil {
			panic(err)
		}
		var out []byte
		for i := 1; len(out) < size; i++ {
			d := make([]byte, 16)
			d[0], d[1] = 0x01, byte(i)
			binary.BigEndian.PutUint16(d[2:], usage)
			binary.BigEndian.PutUint16(d[4:], alg)
			binary.BigEndian.PutUint16(d[6:], uint16(size*8))
			copy(d[8:], tail)
			c.Encrypt(d, d)
			out = append(out, d...)
		}
		return out[:size]
	}
	algOf := map[int]uint16{16: 2, 24: 3, 32: 4}
	key := derive(bdk, 0x8001, algOf[len(bdk)], len(bdk), ksn[:8])
	counter := binary.BigEndian.Uint32(ksn[8:])
	var wc uint32
	for m := uint32(1 << 31); m != 0; m >>= 1 {
		if counter&m == 0 {
			continue
		}
		wc |= m
		tail := append(bytes.Clone(ksn[4:8]), 0, 0, 0, 0)
		binary.BigEndian.PutUint32(tail[4:], wc)
		key = derive(key, 0x8000, algOf[len(bdk)], len(bdk), tail)
	}
	return derive(key, usage, alg, size, ksn[4:12])
}

// TestTDESKeyAgainstReference: random BDKs, KSNs with up to 10 one-bits in
// the counter, every usage; the function and the uncached receiver.
func TestTDESKeyAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 2000
	if testing.Short() {
		n = 200
	}
	usages := []dukpt.Usage{dukpt.PINEncryption, dukpt.MACGeneration, dukpt.MACVerification, dukpt.DataEncryption, dukpt.DataDecryption}
	for i := range n {
		bdk := make([]byte, 16)
		ksn := make([]byte, 10)
		for j := range bdk {
			bdk[j] = byte(rng.Uint32())
		}
		for j := range ksn {
			ksn[j] = byte(rng.Uint32())
		}
		// a counter with 1 to 10 one-bits
		var c uint32
		for range 1 + rng.IntN(10) {
			c |= 1 << rng.IntN(21)
		}
		ksn[7] = ksn[7]&0xE0 | byte(c>>16)
		ksn[8], ksn[9] = byte(c>>8), byte(c)
		u := usages[i%len(usages)]
		want := refTDESKey(bdk, ksn, u)
		got, err := dukpt.TDESKey(bdk, ksn, u)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("BDK %X KSN %X %v: %X, %v; reference %X", bdk, ksn, u, got, err, want)
		}
		if bits.OnesCount32(c) == 1 && i%7 == 0 {
			r, _ := dukpt.NewTDESReceiver(bdk, dukpt.WithDeviceCache(0))
			if got, err := r.Key(ksn, u); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("receiver: BDK %X KSN %X %v: %X, %v", bdk, ksn, u, got, err)
			}
		}
	}
}

// TestAESKeyAgainstReference: random BDKs of each size, counters with up to
// 16 one-bits, every usage and every key type the BDK allows.
func TestAESKeyAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 1500
	if testing.Short() {
		n = 150
	}
	usages := map[dukpt.Usage]uint16{
		dukpt.PINEncryption: 0x1000, dukpt.MACGeneration: 0x2000, dukpt.MACVerification: 0x2001,
		dukpt.MACBoth: 0x2002, dukpt.DataEncryption: 0x3000, dukpt.DataDecryption: 0x3001,
		dukpt.DataBoth: 0x3002, dukpt.KeyEncryption: 0x0002,
	}
	types := []struct {
		kt   dukpt.KeyType
		alg  uint16
		size int
	}{{dukpt.TDES2, 0, 16}, {dukpt.TDES3, 1, 24}, {dukpt.AES128, 2, 16}, {dukpt.AES192, 3, 24}, {dukpt.AES256, 4, 32}}
	for i := range n {
		bdk := make([]byte, []int{16, 24, 32}[i%3])
		ksn := make([]byte, 12)
		for j := range bdk {
			bdk[j] = byte(rng.Uint32())
		}
		for j := range ksn[:8] {
			ksn[j] = byte(rng.Uint32())
		}
		var c uint32
		for range 1 + rng.IntN(16) {
			c |= 1 << rng.IntN(32)
		}
		binary.BigEndian.PutUint32(ksn[8:], c)
		for u, ind := range usages {
			ty := types[rng.IntN(len(types))]
			if ty.alg >= 2 && ty.size > len(bdk) {
				continue // stronger than the BDK
			}
			want := refAESKey(bdk, ksn, ind, ty.alg, ty.size)
			got, err := dukpt.AESKey(bdk, ksn, u, ty.kt)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("BDK %X KSN %X %v %v: %X, %v; reference %X", bdk, ksn, u, ty.kt, got, err, want)
			}
		}
	}
}

// The references themselves give the published values (docs/VECTORS.md:
// X9.24-1:2009 A.4.2 counter 1 PIN key, X9.24-3:2017 AES-128 counter 1 PIN
// key), so the comparisons above test against the standards.
func TestReferencesMatchVectors(t *testing.T) {
	got := refTDESKey(unhex(t, tdesBDK), unhex(t, "FFFF9876543210E00001"), dukpt.PINEncryption)
	if want := unhex(t, "042666B49184CF5C68DE9628D0397B36"); !bytes.Equal(got, want) {
		t.Errorf("TDES reference PIN key %X, want %X", got, want)
	}
	got = refAESKey(unhex(t, aes128BDK), unhex(t, aesKeyID+"00000001"), 0x1000, 2, 16)
	if want := unhex(t, "AF8CB133A78F8DC2D1359F18527593FB"); !bytes.Equal(got, want) {
		t.Errorf("AES reference PIN key %X, want %X", got, want)
	}
}
