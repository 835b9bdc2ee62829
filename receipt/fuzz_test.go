package receipt

import (
	"testing"
)

// FuzzLayout lays out slips holding random strings in every field a caller
// fills, and a random label override, on a random paper width, language and
// code page: it must never panic, never print a line wider than the paper
// (text by East Asian width, ESC/POS by encoded bytes as the test reader
// measures them), always emit well-formed ESC/POS and well-formed HTML.
func FuzzLayout(f *testing.F) {
	f.Add("上海浦东示范便利店(陆家嘴店)", "备注", "THANK YOU", "商户名称(MERCHANT NAME)", uint8(32), uint8(0), uint8(0))
	f.Add("A¥B😀C\uE000D\x1bE\n\t", "\xff\xfe", "<script>", "\n", uint8(24), uint8(1), uint8(1))
	f.Add("中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中中", "x", "", "LONGLABELWITHOUTANYSPACESATALLXXXXXXXXXXXXXXXXXXXXX", uint8(25), uint8(2), uint8(3))
	f.Add("((((((((((((((((((((((((((((((((((((", "     ", " a b ", "(", uint8(255), uint8(0), uint8(2))
	f.Fuzz(func(t *testing.T, s, remark, footer, override string, cols, lang, cp uint8) {
		c := 24 + int(cols)%232
		p, err := NewPrinter(Config{
			Profile:  Profile{Columns: c},
			Language: Language(lang % uint8(numLanguages)),
			CodePage: CodePage(cp % uint8(numCodePages)),
			Labels:   map[Key]string{KeyMerchantName: override, KeyTitle: override},
			Policy:   Policy{Mask: MaskPolicy(cols % uint8(numPolicies)), ShowExpiry: true, NoSignatureLimit: 5000},
		})
		if err != nil {
			t.Fatal(err)
		}
		sl := chipSale()
		sl.Merchant = Merchant{Name: s, Number: s, TerminalID: remark, Operator: footer}
		sl.Acquirer, sl.Issuer, sl.Batch, sl.Voucher, sl.AuthCode, sl.RRN, sl.OrigVoucher = s, remark, footer, s, remark, footer, s
		sl.Chip = &Chip{AID: s, Label: remark, TVR: footer, TSI: s, ATC: remark, CryptogramType: s, Cryptogram: footer}
		sl.QR = &QR{Wallet: s, OrderNumber: remark}
		sl.Remarks = []string{s, remark, footer}
		sl.Footer = []string{footer, s}
		sl.Reprint = true
		sl.QRCode = s
		if len(sl.QRCode) > maxCode {
			sl.QRCode = sl.QRCode[:maxCode]
		}
		sl.Amount.Currency.Symbol = remark
		st := settlementSlip()
		st.Merchant = sl.Merchant
		st.Footer = sl.Footer
		st.Currency.Symbol = s
		for _, d := range []Document{sl, st} {
			tb, err := p.AppendText(nil, d)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range textLines(tb) {
				if w := TextWidth(line); w > c {
					t.Fatalf("text line %d columns over %d: %q", w, c, line)
				}
			}
			eb, err := p.AppendESCPOS(nil, d)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := readESCPOS(eb, c); err != nil {
				t.Fatal(err)
			}
			hb, err := p.AppendHTML(nil, d)
			if err != nil {
				t.Fatal(err)
			}
			xmlText(t, hb)
		}
	})
}
