package emv

import (
	"sort"
	"strings"
	"testing"
)

func TestDictionaryTables(t *testing.T) {
	for name, tab := range map[string][]TagInfo{"emv": dictionary, "mastercard": mastercardTags, "visa": visaTags, "unionpay": unionPayTags} {
		if !sort.SliceIsSorted(tab, func(i, j int) bool { return tab[i].Tag < tab[j].Tag }) {
			t.Errorf("%s: not sorted", name)
		}
		for i, e := range tab {
			if i > 0 && tab[i-1].Tag == e.Tag {
				t.Errorf("%s: duplicate %v", name, e.Tag)
			}
			if !e.Tag.Valid() {
				t.Errorf("%s: invalid tag %v", name, e.Tag)
			}
			if e.Name == "" {
				t.Errorf("%s: %v has no name", name, e.Tag)
			}
			if e.MaxLen != 0 && e.MinLen > e.MaxLen {
				t.Errorf("%s: %v length range %d-%d", name, e.Tag, e.MinLen, e.MaxLen)
			}
			if e.Tag.Constructed() != (e.Format == FormatTemplate) {
				t.Errorf("%s: %v format %v does not match its constructed bit", name, e.Tag, e.Format)
			}
			if e.str != e.Tag.String() {
				t.Errorf("%s: %v interned as %q", name, e.Tag, e.str)
			}
		}
	}
	if len(dictionary) < 150 {
		t.Errorf("only %d entries", len(dictionary))
	}
	if got := Tags(); len(got) != len(dictionary) || got[0] != 0x42 {
		t.Error("Tags")
	}
}

func TestLookup(t *testing.T) {
	// Values from EMV 4.3 Book 3 annex A1.
	tests := []struct {
		tag      Tag
		name     string
		f        Format
		min, max int
		src      Source
	}{
		{0x9F26, "Application Cryptogram", FormatB, 8, 8, SourceICC},
		{0x5A, "Application Primary Account Number (PAN)", FormatCN, 0, 10, SourceICC},
		{0x9F02, "Amount, Authorised (Numeric)", FormatN, 6, 6, SourceTerminal},
		{0x50, "Application Label", FormatANS, 1, 16, SourceICC},
		{0x8A, "Authorisation Response Code", FormatAN, 2, 2, SourceIssuer},
		{0x70, "READ RECORD Response Message Template", FormatTemplate, 0, 0, SourceICC},
		{0xDF8124, "Reader Contactless Transaction Limit (No On-device CVM)", FormatN, 6, 6, SourceTerminal},
	}
	for _, tc := range tests {
		e, ok := Lookup(tc.tag)
		if !ok || e.Name != tc.name || e.Format != tc.f || e.MinLen != tc.min || e.MaxLen != tc.max || e.Source != tc.src {
			t.Errorf("Lookup(%v) = %+v", tc.tag, e)
		}
	}
	if e, _ := Lookup(0x57); e.Template != "70 or 77" || e.Sensitivity != Track {
		t.Errorf("57: %+v", e)
	}
	if _, ok := Lookup(0xDF7F); ok {
		t.Error("unknown tag found")
	}
	if Name(0x9F36) != "Application Transaction Counter (ATC)" || Name(0xDF7F) != "" {
		t.Error("Name")
	}
	// Kernel-dependent names.
	if e, _ := LookupKernel(0x9F6B, KernelMastercard); e.Name != "Track 2 Data" {
		t.Errorf("9F6B Mastercard: %q", e.Name)
	}
	if e, _ := LookupKernel(0x9F6B, KernelVisa); e.Name != "Card CVM Limit" || e.Format != FormatN {
		t.Errorf("9F6B Visa: %+v", e)
	}
	if e, _ := LookupKernel(0x9F6B, KernelEMV); !strings.Contains(e.Note, "Kernel C-2") {
		t.Errorf("9F6B note: %q", e.Note)
	}
	if e, _ := LookupKernel(0x9F79, KernelUnionPay); e.Name != "Electronic Cash Balance" {
		t.Errorf("9F79 UnionPay: %q", e.Name)
	}
	if e, ok := LookupKernel(0x9F26, KernelVisa); !ok || e.Name != "Application Cryptogram" {
		t.Error("fallback to the shared dictionary")
	}
	if e, _ := LookupKernel(0x9F66, KernelMastercard); e.Name != "PUNATC (Track2)" {
		t.Errorf("9F66 Mastercard: %q", e.Name)
	}
	for _, s := range []Source{SourceICC, SourceTerminal, SourceIssuer, 9} {
		if s.String() == "" {
			t.Error("Source.String")
		}
	}
	for f := FormatB; f <= FormatTemplate+1; f++ {
		if f.String() == "" {
			t.Error("Format.String")
		}
	}
}

func TestSensitivity(t *testing.T) {
	// The tags issue 4 names, and their neighbours.
	for _, tag := range []Tag{0x5A, 0x57, 0x56, 0x9F6B, 0x9F1F, 0x9F20, 0x5F20, 0x9F0B, 0x99, 0x5F21, 0xDF812B} {
		if !IsSensitive(tag) {
			t.Errorf("%v not sensitive", tag)
		}
	}
	for _, tag := range []Tag{0x9F26, 0x95, 0x9F02, 0x84, 0x5F24, 0x9F66} {
		if IsSensitive(tag) {
			t.Errorf("%v sensitive", tag)
		}
	}
	classes := map[Tag]Sensitivity{0x5A: PAN, 0x57: Track, 0x5F20: Personal, 0x99: Secret, 0x82: Public}
	for tag, c := range classes {
		if SensitivityOf(tag) != c {
			t.Errorf("%v class %v, want %v", tag, SensitivityOf(tag), c)
		}
	}
	for c := Public; c <= Secret+1; c++ {
		if c.String() == "" {
			t.Error("Sensitivity.String")
		}
	}
}
