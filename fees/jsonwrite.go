package fees

import "fmt"

// MarshalJSON writes c in the form LoadJSON reads, with the current keys,
// every amount as a decimal string in its rule's currency and every rate
// as a percentage string. The output is canonical: writing what it loads
// back gives the same bytes. Errors wrap ErrCurrency (c has no currency
// with a minor unit).
func (c Config) MarshalJSON() ([]byte, error) {
	digits, ok := c.Currency.MinorUnits()
	if !ok {
		return nil, fmt.Errorf("%w: the schedule has no currency with a minor unit", ErrCurrency)
	}
	root := &jnode{jtype: 'o'}
	root.set("name", jstr(c.Name))
	root.set("currency", jstr(c.Currency.Alpha()))
	if c.DailyCap != 0 {
		root.set("daily_cap", jstr(formatMinor(c.DailyCap, digits)))
	}
	if p := policyNode(c.Refunds); p != nil {
		root.set("refunds", p)
	}
	rules := &jnode{jtype: 'a'}
	for i := range c.Rules {
		r, err := ruleNode(&c.Rules[i], c.Currency, digits)
		if err != nil {
			return nil, err
		}
		rules.vals = append(rules.vals, r)
	}
	root.set("rules", rules)
	return bytesOf(root), nil
}

func policyNode(p RefundPolicy) *jnode {
	if p == (RefundPolicy{}) {
		return nil
	}
	n := &jnode{jtype: 'o'}
	for _, f := range []struct {
		key string
		v   FeeReturn
	}{{"refund", p.Refund}, {"void", p.Void}, {"reversal", p.Reversal}} {
		if f.v != FeeDefault {
			n.set(f.key, jstr(f.v.String()))
		}
	}
	return n
}

func ruleNode(r *Rule, cur Currency, digits int) (*jnode, error) {
	when := r.When
	if when.Currency == cur {
		when.Currency = Currency{} // the schedule's, as the reader gives it
	}
	if when.Currency.Valid() {
		d, ok := when.Currency.MinorUnits()
		if !ok {
			return nil, fmt.Errorf("%w: rule %q: %s has no minor unit", ErrCurrency, clip(r.Name), when.Currency)
		}
		digits = d
	}
	n := &jnode{jtype: 'o'}
	if r.Name != "" {
		n.set("name", jstr(r.Name))
	}
	if w := matchNode(&when, digits); w != nil {
		n.set("when", w)
	}
	pricedNode(n, r.Pricing, r.Tiers, r.TierBy, digits)
	if len(r.Parts) > 0 {
		parts := &jnode{jtype: 'a'}
		for _, p := range r.Parts {
			pn := &jnode{jtype: 'o'}
			if p.Name != "" {
				pn.set("name", jstr(p.Name))
			}
			pn.set("component", jstr(p.Component.String()))
			pricedNode(pn, p.Pricing, p.Tiers, p.TierBy, digits)
			parts.vals = append(parts.vals, pn)
		}
		n.set("parts", parts)
	}
	if len(r.Surcharges) > 0 {
		list := &jnode{jtype: 'a'}
		for _, sc := range r.Surcharges {
			sn := &jnode{jtype: 'o'}
			if sc.Name != "" {
				sn.set("name", jstr(sc.Name))
			}
			if sc.Component != ComponentFee {
				sn.set("component", jstr(sc.Component.String()))
			}
			if w := matchNode(&sc.When, digits); w != nil {
				sn.set("when", w)
			}
			pricingNode(sn, sc.Pricing, digits)
			list.vals = append(list.vals, sn)
		}
		n.set("surcharges", list)
	}
	if p := policyNode(r.Refunds); p != nil {
		n.set("refunds", p)
	}
	if r.FeeAboveAmount {
		n.set("fee_above_amount", &jnode{jtype: 'b', b: true})
	}
	return n, nil
}

// pricedNode adds the pricing keys, tiers and tier_by of a rule or part.
func pricedNode(n *jnode, p Pricing, tiers []Tier, by TierBasis, digits int) {
	pricingNode(n, p, digits)
	if len(tiers) > 0 {
		list := &jnode{jtype: 'a'}
		for _, t := range tiers {
			tn := &jnode{jtype: 'o'}
			if t.UpTo != 0 {
				tn.set("up_to", jstr(formatMinor(t.UpTo, digits)))
			}
			pricingNode(tn, t.Pricing, digits)
			list.vals = append(list.vals, tn)
		}
		n.set("tiers", list)
	}
	if by != ByAmount {
		n.set("tier_by", jstr(by.String()))
	}
}

// pricingNode adds the non-zero fields of p. A pricing that is zero but
// for a rounding other than half-up keeps its rounding, so that it reads
// back the same.
func pricingNode(n *jnode, p Pricing, digits int) {
	if p.Rate != 0 {
		n.set("rate", jstr(p.Rate.String()))
	}
	for _, f := range []struct {
		key string
		v   int64
	}{{"fixed", p.Fixed}, {"min", p.Min}, {"cap", p.Cap}} {
		if f.v != 0 {
			n.set(f.key, jstr(formatMinor(f.v, digits)))
		}
	}
	if p.Rounding != HalfUp {
		n.set("rounding", jstr(p.Rounding.String()))
	}
}

func matchNode(m *Match, digits int) *jnode {
	n := &jnode{jtype: 'o'}
	for _, s := range enumSets(m) {
		if *s.dst == 0 {
			continue
		}
		var names []string
		for v := 0; v < 32; v++ {
			if *s.dst&(1<<v) != 0 {
				names = append(names, enumName(s.names, uint8(v)))
			}
		}
		n.set(s.key, jstrs(names))
	}
	if len(m.MCCs) > 0 {
		var codes []string
		for _, r := range m.MCCs {
			if r.From == r.To {
				codes = append(codes, fmt.Sprintf("%04d", r.From))
			} else {
				codes = append(codes, fmt.Sprintf("%04d-%04d", r.From, r.To))
			}
		}
		n.set("mcc", jstrs(codes))
	}
	if m.Region != AnyRegion {
		n.set("region", jstr(m.Region.String()))
	}
	for _, f := range []struct {
		key string
		v   int64
	}{{"min_amount", m.MinAmount}, {"max_amount", m.MaxAmount}} {
		if f.v != 0 {
			n.set(f.key, jstr(formatMinor(f.v, digits)))
		}
	}
	if m.Window != (Window{}) {
		w := &jnode{jtype: 'o'}
		w.set("from", jstr(m.Window.From.String()))
		w.set("to", jstr(m.Window.To.String()))
		n.set("window", w)
	}
	if m.Currency.Valid() {
		n.set("currency", jstr(m.Currency.Alpha()))
	}
	if len(n.keys) == 0 {
		return nil
	}
	return n
}
