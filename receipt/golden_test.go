package receipt

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var goldenProfiles = []Profile{Paper58, Paper80x42, Paper80}
var goldenLangs = []struct {
	name string
	l    Language
}{{"bi", Bilingual}, {"zh", Chinese}, {"en", English}}

var goldenDocs = []struct {
	name string
	doc  func() Document
}{
	{"chip_sale_pin", func() Document { return chipSale() }},
	{"contactless_nocvm", func() Document { return contactlessSale() }},
	{"void", func() Document { return voidSlip() }},
	{"refund", func() Document { return refundSlip() }},
	{"qr_payment", func() Document { return qrSlip() }},
	{"settlement", func() Document { return settlementSlip() }},
	{"instalment_fee_credit", func() Document { return instalmentSale() }},
	{"dcc_debit", func() Document { return dccSale() }},
	{"transfer_fee_pin", func() Document { return transferSlip() }},
	{"download_report", func() Document { return downloadSlip() }},
}

// goldenPolicy: PCI masking (last 4 on the cardholder copy), no signature
// at or below RMB 100.00 (test configuration, not a scheme rule).
var goldenPolicy = Policy{Mask: MaskPCI, NoSignatureLimit: 10000}

// copiesOf returns d once per copy (a settlement has no copies).
func copiesOf(d Document) []Document {
	s, ok := d.(*Slip)
	if !ok {
		return []Document{d}
	}
	var out []Document
	for c := MerchantCopy; c < numCopies; c++ {
		cp := *s
		cp.Copy = c
		out = append(out, &cp)
	}
	return out
}

var copyNames = [numCopies]string{"merchant copy", "cardholder copy", "bank copy"}

func copyName(d Document) string {
	switch d := d.(type) {
	case *Slip:
		return copyNames[d.Copy]
	case *DownloadSlip:
		return "download"
	}
	return "settlement"
}

func TestGolden(t *testing.T) {
	for _, prof := range goldenProfiles {
		for _, lang := range goldenLangs {
			p, err := NewPrinter(Config{Profile: prof, Language: lang.l, Policy: goldenPolicy})
			if err != nil {
				t.Fatal(err)
			}
			for _, gd := range goldenDocs {
				base := fmt.Sprintf("%s_%dcol_%s", gd.name, prof.Columns, lang.name)
				var txt, esc, htm bytes.Buffer
				for _, d := range copiesOf(gd.doc()) {
					name := copyName(d)
					tb, err := p.AppendText(nil, d)
					if err != nil {
						t.Fatalf("%s %s: %v", base, name, err)
					}
					eb, err := p.AppendESCPOS(nil, d)
					if err != nil {
						t.Fatalf("%s %s: %v", base, name, err)
					}
					hb, err := p.AppendHTML(nil, d)
					if err != nil {
						t.Fatalf("%s %s: %v", base, name, err)
					}
					checkTextWidth(t, base+" "+name, tb, prof.Columns)
					r, err := readESCPOSDump(eb, prof.Columns, true)
					if err != nil {
						t.Fatalf("%s %s: %v", base, name, err)
					}
					if !r.cut {
						t.Errorf("%s %s: no cut", base, name)
					}
					if s, ok := d.(*Slip); ok && s.Card.PAN != "" {
						for form, out := range map[string]string{"text": string(tb), "escpos": strings.Join(r.lines, "\n"), "html": string(hb)} {
							if strings.Contains(out, s.Card.PAN) || strings.Contains(out, s.Card.PAN[6:len(s.Card.PAN)-4]) {
								t.Errorf("%s %s %s: PAN not masked", base, name, form)
							}
							if a := s.Payee; a != nil && (strings.Contains(out, a.Account) || strings.Contains(out, a.Account[6:len(a.Account)-4])) {
								t.Errorf("%s %s %s: payee account not masked", base, name, form)
							}
						}
					}
					fmt.Fprintf(&txt, "%s\n", banner(name, prof.Columns))
					txt.Write(tb)
					fmt.Fprintf(&esc, "# ===== %s: %d bytes =====\n", name, len(eb))
					esc.WriteString(r.dump.String())
					fmt.Fprintf(&htm, "<!-- ===== %s ===== -->\n", name)
					htm.Write(hb)
				}
				golden(t, base+".txt", txt.Bytes())
				golden(t, base+".escpos.txt", esc.Bytes())
				golden(t, base+".html", htm.Bytes())
			}
		}
	}
}

func banner(name string, cols int) string {
	s := "=== " + name + " "
	return s + strings.Repeat("=", max(0, cols-len(s)))
}

func checkTextWidth(t *testing.T, what string, b []byte, cols int) {
	t.Helper()
	for i, l := range textLines(b) {
		if w := TextWidth(l); w > cols {
			t.Errorf("%s: text line %d is %d columns, over %d: %q", what, i+1, w, cols, l)
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got %q\nwant %q", name, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length: %d lines, want %d", name, len(gl), len(wl))
	}
}

// TestESCPOSMatchesText decodes the printer bytes back through GB18030 and
// checks they say what the text renderer says, line for line (the two lay
// out independently measured widths; on these slips they agree but for
// centring of double-width titles, hence the trim).
func TestESCPOSMatchesText(t *testing.T) {
	for _, prof := range goldenProfiles {
		for _, lang := range goldenLangs {
			p, err := NewPrinter(Config{Profile: prof, Language: lang.l, Policy: goldenPolicy})
			if err != nil {
				t.Fatal(err)
			}
			for _, gd := range goldenDocs {
				for _, d := range copiesOf(gd.doc()) {
					if s, ok := d.(*Slip); ok {
						s.QRCode, s.Barcode = "", ""
					}
					tb, _ := p.AppendText(nil, d)
					eb, _ := p.AppendESCPOS(nil, d)
					r, err := readESCPOS(eb, prof.Columns)
					if err != nil {
						t.Fatal(err)
					}
					got, want := trimmed(r.lines), trimmed(textLines(tb))
					if !slices.Equal(got, want) {
						t.Errorf("%s %d %s %s:\nescpos %q\ntext   %q", gd.name, prof.Columns, lang.name, copyName(d), got, want)
					}
				}
			}
		}
	}
}
