package fees

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
)

// An acquirer price list by transaction type: pre-authorisation free,
// completion at the card rate, balance inquiry 0.30 and fund transfer
// 2.00 flat (fixed fees on no amount, so FeeAboveAmount).
func kindsConfig() Config {
	return Config{
		Name:     "by kind",
		Currency: CNY,
		Rules: []Rule{
			{Name: "pre-auth", When: Match{Kinds: SetOf(KindPreAuth)}},
			{Name: "inquiry", When: Match{Kinds: SetOf(KindBalanceInquiry)}, Pricing: Pricing{Fixed: 30}, FeeAboveAmount: true},
			{Name: "transfer", When: Match{Kinds: SetOf(KindTransfer)}, Pricing: Pricing{Fixed: 200}, FeeAboveAmount: true},
			{Name: "card", When: Match{Kinds: SetOf(KindSale, KindCompletion)}, Pricing: Pricing{Rate: 600_000},
				Refunds: RefundPolicy{Refund: FeeKept}},
		},
	}
}

func TestTransactionKinds(t *testing.T) {
	s, err := New(kindsConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kind     TransactionKind
		amount   int64
		rule     string
		fee, net int64
	}{
		{KindPreAuth, 100_000, "pre-auth", 0, 100_000},
		{KindCompletion, 100_000, "card", 600, 99_400},
		{KindSale, 100_000, "card", 600, 99_400},
		{KindBalanceInquiry, 0, "inquiry", 30, -30},
		{KindTransfer, 50_000, "transfer", 200, 49_800},
	} {
		q, err := s.Quote(Transaction{Kind: tc.kind, Amount: tc.amount})
		if err != nil || q.RuleName != tc.rule || q.Fee != tc.fee || q.Net != tc.net {
			t.Errorf("%s: %+v %v", tc.kind, q, err)
		}
	}
	if _, err := s.Quote(Transaction{Kind: KindCashAdvance, Amount: 1}); !errors.Is(err, ErrNoRule) {
		t.Errorf("cash advance: %v", err)
	}
	if _, err := s.Quote(Transaction{Kind: 40}); !errors.Is(err, ErrTransaction) {
		t.Errorf("kind 40: %v", err)
	}
	// The card rule keeps its fee on refunds; the schedule's void policy
	// (full) still applies to it.
	tx := Transaction{Amount: 10_000, Day: 20261121}
	q, _ := s.Quote(tx)
	sale := NewSale(tx, q)
	if back, _ := s.Refund(&sale, 5_000); back != 0 {
		t.Errorf("kept refund returned %d", back)
	}
	sale2 := NewSale(tx, q)
	if back, _ := s.Void(&sale2, 20261121); back != 60 {
		t.Errorf("void returned %d", back)
	}
	cfg := kindsConfig()
	cfg.Rules[3].Refunds.Void = FeeProportional
	var ve *ValidationError
	if _, err := New(cfg); !errors.As(err, &ve) || ve.Field != "refunds.void" {
		t.Errorf("rule policy: %v", err)
	}
}

// volumeConfig prices card payments by the month's volume so far, with a
// per-transaction amount tier on the acquirer part, and caps the day's
// fees at 50.00.
func volumeConfig() Config {
	return Config{
		Currency: CNY,
		DailyCap: 5_000,
		Rules: []Rule{{
			Name: "card",
			Parts: []Part{
				{Name: "volume", Component: ComponentAcquirer, TierBy: ByMonthVolume, Tiers: []Tier{
					{UpTo: 10_000_000, Pricing: Pricing{Rate: 600_000}},
					{UpTo: 50_000_000, Pricing: Pricing{Rate: 500_000, Rounding: HalfEven}},
					{Pricing: Pricing{Rate: 380_000, Rounding: Up}},
				}},
				{Name: "daily", Component: ComponentNetwork, TierBy: ByDayVolume, Tiers: []Tier{
					{UpTo: 1_000_000, Pricing: Pricing{Fixed: 10}},
					{Pricing: Pricing{}},
				}},
			},
		}},
	}
}

// refUsage is an independent model of volume tiers and the daily cap: the
// tiers looked up by a linear scan of the Config, fees by ratFee
// (math/big), the cap by big.Int arithmetic.
type refUsage struct {
	day, month       Date
	dayVol, monthVol int64
	dayFees          *big.Int
	cfg              Config
}

func (r *refUsage) quote(tx Transaction) (int64, bool) {
	if tx.Day != r.day {
		r.day, r.dayVol, r.dayFees = tx.Day, 0, new(big.Int)
	}
	if m := tx.Day / 100; m != r.month {
		r.month, r.monthVol = m, 0
	}
	total := new(big.Int)
	for _, p := range r.cfg.Rules[0].Parts {
		basis := r.monthVol
		if p.TierBy == ByDayVolume {
			basis = r.dayVol
		}
		var pr Pricing
		for _, t := range p.Tiers {
			pr = t.Pricing
			if t.UpTo != 0 && basis <= t.UpTo {
				break
			}
		}
		f, ok := ratFee(tx.Amount, pr)
		if !ok {
			return 0, false
		}
		total.Add(total, big.NewInt(f))
	}
	if total.Cmp(big.NewInt(tx.Amount)) > 0 {
		total.SetInt64(tx.Amount)
	}
	room := new(big.Int).Sub(big.NewInt(r.cfg.DailyCap), r.dayFees)
	if room.Sign() < 0 {
		room.SetInt64(0)
	}
	if total.Cmp(room) > 0 {
		total.Set(room)
	}
	r.dayFees.Add(r.dayFees, total)
	r.dayVol += tx.Amount
	r.monthVol += tx.Amount
	return total.Int64(), true
}

func TestPropertyVolumeTiersAndDailyCap(t *testing.T) {
	s, err := New(volumeConfig())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(21, 22))
	for run := 0; run < 200; run++ {
		var u Usage
		ref := refUsage{cfg: volumeConfig(), dayFees: new(big.Int)}
		day := NewDate(2026, 1, 1+rng.IntN(28))
		for i := 0; i < 60; i++ {
			if rng.IntN(8) == 0 {
				day++
				if day%100 > 28 {
					day = (day/100+1)*100 + 1
					if day/100%100 > 12 {
						day = (day/10000+1)*10000 + 101
					}
				}
			}
			tx := Transaction{Amount: rng.Int64N(2_000_000), Day: day}
			q, err := s.QuoteUsage(tx, &u)
			want, _ := ref.quote(tx)
			if err != nil || q.Fee != want || q.Net != tx.Amount-want {
				t.Fatalf("run %d tx %d %+v: %d %v; model %d (usage %+v)", run, i, tx, q.Fee, err, want, u)
			}
			if u.DayFees != ref.dayFees.Int64() || u.MonthVolume != ref.monthVol || u.DayVolume != ref.dayVol {
				t.Fatalf("usage %+v; model day fees %v month %d day %d", u, ref.dayFees, ref.monthVol, ref.dayVol)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	s, _ := New(volumeConfig())
	if _, err := s.Quote(Transaction{Amount: 1, Day: 20260101}); !errors.Is(err, ErrTransaction) {
		t.Errorf("Quote on a volume rule: %v", err)
	}
	u := Usage{Day: 20260105}
	for _, tc := range []struct {
		tx Transaction
		u  Usage
	}{
		{Transaction{Amount: 1}, u},                                 // no day
		{Transaction{Amount: 1, Day: 20261399}, u},                  // not a date
		{Transaction{Amount: 1, Day: 20260104}, u},                  // backwards
		{Transaction{Amount: 1, Day: 20260105}, Usage{DayFees: -1}}, // negative
		{Transaction{Amount: 1 << 62, Day: 20260105}, Usage{Day: 20260105, Month: 20260101, DayVolume: 1 << 62, MonthVolume: 1 << 62}},
	} {
		before := tc.u
		if _, err := s.QuoteUsage(tc.tx, &tc.u); !errors.Is(err, ErrUsage) || tc.u != before {
			t.Errorf("%+v %+v: %v", tc.tx, before, err)
		}
		checkPrefixOnce(t, func() error { _, err := s.QuoteUsage(tc.tx, &tc.u); return err }())
	}
	// Pre-authorisations and inquiries do not count in the volumes.
	k, _ := New(kindsConfig())
	var v Usage
	k.QuoteUsage(Transaction{Kind: KindPreAuth, Amount: 500, Day: 20260105}, &v)
	k.QuoteUsage(Transaction{Kind: KindCompletion, Amount: 500, Day: 20260105}, &v)
	if v.DayVolume != 500 || v.MonthVolume != 500 || v.DayFees != 3 {
		t.Errorf("kinds in usage: %+v", v)
	}
	// Volume tiers count the schedule's currency only.
	cfg := volumeConfig()
	cfg.Rules[0].When.Currency = USD
	var ve *ValidationError
	if _, err := New(cfg); !errors.As(err, &ve) || ve.Field != "tier_by" {
		t.Errorf("volume tiers in USD: %v", err)
	}
}

// A schedule in CNY with rules for USD and JPY (amounts in their own
// minor units) and a cross-border markup; a currency no rule prices is
// ErrCurrency.
func multiCurrencyConfig() Config {
	markup := CrossBorderMarkup(MustParseRate("1.5%"))
	return Config{
		Name:     "multi",
		Currency: CNY,
		Rules: []Rule{
			{Name: "usd", When: Match{Currency: USD}, Pricing: Pricing{Rate: 2_000_000, Fixed: 30}, Surcharges: []Surcharge{markup}},
			{Name: "jpy", When: Match{Currency: JPY}, Pricing: Pricing{Rate: 2_000_000, Min: 100}},
			{Name: "cny", Pricing: Pricing{Rate: 600_000}, Surcharges: []Surcharge{markup}},
		},
	}
}

func TestPropertyMultiCurrency(t *testing.T) {
	s, err := New(multiCurrencyConfig())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(31, 32))
	for i := 0; i < 20000; i++ {
		amount := randAmount(rng) >> uint(rng.IntN(40))
		cross := rng.IntN(2) == 0
		cur := []Currency{USD, JPY, CNY, {}}[rng.IntN(4)]
		q, err := s.Quote(Transaction{Amount: amount, Currency: cur, CrossBorder: cross})
		var ps []Pricing
		switch cur {
		case USD:
			ps = []Pricing{{Rate: 2_000_000, Fixed: 30}}
		case JPY:
			ps = []Pricing{{Rate: 2_000_000, Min: 100}}
		default:
			ps = []Pricing{{Rate: 600_000}}
		}
		if cross && cur != JPY {
			ps = append(ps, Pricing{Rate: 1_500_000})
		}
		want := new(big.Int)
		for _, p := range ps {
			f, _ := ratFee(amount, p)
			want.Add(want, big.NewInt(f))
		}
		if want.Cmp(big.NewInt(amount)) > 0 {
			want.SetInt64(amount)
		}
		if err != nil || q.Fee != want.Int64() || q.N != len(ps) {
			t.Fatalf("%d %s cross %v: %+v %v; want %v", amount, cur, cross, q, err, want)
		}
	}
	if _, err := s.Quote(Transaction{Amount: 1, Currency: EUR}); !errors.Is(err, ErrCurrency) {
		t.Errorf("EUR: %v", err)
	}
}

func TestSummaryByTerminalAndComponent(t *testing.T) {
	s, _ := New(China2016(MustParseRate("0.1%")))
	var sum Summary
	day := Date(20261121)
	for _, tx := range []Transaction{
		{Amount: 1_000_000, Channel: ChannelChip, Funding: Debit, Day: day, Terminal: "T1"},
		{Amount: 100_000, Channel: ChannelChip, Funding: Credit, Day: day, Terminal: "T2"},
		{Amount: 200_000, Channel: ChannelSwipe, Funding: Debit, Day: day, Terminal: "T1"},
	} {
		q, err := s.Quote(tx)
		if err != nil {
			t.Fatal(err)
		}
		if err := sum.AddSale(tx, q); err != nil {
			t.Fatal(err)
		}
		if tx.Terminal == "T2" {
			sale := NewSale(tx, q)
			back, _ := s.Refund(&sale, 50_000)
			if err := sum.AddReturn(day, &sale, 50_000, back); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Debit 10,000.00: issuer 13.00 (capped), network 3.25, acquirer 10.00;
	// credit 1,000.00: 4.50, 0.33 (0.325 half-up), 1.00; debit 2,000.00:
	// 7.00, 0.65, 2.00 (2016 reform caps, presets.go).
	wantComp := map[string]int64{"issuer": 1300 + 450 + 700, "network": 325 + 33 + 65, "acquirer": 1000 + 100 + 200}
	for _, r := range sum.ByComponent() {
		if r.Fees != wantComp[r.Name] || r.Lines != 3 {
			t.Errorf("component %+v, want fees %d", r, wantComp[r.Name])
		}
	}
	rows := sum.ByTerminal()
	if len(rows) != 2 || rows[0].Terminal != "T1" || rows[0].Gross != 1_200_000 || rows[0].Fees != 2625+965 ||
		rows[1].Terminal != "T2" || rows[1].Gross != 50_000 || rows[1].Refunds != 1 || rows[1].Fees != 583-291 {
		t.Errorf("terminals %+v", rows)
	}
	if err := sum.AddSale(Transaction{Amount: 5}, Quote{Amount: 5, Fee: 3, N: 1}); !errors.Is(err, ErrTransaction) {
		t.Errorf("lines that do not add up: %v", err)
	}
	if err := sum.AddReturn(day, &Sale{}, -1, 0); !errors.Is(err, ErrRefund) {
		t.Errorf("negative return: %v", err)
	}
}

// Schedules written back to JSON are byte-stable: load → write → load →
// write gives the same bytes, and the Config survives.
func TestJSONRoundTrip(t *testing.T) {
	instant, _ := InstantPayout(CNY, Pricing{Fixed: 200, Rounding: HalfEven})
	cfgs := []Config{FlatRetail(CNY), China2016(MustParseRate("0.1%")), kindsConfig(), volumeConfig(), multiCurrencyConfig()}
	full := China2016(MustParseRate("0.1%"))
	full.Refunds = RefundPolicy{Void: FeeKept}
	full.Rules[0].Surcharges = []Surcharge{instant}
	full.Rules[1].When.MCCs = []MCCRange{{5411, 5411}, {5812, 5814}}
	full.Rules[1].When.Window = Window{From: Clock(22, 0, 0), To: Clock(6, 0, 30)}
	full.Rules[1].When.Region = Domestic
	full.Rules[1].When.MaxAmount = 9_999_999
	full.Rules[1].Name = "credit \"quoted\" <b> 信用卡"
	cfgs = append(cfgs, full)
	for i, c := range cfgs {
		b1, err := c.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		s1, err := LoadJSON(b1)
		if err != nil {
			t.Fatalf("%d: %v\n%s", i, err, b1)
		}
		b2, _ := s1.MarshalJSON()
		s2, err := LoadJSON(b2)
		if err != nil {
			t.Fatal(err)
		}
		b3, _ := s2.MarshalJSON()
		if !bytes.Equal(b1, b2) || !bytes.Equal(b2, b3) {
			t.Errorf("%d: not byte-stable:\n%s\n%s", i, b1, b2)
		}
		// The loaded schedule prices like the original.
		s0, _ := New(c)
		rng := rand.New(rand.NewPCG(uint64(i), 5))
		for k := 0; k < 500; k++ {
			tx := Transaction{Amount: rng.Int64N(10_000_000), Channel: Channel(rng.IntN(7)), Funding: Funding(rng.IntN(4)),
				Kind: TransactionKind(rng.IntN(6)), Payout: Payout(rng.IntN(4)), Time: TimeOfDay(rng.IntN(86400)),
				MCC: uint16(rng.IntN(10000)), CrossBorder: rng.IntN(2) == 0, Currency: []Currency{{}, USD, JPY}[rng.IntN(3)]}
			q0, e0 := s0.Quote(tx)
			q1, e1 := s1.Quote(tx)
			if q0 != q1 || !errors.Is(e1, e0) && e0 != e1 {
				t.Fatalf("%d: %+v: original %+v %v, loaded %+v %v", i, tx, q0, e0, q1, e1)
			}
		}
	}
	// The old keys still load, and are written in the new spelling.
	s, err := LoadJSON([]byte(testScheduleJSON))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.MarshalJSON()
	if bytes.Contains(b, []byte(`"components"`)) || bytes.Contains(b, []byte(`"kind"`)) || bytes.Contains(b, []byte(`"settlement"`)) ||
		!bytes.Contains(b, []byte(`"parts"`)) || !bytes.Contains(b, []byte(`"payout": ["T0", "D0"]`)) {
		t.Errorf("old keys written:\n%s", b)
	}
	var c Config
	if err := c.UnmarshalJSON(b); err != nil || c.Name != "shop 42" {
		t.Errorf("UnmarshalJSON: %v", err)
	}
	if err := c.UnmarshalJSON([]byte(`{`)); !errors.Is(err, ErrJSON) {
		t.Errorf("UnmarshalJSON bad: %v", err)
	}
	if _, err := (Config{}).MarshalJSON(); !errors.Is(err, ErrCurrency) {
		t.Errorf("MarshalJSON without currency: %v", err)
	}
}

// AddReturnOf splits a returned fee over the sale's components: the shares
// add up to the fee returned, each is within one minor unit of its exact
// proportion (checked with math/big), and ByComponent then sums to the
// same fees as the channel rows.
func TestSummaryReturnByComponent(t *testing.T) {
	s, _ := New(China2016(MustParseRate("0.1%")))
	rng := rand.New(rand.NewPCG(7, 11))
	var sum Summary
	day := Date(20261121)
	for i := 0; i < 2000; i++ {
		tx := Transaction{Amount: 1 + rng.Int64N(5_000_000), Channel: ChannelChip, Funding: Funding(1 + rng.IntN(2)), Day: day, Terminal: "T1"}
		q, err := s.Quote(tx)
		if err != nil {
			t.Fatal(err)
		}
		if err := sum.AddSale(tx, q); err != nil {
			t.Fatal(err)
		}
		sale := NewSale(tx, q)
		amount := 1 + rng.Int64N(tx.Amount)
		back, err := s.Refund(&sale, amount)
		if err != nil {
			t.Fatal(err)
		}
		var shares [MaxLines]int64
		if err := apportion(shares[:q.N], q.Breakdown(), q.Fee, back); err != nil {
			t.Fatal(err)
		}
		var got int64
		for j, l := range q.Breakdown() {
			got += shares[j]
			if q.Fee == 0 {
				continue
			}
			exact := new(big.Rat).SetFrac(big.NewInt(l.Fee*back), big.NewInt(q.Fee))
			diff := new(big.Rat).Sub(new(big.Rat).SetInt64(shares[j]), exact)
			if diff.Abs(diff).Cmp(big.NewRat(1, 1)) >= 0 {
				t.Fatalf("line %d fee %d of %d, back %d: share %d, exact %s", j, l.Fee, q.Fee, back, shares[j], exact.FloatString(3))
			}
		}
		if got != back {
			t.Fatalf("shares add up to %d, want %d", got, back)
		}
		if err := sum.AddReturnOf(day, &sale, q, amount, back); err != nil {
			t.Fatal(err)
		}
	}
	total, ok := sum.Total()
	var comp int64
	for _, r := range sum.ByComponent() {
		comp += r.Fees
	}
	if !ok || comp != total.Fees {
		t.Errorf("components sum to %d, the rows to %d", comp, total.Fees)
	}
	q, _ := s.Quote(Transaction{Amount: 100_000, Channel: ChannelChip, Funding: Debit, Day: day})
	sale := NewSale(Transaction{Amount: 100_000, Day: day}, q)
	if err := sum.AddReturnOf(day, &sale, q, 1, q.Fee+1); !errors.Is(err, ErrTransaction) {
		t.Errorf("more fee back than charged: %v", err)
	}
	if err := sum.AddReturnOf(day, &Sale{Amount: 5}, q, 1, 0); !errors.Is(err, ErrTransaction) {
		t.Errorf("another sale's quote: %v", err)
	}
}
