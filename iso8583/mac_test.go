package iso8583

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"

	"github.com/poskit/poskit/internal/tdes"
	"github.com/poskit/poskit/mac"
)

var _ MACAlgorithm = mac.Algorithm(nil) // every mac.Algorithm will do

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type macCase struct {
	name string
	alg  MACAlgorithm
	once func(key, data []byte) ([]byte, error)
	key  []byte
}

func macCases(t testing.TB) []macCase {
	// keys: the X9.19 key of ISO 9797-1 examples, the DUKPT counter-1 MAC
	// request key of ANSI X9.24-1:2009 A.4, the UnionPay MAK of the public
	// CUP MAC example and the RFC 4493 AES key (see docs/VECTORS.md).
	x919Key := mustHex(t, "7CA110454A1A6E570131D9619DC1376E")
	dukptKey := mustHex(t, "042666B4918430A368DE9628D03984C9")
	cupKey := mustHex(t, "2222222222222222")
	aesKey := mustHex(t, "2B7E151628AED2A6ABF7158809CF4F3C")
	desKey := mustHex(t, "0123456789ABCDEF")
	mk := func(a mac.Algorithm, err error) mac.Algorithm {
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	return []macCase{
		{"X9.19", mk(mac.NewISO9797Alg3(x919Key, mac.Method1)), func(k, d []byte) ([]byte, error) { return mac.ISO9797Alg3(k, d, mac.Method1) }, x919Key},
		{"X9.19 DUKPT key", mk(mac.NewISO9797Alg3(dukptKey, mac.Method1)), func(k, d []byte) ([]byte, error) { return mac.ISO9797Alg3(k, d, mac.Method1) }, dukptKey},
		{"X9.9", mk(mac.NewISO9797Alg1(desKey, mac.Method1)), func(k, d []byte) ([]byte, error) { return mac.ISO9797Alg1(k, d, mac.Method1) }, desKey},
		{"UnionPay ECB", mk(mac.NewCUPECB(cupKey)), mac.CUPECB, cupKey},
		{"AES-CMAC", mk(mac.NewAESCMAC(aesKey)), mac.AESCMAC, aesKey},
	}
}

func TestSignVerifyMessage(t *testing.T) {
	for _, s := range []Scheme{UnionPay, ISO87} {
		for _, c := range macCases(t) {
			t.Run(c.name, func(t *testing.T) {
				sale, err := testTerminal(s).Sale(chip, 1000)
				if err != nil {
					t.Fatal(err)
				}
				m, err := sale.Message(s.Spec())
				if err != nil {
					t.Fatal(err)
				}
				packed, err := SignMessage(m, c.alg)
				if err != nil {
					t.Fatal(err)
				}
				again, err := m.Pack()
				if err != nil || !bytes.Equal(again, packed) {
					t.Fatalf("SignMessage result differs from Pack: %v", err)
				}
				// independent MAB: the packed message without field 64
				// (8 bytes binary on UnionPay, 16 hex characters on ISO87)
				tail := 8
				if s == ISO87 {
					tail = 16
				}
				mab := packed[:len(packed)-tail]
				full, err := c.once(c.key, mab)
				if err != nil {
					t.Fatal(err)
				}
				tag, _ := m.GetBytes(64)
				if !bytes.Equal(tag, full[:8]) {
					t.Errorf("field 64 %X, MAC of MAB %X", tag, full)
				}
				got, err := VerifyPacked(s.Spec(), packed, c.alg)
				if err != nil {
					t.Fatalf("verify: %v", err)
				}
				if err := VerifyMessage(got, c.alg); err != nil {
					t.Errorf("VerifyMessage: %v", err)
				}
				// flip every bit: never verifies
				for i := 0; i < len(packed)*8; i++ {
					bad := append([]byte(nil), packed...)
					bad[i/8] ^= 1 << (i % 8)
					if _, err := VerifyPacked(s.Spec(), bad, c.alg); err == nil {
						t.Fatalf("bit %d flipped still verifies", i)
					}
				}
				// a tampered field in the message itself
				_ = got.Field(4, "000000009999")
				if err := VerifyMessage(got, c.alg); !errors.Is(err, ErrMACMismatch) {
					t.Errorf("tampered amount: %v", err)
				}
			})
		}
	}
}

func TestMACInField128(t *testing.T) {
	alg := macCases(t)[0].alg
	m := moov.NewMessage(Spec87ASCII)
	m.MTI("0800")
	_ = m.Field(11, "000001")
	_ = m.Field(70, "001")
	_ = m.BinaryField(64, []byte{1, 2, 3, 4, 5, 6, 7, 8}) // dropped: the MAC goes in 128
	packed, err := SignMessage(m, alg)
	if err != nil {
		t.Fatal(err)
	}
	if MACField(m) != 128 || m.GetField(64) != nil || m.GetField(128) == nil {
		t.Fatalf("MAC field %d", MACField(m))
	}
	if _, err := VerifyPacked(Spec87ASCII, packed, alg); err != nil {
		t.Error(err)
	}
	// field 128 set without any 65..127: the MAC goes in 64 and 128 is dropped
	m = moov.NewMessage(Spec87ASCII)
	m.MTI("0800")
	_ = m.Field(11, "000001")
	_ = m.BinaryField(128, make([]byte, 8))
	if _, err := SignMessage(m, alg); err != nil || m.GetField(128) != nil || m.GetField(64) == nil {
		t.Errorf("64: %v", err)
	}
}

type shortMAC struct{}

func (shortMAC) Size() int               { return 2 }
func (shortMAC) MAC([]byte) []byte       { return []byte{1, 2} }
func (shortMAC) Verify(_, _ []byte) bool { return true }

func TestMACErrors(t *testing.T) {
	alg := macCases(t)[0].alg
	m := moov.NewMessage(SpecUnionPay)
	m.MTI("0800")
	_ = m.Field(11, "000001")
	packed, _ := m.Pack()
	if _, err := VerifyPacked(SpecUnionPay, packed, alg); !errors.Is(err, ErrNoMAC) {
		t.Errorf("no MAC: %v", err)
	}
	if err := VerifyMessage(m, alg); !errors.Is(err, ErrNoMAC) {
		t.Errorf("VerifyMessage no MAC: %v", err)
	}
	if _, err := SignMessage(m, nil); !errors.Is(err, ErrMACAlgorithm) {
		t.Errorf("nil alg: %v", err)
	}
	if _, err := SignMessage(m, shortMAC{}); !errors.Is(err, ErrMACAlgorithm) {
		t.Errorf("short alg: %v", err)
	}
	if _, err := VerifyPacked(SpecUnionPay, []byte{0x08}, alg); err == nil {
		t.Error("garbage verified")
	}
	noMAC := &moov.MessageSpec{Fields: map[int]field.Field{
		0: SpecUnionPay.Fields[0], 1: SpecUnionPay.Fields[1], 11: SpecUnionPay.Fields[11],
	}}
	m = moov.NewMessage(noMAC)
	m.MTI("0800")
	_ = m.Field(11, "000001")
	if _, err := MAB(m); !errors.Is(err, ErrNoMAC) {
		t.Errorf("spec without 64: %v", err)
	}
	// a MAC field of the wrong length never verifies
	m = moov.NewMessage(Spec87ASCII)
	m.MTI("0800")
	_ = m.Field(11, "000001")
	_ = m.BinaryField(64, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	packed, _ = m.Pack()
	if _, err := VerifyPacked(Spec87ASCII, packed, alg); !errors.Is(err, ErrMACMismatch) {
		t.Errorf("wrong MAC: %v", err)
	}
}

func TestSignOnKeys(t *testing.T) {
	// the TDES key check value of docs/VECTORS.md: 0123456789ABCDEFFEDCBA9876543210 -> 08D7B4
	cv, err := checkValue(mustHex(t, "0123456789ABCDEFFEDCBA9876543210"))
	if err != nil || !strings.HasPrefix(strings.ToUpper(hex.EncodeToString(cv[:])), "08D7B4") {
		t.Fatalf("check value %X %v", cv, err)
	}
	tmk := mustHex(t, "0123456789ABCDEFFEDCBA9876543210")
	pik := mustHex(t, "1111111111111111FEFEFEFEFEFEFEFE")
	mak8 := mustHex(t, "2222222222222222")
	mak16 := mustHex(t, "23232323232323234545454545454545")
	tdk := mustHex(t, "3131313131313131CDCDCDCDCDCDCDCD")
	cases := []struct {
		name          string
		tmk, p, m, tr []byte
		size          int
	}{
		{"001 single", tmk[:8], pik[:8], mak8, nil, 24},
		{"003 double PIK, single MAK", tmk, pik, mak8, nil, 40},
		{"003 double", tmk, pik, mak16, nil, 40},
		{"004 with TDK", tmk, pik, mak16, tdk, 60},
	}
	for _, c := range cases {
		f62, err := BuildSignOnKeys(c.tmk, c.p, c.m, c.tr)
		if err != nil || len(f62) != c.size {
			t.Fatalf("%s: build %d %v", c.name, len(f62), err)
		}
		keys, err := ParseSignOnKeys(f62, c.tmk)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !bytes.Equal(keys.PIN, c.p) || !bytes.Equal(keys.MAC, c.m) || !bytes.Equal(keys.Track, c.tr) {
			t.Errorf("%s: keys differ", c.name)
		}
		if s := keys.String(); strings.Contains(strings.ToUpper(s), "1111") || !strings.Contains(s, "bytes") {
			t.Errorf("String shows keys: %s", s)
		}
		keys.Wipe()
		if !allZero(keys.PIN) || !allZero(keys.MAC) {
			t.Error("Wipe")
		}
		for i := range f62 {
			bad := append([]byte(nil), f62...)
			bad[i] ^= 0x01
			if _, err := ParseSignOnKeys(bad, c.tmk); err == nil {
				t.Fatalf("%s: byte %d flipped still parses", c.name, i)
			}
		}
		wrong := append([]byte(nil), c.tmk...)
		wrong[0] ^= 0x10
		if _, err := ParseSignOnKeys(f62, wrong); !errors.Is(err, ErrCheckValue) {
			t.Errorf("%s: wrong TMK: %v", c.name, err)
		}
	}
	if _, err := ParseSignOnKeys(make([]byte, 30), tmk); !errors.Is(err, ErrKeyBlock) {
		t.Errorf("length: %v", err)
	}
	if _, err := ParseSignOnKeys(make([]byte, 24), tmk[:5]); !errors.Is(err, ErrKeyBlock) {
		t.Errorf("tmk: %v", err)
	}
	if _, err := BuildSignOnKeys(tmk, pik[:8], mak16, nil); !errors.Is(err, ErrKeyBlock) {
		t.Errorf("build layout: %v", err)
	}
	if _, err := BuildSignOnKeys(tmk[:3], pik, mak16, nil); !errors.Is(err, ErrKeyBlock) {
		t.Errorf("build tmk: %v", err)
	}
}

// A whole session: sign-on, keys from field 62, a MAC'd sale, the host's
// check and its MAC'd answer.
func TestSignOnSession(t *testing.T) {
	tmk := mustHex(t, "0123456789ABCDEFFEDCBA9876543210")
	mak := mustHex(t, "23232323232323234545454545454545")
	term := testTerminal(UnionPay)
	so, _ := term.SignOn()
	packed, err := so.Pack(SpecUnionPay)
	if err != nil {
		t.Fatal(err)
	}
	req, err := Unpack(SpecUnionPay, packed)
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := NewResponse(req, "00", "", "", testNow)
	resp.F62, err = BuildSignOnKeys(tmk, mustHex(t, "1111111111111111FEFEFEFEFEFEFEFE"), mak, nil)
	if err != nil {
		t.Fatal(err)
	}
	packed, _ = resp.Pack(SpecUnionPay)
	got, err := Unpack(SpecUnionPay, packed)
	if err != nil || got.MTI != "0810" || !got.Approved() {
		t.Fatalf("0810: %v", err)
	}
	keys, err := got.SessionKeys(tmk)
	if err != nil {
		t.Fatal(err)
	}
	termMAC, _ := mac.NewISO9797Alg3(keys.MAC, mac.Method1)
	hostMAC, _ := mac.NewISO9797Alg3(mak, mac.Method1)
	sale, _ := term.Sale(swipe, 4200)
	m, _ := sale.Message(SpecUnionPay)
	wire, err := SignMessage(m, termMAC)
	if err != nil {
		t.Fatal(err)
	}
	hm, err := VerifyPacked(SpecUnionPay, wire, hostMAC)
	if err != nil {
		t.Fatal(err)
	}
	hreq, _ := FromMessage(hm)
	ans, _ := NewResponse(hreq, "00", "632510000403", "123456", testNow)
	am, _ := ans.Message(SpecUnionPay)
	awire, err := SignMessage(am, hostMAC)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyPacked(SpecUnionPay, awire, termMAC); err != nil {
		t.Fatal(err)
	}
}

// In FIPS 140-only mode (GODEBUG=fips140=only) the DES sign-on keys are
// refused with ErrUnavailable, not a malformed-key error or a panic.
func TestSignOnKeysFIPSOnly(t *testing.T) {
	if tdes.Allowed() {
		t.Skip("DES is allowed: run with GODEBUG=fips140=only")
	}
	tmk := make([]byte, 16)
	if _, err := ParseSignOnKeys(make([]byte, 24), tmk); !errors.Is(err, ErrUnavailable) {
		t.Errorf("parse: %v", err)
	}
	if _, err := BuildSignOnKeys(tmk, make([]byte, 8), make([]byte, 8), nil); !errors.Is(err, ErrUnavailable) {
		t.Errorf("build: %v", err)
	}
}
