package fees

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// ratFee is the independent reference: the exact rational amount × rate /
// 10^8, rounded by mode with math/big, plus fixed, clamped to min and cap.
// ok is false when the result does not fit in int64.
func ratFee(amount int64, p Pricing) (int64, bool) {
	x := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(amount), big.NewInt(int64(p.Rate))), big.NewInt(int64(RateScale)))
	fl := new(big.Int).Quo(x.Num(), x.Denom()) // floor, x ≥ 0
	frac := new(big.Rat).Sub(x, new(big.Rat).SetInt(fl))
	half := big.NewRat(1, 2)
	up := false
	switch p.Rounding {
	case HalfUp:
		up = frac.Cmp(half) >= 0
	case HalfEven:
		c := frac.Cmp(half)
		up = c > 0 || (c == 0 && fl.Bit(0) == 1)
	case Up:
		up = frac.Sign() != 0
	}
	if up {
		fl.Add(fl, big.NewInt(1))
	}
	fl.Add(fl, big.NewInt(p.Fixed))
	if p.Min != 0 && fl.Cmp(big.NewInt(p.Min)) < 0 {
		fl.SetInt64(p.Min)
	}
	if p.Cap != 0 && fl.Cmp(big.NewInt(p.Cap)) > 0 {
		fl.SetInt64(p.Cap)
	}
	if !fl.IsInt64() {
		return 0, false
	}
	return fl.Int64(), true
}

func randAmount(r *rand.Rand) int64 {
	switch r.IntN(5) {
	case 0:
		return r.Int64N(10000) // small, many remainders
	case 1:
		return r.Int64N(1 << 36) // fast path
	case 2:
		return math.MaxInt64 - r.Int64N(1000) // extreme
	case 3:
		return (1 << 36) + r.Int64N(1000) - 500 // around the fast-path edge
	default:
		return r.Int64N(math.MaxInt64)
	}
}

func randRate(r *rand.Rand) Rate {
	switch r.IntN(4) {
	case 0:
		return Rate(r.Int64N(int64(RateScale) + 1))
	case 1:
		return Rate(r.Int64N(2_000_000)) // up to 2%
	case 2:
		return []Rate{0, 1, 32500, 350000, 380000, 450000, 600000, RateScale / 2, RateScale}[r.IntN(9)]
	default:
		return Rate(r.Int64N(1000)) * 1000
	}
}

func TestPropertyAgainstBigRat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 100000
	if testing.Short() {
		n = 5000
	}
	for i := 0; i < n; i++ {
		amount := randAmount(r)
		p := Pricing{Rate: randRate(r), Rounding: Rounding(r.IntN(4))}
		if r.IntN(2) == 0 {
			p.Fixed = r.Int64N(1000)
			if r.IntN(50) == 0 {
				p.Fixed = math.MaxInt64 - r.Int64N(1000) // overflow candidates
			}
		}
		if r.IntN(2) == 0 {
			p.Cap = 1 + r.Int64N(1_000_000)
		}
		if r.IntN(3) == 0 {
			p.Min = r.Int64N(500)
			if p.Cap != 0 && p.Min > p.Cap {
				p.Min = p.Cap
			}
		}
		want, ok := ratFee(amount, p)
		got, err := p.Fee(amount)
		if !ok {
			if !errors.Is(err, ErrOverflow) {
				t.Fatalf("Fee(%d, %+v) = %d, %v; want overflow", amount, p, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Fatalf("Fee(%d, %+v) = %d, %v; big.Rat says %d", amount, p, got, err, want)
		}
		// The same pricing as a one-rule schedule agrees.
		if i%10 == 0 {
			s, err := New(Config{Currency: CNY, Rules: []Rule{{Pricing: p}}})
			if err != nil {
				t.Fatal(err)
			}
			q, err := s.Quote(Transaction{Amount: amount})
			want = min(want, amount) // a rule's fee never exceeds the amount
			if err != nil || q.Fee != want || q.Net != amount-want {
				t.Fatalf("Quote(%d, %+v) = %+v, %v; want %d", amount, p, q, err, want)
			}
		}
	}
}

// Breakdown lines each follow their own rounding and sum to the total.
func TestPropertyBreakdownSums(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		var comps []Part
		for k := 0; k < 1+r.IntN(5); k++ {
			p := Pricing{Rate: Rate(r.Int64N(1_000_000)), Rounding: Rounding(r.IntN(4)), Fixed: r.Int64N(50)}
			if r.IntN(2) == 0 {
				p.Cap = 1 + r.Int64N(2000)
			}
			comps = append(comps, Part{Component: Component(1 + r.IntN(4)), Pricing: p})
		}
		s, err := New(Config{Currency: CNY, Rules: []Rule{{Parts: comps}}})
		if err != nil {
			t.Fatal(err)
		}
		amount := r.Int64N(100_000_000)
		q, err := s.Quote(Transaction{Amount: amount})
		if err != nil || q.N != len(comps) {
			t.Fatal(err, q.N)
		}
		var sum int64
		for k, l := range q.Breakdown() {
			want, _ := ratFee(amount, comps[k].Pricing)
			if l.Fee != want {
				t.Fatalf("line %d: %d, want %d", k, l.Fee, want)
			}
			sum += l.Fee
		}
		if sum != q.Fee {
			t.Fatalf("lines sum %d, fee %d", sum, q.Fee)
		}
	}
}

// The documented examples where rounding modes differ (see Rounding).
func TestRoundingModesDiffer(t *testing.T) {
	for _, tc := range []struct {
		amount int64
		rate   string
		want   [4]int64 // HalfUp, HalfEven, Down, Up
	}{
		{1250, "0.2%", [4]int64{3, 2, 2, 3}},
		{1750, "0.2%", [4]int64{4, 4, 3, 4}},
		{1001, "0.38%", [4]int64{4, 4, 3, 4}},
		{1_000_000, "0.38%", [4]int64{3800, 3800, 3800, 3800}},
		{100_000, "0.0325%", [4]int64{33, 32, 32, 33}}, // 32.5 fen
	} {
		for m := HalfUp; m <= Up; m++ {
			got, err := Pricing{Rate: MustParseRate(tc.rate), Rounding: m}.Fee(tc.amount)
			if err != nil || got != tc.want[m] {
				t.Errorf("%s of %d, %s: %d, want %d", tc.rate, tc.amount, m, got, tc.want[m])
			}
		}
	}
}

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Rate
	}{
		{"0.6%", 600000}, {"0.38%", 380000}, {"0.0325%", 32500}, {"60bp", 600000},
		{"60 bps", 600000}, {"0.35%", 350000}, {"0.45%", 450000}, {"100%", RateScale},
		{"0%", 0}, {"0.000001%", 1}, {"0.006", 600000}, {"1", RateScale}, {"2.5bp", 25000},
		{"0.0001bp", 1}, {"3.25 %", 3250000},
	} {
		got, err := ParseRate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
		back, err := ParseRate(got.String())
		if err != nil || back != got {
			t.Errorf("round trip %q -> %q -> %d, %v", tc.in, got.String(), back, err)
		}
	}
	for _, in := range []string{"", "%", "bp", "0.0000001%", "100.000001%", "101%", "-1%", "+1%", "1e-3", "0.6%%", "abc", "1.%", ".5%", "0x10%", "1,5%", "0.00001bp", "1.000000001", "99999999999999999999%", " 1%", "1bp%"} {
		if r, err := ParseRate(in); !errors.Is(err, ErrRate) {
			t.Errorf("ParseRate(%q) = %d, %v; want ErrRate", in, r, err)
		}
	}
	for _, tc := range []struct {
		r    Rate
		want string
	}{{600000, "0.6%"}, {32500, "0.0325%"}, {RateScale, "100%"}, {0, "0%"}, {1, "0.000001%"}, {-600000, "-0.6%"}} {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("%d.String() = %q, want %q", tc.r, got, tc.want)
		}
	}
	var r Rate
	if err := r.UnmarshalText([]byte("0.38%")); err != nil || r != 380000 {
		t.Errorf("UnmarshalText: %d %v", r, err)
	}
	if err := r.UnmarshalText([]byte("x")); !errors.Is(err, ErrRate) {
		t.Errorf("UnmarshalText bad: %v", err)
	}
	if b, _ := Rate(380000).MarshalText(); string(b) != "0.38%" {
		t.Errorf("MarshalText %q", b)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParseRate did not panic")
		}
	}()
	MustParseRate("bad")
}
