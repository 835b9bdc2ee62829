package emv

import (
	"bytes"
	"crypto/fips140"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poskit/poskit/internal/fipstest"
)

func mustHexCAPK(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// visaTestKeys are the VSDC CA public test keys published by Visa ("VSDC
// CA Public Test Keys", tables 2-1 and 2-2, 1152-bit index 95 and 1408-bit
// index 92), with the check sums Visa publishes beside them. The SHA-1 of
// RID ‖ index ‖ modulus ‖ exponent was also recomputed with Python's
// hashlib before it was written here.
var visaTestKeys = []struct {
	index    byte
	modulus  string
	checksum string
}{
	{0x95, "BE9E1FA5E9A803852999C4AB432DB28600DCD9DAB76DFAAA47355A0FE37B1508AC6BF38860D3C6C2E5B12A3CAAF2A700" +
		"5A7241EBAA7771112C74CF9A0634652FBCA0E5980C54A64761EA101A114E0F0B5572ADD57D010B7C9C887E104CA4EE12" +
		"72DA66D997B9A90B5A6D624AB6C57E73C8F919000EB5F684898EF8C3DBEFB330C62660BED88EA78E909AFF05F6DA627B",
		"EE1511CEC71020A9B90443B37B1D5F6E703030F6"},
	{0x92, "996AF56F569187D09293C14810450ED8EE3357397B18A2458EFAA92DA3B6DF6514EC060195318FD43BE9B8F0CC669E3F" +
		"844057CBDDF8BDA191BB64473BC8DC9A730DB8F6B4EDE3924186FFD9B8C7735789C23A36BA0B8AF65372EB57EA5D89E7" +
		"D14E9C7B6B557460F10885DA16AC923F15AF3758F0F03EBD3C5C2C949CBA306DB44E6A2C076C5F67E281D7EF56785DC4" +
		"D75945E491F01918800A9E2DC66F600805 66CE0DAF8D17EAD46AD8E30A247C9F",
		"429C954A3859CEF91295F663C963E582ED6EB253"},
}

var visaRID = [5]byte{0xA0, 0x00, 0x00, 0x00, 0x03}

func visaKey(t testing.TB, i int) CAPublicKey {
	return CAPublicKey{
		RID: visaRID, Index: visaTestKeys[i].index, HashAlgorithm: 1, KeyAlgorithm: 1,
		Modulus: mustHexCAPK(t, visaTestKeys[i].modulus), Exponent: []byte{3},
		Expiry:   time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC),
		Checksum: mustHexCAPK(t, visaTestKeys[i].checksum),
	}
}

// TestCAPKPublishedChecksums loads the published Visa test keys: the check
// sum of EMV Book 2 section 11.2.2 verifies, and one flipped bit anywhere
// in the covered data or the check sum is refused.
func TestCAPKPublishedChecksums(t *testing.T) {
	for i := range visaTestKeys {
		k := visaKey(t, i)
		s := NewCAPKStore()
		if err := s.Add(k); err != nil {
			t.Fatalf("index %02X: %v", k.Index, err)
		}
		got, err := s.LookupAt(visaRID[:], k.Index, time.Date(2030, 12, 31, 23, 59, 0, 0, time.UTC))
		if err != nil || !bytes.Equal(got.Modulus, k.Modulus) || !bytes.Equal(got.Exponent, []byte{3}) {
			t.Fatalf("index %02X: lookup %v", k.Index, err)
		}
		alter := []func(*CAPublicKey){
			func(k *CAPublicKey) { k.RID[4] ^= 1 },
			func(k *CAPublicKey) { k.Index ^= 1 },
			func(k *CAPublicKey) { k.Modulus[10] ^= 1 },
			func(k *CAPublicKey) { k.Exponent = []byte{1, 0, 1} },
			func(k *CAPublicKey) { k.Checksum[19] ^= 1 },
			func(k *CAPublicKey) { k.Checksum = k.Checksum[:19] },
		}
		for j, f := range alter {
			k := visaKey(t, i)
			f(&k)
			if err := s.Add(k); !errors.Is(err, ErrCAPKChecksum) {
				t.Errorf("index %02X alteration %d: %v, want ErrCAPKChecksum", k.Index, j, err)
			}
		}
	}
}

func TestCAPKInvalid(t *testing.T) {
	cases := []struct {
		name string
		f    func(*CAPublicKey)
	}{
		{"hash indicator", func(k *CAPublicKey) { k.HashAlgorithm = 2 }},
		{"key indicator", func(k *CAPublicKey) { k.KeyAlgorithm = 0 }},
		{"empty modulus", func(k *CAPublicKey) { k.Modulus = nil }},
		{"leading zero", func(k *CAPublicKey) { k.Modulus[0] = 0 }},
		{"long modulus", func(k *CAPublicKey) { k.Modulus = bytes.Repeat([]byte{0xFF}, 249) }},
		{"even modulus", func(k *CAPublicKey) { k.Modulus[len(k.Modulus)-1] &^= 1 }},
		{"exponent", func(k *CAPublicKey) { k.Exponent = []byte{5} }},
		{"no expiry", func(k *CAPublicKey) { k.Expiry = time.Time{} }},
	}
	for _, c := range cases {
		k := visaKey(t, 0)
		c.f(&k)
		err := NewCAPKStore().Add(k)
		if !errors.Is(err, ErrCAPKInvalid) {
			t.Errorf("%s: %v, want ErrCAPKInvalid", c.name, err)
		} else if strings.Count(err.Error(), "emv:") != 1 {
			t.Errorf("%s: %q repeats the prefix", c.name, err)
		}
	}
}

// TestCAPKLookupRules covers the lookup refusals: unknown RID or index, a
// short RID, expiry at the day boundary (the key is usable through its
// expiry date), withdrawal; and that the store keeps its own copy.
func TestCAPKLookupRules(t *testing.T) {
	var s CAPKStore // the zero value is usable
	k := visaKey(t, 0)
	if err := s.Add(k); err != nil {
		t.Fatal(err)
	}
	k.Modulus[0] ^= 0xFF // the caller's slice is not the store's
	last := time.Date(2030, 12, 31, 23, 59, 59, 0, time.UTC)
	got, err := s.LookupAt(visaRID[:], 0x95, last)
	if err != nil || got.Modulus[0] != 0xBE {
		t.Fatalf("lookup on the expiry date: %v", err)
	}
	got.Modulus[0] = 0 // nor is the returned one
	if again, _ := s.LookupAt(visaRID[:], 0x95, last); again.Modulus[0] != 0xBE {
		t.Fatal("lookup shares the stored modulus")
	}
	aid := append(visaRID[:], 0x10, 0x10) // a full AID works as the RID
	if _, err := s.LookupAt(aid, 0x95, last); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LookupAt(visaRID[:], 0x95, last.Add(time.Second)); !errors.Is(err, ErrCAPKExpired) ||
		!strings.Contains(err.Error(), "2030-12-31") {
		t.Fatalf("day after expiry: %v", err)
	}
	if _, err := s.LookupAt(visaRID[:], 0x94, last); !errors.Is(err, ErrCAPKNotFound) {
		t.Fatalf("unknown index: %v", err)
	}
	if _, err := s.LookupAt(visaRID[:4], 0x95, last); !errors.Is(err, ErrCAPKNotFound) {
		t.Fatalf("short RID: %v", err)
	}
	if _, err := s.Lookup(visaRID[:], 0x95); err != nil && !errors.Is(err, ErrCAPKExpired) {
		t.Fatalf("Lookup now: %v", err)
	}
	if s.Len() != 1 {
		t.Fatalf("Len %d", s.Len())
	}
	s.Remove(visaRID, 0x95)
	if _, err := s.LookupAt(visaRID[:], 0x95, last); !errors.Is(err, ErrCAPKNotFound) || s.Len() != 0 {
		t.Fatalf("after Remove: %v", err)
	}
}

// capkSigner is a raw RSA CA key made by the test (crypto/rsa refuses the
// short moduli of EMV), with the issuer certificate layout of EMV Book 2
// section 5.3 table 6.
type capkSigner struct {
	key  CAPublicKey
	n, d *big.Int
}

func newCAPKSigner(t testing.TB, bits int, index byte) capkSigner {
	t.Helper()
	e, one := big.NewInt(3), big.NewInt(1)
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
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(e, phi)
		if n.BitLen() != bits || d == nil {
			continue
		}
		k := CAPublicKey{RID: [5]byte{0xA0, 0, 0, 3, 0x33}, Index: index, HashAlgorithm: 1, KeyAlgorithm: 1,
			Modulus: n.Bytes(), Exponent: []byte{3}, Expiry: time.Date(2029, 6, 30, 0, 0, 0, 0, time.UTC)}
		sum := sha1.Sum(append(append(append(k.RID[:], index), k.Modulus...), 3))
		k.Checksum = sum[:]
		return capkSigner{key: k, n: n, d: d}
	}
}

// issuerCert certifies an issuer key whose modulus fits in the certificate,
// for issuer identifier 622848 (packed, F padded), with the given MMYY
// expiry and serial.
func (s capkSigner) issuerCert(issuer []byte, expiry [2]byte, serial [3]byte) []byte {
	n := len(s.key.Modulus)
	x := []byte{0x6A, 0x02, 0x62, 0x28, 0x48, 0xFF, expiry[0], expiry[1], serial[0], serial[1], serial[2],
		0x01, 0x01, byte(len(issuer)), 1}
	x = append(x, issuer...)
	x = append(x, bytes.Repeat([]byte{0xBB}, n-len(x)-21)...)
	h := sha1.New()
	h.Write(x[1:])
	h.Write([]byte{3})
	x = append(h.Sum(x), 0xBC)
	m := new(big.Int).SetBytes(x)
	return m.Exp(m, s.d, s.n).FillBytes(make([]byte, n))
}

// TestCAPKRecoverIssuerKey feeds a stored key to ODA: a good certificate
// recovers the issuer key; an expired certificate (Book 2 5.3 step 9), a
// revoked serial (step 10), an expired CA key and a wrong index fail with
// the error naming that rule.
func TestCAPKRecoverIssuerKey(t *testing.T) {
	ca := newCAPKSigner(t, 1024, 0x08)
	s := NewCAPKStore()
	if err := s.Add(ca.key); err != nil {
		t.Fatal(err)
	}
	issuer := bytes.Repeat([]byte{0x5B}, 64)
	issuer[63] |= 1
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	pan := "6228480402564890018"
	cert := ca.issuerCert(issuer, [2]byte{0x12, 0x28}, [3]byte{0, 0, 7})

	pub, err := s.LookupAt(ca.key.RID[:], 0x08, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ODARecoverIssuerKey(pub, cert, nil, []byte{3}, pan); err != nil {
		t.Fatalf("Lookup feeding ODARecoverIssuerKey: %v", err)
	}
	ik, err := s.RecoverIssuerKey(ca.key.RID[:], 0x08, cert, nil, []byte{3}, pan, now)
	if err != nil || !bytes.Equal(ik.Modulus, issuer) || ik.Expiry != "1228" {
		t.Fatalf("RecoverIssuerKey: %v", err)
	}

	old := ca.issuerCert(issuer, [2]byte{0x02, 0x27}, [3]byte{0, 0, 7})
	if _, err := s.RecoverIssuerKey(ca.key.RID[:], 0x08, old, nil, []byte{3}, pan, now); !errors.Is(err, ErrCertExpired) {
		t.Errorf("expired certificate: %v", err)
	}
	s.Revoke(Revocation{ca.key.RID, 0x08, [3]byte{0, 0, 7}})
	s.Revoke(Revocation{ca.key.RID, 0x09, [3]byte{0, 0, 8}})
	if _, err := s.RecoverIssuerKey(ca.key.RID[:], 0x08, cert, nil, []byte{3}, pan, now); !errors.Is(err, ErrCAPKRevoked) {
		t.Errorf("revoked serial: %v", err)
	}
	other := ca.issuerCert(issuer, [2]byte{0x12, 0x28}, [3]byte{0, 0, 8}) // serial 8 revoked under index 09 only
	if _, err := s.RecoverIssuerKey(ca.key.RID[:], 0x08, other, nil, []byte{3}, pan, now); err != nil {
		t.Errorf("serial revoked under another index: %v", err)
	}
	if _, err := s.RecoverIssuerKey(ca.key.RID[:], 0x08, cert[1:], nil, []byte{3}, pan, now); !errors.Is(err, ErrODALength) {
		t.Errorf("short certificate: %v", err)
	}
	if _, err := s.RecoverIssuerKey(ca.key.RID[:], 0x07, cert, nil, []byte{3}, pan, now); !errors.Is(err, ErrCAPKNotFound) {
		t.Errorf("wrong index: %v", err)
	}
	late := time.Date(2029, 7, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.RecoverIssuerKey(ca.key.RID[:], 0x08, cert, nil, []byte{3}, pan, late); !errors.Is(err, ErrCAPKExpired) {
		t.Errorf("expired CA key: %v", err)
	}
}

// TestCAPKConcurrent reads while another goroutine adds and revokes; run
// with -race.
func TestCAPKConcurrent(t *testing.T) {
	s := NewCAPKStore()
	if err := s.Add(visaKey(t, 0)); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if _, err := s.LookupAt(visaRID[:], 0x95, at); err != nil {
					t.Error(err)
					return
				}
				s.Revoked(Revocation{visaRID, 0x95, [3]byte{byte(i)}})
			}
		}()
	}
	for i := 0; i < 200; i++ {
		s.Revoke(Revocation{visaRID, 0x95, [3]byte{byte(i)}})
		if err := s.Add(visaKey(t, 1)); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

func TestCAPKErrorStrings(t *testing.T) {
	k := visaKey(t, 0)
	k.Checksum[0] ^= 1
	err := NewCAPKStore().Add(k)
	want := "emv: CA public key check sum does not verify: RID A000000003 index 95"
	if err == nil || err.Error() != want {
		t.Fatalf("%v, want %q", err, want)
	}
}

// TestCAPKFIPS140Only runs TestCAPKFIPSOnlyPaths in a child process under
// GODEBUG=fips140=only, where SHA-1 is refused: loading a key must fail
// with ErrCAPKChecksum, not panic.
func TestCAPKFIPS140Only(t *testing.T) {
	fipstest.RunOnly(t, "TestCAPKFIPSOnlyPaths", "CAPK FIPS checks ran")
}

func TestCAPKFIPSOnlyPaths(t *testing.T) {
	if !fips140.Enforced() {
		t.Skip("not in FIPS 140-only mode (see TestCAPKFIPS140Only)")
	}
	s := NewCAPKStore()
	err := s.Add(visaKey(t, 0))
	if !errors.Is(err, ErrCAPKChecksum) || !strings.Contains(err.Error(), "FIPS 140-only") {
		t.Fatalf("Add: %v", err)
	}
	if _, err := visaKey(t, 1).ComputeChecksum(); !errors.Is(err, ErrCAPKChecksum) {
		t.Fatalf("ComputeChecksum: %v", err)
	}
	if _, err := s.LookupAt(visaRID[:], 0x95, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, ErrCAPKNotFound) {
		t.Fatalf("LookupAt: %v", err)
	}
	t.Log("CAPK FIPS checks ran")
}
