package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"

	"github.com/poskit/poskit/iso8583"
)

func runISO8583(e *env, args []string) error {
	return verbs(e, "iso8583", args, map[string]func(*env, []string) error{
		"decode": isoDecode,
		"encode": isoEncode,
		"spec":   isoSpecVerb,
	})
}

// isoSpecOf returns the spec of -spec-file when given, else of -spec.
func isoSpecOf(e *env, name, file string) (*moov.MessageSpec, error) {
	if file == "" {
		return isoSpec(name)
	}
	raw, err := readFile(e, file, "spec description")
	if err != nil {
		return nil, err
	}
	spec, err := iso8583.ImportSpec(raw)
	if err != nil {
		return nil, fmt.Errorf("-spec-file %s: %w", file, err)
	}
	return spec, nil
}

// isoSpec returns the spec named by -spec.
func isoSpec(name string) (*moov.MessageSpec, error) {
	switch strings.ToLower(name) {
	case "cup", "unionpay":
		return iso8583.SpecUnionPay, nil
	case "ascii", "iso87", "87":
		return iso8583.Spec87ASCII, nil
	}
	return nil, usagef("-spec %q: want cup (China UnionPay POS, BCD) or ascii (ISO 8583:1987 ASCII)", name)
}

// isoFraming returns the framing named by -frame; ok is false for none.
func isoFraming(name string) (f iso8583.Framing, ok bool, err error) {
	switch name {
	case "", "none":
		return f, false, nil
	case "cup", "unionpay":
		return iso8583.UnionPayFraming, true, nil
	case "tpdu":
		return iso8583.Framing{Length: iso8583.Length2Binary, TPDU: true}, true, nil
	case "len2":
		return iso8583.Framing{Length: iso8583.Length2Binary}, true, nil
	case "len4":
		return iso8583.Framing{Length: iso8583.Length4ASCII}, true, nil
	}
	return f, false, usagef("-frame %q: want none, cup (2-byte length, TPDU, header), tpdu (2-byte length, TPDU), len2 or len4 (ASCII)", name)
}

// isoMAC returns the MAC algorithm of -mac-alg and -mac-key (or
// -mac-key-file, -mac-key-env), or nil.
func isoMAC(e *env, algName string, keySrc *secret) (iso8583.MACAlgorithm, error) {
	if algName == "" && !keySrc.given() {
		return nil, nil
	}
	if algName == "" {
		return nil, usagef("-mac-key needs -mac-alg")
	}
	key, err := keySrc.key(e)
	if err != nil {
		return nil, err
	}
	for _, a := range macAlgorithms {
		if a.name == strings.ToLower(algName) {
			m, err := a.newAlg(key, 1)
			if err != nil {
				return nil, fmt.Errorf("-mac-alg %s with a %d-byte key: %w", a.name, len(key), err)
			}
			return m, nil
		}
	}
	return nil, usagef("-mac-alg %q: unknown algorithm; want one of%s", algName, macAlgNames())
}

type isoFieldJSON struct {
	ID          int    `json:"id"`
	Description string `json:"description"`
	Value       string `json:"value"`
}

type isoJSON struct {
	Spec     string         `json:"spec"`
	TPDU     string         `json:"tpdu,omitempty"`
	Header   string         `json:"header,omitempty"`
	MTI      string         `json:"mti"`
	Kind     string         `json:"kind,omitempty"`
	Response string         `json:"response,omitempty"`
	MAC      string         `json:"mac,omitempty"`
	Masked   bool           `json:"masked"`
	Fields   []isoFieldJSON `json:"fields"`
}

func isoDecode(e *env, args []string) error {
	fs := newFlags(e, "iso8583 decode", "[-spec cup|ascii | -spec-file F] [-in hex|raw] [-frame F] [-lenient] [-unmask] [-mac-alg A -mac-key K] [-json] MESSAGE",
		`Unpacks an ISO 8583 message (hex by default; -in raw reads the bytes as they
are, e.g. a binary capture on standard input) with the China UnionPay POS spec
(cup, the default), the ISO 8583:1987 ASCII spec, or the spec described in
-spec-file (moov's JSON spec format; see poskit iso8583 spec), and describes
its fields. Unpacking is strict: bytes after the last field, an unused
secondary bitmap, an empty PAN or malformed track data are errors naming the
field and offset; -lenient reads such captures anyway. PANs show their first
6 and last 4 digits (also where they hide in other fields: any Luhn-valid run
of 13 to 19 digits is masked); track data, expiry, PIN block, sensitive ICC
tags and keys are hidden, unless -unmask. With -frame the input starts with
the length header (and TPDU and header). With -mac-alg and -mac-key the MAC
(field 64 or 128) is verified over the bytes received: exit status 1 on a
mismatch.`,
		`poskit iso8583 decode -spec cup 02003038048020C080100000000000000010000004031030151121022000346224242900000113D2806201394903101331303030303031393835303130303038323431303030323135360011220000240000`)
	specName := fs.String("spec", "cup", "message spec: cup or ascii")
	specFile := fs.String("spec-file", "", "read the message spec from this JSON description instead of -spec")
	lenient := fs.Bool("lenient", false, "accept trailing bytes, an unused secondary bitmap and malformed card fields")
	in := fs.String("in", "hex", "input format: hex or raw")
	frame := fs.String("frame", "none", "framing of the input: none, cup, tpdu, len2 or len4")
	unmask := fs.Bool("unmask", false, "show PAN, track data, PIN block and keys in clear")
	macAlg := fs.String("mac-alg", "", "verify the MAC with this algorithm (see poskit mac -h)")
	macKey := secretFlag(fs, "mac-key", "MAC key in hex for -mac-alg")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	spec, err := isoSpecOf(e, *specName, *specFile)
	if err != nil {
		return err
	}
	framing, framed, err := isoFraming(*frame)
	if err != nil {
		return err
	}
	alg, err := isoMAC(e, *macAlg, macKey)
	if err != nil {
		return err
	}
	if alg != nil && *lenient {
		return usagef("-lenient cannot be combined with -mac-alg: a MAC is verified over a strictly read message")
	}
	data, err := dataInput(e, fs, *in, "message")
	if err != nil {
		return err
	}
	out := isoJSON{Spec: spec.Name, Masked: !*unmask}
	if framed {
		fr, err := iso8583.NewReader(bytes.NewReader(data), framing).ReadFrame()
		if err != nil {
			return fmt.Errorf("frame: %w", err)
		}
		data = fr.Message
		if framing.TPDU {
			out.TPDU = fr.TPDU.String()
		}
		if framing.Header {
			out.Header = fr.Header.String()
		}
	}
	m, macErr, err := isoUnpack(spec, data, alg, *lenient, &out)
	if err != nil {
		return err
	}
	if err := isoDescribe(e.stdout, m, &out, *unmask, *asJSON); err != nil {
		return err
	}
	if macErr != nil {
		return fmt.Errorf("%w (%s)", macErr, *macAlg)
	}
	return nil
}

// isoUnpack unpacks data, verifying its MAC when alg is not nil; macErr is
// a MAC mismatch, reported after the message is described.
func isoUnpack(spec *moov.MessageSpec, data []byte, alg iso8583.MACAlgorithm, lenient bool, out *isoJSON) (m *moov.Message, macErr, err error) {
	if alg == nil {
		mode := iso8583.Strict
		if lenient {
			mode = iso8583.Lenient
		}
		if m, err = iso8583.UnpackMessage(spec, data, mode); err != nil {
			return nil, nil, fmt.Errorf("unpacking with %s: %w", spec.Name, err)
		}
		return m, nil, nil
	}
	m, macErr = iso8583.VerifyPacked(spec, data, alg)
	if m == nil {
		return nil, nil, fmt.Errorf("unpacking with %s: %w", spec.Name, macErr)
	}
	if macErr != nil && !errors.Is(macErr, iso8583.ErrMACMismatch) {
		return nil, nil, fmt.Errorf("MAC: %w", macErr)
	}
	out.MAC = "verified"
	if macErr != nil {
		out.MAC = "MISMATCH"
	}
	return m, macErr, nil
}

// isoDescribe writes m as text (moov's Describe, masked unless unmask) or
// as JSON.
func isoDescribe(w io.Writer, m *moov.Message, out *isoJSON, unmask, asJSON bool) error {
	out.MTI, _ = m.GetMTI()
	if t, err := iso8583.FromMessage(m); err == nil {
		if k := t.Kind(); k != iso8583.KindUnknown {
			out.Kind = k.String() + " (" + k.Chinese() + ")"
		}
		if t.ResponseCode != "" {
			rc := t.Response()
			out.Response = fmt.Sprintf("%s %s / %s (%s)", rc.Code, rc.English, rc.Chinese, rc.Action)
		}
	}
	if asJSON {
		fields := m.GetFields()
		ids := make([]int, 0, len(fields))
		for id := range fields {
			if id > 1 {
				ids = append(ids, id)
			}
		}
		sort.Ints(ids)
		for _, id := range ids {
			f := fields[id]
			v, err := f.String()
			if err != nil {
				return fmt.Errorf("field %d: %w", id, err)
			}
			if !unmask {
				v = iso8583.MaskField(id, v, f)
			}
			out.Fields = append(out.Fields, isoFieldJSON{ID: id, Description: f.Spec().Description, Value: v})
		}
		return writeJSON(w, out)
	}
	if out.TPDU != "" {
		fmt.Fprintf(w, "TPDU.........: %s\n", out.TPDU)
	}
	if out.Header != "" {
		fmt.Fprintf(w, "Header.......: %s\n", out.Header)
	}
	var err error
	if unmask {
		err = moov.Describe(m, w, moov.DoNotFilterFields()...)
	} else {
		err = iso8583.Dump(m, w)
	}
	if err != nil {
		return fmt.Errorf("describing the message: %w", err)
	}
	for _, l := range [][2]string{{"Transaction..", out.Kind}, {"Response.....", out.Response}, {"MAC..........", out.MAC}} {
		if l[1] != "" {
			fmt.Fprintf(w, "%s: %s\n", l[0], l[1])
		}
	}
	return nil
}

func isoEncode(e *env, args []string) error {
	fs := newFlags(e, "iso8583 encode", "[-spec cup|ascii | -spec-file F] [-frame F -tpdu HEX -header HEX] [-mac-alg A -mac-key K] [-out hex|raw] [FILE]",
		`Packs an ISO 8583 message from JSON (FILE or standard input): an object of
field numbers to values, "0" the MTI. Text and numeric fields are strings as
they are sent; binary fields (52, 55, 64 ...) are hex. With -mac-alg and
-mac-key the message is signed (field 64, or 128 with a secondary bitmap);
with -frame it is framed with -tpdu and -header. Prints hex, or the bytes
with -out raw.`,
		`echo '{"0":"0800","11":"000001","41":"10000019","42":"850100082410002","60":"00000001003"}' | poskit iso8583 encode -spec cup`)
	specName := fs.String("spec", "cup", "message spec: cup or ascii")
	specFile := fs.String("spec-file", "", "read the message spec from this JSON description instead of -spec")
	frame := fs.String("frame", "none", "framing: none, cup, tpdu, len2 or len4")
	tpduHex := fs.String("tpdu", "6000000000", "TPDU in hex (5 bytes) for -frame cup or tpdu")
	headerHex := fs.String("header", "603100000000", "UnionPay header in hex (6 bytes) for -frame cup")
	macAlg := fs.String("mac-alg", "", "sign with this MAC algorithm (see poskit mac -h)")
	macKey := secretFlag(fs, "mac-key", "MAC key in hex for -mac-alg")
	outFmt := fs.String("out", "hex", "output: hex or raw")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("give at most one JSON file, got %d arguments", fs.NArg())
	}
	if *outFmt != "hex" && *outFmt != "raw" {
		return usagef("-out %q: want hex or raw", *outFmt)
	}
	spec, err := isoSpecOf(e, *specName, *specFile)
	if err != nil {
		return err
	}
	framing, framed, err := isoFraming(*frame)
	if err != nil {
		return err
	}
	alg, err := isoMAC(e, *macAlg, macKey)
	if err != nil {
		return err
	}
	var fr iso8583.Frame
	if framed {
		if fr, err = isoFrameOf(*tpduHex, *headerHex); err != nil {
			return err
		}
	}
	path := "-"
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	}
	raw, err := readFile(e, path, "message JSON")
	if err != nil {
		return err
	}
	m, err := isoMessageFromJSON(spec, raw)
	if err != nil {
		return err
	}
	var packed []byte
	if alg != nil {
		packed, err = iso8583.SignMessage(m, alg)
	} else {
		packed, err = m.Pack()
	}
	if err != nil {
		return fmt.Errorf("packing with %s: %w", spec.Name, err)
	}
	if framed {
		fr.Message = packed
		if packed, err = framing.AppendFrame(nil, fr); err != nil {
			return fmt.Errorf("framing: %w", err)
		}
	}
	if *outFmt == "raw" {
		_, err = e.stdout.Write(packed)
		return err
	}
	fmt.Fprintln(e.stdout, upperHex(packed))
	return nil
}

func isoSpecVerb(e *env, args []string) error {
	fs := newFlags(e, "iso8583 spec", "[-spec cup|ascii]",
		`Writes a message spec as a JSON description in moov's spec format, naming
poskit's codecs ("poskit.BCD", "poskit.TrackD", "poskit.BCD.LLL" ...). Edit
it and pass it to poskit iso8583 decode -spec-file; a spec written by moov's
specs.ExportJSON is accepted there too.`,
		`poskit iso8583 spec -spec cup > cup.json`)
	specName := fs.String("spec", "cup", "message spec: cup or ascii")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("no arguments expected, got %d", fs.NArg())
	}
	spec, err := isoSpec(*specName)
	if err != nil {
		return err
	}
	b, err := iso8583.ExportSpec(spec)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(b)
	return err
}

// isoFrameOf reads the -tpdu and -header flags of encode.
func isoFrameOf(tpduHex, headerHex string) (iso8583.Frame, error) {
	var fr iso8583.Frame
	tp, err := parseHex("-tpdu", tpduHex, false)
	if err != nil {
		return fr, err
	}
	if len(tp) != len(fr.TPDU) {
		return fr, usagef("-tpdu has %d bytes: want %d", len(tp), len(fr.TPDU))
	}
	copy(fr.TPDU[:], tp)
	h, err := parseHex("-header", headerHex, false)
	if err != nil {
		return fr, err
	}
	if len(h) != len(fr.Header) {
		return fr, usagef("-header has %d bytes: want %d", len(h), len(fr.Header))
	}
	copy(fr.Header[:], h)
	return fr, nil
}

// isoMessageFromJSON builds a message of spec from encode's JSON: field
// numbers to values, binary fields in hex.
func isoMessageFromJSON(spec *moov.MessageSpec, raw []byte) (*moov.Message, error) {
	var in map[string]string
	if err := decodeStrict(raw, &in); err != nil {
		return nil, usagef("message JSON: %v (want an object of field numbers to strings)", err)
	}
	m := moov.NewMessage(spec)
	ids := make([]int, 0, len(in))
	for k := range in {
		id, err := strconv.Atoi(k)
		if err != nil || id < 0 || id == 1 {
			return nil, usagef("message JSON: key %q: want a field number (0 for the MTI; the bitmap is computed)", k)
		}
		if _, ok := spec.Fields[id]; !ok {
			return nil, usagef("message JSON: field %d is not in the %s spec", id, spec.Name)
		}
		ids = append(ids, id)
	}
	if _, ok := in["0"]; !ok {
		return nil, usagef("message JSON: missing the MTI (field \"0\")")
	}
	sort.Ints(ids)
	for _, id := range ids {
		v := in[strconv.Itoa(id)]
		if _, binary := spec.Fields[id].(*field.Binary); binary {
			b, err := parseHex(fmt.Sprintf("field %d", id), v, true)
			if err != nil {
				return nil, err
			}
			err = m.BinaryField(id, b)
			if err != nil {
				return nil, fmt.Errorf("field %d: %w", id, err)
			}
			continue
		}
		if err := m.Field(id, v); err != nil {
			return nil, fmt.Errorf("field %d: %w", id, err)
		}
	}
	return m, nil
}
