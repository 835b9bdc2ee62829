package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// result is what one run of the command printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// poskit runs the command in process with stdin as its standard input.
func poskit(t testing.TB, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return result{out.String(), errOut.String(), code}
}

// cmdCase is one invocation and what it must produce.
type cmdCase struct {
	name   string
	args   []string
	stdin  string
	code   int
	stdout string // exact standard output, when golden is empty
	golden string // file under testdata holding the expected standard output
	errHas string // a substring standard error must contain
}

func runCases(t *testing.T, cases []cmdCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := poskit(t, c.stdin, c.args...)
			if r.code != c.code {
				t.Fatalf("poskit %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), r.code, c.code, r.stdout, r.stderr)
			}
			switch {
			case c.golden != "":
				checkGolden(t, c.golden, r.stdout)
			case c.code == 0 || c.stdout != "":
				if r.stdout != c.stdout {
					t.Errorf("poskit %s:\n got: %q\nwant: %q", strings.Join(c.args, " "), r.stdout, c.stdout)
				}
			}
			if c.errHas != "" && !strings.Contains(r.stderr, c.errHas) {
				t.Errorf("stderr %q does not contain %q", r.stderr, c.errHas)
			}
			if c.code == 0 && r.stderr != "" {
				t.Errorf("unexpected stderr on success: %q", r.stderr)
			}
			if c.code != 0 && r.stderr == "" {
				t.Errorf("exit %d without a message on stderr", c.code)
			}
		})
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestTopLevel(t *testing.T) {
	runCases(t, []cmdCase{
		{name: "no args", args: nil, code: 2, errHas: "usage: poskit SUBCOMMAND"},
		{name: "unknown", args: []string{"frobnicate"}, code: 2, errHas: `unknown subcommand "frobnicate"`},
		{name: "unknown verb", args: []string{"qr", "scan"}, code: 2, errHas: `unknown verb "scan"`},
		{name: "missing verb", args: []string{"tlv"}, code: 2, errHas: "missing verb"},
	})
	for _, args := range [][]string{{"-h"}, {"help"}, {"help", "kcv"}} {
		r := poskit(t, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "usage: poskit") {
			t.Errorf("poskit %v: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
	r := poskit(t, "", "-h")
	for name := range commands {
		if !strings.Contains(r.stdout, "  "+name+" ") {
			t.Errorf("top usage does not list %s", name)
		}
	}
}

// Every subcommand and verb answers -h on standard output with an example,
// and exit status 0; an unknown flag is a usage error.
func TestHelpEverySubcommand(t *testing.T) {
	all := [][]string{
		{"kcv"}, {"mac"}, {"qr", "decode"}, {"qr", "encode"}, {"receipt", "render"},
		{"pinblock", "encode"}, {"pinblock", "decode"}, {"pinblock", "encrypt"}, {"pinblock", "decrypt"},
		{"dukpt", "derive"}, {"tlv", "decode"}, {"fee", "quote"}, {"iso8583", "decode"}, {"iso8583", "encode"},
	}
	for _, cmd := range all {
		name := strings.Join(cmd, " ")
		r := poskit(t, "", append(cmd, "-h")...)
		if r.code != 0 {
			t.Errorf("%s -h: exit %d (%s)", name, r.code, r.stderr)
		}
		for _, want := range []string{"usage: poskit " + name, "example:", "flags:"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s -h: no %q in\n%s", name, want, r.stdout)
			}
		}
		r = poskit(t, "", append(cmd, "-no-such-flag")...)
		if r.code != 2 || !strings.Contains(r.stderr, "no-such-flag") {
			t.Errorf("%s -no-such-flag: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
	// A verb command's own -h lists its verbs.
	for _, cmd := range []string{"qr", "receipt", "pinblock", "dukpt", "tlv", "fee", "iso8583"} {
		r := poskit(t, "", cmd, "-h")
		if r.code != 0 || !strings.Contains(r.stdout, "usage: poskit "+cmd) {
			t.Errorf("%s -h: exit %d, %q", cmd, r.code, r.stdout)
		}
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	// Flags may follow the input; "--" ends them.
	r := poskit(t, "", "kcv", "0123456789ABCDEFFEDCBA9876543210", "-json")
	if r.code != 0 || !strings.Contains(r.stdout, `"kcv": "08D7B4"`) {
		t.Fatalf("kcv KEY -json: %+v", r)
	}
	r = poskit(t, "", "mac", "-alg", "cup", "-key", "2222222222222222", "-in", "raw", "--", "-json")
	if r.code != 0 || strings.Contains(r.stdout, "{") {
		t.Fatalf("mac -- -json: %+v", r)
	}
}

func readGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("device not ready") }

// Standard input that is absent or fails.
func TestInputErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"kcv"}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "no key given and no standard input") {
		t.Errorf("nil stdin: exit %d, %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"tlv", "decode"}, errReader{}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "device not ready") {
		t.Errorf("failing stdin: exit %d, %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"receipt", "render"}, errReader{}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "device not ready") {
		t.Errorf("failing stdin: exit %d, %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"mac", "-alg", "x919", "-key", "-", "00"}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "no -key given and no standard input") {
		t.Errorf("-key -: exit %d, %q", code, errOut.String())
	}
}
