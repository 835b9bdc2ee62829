package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/poskit/poskit/pinblock"
)

// randReader is the source of random fill for formats 1, 3 and 4; nil
// means crypto/rand. Tests set it to reproduce published vectors.
var randReader io.Reader

func runPINBlock(e *env, args []string) error {
	return verbs(e, "pinblock", args, map[string]func(*env, []string) error{
		"encode":  pinEncode,
		"decode":  pinDecode,
		"encrypt": pinEncrypt,
		"decrypt": pinDecrypt,
	})
}

// pinFlags are the flags every pinblock verb shares.
type pinFlags struct {
	format *string
	pan    *string
	json   *bool
}

func addPINFlags(fs *flag.FlagSet, formatDefault string) pinFlags {
	return pinFlags{
		format: fs.String("format", formatDefault, "ISO 9564-1 format: 0, 1, 2, 3 or 4 (iso0 ... iso4 also accepted)"),
		pan:    fs.String("pan", "", "primary account number (formats 0 and 3: 13-19 digits; format 4: 1-19)"),
		json:   fs.Bool("json", false, "write JSON"),
	}
}

func parseFormat(s string) (pinblock.Format, error) {
	t := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(s), "iso-"), "iso")
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > 4 {
		return 0, usagef("-format %q: want 0, 1, 2, 3 or 4", s)
	}
	return pinblock.Format(n), nil
}

// pinArg returns the PIN of -pin, -pin-file or -pin-env, or reads it from
// standard input when none is given or -pin is "-" (so that it stays out
// of the shell history).
func pinArg(e *env, src *secret) (string, error) {
	if src.given() {
		return src.text(e)
	}
	b, err := readAll(e, "PIN")
	if err != nil {
		return "", err
	}
	pin := strings.TrimSpace(string(b))
	if pin == "" {
		return "", usagef("missing -pin (or the PIN on standard input)")
	}
	return pin, nil
}

// needPAN checks that formats bound to the PAN got one.
func needPAN(f pinblock.Format, pan string) error {
	if pan == "" && (f == pinblock.ISO0 || f == pinblock.ISO3 || f == pinblock.ISO4) {
		return usagef("format %d needs -pan", f)
	}
	return nil
}

// pinFailure wraps a pinblock error: the input was refused or the block
// is bad (exit status 1).
func pinFailure(op string, f pinblock.Format, err error) error {
	if errors.Is(err, pinblock.ErrBadBlock) {
		return fmt.Errorf("%s %v: bad PIN block (malformed, or another key or PAN): %w", op, f, err)
	}
	return fmt.Errorf("%s %v: %w", op, f, err)
}

type pinJSON struct {
	Format string `json:"format"`
	Block  string `json:"block,omitempty"`
	PIN    string `json:"pin,omitempty"`
}

func writePIN(e *env, asJSON bool, r pinJSON) error {
	if asJSON {
		return writeJSON(e.stdout, r)
	}
	if r.Block != "" {
		fmt.Fprintln(e.stdout, r.Block)
	} else {
		fmt.Fprintln(e.stdout, r.PIN)
	}
	return nil
}

func pinEncode(e *env, args []string) error {
	fs := newFlags(e, "pinblock encode", "-format N -pin PIN [-pan PAN] [-json]",
		`Forms the clear PIN block (formats 0-3, 8 bytes) or, for format 4, the
16-byte plain-text PIN field, and prints it in hex. Formats 1, 3 and 4 take
random fill, so their output changes on every run. Without -pin the PIN is
read from standard input.`,
		`poskit pinblock encode -format 0 -pin 1234 -pan 5432101234567891
  041215FEDCBA9876`)
	pf := addPINFlags(fs, "0")
	pin := secretFlag(fs, "pin", "the PIN, 4-12 digits (none: read standard input)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	f, err := parseFormat(*pf.format)
	if err != nil {
		return err
	}
	if err := needPAN(f, *pf.pan); err != nil {
		return err
	}
	p, err := pinArg(e, pin)
	if err != nil {
		return err
	}
	block, err := pinblock.Encode(f, p, *pf.pan)
	if err != nil {
		return pinFailure("encode", f, err)
	}
	return writePIN(e, *pf.json, pinJSON{Format: f.String(), Block: upperHex(block)})
}

func pinDecode(e *env, args []string) error {
	fs := newFlags(e, "pinblock decode", "[-format N] [-pan PAN] [-json] BLOCK",
		`Reads a clear PIN block (or a format 4 plain-text PIN field) and prints the
PIN, checking the control nibble, length, digits and fill strictly. Without
-format the format is detected from the control nibble. Exit status 1 for a
malformed block.`,
		`poskit pinblock decode -pan 5544332211009966 341277EEEFCCB43C
  1234`)
	pf := addPINFlags(fs, "")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	block, err := dataInput(e, fs, "hex", "PIN block")
	if err != nil {
		return err
	}
	var f pinblock.Format
	if *pf.format == "" {
		if f, err = pinblock.Detect(block); err != nil {
			return fmt.Errorf("cannot tell the format of the block (give -format): %w", err)
		}
	} else if f, err = parseFormat(*pf.format); err != nil {
		return err
	}
	if err := needPAN(f, *pf.pan); err != nil {
		return err
	}
	pin, err := pinblock.Decode(f, block, *pf.pan)
	if err != nil {
		return pinFailure("decode", f, err)
	}
	return writePIN(e, *pf.json, pinJSON{Format: f.String(), PIN: pin})
}

func pinEncrypt(e *env, args []string) error {
	fs := newFlags(e, "pinblock encrypt", "-format N -key HEX -pin PIN [-pan PAN] [-json]",
		`Forms and enciphers a PIN block: formats 0-3 under a TDES key (16 or 24
bytes), format 4 under an AES key (16, 24 or 32 bytes), and prints it in hex.
Without -pin the PIN is read from standard input.`,
		`poskit pinblock encrypt -format 0 -key 042666B49184CF5C68DE9628D0397B36 -pin 1234 -pan 4012345678909
  1B9C1845EB993A7A`)
	pf := addPINFlags(fs, "0")
	keySrc := secretFlag(fs, "key", "PIN encryption key in hex")
	pin := secretFlag(fs, "pin", "the PIN, 4-12 digits (none: read standard input)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	f, err := parseFormat(*pf.format)
	if err != nil {
		return err
	}
	key, err := keySrc.key(e)
	if err != nil {
		return err
	}
	if err := needPAN(f, *pf.pan); err != nil {
		return err
	}
	p, err := pinArg(e, pin)
	if err != nil {
		return err
	}
	c, err := pinblock.NewCipher(f, key)
	if err != nil {
		return pinFailure("encrypt", f, err)
	}
	c.Rand = randReader
	block, err := c.Encrypt(p, *pf.pan)
	if err != nil {
		return pinFailure("encrypt", f, err)
	}
	return writePIN(e, *pf.json, pinJSON{Format: f.String(), Block: upperHex(block)})
}

func pinDecrypt(e *env, args []string) error {
	fs := newFlags(e, "pinblock decrypt", "-format N -key HEX [-pan PAN] [-json] BLOCK",
		`Deciphers a PIN block and prints the PIN, checking the block strictly.
Exit status 1 when the block does not decrypt to a well-formed PIN block
(malformed, another key or another PAN).`,
		`poskit pinblock decrypt -format 0 -key 042666B49184CF5C68DE9628D0397B36 -pan 4012345678909 1B9C1845EB993A7A
  1234`)
	pf := addPINFlags(fs, "0")
	keySrc := secretFlag(fs, "key", "PIN encryption key in hex")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	f, err := parseFormat(*pf.format)
	if err != nil {
		return err
	}
	key, err := keySrc.key(e)
	if err != nil {
		return err
	}
	if err := needPAN(f, *pf.pan); err != nil {
		return err
	}
	block, err := dataInput(e, fs, "hex", "PIN block")
	if err != nil {
		return err
	}
	pin, err := pinblock.Decrypt(f, key, block, *pf.pan)
	if err != nil {
		return pinFailure("decrypt", f, err)
	}
	return writePIN(e, *pf.json, pinJSON{Format: f.String(), PIN: pin})
}
