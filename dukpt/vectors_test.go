package dukpt_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/poskit/poskit/dukpt"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// ANSI X9.24-1:2009 Annex A.4 (as recomputed in docs/VECTORS.md).
const (
	tdesBDK        = "0123456789ABCDEFFEDCBA9876543210"
	tdesInitialKSN = "FFFF9876543210E00000"
	tdesIPEK       = "6AC292FAA1315B4D858AB3A3D7D5933A"
	// Clear ISO 9564 format 0 block of PIN 1234, PAN 4012345678909.
	tdesClearPINBlock = "041274EDCBA9876F"
	// MAC and data-encryption input of A.4.2.
	tdesMACData = "4012345678909D987"
)

// X9.24-1:2009 A.4.2, counters 1-3.
var tdesVectors = []struct {
	ksn, transactionKey, pinKey, pinBlock, requestMAC, responseMAC string
}{
	{"FFFF9876543210E00001", "042666B49184CFA368DE9628D0397BC9", "042666B49184CF5C68DE9628D0397B36", "1B9C1845EB993A7A", "9CCC7817", "20364223"},
	{"FFFF9876543210E00002", "C46551CEF9FD24B0AA9AD834130D3BC7", "C46551CEF9FD244FAA9AD834130D3B38", "10A01C8D02C69107", "F608A9BC", "D1FCA6BE"},
	{"FFFF9876543210E00003", "0DF3D9422ACA56E547676D07AD6BADFA", "0DF3D9422ACA561A47676D07AD6BAD05", "18DC07B94797B466", "20B59A4F", "BAD4CC9C"},
}

// X9.24-1:2009 A.4.2, every working key at counter 1.
var tdesCounter1Keys = []struct {
	u   dukpt.Usage
	key string
}{
	{dukpt.PINEncryption, "042666B49184CF5C68DE9628D0397B36"},
	{dukpt.MACGeneration, "042666B4918430A368DE9628D03984C9"},
	{dukpt.MACVerification, "042666B46E84CFA368DE96282F397BC9"},
	{dukpt.DataEncryption, "448D3F076D8304036A55A3D7E0055A78"},
	{dukpt.DataDecryption, "AD7BFC8B06AD3A08A560B4105CF8D9E5"},
}

// X9.24-1:2009 A.4.3, transaction keys near the counter's end.
var tdesRolloverVectors = []struct{ ksn, transactionKey string }{
	{"FFFF9876543210EFF800", "F9CDFEBF4F5B1D9EB3EC12454527E176"},
	{"FFFF9876543210EFFC00", "F9430DF975082491C77BE4EF4FDB91EE"},
	{"FFFF9876543210F00000", "AA4D58DB653EC74A48C75F2F047DD2B5"},
}

// X9.24-1:2009 A.4.2: TDES-CBC (zero IV, zero padding) of the input under the
// counter-1 data request key.
const tdesCBCVector = "FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F"

func TestTDESInitialKey(t *testing.T) {
	got, err := dukpt.TDESInitialKey(unhex(t, tdesBDK), unhex(t, tdesInitialKSN))
	if err != nil {
		t.Fatal(err)
	}
	if want := unhex(t, tdesIPEK); !bytes.Equal(got, want) {
		t.Fatalf("IPEK %X, want %X", got, want)
	}
	// The counter bits of the KSN do not matter.
	got2, err := dukpt.TDESInitialKey(unhex(t, tdesBDK), unhex(t, "FFFF9876543210E00003"))
	if err != nil || !bytes.Equal(got, got2) {
		t.Fatalf("IPEK from counter 3: %X, %v", got2, err)
	}
}

func TestTDESVectors(t *testing.T) {
	bdk := unhex(t, tdesBDK)
	r, err := dukpt.NewTDESReceiver(bdk)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range tdesVectors {
		ksn := unhex(t, v.ksn)
		tk, err := dukpt.TDESTransactionKey(bdk, ksn)
		if err != nil {
			t.Fatal(err)
		}
		if want := unhex(t, v.transactionKey); !bytes.Equal(tk, want) {
			t.Errorf("%s: transaction key %X, want %X", v.ksn, tk, want)
		}
		pk, err := dukpt.TDESKey(bdk, ksn, dukpt.PINEncryption)
		if err != nil {
			t.Fatal(err)
		}
		if want := unhex(t, v.pinKey); !bytes.Equal(pk, want) {
			t.Errorf("%s: PIN key %X, want %X", v.ksn, pk, want)
		}
		rk, err := r.Key(ksn, dukpt.PINEncryption)
		if err != nil || !bytes.Equal(rk, pk) {
			t.Errorf("%s: receiver PIN key %X, %v", v.ksn, rk, err)
		}
		wk, err := dukpt.TDESWorkingKey(tk, dukpt.PINEncryption)
		if err != nil || !bytes.Equal(wk, pk) {
			t.Errorf("%s: TDESWorkingKey %X, %v", v.ksn, wk, err)
		}
		// The encrypted PIN block is the clear format 0 block under the PIN key.
		block := tdesEncryptBlock(t, pk, unhex(t, tdesClearPINBlock))
		if want := unhex(t, v.pinBlock); !bytes.Equal(block, want) {
			t.Errorf("%s: PIN block %X, want %X", v.ksn, block, want)
		}
	}
}

func TestTDESCounter1Variants(t *testing.T) {
	bdk := unhex(t, tdesBDK)
	ksn := unhex(t, "FFFF9876543210E00001")
	r, err := dukpt.NewTDESReceiver(bdk)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := dukpt.TDESTransactionKey(bdk, ksn)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range tdesCounter1Keys {
		want := unhex(t, v.key)
		got, err := dukpt.TDESKey(bdk, ksn, v.u)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("TDESKey %v: %X, %v; want %X", v.u, got, err, want)
		}
		got, err = r.Key(ksn, v.u)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("receiver %v: %X, %v; want %X", v.u, got, err, want)
		}
		got, err = dukpt.TDESWorkingKey(tk, v.u)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("TDESWorkingKey %v: %X, %v; want %X", v.u, got, err, want)
		}
	}
}

func TestTDESRolloverVectors(t *testing.T) {
	bdk := unhex(t, tdesBDK)
	for _, v := range tdesRolloverVectors {
		got, err := dukpt.TDESTransactionKey(bdk, unhex(t, v.ksn))
		if err != nil {
			t.Fatal(err)
		}
		if want := unhex(t, v.transactionKey); !bytes.Equal(got, want) {
			t.Errorf("%s: transaction key %X, want %X", v.ksn, got, want)
		}
	}
}

func TestTDESDataEncryptionVector(t *testing.T) {
	key, err := dukpt.TDESKey(unhex(t, tdesBDK), unhex(t, "FFFF9876543210E00001"), dukpt.DataEncryption)
	if err != nil {
		t.Fatal(err)
	}
	iv := make([]byte, 8)
	ct, err := dukpt.EncryptTDESCBC(key, iv, []byte(tdesMACData), dukpt.ZeroPadding)
	if err != nil {
		t.Fatal(err)
	}
	if want := unhex(t, tdesCBCVector); !bytes.Equal(ct, want) {
		t.Fatalf("TDES-CBC %X, want %X", ct, want)
	}
	pt, err := dukpt.DecryptTDESCBC(key, iv, ct, dukpt.ZeroPadding)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte(tdesMACData), make([]byte, 7)...)
	if !bytes.Equal(pt, want) {
		t.Fatalf("decrypted %q, want %q", pt, want)
	}
}

// X9.24-3:2017 test vectors (as recomputed in docs/VECTORS.md).
const (
	aes128BDK    = "FEDCBA9876543210F1F1F1F1F1F1F1F1"
	aes256BDK    = aes128BDK + aes128BDK
	aesKeyID     = "1234567890123456"
	aes128IK     = "1273671EA26AC29AFA4D1084127652A1"
	aes256IK     = "CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F"
	aesUpdateKSN = aesKeyID + "FFFFFFFF"
)

// X9.24-3:2017: intermediate derivation ("transaction") keys.
var aesIntermediateVectors = []struct{ bdk, ksn, key string }{
	{aes128BDK, aesKeyID + "00000001", "4F21B565BAD9835E112B6465635EAE44"},
	{aes128BDK, aesKeyID + "00000002", "2F34D68DE10F68D38091A73B9E7C437C"},
	{aes128BDK, aesKeyID + "0001FFFE", "E21E8C8D347F8561A2BE752DAA85A111"},
	{aes128BDK, aesKeyID + "FFFF0000", "F6BA59389BD14A9855BE9727E7C52E3C"},
	{aes256BDK, aesKeyID + "00000001", "54AC2B32B145EA4A554CB8BC44B17467063A799856B1CCC2A138D36E8DBF78B3"},
}

// X9.24-3:2017: working keys.
var aesWorkingVectors = []struct {
	bdk, ksn string
	u        dukpt.Usage
	kt       dukpt.KeyType
	key      string
}{
	{aes128BDK, aesKeyID + "00000001", dukpt.PINEncryption, dukpt.AES128, "AF8CB133A78F8DC2D1359F18527593FB"},
	{aes128BDK, aesKeyID + "00000001", dukpt.MACGeneration, dukpt.AES128, "A2DC23DE6FDE0824A2BC321E08E4B8B7"},
	{aes128BDK, aesKeyID + "00000001", dukpt.DataEncryption, dukpt.AES128, "A35C412EFD41FDB98B69797C02DCD08F"},
	{aes128BDK, aesKeyID + "00000002", dukpt.PINEncryption, dukpt.AES128, "D30BDC73EC9714B000BEC66BDB7B6D09"},
	{aes256BDK, aesKeyID + "00000001", dukpt.PINEncryption, dukpt.AES128, "09C9C432966811D6B2C3336BAC1B1202"},
	{aes256BDK, aesKeyID + "00000001", dukpt.PINEncryption, dukpt.AES256, "8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502"},
}

// X9.24-3:2017: key encryption (update) keys at counter 0xFFFFFFFF.
var aesUpdateKeyVectors = []struct {
	kt  dukpt.KeyType
	key string
}{
	{dukpt.AES128, "9A9770AEE1ACD1B13473D0463A1883B9"},
	{dukpt.TDES2, "4744A5ECBC62B5C4BB76FBEAE1E244A3"},
	{dukpt.TDES3, "AF82BE8533CFCA526DA71708667AD0BBC7A7517504C78C8A"},
}

func TestAESInitialKey(t *testing.T) {
	for _, v := range []struct{ bdk, ik string }{{aes128BDK, aes128IK}, {aes256BDK, aes256IK}} {
		got, err := dukpt.AESInitialKey(unhex(t, v.bdk), unhex(t, aesKeyID))
		if err != nil {
			t.Fatal(err)
		}
		if want := unhex(t, v.ik); !bytes.Equal(got, want) {
			t.Errorf("initial key %X, want %X", got, want)
		}
		// The intermediate key at counter 0 is the initial key.
		got, err = dukpt.AESIntermediateKey(unhex(t, v.bdk), unhex(t, aesKeyID+"00000000"))
		if err != nil || !bytes.Equal(got, unhex(t, v.ik)) {
			t.Errorf("intermediate key at 0: %X, %v", got, err)
		}
	}
}

func TestAESIntermediateVectors(t *testing.T) {
	for _, v := range aesIntermediateVectors {
		got, err := dukpt.AESIntermediateKey(unhex(t, v.bdk), unhex(t, v.ksn))
		if err != nil {
			t.Fatal(err)
		}
		if want := unhex(t, v.key); !bytes.Equal(got, want) {
			t.Errorf("%s: intermediate key %X, want %X", v.ksn, got, want)
		}
	}
}

func TestAESWorkingVectors(t *testing.T) {
	for _, v := range aesWorkingVectors {
		bdk, ksn, want := unhex(t, v.bdk), unhex(t, v.ksn), unhex(t, v.key)
		got, err := dukpt.AESKey(bdk, ksn, v.u, v.kt)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("AESKey %s %v %v: %X, %v; want %X", v.ksn, v.u, v.kt, got, err, want)
		}
		r, err := dukpt.NewAESReceiver(bdk)
		if err != nil {
			t.Fatal(err)
		}
		got, err = r.Key(ksn, v.u, v.kt)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("receiver %s %v %v: %X, %v; want %X", v.ksn, v.u, v.kt, got, err, want)
		}
		ik, err := dukpt.AESIntermediateKey(bdk, ksn)
		if err != nil {
			t.Fatal(err)
		}
		got, err = dukpt.AESWorkingKey(ik, ksn, v.u, v.kt)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("AESWorkingKey %s %v %v: %X, %v; want %X", v.ksn, v.u, v.kt, got, err, want)
		}
	}
}

func TestAESUpdateKeyVectors(t *testing.T) {
	bdk, ksn := unhex(t, aes128BDK), unhex(t, aesUpdateKSN)
	// 32 one-bits: the everyday derivation refuses this counter.
	if _, err := dukpt.AESKey(bdk, ksn, dukpt.KeyEncryption, dukpt.AES128); err == nil {
		t.Fatal("AESKey accepted counter 0xFFFFFFFF")
	}
	ik, err := dukpt.AESIntermediateKey(bdk, ksn)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range aesUpdateKeyVectors {
		got, err := dukpt.AESWorkingKey(ik, ksn, dukpt.KeyEncryption, v.kt)
		if err != nil {
			t.Fatal(err)
		}
		if want := unhex(t, v.key); !bytes.Equal(got, want) {
			t.Errorf("update key %v: %X, want %X", v.kt, got, want)
		}
	}
}

func tdesEncryptBlock(t testing.TB, key, block []byte) []byte {
	t.Helper()
	out, err := dukpt.EncryptTDESCBC(key, make([]byte, 8), block, dukpt.NoPadding)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
