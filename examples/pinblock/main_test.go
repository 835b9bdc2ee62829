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
		"041274EDCBA9876F", // ANSI X9.24-1:2009 A.4: clear format 0 block, PIN 1234, PAN 4012345678909
		"1B9C1845EB993A7A", // ... and the block under the PIN key of KSN FFFF9876543210E00001
		"host: block deciphers, PIN matches: true",
		"under a wrong key: pinblock:",
		"format 4 deciphers, PIN matches: true",
		"Detect on the clear block: format 0",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestRunOtherCard(t *testing.T) {
	var out bytes.Buffer
	// ISO 9564-1 format 0: PIN 1234, PAN 5432101234567891 → 041215FEDCBA9876
	if err := run(&out, []string{"-pan", "5432101234567891"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "041215FEDCBA9876") {
		t.Errorf("output:\n%s", out.String())
	}
	for _, args := range [][]string{{"-pin", "12"}, {"-pan", "12x"}, {"-bad"}} {
		if err := run(&out, args); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}
