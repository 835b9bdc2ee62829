package main

import (
	"bytes"
	"fmt"
	"image/png"
	"io"
	"os"
	"strings"
	"time"

	"github.com/poskit/poskit/fees"
	"github.com/poskit/poskit/receipt"
)

func runReceipt(e *env, args []string) error {
	return verbs(e, "receipt", args, map[string]func(*env, []string) error{
		"render": receiptRender,
	})
}

// The JSON form of a slip or settlement read by "poskit receipt render".
// Amounts are decimal strings in major units of the currency.
type receiptJSON struct {
	Settlement *settlementJSON `json:"settlement"`

	Merchant    merchantJSON `json:"merchant"`
	Acquirer    string       `json:"acquirer"`
	Issuer      string       `json:"issuer"`
	Card        cardJSON     `json:"card"`
	Type        string       `json:"type"`
	Batch       string       `json:"batch"`
	Voucher     string       `json:"voucher"`
	AuthCode    string       `json:"auth_code"`
	RRN         string       `json:"rrn"`
	Time        string       `json:"time"`
	Amount      string       `json:"amount"`
	Currency    string       `json:"currency"`
	Tip         string       `json:"tip"`
	Fee         string       `json:"fee"`
	OrigVoucher string       `json:"orig_voucher"`
	Installment *instalJSON  `json:"installment"`
	DCC         *dccJSON     `json:"dcc"`
	Chip        *chipJSON    `json:"chip"`
	CVM         string       `json:"cvm"`
	QR          *qrPayJSON   `json:"qr"`
	Copy        string       `json:"copy"`
	Reprint     bool         `json:"reprint"`
	Remarks     []string     `json:"remarks"`
	Footer      []string     `json:"footer"`
	QRCode      string       `json:"qr_code"`
	Barcode     string       `json:"barcode"`
}

type merchantJSON struct {
	Name       string `json:"name"`
	Number     string `json:"number"`
	TerminalID string `json:"terminal_id"`
	Operator   string `json:"operator"`
}

type cardJSON struct {
	PAN     string `json:"pan"`
	Expiry  string `json:"expiry"`
	Entry   string `json:"entry"`
	Funding string `json:"funding"`
}

type instalJSON struct {
	Periods int    `json:"periods"`
	First   string `json:"first"`
	Each    string `json:"each"`
	Fee     string `json:"fee"`
}

type dccJSON struct {
	Amount    string `json:"amount"`
	Currency  string `json:"currency"`
	Rate      string `json:"rate"`
	Markup    string `json:"markup"`
	Reference string `json:"reference"`
}

type chipJSON struct {
	AID            string `json:"aid"`
	Label          string `json:"label"`
	TVR            string `json:"tvr"`
	TSI            string `json:"tsi"`
	ATC            string `json:"atc"`
	CryptogramType string `json:"cryptogram_type"`
	Cryptogram     string `json:"cryptogram"`
}

type qrPayJSON struct {
	Wallet      string `json:"wallet"`
	OrderNumber string `json:"order_number"`
}

type settlementJSON struct {
	Merchant merchantJSON `json:"merchant"`
	Acquirer string       `json:"acquirer"`
	Batch    string       `json:"batch"`
	Time     string       `json:"time"`
	Currency string       `json:"currency"`
	Totals   []totalJSON  `json:"totals"`
	Reprint  bool         `json:"reprint"`
	Footer   []string     `json:"footer"`
}

// totalJSON is one settlement total; "channel" is the former name of
// "group", still read.
type totalJSON struct {
	Group   string `json:"group"`
	Channel string `json:"channel"`
	Type    string `json:"type"`
	Count   int64  `json:"count"`
	Amount  string `json:"amount"`
}

const receiptExample = `{
  "merchant": {"name": "示例商户 DEMO SHOP", "number": "850100082410002", "terminal_id": "10000019"},
  "acquirer": "DEMO BANK",
  "card": {"pan": "6224242900000113", "entry": "chip"},
  "type": "sale", "batch": "000024", "voucher": "000403", "auth_code": "123456",
  "rrn": "632414000403", "time": "2026-11-21 10:30:15",
  "amount": "128.00", "currency": "CNY", "cvm": "pin", "copy": "merchant"
}`

// receiptFlags are the flags of "poskit receipt render".
type receiptFlags struct {
	format, paper, lang, mask, copyName, codePage, noSig, out, logo *string
	expiry, noCut                                                   *bool
}

func receiptRender(e *env, args []string) error {
	fs := newFlags(e, "receipt render", "[-format text|escpos|html] [-paper 58|80|80-42] [-lang L] [-mask unionpay|pci|facta] [-copy C] [-logo PNG] [-o FILE] [FILE]",
		`Renders a POS slip (or, with a "settlement" object, a settlement slip) from
JSON read from FILE or standard input, as UTF-8 text, ESC/POS printer bytes or
an HTML e-receipt. The PAN is printed masked by the -mask policy for the copy.
Amounts are decimal strings in major units. A slip:
`+receiptExample+`
type: sale, void, refund, preauth, completion, balance; entry: swipe, chip,
contactless, manual, qr; funding: debit, credit; cvm: pin, signature, none;
copy: merchant, cardholder, bank. Optional: "fee" (a surcharge, in TOTAL),
"installment": {"periods": 12, "first": "10.72", "each": "10.67", "fee":
"3.84"}, "dcc": {"amount": "18.40", "currency": "USD", "rate": "0.143750",
"markup": "3.50", "reference": "ECB"}. A settlement: {"settlement":
{"merchant": {...}, "batch": "000024", "time": "...", "currency": "CNY",
"totals": [{"group": "domestic", "type": "sale", "count": 3, "amount":
"300.00"}]}} with groups domestic, foreign, qr.`,
		`poskit receipt render -format text sale.json
echo '{"settlement": {...}}' | poskit receipt render -format escpos -o slip.bin`)
	f := receiptFlags{
		format:   fs.String("format", "text", "output: text, escpos or html"),
		paper:    fs.String("paper", "58", "paper: 58 (32 columns), 80 (48) or 80-42 (42)"),
		lang:     fs.String("lang", "bilingual", "labels: bilingual, zh, en, zh-hant (Traditional) or bilingual-hant"),
		mask:     fs.String("mask", "unionpay", "PAN masking: unionpay (6+4), pci (last 4 for the cardholder), facta (last 4)"),
		copyName: fs.String("copy", "", "override the slip's copy: merchant, cardholder, bank or all (text and escpos)"),
		codePage: fs.String("codepage", "gb18030", "ESC/POS code page: gb18030, pc437, wpc1252 or pc858 (the last three need -lang en)"),
		expiry:   fs.Bool("expiry", false, "print the card expiry date (never under facta)"),
		noSig:    fs.String("no-signature-limit", "", "sale amount up to which no signature is required (major units)"),
		noCut:    fs.Bool("no-cut", false, "omit the paper cut at the end of ESC/POS output"),
		logo:     fs.String("logo", "", "PNG image printed at the top (raster on ESC/POS, SVG in HTML)"),
		out:      fs.String("o", "", "write to FILE instead of standard output"),
	}
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("give at most one JSON file, got %d arguments", fs.NArg())
	}
	cfg, appendDoc, err := f.config(e)
	if err != nil {
		return err
	}
	path := "-"
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	}
	docs, err := f.documents(e, path, &cfg)
	if err != nil {
		return err
	}
	p, err := receipt.NewPrinter(cfg)
	if err != nil {
		return fmt.Errorf("printer: %w", err)
	}
	var buf []byte
	for i, d := range docs {
		if i > 0 && *f.format == "text" {
			buf = append(buf, '\n')
		}
		if buf, err = appendDoc(p, buf, d); err != nil {
			return fmt.Errorf("rendering: %w", err)
		}
	}
	if *f.out != "" {
		if err := os.WriteFile(*f.out, buf, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", *f.out, err)
		}
		return nil
	}
	_, err = io.Copy(e.stdout, bytes.NewReader(buf))
	return err
}

type appendFunc func(p *receipt.Printer, dst []byte, d receipt.Document) ([]byte, error)

// config reads the printer flags.
func (f *receiptFlags) config(e *env) (receipt.Config, appendFunc, error) {
	cfg := receipt.Config{NoCut: *f.noCut, Policy: receipt.Policy{ShowExpiry: *f.expiry}}
	var ok bool
	if cfg.Profile, ok = map[string]receipt.Profile{"58": receipt.Paper58, "80": receipt.Paper80, "80-42": receipt.Paper80x42}[*f.paper]; !ok {
		return cfg, nil, usagef("-paper %q: want 58, 80 or 80-42", *f.paper)
	}
	if cfg.Language, ok = map[string]receipt.Language{"bilingual": receipt.Bilingual, "zh": receipt.Chinese, "en": receipt.English,
		"zh-hant": receipt.TraditionalChinese, "bilingual-hant": receipt.BilingualTraditional}[*f.lang]; !ok {
		return cfg, nil, usagef("-lang %q: want bilingual, zh, en, zh-hant or bilingual-hant", *f.lang)
	}
	if cfg.Policy.Mask, ok = map[string]receipt.MaskPolicy{"unionpay": receipt.MaskUnionPay, "pci": receipt.MaskPCI, "facta": receipt.MaskFACTA}[*f.mask]; !ok {
		return cfg, nil, usagef("-mask %q: want unionpay, pci or facta", *f.mask)
	}
	if cfg.CodePage, ok = map[string]receipt.CodePage{"gb18030": receipt.GB18030, "pc437": receipt.PC437, "wpc1252": receipt.WPC1252, "pc858": receipt.PC858}[*f.codePage]; !ok {
		return cfg, nil, usagef("-codepage %q: want gb18030, pc437, wpc1252 or pc858", *f.codePage)
	}
	if *f.logo != "" {
		b, err := readFile(e, *f.logo, "logo")
		if err != nil {
			return cfg, nil, err
		}
		if cfg.Logo, err = png.Decode(bytes.NewReader(b)); err != nil {
			return cfg, nil, usagef("-logo %s: %v", *f.logo, err)
		}
	}
	var appendDoc appendFunc
	switch *f.format {
	case "text":
		appendDoc = (*receipt.Printer).AppendText
	case "escpos":
		appendDoc = (*receipt.Printer).AppendESCPOS
	case "html":
		appendDoc = (*receipt.Printer).AppendHTML
		if *f.copyName == "all" {
			return cfg, nil, usagef("-copy all needs -format text or escpos (an HTML page holds one slip)")
		}
	default:
		return cfg, nil, usagef("-format %q: want text, escpos or html", *f.format)
	}
	return cfg, appendDoc, nil
}

// documents reads the JSON at path: a settlement slip, or a slip once per
// copy asked for. The no-signature limit is read in the slip's currency.
func (f *receiptFlags) documents(e *env, path string, cfg *receipt.Config) ([]receipt.Document, error) {
	raw, err := readFile(e, path, "receipt JSON")
	if err != nil {
		return nil, err
	}
	var in receiptJSON
	if err := decodeStrict(raw, &in); err != nil {
		return nil, usagef("receipt JSON: %v", err)
	}
	if in.Settlement != nil {
		s, err := in.Settlement.model()
		if err != nil {
			return nil, usagef("receipt JSON: settlement: %v", err)
		}
		return []receipt.Document{s}, nil
	}
	slip, err := in.model()
	if err != nil {
		return nil, usagef("receipt JSON: %v", err)
	}
	if *f.noSig != "" {
		cfg.Policy.NoSignatureLimit, err = amountMinor(*f.noSig, slip.Amount.Currency)
		if err != nil {
			return nil, usagef("-no-signature-limit: %v", err)
		}
	}
	copies := []string{*f.copyName}
	if *f.copyName == "all" {
		copies = []string{"merchant", "cardholder", "bank"}
	}
	var docs []receipt.Document
	for _, c := range copies {
		s := *slip
		if c != "" {
			if s.Copy, err = parseCopy(c); err != nil {
				return nil, usagef("-copy: %v", err)
			}
		}
		docs = append(docs, &s)
	}
	return docs, nil
}

func (m merchantJSON) model() receipt.Merchant {
	return receipt.Merchant{Name: m.Name, Number: m.Number, TerminalID: m.TerminalID, Operator: m.Operator}
}

// receiptCurrency returns the receipt currency for an ISO 4217 code, with
// its minor digits from ISO 4217; CNY prints as RMB, as on Chinese slips.
func receiptCurrency(code string) (receipt.Currency, error) {
	if code == "" {
		code = "CNY"
	}
	code = strings.ToUpper(code)
	if code == "CNY" {
		return receipt.CNY, nil
	}
	c, err := receipt.CurrencyOf(code)
	if err != nil {
		return c, fmt.Errorf("currency %q: %w", code, err)
	}
	return c, nil
}

// amountMinor reads a decimal amount in major units of c, exactly.
func amountMinor(s string, c receipt.Currency) (int64, error) {
	fc, ok := fees.CurrencyByAlpha(c.Code)
	if !ok {
		return 0, fmt.Errorf("currency %q unknown", c.Code)
	}
	v, err := fees.ParseAmount(s, fc)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	if v < 0 {
		return 0, fmt.Errorf("amount %q is negative", s)
	}
	return v, nil
}

// parseTime reads RFC 3339 or "2006-01-02 15:04:05" (local time of the
// slip, kept as written). Empty is the zero time (not printed).
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want 2006-01-02 15:04:05 or RFC 3339", s)
}

func parseKind(s string) (receipt.Kind, error) {
	t, ok := map[string]receipt.Kind{"": receipt.Sale, "sale": receipt.Sale, "void": receipt.Void, "refund": receipt.Refund,
		"preauth": receipt.PreAuth, "completion": receipt.Completion, "balance": receipt.BalanceInquiry}[s]
	if !ok {
		return 0, fmt.Errorf("type %q: want sale, void, refund, preauth, completion or balance", s)
	}
	return t, nil
}

func parseCopy(s string) (receipt.Copy, error) {
	c, ok := map[string]receipt.Copy{"": receipt.MerchantCopy, "merchant": receipt.MerchantCopy,
		"cardholder": receipt.CardholderCopy, "bank": receipt.BankCopy}[s]
	if !ok {
		return 0, fmt.Errorf("copy %q: want merchant, cardholder or bank", s)
	}
	return c, nil
}

func (in *receiptJSON) model() (*receipt.Slip, error) {
	cur, err := receiptCurrency(in.Currency)
	if err != nil {
		return nil, err
	}
	s := &receipt.Slip{
		Merchant: in.Merchant.model(), Acquirer: in.Acquirer, Issuer: in.Issuer,
		Card:  receipt.Card{PAN: in.Card.PAN, Expiry: in.Card.Expiry},
		Batch: in.Batch, Voucher: in.Voucher, AuthCode: in.AuthCode, RRN: in.RRN,
		OrigVoucher: in.OrigVoucher, Reprint: in.Reprint, Remarks: in.Remarks, Footer: in.Footer,
		QRCode: in.QRCode, Barcode: in.Barcode,
	}
	if err := in.codes(s); err != nil {
		return nil, err
	}
	if s.Time, err = parseTime(in.Time); err != nil {
		return nil, err
	}
	if in.Amount == "" {
		return nil, fmt.Errorf("missing amount")
	}
	s.Amount.Currency = cur
	if s.Amount.Minor, err = amountMinor(in.Amount, cur); err != nil {
		return nil, err
	}
	for _, v := range []struct {
		name, in string
		out      *int64
	}{{"tip", in.Tip, &s.Tip}, {"fee", in.Fee, &s.Fee}} {
		if v.in != "" {
			if *v.out, err = amountMinor(v.in, cur); err != nil {
				return nil, fmt.Errorf("%s: %w", v.name, err)
			}
		}
	}
	if in.Chip != nil {
		c := receipt.Chip(*in.Chip)
		s.Chip = &c
	}
	if in.QR != nil {
		s.QR = &receipt.QR{Wallet: in.QR.Wallet, OrderNumber: in.QR.OrderNumber}
	}
	if s.Installment, err = in.Installment.model(cur); err != nil {
		return nil, err
	}
	if s.DCC, err = in.DCC.model(); err != nil {
		return nil, err
	}
	return s, nil
}

// codes reads the slip's named values: kind, entry mode, funding, CVM, copy.
func (in *receiptJSON) codes(s *receipt.Slip) error {
	var ok bool
	var err error
	if s.Card.Entry, ok = map[string]receipt.EntryMode{"": receipt.EntryUnknown, "swipe": receipt.EntrySwipe, "chip": receipt.EntryChip,
		"contactless": receipt.EntryContactless, "manual": receipt.EntryManual, "qr": receipt.EntryQR}[in.Card.Entry]; !ok {
		return fmt.Errorf("card entry %q: want swipe, chip, contactless, manual or qr", in.Card.Entry)
	}
	if s.Card.Funding, ok = map[string]receipt.Funding{"": receipt.FundingUnknown, "debit": receipt.Debit, "credit": receipt.Credit}[in.Card.Funding]; !ok {
		return fmt.Errorf("card funding %q: want debit or credit", in.Card.Funding)
	}
	if s.Type, err = parseKind(in.Type); err != nil {
		return err
	}
	if s.CVM, ok = map[string]receipt.CVM{"": receipt.CVMUnknown, "pin": receipt.CVMPIN, "signature": receipt.CVMSignature,
		"none": receipt.CVMNone}[in.CVM]; !ok {
		return fmt.Errorf("cvm %q: want pin, signature or none", in.CVM)
	}
	s.Copy, err = parseCopy(in.Copy)
	return err
}

func (in *instalJSON) model(cur receipt.Currency) (*receipt.Installment, error) {
	if in == nil {
		return nil, nil
	}
	out := &receipt.Installment{Periods: in.Periods}
	for _, v := range []struct {
		name, in string
		out      *int64
	}{{"first", in.First, &out.First}, {"each", in.Each, &out.Each}, {"fee", in.Fee, &out.Fee}} {
		if v.in != "" {
			var err error
			if *v.out, err = amountMinor(v.in, cur); err != nil {
				return nil, fmt.Errorf("installment %s: %w", v.name, err)
			}
		}
	}
	return out, nil
}

func (in *dccJSON) model() (*receipt.DCC, error) {
	if in == nil {
		return nil, nil
	}
	cur, err := receiptCurrency(in.Currency)
	if err != nil {
		return nil, fmt.Errorf("dcc: %w", err)
	}
	cur.Symbol = "" // the cardholder's currency prints by its code
	out := &receipt.DCC{Amount: receipt.Amount{Currency: cur}, Rate: in.Rate, Markup: in.Markup, Reference: in.Reference}
	if out.Amount.Minor, err = amountMinor(in.Amount, cur); err != nil {
		return nil, fmt.Errorf("dcc: %w", err)
	}
	return out, nil
}

func (in *settlementJSON) model() (*receipt.SettlementSlip, error) {
	cur, err := receiptCurrency(in.Currency)
	if err != nil {
		return nil, err
	}
	s := &receipt.SettlementSlip{Merchant: in.Merchant.model(), Acquirer: in.Acquirer, Batch: in.Batch,
		Currency: cur, Reprint: in.Reprint, Footer: in.Footer}
	if s.Time, err = parseTime(in.Time); err != nil {
		return nil, err
	}
	for i, t := range in.Totals {
		name := t.Group
		if name == "" {
			name = t.Channel
		}
		g, ok := map[string]receipt.CardGroup{"domestic": receipt.Domestic, "foreign": receipt.Foreign, "qr": receipt.QRPay}[name]
		if !ok {
			return nil, fmt.Errorf("totals[%d]: group %q: want domestic, foreign or qr", i, name)
		}
		tt, err := parseKind(t.Type)
		if err != nil {
			return nil, fmt.Errorf("totals[%d]: %w", i, err)
		}
		amt, err := amountMinor(t.Amount, cur)
		if err != nil {
			return nil, fmt.Errorf("totals[%d]: %w", i, err)
		}
		s.Totals = append(s.Totals, receipt.Total{Group: g, Type: tt, Count: t.Count, Amount: amt})
	}
	return s, nil
}
