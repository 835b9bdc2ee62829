package emv

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/poskit/poskit/mac"
)

// countingBlock stands for a key held in an HSM or a KMS: it enciphers
// through a block the test built, counts the calls, and has no method that
// returns key bytes.
type countingBlock struct {
	b     cipher.Block
	calls atomic.Int64
}

func (c *countingBlock) BlockSize() int { return c.b.BlockSize() }
func (c *countingBlock) Encrypt(dst, src []byte) {
	c.calls.Add(1)
	c.b.Encrypt(dst, src)
}
func (c *countingBlock) Decrypt(dst, src []byte) {
	panic("emv: issuer-side derivations never decipher")
}

func handle(t *testing.T, key []byte) *countingBlock {
	t.Helper()
	k := append(bytes.Clone(key), key[:8]...)
	b, err := des.NewTripleDESCipher(k[:24])
	if err != nil {
		t.Skip("DES refused in this mode")
	}
	return &countingBlock{b: b}
}

// Every FromBlock call gives what its byte-key twin gives (the twins are
// checked against EMV Book 2 and published vectors in cryptogram_test.go),
// calling the handle as often as the derivation needs: two encipherments
// for an ICC master key or a session key (EMV Book 2 A1.3, A1.4), one for an
// ARPC method 1 (A1.2.1).
func TestCryptogramFromBlock(t *testing.T) {
	imk := hx(t, "0123456789ABCDEFFEDCBA9876543210")
	const pan, psn = "5413339000001513", "01"
	for _, f := range []struct {
		name  string
		bytes func([]byte, string, string) ([]byte, error)
		block func(cipher.Block, string, string) ([]byte, error)
	}{
		{"option A", ICCMasterKeyOptionA, ICCMasterKeyOptionAFromBlock},
		{"option B", ICCMasterKeyOptionB, ICCMasterKeyOptionBFromBlock},
	} {
		for _, p := range []string{pan, "5413339000001513123"} {
			h := handle(t, imk)
			want, err := f.bytes(imk, p, psn)
			check(t, err)
			got, err := f.block(h, p, psn)
			if err != nil || !bytes.Equal(got, want) || h.calls.Load() != 2 {
				t.Errorf("%s %d digits: %X (%d calls), %v; want %X (2 calls)", f.name, len(p), got, h.calls.Load(), err, want)
			}
		}
	}
	mk, _ := ICCMasterKeyOptionA(imk, pan, psn)
	h := handle(t, mk)
	want, _ := CommonSessionKey(mk, hx(t, "0001"))
	if got, err := CommonSessionKeyFromBlock(h, hx(t, "0001")); err != nil || !bytes.Equal(got, want) || h.calls.Load() != 2 {
		t.Errorf("CommonSessionKeyFromBlock: %X (%d calls), %v; want %X", got, h.calls.Load(), err, want)
	}
	arqc := hx(t, "1122334455667788")
	h = handle(t, mk)
	want, _ = ARPCMethod1(mk, arqc, []byte("00"))
	if got, err := ARPCMethod1FromBlock(h, arqc, []byte("00")); err != nil || !bytes.Equal(got, want) || h.calls.Load() != 1 {
		t.Errorf("ARPCMethod1FromBlock: %X (%d calls), %v; want %X", got, h.calls.Load(), err, want)
	}
}

// VerifyARQCFromBlocks and ARPCMethod2FromBlocks agree with their byte-key
// twins under a session key held as two handles (K1 alone, the whole key):
// one DES call per block but the last, one TDES call for the last (ISO
// 9797-1 algorithm 3).
func TestSessionKeyFromBlocks(t *testing.T) {
	sk := hx(t, "0123456789ABCDEFFEDCBA9876543210")
	d1, err := des.NewCipher(sk[:8])
	if err != nil {
		t.Skip("DES refused in this mode")
	}
	k1, k := &countingBlock{b: d1}, handle(t, sk)
	data := hx(t, "000000001000000000000000084000000000000840070203008765432100")
	arqc, err := ARQC(sk, data, mac.Method2)
	check(t, err)
	if err := VerifyARQCFromBlocks(k1, k, data, arqc, mac.Method2); err != nil {
		t.Errorf("VerifyARQCFromBlocks: %v", err)
	}
	if k1.calls.Load() != int64(len(data)/8) || k.calls.Load() != 1 {
		t.Errorf("%d+%d handle calls, want %d+1", k1.calls.Load(), k.calls.Load(), len(data)/8)
	}
	bad := bytes.Clone(arqc)
	bad[0] ^= 1
	if err := VerifyARQCFromBlocks(k1, k, data, bad, mac.Method2); !errors.Is(err, ErrARQCMismatch) {
		t.Errorf("bad ARQC: %v", err)
	}
	if err := VerifyARQCFromBlocks(k1, k, data, arqc[:4], mac.Method2); !errors.Is(err, ErrARQCLength) {
		t.Errorf("4-byte ARQC: %v", err)
	}
	if err := VerifyARQCFromBlocks(k1, k, data, arqc, mac.Method3); !errors.Is(err, ErrCryptogramPadding) {
		t.Errorf("padding method 3: %v", err)
	}
	aesBlock, _ := aes.NewCipher(make([]byte, 16))
	if err := VerifyARQCFromBlocks(aesBlock, k, data, arqc, mac.Method2); !errors.Is(err, ErrCryptogramCipher) {
		t.Errorf("AES handle: %v", err)
	}
	csu := hx(t, "00800000")
	want, _ := ARPCMethod2(sk, arqc, csu, nil)
	if got, err := ARPCMethod2FromBlocks(k1, k, arqc, csu, nil); err != nil || !bytes.Equal(got, want) {
		t.Errorf("ARPCMethod2FromBlocks: %X, %v; want %X", got, err, want)
	}
	if _, err := ARPCMethod2FromBlocks(nil, k, arqc, csu, nil); !errors.Is(err, ErrCryptogramCipher) {
		t.Errorf("nil handle: %v", err)
	}
	if _, err := ARPCMethod2FromBlocks(k1, k, arqc[:7], csu, nil); !errors.Is(err, ErrARQCLength) {
		t.Errorf("short ARQC: %v", err)
	}
}

// CVN.ARQCFromBlock and CVN.VerifyFromBlock agree with ARQC and Verify for
// every version, and derive the ICC master key with two calls to the handle.
func TestCVNFromBlock(t *testing.T) {
	imk := hx(t, "0123456789ABCDEFFEDCBA9876543210")
	const pan = "5413339000001513"
	iads := map[string]string{
		CVNVisa10.Name:       "06010A03A06010",
		CVNVisa18.Name:       "06011203A0B800",
		CVNVisa22.Name:       visa22IAD,
		CVNMastercard16.Name: "0110A00003220000000000000000000000FF",
		CVNMastercard17.Name: "0111A00003220000000000000000000322FF",
	}
	resp := ARPCResponse{ARC: []byte("00"), CSU: hx(t, "00800000")}
	for _, c := range []CVN{CVNVisa10, CVNVisa18, CVNVisa22, CVNMastercard16, CVNMastercard17} {
		f55 := randomField55(t, iads[c.Name])
		want, err := c.ARQC(imk, pan, "01", f55)
		check(t, err)
		h := handle(t, imk)
		got, err := c.ARQCFromBlock(h, pan, "01", f55)
		if err != nil || !bytes.Equal(got, want) || h.calls.Load() != 2 {
			t.Errorf("%s ARQCFromBlock: %X (%d calls), %v; want %X", c.Name, got, h.calls.Load(), err, want)
		}
		full := AppendTLV(bytes.Clone(f55), 0x9F26, want)
		wantARPC, err := c.Verify(imk, pan, "01", full, resp)
		check(t, err)
		h = handle(t, imk)
		arpc, err := c.VerifyFromBlock(h, pan, "01", full, resp)
		if err != nil || !bytes.Equal(arpc, wantARPC) || h.calls.Load() != 2 {
			t.Errorf("%s VerifyFromBlock: %X (%d calls), %v; want %X", c.Name, arpc, h.calls.Load(), err, wantARPC)
		}
		bad := bytes.Clone(want)
		bad[7] ^= 1
		if _, err := c.VerifyFromBlock(h, pan, "01", AppendTLV(bytes.Clone(f55), 0x9F26, bad), resp); !errors.Is(err, ErrARQCMismatch) {
			t.Errorf("%s VerifyFromBlock of a bad ARQC: %v", c.Name, err)
		}
		// A truncated ARQC is refused, never compared as a prefix.
		if _, err := c.VerifyFromBlock(h, pan, "01", AppendTLV(bytes.Clone(f55), 0x9F26, want[:4]), resp); !errors.Is(err, ErrARQCLength) {
			t.Errorf("%s VerifyFromBlock of a 4-byte ARQC: %v", c.Name, err)
		}
	}
}

func TestCryptogramFromBlockErrors(t *testing.T) {
	aesBlock, _ := aes.NewCipher(make([]byte, 16))
	var none cipher.Block
	for name, err := range map[string]error{
		"option A nil": second(ICCMasterKeyOptionAFromBlock(none, "1234567890123", "")),
		"option B AES": second(ICCMasterKeyOptionBFromBlock(aesBlock, "1234567890123", "")),
		"session AES":  second(CommonSessionKeyFromBlock(aesBlock, []byte{0, 1})),
		"ARPC nil":     second(ARPCMethod1FromBlock(none, make([]byte, 8), []byte("00"))),
		"CVN ARQC":     second(CVNVisa10.ARQCFromBlock(aesBlock, "1234567890123", "", nil)),
		"CVN Verify":   second(CVNVisa10.VerifyFromBlock(none, "1234567890123", "", nil, ARPCResponse{ARC: []byte("00")})),
	} {
		if !errors.Is(err, ErrCryptogramCipher) {
			t.Errorf("%s: %v, want ErrCryptogramCipher", name, err)
		}
	}
	if _, err := CommonSessionKeyFromBlock(aesBlock, []byte{1}); !errors.Is(err, ErrSessionKeyData) {
		t.Errorf("session key data: %v", err)
	}
	if _, err := ARPCMethod1FromBlock(aesBlock, make([]byte, 7), []byte("00")); !errors.Is(err, ErrARQCLength) {
		t.Errorf("ARPC ARQC length: %v", err)
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
