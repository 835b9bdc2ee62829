package terminal

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The PANs below are test numbers: 6228480402564890018 is the UnionPay
// test card of docs/VECTORS.md style samples; the others are made up.
func sampleHotList(t testing.TB) *HotList {
	t.Helper()
	h, err := NewHotList(HotListDownload{
		Version: 7,
		PANs:    []string{"6228480402564890018", "4761739001010119", "622848040256"},
		Ranges: []HotRange{
			{"62258800", "62258899"}, // a BIN range
			{"62258890", "62258910"}, // overlaps the first: merged
			{"357", "357"},           // a single prefix
			{"5", "5"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHotListContains(t *testing.T) {
	h := sampleHotList(t)
	cases := []struct {
		pan  string
		want bool
	}{
		{"6228480402564890018", true},  // full PAN entry
		{"6228480402564890019", false}, // one digit off
		{"622848040256489001", false},  // a prefix of a listed PAN is not listed
		{"4761739001010119", true},
		{"622848040256", true},          // 12-digit PAN
		{"6225880012345678", true},      // BIN range, low end
		{"6225889912345678", true},      // first range's high end
		{"6225891012345678", true},      // merged overlap, high end
		{"6225891112345678", false},     // just past the merged range
		{"6225879999999999", false},     // just below
		{"3571234567890123", true},      // 3-digit prefix
		{"5123456789012346", true},      // 1-digit prefix
		{"35", false},                   // shorter than the prefix
		{"", false},                     // empty
		{"6225 8800 1234 5678", false},  // not digits
		{"62258800123456789012", false}, // 20 digits
	}
	for _, c := range cases {
		if got := h.Contains(c.pan); got != c.want {
			t.Errorf("Contains(%s) = %v, want %v", c.pan, got, c.want)
		}
	}
	if p, r := h.Len(); p != 3 || r != 3 {
		t.Errorf("Len %d PANs %d ranges, want 3 and 3", p, r)
	}
	var none *HotList
	if none.Contains("6228480402564890018") || none.Version() != 0 {
		t.Error("nil list")
	}
}

// TestHotListContainsModel compares Contains with a direct model (string
// prefixes compared as numbers) over random lists and PANs.
func TestHotListContainsModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(3)) // few digits: many collisions
		}
		return string(b)
	}
	for round := 0; round < 200; round++ {
		var d HotListDownload
		for i := 0; i < 20; i++ {
			d.PANs = append(d.PANs, digits(12+rng.IntN(8)))
			n := 1 + rng.IntN(8)
			a, b := digits(n), digits(n)
			if a > b {
				a, b = b, a
			}
			d.Ranges = append(d.Ranges, HotRange{a, b})
		}
		h, err := NewHotList(d)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 200; i++ {
			pan := digits(12 + rng.IntN(8))
			want := false
			for _, p := range d.PANs {
				want = want || p == pan
			}
			for _, r := range d.Ranges {
				want = want || len(pan) >= len(r.Low) && pan[:len(r.Low)] >= r.Low && pan[:len(r.Low)] <= r.High
			}
			if got := h.Contains(pan); got != want {
				t.Fatalf("round %d: Contains(%s) = %v, want %v (list %v)", round, pan, got, want, d)
			}
		}
	}
}

func TestHotListErrors(t *testing.T) {
	bad := []HotListDownload{
		{PANs: []string{"62284804025"}},                                          // 11 digits
		{PANs: []string{"62284804025648900181"}},                                 // 20 digits
		{PANs: []string{"622848040256489001X"}},                                  // not digits
		{Ranges: []HotRange{{"622", "6229"}}},                                    // lengths differ
		{Ranges: []HotRange{{"6229", "6228"}}},                                   // low above high
		{Ranges: []HotRange{{"", ""}}},                                           // empty
		{Ranges: []HotRange{{"62a", "62b"}}},                                     // not digits
		{Ranges: []HotRange{{strings.Repeat("1", 20), strings.Repeat("2", 20)}}}, // too long
	}
	for i, d := range bad {
		_, err := NewHotList(d)
		if !errors.Is(err, ErrHotList) {
			t.Errorf("case %d: %v, want ErrHotList", i, err)
			continue
		}
		if strings.Contains(err.Error(), "6228") || strings.Count(err.Error(), "terminal:") != 1 {
			t.Errorf("case %d: %q", i, err)
		}
	}
	h := sampleHotList(t)
	if _, err := h.Update(HotListDownload{Version: 7}); !errors.Is(err, ErrHotListVersion) {
		t.Errorf("same version: %v", err)
	}
	if _, err := h.Update(HotListDownload{Version: 6}); !errors.Is(err, ErrHotListVersion) {
		t.Errorf("older version: %v", err)
	}
	if _, err := h.Update(HotListDownload{Version: 8, PANs: []string{"1"}}); !errors.Is(err, ErrHotList) {
		t.Errorf("newer but invalid: %v", err)
	}
	n, err := h.Update(HotListDownload{Version: 8, PANs: []string{"4761739001010119"}})
	if err != nil || n.Version() != 8 || !n.Contains("4761739001010119") || n.Contains("6228480402564890018") {
		t.Errorf("newer: %v", err)
	}
	var none *HotList
	if n, err := none.Update(HotListDownload{Version: 0}); err != nil || n == nil {
		t.Errorf("first list: %v", err)
	}
}

// TestHotListNeverPrints checks that no verb prints a listed number.
func TestHotListNeverPrints(t *testing.T) {
	h := sampleHotList(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		for _, arg := range []any{h, *h} {
			out := fmt.Sprintf(verb, arg)
			for _, secret := range []string{"6228480402564890018", "4761739001010119", "62258800",
				strconv.FormatUint(6228480402564890018, 16)} {
				if strings.Contains(out, secret) {
					t.Errorf("%s printed %s: %s", verb, secret, out)
				}
			}
		}
	}
	if got := h.String(); got != "hot-card list version 7: 3 PANs, 3 ranges" {
		t.Errorf("String %q", got)
	}
}

func TestHotListBinary(t *testing.T) {
	h := sampleHotList(t)
	b, err := h.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back HotList
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	again, _ := back.MarshalBinary()
	if !bytes.Equal(b, again) || back.Version() != 7 {
		t.Fatal("round trip changed the list")
	}
	for _, pan := range []string{"6228480402564890018", "6225891012345678", "5123456789012346", "6225891112345678"} {
		if back.Contains(pan) != h.Contains(pan) {
			t.Errorf("round trip: Contains(%s) differs", pan)
		}
	}
	var none *HotList
	if b, err := none.MarshalBinary(); err != nil || back.UnmarshalBinary(b) != nil || back.Version() != 0 {
		t.Errorf("nil list round trip: %v", err)
	}
	corrupt := map[string][]byte{
		"empty":           nil,
		"magic":           append([]byte("PKHX\x01"), b[5:]...),
		"PAN count":       append(append([]byte{}, b[:9]...), 0xFF, 0xFF, 0xFF, 0xFF),
		"PAN length":      patchByte(b, 13, 11),
		"PAN value":       patchBytes(b, 14, []byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),
		"no range count":  b[:13+27],
		"range count":     append(append([]byte{}, b...), 0),
		"range low > hi":  patchByte(b, len(b)-16, 0xFF),
		"range length":    patchByte(b, len(b)-17, 0),
		"range too many":  patchByte(b, 43, 9),
		"range hi digits": patchBytes(b, len(b)-8, []byte{0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),
	}
	for name, c := range corrupt {
		var x HotList
		if err := x.UnmarshalBinary(c); !errors.Is(err, ErrHotList) {
			t.Errorf("%s: %v, want ErrHotList", name, err)
		}
	}
}

func patchByte(b []byte, i int, v byte) []byte {
	c := bytes.Clone(b)
	c[i] = v
	return c
}

func patchBytes(b []byte, i int, v []byte) []byte {
	c := bytes.Clone(b)
	copy(c[i:], v)
	return c
}

func FuzzHotListUnmarshal(f *testing.F) {
	h := sampleHotList(f)
	b, _ := h.MarshalBinary()
	f.Add(b)
	f.Add([]byte("PKHL\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var x HotList
		if err := x.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrHotList) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		// A decoded list re-encodes and decodes to the same list.
		enc, err := x.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var y HotList
		if err := y.UnmarshalBinary(enc); err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		if enc2, _ := y.MarshalBinary(); !bytes.Equal(enc, enc2) {
			t.Fatal("encoding is not stable")
		}
		x.Contains("6228480402564890018")
	})
}

// bigHotList has 100,000 entries: 99,000 full 16- and 19-digit PANs and
// 1,000 8-digit BIN ranges, with a 6-digit range as a second length.
func bigHotList(b testing.TB) (h *HotList, pan, inRange, miss string, plain map[string]struct{}) {
	rng := rand.New(rand.NewPCG(7, 8))
	var d HotListDownload
	plain = make(map[string]struct{})
	for i := 0; i < 99_000; i++ {
		p := fmt.Sprintf("62%014d", rng.Int64N(1e14))
		if i%3 == 0 {
			p = fmt.Sprintf("621%016d", rng.Int64N(1e16))
		}
		d.PANs = append(d.PANs, p)
		plain[p] = struct{}{}
	}
	for i := 0; i < 999; i++ {
		lo := 40000000 + i*1000
		d.Ranges = append(d.Ranges, HotRange{strconv.Itoa(lo), strconv.Itoa(lo + 99)})
	}
	d.Ranges = append(d.Ranges, HotRange{"356000", "358999"})
	h, err := NewHotList(d)
	if err != nil {
		b.Fatal(err)
	}
	return h, d.PANs[50_000], "4050005012345678", "4050020012345678", plain
}

func TestHotListBigAllocs(t *testing.T) {
	h, pan, inRange, miss, _ := bigHotList(t)
	if !h.Contains(pan) || !h.Contains(inRange) || h.Contains(miss) {
		t.Fatal("wrong answer on the big list")
	}
	for _, p := range []string{pan, inRange, miss} {
		if n := testing.AllocsPerRun(100, func() { h.Contains(p) }); n != 0 {
			t.Errorf("%v allocations", n)
		}
	}
}

var benchHit bool

func BenchmarkHotList(b *testing.B) {
	h, pan, inRange, miss, plain := bigHotList(b)
	for _, c := range []struct{ name, pan string }{{"PAN", pan}, {"Range", inRange}, {"Miss", miss}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchHit = h.Contains(c.pan)
			}
		})
	}
	// Baseline: a map keyed by the PAN string, full PANs only.
	b.Run("StringMapBaseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, benchHit = plain[pan]
		}
	})
}

// A terminal loads the downloaded list, checks each card before going
// online, and replaces the list only with a newer version.
func ExampleHotList() {
	list, err := NewHotList(HotListDownload{
		Version: 3,
		PANs:    []string{"6228480402564890018"},
		Ranges:  []HotRange{{Low: "62258800", High: "62258899"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(list.Contains("6228480402564890018"), list.Contains("6225880012345678"), list.Contains("6222021234567890"))
	fmt.Println(list)
	_, err = list.Update(HotListDownload{Version: 3})
	fmt.Println(err)
	// Output:
	// true true false
	// hot-card list version 3: 1 PANs, 1 ranges
	// terminal: hot-card list version is not newer: version 3, have 3
}

// TestHotListConcurrent reads one list from several goroutines while the
// terminal builds its replacement; run with -race.
func TestHotListConcurrent(t *testing.T) {
	h := sampleHotList(t)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				if !h.Contains("6228480402564890018") || h.Contains("6228480402564890019") {
					t.Error("wrong answer")
					return
				}
				_ = h.String()
			}
		}()
	}
	for i := 0; i < 50; i++ {
		if _, err := h.Update(HotListDownload{Version: uint32(8 + i), PANs: []string{"4761739001010119"}}); err != nil {
			t.Error(err)
		}
		if _, err := h.MarshalBinary(); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
}
