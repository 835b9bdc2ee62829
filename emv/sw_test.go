package emv

import (
	"bytes"
	"testing"
)

// Status words of ISO/IEC 7816-4 §5.1.3 and EMV Book 3 as card responses
// end with them.
func TestSplitStatusWord(t *testing.T) {
	tests := []struct {
		name string
		resp string
		body string
		sw   string // "" when not split
	}{
		{"GPO format 1 + 9000", "800E1980080101001001030118010200" + "9000", "800E1980080101001001030118010200", "9000 (normal processing)"},
		{"not found", "6A82", "", "6A82 (file or application not found)"},
		{"PIN tries", "63C2", "", "63C2 (verification failed, 2 tries left)"},
		{"more data", "611A", "", "611A (26 more bytes available: GET RESPONSE)"},
		{"wrong Le", "6C10", "", "6C10 (wrong Le: 16 bytes available)"},
		{"other error", "6999", "", "6999 (error)"},
		{"warning", "6200", "", "6200 (warning)"},
		{"9F xx", "9F10", "", "9F10"},
		// A value ending in 90 00: without the last two bytes the TLV
		// breaks, so nothing is split.
		{"value ends in 9000", "9F3602" + "9000", "9F36029000", ""},
		{"no status word", "9F36020001", "9F36020001", ""},
		{"one byte", "90", "90", ""},
	}
	for _, tc := range tests {
		body, sw, ok := SplitStatusWord(mustHex(tc.resp))
		if ok != (tc.sw != "") || !bytes.Equal(body, mustHex(tc.body)) || ok && sw.String() != tc.sw {
			t.Errorf("%s: %X %v %v", tc.name, body, sw, ok)
		}
	}
	if !StatusWord(0x9000).Success() || StatusWord(0x6A82).Success() {
		t.Error("Success")
	}
}
