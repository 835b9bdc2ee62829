package emv

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzCVNInput feeds arbitrary field 55 bytes to the cryptogram input
// builder and to Verify of every version: neither may panic, a built input
// must start with the values of the version's tags, and Verify must either
// fail cleanly or return an ARPC of the method's length.
func FuzzCVNInput(f *testing.F) {
	for _, tc := range cvnCases(f) {
		f.Add(tc.field55)
	}
	f.Add(visaField55(f, visa22IAD, "0000000000000000"))
	f.Add([]byte{0x9F, 0x10, 0x81})
	f.Add([]byte{})
	imk := hx(f, testIMK)
	f.Fuzz(func(t *testing.T, data []byte) {
		orig := append([]byte(nil), data...)
		for _, c := range []CVN{CVNVisa10, CVNVisa18, CVNVisa22, CVNMastercard16, CVNMastercard17} {
			in, err := c.Input(data)
			if err == nil {
				v, _, _ := Find(data, 0x9F02)
				if !bytes.HasPrefix(in, v) || len(in) < 37 {
					t.Fatalf("%s: input %X does not start with the amount", c.Name, in)
				}
			} else if !errors.Is(err, ErrCryptogramData) && !errors.Is(err, ErrCVN) {
				t.Fatalf("%s: unexpected error %v", c.Name, err)
			}
			resp := ARPCResponse{ARC: []byte("00"), CSU: make([]byte, 4)}
			arpc, err := c.Verify(imk, "1234567890123456", "00", data, resp)
			if err == nil && len(arpc) != 12-4*c.ARPCMethod {
				t.Fatalf("%s: ARPC of %d bytes", c.Name, len(arpc))
			}
		}
		if !bytes.Equal(orig, data) {
			t.Fatal("input mutated")
		}
	})
}
