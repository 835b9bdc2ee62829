package emv

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseTrack2(t *testing.T) {
	v, _, _ := FindPath(sampleGPORecords, 0x70, 0x57)
	tr, err := ParseTrack2(v)
	if err != nil {
		t.Fatal(err)
	}
	want := Track2{PAN: "4761739001010119", Expiry: "2212", ServiceCode: "201", Discretionary: "1143804489"}
	if tr != want {
		t.Fatalf("parsed %#v", tr) // GoString masks
	}
	if !tr.LuhnValid() {
		t.Error("Luhn of the Visa test PAN")
	}
	enc, err := tr.AppendBytes(nil)
	if err != nil || !bytes.Equal(enc, v) {
		t.Errorf("AppendBytes round trip: %v", err)
	}
	text, err := tr.Text()
	if err != nil || text != "4761739001010119=22122011143804489" {
		t.Errorf("Text: %v", err)
	}
	for _, s := range []string{text, ";" + text + "?", strings.Replace(text, "=", "D", 1), strings.Replace(text, "=", "d", 1)} {
		if got, err := ParseTrack2String(s); err != nil || got != want {
			t.Errorf("ParseTrack2String form %d: %v", len(s), err)
		}
	}
	// Odd digit count: F padding at the end.
	odd := Track2{PAN: "5413330089600010", Expiry: "2512", ServiceCode: "201", Discretionary: "1"}
	enc, err = odd.AppendBytes(nil)
	if err != nil || !bytes.Equal(enc, mustHex("5413330089600010D25122011F")) {
		t.Errorf("odd: %X %v", enc, err)
	}
	if back, err := ParseTrack2(enc); err != nil || back != odd {
		t.Error("odd round trip")
	}
}

func TestTrack2Masking(t *testing.T) {
	tr := Track2{PAN: "4761739001010119", Expiry: "2212", ServiceCode: "201", Discretionary: "1143804489"}
	for _, s := range []string{tr.String(), fmt.Sprint(tr), fmt.Sprintf("%v %+v %#v %s", tr, tr, tr, tr)} {
		if strings.Contains(s, "7390010101") || strings.Contains(s, "2212") || strings.Contains(s, "1143804489") {
			t.Errorf("%q reveals track data", s)
		}
	}
	if tr.String() != "476173******0119=****" {
		t.Error(tr.String())
	}
}

func TestTrack2Errors(t *testing.T) {
	bin := []string{
		"",                                             // empty
		"4761739001010119",                             // no separator
		"47617390010D22122011",                         // PAN too short
		"4761739001010119D221",                         // too little after the separator
		"4761739001010119D2212201FF",                   // F not only at the end
		"4761739001010119D2213201",                     // month 13
		"4761739001010119D2200201",                     // month 00
		"4761739001010119D22122011D",                   // second separator
		"4761739001010119D22122011A",                   // non-digit nibble
		"4761739001010119D221220111438044891234567890", // longer than 19 bytes
		"4761739001010119D221220111438044891234",       // 19 bytes, 38 characters: one too many
	}
	for _, h := range bin {
		if _, err := ParseTrack2(mustHex(h)); !errors.Is(err, ErrTrack2) {
			t.Errorf("ParseTrack2(%s): %v", h, err)
		} else if strings.Contains(err.Error(), "476173") {
			t.Errorf("error %q shows the PAN", err)
		}
	}
	for _, s := range []string{"", "4761739001010119", "4761739001010119=2212X01", strings.Repeat("1", 38), "476173900101011=9=2212201"} {
		if _, err := ParseTrack2String(s); !errors.Is(err, ErrTrack2) {
			t.Errorf("ParseTrack2String(%q): %v", s, err)
		}
	}
	for _, tr := range []Track2{
		{PAN: "47617", Expiry: "2212", ServiceCode: "201"},
		{PAN: "4761739001010119", Expiry: "22", ServiceCode: "201"},
		{PAN: "4761739001010119", Expiry: "2212", ServiceCode: "2a1"},
		{PAN: "4761739001010119", Expiry: "2212", ServiceCode: "201", Discretionary: "x"},
		{PAN: "4761739001010119", Expiry: "2212", ServiceCode: "201", Discretionary: strings.Repeat("1", 20)},
	} {
		if _, err := tr.AppendBytes(nil); !errors.Is(err, ErrTrack2) {
			t.Errorf("AppendBytes accepted %v", tr)
		}
		if _, err := tr.Text(); !errors.Is(err, ErrTrack2) {
			t.Errorf("Text accepted %v", tr)
		}
	}
}

func TestTrack2Expiry(t *testing.T) {
	tr := Track2{PAN: "4761739001010119", Expiry: "2212", ServiceCode: "201"}
	end, err := tr.ExpiryDate()
	if err != nil || !end.Equal(time.Date(2022, 12, 31, 23, 59, 59, 999999999, time.UTC)) {
		t.Errorf("ExpiryDate %v %v", end, err)
	}
	if tr.Expired(time.Date(2022, 12, 31, 12, 0, 0, 0, time.UTC)) || !tr.Expired(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("Expired at the month's end")
	}
	for _, e := range []string{"22", "2213", "22a1"} {
		bad := Track2{Expiry: e}
		if _, err := bad.ExpiryDate(); !errors.Is(err, ErrTrack2) || !bad.Expired(time.Time{}) {
			t.Errorf("expiry %q accepted", e)
		}
	}
}

func TestParsePAN(t *testing.T) {
	if pan, err := ParsePAN(mustHex("4761739001010119")); err != nil || pan != "4761739001010119" {
		t.Errorf("%v", err)
	}
	if pan, err := ParsePAN(mustHex("541333900000006165FF")); err != nil || pan != "541333900000006165" {
		t.Errorf("padded PAN: %v", err)
	}
	for _, h := range []string{"", "4761", "47617390F1010119", "4761739001010119AB", "4761739001010119FFFFFFFFFF"} {
		if _, err := ParsePAN(mustHex(h)); !errors.Is(err, ErrPAN) {
			t.Errorf("ParsePAN(%s): %v", h, err)
		}
	}
}
