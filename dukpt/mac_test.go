package dukpt_test

import (
	"bytes"
	"testing"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/mac"
)

// X9.24-1:2009 A.4.2: the request and response MACs are ANSI X9.19 (ISO
// 9797-1 algorithm 3) over the zero-padded input, leftmost 4 bytes, under the
// MAC request and MAC response keys.
func TestTDESMACVectors(t *testing.T) {
	bdk := unhex(t, tdesBDK)
	o, _ := newTDESOriginator(t)
	for _, v := range tdesVectors {
		ksn := unhex(t, v.ksn)
		tx, err := o.Next()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			u    dukpt.Usage
			orig []byte
			want string
		}{
			{dukpt.MACGeneration, tx.MACRequest, v.requestMAC},
			{dukpt.MACVerification, tx.MACResponse, v.responseMAC},
		} {
			key, err := dukpt.TDESKey(bdk, ksn, c.u)
			if err != nil {
				t.Fatal(err)
			}
			m, err := mac.ISO9797Alg3(key, []byte(tdesMACData), mac.Method1)
			if err != nil {
				t.Fatal(err)
			}
			if want := unhex(t, c.want); !bytes.Equal(m[:4], want) {
				t.Errorf("%s %v: MAC %X, want %X", v.ksn, c.u, m[:4], want)
			}
			// The terminal's key MACs the same.
			alg, err := mac.NewISO9797Alg3(c.orig, mac.Method1)
			if err != nil {
				t.Fatal(err)
			}
			// The published MACs are the leftmost 4 bytes: that truncation
			// is named, a bare Verify takes only the full 8.
			if !mac.VerifyTruncated(alg, []byte(tdesMACData), unhex(t, c.want), 4) || alg.Verify([]byte(tdesMACData), unhex(t, c.want)) {
				t.Errorf("%s %v: originator's key does not verify the published MAC", v.ksn, c.u)
			}
		}
	}
}

// Key check values of derived keys come from package mac; they agree with
// the definitions (TDES: E(key, 0^8) leftmost 3 bytes; AES: CMAC(key, 0^16)
// leftmost 5 bytes).
func TestDerivedKeyKCV(t *testing.T) {
	tk, err := dukpt.TDESKey(unhex(t, tdesBDK), unhex(t, "FFFF9876543210E00001"), dukpt.PINEncryption)
	if err != nil {
		t.Fatal(err)
	}
	kcv, err := mac.KCV(tk)
	if err != nil {
		t.Fatal(err)
	}
	if want := tdesEncryptBlock(t, tk, make([]byte, 8))[:3]; !bytes.Equal(kcv, want) {
		t.Errorf("TDES KCV %X, want %X", kcv, want)
	}
	ak, err := dukpt.AESKey(unhex(t, aes128BDK), unhex(t, aesKeyID+"00000001"), dukpt.PINEncryption, dukpt.AES128)
	if err != nil {
		t.Fatal(err)
	}
	akcv, err := mac.AESKCV(ak)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := mac.AESCMAC(ak, make([]byte, 16))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(akcv, cm[:5]) {
		t.Errorf("AES KCV %X, want %X", akcv, cm[:5])
	}
	// AES DUKPT MAC keys work with AES-CMAC on both sides.
	o, _ := newAESOriginator(t, aes128BDK, dukpt.AES128)
	tx, _ := o.Next()
	hostKey, err := dukpt.AESKey(unhex(t, aes128BDK), tx.KSN[:], dukpt.MACGeneration, dukpt.AES128)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := mac.AESCMAC(tx.MACGeneration, []byte(tdesMACData))
	if err != nil {
		t.Fatal(err)
	}
	alg, err := mac.NewAESCMAC(hostKey)
	if err != nil {
		t.Fatal(err)
	}
	if !alg.Verify([]byte(tdesMACData), tag) {
		t.Error("host does not verify the terminal's AES-CMAC")
	}
}
