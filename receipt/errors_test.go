package receipt

import (
	"errors"
	"strings"
	"testing"
)

func TestNewPrinterErrors(t *testing.T) {
	tests := []struct {
		cfg  Config
		want error
	}{
		{Config{Profile: Profile{Columns: 23}}, ErrProfile},
		{Config{Profile: Profile{Columns: 256}}, ErrProfile},
		{Config{Profile: Profile{Columns: 32, WidthMM: -1}}, ErrProfile},
		{Config{Language: numLanguages}, ErrLanguage},
		{Config{Policy: Policy{Mask: numPolicies}}, ErrPolicy},
		{Config{Policy: Policy{NoSignatureLimit: -1}}, ErrAmount},
		{Config{CodePage: numCodePages}, ErrCodePage},
		{Config{Labels: map[Key]string{numKeys: "x"}}, ErrLabel},
	}
	for i, tt := range tests {
		if _, err := NewPrinter(tt.cfg); !errors.Is(err, tt.want) {
			t.Errorf("%d: NewPrinter error %v, want %v", i, err, tt.want)
		}
	}
	p, err := NewPrinter(Config{})
	if err != nil || p.Profile() != Paper58 {
		t.Fatalf("zero Config: %v %+v", err, p.Profile())
	}
}

func TestRenderErrors(t *testing.T) {
	p, _ := NewPrinter(Config{})
	mod := func(f func(*Slip)) Document { s := chipSale(); f(s); return s }
	modS := func(f func(*SettlementSlip)) Document { s := settlementSlip(); f(s); return s }
	tests := []struct {
		d    Document
		want error
	}{
		{nil, ErrNil},
		{(*Slip)(nil), ErrNil},
		{(*SettlementSlip)(nil), ErrNil},
		{mod(func(s *Slip) { s.Type = numKinds }), ErrKind},
		{mod(func(s *Slip) { s.Amount.Currency = Currency{} }), ErrCurrency},
		{mod(func(s *Slip) { s.Amount.Currency = Currency{Code: "cny", Digits: 2} }), ErrCurrency},
		{mod(func(s *Slip) { s.Amount.Currency = Currency{Code: "CNY", Digits: 5} }), ErrCurrency},
		{mod(func(s *Slip) { s.Amount.Minor = -1 }), ErrAmount},
		{mod(func(s *Slip) { s.Tip = -1 }), ErrAmount},
		{mod(func(s *Slip) { s.Amount.Minor = maxInt64; s.Tip = 1 }), ErrAmount},
		{mod(func(s *Slip) { s.Card.PAN = "62220212345678901234" }), ErrPAN},
		{mod(func(s *Slip) { s.Card.PAN = "62220212345" }), ErrPAN},
		{mod(func(s *Slip) { s.Card.PAN = "622202123456789012a" }), ErrPAN},
		{mod(func(s *Slip) { s.Card.Entry = 'X' }), ErrEntry},
		{mod(func(s *Slip) { s.Copy = numCopies }), ErrCopy},
		{mod(func(s *Slip) { s.CVM = numCVMs }), ErrCVM},
		{mod(func(s *Slip) { s.Barcode = "bad\nbarcode" }), ErrCode},
		{mod(func(s *Slip) { s.Barcode = strings.Repeat("1", 81) }), ErrCode},
		{mod(func(s *Slip) { s.QRCode = strings.Repeat("q", maxCode+1) }), ErrCode},
		{modS(func(s *SettlementSlip) { s.Currency.Digits = 9 }), ErrCurrency},
		{modS(func(s *SettlementSlip) { s.Totals[0].Group = numGroups }), ErrCardGroup},
		{modS(func(s *SettlementSlip) { s.Totals[0].Type = numKinds }), ErrKind},
		{modS(func(s *SettlementSlip) { s.Totals[0].Count = -1 }), ErrAmount},
		{modS(func(s *SettlementSlip) { s.Totals[0].Amount = -1 }), ErrAmount},
		{modS(func(s *SettlementSlip) {
			s.Totals = append(s.Totals, Total{Group: Domestic, Type: Sale, Count: 1, Amount: maxTotal}) // overflows the pair's sum
		}), ErrAmount},
		{modS(func(s *SettlementSlip) { s.Totals[0].Count = maxTotal + 1 }), ErrAmount},
	}
	for i, tt := range tests {
		for name, f := range map[string]func([]byte, Document) ([]byte, error){"text": p.AppendText, "escpos": p.AppendESCPOS, "html": p.AppendHTML} {
			dst := []byte("keep")
			out, err := f(dst, tt.d)
			if !errors.Is(err, tt.want) {
				t.Errorf("%d %s: error %v, want %v", i, name, err, tt.want)
			}
			if string(out) != "keep" {
				t.Errorf("%d %s: dst changed on error: %q", i, name, out)
			}
			if err != nil && strings.Contains(err.Error(), "6222021234") {
				t.Errorf("%d: error carries PAN digits: %v", i, err)
			}
		}
	}
	var np *Printer
	if _, err := np.AppendText(nil, chipSale()); !errors.Is(err, ErrNil) {
		t.Errorf("nil printer: %v", err)
	}
	if _, err := p.AppendText(nil, foreignDoc{}); !errors.Is(err, ErrNil) {
		t.Errorf("foreign document: %v", err)
	}
}

// foreignDoc satisfies Document from inside the package only; it stands for
// a type the renderers do not know.
type foreignDoc struct{}

func (foreignDoc) document() {}

type failWriter struct{}

var errWrite = errors.New("disk on fire")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteErrors(t *testing.T) {
	p, _ := NewPrinter(Config{})
	for _, f := range []func() error{
		func() error { return p.WriteText(failWriter{}, chipSale()) },
		func() error { return p.WriteESCPOS(failWriter{}, chipSale()) },
		func() error { return p.WriteHTML(failWriter{}, chipSale()) },
	} {
		if err := f(); !errors.Is(err, errWrite) {
			t.Errorf("write error %v, want %v", err, errWrite)
		}
	}
	if err := p.WriteText(failWriter{}, (*Slip)(nil)); !errors.Is(err, ErrNil) {
		t.Errorf("nil slip: %v", err)
	}
	var sb strings.Builder
	if err := p.WriteText(&sb, chipSale()); err != nil || !strings.Contains(sb.String(), "RMB 128.00") {
		t.Errorf("WriteText: %v", err)
	}
	var eb strings.Builder
	if err := p.WriteESCPOS(&eb, chipSale()); err != nil || !strings.HasPrefix(eb.String(), "\x1b@\x1c&") {
		t.Errorf("WriteESCPOS: %v", err)
	}
}

// TestDeprecatedNames: the former names still compile and mean the same.
func TestDeprecatedNames(t *testing.T) {
	var k TxnType = Refund
	var g Channel = QRPay
	var st *Settlement = &SettlementSlip{Currency: CNY, Totals: []Total{{Channel: g, Type: k, Count: 1, Amount: 100}}}
	p, _ := NewPrinter(Config{Language: English})
	b, err := p.AppendText(nil, st)
	if err != nil || !strings.Contains(string(b), "QR PAYMENTS") || !strings.Contains(string(b), "REFUND") {
		t.Errorf("Total.Channel not read: %v\n%s", err, b)
	}
	st.Totals[0].Group = Foreign // Group wins over Channel
	b, _ = p.AppendText(nil, st)
	if !strings.Contains(string(b), "FOREIGN CARDS") || strings.Contains(string(b), "QR PAYMENTS") {
		t.Errorf("Total.Group not read:\n%s", b)
	}
	st.Totals[0].Group, st.Totals[0].Channel = Domestic, numGroups
	if _, err := p.AppendText(nil, st); !errors.Is(err, ErrChannel) || !errors.Is(err, ErrCardGroup) {
		t.Errorf("ErrChannel: %v", err)
	}
	st.Totals[0].Channel, st.Totals[0].Type = Domestic, numKinds
	if _, err := p.AppendText(nil, st); !errors.Is(err, ErrType) {
		t.Errorf("ErrType: %v", err)
	}
}
