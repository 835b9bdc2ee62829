package iso8583

import (
	"bytes"
	"errors"
	"testing"
)

// Advice and repeat MTIs follow ISO 8583:1987 section 4.1 (message type
// identifier: function digit 2 advice, 3 advice response; origin digit 0
// acquirer, 1 acquirer repeat).
func TestAdviceAndRepeats(t *testing.T) {
	for _, d := range []Dialect{ISO87, UnionPay} {
		term := testTerminal(d)
		sale, err := term.Sale(chip, 1234)
		if err != nil {
			t.Fatal(err)
		}
		adv, err := term.Advice(sale, "Y1A2B3")
		if err != nil {
			t.Fatalf("%v advice: %v", d, err)
		}
		if adv.MTI != "0220" || adv.STAN != sale.STAN || adv.Amount != sale.Amount || adv.AuthCode != "Y1A2B3" ||
			adv.PINBlock != nil || adv.Track2 != "" || adv.PINCapture != "" || adv.SecurityControl != "" ||
			!bytes.Equal(adv.ICC, sale.ICC) || adv.PAN != "6224242900000113" || adv.Kind() != KindSale || !adv.IsAdvice() {
			t.Errorf("%v advice %+v", d, adv)
		}
		if d == ISO87 && (adv.ResponseCode != "00" || adv.TransmissionTime == "") {
			t.Errorf("ISO87 advice 39/7: %+v", adv)
		}
		if d == UnionPay && (adv.F60 == nil || *adv.F60 != *sale.F60 || adv.F60 == sale.F60) {
			t.Errorf("UnionPay advice 60: %+v", adv.F60)
		}
		rep, err := adv.AsRepeat()
		if err != nil || rep.MTI != "0221" || rep.STAN != adv.STAN || !rep.IsRepeat() || adv.IsRepeat() {
			t.Fatalf("%v 0221: %+v %v", d, rep, err)
		}
		rep.ICC[0] = 0
		if adv.ICC[0] == 0 {
			t.Error("repeat shares ICC data")
		}
		roundTrip(t, d, adv)
		roundTrip(t, d, rep)
		ans, err := NewResponse(rep, "00", "", "", testNow)
		if err != nil || ans.MTI != "0230" || ans.STAN != adv.STAN {
			t.Errorf("%v 0230: %+v %v", d, ans, err)
		}
		roundTrip(t, d, ans)

		rv, _ := term.Reversal(sale, "")
		rr, err := term.RepeatReversal(rv)
		if err != nil || rr.MTI != "0401" || rr.STAN != rv.STAN || rr.OriginalData != rv.OriginalData || rr.Kind() != KindReversal {
			t.Fatalf("%v 0401: %+v %v", d, rr, err)
		}
		roundTrip(t, d, rr)
		if a, _ := NewResponse(rr, "00", "", "", testNow); a.MTI != "0410" {
			t.Errorf("answer to 0401: %s", a.MTI)
		}

		resp, _ := NewResponse(sale, "00", "532410000403", "A1B2C3", testNow)
		ra, err := term.ReversalAdvice(sale, resp, "")
		if err != nil || ra.MTI != "0420" || ra.RRN != resp.RRN || ra.AuthCode != "A1B2C3" || ra.ResponseCode != ReasonTerminalError ||
			ra.PINBlock != nil || ra.Track2 != "" || ra.Kind() != KindReversal {
			t.Fatalf("%v 0420: %+v %v", d, ra, err)
		}
		switch d {
		case UnionPay:
			if ra.STAN != sale.STAN || ra.F61 != nil || *ra.F60 != *sale.F60 {
				t.Errorf("UnionPay 0420 STAN/60/61: %+v", ra)
			}
		case ISO87:
			mti, stan, tt, acq, ok := ra.OriginalElements()
			if !ok || mti != "0200" || stan != sale.STAN || tt != sale.TransmissionTime || acq != "48020000" || ra.STAN == sale.STAN {
				t.Errorf("ISO87 0420 field 90 %q: %s %s %s %s %v", ra.OriginalData, mti, stan, tt, acq, ok)
			}
		}
		ra1, err := ra.AsRepeat()
		if err != nil || ra1.MTI != "0421" {
			t.Fatalf("0421: %v %v", ra1, err)
		}
		roundTrip(t, d, ra)
		roundTrip(t, d, ra1)
		if a, _ := NewResponse(ra1, "00", "", "", testNow); a.MTI != "0430" {
			t.Errorf("answer to 0421: %s", a.MTI)
		}
	}
}

func TestAdviceErrors(t *testing.T) {
	term := testTerminal(UnionPay)
	sale, _ := term.Sale(chip, 1000)
	for name, c := range map[string]struct {
		f    func() (*Transaction, error)
		want error
	}{
		"advice nil":     {func() (*Transaction, error) { return term.Advice(nil, "") }, ErrMTI},
		"advice of 0800": {func() (*Transaction, error) { return term.Advice(&Transaction{MTI: "0800"}, "") }, ErrMTI},
		"advice of advice": {func() (*Transaction, error) {
			return term.Advice(&Transaction{MTI: "0220", STAN: "000001", Amount: "1"}, "")
		}, ErrMTI},
		"advice no STAN":     {func() (*Transaction, error) { return term.Advice(&Transaction{MTI: "0200", Amount: "1"}, "") }, ErrOriginal},
		"advice no amount":   {func() (*Transaction, error) { return term.Advice(&Transaction{MTI: "0200", STAN: "000001"}, "") }, ErrOriginal},
		"repeat of sale":     {func() (*Transaction, error) { return sale.AsRepeat() }, ErrMTI},
		"repeat of repeat":   {func() (*Transaction, error) { return (&Transaction{MTI: "0221"}).AsRepeat() }, ErrMTI},
		"repeat of 0410":     {func() (*Transaction, error) { return (&Transaction{MTI: "0410"}).AsRepeat() }, ErrMTI},
		"repeat nil":         {func() (*Transaction, error) { return (*Transaction)(nil).AsRepeat() }, ErrMTI},
		"repeat reversal":    {func() (*Transaction, error) { return term.RepeatReversal(sale) }, ErrMTI},
		"reversal advice":    {func() (*Transaction, error) { return term.ReversalAdvice(&Transaction{MTI: "0500"}, nil, "") }, ErrMTI},
		"reversal advice st": {func() (*Transaction, error) { return term.ReversalAdvice(&Transaction{MTI: "0200"}, nil, "") }, ErrOriginal},
	} {
		if _, err := c.f(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if got := (&Transaction{OriginalData: "12"}); func() bool { _, _, _, _, ok := got.OriginalElements(); return ok }() {
		t.Error("short field 90 accepted")
	}
}
