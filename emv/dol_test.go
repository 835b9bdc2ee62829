package emv

import (
	"bytes"
	"errors"
	"testing"
)

func TestParseDOL(t *testing.T) {
	cdol1, ok, err := FindPath(sampleGPORecords, 0x70, 0x8C)
	if !ok || err != nil {
		t.Fatal("no CDOL1 in sample")
	}
	d, err := ParseDOL(cdol1)
	if err != nil {
		t.Fatal(err)
	}
	want := DOL{{0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5}, {0x5F2A, 2}, {0x9A, 3}, {0x9C, 1}, {0x9F37, 4}}
	if len(d) != len(want) {
		t.Fatalf("%d entries", len(d))
	}
	for i := range d {
		if d[i] != want[i] {
			t.Errorf("entry %d = %+v", i, d[i])
		}
	}
	if d.Len() != 29 {
		t.Errorf("Len = %d", d.Len())
	}
	if !bytes.Equal(d.AppendBytes(nil), cdol1) {
		t.Error("AppendBytes does not give the list back")
	}
	// Duplicates and 3-byte tags are fine.
	d, err = ParseDOL(mustHex("9F3704" + "9F3704" + "DF810106"))
	if err != nil || len(d) != 3 || d[2] != (DOLEntry{0xDF8101, 6}) {
		t.Errorf("duplicates: %+v %v", d, err)
	}
	if d, err := ParseDOL(nil); err != nil || len(d) != 0 {
		t.Error("empty DOL")
	}
	for _, bad := range []string{"9F", "9F37", "00" + "04", "9F8181810104", "9F3704" + "95"} {
		if _, err := ParseDOL(mustHex(bad)); !errors.Is(err, ErrDOL) {
			t.Errorf("ParseDOL(%s): %v", bad, err)
		}
		if _, err := AppendDOLData(nil, mustHex(bad), MapSource{}); !errors.Is(err, ErrDOL) {
			t.Errorf("AppendDOLData(%s): %v", bad, err)
		}
	}
}

func TestBuildDOL(t *testing.T) {
	// EMV Book 3 section 5.4 rules, one entry each.
	src := MapSource{
		0x9F02: mustHex("1000"),             // n, shorter: leading zeros
		0x9F03: mustHex("01000000000099"),   // n, longer: keep the rightmost bytes
		0x9F33: mustHex("E0F8C8"),           // b, longer: keep the leftmost bytes
		0x9F37: mustHex("A1B2"),             // b, shorter: trailing zeros
		0x5A:   mustHex("4761739001010119"), // cn, shorter: trailing FF
		0x9F1E: []byte("ABC"),               // an, shorter: trailing zeros
		0x70:   mustHex("5A00"),             // constructed: zeros whatever the value
		0xDF7F: mustHex("1122"),             // unknown to the dictionary: binary rules
	}
	dol := DOL{{0x9F02, 6}, {0x9F03, 6}, {0x9F33, 2}, {0x9F37, 4}, {0x5A, 10}, {0x9F1E, 8}, {0x70, 2}, {0x9F35, 1}, {0xDF7F, 1}, {0x9F02, 2}}
	got := BuildDOL([]byte{0xEE}, dol, src)
	want := mustHex("EE" + "000000001000" + "010000000099"[0:0] + "000000000099" + "E0F8" + "A1B20000" +
		"4761739001010119FFFF" + "4142430000000000" + "0000" + "00" + "11" + "1000")
	if !bytes.Equal(got, want) {
		t.Errorf("BuildDOL\n got %X\nwant %X", got, want)
	}
	raw := dol.AppendBytes(nil)
	got2, err := AppendDOLData([]byte{0xEE}, raw, src)
	if err != nil || !bytes.Equal(got2, want) {
		t.Errorf("AppendDOLData differs: %v", err)
	}
	if got := BuildDOL(nil, DOL{{0x9F02, 3}}, nil); !bytes.Equal(got, []byte{0, 0, 0}) {
		t.Error("nil source")
	}
	// From TLV data and from several sources, terminal first.
	card := TLVSource(sampleGPORecords)
	term := MapSource{0x9F36: mustHex("FFFF")}
	got = BuildDOL(nil, DOL{{0x5F24, 3}, {0x9F36, 2}, {0x9F27, 1}, {0x5F34, 1}}, Sources{term, card})
	if !bytes.Equal(got, mustHex("221231"+"FFFF"+"80"+"01")) {
		t.Errorf("Sources: %X", got)
	}
	if _, ok := TLVSource(mustHex("5A88")).Value(0x5A); ok {
		t.Error("TLVSource on malformed data")
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(50, func() { buf, _ = AppendDOLData(buf[:0], raw, src) }); n != 0 {
		t.Errorf("AppendDOLData allocates %v", n)
	}
}

func TestDOLSplit(t *testing.T) {
	d := DOL{{0x9F02, 6}, {0x9F37, 4}, {0x9F37, 4}}
	data := mustHex("000000001000" + "A1B2C3D4" + "01020304")
	tlv, err := d.Split(nil, data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tlv, mustHex("9F0206000000001000"+"9F3704A1B2C3D4"+"9F370401020304")) {
		t.Errorf("Split %X", tlv)
	}
	// The two sides agree: building from the split data gives the data.
	if got := BuildDOL(nil, d[:2], TLVSource(tlv)); !bytes.Equal(got, data[:10]) {
		t.Error("BuildDOL of Split")
	}
	if _, err := d.Split(nil, data[1:]); !errors.Is(err, ErrDOL) {
		t.Errorf("short data: %v", err)
	}
}
