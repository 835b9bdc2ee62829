package fees

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// Regression tests for the holes of issue #18, each reproduced first.

// A tier without up_to that is not last was accepted and changed the
// price: a 500.00 QR payment priced at 0.6% instead of 0.38%.
func TestOpenTierMustBeLast(t *testing.T) {
	for _, tiers := range [][]Tier{
		{{Pricing: Pricing{Rate: 600_000}}, {UpTo: 100_000, Pricing: Pricing{Rate: 380_000}}, {Pricing: Pricing{Rate: 600_000}}},
		{{UpTo: 100_000, Pricing: Pricing{Rate: 380_000}}, {}, {Pricing: Pricing{Rate: 600_000}}},
		{{UpTo: 100_000}, {UpTo: 50_000}, {}},
		{{UpTo: -5}, {}},
	} {
		_, err := New(Config{Currency: CNY, Rules: []Rule{{Name: "qr", Tiers: tiers}}})
		var ve *ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", tiers, err)
		}
	}
	s, err := New(Config{Currency: CNY, Rules: []Rule{{Name: "qr", Tiers: []Tier{{UpTo: 100_000, Pricing: Pricing{Rate: 380_000}}, {Pricing: Pricing{Rate: 600_000}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := s.Quote(Transaction{Amount: 50_000}); q.Fee != 190 { // 0.38% of 500.00
		t.Errorf("500.00: fee %d, want 190", q.Fee)
	}
}

// Summary.Total depended on map order near MaxInt64 (ok=true in 45 of
// 200 runs on the same rows); it is now exact, and the same every time.
func TestSummaryTotalOrderIndependent(t *testing.T) {
	build := func() *Summary {
		var s Summary
		for d := Date(20261101); d < 20261106; d++ {
			if err := s.AddSale(Transaction{Amount: math.MaxInt64 / 3, Day: d}, Quote{Amount: math.MaxInt64 / 3}); err != nil {
				t.Fatal(err)
			}
			if err := s.AddRefund(d, ChannelUnknown, math.MaxInt64/3, 0); err != nil {
				t.Fatal(err)
			}
		}
		// Rows of large opposite signs: partial sums overflow in some
		// orders, the exact total fits.
		s.AddSale(Transaction{Amount: math.MaxInt64, Day: 20261110}, Quote{Amount: math.MaxInt64})
		s.AddRefund(20261111, ChannelChip, math.MaxInt64, 0)
		s.AddSale(Transaction{Amount: 5, Day: 20261112}, Quote{Amount: 5})
		return &s
	}
	for i := 0; i < 200; i++ {
		tot, ok := build().Total()
		if !ok || tot.Gross != 5 || tot.Net != 5 || tot.Sales != 7 || tot.Refunds != 6 {
			t.Fatalf("run %d: %+v %v", i, tot, ok)
		}
	}
	// A total that does not fit is ok=false every time, and that field 0.
	for i := 0; i < 50; i++ {
		var s Summary
		s.AddSale(Transaction{Amount: math.MaxInt64, Day: 1}, Quote{Amount: math.MaxInt64})
		s.AddSale(Transaction{Amount: 1, Day: 2}, Quote{Amount: 1})
		tot, ok := s.Total()
		if ok || tot.Gross != 0 || tot.Sales != 2 {
			t.Fatalf("overflow: %+v %v", tot, ok)
		}
	}
}

// Total agrees with math/big on random rows.
func TestPropertySummaryTotal(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 300; i++ {
		var s Summary
		var want [3]big.Int // gross, fees, net
		for k := 0; k < 1+r.IntN(8); k++ {
			amount := r.Int64N(math.MaxInt64)
			fee := r.Int64N(amount/2 + 1)
			day := Date(1 + r.IntN(5))
			var err error
			if r.IntN(2) == 0 {
				q := Quote{Amount: amount, Fee: fee, N: 1}
				q.Lines[0].Fee = fee
				err = s.AddSale(Transaction{Amount: amount, Day: day}, q)
				if err == nil {
					want[0].Add(&want[0], big.NewInt(amount))
					want[1].Add(&want[1], big.NewInt(fee))
					want[2].Add(&want[2], big.NewInt(amount-fee))
				}
			} else {
				err = s.AddRefund(day, ChannelAlipay, amount, fee)
				if err == nil {
					want[0].Sub(&want[0], big.NewInt(amount))
					want[1].Sub(&want[1], big.NewInt(fee))
					want[2].Sub(&want[2], big.NewInt(amount-fee))
				}
			}
			if err != nil && !errors.Is(err, ErrOverflow) {
				t.Fatal(err)
			}
		}
		tot, ok := s.Total()
		fits := want[0].IsInt64() && want[1].IsInt64() && want[2].IsInt64()
		if ok != fits {
			t.Fatalf("ok %v, big says fits %v", ok, fits)
		}
		if ok && (tot.Gross != want[0].Int64() || tot.Fees != want[1].Int64() || tot.Net != want[2].Int64()) {
			t.Fatalf("%+v, want %v", tot, want)
		}
	}
}

// GrossUp refused reachable targets above MaxInt64/2.
func TestGrossUpLargeTargets(t *testing.T) {
	s, _ := New(FlatRetail(CNY))
	for _, target := range []int64{math.MaxInt64/2 + 1, 8_000_000_000_000_000_000, 9_000_000_000_000_000_000} {
		q, err := s.GrossUp(Transaction{Channel: ChannelChip}, target)
		if err != nil {
			t.Fatalf("%d: %v", target, err)
		}
		below, _ := s.Quote(Transaction{Amount: q.Amount - 1, Channel: ChannelChip})
		if q.Net < target || below.Net >= target {
			t.Errorf("%d: amount %d nets %d, one less nets %d", target, q.Amount, q.Net, below.Net)
		}
	}
	// 0.6% of MaxInt64 leaves less than MaxInt64 - 5.5e16: out of reach.
	if _, err := s.GrossUp(Transaction{Channel: ChannelChip}, math.MaxInt64-1); !errors.Is(err, ErrGrossUp) {
		t.Errorf("unreachable: %v", err)
	}
}

// A cap of exactly MaxInt64 was treated as no cap.
func TestCapOfMaxInt64IsACap(t *testing.T) {
	p := Pricing{Rate: Percent, Fixed: math.MaxInt64, Cap: math.MaxInt64}
	f, err := p.Fee(1_000_000)
	if err != nil || f != math.MaxInt64 {
		t.Fatalf("%d %v", f, err)
	}
	s, _ := New(Config{Currency: CNY, Rules: []Rule{{Pricing: p, FeeAboveAmount: true}}})
	q, err := s.Quote(Transaction{Amount: 1_000_000})
	if err != nil || q.Fee != math.MaxInt64 || !q.Lines[0].Capped {
		t.Fatalf("%+v %v", q, err)
	}
	p.Cap = 0 // no cap: the fee does not fit
	if _, err := p.Fee(1_000_000); !errors.Is(err, ErrOverflow) {
		t.Fatalf("uncapped: %v", err)
	}
}

// A minimum fee above the amount gave a negative net (0.01 with a 1.00
// minimum netted -0.99); a 0.00 sale was charged the minimum and could
// never be voided.
func TestFeeNeverAboveAmount(t *testing.T) {
	rule := Rule{Name: "min", Pricing: Pricing{Rate: 600_000, Min: 100}, Surcharges: []Surcharge{{Name: "flat", Pricing: Pricing{Fixed: 50}}}}
	s, _ := New(Config{Currency: CNY, Rules: []Rule{rule}})
	for _, tc := range []struct{ amount, fee int64 }{{0, 0}, {1, 1}, {120, 120}, {150, 150}, {1000, 150}} {
		q, err := s.Quote(Transaction{Amount: tc.amount})
		if err != nil || q.Fee != tc.fee || q.Net != tc.amount-tc.fee || q.Net < 0 {
			t.Errorf("%d: %+v %v", tc.amount, q, err)
		}
		var sum int64
		for _, l := range q.Breakdown() {
			sum += l.Fee
		}
		if sum != q.Fee {
			t.Errorf("%d: lines %d, fee %d", tc.amount, sum, q.Fee)
		}
	}
	q, _ := s.Quote(Transaction{Amount: 1})
	if q.Lines[1].Fee != 0 || !q.Lines[1].Capped || q.Lines[0].Fee != 1 || !q.Lines[0].Capped {
		t.Errorf("trim from the last line: %+v", q.Breakdown())
	}
	// A schedule that says so charges the minimum in full.
	rule.FeeAboveAmount = true
	s2, _ := New(Config{Currency: CNY, Rules: []Rule{rule}})
	if q, _ := s2.Quote(Transaction{Amount: 1}); q.Fee != 150 || q.Net != -149 {
		t.Errorf("fee above amount: %+v", q)
	}
	// A 0.00 sale is free and can be voided.
	zero := Transaction{Amount: 0, Day: 20261121}
	q0, _ := s.Quote(zero)
	sale := NewSale(zero, q0)
	if back, err := s.Void(&sale, 20261121); err != nil || back != 0 || !sale.Cancelled {
		t.Errorf("void of 0.00: %d %v", back, err)
	}
	if _, err := s.Void(&sale, 20261121); !errors.Is(err, ErrRefund) {
		t.Errorf("second void: %v", err)
	}
	if _, err := s.Reverse(&sale); !errors.Is(err, ErrRefund) {
		t.Errorf("reversal after void: %v", err)
	}
}

// A same-day void after a partial refund was allowed.
func TestVoidAfterPartialRefund(t *testing.T) {
	s, _ := New(FlatRetail(CNY))
	tx := Transaction{Amount: 10_000, Channel: ChannelChip, Day: 20261121}
	q, _ := s.Quote(tx)
	sale := NewSale(tx, q)
	if _, err := s.Refund(&sale, 4_000); err != nil {
		t.Fatal(err)
	}
	before := sale
	if _, err := s.Void(&sale, 20261121); !errors.Is(err, ErrRefund) || sale != before {
		t.Fatalf("void after partial refund: %v, %+v", err, sale)
	}
	checkPrefixOnce(t, func() error { _, err := s.Void(&sale, 20261121); return err }())
	// The rest is refunded instead; then nothing is left to void or refund.
	if back, err := s.Refund(&sale, 6_000); err != nil || sale.FeeReturned != sale.Fee {
		t.Fatalf("refund of the rest: %d %v", back, err)
	}
	if _, err := s.Void(&sale, 20261121); !errors.Is(err, ErrRefund) {
		t.Errorf("void after full refund: %v", err)
	}
	if _, err := s.Reverse(&sale); !errors.Is(err, ErrRefund) {
		t.Errorf("reversal after full refund: %v", err)
	}
	// A voided sale cannot be refunded.
	v := NewSale(tx, q)
	s.Void(&v, 20261121)
	if _, err := s.Refund(&v, 1); !errors.Is(err, ErrRefund) {
		t.Errorf("refund after void: %v", err)
	}
}

// The D0 surcharge never applied to QR channels, even on a QR rule.
func TestInstantPayoutOnQRRule(t *testing.T) {
	instant, _ := InstantPayout(CNY, Pricing{Fixed: 200})
	cfg := FlatRetail(CNY)
	for i := range cfg.Rules {
		cfg.Rules[i].Surcharges = []Surcharge{instant}
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range []Channel{ChannelWeChatPay, ChannelAlipay, ChannelUnionPayQR, ChannelContactless, ChannelChip} {
		q, err := s.Quote(Transaction{Amount: 100_000, Channel: ch, Payout: D0, Time: Clock(12, 0, 0)})
		if err != nil || q.N != 2 || q.Lines[1].Fee != 200 || q.Lines[1].Component != ComponentSurcharge {
			t.Errorf("%s: %+v %v", ch, q.Breakdown(), err)
		}
	}
	// Per channel: a surcharge restricted to channels its rule never
	// matches is refused, not silently dead.
	cardOnly := instant
	cardOnly.When.Channels = CardChannels
	cfg.Rules[0].Surcharges = []Surcharge{cardOnly} // rule 0 is contactless and QR: contactless still matches
	if _, err := New(cfg); err != nil {
		t.Errorf("overlapping channels: %v", err)
	}
	cardOnly.When.Channels = SetOf(ChannelSwipe)
	cfg.Rules[0].Surcharges = []Surcharge{cardOnly}
	var ve *ValidationError
	if _, err := New(cfg); !errors.As(err, &ve) || ve.Field != "surcharges[0].when.channels" {
		t.Errorf("dead surcharge: %v", err)
	}
}
