package fees

import (
	"bytes"
	"errors"
	"testing"
)

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.6%", "0.38%", "0.0325%", "60bp", "60 bps", "0.006", "100%", "101%", "-1%", "0.0000001%", "", "bp", "1e-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			if !errors.Is(err, ErrRate) {
				t.Fatalf("ParseRate(%q): error %v does not wrap ErrRate", s, err)
			}
			return
		}
		if r < 0 || r > RateScale {
			t.Fatalf("ParseRate(%q) = %d out of range", s, r)
		}
		back, err := ParseRate(r.String())
		if err != nil || back != r {
			t.Fatalf("round trip %q -> %q -> %d, %v", s, r.String(), back, err)
		}
		// The rate prices like big.Rat says.
		for _, amount := range []int64{0, 1, 1099, 1_000_000, 1<<63 - 1} {
			p := Pricing{Rate: r, Rounding: Rounding(amount % 4)}
			got, err := p.Fee(amount)
			want, _ := ratFee(amount, p)
			if err != nil || got != want {
				t.Fatalf("%s of %d: %d, %v; want %d", r, amount, got, err, want)
			}
		}
	})
}

func FuzzLoadJSON(f *testing.F) {
	f.Add([]byte(testScheduleJSON))
	f.Add([]byte(`{"currency": "CNY", "rules": [{"rate": "0.6%"}]}`))
	f.Add([]byte(`{"currency": "156", "rules": [{"when": {"channels": ["qr"]}, "tiers": [{"up_to": "1000", "rate": "0.38%"}, {"rate": "0.6%"}]}]}`))
	f.Add([]byte(`{"currency": "CNY", "rules": [{"name": "x", "rate": "1%", "cap": "1.234"}]}`))
	f.Add([]byte(`{"currency": "JPY", "rules": [{"when": {"window": {"from": "22:00", "to": "06:00"}, "mcc": ["5411"]}, "fixed": 30}]}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadJSON(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field == "" {
				t.Fatalf("error %v names no field", err)
			}
			return
		}
		// A loaded schedule quotes any transaction without panicking, and
		// the lines add up.
		var u Usage
		for i, amount := range []int64{0, 1, 1100, 1_000_000, 1 << 40} {
			tx := Transaction{Amount: amount, Channel: Channel(i + 1), Funding: Funding(i % 4), Payout: Payout(i % 4), Time: Clock(i*5, 0, 0), MCC: 5411, CrossBorder: i%2 == 0,
				Kind: TransactionKind(i), Day: 20261121}
			q, err := s.Quote(tx)
			if errors.Is(err, ErrTransaction) { // a rule tiered by volume
				q, err = s.QuoteUsage(tx, &u)
			}
			if err != nil {
				if !errors.Is(err, ErrNoRule) && !errors.Is(err, ErrOverflow) {
					t.Fatalf("Quote: %v", err)
				}
				continue
			}
			var sum int64
			for _, l := range q.Breakdown() {
				sum += l.Fee
			}
			if sum != q.Fee || q.Net != amount-q.Fee {
				t.Fatalf("lines %d, fee %d, net %d", sum, q.Fee, q.Net)
			}
		}
	})
}

// FuzzFee checks the fee arithmetic against math/big over arbitrary
// amounts, rates, fixed fees, minimums, caps and rounding modes.
func FuzzFee(f *testing.F) {
	f.Add(int64(1_000_000), int64(380_000), int64(0), int64(0), int64(0), uint8(0))
	f.Add(int64(1250), int64(200_000), int64(0), int64(0), int64(0), uint8(1))
	f.Add(int64(1<<63-1), int64(100_000_000), int64(5), int64(0), int64(1300), uint8(3))
	f.Fuzz(func(t *testing.T, amount, rate, fixed, minimum, capAmt int64, mode uint8) {
		p := Pricing{Rate: Rate(rate), Fixed: fixed, Min: minimum, Cap: capAmt, Rounding: Rounding(mode)}
		got, err := p.Fee(amount)
		if amount < 0 || p.Validate() != nil {
			if err == nil {
				t.Fatalf("Fee(%d, %+v) = %d without error", amount, p, got)
			}
			return
		}
		want, ok := ratFee(amount, p)
		if !ok {
			if !errors.Is(err, ErrOverflow) {
				t.Fatalf("Fee(%d, %+v) = %d, %v; want overflow", amount, p, got, err)
			}
			return
		}
		if err != nil || got != want {
			t.Fatalf("Fee(%d, %+v) = %d, %v; big.Rat says %d", amount, p, got, err, want)
		}
	})
}

// FuzzParseAmount checks the amount parser: errors wrap ErrAmount, and
// what parses prints back to the same value.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"13", "3.25", "10000.00", "-1.01", "1.234", "1e3", "92233720368547758.08", ""} {
		f.Add(s, uint8(2))
	}
	f.Add("1.234", uint8(3))
	f.Fuzz(func(t *testing.T, s string, digits uint8) {
		d := int(digits % 9)
		v, err := parseMinor(s, d)
		if err != nil {
			if !errors.Is(err, ErrAmount) {
				t.Fatalf("parseMinor(%q): %v", s, err)
			}
			return
		}
		back, err := parseMinor(formatMinor(v, d), d)
		if err != nil || back != v {
			t.Fatalf("%q -> %d -> %q -> %d, %v", s, v, formatMinor(v, d), back, err)
		}
	})
}

// FuzzJSONRoundTrip: whatever LoadJSON accepts writes back byte-stably
// (load → write → load → write gives the same bytes) and prices the same.
func FuzzJSONRoundTrip(f *testing.F) {
	f.Add([]byte(testScheduleJSON))
	for _, c := range []Config{FlatRetail(CNY), kindsConfig(), volumeConfig(), multiCurrencyConfig()} {
		b, err := c.MarshalJSON()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s1, err := LoadJSON(data)
		if err != nil {
			return
		}
		b1, err := s1.MarshalJSON()
		if err != nil {
			t.Fatalf("write: %v", err)
		}
		s2, err := LoadJSON(b1)
		if err != nil {
			t.Fatalf("reload: %v\n%s", err, b1)
		}
		b2, _ := s2.MarshalJSON()
		if !bytes.Equal(b1, b2) {
			t.Fatalf("not byte-stable:\n%s\n%s", b1, b2)
		}
		for _, amount := range []int64{0, 1, 1100, 1_000_000} {
			tx := Transaction{Amount: amount, Channel: ChannelChip, Day: 20261121}
			q1, e1 := s1.Quote(tx)
			q2, e2 := s2.Quote(tx)
			if q1 != q2 || (e1 == nil) != (e2 == nil) {
				t.Fatalf("%d: %+v %v / %+v %v", amount, q1, e1, q2, e2)
			}
		}
	})
}

// FuzzParseTimeOfDay checks the time-of-day parser: errors wrap
// ErrInvalid, and what parses prints back to the same value.
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"00:00", "23:00", "24:00", "06:00:30", "24:01", "1:00", "12:60", "ab:cd", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTimeOfDay(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseTimeOfDay(%q): %v", s, err)
			}
			return
		}
		if v < 0 || v > 86400 {
			t.Fatalf("ParseTimeOfDay(%q) = %d", s, v)
		}
		back, err := ParseTimeOfDay(v.String())
		if err != nil || back != v {
			t.Fatalf("%q -> %d -> %q -> %d, %v", s, v, v.String(), back, err)
		}
	})
}
