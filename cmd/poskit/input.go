package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxInput bounds what is read from standard input or a file.
const maxInput = 16 << 20

// newFlags returns a flag set for "poskit name" whose usage shows the
// synopsis, a description and an example.
func newFlags(e *env, name, synopsis, about, example string) *flag.FlagSet {
	if e.doc != nil {
		*e.doc = verbDoc{synopsis: synopsis, about: about, example: example}
	}
	fs := flag.NewFlagSet("poskit "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: poskit %s %s\n\n%s\n", name, synopsis, strings.TrimSpace(about))
		fmt.Fprintf(w, "\nexample:\n  %s\n", strings.ReplaceAll(strings.TrimSpace(example), "\n", "\n  "))
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(w, "\nflags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args with fs. -h prints the usage on stdout and returns
// errHelp; a flag error is a usage error (the flag package has already
// printed what was wrong).
func parse(e *env, fs *flag.FlagSet, args []string) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return errHelp
		}
	}
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(e.stderr)
	// Flags may follow the positional arguments ("poskit kcv KEY -json"),
	// until a "--".
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return usagef("%v", err)
		}
		rest := fs.Args()
		if len(args) > 0 && len(rest) > 0 && len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		i := 0
		for i < len(rest) && (rest[i] == "-" || !strings.HasPrefix(rest[i], "-")) {
			i++
		}
		pos = append(pos, rest[:i]...)
		if i == len(rest) {
			break
		}
		args = rest[i:]
	}
	// Leave exactly the positional arguments in fs.Args().
	return fs.Parse(append([]string{"--"}, pos...))
}

// readAll reads standard input, at most maxInput bytes. When standard
// input is a terminal it first says on stderr what it waits for.
func readAll(e *env, what string) ([]byte, error) {
	r := e.stdin
	if r == nil {
		return nil, usagef("no %s given and no standard input", what)
	}
	if isTerminal(r) {
		fmt.Fprintf(e.stderr, "poskit: reading the %s from the terminal; end with Ctrl-D (or give it as an argument)\n", what)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s from standard input: %w", what, err)
	}
	if len(b) > maxInput {
		return nil, usagef("%s on standard input is larger than %d bytes", what, maxInput)
	}
	return b, nil
}

// readFile reads a named file, or standard input for "-".
func readFile(e *env, path, what string) ([]byte, error) {
	if path == "-" {
		return readAll(e, what)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("%s: %v", what, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	if len(b) > maxInput {
		return nil, usagef("%s %s is larger than %d bytes", what, path, maxInput)
	}
	return b, nil
}

// textInput returns the positional arguments joined by spaces, or standard
// input with surrounding white space trimmed when there are none (or the
// only argument is "-").
func textInput(e *env, fs *flag.FlagSet, what string) (string, error) {
	args := fs.Args()
	if len(args) == 0 || (len(args) == 1 && args[0] == "-") {
		b, err := readAll(e, what)
		if err != nil {
			return "", err
		}
		s := strings.TrimSpace(string(b))
		if s == "" {
			return "", usagef("no %s given (argument or standard input)", what)
		}
		return s, nil
	}
	return strings.Join(args, " "), nil
}

// dataInput returns the input bytes: hex (the default; white space, ':' and
// '-' separators ignored) or raw (the argument's bytes, or standard input
// unchanged).
func dataInput(e *env, fs *flag.FlagSet, format, what string) ([]byte, error) {
	args := fs.Args()
	fromStdin := len(args) == 0 || (len(args) == 1 && args[0] == "-")
	switch format {
	case "hex":
		var s string
		if fromStdin {
			b, err := readAll(e, what)
			if err != nil {
				return nil, err
			}
			s = string(b)
		} else {
			s = strings.Join(args, "")
		}
		b, err := parseHex(what, s, false)
		if err != nil {
			return nil, err
		}
		if len(b) == 0 {
			return nil, usagef("no %s given (argument or standard input)", what)
		}
		return b, nil
	case "raw", "bin", "text":
		if fromStdin {
			return readAll(e, what)
		}
		return []byte(strings.Join(args, " ")), nil
	default:
		return nil, usagef("-in %q: want hex or raw", format)
	}
}

// parseHex decodes hexadecimal text, ignoring white space and the ':' and
// '-' separators of pasted dumps. With secret set the error never quotes the
// text (it may be a key).
func parseHex(what, s string, secret bool) ([]byte, error) {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\r', ':', '-':
		default:
			clean = append(clean, c)
		}
	}
	clean = bytes.TrimPrefix(clean, []byte("0x"))
	b := make([]byte, hex.DecodedLen(len(clean)))
	if _, err := hex.Decode(b, clean); err != nil {
		var ie hex.InvalidByteError
		if errors.As(err, &ie) && !secret {
			return nil, usagef("%s is not hexadecimal: invalid character %q", what, byte(ie))
		}
		if len(clean)%2 == 1 {
			return nil, usagef("%s has an odd number of hex digits (%d)", what, len(clean))
		}
		return nil, usagef("%s is not hexadecimal", what)
	}
	return b, nil
}

// isTerminal reports whether r is a character device such as a terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// secret is a flag that takes a key or a PIN. So that it need not land in
// the shell history it can come from a file (-NAME-file), an environment
// variable (-NAME-env) or standard input (-NAME -) as well as from the
// flag's value; at most one of the three forms may be used.
type secret struct {
	name             string
	value, file, env string
}

// secretFlag registers -NAME, -NAME-file and -NAME-env on fs.
func secretFlag(fs *flag.FlagSet, name, usage string) *secret {
	s := &secret{name: name}
	fs.StringVar(&s.value, name, "", usage+` ("-": read it from standard input)`)
	fs.StringVar(&s.file, name+"-file", "", "read -"+name+" from this file")
	fs.StringVar(&s.env, name+"-env", "", "read -"+name+" from this environment variable")
	return s
}

// given reports whether any form of the secret was used.
func (s *secret) given() bool { return s.value != "" || s.file != "" || s.env != "" }

// text returns the secret's text, trimmed of surrounding white space. Its
// errors name the flag, never the value.
func (s *secret) text(e *env) (string, error) {
	n := 0
	for _, v := range []string{s.value, s.file, s.env} {
		if v != "" {
			n++
		}
	}
	if n > 1 {
		return "", usagef("give one of -%[1]s, -%[1]s-file and -%[1]s-env", s.name)
	}
	var raw string
	switch {
	case s.file != "":
		b, err := readFile(e, s.file, "-"+s.name+"-file")
		if err != nil {
			return "", err
		}
		raw = string(b)
	case s.env != "":
		v, ok := os.LookupEnv(s.env)
		if !ok {
			return "", usagef("-%s-env: %s is not set", s.name, s.env)
		}
		raw = v
	case s.value == "-":
		b, err := readAll(e, "-"+s.name)
		if err != nil {
			return "", err
		}
		raw = string(b)
	default:
		raw = s.value
	}
	t := strings.TrimSpace(raw)
	if t == "" && n > 0 {
		return "", usagef("-%s is empty", s.name)
	}
	return t, nil
}

// key returns the secret as a hex key; it is required.
func (s *secret) key(e *env) ([]byte, error) {
	if !s.given() {
		return nil, usagef("missing -%[1]s (the key in hex; or -%[1]s-file, -%[1]s-env, -%[1]s -)", s.name)
	}
	t, err := s.text(e)
	if err != nil {
		return nil, err
	}
	return parseHex("-"+s.name, t, true)
}

// upperHex writes b as upper-case hex.
func upperHex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// noArgs checks that no positional argument was given.
func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
