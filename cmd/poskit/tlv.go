package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/poskit/poskit/emv"
)

func runTLV(e *env, args []string) error {
	return verbs(e, "tlv", args, map[string]func(*env, []string) error{
		"decode": tlvDecode,
	})
}

type tlvJSON struct {
	Tag         string    `json:"tag"`
	Name        string    `json:"name"`
	Length      int       `json:"length"`
	Value       string    `json:"value,omitempty"`
	Description string    `json:"description,omitempty"`
	Children    []tlvJSON `json:"children,omitempty"`
}

// tlvOptions are the flags of tlv decode.
type tlvOptions struct {
	mode   emv.Mode
	kernel emv.Kernel
	unmask bool
}

var kernels = map[string]emv.Kernel{"emv": emv.KernelEMV, "mastercard": emv.KernelMastercard,
	"visa": emv.KernelVisa, "unionpay": emv.KernelUnionPay}

func tlvDecode(e *env, args []string) error {
	fs := newFlags(e, "tlv decode", "[-in hex|raw] [-strict] [-kernel K] [-json] DATA",
		`Describes EMV BER-TLV data (ISO 8583 field 55, a card response, a record)
as a tree: tag, dictionary name and decoded value, read as the kernel
defines it (9F5D is an amount for Visa, not for Mastercard). Amounts use
the exponent of the currency in 5F2A (ISO 4217), dates the EMV century
rule (YY 00-49 is 20YY). A trailing ISO 7816-4 status word (9000, 6A82 ...)
after well-formed TLV is split off and explained. PANs show their first 6
and last 4 digits, track data only its masked PAN, names and secrets only
their length. Card padding (00, FF) is skipped unless -strict; -unmask
shows sensitive values in hex. Exit status 1 for malformed TLV (the
objects before the fault are still printed).`,
		`poskit tlv decode 9F360201579000
  9F36 Application Transaction Counter (ATC): 0157
  status word: 9000 (normal processing)`)
	in := fs.String("in", "hex", "input format: hex or raw")
	strict := fs.Bool("strict", false, "read strictly (no padding, definite lengths only)")
	kernel := fs.String("kernel", "emv", "kernel of kernel-dependent tags: emv, mastercard, visa, unionpay")
	unmask := fs.Bool("unmask", false, "show sensitive values (PAN, track 2, names) in hex")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	k, ok := kernels[*kernel]
	if !ok {
		return usagef("-kernel %q: want emv, mastercard, visa or unionpay", *kernel)
	}
	o := tlvOptions{mode: emv.Lenient, kernel: k, unmask: *unmask}
	if *strict {
		o.mode = emv.Strict
	}
	data, err := dataInput(e, fs, *in, "TLV data")
	if err != nil {
		return err
	}
	body, sw, hasSW := emv.SplitStatusWord(data)
	if *asJSON {
		return tlvJSONOut(e.stdout, body, sw, hasSW, o)
	}
	if !o.unmask {
		// Describe ends a tree it could not finish with an "error:" line;
		// the command reports the error once, on stderr.
		var tree bytes.Buffer
		err = emv.Describe(&tree, body, emv.DescribeMode(o.mode), emv.DescribeKernel(o.kernel))
		out := tree.Bytes()
		if err != nil {
			if i := bytes.LastIndex(out, []byte("error: ")); i >= 0 && (i == 0 || out[i-1] == '\n') {
				out = out[:i]
			}
		}
		if _, werr := e.stdout.Write(out); werr != nil && err == nil {
			err = werr
		}
	} else {
		root, serr := tlvTree(body, o)
		writeTree(e.stdout, root, 0)
		err = serr
	}
	if hasSW {
		fmt.Fprintf(e.stdout, "status word: %v\n", sw)
	}
	if err != nil {
		return fmt.Errorf("malformed TLV: %w", err)
	}
	return nil
}

// tlvJSONOut writes the tree as JSON: a list of objects, or, when the data
// ends with a status word, an object with "objects" and "status_word".
func tlvJSONOut(w io.Writer, data []byte, sw emv.StatusWord, hasSW bool, o tlvOptions) error {
	root, err := tlvTree(data, o)
	if err != nil {
		return fmt.Errorf("malformed TLV: %w", err)
	}
	if hasSW {
		return writeJSON(w, struct {
			Objects    []tlvJSON `json:"objects"`
			StatusWord string    `json:"status_word"`
		}{root, sw.String()})
	}
	return writeJSON(w, root)
}

// tlvTree reads data into a tree of masked (or, with unmask, clear)
// values, up to the first fault.
func tlvTree(data []byte, o tlvOptions) ([]tlvJSON, error) {
	var root []tlvJSON
	var stack []*[]tlvJSON // stack[d] is the list objects of depth d go to
	s := emv.NewScannerMode(data, o.mode)
	for s.Next() {
		d := s.Depth()
		if d == 0 {
			stack = []*[]tlvJSON{&root}
		} else {
			stack = stack[:d+1]
		}
		name := "(unknown)"
		if info, ok := emv.LookupKernel(s.Tag(), o.kernel); ok {
			name = info.Name
		}
		obj := tlvJSON{Tag: s.Tag().String(), Name: name, Length: s.Len()}
		if !s.Constructed() || s.Opaque() {
			tlvValue(&obj, s.Tag(), s.Value(), data, o)
		}
		list := stack[d]
		*list = append(*list, obj)
		if s.Constructed() && !s.Opaque() {
			last := &(*list)[len(*list)-1]
			stack = append(stack, &last.Children)
		}
	}
	return root, s.Err()
}

// tlvValue fills the value and description of one primitive object.
func tlvValue(obj *tlvJSON, t emv.Tag, v, data []byte, o tlvOptions) {
	desc := emv.DescribeValueOf(t, v, emv.DescribeKernel(o.kernel), emv.DescribeContext(data))
	switch {
	case emv.IsSensitive(t) && o.unmask:
		obj.Value = upperHex(v)
	case emv.IsSensitive(t):
		obj.Description = desc
	default:
		obj.Value = upperHex(v)
		if desc != obj.Value {
			obj.Description = desc
		}
	}
}

// writeTree writes the tree as Describe's text.
func writeTree(w io.Writer, list []tlvJSON, depth int) {
	for _, o := range list {
		fmt.Fprintf(w, "%s%s %s", strings.Repeat("  ", depth), o.Tag, o.Name)
		switch {
		case o.Description != "":
			fmt.Fprintf(w, ": %s", o.Description)
		case o.Value != "":
			fmt.Fprintf(w, ": %s", o.Value)
		}
		fmt.Fprintln(w)
		writeTree(w, o.Children, depth+1)
	}
}
