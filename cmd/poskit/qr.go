package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/emv/qr"
)

func runQR(e *env, args []string) error {
	return verbs(e, "qr", args, map[string]func(*env, []string) error{
		"decode": qrDecode,
		"encode": qrEncode,
	})
}

// mpmName returns the EMVCo MPM name of a top-level ID (EMVCo QR Code
// Specification for Payment Systems, Merchant-Presented Mode, table 3.x).
func mpmName(id string) string {
	switch id {
	case "00":
		return "Payload Format Indicator"
	case "01":
		return "Point of Initiation Method"
	case "52":
		return "Merchant Category Code"
	case "53":
		return "Transaction Currency"
	case "54":
		return "Transaction Amount"
	case "55":
		return "Tip or Convenience Indicator"
	case "56":
		return "Convenience Fee Fixed"
	case "57":
		return "Convenience Fee Percentage"
	case "58":
		return "Country Code"
	case "59":
		return "Merchant Name"
	case "60":
		return "Merchant City"
	case "61":
		return "Postal Code"
	case "62":
		return "Additional Data Field Template"
	case "63":
		return "CRC"
	case "64":
		return "Merchant Information - Language Template"
	}
	switch {
	case id >= "02" && id <= "03":
		return "Merchant Account Information (Visa)"
	case id >= "04" && id <= "05":
		return "Merchant Account Information (Mastercard)"
	case id >= "15" && id <= "16":
		return "Merchant Account Information (UnionPay)"
	case id >= "02" && id <= "51":
		return "Merchant Account Information"
	case id >= "65" && id <= "79":
		return "RFU for EMVCo"
	case id >= "80" && id <= "99":
		return "Unreserved Template"
	}
	return "unknown"
}

// mpmSubName names a sub-object of template id.
func mpmSubName(id, sub string) string {
	switch id {
	case "62":
		names := map[string]string{"01": "Bill Number", "02": "Mobile Number", "03": "Store Label",
			"04": "Loyalty Number", "05": "Reference Label", "06": "Customer Label", "07": "Terminal Label",
			"08": "Purpose of Transaction", "09": "Additional Consumer Data Request"}
		if n, ok := names[sub]; ok {
			return n
		}
		return "Additional Data"
	case "64":
		switch sub {
		case "00":
			return "Language Preference"
		case "01":
			return "Merchant Name - Alternate Language"
		case "02":
			return "Merchant City - Alternate Language"
		}
		return "Language Data"
	}
	if sub == "00" {
		return "Globally Unique Identifier"
	}
	return "Payment Network Specific"
}

type qrObjectJSON struct {
	ID    string         `json:"id"`
	Name  string         `json:"name"`
	Value string         `json:"value"`
	Sub   []qrObjectJSON `json:"sub,omitempty"`
}

type qrElementJSON struct {
	Tag   string `json:"tag"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

type qrTemplateJSON struct {
	Tag         string          `json:"tag"`
	Elements    []qrElementJSON `json:"elements"`
	Transparent string          `json:"transparent,omitempty"`
}

func qrDecode(e *env, args []string) error {
	fs := newFlags(e, "qr decode", "[-cpm] [-profile NAME] [-unmask] [-json] PAYLOAD",
		`Decodes an EMVCo QR payload and checks it: a merchant-presented code (the
text a shop shows, CRC checked) or, with -cpm or when the text does not start
with "00", a consumer-presented code (base64 BER-TLV). A merchant-presented
code is checked against the EMVCo specification or, with -profile, a
national profile (`+profileNames()+`); a code that breaks a
rule is still shown, with its findings, each naming the rule. Card data in
a consumer-presented code (PAN, track 2, names) is masked unless -unmask is
given. Exit status 1 when the payload does not decode or breaks a rule.`,
		`poskit qr decode '00020101021215166200123456789012520458125303156540588.005802CN5910NOODLE BAR6008SHANGHAI63046BEC'
  merchant-presented QR, dynamic, CRC 6BEC ok, conforms to EMVCo`)
	cpm := fs.Bool("cpm", false, "decode a consumer-presented (base64) payload")
	profile := fs.String("profile", "EMVCo", "profile to check a merchant-presented payload against: "+profileNames())
	unmask := fs.Bool("unmask", false, "show card data of a consumer-presented payload in clear")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	prof, ok := qr.LookupProfile(*profile)
	if !ok {
		return usagef("-profile %q: want one of %s", *profile, profileNames())
	}
	text, err := textInput(e, fs, "payload")
	if err != nil {
		return err
	}
	if *cpm || !strings.HasPrefix(text, "00") {
		return qrDecodeCPM(e, text, *unmask, *asJSON)
	}
	return qrDecodeMPM(e, text, prof, *asJSON)
}

func profileNames() string {
	var names []string
	for _, p := range qr.Profiles() {
		names = append(names, p.Name())
	}
	return strings.Join(names, ", ")
}

// qrDecodeMPM shows what Read could read of a merchant-presented payload
// and its findings under prof.
func qrDecodeMPM(e *env, text string, prof qr.Profile, asJSON bool) error {
	p, rerr := qr.Read(text)
	var findings []string
	if rerr != nil {
		findings = append(findings, rerr.Error())
	} else {
		for _, f := range p.Check(prof) {
			findings = append(findings, f.Error())
		}
	}
	objs := make([]qrObjectJSON, 0, len(p.Objects)+1)
	for _, o := range p.Objects {
		j := qrObjectJSON{ID: o.ID, Name: mpmName(o.ID), Value: o.Value}
		for _, s := range o.Sub {
			j.Sub = append(j.Sub, qrObjectJSON{ID: s.ID, Name: mpmSubName(o.ID, s.ID), Value: s.Value})
		}
		objs = append(objs, j)
	}
	crc := ""
	if rerr == nil {
		crc = text[len(text)-4:]
		objs = append(objs, qrObjectJSON{ID: "63", Name: mpmName("63"), Value: crc})
	}
	if asJSON {
		if err := writeJSON(e.stdout, struct {
			Mode     string         `json:"mode"`
			Profile  string         `json:"profile"`
			Dynamic  bool           `json:"dynamic"`
			Name     string         `json:"merchant_name"`
			City     string         `json:"merchant_city"`
			Amount   string         `json:"amount,omitempty"`
			Curr     string         `json:"currency"`
			Objects  []qrObjectJSON `json:"objects"`
			Findings []string       `json:"findings,omitempty"`
		}{"merchant-presented", prof.Name(), p.IsDynamic(), p.MerchantName(), p.MerchantCity(), p.Amount(), p.Currency(), objs, findings}); err != nil {
			return err
		}
	} else {
		writeMPM(e.stdout, p, prof, crc, objs, findings)
	}
	if len(findings) > 0 {
		return fmt.Errorf("merchant-presented payload: %d finding(s) under %s, first: %s", len(findings), prof.Name(), findings[0])
	}
	return nil
}

func writeMPM(w io.Writer, p qr.Payload, prof qr.Profile, crc string, objs []qrObjectJSON, findings []string) {
	kind := "static"
	if p.IsDynamic() {
		kind = "dynamic"
	}
	switch {
	case crc == "":
		fmt.Fprintf(w, "merchant-presented QR, %s, read up to the fault\n", kind)
	case len(findings) == 0:
		fmt.Fprintf(w, "merchant-presented QR, %s, CRC %s ok, conforms to %s\n", kind, crc, prof.Name())
	default:
		fmt.Fprintf(w, "merchant-presented QR, %s, CRC %s ok, does not conform to %s\n", kind, crc, prof.Name())
	}
	for _, o := range objs {
		if len(o.Sub) > 0 {
			fmt.Fprintf(w, "%s %s:\n", o.ID, o.Name)
			for _, s := range o.Sub {
				fmt.Fprintf(w, "  %s %s: %s\n", s.ID, s.Name, s.Value)
			}
			continue
		}
		fmt.Fprintf(w, "%s %s: %s\n", o.ID, o.Name, o.Value)
	}
	if len(findings) > 0 {
		fmt.Fprintln(w, "findings:")
		for _, f := range findings {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
}

func qrDecodeCPM(e *env, text string, unmask, asJSON bool) error {
	c, err := qr.DecodeCPM(text)
	if err != nil {
		return fmt.Errorf("consumer-presented payload: %w", err)
	}
	value := func(el qr.CPMElement) string {
		if unmask {
			return upperHex(el.Value)
		}
		return emv.DescribeValue(el.Tag, el.Value)
	}
	var temps []qrTemplateJSON
	add := func(tag string, t qr.CPMTemplate) {
		j := qrTemplateJSON{Tag: tag, Elements: []qrElementJSON{}}
		for _, el := range t.Elements {
			j.Elements = append(j.Elements, qrElementJSON{Tag: el.Tag.String(), Name: emv.Name(el.Tag), Value: value(el)})
		}
		if len(t.Transparent) > 0 {
			if unmask {
				j.Transparent = upperHex(t.Transparent)
			} else {
				var b strings.Builder
				_ = emv.Describe(&b, t.Transparent)
				j.Transparent = strings.TrimSpace(b.String())
			}
		}
		temps = append(temps, j)
	}
	for _, a := range c.Applications {
		add("61", a)
	}
	if c.Common != nil {
		add("62", *c.Common)
	}
	if asJSON {
		return writeJSON(e.stdout, struct {
			Mode      string           `json:"mode"`
			Templates []qrTemplateJSON `json:"templates"`
		}{"consumer-presented", temps})
	}
	w := e.stdout
	fmt.Fprintln(w, "consumer-presented QR, 85 Payload Format Indicator: CPV01")
	for _, t := range temps {
		name := "Application Template"
		if t.Tag == "62" {
			name = "Common Data Template"
		}
		fmt.Fprintf(w, "%s %s:\n", t.Tag, name)
		for _, el := range t.Elements {
			fmt.Fprintf(w, "  %s %s: %s\n", el.Tag, el.Name, el.Value)
		}
		if t.Transparent != "" {
			fmt.Fprintln(w, "  transparent template:")
			for _, line := range strings.Split(t.Transparent, "\n") {
				fmt.Fprintf(w, "    %s\n", line)
			}
		}
	}
	return nil
}

// accountFlag collects -account values: "ID=VALUE" for a primitive
// account (02-25) or "ID=GUI[,SUB=VALUE...]" for a template (26-51).
type accountFlag []qr.Account

func (a *accountFlag) String() string { return fmt.Sprint(len(*a), " accounts") }

func (a *accountFlag) Set(s string) error {
	id, rest, ok := strings.Cut(s, "=")
	if !ok || len(id) != 2 {
		return fmt.Errorf("want ID=VALUE or ID=GUI,SUB=VALUE,SUB=VALUE")
	}
	if id >= "26" {
		parts := strings.Split(rest, ",")
		acc := qr.Account{ID: id, GUI: parts[0]}
		for _, p := range parts[1:] {
			sid, v, ok := strings.Cut(p, "=")
			if !ok {
				return fmt.Errorf("sub-object %q: want SUB=VALUE", p)
			}
			acc.Fields = append(acc.Fields, qr.Object{ID: sid, Value: v})
		}
		*a = append(*a, acc)
		return nil
	}
	*a = append(*a, qr.Account{ID: id, Value: rest})
	return nil
}

func qrEncode(e *env, args []string) error {
	fs := newFlags(e, "qr encode", "[-f merchant.json] [-account ID=VALUE]... -mcc N -currency N [-amount A] -country CC -name NAME -city CITY",
		`Builds a merchant-presented EMVCo QR payload and prints its text, CRC
included, checked against the EMVCo specification or the -profile given.
The merchant comes from flags or from a JSON file (-f, "-" for
standard input) holding the fields of qr.Merchant: {"Dynamic": true,
"Accounts": [{"ID": "15", "Value": "6200123456789012"}], "MCC": "5812",
"Currency": "156", "Amount": "88.00", "Country": "CN", "Name": "NOODLE BAR",
"City": "SHANGHAI", "Additional": {"BillNumber": "T7-0031"}}. Flags override
the file. An -amount makes the code dynamic.`,
		`poskit qr encode -account 15=6200123456789012 -mcc 5812 -currency 156 -amount 88.00 -country CN -name 'NOODLE BAR' -city SHANGHAI`)
	file := fs.String("f", "", "JSON file of the merchant (qr.Merchant fields), - for standard input")
	var accounts accountFlag
	fs.Var(&accounts, "account", "merchant account: ID=VALUE (IDs 02-25) or ID=GUI,SUB=VALUE,... (26-51); repeatable")
	mcc := fs.String("mcc", "", "merchant category code, 4 digits")
	currency := fs.String("currency", "", "ISO 4217 numeric currency, 3 digits (156 for CNY)")
	amount := fs.String("amount", "", "amount in major units (makes the code dynamic)")
	country := fs.String("country", "", "ISO 3166-1 alpha-2 country")
	name := fs.String("name", "", "merchant name, at most 25 characters")
	city := fs.String("city", "", "merchant city, at most 15 characters")
	postal := fs.String("postal", "", "postal code")
	bill := fs.String("bill", "", "bill number (additional data 62.01)")
	terminal := fs.String("terminal", "", "terminal label (additional data 62.07)")
	dynamic := fs.Bool("dynamic", false, "make a dynamic code (point of initiation 12)")
	profile := fs.String("profile", "EMVCo", "profile the payload must conform to: "+profileNames())
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	prof, ok := qr.LookupProfile(*profile)
	if !ok {
		return usagef("-profile %q: want one of %s", *profile, profileNames())
	}
	var m qr.Merchant
	if *file != "" {
		b, err := readFile(e, *file, "merchant JSON")
		if err != nil {
			return err
		}
		if err := decodeStrict(b, &m); err != nil {
			return usagef("merchant JSON: %v", err)
		}
	}
	m.Accounts = append(m.Accounts, accounts...)
	setMerchant(&m, [...]string{*mcc, *currency, *amount, *country, *name, *city, *postal, *bill, *terminal})
	if *dynamic || *amount != "" {
		m.Dynamic = true
	}
	if len(m.Accounts) == 0 {
		return usagef("no merchant account: give -account ID=VALUE or Accounts in -f")
	}
	text, err := m.EncodeFor(prof)
	if err != nil {
		return fmt.Errorf("building the payload: %w", err)
	}
	if *asJSON {
		return writeJSON(e.stdout, struct {
			Payload string `json:"payload"`
			CRC     string `json:"crc"`
		}{text, text[len(text)-4:]})
	}
	fmt.Fprintln(e.stdout, text)
	return nil
}

// setMerchant overrides the merchant's fields with the flags given: MCC,
// currency, amount, country, name, city, postal code, bill number and
// terminal label, in that order.
func setMerchant(m *qr.Merchant, v [9]string) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	for i, dst := range [...]*string{&m.MCC, &m.Currency, &m.Amount, &m.Country, &m.Name, &m.City, &m.PostalCode} {
		set(dst, v[i])
	}
	if v[7] != "" || v[8] != "" {
		if m.Additional == nil {
			m.Additional = &qr.AdditionalData{}
		}
		set(&m.Additional.BillNumber, v[7])
		set(&m.Additional.TerminalLabel, v[8])
	}
}

// decodeStrict decodes one JSON value, refusing unknown fields and
// trailing data.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}
