package iso8583

import (
	"bytes"
	"errors"
	"reflect"
	"runtime"
	"testing"

	moov "github.com/moov-io/iso8583"
)

func allocatedBytes() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// fuzzUnpack: no panic; allocation stays proportionate to the input; a
// message that unpacks strictly packs again to exactly the input; one that
// unpacks leniently packs again, and that packing is stable.
func fuzzUnpack(t *testing.T, spec *moov.MessageSpec, data []byte) {
	before := allocatedBytes()
	strict, serr := UnpackMessage(spec, data, Strict)
	m, err := UnpackMessage(spec, data, Lenient)
	if used := allocatedBytes() - before; used > 1<<17+128*uint64(len(data)) {
		t.Fatalf("unpacking %d bytes allocated %d", len(data), used)
	}
	if serr == nil {
		packed, err := strict.Pack()
		if err != nil || !bytes.Equal(packed, data) {
			t.Fatalf("strictly accepted message repacks differently (%v):\n%X\n%X", err, data, packed)
		}
		if _, err := Unpack(spec, data); err != nil {
			if fe := (*FieldError)(nil); !errors.As(err, &fe) || !errors.Is(err, ErrSubfield) {
				t.Fatalf("typed unpack of an accepted message: %v", err)
			}
		}
	} else if fe := (*FieldError)(nil); !errors.As(serr, &fe) || fe.Offset < 0 || fe.Offset > len(data) {
		t.Fatalf("strict unpack error without field and offset: %v", serr)
	}
	if err != nil {
		return
	}
	packed, err := m.Pack()
	if err != nil {
		return // e.g. a bitmap bit for a presence bit only
	}
	m2 := moov.NewMessage(spec)
	if err := m2.Unpack(packed); err != nil {
		t.Fatalf("repacked message does not unpack: %v", err)
	}
	again, err := m2.Pack()
	if err != nil || !bytes.Equal(again, packed) {
		t.Fatalf("pack not stable: %v", err)
	}
	if tx, err := FromMessage(m2); err == nil {
		_ = tx.Kind()
		_ = tx.Approved()
	}
	var buf bytes.Buffer
	_ = Dump(m2, &buf)
}

// FuzzTransactionRoundTrip is differential: a Transaction built from the
// input with values valid for each field packs, unpacks strictly and
// compares equal, on both dialects.
func FuzzTransactionRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{0}, 64))
	f.Add(bytes.Repeat([]byte{1, 2, 3, 250}, 200))
	f.Add(goldenCapture(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range []Dialect{ISO87, UnionPay} {
			tx := randomTransaction(&chooser{data}, d)
			b, err := tx.Pack(d.Spec())
			if err != nil {
				t.Fatalf("%v: valid transaction does not pack: %v\n%+v", d, err, tx)
			}
			back, err := Unpack(d.Spec(), b)
			if err != nil {
				var fe *FieldError
				if errors.As(err, &fe) && fe.Field == 1 && errors.Is(err, ErrBitmap) {
					continue // no field at all besides the MTI
				}
				t.Fatalf("%v: packed transaction does not unpack: %v\n%+v\n%X", d, err, tx, b)
			}
			if !reflect.DeepEqual(tx, back) {
				t.Fatalf("%v: round trip differs\n%+v\n%+v", d, tx, back)
			}
		}
	})
}

func FuzzUnpackUnionPay(f *testing.F) {
	f.Add(goldenCapture(f)[13:])
	sale, _ := testTerminal(UnionPay).Sale(chip, 1000)
	b, _ := sale.Pack(SpecUnionPay)
	f.Add(b)
	so, _ := testTerminal(UnionPay).SignOn()
	b, _ = so.Pack(SpecUnionPay)
	f.Add(b)
	f.Add([]byte{0x02, 0x00, 0x80})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzUnpack(t, SpecUnionPay, data) })
}

func FuzzUnpackASCII(f *testing.F) {
	sale, _ := testTerminal(ISO87).Sale(chip, 1000)
	b, _ := sale.Pack(Spec87ASCII)
	f.Add(b)
	rv, _ := testTerminal(ISO87).Reversal(sale, "")
	b, _ = rv.Pack(Spec87ASCII)
	f.Add(b)
	f.Add([]byte("0800822000000000000004000000000000001121103015000001301"))
	f.Add([]byte("0200FFFFFFFFFFFFFFFF"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzUnpack(t, Spec87ASCII, data) })
}

// FuzzReader: any stream, any framing: no panic, frames within the limit,
// and never more memory than what arrived (plus a constant), whatever the
// length headers claim.
func FuzzReader(f *testing.F) {
	f.Add(uint8(1), true, true, goldenCapture(f))
	f.Add(uint8(2), true, false, []byte{0x00, 0x07, 0x60, 0, 6, 0, 0, 0x08, 0x00})
	f.Add(uint8(3), false, false, []byte("0004080000020800"))
	f.Add(uint8(4), false, true, []byte("FFFF"))
	f.Add(uint8(0), true, false, []byte{0x60, 0, 1, 0, 2, 1, 2, 3})
	const limit = 1024
	f.Fuzz(func(t *testing.T, format uint8, tpdu, header bool, stream []byte) {
		fr := Framing{Length: LengthFormat(format % 5), TPDU: tpdu, Header: header, MaxFrame: limit}
		r := NewReader(bytes.NewReader(stream), fr)
		before := allocatedBytes()
		total := 0
		for range 64 {
			frame, err := r.ReadFrame()
			if err != nil {
				break
			}
			total += len(frame.Message)
			if len(frame.Message)+fr.overhead() > limit {
				t.Fatalf("frame of %d over the limit", len(frame.Message))
			}
			// what was read writes back to the same bytes
			out, err := fr.AppendFrame(nil, frame)
			if err != nil {
				t.Fatal(err)
			}
			if fr.Length != LengthNone {
				back, err := NewReader(bytes.NewReader(out), fr).ReadFrame()
				if err != nil || !bytes.Equal(back.Message, frame.Message) || back.TPDU != frame.TPDU || back.Header != frame.Header {
					t.Fatalf("frame does not round-trip: %v", err)
				}
			}
		}
		if used := allocatedBytes() - before; used > 1<<15+8*uint64(len(stream)) {
			t.Fatalf("%d bytes of stream allocated %d", len(stream), used)
		}
		if cap(r.buf) > 2*limit {
			t.Fatalf("buffer of %d", cap(r.buf))
		}
	})
}

// FuzzCodecs: every decoder accepts any input without panic, and what it
// decodes encodes back to the bytes it read (up to the pad nibble and hex
// letter case, which decoding normalises).
func FuzzCodecs(f *testing.F) {
	f.Add([]byte{0x62, 0x24, 0xD2, 0x80}, 7)
	f.Add([]byte("0139"), 3)
	f.Add([]byte{0x01, 0x39, 0xFF}, 2)
	f.Fuzz(func(t *testing.T, data []byte, n int) {
		if n > 4096 || n < -4096 {
			return
		}
		for _, e := range []*BCDEncoder{BCD, BCDLeft, BCDLeftF, BCDRight} {
			out, read, err := e.Decode(data, n)
			if err != nil {
				continue
			}
			enc, err := e.Encode(out)
			if err != nil || len(enc) != read {
				t.Fatalf("BCD %+v: %v", *e, err)
			}
			back, _, err := e.Decode(enc, n)
			if err != nil || !bytes.Equal(back, out) {
				t.Fatalf("BCD %+v round trip", *e)
			}
		}
		for _, e := range []*NibbleEncoder{Track, TrackD} {
			out, read, err := e.Decode(data, n)
			if err != nil {
				continue
			}
			enc, err := e.Encode(out)
			if err != nil || len(enc) != read {
				t.Fatalf("track: %v", err)
			}
		}
		for _, e := range []interface {
			Decode([]byte, int) ([]byte, int, error)
			Encode([]byte) ([]byte, error)
		}{HexBytes, Binary, ASCII, ASCIIDigits, ASCIITrack} {
			out, read, err := e.Decode(data, n)
			if err != nil {
				continue
			}
			enc, err := e.Encode(out)
			if err != nil || len(enc) != read {
				t.Fatalf("%T: %v", e, err)
			}
		}
		for _, fam := range []struct {
			LL, LLL interface {
				DecodeLength(int, []byte) (int, int, error)
				EncodeLength(int, int) ([]byte, error)
			}
		}{
			{LengthASCII.LL, LengthASCII.LLL}, {LengthBCD.LL, LengthBCD.LLL},
			{LengthBinary.LL, LengthBinary.LLL}, {LengthHex.LL, LengthHex.LLL}, {HexCharsASCII.LL, HexCharsASCII.LLL},
		} {
			for _, p := range []interface {
				DecodeLength(int, []byte) (int, int, error)
				EncodeLength(int, int) ([]byte, error)
			}{fam.LL, fam.LLL} {
				l, read, err := p.DecodeLength(999, data)
				if err != nil {
					continue
				}
				enc, err := p.EncodeLength(999, l)
				if err != nil || len(enc) != read {
					t.Fatalf("prefix: %v", err)
				}
			}
		}
		var f60 Field60
		if f60.UnmarshalText(data) == nil {
			if b, err := f60.MarshalText(); err == nil && !bytes.Equal(b, data) {
				t.Fatalf("60 round trip %q %q", data, b)
			}
		}
		_ = MaskICC(data)
		_, _ = ParseSignOnKeys(data, []byte("01234567"))
	})
}

// FuzzImportSpec: a spec description never panics the importer, and a spec
// it accepts makes messages (moov.NewMessage panics on an invalid spec).
func FuzzImportSpec(f *testing.F) {
	for _, spec := range []*moov.MessageSpec{SpecUnionPay, Spec87ASCII} {
		b, _ := ExportSpec(spec)
		f.Add(b)
	}
	f.Add([]byte(`{"fields":{"0":{"type":"String","length":4,"enc":"poskit.ASCII","prefix":"poskit.ASCII.Fixed"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := ImportSpec(data)
		if err != nil {
			if !errors.Is(err, ErrSpec) {
				t.Fatalf("error without ErrSpec: %v", err)
			}
			return
		}
		m := moov.NewMessage(spec)
		_, _ = m.Pack()
		_, _ = UnpackMessage(spec, data, Strict)
	})
}

// FuzzMaskText: the output has the input's length and no stretch of 13 to
// 19 digits that starts with a digit other than 0 and passes the Luhn
// check; masking twice changes nothing.
func FuzzMaskText(f *testing.F) {
	f.Add("CARD4761739001010119END")
	f.Add("0000476173900101011900005413330089010434")
	f.Add("22000024000600")
	f.Fuzz(func(t *testing.T, s string) {
		out := MaskText(s)
		if len(out) != len(s) || MaskText(out) != out {
			t.Fatalf("MaskText(%q) = %q", s, out)
		}
		for i := 0; i < len(out); i++ {
			for n := 13; n <= 19 && i+n <= len(out); n++ {
				w := out[i : i+n]
				if w[0] != '0' && allDigits(w) && luhn(w) {
					t.Fatalf("MaskText(%q) = %q leaves %s", s, out, w)
				}
			}
		}
	})
}
