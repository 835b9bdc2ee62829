package dukpt_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/keyblock"
)

func kbHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A terminal loaded from a B1 key block derives the keys the host derives
// from the BDK: TDES with the X9.24-1:2009 annex A BDK and initial KSN.
func TestTDESOriginatorFromKeyBlock(t *testing.T) {
	bdk := kbHex(t, "0123456789ABCDEFFEDCBA9876543210")
	ksn := kbHex(t, "FFFF9876543210E00000")
	ipek, err := dukpt.TDESInitialKey(bdk, ksn)
	if err != nil {
		t.Fatal(err)
	}
	kbpk := bytes.Repeat([]byte{0x5B}, 24)
	h := keyblock.Header{Version: 'B', Usage: "B1", Algorithm: 'T', Mode: 'X', KeyVersion: "00", Exportability: 'N',
		Blocks: []keyblock.Block{{ID: "KS", Data: "FFFF9876543210E00000"}}}
	kb, err := keyblock.Wrap(kbpk, h, ipek)
	if err != nil {
		t.Fatal(err)
	}
	o, err := dukpt.NewTDESOriginatorFromKeyBlock(kbpk, kb)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		tx, err := o.Next()
		if err != nil {
			t.Fatal(err)
		}
		want, err := dukpt.TDESKey(bdk, tx.KSN[:], dukpt.PINEncryption)
		if err != nil || !bytes.Equal(tx.PIN, want) {
			t.Fatalf("KSN %X: PIN key differs from the host's (%v)", tx.KSN, err)
		}
	}

	// Wrong KBPK, wrong usage, missing or malformed KS.
	if _, err := dukpt.NewTDESOriginatorFromKeyBlock(bytes.Repeat([]byte{0x5C}, 24), kb); !errors.Is(err, keyblock.ErrMAC) {
		t.Errorf("wrong KBPK: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*keyblock.Header)
	}{
		{"usage B0", func(h *keyblock.Header) { h.Usage = "B0" }},
		{"no KS", func(h *keyblock.Header) { h.Blocks = nil }},
		{"short KS", func(h *keyblock.Header) { h.Blocks = []keyblock.Block{{ID: "KS", Data: "FFFF9876543210E0"}} }},
	} {
		bad := h
		tc.edit(&bad)
		kb, err := keyblock.Wrap(kbpk, bad, ipek)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dukpt.NewTDESOriginatorFromKeyBlock(kbpk, kb); !errors.Is(err, dukpt.ErrInitialKeyBlock) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// TR-31:2018 A.7.3.2 carries a BDK (B0) with a KS block: not an initial key.
	kb = "B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627"
	if _, err := dukpt.NewTDESOriginatorFromKeyBlock(kbHex(t, "1D22BF32387C600AD97F9B97A51311AC"), kb); !errors.Is(err, dukpt.ErrInitialKeyBlock) {
		t.Errorf("B0 block: %v", err)
	}
}

// AES: the X9.24-3:2017 test BDK and initial key ID, the initial key in a
// version D block with the ID in IK.
func TestAESOriginatorFromKeyBlock(t *testing.T) {
	bdk := kbHex(t, "FEDCBA9876543210F1F1F1F1F1F1F1F1")
	id := kbHex(t, "1234567890123456")
	ik, err := dukpt.AESInitialKey(bdk, id)
	if err != nil {
		t.Fatal(err)
	}
	kbpk := bytes.Repeat([]byte{0x7E}, 32)
	h := keyblock.Header{Version: 'D', Usage: "B1", Algorithm: 'A', Mode: 'X', KeyVersion: "00", Exportability: 'N',
		Blocks: []keyblock.Block{{ID: "IK", Data: "1234567890123456"}, {ID: "KC", Data: keyblock.KCVCMAC}}}
	kb, err := keyblock.Wrap(kbpk, h, ik)
	if err != nil {
		t.Fatal(err)
	}
	o, err := dukpt.NewAESOriginatorFromKeyBlock(kbpk, kb, dukpt.AES128)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := o.Next()
	if err != nil {
		t.Fatal(err)
	}
	want, err := dukpt.AESKey(bdk, tx.KSN[:], dukpt.PINEncryption, dukpt.AES128)
	if err != nil || !bytes.Equal(tx.PIN, want) {
		t.Fatalf("KSN %X: PIN key differs from the host's (%v)", tx.KSN, err)
	}
	h.Algorithm = 'T'
	h.Blocks = []keyblock.Block{{ID: "IK", Data: "1234567890123456"}}
	kb, err = keyblock.Wrap(kbpk, h, ik)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dukpt.NewAESOriginatorFromKeyBlock(kbpk, kb, dukpt.AES128); !errors.Is(err, dukpt.ErrInitialKeyBlock) {
		t.Errorf("algorithm T: %v", err)
	}
	h.Algorithm, h.Blocks = 'A', nil
	kb, _ = keyblock.Wrap(kbpk, h, ik)
	if _, err := dukpt.NewAESOriginatorFromKeyBlock(kbpk, kb, dukpt.AES128); !errors.Is(err, dukpt.ErrInitialKeyBlock) {
		t.Errorf("no IK: %v", err)
	}
	if _, err := dukpt.NewAESOriginatorFromKeyBlock(kbpk, kb[:len(kb)-1], dukpt.AES128); !errors.Is(err, keyblock.ErrFormat) {
		t.Errorf("truncated: %v", err)
	}
}
