package receipt

import (
	"bytes"
	"strings"
	"testing"
	"text/template"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// benchSlip is the benchmark's slip: the bilingual chip sale with PIN on
// 58 mm paper, merchant copy, about 30 printed lines.
func benchPrinter(tb testing.TB) *Printer {
	p, err := NewPrinter(Config{Profile: Paper58, Language: Bilingual})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestBenchSlipShape(t *testing.T) {
	p := benchPrinter(t)
	b, err := p.AppendESCPOS(nil, chipSale())
	if err != nil {
		t.Fatal(err)
	}
	r, err := readESCPOS(b, 32)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.lines); n < 30 {
		t.Fatalf("benchmark slip has %d lines, want at least 30", n)
	}
	// The text/template baseline prints the same lines.
	tb, err := templateESCPOS(p, chipSale(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := readESCPOS(tb, 32)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(r.lines, "\n") != strings.Join(r2.lines, "\n") {
		t.Fatalf("template baseline differs:\n%s\n---\n%s", strings.Join(r2.lines, "\n"), strings.Join(r.lines, "\n"))
	}
}

func TestAppendESCPOSAllocs(t *testing.T) {
	p := benchPrinter(t)
	s := chipSale()
	buf := make([]byte, 0, 4096)
	n := testing.AllocsPerRun(100, func() {
		buf, _ = p.AppendESCPOS(buf[:0], s)
	})
	if n != 0 {
		t.Fatalf("AppendESCPOS allocates %v times per slip, want 0", n)
	}
	for _, d := range []Document{contactlessSale(), voidSlip(), refundSlip(), qrSlip(), settlementSlip(), instalmentSale(), dccSale(), transferSlip(), downloadSlip()} {
		if n := testing.AllocsPerRun(20, func() { buf, _ = p.AppendESCPOS(buf[:0], d) }); n != 0 {
			t.Errorf("AppendESCPOS(%s) allocates %v times", copyName(d), n)
		}
		if n := testing.AllocsPerRun(20, func() { buf, _ = p.AppendText(buf[:0], d) }); n != 0 {
			t.Errorf("AppendText(%s) allocates %v times", copyName(d), n)
		}
	}
}

// BenchmarkAppendESCPOS renders the slip into a reused buffer.
// Target: ≤ 3 µs and 0 allocations.
func BenchmarkAppendESCPOS(b *testing.B) {
	p := benchPrinter(b)
	s := chipSale()
	buf := make([]byte, 0, 4096)
	buf, _ = p.AppendESCPOS(buf, s)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf, _ = p.AppendESCPOS(buf[:0], s)
	}
}

// BenchmarkTemplateESCPOS is the baseline: the same lines through
// text/template, then GB18030 via golang.org/x/text, into a reused buffer.
// Ours must be at least 3× faster.
func BenchmarkTemplateESCPOS(b *testing.B) {
	p := benchPrinter(b)
	s := chipSale()
	var buf bytes.Buffer
	if _, err := templateESCPOS(p, s, &buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		templateESCPOS(p, s, &buf)
	}
}

// The baseline template: the layout rules of pair, centre and wrap written
// as template functions measuring GB18030 widths, the way a template-based
// receipt printer is usually built.
var slipTemplate = template.Must(template.New("slip").Funcs(template.FuncMap{
	"pair":   tPair,
	"centre": tCentre,
	"wrap":   tWrap,
	"rule":   func() string { return strings.Repeat("-", 32) + "\n" },
	"cmd":    func(s string) string { return s },
	"label":  func(k Key) string { return Label(Bilingual, k) },
	"mask":   func(pan string, c Copy) string { return MaskPAN(pan, MaskUnionPay, c) },
}).Parse(`{{cmd "\x1b@\x1c&\x1bE\x01\x1d!\x11"}}{{centre 16 (label 0)}}{{cmd "\x1bE\x00\x1d!\x00"}}{{centre 32 (label 2)}}{{rule}}` +
	`{{pair (printf "%s:" (label 6)) .Merchant.Name}}{{pair (printf "%s:" (label 7)) .Merchant.Number}}` +
	`{{pair (printf "%s:" (label 8)) .Merchant.TerminalID}}{{pair (printf "%s:" (label 9)) .Merchant.Operator}}{{rule}}` +
	`{{pair (printf "%s:" (label 11)) .Issuer}}{{pair (printf "%s:" (label 10)) .Acquirer}}` +
	`{{cmd "\x1bE\x01"}}{{pair (printf "%s:" (label 12)) (printf "%s %c" (mask .Card.PAN .Copy) .Card.Entry)}}` +
	`{{pair (printf "%s:" (label 14)) (label 15)}}{{cmd "\x1bE\x00"}}` +
	`{{pair (printf "%s:" (label 21)) .Batch}}{{pair (printf "%s:" (label 22)) .Voucher}}{{pair (printf "%s:" (label 23)) .AuthCode}}` +
	`{{pair (printf "%s:" (label 24)) .RRN}}{{pair (printf "%s:" (label 25)) (.Time.Format "2006/01/02 15:04:05")}}{{rule}}` +
	`{{cmd "\x1bE\x01\x1d!\x01"}}{{pair (printf "%s:" (label 26)) (.Amount.String)}}{{cmd "\x1bE\x00\x1d!\x00"}}{{rule}}` +
	`{{with .Chip}}{{pair "AID:" .AID}}{{pair (printf "%s:" (label 34)) .Label}}{{pair "TVR:" .TVR}}{{pair "TSI:" .TSI}}{{pair "ATC:" .ATC}}` +
	`{{pair (printf "%s:" .CryptogramType) .Cryptogram}}{{end}}{{rule}}` +
	`{{cmd "\x1bE\x01"}}{{wrap (label 38)}}{{cmd "\x1bE\x00"}}{{wrap (label 42)}}{{range .Footer}}{{centre 32 .}}{{end}}{{cmd "\x1bd\x03\x1dVB\x00"}}`))

func tWidth(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x80 {
			n++
		} else {
			n += 2
		}
	}
	return n
}

func tPair(l, v string) string {
	lw, vw := tWidth(l), tWidth(v)
	if lw+1+vw <= 32 {
		return l + strings.Repeat(" ", 32-lw-vw) + v + "\n"
	}
	return tWrap(l) + strings.Repeat(" ", 32-vw) + v + "\n"
}

func tCentre(cols int, s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.Repeat(" ", (cols-tWidth(line))/2))
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// tWrap breaks at spaces and between Chinese characters, like the real
// renderer, for the lines this slip holds.
func tWrap(s string) string {
	var b strings.Builder
	for _, para := range strings.Split(s, "\n") {
		w := 0
		for i, word := range strings.Fields(para) {
			if ww := tWidth(word); i > 0 && w+1+ww <= 32 {
				b.WriteByte(' ')
				w++
			} else if i > 0 {
				b.WriteByte('\n')
				w = 0
			}
			for _, r := range word {
				rw := tWidth(string(r))
				if w+rw > 32 {
					b.WriteByte('\n')
					w = 0
				}
				b.WriteRune(r)
				w += rw
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

var gbEncoder = simplifiedchinese.GB18030.NewEncoder()

func templateESCPOS(p *Printer, s *Slip, buf *bytes.Buffer) ([]byte, error) {
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	w := gbEncoder.Writer(buf)
	if err := slipTemplate.Execute(w, s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// BenchmarkAppendESCPOSTransfer renders the transfer slip (payer card and
// payee account masked, fee and total, signature line) into a reused
// buffer. Target: 0 allocations, within 1.5× of BenchmarkAppendESCPOS (the
// chip sale) in the same run: the transfer slip prints about 10% more
// lines.
func BenchmarkAppendESCPOSTransfer(b *testing.B) {
	p := benchPrinter(b)
	s := transferSlip()
	buf := make([]byte, 0, 4096)
	buf, _ = p.AppendESCPOS(buf, s)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf, _ = p.AppendESCPOS(buf[:0], s)
	}
}
