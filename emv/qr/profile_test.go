package qr

import (
	"errors"
	"strings"
	"testing"
)

// realPayload is a merchant-presented payload published somewhere public,
// with the profile it belongs to and what EMVCo itself says of it.
type realPayload struct {
	name    string
	source  string // where the payload was published
	text    string
	profile Profile
	emvco   error // the first EMVCo finding, nil when it conforms
	own     error // the first finding of its own profile, nil when it conforms
}

// realText returns the text of the real payload with the given name.
func realText(name string) string {
	for _, rp := range realPayloads {
		if rp.name == name {
			return rp.text
		}
	}
	panic("no real payload " + name)
}

// realPayloads were gathered from public documents and repositories; every
// one has a CRC that matches (checked by TestRealPayloads through Read).
var realPayloads = []realPayload{
	{"EMVCo sample", "EMV QRCPS MPM v1.1 Appendix, docs/VECTORS.md", sample, UnionPayQR, nil, nil},
	{"PIX static, BCB manual 6.1", "Banco Central do Brasil, Manual de Padrões para Iniciação do Pix, example as transcribed in gist matheusb-comp/1efa205b3c0ffd7af1e8ce63a10e02dc",
		"00020126360014BR.GOV.BCB.PIX0114+5511943214321520400005303986540566.665802BR5907EMPRESA6008BRASILIA62080503***6304170E", PIX, ErrTruncated, nil},
	{"PIX dynamic, BCB manual 6.2 (no 54)", "Banco Central do Brasil, Manual de Padrões para Iniciação do Pix 6.2, via gist matheusb-comp/1efa205b3c0ffd7af1e8ce63a10e02dc",
		"00020101021226770014BR.GOV.BCB.PIX2555pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a995204000053039865802BR5907EMPRESA6009SAO PAULO62070503***6304EEAB", PIX, nil, nil},
	{"PIX static, BCB key example", "Banco Central do Brasil BR Code example (Fulano de Tal, BRASILIA), quoted by PSP API docs",
		"00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D", PIX, nil, nil},
	{"SGQR PayNow UEN", "github.com test fixture QrCanvasRenderTest (PayNow UEN code)",
		"00020101021126490009SG.PAYNOW010120210201403121W030110408203012315204000053037025802SG5913ACME Pte Ltd.6009Singapore6304B69E", SGQR, nil, nil},
	{"SGQR PayNow dynamic", "github.com test comment, radiumone PayNow sandbox mock-up URL",
		"00020101021226560009SG.PAYNOW010120213201509555BNN1030100412230914205029520400005303702540450.05802SG5914DEV MERCHANT 56009SINGAPORE621601120870-0000VL663049149", SGQR, nil, nil},
	{"VietQR to account", "github.com sample invoice JSON (Vietcombank BIN 970436, QRIBFTTA)",
		"00020101021238540010A00000072701240006970436011010234567890208QRIBFTTA5303704540719430005802VN62120808TT0000696304A8E5", VietQR, ErrMissing, nil},
	{"VietQR, BIN 970415", "github.com test vector (VietinBank BIN 970415, 'ung ho lu lut')",
		"00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C", VietQR, ErrMissing, nil},
	{"VietQR payOS", "github.com SQL dump of payOS payment links (BIN 970422)",
		"00020101021238570010A000000727012700069704220113VQRQADAIJ55120208QRIBFTTA5303704540470005802VN62120808TL89 1006304E346", VietQR, ErrMissing, nil},
	{"KHQR ABA merchant", "github.com ABA PayWay deep link (abamobilebank://...qrcode=)",
		"00020101021230510016abaakhppxxx@abaa01153260423164319600208ABA Bank52047876530384054043.005802KH5915GOMAMA PLAY SHV6014SIHANOUK VILLE6226050701260940711202605003929975001317793488654040113177934916517667170013F1BF016411FDA6804PQRA6908purchase63048F73", KHQR, nil, nil},
	{"KHQR individual", "bakong-khqr Python package README output",
		"00020101021229180014your_name@wing520459995802KH5909Your Name6010Phnom Penh991700131724927295157541100000009800530311662610112TRX0192837750211855123456780305MShop0717Buy 1A_Level_Book63041087", KHQR, nil, nil},
	{"KHQR merchant", "github.com POS test fixture (bkrt merchant)",
		"00020101021230390017mann_yivfouy@bkrt010716646990203ABA52045999530384054040.105802KH5910POS System6010PHNOM PENH62160112SALE-00000829934001317873075527810113178730815278063047BEF", KHQR, nil, nil},
	{"KHQR Wing bill", "github.com Spring controller sample (aka@wing)",
		"00020101021230490008aka@wing0108007503150209BILLPAYON0308MERCHANT520452625303116540441005802KH5916My Supplier(BTC)6008MERCHANT61051200062270116WMK-1232311111290303YES6304B657", KHQR, nil, nil},
	{"DuitNow QRCS", "github.com TypeScript fixture (QRCS DN BHD, BANGI)",
		"00020201021126410014A000000615000101065016640209123456789520499995303458540510.005802MY5909QRCSDNBHD6005BANGI6304343F", DuitNow, ErrValue, nil},
	{"DuitNow person", "github.com Flutter dialog (personal DuitNow QR)",
		"00020201021126460014A000000615000101066033460214883000212327305204000053034585802MY5925MEGAT SHAFRIL EMRAN BIN M6002MY6304938E", DuitNow, ErrValue, nil},
	{"DuitNow mosque", "github.com DuitNow QR tool sample (MASJID AN NUR)",
		"00020201021126420014A000000615000101066033460210MD001675755204866153034585802MY5925MASJID AN NUR KG PULAU PA6002MY62730325176058824920300364503190705201760588252660003807507161760587771148005630470BF", DuitNow, ErrValue, nil},
	{"QRIS DANA static", "github.com QRIS library test (DANA, Kota Banjar)",
		"00020101021126570011ID.DANA.WWW011893600915303023251702090302325170303UMI51440014ID.CO.QRIS.WWW0215ID10265294489570303UMI5204737253033605802ID5914Raol Mukarrozi6015Kota Banjar Bar6105707316304E0BD", QRIS, nil, nil},
	{"QRIS Shopee dynamic", "github.com Pakasir API README (ShopeePay QRIS)",
		"00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW0215ID10243228429300303UME5204792953033605409100003.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519SP25RZRATEQI2HQ65Q46304A079", QRIS, nil, nil},
	{"QRIS Bank Kaltimtara", "github.com SQL dump (parking retribution, 59 of 44 characters)",
		"00020101021226690023ID.CO.BANKALTIMTARA.WWW011893600124024091802802092409180280303URE51440014ID.CO.QRIS.WWW0215ID20243452761720303URE5204752353033605405100005802ID5944(TEST) RETRIBUSI PARKIR PELABUHAN BULUMINUNG6015PENAJAM PASER U610576141622501121122334455340705479056304F16E", QRIS, ErrValue, ErrValue},
	{"PromptPay e-wallet", "github.com note on a K PLUS P-Points payload",
		"00020101021129390016A000000677010111031500499907526116353037645802TH6304E345", PromptPay, ErrMissing, nil},
	{"PromptPay mobile", "github.com PromptPay payload test (0066812345678, 50.00)",
		"00020101021229370016A000000677010111011300668123456785303764540550.005802TH63045197", PromptPay, ErrMissing, nil},
}

func TestRealPayloads(t *testing.T) {
	for _, rp := range realPayloads {
		p, err := Read(rp.text)
		if rp.emvco == ErrTruncated {
			// The BCB static example as transcribed declares 62 with length
			// 08 around a 7-character value: Read keeps what comes before.
			if !errors.Is(err, ErrOverrun) && !errors.Is(err, ErrTruncated) {
				t.Errorf("%s: Read: %v", rp.name, err)
			}
			if len(p.Objects) == 0 || p.MerchantCity() != "BRASILIA" {
				t.Errorf("%s: Read kept %d objects", rp.name, len(p.Objects))
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Read: %v", rp.name, err)
			continue
		}
		if p.String() != rp.text {
			t.Errorf("%s: round trip differs", rp.name)
		}
		if err := p.ValidateProfile(rp.profile); rp.own == nil && err != nil || rp.own != nil && !errors.Is(err, rp.own) {
			t.Errorf("%s: profile %s: %v, want %v", rp.name, rp.profile.Name(), err, rp.own)
		}
		_, err = Parse(rp.text)
		if rp.emvco == nil && err != nil || rp.emvco != nil && !errors.Is(err, rp.emvco) {
			t.Errorf("%s: EMVCo: %v, want %v", rp.name, err, rp.emvco)
		}
		if err != nil && len(p.Objects) == 0 {
			t.Errorf("%s: Parse lost the objects", rp.name)
		}
		// Every other national profile finds something to say.
		for _, other := range Profiles()[1:] {
			if rp.own == nil && other.Name() != rp.profile.Name() && p.ValidateProfile(other) == nil {
				t.Errorf("%s: accepted by %s too", rp.name, other.Name())
			}
		}
	}
}

// TestValidateClauses: one payload per rule Validate enforces, each with
// the clause of the EMV QRCPS Merchant-Presented Mode v1.1 it comes from
// (Tables 4.1-4.6 list ID, format, length and presence; §4.1 the data
// object format). The clause is also in the finding's Rule.
func TestValidateClauses(t *testing.T) {
	tests := []struct {
		clause  string
		payload string
		want    error
		id, sub string
	}{
		{"Table 4.1: 00 is \"01\"", "000202" + minimal[6:], ErrValue, "00", ""},
		{"Table 4.1: 01 is 11 or 12", minimal + "010213", ErrValue, "01", ""},
		{"Table 4.2: a merchant account", "000201" + minimal[18:], ErrMissing, "02", ""},
		{"Table 4.2: template account GUI", minimal + "26080104ABCD", ErrMissing, "26", "00"},
		{"Table 4.2: GUI at most 32", minimal + "26370033ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", ErrValue, "26", "00"},
		{"Table 4.3: 52 mandatory", strings.Replace(minimal, "52045812", "", 1), ErrMissing, "52", ""},
		{"Table 4.3: 52 four digits", strings.Replace(minimal, "52045812", "520458A2", 1), ErrValue, "52", ""},
		{"Table 4.3: 58 two upper-case letters", strings.Replace(minimal, "5802CN", "5802cn", 1), ErrValue, "58", ""},
		{"Table 4.3: 59 at most 25", strings.Replace(minimal, "5905SHACK", "5926ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1), ErrValue, "59", ""},
		{"Table 4.3: 60 at most 15", strings.Replace(minimal, "6008SHANGHAI", "6016SHANGHAISHANGHAI", 1), ErrValue, "60", ""},
		{"Table 4.3: 61 at most 10", minimal + "611112345678901", ErrValue, "61", ""},
		{"Table 4.4: 53 mandatory", strings.Replace(minimal, "5303156", "", 1), ErrMissing, "53", ""},
		{"Table 4.4: 53 three digits", strings.Replace(minimal, "5303156", "53041560", 1), ErrValue, "53", ""},
		{"Table 4.4: 54 decimal", minimal + "540512,50", ErrValue, "54", ""},
		{"Table 4.4: 55 is 01-03", minimal + "550204", ErrValue, "55", ""},
		{"Table 4.4: 56 with 55 = 02", minimal + "550202", ErrMissing, "56", ""},
		{"Table 4.4: 57 00.01-99.99", minimal + "550203" + "5706100.00", ErrValue, "57", ""},
		{"Table 4.5: 62 labels at most 25", minimal + "62300126ABCDEFGHIJKLMNOPQRSTUVWXYZ", ErrValue, "62", "01"},
		{"Table 4.5: 62.09 of A, M, E", minimal + "62050901X", ErrValue, "62", "09"},
		{"Table 4.6: 64 language", minimal + "64060102AB", ErrMissing, "64", "00"},
		{"Table 4.6: 64 name", minimal + "64060002ZH", ErrMissing, "64", "01"},
	}
	for _, tc := range tests {
		_, err := Parse(withCRC(tc.payload))
		var e *Error
		if !errors.Is(err, tc.want) || !errors.As(err, &e) || e.ID != tc.id || e.SubID != tc.sub {
			t.Errorf("%s: got %v, want %v at %s/%s", tc.clause, err, tc.want, tc.id, tc.sub)
			continue
		}
		table, _, _ := strings.Cut(tc.clause, ":")
		if !strings.Contains(e.Rule, table) {
			t.Errorf("%s: rule %q does not cite %s", tc.clause, e.Rule, table)
		}
	}
	// Table 4.4: 54 is conditional; a dynamic code without it conforms.
	if _, err := Parse(withCRC(minimal + "010212")); err != nil {
		t.Errorf("dynamic without 54: %v", err)
	}
}

// TestProfileRules breaks each national rule once.
func TestProfileRules(t *testing.T) {
	pixDyn := realText("PIX dynamic, BCB manual 6.2 (no 54)")
	body := func(s string) string { return s[:len(s)-8] }
	tests := []struct {
		name    string
		prof    Profile
		payload string
		want    error
		id, sub string
	}{
		{"PIX currency", PIX, strings.Replace(body(pixDyn), "5303986", "5303840", 1), ErrValue, "53", ""},
		{"PIX country", PIX, strings.Replace(body(pixDyn), "5802BR", "5802PT", 1), ErrValue, "58", ""},
		{"PIX no GUI", PIX, strings.Replace(body(pixDyn), "BR.GOV.BCB.PIX", "BR.GOV.BCB.PIY", 1), ErrMissing, "26", "00"},
		{"PIX URL static", PIX, strings.Replace(body(pixDyn), "010212", "010211", 1), ErrValue, "01", ""},
		{"PIX no txid", PIX, strings.Replace(body(pixDyn), "62070503***", "62070103***", 1), ErrMissing, "62", "05"},
		{"PIX no 62", PIX, strings.Replace(body(pixDyn), "62070503***", "", 1), ErrMissing, "62", ""},
		{"DuitNow format 03", DuitNow, "000203" + body(realText("DuitNow QRCS"))[6:], ErrValue, "00", ""},
		{"DuitNow no 02", DuitNow, "00020201021126280014A00000061500010106501664520499995303458540510.005802MY5909QRCSDNBHD6005BANGI", ErrMissing, "26", "02"},
		{"PromptPay two proxies", PromptPay, "00020101021129540016A00000067701011101130066812345678021312345678901235303764" + "5802TH", ErrValue, "29", ""},
		{"PromptPay short mobile", PromptPay, "00020101021129360016A0000006770101110112006681234567530376458" + "02TH", ErrValue, "29", "01"},
		{"PromptPay no template", PromptPay, "00020101021102081234567853037645802TH", ErrMissing, "29", "00"},
		{"PromptPay bill without ref", PromptPay, "00020101021130390016A000000677010112011501055560207165053037645802TH", ErrMissing, "30", "02"},
		{"KHQR no @", KHQR, strings.Replace(body(realText("KHQR merchant")), "mann_yivfouy@bkrt", "mann_yivfouy_bkrt", 1), ErrValue, "30", "00"},
		{"KHQR timestamp", KHQR, "00020101021229180014your_name@wing520459995303116" + "5802KH5909Your Name6010Phnom Penh99080004ABCD", ErrValue, "99", "00"},
		{"VietQR service", VietQR, strings.Replace(body(realText("VietQR to account")), "QRIBFTTA", "QRIBFTTX", 1), ErrValue, "38", "02"},
		{"VietQR BIN", VietQR, strings.Replace(body(realText("VietQR to account")), "0006970436", "00069704X6", 1), ErrValue, "38", "01"},
		{"SGQR editable", SGQR, strings.Replace(body(realText("SGQR PayNow UEN")), "03011", "03019", 1), ErrValue, "26", "03"},
		{"SGQR namespace", SGQR, strings.Replace(body(realText("SGQR PayNow UEN")), "SG.PAYNOW", "XX.PAYNOW", 1), ErrMissing, "26", "00"},
		{"UnionPay none", UnionPayQR, minimal, ErrMissing, "15", ""},
		{"UnionPay 15 letters", UnionPayQR, strings.Replace(minimal, "0208VISA1234", "1508VISA1234", 1), ErrValue, "15", ""},
		{"QRIS criterion", QRIS, strings.Replace(body(realText("QRIS DANA static")), "0303UMI5204", "0303XYZ5204", 1), ErrValue, "51", "03"},
		{"QRIS missing", QRIS, strings.Replace(body(realText("QRIS DANA static")), "ID.CO.QRIS.WWW", "ID.CO.QRIS.WWX", 1), ErrMissing, "51", "00"},
	}
	for _, tc := range tests {
		p, err := Read(withCRC(tc.payload))
		if err != nil {
			t.Errorf("%s: Read: %v", tc.name, err)
			continue
		}
		err = p.ValidateProfile(tc.prof)
		var e *Error
		if !errors.Is(err, tc.want) || !errors.As(err, &e) || e.ID != tc.id || e.SubID != tc.sub {
			t.Errorf("%s: got %v, want %v at %s/%s", tc.name, err, tc.want, tc.id, tc.sub)
			continue
		}
		if e.Rule == "" || !strings.Contains(err.Error(), tc.prof.Name()) && tc.prof.Name() != "EMVCo" && e.Rule != ruleFormat {
			t.Errorf("%s: %v does not name the profile rule", tc.name, err)
		}
		if findings := p.Check(tc.prof); len(findings) == 0 || findings[0].Error() != err.Error() {
			t.Errorf("%s: Check %v, ValidateProfile %v", tc.name, findings, err)
		}
	}
}

func TestCheckCollectsEveryFinding(t *testing.T) {
	p, err := Read(withCRC("000202" + "5303999" + "5802br" + "5926ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	if err != nil {
		t.Fatal(err)
	}
	f := p.Check(EMVCo)
	ids := make([]string, len(f))
	for i, e := range f {
		ids[i] = e.(*Error).ID
	}
	want := "02 52 60 00 58 59"
	if strings.Join(ids, " ") != want {
		t.Errorf("findings at %v, want %s:\n%v", ids, want, f)
	}
	if p.Check(EMVCo.withNothing()) == nil {
		t.Error("no findings")
	}
}

// withNothing is EMVCo: a helper so the test reads as a statement.
func (p Profile) withNothing() Profile { return p }

func TestLookupProfile(t *testing.T) {
	for _, p := range Profiles() {
		q, ok := LookupProfile(strings.ToLower(p.Name()))
		if !ok || q.Name() != p.Name() || q.Source() == "" {
			t.Errorf("%s: lookup %v", p.Name(), ok)
		}
	}
	if _, ok := LookupProfile("nope"); ok {
		t.Error("unknown profile found")
	}
}

// TestBuilderProfiles: the builder makes a payload of each kind the real
// table holds, under its profile, and refuses what the profile forbids.
func TestBuilderProfiles(t *testing.T) {
	beneficiary, err := EncodeTemplate([]Object{{ID: "00", Value: "970436"}, {ID: "01", Value: "1023456789"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		prof Profile
		m    Merchant
		want string // the real payload the builder must reproduce, or ""
	}{
		{"PIX dynamic without amount", PIX, Merchant{Dynamic: true,
			Accounts: []Account{{ID: "26", GUI: "BR.GOV.BCB.PIX", Fields: []Object{{ID: "25", Value: "pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a99"}}}},
			MCC:      "0000", Currency: "986", Country: "BR", Name: "EMPRESA", City: "SAO PAULO",
			Additional: &AdditionalData{ReferenceLabel: "***"}}, realText("PIX dynamic, BCB manual 6.2 (no 54)")},
		{"PIX static without 01", PIX, Merchant{NoInitiation: true,
			Accounts: []Account{{ID: "26", GUI: "br.gov.bcb.pix", Fields: []Object{{ID: "01", Value: "123e4567-e12b-12d1-a456-426655440000"}}}},
			MCC:      "0000", Currency: "986", Country: "BR", Name: "Fulano de Tal", City: "BRASILIA",
			Additional: &AdditionalData{ReferenceLabel: "***"}}, realText("PIX static, BCB key example")},
		{"DuitNow format 02", DuitNow, Merchant{FormatIndicator: "02",
			Accounts: []Account{{ID: "26", GUI: "A0000006150001", Fields: []Object{{ID: "01", Value: "501664"}, {ID: "02", Value: "123456789"}}}},
			MCC:      "9999", Currency: "458", Amount: "10.00", Country: "MY", Name: "QRCSDNBHD", City: "BANGI"}, realText("DuitNow QRCS")},
		{"PromptPay person to person", PromptPay, Merchant{Dynamic: true,
			Accounts: []Account{{ID: "29", GUI: "A000000677010111", Fields: []Object{{ID: "03", Value: "004999075261163"}}}},
			Currency: "764", Country: "TH"}, ""},
		{"VietQR personal", VietQR, Merchant{Dynamic: true,
			Accounts: []Account{{ID: "38", GUI: "A000000727", Fields: []Object{{ID: "01", Value: beneficiary}, {ID: "02", Value: "QRIBFTTA"}}}},
			Currency: "704", Amount: "1943000", Country: "VN", Additional: &AdditionalData{Purpose: "TT000069"}}, ""},
		{"SGQR PayNow", SGQR, Merchant{
			Accounts: []Account{{ID: "26", GUI: "SG.PAYNOW", Fields: []Object{{ID: "01", Value: "2"}, {ID: "02", Value: "201403121W"}, {ID: "03", Value: "1"}, {ID: "04", Value: "20301231"}}}},
			MCC:      "0000", Currency: "702", Country: "SG", Name: "ACME Pte Ltd.", City: "Singapore"}, realText("SGQR PayNow UEN")},
		{"KHQR individual", KHQR, Merchant{
			Accounts: []Account{{ID: "29", GUI: "your_name@wing"}}, MCC: "5999", Currency: "116", Amount: "9800",
			Country: "KH", Name: "Your Name", City: "Phnom Penh",
			Unreserved: []Account{{ID: "99", GUI: "1724927295157"}}}, ""},
	}
	for _, tc := range tests {
		s, err := tc.m.EncodeFor(tc.prof)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if tc.want != "" && s != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, s, tc.want)
		}
		if _, err := ParseProfile(s, tc.prof); err != nil {
			t.Errorf("%s: ParseProfile: %v", tc.name, err)
		}
		// The builder refuses a wrong currency under every national profile.
		bad := tc.m
		bad.Currency = "999"
		if _, err := bad.EncodeFor(tc.prof); !errors.Is(err, ErrValue) {
			t.Errorf("%s: currency 999: %v", tc.name, err)
		}
	}
	// PromptPay without 52/59/60 is not EMVCo.
	if _, err := tests[3].m.Encode(); !errors.Is(err, ErrMissing) {
		t.Errorf("PromptPay P2P under EMVCo: %v", err)
	}
}

func TestByteCountedLengthBlamed(t *testing.T) {
	tests := []struct {
		name, payload, id, sub string
	}{
		// 64.01 of 4 CJK characters written as 12 (bytes).
		{"sub-object", withCRC(minimal + "64280002ZH0112最佳运输0206北京"), "64", "01"},
		// 59 of 2 CJK characters written as 06: the overrun shows at 60.
		{"top level", withCRC("000201" + "0208VISA1234" + "52045812" + "5303156" + "5802CN" + "5906面馆" + "6008SHANGHAI"), "59", ""},
	}
	for _, tc := range tests {
		_, err := Read(tc.payload)
		var e *Error
		if !errors.Is(err, ErrLength) || !errors.As(err, &e) || e.ID != tc.id || e.SubID != tc.sub || !strings.Contains(err.Error(), "counts bytes") {
			t.Errorf("%s: %v, want a byte-counted length at %s/%s", tc.name, err, tc.id, tc.sub)
		}
	}
}
