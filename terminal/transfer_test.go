package terminal_test

import (
	"errors"
	"testing"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

const payee = "6212260200012345678"

// A transfer goes the sale's way: approved into the journal as a debit,
// a lost answer reversed before the next request, the paying card
// screened against the hot-card list.
func TestTransfer(t *testing.T) {
	for _, d := range []iso8583.Dialect{iso8583.UnionPay, iso8583.ISO87} {
		f := newFixture(t, d)
		out := f.pos.Transfer(card, 50000, payee)
		if out.Status != terminal.Approved || out.Request.Kind() != iso8583.KindTransfer || out.Request.Payee() != payee {
			t.Fatalf("%v: %v", d, out)
		}
		j := f.pos.Journal()
		if len(j) != 1 || j[0].Kind != iso8583.KindTransfer || j[0].Amount != 50000 {
			t.Fatalf("%v: journal %v", d, j)
		}
		if tt := f.pos.Totals(); tt.DebitCount != 1 || tt.DebitAmount != 50000 {
			t.Errorf("%v: totals %+v", d, tt)
		}
		f.host.fault = func(req *iso8583.Transaction) fault {
			if req.Kind() == iso8583.KindTransfer {
				return lose
			}
			return answer
		}
		out = f.pos.Transfer(card, 7000, payee)
		if out.Status != terminal.ReversalPending || !errors.Is(out.Err, terminal.ErrNoAnswer) {
			t.Fatalf("%v lost: %v", d, out)
		}
		if p := f.pos.Pending(); len(p) != 1 || !p[0].IsReversal() || p[0].Message.ProcessingCode != out.Request.ProcessingCode {
			t.Fatalf("%v: pending %v", d, p)
		}
		f.host.fault = nil
		if out := f.pos.Sale(card, 100); out.Status != terminal.Approved || f.host.count("0400") != 1 {
			t.Fatalf("%v: next sale %v, %d reversals", d, out, f.host.count("0400"))
		}
		f.checkReconciled(t)
		if err := f.pos.SetHotList(bigHotList(t, 10, 1)); err != nil {
			t.Fatal(err)
		}
		hot := iso8583.Card{PAN: "6229000000000001", Expiry: "2806"}
		if out := f.pos.Transfer(hot, 100, payee); !errors.Is(out.Err, terminal.ErrHotCard) {
			t.Errorf("%v hot card: %v", d, out)
		}
		if out := f.pos.Transfer(card, 100, "12"); out.Status != terminal.Declined || !errors.Is(out.Err, terminal.ErrNotSent) {
			t.Errorf("%v bad payee: %v", d, out)
		}
		res, err := f.pos.Settle()
		if err != nil || !res.Balanced || res.Totals.DebitCount != 2 || res.Totals.DebitAmount != 50100 {
			t.Errorf("%v settle: %+v %v", d, res, err)
		}
	}
}
