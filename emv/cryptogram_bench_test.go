package emv

import (
	"crypto/des"
	"crypto/subtle"
	"testing"
)

// The floors below run the same DES and TDES operations as the benchmarked
// call, straight on crypto/des with nothing around them: the key schedules
// (IMK, ICC master key, session key as TDES plus its first half as DES for
// the retail MAC) and every block encryption. The ratio Benchmark/Floor is
// the cost of our parsing, checks and buffers.

func benchCase(b *testing.B, name string) cvnCase {
	for _, c := range cvnCases(b) {
		if c.cvn.Name == name {
			return c
		}
	}
	b.Fatal("no case", name)
	return cvnCase{}
}

func benchVerify(b *testing.B, name string) {
	tc := benchCase(b, name)
	imk := hx(b, testIMK)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tc.cvn.Verify(imk, "1234567890123456", "00", tc.field55, tc.resp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyVisa10(b *testing.B)       { benchVerify(b, "Visa CVN 10") }
func BenchmarkVerifyVisa18(b *testing.B)       { benchVerify(b, "Visa CVN 18") }
func BenchmarkVerifyMastercard16(b *testing.B) { benchVerify(b, "Mastercard CVN 16") }

func tdes24(k []byte) []byte {
	out := make([]byte, 24)
	copy(out, k)
	copy(out[16:], k[:8])
	return out
}

// floorRetail runs the retail MAC block operations over n padded blocks.
func floorRetail(k1, full interface{ Encrypt(dst, src []byte) }, data []byte, x *[8]byte) {
	*x = [8]byte{}
	n := len(data) / 8
	for i := 0; i < n; i++ {
		for j := 0; j < 8; j++ {
			x[j] ^= data[8*i+j]
		}
		if i == n-1 {
			full.Encrypt(x[:], x[:])
		} else {
			k1.Encrypt(x[:], x[:])
		}
	}
}

// floorVerify is the cipher work of one Verify: derive the ICC master key,
// the session key (unless none), MAC the padded input, compare, and compute
// the ARPC (method 1: one TDES block; method 2: the retail MAC of 2 blocks).
func floorVerify(b *testing.B, name string) {
	tc := benchCase(b, name)
	in, _ := tc.cvn.Input(tc.field55)
	padded := make([]byte, (len(in)+8)&^7)
	copy(padded, in)
	if tc.cvn.Padding == 2 {
		padded[len(in)] = 0x80
	} else if len(in)%8 == 0 {
		padded = padded[:len(in)]
	}
	imk := tdes24(hx(b, testIMK))
	arqc := hx(b, tc.arqc)
	arpc2 := make([]byte, 16)
	copy(arpc2, arqc)
	arpc2[12] = 0x80
	b.ReportAllocs()
	for b.Loop() {
		var y, mk, sk [16]byte
		c, _ := des.NewTripleDESCipher(imk)
		c.Encrypt(mk[:8], y[:8])
		c.Encrypt(mk[8:], y[8:])
		key := mk
		var mkc interface{ Encrypt(dst, src []byte) }
		if tc.cvn.SessionKey != SessionKeyNone {
			mkc, _ = des.NewTripleDESCipher(tdes24(mk[:]))
			mkc.Encrypt(sk[:8], y[:8])
			mkc.Encrypt(sk[8:], y[8:])
			key = sk
		}
		full, _ := des.NewTripleDESCipher(tdes24(key[:]))
		k1, _ := des.NewCipher(key[:8])
		if mkc == nil {
			mkc = full // no session key: the ARPC key is the MAC key
		}
		var x [8]byte
		floorRetail(k1, full, padded, &x)
		subtle.ConstantTimeCompare(x[:], arqc)
		out := make([]byte, 8)
		if tc.cvn.ARPCMethod == 1 {
			mkc.Encrypt(out, arqc)
		} else {
			floorRetail(k1, full, arpc2, &x)
			copy(out, x[:4])
		}
	}
}

func BenchmarkFloorVerifyVisa10(b *testing.B)       { floorVerify(b, "Visa CVN 10") }
func BenchmarkFloorVerifyVisa18(b *testing.B)       { floorVerify(b, "Visa CVN 18") }
func BenchmarkFloorVerifyMastercard16(b *testing.B) { floorVerify(b, "Mastercard CVN 16") }

func BenchmarkARPCMethod1(b *testing.B) {
	key := hx(b, testIMK)
	arqc := hx(b, "29CCA15AE665FA2E")
	arc := []byte("00")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ARPCMethod1(key, arqc, arc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFloorARPCMethod1(b *testing.B) {
	key := hx(b, testIMK)
	arqc := hx(b, "29CCA15AE665FA2E")
	b.ReportAllocs()
	for b.Loop() {
		c, _ := des.NewTripleDESCipher(tdes24(key))
		out := make([]byte, 8)
		c.Encrypt(out, arqc)
	}
}

func BenchmarkARPCMethod2(b *testing.B) {
	key := hx(b, testIMK)
	arqc := hx(b, "29CCA15AE665FA2E")
	csu := make([]byte, 4)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ARPCMethod2(key, arqc, csu, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFloorARPCMethod2(b *testing.B) {
	key := hx(b, testIMK)
	in := make([]byte, 16)
	copy(in, hx(b, "29CCA15AE665FA2E"))
	in[12] = 0x80
	b.ReportAllocs()
	for b.Loop() {
		full, _ := des.NewTripleDESCipher(tdes24(key))
		k1, _ := des.NewCipher(key[:8])
		var x [8]byte
		floorRetail(k1, full, in, &x)
		out := make([]byte, 4)
		copy(out, x[:4])
	}
}
