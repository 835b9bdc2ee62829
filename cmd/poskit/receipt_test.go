package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const saleJSON = `{
  "merchant": {"name": "示例商户 DEMO SHOP", "number": "850100082410002", "terminal_id": "10000019", "operator": "01"},
  "acquirer": "DEMO BANK", "issuer": "DEMO ISSUER",
  "card": {"pan": "6224242900000113", "expiry": "2806", "entry": "chip"},
  "type": "sale", "batch": "000024", "voucher": "000403", "auth_code": "123456",
  "rrn": "632414000403", "time": "2026-11-21 10:30:15",
  "amount": "128.00", "currency": "CNY", "tip": "2.00", "cvm": "pin", "copy": "merchant",
  "chip": {"aid": "A000000333010102", "label": "PBOC DEBIT", "tvr": "0000000000", "tsi": "E800", "atc": "0157",
           "cryptogram_type": "ARQC", "cryptogram": "95BBE372271DDA7C"},
  "remarks": ["TABLE 7"], "footer": ["THANK YOU"]
}`

const settleText = `{"settlement": {
  "merchant": {"name": "DEMO SHOP", "number": "850100082410002", "terminal_id": "10000019"},
  "acquirer": "DEMO BANK", "batch": "000024", "time": "2026-11-21T22:00:00+08:00", "currency": "CNY",
  "totals": [
    {"channel": "domestic", "type": "sale", "count": 3, "amount": "300.00"},
    {"channel": "domestic", "type": "void", "count": 1, "amount": "50.00"},
    {"channel": "qr", "type": "sale", "count": 2, "amount": "88.50"}
  ]}}`

const qrSaleJSON = `{"merchant": {"name": "NOODLE BAR", "number": "850100082410002", "terminal_id": "10000019"},
  "card": {"entry": "qr"}, "type": "sale", "voucher": "000404", "amount": "88.00", "currency": "CNY",
  "qr": {"wallet": "WeChat Pay", "order_number": "4200001234202611210000001"}, "cvm": "none", "copy": "cardholder",
  "qr_code": "https://example.com/r/000404"}`

const instalDCCJSON = `{"merchant": {"name": "DEMO SHOP", "number": "850100082410002", "terminal_id": "10000019"},
  "card": {"pan": "4761739001010010", "entry": "chip", "funding": "credit"}, "type": "sale", "voucher": "000405",
  "amount": "128.00", "currency": "CNY", "fee": "0.64", "cvm": "signature",
  "installment": {"periods": 3, "first": "43.00", "each": "42.82", "fee": "1.28"},
  "dcc": {"amount": "18.40", "currency": "USD", "rate": "0.143750", "markup": "3.50", "reference": "ECB"}}`

func TestReceipt(t *testing.T) {
	dir := t.TempDir()
	sale := filepath.Join(dir, "sale.json")
	if err := os.WriteFile(sale, []byte(saleJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "slip.bin")
	runCases(t, []cmdCase{
		{name: "text", args: []string{"receipt", "render", sale}, golden: "receipt_sale.txt.golden"},
		{name: "text en 80 pci cardholder", args: []string{"receipt", "render", "-lang", "en", "-paper", "80", "-mask", "pci", "-copy", "cardholder", sale}, golden: "receipt_sale_en80.txt.golden"},
		{name: "all copies", args: []string{"receipt", "render", "-lang", "zh", "-copy", "all", "-"}, stdin: saleJSON, golden: "receipt_sale_all.txt.golden"},
		{name: "html", args: []string{"receipt", "render", "-format", "html", "-lang", "en"}, stdin: saleJSON, golden: "receipt_sale.html.golden"},
		{name: "escpos", args: []string{"receipt", "render", "-format", "escpos", "-codepage", "pc437", "-lang", "en", "-no-cut"}, stdin: saleJSON, golden: "receipt_sale.escpos.golden"},
		{name: "escpos to file", args: []string{"receipt", "render", "-format", "escpos", "-o", out}, stdin: saleJSON, stdout: ""},
		{name: "settlement", args: []string{"receipt", "render", "-paper", "80-42"}, stdin: settleText, golden: "receipt_settlement.txt.golden"},
		{name: "qr sale", args: []string{"receipt", "render", "-no-signature-limit", "100.00"}, stdin: qrSaleJSON, golden: "receipt_qr.txt.golden"},
		{name: "other currency", args: []string{"receipt", "render", "-lang", "en"}, stdin: `{"amount": "12.50", "currency": "GBP"}`, golden: "receipt_gbp.txt.golden"},
		// usage errors: the JSON or the flags are wrong
		{name: "currency without minor unit", args: []string{"receipt", "render"}, stdin: `{"amount": "1", "currency": "XAU"}`, code: 2, errHas: "no minor unit"},
		{name: "bad json", args: []string{"receipt", "render"}, stdin: `{"amount": 1}`, code: 2, errHas: "receipt JSON"},
		{name: "unknown field", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "colour": "red"}`, code: 2, errHas: "colour"},
		{name: "trailing", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00"} {}`, code: 2, errHas: "trailing data"},
		{name: "no amount", args: []string{"receipt", "render"}, stdin: `{}`, code: 2, errHas: "missing amount"},
		{name: "bad amount", args: []string{"receipt", "render"}, stdin: `{"amount": "1.001"}`, code: 2, errHas: "amount"},
		{name: "bad type", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "type": "cashback"}`, code: 2, errHas: `type "cashback"`},
		{name: "bad entry", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "card": {"entry": "nfc"}}`, code: 2, errHas: `entry "nfc"`},
		{name: "bad cvm", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "cvm": "face"}`, code: 2, errHas: `cvm "face"`},
		{name: "bad copy", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "copy": "shop"}`, code: 2, errHas: `copy "shop"`},
		{name: "bad time", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "time": "yesterday"}`, code: 2, errHas: `time "yesterday"`},
		{name: "bad currency", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "currency": "ZZZ"}`, code: 2, errHas: `currency "ZZZ"`},
		{name: "bad tip", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "tip": "x"}`, code: 2, errHas: "tip"},
		{name: "bad group", args: []string{"receipt", "render"}, stdin: `{"settlement": {"totals": [{"group": "moon", "type": "sale", "amount": "1"}]}}`, code: 2, errHas: `group "moon"`},
		{name: "bad channel", args: []string{"receipt", "render"}, stdin: `{"settlement": {"totals": [{"channel": "moon", "type": "sale", "amount": "1"}]}}`, code: 2, errHas: `group "moon"`},
		{name: "bad funding", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "card": {"funding": "gift"}}`, code: 2, errHas: `funding "gift"`},
		{name: "bad fee", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "fee": "x"}`, code: 2, errHas: "fee"},
		{name: "bad installment", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "installment": {"periods": 3, "each": "x"}}`, code: 2, errHas: "installment each"},
		{name: "bad dcc currency", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "dcc": {"currency": "ZZZ"}}`, code: 2, errHas: "dcc"},
		{name: "bad dcc amount", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "dcc": {"currency": "USD", "amount": "1.001"}}`, code: 2, errHas: "dcc"},
		{name: "bad logo", args: []string{"receipt", "render", "-logo", sale}, stdin: saleJSON, code: 2, errHas: "-logo"},
		{name: "bad total type", args: []string{"receipt", "render"}, stdin: `{"settlement": {"totals": [{"channel": "qr", "type": "x", "amount": "1"}]}}`, code: 2, errHas: "totals[0]"},
		{name: "bad total amount", args: []string{"receipt", "render"}, stdin: `{"settlement": {"totals": [{"channel": "qr", "type": "sale", "amount": "-1"}]}}`, code: 2, errHas: "totals[0]"},
		{name: "bad settlement currency", args: []string{"receipt", "render"}, stdin: `{"settlement": {"currency": "ZZZ"}}`, code: 2, errHas: "settlement"},
		{name: "bad format", args: []string{"receipt", "render", "-format", "pdf"}, code: 2, errHas: `-format "pdf"`},
		{name: "bad paper", args: []string{"receipt", "render", "-paper", "A4"}, code: 2, errHas: `-paper "A4"`},
		{name: "bad lang", args: []string{"receipt", "render", "-lang", "fr"}, code: 2, errHas: `-lang "fr"`},
		{name: "bad mask", args: []string{"receipt", "render", "-mask", "none"}, code: 2, errHas: `-mask "none"`},
		{name: "bad codepage", args: []string{"receipt", "render", "-codepage", "utf8"}, code: 2, errHas: `-codepage "utf8"`},
		{name: "html all", args: []string{"receipt", "render", "-format", "html", "-copy", "all"}, code: 2, errHas: "-copy all"},
		{name: "bad copy flag", args: []string{"receipt", "render", "-copy", "shop"}, stdin: saleJSON, code: 2, errHas: "-copy"},
		{name: "bad limit", args: []string{"receipt", "render", "-no-signature-limit", "x"}, stdin: saleJSON, code: 2, errHas: "-no-signature-limit"},
		{name: "two files", args: []string{"receipt", "render", "a.json", "b.json"}, code: 2, errHas: "at most one"},
		{name: "missing file", args: []string{"receipt", "render", filepath.Join(dir, "none.json")}, code: 2, errHas: "none.json"},
		{name: "instalments and DCC", args: []string{"receipt", "render", "-lang", "en"}, stdin: instalDCCJSON, golden: "receipt_instal_dcc.txt.golden"},
		{name: "traditional", args: []string{"receipt", "render", "-lang", "bilingual-hant"}, stdin: saleJSON, golden: "receipt_sale_hant.txt.golden"},
		{name: "settlement by group", args: []string{"receipt", "render", "-paper", "80-42"}, stdin: strings.ReplaceAll(settleText, `"channel"`, `"group"`), golden: "receipt_settlement.txt.golden"},
		// the package refuses the slip: exit 1
		{name: "chinese on pc437", args: []string{"receipt", "render", "-codepage", "pc437"}, stdin: saleJSON, code: 1, errHas: "code page cannot print"},
		{name: "bad dcc rate", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "dcc": {"currency": "USD", "amount": "1.00", "rate": "x", "markup": "1"}}`, code: 1, errHas: "rate"},
		{name: "bad expiry", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "card": {"pan": "6224242900000113", "expiry": "2899"}}`, code: 1, errHas: "invalid expiry"},
		{name: "bad pan", args: []string{"receipt", "render"}, stdin: `{"amount": "1.00", "card": {"pan": "12345"}}`, code: 1, errHas: "PAN"},
		{name: "bad barcode", args: []string{"receipt", "render", "-format", "escpos"}, stdin: `{"amount": "1.00", "barcode": "条码"}`, code: 1, errHas: "not printable"},
		{name: "write error", args: []string{"receipt", "render", "-o", filepath.Join(dir, "no", "dir", "x.bin")}, stdin: saleJSON, code: 1, errHas: "writing"},
	})
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0x1B, 0x40}) {
		t.Errorf("ESC/POS file does not start with ESC @: % X", b[:min(len(b), 8)])
	}
	// Every copy masks the PAN; the expiry is not printed by default.
	for _, args := range [][]string{{"receipt", "render", "-copy", "all"}, {"receipt", "render", "-format", "html"}, {"receipt", "render", "-format", "escpos"}} {
		r := poskit(t, saleJSON, args...)
		if strings.Contains(r.stdout, "6224242900000113") || strings.Contains(r.stdout, "2806") {
			t.Errorf("%v prints the PAN or expiry", args)
		}
	}
}
