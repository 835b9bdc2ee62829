package emv

import (
	"bytes"
	"errors"
	"testing"
)

func TestBuilderPPSE(t *testing.T) {
	cand := func(b *Builder, aid, label string, prio byte, kernel byte, withPrio bool) {
		b.AddConstructed(0x61, func(b *Builder) {
			b.Add(0x4F, mustHex(aid))
			b.Add(0x50, []byte(label))
			if withPrio {
				b.Add(0x87, []byte{prio})
			}
			b.Add(0x9F2A, []byte{kernel})
		})
	}
	b := NewBuilder(nil)
	b.Open(0x6F)
	b.Add(0x84, PPSEName)
	b.Open(0xA5)
	b.Open(0xBF0C)
	cand(b, "A0000000031010", "VISA DEBIT", 2, 3, true)
	cand(b, "A0000000041010", "MASTERCARD", 1, 2, true)
	cand(b, "A0000000032010", "VISA ELECTRON", 0, 3, false)
	b.Close()
	b.Close()
	b.Close()
	got, err := b.Bytes()
	if err != nil || !bytes.Equal(got, samplePPSE) {
		t.Fatalf("built %X, %v", got, err)
	}
	if b.Len() != len(samplePPSE) {
		t.Error("Len")
	}
}

func TestBuilderLongLengths(t *testing.T) {
	for _, n := range []int{126, 127, 128, 253, 254, 255, 300, 70000} {
		var b Builder
		b.Reset([]byte{0xEE})
		b.Open(0x70)
		b.Add(0x90, bytes.Repeat([]byte{0x11}, n))
		b.Close()
		got, err := b.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		want := append([]byte{0xEE}, AppendTLV(nil, 0x70, AppendTLV(nil, 0x90, bytes.Repeat([]byte{0x11}, n)))...)
		if !bytes.Equal(got, want) {
			t.Errorf("value %d: built differs", n)
		}
	}
}

func TestBuilderErrors(t *testing.T) {
	tests := []struct {
		name string
		f    func(b *Builder)
	}{
		{"invalid tag", func(b *Builder) { b.Add(0x9F, nil) }},
		{"open primitive", func(b *Builder) { b.Open(0x5A) }},
		{"open invalid", func(b *Builder) { b.Open(0) }},
		{"close without open", func(b *Builder) { b.Close() }},
		{"left open", func(b *Builder) { b.Open(0x70) }},
		{"unbalanced", func(b *Builder) { b.AddConstructed(0x70, func(b *Builder) { b.Open(0x71) }) }},
		{"too deep", func(b *Builder) {
			for i := 0; i <= MaxDepth; i++ {
				b.Open(0x70)
			}
		}},
	}
	for _, tc := range tests {
		var b Builder
		tc.f(&b)
		b.Add(0x5A, []byte{1}) // ignored after an error
		b.AddRaw([]byte{1})
		b.Open(0x70)
		b.Close()
		if _, err := b.Bytes(); !errors.Is(err, ErrBuilder) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	var b Builder
	b.AddConstructed(0x5A, func(*Builder) { t.Error("called for a primitive tag") })
	if _, err := b.Bytes(); !errors.Is(err, ErrBuilder) {
		t.Error("AddConstructed on primitive")
	}
	b.Reset(nil)
	if out, err := b.Bytes(); err != nil || len(out) != 0 {
		t.Error("Reset did not clear the error")
	}
}

func TestBuilderNoAllocations(t *testing.T) {
	buf := make([]byte, 0, 512)
	var b Builder
	allocs := testing.AllocsPerRun(100, func() {
		b.Reset(buf[:0])
		b.Open(0x77)
		b.Add(0x82, sampleField55[0:2])
		b.AddConstructed(0x70, func(b *Builder) {
			b.Add(0x90, sampleField55[:150])
		})
		b.Close()
		out, _ := b.Bytes()
		buf = out
	})
	if allocs != 0 {
		t.Errorf("%v allocations", allocs)
	}
}
