package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/poskit/poskit/keyblock"
)

func runKeyBlock(e *env, args []string) error {
	return verbs(e, "keyblock", args, map[string]func(*env, []string) error{
		"wrap":    keyBlockWrap,
		"unwrap":  keyBlockUnwrap,
		"inspect": keyBlockInspect,
	})
}

// keyBlockJSON is what inspect and unwrap print.
type keyBlockJSON struct {
	Version       string            `json:"version"`
	Length        int               `json:"length"`
	Usage         string            `json:"key_usage"`
	Algorithm     string            `json:"algorithm"`
	Mode          string            `json:"mode_of_use"`
	KeyVersion    string            `json:"key_version"`
	Exportability string            `json:"exportability"`
	Context       string            `json:"key_context"`
	Blocks        []keyBlockOptJSON `json:"optional_blocks"`
	KeyLength     int               `json:"key_length,omitempty"`
	Key           string            `json:"key,omitempty"`
	KCV           string            `json:"kcv,omitempty"`
}

type keyBlockOptJSON struct {
	ID   string `json:"id"`
	Data string `json:"data"`
}

func describeKeyBlock(h keyblock.Header, length int) keyBlockJSON {
	ctx := h.Context
	if ctx == 0 {
		ctx = '0'
	}
	out := keyBlockJSON{Version: string(h.Version), Length: length, Usage: h.Usage, Algorithm: string(h.Algorithm),
		Mode: string(h.Mode), KeyVersion: h.KeyVersion, Exportability: string(h.Exportability), Context: string(ctx),
		Blocks: []keyBlockOptJSON{}}
	for _, b := range h.Blocks {
		out.Blocks = append(out.Blocks, keyBlockOptJSON{b.ID, b.Data})
	}
	return out
}

func printKeyBlock(e *env, d keyBlockJSON) {
	fmt.Fprintf(e.stdout, "version        %s (%s)\n", d.Version, keyBlockVersions[d.Version])
	fmt.Fprintf(e.stdout, "length         %d\n", d.Length)
	fmt.Fprintf(e.stdout, "key usage      %s\n", d.Usage)
	fmt.Fprintf(e.stdout, "algorithm      %s\n", d.Algorithm)
	fmt.Fprintf(e.stdout, "mode of use    %s\n", d.Mode)
	fmt.Fprintf(e.stdout, "key version    %s\n", d.KeyVersion)
	fmt.Fprintf(e.stdout, "exportability  %s\n", d.Exportability)
	fmt.Fprintf(e.stdout, "key context    %s\n", d.Context)
	for _, b := range d.Blocks {
		fmt.Fprintf(e.stdout, "block %s       %s\n", b.ID, b.Data)
	}
	if d.KeyLength > 0 {
		fmt.Fprintf(e.stdout, "key            %s\n", d.Key)
		if d.KCV != "" {
			fmt.Fprintf(e.stdout, "KCV            %s\n", d.KCV)
		}
	}
}

var keyBlockVersions = map[string]string{
	"A": "TDES, key variant binding, deprecated",
	"B": "TDES, key derivation binding",
	"C": "TDES, key variant binding, deprecated",
	"D": "AES, key derivation binding",
}

// keyBlockText returns the key block from the arguments or standard input.
func keyBlockText(e *env, fs *flag.FlagSet) (string, error) {
	s, err := textInput(e, fs, "key block")
	if err != nil {
		return "", err
	}
	return strings.Join(strings.Fields(s), ""), nil
}

func keyBlockInspect(e *env, args []string) error {
	fs := newFlags(e, "keyblock inspect", "[-json] KEYBLOCK",
		`Shows the header and optional blocks of an ANSI X9.143 (TR-31) key block
without a key: version, length, key usage, algorithm, mode of use, key version,
exportability, key context and each optional block (the padding block
removed). The structure and the X9.143 header rules are checked; the MAC is
not (that needs the KBPK: use unwrap).`,
		`poskit keyblock inspect B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627`)
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	kb, err := keyBlockText(e, fs)
	if err != nil {
		return err
	}
	h, err := keyblock.ParseHeader(kb)
	if err != nil {
		return err
	}
	d := describeKeyBlock(h, len(kb))
	if *asJSON {
		return writeJSON(e.stdout, d)
	}
	printKeyBlock(e, d)
	return nil
}

func keyBlockUnwrap(e *env, args []string) error {
	fs := newFlags(e, "keyblock unwrap", "-kbpk HEX [-unmask] [-json] KEYBLOCK",
		`Authenticates an ANSI X9.143 (TR-31) key block under the key block protection
key and shows its header and the key's check value. The key itself is masked
unless -unmask is given. Versions A, B, C (TDES KBPK) and D (AES KBPK). Exit
status 1 when the MAC does not verify (wrong KBPK or modified block) or an
X9.143 rule is broken.`,
		`poskit keyblock unwrap -kbpk-env KBPK D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34
  ...
  key            16 bytes (masked; -unmask shows it)
  KCV            08793E25AB`)
	kbpkSrc := secretFlag(fs, "kbpk", "key block protection key in hex")
	unmask := fs.Bool("unmask", false, "print the key in clear")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if kbpkSrc.value == "-" && (fs.NArg() == 0 || fs.Arg(0) == "-") {
		return usagef("-kbpk - reads standard input: give the key block as an argument")
	}
	kbpk, err := kbpkSrc.key(e)
	if err != nil {
		return err
	}
	kb, err := keyBlockText(e, fs)
	if err != nil {
		return err
	}
	h, key, err := keyblock.Unwrap(kbpk, kb)
	if err != nil {
		return err
	}
	d := describeKeyBlock(h, len(kb))
	d.KeyLength = len(key)
	d.Key = fmt.Sprintf("%d bytes (masked; -unmask shows it)", len(key))
	if *unmask {
		d.Key = upperHex(key)
	}
	method := keyblock.KCVLegacy
	if h.Algorithm == 'A' {
		method = keyblock.KCVCMAC
	}
	if kcv, err := keyblock.CheckValue(h.Algorithm, key, method); err == nil {
		d.KCV = upperHex(kcv)
	}
	clear(key)
	if *asJSON {
		return writeJSON(e.stdout, d)
	}
	printKeyBlock(e, d)
	return nil
}

// optFlags collects repeated -opt ID=DATA flags.
type optFlags []keyblock.Block

func (o *optFlags) String() string { return fmt.Sprint(len(*o)) }

func (o *optFlags) Set(s string) error {
	id, data, ok := strings.Cut(s, "=")
	if !ok || len(id) != 2 {
		return errors.New("want ID=DATA with a 2-character ID")
	}
	*o = append(*o, keyblock.Block{ID: id, Data: data})
	return nil
}

func keyBlockWrap(e *env, args []string) error {
	fs := newFlags(e, "keyblock wrap", "-kbpk HEX -key HEX -header HEADER [-opt ID=DATA]...",
		`Wraps a key in an ANSI X9.143 (TR-31) key block under the key block
protection key. -header gives the first 16 characters of the block (version,
a length that is recomputed, key usage, algorithm, mode of use, key version,
exportability, an optional block count that is recomputed, key context, '0');
-opt adds an optional block (repeat it; "-opt KC=01" and "-opt KP=01" compute
the check values). Versions B (TDES KBPK) and D (AES KBPK); -legacy allows A and
C, which X9.143 deprecates. The key and the KBPK may come from files,
environment variables or standard input (-key-file, -key-env, -key -).`,
		`poskit keyblock wrap -kbpk-env KBPK -key-env IPEK -header D0000B1AX00N0000 -opt IK=1234567890123456 -opt KC=01`)
	kbpkSrc := secretFlag(fs, "kbpk", "key block protection key in hex")
	keySrc := secretFlag(fs, "key", "the key to wrap, in hex")
	header := fs.String("header", "", "16-character header template, such as D0000P0AE00E0000")
	legacy := fs.Bool("legacy", false, "allow versions A and C (key variant binding, deprecated by X9.143)")
	var opts optFlags
	fs.Var(&opts, "opt", "optional block ID=DATA (repeatable)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if kbpkSrc.value == "-" && keySrc.value == "-" {
		return usagef("only one of -kbpk and -key can read standard input")
	}
	if len(*header) != 16 {
		return usagef("-header: want 16 characters, such as D0000P0AE00E0000")
	}
	t := *header
	h := keyblock.Header{Version: t[0], Usage: t[5:7], Algorithm: t[7], Mode: t[8], KeyVersion: t[9:11],
		Exportability: t[11], Blocks: opts}
	if t[14] != '0' {
		h.Context = t[14]
	}
	kbpk, err := kbpkSrc.key(e)
	if err != nil {
		return err
	}
	key, err := keySrc.key(e)
	if err != nil {
		return err
	}
	defer clear(key)
	kb, err := keyblock.Wrapper{LegacyVariantBinding: *legacy}.Wrap(kbpk, h, key)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, kb)
	return nil
}
