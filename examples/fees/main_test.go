package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"chip         fee    60.00  net    9940.00", // 0.6% of 10,000.00
		"wechat-pay   fee    38.00  net    9962.00", // 0.38%
		"issuer   0.35%       13.00 (capped)",       // 2016 reform: debit issuer fee capped at 13.00
		"network  0.0325%      3.25",
		"fee 26.25, net 9973.75",
		"charge 10060.36 (fee 60.36)", // 10060.36 × 0.6% = 60.36, net 10,000.00
		"total gross 16666.67",
		"terminal 10000001 gross    6666.67 fees    40.01", // the card sale less a third refunded
		"terminal 10000002 gross   10000.00 fees    38.00",
		"pre-auth         fee     0.00",
		"completion       fee    60.00",
		"balance-inquiry  fee     0.30",
		"2. 2026-11-21 at 0.6%  fee    40.00", // 60.00 at 0.6%, 40.00 left of the 100.00 daily cap
		"4. 2026-11-22 at 0.5%  fee    40.00", // month volume 30,000.00 is past the 20,000.00 band
		"cross-border 1.5%    150.00 USD",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestSmallAmount(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, []string{"-amount", "128.00"}); err != nil {
		t.Fatal(err)
	}
	// 0.6% of 128.00 is 0.768: 0.77 half-up; 0.38% is 0.4864: 0.49
	if s := out.String(); !strings.Contains(s, "fee     0.77") || !strings.Contains(s, "fee     0.49") {
		t.Errorf("output:\n%s", s)
	}
	for _, bad := range []string{"12.345", "abc", "-5.00"} {
		if err := run(&out, []string{"-amount", bad}); err == nil {
			t.Errorf("-amount %s: want an error", bad)
		}
	}
}
