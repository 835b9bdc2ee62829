package fees

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// jnode is one JSON value of a schedule, read strictly from
// encoding/json's token stream or built for writing: objects keep their
// keys in order.
type jnode struct {
	jtype byte   // 'o' object, 'a' array, 's' string, 'n' number, 'b' boolean, 'z' null
	text  string // a string's value or a number's literal
	b     bool
	keys  []string // object keys, in order
	vals  []*jnode // object values or array elements
}

// maxJSONDepth bounds the nesting of a schedule document (a schedule needs
// five levels).
const maxJSONDepth = 16

// Errors of the strict reader; each wraps ErrJSON.
var (
	errJSONUTF8  = fmt.Errorf("%w: not valid UTF-8", ErrJSON)
	errJSONDepth = fmt.Errorf("%w: nested too deeply", ErrJSON)
	errJSONTail  = fmt.Errorf("%w: data after the JSON value", ErrJSON)
)

// parseTree reads one JSON value strictly: valid UTF-8, no duplicate keys
// in an object, nothing after the value. Numbers stay literal text.
func parseTree(data []byte) (*jnode, error) {
	if !utf8.Valid(data) {
		return nil, errJSONUTF8
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := readValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errJSONTail
	}
	return n, nil
}

func readValue(dec *json.Decoder, depth int) (*jnode, error) {
	if depth > maxJSONDepth {
		return nil, errJSONDepth
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonSyntax(err)
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return readObject(dec, depth)
		}
		if v == '[' {
			return readArray(dec, depth)
		}
		return nil, fmt.Errorf("%w: unexpected %q", ErrJSON, rune(v))
	case string:
		return &jnode{jtype: 's', text: v}, nil
	case json.Number:
		return &jnode{jtype: 'n', text: string(v)}, nil
	case bool:
		return &jnode{jtype: 'b', b: v}, nil
	default: // nil
		return &jnode{jtype: 'z'}, nil
	}
}

func readObject(dec *json.Decoder, depth int) (*jnode, error) {
	n := &jnode{jtype: 'o'}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonSyntax(err)
		}
		key, _ := tok.(string) // the decoder only gives strings as keys
		for _, k := range n.keys {
			if k == key {
				return nil, fmt.Errorf("%w: duplicate key %q", ErrJSON, clip(key))
			}
		}
		v, err := readValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, v)
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, jsonSyntax(err)
	}
	return n, nil
}

func readArray(dec *json.Decoder, depth int) (*jnode, error) {
	n := &jnode{jtype: 'a'}
	for dec.More() {
		v, err := readValue(dec, depth+1)
		if err != nil {
			return nil, err
		}
		n.vals = append(n.vals, v)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, jsonSyntax(err)
	}
	return n, nil
}

func jsonSyntax(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: %s at byte %d", ErrJSON, se.Error(), se.Offset)
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: unexpected end of input", ErrJSON)
	}
	return fmt.Errorf("%w: %s", ErrJSON, err.Error())
}

// jobject reads the members of an object, refusing keys outside the
// allowed set (compared exactly: "RATE" is not "rate").
type jobject struct {
	n *jnode
}

// object checks that n is an object whose keys are all allowed; the error
// names the first unknown key as its field.
func object(n *jnode, allowed ...string) (jobject, string, error) {
	if n.jtype != 'o' {
		return jobject{}, "", fmt.Errorf("%w: want an object", ErrJSON)
	}
next:
	for _, k := range n.keys {
		for _, a := range allowed {
			if k == a {
				continue next
			}
		}
		return jobject{}, k, fmt.Errorf("%w: unknown field %q", ErrJSON, clip(k))
	}
	return jobject{n}, "", nil
}

// get returns the member key, or nil.
func (o jobject) get(key string) *jnode {
	for i, k := range o.n.keys {
		if k == key {
			return o.n.vals[i]
		}
	}
	return nil
}

// either returns the member under the current key or its deprecated
// alias; both at once are an error.
func (o jobject) either(key, old string) (*jnode, error) {
	a, b := o.get(key), o.get(old)
	if a != nil && b != nil {
		return nil, fmt.Errorf("%w: both %q and its old name %q", ErrJSON, key, old)
	}
	if a != nil {
		return a, nil
	}
	return b, nil
}

func (n *jnode) str() (string, error) {
	if n.jtype != 's' {
		return "", fmt.Errorf("%w: want a string", ErrJSON)
	}
	return n.text, nil
}

func (n *jnode) strs() ([]string, error) {
	if n.jtype != 'a' {
		return nil, fmt.Errorf("%w: want an array of strings", ErrJSON)
	}
	out := make([]string, len(n.vals))
	for i, v := range n.vals {
		s, err := v.str()
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// decimal returns a decimal written as a string or a JSON number.
func (n *jnode) decimal() (string, error) {
	if n.jtype != 's' && n.jtype != 'n' {
		return "", fmt.Errorf("%w: want a decimal string such as \"13.00\"", ErrJSON)
	}
	return n.text, nil
}

// write appends n to b, indented by ind levels: objects and arrays of
// objects one member a line, arrays of scalars on one line.
func (n *jnode) write(b *bytes.Buffer, ind int) {
	switch n.jtype {
	case 'o':
		if len(n.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range n.keys {
			indent(b, ind+1)
			writeString(b, k)
			b.WriteString(": ")
			n.vals[i].write(b, ind+1)
			if i < len(n.keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		indent(b, ind)
		b.WriteByte('}')
	case 'a':
		flat := true
		for _, v := range n.vals {
			flat = flat && v.jtype != 'o' && v.jtype != 'a'
		}
		if flat || len(n.vals) == 0 {
			b.WriteByte('[')
			for i, v := range n.vals {
				if i > 0 {
					b.WriteString(", ")
				}
				v.write(b, ind)
			}
			b.WriteByte(']')
			return
		}
		b.WriteString("[\n")
		for i, v := range n.vals {
			indent(b, ind+1)
			v.write(b, ind+1)
			if i < len(n.vals)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		indent(b, ind)
		b.WriteByte(']')
	case 's':
		writeString(b, n.text)
	case 'n':
		b.WriteString(n.text)
	case 'b':
		b.WriteString(strconv.FormatBool(n.b))
	default:
		b.WriteString("null")
	}
}

func indent(b *bytes.Buffer, n int) {
	for range n {
		b.WriteString("  ")
	}
}

func writeString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s) // a string always marshals
	b.Write(q)
}

// set appends key: v to an object node.
func (n *jnode) set(key string, v *jnode) {
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, v)
}

func jstr(s string) *jnode { return &jnode{jtype: 's', text: s} }

func jstrs(s []string) *jnode {
	n := &jnode{jtype: 'a'}
	for _, v := range s {
		n.vals = append(n.vals, jstr(v))
	}
	return n
}
