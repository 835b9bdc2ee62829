package fees

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
)

// Refund allocation invariants over random partial-refund sequences: each
// return is ≥ 0, the returns never sum to more than the fee, the running
// total equals floor(fee × refunded / amount) (checked with math/big), and
// refunding the whole amount in pieces returns exactly the fee.
func TestRefundAllocationInvariants(t *testing.T) {
	s, err := New(FlatRetail(CNY))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 20000; trial++ {
		amount := 1 + r.Int64N(10_000_000)
		if trial%50 == 0 {
			amount = 1 + r.Int64N(1<<62)
		}
		fee := r.Int64N(amount/50 + 2)
		sale := Sale{Amount: amount, Fee: fee, Day: 20261121}
		var sum int64
		whole := r.IntN(2) == 0
		for sale.Remaining() > 0 {
			piece := 1 + r.Int64N(sale.Remaining())
			if r.IntN(3) == 0 {
				piece = 1 + r.Int64N(min(sale.Remaining(), 100))
			}
			back, err := s.Refund(&sale, piece)
			if err != nil {
				t.Fatal(err)
			}
			if back < 0 {
				t.Fatalf("negative return %d", back)
			}
			sum += back
			want := new(big.Int).Mul(big.NewInt(fee), big.NewInt(sale.Refunded))
			want.Quo(want, big.NewInt(amount))
			if sum > fee || sum != want.Int64() || sale.FeeReturned != sum {
				t.Fatalf("amount %d fee %d refunded %d: returned %d, want %s", amount, fee, sale.Refunded, sum, want)
			}
			if !whole && r.IntN(4) == 0 {
				break
			}
		}
		if sale.Remaining() == 0 && sum != fee {
			t.Fatalf("whole refund returned %d of fee %d", sum, fee)
		}
	}
}

func TestRefundPolicies(t *testing.T) {
	cfg := FlatRetail(CNY)
	kept, err := New(Config{Currency: CNY, Rules: cfg.Rules, Refunds: RefundPolicy{Refund: FeeKept, Void: FeeKept, Reversal: FeeKept}})
	if err != nil {
		t.Fatal(err)
	}
	def, _ := New(cfg)
	if p := def.Refunds(); p.Refund != FeeProportional || p.Void != FeeFull || p.Reversal != FeeFull {
		t.Errorf("defaults %+v", p)
	}
	tx := Transaction{Amount: 1_000_000, Channel: ChannelChip, Day: NewDate(2026, 11, 21)}
	q, _ := def.Quote(tx)
	sale := NewSale(tx, q)
	if sale.Fee != 6000 || sale.Amount != 1_000_000 || sale.Day != 20261121 {
		t.Fatalf("NewSale %+v", sale)
	}

	// Proportional: a third, then the rest.
	s1 := sale
	if back, _ := def.Refund(&s1, 333_333); back != 1999 { // floor(6000 × 333333 / 1000000)
		t.Errorf("third: %d", back)
	}
	if back, _ := def.Refund(&s1, 666_667); back != 4001 {
		t.Errorf("rest: %d", back)
	}
	if _, err := def.Refund(&s1, 1); !errors.Is(err, ErrRefund) {
		t.Errorf("over-refund: %v", err)
	}
	// Kept.
	s2 := sale
	if back, _ := kept.Refund(&s2, 500_000); back != 0 || s2.Refunded != 500_000 {
		t.Errorf("kept refund %d", back)
	}
	if back, _ := kept.Refund(&s2, 500_000); back != 0 || s2.Remaining() != 0 {
		t.Errorf("kept refund of the rest %d", back)
	}
	// Same-day void returns the fee in full; another day is refused.
	s3 := sale
	if _, err := def.Void(&s3, 20261122); !errors.Is(err, ErrNotSameDay) {
		t.Errorf("next-day void: %v", err)
	}
	if back, _ := def.Void(&s3, 20261121); back != 6000 || s3.FeeReturned != 6000 || !s3.Cancelled {
		t.Errorf("void %d", back)
	}
	if _, err := def.Void(&s3, 20261121); !errors.Is(err, ErrRefund) {
		t.Errorf("double void: %v", err)
	}
	// Reversal.
	s4 := sale
	if back, _ := def.Reverse(&s4); back != 6000 {
		t.Errorf("reversal %d", back)
	}
	s5 := sale
	if back, _ := kept.Reverse(&s5); back != 0 {
		t.Errorf("kept reversal %d", back)
	}
	// Bad records and amounts.
	for _, bad := range []Sale{{Amount: -1}, {Amount: 5, Fee: -1}, {Amount: 5, Refunded: 6}, {Amount: 5, Fee: 1, FeeReturned: 2},
		{Amount: 5, Refunds: RefundPolicy{Void: FeeProportional}}, {Amount: 5, Refunds: RefundPolicy{Refund: 9}}} {
		b := bad
		if _, err := def.Refund(&b, 1); !errors.Is(err, ErrRefund) {
			t.Errorf("Refund(%+v): %v", bad, err)
		}
		if _, err := def.Void(&b, 0); !errors.Is(err, ErrRefund) {
			t.Errorf("Void(%+v): %v", bad, err)
		}
		if _, err := def.Reverse(&b); !errors.Is(err, ErrRefund) {
			t.Errorf("Reverse(%+v): %v", bad, err)
		}
	}
	s6 := sale
	if _, err := def.Refund(&s6, 0); !errors.Is(err, ErrRefund) {
		t.Errorf("zero refund: %v", err)
	}
}

func TestGrossUp(t *testing.T) {
	s, _ := New(FlatRetail(CNY))
	// Minimality is checked against the amount one fen lower.
	for _, target := range []int64{0, 1, 99, 1_000_000, 123_456_789, 1 << 50} {
		tx := Transaction{Channel: ChannelChip}
		q, err := s.GrossUp(tx, target)
		if err != nil {
			t.Fatal(err)
		}
		if q.Net < target {
			t.Errorf("target %d: amount %d nets %d", target, q.Amount, q.Net)
		}
		if q.Amount > 0 {
			tx.Amount = q.Amount - 1
			p, _ := s.Quote(tx)
			if p.Net >= target {
				t.Errorf("target %d: %d is not the smallest (%d nets %d)", target, q.Amount, tx.Amount, p.Net)
			}
		}
	}
	q, _ := s.GrossUp(Transaction{Channel: ChannelChip}, 1_000_000)
	// 0.6% card: to net 10,000.00 charge 10,060.36 (fee 60.36216 → 60.36).
	if q.Amount != 1_006_036 || q.Fee != 6036 || q.Net != 1_000_000 {
		t.Errorf("gross-up of 10,000.00: %d fee %d", q.Amount, q.Fee)
	}
	// A 100% rate can never net anything positive.
	all, _ := New(Config{Currency: CNY, Rules: []Rule{{Pricing: Pricing{Rate: RateScale}}}})
	if _, err := all.GrossUp(Transaction{}, 1); !errors.Is(err, ErrGrossUp) {
		t.Errorf("100%%: %v", err)
	}
	if _, err := s.GrossUp(Transaction{}, 1); !errors.Is(err, ErrNoRule) {
		t.Errorf("no rule: %v", err)
	}
	if _, err := s.GrossUp(Transaction{Channel: ChannelChip}, -1); !errors.Is(err, ErrGrossUp) {
		t.Errorf("negative: %v", err)
	}
}

func TestSummary(t *testing.T) {
	s := instantSchedule(t)
	var sum Summary
	day1, day2 := NewDate(2026, 11, 20), NewDate(2026, 11, 21)
	add := func(amount int64, ch Channel, day Date) Quote {
		tx := Transaction{Amount: amount, Channel: ch, Day: day, Time: Clock(10, 0, 0)}
		q, err := s.Quote(tx)
		if err != nil {
			t.Fatal(err)
		}
		if err := sum.AddSale(tx, q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	add(1_000_000, ChannelWeChatPay, day1) // fee 3800
	add(1_000_000, ChannelChip, day1)      // fee 6000
	add(50_000, ChannelChip, day1)         // fee 300
	add(20_000, ChannelAlipay, day2)       // fee 76
	if err := sum.AddRefund(day2, ChannelChip, 50_000, 300); err != nil {
		t.Fatal(err)
	}
	want := []SummaryRow{
		{day1, ChannelChip, Totals{Sales: 2, Gross: 1_050_000, Fees: 6300, Net: 1_043_700}},
		{day1, ChannelWeChatPay, Totals{Sales: 1, Gross: 1_000_000, Fees: 3800, Net: 996_200}},
		{day2, ChannelChip, Totals{Refunds: 1, Gross: -50_000, Fees: -300, Net: -49_700}},
		{day2, ChannelAlipay, Totals{Sales: 1, Gross: 20_000, Fees: 76, Net: 19_924}},
	}
	rows := sum.Rows()
	if len(rows) != len(want) {
		t.Fatalf("rows %+v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
	tot, ok := sum.Total()
	if !ok || tot != (Totals{Sales: 4, Refunds: 1, Gross: 2_020_000, Fees: 9876, Net: 2_010_124}) {
		t.Errorf("total %+v", tot)
	}
	if err := sum.AddSale(Transaction{Amount: 5}, Quote{Amount: 6}); !errors.Is(err, ErrTx) {
		t.Errorf("mismatched quote: %v", err)
	}
	if err := sum.AddRefund(day1, ChannelChip, -1, 0); !errors.Is(err, ErrRefund) {
		t.Errorf("negative refund: %v", err)
	}
	var o Summary
	o.AddSale(Transaction{Amount: 1 << 62}, Quote{Amount: 1 << 62})
	o.AddSale(Transaction{Amount: 1 << 62}, Quote{Amount: 1 << 62})
	if err := o.AddSale(Transaction{Amount: 1 << 62}, Quote{Amount: 1 << 62}); !errors.Is(err, ErrOverflow) {
		t.Errorf("overflow: %v", err)
	}
	o.AddSale(Transaction{Amount: 1 << 62, Day: 1}, Quote{Amount: 1 << 62})
	if _, ok := o.Total(); ok {
		t.Error("Total overflow not reported")
	}
}
