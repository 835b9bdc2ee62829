package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The X9.19 example of docs/VECTORS.md ("MACs"), with the key given in each
// of the forms that keep it out of the shell history.
func TestSecretForms(t *testing.T) {
	const key = "7CA110454A1A6E570131D9619DC1376E"
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "mak.hex")
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("POSKIT_TEST_MAK", key)
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
	}{
		{"flag", []string{"-key", key}, ""},
		{"file", []string{"-key-file", keyFile}, ""},
		{"env", []string{"-key-env", "POSKIT_TEST_MAK"}, ""},
		{"stdin", []string{"-key", "-"}, key + "\n"},
	} {
		var out, errOut bytes.Buffer
		args := append([]string{"mac", "-alg", "x919", "-in", "raw"}, tc.args...)
		args = append(args, "Hello World !!!!")
		code := run(args, strings.NewReader(tc.stdin), &out, &errOut)
		if code != 0 || strings.TrimSpace(out.String()) != "F09B856213BAB83B" {
			t.Errorf("%s: exit %d, out %q, err %q", tc.name, code, out.String(), errOut.String())
		}
	}
}

// Misused secret flags are usage errors that never echo the value.
func TestSecretErrors(t *testing.T) {
	const key = "7CA110454A1A6E570131D9619DC1376E"
	t.Setenv("POSKIT_TEST_EMPTY", "  ")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-key", key, "-key-env", "HOME"}, "give one of -key, -key-file and -key-env"},
		{[]string{"-key-env", "POSKIT_TEST_UNSET_VARIABLE"}, "POSKIT_TEST_UNSET_VARIABLE is not set"},
		{[]string{"-key-env", "POSKIT_TEST_EMPTY"}, "-key is empty"},
		{[]string{"-key-file", filepath.Join(t.TempDir(), "none")}, "-key-file"},
		{[]string{"-key", key[:31] + "Z"}, "-key is not hexadecimal"},
		{nil, "missing -key"},
	} {
		var out, errOut bytes.Buffer
		args := append([]string{"mac", "-alg", "x919", "-in", "raw"}, tc.args...)
		args = append(args, "data")
		code := run(args, strings.NewReader(""), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errOut.String(), tc.want)
		}
		if strings.Contains(errOut.String(), key[:16]) {
			t.Errorf("%v: the key leaks into %q", tc.args, errOut.String())
		}
	}
}

// A PIN comes from -pin-file as from -pin, and never from the command line
// only.
func TestPINFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "pin")
	if err := os.WriteFile(f, []byte("1234\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	// ISO 9564-1 format 0, docs/VECTORS.md: PIN 1234, PAN 5432101234567891.
	code := run([]string{"pinblock", "encode", "-format", "0", "-pin-file", f, "-pan", "5432101234567891"}, nil, &out, &errOut)
	if code != 0 || strings.TrimSpace(out.String()) != "041215FEDCBA9876" {
		t.Errorf("exit %d, out %q, err %q", code, out.String(), errOut.String())
	}
}

// Reading from a terminal starts with a one-line hint on stderr. /dev/null
// is a character device, as a terminal is.
func TestTerminalHint(t *testing.T) {
	tty, err := os.Open(os.DevNull)
	if err != nil {
		t.Skip(err)
	}
	defer tty.Close()
	if !isTerminal(tty) {
		t.Skip("the null device is not a character device here")
	}
	var out, errOut bytes.Buffer
	code := run([]string{"kcv"}, tty, &out, &errOut)
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if code != 2 || !strings.Contains(lines[0], "reading the key from the terminal; end with Ctrl-D") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	if isTerminal(strings.NewReader("")) {
		t.Error("a strings.Reader is a terminal")
	}
}

// Every subcommand with verbs lists them, each with an example.
func TestVerbHelp(t *testing.T) {
	for name := range commands {
		var out, errOut bytes.Buffer
		if code := run([]string{name, "-h"}, nil, &out, &errOut); code != 0 {
			t.Errorf("%s -h: exit %d, %q", name, code, errOut.String())
			continue
		}
		if !strings.Contains(out.String(), "verbs:") {
			continue // a subcommand without verbs prints its flags
		}
		for _, line := range strings.Split(out.String(), "\n") {
			if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
				verb := strings.Fields(line)[0]
				if !strings.Contains(out.String(), "poskit "+name+" "+verb) {
					t.Errorf("%s -h: no example for %s:\n%s", name, verb, out.String())
				}
			}
		}
	}
}

// An error is written once, on stderr: never also on stdout.
func TestErrorsOnce(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		stdin string
	}{
		{[]string{"tlv", "decode"}, "9F2608C20039"},
		{[]string{"tlv", "decode", "-unmask"}, "9F2608C20039"},
		{[]string{"iso8583", "decode"}, "0200FFFF"},
		{[]string{"pinblock", "decode", "-format", "0", "-pan", "4012345678909", "FFFFFFFFFFFFFFFF"}, ""},
		{[]string{"kcv", "-alg", "aes", "0011"}, ""},
	} {
		var out, errOut bytes.Buffer
		code := run(tc.args, strings.NewReader(tc.stdin), &out, &errOut)
		msg := strings.TrimSpace(errOut.String())
		if code == 0 || msg == "" {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, msg)
			continue
		}
		if strings.Contains(out.String(), "error") || strings.Count(errOut.String(), "poskit ") != 1+strings.Count(errOut.String(), "run 'poskit") {
			t.Errorf("%v: stdout %q, stderr %q", tc.args, out.String(), errOut.String())
		}
	}
}

// The message MAC key of iso8583 encode comes from the environment as from
// the flag (the UnionPay MAC example of docs/VECTORS.md).
func TestISO8583MACKeyEnv(t *testing.T) {
	t.Setenv("POSKIT_TEST_CUP_MAK", "2222222222222222")
	var out, errOut bytes.Buffer
	code := run([]string{"iso8583", "encode", "-mac-alg", "cup", "-mac-key-env", "POSKIT_TEST_CUP_MAK"}, strings.NewReader(saleFields), &out, &errOut)
	if code != 0 || out.String() != signedSale+"\n" {
		t.Errorf("exit %d, out %q, err %q", code, out.String(), errOut.String())
	}
}
