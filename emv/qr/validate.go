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
	nonzero := false
	for i := 0; i < len(s); i++ {
		if s[i] >= '1' && s[i] <= '9' {
			nonzero = true
		}
	}
	whole := s
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			whole = s[:i]
		}
	}
	return nonzero && len(whole) <= 2
}

func chars(s string) int { return utf8.RuneCountInString(s) }

// Validate checks the rules of the EMVCo specification that a payload can
// break beyond its syntax: the format indicator 00 first and "01"; every ID
// two digits and used once; point of initiation 11 or 12; at least one
// merchant account (02-51), each template account and unreserved template
// with a globally unique identifier (sub-ID 00, at most 32 characters); MCC
// 4 digits; currency 3 digits (ISO 4217 numeric); amount at most 13
// characters, decimal; a dynamic payload (12) with an amount; tip or
// convenience indicator 01, 02 (with a fixed fee in 56) or 03 (with a
// percentage in 57), and 56/57 only with it; country 2 upper-case letters
// (ISO 3166-1 alpha 2); name at most 25 characters; city at most 15; postal
// code at most 10; additional data fields 01-08 at most 25 characters; a
// language template with a 2-letter language (00) and an alternate name
// (01). The CRC (63) must not be among the objects; String computes it.
//
// Errors: an *Error wrapping ErrID, ErrLength, ErrDuplicate, ErrOrder,
// ErrMissing or ErrValue.
func (p Payload) Validate() error {
	var seen [100]bool
	var vals [100]string
	accounts := 0
	for i, o := range p.Objects {
		k := idNum(o.ID)
		if k < 0 {
			return errAt(ErrID, "", "")
		}
		if seen[k] {
			return errAt(ErrDuplicate, o.ID, "")
		}
		seen[k] = true
		vals[k] = o.Value
		if c := chars(o.Value); c < 1 || c > 99 {
			return errAt(ErrLength, o.ID, "")
		}
		switch {
		case k == 0:
			if i != 0 {
				return errAt(ErrOrder, o.ID, "")
			}
			if o.Value != "01" {
				return errAt(ErrValue, o.ID, "")
			}
		case k == 63:
			return errAt(ErrOrder, o.ID, "")
		case k >= 2 && k <= 25:
			accounts++
		case k >= 26 && k <= 51 || k >= 80:
			if k <= 51 {
				accounts++
			}
			if err := checkSub(o); err != nil {
				return err
			}
			g, ok := o.Get("00")
			if !ok {
				return errAt(ErrMissing, o.ID, "00")
			}
			if chars(g) > 32 {
				return errAt(ErrValue, o.ID, "00")
			}
		case k == 62:
			if err := checkSub(o); err != nil {
				return err
			}
			for _, s := range o.Sub {
				n := idNum(s.ID)
				if n >= 1 && n <= 8 && chars(s.Value) > 25 {
					return errAt(ErrValue, o.ID, s.ID)
				}
				if n == 9 && !validConsumerRequest(s.Value) {
					return errAt(ErrValue, o.ID, s.ID)
				}
			}
		case k == 64:
			if err := checkSub(o); err != nil {
				return err
			}
			lang, ok := o.Get("00")
			if !ok {
				return errAt(ErrMissing, o.ID, "00")
			}
			if len(lang) != 2 {
				return errAt(ErrValue, o.ID, "00")
			}
			name, ok := o.Get("01")
			if !ok {
				return errAt(ErrMissing, o.ID, "01")
			}
			if chars(name) > 25 {
				return errAt(ErrValue, o.ID, "01")
			}
			if city, ok := o.Get("02"); ok && chars(city) > 15 {
				return errAt(ErrValue, o.ID, "02")
			}
		}
	}
	if !seen[0] {
		return errAt(ErrMissing, "00", "")
	}
	if accounts == 0 {
		return errAt(ErrMissing, "02", "")
	}
	for _, id := range [...]int{52, 53, 58, 59, 60} {
		if !seen[id] {
			return errAt(ErrMissing, twoDigits(id), "")
		}
	}
	check := func(id int, ok bool) error {
		if seen[id] && !ok {
			return errAt(ErrValue, twoDigits(id), "")
		}
		return nil
	}
	for _, err := range [...]error{
		check(1, vals[1] == Static || vals[1] == Dynamic),
		check(52, len(vals[52]) == 4 && allDigits(vals[52])),
		check(53, len(vals[53]) == 3 && allDigits(vals[53])),
		check(54, validAmount(vals[54])),
		check(55, vals[55] == TipPrompt || vals[55] == ConvenienceFeeFixed || vals[55] == ConvenienceFeePercent),
		check(56, validAmount(vals[56]) && vals[55] == ConvenienceFeeFixed),
		check(57, validPercent(vals[57]) && vals[55] == ConvenienceFeePercent),
		check(58, len(vals[58]) == 2 && upperLetter(vals[58][0]) && upperLetter(vals[58][1])),
		check(59, chars(vals[59]) <= 25),
		check(60, chars(vals[60]) <= 15),
		check(61, chars(vals[61]) <= 10),
	} {
		if err != nil {
			return err
		}
	}
	if vals[55] == ConvenienceFeeFixed && !seen[56] {
		return errAt(ErrMissing, "56", "")
	}
	if vals[55] == ConvenienceFeePercent && !seen[57] {
		return errAt(ErrMissing, "57", "")
	}
	if vals[1] == Dynamic && !seen[54] {
		return errAt(ErrMissing, "54", "")
	}
	return nil
}

func upperLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

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
func checkSub(o Object) error {
	var seen [100]bool
	total := 0
	for _, s := range o.Sub {
		k := idNum(s.ID)
		if k < 0 {
			return errAt(ErrID, o.ID, "")
		}
		if seen[k] {
			return errAt(ErrDuplicate, o.ID, s.ID)
		}
		seen[k] = true
		c := chars(s.Value)
		if c < 1 || c > 99 {
			return errAt(ErrLength, o.ID, s.ID)
		}
		total += 4 + len(s.Value)
	}
	if total != len(o.Value) {
		return errAt(ErrValue, o.ID, "")
	}
	// Compare the encoding piece by piece without building it.
	v := o.Value
	for _, s := range o.Sub {
		c := chars(s.Value)
		if v[0:2] != s.ID || v[2] != byte('0'+c/10) || v[3] != byte('0'+c%10) || v[4:4+len(s.Value)] != s.Value {
			return errAt(ErrValue, o.ID, s.ID)
		}
		v = v[4+len(s.Value):]
	}
	return nil
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}
