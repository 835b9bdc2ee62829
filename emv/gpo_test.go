package emv

import (
	"bytes"
	"errors"
	"testing"
)

func TestParseGPO(t *testing.T) {
	r1, err := ParseGPO(sampleGPO1)
	if err != nil {
		t.Fatal(err)
	}
	if r1.AIP != (AIP{0x19, 0x80}) || !bytes.Equal(r1.AFL, mustHex("080101001001030118010200")) || r1.Data != nil {
		t.Errorf("format 1: %+v", r1)
	}
	afl, err := ParseAFL(r1.AFL)
	want := []AFLEntry{{1, 1, 1, 0}, {2, 1, 3, 1}, {3, 1, 2, 0}}
	if err != nil || len(afl) != 3 {
		t.Fatalf("AFL %v", err)
	}
	for i := range want {
		if afl[i] != want[i] {
			t.Errorf("AFL entry %d = %+v", i, afl[i])
		}
	}
	r2, err := ParseGPO(sampleGPORecords[:57])
	if err != nil {
		t.Fatal(err)
	}
	if r2.AIP != r1.AIP || !bytes.Equal(r2.AFL, mustHex("0801010010010301")) {
		t.Errorf("format 2: %+v", r2)
	}
	if atc, ok := TLVSource(r2.Data).Value(0x9F36); !ok || !bytes.Equal(atc, mustHex("001C")) {
		t.Error("format 2 data")
	}
	for name, bad := range map[string]string{
		"empty": "", "other template": "70035A0112", "short format 1": "8001FF", "odd AFL": "8005198008010100",
		"format 2 without AIP": "7706940408010100", "malformed": "5A88FFFFFFFFFFFFFFFF", "bad content": "77037003010203",
	} {
		if _, err := ParseGPO(mustHex(bad)); !errors.Is(err, ErrGPO) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, bad := range []string{"080101", "00010100", "08000000", "08020100", "08010102", "F8010100", "09010100"} {
		if _, err := ParseAFL(mustHex(bad)); !errors.Is(err, ErrGPO) {
			t.Errorf("ParseAFL(%s): %v", bad, err)
		}
	}
}
