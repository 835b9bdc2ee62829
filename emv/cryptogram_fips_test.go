package emv

import (
	"crypto/fips140"
	"errors"
	"testing"

	"github.com/poskit/poskit/internal/fipstest"
	"github.com/poskit/poskit/mac"
)

// TestCryptogramFIPS140Only runs TestCryptogramFIPSOnlyPaths in a child
// process under GODEBUG=fips140=only, where crypto/des refuses DES. Run it
// directly with
//
//	GODEBUG=fips140=only go test -run FIPS ./emv
func TestCryptogramFIPS140Only(t *testing.T) {
	fipstest.RunOnly(t, "TestCryptogramFIPSOnlyPaths", "FIPS checks ran")
}

// TestCryptogramFIPSOnlyPaths checks that every TDES cryptogram call
// returns ErrCryptogramCipher in FIPS 140-only mode, never a key length
// error or a panic.
func TestCryptogramFIPSOnlyPaths(t *testing.T) {
	if !fips140.Enforced() {
		t.Skip("not in FIPS 140-only mode (see TestCryptogramFIPS140Only)")
	}
	k := make([]byte, 16)
	arqc := make([]byte, 8)
	f55 := randomField55(t, "06010A03A06010")
	for name, err := range map[string]error{
		"ICCMasterKeyOptionA":  second(ICCMasterKeyOptionA(k, "1234567890123456", "00")),
		"ICCMasterKeyOptionB":  second(ICCMasterKeyOptionB(k, "1234567890123456789", "00")),
		"CommonSessionKey":     second(CommonSessionKey(k, []byte{0, 1})),
		"MastercardSessionKey": second(MastercardSessionKey(k, []byte{0, 1}, make([]byte, 4))),
		"ARQC":                 second(ARQC(k, f55, mac.Method2)),
		"VerifyARQC":           VerifyARQC(k, f55, arqc, mac.Method1),
		"ARPCMethod1":          second(ARPCMethod1(k, arqc, []byte("00"))),
		"ARPCMethod2":          second(ARPCMethod2(k, arqc, make([]byte, 4), nil)),
		"IssuerScriptMAC":      second(IssuerScriptMAC(k, make([]byte, 5), nil)),
		"CVN.ARQC":             second(CVNVisa10.ARQC(k, "1234567890123456", "00", f55)),
		"CVN.Verify":           second(CVNVisa18.Verify(k, "1234567890123456", "00", f55, ARPCResponse{CSU: make([]byte, 4)})),
		"CVN.IssuerScriptMAC":  second(CVNVisa10.IssuerScriptMAC(k, "1234567890123456", "00", []byte{0, 1}, arqc, make([]byte, 5), nil)),
	} {
		if !errors.Is(err, ErrCryptogramCipher) || errors.Is(err, ErrCryptogramKeyLength) {
			t.Errorf("%s: %v, want ErrCryptogramCipher", name, err)
		}
	}
	// The Visa secure messaging key is XOR and parity only: no DES.
	if _, err := SessionKeyVisaSM(k, []byte{0, 1}); err != nil {
		t.Errorf("SessionKeyVisaSM: %v", err)
	}
	t.Log("FIPS checks ran")
}
