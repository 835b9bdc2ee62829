package qr

import "testing"

// BenchmarkParse parses the EMVCo sample payload. Values are substrings of
// the input and all objects share one slice: one allocation per parse.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(sample)))
	for b.Loop() {
		if _, err := Parse(sample); err != nil {
			b.Fatal(err)
		}
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
