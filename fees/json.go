package fees

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// LoadJSON reads a schedule from JSON and validates it. Amounts are decimal
// major units of the rule's currency, as strings or JSON numbers ("13.00"
// or 13.00, read exactly); rates are strings for ParseRate ("0.6%"), never
// numbers. The "rounding" at the top is the default of every pricing that
// names none. The reader is strict: unknown fields (compared exactly, so
// "RATE" is unknown), duplicate keys, invalid UTF-8 and trailing data are
// errors. Errors are *ValidationError.
//
//	{
//	  "name": "shop 42",
//	  "currency": "CNY",
//	  "rounding": "half-up",
//	  "refunds": {"refund": "proportional", "void": "full", "reversal": "full"},
//	  "rules": [
//	    {"name": "pre-auth", "when": {"kinds": ["pre-auth", "balance-inquiry"]}},
//	    {"name": "qr", "when": {"channels": ["qr", "contactless"]},
//	     "tiers": [{"up_to": "1000.00", "rate": "0.38%"}, {"rate": "0.6%"}]},
//	    {"name": "debit", "when": {"channels": ["card"], "funding": ["debit"]},
//	     "parts": [
//	       {"component": "issuer", "rate": "0.35%", "cap": "13.00"},
//	       {"component": "network", "rate": "0.0325%", "cap": "3.25"},
//	       {"component": "acquirer", "rate": "0.1%"}],
//	     "surcharges": [{"name": "instant", "fixed": "2.00",
//	       "when": {"payout": ["D0", "T0"], "min_amount": "11.00",
//	                "window": {"from": "00:00", "to": "23:00"}}}]}
//	  ]
//	}
//
// Schedule keys: name, currency, rounding, refunds, daily_cap, rules. Rule
// keys: name, when, the pricing keys (rate, fixed, min, cap, rounding),
// tiers (each with up_to and pricing keys), tier_by (amount, day-volume,
// month-volume), parts (each with name, component, pricing keys, tiers,
// tier_by), surcharges (each with name, component, when, pricing keys),
// refunds and fee_above_amount. Components: fee, issuer, network,
// acquirer, agent, surcharge, markup.
//
// Conditions ("when"): kinds (sale, pre-auth, completion, balance-inquiry,
// transfer, cash-advance), channels (swipe, chip, contactless, wechat-pay,
// alipay, unionpay-qr, or the groups card and qr), funding (debit, credit,
// prepaid), schemes (unionpay, visa, mastercard, jcb, amex, discover),
// classes (general, catering, livelihood, preferential, public-welfare),
// payout (T1, D1, T0, D0), mcc ("5411" or "5000-5999"), region (domestic,
// cross-border), min_amount, max_amount, window and currency (a rule for
// another currency than the schedule's; its amounts are in that currency).
//
// The old keys "components" (for parts), "kind" (for a part's component)
// and "settlement" (for payout) are still read; [Config.MarshalJSON] writes
// the current ones.
func LoadJSON(data []byte) (*Schedule, error) {
	cfg, err := ParseJSON(data)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// ReadJSON is LoadJSON reading from r. A read error wraps ErrJSON.
func ReadJSON(r io.Reader) (*Schedule, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &ValidationError{Rule: -1, Field: "(json)", Err: fmt.Errorf("%w: %s", ErrJSON, err.Error())}
	}
	return LoadJSON(data)
}

// UnmarshalJSON implements json.Unmarshaler with ParseJSON.
func (c *Config) UnmarshalJSON(data []byte) error {
	v, err := ParseJSON(data)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseJSON reads the JSON form of a schedule (see LoadJSON) into a Config
// without building the schedule (use New, or LoadJSON for both steps).
func ParseJSON(data []byte) (Config, error) {
	top := func(field string, err error) (Config, error) {
		if field == "" {
			field = "(json)"
		}
		return Config{}, &ValidationError{Rule: -1, Field: field, Err: err}
	}
	root, err := parseTree(data)
	if err != nil {
		return top("", err)
	}
	o, field, err := object(root, "name", "currency", "rounding", "refunds", "daily_cap", "rules")
	if err != nil {
		return top(field, err)
	}
	var cfg Config
	if cfg.Name, err = optStr(o, "name"); err != nil {
		return top("name", err)
	}
	n := o.get("currency")
	if n == nil {
		return top("currency", fmt.Errorf("%w: missing", ErrCurrency))
	}
	digits := 0
	if cfg.Currency, digits, err = currencyOf(n); err != nil {
		return top("currency", err)
	}
	def := HalfUp
	if s, err := optStr(o, "rounding"); err != nil {
		return top("rounding", err)
	} else if s != "" {
		if def, err = parseRounding(s); err != nil {
			return top("rounding", err)
		}
	}
	if n := o.get("refunds"); n != nil {
		if cfg.Refunds, field, err = policyOf(n); err != nil {
			return top("refunds."+field, err)
		}
	}
	if n := o.get("daily_cap"); n != nil {
		if cfg.DailyCap, err = amountOf(n, digits); err != nil {
			return top("daily_cap", err)
		}
	}
	n = o.get("rules")
	if n == nil || n.jtype != 'a' {
		return top("rules", fmt.Errorf("%w: want an array of rules", ErrJSON))
	}
	cfg.Rules = make([]Rule, len(n.vals))
	for i, rn := range n.vals {
		jr := jreader{digits: digits, def: def, cur: cfg.Currency}
		if cfg.Rules[i], field, err = jr.rule(rn); err != nil {
			return cfg, &ValidationError{Rule: i, RuleName: cfg.Rules[i].Name, Field: orJSON(field), Err: err}
		}
	}
	return cfg, nil
}

func orJSON(field string) string {
	if field == "" {
		return "(json)"
	}
	return field
}

func optStr(o jobject, key string) (string, error) {
	n := o.get(key)
	if n == nil {
		return "", nil
	}
	return n.str()
}

func currencyOf(n *jnode) (Currency, int, error) {
	s, err := n.str()
	if err != nil {
		return Currency{}, 0, err
	}
	c, err := ParseCurrency(s)
	if err != nil {
		return c, 0, err
	}
	d, ok := c.MinorUnits()
	if !ok {
		return c, 0, fmt.Errorf("%w: %s has no minor unit", ErrCurrency, c)
	}
	return c, d, nil
}

func amountOf(n *jnode, digits int) (int64, error) {
	s, err := n.decimal()
	if err != nil {
		return 0, err
	}
	return parseMinor(s, digits)
}

func rateOf(n *jnode) (Rate, error) {
	if n.jtype == 'n' {
		return 0, fmt.Errorf("%w: the number %s: write rates as strings such as \"0.6%%\"", ErrRate, clip(n.text))
	}
	s, err := n.str()
	if err != nil {
		return 0, err
	}
	return ParseRate(s)
}

func policyOf(n *jnode) (RefundPolicy, string, error) {
	var p RefundPolicy
	o, field, err := object(n, "refund", "void", "reversal")
	if err != nil {
		return p, field, err
	}
	for _, f := range []struct {
		name string
		dst  *FeeReturn
	}{{"refund", &p.Refund}, {"void", &p.Void}, {"reversal", &p.Reversal}} {
		s, err := optStr(o, f.name)
		if err != nil {
			return p, f.name, err
		}
		if s == "" {
			continue
		}
		v, ok := enumParse(feeReturnNames[1:], s)
		if !ok {
			return p, f.name, fmt.Errorf("%w: unknown policy %q (kept, proportional, full)", ErrInvalid, clip(s))
		}
		*f.dst = FeeReturn(v + 1)
	}
	return p, "", nil
}

func parseRounding(s string) (Rounding, error) {
	v, ok := enumParse(roundingNames[:], s)
	if !ok {
		return 0, fmt.Errorf("%w: unknown rounding %q (half-up, half-even, down, up)", ErrInvalid, clip(s))
	}
	return Rounding(v), nil
}

// jreader reads the rules of one schedule: digits and cur are the rule's
// currency (the schedule's until the rule names its own), def the default
// rounding.
type jreader struct {
	digits int
	def    Rounding
	cur    Currency
}

var pricingKeys = []string{"rate", "fixed", "min", "cap", "rounding"}

func keys(groups ...[]string) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func (j *jreader) rule(n *jnode) (Rule, string, error) {
	var r Rule
	o, field, err := object(n, keys(pricingKeys, []string{"name", "when", "tiers", "tier_by", "parts", "components", "surcharges", "refunds", "fee_above_amount"})...)
	if err != nil {
		return r, field, err
	}
	if r.Name, err = optStr(o, "name"); err != nil {
		return r, "name", err
	}
	if w := o.get("when"); w != nil {
		if r.When, field, err = j.match(w, true); err != nil {
			return r, "when." + field, err
		}
	}
	if r.Pricing, r.Tiers, r.TierBy, field, err = j.pricedTiers(o); err != nil {
		return r, field, err
	}
	parts, err := o.either("parts", "components")
	if err != nil {
		return r, "parts", err
	}
	if parts != nil {
		if r.Parts, field, err = j.parts(parts); err != nil {
			return r, field, err
		}
	}
	if n := o.get("surcharges"); n != nil {
		if r.Surcharges, field, err = j.surcharges(n); err != nil {
			return r, field, err
		}
	}
	if n := o.get("refunds"); n != nil {
		if r.Refunds, field, err = policyOf(n); err != nil {
			return r, "refunds." + field, err
		}
	}
	if n := o.get("fee_above_amount"); n != nil {
		if n.jtype != 'b' {
			return r, "fee_above_amount", fmt.Errorf("%w: want true or false", ErrJSON)
		}
		r.FeeAboveAmount = n.b
	}
	return r, "", nil
}

// pricedTiers reads the pricing keys, tiers and tier_by of a rule or part.
func (j *jreader) pricedTiers(o jobject) (Pricing, []Tier, TierBasis, string, error) {
	p, field, err := j.pricing(o)
	if err != nil {
		return p, nil, 0, field, err
	}
	var tiers []Tier
	if n := o.get("tiers"); n != nil {
		if tiers, field, err = j.tiers(n); err != nil {
			return p, nil, 0, field, err
		}
	}
	var by TierBasis
	if s, err := optStr(o, "tier_by"); err != nil {
		return p, nil, 0, "tier_by", err
	} else if s != "" {
		v, ok := enumParse(tierBasisNames[:], s)
		if !ok {
			return p, nil, 0, "tier_by", fmt.Errorf("%w: unknown tier basis %q (amount, day-volume, month-volume)", ErrInvalid, clip(s))
		}
		by = TierBasis(v)
	}
	return p, tiers, by, "", nil
}

// pricing reads the pricing keys of o; with none of them present the
// pricing is zero (no default rounding).
func (j *jreader) pricing(o jobject) (Pricing, string, error) {
	present := false
	for _, k := range pricingKeys {
		present = present || o.get(k) != nil
	}
	if !present {
		return Pricing{}, "", nil
	}
	p := Pricing{Rounding: j.def}
	var err error
	if n := o.get("rate"); n != nil {
		if p.Rate, err = rateOf(n); err != nil {
			return p, "rate", err
		}
	}
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"fixed", &p.Fixed}, {"min", &p.Min}, {"cap", &p.Cap}} {
		if n := o.get(f.name); n != nil {
			if *f.dst, err = amountOf(n, j.digits); err != nil {
				return p, f.name, err
			}
		}
	}
	if s, err := optStr(o, "rounding"); err != nil {
		return p, "rounding", err
	} else if s != "" {
		if p.Rounding, err = parseRounding(s); err != nil {
			return p, "rounding", err
		}
	}
	return p, "", nil
}

func (j *jreader) tiers(n *jnode) ([]Tier, string, error) {
	if n.jtype != 'a' {
		return nil, "tiers", fmt.Errorf("%w: want an array of tiers", ErrJSON)
	}
	out := make([]Tier, len(n.vals))
	for i, tn := range n.vals {
		at := fmt.Sprintf("tiers[%d].", i)
		o, field, err := object(tn, keys(pricingKeys, []string{"up_to"})...)
		if err != nil {
			return nil, at + field, err
		}
		if u := o.get("up_to"); u != nil {
			if out[i].UpTo, err = amountOf(u, j.digits); err != nil {
				return nil, at + "up_to", err
			}
		}
		if out[i].Pricing, field, err = j.pricing(o); err != nil {
			return nil, at + field, err
		}
	}
	return out, "", nil
}

func (j *jreader) parts(n *jnode) ([]Part, string, error) {
	if n.jtype != 'a' {
		return nil, "parts", fmt.Errorf("%w: want an array of parts", ErrJSON)
	}
	out := make([]Part, len(n.vals))
	for i, pn := range n.vals {
		at := fmt.Sprintf("parts[%d].", i)
		o, field, err := object(pn, keys(pricingKeys, []string{"name", "component", "kind", "tiers", "tier_by"})...)
		if err != nil {
			return nil, at + field, err
		}
		p := &out[i]
		if p.Name, err = optStr(o, "name"); err != nil {
			return nil, at + "name", err
		}
		if p.Component, err = componentOf(o, true); err != nil {
			return nil, at + "component", err
		}
		if p.Pricing, p.Tiers, p.TierBy, field, err = j.pricedTiers(o); err != nil {
			return nil, at + field, err
		}
	}
	return out, "", nil
}

// componentOf reads "component" (or, for parts, the old "kind").
func componentOf(o jobject, oldKey bool) (Component, error) {
	n := o.get("component")
	if oldKey {
		var err error
		if n, err = o.either("component", "kind"); err != nil {
			return 0, err
		}
	}
	if n == nil {
		return 0, nil
	}
	s, err := n.str()
	if err != nil {
		return 0, err
	}
	v, ok := enumParse(componentNames[:], s)
	if !ok {
		return 0, fmt.Errorf("%w: unknown component %q (%s)", ErrInvalid, clip(s), strings.Join(componentNames[:], ", "))
	}
	return Component(v), nil
}

func (j *jreader) surcharges(n *jnode) ([]Surcharge, string, error) {
	if n.jtype != 'a' {
		return nil, "surcharges", fmt.Errorf("%w: want an array of surcharges", ErrJSON)
	}
	out := make([]Surcharge, len(n.vals))
	for i, sn := range n.vals {
		at := fmt.Sprintf("surcharges[%d].", i)
		o, field, err := object(sn, keys(pricingKeys, []string{"name", "component", "when"})...)
		if err != nil {
			return nil, at + field, err
		}
		sc := &out[i]
		if sc.Name, err = optStr(o, "name"); err != nil {
			return nil, at + "name", err
		}
		if sc.Component, err = componentOf(o, false); err != nil {
			return nil, at + "component", err
		}
		if w := o.get("when"); w != nil {
			if sc.When, field, err = j.match(w, false); err != nil {
				return nil, at + "when." + field, err
			}
		}
		if sc.Pricing, field, err = j.pricing(o); err != nil {
			return nil, at + field, err
		}
	}
	return out, "", nil
}

func parseMCC(s string) (uint16, bool) {
	if len(s) != 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 16)
	return uint16(n), err == nil
}

// MarshalJSON writes the schedule's configuration as [Config.MarshalJSON]
// does.
func (s *Schedule) MarshalJSON() ([]byte, error) { return s.config.MarshalJSON() }

// bytesOf renders a tree as indented JSON with a final newline.
func bytesOf(n *jnode) []byte {
	var b bytes.Buffer
	n.write(&b, 0)
	b.WriteByte('\n')
	return b.Bytes()
}
