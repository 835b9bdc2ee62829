package fees

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

const testScheduleJSON = `{
  "name": "shop 42",
  "currency": "CNY",
  "rounding": "half-up",
  "refunds": {"refund": "proportional", "void": "full", "reversal": "full"},
  "rules": [
    {"name": "qr", "when": {"channels": ["qr", "contactless"]},
     "tiers": [{"up_to": "1000.00", "rate": "0.38%"}, {"rate": "0.6%"}]},
    {"name": "debit", "when": {"channels": ["card"], "funding": ["debit"], "region": "domestic"},
     "components": [
       {"kind": "issuer", "rate": "0.35%", "cap": "13.00"},
       {"kind": "network", "rate": "0.0325%", "cap": 3.25},
       {"kind": "acquirer", "name": "markup", "rate": "10bp", "rounding": "down"}],
     "surcharges": [{"name": "instant", "fixed": "2.00",
       "when": {"settlement": ["D0", "T0"], "min_amount": "11.00",
                "window": {"from": "00:00", "to": "23:00"}}}]},
    {"name": "restaurants", "when": {"mcc": ["5812-5814", "5411"], "classes": ["catering"], "schemes": ["unionpay", "visa"]},
     "rate": "0.6%", "fixed": "0.10", "min": "0.50", "cap": "50", "rounding": "half-even"},
    {"name": "rest", "when": {"max_amount": "100000.00"}, "rate": "0.006"}
  ]
}`

func TestLoadJSON(t *testing.T) {
	s, err := LoadJSON([]byte(testScheduleJSON))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "shop 42" || s.Currency() != CNY {
		t.Errorf("name %q currency %v", s.Name(), s.Currency())
	}
	for _, tc := range []struct {
		tx    Tx
		rule  string
		fee   int64
		lines int
	}{
		{Transaction{Amount: 100000, Channel: ChannelAlipay}, "qr", 380, 1},
		{Transaction{Amount: 100001, Channel: ChannelContactless}, "qr", 600, 1},
		{Transaction{Amount: 1_000_000, Channel: ChannelChip, Funding: Debit}, "debit", 1300 + 325 + 1000, 3},
		{Transaction{Amount: 1100, Channel: ChannelChip, Funding: Debit, Payout: D0, Time: Clock(9, 0, 0)}, "debit", 4 + 0 + 1 + 200, 4},
		{Transaction{Amount: 1100, Channel: ChannelChip, Funding: Debit, CrossBorder: true}, "rest", 7, 1},
		{Transaction{Amount: 1000, MCC: 5813, Class: ClassCatering, Scheme: Visa}, "restaurants", 50, 1},            // 6+10 floored to 50
		{Transaction{Amount: 1_000_000, MCC: 5411, Class: ClassCatering, Scheme: UnionPay}, "restaurants", 5000, 1}, // 6010 capped
		{Transaction{Amount: 12500, MCC: 5411, Class: ClassCatering, Scheme: UnionPay}, "restaurants", 85, 1},       // 75+10
	} {
		q, err := s.Quote(tc.tx)
		if err != nil || q.RuleName != tc.rule || q.Fee != tc.fee || q.N != tc.lines {
			t.Errorf("%+v: %s fee %d lines %v (%v); want %s %d", tc.tx, q.RuleName, q.Fee, q.Breakdown(), err, tc.rule, tc.fee)
		}
	}
	cfg := s.Config()
	if c := cfg.Rules[1].Parts[2]; c.Name != "markup" || c.Rounding != Down || c.Component != ComponentAcquirer {
		t.Errorf("component %+v", c)
	}
	if r := cfg.Rules[2]; r.Rounding != HalfEven || r.Fixed != 10 || r.Min != 50 || r.Cap != 5000 || len(r.When.MCCs) != 2 {
		t.Errorf("rule %+v", r)
	}
	s2, err := ReadJSON(strings.NewReader(testScheduleJSON))
	if err != nil || s2.Name() != "shop 42" {
		t.Errorf("ReadJSON: %v", err)
	}
}

// loadJSONErrorCases are second rules of a small schedule, or whole
// documents (starting with '!'), with the rule, field and cause of the
// error each must give.
var loadJSONErrorCases = []struct {
	rule  string // second rule, or a whole document if it starts with '!'
	ruleN int
	field string
	cause error
}{
	{`{"name": "b", "rate": "0.6"}`, -2, "", nil}, // valid: a plain fraction
	{`{"name": "b", "rate": "abc"}`, 1, "rate", ErrRate},
	{`{"name": "b", "rat": "1%"}`, 1, "rat", ErrJSON},
	{`{"name": "b", "RATE": "1%"}`, 1, "RATE", ErrJSON},                  // case-folded key
	{`{"name": "b", "rate": "1%", "rate": "2%"}`, -1, "(json)", ErrJSON}, // duplicate key
	{`{"name": "b", "rate": 0.6}`, 1, "rate", ErrRate},                   // numeric rate (60%?)
	{`{"name": "b", "rate": 1}`, 1, "rate", ErrRate},                     // numeric rate
	{`{"name": "b", "when": {"kinds": ["refund"]}}`, 1, "when.kinds", ErrInvalid},
	{`{"name": "b", "when": {"currency": "XAU"}}`, 1, "when.currency", ErrCurrency},
	{`{"name": "b", "when": {"payout": ["D0"], "settlement": ["D0"]}}`, 1, "when.payout", ErrJSON},
	{`{"name": "b", "parts": [], "components": []}`, 1, "parts", ErrJSON},
	{`{"name": "b", "parts": [{"component": "issuer", "kind": "issuer"}]}`, 1, "parts[0].component", ErrJSON},
	{`{"name": "b", "tier_by": "week"}`, 1, "tier_by", ErrInvalid},
	{`{"name": "b", "fee_above_amount": "yes"}`, 1, "fee_above_amount", ErrJSON},
	{`{"name": "b", "refunds": {"void": "half"}}`, 1, "refunds.void", ErrInvalid},
	{`{"name": "b", "surcharges": [{"when": {"currency": "USD"}}]}`, 1, "surcharges[0].when.currency", ErrJSON},
	{`{"name": "b", "rate": "1%", "cap": "1.234"}`, 1, "cap", ErrAmount},
	{`{"name": "b", "rate": "1%", "fixed": "x"}`, 1, "fixed", ErrAmount},
	{`{"name": "b", "rate": "1%", "min": "1e3"}`, 1, "min", ErrAmount},
	{`{"name": "b", "rate": "1%", "min": "2", "cap": "1"}`, 1, "min", ErrAmount},
	{`{"name": "b", "rate": "1%", "rounding": "sideways"}`, 1, "rounding", ErrInvalid},
	{`{"name": "b", "rate": true}`, 1, "rate", ErrJSON},
	{`{"name": "b", "when": {"channels": ["fax"]}}`, 1, "when.channels", ErrInvalid},
	{`{"name": "b", "when": {"funding": ["gold"]}}`, 1, "when.funding", ErrInvalid},
	{`{"name": "b", "when": {"schemes": ["x"]}}`, 1, "when.schemes", ErrInvalid},
	{`{"name": "b", "when": {"classes": ["x"]}}`, 1, "when.classes", ErrInvalid},
	{`{"name": "b", "when": {"settlement": ["T9"]}}`, 1, "when.payout", ErrInvalid},
	{`{"name": "b", "when": {"mcc": ["54111"]}}`, 1, "when.mcc[0]", ErrInvalid},
	{`{"name": "b", "when": {"mcc": ["5999-5000"]}}`, 1, "when.mcc[0]", ErrInvalid},
	{`{"name": "b", "when": {"region": "moon"}}`, 1, "when.region", ErrInvalid},
	{`{"name": "b", "when": {"min_amount": "1.001"}}`, 1, "when.min_amount", ErrAmount},
	{`{"name": "b", "when": {"max_amount": "z"}}`, 1, "when.max_amount", ErrAmount},
	{`{"name": "b", "when": {"window": {"from": "25:00", "to": "01:00"}}}`, 1, "when.window.from", ErrInvalid},
	{`{"name": "b", "when": {"window": {"from": "01:00", "to": "1:00"}}}`, 1, "when.window.to", ErrInvalid},
	{`{"name": "b", "components": [{"kind": "boss"}]}`, 1, "parts[0].component", ErrInvalid},
	{`{"name": "b", "components": [{"kind": "issuer", "cap": "-1"}]}`, 1, "parts[0].cap", ErrAmount},
	{`{"name": "b", "parts": [{"tiers": [{"up_to": "x"}]}]}`, 1, "parts[0].tiers[0].up_to", ErrAmount},
	{`{"name": "b", "tiers": [{"rate": "1%"}, {"up_to": "5", "rate": "2%"}]}`, 1, "tiers[0].up_to", ErrInvalid}, // open tier not last
	{`{"name": "b", "tiers": [{"up_to": "5", "rate": "1%"}, {"up_to": "5", "rate": "1%"}, {}]}`, 1, "tiers[1].up_to", ErrInvalid},
	{`{"name": "b", "tiers": [{"up_to": "5", "rate": "1%"}]}`, 1, "tiers[0].up_to", ErrInvalid},
	{`{"name": "b", "tiers": [{"rate": "q"}]}`, 1, "tiers[0].rate", ErrRate},
	{`{"name": "b", "surcharges": [{"rate": "x"}]}`, 1, "surcharges[0].rate", ErrRate},
	{`{"name": "b", "surcharges": [{"when": {"region": "x"}}]}`, 1, "surcharges[0].when.region", ErrInvalid},
	{`{"name": "b", "rate": "1%", "components": [{"rate": "1%"}]}`, 1, "rate", ErrInvalid},
	{`!{"currency": "XYZ", "rules": []}`, -1, "currency", ErrCurrency},
	{`!{"currency": "XAU", "rules": []}`, -1, "currency", ErrCurrency},
	{`!{"currency": "CNY", "rules": []}`, -1, "rules", ErrInvalid},
	{`!{"currency": "CNY", "rounding": "x", "rules": []}`, -1, "rounding", ErrInvalid},
	{`!{"currency": "CNY", "refunds": {"void": "sometimes"}, "rules": []}`, -1, "refunds.void", ErrInvalid},
	{`!{"currency": "CNY", "refunds": {"refund": "full"}, "rules": [{"rate": "1%"}]}`, -1, "refunds.refund", ErrInvalid},
	{`!{"currency": "CNY", "rules": [{"rate": "1%"}]} trailing`, -1, "(json)", ErrInvalid},
	{`!{"currency": "CNY", "extra": 1}`, -1, "extra", ErrJSON},
	{`!{"currency": 156}`, -1, "currency", ErrJSON},
	{`!{"currency": "CNY", "currency": "USD", "rules": []}`, -1, "(json)", ErrJSON},
	{`!{"currency": "CNY", "daily_cap": "x", "rules": []}`, -1, "daily_cap", ErrAmount},
	{`!{"currency": "CNY", "rules": {}}`, -1, "rules", ErrJSON},
	{`!{"rules": []}`, -1, "currency", ErrCurrency},
	{"!{\"currency\": \"CNY\", \"name\": \"\xff\", \"rules\": []}", -1, "(json)", ErrJSON},
	{`!` + strings.Repeat("[", 40) + strings.Repeat("]", 40), -1, "(json)", ErrJSON},
	{`![]`, -1, "(json)", ErrInvalid},
	{`!`, -1, "(json)", ErrInvalid},
}

func TestLoadJSONErrors(t *testing.T) {
	base := `{"currency": "CNY", "rules": [{"name": "a", "rate": "1%"}, %s]}`
	for _, tc := range loadJSONErrorCases {
		doc := strings.Replace(base, "%s", tc.rule, 1)
		if strings.HasPrefix(tc.rule, "!") {
			doc = tc.rule[1:]
		}
		_, err := LoadJSON([]byte(doc))
		if tc.ruleN == -2 {
			if err != nil {
				t.Errorf("%s: %v", doc, err)
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Rule != tc.ruleN || ve.Field != tc.field || !errors.Is(err, tc.cause) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s:\n  got %v (%+v)\n  want rule %d field %q cause %v", tc.rule, err, ve, tc.ruleN, tc.field, tc.cause)
			continue
		}
		checkPrefixOnce(t, err)
		if tc.ruleN == 1 && tc.field != "RATE" && tc.field != "rat" && tc.field != "(json)" && (ve.RuleName != "b" || !strings.Contains(err.Error(), `rule 1 ("b") field `+tc.field)) {
			t.Errorf("%s: message %q", tc.rule, err)
		}
	}
	// Numeric currency codes as in ISO 8583 field 49 are accepted.
	if s, err := LoadJSON([]byte(`{"currency": "156", "rules": [{"rate": "1%"}]}`)); err != nil || s.Currency() != CNY {
		t.Errorf("numeric currency: %v", err)
	}
	if _, err := ReadJSON(errReader{}); err == nil {
		t.Error("ReadJSON error")
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("boom") }

func TestTimeOfDayAndDate(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want TimeOfDay
	}{{"00:00", 0}, {"23:00", 82800}, {"24:00", 86400}, {"12:34:56", 45296}} {
		got, err := ParseTimeOfDay(tc.s)
		if err != nil || got != tc.want || got.String() != tc.s {
			t.Errorf("%q: %d %v %q", tc.s, got, err, got.String())
		}
	}
	for _, bad := range []string{"", "24:01", "12:60", "1:00", "ab:cd", "12-00", "12:00:60", "12:00:0x"} {
		if _, err := ParseTimeOfDay(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if TimeOfDay(-1).String() != "invalid(-1)" {
		t.Error("invalid String")
	}
	if NewDate(2026, 11, 21).String() != "2026-11-21" {
		t.Error("Date String")
	}
	w := Window{From: Clock(22, 0, 0), To: Clock(6, 0, 0)}
	if !w.Contains(Clock(23, 0, 0)) || !w.Contains(Clock(1, 0, 0)) || w.Contains(Clock(6, 0, 0)) || !(Window{}).Contains(5) {
		t.Error("Window.Contains")
	}
	if !(Window{From: 10, To: 20}).Contains(10) || (Window{From: 10, To: 20}).Contains(20) {
		t.Error("Window.Contains plain")
	}
	// Enum names, used in JSON, print back.
	if ChannelUnionPayQR.String() != "unionpay-qr" || Credit.String() != "credit" || Visa.String() != "visa" ||
		ClassPublicWelfare.String() != "public-welfare" || D0.String() != "D0" || CrossBorder.String() != "cross-border" ||
		ComponentNetwork.String() != "network" || HalfEven.String() != "half-even" || FeeFull.String() != "full" || Channel(99).String() != "99" {
		t.Error("enum names")
	}
	if !SetOf(ChannelChip, 40).Has(ChannelChip) || SetOf(ChannelChip).Has(ChannelSwipe) || SetOf[Channel](40) != 0 || CardChannels.Has(40) {
		t.Error("Set")
	}
}

func TestTxSetTime(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	var tx Tx
	tx.SetTime(time.Date(2026, 11, 20, 15, 30, 5, 0, time.UTC).In(shanghai)) // 23:30:05 local
	if tx.Day != NewDate(2026, 11, 20) || tx.Time != Clock(23, 30, 5) {
		t.Errorf("SetTime: %s %s", tx.Day, tx.Time)
	}
	tx.SetTime(time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC).In(shanghai)) // next day 00:00 local
	if tx.Day != NewDate(2026, 11, 21) || tx.Time != 0 || DateOf(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) != 20260102 {
		t.Errorf("SetTime midnight: %s %s", tx.Day, tx.Time)
	}
}

// The schedule shown in LoadJSON's documentation loads.
func TestLoadJSONDocExample(t *testing.T) {
	src, err := os.ReadFile("json.go")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	a := strings.Index(s, "//\t{\n")
	b := strings.Index(s[a:], "//\t}\n")
	if a < 0 || b < 0 {
		t.Fatal("example not found")
	}
	var doc strings.Builder
	for _, line := range strings.Split(s[a:a+b+4], "\n") {
		doc.WriteString(strings.TrimPrefix(line, "//\t"))
		doc.WriteByte('\n')
	}
	sch, err := LoadJSON([]byte(doc.String()))
	if err != nil {
		t.Fatal(err)
	}
	if q, err := sch.Quote(Transaction{Amount: 1_000_000, Channel: ChannelChip, Funding: Debit}); err != nil || q.Fee != 1300+325+1000 {
		t.Errorf("%+v %v", q, err)
	}
}

// checkPrefixOnce checks the house error format: "fees: what: detail",
// the package prefix exactly once and first.
func checkPrefixOnce(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "fees: ") || strings.Count(msg, "fees:") != 1 {
		t.Errorf("error %q: want the prefix \"fees: \" once, first", msg)
	}
}
