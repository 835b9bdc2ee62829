// Command poskit is a tool for people debugging card payments: it decodes
// and encodes ISO 8583 messages, EMV TLV data and EMVCo QR payloads, forms
// and reads PIN blocks, derives DUKPT keys, computes MACs and key check
// values, quotes merchant fees and renders POS receipts.
//
// Install it with
//
//	go install github.com/poskit/poskit/cmd/poskit@latest
//
// and run "poskit help" for the list of subcommands, or "poskit SUBCOMMAND -h"
// for the flags and an example of one. Input comes from the arguments or,
// when there are none, from standard input. PANs and track data in decoded
// messages are masked unless -unmask is given; errors never echo keys.
//
// Exit status: 0 when the operation succeeded, 1 when it failed (a MAC or
// PIN block that does not verify, data that does not decode, a key the
// operation refuses), 2 for a usage error (unknown subcommand or flag,
// missing or malformed argument).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env is what a subcommand reads from and writes to.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	doc            *verbDoc // when set, newFlags records its text here
}

// verbDoc is what a subcommand's usage says of it.
type verbDoc struct{ synopsis, about, example string }

// describe returns the usage text of one verb, by running it with -h
// against an env that records what newFlags is given and prints nothing.
func describe(f func(*env, []string) error) verbDoc {
	var d verbDoc
	_ = f(&env{stdout: io.Discard, stderr: io.Discard, doc: &d}, []string{"-h"})
	return d
}

// firstSentence returns the text up to the first full stop that ends a
// sentence (one followed by a capital letter, not the stop of "e.g.").
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && s[i+2] >= 'A' && s[i+2] <= 'Z' &&
			!strings.HasSuffix(s[:i], "e.g") && !strings.HasSuffix(s[:i], "i.e") {
			return s[:i+1]
		}
	}
	return s
}

// command is one subcommand.
type command struct {
	summary string
	run     func(e *env, args []string) error
}

// commands maps each subcommand name to its implementation. Commands with
// verbs (iso8583 decode) dispatch on their first argument themselves.
var commands map[string]command

func init() {
	commands = map[string]command{
		"kcv":      {"key check value of a DES, TDES or AES key", runKCV},
		"mac":      {"compute or verify a MAC (X9.9, X9.19, ISO 9797-1, CMAC, UnionPay)", runMAC},
		"qr":       {"decode or encode an EMVCo QR payload (qr decode|encode)", runQR},
		"receipt":  {"render a POS slip from JSON as text, ESC/POS or HTML (receipt render)", runReceipt},
		"pinblock": {"ISO 9564 PIN blocks (pinblock encode|decode|encrypt|decrypt)", runPINBlock},
		"dukpt":    {"derive TDES or AES DUKPT keys (dukpt derive)", runDUKPT},
		"tlv":      {"describe EMV BER-TLV data such as field 55 (tlv decode)", runTLV},
		"fee":      {"quote a merchant fee from a schedule, or rewrite a schedule canonically (fee quote|fmt)", runFee},
		"iso8583":  {"decode or encode ISO 8583 messages, export a spec (iso8583 decode|encode|spec)", runISO8583},
		"keyblock": {"wrap, unwrap or inspect ANSI X9.143 (TR-31) key blocks (keyblock wrap|unwrap|inspect)", runKeyBlock},
	}
}

// knownVerbs are the verbs of the subcommands, for messages.
var knownVerbs = map[string]bool{"decode": true, "encode": true, "render": true, "encrypt": true,
	"decrypt": true, "derive": true, "quote": true, "fmt": true, "spec": true, "wrap": true,
	"unwrap": true, "inspect": true}

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef returns a usageError.
func usagef(format string, a ...any) error {
	return &usageError{fmt.Sprintf(format, a...)}
}

// errHelp reports that -h was given and the usage printed: exit status 0.
var errHelp = errors.New("help requested")

// errSilent is a failure whose message has already been written: exit
// status 1 without a further message.
var errSilent = errors.New("failed")

// run runs the poskit command line args (without the program name) and
// returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		topUsage(stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && name == "help" {
			if _, ok := commands[args[1]]; ok {
				return exitCode(e, args[1], commands[args[1]].run(e, []string{"-h"}))
			}
		}
		topUsage(stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "poskit: unknown subcommand %q\n", name)
		topUsage(stderr)
		return 2
	}
	if len(args) > 1 && knownVerbs[args[1]] {
		name += " " + args[1] // the verb: "poskit qr decode"
	}
	return exitCode(e, name, c.run(e, args[1:]))
}

// exitCode reports err on stderr and maps it to an exit status.
func exitCode(e *env, name string, err error) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errSilent):
		return 1
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "poskit %s: %v\n", name, err)
		fmt.Fprintf(e.stderr, "run 'poskit %s -h' for usage\n", name)
		return 2
	default:
		fmt.Fprintf(e.stderr, "poskit %s: %v\n", name, err)
		return 1
	}
}

func topUsage(w io.Writer) {
	fmt.Fprint(w, `poskit is a tool for debugging card payments.

usage: poskit SUBCOMMAND [flags] [input]

subcommands:
`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, `
Input comes from the arguments or, when there are none, from standard input.
Run 'poskit SUBCOMMAND -h' for the flags and an example.
Exit status: 0 ok, 1 the operation failed, 2 usage error.
`)
}

// verbs dispatches a subcommand with verbs ("qr decode", "qr encode").
func verbs(e *env, name string, args []string, table map[string]func(*env, []string) error) error {
	list := make([]string, 0, len(table))
	for v := range table {
		list = append(list, v)
	}
	sort.Strings(list)
	if len(args) == 0 {
		return usagef("missing verb: poskit %s %s", name, strings.Join(list, "|"))
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		fmt.Fprintf(e.stdout, "usage: poskit %s VERB [flags] [input]\n\nverbs:\n", name)
		for _, v := range list {
			d := describe(table[v])
			example, _, _ := strings.Cut(strings.TrimSpace(d.example), "\n")
			fmt.Fprintf(e.stdout, "  %-8s %s\n           e.g. %s\n", v, firstSentence(d.about), example)
		}
		fmt.Fprintf(e.stdout, "\nrun 'poskit %s VERB -h' for the flags of a verb\n", name)
		return errHelp
	}
	f, ok := table[args[0]]
	if !ok {
		return usagef("unknown verb %q: want one of %s", args[0], strings.Join(list, ", "))
	}
	return f(e, args[1:])
}
