package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/mac"
)

func runDUKPT(e *env, args []string) error {
	return verbs(e, "dukpt", args, map[string]func(*env, []string) error{
		"derive": dukptDerive,
	})
}

// dukptUsages are the names of -usage, in output order.
var dukptUsages = []struct {
	name string
	u    dukpt.Usage
	aes  bool // AES DUKPT only
}{
	{"pin", dukpt.PINEncryption, false},
	{"mac-gen", dukpt.MACGeneration, false},
	{"mac-ver", dukpt.MACVerification, false},
	{"mac-both", dukpt.MACBoth, true},
	{"data-enc", dukpt.DataEncryption, false},
	{"data-dec", dukpt.DataDecryption, false},
	{"data-both", dukpt.DataBoth, true},
	{"key-enc", dukpt.KeyEncryption, true},
}

var dukptKeyTypes = map[string]dukpt.KeyType{
	"tdes2": dukpt.TDES2, "tdes3": dukpt.TDES3, "aes128": dukpt.AES128, "aes192": dukpt.AES192, "aes256": dukpt.AES256,
}

type dukptKeyJSON struct {
	Usage string `json:"usage"`
	Key   string `json:"key"`
	KCV   string `json:"kcv"`
}

type dukptJSON struct {
	Algorithm      string         `json:"algorithm"`
	KSN            string         `json:"ksn"`
	Counter        uint32         `json:"counter"`
	InitialKey     string         `json:"initial_key"`
	InitialKCV     string         `json:"initial_key_kcv"`
	TransactionKey string         `json:"transaction_key"`
	KeyType        string         `json:"key_type,omitempty"`
	Keys           []dukptKeyJSON `json:"keys"`
}

func dukptDerive(e *env, args []string) error {
	fs := newFlags(e, "dukpt derive", "-bdk HEX -ksn HEX [-usage U] [-type T] [-json]",
		`Derives, as a host does, the keys of the transaction a KSN names: the
terminal's initial key (IPEK), the transaction (intermediate) key and the
working keys with their check values. A 10-byte (20 hex digit) KSN selects TDES
DUKPT (ANSI X9.24-1:2009, 16-byte BDK); a 12-byte (24 hex digit) KSN selects
AES DUKPT (ANSI X9.24-3:2017, 16-, 24- or 32-byte BDK) with working keys of
-type. Usages: pin, mac-gen, mac-ver, data-enc, data-dec, and for AES also
mac-both, data-both, key-enc; "all" (the default) prints every usage the
algorithm defines. Exit status 1 for a counter the standard does not allow.`,
		`poskit dukpt derive -bdk 0123456789ABCDEFFEDCBA9876543210 -ksn FFFF9876543210E00001 -usage pin
  TDES DUKPT (X9.24-1:2009), KSN FFFF9876543210E00001, counter 1
  initial key      6AC292FAA1315B4D858AB3A3D7D5933A  KCV AF8C07
  transaction key  042666B49184CFA368DE9628D0397BC9
  pin              042666B49184CF5C68DE9628D0397B36  KCV A10107`)
	bdkSrc := secretFlag(fs, "bdk", "base derivation key in hex")
	ksnHex := fs.String("ksn", "", "key serial number in hex (20 digits TDES, 24 digits AES)")
	usage := fs.String("usage", "all", "working key usage, comma separated, or all")
	typ := fs.String("type", "", "AES DUKPT working key type: tdes2, tdes3, aes128, aes192, aes256 (default: the BDK's AES type)")
	anyCounter := fs.Bool("any-counter", false, "AES: derive working keys for any counter, such as the update key at FFFFFFFF (X9.24-3 test values)")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	bdk, err := bdkSrc.key(e)
	if err != nil {
		return err
	}
	if *ksnHex == "" {
		return usagef("missing -ksn")
	}
	ksn, err := parseHex("-ksn", *ksnHex, false)
	if err != nil {
		return err
	}
	if len(ksn) != 10 && len(ksn) != 12 {
		return usagef("-ksn has %d bytes: want 10 (TDES DUKPT) or 12 (AES DUKPT)", len(ksn))
	}
	usages, err := dukptUsageList(*usage, len(ksn) == 12)
	if err != nil {
		return err
	}
	var out dukptJSON
	switch {
	case len(ksn) == 12:
		out, err = dukptDeriveAES(bdk, ksn, usages, *typ, *anyCounter)
	case *typ != "":
		return usagef("-type is for AES DUKPT; TDES DUKPT working keys are double-length TDES")
	case *anyCounter:
		return usagef("-any-counter is for AES DUKPT")
	default:
		out, err = dukptDeriveTDES(bdk, ksn, usages)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, out)
	}
	out.print(e.stdout)
	return nil
}

// dukptUsageList reads -usage: names separated by commas, or "all".
func dukptUsageList(list string, isAES bool) ([]int, error) {
	var usages []int
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		found := false
		for i, u := range dukptUsages {
			if name == "all" && (isAES || !u.aes) || name == u.name {
				if u.aes && !isAES {
					return nil, usagef("-usage %s exists for AES DUKPT only", u.name)
				}
				usages = append(usages, i)
				found = true
			}
		}
		if !found {
			return nil, usagef("-usage %q: want all or pin, mac-gen, mac-ver, mac-both, data-enc, data-dec, data-both, key-enc", name)
		}
	}
	return usages, nil
}

// dukptDeriveAES derives the AES DUKPT keys of a 12-byte KSN.
func dukptDeriveAES(bdk, ksn []byte, usages []int, typ string, anyCounter bool) (dukptJSON, error) {
	out := dukptJSON{Algorithm: "AES DUKPT (X9.24-3:2017)", KSN: upperHex(ksn)}
	kt := map[int]dukpt.KeyType{16: dukpt.AES128, 24: dukpt.AES192, 32: dukpt.AES256}[len(bdk)]
	if typ != "" {
		var ok bool
		if kt, ok = dukptKeyTypes[strings.ToLower(typ)]; !ok {
			return out, usagef("-type %q: want tdes2, tdes3, aes128, aes192 or aes256", typ)
		}
	}
	k, err := dukpt.ParseAESKSN(upperHex(ksn))
	if err != nil {
		return out, fmt.Errorf("-ksn: %w", err)
	}
	out.Counter = k.Counter()
	id := k.InitialKeyID()
	ik, err := dukpt.AESInitialKey(bdk, id[:])
	if err != nil {
		return out, fmt.Errorf("initial key from a %d-byte BDK: %w", len(bdk), err)
	}
	out.InitialKey = upperHex(ik)
	if out.InitialKCV, err = kcvHex(mac.AESKCV, ik); err != nil {
		return out, err
	}
	tk, err := dukpt.AESIntermediateKey(bdk, ksn)
	if err != nil {
		return out, fmt.Errorf("transaction key: %w", err)
	}
	out.TransactionKey = upperHex(tk)
	out.KeyType = kt.String()
	kcv := mac.KCV
	if kt == dukpt.AES128 || kt == dukpt.AES192 || kt == dukpt.AES256 {
		kcv = mac.AESKCV
	}
	for _, i := range usages {
		u := dukptUsages[i]
		var wk []byte
		if anyCounter {
			wk, err = dukpt.AESWorkingKey(tk, ksn, u.u, kt)
		} else {
			wk, err = dukpt.AESKey(bdk, ksn, u.u, kt)
		}
		if err != nil {
			return out, fmt.Errorf("%s key (%v): %w", u.name, kt, err)
		}
		if err := out.add(u.name, wk, kcv); err != nil {
			return out, err
		}
	}
	return out, nil
}

// dukptDeriveTDES derives the TDES DUKPT keys of a 10-byte KSN.
func dukptDeriveTDES(bdk, ksn []byte, usages []int) (dukptJSON, error) {
	out := dukptJSON{Algorithm: "TDES DUKPT (X9.24-1:2009)", KSN: upperHex(ksn)}
	k, err := dukpt.TDESKSNFromBytes(ksn)
	if err != nil {
		return out, fmt.Errorf("-ksn: %w", err)
	}
	out.Counter = k.Counter()
	ik, err := dukpt.TDESInitialKey(bdk, ksn)
	if err != nil {
		return out, fmt.Errorf("initial key from a %d-byte BDK: %w", len(bdk), err)
	}
	out.InitialKey = upperHex(ik)
	if out.InitialKCV, err = kcvHex(mac.KCV, ik); err != nil {
		return out, err
	}
	tk, err := dukpt.TDESTransactionKey(bdk, ksn)
	if err != nil {
		return out, fmt.Errorf("transaction key: %w", err)
	}
	out.TransactionKey = upperHex(tk)
	for _, i := range usages {
		u := dukptUsages[i]
		wk, err := dukpt.TDESKey(bdk, ksn, u.u)
		if err != nil {
			return out, fmt.Errorf("%s key: %w", u.name, err)
		}
		if err := out.add(u.name, wk, mac.KCV); err != nil {
			return out, err
		}
	}
	return out, nil
}

// print writes the derivation as text.
func (o *dukptJSON) print(w io.Writer) {
	fmt.Fprintf(w, "%s, KSN %s, counter %d\n", o.Algorithm, o.KSN, o.Counter)
	fmt.Fprintf(w, "%-16s %s  KCV %s\n", "initial key", o.InitialKey, o.InitialKCV)
	fmt.Fprintf(w, "%-16s %s\n", "transaction key", o.TransactionKey)
	if o.KeyType != "" {
		fmt.Fprintf(w, "working keys     %s\n", o.KeyType)
	}
	for _, k := range o.Keys {
		fmt.Fprintf(w, "%-16s %s  KCV %s\n", k.Usage, k.Key, k.KCV)
	}
}

func (o *dukptJSON) add(usage string, key []byte, kcv func([]byte) ([]byte, error)) error {
	v, err := kcvHex(kcv, key)
	if err != nil {
		return err
	}
	o.Keys = append(o.Keys, dukptKeyJSON{Usage: usage, Key: upperHex(key), KCV: v})
	return nil
}

func kcvHex(kcv func([]byte) ([]byte, error), key []byte) (string, error) {
	v, err := kcv(key)
	if err != nil {
		return "", fmt.Errorf("check value of a %d-byte key: %w", len(key), err)
	}
	return upperHex(v), nil
}
