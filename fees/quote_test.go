package fees

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// Figures from the seeds (common Chinese retail pricing): 0.6% for
// a card payment, 0.38% for QR and contactless (10,000 CNY costs 38 CNY),
// debit cards capped (封顶), instant settlement for card payments of 11 CNY
// or more between 00:00 and 23:00.
func TestSeedFigures(t *testing.T) {
	s, err := New(FlatRetail(CNY))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ch   Channel
		want int64
		rule string
	}{
		{ChannelWeChatPay, 3800, "contactless-qr"},
		{ChannelAlipay, 3800, "contactless-qr"},
		{ChannelUnionPayQR, 3800, "contactless-qr"},
		{ChannelContactless, 3800, "contactless-qr"},
		{ChannelChip, 6000, "card"},
		{ChannelSwipe, 6000, "card"},
	} {
		q, err := s.Quote(Transaction{Amount: 1_000_000, Channel: tc.ch})
		if err != nil {
			t.Fatal(tc.ch, err)
		}
		if q.Fee != tc.want || q.RuleName != tc.rule || q.Net != 1_000_000-tc.want || q.N != 1 || q.Lines[0].Fee != tc.want {
			t.Errorf("%s: got fee %d rule %q net %d lines %v, want %d by %q", tc.ch, q.Fee, q.RuleName, q.Net, q.Breakdown(), tc.want, tc.rule)
		}
		if got := FormatAmount(q.Fee, CNY); tc.want == 3800 && got != "38.00" {
			t.Errorf("FormatAmount = %q", got)
		}
	}
	if _, err := s.Quote(Transaction{Amount: 100, Channel: ChannelUnknown}); !errors.Is(err, ErrNoRule) {
		t.Errorf("unknown channel: %v", err)
	}
}

func TestCappedDebit(t *testing.T) {
	s, err := New(China2016(MustParseRate("0.1%")))
	if err != nil {
		t.Fatal(err)
	}
	// 10,000.00 CNY debit: issuer 0.35% = 35.00 capped at 13.00; network
	// 0.0325% = 3.25 (exactly at the cap, not lowered); acquirer 0.1% = 10.00.
	q, err := s.Quote(Transaction{Amount: 1_000_000, Channel: ChannelChip, Funding: Debit})
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{Name: "issuer", Component: ComponentIssuer, Rate: 350000, Fee: 1300, Capped: true},
		{Name: "network", Component: ComponentNetwork, Rate: 32500, Fee: 325},
		{Name: "acquirer", Component: ComponentAcquirer, Rate: 100000, Fee: 1000},
	}
	checkLines(t, q, want, 2625)
	// 100,000.00 CNY debit: network 32.50 capped at 3.25.
	q, _ = s.Quote(Transaction{Amount: 10_000_000, Channel: ChannelSwipe, Funding: Debit})
	want[1].Fee, want[1].Capped, want[2].Fee = 325, true, 10000
	checkLines(t, q, want, 1300+325+10000)
	// 1,000.00 CNY credit: issuer 0.45% = 4.50 uncapped, network 0.325 → 0.33
	// (half-up), acquirer 1.00.
	q, _ = s.Quote(Transaction{Amount: 100_000, Channel: ChannelContactless, Funding: Credit})
	checkLines(t, q, []Line{
		{Name: "issuer", Component: ComponentIssuer, Rate: 450000, Fee: 450},
		{Name: "network", Component: ComponentNetwork, Rate: 32500, Fee: 33},
		{Name: "acquirer", Component: ComponentAcquirer, Rate: 100000, Fee: 100},
	}, 583)
	if _, err := s.Quote(Transaction{Amount: 100, Channel: ChannelChip, Funding: Prepaid}); !errors.Is(err, ErrNoRule) {
		t.Errorf("prepaid: %v", err)
	}
}

func checkLines(t *testing.T, q Quote, want []Line, total int64) {
	t.Helper()
	got := q.Breakdown()
	if len(got) != len(want) {
		t.Fatalf("lines %v, want %v", got, want)
	}
	var sum int64
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: %+v, want %+v", i, got[i], want[i])
		}
		sum += got[i].Fee
	}
	if q.Fee != total || sum != total || q.Net != q.Amount-total {
		t.Errorf("fee %d (lines sum %d, net %d), want %d", q.Fee, sum, q.Net, total)
	}
}

func instantSchedule(t testing.TB) *Schedule {
	cfg := FlatRetail(CNY)
	sc, ok := InstantPayout(CNY, Pricing{Fixed: 300}) // 3.00 CNY per instant payout
	if !ok {
		t.Fatal("InstantSettlement")
	}
	cfg.Rules[1].Surcharges = []Surcharge{sc}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestInstantSettlementSurcharge(t *testing.T) {
	s := instantSchedule(t)
	for _, tc := range []struct {
		amount int64
		at     TimeOfDay
		set    Settlement
		want   bool
	}{
		{1100, Clock(12, 0, 0), D0, true},   // 11.00 CNY: applied
		{1099, Clock(12, 0, 0), D0, false},  // 10.99 CNY: below the minimum
		{1100, Clock(23, 30, 0), D0, false}, // 23:30: outside 00:00-23:00
		{1100, Clock(0, 0, 0), D0, true},    // window start is inside
		{1100, Clock(22, 59, 59), T0, true}, // last second inside
		{1100, Clock(23, 0, 0), D0, false},  // window end is outside
		{1100, Clock(12, 0, 0), T1, false},  // not instant settlement
		{500000, Clock(9, 0, 0), D0, true},  // large amount
		{1099, Clock(23, 30, 0), D0, false}, // both reasons
	} {
		q, err := s.Quote(Transaction{Amount: tc.amount, Channel: ChannelChip, Payout: tc.set, Time: tc.at})
		if err != nil {
			t.Fatal(err)
		}
		base, _ := Pricing{Rate: 600000}.Fee(tc.amount)
		got := q.N == 2 && q.Lines[1].Component == ComponentSurcharge && q.Lines[1].Fee == 300 && q.Lines[1].Name == "instant"
		if got != tc.want || q.Lines[0].Fee != base {
			t.Errorf("%s at %s (%s): lines %v, surcharge want %v", FormatAmount(tc.amount, CNY), tc.at, tc.set, q.Breakdown(), tc.want)
		}
		wantFee := base
		if tc.want {
			wantFee += 300
		}
		if q.Fee != wantFee {
			t.Errorf("fee %d, want %d", q.Fee, wantFee)
		}
	}
	// Card 11.00 CNY with the surcharge: 0.066 → 0.07 + 3.00.
	q, _ := s.Quote(Transaction{Amount: 1100, Channel: ChannelSwipe, Payout: D0, Time: Clock(10, 0, 0)})
	if q.Fee != 307 {
		t.Errorf("11.00 D0 fee %d, want 307", q.Fee)
	}
}

func TestConditions(t *testing.T) {
	cfg := Config{Currency: CNY, Rules: []Rule{
		{Name: "mcc", When: Match{MCCs: []MCCRange{{5411, 5411}, {5812, 5814}}}, Pricing: Pricing{Rate: 1 * Percent}},
		{Name: "cross", When: Match{Region: CrossBorder}, Pricing: Pricing{Rate: 2 * Percent}},
		{Name: "visa-credit", When: Match{Schemes: SetOf(Visa), Funding: SetOf(Credit)}, Pricing: Pricing{Rate: 3 * Percent}},
		{Name: "welfare", When: Match{Classes: SetOf(ClassPublicWelfare)}, Pricing: Pricing{}},
		{Name: "night", When: Match{Window: Window{From: Clock(22, 0, 0), To: Clock(6, 0, 0)}}, Pricing: Pricing{Fixed: 7}},
		{Name: "big", When: Match{MinAmount: 100000, MaxAmount: 200000, Region: Domestic}, Pricing: Pricing{Fixed: 9}},
		{Name: "rest", Pricing: Pricing{Fixed: 1}},
	}}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	noon := Clock(12, 0, 0)
	for _, tc := range []struct {
		tx   Tx
		rule string
	}{
		{Transaction{Amount: 100, MCC: 5411, Time: noon}, "mcc"},
		{Transaction{Amount: 100, MCC: 5813, Time: noon}, "mcc"},
		{Transaction{Amount: 100, MCC: 5815, Time: noon}, "rest"},
		{Transaction{Amount: 100, CrossBorder: true, Time: noon}, "cross"},
		{Transaction{Amount: 100, Scheme: Visa, Funding: Credit, Time: noon}, "visa-credit"},
		{Transaction{Amount: 100, Scheme: Visa, Funding: Debit, Time: noon}, "rest"},
		{Transaction{Amount: 100, Class: ClassPublicWelfare, Time: noon}, "welfare"},
		{Transaction{Amount: 100, Time: Clock(23, 0, 0)}, "night"},
		{Transaction{Amount: 100, Time: Clock(5, 59, 59)}, "night"},
		{Transaction{Amount: 100, Time: Clock(6, 0, 0)}, "rest"},
		{Transaction{Amount: 100000, Time: noon}, "big"},
		{Transaction{Amount: 200000, Time: noon}, "big"},
		{Transaction{Amount: 200001, Time: noon}, "rest"},
		{Transaction{Amount: 99999, Time: noon}, "rest"},
	} {
		q, err := s.Quote(tc.tx)
		if err != nil || q.RuleName != tc.rule || s.config.Rules[q.Rule].Name != tc.rule {
			t.Errorf("%+v: rule %q (%v), want %q", tc.tx, q.RuleName, err, tc.rule)
		}
	}
}

func TestTiers(t *testing.T) {
	// QR up to 1,000.00 CNY at 0.38%, above at 0.6% (the tier example).
	s, err := New(Config{Currency: CNY, Rules: []Rule{{
		Name: "qr",
		Tiers: []Tier{
			{UpTo: 100000, Pricing: Pricing{Rate: FlatRetailQR}},
			{Pricing: Pricing{Rate: FlatRetailCard}},
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ amount, fee int64 }{{100000, 380}, {100001, 600}, {1, 0}, {1000000, 6000}} {
		q, err := s.Quote(Transaction{Amount: tc.amount})
		if err != nil || q.Fee != tc.fee {
			t.Errorf("%d: fee %d (%v), want %d", tc.amount, q.Fee, err, tc.fee)
		}
	}
}

func TestQuoteErrors(t *testing.T) {
	s, _ := New(FlatRetail(CNY))
	if _, err := s.Quote(Transaction{Amount: -1, Channel: ChannelChip}); !errors.Is(err, ErrTx) {
		t.Errorf("negative: %v", err)
	}
	if _, err := s.Quote(Transaction{Amount: 1, Channel: 40}); !errors.Is(err, ErrTx) {
		t.Errorf("channel 40: %v", err)
	}
	if _, err := s.Quote(Transaction{Amount: 1, Channel: ChannelChip, Time: 90000}); !errors.Is(err, ErrTx) {
		t.Errorf("time: %v", err)
	}
	if _, err := s.Quote(Transaction{Amount: 1, Channel: ChannelChip, Currency: USD}); !errors.Is(err, ErrCurrency) {
		t.Errorf("currency: %v", err)
	}
	if q, err := s.Quote(Transaction{Amount: 1, Channel: ChannelChip, Currency: CNY}); err != nil || q.Fee != 0 {
		t.Errorf("same currency: %v %v", q, err)
	}
	// Overflow through a fixed fee.
	big, err := New(Config{Currency: CNY, Rules: []Rule{{Parts: []Part{
		{Pricing: Pricing{Fixed: 1 << 62}}, {Pricing: Pricing{Fixed: 1 << 62}}, {Pricing: Pricing{Fixed: 1 << 62}},
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := big.Quote(Transaction{Amount: 1}); !errors.Is(err, ErrOverflow) {
		t.Errorf("overflow: %v", err)
	}
	if _, err := (Pricing{Rate: RateScale, Fixed: 1}).Fee(1<<63 - 1); !errors.Is(err, ErrOverflow) {
		t.Errorf("Fee overflow: %v", err)
	}
}

func TestScheduleImmutableAndConcurrent(t *testing.T) {
	cfg := FlatRetail(CNY)
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Rules[0].Pricing.Rate = 50 * Percent // the caller's config changes later
	got := s.Config()
	got.Rules[1].Pricing.Rate = 0
	q, _ := s.Quote(Transaction{Amount: 1_000_000, Channel: ChannelAlipay})
	q2, _ := s.Quote(Transaction{Amount: 1_000_000, Channel: ChannelChip})
	if q.Fee != 3800 || q2.Fee != 6000 {
		t.Fatalf("schedule changed through a config: %d %d", q.Fee, q2.Fee)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := int64(0); i < 2000; i++ {
				q, err := s.Quote(Transaction{Amount: i * 100, Channel: Channel(1 + (int(i)+g)%6)})
				if err != nil || q.Fee != q.Lines[0].Fee {
					t.Error(err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestValidation(t *testing.T) {
	good := func() Config { return China2016(MustParseRate("0.1%")) }
	for _, tc := range []struct {
		name  string
		edit  func(*Config)
		rule  int
		field string
		cause error
	}{
		{"currency", func(c *Config) { c.Currency = Currency{} }, -1, "currency", ErrCurrency},
		{"gold", func(c *Config) { c.Currency = MustCurrency("XAU") }, -1, "currency", ErrCurrency},
		{"no rules", func(c *Config) { c.Rules = nil }, -1, "rules", ErrInvalid},
		{"refund policy", func(c *Config) { c.Refunds.Refund = FeeFull }, -1, "refunds.refund", ErrInvalid},
		{"void policy", func(c *Config) { c.Refunds.Void = FeeProportional }, -1, "refunds.void", ErrInvalid},
		{"reversal policy", func(c *Config) { c.Refunds.Reversal = 9 }, -1, "refunds.reversal", ErrInvalid},
		{"rate", func(c *Config) { c.Rules[1].Parts[0].Rate = RateScale + 1 }, 1, "parts[0].rate", ErrRate},
		{"cap", func(c *Config) { c.Rules[0].Parts[1].Cap = -1 }, 0, "parts[1].cap", ErrAmount},
		{"fixed", func(c *Config) { c.Rules[0].Parts[1].Fixed = -1 }, 0, "parts[1].fixed", ErrAmount},
		{"min", func(c *Config) { c.Rules[0].Parts[1].Min = -1 }, 0, "parts[1].min", ErrAmount},
		{"min>cap", func(c *Config) { c.Rules[0].Parts[1].Min = 1000 }, 0, "parts[1].min", ErrAmount},
		{"rounding", func(c *Config) { c.Rules[0].Parts[2].Rounding = 7 }, 0, "parts[2].rounding", ErrInvalid},
		{"kind", func(c *Config) { c.Rules[0].Parts[2].Component = 77 }, 0, "parts[2].component", ErrInvalid},
		{"both", func(c *Config) { c.Rules[0].Rate = 1 }, 0, "rate", ErrInvalid},
		{"region", func(c *Config) { c.Rules[1].When.Region = 5 }, 1, "when.region", ErrInvalid},
		{"min amount", func(c *Config) { c.Rules[1].When.MinAmount = -5 }, 1, "when.min_amount", ErrAmount},
		{"max amount", func(c *Config) { c.Rules[1].When.MaxAmount = -5 }, 1, "when.max_amount", ErrAmount},
		{"max<min", func(c *Config) { c.Rules[1].When.MinAmount, c.Rules[1].When.MaxAmount = 10, 5 }, 1, "when.max_amount", ErrAmount},
		{"window", func(c *Config) { c.Rules[1].When.Window.From = 86400 }, 1, "when.window.from", ErrInvalid},
		{"window to", func(c *Config) { c.Rules[1].When.Window.To = -1 }, 1, "when.window.to", ErrInvalid},
		{"mcc", func(c *Config) { c.Rules[1].When.MCCs = []MCCRange{{6000, 5000}} }, 1, "when.mcc[0]", ErrInvalid},
		{"tier last", func(c *Config) {
			c.Rules[1].Parts[2] = Part{Tiers: []Tier{{UpTo: 5}}}
		}, 1, "parts[2].tiers[0].up_to", ErrInvalid},
		{"tier order", func(c *Config) {
			c.Rules[1].Parts[2] = Part{Tiers: []Tier{{UpTo: 5}, {UpTo: 5}, {}}}
		}, 1, "parts[2].tiers[1].up_to", ErrInvalid},
		{"tier pricing", func(c *Config) {
			c.Rules[1].Parts[2] = Part{Tiers: []Tier{{UpTo: 5}, {Pricing: Pricing{Cap: -1}}}}
		}, 1, "parts[2].tiers[1].cap", ErrAmount},
		{"tier and pricing", func(c *Config) {
			c.Rules[1].Parts[2] = Part{Pricing: Pricing{Fixed: 1}, Tiers: []Tier{{}}}
		}, 1, "parts[2].rate", ErrInvalid},
		{"surcharge when", func(c *Config) {
			c.Rules[0].Surcharges = []Surcharge{{When: Match{MinAmount: -1}}}
		}, 0, "surcharges[0].when.min_amount", ErrAmount},
		{"surcharge pricing", func(c *Config) {
			c.Rules[0].Surcharges = []Surcharge{{Pricing: Pricing{Rate: -1}}}
		}, 0, "surcharges[0].rate", ErrRate},
		{"too many lines", func(c *Config) {
			c.Rules[0].Surcharges = make([]Surcharge, MaxLines)
		}, 0, "surcharges", ErrInvalid},
	} {
		c := good()
		tc.edit(&c)
		_, err := New(c)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Rule != tc.rule || ve.Field != tc.field || !errors.Is(err, ErrInvalid) || !errors.Is(err, tc.cause) {
			t.Errorf("%s: %v (%+v)", tc.name, err, ve)
			continue
		}
		checkPrefixOnce(t, err)
		if tc.rule >= 0 && ve.RuleName != c.Rules[tc.rule].Name {
			t.Errorf("%s: rule name %q", tc.name, ve.RuleName)
		}
	}
	if err := (Pricing{Rate: 1, Min: 5, Cap: 4}).Validate(); !errors.Is(err, ErrAmount) {
		t.Errorf("Validate: %v", err)
	}
	if _, err := (Pricing{Rate: 1, Min: 5, Cap: 4}).Fee(10); !errors.Is(err, ErrAmount) {
		t.Errorf("Fee with min>cap: %v", err)
	}
	if _, err := (Pricing{Rate: -1}).Fee(10); !errors.Is(err, ErrRate) {
		t.Errorf("Fee with bad rate: %v", err)
	}
	if _, err := (Pricing{}).Fee(-1); !errors.Is(err, ErrAmount) {
		t.Errorf("Fee with negative amount: %v", err)
	}
}

// The rule index (schedules of up to 64 rules) picks the same rule as the
// plain first-match scan used for larger schedules, over random schedules
// and transactions.
func TestRuleIndexAgreesWithScan(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	randSet := func(n int) uint32 {
		if r.IntN(2) == 0 {
			return 0
		}
		return uint32(r.Int64N(1 << n))
	}
	for trial := 0; trial < 300; trial++ {
		var rules []Rule
		for k := 0; k < 1+r.IntN(64); k++ {
			m := Match{
				Channels: Set[Channel](randSet(7)),
				Funding:  Set[Funding](randSet(4)),
				Schemes:  Set[Scheme](randSet(7)),
				Classes:  Set[MerchantClass](randSet(6)),
				Payout:   Set[Payout](randSet(4)),
				Kinds:    Set[TransactionKind](randSet(6)),
				Region:   Region(r.IntN(3)),
			}
			if r.IntN(4) == 0 {
				m.MinAmount = r.Int64N(5000)
			}
			if r.IntN(4) == 0 {
				m.Window = Window{From: TimeOfDay(r.IntN(86400)), To: TimeOfDay(r.IntN(86400))}
			}
			if r.IntN(4) == 0 {
				a := uint16(r.IntN(9000))
				m.MCCs = []MCCRange{{a, a + uint16(r.IntN(500))}}
			}
			rules = append(rules, Rule{Name: fmt.Sprint(k), When: m, Pricing: Pricing{Fixed: int64(k)}})
		}
		s, err := New(Config{Currency: CNY, Rules: rules})
		if err != nil {
			t.Fatal(err)
		}
		if s.idx == nil {
			t.Fatal("no index")
		}
		scan := *s
		scan.idx = nil
		for i := 0; i < 200; i++ {
			tx := Transaction{Amount: r.Int64N(10000), Channel: Channel(r.IntN(7)), Funding: Funding(r.IntN(4)), Scheme: Scheme(r.IntN(7)),
				Class: MerchantClass(r.IntN(6)), Payout: Payout(r.IntN(4)), Kind: TransactionKind(r.IntN(6)), CrossBorder: r.IntN(2) == 0,
				Time: TimeOfDay(r.IntN(86400)), MCC: uint16(r.IntN(10000))}
			a, errA := s.Quote(tx)
			b, errB := scan.Quote(tx)
			if a != b || !errors.Is(errA, errB) && errA != errB {
				t.Fatalf("index %+v %v, scan %+v %v", a, errA, b, errB)
			}
		}
	}
	// More than 64 rules: no index, still first match.
	var many []Rule
	for k := 0; k < 70; k++ {
		many = append(many, Rule{Name: fmt.Sprint(k), When: Match{MinAmount: int64(70 - k)}, Pricing: Pricing{Fixed: int64(k)}})
	}
	s, _ := New(Config{Currency: CNY, Rules: many})
	if s.idx != nil {
		t.Fatal("index for 70 rules")
	}
	if q, err := s.Quote(Transaction{Amount: 65}); err != nil || q.Rule != 5 {
		t.Fatalf("70 rules: %+v %v", q, err)
	}
	if _, err := s.Quote(Transaction{Amount: 0}); !errors.Is(err, ErrNoRule) {
		t.Fatalf("70 rules, no match: %v", err)
	}
}
