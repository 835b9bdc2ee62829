package tms

// rsa.go: deterministic RSA test keys and EMV's raw-RSA certificates and
// signatures, for the generator only (see generate.go).

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
)

// ErrSHA1 reports a process that may not use SHA-1, which EMV's
// certificates need (GODEBUG=fips140=only).
var ErrSHA1 = errors.New("tms: SHA-1 is refused in FIPS 140-only mode")

// rsaKey is an RSA key with public exponent 3.
type rsaKey struct {
	n, e, d *big.Int
}

// drbg is SHA-256 in counter mode over a label: the same label gives the
// same bytes.
type drbg struct {
	label string
	ctr   uint64
	buf   []byte
}

func (r *drbg) read(p []byte) {
	for i := range p {
		if len(r.buf) == 0 {
			h := sha256.New()
			h.Write([]byte("poskit examples/pos test key: " + r.label))
			h.Write(binary.BigEndian.AppendUint64(nil, r.ctr))
			r.ctr++
			r.buf = h.Sum(nil)
		}
		p[i], r.buf = r.buf[0], r.buf[1:]
	}
}

// newKey derives a key of bits bits (a multiple of 16) from label.
func newKey(label string, bits int) *rsaKey {
	r := &drbg{label: label}
	e := big.NewInt(3)
	one := big.NewInt(1)
	for {
		p, q := prime(r, bits/2), prime(r, bits/2)
		n := new(big.Int).Mul(p, q)
		if p.Cmp(q) == 0 || n.BitLen() != bits {
			continue
		}
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(e, phi)
		if d == nil {
			continue
		}
		return &rsaKey{n: n, e: e, d: d}
	}
}

// prime returns a prime of exactly bits bits, its two top bits set, with
// p mod 3 = 2 so that 3 is invertible modulo p-1.
func prime(r *drbg, bits int) *big.Int {
	b := make([]byte, bits/8)
	r.read(b)
	p := new(big.Int).SetBytes(b)
	p.SetBit(p, bits-1, 1)
	p.SetBit(p, bits-2, 1)
	p.SetBit(p, 0, 1)
	two, three := big.NewInt(2), big.NewInt(3)
	m := new(big.Int)
	for {
		if m.Mod(p, three).Int64() == 2 && p.ProbablyPrime(32) {
			return p
		}
		p.Add(p, two)
	}
}

func (k *rsaKey) modulus() []byte  { return k.n.Bytes() }
func (k *rsaKey) exponent() []byte { return k.e.Bytes() }

// sign is the raw private-key operation x^d mod n.
func (k *rsaKey) sign(x []byte) []byte {
	m := new(big.Int).SetBytes(x)
	return m.Exp(m, k.d, k.n).FillBytes(make([]byte, len(x)))
}

// sha1Of hashes parts; SHA-1 is refused in FIPS 140-only mode
// (GODEBUG=fips140=only), where it returns ErrSHA1.
func sha1Of(parts ...[]byte) ([]byte, error) {
	h := sha1.New()
	for _, p := range parts {
		if _, err := h.Write(p); err != nil {
			return nil, ErrSHA1
		}
	}
	return h.Sum(nil), nil
}

// certify makes a format 02 (issuer) or 04 (ICC) public key certificate of
// key under k (EMV Book 2 tables 6 and 14): id as packed digits padded with
// F, expiry MMYY, serial; extra is the static data an ICC certificate's
// hash covers. It returns the certificate and the key's remainder.
func (k *rsaKey) certify(format byte, id []byte, expiry string, serial []byte, key *rsaKey, extra []byte) (cert, rem []byte, err error) {
	n := len(k.modulus())
	mod := key.modulus()
	x := []byte{0x6A, format}
	x = append(x, id...)
	x = append(x, bcd(expiry)...)
	x = append(x, serial...)
	x = append(x, 0x01, 0x01, byte(len(mod)), byte(len(key.exponent())))
	room := n - len(x) - 21
	if len(mod) > room {
		x = append(x, mod[:room]...)
		rem = mod[room:]
	} else {
		x = append(x, mod...)
		x = append(x, bytes.Repeat([]byte{0xBB}, room-len(mod))...)
	}
	sum, err := sha1Of(x[1:], rem, key.exponent(), extra)
	if err != nil {
		return nil, nil, err
	}
	x = append(append(x, sum...), 0xBC)
	return k.sign(x), rem, nil
}

// signSDA makes the signed static application data (EMV Book 2 table 7).
func (k *rsaKey) signSDA(dac, static []byte) ([]byte, error) {
	n := len(k.modulus())
	x := []byte{0x6A, 0x03, 0x01, dac[0], dac[1]}
	x = append(x, bytes.Repeat([]byte{0xBB}, n-26)...)
	sum, err := sha1Of(x[1:], static)
	if err != nil {
		return nil, err
	}
	x = append(append(x, sum...), 0xBC)
	return k.sign(x), nil
}

// SignDynamic makes signed dynamic application data (EMV Book 2 table 17)
// over the ICC dynamic data dyn and the DDOL data with the card's private
// key: what the simulated card answers to INTERNAL AUTHENTICATE. It is raw
// RSA with math/big, for the example's test card only.
//
// Errors: ErrFile for dynamic data too long for the key, ErrSHA1.
func (c *Card) SignDynamic(dyn, ddolData []byte) ([]byte, error) {
	n := new(big.Int).SetBytes(c.ICCModulus)
	k := &rsaKey{n: n, e: new(big.Int).SetBytes(c.ICCExponent), d: new(big.Int).SetBytes(c.ICCPrivateExponent)}
	size := len(c.ICCModulus)
	if size < 26+len(dyn) {
		return nil, fmt.Errorf("%w: %d bytes of dynamic data for a %d-byte key", ErrFile, len(dyn), size)
	}
	x := []byte{0x6A, 0x05, 0x01, byte(len(dyn))}
	x = append(x, dyn...)
	x = append(x, bytes.Repeat([]byte{0xBB}, size-25-len(dyn))...)
	sum, err := sha1Of(x[1:], ddolData)
	if err != nil {
		return nil, err
	}
	x = append(append(x, sum...), 0xBC)
	return k.sign(x), nil
}
