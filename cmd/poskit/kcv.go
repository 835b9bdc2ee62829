package main

import (
	"fmt"
	"strings"

	"github.com/poskit/poskit/mac"
)

func runKCV(e *env, args []string) error {
	fs := newFlags(e, "kcv", "[-alg des|aes] [-json] KEY...",
		`Prints the key check value of each key: for DES and TDES keys (8, 16 or 24
bytes) the first 3 bytes of the key enciphering a zero block (ANSI X9.24-1);
for AES keys (-alg aes; 16, 24 or 32 bytes) the first 5 bytes of the CMAC of
a zero block (ANSI X9.24-3). Keys come from the arguments or standard input,
one per line.`,
		`poskit kcv 0123456789ABCDEFFEDCBA9876543210
  08D7B4`)
	alg := fs.String("alg", "des", "key algorithm: des (DES and TDES) or aes")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	var kcv func([]byte) ([]byte, error)
	switch *alg {
	case "des", "tdes":
		kcv = mac.KCV
	case "aes":
		kcv = mac.AESKCV
	default:
		return usagef("-alg %q: want des or aes", *alg)
	}
	keys := fs.Args()
	if len(keys) == 0 || (len(keys) == 1 && keys[0] == "-") {
		b, err := readAll(e, "key")
		if err != nil {
			return err
		}
		keys = splitLines(string(b))
		if len(keys) == 0 {
			return usagef("no key given (argument or standard input)")
		}
	}
	type result struct {
		Algorithm string `json:"algorithm"`
		Length    int    `json:"key_length"`
		KCV       string `json:"kcv"`
	}
	var out []result
	for i, k := range keys {
		key, err := parseHex(fmt.Sprintf("key %d", i+1), k, true)
		if err != nil {
			return err
		}
		v, err := kcv(key)
		if err != nil {
			return fmt.Errorf("key %d (%d bytes): %w", i+1, len(key), err)
		}
		out = append(out, result{Algorithm: *alg, Length: len(key), KCV: upperHex(v)})
	}
	if *asJSON {
		if len(out) == 1 {
			return writeJSON(e.stdout, out[0])
		}
		return writeJSON(e.stdout, out)
	}
	for _, r := range out {
		fmt.Fprintln(e.stdout, r.KCV)
	}
	return nil
}

// splitLines returns the non-empty, trimmed lines of s.
func splitLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}
