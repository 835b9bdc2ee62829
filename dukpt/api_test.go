package dukpt_test

import (
	"bytes"
	"crypto/aes"
	"crypto/fips140"
	"encoding/hex"
	"errors"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/internal/fipstest"
)

type errCase struct {
	name string
	call func() ([]byte, error)
	want error
}

func errorCases(t *testing.T) []errCase {
	return slices.Concat(tdesErrorCases(t), aesErrorCases(t), cbcErrorCases(t))
}

func tdesErrorCases(t *testing.T) []errCase {
	bdk, ksn := unhex(t, tdesBDK), unhex(t, "FFFF9876543210E00001")
	ksn0 := unhex(t, tdesInitialKSN)
	ksn11 := unhex(t, "FFFF9876543210E007FF") // 11 one-bits
	tr, err := dukpt.NewTDESReceiver(bdk)
	if err != nil {
		t.Fatal(err)
	}
	tk := unhex(t, tdesVectors[0].transactionKey)
	return []errCase{
		{"TDESInitialKey bdk", func() ([]byte, error) { return dukpt.TDESInitialKey(bdk[:15], ksn) }, dukpt.ErrBDKLength},
		{"TDESInitialKey 24-byte bdk", func() ([]byte, error) { return dukpt.TDESInitialKey(append(bytes.Clone(bdk), bdk[:8]...), ksn) }, dukpt.ErrBDKLength},
		{"TDESInitialKey ksn", func() ([]byte, error) { return dukpt.TDESInitialKey(bdk, ksn[:8]) }, dukpt.ErrKSNLength},
		{"TDESKey bdk", func() ([]byte, error) { return dukpt.TDESKey(nil, ksn, dukpt.PINEncryption) }, dukpt.ErrBDKLength},
		{"TDESKey ksn", func() ([]byte, error) { return dukpt.TDESKey(bdk, append(bytes.Clone(ksn), 0), dukpt.PINEncryption) }, dukpt.ErrKSNLength},
		{"TDESKey counter 0", func() ([]byte, error) { return dukpt.TDESKey(bdk, ksn0, dukpt.PINEncryption) }, dukpt.ErrCounter},
		{"TDESKey 11 bits", func() ([]byte, error) { return dukpt.TDESKey(bdk, ksn11, dukpt.PINEncryption) }, dukpt.ErrCounter},
		{"TDESKey MACBoth", func() ([]byte, error) { return dukpt.TDESKey(bdk, ksn, dukpt.MACBoth) }, dukpt.ErrUsage},
		{"TDESKey DataBoth", func() ([]byte, error) { return dukpt.TDESKey(bdk, ksn, dukpt.DataBoth) }, dukpt.ErrUsage},
		{"TDESKey KeyEncryption", func() ([]byte, error) { return dukpt.TDESKey(bdk, ksn, dukpt.KeyEncryption) }, dukpt.ErrUsage},
		{"TDESKey usage 99", func() ([]byte, error) { return dukpt.TDESKey(bdk, ksn, 99) }, dukpt.ErrUsage},
		{"TDESKey usage -1", func() ([]byte, error) { return dukpt.TDESKey(bdk, ksn, -1) }, dukpt.ErrUsage},
		{"TDESTransactionKey bdk", func() ([]byte, error) { return dukpt.TDESTransactionKey(bdk[:8], ksn) }, dukpt.ErrBDKLength},
		{"TDESTransactionKey ksn", func() ([]byte, error) { return dukpt.TDESTransactionKey(bdk, nil) }, dukpt.ErrKSNLength},
		{"TDESTransactionKey counter", func() ([]byte, error) { return dukpt.TDESTransactionKey(bdk, ksn11) }, dukpt.ErrCounter},
		{"TDESWorkingKey key", func() ([]byte, error) { return dukpt.TDESWorkingKey(tk[:8], dukpt.PINEncryption) }, dukpt.ErrKeyLength},
		{"TDESWorkingKey usage", func() ([]byte, error) { return dukpt.TDESWorkingKey(tk, dukpt.MACBoth) }, dukpt.ErrUsage},
		{"TDESReceiver ksn", func() ([]byte, error) { return tr.Key(ksn[:9], dukpt.PINEncryption) }, dukpt.ErrKSNLength},
		{"TDESReceiver counter", func() ([]byte, error) { return tr.Key(ksn0, dukpt.PINEncryption) }, dukpt.ErrCounter},
		{"TDESReceiver usage", func() ([]byte, error) { return tr.Key(ksn, dukpt.KeyEncryption) }, dukpt.ErrUsage},
		{"NewTDESReceiver bdk", func() ([]byte, error) { _, err := dukpt.NewTDESReceiver(bdk[:1]); return nil, err }, dukpt.ErrBDKLength},
	}
}

func aesErrorCases(t *testing.T) []errCase {
	ksn := unhex(t, "FFFF9876543210E00001")
	abdk, aksn := unhex(t, aes128BDK), unhex(t, aesKeyID+"00000001")
	a192 := unhex(t, aes128BDK+"0011223344556677")
	id := unhex(t, aesKeyID)
	aksn0 := unhex(t, aesKeyID+"00000000")
	aksn17 := unhex(t, aesKeyID+"0001FFFF") // 17 one-bits
	ar, err := dukpt.NewAESReceiver(abdk)
	if err != nil {
		t.Fatal(err)
	}
	ik := unhex(t, aes128IK)
	return []errCase{
		{"AESInitialKey bdk", func() ([]byte, error) { return dukpt.AESInitialKey(abdk[:8], id) }, dukpt.ErrBDKLength},
		{"AESInitialKey id", func() ([]byte, error) { return dukpt.AESInitialKey(abdk, id[:4]) }, dukpt.ErrInitialKeyIDLength},
		{"AESKey bdk", func() ([]byte, error) { return dukpt.AESKey(abdk[:15], aksn, dukpt.PINEncryption, dukpt.AES128) }, dukpt.ErrBDKLength},
		{"AESKey ksn", func() ([]byte, error) { return dukpt.AESKey(abdk, aksn[:10], dukpt.PINEncryption, dukpt.AES128) }, dukpt.ErrKSNLength},
		{"AESKey counter 0", func() ([]byte, error) { return dukpt.AESKey(abdk, aksn0, dukpt.PINEncryption, dukpt.AES128) }, dukpt.ErrCounter},
		{"AESKey 17 bits", func() ([]byte, error) { return dukpt.AESKey(abdk, aksn17, dukpt.PINEncryption, dukpt.AES128) }, dukpt.ErrCounter},
		{"AESKey usage", func() ([]byte, error) { return dukpt.AESKey(abdk, aksn, 8, dukpt.AES128) }, dukpt.ErrUsage},
		{"AESKey usage -1", func() ([]byte, error) { return dukpt.AESKey(abdk, aksn, -1, dukpt.AES128) }, dukpt.ErrUsage},
		{"AESKey key type", func() ([]byte, error) { return dukpt.AESKey(abdk, aksn, dukpt.PINEncryption, 5) }, dukpt.ErrKeyType},
		{"AESKey key type -1", func() ([]byte, error) { return dukpt.AESKey(abdk, aksn, dukpt.PINEncryption, -1) }, dukpt.ErrKeyType},
		{"AESKey AES-192 from AES-128", func() ([]byte, error) { return dukpt.AESKey(abdk, aksn, dukpt.PINEncryption, dukpt.AES192) }, dukpt.ErrKeyStrength},
		{"AESKey AES-256 from AES-128", func() ([]byte, error) { return dukpt.AESKey(abdk, aksn, dukpt.PINEncryption, dukpt.AES256) }, dukpt.ErrKeyStrength},
		{"AESKey AES-256 from AES-192", func() ([]byte, error) { return dukpt.AESKey(a192, aksn, dukpt.PINEncryption, dukpt.AES256) }, dukpt.ErrKeyStrength},
		{"AESIntermediateKey bdk", func() ([]byte, error) { return dukpt.AESIntermediateKey(abdk[:1], aksn) }, dukpt.ErrBDKLength},
		{"AESIntermediateKey ksn", func() ([]byte, error) { return dukpt.AESIntermediateKey(abdk, aksn[:11]) }, dukpt.ErrKSNLength},
		{"AESWorkingKey key", func() ([]byte, error) { return dukpt.AESWorkingKey(ik[:8], aksn, dukpt.PINEncryption, dukpt.AES128) }, dukpt.ErrKeyLength},
		{"AESWorkingKey ksn", func() ([]byte, error) { return dukpt.AESWorkingKey(ik, aksn[:8], dukpt.PINEncryption, dukpt.AES128) }, dukpt.ErrKSNLength},
		{"AESWorkingKey usage", func() ([]byte, error) { return dukpt.AESWorkingKey(ik, aksn, 42, dukpt.AES128) }, dukpt.ErrUsage},
		{"AESWorkingKey key type", func() ([]byte, error) { return dukpt.AESWorkingKey(ik, aksn, dukpt.PINEncryption, 7) }, dukpt.ErrKeyType},
		{"AESWorkingKey strength", func() ([]byte, error) { return dukpt.AESWorkingKey(ik, aksn, dukpt.PINEncryption, dukpt.AES256) }, dukpt.ErrKeyStrength},
		{"AESReceiver ksn", func() ([]byte, error) { return ar.Key(aksn[:1], dukpt.PINEncryption, dukpt.AES128) }, dukpt.ErrKSNLength},
		{"AESReceiver counter", func() ([]byte, error) { return ar.Key(aksn17, dukpt.PINEncryption, dukpt.AES128) }, dukpt.ErrCounter},
		{"AESReceiver usage", func() ([]byte, error) { return ar.Key(aksn, 100, dukpt.AES128) }, dukpt.ErrUsage},
		{"AESReceiver key type", func() ([]byte, error) { return ar.Key(aksn, dukpt.PINEncryption, 100) }, dukpt.ErrKeyType},
		{"AESReceiver strength", func() ([]byte, error) { return ar.Key(aksn, dukpt.PINEncryption, dukpt.AES192) }, dukpt.ErrKeyStrength},
		{"zero TDESReceiver", func() ([]byte, error) { return new(dukpt.TDESReceiver).Key(ksn, dukpt.PINEncryption) }, dukpt.ErrNoBDK},
		{"nil TDESReceiver", func() ([]byte, error) { var r *dukpt.TDESReceiver; return r.Key(ksn, dukpt.PINEncryption) }, dukpt.ErrNoBDK},
		{"zero AESReceiver", func() ([]byte, error) { return new(dukpt.AESReceiver).Key(aksn, dukpt.PINEncryption, dukpt.AES128) }, dukpt.ErrNoBDK},
		{"nil AESReceiver", func() ([]byte, error) {
			var r *dukpt.AESReceiver
			return r.Key(aksn, dukpt.PINEncryption, dukpt.AES128)
		}, dukpt.ErrNoBDK},
		{"NewAESReceiver bdk", func() ([]byte, error) { _, err := dukpt.NewAESReceiver(abdk[:12]); return nil, err }, dukpt.ErrBDKLength},
	}
}

func cbcErrorCases(t *testing.T) []errCase {
	bdk, abdk := unhex(t, tdesBDK), unhex(t, aes128BDK)
	return []errCase{
		{"EncryptTDESCBC key", func() ([]byte, error) { return dukpt.EncryptTDESCBC(bdk[:8], make([]byte, 8), nil, dukpt.Method1) }, dukpt.ErrKeyLength},
		{"EncryptTDESCBC iv", func() ([]byte, error) { return dukpt.EncryptTDESCBC(bdk, make([]byte, 16), nil, dukpt.Method1) }, dukpt.ErrIVLength},
		{"EncryptTDESCBC padding", func() ([]byte, error) { return dukpt.EncryptTDESCBC(bdk, make([]byte, 8), nil, 9) }, dukpt.ErrPadding},
		{"EncryptTDESCBC partial", func() ([]byte, error) {
			return dukpt.EncryptTDESCBC(bdk, make([]byte, 8), []byte("abc"), dukpt.NoPadding)
		}, dukpt.ErrDataLength},
		{"DecryptTDESCBC key", func() ([]byte, error) { return dukpt.DecryptTDESCBC(bdk[:15], make([]byte, 8), nil, dukpt.Method1) }, dukpt.ErrKeyLength},
		{"DecryptTDESCBC iv", func() ([]byte, error) { return dukpt.DecryptTDESCBC(bdk, nil, nil, dukpt.Method1) }, dukpt.ErrIVLength},
		{"DecryptTDESCBC partial", func() ([]byte, error) {
			return dukpt.DecryptTDESCBC(bdk, make([]byte, 8), make([]byte, 9), dukpt.Method1)
		}, dukpt.ErrDataLength},
		{"DecryptTDESCBC padding", func() ([]byte, error) { return dukpt.DecryptTDESCBC(bdk, make([]byte, 8), make([]byte, 8), -1) }, dukpt.ErrPadding},
		{"EncryptAESCBC key", func() ([]byte, error) {
			return dukpt.EncryptAESCBC(abdk[:10], make([]byte, 16), nil, dukpt.PKCS7Padding)
		}, dukpt.ErrKeyLength},
		{"EncryptAESCBC iv", func() ([]byte, error) { return dukpt.EncryptAESCBC(abdk, make([]byte, 8), nil, dukpt.PKCS7Padding) }, dukpt.ErrIVLength},
		{"DecryptAESCBC key", func() ([]byte, error) { return dukpt.DecryptAESCBC(nil, make([]byte, 16), nil, dukpt.PKCS7Padding) }, dukpt.ErrKeyLength},
		{"DecryptAESCBC partial", func() ([]byte, error) {
			return dukpt.DecryptAESCBC(abdk, make([]byte, 16), make([]byte, 8), dukpt.NoPadding)
		}, dukpt.ErrDataLength},
	}
}

func TestErrors(t *testing.T) {
	secrets := []string{tdesBDK, aes128BDK, tdesIPEK, aes128IK, tdesVectors[0].transactionKey}
	for _, c := range errorCases(t) {
		got, err := c.call()
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
			continue
		}
		if got != nil {
			t.Errorf("%s: key returned with an error", c.name)
		}
		msg := strings.ToUpper(err.Error())
		for _, s := range secrets {
			if strings.Contains(msg, s[:8]) {
				t.Errorf("%s: error %q carries key bytes", c.name, err)
			}
		}
		if !strings.HasPrefix(err.Error(), "dukpt: ") {
			t.Errorf("%s: error %q lacks the package prefix", c.name, err)
		}
	}
}

// TestFIPS140Only runs TestFIPSOnlyPaths in a child process under
// GODEBUG=fips140=only, where crypto/des refuses DES. Run it directly with
//
//	GODEBUG=fips140=only go test -run FIPS ./dukpt
func TestFIPS140Only(t *testing.T) {
	fipstest.RunOnly(t, "TestFIPSOnlyPaths", "--- PASS: TestFIPSOnlyPaths")
}

// In FIPS 140-only mode crypto/des refuses to build ciphers: TDES DUKPT must
// report ErrCipher, not panic, and AES DUKPT must work.
func TestFIPSOnlyPaths(t *testing.T) {
	if !fips140.Enforced() {
		t.Skip("not in FIPS 140-only mode (see TestFIPS140Only)")
	}
	_, err := dukpt.TDESKey(unhex(t, tdesBDK), unhex(t, "FFFF9876543210E00001"), dukpt.PINEncryption)
	if !errors.Is(err, dukpt.ErrCipher) {
		t.Fatalf("TDESKey in FIPS-only mode: %v", err)
	}
	_, err = dukpt.NewTDESReceiver(unhex(t, tdesBDK))
	if !errors.Is(err, dukpt.ErrCipher) {
		t.Fatalf("NewTDESReceiver in FIPS-only mode: %v", err)
	}
	_, err = dukpt.EncryptTDESCBC(unhex(t, tdesBDK), make([]byte, 8), nil, dukpt.Method1)
	if !errors.Is(err, dukpt.ErrCipher) {
		t.Fatalf("EncryptTDESCBC in FIPS-only mode: %v", err)
	}
	// poskit's own DES (internal/dea) follows the standard library's policy.
	_, err = dukpt.TDESInitialKey(unhex(t, tdesBDK), unhex(t, "FFFF9876543210E00000"))
	if !errors.Is(err, dukpt.ErrCipher) {
		t.Fatalf("TDESInitialKey in FIPS-only mode: %v", err)
	}
	_, err = dukpt.TDESWorkingKey(make([]byte, 16), dukpt.DataEncryption)
	if !errors.Is(err, dukpt.ErrCipher) {
		t.Fatalf("TDESWorkingKey in FIPS-only mode: %v", err)
	}
	_, err = dukpt.NewTDESOriginator(make([]byte, 16), unhex(t, "FFFF9876543210E00000"))
	if !errors.Is(err, dukpt.ErrCipher) {
		t.Fatalf("NewTDESOriginator in FIPS-only mode: %v", err)
	}
	ab, _ := aes.NewCipher(make([]byte, 16))
	if _, err = dukpt.NewTDESReceiverFromBlocks(ab, ab); !errors.Is(err, dukpt.ErrCipher) {
		t.Fatalf("NewTDESReceiverFromBlocks in FIPS-only mode: %v", err)
	}
	fipsOnlyAES(t)
}

// fipsOnlyAES checks, in FIPS 140-only mode, that the DES-free paths work:
// AES DUKPT against the ANSI X9.24-3:2017 AES-128 counter-1 PIN key
// (docs/VECTORS.md), the AES receiver, the AES originator and its sealed
// state (AES-GCM with a random nonce, which FIPS 140-only mode allows).
func fipsOnlyAES(t *testing.T) {
	ksn := unhex(t, aesKeyID+"00000001")
	want := unhex(t, "AF8CB133A78F8DC2D1359F18527593FB")
	k, err := dukpt.AESKey(unhex(t, aes128BDK), ksn, dukpt.PINEncryption, dukpt.AES128)
	if err != nil || !bytes.Equal(k, want) {
		t.Fatalf("AESKey in FIPS-only mode: %X, %v", k, err)
	}
	r, err := dukpt.NewAESReceiver(unhex(t, aes128BDK))
	if err != nil {
		t.Fatal(err)
	}
	if k, err = r.Key(ksn, dukpt.PINEncryption, dukpt.AES128); err != nil || !bytes.Equal(k, want) {
		t.Fatalf("AESReceiver in FIPS-only mode: %X, %v", k, err)
	}
	o, err := dukpt.NewAESOriginator(unhex(t, aes128IK), unhex(t, aesKeyID), dukpt.AES128)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := o.Next()
	if err != nil || !bytes.Equal(tx.PIN, want) {
		t.Fatalf("AESOriginator in FIPS-only mode: %X, %v", tx.PIN, err)
	}
	dev := make([]byte, 32)
	sealed, err := o.MarshalSealed(dev)
	if err != nil {
		t.Fatalf("MarshalSealed in FIPS-only mode: %v", err)
	}
	if err := new(dukpt.AESOriginator).UnmarshalSealed(dev, sealed); err != nil {
		t.Fatalf("UnmarshalSealed in FIPS-only mode: %v", err)
	}
}

func TestStrings(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{dukpt.PINEncryption.String(), "PINEncryption"},
		{dukpt.KeyEncryption.String(), "KeyEncryption"},
		{dukpt.Usage(8).String(), "Usage(8)"},
		{dukpt.Usage(-2).String(), "Usage(-2)"},
		{dukpt.TDES2.String(), "TDES2"},
		{dukpt.AES256.String(), "AES256"},
		{dukpt.KeyType(5).String(), "KeyType(5)"},
		{dukpt.NoPadding.String(), "NoPadding"},
		{dukpt.Method1.String(), "Method1"},
		{dukpt.Method2.String(), "Method2"},
		{dukpt.ZeroPadding.String(), "Method1"}, // deprecated alias
		{dukpt.BitPadding.String(), "Method2"},  // deprecated alias
		{dukpt.PKCS7Padding.String(), "PKCS7Padding"},
		{dukpt.Padding(7).String(), "Padding(7)"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	sizes := map[dukpt.KeyType]int{dukpt.TDES2: 16, dukpt.TDES3: 24, dukpt.AES128: 16, dukpt.AES192: 24, dukpt.AES256: 32, 5: 0, -1: 0}
	for kt, n := range sizes {
		if kt.Size() != n {
			t.Errorf("%v.Size() = %d, want %d", kt, kt.Size(), n)
		}
	}
}

func TestTDESKSN(t *testing.T) {
	k, err := dukpt.ParseTDESKSN("ffff9876543210e00003")
	if err != nil {
		t.Fatal(err)
	}
	if k.String() != "FFFF9876543210E00003" || k.Counter() != 3 || !k.Valid() {
		t.Fatalf("%v counter %d", k, k.Counter())
	}
	if !bytes.Equal(k.Bytes(), unhex(t, "FFFF9876543210E00003")) {
		t.Fatal("Bytes")
	}
	if k.Initial().String() != tdesInitialKSN {
		t.Fatalf("Initial %v", k.Initial())
	}
	k2, err := k.WithCounter(0x1FF800)
	if err != nil || k2.String() != "FFFF9876543210FFF800" || k2.Counter() != 0x1FF800 {
		t.Fatalf("WithCounter: %v, %v", k2, err)
	}
	if _, err := k.WithCounter(1 << 21); !errors.Is(err, dukpt.ErrCounter) {
		t.Fatalf("WithCounter 1<<21: %v", err)
	}
	n, err := k.Next()
	if err != nil || n.Counter() != 4 || n.Initial() != k.Initial() {
		t.Fatalf("Next: %v, %v", n, err)
	}
	k3, err := dukpt.TDESKSNFromBytes(k.Bytes())
	if err != nil || k3 != k {
		t.Fatal("TDESKSNFromBytes")
	}
	for _, s := range []string{"", "FFFF9876543210E0000", "FFFF9876543210E000011"} {
		if _, err := dukpt.ParseTDESKSN(s); !errors.Is(err, dukpt.ErrKSNLength) {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"FFFF9876543210E0000G", "FFFF 876543210E00001", "+FFF9876543210E00001"} {
		if _, err := dukpt.ParseTDESKSN(s); !errors.Is(err, dukpt.ErrKSN) {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, err := dukpt.TDESKSNFromBytes(make([]byte, 12)); !errors.Is(err, dukpt.ErrKSNLength) {
		t.Error(err)
	}
	if (dukpt.TDESKSN{}).Valid() {
		t.Error("counter 0 valid")
	}
}

func TestAESKSN(t *testing.T) {
	k, err := dukpt.ParseAESKSN("12345678901234560001fffe")
	if err != nil {
		t.Fatal(err)
	}
	if k.String() != "12345678901234560001FFFE" || k.Counter() != 0x1FFFE || !k.Valid() {
		t.Fatalf("%v", k)
	}
	if id := k.InitialKeyID(); !bytes.Equal(id[:], unhex(t, aesKeyID)) {
		t.Fatal("InitialKeyID")
	}
	if !bytes.Equal(k.Bytes(), unhex(t, "12345678901234560001FFFE")) {
		t.Fatal("Bytes")
	}
	n, err := k.Next()
	if err != nil || n.Counter() != 0x20000 {
		t.Fatalf("Next: %v, %v", n, err)
	}
	if k.WithCounter(0xFFFFFFFF).Valid() {
		t.Error("0xFFFFFFFF valid")
	}
	k2, err := dukpt.NewAESKSN(unhex(t, aesKeyID), 7)
	if err != nil || k2.String() != aesKeyID+"00000007" {
		t.Fatalf("NewAESKSN: %v %v", k2, err)
	}
	if _, err := dukpt.NewAESKSN(nil, 7); !errors.Is(err, dukpt.ErrInitialKeyIDLength) {
		t.Error(err)
	}
	k3, err := dukpt.AESKSNFromBytes(k.Bytes())
	if err != nil || k3 != k {
		t.Fatal("AESKSNFromBytes")
	}
	if _, err := dukpt.AESKSNFromBytes(make([]byte, 10)); !errors.Is(err, dukpt.ErrKSNLength) {
		t.Error(err)
	}
	if _, err := dukpt.ParseAESKSN(tdesInitialKSN); !errors.Is(err, dukpt.ErrKSNLength) {
		t.Error(err)
	}
	if _, err := dukpt.ParseAESKSN("12345678901234560001fffZ"); !errors.Is(err, dukpt.ErrKSN) {
		t.Error(err)
	}
}

// nextLinear is the obvious definition of the next valid counter.
func nextLinear(c uint64, maxOnes int, limit uint64) (uint64, bool) {
	for n := c + 1; n <= limit; n++ {
		if bits.OnesCount64(n) <= maxOnes {
			return n, true
		}
	}
	return 0, false
}

func TestNextCounter(t *testing.T) {
	starts := []uint32{0, 1, 2, 0x3FF, 0x7FE, 0x1FF7FF, 0x1FF800, 0x1FFFFF, 0x0FFBFF, 0x0FFC00}
	for c := uint32(0); c < 3000; c++ {
		starts = append(starts, c, 0x1FF000+c%0x800, 0x0FF000+c)
	}
	for _, c := range starts {
		got, ok := dukpt.NextTDESCounter(c)
		want, wok := nextLinear(uint64(c), 10, 0x1FFFFF)
		if ok != wok || uint64(got) != want {
			t.Fatalf("NextTDESCounter(%#x) = %#x %v, want %#x %v", c, got, ok, want, wok)
		}
		if ok && !dukpt.ValidTDESCounter(got) {
			t.Fatalf("NextTDESCounter(%#x) = %#x is not valid", c, got)
		}
	}
	for _, c := range []uint32{0, 1, 0xFFFF, 0x1FFFE, 0x1FFFF, 0xFFFE0000, 0xFFFEFFFF, 0xFFFF0000, 0xFFFFFFFF, 0x7FFF8000, 0xAAAAAAAA} {
		got, ok := dukpt.NextAESCounter(c)
		want, wok := nextLinear(uint64(c), 16, 0xFFFFFFFF)
		if ok != wok || uint64(got) != want {
			t.Fatalf("NextAESCounter(%#x) = %#x %v, want %#x %v", c, got, ok, want, wok)
		}
	}
	for c, want := range map[uint32]bool{0: false, 1: true, 0x3FF: true, 0x7FF: false, 0x1FF800: true, 0x200000: false} {
		if dukpt.ValidTDESCounter(c) != want {
			t.Errorf("ValidTDESCounter(%#x) != %v", c, want)
		}
	}
	for c, want := range map[uint32]bool{0: false, 1: true, 0xFFFF: true, 0x1FFFF: false, 0xFFFF0000: true} {
		if dukpt.ValidAESCounter(c) != want {
			t.Errorf("ValidAESCounter(%#x) != %v", c, want)
		}
	}
}

// Every derivation reads the caller's BDK and KSN and never writes them: the
// race detector flags a write, and the final comparison catches one outside
// -race.
func TestSharedInputsUnchanged(t *testing.T) {
	bdk, ksn := unhex(t, tdesBDK), unhex(t, "FFFF9876543210E00003")
	abdk, aksn := unhex(t, aes256BDK), unhex(t, aesKeyID+"0001FFFE")
	id := aksn[:8]
	tk := unhex(t, tdesVectors[2].transactionKey)
	ik := unhex(t, aes256IK)
	data := []byte(tdesMACData)
	iv := make([]byte, 16)
	copies := [][]byte{bytes.Clone(bdk), bytes.Clone(ksn), bytes.Clone(abdk), bytes.Clone(aksn), bytes.Clone(tk), bytes.Clone(ik), bytes.Clone(data), bytes.Clone(iv)}
	tr, _ := dukpt.NewTDESReceiver(bdk)
	ar, _ := dukpt.NewAESReceiver(abdk)
	want, _ := dukpt.TDESKey(bdk, ksn, dukpt.DataEncryption)
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				u := []dukpt.Usage{dukpt.PINEncryption, dukpt.DataEncryption}[(g+i)%2]
				k1, err1 := dukpt.TDESKey(bdk, ksn, u)
				k2, err2 := tr.Key(ksn, u)
				if err1 != nil || err2 != nil || !bytes.Equal(k1, k2) {
					t.Errorf("TDES: %v %v", err1, err2)
					return
				}
				if u == dukpt.DataEncryption && !bytes.Equal(k1, want) {
					t.Error("TDES data key changed")
				}
				a1, err1 := dukpt.AESKey(abdk, aksn, dukpt.PINEncryption, dukpt.AES256)
				a2, err2 := ar.Key(aksn, dukpt.PINEncryption, dukpt.AES256)
				if err1 != nil || err2 != nil || !bytes.Equal(a1, a2) {
					t.Errorf("AES: %v %v", err1, err2)
					return
				}
				_, _ = dukpt.TDESInitialKey(bdk, ksn)
				_, _ = dukpt.TDESTransactionKey(bdk, ksn)
				_, _ = dukpt.TDESWorkingKey(tk, dukpt.DataDecryption)
				_, _ = dukpt.AESInitialKey(abdk, id)
				_, _ = dukpt.AESIntermediateKey(abdk, aksn)
				_, _ = dukpt.AESWorkingKey(ik, aksn, dukpt.DataBoth, dukpt.TDES3)
				_, _ = dukpt.EncryptTDESCBC(tk, iv[:8], data, dukpt.Method2)
				_, _ = dukpt.EncryptAESCBC(ik, iv, data, dukpt.PKCS7Padding)
				_, _ = dukpt.ParseTDESKSN(tdesInitialKSN)
				_, _ = dukpt.TDESKSNFromBytes(ksn)
				_, _ = dukpt.AESKSNFromBytes(aksn)
			}
		}()
	}
	wg.Wait()
	for i, b := range [][]byte{bdk, ksn, abdk, aksn, tk, ik, data, iv} {
		if !bytes.Equal(b, copies[i]) {
			t.Fatalf("input %d was modified", i)
		}
	}
}

func TestReceiverCache(t *testing.T) {
	bdk := unhex(t, tdesBDK)
	small, err := dukpt.NewTDESReceiver(bdk, dukpt.WithDeviceCache(3), nil)
	if err != nil {
		t.Fatal(err)
	}
	none, _ := dukpt.NewTDESReceiver(bdk, dukpt.WithDeviceCache(0))
	abdk := unhex(t, aes128BDK)
	asmall, _ := dukpt.NewAESReceiver(abdk, dukpt.WithDeviceCache(2))
	anone, _ := dukpt.NewAESReceiver(abdk, dukpt.WithDeviceCache(-1))
	for round := range 3 {
		for d := range 8 {
			ksn := unhex(t, "FFFF98765432"+hex.EncodeToString([]byte{byte(d)})+"E00005")
			want, err := dukpt.TDESKey(bdk, ksn, dukpt.MACVerification)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range []*dukpt.TDESReceiver{small, none} {
				got, err := r.Key(ksn, dukpt.MACVerification)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("round %d device %d: receiver differs (%v)", round, d, err)
				}
			}
			aksn := unhex(t, "1234567890"+hex.EncodeToString([]byte{byte(d)})+"345600000003")
			awant, err := dukpt.AESKey(abdk, aksn, dukpt.DataBoth, dukpt.TDES2)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range []*dukpt.AESReceiver{asmall, anone} {
				got, err := r.Key(aksn, dukpt.DataBoth, dukpt.TDES2)
				if err != nil || !bytes.Equal(got, awant) {
					t.Fatalf("round %d device %d: AES receiver differs (%v)", round, d, err)
				}
			}
		}
	}
	if n := small.DeviceCacheLen(); n != 3 {
		t.Errorf("TDES cache holds %d, want 3", n)
	}
	if n := asmall.DeviceCacheLen(); n != 2 {
		t.Errorf("AES cache holds %d, want 2", n)
	}
	if none.DeviceCacheLen() != 0 || anone.DeviceCacheLen() != 0 {
		t.Error("disabled cache holds entries")
	}
	// The counter bits do not split a terminal across cache entries.
	r, _ := dukpt.NewTDESReceiver(bdk)
	for c := 1; c < 40; c++ {
		k, _ := dukpt.ParseTDESKSN(tdesInitialKSN)
		k, _ = k.WithCounter(uint32(c))
		if _, err := r.Key(k[:], dukpt.PINEncryption); err != nil {
			t.Fatal(err)
		}
	}
	if n := r.DeviceCacheLen(); n != 1 {
		t.Errorf("one terminal takes %d cache entries", n)
	}
}

func TestCBCRoundTrip(t *testing.T) {
	tkey := unhex(t, tdesBDK)
	tkey3 := unhex(t, tdesBDK+"0011223344556677")
	akeys := [][]byte{unhex(t, aes128BDK), unhex(t, aes128BDK+"0011223344556677"), unhex(t, aes256BDK)}
	for n := 0; n <= 40; n++ {
		data := bytes.Repeat([]byte{0xA5}, n)
		for _, p := range []dukpt.Padding{dukpt.NoPadding, dukpt.Method1, dukpt.Method2, dukpt.PKCS7Padding} {
			type pair struct {
				enc, dec func(key, iv, data []byte, p dukpt.Padding) ([]byte, error)
				key      []byte
				bs       int
			}
			pairs := []pair{
				{dukpt.EncryptTDESCBC, dukpt.DecryptTDESCBC, tkey, 8},
				{dukpt.EncryptTDESCBC, dukpt.DecryptTDESCBC, tkey3, 8},
			}
			for _, k := range akeys {
				pairs = append(pairs, pair{dukpt.EncryptAESCBC, dukpt.DecryptAESCBC, k, 16})
			}
			for _, c := range pairs {
				iv := bytes.Repeat([]byte{7}, c.bs)
				ct, err := c.enc(c.key, iv, data, p)
				if p == dukpt.NoPadding && n%c.bs != 0 {
					if !errors.Is(err, dukpt.ErrDataLength) {
						t.Fatalf("n=%d %v: %v", n, p, err)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(ct)%c.bs != 0 || len(ct) < n {
					t.Fatalf("n=%d %v: ciphertext %d bytes", n, p, len(ct))
				}
				pt, err := c.dec(c.key, iv, ct, p)
				if err != nil {
					t.Fatalf("n=%d %v: %v", n, p, err)
				}
				want := data
				if p == dukpt.Method1 {
					want = append(bytes.Clone(data), make([]byte, len(ct)-n)...)
				}
				if !bytes.Equal(pt, want) {
					t.Fatalf("n=%d %v: round trip %X", n, p, pt)
				}
			}
		}
	}
}

func TestCBCPaddingErrors(t *testing.T) {
	key, iv := unhex(t, aes128BDK), make([]byte, 16)
	for _, c := range []struct {
		p     dukpt.Padding
		plain []byte
	}{
		{dukpt.Method2, make([]byte, 16)},                          // no 0x80
		{dukpt.Method2, append(make([]byte, 15), 0x81)},            // wrong marker
		{dukpt.Method2, append([]byte{0x80}, make([]byte, 31)...)}, // marker beyond the last block
		{dukpt.PKCS7Padding, make([]byte, 16)},                     // 0
		{dukpt.PKCS7Padding, append(make([]byte, 15), 17)},         // > block
		{dukpt.PKCS7Padding, append(make([]byte, 14), 1, 2)},       // inconsistent
	} {
		ct, err := dukpt.EncryptAESCBC(key, iv, c.plain, dukpt.NoPadding)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dukpt.DecryptAESCBC(key, iv, ct, c.p); !errors.Is(err, dukpt.ErrPadding) {
			t.Errorf("%v %X: %v", c.p, c.plain, err)
		}
	}
	for _, p := range []dukpt.Padding{dukpt.Method2, dukpt.PKCS7Padding} {
		if _, err := dukpt.DecryptAESCBC(key, iv, nil, p); !errors.Is(err, dukpt.ErrPadding) {
			t.Errorf("empty %v: %v", p, err)
		}
	}
}
