package fees

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Every sentinel reads "fees: what", and every error the package returns
// reads "fees: what: detail" with the prefix once (issue #20).
func TestErrorFormat(t *testing.T) {
	sentinels := []error{ErrRate, ErrAmount, ErrCurrency, ErrInvalid, ErrNoRule, ErrOverflow, ErrTransaction,
		ErrRefund, ErrNotSameDay, ErrGrossUp, ErrUsage, ErrJSON}
	for _, e := range sentinels {
		if msg := e.Error(); !strings.HasPrefix(msg, "fees: ") || strings.Count(msg, "fees:") != 1 || strings.Count(msg, ":") != 1 {
			t.Errorf("sentinel %q", msg)
		}
	}
	s, _ := New(FlatRetail(CNY))
	v, _ := New(volumeConfig())
	sale := Sale{Amount: 5, Fee: 1}
	bad := Sale{Amount: -1}
	var u Usage
	var sum Summary
	errs := []error{
		func() error { _, err := ParseRate("x"); return err }(),
		func() error { _, err := ParseRate("101%"); return err }(),
		func() error { _, err := ParseAmount("1.234", CNY); return err }(),
		func() error { _, err := ParseAmount("1", MustCurrency("XAU")); return err }(),
		func() error { _, err := ParseCurrency("XYZ"); return err }(),
		func() error { _, err := ParseTimeOfDay("25:00"); return err }(),
		Pricing{Cap: -1}.Validate(),
		Pricing{Rate: -1}.Validate(),
		Pricing{Rounding: 9}.Validate(),
		func() error { _, err := Pricing{}.Fee(-1); return err }(),
		func() error { _, err := Pricing{Fixed: math.MaxInt64, Rate: Percent}.Fee(1000); return err }(),
		func() error { _, err := s.Quote(Transaction{Amount: -1}); return err }(),
		func() error { _, err := s.Quote(Transaction{Channel: 40}); return err }(),
		func() error { _, err := s.Quote(Transaction{Currency: USD}); return err }(),
		func() error { _, err := s.Quote(Transaction{}); return err }(),
		func() error { _, err := v.Quote(Transaction{Day: 20260101}); return err }(),
		func() error { _, err := v.QuoteUsage(Transaction{}, &u); return err }(),
		func() error { _, err := s.Refund(&sale, 9); return err }(),
		func() error { _, err := s.Refund(&bad, 1); return err }(),
		func() error { _, err := s.Void(&sale, 1); return err }(),
		func() error { _, err := s.GrossUp(Transaction{}, -1); return err }(),
		func() error { _, err := s.GrossUp(Transaction{Channel: ChannelChip}, math.MaxInt64); return err }(),
		sum.AddRefund(1, 0, -1, 0),
		sum.AddSale(Transaction{Amount: 1}, Quote{}),
		func() error { _, err := New(Config{}); return err }(),
		func() error { _, err := New(Config{Currency: CNY}); return err }(),
		func() error {
			_, err := New(Config{Currency: CNY, Rules: []Rule{{Pricing: Pricing{Cap: -1}}}})
			return err
		}(),
		func() error {
			_, err := New(Config{Currency: CNY, Refunds: RefundPolicy{Void: 9}, Rules: []Rule{{}}})
			return err
		}(),
		func() error { _, err := LoadJSON([]byte(`{`)); return err }(),
		func() error { _, err := LoadJSON([]byte(`{"currency": "CNY", "rules": [{"rate": 0.6}]}`)); return err }(),
		func() error { _, err := LoadJSON([]byte(`{"currency": "CNY", "rules": [{"RATE": "1%"}]}`)); return err }(),
		func() error { _, err := (Config{}).MarshalJSON(); return err }(),
	}
	for i, err := range errs {
		if err == nil {
			t.Errorf("%d: no error", i)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "fees: ") || strings.Count(msg, "fees:") != 1 || strings.Contains(msg, "%!") {
			t.Errorf("%d: %q", i, msg)
		}
		found := false
		for _, e := range sentinels {
			found = found || errors.Is(err, e)
		}
		if !found {
			t.Errorf("%d: %q wraps no sentinel", i, msg)
		}
	}
}

// GrossUp finds the smallest amount whose net reaches the target,
// checked against the big.Rat model (ratFee, with the fee no more than
// the amount) at the answer and one below.
func TestPropertyGrossUp(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for i := 0; i < n; i++ {
		p := Pricing{Rate: Rate(r.Int64N(int64(RateScale))), Rounding: Rounding(r.IntN(4))}
		if r.IntN(2) == 0 {
			p.Fixed = r.Int64N(1000)
		}
		if r.IntN(3) == 0 {
			p.Cap = p.Fixed + r.Int64N(1_000_000)
		}
		if r.IntN(3) == 0 {
			p.Min = r.Int64N(500)
			if p.Cap != 0 && p.Min > p.Cap {
				p.Min = p.Cap
			}
		}
		s, err := New(Config{Currency: CNY, Rules: []Rule{{Pricing: p}}})
		if err != nil {
			t.Fatal(err)
		}
		target := randAmount(r) >> uint(r.IntN(63))
		net := func(a int64) int64 {
			f, _ := ratFee(a, p)
			return a - min(f, a)
		}
		q, err := s.GrossUp(Transaction{}, target)
		if err != nil {
			if !errors.Is(err, ErrGrossUp) || net(math.MaxInt64) >= target {
				t.Fatalf("%+v target %d: %v (net at MaxInt64 %d)", p, target, err, net(math.MaxInt64))
			}
			continue
		}
		if q.Net != net(q.Amount) || q.Net < target || (q.Amount > 0 && net(q.Amount-1) >= target) {
			t.Fatalf("%+v target %d: amount %d nets %d; model nets %d there, %d one below", p, target, q.Amount, q.Net, net(q.Amount), net(q.Amount-1))
		}
	}
}
