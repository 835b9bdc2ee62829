package main

import (
	"bytes"
	"crypto/fips140"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/examples/pos/internal/tms"
)

// needSHA1 skips a test in FIPS 140-only mode (GODEBUG=fips140=only),
// which refuses SHA-1: EMV's CA key check values and ODA certificates
// need it, and the example's code reports that as an error.
func needSHA1(t *testing.T) {
	t.Helper()
	if fips140.Enforced() {
		if _, _, err := tms.Generate(); !errors.Is(err, tms.ErrSHA1) {
			t.Errorf("FIPS 140-only: generate gave %v, want ErrSHA1", err)
		}
		t.Skip("SHA-1, which EMV ODA needs, is refused in FIPS 140-only mode")
	}
}

// The shipped files are what the generator makes (it is deterministic),
// every CA key's check value is the SHA-1 of RID, index, modulus and
// exponent (emv.CAPKStore.Add checks it on load, EMV Book 2 section
// 11.2.2), and the card's certificate chain verifies under the shipped CA
// key: issuer certificate, signed static data (SDA), ICC certificate and a
// fresh dynamic signature (DDA).
func TestShippedTMS(t *testing.T) {
	needSHA1(t)
	f, c, err := tms.Generate()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{"tms.json": f, "card.json": c} {
		b, err := tms.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		shipped := map[string][]byte{"tms.json": tmsJSON, "card.json": cardJSON}[name]
		if !bytes.Equal(b, shipped) {
			t.Errorf("testdata/%s differs from what the generator makes: run go generate ./examples/pos", name)
		}
	}
	file, err := shippedTMS()
	if err != nil {
		t.Fatal(err)
	}
	store, err := file.Store()
	if err != nil {
		t.Fatal(err)
	}
	if store.Len() != 3 {
		t.Fatalf("%d CA keys, want 3", store.Len())
	}
	keys, _ := file.CAPublicKeys()
	for _, k := range keys {
		sum, err := k.ComputeChecksum()
		if err != nil || !bytes.Equal(sum, k.Checksum) {
			t.Errorf("CA key %X/%02X: check value", k.RID, k.Index)
		}
	}
	ch, err := newChip()
	if err != nil {
		t.Fatal(err)
	}
	for _, caps := range [][]byte{{0xE0, 0xF8, 0xC8}, {0xE0, 0xF8, 0x88}} { // DDA; SDA only
		rec, err := ch.readRecords()
		if err != nil {
			t.Fatal(err)
		}
		var tvr emv.TVR
		r := offlineAuth(store, caps, rec, ch, []byte{1, 2, 3, 4}, time.Now(), &tvr)
		if r.Err != nil || tvr.Has(emv.TVRSDAFailed) || tvr.Has(emv.TVRDDAFailed) || r.CAKey != "A000000003/E1" {
			t.Errorf("caps %X: %v (TVR %s)", caps, r, tvr)
		}
	}
}

// A card whose signed data was altered fails ODA: the TVR gets the SDA or
// DDA failed bit, the terminal action codes send the sale online, and the
// result line names the failure without key bytes. A terminal without the
// CA key fails the same way, and a card without ODA data is "not
// performed".
func TestODAFailures(t *testing.T) {
	needSHA1(t)
	file, err := shippedTMS()
	if err != nil {
		t.Fatal(err)
	}
	store, err := file.Store()
	if err != nil {
		t.Fatal(err)
	}
	aids, err := file.AIDParameters()
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := newChip()
	tampered := *ch.perso
	tampered.Records = bytes.Clone(tampered.Records)
	tampered.Records[len(tampered.Records)-1] ^= 0x01 // the DDOL's length
	bad := &chip{card: card, perso: &tampered}
	for _, tc := range []struct {
		name  string
		store *emv.CAPKStore
		c     *chip
		caps  []byte
		bit   emv.TVRBit
		want  error
	}{
		{"tampered DDA", store, bad, []byte{0xE0, 0xF8, 0xC8}, emv.TVRDDAFailed, emv.ErrODAHash},
		{"tampered SDA", store, bad, []byte{0xE0, 0xF8, 0x88}, emv.TVRSDAFailed, emv.ErrODAHash},
		{"no CA key", emv.NewCAPKStore(), ch, []byte{0xE0, 0xF8, 0xC8}, emv.TVRDDAFailed, emv.ErrCAPKNotFound},
		{"no ODA capability", store, ch, []byte{0xE0, 0xF8, 0x08}, emv.TVROfflineDataAuthNotPerformed, errNoODA},
	} {
		rec, _ := tc.c.readRecords()
		var tvr emv.TVR
		r := offlineAuth(tc.store, tc.caps, rec, tc.c, []byte{1, 2, 3, 4}, time.Now(), &tvr)
		if !errors.Is(r.Err, tc.want) || !tvr.Has(tc.bit) {
			t.Errorf("%s: %v, TVR %s", tc.name, r, tvr)
		}
		if s := r.String(); strings.Contains(s, file.CAKeys[2].Modulus[:16]) {
			t.Errorf("%s: line shows key bytes", tc.name)
		}
		ac, err := riskAndAction(&aids[2], rec, 12800, &tvr)
		if err != nil || ac != emv.ACTypeARQC || !tvr.Has(emv.TVRFloorLimitExceeded) {
			t.Errorf("%s: action analysis %s %v", tc.name, acName(ac), err)
		}
	}
	if _, err := (&chip{card: card}).readRecords(); !errors.Is(err, errNoRecords) {
		t.Errorf("card without ODA data: %v", err)
	}
}

// Malformed files are refused with errors that name the field.
func TestTMSParseErrors(t *testing.T) {
	needSHA1(t)
	good, _ := shippedTMS()
	for _, tc := range []struct {
		name string
		edit func(f *tms.File)
		want error
	}{
		{"checksum", func(f *tms.File) { f.CAKeys[0].Checksum = strings.Repeat("00", 20) }, emv.ErrCAPKChecksum},
		{"modulus hex", func(f *tms.File) { f.CAKeys[0].Modulus = "XY" }, tms.ErrFile},
		{"rid", func(f *tms.File) { f.CAKeys[0].RID = "A0" }, tms.ErrFile},
		{"expiry", func(f *tms.File) { f.CAKeys[0].Expiry = "2035-13-01" }, tms.ErrFile},
		{"aid", func(f *tms.File) { f.AIDs[0].AID = "A0" }, tms.ErrFile},
		{"tac", func(f *tms.File) { f.AIDs[0].TACOnline = "00" }, tms.ErrFile},
		{"threshold", func(f *tms.File) { f.AIDs[0].Threshold = 5 }, emv.ErrAIDParams},
		{"hot card", func(f *tms.File) { f.HotCards.PANs = []string{"12AB"} }, tms.ErrFile},
	} {
		f := *good
		f.CAKeys = append([]tms.CAKey(nil), good.CAKeys...)
		f.AIDs = append([]tms.AID(nil), good.AIDs...)
		tc.edit(&f)
		b, _ := tms.Marshal(&f)
		if _, err := tms.Parse(b); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := tms.Parse([]byte("{")); !errors.Is(err, tms.ErrFile) {
		t.Errorf("truncated JSON: %v", err)
	}
	if _, err := tms.ParseCard([]byte(`{"aid":"A0000000031010"}`)); !errors.Is(err, tms.ErrFile) {
		t.Errorf("card without AIP: %v", err)
	}
	if _, err := tms.ParseCard([]byte(`{"aid":"ZZ"}`)); !errors.Is(err, tms.ErrFile) {
		t.Errorf("card with bad hex: %v", err)
	}
}
