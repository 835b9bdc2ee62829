package keyblock

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/subtle"
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

// BenchmarkUnwrap runs each block through Unwrap (impl=keyblock) and
// through its cipher floor (impl=floor), so that
//
//	benchstat -col /impl
//
// prints the ratio of the two measured in the same run.
func BenchmarkUnwrap(b *testing.B) {
	for _, c := range []struct {
		name  string
		v     vector
		floor func(*testing.B)
	}{{"D256", benchD, floorD256}, {"B", benchB, floorB}} {
		b.Run(c.name+"/impl=keyblock", func(b *testing.B) {
			kbpk := unhex(b, c.v.kbpk)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				if _, _, err := Unwrap(kbpk, c.v.block); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/impl=floor", c.floor)
	}
}

// reportCPU starts counting process CPU time and returns the function that
// reports it per operation as "cpu-ns/op": on a machine shared with other
// work, wall time per operation measures the scheduler more than the code.
func reportCPU(b *testing.B) func() {
	start, ok := cpuNanos()
	return func() {
		if end, ok2 := cpuNanos(); ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// floorCMAC is a plain SP 800-38B CMAC with its subkeys computed once per
// key, as Unwrap does, and no allocation: the tightest use of the cipher.
type floorCMAC struct {
	c      cipher.Block
	k1, k2 [16]byte
}

func newFloorCMAC(c cipher.Block) *floorCMAC {
	f := &floorCMAC{c: c}
	bs := c.BlockSize()
	rb := byte(0x87)
	if bs == 8 {
		rb = 0x1B
	}
	dbl := func(out, in []byte) {
		for i := 0; i < bs-1; i++ {
			out[i] = in[i]<<1 | in[i+1]>>7
		}
		out[bs-1] = in[bs-1] << 1
		if in[0]&0x80 != 0 {
			out[bs-1] ^= rb
		}
	}
	var l [16]byte
	c.Encrypt(l[:bs], l[:bs])
	dbl(f.k1[:bs], l[:bs])
	dbl(f.k2[:bs], f.k1[:bs])
	return f
}

// sum writes the CMAC of msg (not empty) to out.
func (f *floorCMAC) sum(out, msg []byte) {
	bs := f.c.BlockSize()
	n := (len(msg) + bs - 1) / bs
	var x, last [16]byte
	rest := msg[(n-1)*bs:]
	copy(last[:], rest)
	k := f.k1[:bs]
	if len(rest) < bs {
		last[len(rest)] = 0x80
		k = f.k2[:bs]
	}
	for i := 0; i < n-1; i++ {
		subtle.XORBytes(x[:bs], x[:bs], msg[i*bs:(i+1)*bs])
		f.c.Encrypt(x[:bs], x[:bs])
	}
	subtle.XORBytes(x[:bs], x[:bs], last[:bs])
	subtle.XORBytes(x[:bs], x[:bs], k)
	f.c.Encrypt(out, x[:bs])
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

// floor runs the cipher calls of one unwrap: KBPK schedule, CMAC
// derivation of KBEK and KBAK (blocks counters, derivation data with the
// given algorithm and length codes), their schedules, CBC decryption with the
// MAC as IV, CMAC of header and clear key data, and the comparison.
func floor(b *testing.B, kb string, kbpk []byte, macLen int, alg, bits byte, newCipher func([]byte) cipher.Block) {
	fb := splitFloor(b, kb, macLen)
	bs := newCipher(kbpk).BlockSize()
	n := len(kbpk)
	blocks := (n + bs - 1) / bs
	msg := append(append([]byte{}, fb.header...), make([]byte, len(fb.ct))...)
	derived := make([]byte, 2*blocks*bs)
	got := make([]byte, bs)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		p := newFloorCMAC(newCipher(kbpk))
		for u := range 2 {
			for i := range blocks {
				d := [8]byte{byte(i + 1), 0, byte(u), 0, 0, alg, 0, bits}
				if bits == 0 { // 256 bits
					d[6], d[7] = 1, 0
				}
				p.sum(derived[(u*blocks+i)*bs:], d[:])
			}
		}
		e := newCipher(derived[:n])
		a := newFloorCMAC(newCipher(derived[blocks*bs : blocks*bs+n]))
		cipher.NewCBCDecrypter(e, fb.mac[:bs]).CryptBlocks(msg[16:], fb.ct)
		a.sum(got, msg)
		if subtle.ConstantTimeCompare(got[:macLen], fb.mac) != 1 {
			b.Fatal("floor MAC mismatch")
		}
	}
}

func floorD256(b *testing.B) {
	floor(b, benchD.block, unhex(b, benchD.kbpk), 16, 4, 0, func(k []byte) cipher.Block {
		c, err := aes.NewCipher(k)
		if err != nil {
			b.Fatal(err)
		}
		return c
	})
}

func floorB(b *testing.B) {
	floor(b, benchB.block, unhex(b, benchB.kbpk), 8, 0, 0x80, func(k []byte) cipher.Block {
		c, err := des.NewTripleDESCipher(append(append([]byte{}, k...), k[:8]...))
		if err != nil {
			b.Fatal(err)
		}
		return c
	})
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
