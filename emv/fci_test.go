package emv

import (
	"bytes"
	"errors"
	"testing"
)

func TestParseFCIPPSE(t *testing.T) {
	f, err := ParseFCI(samplePPSE)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.DFName, PPSEName) {
		t.Errorf("DF name %q", f.DFName)
	}
	if len(f.Candidates) != 3 {
		t.Fatalf("%d candidates", len(f.Candidates))
	}
	want := []struct {
		aid, label string
		prio       int
		kernel     byte
	}{
		{"A0000000041010", "MASTERCARD", 1, 2},
		{"A0000000031010", "VISA DEBIT", 2, 3},
		{"A0000000032010", "VISA ELECTRON", 0, 3},
	}
	for i, w := range want {
		c := f.Candidates[i]
		if !bytes.Equal(c.AID, mustHex(w.aid)) || c.Label != w.label || c.Priority != w.prio || !bytes.Equal(c.KernelID, []byte{w.kernel}) {
			t.Errorf("candidate %d = %+v", i, c)
		}
	}
	if len(f.IssuerDiscretionary) == 0 {
		t.Error("BF0C content missing")
	}
}

func TestParseFCIApplication(t *testing.T) {
	// SELECT of an application: 6F > 84, A5 > 50, 87, 9F38, 5F2D, 9F11, 9F12,
	// then FF padding as some cards send it.
	var b Builder
	b.Open(0x6F)
	b.Add(0x84, mustHex("A0000000031010"))
	b.Open(0xA5)
	b.Add(0x50, []byte("VISA\x01CREDIT"))
	b.Add(0x87, []byte{0x81})
	b.Add(0x9F38, mustHex("9F66049F02069F37045F2A02"))
	b.Add(0x5F2D, []byte("enfr"))
	b.Add(0x9F11, []byte{0x01})
	b.Add(0x9F12, []byte("Visa Credit"))
	b.Add(0x88, []byte{0x01})
	b.Close()
	b.Close()
	b.AddRaw([]byte{0xFF, 0xFF})
	data, _ := b.Bytes()
	f, err := ParseFCI(data)
	if err != nil {
		t.Fatal(err)
	}
	if f.Label != "VISA?CREDIT" || f.PreferredName != "Visa Credit" || f.Priority != 1 || !f.ConfirmationRequired ||
		f.LanguagePreference != "enfr" || f.CodeTableIndex != 1 || f.SFI != 1 || len(f.PDOL) != 12 || len(f.Candidates) != 0 {
		t.Errorf("%+v", f)
	}
	pdol, err := ParseDOL(f.PDOL)
	if err != nil || pdol.Len() != 16 {
		t.Errorf("PDOL %v", err)
	}
}

func TestParseFCIErrors(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":      nil,
		"not 6F":     mustHex("70035A0112"),
		"malformed":  mustHex("6F05840312"),
		"bad length": mustHex("6F88FFFFFFFFFFFFFFFF"),
	} {
		if _, err := ParseFCI(data); !errors.Is(err, ErrFCI) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A candidate without a valid AID is left out; a second 6F is ignored.
	data := mustHex("6F0C" + "A50A" + "BF0C07" + "6105" + "4F03A00000" + "6F00")
	f, err := ParseFCI(data)
	if err != nil || len(f.Candidates) != 0 {
		t.Errorf("short AID: %+v %v", f.Candidates, err)
	}
}

func TestParseDirectoryRecord(t *testing.T) {
	var b Builder
	b.Open(0x70)
	b.AddConstructed(0x61, func(b *Builder) {
		b.Add(0x4F, mustHex("A0000000031010"))
		b.Add(0x50, []byte("VISA"))
		b.Add(0x87, []byte{0x02})
	})
	b.AddConstructed(0x61, func(b *Builder) { // a DDF entry, no AID
		b.Add(0x9D, []byte("1PAY.SYS.DDF02"))
	})
	b.AddConstructed(0x61, func(b *Builder) {
		b.Add(0x4F, mustHex("A0000000043060"))
		b.Add(0x50, []byte("MAESTRO"))
		b.Add(0x87, []byte{0x01})
		b.AddConstructed(0x73, func(b *Builder) { b.Add(0x9F0A, []byte{1}) })
	})
	b.Close()
	data, _ := b.Bytes()
	c, err := ParseDirectoryRecord(data)
	if err != nil || len(c) != 2 || c[0].Label != "MAESTRO" || c[1].Label != "VISA" {
		t.Fatalf("%+v %v", c, err)
	}
	for name, bad := range map[string][]byte{"not 70": samplePPSE, "empty": nil, "malformed": mustHex("7005")} {
		if _, err := ParseDirectoryRecord(bad); !errors.Is(err, ErrFCI) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestAIDMatching(t *testing.T) {
	visa := mustHex("A0000000031010")
	tests := []struct {
		term TerminalAID
		card []byte
		want bool
	}{
		{TerminalAID{AID: visa}, visa, true},
		{TerminalAID{AID: mustHex("A000000003")}, visa, false},
		{TerminalAID{AID: mustHex("A000000003"), Partial: true}, visa, true},
		{TerminalAID{AID: mustHex("A000000004"), Partial: true}, visa, false},
		{TerminalAID{AID: visa, Partial: true}, mustHex("A000000003"), false}, // card AID shorter
		{TerminalAID{AID: visa, Partial: true}, mustHex("A0000000031010FF01"), true},
		{TerminalAID{AID: visa}, mustHex("A0000000031010FF01"), false},
		{TerminalAID{}, visa, false},
	}
	for i, tc := range tests {
		if got := tc.term.Matches(tc.card); got != tc.want {
			t.Errorf("case %d: %v", i, got)
		}
	}
	f, _ := ParseFCI(samplePPSE)
	got := MutuallySupported(f.Candidates, []TerminalAID{{AID: mustHex("A000000003"), Partial: true}})
	if len(got) != 2 || got[0].Label != "VISA DEBIT" || got[1].Label != "VISA ELECTRON" {
		t.Errorf("%+v", got)
	}
	if got := MutuallySupported(f.Candidates, []TerminalAID{{AID: mustHex("A0000000041010")}}); len(got) != 1 || got[0].Priority != 1 {
		t.Errorf("%+v", got)
	}
}

func TestSortCandidates(t *testing.T) {
	c := []Candidate{{Label: "a", Priority: 0}, {Label: "b", Priority: 3}, {Label: "c", Priority: 1}, {Label: "d", Priority: 3}, {Label: "e", Priority: 15}}
	SortCandidates(c)
	got := ""
	for _, x := range c {
		got += x.Label
	}
	if got != "cbdea" {
		t.Errorf("order %s", got)
	}
}
