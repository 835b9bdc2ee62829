package emv

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestTagBasics(t *testing.T) {
	tests := []struct {
		tag         Tag
		str         string
		n           int
		valid, cons bool
		class       int
	}{
		{0x82, "82", 1, true, false, 2},
		{0x70, "70", 1, true, true, 1},
		{0x9F26, "9F26", 2, true, false, 2},
		{0x5F2A, "5F2A", 2, true, false, 1},
		{0xBF0C, "BF0C", 2, true, true, 2},
		{0xDF8101, "DF8101", 3, true, false, 3},
		{0xFF8101, "FF8101", 3, true, true, 3},
		{0x1F818101, "1F818101", 4, true, false, 0},
		{0, "00", 1, false, false, 0},
		{0x9F, "9F", 1, false, false, 2},         // first byte announces more bytes
		{0x8201, "8201", 2, false, false, 2},     // single-byte tag followed by more
		{0x9F8101, "9F8101", 3, true, false, 2},  // three bytes, middle b8 set
		{0x9F0181, "9F0181", 3, false, false, 2}, // middle byte without b8
		{0x9F81, "9F81", 2, false, false, 2},     // last byte with b8
	}
	for _, tc := range tests {
		if got := tc.tag.String(); got != tc.str {
			t.Errorf("%#x String = %q, want %q", uint32(tc.tag), got, tc.str)
		}
		if got := tc.tag.Len(); got != tc.n {
			t.Errorf("%v Len = %d, want %d", tc.tag, got, tc.n)
		}
		if got := tc.tag.Valid(); got != tc.valid {
			t.Errorf("%v Valid = %v, want %v", tc.tag, got, tc.valid)
		}
		if tc.valid && tc.tag.Constructed() != tc.cons {
			t.Errorf("%v Constructed = %v", tc.tag, !tc.cons)
		}
		if tc.tag.Class() != tc.class {
			t.Errorf("%v Class = %d, want %d", tc.tag, tc.tag.Class(), tc.class)
		}
		if got := tc.tag.AppendBytes(nil); !bytes.Equal(got, mustHex(tc.str)) {
			t.Errorf("%v AppendBytes = %X", tc.tag, got)
		}
		p, err := ParseTag(strings.ToLower(tc.str))
		if tc.valid && (err != nil || p != tc.tag) {
			t.Errorf("ParseTag(%q) = %v, %v", tc.str, p, err)
		}
		if !tc.valid && !errors.Is(err, ErrInvalidTag) {
			t.Errorf("ParseTag(%q) error = %v, want ErrInvalidTag", tc.str, err)
		}
	}
	for _, bad := range []string{"", "9", "9F2G", "9F26010203", "0082"} {
		if _, err := ParseTag(bad); !errors.Is(err, ErrInvalidTag) {
			t.Errorf("ParseTag(%q) error = %v", bad, err)
		}
	}
}

type object struct {
	depth  int
	tag    Tag
	off    int
	value  string
	cons   bool
	opaque bool
}

func scanAll(t *testing.T, data []byte, m Mode) ([]object, error) {
	t.Helper()
	var out []object
	s := NewScannerMode(data, m)
	for s.Next() {
		raw := s.Raw()
		if !bytes.HasSuffix(raw, s.Value()) || &raw[0] != &data[s.Offset()] || s.ValueOffset()+s.Len() != s.Offset()+len(raw) {
			t.Fatalf("inconsistent spans at offset %d", s.Offset())
		}
		out = append(out, object{s.Depth(), s.Tag(), s.Offset(), strings.ToUpper(string(hexOf(s.Value()))), s.Constructed(), s.Opaque()})
	}
	return out, s.Err()
}

func hexOf(b []byte) []byte {
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, hexDigits[c>>4], hexDigits[c&15])
	}
	return out
}

func TestScannerField55(t *testing.T) {
	objs, err := scanAll(t, sampleField55, Strict)
	if err != nil {
		t.Fatal(err)
	}
	want := append(Field55Tags(), 0x9F6E, 0x9F7C, 0x9F53)
	if len(objs) != len(want) {
		t.Fatalf("%d objects, want %d", len(objs), len(want))
	}
	for i, o := range objs {
		if o.tag != want[i] || o.depth != 0 || o.cons {
			t.Errorf("object %d = %+v, want tag %v at depth 0", i, o, want[i])
		}
	}
	if objs[0].value != "1234567890ABCDEF" || objs[0].off != 0 || objs[1].off != 11 {
		t.Errorf("first objects %+v %+v", objs[0], objs[1])
	}
}

func TestScannerNested(t *testing.T) {
	objs, err := scanAll(t, sampleGPORecords, Strict)
	if err != nil {
		t.Fatal(err)
	}
	// 77 with 6 children, 70 with 3, 70 with 13.
	if len(objs) != 1+6+1+3+1+13 {
		t.Fatalf("%d objects", len(objs))
	}
	type td struct {
		tag   Tag
		depth int
	}
	var got []td
	for _, o := range objs {
		if o.cons {
			got = append(got, td{o.tag, o.depth})
		}
	}
	if len(got) != 3 || got[0] != (td{0x77, 0}) || got[1] != (td{0x70, 0}) || got[2] != (td{0x70, 0}) {
		t.Errorf("templates %+v", got)
	}
	if objs[1].tag != 0x82 || objs[1].depth != 1 || objs[1].value != "1980" {
		t.Errorf("first child %+v", objs[1])
	}
	// The READ RECORD templates are coded 70 81 35 and 70 81 BB.
	s := NewScanner(sampleGPORecords)
	var raws [][]byte
	for s.Next() {
		if s.Depth() == 0 {
			raws = append(raws, s.Raw())
		}
	}
	if len(raws) != 3 || !bytes.HasPrefix(raws[1], mustHex("708135")) || !bytes.HasPrefix(raws[2], mustHex("7081BB")) {
		t.Fatalf("record headers wrong")
	}
	// The raw spans rebuild the input byte for byte (non-minimal lengths kept).
	if !bytes.Equal(bytes.Join(raws, nil), sampleGPORecords) {
		t.Error("raw spans do not rebuild the input")
	}
}

func TestScannerSkip(t *testing.T) {
	s := NewScanner(sampleGPORecords)
	n := 0
	for s.Next() {
		n++
		s.Skip()
	}
	if s.Err() != nil || n != 3 {
		t.Errorf("Skip at every object: %d objects, err %v", n, s.Err())
	}
}

func deepNesting(levels int) []byte {
	// Built from the inside out at the end of one buffer.
	buf := make([]byte, 6*levels+2)
	p := len(buf) - 2
	buf[p], buf[p+1] = 0x5A, 0x00
	for i := 0; i < levels; i++ {
		n := len(buf) - p
		var hdr []byte
		switch {
		case n < 0x80:
			hdr = []byte{0x70, byte(n)}
		case n < 0x10000:
			hdr = []byte{0x70, 0x82, byte(n >> 8), byte(n)}
		default:
			hdr = []byte{0x70, 0x83, byte(n >> 16), byte(n >> 8), byte(n)}
		}
		p -= len(hdr)
		copy(buf[p:], hdr)
	}
	return buf[p:]
}

func TestScannerMalformed(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		err  error
		off  int
		tag  Tag
	}{
		{"crafted 8-byte FF length", mustHex("5A88FFFFFFFFFFFFFFFF"), ErrLengthTooLong, 0, 0x5A},
		{"indefinite length", mustHex("5A80123400"), ErrIndefiniteLength, 0, 0x5A},
		{"indefinite length in template", mustHex("7080" + "5A0112" + "0000"), ErrIndefiniteLength, 0, 0x70},
		{"truncated tag", mustHex("9F"), ErrTruncated, 0, 0},
		{"truncated 3-byte tag", mustHex("9F3602001CDF81"), ErrTruncated, 5, 0},
		{"tag longer than 4 bytes", mustHex("9F81818101" + "00"), ErrTagTooLong, 0, 0},
		{"missing length", mustHex("9F36"), ErrTruncated, 0, 0x9F36},
		{"truncated length bytes", mustHex("5A8201"), ErrTruncated, 0, 0x5A},
		{"truncated value", mustHex("9F36020012" + "5A0847617390"), ErrValueOutOfBounds, 5, 0x5A},
		{"4 GiB claimed length", mustHex("5A84FFFFFFFF4761"), ErrValueOutOfBounds, 0, 0x5A},
		{"child past its template", mustHex("70035A0547617390010101"), ErrValueOutOfBounds, 2, 0x5A},
		{"zero padding in strict mode", mustHex("9F3602001C00"), ErrInvalidTag, 5, 0},
		{"constructed holding non-TLV", mustHex("7003010203"), ErrValueOutOfBounds, 2, 0x01},
		{"100,000-deep nesting", deepNesting(100000), ErrTooDeep, 6 * MaxDepth / 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scanAll(t, tc.data, Strict)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if tc.name == "100,000-deep nesting" {
				if e.Tag != 0x70 {
					t.Errorf("tag %v, want 70", e.Tag)
				}
			} else if e.Offset != tc.off || e.Tag != tc.tag {
				t.Errorf("offset %d tag %v, want %d %v", e.Offset, e.Tag, tc.off, tc.tag)
			}
			// The error never carries value bytes (4761739... is a PAN prefix).
			if strings.Contains(err.Error(), "4761") || strings.Contains(err.Error(), "47 61") {
				t.Errorf("error %q shows value bytes", err)
			}
			// Find, FindAll, Validate and DecodeTree report it too.
			if err := Validate(tc.data); !errors.Is(err, tc.err) {
				t.Errorf("Validate: %v", err)
			}
			if _, err := DecodeTree(tc.data); !errors.Is(err, tc.err) {
				t.Errorf("DecodeTree: %v", err)
			}
			if _, err := BertlvDecode(tc.data); !errors.Is(err, tc.err) {
				t.Errorf("BertlvDecode: %v", err)
			}
			if _, ok, err := Find(tc.data, 0x9F99); ok || !errors.Is(err, tc.err) {
				t.Errorf("Find: %v %v", ok, err)
			}
		})
	}
}

func TestScannerDepthBound(t *testing.T) {
	// MaxDepth templates around a primitive are fine; one more is not.
	ok := deepNesting(MaxDepth)
	objs, err := scanAll(t, ok, Strict)
	if err != nil || len(objs) != MaxDepth+1 || objs[MaxDepth].depth != MaxDepth {
		t.Fatalf("%d levels: %d objects, err %v", MaxDepth, len(objs), err)
	}
	if _, err := scanAll(t, deepNesting(MaxDepth+1), Strict); !errors.Is(err, ErrTooDeep) {
		t.Errorf("%d levels: %v", MaxDepth+1, err)
	}
}

func TestScannerLenient(t *testing.T) {
	tests := []struct {
		name string
		data string
		m    Mode
		want []object
	}{
		{"zero padding around and inside", "00009F3602001C0000" + "7006" + "00" + "5A0112" + "0000" + "00",
			SkipZeroPadding, []object{{0, 0x9F36, 2, "001C", false, false}, {0, 0x70, 9, "005A01120000", true, false}, {1, 0x5A, 12, "12", false, false}}},
		{"trailing FF padding", "9F3602001CFFFFFF", SkipFFPadding, []object{{0, 0x9F36, 0, "001C", false, false}}},
		{"FF padding then object", "FF9F3602001C", SkipFFPadding, []object{{0, 0x9F36, 1, "001C", false, false}}},
		{"mixed 00/FF tail", "5A0112FF00FF00", Lenient, []object{{0, 0x5A, 0, "12", false, false}}},
		{"FF8101 is a tag, not padding", "FF8101035A0112", Lenient, []object{{0, 0xFF8101, 0, "5A0112", true, false}, {1, 0x5A, 4, "12", false, false}}},
		{"opaque constructed content", "7003010203" + "5A0112", Lenient, []object{{0, 0x70, 0, "010203", true, true}, {0, 0x5A, 5, "12", false, false}}},
		{"opaque nested", "7007" + "7103010203" + "8200", Lenient, []object{{0, 0x70, 0, "7103010203" + "8200", true, false}, {1, 0x71, 2, "010203", true, true}, {1, 0x82, 7, "", false, false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := scanAll(t, mustHex(tc.data), tc.m)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("object %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
			if ValidateMode(mustHex(tc.data), tc.m) != nil {
				t.Error("ValidateMode failed")
			}
			if Validate(mustHex(tc.data)) == nil && tc.name != "FF8101 is a tag, not padding" {
				t.Error("strict Validate accepted lenient data")
			}
		})
	}
}

func TestFind(t *testing.T) {
	// A tag after a template (the case bertlv.FindFirstTag misses).
	data := append(append([]byte{}, samplePPSE...), mustHex("9F3602001C")...)
	tests := []struct {
		data  []byte
		tag   Tag
		value string
		ok    bool
	}{
		{sampleField55, 0x9F26, "1234567890ABCDEF", true},
		{sampleField55, 0x5F34, "01", true},
		{sampleField55, 0x9F53, "52", true},
		{sampleField55, 0x57, "", false},
		{sampleGPORecords, 0x9F27, "80", true},
		{sampleGPORecords, 0x5F24, "221231", true},
		{sampleGPORecords, 0x70, "", true},
		{data, 0x9F36, "001C", true},
		{data, 0x4F, "A0000000031010", true},
		{nil, 0x9F26, "", false},
	}
	for _, tc := range tests {
		v, ok, err := Find(tc.data, tc.tag)
		if err != nil || ok != tc.ok || (tc.value != "" && string(hexOf(v)) != tc.value) {
			t.Errorf("Find(%v) = %X, %v, %v", tc.tag, v, ok, err)
		}
	}
	// Find stops at the match: trailing garbage after it is not looked at.
	bad := append(mustHex("9F2701805A"), 0x88)
	if v, ok, err := Find(bad, 0x9F27); !ok || err != nil || v[0] != 0x80 {
		t.Errorf("Find before fault: %X %v %v", v, ok, err)
	}
	if _, ok, err := FindMode(mustHex("009F270180"), 0x9F27, SkipZeroPadding); !ok || err != nil {
		t.Errorf("FindMode lenient: %v %v", ok, err)
	}
}

func TestFindAll(t *testing.T) {
	recs, err := FindAll(sampleGPORecords, 0x70)
	if err != nil || len(recs) != 2 || recs[0][0] != 0x57 || recs[1][0] != 0x8C {
		t.Fatalf("FindAll 70: %d, %v", len(recs), err)
	}
	both := append(append([]byte{}, sampleField55...), sampleGPORecords...)
	acs, err := FindAll(both, 0x9F26)
	if err != nil || len(acs) != 2 {
		t.Fatalf("FindAll 9F26: %d, %v", len(acs), err)
	}
	part, err := FindAll(append(mustHex("5F3401015F340102"), 0x9F), 0x5F34)
	if len(part) != 2 || !errors.Is(err, ErrTruncated) {
		t.Errorf("FindAll on malformed: %d, %v", len(part), err)
	}
}

func TestFindPath(t *testing.T) {
	tests := []struct {
		data  []byte
		path  string
		value string
		ok    bool
	}{
		{sampleGPORecords, "70.57", "4761739001010119D22122011143804489", true},
		{sampleGPORecords, "70.5A", "4761739001010119", true}, // in the second 70
		{sampleGPORecords, "77.9F27", "80", true},
		{sampleGPORecords, "77", "", true},
		{sampleGPORecords, "70.9F27", "", false},
		{sampleGPORecords, "5A", "", false}, // not at the top level
		{samplePPSE, "6F.A5.BF0C.61.4F", "A0000000031010", true},
		{samplePPSE, "6F.a5.bf0c.61.87", "02", true},
		{samplePPSE, "6F.BF0C", "", false},
	}
	for _, tc := range tests {
		v, ok, err := FindPathString(tc.data, tc.path)
		if err != nil || ok != tc.ok || (tc.value != "" && string(hexOf(v)) != tc.value) {
			t.Errorf("FindPathString(%q) = %X, %v, %v", tc.path, v, ok, err)
		}
		p, err := ParsePath(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		v2, ok2, err := FindPath(tc.data, p...)
		if err != nil || ok2 != ok || !bytes.Equal(v, v2) {
			t.Errorf("FindPath(%v) disagrees", p)
		}
	}
	for _, bad := range []string{"", "70..57", "70.", "7G.57", "70.5A.9F"} {
		if _, _, err := FindPathString(sampleGPORecords, bad); !errors.Is(err, ErrPath) {
			t.Errorf("FindPathString(%q) error %v", bad, err)
		}
	}
	long := strings.Repeat("70.", MaxDepth+1) + "5A"
	if _, err := ParsePath(long); !errors.Is(err, ErrPath) {
		t.Errorf("long path error %v", err)
	}
	if _, ok, err := FindPath(sampleGPORecords); ok || err != nil {
		t.Error("empty path found something")
	}
	if _, _, err := FindPath(mustHex("7003010203"), 0x70, 0x5A); !errors.Is(err, ErrValueOutOfBounds) {
		t.Errorf("FindPath on malformed: %v", err)
	}
}

func TestNoAllocations(t *testing.T) {
	var sink int
	checks := map[string]func(){
		"Scanner": func() {
			s := NewScanner(sampleGPORecords)
			for s.Next() {
				sink += len(s.Value())
			}
		},
		"Find": func() {
			v, _, _ := Find(sampleField55, 0x9F53)
			sink += len(v)
		},
		"FindPathString": func() {
			v, _, _ := FindPathString(sampleGPORecords, "70.5A")
			sink += len(v)
		},
		"FindLenient": func() {
			v, _, _ := FindMode(samplePPSE, 0x9F2A, Lenient)
			sink += len(v)
		},
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}

func TestAppendTLV(t *testing.T) {
	tests := []struct {
		n      int
		header string
	}{
		{0, "5A00"}, {1, "5A01"}, {127, "5A7F"}, {128, "5A8180"}, {255, "5A81FF"},
		{256, "5A820100"}, {65535, "5A82FFFF"}, {65536, "5A83010000"},
	}
	for _, tc := range tests {
		v := bytes.Repeat([]byte{0xAB}, tc.n)
		got := AppendTLV([]byte{0xEE}, 0x5A, v)
		want := append(append([]byte{0xEE}, mustHex(tc.header)...), v...)
		if !bytes.Equal(got, want) {
			t.Errorf("length %d: header %X", tc.n, got[1:len(tc.header)/2+1])
		}
		if tc.n > 0 {
			if f, ok, err := Find(got[1:], 0x5A); !ok || err != nil || !bytes.Equal(f, v) {
				t.Errorf("length %d does not scan back", tc.n)
			}
		}
	}
	if got := AppendLength(nil, 1<<24); !bytes.Equal(got, mustHex("8401000000")) {
		t.Errorf("AppendLength(1<<24) = %X", got)
	}
	if got := AppendLength(nil, -1); !bytes.Equal(got, mustHex("84FFFFFFFF")) {
		t.Errorf("AppendLength(-1) = %X", got)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = AppendTLV(buf[:0], 0x9F26, sampleField55[3:11]) }); n != 0 {
		t.Errorf("AppendTLV allocates %v", n)
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{Offset: 7, Tag: 0x9F26, Err: ErrTruncated}
	if e.Error() != "emv: truncated TLV: offset 7, tag 9F26" {
		t.Error(e.Error())
	}
	e = &Error{Offset: 3, Err: ErrTagTooLong}
	if e.Error() != "emv: tag longer than 4 bytes: offset 3" {
		t.Error(e.Error())
	}
}
