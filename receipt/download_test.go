package receipt

import (
	"errors"
	"strings"
	"testing"
)

// TestDownloadSlip checks the lines of the download result slip, both
// outcomes, and its errors.
func TestDownloadSlip(t *testing.T) {
	p, err := NewPrinter(Config{Language: English, Profile: Paper80})
	if err != nil {
		t.Fatal(err)
	}
	text, esc := renderLines(t, p, downloadSlip())
	for _, w := range []string{
		pairLine("OPERATOR NO.:", "01", 48),
		pairLine("CA KEYS:", "18", 48),
		pairLine("AID PARAMETERS:", "7", 48),
		pairLine("HOT LIST VERSION:", "2026112101", 48),
		"               DOWNLOAD COMPLETE",
	} {
		if !containsLine(text, w) || !containsLine(esc, w) {
			t.Errorf("download slip lacks %q:\n%s", w, strings.Join(text, "\n"))
		}
	}
	if trimmed(text)[0] != "DOWNLOAD SLIP" || trimmed(esc)[0] != "DOWNLOAD SLIP" {
		t.Errorf("title: %q %q", text[0], esc[0])
	}
	// A failed download with nothing loaded: zero counts print, the hot
	// list line does not, and the reason follows the failure line.
	s := &DownloadSlip{Merchant: testMerchant, Failure: "AID 下载中断 (host timeout)", Reprint: true}
	pz, _ := NewPrinter(Config{Language: Chinese})
	text, esc = renderLines(t, pz, s)
	for _, w := range []string{pairLine("公钥:", "0", 32), pairLine("AID参数:", "0", 32), "            下载失败", "AID 下载中断 (host timeout)", "             重打印"} {
		if !containsLine(text, w) || !containsLine(esc, w) {
			t.Errorf("failed download lacks %q:\n%s", w, strings.Join(text, "\n"))
		}
	}
	if linesHolding(text, "黑名单") != 0 || linesHolding(text, "下载成功") != 0 || linesHolding(text, "日期") != 0 {
		t.Errorf("failed download:\n%s", strings.Join(text, "\n"))
	}
	h, err := p.AppendHTML(nil, downloadSlip())
	if err != nil || !strings.Contains(string(h), "<title>DOWNLOAD SLIP</title>") {
		t.Errorf("HTML: %v\n%.300s", err, h)
	}
	for _, d := range []Document{(*DownloadSlip)(nil), &DownloadSlip{CAKeys: -1}, &DownloadSlip{AIDs: -1}} {
		want := ErrAmount
		if d.(*DownloadSlip) == nil {
			want = ErrNil
		}
		for form, f := range map[string]func([]byte, Document) ([]byte, error){"text": p.AppendText, "escpos": p.AppendESCPOS, "html": p.AppendHTML} {
			if out, err := f([]byte("keep"), d); !errors.Is(err, want) || string(out) != "keep" {
				t.Errorf("%s %+v: %v %q", form, d, err, out)
			}
		}
	}
	// A hot-list version wider than the paper is refused, never split.
	s = downloadSlip()
	s.HotListVersion = strings.Repeat("9", 33)
	if _, err := pz.AppendText(nil, s); !errors.Is(err, ErrTooNarrow) {
		t.Errorf("long version: %v", err)
	}
}
