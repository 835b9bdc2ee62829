package main

import (
	"bytes"
	"strings"
	"testing"
)

// secrets must never appear in a trace or a log: the test card's PAN as
// text, as BCD in a hex dump and as ASCII digits in a hex dump, its track 2
// and its PIN block field.
func checkNoSecrets(t *testing.T, out string) {
	t.Helper()
	for _, s := range []string{
		card.PAN,
		"47 61 73 90 01 01 01 19",
		"34 37 36 31 37 33 39 30 30 31 30 31 30 31 31 39",
		card.track2(),
		transferTo, // the payee card of the transfer, as text and as ASCII in a dump
		"36 32 31 32 33 34 30 30 30 30 30 30 30 30 30 30 30 34 32",
	} {
		if strings.Contains(out, s) {
			t.Errorf("output shows %q", s)
		}
	}
}

// The whole journey, for every spec and DUKPT scheme, with the trace and
// the receipts.
func TestJourney(t *testing.T) {
	for _, spec := range []string{"ascii", "cup"} {
		for _, dk := range []string{"tdes", "aes"} {
			t.Run(spec+"-"+dk, func(t *testing.T) {
				var out bytes.Buffer
				if err := run(&out, []string{"-spec", spec, "-dukpt", dk}); err != nil {
					t.Fatalf("run: %v\n%s", err, out.String())
				}
				s := out.String()
				for _, want := range []string{
					"signed on",
					"PIK KCV", "check values match",
					"the card accepted the issuer's ARPC",
					"merchant fee: 0.77 (card, 0.6%), net 127.23",           // 0.6% of 128.00
					"merchant fee: 0.33 (contactless-qr, 0.38%), net 87.67", // 0.38% of 88.00
					"wallet: POSKIT NOODLE BAR, SHANGHAI 88.00",
					"voided: STAN", "refunded: STAN",
					"no answer from the host in time",
					"but its answer is lost in the network",
					"host: POS00001: reversal of STAN",
					// the download, ODA with a downloaded key, the transfer
					"downloaded: 3 CA keys [A000000333/E1 A000000333/E2 A000000003/E1], 3 AIDs",
					"hot-card list version 1 (4 entries)",
					"terminal ⇄ host 0800/0810 CA public key download end",
					"ODA: DDA ok with CA key A000000003/E1",
					"terminal action analysis: TVR 0000008000, ARQC (go online)",
					"transfer fee: 2.60 (transfer: 0.1%, at least 2.00, at most 25.00)",
					"host: POS00001: transfer STAN",
					"transferred: STAN",
					"参数下载结果单", "TRANSFER SLIP",
					// 128.00 + 66.00 reversed + 2600.00 and 2.60 of fee
					"terminal totals: 3 debits 2818.60, 1 credits 28.00",
					"host totals:     3 debits 2818.60, 1 credits 28.00",
					"reconciled: terminal 3 debits 2818.60, 1 credits 28.00; host 3 debits 2818.60, 1 credits 28.00; 0 reversals queued: balanced",
					"settled: 00",
					"terminal → host 0200", "terminal ← host 0210",
					"terminal → host 0400", "terminal → host 0500",
					"商户存根", "持卡人存根", // merchant and cardholder copies
					"结算", // settlement slip
				} {
					if !strings.Contains(s, want) {
						t.Errorf("output lacks %q", want)
					}
				}
				checkNoSecrets(t, s)
				if t.Failed() {
					t.Log(s)
				}
			})
		}
	}
}

func TestLanguagesAndQuiet(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, []string{"-lang", "en"}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "MERCHANT COPY") || strings.Contains(s, "商户存根") {
		t.Errorf("-lang en: want English slips only")
	}
	out.Reset()
	if err := run(&out, []string{"-lang", "zh", "-quiet"}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); strings.Contains(s, "terminal → host") || strings.Contains(s, "商户存根") || !strings.Contains(s, "settled: 00") {
		t.Errorf("-quiet: want the steps only, got\n%s", s)
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-spec", "x"}, {"-dukpt", "des"}, {"-lang", "fr"}, {"-nope"},
		{"-faults", "lost=5%"}, {"-faults", "drop=5%"}, {"-serve", "10.1.2.3:8583"},
		{"-host", "127.0.0.1:1"}, {"-serve", "127.0.0.1:0", "-load", "2"},
		{"-load", "1", "-host", "127.0.0.1:1", "-faults", "drop=1%"},
	} {
		var out bytes.Buffer
		if err := run(&out, args); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}

func TestPrivateData(t *testing.T) {
	p := privateData{tagKSN: "FFFF9876543210E00001", tagQROp: "ORDER"}
	s := p.encode()
	if s != "KS020FFFF9876543210E00001QO005ORDER" {
		t.Fatalf("encode: %q", s)
	}
	q, err := parsePrivate(s)
	if err != nil || len(q) != 2 || q[tagKSN] != p[tagKSN] || q[tagQROp] != "ORDER" {
		t.Fatalf("parse: %v %v", q, err)
	}
	for _, bad := range []string{"KS", "KS02", "KS0AB", "KS005ABC", "KS-01x", "KS+01x"} {
		if _, err := parsePrivate(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	if got := maskPrivate("PB004ABCD", nil); got != "PB004****" {
		t.Errorf("mask: %q", got)
	}
}
