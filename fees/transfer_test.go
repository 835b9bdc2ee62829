package fees

import (
	"errors"
	"testing"
)

// transferConfig is an acquirer's price list with a card-to-card transfer
// fee beside the purchase rates: transfers at 0.1% with a minimum of 2.00
// and a maximum of 25.00 (a common Chinese bank rule for interbank
// transfers), purchases by QR and contactless at 0.38% and by card at
// 0.6%. The transfer fee is the cardholder's, charged on top of the amount
// transferred, so it may exceed a small amount (FeeAboveAmount).
func transferConfig() Config {
	return Config{
		Name:     "transfers and purchases",
		Currency: CNY,
		Rules: []Rule{
			{Name: "transfer", When: Match{Kinds: SetOf(KindTransfer)},
				Pricing: Pricing{Rate: 100_000, Min: 200, Cap: 2500}, FeeAboveAmount: true},
			{Name: "qr", When: Match{Kinds: SetOf(KindSale), Channels: QRChannels | SetOf(ChannelContactless)}, Pricing: Pricing{Rate: 380_000}},
			{Name: "card", When: Match{Kinds: SetOf(KindSale)}, Pricing: Pricing{Rate: 600_000}},
		},
	}
}

// TestTransferFees prices transfers and purchases with exact figures, in
// fen, worked by hand: 0.1% of an amount in fen is amount/1000 fen, rounded
// half up once (1,999.99 CNY is 199.999 fen, 200; 12,345.49 is 1234.549,
// 1235; 25,005.00 is 2500.5, 2501), then raised to the minimum or lowered
// to the cap.
func TestTransferFees(t *testing.T) {
	s, err := New(transferConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kind    TransactionKind
		channel Channel
		amount  int64
		rule    string
		fee     int64
		floored bool
		capped  bool
	}{
		{KindTransfer, ChannelChip, 1, "transfer", 200, true, false},               // 0.01: the minimum, above the amount
		{KindTransfer, ChannelChip, 50_000, "transfer", 200, true, false},          // 500.00: 0.50 raised to 2.00
		{KindTransfer, ChannelChip, 199_999, "transfer", 200, false, false},        // 1,999.99: 1.99999 rounds to 2.00
		{KindTransfer, ChannelChip, 200_000, "transfer", 200, false, false},        // 2,000.00: exactly 2.00
		{KindTransfer, ChannelChip, 123_456, "transfer", 200, true, false},         // 1,234.56: 1.23 raised to 2.00
		{KindTransfer, ChannelSwipe, 1_000_000, "transfer", 1000, false, false},    // 10,000.00: 10.00
		{KindTransfer, ChannelSwipe, 1_234_549, "transfer", 1235, false, false},    // 12,345.49: 12.34549 rounds to 12.35
		{KindTransfer, ChannelSwipe, 1_234_449, "transfer", 1234, false, false},    // 12,344.49: 12.34449 rounds to 12.34
		{KindTransfer, ChannelChip, 2_500_000, "transfer", 2500, false, false},     // 25,000.00: exactly 25.00
		{KindTransfer, ChannelChip, 2_500_500, "transfer", 2500, false, true},      // 25,005.00: 25.01 (25.005 rounds up) capped to 25.00
		{KindTransfer, ChannelChip, 5_000_000, "transfer", 2500, false, true},      // 50,000.00: 50.00 capped
		{KindTransfer, ChannelChip, 100_000_000_00, "transfer", 2500, false, true}, // 100,000,000.00: capped
		{KindTransfer, ChannelChip, 0, "transfer", 200, true, false},               // 0.00: the minimum still
		{KindSale, ChannelChip, 1_000_000, "card", 6000, false, false},             // 10,000.00 by card at 0.6%: 60.00
		{KindSale, ChannelWeChatPay, 1_000_000, "qr", 3800, false, false},          // by QR at 0.38%: 38.00
		{KindSale, ChannelContactless, 1001, "qr", 4, false, false},                // 10.01 at 0.38%: 3.8038 fen, 4
	} {
		q, err := s.Quote(Transaction{Kind: tc.kind, Channel: tc.channel, Amount: tc.amount})
		if err != nil {
			t.Fatalf("%s %d: %v", tc.kind, tc.amount, err)
		}
		l := q.Lines[0]
		if q.RuleName != tc.rule || q.Fee != tc.fee || q.N != 1 || l.Fee != tc.fee || l.Floored != tc.floored || l.Capped != tc.capped || q.Net != tc.amount-tc.fee {
			t.Errorf("%s %s %d: rule %s fee %d (floored %v capped %v) net %d; want %s %d (%v %v)",
				tc.kind, tc.channel, tc.amount, q.RuleName, q.Fee, l.Floored, l.Capped, q.Net, tc.rule, tc.fee, tc.floored, tc.capped)
		}
	}
	// No rule prices a cash advance here.
	if _, err := s.Quote(Transaction{Kind: KindCashAdvance, Amount: 100}); !errors.Is(err, ErrNoRule) {
		t.Errorf("cash advance: %v", err)
	}
}

// TestTransferFeeShapes: a fixed fee, a plain percentage and a percentage
// with minimum and maximum, each as a Pricing on its own (Pricing.Fee) and
// in a schedule (Quote), agree to the fen; a transfer rule that does not
// allow a fee above the amount stops at the amount.
func TestTransferFeeShapes(t *testing.T) {
	shapes := []struct {
		name string
		p    Pricing
		fees map[int64]int64 // amount → fee
	}{
		{"fixed 2.00", Pricing{Fixed: 200}, map[int64]int64{1: 200, 50_000: 200, 10_000_000: 200}},
		{"0.1%", Pricing{Rate: 100_000}, map[int64]int64{1: 0, 499: 0, 500: 1, 50_000: 50, 10_000_000: 10_000}},
		{"0.1% min 2.00 max 25.00", Pricing{Rate: 100_000, Min: 200, Cap: 2500}, map[int64]int64{1: 200, 50_000: 200, 1_000_000: 1000, 10_000_000: 2500}},
		{"0.05% + 1.00 max 50.00", Pricing{Rate: 50_000, Fixed: 100, Cap: 5000}, map[int64]int64{1: 100, 1_000_000: 600, 10_000_000: 5000}},
	}
	for _, sh := range shapes {
		s, err := New(Config{Currency: CNY, Rules: []Rule{{Name: sh.name, When: Match{Kinds: SetOf(KindTransfer)}, Pricing: sh.p, FeeAboveAmount: true}}})
		if err != nil {
			t.Fatal(err)
		}
		for amount, want := range sh.fees {
			f, err := sh.p.Fee(amount)
			q, qerr := s.Quote(Transaction{Kind: KindTransfer, Amount: amount})
			if err != nil || qerr != nil || f != want || q.Fee != want {
				t.Errorf("%s on %d: Fee %d %v, Quote %d %v; want %d", sh.name, amount, f, err, q.Fee, qerr, want)
			}
		}
	}
	// Without FeeAboveAmount the minimum stops at the amount: a 1.00
	// transfer pays 1.00, marked capped.
	cfg := transferConfig()
	cfg.Rules[0].FeeAboveAmount = false
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Quote(Transaction{Kind: KindTransfer, Amount: 100})
	if err != nil || q.Fee != 100 || !q.Lines[0].Capped || q.Net != 0 {
		t.Errorf("fee held to the amount: %+v %v", q, err)
	}
}

// TestTransferFeeJSON: the transfer rule written in JSON loads to the same
// schedule and writes back byte-stably.
func TestTransferFeeJSON(t *testing.T) {
	src := []byte(`{
	  "name": "transfers and purchases",
	  "currency": "CNY",
	  "rules": [
	    {"name": "transfer", "when": {"kinds": ["transfer"]}, "rate": "0.1%", "min": "2.00", "cap": "25.00", "fee_above_amount": true},
	    {"name": "qr", "when": {"kinds": ["sale"], "channels": ["qr", "contactless"]}, "rate": "0.38%"},
	    {"name": "card", "when": {"kinds": ["sale"]}, "rate": "0.6%"}
	  ]}`)
	s, err := LoadJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	want, err := New(transferConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tx := range []Transaction{
		{Kind: KindTransfer, Amount: 50_000}, {Kind: KindTransfer, Amount: 1_000_000}, {Kind: KindTransfer, Amount: 5_000_000},
		{Kind: KindSale, Amount: 1_000_000, Channel: ChannelAlipay}, {Kind: KindSale, Amount: 1_000_000, Channel: ChannelChip},
	} {
		a, aerr := s.Quote(tx)
		b, berr := want.Quote(tx)
		if aerr != nil || berr != nil || a.Fee != b.Fee || a.RuleName != b.RuleName {
			t.Errorf("%s %d: JSON %d %s %v, Go %d %s %v", tx.Kind, tx.Amount, a.Fee, a.RuleName, aerr, b.Fee, b.RuleName, berr)
		}
	}
	out, err := s.Config().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := LoadJSON(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out2, _ := s2.Config().MarshalJSON()
	if string(out) != string(out2) {
		t.Errorf("not byte-stable:\n%s\n%s", out, out2)
	}
}
