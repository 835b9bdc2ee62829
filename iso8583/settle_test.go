package iso8583

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	moov "github.com/moov-io/iso8583"
)

// TestSettlement48Layout pins UnionPay settlement field 48 to the public
// layout (settle.go): per domestic then foreign card totals, debit amount
// n12, debit count n3, credit amount n12, credit count n3, reconciliation
// code n1. The oracle is the format string of the NEWPOS terminal
// application's PosSettleTran, "%s%03d%s%03d0%s%03d%s%03d0" with 12-digit
// amounts, rebuilt here independently of appendSettlement48.
func TestSettlement48Layout(t *testing.T) {
	for _, tt := range []Totals{
		{},
		{DebitCount: 3, DebitAmount: 30000, CreditCount: 1, CreditAmount: 500},
		{DebitCount: 999, DebitAmount: 999999999999, CreditCount: 12, CreditAmount: 1,
			ForeignDebitCount: 7, ForeignDebitAmount: 123456789012, ForeignCreditCount: 998, ForeignCreditAmount: 42},
	} {
		want := fmt.Sprintf("%012d%03d%012d%03d0%012d%03d%012d%03d0",
			tt.DebitAmount, tt.DebitCount, tt.CreditAmount, tt.CreditCount,
			tt.ForeignDebitAmount, tt.ForeignDebitCount, tt.ForeignCreditAmount, tt.ForeignCreditCount)
		st, err := testTerminal(UnionPay).Settlement(tt)
		if err != nil {
			t.Fatal(err)
		}
		if st.AdditionalData != want {
			t.Errorf("%+v: 48 = %s, want %s", tt, st.AdditionalData, want)
		}
		// the offsets an Android terminal and an iOS client read: amount at
		// 0 and 15, count at 12 and 27, the domestic code at 30
		if d := st.AdditionalData; d[0:12] != fmt.Sprintf("%012d", tt.DebitAmount) ||
			d[12:15] != fmt.Sprintf("%03d", tt.DebitCount) || d[27:30] != fmt.Sprintf("%03d", tt.CreditCount) || d[30] != '0' {
			t.Errorf("%+v: offsets of %s", tt, d)
		}
	}
	// A golden value written out by hand: 3 debits of 100.00 in all, 1
	// credit of 5.00, 1 foreign debit of 0.07.
	st, _ := testTerminal(UnionPay).Settlement(Totals{DebitCount: 3, DebitAmount: 10000, CreditCount: 1, CreditAmount: 500,
		ForeignDebitCount: 1, ForeignDebitAmount: 7})
	if want := "000000010000" + "003" + "000000000500" + "001" + "0" + "000000000007" + "001" + "000000000000" + "000" + "0"; st.AdditionalData != want {
		t.Errorf("golden 48 = %s, want %s", st.AdditionalData, want)
	}
}

// TestReconciliation runs both sides: the terminal's 0500 carries code 0
// twice, the host answers with its verdicts through SetReconciliation, the
// answer packs and unpacks on SpecUnionPay, and the terminal reads the
// codes and the same totals back.
func TestReconciliation(t *testing.T) {
	term := testTerminal(UnionPay)
	in := Totals{DebitCount: 2, DebitAmount: 1500, CreditCount: 1, CreditAmount: 300, ForeignCreditCount: 1, ForeignCreditAmount: 9}
	req, err := term.Settlement(in)
	if err != nil {
		t.Fatal(err)
	}
	if d, f, err := req.Reconciliation(); err != nil || d != ReconNone || f != ReconNone {
		t.Fatalf("request codes %v %v %v", d, f, err)
	}
	if req.Balanced() {
		t.Error("a request is not balanced")
	}
	for _, c := range []struct {
		d, f     ReconCode
		balanced bool
	}{
		{ReconBalanced, ReconBalanced, true},
		{ReconUnbalanced, ReconBalanced, false},
		{ReconBalanced, ReconUnbalanced, false},
		{ReconError, ReconNone, false},
	} {
		resp, err := NewResponse(req, "00", "", "", term.now())
		if err != nil {
			t.Fatal(err)
		}
		if err := resp.SetReconciliation(req, c.d, c.f); err != nil {
			t.Fatal(err)
		}
		if resp.AdditionalData[30] != byte(c.d) || resp.AdditionalData[61] != byte(c.f) ||
			resp.AdditionalData[:30] != req.AdditionalData[:30] || resp.AdditionalData[31:61] != req.AdditionalData[31:61] {
			t.Errorf("answer 48 %s from %s", resp.AdditionalData, req.AdditionalData)
		}
		packed, err := resp.Pack(SpecUnionPay)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Unpack(SpecUnionPay, packed)
		if err != nil {
			t.Fatal(err)
		}
		d, f, err := back.Reconciliation()
		if err != nil || d != c.d || f != c.f || back.Balanced() != c.balanced {
			t.Errorf("codes %v %v %v balanced %v, want %v %v %v", d, f, err, back.Balanced(), c.d, c.f, c.balanced)
		}
		if got, err := back.SettlementTotals(); err != nil || got != in {
			t.Errorf("totals %+v %v", got, err)
		}
	}
	if got := []string{ReconNone.String(), ReconBalanced.String(), ReconUnbalanced.String(), ReconError.String(), ReconCode('9').String()}; strings.Join(got, ",") != "none,balanced,not balanced,reconciliation error,unknown" {
		t.Errorf("names %v", got)
	}
}

func TestReconciliationErrors(t *testing.T) {
	good, _ := testTerminal(UnionPay).Settlement(Totals{DebitCount: 1, DebitAmount: 1})
	for _, bad := range []*Transaction{
		{},
		{AdditionalData: "12"},
		{AdditionalData: good.AdditionalData[:30] + "4" + good.AdditionalData[31:]},
		{AdditionalData: good.AdditionalData[:61] + "9"},
		{AdditionalData: good.AdditionalData[:61] + "x"},
	} {
		if _, _, err := bad.Reconciliation(); !errors.Is(err, ErrReconciliation) {
			t.Errorf("%q: %v", bad.AdditionalData, err)
		}
		if bad.Balanced() {
			t.Errorf("%q balanced", bad.AdditionalData)
		}
		if err := (&Transaction{}).SetReconciliation(bad, ReconBalanced, ReconBalanced); !errors.Is(err, ErrReconciliation) && len(bad.AdditionalData) != 62 {
			t.Errorf("set from %q: %v", bad.AdditionalData, err)
		}
	}
	resp := &Transaction{}
	for _, c := range [][2]ReconCode{{'4', ReconBalanced}, {ReconBalanced, 0}} {
		if err := resp.SetReconciliation(good, c[0], c[1]); !errors.Is(err, ErrReconciliation) {
			t.Errorf("codes %v: %v", c, err)
		}
	}
	if err := resp.SetReconciliation(nil, ReconBalanced, ReconBalanced); !errors.Is(err, ErrReconciliation) {
		t.Errorf("nil request: %v", err)
	}
	if err := resp.SetReconciliation(&Transaction{}, ReconBalanced, ReconBalanced); !errors.Is(err, ErrReconciliation) {
		t.Errorf("no 48: %v", err)
	}
	if resp.AdditionalData != "" {
		t.Errorf("failed calls wrote %q", resp.AdditionalData)
	}
}

// TestBatchUploadICCFields pins the UnionPay IC card batch upload
// notification (9.4.7 of the UnionPay POS terminal specification) to the
// field list public terminals send: 2, 4, 11, 22, 23, 41, 42, 55, 60 with
// 60.3 "203" (sources in BatchUpload's comment).
func TestBatchUploadICCFields(t *testing.T) {
	term := testTerminal(UnionPay)
	sale, _ := term.Sale(chip, 1000)
	resp, _ := NewResponse(sale, "00", "532410000403", "A1B2C3", testNow)
	up, err := term.BatchUpload(sale, resp)
	if err != nil {
		t.Fatal(err)
	}
	packed, err := up.Pack(SpecUnionPay)
	if err != nil {
		t.Fatal(err)
	}
	m := moov.NewMessage(SpecUnionPay)
	if err := m.Unpack(packed); err != nil {
		t.Fatal(err)
	}
	var got []int
	for id := range m.GetFields() {
		if id > 1 {
			got = append(got, id)
		}
	}
	slices.Sort(got)
	if want := []int{2, 4, 11, 22, 23, 41, 42, 55, 60}; !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	if up.STAN != sale.STAN || up.PAN != sale.PAN || up.Amount != sale.Amount || !bytes.Equal(up.ICC, sale.ICC) ||
		*up.F60 != (Field60{TxnType: "00", Batch: "000024", NetMgmt: "203", ReadCapability: "6"}) {
		t.Errorf("batch upload %+v", up)
	}
	// a swiped original: the PAN comes from track 2
	sw, _ := term.Sale(swipe, 1000)
	up, _ = term.BatchUpload(sw, resp)
	if up.PAN != "6224242900000113" || up.Track2 != "" {
		t.Errorf("PAN %q track %q", up.PAN, up.Track2)
	}
}

// FuzzSettlement48: no panic reading field 48 as settlement totals and
// reconciliation codes (or field 63 as response information); 62 digits
// that read back rebuild the same field exactly.
func FuzzSettlement48(f *testing.F) {
	st, _ := testTerminal(UnionPay).Settlement(Totals{DebitCount: 3, DebitAmount: 10000, CreditCount: 1, CreditAmount: 500})
	f.Add(st.AdditionalData)
	f.Add(strings.Repeat("9", 30) + "1" + strings.Repeat("9", 30) + "2")
	f.Add(strings.Repeat("0", 61) + "x")
	f.Add("CUPISSUER")
	f.Fuzz(func(t *testing.T, s string) {
		tx := &Transaction{AdditionalData: s}
		tt, terr := tx.SettlementTotals()
		d, fo, rerr := tx.Reconciliation()
		if rerr == nil {
			if terr != nil {
				t.Fatalf("codes without totals: %v", terr)
			}
			if got := string(appendSettlement48(nil, tt, d, fo)); got != s {
				t.Fatalf("rebuilt %q from %q", got, s)
			}
			var resp Transaction
			if err := resp.SetReconciliation(tx, ReconBalanced, ReconError); err != nil || !strings.HasPrefix(resp.AdditionalData, s[:30]) {
				t.Fatalf("set: %v %q", err, resp.AdditionalData)
			}
		}
		_ = tx.Balanced()
		var f63 Field63
		if f63.UnmarshalText([]byte(s)) == nil {
			_, _, _ = f63.ResponseInfo()
		}
	})
}
