package main

import (
	"fmt"
	"strings"

	"github.com/poskit/poskit/mac"
)

// macAlgorithm is one choice of "poskit mac -alg".
type macAlgorithm struct {
	name, about string
	padded      bool // takes an ISO 9797-1 padding
	newAlg      func(key []byte, p mac.Padding) (mac.Algorithm, error)
}

// macAlgorithms names the algorithms of "poskit mac -alg".
var macAlgorithms = []macAlgorithm{
	{"x919", "ANSI X9.19 retail MAC = ISO 9797-1 algorithm 3, 16- or 24-byte key", true, mac.NewISO9797Alg3},
	{"x99", "ANSI X9.9 = ISO 9797-1 algorithm 1 with an 8-byte DES key", true, mac.NewISO9797Alg1},
	{"alg1", "ISO 9797-1 algorithm 1 (CBC-MAC), 8-, 16- or 24-byte key", true, mac.NewISO9797Alg1},
	{"alg3", "ISO 9797-1 algorithm 3 (same as x919)", true, mac.NewISO9797Alg3},
	{"aes-cmac", "AES-CMAC (NIST SP 800-38B, RFC 4493), 16-, 24- or 32-byte key", false,
		func(k []byte, _ mac.Padding) (mac.Algorithm, error) { return mac.NewAESCMAC(k) }},
	{"tdes-cmac", "TDES CMAC (NIST SP 800-38B), 16- or 24-byte key", false,
		func(k []byte, _ mac.Padding) (mac.Algorithm, error) { return mac.NewTDESCMAC(k) }},
	{"cup", "China UnionPay POS \"ECB\" MAC, 8- or 16-byte key; 8 ASCII characters", false,
		func(k []byte, _ mac.Padding) (mac.Algorithm, error) { return mac.NewCUPECB(k) }},
}

func macAlgNames() string {
	var b strings.Builder
	for _, a := range macAlgorithms {
		fmt.Fprintf(&b, "\n  %-9s %s", a.name, a.about)
	}
	return b.String()
}

// macAlgorithmOf returns the algorithm -alg names.
func macAlgorithmOf(name string) (macAlgorithm, error) {
	if name == "" {
		return macAlgorithm{}, usagef("missing -alg: one of%s", macAlgNames())
	}
	for _, a := range macAlgorithms {
		if a.name == strings.ToLower(name) {
			return a, nil
		}
	}
	return macAlgorithm{}, usagef("-alg %q: unknown algorithm; want one of%s", name, macAlgNames())
}

func runMAC(e *env, args []string) error {
	fs := newFlags(e, "mac", "-alg ALG -key HEX [-pad 1|2|3] [-in hex|raw] [-len N] [-verify MAC] [-json] DATA",
		`Computes the MAC of DATA (hex by default; -in raw takes the argument's or
standard input's bytes as they are) and prints it in hex, or checks it against
-verify in constant time (exit status 1 on a mismatch). The UnionPay MAC is 8
ASCII characters: it is printed, and -verify compares it, as text.
Algorithms:`+macAlgNames(),
		`poskit mac -alg x919 -key 7CA110454A1A6E570131D9619DC1376E -in raw 'Hello World !!!!'
  F09B856213BAB83B
poskit mac -alg x919 -key 7CA110454A1A6E570131D9619DC1376E -in raw -verify F09B8562 'Hello World !!!!'
  MAC verified`)
	algName := fs.String("alg", "", "MAC algorithm (see above)")
	keySrc := secretFlag(fs, "key", "MAC key in hex")
	pad := fs.Int("pad", 1, "ISO 9797-1 padding method for x919, x99, alg1, alg3: 1 (zeros), 2 (0x80 then zeros), 3 (length block)")
	in := fs.String("in", "hex", "input format: hex or raw")
	n := fs.Int("len", 0, "print only the leftmost N bytes (0: the full MAC)")
	verify := fs.String("verify", "", "expected MAC (hex; text for cup): verify instead of printing")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	a, err := macAlgorithmOf(*algName)
	if err != nil {
		return err
	}
	padding := mac.Padding(*pad)
	if a.padded && (padding < mac.Method1 || padding > mac.Method3) {
		return usagef("-pad %d: want 1, 2 or 3", *pad)
	}
	key, err := keySrc.key(e)
	if err != nil {
		return err
	}
	if a.name == "x99" && len(key) != 8 {
		return usagef("-alg x99 takes an 8-byte DES key, got %d bytes (use alg1 for TDES)", len(key))
	}
	data, err := dataInput(e, fs, *in, "data")
	if err != nil {
		return err
	}
	m, err := a.newAlg(key, padding)
	if err != nil {
		return fmt.Errorf("-alg %s with a %d-byte key: %w", a.name, len(key), err)
	}
	if *n < 0 || *n > m.Size() {
		return usagef("-len %d: want 0 to %d for %s", *n, m.Size(), a.name)
	}
	if *verify != "" {
		return macVerify(e, a.name, m, data, *verify, *asJSON)
	}
	tag := m.MAC(data)
	if *n > 0 {
		tag = tag[:*n]
	}
	text := upperHex(tag)
	if a.name == "cup" {
		text = string(tag)
	}
	if *asJSON {
		r := struct {
			Algorithm string `json:"algorithm"`
			Padding   string `json:"padding,omitempty"`
			MAC       string `json:"mac"`
			MACHex    string `json:"mac_hex,omitempty"`
		}{Algorithm: a.name, MAC: text}
		if a.padded {
			r.Padding = padding.String()
		}
		if a.name == "cup" {
			r.MACHex = upperHex(tag)
		}
		return writeJSON(e.stdout, r)
	}
	fmt.Fprintln(e.stdout, text)
	return nil
}

// macVerify checks data's MAC against -verify: hex, or the 8 characters of
// the UnionPay MAC, compared over as many bytes as the operator gave.
func macVerify(e *env, alg string, m mac.Algorithm, data []byte, verify string, asJSON bool) error {
	var tag []byte
	if alg == "cup" {
		tag = []byte(strings.TrimSpace(verify))
	} else {
		var err error
		if tag, err = parseHex("-verify", verify, false); err != nil {
			return err
		}
	}
	if len(tag) < mac.MinTagLength || len(tag) > m.Size() {
		return usagef("-verify: a MAC of %d bytes; %s takes %d to %d", len(tag), alg, mac.MinTagLength, m.Size())
	}
	ok := mac.VerifyTruncated(m, data, tag, len(tag)) // the operator gave this many bytes
	if asJSON {
		if err := writeJSON(e.stdout, struct {
			Algorithm string `json:"algorithm"`
			Verified  bool   `json:"verified"`
		}{alg, ok}); err != nil {
			return err
		}
	} else if ok {
		fmt.Fprintln(e.stdout, "MAC verified")
	}
	if !ok {
		return fmt.Errorf("MAC mismatch (%s, %d-byte MAC)", alg, len(tag))
	}
	return nil
}
