package emv

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/moov-io/bertlv"
)

// sameTree compares two bertlv trees by tags, values and children, treating
// nil and empty values alike.
func sameTree(a, b []bertlv.TLV) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Tag != b[i].Tag || !bytes.Equal(a[i].Value, b[i].Value) || !sameTree(a[i].TLVs, b[i].TLVs) {
			return false
		}
	}
	return true
}

func TestDecodeTreeAgreesWithBertlv(t *testing.T) {
	for name, data := range map[string][]byte{
		"field55": sampleField55, "gpo+records": sampleGPORecords, "gpo1": sampleGPO1, "ppse": samplePPSE,
		"unknown tags": mustHex("DF7F0112" + "BF7F03DF7E00" + "1F818101" + "00"),
	} {
		ours, err := DecodeTree(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		theirs, err := bertlv.Decode(data)
		if err != nil {
			t.Fatalf("%s: bertlv: %v", name, err)
		}
		if !sameTree(ours, theirs) {
			t.Errorf("%s: trees differ:\n%+v\n%+v", name, ours, theirs)
		}
		viaGuard, err := BertlvDecode(data)
		if err != nil || !reflect.DeepEqual(viaGuard, theirs) {
			t.Errorf("%s: BertlvDecode differs: %v", name, err)
		}
		// Back to bytes: minimal lengths everywhere give the input again.
		enc, err := EncodeTree(nil, ours)
		if err != nil {
			t.Fatalf("%s: EncodeTree: %v", name, err)
		}
		theirEnc, err := bertlv.Encode(theirs)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, theirEnc) {
			t.Errorf("%s: EncodeTree and bertlv.Encode differ", name)
		}
		if name != "gpo+records" && !bytes.Equal(enc, data) {
			t.Errorf("%s: round trip differs", name)
		}
	}
}

func TestDecodeTreeNonMinimalLengths(t *testing.T) {
	// The READ RECORD templates use 70 81 35: re-encoding makes it 70 35, so
	// an exact copy needs the scanner's raw spans.
	tree, err := DecodeTree(sampleGPORecords)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := EncodeTree(nil, tree)
	if len(enc) != len(sampleGPORecords)-1 {
		t.Errorf("re-encoded %d bytes, want %d", len(enc), len(sampleGPORecords)-1)
	}
	again, err := DecodeTree(enc)
	if err != nil || !sameTree(again, tree) {
		t.Error("re-encoded tree differs")
	}
	var b Builder
	s := NewScanner(sampleGPORecords)
	for s.Next() {
		if s.Depth() == 0 {
			b.AddRaw(s.Raw())
			s.Skip()
		}
	}
	exact, err := b.Bytes()
	if err != nil || !bytes.Equal(exact, sampleGPORecords) {
		t.Error("raw spans do not copy the input exactly")
	}
}

func TestDecodeTreeInto(t *testing.T) {
	n, err := CountObjects(sampleGPORecords, Strict)
	if err != nil || n != 25 {
		t.Fatalf("CountObjects = %d, %v", n, err)
	}
	storage := make([]bertlv.TLV, n)
	tree, err := DecodeTreeInto(storage, sampleGPORecords, Strict)
	if err != nil || len(tree) != 3 || &tree[0] != &storage[0] {
		t.Fatalf("tree not in storage: %v", err)
	}
	if tree[2].TLVs[4].Tag != "5A" || !bytes.Equal(tree[2].TLVs[4].Value, mustHex("4761739001010119")) {
		t.Errorf("second record child %+v", tree[2].TLVs[4].Tag)
	}
	allocs := testing.AllocsPerRun(50, func() {
		_, _ = DecodeTreeInto(storage, sampleGPORecords, Strict)
	})
	if allocs != 0 {
		t.Errorf("known tags: %v allocations, want 0", allocs)
	}
	unknown := mustHex("DF7F0112DF7E0113BF7F03DF7D00")
	storage = make([]bertlv.TLV, 8)
	allocs = testing.AllocsPerRun(50, func() {
		_, _ = DecodeTreeInto(storage, unknown, Strict)
	})
	if allocs != 1 {
		t.Errorf("unknown tags: %v allocations, want 1", allocs)
	}
	tree, _ = DecodeTreeInto(storage, unknown, Strict)
	if tree[0].Tag != "DF7F" || tree[1].Tag != "DF7E" || tree[2].Tag != "BF7F" || tree[2].TLVs[0].Tag != "DF7D" {
		t.Errorf("unknown tag names: %+v", tree)
	}
	if tree, err := DecodeTree(nil); tree != nil || err != nil {
		t.Error("empty input")
	}
}

func TestDecodeTreeLenient(t *testing.T) {
	data := mustHex("00" + "7005" + "5A0112" + "0000" + "7103010203" + "9F3602001C" + "7000" + "FFFF")
	tree, err := DecodeTreeMode(data, Lenient)
	if err != nil {
		t.Fatal(err)
	}
	want := []bertlv.TLV{
		{Tag: "70", TLVs: []bertlv.TLV{{Tag: "5A", Value: []byte{0x12}}}},
		{Tag: "71", Value: mustHex("010203")},
		{Tag: "9F36", Value: mustHex("001C")},
		{Tag: "70"},
	}
	if !sameTree(tree, want) {
		t.Errorf("lenient tree %+v", tree)
	}
	if _, err := DecodeTree(data); !errors.Is(err, ErrInvalidTag) {
		t.Errorf("strict: %v", err)
	}
}

// The four faults of bertlv v0.1.0 named in issue 4, each shown on bertlv
// and shown guarded here.
func TestBertlvFaultsGuarded(t *testing.T) {
	panics := func(f func()) (p bool) {
		defer func() { p = recover() != nil }()
		f()
		return false
	}

	// 1. A crafted length panics bertlv.Decode.
	crafted := mustHex("5A88FFFFFFFFFFFFFFFF")
	if !panics(func() { _, _ = bertlv.Decode(crafted) }) {
		t.Log("bertlv no longer panics on the crafted length")
	}
	if panics(func() { _, _ = BertlvDecode(crafted) }) {
		t.Fatal("BertlvDecode let the crafted length through")
	}
	if _, err := BertlvDecode(crafted); !errors.Is(err, ErrLengthTooLong) {
		t.Errorf("crafted length: %v", err)
	}

	// 2. The indefinite length 80 is read as zero by bertlv.
	indef := mustHex("5A80" + "9F2701" + "80")
	if tree, err := bertlv.Decode(indef); err == nil && len(tree) > 0 && len(tree[0].Value) != 0 {
		t.Log("bertlv changed its indefinite-length reading")
	}
	if _, err := DecodeTree(indef); !errors.Is(err, ErrIndefiniteLength) {
		t.Errorf("indefinite length: %v", err)
	}
	if _, err := BertlvDecode(indef); !errors.Is(err, ErrIndefiniteLength) {
		t.Errorf("indefinite length via guard: %v", err)
	}

	// 3. FF padding is not skipped by bertlv; the lenient decoder skips it.
	padded := mustHex("9F3602001C" + "FFFFFF")
	if _, err := bertlv.Decode(padded); err == nil {
		t.Log("bertlv now accepts FF padding")
	}
	tree, err := DecodeTreeMode(padded, Lenient)
	if err != nil || len(tree) != 1 || tree[0].Tag != "9F36" {
		t.Errorf("FF padding: %+v %v", tree, err)
	}

	// 4. bertlv.FindFirstTag stops at the first constructed object.
	data := append(append([]byte{}, samplePPSE...), mustHex("9F3602001C")...)
	tree, err = DecodeTree(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := bertlv.FindFirstTag(tree, "9F36"); ok {
		t.Log("bertlv.FindFirstTag now searches siblings")
	}
	if n, ok := FindTree(tree, 0x9F36); !ok || !bytes.Equal(n.Value, mustHex("001C")) {
		t.Error("FindTree missed 9F36 after the template")
	}
	if n, ok := FindTree(tree, 0x9F2A); !ok || !bytes.Equal(n.Value, []byte{3}) {
		t.Error("FindTree missed a nested tag")
	}
	if _, ok := FindTree(tree, 0x5A); ok {
		t.Error("FindTree found an absent tag")
	}
	if v, ok, err := Find(data, 0x9F36); !ok || err != nil || !bytes.Equal(v, mustHex("001C")) {
		t.Error("Find missed 9F36 after the template")
	}
}

func TestEncodeTreeErrors(t *testing.T) {
	tests := []struct {
		name string
		tree []bertlv.TLV
	}{
		{"bad hex", []bertlv.TLV{{Tag: "9G", Value: []byte{1}}}},
		{"malformed tag", []bertlv.TLV{{Tag: "9F", Value: []byte{1}}}},
		{"children under primitive", []bertlv.TLV{{Tag: "5A", TLVs: []bertlv.TLV{{Tag: "5A"}}}}},
		{"bad child", []bertlv.TLV{{Tag: "70", TLVs: []bertlv.TLV{{Tag: "zz"}}}}},
	}
	for _, tc := range tests {
		if _, err := EncodeTree(nil, tc.tree); !errors.Is(err, ErrTree) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	deep := []bertlv.TLV{{Tag: "5A", Value: []byte{1}}}
	for i := 0; i <= MaxDepth+1; i++ {
		deep = []bertlv.TLV{{Tag: "70", TLVs: deep}}
	}
	if _, err := EncodeTree(nil, deep); !errors.Is(err, ErrTree) {
		t.Errorf("deep tree: %v", err)
	}
	// A long constructed value needs its length field widened.
	big := []bertlv.TLV{{Tag: "70", TLVs: []bertlv.TLV{{Tag: "90", Value: bytes.Repeat([]byte{0xAB}, 300)}}}}
	enc, err := EncodeTree(nil, big)
	if err != nil || !bytes.HasPrefix(enc, mustHex("708201309082012C")) || len(enc) != 4+4+300 {
		t.Errorf("long template: %X %v", enc[:8], err)
	}
	theirs, _ := bertlv.Encode(big)
	if !bytes.Equal(enc, theirs) {
		t.Error("long template differs from bertlv.Encode")
	}
}

// The interning table holds every dictionary tag, at a load of at most
// one quarter.
func TestInternTable(t *testing.T) {
	if 4*len(dictionary) > internSize {
		t.Fatalf("%d tags for %d slots", len(dictionary), internSize)
	}
	for _, info := range dictionary {
		if s, ok := internedTag(info.Tag); !ok || s != info.Tag.String() {
			t.Errorf("%v: %q %v", info.Tag, s, ok)
		}
	}
	if _, ok := internedTag(0xDF7F); ok {
		t.Error("DF7F interned")
	}
}
