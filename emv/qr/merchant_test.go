package qr

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestBuilderRoundTrip(t *testing.T) {
	m := Merchant{
		Dynamic: true,
		Accounts: []Account{
			{ID: UnionPay, Value: "6200123456789012"},
			{ID: UnionPayOther, Value: "6200999988887777"},
			{ID: "26", GUI: "com.example.pay", Fields: []Object{{ID: "01", Value: "MERCHANT-42"}}},
		},
		MCC: "5812", Currency: "156", Amount: "88.00",
		Tip: ConvenienceFeeFixed, Fee: "2.00",
		Country: "CN", Name: "NOODLE BAR", City: "上海", PostalCode: "200000",
		Additional: &AdditionalData{BillNumber: "INV-0001", ReferenceLabel: "R1", TerminalLabel: "T07", Purpose: "lunch",
			ConsumerDataRequest: "AME", Other: []Object{{ID: "50", Value: "x"}}},
		Language:   &Language{Preference: "ZH", Name: "面馆", City: "上海", Other: []Object{{ID: "03", Value: "y"}}},
		Unreserved: []Account{{ID: "80", GUI: "A000000333", Fields: []Object{{ID: "01", Value: "z"}}}},
	}
	s, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(s)
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	if p.String() != s {
		t.Fatal("re-encoding differs")
	}
	if p.Amount() != "88.00" || !p.IsDynamic() || p.ConvenienceFee() != "2.00" || p.MerchantCity() != "上海" || p.PostalCode() != "200000" {
		t.Fatalf("fields lost: %s", s)
	}
	acc := p.Accounts()
	if len(acc) != 3 || acc[0].Value != "6200123456789012" || acc[1].ID != "16" || acc[2].GUI() != "com.example.pay" {
		t.Fatalf("accounts %+v", acc)
	}
	a, _ := p.AdditionalData()
	if a.BillNumber != "INV-0001" || a.Purpose != "lunch" || a.ConsumerDataRequest != "AME" || len(a.Other) != 1 {
		t.Fatalf("additional %+v", a)
	}
	l, _ := p.Language()
	if l.Name != "面馆" || l.City != "上海" || len(l.Other) != 1 {
		t.Fatalf("language %+v", l)
	}
	built, _ := m.Payload()
	if !reflect.DeepEqual(built.Objects, p.Objects) {
		t.Fatal("built objects differ from parsed ones")
	}
	// Static code without an amount; the order is 00, 01, accounts, 52...
	st, err := Merchant{Accounts: []Account{{ID: "02", Value: "4000123412341234"}}, MCC: "5411",
		Currency: "840", Country: "US", Name: "CORNER SHOP", City: "NEW YORK"}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(st, "000201010211021640001234123412345204541153038405802US5911CORNER SHOP6008NEW YORK6304") {
		t.Fatalf("static code %s", st)
	}
	if _, err := Parse(st); err != nil {
		t.Fatal(err)
	}
}

// The sample payload's objects, put together by hand in the sample's own
// order, encode to the sample: String writes the CRC the specification
// prints.
func TestStringComputesSampleCRC(t *testing.T) {
	p, _ := Parse(sample)
	var objs []Object
	for _, o := range p.Objects {
		objs = append(objs, Object{ID: o.ID, Value: strings.Clone(o.Value)})
	}
	if got := (Payload{Objects: objs}).String(); got != sample {
		t.Fatalf("got %s", got)
	}
	if !strings.HasSuffix(sample, "6304A13A") {
		t.Fatal("sample CRC")
	}
}

func TestBuilderErrors(t *testing.T) {
	base := Merchant{Accounts: []Account{{ID: "02", Value: "4000"}}, MCC: "5411", Currency: "840",
		Country: "US", Name: "SHOP", City: "NYC"}
	mod := func(f func(m *Merchant)) Merchant {
		m := base
		m.Accounts = append([]Account(nil), base.Accounts...)
		f(&m)
		return m
	}
	tests := []struct {
		name    string
		m       Merchant
		want    error
		id, sub string
	}{
		{"no accounts", mod(func(m *Merchant) { m.Accounts = nil }), ErrMissing, "02", ""},
		{"account ID 52", mod(func(m *Merchant) { m.Accounts[0].ID = "52" }), ErrWrongID, "52", ""},
		{"account ID 1", mod(func(m *Merchant) { m.Accounts[0].ID = "1" }), ErrID, "1", ""},
		{"primitive with GUI", mod(func(m *Merchant) { m.Accounts[0].GUI = "x" }), ErrValue, "02", ""},
		{"template with value", mod(func(m *Merchant) { m.Accounts = []Account{{ID: "27", Value: "x", GUI: "g"}} }), ErrValue, "27", ""},
		{"template without GUI", mod(func(m *Merchant) { m.Accounts = []Account{{ID: "27", Fields: []Object{{ID: "01", Value: "v"}}}} }), ErrMissing, "27", "00"},
		{"template long field", mod(func(m *Merchant) {
			m.Accounts = []Account{{ID: "27", GUI: "g", Fields: []Object{{ID: "01", Value: strings.Repeat("v", 100)}}}}
		}), ErrLength, "27", "01"},
		{"template bad sub ID", mod(func(m *Merchant) {
			m.Accounts = []Account{{ID: "27", GUI: "g", Fields: []Object{{ID: "x", Value: "v"}}}}
		}), ErrID, "27", ""},
		{"duplicate account", mod(func(m *Merchant) { m.Accounts = append(m.Accounts, m.Accounts[0]) }), ErrDuplicate, "02", ""},
		{"format 02 under EMVCo", mod(func(m *Merchant) { m.FormatIndicator = "02" }), ErrValue, "00", ""},
		{"bad amount", mod(func(m *Merchant) { m.Amount = "1,00" }), ErrValue, "54", ""},
		{"long name", mod(func(m *Merchant) { m.Name = strings.Repeat("N", 26) }), ErrValue, "59", ""},
		{"percent fee without tip", mod(func(m *Merchant) { m.FeePercentage = "5" }), ErrValue, "57", ""},
		{"additional too long", mod(func(m *Merchant) { m.Additional = &AdditionalData{StoreLabel: strings.Repeat("s", 26)} }), ErrValue, "62", "03"},
		{"additional value 100", mod(func(m *Merchant) {
			m.Additional = &AdditionalData{Other: []Object{{ID: "50", Value: strings.Repeat("s", 100)}}}
		}), ErrLength, "62", "50"},
		{"language without name", mod(func(m *Merchant) { m.Language = &Language{Preference: "ZH"} }), ErrLength, "64", "01"},
		{"unreserved ID 79", mod(func(m *Merchant) { m.Unreserved = []Account{{ID: "79", GUI: "g"}} }), ErrWrongID, "79", ""},
		{"unreserved ID x", mod(func(m *Merchant) { m.Unreserved = []Account{{ID: "x", GUI: "g"}} }), ErrID, "x", ""},
		{"unreserved bad", mod(func(m *Merchant) { m.Unreserved = []Account{{ID: "81", GUI: "g", Value: "v"}} }), ErrValue, "81", ""},
	}
	for _, tc := range tests {
		_, err := tc.m.Encode()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.ID != tc.id || e.SubID != tc.sub {
			t.Errorf("%s: %v names %q/%q, want %q/%q", tc.name, err, e.ID, e.SubID, tc.id, tc.sub)
		}
	}
	// An empty additional data template is left out.
	p, err := mod(func(m *Merchant) { m.Additional = &AdditionalData{} }).Payload()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.AdditionalData(); ok {
		t.Fatal("empty additional data template written")
	}
}
