package emv_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/poskit/poskit/emv"
)

// A terminal's risk decision for one chip sale: floor limit and random
// selection, then terminal action analysis with the card's issuer action
// codes.
func ExampleActionAnalysis() {
	aid := emv.AIDParams{
		AID:        []byte{0xA0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01},
		FloorLimit: 50000, Threshold: 10000, TargetPercent: 10, MaxTargetPercent: 50,
		TAC: emv.ActionCodes{
			Denial:  emv.TVR{0x00, 0x10, 0x00, 0x00, 0x00},
			Online:  emv.TVR{0xD8, 0x40, 0x04, 0xF8, 0x00},
			Default: emv.TVR{0xD8, 0x40, 0x00, 0xA8, 0x00},
		},
	}
	records, _ := hex.DecodeString("9F0D05B860AC88009F0E0500100000009F0F05B468BC9800")
	iac, err := emv.ReadIssuerActionCodes(records)
	if err != nil {
		fmt.Println(err)
		return
	}

	var tvr emv.TVR
	random := bytes.NewReader([]byte{42}) // crypto/rand when nil
	if err := aid.RiskManagement(120000, &tvr, true, random); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(aid.ActionAnalysis(tvr, iac, true))
	fmt.Println("host unreachable:", aid.UnableToGoOnline(tvr, iac))
	// Output:
	// ARQC
	// host unreachable: AAC
}

// Loading a downloaded CA public key (here Visa's published 1152-bit VSDC
// test key, index 95) verifies its check sum; a lookup by RID and index
// gives the key offline data authentication takes.
func ExampleCAPKStore() {
	modulus, _ := hex.DecodeString("BE9E1FA5E9A803852999C4AB432DB28600DCD9DAB76DFAAA47355A0FE37B1508" +
		"AC6BF38860D3C6C2E5B12A3CAAF2A7005A7241EBAA7771112C74CF9A0634652FBCA0E5980C54A64761EA101A11" +
		"4E0F0B5572ADD57D010B7C9C887E104CA4EE1272DA66D997B9A90B5A6D624AB6C57E73C8F919000EB5F684898E" +
		"F8C3DBEFB330C62660BED88EA78E909AFF05F6DA627B")
	checksum, _ := hex.DecodeString("EE1511CEC71020A9B90443B37B1D5F6E703030F6")
	rid := [5]byte{0xA0, 0x00, 0x00, 0x00, 0x03}

	store := emv.NewCAPKStore()
	err := store.Add(emv.CAPublicKey{
		RID: rid, Index: 0x95, HashAlgorithm: emv.CAPKHashSHA1, KeyAlgorithm: emv.CAPKAlgorithmRSA,
		Modulus: modulus, Exponent: []byte{0x03}, Checksum: checksum,
		Expiry: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC),
	})
	fmt.Println("loaded:", err)

	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ca, err := store.LookupAt(rid[:], 0x95, at) // then emv.ODARecoverIssuerKey(ca, ...)
	fmt.Println(len(ca.Modulus)*8, "bits,", err)
	_, err = store.LookupAt(rid[:], 0x99, at)
	fmt.Println(errors.Is(err, emv.ErrCAPKNotFound), err)
	// Output:
	// loaded: <nil>
	// 1152 bits, <nil>
	// true emv: CA public key not found: RID A000000003 index 99
}
