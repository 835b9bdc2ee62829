package iso8583

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const testPayee = "6217000010001234567" // 19 digits, Luhn not checked by the builder

// TestTransfer builds a transfer on both dialects, sends it through Pack
// and Unpack, classifies it, reads the payee back, answers it with
// NewResponse and checks that no dump shows the payee or the card in full.
func TestTransfer(t *testing.T) {
	for _, d := range dialects {
		term := testTerminal(d)
		tx, err := term.Transfer(swipe, 12345, testPayee)
		if err != nil {
			t.Fatal(err)
		}
		h := wire(t, d, tx)
		if h.Kind() != KindTransfer || h.Payee() != testPayee || h.ProcessingCode != ProcTransfer || h.MTI != "0200" || h.Amount != "000000012345" {
			t.Fatalf("%v: kind %v payee %q proc %s", d, h.Kind(), h.Payee(), h.ProcessingCode)
		}
		if d == UnionPay && (h.AdditionalData != testPayee || h.F60.TxnType != TxnTypeSale) {
			t.Errorf("UnionPay: 48 %q 60.1 %q", h.AdditionalData, h.F60.TxnType)
		}
		if d == ISO87 && h.AccountID2 != testPayee {
			t.Errorf("ISO87: 103 %q", h.AccountID2)
		}
		r, err := NewResponse(h, "00", "532410000405", "A1B2C3", testNow)
		if err != nil {
			t.Fatal(err)
		}
		hr := wire(t, d, r)
		if hr.MTI != "0210" || hr.Kind() != KindTransfer || !hr.Approved() {
			t.Errorf("%v: answer %s %v", d, hr.MTI, hr.Kind())
		}
		if d == ISO87 && hr.Payee() != testPayee {
			t.Errorf("ISO87 answer payee %q", hr.Payee())
		}
		for _, m := range []*Transaction{h, hr} {
			msg, err := m.Message(d.Spec())
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := Dump(msg, &out); err != nil {
				t.Fatal(err)
			}
			if s := out.String(); strings.Contains(s, testPayee) || strings.Contains(s, "6224242900000113") || (m.Payee() != "") != strings.Contains(s, "621700") {
				t.Errorf("%v %s: dump shows a full card number or no masked payee:\n%s", d, m.MTI, s)
			}
		}
	}
}

// TestTransferReversal: the reversal of a lost transfer keeps its
// processing code, and on ISO87 the payee account.
func TestTransferReversal(t *testing.T) {
	for _, d := range dialects {
		term := testTerminal(d)
		tx, _ := term.Transfer(manual, 500, testPayee)
		rv, err := term.Reversal(tx, "")
		if err != nil {
			t.Fatal(err)
		}
		h := wire(t, d, rv)
		if h.Kind() != KindReversal || h.ProcessingCode != ProcTransfer || (d == ISO87 && h.AccountID2 != testPayee) {
			t.Errorf("%v: %v %s %q", d, h.Kind(), h.ProcessingCode, h.AccountID2)
		}
	}
}

// TestTransferErrors: a payee that is not 12 to 19 digits, and the sale's
// own errors.
func TestTransferErrors(t *testing.T) {
	term := testTerminal(UnionPay)
	for _, to := range []string{"", "12345678901", "62170000100012345678", "621700001000123A"} {
		_, err := term.Transfer(swipe, 100, to)
		if !errors.Is(err, ErrCard) {
			t.Errorf("payee %q: %v", to, err)
		}
		if err != nil && len(to) >= 12 && strings.Contains(err.Error(), to) {
			t.Errorf("payee %q shown in full: %v", to, err)
		}
	}
	if _, err := term.Transfer(swipe, 0, testPayee); !errors.Is(err, ErrAmount) {
		t.Errorf("zero amount: %v", err)
	}
	if _, err := term.Transfer(Card{}, 100, testPayee); !errors.Is(err, ErrCard) {
		t.Errorf("no card: %v", err)
	}
	if p := (&Transaction{MTI: "0200", ProcessingCode: ProcSale, AdditionalData: testPayee}).Payee(); p != "" {
		t.Errorf("sale payee %q", p)
	}
}

// TestMaskField48Payee: field 48 of 12 to 19 digits is masked as a PAN;
// other field 48 values are not.
func TestMaskField48Payee(t *testing.T) {
	if got := MaskField(48, testPayee, nil); got != "621700*********4567" {
		t.Errorf("payee masked as %q", got)
	}
	if got := MaskField(48, "0012", nil); got != "0012" {
		t.Errorf("batch total masked as %q", got)
	}
	if got := MaskField(102, testPayee, nil); strings.Contains(got, testPayee) {
		t.Errorf("102 shown as %q", got)
	}
}
