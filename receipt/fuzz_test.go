package receipt

import (
	"errors"
	"strings"
	"testing"

	"github.com/poskit/poskit/internal/digits"
)

// FuzzLayout lays out slips holding random strings in every field a caller
// fills, and a random label override, on a random paper width, language and
// code page: it must never panic, never print a line wider than the paper
// (text by East Asian width, ESC/POS by encoded bytes as the test reader
// measures them), always emit well-formed ESC/POS with one cut and no PAN,
// and well-formed HTML. Random text in free-text fields always renders;
// random text in identifier fields renders or is refused with
// ErrTooNarrow, never split.
func FuzzLayout(f *testing.F) {
	f.Add("上海浦东示范便利店(陆家嘴店)", "备注", "THANK YOU", "商户名称(MERCHANT NAME)", uint8(32), uint8(0), uint8(0))
	f.Add("A¥B😀C\uE000D\x1bE\n\t", "\xff\xfe", "<script>", "\n", uint8(24), uint8(1), uint8(1))
	f.Add("中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中", "x", "", "LONGLABELWITHOUTANYSPACESATALLXXXXXXXXXXXXXXXXXXXXX", uint8(25), uint8(2), uint8(3))
	f.Add("((((((((((((((((((((((((((((((((((((", "     ", " a b ", "(", uint8(255), uint8(0), uint8(2))
	f.Add("RMB \u202e00.001\u202c", "\u2028\u2029\u200e\u2066x\u2069", "\u0085", "標籤", uint8(0), uint8(4), uint8(0))
	f.Add("1234567890123456789012345678", "中国建设银行", "*小明", "转入账号(TO ACCOUNT)", uint8(24), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, s, remark, footer, override string, cols, lang, cp uint8) {
		c := 24 + int(cols)%232
		cfg := Config{
			Profile:  Profile{Columns: c},
			Language: Language(lang % uint8(numLanguages)),
			CodePage: CodePage(cp % uint8(numCodePages)),
			Labels:   map[Key]string{KeyMerchantName: override, KeyTitle: override},
			Policy:   Policy{Mask: MaskPolicy(cols % uint8(numPolicies)), ShowExpiry: true, NoSignatureLimit: 5000},
			Header:   []string{s},
			Footer:   []string{footer},
		}
		p, err := NewPrinter(cfg)
		if errors.Is(err, ErrCodePage) || errors.Is(err, ErrLabel) {
			// Labels the code page cannot print, or control characters in
			// an override: refused. English labels print on every page.
			cfg.Labels, cfg.Language = nil, English
			p, err = NewPrinter(cfg)
		}
		if err != nil {
			t.Fatal(err)
		}
		free := chipSale()
		free.Merchant.Name, free.Acquirer, free.Issuer = s, remark, footer
		free.Card.Funding = Funding(cp % uint8(numFundings))
		free.Chip.Label = s
		free.QR = &QR{Wallet: s, OrderNumber: "4200001234"}
		free.Remarks = []string{s, remark, footer}
		free.Footer = []string{footer, s}
		free.DCC = &DCC{Amount: Amount{Minor: 1778, Currency: USD}, Rate: "0.138912", Markup: "3.5", Reference: remark}
		free.Installment = &Installment{Periods: 12, First: 1100, Each: 1067, Fee: 300}
		free.Reprint = true
		st := settlementSlip()
		st.Merchant.Name, st.Acquirer, st.Footer = s, remark, free.Footer
		st.Totals = append(st.Totals, Total{Group: CardGroup(cp % uint8(numGroups)), Type: Transfer, Count: int64(cols), Amount: int64(lang) * 1000})
		tr := transferSlip()
		tr.Payee.Bank, tr.Payee.Name, tr.Merchant.Name = s, remark, footer
		tr.Copy, tr.CVM = Copy(lang%uint8(numCopies)), CVM(cp%uint8(numCVMs))
		dl := downloadSlip()
		dl.Merchant.Name, dl.Failure, dl.Footer = s, remark, []string{footer}
		dl.CAKeys, dl.AIDs, dl.Reprint = int(cols), int(lang)*1000, cp%2 == 0
		for _, d := range []Document{free, st, tr, dl} {
			checkRender(t, p, d, c, false)
		}

		all := chipSale()
		all.Merchant = Merchant{Name: s, Number: s, TerminalID: remark, Operator: footer}
		all.Batch, all.Voucher, all.AuthCode, all.RRN, all.OrigVoucher = footer, s, remark, footer, s
		all.Chip = &Chip{AID: s, Label: remark, TVR: footer, TSI: s, ATC: remark, CryptogramType: s, Cryptogram: footer}
		all.QR = &QR{Wallet: s, OrderNumber: remark}
		all.Amount.Currency.Symbol = remark
		if checkCode(s, false) == nil {
			all.QRCode = s
		}
		checkRender(t, p, all, c, true)

		acct := transferSlip()
		if len(s) >= minAccount && len(s) <= maxAccount && digits.Valid(s) {
			acct.Payee.Account = s
		}
		acct.Payee.Bank, acct.Voucher, acct.RRN = remark, s, footer
		checkRender(t, p, acct, c, true)

		dv := downloadSlip()
		dv.HotListVersion, dv.Merchant.TerminalID = s, remark
		checkRender(t, p, dv, c, true)
	})
}

// checkRender renders d in the three forms and checks them; with narrow,
// ErrTooNarrow is an accepted outcome of the text and ESC/POS renderers.
func checkRender(t *testing.T, p *Printer, d Document, c int, narrow bool) {
	t.Helper()
	tb, err := p.AppendText(nil, d)
	eb, eerr := p.AppendESCPOS(nil, d)
	hb, herr := p.AppendHTML(nil, d)
	if herr != nil {
		t.Fatalf("HTML: %v", herr)
	}
	xmlText(t, hb)
	// The printer measures its code page's bytes (a GB18030 code is 2
	// columns, a '?' 1), the text renderer East Asian widths: each may
	// refuse a token on its own.
	switch {
	case narrow && errors.Is(err, ErrTooNarrow):
	case err != nil:
		t.Fatalf("text: %v", err)
	default:
		for _, line := range textLines(tb) {
			if w := TextWidth(line); w > c {
				t.Fatalf("text line %d columns over %d: %q", w, c, line)
			}
		}
	}
	switch {
	case narrow && errors.Is(eerr, ErrTooNarrow):
	case eerr != nil:
		t.Fatalf("ESC/POS: %v", eerr)
	default:
		r, err := readESCPOS(eb, c)
		if err != nil {
			t.Fatal(err)
		}
		if !r.cut {
			t.Fatal("no cut")
		}
		out := strings.Join(r.lines, "\n")
		if strings.Contains(out, "6222021234567890128") {
			t.Fatal("full PAN printed")
		}
		if strings.Contains(out, "6217003810012345678") { // transferSlip's payee; a fuzzed account may also be fuzzed header text
			t.Fatal("full payee account printed")
		}
	}
}
