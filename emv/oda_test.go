package emv

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"errors"
	"math/big"
	"testing"
	"time"
)

// odaSigner is a raw RSA key built with math/big, so that the tests can
// use the short moduli of real EMV keys (crypto/rsa refuses them).
type odaSigner struct {
	pub ODAPublicKey
	n   *big.Int
	d   *big.Int
}

func newODASigner(t *testing.T, bits int, e int64) odaSigner {
	t.Helper()
	E := big.NewInt(e)
	one := big.NewInt(1)
	for {
		p, err := rand.Prime(rand.Reader, bits/2)
		if err != nil {
			t.Fatal(err)
		}
		q, err := rand.Prime(rand.Reader, bits-bits/2)
		if err != nil {
			t.Fatal(err)
		}
		n := new(big.Int).Mul(p, q)
		if n.BitLen() != bits {
			continue
		}
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(E, phi)
		if d == nil {
			continue
		}
		return odaSigner{pub: ODAPublicKey{Modulus: n.Bytes(), Exponent: E.Bytes()}, n: n, d: d}
	}
}

func (s odaSigner) sign(x []byte) []byte {
	m := new(big.Int).SetBytes(x)
	return m.Exp(m, s.d, s.n).FillBytes(make([]byte, len(x)))
}

// certify builds a format 02 (issuer) or 04 (ICC) certificate for key
// under s, with id as packed digits padded with F, and returns the
// certificate and the remainder.
func (s odaSigner) certify(format byte, id []byte, key ODAPublicKey, extra []byte) (cert, rem []byte) {
	n := len(s.pub.Modulus)
	x := []byte{0x6A, format}
	x = append(x, id...)
	x = append(x, 0x12, 0x49, 0x00, 0x00, 0x01, 0x01, 0x01, byte(len(key.Modulus)), byte(len(key.Exponent)))
	room := n - len(x) - 21
	if len(key.Modulus) > room {
		x = append(x, key.Modulus[:room]...)
		rem = key.Modulus[room:]
	} else {
		x = append(x, key.Modulus...)
		x = append(x, bytes.Repeat([]byte{0xBB}, room-len(key.Modulus))...)
	}
	h := sha1.New()
	h.Write(x[1:])
	h.Write(rem)
	h.Write(key.Exponent)
	h.Write(extra)
	x = append(h.Sum(x), 0xBC)
	return s.sign(x), rem
}

func (s odaSigner) signSDA(dac, static []byte) []byte {
	n := len(s.pub.Modulus)
	x := []byte{0x6A, 0x03, 0x01, dac[0], dac[1]}
	x = append(x, bytes.Repeat([]byte{0xBB}, n-26)...)
	h := sha1.New()
	h.Write(x[1:])
	h.Write(static)
	x = append(h.Sum(x), 0xBC)
	return s.sign(x)
}

func (s odaSigner) signDDA(dyn, ddol []byte) []byte {
	n := len(s.pub.Modulus)
	x := []byte{0x6A, 0x05, 0x01, byte(len(dyn))}
	x = append(x, dyn...)
	x = append(x, bytes.Repeat([]byte{0xBB}, n-25-len(dyn))...)
	h := sha1.New()
	h.Write(x[1:])
	h.Write(ddol)
	x = append(h.Sum(x), 0xBC)
	return s.sign(x)
}

// TestODARoundTrip signs certificates and static data with keys made here
// (no published SDA example with its CA key was found) and recovers them:
// an issuer key that fits in the certificate, one that needs a remainder,
// exponents 3 and 65537; then every alteration is rejected.
// Long because each step signs with the key the step before made.
func TestODARoundTrip(t *testing.T) {
	ca := newODASigner(t, 1024, 3)
	pan := "5413330089600010"
	static := []byte("\x5A\x08\x54\x13\x33\x00\x89\x60\x00\x10\x5F\x24\x03\x49\x12\x31\x18\x00")
	for _, tc := range []struct {
		bits int
		e    int64
	}{{704, 3}, {1024, 65537}, {768, 3}} {
		issuer := newODASigner(t, tc.bits, tc.e)
		cert, rem := ca.certify(0x02, []byte{0x54, 0x13, 0x33, 0xFF}, issuer.pub, nil)
		k, err := ODARecoverIssuerKey(ca.pub, cert, rem, issuer.pub.Exponent, pan)
		if err != nil {
			t.Fatalf("%d bits: %v", tc.bits, err)
		}
		if !bytes.Equal(k.Modulus, issuer.pub.Modulus) || k.Identifier != "541333" || k.Expiry != "1249" || !bytes.Equal(k.Serial, []byte{0, 0, 1}) {
			t.Fatalf("%d bits: recovered %+v", tc.bits, k)
		}
		if (len(rem) > 0) != (tc.bits > 8*(128-36)) {
			t.Fatalf("%d bits: remainder of %d bytes", tc.bits, len(rem))
		}
		if k.ExpiredAt(time.Date(2049, 12, 31, 23, 0, 0, 0, time.UTC)) || !k.ExpiredAt(time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatal("expiry end of 12/49 misread")
		}
		ssad := issuer.signSDA([]byte{0xDA, 0xC1}, static)
		dac, err := ODAVerifySDA(k.ODAPublicKey, ssad, static)
		if err != nil || !bytes.Equal(dac, []byte{0xDA, 0xC1}) {
			t.Fatalf("%d bits: SDA %X %v", tc.bits, dac, err)
		}
		// Alterations.
		if _, err := ODAVerifySDA(k.ODAPublicKey, ssad, append(static[:len(static):len(static)], 0)); !errors.Is(err, ErrODAHash) {
			t.Errorf("altered static data: %v", err)
		}
		bad := append([]byte(nil), ssad...)
		bad[10] ^= 1
		if _, err := ODAVerifySDA(k.ODAPublicKey, bad, static); !errors.Is(err, ErrODAFormat) && !errors.Is(err, ErrODAHash) {
			t.Errorf("altered signature: %v", err)
		}
		bad = append([]byte(nil), cert...)
		bad[5] ^= 1
		if _, err := ODARecoverIssuerKey(ca.pub, bad, rem, issuer.pub.Exponent, pan); !errors.Is(err, ErrODAFormat) && !errors.Is(err, ErrODAHash) {
			t.Errorf("altered certificate: %v", err)
		}
		if _, err := ODARecoverIssuerKey(ca.pub, cert, rem, issuer.pub.Exponent, "4111111111111111"); !errors.Is(err, ErrODAIssuer) {
			t.Errorf("other PAN: %v", err)
		}
		if _, err := ODARecoverIssuerKey(ca.pub, cert, rem, []byte{5}, pan); !errors.Is(err, ErrODAHash) {
			t.Errorf("other exponent: %v", err)
		}
		if len(rem) > 0 {
			if _, err := ODARecoverIssuerKey(ca.pub, cert, rem[1:], issuer.pub.Exponent, pan); !errors.Is(err, ErrODAHash) {
				t.Errorf("short remainder: %v", err)
			}
		}
		if _, err := ODARecoverIssuerKey(ca.pub, cert[1:], rem, issuer.pub.Exponent, pan); !errors.Is(err, ErrODALength) {
			t.Errorf("short certificate: %v", err)
		}
		// ICC key certificate (format 04) under this issuer.
		icc := newODASigner(t, 768, 3)
		if len(issuer.pub.Modulus)-42 < 20 {
			continue
		}
		panBCD := []byte{0x54, 0x13, 0x33, 0x00, 0x89, 0x60, 0x00, 0x10, 0xFF, 0xFF}
		iccCert, iccRem := issuer.certify(0x04, panBCD, icc.pub, static)
		ik, err := ODARecoverICCKey(k.ODAPublicKey, iccCert, iccRem, icc.pub.Exponent, static, pan)
		if err != nil || !bytes.Equal(ik.Modulus, icc.pub.Modulus) || ik.Identifier != pan {
			t.Fatalf("%d bits: ICC key %v", tc.bits, err)
		}
		if _, err := ODARecoverICCKey(k.ODAPublicKey, iccCert, iccRem, icc.pub.Exponent, static, pan+"1"); !errors.Is(err, ErrODAIssuer) {
			t.Errorf("ICC other PAN: %v", err)
		}
		if _, err := ODARecoverICCKey(k.ODAPublicKey, iccCert, iccRem, icc.pub.Exponent, static[1:], pan); !errors.Is(err, ErrODAHash) {
			t.Errorf("ICC altered static data: %v", err)
		}
		// Dynamic data authentication with the ICC key.
		un := []byte{0x52, 0xBF, 0x45, 0x85}
		dyn := []byte{0x03, 0x11, 0x22, 0x33}
		sdad := icc.signDDA(dyn, un)
		got, err := ODAVerifyDDA(ik.ODAPublicKey, sdad, un)
		if err != nil || !bytes.Equal(got, dyn) {
			t.Fatalf("DDA %X %v", got, err)
		}
		if _, err := ODAVerifyDDA(ik.ODAPublicKey, sdad, []byte{0, 0, 0, 0}); !errors.Is(err, ErrODAHash) {
			t.Errorf("DDA other UN: %v", err)
		}
		if _, err := ODAVerifyDDA(ik.ODAPublicKey, icc.signSDA([]byte{1, 2}, un), un); !errors.Is(err, ErrODAFormat) {
			t.Error("SDA signature accepted as DDA")
		}
		// An ICC certificate is no issuer certificate.
		if _, err := ODARecoverIssuerKey(k.ODAPublicKey, iccCert, iccRem, icc.pub.Exponent, pan); !errors.Is(err, ErrODAFormat) {
			t.Errorf("format 04 as issuer certificate: %v", err)
		}
	}
}

func TestODAErrors(t *testing.T) {
	ca := newODASigner(t, 512, 3)
	cert := make([]byte, 64)
	for _, tc := range []struct {
		name string
		key  ODAPublicKey
		data []byte
		want error
	}{
		{"empty modulus", ODAPublicKey{Exponent: []byte{3}}, nil, ErrODAKey},
		{"even modulus", ODAPublicKey{Modulus: []byte{0x80, 0x02}, Exponent: []byte{3}}, []byte{0, 1}, ErrODAKey},
		{"exponent 5", ODAPublicKey{Modulus: ca.pub.Modulus, Exponent: []byte{5}}, cert, ErrODAKey},
		{"length", ca.pub, cert[:63], ErrODALength},
		{"not below modulus", ca.pub, bytes.Repeat([]byte{0xFF}, 64), ErrODAFormat},
		{"garbage", ca.pub, append([]byte{1}, cert[1:]...), ErrODAFormat},
	} {
		if _, err := ODAVerifyDDA(tc.key, tc.data, nil); !errors.Is(err, tc.want) {
			t.Errorf("DDA %s: %v, want %v", tc.name, err, tc.want)
		}
		if _, err := ODAVerifySDA(tc.key, tc.data, nil); !errors.Is(err, tc.want) {
			t.Errorf("SDA %s: %v, want %v", tc.name, err, tc.want)
		}
		if _, err := ODARecoverIssuerKey(tc.key, tc.data, nil, []byte{3}, "5413"); !errors.Is(err, tc.want) {
			t.Errorf("issuer %s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// Certificates that recover with a good hash but bad fields.
	mk := func(mod func(x []byte)) []byte {
		x := []byte{0x6A, 0x02, 0x54, 0x13, 0xFF, 0xFF, 0x12, 0x49, 0, 0, 1, 1, 1, 8, 1}
		x = append(x, bytes.Repeat([]byte{0xBB}, 64-len(x)-21)...)
		copy(x[15:], []byte{1, 2, 3, 4, 5, 6, 7, 9})
		mod(x)
		h := sha1.Sum(append(append([]byte(nil), x[1:]...), 3))
		return ca.sign(append(append(x, h[:]...), 0xBC))
	}
	for _, tc := range []struct {
		name string
		cert []byte
		rem  []byte
		want error
	}{
		{"good", mk(func([]byte) {}), nil, nil},
		{"remainder for a key that fits", mk(func([]byte) {}), []byte{1}, ErrODAHash},
		{"hash algorithm 2", mk(func(x []byte) { x[11] = 2 }), nil, ErrODAFormat},
		{"exponent length 3", mk(func(x []byte) { x[14] = 3 }), nil, ErrODAFormat},
		{"key length 0", mk(func(x []byte) { x[13] = 0 }), nil, ErrODAFormat},
		{"identifier nibble A", mk(func(x []byte) { x[2] = 0x5A }), nil, ErrODAFormat},
		{"digit after F", mk(func(x []byte) { x[5] = 0xF1 }), nil, ErrODAFormat},
		{"expiry letters", mk(func(x []byte) { x[6] = 0x1A }), nil, ErrODAFormat},
		{"short identifier", mk(func(x []byte) { x[3] = 0xFF }), nil, ErrODAIssuer},
	} {
		_, err := ODARecoverIssuerKey(ca.pub, tc.cert, tc.rem, []byte{3}, "5413339000")
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// A remainder where none is due, with the hash made over it.
	x := []byte{0x6A, 0x02, 0x54, 0x13, 0xFF, 0xFF, 0x12, 0x49, 0, 0, 1, 1, 1, 8, 1}
	x = append(x, bytes.Repeat([]byte{0xBB}, 64-len(x)-21)...)
	h := sha1.Sum(append(append(append([]byte(nil), x[1:]...), 7), 3))
	c := ca.sign(append(append(x, h[:]...), 0xBC))
	if _, err := ODARecoverIssuerKey(ca.pub, c, []byte{7}, []byte{3}, "5413339000"); !errors.Is(err, ErrODALength) {
		t.Errorf("needless remainder: %v", err)
	}
	// Dynamic data longer than the signature can hold.
	d := append([]byte{0x6A, 0x05, 0x01, 0xFF}, bytes.Repeat([]byte{0xBB}, 64-25)...)
	hd := sha1.Sum(d[1:])
	if _, err := ODAVerifyDDA(ca.pub, ca.sign(append(append(d, hd[:]...), 0xBC)), nil); !errors.Is(err, ErrODAFormat) {
		t.Errorf("dynamic data length 255: %v", err)
	}
	for _, e := range []string{"", "1A49", "0049", "1349"} {
		if !(ODACertifiedKey{Expiry: e}).ExpiredAt(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("expiry %q not treated as expired", e)
		}
	}
	if (ODACertifiedKey{Expiry: "0199"}).ExpiredAt(time.Date(1999, 1, 31, 0, 0, 0, 0, time.UTC)) {
		t.Error("01/99 expired in January 1999")
	}
}

// FuzzODARecover feeds arbitrary certificates, remainders, exponents and
// signatures to the ODA recovery functions under a fixed key: none may
// panic, and what they accept must have the key's length.
func FuzzODARecover(f *testing.F) {
	// A fixed odd 64-byte modulus (not a real key: nothing here needs to
	// factor it) with exponent 3; the signatures are arbitrary bytes, so
	// the fuzzer mostly explores the length and format checks.
	n, _ := new(big.Int).SetString("7a1f0b6a3e3d4d8f8e1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071", 16)
	key := ODAPublicKey{Modulus: n.Bytes(), Exponent: []byte{3}}
	f.Add(make([]byte, 64), []byte{}, []byte{3}, "5413330089600010")
	f.Add(bytes.Repeat([]byte{0x6A}, 64), []byte{1, 2}, []byte{1, 0, 1}, "54")
	f.Add([]byte{}, []byte(nil), []byte(nil), "")
	f.Fuzz(func(t *testing.T, sig, rem, exp []byte, pan string) {
		if k, err := ODARecoverIssuerKey(key, sig, rem, exp, pan); err == nil && len(k.Modulus) == 0 {
			t.Fatal("empty issuer key accepted")
		}
		if k, err := ODARecoverICCKey(key, sig, rem, exp, exp, pan); err == nil && k.Identifier != pan {
			t.Fatal("ICC key for another PAN accepted")
		}
		if dac, err := ODAVerifySDA(key, sig, rem); err == nil && len(dac) != 2 {
			t.Fatal("DAC not 2 bytes")
		}
		if d, err := ODAVerifyDDA(key, sig, rem); err == nil && len(d) > len(key.Modulus)-25 {
			t.Fatal("dynamic data too long")
		}
	})
}
