package fees

import (
	"fmt"
	"strings"
)

// enumSets are the set conditions of a Match in their JSON spelling, with
// the names of their members; zero says the zero value is a real member
// (sale, T1) rather than "unknown".
func enumSets(m *Match) []struct {
	key   string
	old   string
	names []string
	dst   *uint32
	zero  bool
} {
	return []struct {
		key   string
		old   string
		names []string
		dst   *uint32
		zero  bool
	}{
		{"kinds", "", kindNames[:], (*uint32)(&m.Kinds), true},
		{"channels", "", channelNames[:], (*uint32)(&m.Channels), false},
		{"funding", "", fundingNames[:], (*uint32)(&m.Funding), false},
		{"schemes", "", schemeNames[:], (*uint32)(&m.Schemes), false},
		{"classes", "", classNames[:], (*uint32)(&m.Classes), false},
		{"payout", "settlement", payoutNames[:], (*uint32)(&m.Payout), true},
	}
}

// match reads a condition. A rule's condition may name a currency, which
// then sets the digits of every amount of the rule.
func (j *jreader) match(n *jnode, rule bool) (Match, string, error) {
	var m Match
	allowed := []string{"kinds", "channels", "funding", "schemes", "classes", "payout", "settlement", "mcc", "region", "min_amount", "max_amount", "window"}
	if rule {
		allowed = append(allowed, "currency")
	}
	o, field, err := object(n, allowed...)
	if err != nil {
		return m, field, err
	}
	if c := o.get("currency"); c != nil {
		if m.Currency, j.digits, err = currencyOf(c); err != nil {
			return m, "currency", err
		}
		if m.Currency == j.cur {
			m.Currency = Currency{} // the schedule's: written without it
		}
	}
	for _, s := range enumSets(&m) {
		v := o.get(s.key)
		if s.old != "" {
			if v, err = o.either(s.key, s.old); err != nil {
				return m, s.key, err
			}
		}
		if v == nil {
			continue
		}
		if err := readSet(v, s.key, s.names, s.dst, s.zero); err != nil {
			return m, s.key, err
		}
	}
	if field, err := j.matchRest(o, &m); err != nil {
		return m, field, err
	}
	return m, "", nil
}

func readSet(n *jnode, key string, names []string, dst *uint32, zero bool) error {
	list, err := n.strs()
	if err != nil {
		return err
	}
	off := uint8(0)
	if !zero {
		names, off = names[1:], 1
	}
	for _, name := range list {
		if key == "channels" && name == "card" {
			*dst |= uint32(CardChannels)
			continue
		}
		if key == "channels" && name == "qr" {
			*dst |= uint32(QRChannels)
			continue
		}
		v, ok := enumParse(names, name)
		if !ok {
			return fmt.Errorf("%w: unknown value %q (%s)", ErrInvalid, clip(name), strings.Join(names, ", "))
		}
		*dst |= 1 << (v + off)
	}
	return nil
}

// matchRest reads mcc, region, the amount bounds and the window.
func (j *jreader) matchRest(o jobject, m *Match) (string, error) {
	if n := o.get("mcc"); n != nil {
		codes, err := n.strs()
		if err != nil {
			return "mcc", err
		}
		for i, code := range codes {
			from, to, found := strings.Cut(code, "-")
			if !found {
				to = from
			}
			a, ok1 := parseMCC(from)
			b, ok2 := parseMCC(to)
			if !ok1 || !ok2 {
				return fmt.Sprintf("mcc[%d]", i), fmt.Errorf("%w: MCC %q (want 4 digits or a range 5000-5999)", ErrInvalid, clip(code))
			}
			m.MCCs = append(m.MCCs, MCCRange{From: a, To: b})
		}
	}
	if s, err := optStr(o, "region"); err != nil {
		return "region", err
	} else if s != "" {
		v, ok := enumParse(regionNames[:], s)
		if !ok {
			return "region", fmt.Errorf("%w: unknown region %q (any, domestic, cross-border)", ErrInvalid, clip(s))
		}
		m.Region = Region(v)
	}
	var err error
	for _, f := range []struct {
		key string
		dst *int64
	}{{"min_amount", &m.MinAmount}, {"max_amount", &m.MaxAmount}} {
		if n := o.get(f.key); n != nil {
			if *f.dst, err = amountOf(n, j.digits); err != nil {
				return f.key, err
			}
		}
	}
	if n := o.get("window"); n != nil {
		w, field, err := object(n, "from", "to")
		if err != nil {
			return "window." + field, err
		}
		for _, f := range []struct {
			key string
			dst *TimeOfDay
		}{{"from", &m.Window.From}, {"to", &m.Window.To}} {
			s, err := optStr(w, f.key)
			if err != nil {
				return "window." + f.key, err
			}
			if *f.dst, err = ParseTimeOfDay(s); err != nil {
				return "window." + f.key, err
			}
		}
	}
	return "", nil
}
