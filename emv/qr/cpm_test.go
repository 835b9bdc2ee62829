package qr

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/poskit/poskit/emv"
)

func sampleCPM() CPM {
	return CPM{
		Applications: []CPMTemplate{
			{
				Elements: []CPMElement{
					{Tag: 0x4F, Value: []byte{0xA0, 0, 0, 0, 0x03, 0x10, 0x10}},
					{Tag: 0x50, Value: []byte("VISA DEBIT")},
					{Tag: 0x5A, Value: []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x01, 0x19}},
				},
				Transparent: emv.AppendTLV(emv.AppendTLV(nil, 0x9F26, make([]byte, 8)), 0x9F36, []byte{0, 1}),
			},
			{Elements: []CPMElement{{Tag: 0x4F, Value: []byte{0xA0, 0, 0, 0x03, 0x33, 0x01, 0x01, 0x02}}}},
		},
		Common: &CPMTemplate{
			Elements:    []CPMElement{{Tag: 0x5F20, Value: []byte("CARDHOLDER/EMV")}, {Tag: 0x5F2D, Value: []byte("zhen")}},
			Transparent: emv.AppendTLV(nil, 0x9F10, []byte{6, 1, 0x12, 3, 0, 0, 0}),
		},
	}
}

func TestCPMRoundTrip(t *testing.T) {
	c := sampleCPM()
	s, err := c.Encode()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(s)
	// 85 05 "CPV01" first.
	if string(raw[:7]) != "\x85\x05CPV01" {
		t.Fatalf("starts %X", raw[:7])
	}
	d, err := DecodeCPM(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d, c) {
		t.Fatalf("decoded %+v\nwant    %+v", d, c)
	}
	if v, ok := d.Applications[0].Get(0x50); !ok || string(v) != "VISA DEBIT" {
		t.Fatal("label")
	}
	if _, ok := d.Applications[1].Get(0x50); ok {
		t.Fatal("label in the second application")
	}
	// Unpadded base64 decodes too.
	d2, err := DecodeCPM(base64.RawStdEncoding.EncodeToString(raw))
	if err != nil || !reflect.DeepEqual(d2, c) {
		t.Fatalf("raw base64: %v", err)
	}
	// Without common data.
	c.Common = nil
	s, _ = c.Encode()
	if d, err := DecodeCPM(s); err != nil || d.Common != nil || len(d.Applications) != 2 {
		t.Fatalf("%+v %v", d, err)
	}
}

func TestCPMErrors(t *testing.T) {
	tlv := func(parts ...[]byte) string {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	pfi := emv.AppendTLV(nil, 0x85, []byte("CPV01"))
	app := emv.AppendTLV(nil, 0x61, emv.AppendTLV(nil, 0x4F, []byte{0xA0, 0, 0, 0, 4}))
	tests := []struct {
		name    string
		payload string
		want    error
		tag     emv.Tag
	}{
		{"not base64", "!!!!", ErrCPMBase64, 0},
		{"empty", "", ErrCPMFormat, 0},
		{"wrong version", tlv(emv.AppendTLV(nil, 0x85, []byte("CPV02")), app), ErrCPMFormat, 0x85},
		{"app first", tlv(app, pfi), ErrCPMFormat, 0x61},
		{"no application", tlv(pfi), ErrCPMMissing, 0x61},
		{"application without 4F", tlv(pfi, emv.AppendTLV(nil, 0x61, emv.AppendTLV(nil, 0x50, []byte("X")))), ErrCPMMissing, 0x4F},
		{"first app without 4F", tlv(pfi, emv.AppendTLV(nil, 0x61, emv.AppendTLV(nil, 0x50, []byte("X"))), app), ErrCPMMissing, 0x4F},
		{"second 85", tlv(pfi, app, pfi), ErrCPMStructure, 0x85},
		{"two 62", tlv(pfi, app, emv.AppendTLV(nil, 0x62, nil), emv.AppendTLV(nil, 0x62, nil)), ErrCPMStructure, 0x62},
		{"64 in 61", tlv(pfi, emv.AppendTLV(nil, 0x61, append(emv.AppendTLV(nil, 0x4F, []byte{1}), emv.AppendTLV(nil, 0x64, nil)...))), ErrCPMStructure, 0x64},
		{"two 63", tlv(pfi, emv.AppendTLV(nil, 0x61, append(append(emv.AppendTLV(nil, 0x4F, []byte{1}), emv.AppendTLV(nil, 0x63, nil)...), emv.AppendTLV(nil, 0x63, nil)...))), ErrCPMStructure, 0x63},
		{"unknown top tag", tlv(pfi, app, emv.AppendTLV(nil, 0x5A, []byte{1})), ErrCPMStructure, 0x5A},
		{"truncated", tlv(pfi, app[:len(app)-1]), ErrCPMTLV, 0x61},
	}
	for _, tc := range tests {
		_, err := DecodeCPM(tc.payload)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			continue
		}
		var e *CPMError
		if !errors.As(err, &e) || e.Tag != tc.tag {
			t.Errorf("%s: %v names tag %v, want %v", tc.name, err, e.Tag, tc.tag)
		}
	}
	var te *emv.Error
	if _, err := DecodeCPM(tlv(pfi, app[:len(app)-1])); !errors.As(err, &te) {
		t.Error("TLV error does not wrap the emv error")
	}
	// Encoding errors.
	if _, err := (CPM{}).Encode(); !errors.Is(err, ErrCPMMissing) {
		t.Errorf("empty: %v", err)
	}
	bad := []CPM{
		{Applications: []CPMTemplate{{Elements: []CPMElement{{Tag: 0x50, Value: []byte("X")}}}}},
		{Applications: []CPMTemplate{{Elements: []CPMElement{{Tag: 0x4F, Value: []byte{1}}, {Tag: 0x61}}}}},
		{Applications: []CPMTemplate{{Elements: []CPMElement{{Tag: 0x4F, Value: []byte{1}}}, Transparent: []byte{0x9F}}}},
		{Applications: []CPMTemplate{{Elements: []CPMElement{{Tag: 0x4F, Value: []byte{1}}}}}, Common: &CPMTemplate{Elements: []CPMElement{{Tag: 0x1F}}}},
	}
	for i, c := range bad {
		if _, err := c.Encode(); err == nil {
			t.Errorf("bad CPM %d encoded", i)
		}
	}
	if got := (&CPMError{Err: ErrCPMBase64}).Error(); got != ErrCPMBase64.Error() {
		t.Errorf("%q", got)
	}
}

// cpmSample is the consumer-presented example of the EMVCo QR Code
// Specification for Payment Systems, Consumer-Presented Mode (two
// applications, common data with a transparent template), as quoted by
// several open-source implementations' tests.
const cpmSample = "hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw=="

func TestCPMSpecSample(t *testing.T) {
	c, err := DecodeCPM(cpmSample)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Applications) != 2 || c.Common == nil {
		t.Fatalf("%+v", c)
	}
	for i, want := range []struct{ aid, label string }{{"A0000000555555", "Product1"}, {"A0000000666666", "Product2"}} {
		aid, _ := c.Applications[i].Get(0x4F)
		label, _ := c.Applications[i].Get(0x50)
		if hex.EncodeToString(aid) != strings.ToLower(want.aid) || string(label) != want.label {
			t.Errorf("application %d: %X %q", i, aid, label)
		}
	}
	name, _ := c.Common.Get(0x5F20)
	lang, _ := c.Common.Get(0x5F2D)
	if string(name) != "CARDHOLDER/EMV" || string(lang) != "ruesdeen" {
		t.Errorf("common data %q %q", name, lang)
	}
	arqc, ok, err := emv.Find(c.Common.Transparent, 0x9F26)
	if err != nil || !ok || hex.EncodeToString(arqc) != "584fd385fa234bcc" {
		t.Errorf("transparent 9F26 %X %v %v", arqc, ok, err)
	}
	again, err := c.Encode()
	if err != nil || again != cpmSample {
		t.Fatalf("re-encoded %s %v", again, err)
	}
}
