package main

import (
	"fmt"
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

func tlvDecode(e *env, args []string) error {
	fs := newFlags(e, "tlv decode", "[-in hex|raw] [-strict] [-kernel K] [-json] DATA",
		`Describes EMV BER-TLV data (ISO 8583 field 55, a card response, a record)
as a tree: tag, dictionary name and decoded value. PANs show their first 6
and last 4 digits, track data only its masked PAN, names and secrets only
their length. Card padding (00, FF) is skipped unless -strict; -unmask shows sensitive
values in hex. Exit status 1
for malformed TLV (the objects before the fault are still printed).`,
		`poskit tlv decode 9F2608C2C12B098F3DA6E39F2701809F360200015A0862242429000001135F340101
  9F26 Application Cryptogram: C2C12B098F3DA6E3
  ...`)
	in := fs.String("in", "hex", "input format: hex or raw")
	strict := fs.Bool("strict", false, "read strictly (no padding, definite lengths only)")
	kernel := fs.String("kernel", "emv", "names of kernel-dependent tags: emv, mastercard, visa, unionpay")
	unmask := fs.Bool("unmask", false, "show sensitive values (PAN, track 2, names) in hex")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	k, ok := map[string]emv.Kernel{"emv": emv.KernelEMV, "mastercard": emv.KernelMastercard,
		"visa": emv.KernelVisa, "unionpay": emv.KernelUnionPay}[*kernel]
	if !ok {
		return usagef("-kernel %q: want emv, mastercard, visa or unionpay", *kernel)
	}
	mode := emv.Lenient
	if *strict {
		mode = emv.Strict
	}
	data, err := dataInput(e, fs, *in, "TLV data")
	if err != nil {
		return err
	}
	if !*asJSON && !*unmask {
		if err := emv.Describe(e.stdout, data, emv.DescribeMode(mode), emv.DescribeKernel(k)); err != nil {
			return fmt.Errorf("malformed TLV: %w", err)
		}
		return nil
	}
	// JSON: the same masked values, as a tree.
	var root []tlvJSON
	var stack []*[]tlvJSON // stack[d] is the list objects of depth d go to
	s := emv.NewScannerMode(data, mode)
	for s.Next() {
		d := s.Depth()
		if d == 0 {
			stack = []*[]tlvJSON{&root}
		} else {
			stack = stack[:d+1]
		}
		name := "(unknown)"
		if info, ok := emv.LookupKernel(s.Tag(), k); ok {
			name = info.Name
		}
		obj := tlvJSON{Tag: s.Tag().String(), Name: name, Length: s.Len()}
		if !s.Constructed() || s.Opaque() {
			if *unmask && emv.IsSensitive(s.Tag()) {
				obj.Value = upperHex(s.Value())
			} else if emv.IsSensitive(s.Tag()) {
				obj.Description = emv.DescribeValue(s.Tag(), s.Value())
			} else {
				obj.Value = upperHex(s.Value())
				if desc := emv.DescribeValue(s.Tag(), s.Value()); desc != obj.Value {
					obj.Description = desc
				}
			}
		}
		list := stack[d]
		*list = append(*list, obj)
		if s.Constructed() && !s.Opaque() {
			last := &(*list)[len(*list)-1]
			stack = append(stack, &last.Children)
		}
	}
	err = s.Err()
	if *asJSON {
		if err != nil {
			return fmt.Errorf("malformed TLV: %w", err)
		}
		return writeJSON(e.stdout, root)
	}
	// -unmask in text: the tree of Describe, sensitive values in hex.
	var write func(list []tlvJSON, depth int)
	write = func(list []tlvJSON, depth int) {
		for _, o := range list {
			fmt.Fprintf(e.stdout, "%s%s %s", strings.Repeat("  ", depth), o.Tag, o.Name)
			switch {
			case o.Description != "":
				fmt.Fprintf(e.stdout, ": %s", o.Description)
			case o.Value != "":
				fmt.Fprintf(e.stdout, ": %s", o.Value)
			}
			fmt.Fprintln(e.stdout)
			write(o.Children, depth+1)
		}
	}
	write(root, 0)
	if err != nil {
		fmt.Fprintf(e.stdout, "error: %v\n", err)
		return fmt.Errorf("malformed TLV: %w", err)
	}
	return nil
}
