package qr

import (
	"strings"
	"unicode/utf8"
)

// FormatIndicator returns the payload format indicator (ID 00), "01".
func (p Payload) FormatIndicator() string { v, _ := p.Get("00"); return v }

// PointOfInitiation returns ID 01: Static ("11"), Dynamic ("12") or "".
func (p Payload) PointOfInitiation() string { v, _ := p.Get("01"); return v }

// IsDynamic reports whether the point of initiation is Dynamic.
func (p Payload) IsDynamic() bool { return p.PointOfInitiation() == Dynamic }

// MCC returns the merchant category code (ID 52), 4 digits (ISO 18245).
func (p Payload) MCC() string { v, _ := p.Get("52"); return v }

// Currency returns the transaction currency (ID 53), the 3-digit ISO 4217
// numeric code ("156" for CNY, "840" for USD).
func (p Payload) Currency() string { v, _ := p.Get("53"); return v }

// Amount returns the transaction amount (ID 54) as written, in major
// units with an optional decimal point ("23.72"), or "" when absent.
func (p Payload) Amount() string { v, _ := p.Get("54"); return v }

// TipIndicator returns the tip or convenience indicator (ID 55): TipPrompt,
// ConvenienceFeeFixed, ConvenienceFeePercent or "".
func (p Payload) TipIndicator() string { v, _ := p.Get("55"); return v }

// ConvenienceFee returns the fixed convenience fee (ID 56) or "".
func (p Payload) ConvenienceFee() string { v, _ := p.Get("56"); return v }

// ConvenienceFeePercentage returns the percentage convenience fee (ID 57)
// or "".
func (p Payload) ConvenienceFeePercentage() string { v, _ := p.Get("57"); return v }

// Country returns the merchant's country (ID 58), ISO 3166-1 alpha 2.
func (p Payload) Country() string { v, _ := p.Get("58"); return v }

// MerchantName returns ID 59, at most 25 characters.
func (p Payload) MerchantName() string { v, _ := p.Get("59"); return v }

// MerchantCity returns ID 60, at most 15 characters.
func (p Payload) MerchantCity() string { v, _ := p.Get("60"); return v }

// PostalCode returns ID 61 or "".
func (p Payload) PostalCode() string { v, _ := p.Get("61"); return v }

// Accounts returns the merchant account information objects (IDs 02-51) in
// payload order: primitive values for 02-25 (02-03 Visa, 04-05 Mastercard,
// 15-16 UnionPay ...), templates with a GUI for 26-51.
func (p Payload) Accounts() []Object {
	var out []Object
	for _, o := range p.Objects {
		if k := idNum(o.ID); k >= 2 && k <= 51 {
			out = append(out, o)
		}
	}
	return out
}

// Unreserved returns the unreserved templates (IDs 80-99) in payload order.
func (p Payload) Unreserved() []Object {
	var out []Object
	for _, o := range p.Objects {
		if idNum(o.ID) >= 80 {
			out = append(out, o)
		}
	}
	return out
}

// AdditionalData is the additional data field template (ID 62).
type AdditionalData struct {
	BillNumber          string   // 01
	MobileNumber        string   // 02
	StoreLabel          string   // 03
	LoyaltyNumber       string   // 04
	ReferenceLabel      string   // 05
	CustomerLabel       string   // 06
	TerminalLabel       string   // 07
	Purpose             string   // 08, purpose of transaction
	ConsumerDataRequest string   // 09: any of "A" (address), "M" (mobile), "E" (email)
	Other               []Object // sub-IDs 10-99, in order
}

var additionalIDs = [...]string{"01", "02", "03", "04", "05", "06", "07", "08", "09"}

func (a *AdditionalData) fields() [9]*string {
	return [9]*string{&a.BillNumber, &a.MobileNumber, &a.StoreLabel, &a.LoyaltyNumber, &a.ReferenceLabel,
		&a.CustomerLabel, &a.TerminalLabel, &a.Purpose, &a.ConsumerDataRequest}
}

// AdditionalData returns the additional data field template (ID 62).
func (p Payload) AdditionalData() (AdditionalData, bool) {
	o, ok := p.Lookup("62")
	if !ok {
		return AdditionalData{}, false
	}
	var a AdditionalData
	f := a.fields()
	for _, s := range o.Sub {
		if k := idNum(s.ID); k >= 1 && k <= 9 {
			*f[k-1] = s.Value
		} else {
			a.Other = append(a.Other, s)
		}
	}
	return a, true
}

// Language is the merchant information language template (ID 64): the
// merchant's name and city in another language.
type Language struct {
	Preference string   // 00: ISO 639-1 language code, "ZH"
	Name       string   // 01: merchant name, alternate language
	City       string   // 02: merchant city, alternate language
	Other      []Object // sub-IDs 03-99
}

// Language returns the merchant information language template (ID 64).
func (p Payload) Language() (Language, bool) {
	o, ok := p.Lookup("64")
	if !ok {
		return Language{}, false
	}
	var l Language
	for _, s := range o.Sub {
		switch s.ID {
		case "00":
			l.Preference = s.Value
		case "01":
			l.Name = s.Value
		case "02":
			l.City = s.Value
		default:
			l.Other = append(l.Other, s)
		}
	}
	return l, true
}

// UnionPay account IDs: EMVCo reserves merchant account information IDs 15
// and 16 for UnionPay International.
const (
	UnionPay      = "15"
	UnionPayOther = "16"
)

// Account is one merchant account for the builder. For IDs 02-25 set Value
// (a primitive, e.g. a UnionPay merchant ID under ID 15); for template IDs
// 26-51 and unreserved templates 80-99 set GUI (an AID such as
// "D156000000", a reverse domain name or a UUID) and any further
// sub-objects in Fields (IDs 01-99).
type Account struct {
	ID     string
	Value  string
	GUI    string
	Fields []Object
}

// Merchant describes a merchant-presented code for the builder. Encode
// orders the objects as 00, 01, the accounts in the order given, 52-61, 62,
// 64, the unreserved templates, and 63 with the CRC.
type Merchant struct {
	// FormatIndicator is the value of ID 00; "" means "01". A profile may
	// accept another value (DuitNow writes "02").
	FormatIndicator string
	// Dynamic makes a code for one payment (point of initiation 12);
	// otherwise the code is static (11). A dynamic code may leave Amount
	// out: the consumer enters it, or the URL the code names gives it.
	Dynamic bool
	// NoInitiation leaves the point of initiation (01) out, as static PIX
	// codes do; Dynamic is then ignored.
	NoInitiation bool
	// Accounts are the merchant account information objects (at least one).
	Accounts []Account
	// MCC is the merchant category code, 4 digits.
	MCC string
	// Currency is the ISO 4217 numeric code, 3 digits.
	Currency string
	// Amount is the amount in major units ("23.72"), at most 13 characters.
	Amount string
	// Tip is TipPrompt, ConvenienceFeeFixed (with Fee), ConvenienceFeePercent
	// (with FeePercentage) or "".
	Tip           string
	Fee           string // ID 56
	FeePercentage string // ID 57
	// Country is ISO 3166-1 alpha 2 ("CN").
	Country string
	// Name (at most 25 characters) and City (at most 15).
	Name, City string
	PostalCode string
	Additional *AdditionalData
	Language   *Language
	// Unreserved are templates 80-99 (each Account with ID, GUI, Fields).
	Unreserved []Account
}

// EncodeTemplate writes sub-objects as a template value (for a nested
// template such as VietQR's beneficiary 38.01, an Account's Fields value).
//
// Errors: an *Error wrapping ErrID or ErrLength naming the sub-ID.
func EncodeTemplate(sub []Object) (string, error) { return encodeSub(sub) }

// encodeSub writes sub-objects as a template value.
func encodeSub(sub []Object) (string, error) {
	var b strings.Builder
	for _, s := range sub {
		c := utf8.RuneCountInString(s.Value)
		if idNum(s.ID) < 0 {
			return "", &Error{Err: ErrID, Detail: "a sub-object ID is not two digits"}
		}
		if c < 1 || c > 99 {
			return "", errAt(ErrLength, "", s.ID)
		}
		b.WriteString(s.ID)
		b.WriteByte(byte('0' + c/10))
		b.WriteByte(byte('0' + c%10))
		b.WriteString(s.Value)
	}
	return b.String(), nil
}

func template(id string, sub []Object) (Object, error) {
	v, err := encodeSub(sub)
	if err != nil {
		e := err.(*Error)
		e.ID = id
		return Object{}, e
	}
	return Object{ID: id, Value: v, Sub: sub}, nil
}

func (a Account) object() (Object, error) {
	k := idNum(a.ID)
	switch {
	case k >= 2 && k <= 25:
		if a.GUI != "" || len(a.Fields) > 0 {
			return Object{}, &Error{ID: a.ID, Err: ErrValue, Detail: "a primitive account (02-25) takes Value, not GUI or Fields"}
		}
		return Object{ID: a.ID, Value: a.Value}, nil
	case k >= 26 && k <= 51 || k >= 80:
		if a.Value != "" {
			return Object{}, &Error{ID: a.ID, Err: ErrValue, Detail: "a template takes GUI and Fields, not Value"}
		}
		sub := make([]Object, 0, 1+len(a.Fields))
		if a.GUI != "" {
			sub = append(sub, Object{ID: "00", Value: a.GUI})
		}
		sub = append(sub, a.Fields...)
		return template(a.ID, sub)
	}
	if k < 0 {
		return Object{}, &Error{ID: a.ID, Err: ErrID}
	}
	return Object{}, &Error{ID: a.ID, Err: ErrWrongID, Detail: "not an account (02-51) or unreserved template (80-99) ID"}
}

// Payload builds the payload and validates it against the EMVCo profile;
// PayloadFor validates against another.
//
// Errors: an *Error wrapping ErrID, ErrWrongID, ErrLength, ErrDuplicate,
// ErrMissing or ErrValue, naming the object.
func (m Merchant) Payload() (Payload, error) { return m.PayloadFor(EMVCo) }

// PayloadFor builds the payload and validates it against profile prof
// ([Payload.ValidateProfile]): it refuses what the profile forbids.
//
// Errors: as Payload.
func (m Merchant) PayloadFor(prof Profile) (Payload, error) {
	objs, err := m.objects()
	if err != nil {
		return Payload{}, err
	}
	p := Payload{Objects: objs}
	if err := p.ValidateProfile(prof); err != nil {
		return Payload{}, err
	}
	return p, nil
}

// objects lays the merchant's objects out in the order Encode documents.
func (m Merchant) objects() ([]Object, error) {
	pfi := m.FormatIndicator
	if pfi == "" {
		pfi = "01"
	}
	objs := []Object{{ID: "00", Value: pfi}}
	switch {
	case m.NoInitiation:
	case m.Dynamic:
		objs = append(objs, Object{ID: "01", Value: Dynamic})
	default:
		objs = append(objs, Object{ID: "01", Value: Static})
	}
	for _, a := range m.Accounts {
		if k := idNum(a.ID); k < 0 {
			return nil, &Error{ID: a.ID, Err: ErrID}
		} else if k < 2 || k > 51 {
			return nil, &Error{ID: a.ID, Err: ErrWrongID, Detail: "merchant accounts take IDs 02-51"}
		}
		o, err := a.object()
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	for _, f := range []struct{ id, v string }{
		{"52", m.MCC}, {"53", m.Currency}, {"54", m.Amount}, {"55", m.Tip}, {"56", m.Fee},
		{"57", m.FeePercentage}, {"58", m.Country}, {"59", m.Name}, {"60", m.City}, {"61", m.PostalCode},
	} {
		if f.v != "" {
			objs = append(objs, Object{ID: f.id, Value: f.v})
		}
	}
	objs, err := m.templates(objs)
	if err != nil {
		return nil, err
	}
	for _, a := range m.Unreserved {
		if k := idNum(a.ID); k < 0 {
			return nil, &Error{ID: a.ID, Err: ErrID}
		} else if k < 80 {
			return nil, &Error{ID: a.ID, Err: ErrWrongID, Detail: "unreserved templates take IDs 80-99"}
		}
		o, err := a.object()
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	return objs, nil
}

// templates appends the additional data (62) and language (64) templates.
func (m Merchant) templates(objs []Object) ([]Object, error) {
	if a := m.Additional; a != nil {
		var sub []Object
		for i, f := range a.fields() {
			if *f != "" {
				sub = append(sub, Object{ID: additionalIDs[i], Value: *f})
			}
		}
		sub = append(sub, a.Other...)
		if len(sub) > 0 {
			o, err := template("62", sub)
			if err != nil {
				return nil, err
			}
			objs = append(objs, o)
		}
	}
	if l := m.Language; l != nil {
		sub := []Object{{ID: "00", Value: l.Preference}, {ID: "01", Value: l.Name}}
		if l.City != "" {
			sub = append(sub, Object{ID: "02", Value: l.City})
		}
		sub = append(sub, l.Other...)
		o, err := template("64", sub)
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	return objs, nil
}

// Encode builds the payload, validated against the EMVCo profile, and
// returns its text with the CRC appended.
//
// Errors: as Payload.
func (m Merchant) Encode() (string, error) { return m.EncodeFor(EMVCo) }

// EncodeFor builds the payload, validated against profile prof, and
// returns its text with the CRC appended.
//
// Errors: as Payload.
func (m Merchant) EncodeFor(prof Profile) (string, error) {
	p, err := m.PayloadFor(prof)
	if err != nil {
		return "", err
	}
	return p.String(), nil
}
