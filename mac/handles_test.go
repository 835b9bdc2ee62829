package mac

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"errors"
	"sync/atomic"
	"testing"
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
func (c *countingBlock) Decrypt(dst, src []byte) { panic("mac: a MAC never deciphers") }

// Each FromBlock constructor gives the MACs of its byte-key twin, calling
// the handle the number of times the algorithm needs (one encipherment per
// block: ISO 9797-1 and NIST SP 800-38B).
func TestFromBlock(t *testing.T) {
	if !desOK() {
		t.Skip("DES refused in this mode")
	}
	k16 := randBytes(16)
	data := randBytes(37) // 5 DES blocks, 3 AES blocks
	tdesBlock, _ := des.NewTripleDESCipher(append(bytes.Clone(k16), k16[:8]...))
	desBlock, _ := des.NewCipher(k16[:8])
	aesBlock, _ := aes.NewCipher(k16)

	h := &countingBlock{b: tdesBlock}
	alg1, err := NewISO9797Alg1FromBlock(h, Method1)
	check(t, err)
	want, _ := ISO9797Alg1(k16, data, Method1)
	if got := alg1.MAC(data); !bytes.Equal(got, want) || h.calls.Load() != 5 {
		t.Errorf("alg1: %X (%d calls), want %X (5 calls)", got, h.calls.Load(), want)
	}

	h1, h2 := &countingBlock{b: desBlock}, &countingBlock{b: tdesBlock}
	alg3, err := NewISO9797Alg3FromBlocks(h1, h2, Method2)
	check(t, err)
	want, _ = ISO9797Alg3(k16, data, Method2)
	if got := alg3.MAC(data); !bytes.Equal(got, want) || h1.calls.Load() != 4 || h2.calls.Load() != 1 {
		t.Errorf("alg3: %X (%d+%d calls), want %X (4+1)", got, h1.calls.Load(), h2.calls.Load(), want)
	}

	ha := &countingBlock{b: aesBlock}
	cm, err := NewCMACFromBlock(ha)
	check(t, err)
	want, _ = AESCMAC(k16, data)
	if got := cm.MAC(data); !bytes.Equal(got, want) || ha.calls.Load() != 1+3 {
		t.Errorf("AES-CMAC: %X (%d calls), want %X (1 subkey + 3)", got, ha.calls.Load(), want)
	}
	ht := &countingBlock{b: tdesBlock}
	cm, err = NewCMACFromBlock(ht)
	check(t, err)
	want, _ = TDESCMAC(k16, data)
	if got := cm.MAC(data); !bytes.Equal(got, want) || ht.calls.Load() != 1+5 {
		t.Errorf("TDES-CMAC: %X (%d calls), want %X (1 subkey + 5)", got, ht.calls.Load(), want)
	}

	hc := &countingBlock{b: tdesBlock}
	cup, err := NewCUPECBFromBlock(hc)
	check(t, err)
	want, _ = CUPECB(k16, data)
	if got := cup.MAC(data); !bytes.Equal(got, want) || hc.calls.Load() != 2 {
		t.Errorf("CUP: %q (%d calls), want %q (2)", got, hc.calls.Load(), want)
	}
	if !VerifyTruncated(cup, data, want[:4], 4) || !cup.Verify(data, want) {
		t.Error("CUP from a block does not verify its own MAC")
	}
}

func TestFromBlockErrors(t *testing.T) {
	aesBlock, _ := aes.NewCipher(make([]byte, 16))
	cases := map[string]error{}
	_, cases["alg1 nil"] = NewISO9797Alg1FromBlock(nil, Method1)
	_, cases["alg1 AES"] = NewISO9797Alg1FromBlock(aesBlock, Method1)
	_, cases["alg3 AES"] = NewISO9797Alg3FromBlocks(aesBlock, aesBlock, Method1)
	_, cases["alg3 nil"] = NewISO9797Alg3FromBlocks(nil, nil, Method1)
	_, cases["cmac nil"] = NewCMACFromBlock(nil)
	_, cases["cup AES"] = NewCUPECBFromBlock(aesBlock)
	for name, err := range cases {
		if !errors.Is(err, ErrBlock) {
			t.Errorf("%s: %v, want ErrBlock", name, err)
		}
	}
	if _, err := NewISO9797Alg1FromBlock(aesBlock, 9); !errors.Is(err, ErrPadding) {
		t.Errorf("alg1 padding: %v", err)
	}
	if _, err := NewISO9797Alg3FromBlocks(aesBlock, aesBlock, 0); !errors.Is(err, ErrPadding) {
		t.Errorf("alg3 padding: %v", err)
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func desOK() bool {
	_, err := des.NewCipher(make([]byte, 8))
	return err == nil
}
