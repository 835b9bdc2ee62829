package fees

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// Benchmarks (run together: go test -run '^$' -bench . -count 6 ./fees;
// figures in docs/BENCHMARKS.md, "fees"):
//
//	BenchmarkFeeSingleRule          0 allocs (rate + cap + fixed), one validation path (Pricing.check)
//	BenchmarkFloorDecimalSingleRule the same fee with shopspring/decimal v1.4.0; ours ≥ 20× faster
//	BenchmarkQuote20Rules           0 allocs (worst case: the last rule matches)
//	BenchmarkQuoteUsage20Rules      the same with a Usage and a daily cap: 0 allocs

var benchAmounts = func() []int64 {
	r := rand.New(rand.NewPCG(7, 8))
	a := make([]int64, 1024)
	for i := range a {
		a[i] = 100 + r.Int64N(10_000_000) // 1.00 .. 100,000.00 CNY
	}
	return a
}()

var sinkFee int64

// The single rule: 0.6% + 0.10 CNY, capped at 20.00 CNY, half-up.
var singleRule = Pricing{Rate: 600_000, Fixed: 10, Cap: 2000}

// decimalFee computes singleRule's fee with shopspring/decimal: the amount
// in yuan times the rate, rounded half-up to the fen, plus the fixed fee,
// capped.
var (
	decRate  = decimal.RequireFromString("0.006")
	decFixed = decimal.New(10, -2)
	decCap   = decimal.New(2000, -2)
)

func decimalFee(amount int64) int64 {
	f := decimal.New(amount, -2).Mul(decRate).Round(2).Add(decFixed)
	if f.GreaterThan(decCap) {
		f = decCap
	}
	return f.Shift(2).IntPart()
}

// The decimal baseline computes the same fees as ours.
func TestDecimalBaselineAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 20000; i++ {
		a := r.Int64N(1_000_000_000)
		got, err := singleRule.Fee(a)
		if want := decimalFee(a); err != nil || got != want {
			t.Fatalf("%d: ours %d, decimal %d (%v)", a, got, want, err)
		}
	}
}

func BenchmarkFeeSingleRule(b *testing.B) {
	b.ReportAllocs()
	p := singleRule
	var s int64
	for i := 0; i < b.N; i++ {
		f, _ := p.Fee(benchAmounts[i&1023])
		s += f
	}
	sinkFee = s
}

func BenchmarkFloorDecimalSingleRule(b *testing.B) {
	b.ReportAllocs()
	var s int64
	for i := 0; i < b.N; i++ {
		s += decimalFee(benchAmounts[i&1023])
	}
	sinkFee = s
}

// twentyRules is a realistic acquirer schedule: special merchant classes
// and MCCs first, then scheme, funding and channel rules; the benchmark's
// transaction falls through to the last rule, an Interchange++ breakdown
// with an instant-settlement surcharge.
func twentyRules(tb testing.TB) *Schedule {
	instant, _ := InstantPayout(CNY, Pricing{Fixed: 200})
	rules := []Rule{
		{Name: "welfare", When: Match{Classes: SetOf(ClassPublicWelfare)}},
		{Name: "preferential", When: Match{Classes: SetOf(ClassPreferential)}, Pricing: Pricing{Rate: 380_000}},
		{Name: "utilities", When: Match{MCCs: []MCCRange{{4900, 4900}}}, Pricing: Pricing{Fixed: 100}},
		{Name: "hospitals", When: Match{MCCs: []MCCRange{{8062, 8062}, {8011, 8011}}}, Pricing: Pricing{Rate: 200_000}},
		{Name: "schools", When: Match{MCCs: []MCCRange{{8211, 8299}}}, Pricing: Pricing{Rate: 0}},
		{Name: "gov", When: Match{MCCs: []MCCRange{{9211, 9399}}}, Pricing: Pricing{Fixed: 50}},
		{Name: "cross-visa", When: Match{Region: CrossBorder, Schemes: SetOf(Visa)}, Pricing: Pricing{Rate: 2_500_000}},
		{Name: "cross-mc", When: Match{Region: CrossBorder, Schemes: SetOf(Mastercard)}, Pricing: Pricing{Rate: 2_500_000}},
		{Name: "cross-other", When: Match{Region: CrossBorder}, Pricing: Pricing{Rate: 3_000_000}},
		{Name: "wechat-small", When: Match{Channels: SetOf(ChannelWeChatPay), MaxAmount: 100000}, Pricing: Pricing{Rate: 380_000}},
		{Name: "wechat", When: Match{Channels: SetOf(ChannelWeChatPay)}, Pricing: Pricing{Rate: 600_000}},
		{Name: "alipay-small", When: Match{Channels: SetOf(ChannelAlipay), MaxAmount: 100000}, Pricing: Pricing{Rate: 380_000}},
		{Name: "alipay", When: Match{Channels: SetOf(ChannelAlipay)}, Pricing: Pricing{Rate: 600_000}},
		{Name: "upqr", When: Match{Channels: SetOf(ChannelUnionPayQR)}, Pricing: Pricing{Rate: 380_000}},
		{Name: "night", When: Match{Window: Window{From: Clock(23, 0, 0), To: Clock(5, 0, 0)}, Channels: CardChannels}, Pricing: Pricing{Rate: 700_000}},
		{Name: "prepaid", When: Match{Funding: SetOf(Prepaid)}, Pricing: Pricing{Rate: 500_000}},
		{Name: "contactless-small", When: Match{Channels: SetOf(ChannelContactless), MaxAmount: 100000}, Pricing: Pricing{Rate: 380_000}},
		{Name: "credit", When: Match{Channels: CardChannels, Funding: SetOf(Credit)}, Parts: []Part{
			{Component: ComponentIssuer, Pricing: China2016IssuerCredit}, {Component: ComponentNetwork, Pricing: China2016Network}, {Component: ComponentAcquirer, Pricing: Pricing{Rate: 100_000}},
		}, Surcharges: []Surcharge{instant}},
		{Name: "jcb-amex", When: Match{Schemes: SetOf(JCB, Amex)}, Pricing: Pricing{Rate: 1_000_000}},
		{Name: "debit", When: Match{Channels: CardChannels, Funding: SetOf(Debit)}, Parts: []Part{
			{Component: ComponentIssuer, Pricing: China2016IssuerDebit}, {Component: ComponentNetwork, Pricing: China2016Network}, {Component: ComponentAcquirer, Pricing: Pricing{Rate: 100_000}},
		}, Surcharges: []Surcharge{instant}},
	}
	s, err := New(Config{Currency: CNY, Rules: rules})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestTwentyRulesLastMatches(t *testing.T) {
	s := twentyRules(t)
	if len(s.rules) != 20 {
		t.Fatalf("%d rules", len(s.rules))
	}
	q, err := s.Quote(Transaction{Amount: 1_000_000, Channel: ChannelChip, Funding: Debit, Scheme: UnionPay, MCC: 5411, Payout: D0, Time: Clock(12, 0, 0)})
	if err != nil || q.Rule != 19 || q.N != 4 || q.Fee != 1300+325+1000+200 {
		t.Fatalf("%+v %v", q, err)
	}
}

func BenchmarkQuote20Rules(b *testing.B) {
	s := twentyRules(b)
	tx := Transaction{Channel: ChannelChip, Funding: Debit, Scheme: UnionPay, MCC: 5411, Payout: D0, Time: Clock(12, 0, 0)}
	b.ReportAllocs()
	b.ResetTimer()
	var sum int64
	for i := 0; i < b.N; i++ {
		tx.Amount = benchAmounts[i&1023]
		q, err := s.Quote(tx)
		if err != nil {
			b.Fatal(err)
		}
		sum += q.Fee
	}
	sinkFee = sum
}

func BenchmarkQuoteUsage20Rules(b *testing.B) {
	cfg := twentyRules(b).Config()
	cfg.DailyCap = 1 << 40
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	tx := Transaction{Channel: ChannelChip, Funding: Debit, Scheme: UnionPay, MCC: 5411, Payout: D0, Time: Clock(12, 0, 0), Day: 20261121}
	var u Usage
	b.ReportAllocs()
	b.ResetTimer()
	var sum int64
	for i := 0; i < b.N; i++ {
		tx.Amount = benchAmounts[i&1023]
		q, err := s.QuoteUsage(tx, &u)
		if err != nil {
			b.Fatal(err)
		}
		sum += q.Fee
		if i&1023 == 1023 {
			u = Usage{} // keep the volumes far from int64
		}
	}
	sinkFee = sum
}

// Quote and QuoteUsage allocate nothing, on the success and error paths.
func TestQuoteDoesNotAllocate(t *testing.T) {
	s := twentyRules(t)
	cfg := s.Config()
	cfg.DailyCap = 1 << 40
	su, _ := New(cfg)
	tx := Transaction{Amount: 123_456, Channel: ChannelChip, Funding: Debit, Payout: D0, Time: Clock(12, 0, 0), Day: 20261121}
	var u Usage
	for name, f := range map[string]func(){
		"quote":       func() { s.Quote(tx) },
		"quote usage": func() { su.QuoteUsage(tx, &u) },
		"no rule":     func() { s.Quote(Transaction{Channel: ChannelUnknown, Funding: FundingUnknown, Amount: 1}) },
		"bad tx":      func() { s.Quote(Transaction{Amount: -1}) },
		"fee":         func() { singleRule.Fee(123_456) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}
