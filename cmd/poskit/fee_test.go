package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The schedule of the fees package's documentation: QR and contactless at
// 0.38% (tiered), debit cards broken down as Interchange++ under the 2016
// caps (NDRC/PBoC 发改价格〔2016〕557号), with an instant-settlement surcharge.
const scheduleJSON = `{
  "name": "shop 42",
  "currency": "CNY",
  "rounding": "half-up",
  "rules": [
    {"name": "qr", "when": {"channels": ["qr", "contactless"]},
     "tiers": [{"up_to": "1000.00", "rate": "0.38%"}, {"rate": "0.6%"}]},
    {"name": "debit", "when": {"channels": ["card"], "funding": ["debit"]},
     "components": [
       {"kind": "issuer", "rate": "0.35%", "cap": "13.00"},
       {"kind": "network", "rate": "0.0325%", "cap": "3.25"},
       {"kind": "acquirer", "rate": "0.1%"}],
     "surcharges": [{"name": "instant", "fixed": "2.00",
       "when": {"settlement": ["D0", "T0"], "min_amount": "11.00",
                "window": {"from": "00:00", "to": "23:00"}}}]}
  ]
}`

// Pricing by transaction kind and currency: pre-authorisation free, a
// balance inquiry 0.30 flat, USD at 2% with a 1.5% cross-border markup.
const kindsJSON = `{
  "name": "kinds",
  "currency": "CNY",
  "rules": [
    {"name": "pre-auth", "when": {"kinds": ["pre-auth"]}},
    {"name": "inquiry", "when": {"kinds": ["balance-inquiry"]}, "fixed": "0.30", "fee_above_amount": true},
    {"name": "usd", "when": {"currency": "USD"}, "rate": "2%",
     "surcharges": [{"name": "cross-border", "component": "markup", "when": {"region": "cross-border"}, "rate": "1.5%"}]},
    {"name": "sale", "when": {"kinds": ["sale", "completion"]}, "rate": "0.6%"}
  ]
}`

func TestFee(t *testing.T) {
	dir := t.TempDir()
	sched := filepath.Join(dir, "schedule.json")
	if err := os.WriteFile(sched, []byte(scheduleJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	kinds := filepath.Join(dir, "kinds.json")
	if err := os.WriteFile(kinds, []byte(kindsJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	runCases(t, []cmdCase{
		// Flat retail rates: 0.38% QR, 0.6% card (fees.FlatRetailQR/Card).
		{name: "flat qr", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "10000.00", "-channel", "wechat-pay"},
			stdout: "rule contactless-qr, amount 10000.00 CNY, fee 38.00, net 9962.00\n  contactless-qr 0.38%          38.00\n"},
		{name: "flat card json", args: []string{"fee", "quote", "-json", "-preset", "flat-retail", "-amount", "10000", "-channel", "chip"}, golden: "fee_flat_card.json.golden"},
		// 2016 reform caps: issuer 0.35% capped at 13.00, network 0.0325% capped at 3.25.
		{name: "china2016 debit", args: []string{"fee", "quote", "-preset", "china2016", "-amount", "10000.00", "-channel", "chip", "-funding", "debit"},
			stdout: "rule debit, amount 10000.00 CNY, fee 26.25, net 9973.75\n  issuer     0.35%          13.00 (capped)\n  network    0.0325%         3.25\n  acquirer   0.1%           10.00\n"},
		{name: "schedule tier 2", args: []string{"fee", "quote", "-schedule", sched, "-amount", "2000.00", "-channel", "alipay"},
			stdout: "rule qr, amount 2000.00 CNY, fee 12.00, net 1988.00\n  qr         0.6%           12.00\n"},
		{name: "schedule surcharge", args: []string{"fee", "quote", "-schedule", sched, "-amount", "11.00", "-channel", "swipe", "-funding", "debit", "-settlement", "D0", "-time", "12:00"},
			golden: "fee_surcharge.golden"},
		{name: "schedule surcharge outside window", args: []string{"fee", "quote", "-schedule", sched, "-amount", "11.00", "-channel", "swipe", "-funding", "debit", "-settlement", "D0", "-time", "2026-11-21T23:30:00+08:00"},
			golden: "fee_surcharge_night.golden"},
		{name: "schedule stdin", args: []string{"fee", "quote", "-schedule", "-", "-amount", "100", "-channel", "contactless"}, stdin: scheduleJSON,
			stdout: "rule qr, amount 100.00 CNY, fee 0.38, net 99.62\n  qr         0.38%           0.38\n"},
		// Kinds, payout and currencies (fees.Transaction fields).
		{name: "kind preauth", args: []string{"fee", "quote", "-schedule", kinds, "-amount", "500.00", "-channel", "chip", "-kind", "pre-auth"},
			stdout: "rule pre-auth, amount 500.00 CNY, fee 0.00, net 500.00\n  pre-auth   0%              0.00\n"},
		{name: "kind inquiry", args: []string{"fee", "quote", "-schedule", kinds, "-amount", "0", "-channel", "chip", "-kind", "balance-inquiry"},
			stdout: "rule inquiry, amount 0.00 CNY, fee 0.30, net -0.30\n  inquiry    0%              0.30\n"},
		{name: "kind usd", args: []string{"fee", "quote", "-schedule", kinds, "-amount", "100.00", "-in", "usd", "-channel", "chip", "-cross-border"},
			stdout: "rule usd, amount 100.00 USD, fee 3.50, net 96.50\n  usd        2%              2.00\n  cross-border 1.5%            1.50\n"},
		{name: "payout D0", args: []string{"fee", "quote", "-schedule", sched, "-amount", "11.00", "-channel", "swipe", "-funding", "debit", "-payout", "D0", "-time", "12:00"},
			golden: "fee_surcharge.golden"},
		{name: "old -settlement", args: []string{"fee", "quote", "-schedule", sched, "-amount", "11.00", "-channel", "swipe", "-funding", "debit", "-settlement", "d0", "-time", "12:00"},
			golden: "fee_surcharge.golden"},
		{name: "fmt", args: []string{"fee", "fmt", "-schedule", sched}, golden: "fee_fmt.golden"},
		{name: "fmt again", args: []string{"fee", "fmt", "-schedule", filepath.Join("testdata", "fee_fmt.golden")}, golden: "fee_fmt.golden"},
		{name: "fmt preset", args: []string{"fee", "fmt", "-preset", "china2016"}, golden: "fee_fmt_china2016.golden"},
		{name: "fmt invalid", args: []string{"fee", "fmt", "-schedule", "-"}, stdin: `{"currency": "CNY", "rules": [{"rate": 0.6}]}`, code: 1, errHas: "write rates as strings"},
		{name: "fmt no schedule", args: []string{"fee", "fmt"}, code: 2, errHas: "missing -schedule"},
		// failures
		{name: "no rule", args: []string{"fee", "quote", "-schedule", sched, "-amount", "100", "-channel", "chip", "-funding", "credit"}, code: 1, errHas: "no rule matches"},
		{name: "invalid schedule", args: []string{"fee", "quote", "-schedule", "-", "-amount", "1", "-channel", "chip"}, stdin: `{"name": "x", "currency": "CNY", "rules": [{"name": "r", "rate": "150%"}]}`, code: 1, errHas: "fees:"},
		// usage errors
		{name: "no schedule", args: []string{"fee", "quote", "-amount", "1", "-channel", "chip"}, code: 2, errHas: "missing -schedule"},
		{name: "both", args: []string{"fee", "quote", "-schedule", sched, "-preset", "flat-retail"}, code: 2, errHas: "not both"},
		{name: "bad preset", args: []string{"fee", "quote", "-preset", "cheap"}, code: 2, errHas: `-preset "cheap"`},
		{name: "no amount", args: []string{"fee", "quote", "-preset", "flat-retail", "-channel", "chip"}, code: 2, errHas: "missing -amount"},
		{name: "bad amount", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1.234", "-channel", "chip"}, code: 2, errHas: "-amount"},
		{name: "no channel", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1"}, code: 2, errHas: "missing -channel"},
		{name: "bad channel", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "cash"}, code: 2, errHas: "-channel \"cash\": want one of swipe, chip"},
		{name: "bad funding", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "chip", "-funding", "gold"}, code: 2, errHas: "-funding"},
		{name: "bad settlement", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "chip", "-settlement", "T2"}, code: 2, errHas: "-settlement"},
		{name: "bad payout", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "chip", "-payout", "T2"}, code: 2, errHas: "-payout \"T2\": want one of T1, D1, T0, D0"},
		{name: "payout and settlement", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "chip", "-payout", "T1", "-settlement", "T1"}, code: 2, errHas: "not also"},
		{name: "bad kind", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "chip", "-kind", "refund"}, code: 2, errHas: "-kind \"refund\": want one of sale, pre-auth"},
		{name: "bad in", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "chip", "-in", "ABC"}, code: 2, errHas: "-in"},
		{name: "in without rule", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "chip", "-in", "USD"}, code: 1, errHas: "fees: invalid currency"},
		{name: "no rule for kind", args: []string{"fee", "quote", "-schedule", kinds, "-amount", "1", "-channel", "chip", "-kind", "cash-advance"}, code: 1, errHas: "no rule matches a cash-advance chip payment"},
		{name: "bad time", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "chip", "-time", "noon"}, code: 2, errHas: "-time"},
		{name: "bad mcc", args: []string{"fee", "quote", "-preset", "flat-retail", "-amount", "1", "-channel", "chip", "-mcc", "12345"}, code: 2, errHas: "-mcc"},
		{name: "bad currency", args: []string{"fee", "quote", "-preset", "flat-retail", "-currency", "XYZ", "-amount", "1", "-channel", "chip"}, code: 2, errHas: "-currency"},
		{name: "china2016 usd", args: []string{"fee", "quote", "-preset", "china2016", "-currency", "USD", "-amount", "1", "-channel", "chip"}, code: 2, errHas: "CNY"},
		{name: "missing file", args: []string{"fee", "quote", "-schedule", filepath.Join(dir, "none.json"), "-amount", "1", "-channel", "chip"}, code: 2, errHas: "none.json"},
	})
}
