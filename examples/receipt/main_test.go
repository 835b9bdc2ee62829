package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(&out, []string{"-dir", dir}); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	txt, bin, html := read("slip.txt"), read("slip.bin"), read("slip.html")

	// the text slip is what the command printed, masked 6+4 (UnionPay)
	if !strings.Contains(out.String(), string(txt)) {
		t.Error("the printed slip differs from slip.txt")
	}
	for _, want := range []string{"622202*********0128", "商户存根(MERCHANT COPY)", "RMB 35.00", "免签(NO SIGNATURE REQUIRED)"} {
		if !bytes.Contains(txt, []byte(want)) {
			t.Errorf("slip.txt lacks %q", want)
		}
	}
	// ESC/POS starts with ESC @ (initialise) and carries GB18030, not UTF-8
	if !bytes.HasPrefix(bin, []byte{0x1B, 0x40}) {
		t.Errorf("slip.bin starts % X", bin[:2])
	}
	if bytes.Contains(bin, []byte("签购单")) || !bytes.Contains(bin, []byte{0xC7, 0xA9, 0xB9, 0xBA, 0xB5, 0xA5}) {
		t.Error("slip.bin: want 签购单 in GB18030")
	}
	if !bytes.Contains(html, []byte("<html")) || !bytes.Contains(html, []byte("622202*********0128")) {
		t.Error("slip.html: want an HTML page with the masked card")
	}
	// the logo is a raster image on paper (GS v 0), SVG in the e-receipt,
	// as is the QR code
	if !bytes.Contains(bin, []byte{0x1D, 'v', '0', 0, 24, 0, 64, 0}) || bytes.Count(html, []byte("<svg")) != 2 {
		t.Error("logo or QR code missing")
	}
	settle := read("settlement.txt")
	for _, want := range []string{"结算总计单", "-10000000.00", "借记卡(DEBIT)"} {
		if !bytes.Contains(append(settle, txt...), []byte(want)) {
			t.Errorf("settlement.txt or slip.txt lack %q", want)
		}
	}
	for name, b := range map[string][]byte{"txt": txt, "bin": bin, "html": html} {
		if bytes.Contains(b, []byte("6222021234567890128")) {
			t.Errorf("slip.%s shows the full PAN", name)
		}
	}
}

func TestOptions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "dir")
	var out bytes.Buffer
	if err := run(&out, []string{"-dir", dir, "-lang", "en", "-paper", "80"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "slip.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("商户")) || !bytes.Contains(b, []byte("MERCHANT COPY")) {
		t.Errorf("-lang en:\n%s", b)
	}
	if err := run(&out, []string{"-dir", dir, "-lang", "both-hant"}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "slip.txt")); !bytes.Contains(b, []byte("商戶存根(MERCHANT COPY)")) {
		t.Errorf("-lang both-hant:\n%s", b)
	}
	for _, args := range [][]string{{"-lang", "fr"}, {"-paper", "60"}, {"-x"}} {
		if err := run(&out, append(args, "-dir", t.TempDir())); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}
