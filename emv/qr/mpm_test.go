package qr

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// sample is the merchant-presented payload of the EMVCo QR Code
// Specification for Payment Systems (MPM), as given in docs/VECTORS.md: lengths
// count characters, the CRC A13A is over the UTF-8 bytes.
const sample = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"

func TestCRCCheckValue(t *testing.T) {
	// CRC-16/CCITT-FALSE check value (catalogue of CRC algorithms).
	if got := CRC("123456789"); got != 0x29B1 {
		t.Fatalf("CRC check value %04X, want 29B1", got)
	}
	if got := CRC(""); got != 0xFFFF {
		t.Fatalf("CRC of nothing %04X, want FFFF", got)
	}
}

func TestSampleRoundTrip(t *testing.T) {
	p, err := Parse(sample)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.String(); got != sample {
		t.Fatalf("round trip differs:\n got %s\nwant %s", got, sample)
	}
	wantIDs := []string{"00", "01", "29", "31", "52", "58", "59", "60", "64", "54", "53", "55", "62", "91"}
	if len(p.Objects) != len(wantIDs) {
		t.Fatalf("%d objects, want %d", len(p.Objects), len(wantIDs))
	}
	for i, id := range wantIDs {
		if p.Objects[i].ID != id {
			t.Errorf("object %d is %s, want %s", i, p.Objects[i].ID, id)
		}
	}
}

func TestSampleAccessors(t *testing.T) {
	p, err := Parse(sample)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"format", p.FormatIndicator(), "01"},
		{"initiation", p.PointOfInitiation(), Dynamic},
		{"MCC", p.MCC(), "4111"},
		{"currency", p.Currency(), "156"},
		{"amount", p.Amount(), "23.72"},
		{"tip", p.TipIndicator(), TipPrompt},
		{"fee", p.ConvenienceFee(), ""},
		{"fee %", p.ConvenienceFeePercentage(), ""},
		{"country", p.Country(), "CN"},
		{"name", p.MerchantName(), "BEST TRANSPORT"},
		{"city", p.MerchantCity(), "BEIJING"},
		{"postal", p.PostalCode(), ""},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !p.IsDynamic() {
		t.Error("not dynamic")
	}
	acc := p.Accounts()
	if len(acc) != 2 || acc[0].ID != "29" || acc[0].GUI() != "D15600000000" || acc[1].GUI() != "D15600000001" {
		t.Fatalf("accounts %+v", acc)
	}
	if v, _ := acc[0].Get("05"); v != "A93FO3230Q" {
		t.Errorf("29/05 = %q", v)
	}
	if v, _ := acc[1].Get("03"); v != "12345678" {
		t.Errorf("31/03 = %q", v)
	}
	if _, ok := acc[1].Get("09"); ok {
		t.Error("31/09 present")
	}
	u := p.Unreserved()
	if len(u) != 1 || u[0].ID != "91" || u[0].GUI() != "A011223344998877" {
		t.Fatalf("unreserved %+v", u)
	}
	a, ok := p.AdditionalData()
	if !ok || a.StoreLabel != "1234" || a.CustomerLabel != "***" || a.TerminalLabel != "A6008667" || a.ConsumerDataRequest != "ME" || a.BillNumber != "" {
		t.Fatalf("additional data %+v", a)
	}
	l, ok := p.Language()
	if !ok || l.Preference != "ZH" || l.Name != "最佳运输" || l.City != "北京" {
		t.Fatalf("language %+v", l)
	}
	if _, ok := p.Get("63"); ok {
		t.Error("CRC kept among the objects")
	}
	var empty Payload
	if _, ok := empty.AdditionalData(); ok {
		t.Error("additional data in an empty payload")
	}
	if _, ok := empty.Language(); ok {
		t.Error("language in an empty payload")
	}
}

// TestSampleMutations changes every character of the sample, one at a time,
// into every printable ASCII character and a few multi-byte ones, and
// deletes every character: each result must be rejected.
func TestSampleMutations(t *testing.T) {
	runes := []rune(sample)
	var alphabet []rune
	for c := rune(0x20); c < 0x7F; c++ {
		alphabet = append(alphabet, c)
	}
	alphabet = append(alphabet, 'é', '最', '北', '€', '😀')
	n := 0
	for i := range runes {
		orig := runes[i]
		for _, c := range alphabet {
			if c == orig {
				continue
			}
			runes[i] = c
			s := string(runes)
			if _, err := Parse(s); err == nil {
				t.Fatalf("change at %d to %q accepted", i, c)
			}
			n++
		}
		runes[i] = orig
		del := string(runes[:i]) + string(runes[i+1:])
		if _, err := Parse(del); err == nil {
			t.Fatalf("deletion at %d accepted", i)
		}
	}
	if n < 20000 {
		t.Fatalf("only %d mutations", n)
	}
}

// withCRC appends "6304" and the right CRC.
func withCRC(s string) string {
	s += "6304"
	h := crcHex(CRC(s))
	return s + string(h[:])
}

const minimal = "000201" + "0208VISA1234" + "52045812" + "5303156" + "5802CN" + "5905SHACK" + "6008SHANGHAI"

// TestParseErrors holds every way Parse refuses a payload, each with the
// error it must wrap. Long because it is one table of cases, read top to
// bottom.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    error
		id, sub string
	}{
		{"empty", "", ErrMissing, "00", ""},
		{"invalid UTF-8", "0002\xff\xfe", ErrEncoding, "00", ""},
		{"truncated header", "000201520", ErrTruncated, "52", ""},
		{"truncated ID", "0002015", ErrTruncated, "", ""},
		{"non-digit ID", "0002015A0411116304ABCD", ErrID, "", ""},
		{"non-digit length", "000201520X5811", ErrLength, "52", ""},
		{"zero length", "0002015200", ErrLength, "52", ""},
		{"length past end", "00020152045", ErrOverrun, "52", ""},
		{"duplicate 00", withCRC("000201000201"), ErrDuplicate, "00", ""},
		{"63 twice", withCRC("0002016304ABCD"), ErrOrder, "63", ""},
		{"duplicate 52", withCRC(minimal + "52045812"), ErrDuplicate, "52", ""},
		{"00 not first", withCRC("52045812000201"), ErrOrder, "00", ""},
		{"00 missing", withCRC("52045812"), ErrMissing, "00", ""},
		{"63 missing", minimal, ErrMissing, "63", ""},
		{"63 not last", "0002016304ABCD52045812", ErrOrder, "63", ""},
		{"wrong CRC", minimal + "63040000", ErrCRC, "63", ""},
		{"lower-case CRC", lowerCRC(withCRC(minimal + "0308ABCDEFGH")), ErrCRCFormat, "63", ""},
		{"CRC length 05", minimal + "630512345", ErrCRCFormat, "63", ""},
		{"CRC not hex", minimal + "6304WXYZ", ErrCRCFormat, "63", ""},
		{"format 02", withCRC("000202" + minimal[6:]), ErrValue, "00", ""},
		{"no account", withCRC("000201" + minimal[18:]), ErrMissing, "02", ""},
		{"no MCC", withCRC(strings.Replace(minimal, "52045812", "", 1)), ErrMissing, "52", ""},
		{"no currency", withCRC(strings.Replace(minimal, "5303156", "", 1)), ErrMissing, "53", ""},
		{"no country", withCRC(strings.Replace(minimal, "5802CN", "", 1)), ErrMissing, "58", ""},
		{"no name", withCRC(strings.Replace(minimal, "5905SHACK", "", 1)), ErrMissing, "59", ""},
		{"no city", withCRC(strings.Replace(minimal, "6008SHANGHAI", "", 1)), ErrMissing, "60", ""},
		{"initiation 13", withCRC(minimal + "010213"), ErrValue, "01", ""},
		{"MCC letters", withCRC(strings.Replace(minimal, "52045812", "520458A2", 1)), ErrValue, "52", ""},
		{"currency 4 digits", withCRC(strings.Replace(minimal, "5303156", "53041560", 1)), ErrValue, "53", ""},
		{"amount comma", withCRC(minimal + "540512,50"), ErrValue, "54", ""},
		{"amount two dots", withCRC(minimal + "54051.2.5"), ErrValue, "54", ""},
		{"amount trailing dot", withCRC(minimal + "540312."), ErrValue, "54", ""},
		{"amount 14 characters", withCRC(minimal + "5414123456789012.5"), ErrValue, "54", ""},
		{"tip 04", withCRC(minimal + "550204"), ErrValue, "55", ""},
		{"fee without 56", withCRC(minimal + "550202"), ErrMissing, "56", ""},
		{"percent without 57", withCRC(minimal + "550203"), ErrMissing, "57", ""},
		{"56 without 55", withCRC(minimal + "56031.5"), ErrValue, "56", ""},
		{"57 with 55 = 02", withCRC(minimal + "550202" + "56031.5" + "57015"), ErrValue, "57", ""},
		{"57 too large", withCRC(minimal + "550203" + "5706100.00"), ErrValue, "57", ""},
		{"57 zero", withCRC(minimal + "550203" + "57040.00"), ErrValue, "57", ""},
		{"country lower", withCRC(strings.Replace(minimal, "5802CN", "5802cn", 1)), ErrValue, "58", ""},
		{"name 26", withCRC(strings.Replace(minimal, "5905SHACK", "5926ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1)), ErrValue, "59", ""},
		{"city 16", withCRC(strings.Replace(minimal, "6008SHANGHAI", "6016SHANGHAISHANGHAI", 1)), ErrValue, "60", ""},
		{"postal 11", withCRC(minimal + "611112345678901"), ErrValue, "61", ""},
		{"template without GUI", withCRC(minimal + "26080104ABCD"), ErrMissing, "26", "00"},
		{"GUI 33", withCRC(minimal + "26370033ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"), ErrValue, "26", "00"},
		{"template sub overrun", withCRC(minimal + "26080009ABCD"), ErrOverrun, "26", "00"},
		{"template sub bad ID", withCRC(minimal + "2608X004ABCD"), ErrID, "26", ""},
		{"template duplicate sub", withCRC(minimal + "26120002AB0002CD"), ErrDuplicate, "26", "00"},
		{"template truncated sub", withCRC(minimal + "26030002"[:7]), ErrTruncated, "26", "00"},
		{"unreserved without GUI", withCRC(minimal + "80060102AB"), ErrMissing, "80", "00"},
		{"62 label 26", withCRC(minimal + "62300126ABCDEFGHIJKLMNOPQRSTUVWXYZ"), ErrValue, "62", "01"},
		{"62 request X", withCRC(minimal + "62050901X"), ErrValue, "62", "09"},
		{"62 request MM", withCRC(minimal + "62060902MM"), ErrValue, "62", "09"},
		{"64 no language", withCRC(minimal + "64060102AB"), ErrMissing, "64", "00"},
		{"64 no name", withCRC(minimal + "64060002ZH"), ErrMissing, "64", "01"},
		{"64 language 3", withCRC(minimal + "64130003ZHO0102AB"), ErrValue, "64", "00"},
		{"64 name 26", withCRC(minimal + "64360002ZH0126ABCDEFGHIJKLMNOPQRSTUVWXYZ"), ErrValue, "64", "01"},
		{"64 city 16", withCRC(minimal + "64320002ZH0102AB0216ABCDEFGHIJKLMNOP"), ErrValue, "64", "02"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.payload)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.ID != tc.id || e.SubID != tc.sub {
			t.Errorf("%s: error %v names %q/%q, want %q/%q", tc.name, err, e.ID, e.SubID, tc.id, tc.sub)
		}
		if tc.id != "" && !strings.Contains(err.Error(), "ID "+tc.id) {
			t.Errorf("%s: message %q does not name the ID", tc.name, err)
		}
	}
	if _, err := Parse(withCRC(minimal)); err != nil {
		t.Fatalf("minimal payload: %v", err)
	}
	ok := withCRC(minimal + "550203" + "570499.9" + "5407100.005")
	if _, err := Parse(ok); err != nil {
		t.Fatalf("fee payload: %v", err)
	}
}

// lowerCRC writes the CRC digits of s in lower case; the test payloads are
// chosen so that the CRC has a letter.
func lowerCRC(s string) string {
	low := s[:len(s)-4] + strings.ToLower(s[len(s)-4:])
	if low == s {
		panic("CRC without letters: " + s)
	}
	return low
}

// The length of every value counts characters: a value of 4 CJK characters
// (12 bytes) has length 04, and a payload that counted bytes is rejected.
func TestLengthsCountCharacters(t *testing.T) {
	good := withCRC(minimal + "64200002ZH0104最佳运输0202北京")
	if _, err := Parse(good); err != nil {
		t.Fatal(err)
	}
	bytesCounted := withCRC(minimal + "64280002ZH0112最佳运输0206北京")
	if _, err := Parse(bytesCounted); err == nil {
		t.Fatal("byte-counted lengths accepted")
	}
	p, _ := Parse(good)
	if l, _ := p.Language(); utf8.RuneCountInString(l.Name) != 4 {
		t.Fatalf("name %q", l.Name)
	}
}

func TestValidateOnHandMadePayloads(t *testing.T) {
	base, _ := Parse(withCRC(minimal))
	cp := func(mod func([]Object) []Object) Payload {
		o := append([]Object(nil), base.Objects...)
		return Payload{Objects: mod(o)}
	}
	tests := []struct {
		name string
		p    Payload
		want error
	}{
		{"bad ID", cp(func(o []Object) []Object { return append(o, Object{ID: "7", Value: "x"}) }), ErrID},
		{"empty value", cp(func(o []Object) []Object { return append(o, Object{ID: "70", Value: ""}) }), ErrLength},
		{"63 among objects", cp(func(o []Object) []Object { return append(o, Object{ID: "63", Value: "ABCD"}) }), ErrOrder},
		{"00 second", cp(func(o []Object) []Object { o[0], o[1] = o[1], o[0]; return o }), ErrOrder},
		{"00 missing", cp(func(o []Object) []Object { return o[1:] }), ErrMissing},
		{"Sub disagrees with Value", cp(func(o []Object) []Object {
			return append(o, Object{ID: "26", Value: "0002AB", Sub: []Object{{ID: "00", Value: "AC"}}})
		}), ErrValue},
		{"Sub shorter than Value", cp(func(o []Object) []Object {
			return append(o, Object{ID: "26", Value: "0002AB0102CD", Sub: []Object{{ID: "00", Value: "AB"}}})
		}), ErrValue},
		{"Sub bad ID", cp(func(o []Object) []Object {
			return append(o, Object{ID: "26", Value: "0002AB", Sub: []Object{{ID: "0", Value: "AB"}}})
		}), ErrID},
		{"Sub empty value", cp(func(o []Object) []Object {
			return append(o, Object{ID: "26", Value: "0000", Sub: []Object{{ID: "00", Value: ""}}})
		}), ErrLength},
	}
	for _, tc := range tests {
		if err := tc.p.Validate(); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// String refuses what it cannot encode.
	if s := (Payload{Objects: []Object{{ID: "00", Value: strings.Repeat("x", 100)}}}).String(); s != "" {
		t.Errorf("String of a 100-character value = %q", s)
	}
	if s := (Payload{Objects: []Object{{ID: "a0", Value: "x"}}}).String(); s != "" {
		t.Errorf("String with a bad ID = %q", s)
	}
}

func TestErrorMessage(t *testing.T) {
	e := &Error{ID: "62", SubID: "05", Err: ErrValue}
	if got := e.Error(); got != "qr: invalid value: ID 62, sub-ID 05" {
		t.Errorf("%q", got)
	}
	if got := (&Error{Err: ErrEncoding}).Error(); got != ErrEncoding.Error() {
		t.Errorf("%q", got)
	}
}
