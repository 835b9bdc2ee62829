package keyblock

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// ANSI X9.143:2021 8.6 (as transcribed by openemv/tr31,
// test/tr31_decrypt_test.c, test 18): an ECC private key (usage S0,
// algorithm E, mode S) under an AES-256 KBPK, with a certificate chain in an
// extended-length CT block, the KBPK's CMAC check value in KP, a time stamp
// and a padding block.
func TestX9143Asymmetric(t *testing.T) {
	raw, err := os.ReadFile("testdata/x9143-8.6.txt")
	if err != nil {
		t.Fatal(err)
	}
	kb := strings.TrimSpace(string(raw))
	kbpk := unhex(t, "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6")
	h, key, err := Unwrap(kbpk, kb)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, "307702010104202D493257A45B34C11B6526A03DB4D8AE16EE87A0C16BDF1BE23C2DD8B164A2D3A00A06082A8648CE3D030107A14403420004423F48BAC7E9F21303DCBA6370677AEA13FF9F841D27A9671098792B2D1A5976B15BE648365659"+
		"26CDEA587915BFF36A0AC38E343F819B5620E4DFDB02F5BD21")
	if !bytes.Equal(key, want) {
		t.Fatalf("key %d bytes, want %d", len(key), len(want))
	}
	if h.Usage != "S0" || h.Algorithm != 'E' || h.Mode != 'S' || h.Exportability != 'N' || len(h.Blocks) != 3 {
		t.Fatalf("header %v, %d blocks", h, len(h.Blocks))
	}
	if kp, _ := h.Find("KP"); kp != "012331550BC9" {
		t.Errorf("KP %q", kp)
	}
	if ts, _ := h.Find("TS"); ts != "20200818004100Z" {
		t.Errorf("TS %q", ts)
	}
	if ct, _ := h.Find("CT"); len(ct) != 0x5CC-10 || !strings.HasPrefix(ct, "020002F0MIIC") {
		t.Errorf("CT %d characters", len(ct))
	}
	// The KP block checks the KBPK: change it and the block is refused.
	bad := strings.Replace(kb, "KP10012331550BC9", "KP10012331550BC8", 1)
	if _, _, err := Unwrap(kbpk, bad); err == nil {
		t.Error("modified KP accepted")
	}
}

// ANSI X9.143:2021 8.5 (as transcribed by openemv/tr31,
// test/tr31_decrypt_test.c, test 17): an RSA
// private key (usage S0, algorithm R, mode S) under an AES-128 KBPK, with the
// certificate in an extended-length CT block, KP, TS and a padding block.
// The key is 1192 bytes of DER; its first and last bytes are checked (the
// MAC covers the rest).
func TestX9143RSA(t *testing.T) {
	raw, err := os.ReadFile("testdata/x9143-8.5.txt")
	if err != nil {
		t.Fatal(err)
	}
	kb := strings.TrimSpace(string(raw))
	h, key, err := Unwrap(unhex(t, "FA36E44278DB3AB5F298F9F7DA8F1F88"), kb)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 1192 || !bytes.HasPrefix(key, unhex(t, "308204A40201000282010100D6C460FB")) ||
		!bytes.HasSuffix(key, unhex(t, "1641B00E23636A68")) {
		t.Fatalf("key: %d bytes", len(key))
	}
	if h.Usage != "S0" || h.Algorithm != 'R' || h.Mode != 'S' || len(h.Blocks) != 3 {
		t.Fatalf("header %v, %d blocks", h, len(h.Blocks))
	}
	if kp, _ := h.Find("KP"); kp != "01D77F007724" {
		t.Errorf("KP %q", kp)
	}
	if ts, _ := h.Find("TS"); ts != "20200818221218Z" {
		t.Errorf("TS %q", ts)
	}
}
