package fees

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// LoadJSON reads a schedule from JSON and validates it. Amounts are decimal
// major units of the schedule's currency, as strings or JSON numbers
// ("13.00" or 13.00, read exactly); rates are strings for ParseRate. The
// "rounding" at the top is the default of every component that names none.
// Unknown fields are errors. Errors naming a rule are *ValidationError.
//
//	{
//	  "name": "shop 42",
//	  "currency": "CNY",
//	  "rounding": "half-up",
//	  "refunds": {"refund": "proportional", "void": "full", "reversal": "full"},
//	  "rules": [
//	    {"name": "qr", "when": {"channels": ["qr", "contactless"]},
//	     "tiers": [{"up_to": "1000.00", "rate": "0.38%"}, {"rate": "0.6%"}]},
//	    {"name": "debit", "when": {"channels": ["card"], "funding": ["debit"]},
//	     "components": [
//	       {"kind": "issuer", "rate": "0.35%", "cap": "13.00"},
//	       {"kind": "network", "rate": "0.0325%", "cap": "3.25"},
//	       {"kind": "acquirer", "rate": "0.1%"}],
//	     "surcharges": [{"name": "instant", "fixed": "2.00",
//	       "when": {"settlement": ["D0", "T0"], "min_amount": "11.00",
//	                "window": {"from": "00:00", "to": "23:00"}}}]}
//	  ]
//	}
//
// Conditions ("when"): channels (swipe, chip, contactless, wechat-pay,
// alipay, unionpay-qr, or the groups card and qr), funding (debit, credit,
// prepaid), schemes (unionpay, visa, mastercard, jcb, amex, discover),
// classes (general, catering, livelihood, preferential, public-welfare),
// settlement (T1, D1, T0, D0), mcc ("5411" or "5000-5999"), region
// (domestic, cross-border), min_amount, max_amount and window.
func LoadJSON(data []byte) (*Schedule, error) {
	cfg, err := ParseJSON(data)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// ReadJSON is LoadJSON reading from r.
func ReadJSON(r io.Reader) (*Schedule, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return LoadJSON(data)
}

// ParseJSON reads the JSON form of a schedule into a Config without
// building the schedule (use New, or LoadJSON for both steps).
func ParseJSON(data []byte) (Config, error) {
	var js jsonSchedule
	if err := strictDecode(data, &js); err != nil {
		return Config{}, &ValidationError{Rule: -1, Field: jsonField(err), Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
	}
	var cfg Config
	cfg.Name = js.Name
	cur, err := ParseCurrency(js.Currency)
	if err != nil {
		return cfg, &ValidationError{Rule: -1, Field: "currency", Err: err}
	}
	cfg.Currency = cur
	digits, ok := cur.MinorUnits()
	if !ok {
		return cfg, &ValidationError{Rule: -1, Field: "currency", Err: fmt.Errorf("%w: %s has no minor unit", ErrCurrency, cur)}
	}
	def := HalfUp
	if js.Rounding != "" {
		if def, err = parseRounding(js.Rounding); err != nil {
			return cfg, &ValidationError{Rule: -1, Field: "rounding", Err: err}
		}
	}
	if js.Refunds != nil {
		for _, f := range []struct {
			name string
			src  string
			dst  *FeeReturn
		}{{"refunds.refund", js.Refunds.Refund, &cfg.Refunds.Refund}, {"refunds.void", js.Refunds.Void, &cfg.Refunds.Void}, {"refunds.reversal", js.Refunds.Reversal, &cfg.Refunds.Reversal}} {
			if f.src == "" {
				continue
			}
			v, ok := enumParse(feeReturnNames[1:], f.src)
			if !ok {
				return cfg, &ValidationError{Rule: -1, Field: f.name, Err: fmt.Errorf("%w: unknown policy %q (kept, proportional, full)", ErrInvalid, clip(f.src))}
			}
			*f.dst = FeeReturn(v + 1)
		}
	}
	cfg.Rules = make([]Rule, len(js.Rules))
	for i, raw := range js.Rules {
		var jr jsonRule
		if err := strictDecode(raw, &jr); err != nil {
			var named struct {
				Name string `json:"name"`
			}
			_ = json.Unmarshal(raw, &named)
			return cfg, &ValidationError{Rule: i, RuleName: named.Name, Field: jsonField(err), Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
		}
		r, field, err := jr.rule(digits, def)
		if err != nil {
			return cfg, &ValidationError{Rule: i, RuleName: jr.Name, Field: field, Err: err}
		}
		cfg.Rules[i] = r
	}
	return cfg, nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// jsonField extracts the field a decoding error is about.
func jsonField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return te.Field
	}
	const unknown = `json: unknown field "`
	if msg := err.Error(); strings.HasPrefix(msg, unknown) {
		if f := strings.TrimSuffix(msg[len(unknown):], `"`); f != "" {
			return f
		}
	}
	return "(json)"
}

// decimalText holds a decimal written as a JSON string or number, verbatim.
type decimalText string

// UnmarshalJSON keeps a JSON string or number literal as text.
func (d *decimalText) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = decimalText(s)
		return nil
	}
	if len(b) == 0 || !(b[0] == '-' || (b[0] >= '0' && b[0] <= '9')) {
		return errors.New("want a decimal string or number")
	}
	*d = decimalText(b)
	return nil
}

type jsonSchedule struct {
	Name     string            `json:"name"`
	Currency string            `json:"currency"`
	Rounding string            `json:"rounding"`
	Refunds  *jsonPolicy       `json:"refunds"`
	Rules    []json.RawMessage `json:"rules"`
}

type jsonPolicy struct {
	Refund   string `json:"refund"`
	Void     string `json:"void"`
	Reversal string `json:"reversal"`
}

type jsonPricing struct {
	Rate     *decimalText `json:"rate"`
	Fixed    *decimalText `json:"fixed"`
	Min      *decimalText `json:"min"`
	Cap      *decimalText `json:"cap"`
	Rounding string       `json:"rounding"`
}

type jsonTier struct {
	UpTo *decimalText `json:"up_to"`
	jsonPricing
}

type jsonComponent struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	jsonPricing
	Tiers []jsonTier `json:"tiers"`
}

type jsonWindow struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type jsonMatch struct {
	Channels   []string     `json:"channels"`
	Funding    []string     `json:"funding"`
	Schemes    []string     `json:"schemes"`
	Classes    []string     `json:"classes"`
	Settlement []string     `json:"settlement"`
	MCC        []string     `json:"mcc"`
	Region     string       `json:"region"`
	MinAmount  *decimalText `json:"min_amount"`
	MaxAmount  *decimalText `json:"max_amount"`
	Window     *jsonWindow  `json:"window"`
}

type jsonSurcharge struct {
	Name string    `json:"name"`
	When jsonMatch `json:"when"`
	jsonPricing
}

type jsonRule struct {
	Name string    `json:"name"`
	When jsonMatch `json:"when"`
	jsonPricing
	Tiers      []jsonTier      `json:"tiers"`
	Components []jsonComponent `json:"components"`
	Surcharges []jsonSurcharge `json:"surcharges"`
}

func parseRounding(s string) (Rounding, error) {
	v, ok := enumParse(roundingNames[:], s)
	if !ok {
		return 0, fmt.Errorf("%w: unknown rounding %q (half-up, half-even, down, up)", ErrInvalid, clip(s))
	}
	return Rounding(v), nil
}

func (j *jsonRule) rule(digits int, def Rounding) (Rule, string, error) {
	r := Rule{Name: j.Name}
	var err error
	var field string
	if r.When, field, err = j.When.match(digits); err != nil {
		return r, "when." + field, err
	}
	explicit := j.jsonPricing != (jsonPricing{}) || len(j.Tiers) > 0
	if explicit || len(j.Components) == 0 {
		if r.Pricing, field, err = j.jsonPricing.pricing(digits, def); err != nil {
			return r, field, err
		}
		if r.Tiers, field, err = tiers(j.Tiers, digits, def); err != nil {
			return r, field, err
		}
		if len(j.Tiers) > 0 && r.Pricing == (Pricing{Rounding: def}) {
			r.Pricing = Pricing{}
		}
	}
	for k := range j.Components {
		jc := &j.Components[k]
		c := Component{Name: jc.Name}
		prefix := fmt.Sprintf("components[%d].", k)
		if jc.Kind != "" {
			v, ok := enumParse(kindNames[:], jc.Kind)
			if !ok {
				return r, prefix + "kind", fmt.Errorf("%w: unknown kind %q (fee, issuer, network, acquirer, agent, surcharge)", ErrInvalid, clip(jc.Kind))
			}
			c.Kind = Kind(v)
		}
		if c.Pricing, field, err = jc.jsonPricing.pricing(digits, def); err != nil {
			return r, prefix + field, err
		}
		if c.Tiers, field, err = tiers(jc.Tiers, digits, def); err != nil {
			return r, prefix + field, err
		}
		if len(jc.Tiers) > 0 && c.Pricing == (Pricing{Rounding: def}) {
			c.Pricing = Pricing{}
		}
		r.Components = append(r.Components, c)
	}
	for k := range j.Surcharges {
		js := &j.Surcharges[k]
		prefix := fmt.Sprintf("surcharges[%d].", k)
		sc := Surcharge{Name: js.Name}
		if sc.When, field, err = js.When.match(digits); err != nil {
			return r, prefix + "when." + field, err
		}
		if sc.Pricing, field, err = js.jsonPricing.pricing(digits, def); err != nil {
			return r, prefix + field, err
		}
		r.Surcharges = append(r.Surcharges, sc)
	}
	return r, "", nil
}

func tiers(js []jsonTier, digits int, def Rounding) ([]Tier, string, error) {
	var out []Tier
	for i := range js {
		t := Tier{}
		var err error
		var field string
		if js[i].UpTo != nil {
			if t.UpTo, err = parseMinor(string(*js[i].UpTo), digits); err != nil {
				return nil, fmt.Sprintf("tiers[%d].up_to", i), err
			}
		}
		if t.Pricing, field, err = js[i].jsonPricing.pricing(digits, def); err != nil {
			return nil, fmt.Sprintf("tiers[%d].%s", i, field), err
		}
		out = append(out, t)
	}
	return out, "", nil
}

func (j *jsonPricing) pricing(digits int, def Rounding) (Pricing, string, error) {
	p := Pricing{Rounding: def}
	var err error
	if j.Rate != nil {
		if p.Rate, err = ParseRate(string(*j.Rate)); err != nil {
			return p, "rate", err
		}
	}
	for _, f := range []struct {
		name string
		src  *decimalText
		dst  *int64
	}{{"fixed", j.Fixed, &p.Fixed}, {"min", j.Min, &p.Min}, {"cap", j.Cap, &p.Cap}} {
		if f.src == nil {
			continue
		}
		if *f.dst, err = parseMinor(string(*f.src), digits); err != nil {
			return p, f.name, err
		}
	}
	if j.Rounding != "" {
		if p.Rounding, err = parseRounding(j.Rounding); err != nil {
			return p, "rounding", err
		}
	}
	return p, "", nil
}

func (j *jsonMatch) match(digits int) (Match, string, error) {
	var m Match
	var ok bool
	for _, name := range j.Channels {
		switch name {
		case "card":
			m.Channels |= CardChannels
		case "qr":
			m.Channels |= QRChannels
		default:
			var v uint8
			if v, ok = enumParse(channelNames[1:], name); !ok {
				return m, "channels", fmt.Errorf("%w: unknown channel %q", ErrInvalid, clip(name))
			}
			m.Channels |= 1 << (v + 1)
		}
	}
	sets := []struct {
		name  string
		src   []string
		names []string
		dst   *uint32
		zero  bool // the zero value is a real member (settlement T1)
	}{
		{"funding", j.Funding, fundingNames[:], (*uint32)(&m.Funding), false},
		{"schemes", j.Schemes, schemeNames[:], (*uint32)(&m.Schemes), false},
		{"classes", j.Classes, classNames[:], (*uint32)(&m.Classes), false},
		{"settlement", j.Settlement, settlementNames[:], (*uint32)(&m.Settlement), true},
	}
	for _, s := range sets {
		names := s.names
		off := uint8(0)
		if !s.zero {
			names, off = names[1:], 1
		}
		for _, name := range s.src {
			v, ok := enumParse(names, name)
			if !ok {
				return m, s.name, fmt.Errorf("%w: unknown value %q", ErrInvalid, clip(name))
			}
			*s.dst |= 1 << (v + off)
		}
	}
	for i, code := range j.MCC {
		from, to, found := strings.Cut(code, "-")
		if !found {
			to = from
		}
		a, err1 := parseMCC(from)
		b, err2 := parseMCC(to)
		if err1 != nil || err2 != nil {
			return m, fmt.Sprintf("mcc[%d]", i), fmt.Errorf("%w: MCC %q (want 4 digits or a range 5000-5999)", ErrInvalid, clip(code))
		}
		m.MCCs = append(m.MCCs, MCCRange{From: a, To: b})
	}
	if j.Region != "" {
		v, ok := enumParse(regionNames[:], j.Region)
		if !ok {
			return m, "region", fmt.Errorf("%w: unknown region %q", ErrInvalid, clip(j.Region))
		}
		m.Region = Region(v)
	}
	var err error
	if j.MinAmount != nil {
		if m.MinAmount, err = parseMinor(string(*j.MinAmount), digits); err != nil {
			return m, "min_amount", err
		}
	}
	if j.MaxAmount != nil {
		if m.MaxAmount, err = parseMinor(string(*j.MaxAmount), digits); err != nil {
			return m, "max_amount", err
		}
	}
	if j.Window != nil {
		if m.Window.From, err = ParseTimeOfDay(j.Window.From); err != nil {
			return m, "window.from", err
		}
		if m.Window.To, err = ParseTimeOfDay(j.Window.To); err != nil {
			return m, "window.to", err
		}
	}
	return m, "", nil
}

func parseMCC(s string) (uint16, error) {
	if len(s) != 4 {
		return 0, ErrInvalid
	}
	n, err := strconv.ParseUint(s, 10, 16)
	return uint16(n), err
}
