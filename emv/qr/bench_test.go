package qr

import (
	"errors"
	"strconv"
	"testing"
	"unicode/utf8"
)

// BenchmarkParse parses and validates the EMVCo sample payload. Values are
// substrings of the input and all objects share one slice: one allocation
// per parse.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sample)))
	for b.Loop() {
		if _, err := Parse(sample); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseBaseline is the floor Parse is compared with: the
// straightforward parser a developer writes with strconv, appending
// objects to slices, checking only the syntax and the CRC (with this
// package's table CRC, so that the comparison is of the parsing).
func BenchmarkParseBaseline(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sample)))
	for b.Loop() {
		if _, err := baselineParse(sample); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRead is the syntactic level alone.
func BenchmarkRead(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sample)))
	for b.Loop() {
		if _, err := Read(sample); err != nil {
			b.Fatal(err)
		}
	}
}

var errBaseline = errors.New("baseline: malformed")

// baselineParse reads ID, strconv.Atoi of the length, that many runes;
// templates recursively; the last object must be the CRC.
func baselineParse(s string) ([]Object, error) {
	objs, err := baselineObjects(s, true)
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 || objs[len(objs)-1].ID != "63" {
		return nil, errBaseline
	}
	want, err := strconv.ParseUint(objs[len(objs)-1].Value, 16, 16)
	if err != nil || uint16(want) != CRC(s[:len(s)-4]) {
		return nil, errBaseline
	}
	return objs[:len(objs)-1], nil
}

func baselineObjects(s string, top bool) ([]Object, error) {
	var objs []Object
	for len(s) > 0 {
		if len(s) < 4 {
			return nil, errBaseline
		}
		id := s[:2]
		n, err := strconv.Atoi(s[2:4])
		if err != nil {
			return nil, errBaseline
		}
		rest := s[4:]
		end := 0
		for k := 0; k < n; k++ {
			if end >= len(rest) {
				return nil, errBaseline
			}
			_, w := utf8.DecodeRuneInString(rest[end:])
			end += w
		}
		o := Object{ID: id, Value: rest[:end]}
		if k, _ := strconv.Atoi(id); top && (k >= 26 && k <= 51 || k == 62 || k == 64 || k >= 80) {
			if o.Sub, err = baselineObjects(o.Value, false); err != nil {
				return nil, err
			}
		}
		objs = append(objs, o)
		s = rest[end:]
	}
	return objs, nil
}

func TestBaselineAgrees(t *testing.T) {
	got, err := baselineParse(sample)
	p, _ := Parse(sample)
	if err != nil || len(got) != len(p.Objects) {
		t.Fatalf("baseline %d objects, %v", len(got), err)
	}
	for i := range got {
		if got[i].ID != p.Objects[i].ID || got[i].Value != p.Objects[i].Value || len(got[i].Sub) != len(p.Objects[i].Sub) {
			t.Errorf("object %d differs", i)
		}
	}
	if _, err := baselineParse(sample[:len(sample)-1] + "B"); err == nil {
		t.Error("baseline accepts a bad CRC")
	}
}

// BenchmarkString encodes the parsed sample (one allocation: the result).
func BenchmarkString(b *testing.B) {
	p, err := Parse(sample)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(sample)))
	for b.Loop() {
		if p.String() != sample {
			b.Fatal("mismatch")
		}
	}
}

// BenchmarkCRC is the floor of both: the CRC over the sample's bytes.
func BenchmarkCRC(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sample)))
	for b.Loop() {
		CRC(sample[:len(sample)-4])
	}
}

func BenchmarkDecodeCPM(b *testing.B) {
	s, _ := sampleCPM().Encode()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeCPM(s); err != nil {
			b.Fatal(err)
		}
	}
}
