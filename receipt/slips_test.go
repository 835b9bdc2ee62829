package receipt

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"
)

// lineHolding returns the lines of out that hold tok whole.
func linesHolding(lines []string, tok string) int {
	n := 0
	for _, l := range lines {
		n += strings.Count(l, tok)
	}
	return n
}

// renderLines renders d as text and as ESC/POS (read back by the test
// interpreter, which checks every line fits, one cut and no stray
// command) and returns both sets of lines.
func renderLines(t *testing.T, p *Printer, d Document) (text, esc []string) {
	t.Helper()
	tb, err := p.AppendText(nil, d)
	if err != nil {
		t.Fatal(err)
	}
	checkTextWidth(t, "text", tb, p.cols)
	eb, err := p.AppendESCPOS(nil, d)
	if err != nil {
		t.Fatal(err)
	}
	r, err := readESCPOS(eb, p.cols)
	if err != nil {
		t.Fatal(err)
	}
	if r.cut != p.cut {
		t.Fatalf("cut %v, want %v", r.cut, p.cut)
	}
	return textLines(tb), r.lines
}

// TestTokensNeverSplit renders slips and settlement slips with amounts of
// 1 to 18 digits at 24, 32, 42 and 48 columns in every language: each
// amount, count, ID and date appears whole on one line, in the text and in
// the ESC/POS output. The settlement case of issue #18 ("REFUND 1
// -10000000.0" then "0" on 58 mm) is the 10-digit refund.
func TestTokensNeverSplit(t *testing.T) {
	for _, cols := range []int{24, 32, 42, 48} {
		for l := Language(0); l < numLanguages; l++ {
			p, err := NewPrinter(Config{Profile: Profile{Columns: cols}, Language: l, Policy: goldenPolicy})
			if err != nil {
				t.Fatal(err)
			}
			for nd := 1; nd <= 18; nd++ {
				v := int64(1)
				for k := 1; k < nd; k++ {
					v = v*10 + int64(k%10)
				}
				checkSlipTokens(t, p, v)
				checkSettlementTokens(t, p, min(v, maxTotal/4))
			}
		}
	}
}

func checkSlipTokens(t *testing.T, p *Printer, v int64) {
	t.Helper()
	for _, s := range []*Slip{chipSale(), voidSlip(), refundSlip(), instalmentSale(), dccSale(), transferSlip()} {
		s.Amount.Minor, s.Tip = v, 1
		if s.Fee > 0 {
			s.Fee = 2
		}
		neg := s.Type == Void || s.Type == Refund
		toks := []string{
			string(appendAmount(nil, "RMB", 2, v, neg)),
			string(appendAmount(nil, "RMB", 2, v+1+s.Fee, neg)),
			"2026/11/", s.Voucher, s.RRN, s.Merchant.Number,
		}
		text, esc := renderLines(t, p, s)
		for _, tok := range toks {
			if linesHolding(text, tok) == 0 || linesHolding(esc, tok) == 0 {
				t.Fatalf("%d columns, language %d: %q not whole on a line:\n%s", p.cols, p.lang, tok, strings.Join(text, "\n"))
			}
		}
	}
}

func checkSettlementTokens(t *testing.T, p *Printer, v int64) {
	t.Helper()
	st := &SettlementSlip{Currency: CNY, Totals: []Total{
		{Group: Domestic, Type: Sale, Count: v / 7, Amount: v},
		{Group: Domestic, Type: Refund, Count: 1, Amount: v / 3},
		{Group: QRPay, Type: Void, Count: v, Amount: 5},
	}}
	toks := []string{
		string(appendMinor(nil, v, 2, false)), string(appendMinor(nil, v/3, 2, true)),
		string(appendMinor(nil, v-v/3, 2, false)), string(appendMinor(nil, v-v/3-5, 2, false)),
		string(appendUint(nil, uint64(v/7))), string(appendUint(nil, uint64(v/7+1+v))),
	}
	text, esc := renderLines(t, p, st)
	for _, tok := range toks {
		if linesHolding(text, " "+tok) == 0 || linesHolding(esc, " "+tok) == 0 {
			t.Fatalf("%d columns, language %d: %q not whole on a line:\n%s", p.cols, p.lang, tok, strings.Join(text, "\n"))
		}
	}
}

// TestIssue18SettlementSplit is the reported case: a refund of
// 10,000,000.00 on 58 mm paper printed "REFUND 1 -10000000.0" and "0".
func TestIssue18SettlementSplit(t *testing.T) {
	p, _ := NewPrinter(Config{Language: English})
	st := &SettlementSlip{Currency: CNY, Totals: []Total{{Group: Domestic, Type: Refund, Count: 1, Amount: 1000000000}}}
	b, err := p.AppendText(nil, st)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\nREFUND            1 -10000000.00\n") {
		t.Errorf("refund row:\n%s", b)
	}
	// At 24 columns even "3.00" split; it no longer does.
	p24, _ := NewPrinter(Config{Language: Bilingual, Profile: Profile{Columns: 24}})
	st.Totals[0].Amount = 300
	b, _ = p24.AppendText(nil, st)
	if !strings.Contains(string(b), " -3.00\n") {
		t.Errorf("24 columns:\n%s", b)
	}
}

// TestTooNarrow: a token wider than the line is refused, never split.
func TestTooNarrow(t *testing.T) {
	p, _ := NewPrinter(Config{Profile: Profile{Columns: 24}, Language: English})
	s := qrSlip()
	s.QR.OrderNumber = strings.Repeat("9", 25)
	for name, f := range map[string]func([]byte, Document) ([]byte, error){"text": p.AppendText, "escpos": p.AppendESCPOS} {
		out, err := f([]byte("keep"), s)
		if !errors.Is(err, ErrTooNarrow) || string(out) != "keep" {
			t.Errorf("%s: %v %q", name, err, out)
		}
		if err != nil && (strings.Count(err.Error(), "receipt:") != 1 || !strings.Contains(err.Error(), "ORDER NO. needs 25 columns, the line has 24")) {
			t.Errorf("%s: error %q", name, err)
		}
	}
	s.QR.OrderNumber = strings.Repeat("9", 24) // fits alone under its label
	if _, err := p.AppendText(nil, s); err != nil {
		t.Error(err)
	}
	s.Amount.Currency.Symbol = "RMB RMB RMB RMB RMB RMB" // one token with the digits
	if _, err := p.AppendText(nil, s); !errors.Is(err, ErrTooNarrow) {
		t.Errorf("long symbol: %v", err)
	}
}

// TestBidiNeutralised: bidirectional controls and line separators in caller
// text never reach any renderer's output ("RMB 100.00" must not read
// "00.001 BMR").
func TestBidiNeutralised(t *testing.T) {
	bad := []rune{0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029}
	s := chipSale()
	var sb strings.Builder
	for _, r := range bad {
		sb.WriteString("x")
		sb.WriteRune(r)
	}
	s.Merchant.Name = "RMB \u202e00.001"
	s.Remarks = []string{sb.String()}
	s.Footer = []string{"a\u2028b\u2029c"}
	s.QR = &QR{Wallet: "\u2067WeChat\u2069"}
	for _, cp := range []CodePage{GB18030, PC437} {
		p, err := NewPrinter(Config{Language: English, CodePage: cp, Header: []string{"\u202dHEAD"}, Footer: []string{"\u200fFOOT"}})
		if err != nil {
			t.Fatal(err)
		}
		text, esc := renderLines(t, p, s)
		hb, err := p.AppendHTML(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string]string{"text": strings.Join(text, "\n"), "escpos": strings.Join(esc, "\n"), "html": string(hb)} {
			for _, r := range bad {
				if strings.ContainsRune(out, r) {
					t.Errorf("code page %d %s: U+%04X in output", cp, name, r)
				}
			}
			if !strings.Contains(out, "RMB ?00.001") || !strings.Contains(out, strings.Repeat("x?", len(bad))) || !strings.Contains(out, "a?b?c") {
				t.Errorf("code page %d %s: controls not shown as '?':\n%s", cp, name, out)
			}
		}
	}
}

// TestCodePageLabels: a code page that cannot print the chosen labels is
// an error at NewPrinter, never a slip of "????".
func TestCodePageLabels(t *testing.T) {
	for cp := CodePage(0); cp < numCodePages; cp++ {
		for l := Language(0); l < numLanguages; l++ {
			_, err := NewPrinter(Config{CodePage: cp, Language: l})
			want := cp != GB18030 && l != English
			if want != errors.Is(err, ErrCodePage) || (!want && err != nil) {
				t.Errorf("code page %d language %d: %v", cp, l, err)
			}
		}
	}
	if _, err := NewPrinter(Config{CodePage: PC437, Language: English, Labels: map[Key]string{KeyTotal: "TOTAL €"}}); !errors.Is(err, ErrCodePage) {
		t.Errorf("euro on PC437: %v", err)
	}
	if _, err := NewPrinter(Config{CodePage: PC858, Language: English, Labels: map[Key]string{KeyTotal: "TOTAL €"}}); err != nil {
		t.Errorf("euro on PC858: %v", err)
	}
	if _, err := NewPrinter(Config{Labels: map[Key]string{KeyTotal: "TOTAL 😀"}}); !errors.Is(err, ErrCodePage) {
		t.Errorf("4-byte GB18030 code in a label: %v", err)
	}
	_, err := NewPrinter(Config{Labels: map[Key]string{KeyTotal: "TOTAL\x1b@"}})
	if !errors.Is(err, ErrLabel) {
		t.Errorf("control in a label: %v", err)
	}
}

// TestCodesCarryNoCommands: QR code and barcode payloads holding ESC @
// (initialise), GS V (cut) or ESC p (drawer kick), any control byte,
// invalid UTF-8 or a bidirectional control are refused before anything is
// printed.
func TestCodesCarryNoCommands(t *testing.T) {
	p, _ := NewPrinter(Config{})
	for _, bad := range []string{"\x1b@", "https://x/\x1dV\x42\x00", "\x1bp\x00\x19\xfa", "a\nb", "\x7f", "\u0085", "\xff", "\u202eabc", "a\u2028b"} {
		for _, barcode := range []bool{false, true} {
			s := qrSlip()
			if barcode {
				s.Barcode = bad
			} else {
				s.QRCode = bad
			}
			for name, f := range map[string]func([]byte, Document) ([]byte, error){"text": p.AppendText, "escpos": p.AppendESCPOS, "html": p.AppendHTML} {
				if _, err := f(nil, s); !errors.Is(err, ErrCode) {
					t.Errorf("%s barcode=%v %q: %v", name, barcode, bad, err)
				}
			}
		}
	}
}

// TestSignatureRules is the verification block per kind, CVM and copy.
// Only a sale can be exempt from signature: UnionPay's 小额免密免签 (QPS)
// covers purchases at or below the limit (China UnionPay notice of
// 2018-04-08 raising the limit from 300 to 1000 yuan, unionpayintl.com), as
// Visa's and Mastercard's no-signature programmes do; a void, refund,
// pre-authorisation or completion is a different transaction and keeps its
// signature line (issue #18: a void slip printed 免签).
func TestSignatureRules(t *testing.T) {
	p, _ := NewPrinter(Config{Language: English, Policy: Policy{NoSignatureLimit: 100000}})
	const (
		none = iota
		noSig
		sigLine
	)
	tests := []struct {
		kind Kind
		cvm  CVM
		c    Copy
		want int
	}{
		{Sale, CVMNone, MerchantCopy, noSig},
		{Sale, CVMSignature, MerchantCopy, noSig},
		{Sale, CVMSignature, CardholderCopy, noSig},
		{Sale, CVMPIN, MerchantCopy, none},
		{Sale, CVMUnknown, MerchantCopy, none},
		{Void, CVMNone, MerchantCopy, sigLine},
		{Void, CVMSignature, MerchantCopy, sigLine},
		{Void, CVMSignature, CardholderCopy, none},
		{Void, CVMPIN, MerchantCopy, none},
		{Refund, CVMSignature, BankCopy, sigLine},
		{PreAuth, CVMNone, MerchantCopy, sigLine},
		{Completion, CVMSignature, MerchantCopy, sigLine},
	}
	for _, tt := range tests {
		s := chipSale()
		s.Type, s.CVM, s.Copy = tt.kind, tt.cvm, tt.c
		b, err := p.AppendText(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		out := string(b)
		got := none
		switch {
		case strings.Contains(out, "NO SIGNATURE REQUIRED"):
			got = noSig
		case strings.Contains(out, "CARDHOLDER SIGNATURE"):
			got = sigLine
		}
		if got != tt.want {
			t.Errorf("kind %d CVM %d copy %d: got %d, want %d:\n%s", tt.kind, tt.cvm, tt.c, got, tt.want, out)
		}
	}
	// Chinese labels: the void slip of issue #18.
	pz, _ := NewPrinter(Config{Language: Chinese, Policy: Policy{NoSignatureLimit: 100000}})
	b, _ := pz.AppendText(nil, voidSlip())
	if strings.Contains(string(b), "免签") || !strings.Contains(string(b), "持卡人签名") {
		t.Errorf("void slip:\n%s", b)
	}
}

// TestExpiry: the expiry is YYMM with a month of 01 to 12; "2899" is an
// error, not "2028/99".
func TestExpiry(t *testing.T) {
	p, _ := NewPrinter(Config{Language: English, Policy: Policy{ShowExpiry: true}})
	for _, e := range []string{"2899", "2800", "2813", "28x2", "281", "28123", "２８１２"} {
		s := chipSale()
		s.Card.Expiry = e
		if _, err := p.AppendText(nil, s); !errors.Is(err, ErrExpiry) {
			t.Errorf("expiry %q: %v", e, err)
		}
	}
	for e, want := range map[string]string{"2801": "2028/01", "2812": "2028/12", "0009": "2000/09"} {
		s := chipSale()
		s.Card.Expiry = e
		b, err := p.AppendText(nil, s)
		if err != nil || !strings.Contains(string(b), "EXP. DATE:") || !strings.Contains(string(b), want) {
			t.Errorf("expiry %q: %v\n%s", e, err, b)
		}
	}
}

// TestNewSlipLines checks the lines real terminals print: funding, fee,
// instalments, DCC disclosure, header and footer lines, Traditional
// Chinese labels.
func TestNewSlipLines(t *testing.T) {
	p, err := NewPrinter(Config{Language: English, Profile: Paper80, Header: []string{"WELCOME"}, Footer: []string{"HOTLINE 95534"}})
	if err != nil {
		t.Fatal(err)
	}
	text, _ := renderLines(t, p, instalmentSale())
	out := strings.Join(text, "\n") + "\n"
	for _, want := range []string{
		"                    WELCOME\n",
		"CARD TYPE:                                CREDIT\n",
		"AMOUNT:                             RMB 12800.00\n",
		"FEE:                                   RMB 64.00\n",
		"TOTAL:                              RMB 12864.00\n",
		"INSTALMENTS:                                  12\n",
		"FIRST PAYMENT:                       RMB 1072.00\n",
		"EACH PAYMENT:                        RMB 1067.00\n",
		"INSTALMENT FEE:                       RMB 384.00\n",
		"                 HOTLINE 95534\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("instalment slip lacks %q:\n%s", want, out)
		}
	}
	text, _ = renderLines(t, p, dccSale())
	out = strings.Join(text, "\n") + "\n"
	for _, want := range []string{
		"CARD TYPE:                                 DEBIT\n",
		"EXCH. RATE:                 1 CNY = 0.143750 USD\n",
		"MARKUP:                                    3.50%\n",
		"REFERENCE RATE:                              ECB\n",
		"CARDHOLDER AMOUNT:                     USD 18.40\n",
		"I WAS OFFERED A CHOICE OF CURRENCY AND AGREE TO\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("DCC slip lacks %q:\n%s", want, out)
		}
	}
	ph, err := NewPrinter(Config{Language: BilingualTraditional})
	if err != nil {
		t.Fatal(err)
	}
	text, esc := renderLines(t, ph, dccSale())
	for _, want := range []string{"POS簽購單", "卡類別(CARD TYPE): 借記卡(DEBIT)", "交易類型(TRANS TYPE): 消費(SALE)", "匯率(EXCH. RATE):"} {
		if linesHolding(text, want) == 0 || linesHolding(esc, want) == 0 {
			t.Errorf("Traditional slip lacks %q:\n%s", want, strings.Join(esc, "\n"))
		}
	}
	s := dccSale()
	for _, bad := range []DCC{{Rate: "", Markup: "1"}, {Rate: "1.2.3", Markup: "1"}, {Rate: ".5", Markup: "1"}, {Rate: "1", Markup: "-1"}, {Rate: "1234567890123", Markup: "1"}} {
		bad.Amount = s.DCC.Amount
		s.DCC = &bad
		if _, err := p.AppendText(nil, s); !errors.Is(err, ErrDCC) {
			t.Errorf("DCC %+v: %v", bad, err)
		}
	}
	s.DCC = &DCC{Amount: Amount{Currency: Currency{Code: "XAU"}}, Rate: "1", Markup: "1"}
	if _, err := p.AppendText(nil, s); !errors.Is(err, ErrCurrency) {
		t.Errorf("DCC in gold: %v", err)
	}
	i := instalmentSale()
	i.Installment.Periods = 1
	if _, err := p.AppendText(nil, i); !errors.Is(err, ErrAmount) {
		t.Errorf("1 instalment: %v", err)
	}
	i = instalmentSale()
	i.Card.Funding = numFundings
	if _, err := p.AppendText(nil, i); !errors.Is(err, ErrFunding) {
		t.Errorf("funding: %v", err)
	}
}

// testLogo is a 40×10 image: a black frame, a transparent hole in the
// middle (prints white) and a mid-grey band (prints white, lighter than
// mid grey).
func testLogo() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 10))
	for y := 0; y < 10; y++ {
		for x := 0; x < 40; x++ {
			c := color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
			switch {
			case x == 0 || y == 0 || x == 39 || y == 9:
				c = color.NRGBA{0, 0, 0, 0xFF}
			case x >= 10 && x < 20:
				c = color.NRGBA{0, 0, 0, 0x10} // nearly transparent black
			case x >= 20 && x < 30:
				c = color.NRGBA{0x90, 0x90, 0x90, 0xFF}
			case x >= 30:
				c = color.NRGBA{0x20, 0x20, 0x20, 0xFF}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func TestLogo(t *testing.T) {
	img := testLogo()
	p, err := NewPrinter(Config{Logo: img})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.AppendESCPOS(nil, chipSale())
	if err != nil {
		t.Fatal(err)
	}
	r, err := readESCPOS(b, 32)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.images) != 1 || r.images[0].w != 40 || r.images[0].h != 10 {
		t.Fatalf("images %+v", r.images)
	}
	im := r.images[0]
	for y := 0; y < 10; y++ {
		for x := 0; x < 40; x++ {
			want := x == 0 || y == 0 || x == 39 || y == 9 || x >= 30
			if got := im.bits[y*5+x/8]&(0x80>>(x%8)) != 0; got != want {
				t.Fatalf("logo dot (%d,%d) = %v, want %v", x, y, got, want)
			}
		}
	}
	if !bytes.HasPrefix(b, []byte{0x1B, '@', 0x1C, '&', 0x1B, 'a', 1, 0x1D, 'v', '0', 0, 5, 0, 10, 0}) {
		t.Errorf("logo command % X", b[:16])
	}
	// The HTML logo is the same dots as SVG.
	h, err := p.AppendHTML(nil, chipSale())
	if err != nil {
		t.Fatal(err)
	}
	xmlText(t, h)
	grid := svgGrid(t, h, "logo", 0)
	for y := 0; y < 10; y++ {
		for x := 0; x < 40; x++ {
			if grid[y][x] != (im.bits[y*5+x/8]&(0x80>>(x%8)) != 0) {
				t.Fatalf("SVG logo dot (%d,%d) differs", x, y)
			}
		}
	}
	// Wider than the paper: scaled to 384 dots; too high or empty: refused.
	wide := image.NewGray(image.Rect(0, 0, 800, 100))
	p, err = NewPrinter(Config{Logo: wide})
	if err != nil || p.logo.w != 384 || p.logo.h != 48 {
		t.Errorf("wide logo: %v %+v", err, p.logo)
	}
	for _, bad := range []image.Image{image.NewGray(image.Rect(0, 0, 0, 0)), image.NewGray(image.Rect(0, 0, 10, 1025)), image.NewGray(image.Rect(0, 0, 4000, 1))} {
		if _, err := NewPrinter(Config{Logo: bad}); !errors.Is(err, ErrLogo) {
			t.Errorf("logo %v: %v", bad.Bounds(), err)
		}
	}
}

func TestCurrencyFromISO4217(t *testing.T) {
	// ISO 4217 list one (SIX Group, 2024-06-25): BHD 3, JPY 0, CLF 4.
	for code, want := range map[string]string{"BHD": "BHD 1.234", "JPY": "JPY 1234", "CLF": "CLF 0.1234", "CNY": "CNY 12.34"} {
		c, err := CurrencyOf(code)
		if err != nil {
			t.Fatal(err)
		}
		if got := (Amount{Minor: 1234, Currency: c}).String(); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
		c.Digits = 0 // zero takes the digits from ISO 4217
		if got := (Amount{Minor: 1234, Currency: c}).String(); got != want {
			t.Errorf("%s digits 0: %q, want %q", code, got, want)
		}
	}
	for _, code := range []string{"XAU", "ABC", "cny", "", "\x1b@"} {
		if _, err := CurrencyOf(code); !errors.Is(err, ErrCurrency) || strings.Count(err.Error(), "receipt:") != 1 || strings.ContainsRune(err.Error(), 0x1b) {
			t.Errorf("%q: %v", code, err)
		}
	}
	if CNY.Digits != 2 || JPY.Digits != 0 || CNY.Symbol != "RMB" {
		t.Errorf("CNY %+v JPY %+v", CNY, JPY)
	}
}

// TestErrorFormat: every error the package returns reads "receipt: what:
// detail" with the prefix once.
func TestErrorFormat(t *testing.T) {
	p, _ := NewPrinter(Config{})
	var errs []error
	for _, cfg := range []Config{{Profile: Profile{Columns: 3}}, {Language: numLanguages}, {CodePage: PC437}, {Logo: image.NewGray(image.Rect(0, 0, 0, 0))}} {
		_, err := NewPrinter(cfg)
		errs = append(errs, err)
	}
	s := chipSale()
	s.Card.Expiry = "2899"
	_, err := p.AppendText(nil, s)
	errs = append(errs, err, p.WriteText(failWriter{}, chipSale()))
	for i, err := range errs {
		msg := fmt.Sprint(err)
		if err == nil || !strings.HasPrefix(msg, "receipt: ") || strings.Count(msg, "receipt") != 1 || strings.Count(msg, ": ") < 2 {
			t.Errorf("%d: %q", i, msg)
		}
	}
}
