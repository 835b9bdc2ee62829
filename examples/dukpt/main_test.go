package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/poskit/poskit/mac"
)

func TestTDES(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	// ANSI X9.24-1:2009 annex A.4: encrypted PIN blocks and request MACs
	// of counters 1 to 3, and the IPEK (shown by its KCV, computed here).
	ipek, _ := hex.DecodeString("6AC292FAA1315B4D858AB3A3D7D5933A")
	kcv, _ := mac.KCV(ipek)
	for _, want := range []string{
		fmt.Sprintf("IPEK KCV %X", kcv),
		"key block B0120B1TX00N0300KS18FFFF9876543210E00000KC0C00" + fmt.Sprintf("%X", kcv),
		"KSN FFFF9876543210E00001", "1B9C1845EB993A7A", "MAC 9CCC7817",
		"KSN FFFF9876543210E00002", "10A01C8D02C69107", "MAC F608A9BC",
		"KSN FFFF9876543210E00003", "18DC07B94797B466", "MAC 20B59A4F",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "false") {
		t.Errorf("a host check failed:\n%s", s)
	}
}

func TestAES(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, []string{"-aes", "-n", "2"}); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	// ANSI X9.24-3:2017 test vectors: initial key and the AES-128 PIN keys
	// of counters 1 and 2, shown by their KCVs.
	var want []string
	for _, k := range []string{"1273671EA26AC29AFA4D1084127652A1", "AF8CB133A78F8DC2D1359F18527593FB", "D30BDC73EC9714B000BEC66BDB7B6D09"} {
		b, _ := hex.DecodeString(k)
		kcv, _ := mac.AESKCV(b)
		want = append(want, fmt.Sprintf("KCV %X", kcv))
	}
	want = append(want, "KSN 123456789012345600000001", "KSN 123456789012345600000002",
		"key block D0160B1AX00N0300IK141234567890123456KC1001"+want[0][4:])
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("output lacks %q:\n%s", w, s)
		}
	}
	if strings.Contains(s, "false") {
		t.Errorf("a host check failed:\n%s", s)
	}
}

func TestFlags(t *testing.T) {
	var out bytes.Buffer
	for _, args := range [][]string{{"-n", "0"}, {"-n", "x"}, {"-what"}} {
		if err := run(&out, args); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}
