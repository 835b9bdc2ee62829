package receipt

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestTransferSlipLines checks the lines of the transfer slip on 80 mm
// paper in English, in the text and the ESC/POS output: the payer card
// and the payee account masked 6+4, the kind, the fee the cardholder pays
// and the total debited, the operator, the signature line with the PIN,
// and the transfer's own authorisation sentence.
func TestTransferSlipLines(t *testing.T) {
	p, err := NewPrinter(Config{Language: English, Profile: Paper80, Policy: Policy{Mask: MaskUnionPay, NoSignatureLimit: 10_000_000}})
	if err != nil {
		t.Fatal(err)
	}
	text, esc := renderLines(t, p, transferSlip())
	want := []string{
		pairLine("OPERATOR NO.:", "01", 48),
		pairLine("FROM CARD:", "622202*********0128 I", 48),
		pairLine("TO ACCOUNT:", "621700*********5678", 48),
		pairLine("TO BANK:", "中国建设银行", 48),
		pairLine("PAYEE:", "*小明", 48),
		pairLine("TRANS TYPE:", "TRANSFER", 48),
		pairLine("VOUCHER NO.:", "000463", 48),
		pairLine("AUTH NO.:", "D4E5F6", 48),
		pairLine("REFER NO.:", "132547000463", 48),
		pairLine("AMOUNT:", "RMB 10000.00", 48),
		pairLine("FEE:", "RMB 10.00", 48),
		pairLine("TOTAL:", "RMB 10010.00", 48),
		"PIN VERIFIED",
		"CARDHOLDER SIGNATURE:",
		"I AUTHORISE THE TRANSFER ABOVE TO BE DEBITED TO",
	}
	for _, w := range want {
		for form, lines := range map[string][]string{"text": text, "escpos": esc} {
			if !containsLine(lines, w) {
				t.Errorf("%s lacks %q:\n%s", form, w, strings.Join(lines, "\n"))
			}
		}
	}
	if trimmed(text)[0] != "TRANSFER SLIP" || trimmed(esc)[0] != "TRANSFER SLIP" {
		t.Errorf("title: %q %q", text[0], esc[0])
	}
	for _, bad := range []string{"NO SIGNATURE REQUIRED", "SALES SLIP", "CARD NO.:", "GOODS/SERVICES"} {
		if linesHolding(text, bad) != 0 || linesHolding(esc, bad) != 0 {
			t.Errorf("transfer slip prints %q", bad)
		}
	}
	// Without a fee: no FEE or TOTAL line, the amount is the debit.
	s := transferSlip()
	s.Fee = 0
	text, _ = renderLines(t, p, s)
	if linesHolding(text, "FEE:") != 0 || linesHolding(text, "TOTAL:") != 0 || !containsLine(text, pairLine("AMOUNT:", "RMB 10000.00", 48)) {
		t.Errorf("transfer without fee:\n%s", strings.Join(text, "\n"))
	}
	// The HTML e-receipt is titled as a transfer.
	h, err := p.AppendHTML(nil, transferSlip())
	if err != nil || !strings.Contains(string(h), "<title>TRANSFER SLIP") {
		t.Errorf("HTML title: %v\n%.300s", err, h)
	}
}

// pairLine is a label and a value on a line of cols columns.
func pairLine(l, v string, cols int) string {
	return l + strings.Repeat(" ", cols-TextWidth(l)-TextWidth(v)) + v
}

func containsLine(lines []string, l string) bool {
	for _, x := range lines {
		if x == l {
			return true
		}
	}
	return false
}

// TestTransferNeverLeaksAccount renders every copy of the transfer slip
// under every policy in every renderer: neither the payer's PAN nor the
// payee's account appears whole, nor their middle digits, and each appears
// masked as AppendMaskedPAN masks it (at most the first 6 and last 4).
func TestTransferNeverLeaksAccount(t *testing.T) {
	for _, acct := range []string{"6217003810012345678", "12345678", "1234567890123456789012345678", "31001234567890"} {
		s := transferSlip()
		s.Payee.Account = acct
		for m := MaskPolicy(0); m < numPolicies; m++ {
			p, err := NewPrinter(Config{Policy: Policy{Mask: m}, Profile: Paper80})
			if err != nil {
				t.Fatal(err)
			}
			for c := Copy(0); c < numCopies; c++ {
				s.Copy = c
				for name, f := range map[string]func([]byte, Document) ([]byte, error){"text": p.AppendText, "escpos": p.AppendESCPOS, "html": p.AppendHTML} {
					b, err := f(nil, s)
					if err != nil {
						t.Fatal(err)
					}
					out := string(b)
					head, tail := visible(m, c, len(acct))
					if strings.Contains(out, acct) || strings.Contains(out, acct[head:len(acct)-tail]) {
						t.Fatalf("%s policy %d copy %d: account %d digits leak", name, m, c, len(acct))
					}
					if head+tail > 10 {
						t.Fatalf("policy %d shows %d digits", m, head+tail)
					}
					if masked := MaskPAN(acct, m, c); !strings.Contains(out, masked) {
						t.Fatalf("%s policy %d copy %d: masked account %q missing", name, m, c, masked)
					}
				}
			}
		}
	}
	py := Payee{Account: "6217003810012345678", Bank: "中国建设银行", Name: "*小明"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, py) + fmt.Sprintf(verb, &py); strings.Contains(out, py.Account) || strings.Contains(out, "0038100123") {
			t.Errorf("%s leaks the account: %s", verb, out)
		}
	}
	if got := py.String(); got != "621700*********5678 中国建设银行 *小明" {
		t.Errorf("Payee.String() = %q", got)
	}
	if got := (Payee{Account: "12345678"}).GoString(); got != "receipt.Payee{****5678}" {
		t.Errorf("Payee.GoString() = %q", got)
	}
}

// TestTransferErrors: a transfer needs a payee account of 8 to 28 digits,
// and no other kind takes a payee; the error never carries the account.
func TestTransferErrors(t *testing.T) {
	p, _ := NewPrinter(Config{})
	tests := []struct {
		name string
		mod  func(*Slip)
	}{
		{"no payee", func(s *Slip) { s.Payee = nil }},
		{"empty account", func(s *Slip) { s.Payee.Account = "" }},
		{"7 digits", func(s *Slip) { s.Payee.Account = "6217003" }},
		{"29 digits", func(s *Slip) { s.Payee.Account = "62170038100123456786217003810" }},
		{"letter", func(s *Slip) { s.Payee.Account = "621700381001234567X" }},
		{"space", func(s *Slip) { s.Payee.Account = "6217 0038 1001 2345 678" }},
		{"payee on a sale", func(s *Slip) { s.Type = Sale }},
		{"payee on a refund", func(s *Slip) { s.Type = Refund }},
	}
	for _, tt := range tests {
		s := transferSlip()
		tt.mod(s)
		for form, f := range map[string]func([]byte, Document) ([]byte, error){"text": p.AppendText, "escpos": p.AppendESCPOS, "html": p.AppendHTML} {
			out, err := f([]byte("keep"), s)
			if !errors.Is(err, ErrPayee) || string(out) != "keep" {
				t.Errorf("%s %s: %v %q", tt.name, form, err, out)
			}
			if err != nil && (strings.Contains(err.Error(), "6217") || strings.Contains(err.Error(), "0012345")) {
				t.Errorf("%s: error carries account digits: %v", tt.name, err)
			}
		}
	}
	if err := ErrPayee.Error(); !strings.HasPrefix(err, "receipt: ") {
		t.Errorf("ErrPayee = %q", err)
	}
	// 8 and 28 digits are the bounds.
	for _, a := range []string{"12345678", "1234567890123456789012345678"} {
		s := transferSlip()
		s.Payee.Account = a
		if _, err := p.AppendText(nil, s); err != nil {
			t.Errorf("account of %d digits: %v", len(a), err)
		}
	}
}

// TestTransferSignature: the cardholder signs the merchant and bank copies
// of a transfer whatever the CVM, even with the PIN and below the
// no-signature limit; the cardholder copy has no signature line.
func TestTransferSignature(t *testing.T) {
	p, _ := NewPrinter(Config{Language: English, Policy: Policy{NoSignatureLimit: 100_000_000}})
	for cvm := CVM(0); cvm < numCVMs; cvm++ {
		for c := Copy(0); c < numCopies; c++ {
			s := transferSlip()
			s.CVM, s.Copy, s.Amount.Minor, s.Fee = cvm, c, 100, 0
			b, err := p.AppendText(nil, s)
			if err != nil {
				t.Fatal(err)
			}
			out := string(b)
			if strings.Contains(out, "NO SIGNATURE REQUIRED") {
				t.Errorf("CVM %d copy %d: no-signature on a transfer", cvm, c)
			}
			if got, want := strings.Contains(out, "CARDHOLDER SIGNATURE:"), c != CardholderCopy; got != want {
				t.Errorf("CVM %d copy %d: signature line %v, want %v", cvm, c, got, want)
			}
			if !strings.Contains(out, "I AUTHORISE THE TRANSFER ABOVE") {
				t.Errorf("CVM %d copy %d: no authorisation sentence", cvm, c)
			}
		}
	}
}

// TestSettlementListsTransfers: transfers are listed with their count and
// amount and left out of the net, like pre-authorisations: the merchant is
// not paid for them.
func TestSettlementListsTransfers(t *testing.T) {
	p, _ := NewPrinter(Config{Language: English, Profile: Paper80})
	st := &SettlementSlip{Currency: CNY, Totals: []Total{
		{Group: Domestic, Type: Sale, Count: 2, Amount: 30000},
		{Group: Domestic, Type: Transfer, Count: 3, Amount: 1_500_000},
		{Group: Domestic, Type: Transfer, Count: 1, Amount: 500},
	}}
	text, esc := renderLines(t, p, st)
	for _, w := range []string{
		"SALE                            2         300.00",
		"TRANSFER                        4       15005.00",
		"NET                             2         300.00",
		"GRAND TOTAL                     2         300.00",
	} {
		if !containsLine(text, w) || !containsLine(esc, w) {
			t.Errorf("settlement lacks %q:\n%s", w, strings.Join(text, "\n"))
		}
	}
	// A batch of transfers only: listed, net 0.
	st.Totals = st.Totals[1:2]
	text, _ = renderLines(t, p, st)
	if !containsLine(text, "TRANSFER                        3       15000.00") || !containsLine(text, "NET                             0           0.00") {
		t.Errorf("transfers only:\n%s", strings.Join(text, "\n"))
	}
}

// TestOperatorOnEverySlip: the operator number (操作员号) prints on every
// document, in every renderer and language.
func TestOperatorOnEverySlip(t *testing.T) {
	for _, l := range []Language{Bilingual, Chinese, English, TraditionalChinese} {
		p, err := NewPrinter(Config{Language: l, Policy: goldenPolicy})
		if err != nil {
			t.Fatal(err)
		}
		lab := Label(l, KeyOperator)
		for _, gd := range goldenDocs {
			d := gd.doc()
			switch d := d.(type) {
			case *Slip:
				d.Merchant.Operator = "07"
			case *SettlementSlip:
				d.Merchant.Operator = "07"
			case *DownloadSlip:
				d.Merchant.Operator = "07"
			default:
				t.Fatalf("%s: a document type this test does not know", gd.name)
			}
			text, esc := renderLines(t, p, d)
			h, err := p.AppendHTML(nil, d)
			if err != nil {
				t.Fatal(err)
			}
			hasText := slicesAny(text, func(s string) bool { return strings.HasPrefix(s, lab+":") && strings.HasSuffix(s, " 07") })
			hasESC := slicesAny(esc, func(s string) bool { return strings.HasPrefix(s, lab+":") && strings.HasSuffix(s, " 07") })
			if !hasText || !hasESC || !strings.Contains(string(h), lab+":</span><span class=\"v n\">07</span>") {
				t.Errorf("%s language %d: operator missing (text %v, escpos %v)", gd.name, l, hasText, hasESC)
			}
		}
	}
}

func slicesAny(ss []string, f func(string) bool) bool {
	for _, s := range ss {
		if f(s) {
			return true
		}
	}
	return false
}
