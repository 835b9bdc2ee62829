package emv

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/moov-io/bertlv"

	"github.com/poskit/poskit/internal/digits"
)

func addTLVSeeds(f *testing.F) {
	for _, s := range [][]byte{sampleField55, sampleGPORecords, sampleGPO1, samplePPSE,
		mustHex("5A88FFFFFFFFFFFFFFFF"), mustHex("5A80"), mustHex("9F3602001CFFFF"), mustHex("00700300000000"),
		mustHex("7003010203"), mustHex("FF8101035A0112"), deepNesting(MaxDepth + 1)} {
		f.Add(s)
	}
}

var fuzzModes = []Mode{Strict, SkipZeroPadding, SkipFFPadding, KeepOpaque, Lenient}

func FuzzScanner(f *testing.F) {
	addTLVSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		orig := bytes.Clone(data)
		for _, m := range fuzzModes {
			s := NewScannerMode(data, m)
			var top [][]byte
			count := 0
			for s.Next() {
				count++
				raw, val := s.Raw(), s.Value()
				if s.Offset() < 0 || s.Offset()+len(raw) > len(data) || !bytes.HasSuffix(raw, val) || s.Depth() > MaxDepth {
					t.Fatalf("mode %d: bad span at %d", m, s.Offset())
				}
				if !s.Tag().Valid() {
					t.Fatalf("bad tag %v", s.Tag())
				}
				if s.Opaque() && (m&KeepOpaque == 0 || !s.Constructed()) {
					t.Fatal("opaque without KeepOpaque")
				}
				if s.Depth() == 0 {
					top = append(top, raw)
				}
			}
			err := s.Err()
			var e *Error
			if err != nil && (!errors.As(err, &e) || e.Offset < 0 || e.Offset > len(data)) {
				t.Fatalf("error %v", err)
			}
			if err == nil && m == Strict && !bytes.Equal(bytes.Join(top, nil), data) {
				t.Fatal("strict raw spans do not rebuild the input")
			}
			if n, cerr := CountObjects(data, m); (cerr == nil) != (err == nil) || (err == nil && n != count) {
				t.Fatalf("CountObjects %d %v vs %d %v", n, cerr, count, err)
			}
			if (ValidateMode(data, m) == nil) != (err == nil) {
				t.Fatal("ValidateMode disagrees")
			}
			if err == nil && m == Lenient {
				// Lenient accepts everything strict accepts, with the same objects.
				var sb strings.Builder
				if derr := Describe(&sb, data); derr != nil {
					t.Fatalf("Describe: %v", derr)
				}
			}
		}
		if Validate(data) == nil && ValidateMode(data, Lenient) != nil {
			if !bytes.Contains(data, []byte{0xFF}) {
				t.Fatal("lenient rejects strict-valid data")
			}
		}
		if !bytes.Equal(data, orig) {
			t.Fatal("input modified")
		}
	})
}

func FuzzFind(f *testing.F) {
	addTLVSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		// Look for every tag the scanner reports, plus one absent tag.
		tags := []Tag{0x9F26, 0xDF7F}
		s := NewScanner(data)
		for s.Next() {
			tags = append(tags, s.Tag())
		}
		scanErr := s.Err()
		for _, tag := range tags {
			v, ok, err := Find(data, tag)
			// The scanner's first match.
			var first []byte
			found := false
			s := NewScanner(data)
			for s.Next() {
				if s.Tag() == tag {
					first, found = s.Value(), true
					break
				}
			}
			if ok != found || !bytes.Equal(v, first) || (ok && err != nil) || (!ok && (err == nil) != (scanErr == nil)) {
				t.Fatalf("Find(%v) = %v %v, scanner %v", tag, ok, err, found)
			}
			all, aerr := FindAll(data, tag)
			if (aerr == nil) != (scanErr == nil) || (ok && (len(all) == 0 || !bytes.Equal(all[0], v))) {
				t.Fatalf("FindAll(%v) disagrees", tag)
			}
			// FindPath skips the content of objects off the path, so on
			// malformed content it may find what Find, which reads
			// everything up to the match, stops short of with an error.
			if pv, pok, _ := FindPath(data, tag); pok && ((!ok && err == nil) || (ok && !bytes.Equal(pv, v) && !pathFirstDiffers(data, tag))) {
				t.Fatal("FindPath found what Find did not")
			}
			if _, tok := FindTree(nil, tag); tok {
				t.Fatal("FindTree on nil")
			}
		}
		if scanErr == nil {
			tree, err := DecodeTree(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, tag := range tags {
				n, ok := FindTree(tree, tag)
				v, fok, _ := Find(data, tag)
				if ok != fok || (ok && len(n.TLVs) == 0 && !bytes.Equal(n.Value, v)) {
					t.Fatalf("FindTree(%v) disagrees with Find", tag)
				}
			}
		}
	})
}

// FuzzBertlvAgreement checks that on every input our decoder accepts,
// bertlv accepts it too without panicking and both give the same tree; and
// that BertlvDecode never hands bertlv an input our scanner rejects.
func FuzzBertlvAgreement(f *testing.F) {
	addTLVSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ours, err := DecodeTree(data)
		verr := Validate(data)
		if (err == nil) != (verr == nil) {
			t.Fatalf("DecodeTree %v, Validate %v", err, verr)
		}
		if verr != nil {
			// The guard: bertlv is not called.
			if _, gerr := BertlvDecode(data); gerr == nil || !errors.Is(gerr, verr.(*Error).Err) {
				t.Fatalf("BertlvDecode let a rejected input through: %v", gerr)
			}
			return
		}
		var theirs []bertlv.TLV
		var berr error
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("bertlv panicked on an input our scanner accepted: %v", r)
				}
			}()
			theirs, berr = BertlvDecode(data)
		}()
		if berr != nil {
			t.Fatalf("bertlv rejects what we accept: %v", berr)
		}
		if !sameTree(ours, theirs) {
			t.Fatalf("trees differ")
		}
		enc, err := EncodeTree(nil, ours)
		if err != nil {
			t.Fatal(err)
		}
		theirEnc, err := bertlv.Encode(theirs)
		if err != nil || !bytes.Equal(enc, theirEnc) {
			t.Fatalf("encodings differ: %v", err)
		}
		again, err := DecodeTree(enc)
		if err != nil || !sameTree(again, ours) {
			t.Fatal("re-encoded tree differs")
		}
	})
}

func FuzzDOL(f *testing.F) {
	f.Add(mustHex("9F02069F03069F1A0295055F2A029A039C019F3704"), []byte("0123456789012345678901234567890"))
	f.Add(mustHex("9F3704"), []byte{1, 2, 3, 4})
	f.Add(mustHex("9F"), []byte{})
	f.Add(mustHex("DF8101FF5A0A70029F8181"), []byte{0})
	f.Fuzz(func(t *testing.T, dol, data []byte) {
		d, err := ParseDOL(dol)
		out, aerr := AppendDOLData(nil, dol, TLVSource(data))
		if (err == nil) != (aerr == nil) {
			t.Fatalf("ParseDOL %v, AppendDOLData %v", err, aerr)
		}
		if err != nil {
			if !errors.Is(err, ErrDOL) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if !bytes.Equal(d.AppendBytes(nil), dol) {
			t.Fatal("AppendBytes does not give the list back")
		}
		if len(out) != d.Len() || !bytes.Equal(out, BuildDOL(nil, d, TLVSource(data))) {
			t.Fatal("AppendDOLData and BuildDOL disagree")
		}
		if d.Len() == len(data) {
			split, err := d.Split(nil, data)
			if err != nil {
				t.Fatal(err)
			}
			if Validate(split) != nil {
				t.Fatal("Split produced malformed TLV")
			}
		} else if _, err := d.Split(nil, data); !errors.Is(err, ErrDOL) {
			t.Fatal("Split accepted data of the wrong length")
		}
	})
}

func FuzzTrack2(f *testing.F) {
	f.Add(mustHex("4761739001010119D22122011143804489"), "4761739001010119=22122011143804489")
	f.Add(mustHex("5413330089600010D25122011F"), ";5413330089600010=2512201?")
	f.Add([]byte{0xD0}, "=")
	f.Fuzz(func(t *testing.T, b []byte, s string) {
		if tr, err := ParseTrack2(b); err == nil {
			enc, err := tr.AppendBytes(nil)
			if err != nil || !bytes.Equal(enc, b) {
				t.Fatalf("round trip: %X %v", enc, err)
			}
			checkMasked(t, tr)
		} else if !errors.Is(err, ErrTrack2) {
			t.Fatal(err)
		}
		if tr, err := ParseTrack2String(s); err == nil {
			text, err := tr.Text()
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseTrack2String(text)
			if err != nil || back != tr {
				t.Fatal("text round trip")
			}
			checkMasked(t, tr)
		} else if !errors.Is(err, ErrTrack2) {
			t.Fatal(err)
		}
	})
}

func checkMasked(t *testing.T, tr Track2) {
	want := digits.MaskPAN(tr.PAN) + "=****"
	if tr.String() != want || tr.GoString() != "emv.Track2{"+want+"}" {
		t.Fatalf("String %q is not the masked PAN", tr.String())
	}
	if strings.Count(want, "*") < len(tr.PAN)-10+4 {
		t.Fatal("fewer digits masked than PCI DSS asks")
	}
}

// pathFirstDiffers reports whether the first top-level object with tag
// differs from the first one anywhere (then FindPath and Find rightly
// disagree).
func pathFirstDiffers(data []byte, tag Tag) bool {
	s := NewScanner(data)
	for s.Next() {
		if s.Tag() == tag {
			return s.Depth() != 0
		}
	}
	return true
}

func FuzzFCI(f *testing.F) {
	addTLVSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fci, err := ParseFCI(data)
		if err != nil {
			if !errors.Is(err, ErrFCI) {
				t.Fatal(err)
			}
		} else {
			checkCandidates(t, fci.Candidates)
		}
		c, err := ParseDirectoryRecord(data)
		if err != nil {
			if !errors.Is(err, ErrFCI) {
				t.Fatal(err)
			}
			return
		}
		checkCandidates(t, c)
	})
}

func checkCandidates(t *testing.T, c []Candidate) {
	for _, x := range c {
		if len(x.AID) < 5 || len(x.AID) > 16 || x.Priority < 0 || x.Priority > 15 {
			t.Fatalf("bad candidate %+v", x)
		}
		for i := 0; i < len(x.Label); i++ {
			if x.Label[i] < 0x20 || x.Label[i] > 0x7E {
				t.Fatal("non-printable label")
			}
		}
	}
	key := func(p int) int {
		if p == 0 {
			return 16
		}
		return p
	}
	if !sort.SliceIsSorted(c, func(i, j int) bool { return key(c[i].Priority) < key(c[j].Priority) }) {
		t.Fatal("candidates not sorted")
	}
}

// FuzzStructures covers the other decoders: field 55, GPO responses, AFL,
// CVM List, PAN and tag paths.
func FuzzStructures(f *testing.F) {
	addTLVSeeds(f)
	f.Add(mustHex("000003E8000007D042031E031F00"))
	f.Add([]byte("70.57"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if f55, err := ParseField55(data); err == nil {
			var b Field55Builder
			b.SkipMissing = true
			out, err := b.Append(nil, TLVSource(data))
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseField55(out)
			if err != nil || back.ATC != f55.ATC || back.AmountAuthorised != f55.AmountAuthorised || back.TVR != f55.TVR {
				t.Fatalf("field 55 rebuild: %v", err)
			}
		}
		if r, err := ParseGPO(data); err == nil {
			if _, ok, _ := FindMode(data, 0x82, Lenient); !ok && r.Data != nil {
				t.Fatal("format 2 without AIP accepted")
			}
		} else if !errors.Is(err, ErrGPO) {
			t.Fatal(err)
		}
		if afl, err := ParseAFL(data); err == nil && len(afl) != len(data)/4 {
			t.Fatal("AFL entries")
		}
		if l, err := ParseCVMList(data); err == nil {
			if !bytes.Equal(l.AppendBytes(nil), maskRFU(data)) {
				t.Fatal("CVM List round trip")
			}
			_ = l.String()
		}
		if pan, err := ParsePAN(data); err == nil && (len(pan) < 8 || len(pan) > 19) {
			t.Fatal("PAN length")
		}
		if p, err := ParsePath(string(data)); err == nil {
			for _, tag := range p {
				if !tag.Valid() {
					t.Fatal("invalid tag in path")
				}
			}
		}
	})
}

// maskRFU clears b8 of each CVM rule's first byte, which ParseCVMList drops.
func maskRFU(v []byte) []byte {
	out := bytes.Clone(v)
	for i := 8; i+1 < len(out); i += 2 {
		out[i] &^= 0x80
	}
	return out
}

// FuzzDescribe: Describe never panics under any kernel, and never prints a
// PAN of the input in clear (a 5A value of 16 digits shows 6 and 4).
func FuzzDescribe(f *testing.F) {
	f.Add(sampleField55, uint8(0))
	f.Add(sampleGPORecords, uint8(2))
	f.Add(sampleGPO1, uint8(3))
	f.Add(mustHex("5F2A0203925F3601029F0206000000010000"), uint8(7))
	f.Add(mustHex("80128000011234567890ABCDEF06010A03A00000"), uint8(0))
	f.Add(mustHex("9F5D030100009F6C0280809F66040000000095050000008000"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		kernels := [...]Kernel{KernelEMV, KernelMastercard, KernelVisa, KernelUnionPay}
		kernel := kernels[int(k)%len(kernels)]
		var sb strings.Builder
		err := Describe(&sb, data, DescribeKernel(kernel))
		if err != nil && !strings.Contains(sb.String(), "error: ") {
			t.Fatalf("error %v without an error line", err)
		}
		if pan, ok, _ := Find(data, 0x5A); ok && len(pan) == 8 {
			if d, ok := nDigits(pan); ok {
				for _, line := range strings.Split(sb.String(), "\n") {
					if strings.Contains(line, "5A Application Primary Account Number") && strings.Contains(line, d) {
						t.Fatalf("PAN %s in clear: %s", d, line)
					}
				}
			}
		}
		s := NewScanner(data)
		for s.Next() {
			if !s.Constructed() {
				DescribeValueOf(s.Tag(), s.Value(), DescribeKernel(kernel), DescribeContext(data))
			}
		}
	})
}
