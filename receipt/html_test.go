package receipt

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// xmlText parses b as XML (our HTML is well-formed XHTML) and returns its
// character data.
func xmlText(t testing.TB, b []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	var sb strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return sb.String()
		}
		if err != nil {
			t.Fatalf("HTML is not well formed: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "script", "iframe", "img", "object", "a":
				t.Fatalf("element <%s> in output", tok.Name.Local)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Fatalf("event attribute %s in output", a.Name.Local)
				}
			}
		case xml.CharData:
			sb.Write(tok)
		}
	}
}

func TestHTMLHostileMerchant(t *testing.T) {
	hostile := []string{
		`<script>alert("x")</script>`,
		`"><img src=x onerror=alert(1)>`,
		`Tom & Jerry's <b>Café</b>`,
		`</div></body></html><iframe src="javascript:alert(1)">`,
		"]]><!-- \x00\x1b@ --><?xml?>",
		`&lt;already escaped&gt; &amp;`,
		"商户<名称>\"'&\uFFFE",
	}
	p, err := NewPrinter(Config{Language: English})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range hostile {
		s := chipSale()
		s.Merchant.Name = name
		s.Remarks = []string{name}
		s.Footer = []string{name}
		s.QR = &QR{Wallet: name, OrderNumber: name}
		b, err := p.AppendHTML(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		text := xmlText(t, b)
		// The name comes back as text, control characters made visible.
		want := strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0xFFFE {
				return '?'
			}
			return r
		}, name)
		if strings.Count(text, want) < 4 {
			t.Errorf("merchant name %q not found as text 4 times in:\n%s", want, text)
		}
	}
}

func TestHTMLShape(t *testing.T) {
	p, err := NewPrinter(Config{Profile: Paper80})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.WriteHTML(&buf, chipSale()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`<!DOCTYPE html>`, `lang="zh-CN"`, `<meta charset="utf-8"/>`, `@page{size:80mm auto`, `@media print`, `width:52ch`, `622202*********0128 I`, `RMB 128.00`, "POS签购单<br/>POS SALES SLIP"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	xmlText(t, buf.Bytes())
	// A phone shows the e-receipt at its own width, and no width breaks a
	// token: every amount, ID and date sits in a nowrap span.
	for _, want := range []string{`<meta name="viewport" content="width=device-width, initial-scale=1"/>`, `.n{white-space:nowrap}`,
		`<span class="v n">RMB 128.00</span>`, `<span class="v n">132547000456</span>`, `<span class="v n">2026/11/21 13:45:07</span>`,
		`<span class="v n">622202*********0128 I</span>`} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(out, "anywhere") || strings.Contains(out, "break-all") {
		t.Errorf("HTML lets the browser break anywhere")
	}
	st, _ := p.AppendHTML(nil, settlementSlip())
	if !strings.Contains(string(st), `<span class="n">-163.00</span>`) {
		t.Errorf("settlement amounts are not tokens:\n%s", st)
	}
	pe, _ := NewPrinter(Config{Language: English, Profile: Profile{Columns: 40}})
	b, _ := pe.AppendHTML(nil, settlementSlip())
	if out := string(b); !strings.Contains(out, `lang="en"`) || strings.Contains(out, "@page") {
		t.Errorf("English custom-profile HTML head wrong")
	}
	xmlText(t, b)
}
