package qr

import (
	"strings"
	"unicode/utf8"
)

// Point of initiation values (ID 01).
const (
	Static  = "11" // the same code for every payment; the consumer enters the amount
	Dynamic = "12" // a code for one payment, usually carrying the amount
)

// Tip or convenience indicator values (ID 55).
const (
	TipPrompt             = "01" // the consumer is asked for a tip
	ConvenienceFeeFixed   = "02" // a fixed convenience fee in ID 56
	ConvenienceFeePercent = "03" // a percentage convenience fee in ID 57
)

// The clauses of the EMV QR Code Specification for Payment Systems,
// Merchant-Presented Mode, v1.1 (November 2020) that Validate enforces.
const (
	ruleFormat   = "EMVCo MPM v1.1 §4.1: ID and length two digits, length 01-99 counting characters, IDs once per level"
	ruleOrder    = "EMVCo MPM v1.1 Table 4.1: 00 first, 63 last"
	ruleCRC      = "EMVCo MPM v1.1 Table 4.1, ID 63: CRC-16 over the payload up to 6304, four upper-case hex digits"
	rulePFI      = "EMVCo MPM v1.1 Table 4.1, ID 00: value \"01\""
	rulePOI      = "EMVCo MPM v1.1 Table 4.1, ID 01: \"11\" or \"12\""
	ruleAccount  = "EMVCo MPM v1.1 Table 4.2: at least one merchant account (02-51)"
	ruleGUI      = "EMVCo MPM v1.1 Table 4.2: template account and unreserved template start with a GUI (00) of at most 32 characters"
	ruleMerchant = "EMVCo MPM v1.1 Table 4.3: 52 MCC (4 digits), 58 country (2 letters), 59 name (<= 25), 60 city (<= 15) mandatory; 61 postal code <= 10"
	ruleValue    = "EMVCo MPM v1.1 Table 4.4: 53 currency (3 digits) mandatory; 54 amount conditional, <= 13 characters"
	ruleTip      = "EMVCo MPM v1.1 Table 4.4: 55 is 01, 02 or 03; 56 only with 02, 57 (00.01-99.99) only with 03"
	ruleData     = "EMVCo MPM v1.1 Table 4.5: 62 sub-IDs 01-08 at most 25 characters; 09 one to three of A, M, E"
	ruleLanguage = "EMVCo MPM v1.1 Table 4.6: 64 holds 00 language (2 letters), 01 name (<= 25) and optionally 02 city (<= 15)"
)

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validAmount reports whether s is a transaction amount as EMVCo writes it:
// at most 13 characters, digits with an optional decimal point "." followed
// by at least one digit ("23.72", "100").
func validAmount(s string) bool {
	if len(s) == 0 || len(s) > 13 {
		return false
	}
	dot := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if dot >= 0 {
				return false
			}
			dot = i
		case c < '0' || c > '9':
			return false
		}
	}
	return dot != 0 && dot != len(s)-1
}

// validPercent reports whether s is a convenience fee percentage: a value
// from 00.01 to 99.99 of at most 5 characters.
func validPercent(s string) bool {
	if len(s) > 5 || !validAmount(s) {
		return false
	}
	whole, _, _ := strings.Cut(s, ".")
	return strings.ContainsAny(s, "123456789") && len(whole) <= 2
}

func chars(s string) int { return utf8.RuneCountInString(s) }

func upperLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// checker collects the findings of one validation.
type checker struct {
	prof  *Profile
	p     Payload
	pos   [100]uint16 // 1 + the index in p.Objects of the first object of each ID, 0 when absent
	out   []error
	first bool // stop at the first finding
}

// has reports whether the payload holds top-level ID k.
func (c *checker) has(k int) bool { return c.pos[k] != 0 }

// val returns the value of top-level ID k, or "".
func (c *checker) val(k int) string {
	if c.pos[k] == 0 {
		return ""
	}
	return c.p.Objects[c.pos[k]-1].Value
}

// obj returns the top-level object of ID k.
func (c *checker) obj(k int) Object {
	if c.pos[k] == 0 {
		return Object{}
	}
	return c.p.Objects[c.pos[k]-1]
}

func (c *checker) add(err error, id, sub, rule, detail string) {
	if c.first && len(c.out) > 0 {
		return
	}
	c.out = append(c.out, &Error{ID: id, SubID: sub, Err: err, Rule: rule, Detail: detail})
}

func (c *checker) done() bool { return c.first && len(c.out) > 0 }

// Validate checks the payload against the EMVCo specification
// ([EMVCo] profile) and returns the first finding, or nil. It is
// [Payload.ValidateProfile] with EMVCo; the rules, each reported with its
// clause in [Error].Rule:
//
//   - every ID two digits and used once, every value 1 to 99 characters, the
//     format indicator 00 first with value "01", no CRC (63) among the
//     objects (String computes it);
//   - point of initiation, when present, 11 or 12; the amount 54 is
//     conditional (a dynamic code may leave it to the consumer or to a
//     URL it names);
//   - at least one merchant account (02-51), each template account and
//     unreserved template with a GUI (sub-ID 00) of at most 32 characters;
//   - MCC (52, 4 digits), currency (53, 3 digits), country (58, two
//     upper-case letters), name (59, at most 25 characters) and city (60,
//     at most 15) present; postal code (61) at most 10;
//   - amount and fixed fee decimal, at most 13 characters; tip or
//     convenience indicator 01, 02 (with 56) or 03 (with 57, 00.01 to
//     99.99), and 56/57 only with it;
//   - additional data fields 01-08 at most 25 characters, 09 one to three
//     of A, M, E; a language template with a 2-letter language (00) and an
//     alternate name (01).
//
// Errors: an *Error wrapping ErrID, ErrLength, ErrDuplicate, ErrOrder,
// ErrMissing or ErrValue.
func (p Payload) Validate() error { return p.ValidateProfile(EMVCo) }

// ValidateProfile checks the payload against profile prof and returns the
// first finding, or nil: the EMVCo rules of [Payload.Validate] as the
// profile adapts them, then the profile's own.
//
// Errors: as Validate.
func (p Payload) ValidateProfile(prof Profile) error {
	c := checker{prof: &prof, p: p, first: true}
	c.run()
	if len(c.out) > 0 {
		return c.out[0]
	}
	return nil
}

// Check checks the payload against profile prof and returns every finding
// in payload order (each an *Error naming the object and the rule), or nil
// for a conforming payload.
func (p Payload) Check(prof Profile) []error {
	c := checker{prof: &prof, p: p}
	c.run()
	return c.out
}

func (c *checker) run() {
	c.objects()
	if c.done() {
		return
	}
	c.presence()
	if c.done() {
		return
	}
	c.values()
	if c.done() {
		return
	}
	c.own()
}

// objects checks each object on its own: IDs, lengths, order, templates.
func (c *checker) objects() {
	for i, o := range c.p.Objects {
		k := idNum(o.ID)
		if k < 0 {
			c.add(ErrID, "", "", ruleFormat, "")
			continue
		}
		if c.has(k) {
			c.add(ErrDuplicate, o.ID, "", ruleFormat, "")
		} else {
			c.pos[k] = uint16(i + 1)
		}
		if n := chars(o.Value); n < 1 || n > 99 {
			c.add(ErrLength, o.ID, "", ruleFormat, "")
		}
		switch {
		case k == 0 && i != 0:
			c.add(ErrOrder, o.ID, "", ruleOrder, "")
		case k == 63:
			c.add(ErrOrder, o.ID, "", ruleOrder, "the CRC is computed by String, not kept among the objects")
		case isTemplate(o.ID):
			c.template(o, k)
		}
		if c.done() {
			return
		}
	}
}

// template checks one template's syntax and its EMVCo sub-object rules.
func (c *checker) template(o Object, k int) {
	if err := checkSub(o); err != nil {
		c.out = append(c.out, err)
		return
	}
	switch {
	case k == 62:
		for _, s := range o.Sub {
			n := idNum(s.ID)
			if n >= 1 && n <= 8 && chars(s.Value) > 25 {
				c.add(ErrValue, o.ID, s.ID, ruleData, "more than 25 characters")
			}
			if n == 9 && !validConsumerRequest(s.Value) {
				c.add(ErrValue, o.ID, s.ID, ruleData, "")
			}
		}
	case k == 64:
		c.language(o)
	default: // accounts 26-51, unreserved 80-99
		g, ok := o.Get("00")
		if !ok && !c.prof.noGUI {
			c.add(ErrMissing, o.ID, "00", ruleGUI, "")
		} else if chars(g) > 32 {
			c.add(ErrValue, o.ID, "00", ruleGUI, "more than 32 characters")
		}
	}
}

func (c *checker) language(o Object) {
	lang, ok := o.Get("00")
	switch {
	case !ok:
		c.add(ErrMissing, o.ID, "00", ruleLanguage, "")
	case len(lang) != 2:
		c.add(ErrValue, o.ID, "00", ruleLanguage, "")
	}
	name, ok := o.Get("01")
	switch {
	case !ok:
		c.add(ErrMissing, o.ID, "01", ruleLanguage, "")
	case chars(name) > 25:
		c.add(ErrValue, o.ID, "01", ruleLanguage, "more than 25 characters")
	}
	if city, ok := o.Get("02"); ok && chars(city) > 15 {
		c.add(ErrValue, o.ID, "02", ruleLanguage, "more than 15 characters")
	}
}

// presence checks the objects the profile makes mandatory.
func (c *checker) presence() {
	if !c.has(0) {
		c.add(ErrMissing, "00", "", ruleOrder, "")
	}
	accounts := false
	for k := 2; k <= 51; k++ {
		accounts = accounts || c.has(k)
	}
	if !accounts && !c.prof.noAccount {
		c.add(ErrMissing, "02", "", ruleAccount, "no merchant account between 02 and 51")
	}
	for _, id := range c.prof.mandatory {
		if !c.has(idNum(id)) {
			rule := c.prof.rule
			if c.prof.name == EMVCo.name {
				rule = ruleFor(id)
			}
			c.add(ErrMissing, id, "", rule, "")
		}
	}
	if c.val(55) == ConvenienceFeeFixed && !c.has(56) {
		c.add(ErrMissing, "56", "", ruleTip, "")
	}
	if c.val(55) == ConvenienceFeePercent && !c.has(57) {
		c.add(ErrMissing, "57", "", ruleTip, "")
	}
}

func ruleFor(id string) string {
	if id == "53" {
		return ruleValue
	}
	return ruleMerchant
}

// values checks the values of the primitive objects that are present.
func (c *checker) values() {
	var v [100]string
	for _, k := range [...]int{0, 1, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61} {
		v[k] = c.val(k)
	}
	pfi := c.prof.format
	for _, r := range [...]struct {
		id   int
		ok   bool
		rule string
	}{
		{0, v[0] == pfi[0] || len(pfi) > 1 && v[0] == pfi[1], rulePFI},
		{1, v[1] == Static || v[1] == Dynamic, rulePOI},
		{52, len(v[52]) == 4 && allDigits(v[52]), ruleMerchant},
		{53, len(v[53]) == 3 && allDigits(v[53]), ruleValue},
		{54, validAmount(v[54]), ruleValue},
		{55, v[55] == TipPrompt || v[55] == ConvenienceFeeFixed || v[55] == ConvenienceFeePercent, ruleTip},
		{56, validAmount(v[56]) && v[55] == ConvenienceFeeFixed, ruleTip},
		{57, validPercent(v[57]) && v[55] == ConvenienceFeePercent, ruleTip},
		{58, len(v[58]) == 2 && upperLetter(v[58][0]) && upperLetter(v[58][1]), ruleMerchant},
		{59, chars(v[59]) <= 25, ruleMerchant},
		{60, chars(v[60]) <= 15, ruleMerchant},
		{61, chars(v[61]) <= 10, ruleMerchant},
	} {
		if c.has(r.id) && !r.ok {
			rule := r.rule
			if r.id == 0 && c.prof.name != EMVCo.name {
				rule = c.prof.rule
			}
			c.add(ErrValue, twoDigits(r.id), "", rule, "")
		}
	}
}

// validConsumerRequest reports whether s is an additional consumer data
// request (62 sub-ID 09): one to three of "A" (address), "M" (mobile), "E"
// (email), each at most once.
func validConsumerRequest(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	var seen [3]bool
	for i := 0; i < len(s); i++ {
		k := strings.IndexByte("AME", s[i])
		if k < 0 || seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

// checkSub checks the sub-objects of a template: two-digit IDs used once,
// values of 1 to 99 characters, and a Value that encodes exactly the Sub
// list (so that String writes what the sub-objects say).
func checkSub(o Object) *Error {
	var seen [100]bool
	total := 0
	for _, s := range o.Sub {
		k := idNum(s.ID)
		if k < 0 {
			return &Error{ID: o.ID, Err: ErrID, Rule: ruleFormat}
		}
		if seen[k] {
			return &Error{ID: o.ID, SubID: s.ID, Err: ErrDuplicate, Rule: ruleFormat}
		}
		seen[k] = true
		c := chars(s.Value)
		if c < 1 || c > 99 {
			return &Error{ID: o.ID, SubID: s.ID, Err: ErrLength, Rule: ruleFormat}
		}
		total += 4 + len(s.Value)
	}
	if total != len(o.Value) {
		return &Error{ID: o.ID, Err: ErrValue, Detail: "Value does not encode Sub"}
	}
	// Compare the encoding piece by piece without building it.
	v := o.Value
	for _, s := range o.Sub {
		c := chars(s.Value)
		if v[0:2] != s.ID || v[2] != byte('0'+c/10) || v[3] != byte('0'+c%10) || v[4:4+len(s.Value)] != s.Value {
			return &Error{ID: o.ID, SubID: s.ID, Err: ErrValue, Detail: "Value does not encode Sub"}
		}
		v = v[4+len(s.Value):]
	}
	return nil
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}
