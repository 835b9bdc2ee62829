package main

import (
	"bytes"
	"fmt"
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
	OrigVoucher string       `json:"orig_voucher"`
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
	PAN    string `json:"pan"`
	Expiry string `json:"expiry"`
	Entry  string `json:"entry"`
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

type totalJSON struct {
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

func receiptRender(e *env, args []string) error {
	fs := newFlags(e, "receipt render", "[-format text|escpos|html] [-paper 58|80|80-42] [-lang bilingual|zh|en] [-mask unionpay|pci|facta] [-copy C] [-o FILE] [FILE]",
		`Renders a POS slip (or, with a "settlement" object, a settlement slip) from
JSON read from FILE or standard input, as UTF-8 text, ESC/POS printer bytes or
an HTML e-receipt. The PAN is printed masked by the -mask policy for the copy.
Amounts are decimal strings in major units. A slip:
`+receiptExample+`
type: sale, void, refund, preauth, completion, balance; entry: swipe, chip,
contactless, manual, qr; cvm: pin, signature, none; copy: merchant,
cardholder, bank. A settlement: {"settlement": {"merchant": {...}, "batch":
"000024", "time": "...", "currency": "CNY", "totals": [{"channel":
"domestic", "type": "sale", "count": 3, "amount": "300.00"}]}} with channels
domestic, foreign, qr.`,
		`poskit receipt render -format text sale.json
echo '{"settlement": {...}}' | poskit receipt render -format escpos -o slip.bin`)
	format := fs.String("format", "text", "output: text, escpos or html")
	paper := fs.String("paper", "58", "paper: 58 (32 columns), 80 (48) or 80-42 (42)")
	lang := fs.String("lang", "bilingual", "labels: bilingual, zh or en")
	mask := fs.String("mask", "unionpay", "PAN masking: unionpay (6+4), pci (last 4 for the cardholder), facta (last 4)")
	copyName := fs.String("copy", "", "override the slip's copy: merchant, cardholder, bank or all (text and escpos)")
	codePage := fs.String("codepage", "gb18030", "ESC/POS code page: gb18030, pc437, wpc1252 or pc858")
	expiry := fs.Bool("expiry", false, "print the card expiry date (never under facta)")
	noSig := fs.String("no-signature-limit", "", "amount up to which no signature is required (major units)")
	noCut := fs.Bool("no-cut", false, "omit the paper cut at the end of ESC/POS output")
	out := fs.String("o", "", "write to FILE instead of standard output")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("give at most one JSON file, got %d arguments", fs.NArg())
	}
	cfg := receipt.Config{NoCut: *noCut, Policy: receipt.Policy{ShowExpiry: *expiry}}
	var ok bool
	if cfg.Profile, ok = map[string]receipt.Profile{"58": receipt.Paper58, "80": receipt.Paper80, "80-42": receipt.Paper80x42}[*paper]; !ok {
		return usagef("-paper %q: want 58, 80 or 80-42", *paper)
	}
	if cfg.Language, ok = map[string]receipt.Language{"bilingual": receipt.Bilingual, "zh": receipt.Chinese, "en": receipt.English}[*lang]; !ok {
		return usagef("-lang %q: want bilingual, zh or en", *lang)
	}
	if cfg.Policy.Mask, ok = map[string]receipt.MaskPolicy{"unionpay": receipt.MaskUnionPay, "pci": receipt.MaskPCI, "facta": receipt.MaskFACTA}[*mask]; !ok {
		return usagef("-mask %q: want unionpay, pci or facta", *mask)
	}
	if cfg.CodePage, ok = map[string]receipt.CodePage{"gb18030": receipt.GB18030, "pc437": receipt.PC437, "wpc1252": receipt.WPC1252, "pc858": receipt.PC858}[*codePage]; !ok {
		return usagef("-codepage %q: want gb18030, pc437, wpc1252 or pc858", *codePage)
	}
	var appendDoc func(p *receipt.Printer, dst []byte, d receipt.Document) ([]byte, error)
	switch *format {
	case "text":
		appendDoc = (*receipt.Printer).AppendText
	case "escpos":
		appendDoc = (*receipt.Printer).AppendESCPOS
	case "html":
		appendDoc = (*receipt.Printer).AppendHTML
		if *copyName == "all" {
			return usagef("-copy all needs -format text or escpos (an HTML page holds one slip)")
		}
	default:
		return usagef("-format %q: want text, escpos or html", *format)
	}
	path := "-"
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	}
	raw, err := readFile(e, path, "receipt JSON")
	if err != nil {
		return err
	}
	var in receiptJSON
	if err := decodeStrict(raw, &in); err != nil {
		return usagef("receipt JSON: %v", err)
	}
	var docs []receipt.Document
	if in.Settlement != nil {
		s, err := in.Settlement.model()
		if err != nil {
			return usagef("receipt JSON: settlement: %v", err)
		}
		docs = append(docs, s)
	} else {
		slip, err := in.model()
		if err != nil {
			return usagef("receipt JSON: %v", err)
		}
		if *noSig != "" {
			cfg.Policy.NoSignatureLimit, err = amountMinor(*noSig, slip.Amount.Currency)
			if err != nil {
				return usagef("-no-signature-limit: %v", err)
			}
		}
		copies := []string{*copyName}
		if *copyName == "all" {
			copies = []string{"merchant", "cardholder", "bank"}
		}
		for _, c := range copies {
			s := *slip
			if c != "" {
				if s.Copy, err = parseCopy(c); err != nil {
					return usagef("-copy: %v", err)
				}
			}
			docs = append(docs, &s)
		}
	}
	p, err := receipt.NewPrinter(cfg)
	if err != nil {
		return fmt.Errorf("printer: %w", err)
	}
	var buf []byte
	for i, d := range docs {
		if i > 0 && *format == "text" {
			buf = append(buf, '\n')
		}
		if buf, err = appendDoc(p, buf, d); err != nil {
			return fmt.Errorf("rendering: %w", err)
		}
	}
	if *out != "" {
		if err := os.WriteFile(*out, buf, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", *out, err)
		}
		return nil
	}
	_, err = io.Copy(e.stdout, bytes.NewReader(buf))
	return err
}

func (m merchantJSON) model() receipt.Merchant {
	return receipt.Merchant{Name: m.Name, Number: m.Number, TerminalID: m.TerminalID, Operator: m.Operator}
}

// receiptCurrency returns the receipt currency for an ISO 4217 code: the
// package's own values where it has one (CNY prints as RMB), the minor
// digits of the fees table otherwise.
func receiptCurrency(code string) (receipt.Currency, error) {
	if code == "" {
		code = "CNY"
	}
	for _, c := range []receipt.Currency{receipt.CNY, receipt.HKD, receipt.USD, receipt.EUR, receipt.JPY} {
		if c.Code == strings.ToUpper(code) {
			return c, nil
		}
	}
	fc, err := fees.ParseCurrency(strings.ToUpper(code))
	if err != nil {
		return receipt.Currency{}, fmt.Errorf("currency %q: not an ISO 4217 code", code)
	}
	d, ok := fc.MinorUnits()
	if !ok {
		return receipt.Currency{}, fmt.Errorf("currency %q has no minor unit", code)
	}
	return receipt.Currency{Code: fc.Alpha(), Digits: uint8(d)}, nil
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

func parseTxnType(s string) (receipt.TxnType, error) {
	t, ok := map[string]receipt.TxnType{"": receipt.Sale, "sale": receipt.Sale, "void": receipt.Void, "refund": receipt.Refund,
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
	var ok bool
	if s.Card.Entry, ok = map[string]receipt.EntryMode{"": receipt.EntryUnknown, "swipe": receipt.EntrySwipe, "chip": receipt.EntryChip,
		"contactless": receipt.EntryContactless, "manual": receipt.EntryManual, "qr": receipt.EntryQR}[in.Card.Entry]; !ok {
		return nil, fmt.Errorf("card entry %q: want swipe, chip, contactless, manual or qr", in.Card.Entry)
	}
	if s.Type, err = parseTxnType(in.Type); err != nil {
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
	if in.Tip != "" {
		if s.Tip, err = amountMinor(in.Tip, cur); err != nil {
			return nil, fmt.Errorf("tip: %w", err)
		}
	}
	if in.Chip != nil {
		c := receipt.Chip(*in.Chip)
		s.Chip = &c
	}
	if s.CVM, ok = map[string]receipt.CVM{"": receipt.CVMUnknown, "pin": receipt.CVMPIN, "signature": receipt.CVMSignature,
		"none": receipt.CVMNone}[in.CVM]; !ok {
		return nil, fmt.Errorf("cvm %q: want pin, signature or none", in.CVM)
	}
	if in.QR != nil {
		s.QR = &receipt.QR{Wallet: in.QR.Wallet, OrderNumber: in.QR.OrderNumber}
	}
	if s.Copy, err = parseCopy(in.Copy); err != nil {
		return nil, err
	}
	return s, nil
}

func (in *settlementJSON) model() (*receipt.Settlement, error) {
	cur, err := receiptCurrency(in.Currency)
	if err != nil {
		return nil, err
	}
	s := &receipt.Settlement{Merchant: in.Merchant.model(), Acquirer: in.Acquirer, Batch: in.Batch,
		Currency: cur, Reprint: in.Reprint, Footer: in.Footer}
	if s.Time, err = parseTime(in.Time); err != nil {
		return nil, err
	}
	for i, t := range in.Totals {
		ch, ok := map[string]receipt.Channel{"domestic": receipt.Domestic, "foreign": receipt.Foreign, "qr": receipt.QRPay}[t.Channel]
		if !ok {
			return nil, fmt.Errorf("totals[%d]: channel %q: want domestic, foreign or qr", i, t.Channel)
		}
		tt, err := parseTxnType(t.Type)
		if err != nil {
			return nil, fmt.Errorf("totals[%d]: %w", i, err)
		}
		amt, err := amountMinor(t.Amount, cur)
		if err != nil {
			return nil, fmt.Errorf("totals[%d]: %w", i, err)
		}
		s.Totals = append(s.Totals, receipt.Total{Channel: ch, Type: tt, Count: t.Count, Amount: amt})
	}
	return s, nil
}
