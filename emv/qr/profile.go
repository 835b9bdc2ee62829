package qr

import "strings"

// Profile is a set of rules a merchant-presented payload is checked
// against: the EMVCo specification itself ([EMVCo]) or a national scheme
// built on it, with its own format indicator, mandatory objects and
// reserved templates. The profiles are values of this package; a
// finding names the profile rule it breaks in [Error].Rule.
type Profile struct {
	name      string
	source    string   // the document the rules come from
	rule      string   // the profile's rule text, used in findings
	format    []string // accepted values of 00
	mandatory []string // top-level IDs beyond 00
	noAccount bool     // no merchant account (02-51) needed
	noGUI     bool     // templates may lack a GUI
	rules     profileRules
}

// profileRules selects the profile's own checks (a switch rather than a
// function value, so that the checker stays on the stack).
type profileRules uint8

const (
	rulesEMVCo profileRules = iota
	rulesPIX
	rulesDuitNow
	rulesPromptPay
	rulesKHQR
	rulesVietQR
	rulesSGQR
	rulesUnionPay
	rulesQRIS
)

// own runs the profile's own checks.
func (c *checker) own() {
	switch c.prof.rules {
	case rulesPIX:
		checkPIX(c)
	case rulesDuitNow:
		checkDuitNow(c)
	case rulesPromptPay:
		checkPromptPay(c)
	case rulesKHQR:
		checkKHQR(c)
	case rulesVietQR:
		checkVietQR(c)
	case rulesSGQR:
		checkSGQR(c)
	case rulesUnionPay:
		checkUnionPay(c)
	case rulesQRIS:
		checkQRIS(c)
	}
}

// Name returns the profile's name: "EMVCo", "PIX", "DuitNow" ...
func (p Profile) Name() string { return p.name }

// Source returns the document the profile's rules come from.
func (p Profile) Source() string { return p.source }

var emvcoMandatory = []string{"52", "53", "58", "59", "60"}

// The profiles. Each adds its rules to the EMVCo ones it keeps.
var (
	// EMVCo is the EMV QR Code Specification for Payment Systems,
	// Merchant-Presented Mode v1.1, as [Payload.Validate] describes it.
	EMVCo = Profile{name: "EMVCo", source: "EMV QRCPS Merchant-Presented Mode v1.1 (November 2020)",
		format: []string{"01"}, mandatory: emvcoMandatory}

	// PIX is Brazil's BR Code for Pix: an account template with GUI
	// br.gov.bcb.pix holding a key (01, static) or a location URL (25,
	// dynamic, point of initiation 12, no amount needed); 53 "986"; 58
	// "BR"; 62 with a transaction ID (05).
	PIX = Profile{name: "PIX", source: "Banco Central do Brasil, Manual de Padrões para Iniciação do Pix",
		rule: "PIX", format: []string{"01"}, mandatory: []string{"52", "53", "58", "59", "60", "62"}, rules: rulesPIX}

	// DuitNow is Malaysia's DuitNow QR (PayNet): format indicator "01" or
	// "02", an account template with GUI A0000006150001 holding 01 and 02,
	// 53 "458", 58 "MY".
	DuitNow = Profile{name: "DuitNow", source: "PayNet DuitNow QR specification",
		rule: "DuitNow", format: []string{"01", "02"}, mandatory: emvcoMandatory, rules: rulesDuitNow}

	// PromptPay is Thailand's Thai QR Code (Bank of Thailand): 01
	// mandatory; a credit transfer template 29 (GUI A000000677010111) with
	// one of mobile (01, 13 digits), tax ID (02, 13 digits) or e-wallet
	// (03, 15 digits), or a bill payment template 30 (GUI
	// A000000677010112) with biller ID (01) and reference 1 (02); 53
	// "764"; 58 "TH"; 52, 59 and 60 optional.
	PromptPay = Profile{name: "PromptPay", source: "Bank of Thailand, Thai QR Code Payment Standard",
		rule: "PromptPay", format: []string{"01"}, mandatory: []string{"01", "53", "58"}, rules: rulesPromptPay}

	// KHQR is Cambodia's KHQR (National Bank of Cambodia, Bakong): an
	// individual (29) or merchant (30) template whose 00 is a Bakong
	// account ID (name@bank, at most 32 characters), the merchant one with
	// merchant ID (01) and acquiring bank (02); 53 "116" or "840"; 58 "KH";
	// 99, when present, a creation timestamp (00, 13 digits).
	KHQR = Profile{name: "KHQR", source: "National Bank of Cambodia, KHQR content guideline",
		rule: "KHQR", format: []string{"01"}, mandatory: emvcoMandatory, rules: rulesKHQR}

	// VietQR is Vietnam's VietQR (NAPAS): 01 mandatory; template 38 with
	// GUI A000000727, a beneficiary template 01 (00 bank BIN of 6 digits,
	// 01 account or card number) and a service code 02 (QRIBFTTA to an
	// account, QRIBFTTC to a card, QRPUSH, QRCASH); 53 "704"; 58 "VN"; 52,
	// 59 and 60 optional.
	VietQR = Profile{name: "VietQR", source: "NAPAS, VietQR specification (QR code for payment and transfer)",
		rule: "VietQR", format: []string{"01"}, mandatory: []string{"01", "38", "53", "58"}, rules: rulesVietQR}

	// SGQR is Singapore's SGQR (MAS and IMDA) with its PayNow template:
	// an account template with a GUI of the SG. namespace; SG.PAYNOW with
	// proxy type 01 ("0" mobile, "2" UEN), proxy value 02 and editable flag
	// 03 ("0" or "1"); SG.SGQR (51) with the SGQR ID (01); 53 "702"; 58
	// "SG".
	SGQR = Profile{name: "SGQR", source: "MAS/IMDA SGQR specification; ABS PayNow QR specification",
		rule: "SGQR", format: []string{"01"}, mandatory: emvcoMandatory, rules: rulesSGQR}

	// UnionPayQR is UnionPay International's merchant-presented QR: a
	// UnionPay account, the primitive 15 or 16 (digits: acquirer IIN,
	// forwarding IIN, merchant ID) or a template whose GUI is a UnionPay AID
	// (A000000333...) or China's RID (D156...).
	UnionPayQR = Profile{name: "UnionPayQR", source: "UnionPay International, Merchant Presented QR Code Encoding Specification",
		rule: "UnionPayQR", format: []string{"01"}, mandatory: emvcoMandatory, rules: rulesUnionPay}

	// QRIS is Indonesia's QRIS (Bank Indonesia, ASPI): template 51 with
	// GUI ID.CO.QRIS.WWW, the national merchant ID (02) and the merchant
	// criterion (03: UMI, UKE, UME, UBE or URE); 53 "360"; 58 "ID".
	QRIS = Profile{name: "QRIS", source: "Bank Indonesia / ASPI, QRIS standard (SNAP QR)",
		rule: "QRIS", format: []string{"01"}, mandatory: emvcoMandatory, rules: rulesQRIS}
)

// Profiles returns every profile of the package, EMVCo first.
func Profiles() []Profile {
	return []Profile{EMVCo, PIX, DuitNow, PromptPay, KHQR, VietQR, SGQR, UnionPayQR, QRIS}
}

// LookupProfile returns the profile with the given name, compared without
// case ("pix", "PIX").
func LookupProfile(name string) (Profile, bool) {
	for _, p := range Profiles() {
		if strings.EqualFold(p.name, name) {
			return p, true
		}
	}
	return Profile{}, false
}

// fixed reports a present object whose value is none of want.
func (c *checker) fixed(id string, detail string, want ...string) {
	k := idNum(id)
	if !c.has(k) {
		return
	}
	for _, w := range want {
		if c.val(k) == w {
			return
		}
	}
	c.add(ErrValue, id, "", c.prof.rule+": "+detail, "")
}

// account returns the first account template (26-51) whose GUI equals one
// of guis without case, or whose GUI starts with prefix when prefix is set.
func (c *checker) account(prefix string, guis ...string) (Object, bool) {
	for k := 26; k <= 51; k++ {
		if !c.has(k) {
			continue
		}
		o := c.obj(k)
		g := o.GUI()
		if prefix != "" && len(g) >= len(prefix) && strings.EqualFold(g[:len(prefix)], prefix) {
			return o, true
		}
		for _, w := range guis {
			if strings.EqualFold(g, w) {
				return o, true
			}
		}
	}
	return Object{}, false
}

// needSub reports each sub-ID of o that is absent.
func (c *checker) needSub(o Object, rule string, subs ...string) {
	for _, s := range subs {
		if _, ok := o.Get(s); !ok {
			c.add(ErrMissing, o.ID, s, rule, "")
		}
	}
}

func checkPIX(c *checker) {
	c.fixed("53", "53 is 986 (BRL)", "986")
	c.fixed("58", "58 is BR", "BR")
	acc, ok := c.account("", "br.gov.bcb.pix")
	if !ok {
		c.add(ErrMissing, "26", "00", "PIX: an account template with GUI br.gov.bcb.pix", "")
		return
	}
	_, key := acc.Get("01")
	_, url := acc.Get("25")
	switch {
	case key == url:
		c.add(ErrValue, acc.ID, "", "PIX: the template holds a key (01, static) or a location URL (25, dynamic), exactly one", "")
	case url && c.val(1) != Dynamic:
		c.add(ErrValue, "01", "", "PIX: a code with a location URL (25) has point of initiation 12", "")
	}
	data := c.obj(62)
	if c.has(62) {
		c.needSub(data, "PIX: 62 holds the transaction ID (05), \"***\" when there is none", "05")
	}
}

func checkDuitNow(c *checker) {
	c.fixed("53", "53 is 458 (MYR)", "458")
	c.fixed("58", "58 is MY", "MY")
	acc, ok := c.account("", "A0000006150001")
	if !ok {
		c.add(ErrMissing, "26", "00", "DuitNow: an account template with GUI A0000006150001", "")
		return
	}
	c.needSub(acc, "DuitNow: the account template holds 01 and 02", "01", "02")
}

func checkPromptPay(c *checker) {
	c.fixed("53", "53 is 764 (THB)", "764")
	c.fixed("58", "58 is TH", "TH")
	if acc, ok := c.account("", "A000000677010111"); ok {
		n := 0
		for _, s := range [...]struct {
			id   string
			size int
		}{{"01", 13}, {"02", 13}, {"03", 15}} {
			if v, ok := acc.Get(s.id); ok {
				n++
				if len(v) != s.size || !allDigits(v) {
					c.add(ErrValue, acc.ID, s.id, "PromptPay: mobile 01 and tax ID 02 are 13 digits, e-wallet 03 is 15", "")
				}
			}
		}
		if n != 1 {
			c.add(ErrValue, acc.ID, "", "PromptPay: a credit transfer names one of mobile (01), tax ID (02) or e-wallet (03)", "")
		}
		return
	}
	if acc, ok := c.account("", "A000000677010112"); ok {
		c.needSub(acc, "PromptPay: a bill payment holds the biller ID (01) and reference 1 (02)", "01", "02")
		return
	}
	c.add(ErrMissing, "29", "00", "PromptPay: a credit transfer template (GUI A000000677010111) or a bill payment template (A000000677010112)", "")
}

func checkKHQR(c *checker) {
	c.fixed("53", "53 is 116 (KHR) or 840 (USD)", "116", "840")
	c.fixed("58", "58 is KH", "KH")
	const rule = "KHQR: an individual (29) or merchant (30) template with a Bakong account ID name@bank (00)"
	var acc Object
	switch {
	case c.has(30):
		acc = c.obj(30)
		c.needSub(acc, "KHQR: a merchant template (30) holds the merchant ID (01) and the acquiring bank (02)", "01", "02")
	case c.has(29):
		acc = c.obj(29)
	default:
		c.add(ErrMissing, "29", "00", rule, "")
		return
	}
	if id, _ := acc.Get("00"); !strings.Contains(id, "@") {
		c.add(ErrValue, acc.ID, "00", rule, "")
	}
	if c.has(99) {
		if ts, ok := c.obj(99).Get("00"); !ok || len(ts) != 13 || !allDigits(ts) {
			c.add(ErrValue, "99", "00", "KHQR: 99 holds the creation timestamp in milliseconds (00, 13 digits)", "")
		}
	}
}

func checkVietQR(c *checker) {
	c.fixed("53", "53 is 704 (VND)", "704")
	c.fixed("58", "58 is VN", "VN")
	acc := c.obj(38)
	if !c.has(38) {
		return // reported as missing
	}
	if !strings.EqualFold(acc.GUI(), "A000000727") {
		c.add(ErrValue, "38", "00", "VietQR: 38 has GUI A000000727", "")
	}
	c.needSub(acc, "VietQR: 38 holds the beneficiary (01) and the service code (02)", "01", "02")
	if svc, ok := acc.Get("02"); ok && svc != "QRIBFTTA" && svc != "QRIBFTTC" && svc != "QRPUSH" && svc != "QRCASH" {
		c.add(ErrValue, "38", "02", "VietQR: service code QRIBFTTA, QRIBFTTC, QRPUSH or QRCASH", "")
	}
	if ben, ok := acc.Get("01"); ok {
		sub, err := SubObjects(ben)
		bin := Object{Sub: sub}
		b, _ := bin.Get("00")
		_, hasAcct := bin.Get("01")
		if err != nil || len(b) != 6 || !allDigits(b) || !hasAcct {
			c.add(ErrValue, "38", "01", "VietQR: the beneficiary template holds the bank BIN (00, 6 digits) and the account or card (01)", "")
		}
	}
}

func checkSGQR(c *checker) {
	c.fixed("53", "53 is 702 (SGD)", "702")
	c.fixed("58", "58 is SG", "SG")
	if _, ok := c.account("SG."); !ok {
		c.add(ErrMissing, "26", "00", "SGQR: an account template with a GUI of the SG. namespace (SG.PAYNOW, SG.SGQR ...)", "")
		return
	}
	if pn, ok := c.account("", "SG.PAYNOW"); ok {
		const rule = "SGQR: PayNow holds proxy type 01 (0 or 2), proxy value 02 and editable flag 03 (0 or 1)"
		c.needSub(pn, rule, "01", "02", "03")
		if v, ok := pn.Get("01"); ok && v != "0" && v != "2" {
			c.add(ErrValue, pn.ID, "01", rule, "")
		}
		if v, ok := pn.Get("03"); ok && v != "0" && v != "1" {
			c.add(ErrValue, pn.ID, "03", rule, "")
		}
	}
	if sg, ok := c.account("", "SG.SGQR"); ok {
		c.needSub(sg, "SGQR: SG.SGQR holds the SGQR ID (01)", "01")
	}
}

func checkUnionPay(c *checker) {
	const rule = "UnionPayQR: a UnionPay account, 15 or 16 (digits) or a template with GUI A000000333... or D156..."
	found := false
	for _, id := range [...]int{15, 16} {
		if c.has(id) {
			found = true
			if v := c.val(id); !allDigits(v) || len(v) > 31 {
				c.add(ErrValue, twoDigits(id), "", rule, "")
			}
		}
	}
	if _, ok := c.account("A000000333"); ok {
		found = true
	}
	if _, ok := c.account("D156"); ok {
		found = true
	}
	if !found {
		c.add(ErrMissing, "15", "", rule, "")
	}
}

func checkQRIS(c *checker) {
	c.fixed("53", "53 is 360 (IDR)", "360")
	c.fixed("58", "58 is ID", "ID")
	acc, ok := c.account("", "ID.CO.QRIS.WWW")
	if !ok {
		c.add(ErrMissing, "51", "00", "QRIS: template 51 with GUI ID.CO.QRIS.WWW", "")
		return
	}
	c.needSub(acc, "QRIS: the QRIS template holds the national merchant ID (02) and criterion (03)", "02", "03")
	if v, ok := acc.Get("03"); ok && v != "UMI" && v != "UKE" && v != "UME" && v != "UBE" && v != "URE" {
		c.add(ErrValue, acc.ID, "03", "QRIS: merchant criterion UMI, UKE, UME, UBE or URE", "")
	}
}

// SubObjects splits a template value into its sub-objects (a nested
// template such as VietQR's beneficiary 38.01). On a fault it returns the
// sub-objects before it and an *Error naming the sub-ID.
func SubObjects(v string) ([]Object, error) {
	var out []Object
	for i := 0; i < len(v); {
		id, sv, end, err := next(v, i)
		if err != nil {
			return out, &Error{SubID: id, Err: err, Rule: ruleFormat}
		}
		out = append(out, Object{ID: id, Value: sv})
		i = end
	}
	return out, nil
}
