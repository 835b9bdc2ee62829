package main

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/poskit/poskit/iso8583"
)

// An informational element of an unexpected length (a 4-byte 9F1E, as a
// NIBSS response carries) is logged and the sale goes on; chip data that
// is not TLV is refused with 30.
func TestHostField55Findings(t *testing.T) {
	var log bytes.Buffer
	h, err := NewHost(SpecASCII, DUKPTTDES, &tracer{w: &log})
	if err != nil {
		t.Fatal(err)
	}
	icc, _ := hex.DecodeString("9F2608C20039270FE384D5" + "9F1E0431323334" + "9F360200A5")
	req := &iso8583.Transaction{STAN: "000042", ICC: icc}
	if code := h.checkField55("peer", req); code != "00" {
		t.Errorf("code %s for an odd 9F1E, want 00", code)
	}
	if !strings.Contains(log.String(), "field 55") || !strings.Contains(log.String(), "9F1E") {
		t.Errorf("finding not logged: %q", log.String())
	}
	req.ICC = []byte{0x9F, 0x26, 0x08, 0x01}
	if code := h.checkField55("peer", req); code != "30" {
		t.Errorf("code %s for truncated TLV, want 30", code)
	}
}
