package emv

import (
	"testing"

	"github.com/moov-io/bertlv"
)

// Benchmarks of issue 4. Each of ours runs beside bertlv v0.1.0 on the same
// input, so one `go test -bench` run shows the ratios:
//   BenchmarkScannerField55       vs BenchmarkBertlvDecodeField55    (>= 5x, 0 allocs)
//   BenchmarkDecodeTreeIntoField55                                    (<= 1 alloc)
//   BenchmarkFindField55                                              (0 allocs)
//   BenchmarkAppendTLVField55     vs BenchmarkBertlvEncodeField55    (>= 3x, 0 allocs)
//   BenchmarkScannerGPORecords    vs BenchmarkBertlvDecodeGPORecords (>= 5x)

var benchSink int

func walk(data []byte) int {
	n := 0
	s := NewScanner(data)
	for s.Next() {
		n += len(s.Value())
	}
	if s.Err() != nil {
		panic(s.Err())
	}
	return n
}

func BenchmarkScannerField55(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sampleField55)))
	for b.Loop() {
		benchSink += walk(sampleField55)
	}
}

func BenchmarkBertlvDecodeField55(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sampleField55)))
	for b.Loop() {
		t, err := bertlv.Decode(sampleField55)
		if err != nil {
			b.Fatal(err)
		}
		benchSink += len(t)
	}
}

func BenchmarkDecodeTreeIntoField55(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sampleField55)))
	storage := make([]bertlv.TLV, 32)
	for b.Loop() {
		t, err := DecodeTreeInto(storage, sampleField55, Strict)
		if err != nil {
			b.Fatal(err)
		}
		benchSink += len(t)
	}
}

func BenchmarkDecodeTreeField55(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sampleField55)))
	for b.Loop() {
		t, err := DecodeTree(sampleField55)
		if err != nil {
			b.Fatal(err)
		}
		benchSink += len(t)
	}
}

func BenchmarkFindField55(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		v, ok, err := Find(sampleField55, 0x9F53) // the last object
		if !ok || err != nil {
			b.Fatal("not found")
		}
		benchSink += len(v)
	}
}

func BenchmarkBertlvFindFirstTagField55(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		t, err := bertlv.Decode(sampleField55)
		if err != nil {
			b.Fatal(err)
		}
		v, ok := bertlv.FindFirstTag(t, "9F53")
		if !ok {
			b.Fatal("not found")
		}
		benchSink += len(v.Value)
	}
}

// field55Objects returns the 21 standard objects of the sample, as tag and
// value pairs and as bertlv nodes.
func field55Objects(b *testing.B) ([]Tag, [][]byte, []bertlv.TLV) {
	var tags []Tag
	var values [][]byte
	var nodes []bertlv.TLV
	for _, t := range Field55Tags() {
		v, ok, _ := Find(sampleField55, t)
		if !ok {
			b.Fatalf("%v missing", t)
		}
		tags = append(tags, t)
		values = append(values, v)
		nodes = append(nodes, bertlv.NewTag(t.String(), v))
	}
	return tags, values, nodes
}

func BenchmarkAppendTLVField55(b *testing.B) {
	tags, values, _ := field55Objects(b)
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for i, t := range tags {
			buf = AppendTLV(buf, t, values[i])
		}
		benchSink += len(buf)
	}
	if string(buf) != string(sampleField55[:161]) {
		b.Fatal("encoding differs from the sample")
	}
}

func BenchmarkBuilderField55(b *testing.B) {
	tags, values, _ := field55Objects(b)
	buf := make([]byte, 0, 256)
	var bld Builder
	b.ReportAllocs()
	for b.Loop() {
		bld.Reset(buf[:0])
		for i, t := range tags {
			bld.Add(t, values[i])
		}
		out, err := bld.Bytes()
		if err != nil {
			b.Fatal(err)
		}
		buf = out
	}
}

func BenchmarkEncodeTreeField55(b *testing.B) {
	_, _, nodes := field55Objects(b)
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		out, err := EncodeTree(buf[:0], nodes)
		if err != nil {
			b.Fatal(err)
		}
		buf = out
	}
}

func BenchmarkBertlvEncodeField55(b *testing.B) {
	_, _, nodes := field55Objects(b)
	b.ReportAllocs()
	for b.Loop() {
		out, err := bertlv.Encode(nodes)
		if err != nil {
			b.Fatal(err)
		}
		benchSink += len(out)
	}
}

func BenchmarkScannerGPORecords(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sampleGPORecords)))
	for b.Loop() {
		benchSink += walk(sampleGPORecords)
	}
}

func BenchmarkBertlvDecodeGPORecords(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sampleGPORecords)))
	for b.Loop() {
		t, err := bertlv.Decode(sampleGPORecords)
		if err != nil {
			b.Fatal(err)
		}
		benchSink += len(t)
	}
}

func BenchmarkDecodeTreeIntoGPORecords(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sampleGPORecords)))
	storage := make([]bertlv.TLV, 32)
	for b.Loop() {
		t, err := DecodeTreeInto(storage, sampleGPORecords, Strict)
		if err != nil {
			b.Fatal(err)
		}
		benchSink += len(t)
	}
}

func BenchmarkScannerLenientGPORecords(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sampleGPORecords)))
	for b.Loop() {
		s := NewScannerMode(sampleGPORecords, Lenient)
		for s.Next() {
			benchSink += len(s.Value())
		}
	}
}
