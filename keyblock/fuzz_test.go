package keyblock

import (
	"bytes"
	"testing"
)

// FuzzUnwrap: Unwrap never panics, and whatever it accepts re-wraps to a
// block that unwraps to the same header and key.
func FuzzUnwrap(f *testing.F) {
	for _, v := range publishedVectors {
		f.Add(unhex(f, v.kbpk), v.block)
	}
	f.Add(bytes.Repeat([]byte{0x11}, 16), "B0000P0TE00N0100KS0001FF")
	f.Add(bytes.Repeat([]byte{0x11}, 32), "D0048P0AE00E0200KS00011600604B120F9292PB0A000000")
	f.Fuzz(func(t *testing.T, kbpk []byte, kb string) {
		if _, err := ParseHeader(kb); err != nil {
			if _, _, err2 := Unwrap(kbpk, kb); err2 == nil {
				t.Fatalf("ParseHeader refused (%v) what Unwrap accepts", err)
			}
			return
		}
		h, key, err := Unwrap(kbpk, kb)
		if err != nil {
			return
		}
		w := Wrapper{LegacyVariantBinding: true}
		kb2, err := w.Wrap(kbpk, h, key)
		if err != nil {
			return // Wrap is stricter on key lengths than Unwrap
		}
		h2, key2, err := Unwrap(kbpk, kb2)
		if err != nil || !bytes.Equal(key, key2) || h2.String() != h.String() {
			t.Fatalf("re-wrap of an accepted block: %v", err)
		}
	})
}
