package iso8583

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/encoding"
	"github.com/moov-io/iso8583/field"
	"github.com/moov-io/iso8583/padding"
	"github.com/moov-io/iso8583/prefix"
	"github.com/moov-io/iso8583/specs"
)

// ErrSpec reports a spec description that cannot be read or written.
var ErrSpec = errors.New("iso8583: bad spec description")

// specFile and specField are moov's JSON spec format (what
// specs.ExportJSON writes) for fields without sub-fields.
type specFile struct {
	Name   string                `json:"name,omitempty"`
	Fields map[string]*specField `json:"fields"`
}

type specField struct {
	Type        string          `json:"type"`
	Length      int             `json:"length,omitempty"`
	Description string          `json:"description,omitempty"`
	Enc         string          `json:"enc,omitempty"`
	Prefix      string          `json:"prefix,omitempty"`
	Padding     *specPadding    `json:"padding,omitempty"`
	Subfields   json.RawMessage `json:"subfields,omitempty"`
}

type specPadding struct {
	Type string `json:"type"`
	Pad  string `json:"pad"`
}

// The package's codecs by the names a spec description gives them.
var ownEncoders = map[string]encoding.Encoder{
	"poskit.BCD":         BCD,
	"poskit.BCDLeft":     BCDLeft,
	"poskit.BCDLeftF":    BCDLeftF,
	"poskit.BCDRight":    BCDRight,
	"poskit.Track":       Track,
	"poskit.TrackD":      TrackD,
	"poskit.HexBytes":    HexBytes,
	"poskit.Binary":      Binary,
	"poskit.ASCII":       ASCII,
	"poskit.ASCIIDigits": ASCIIDigits,
	"poskit.ASCIITrack":  ASCIITrack,
}

// ownEncoderName names enc when it is one of ownEncoders (by value: a
// *BCDEncoder or *NibbleEncoder of the same settings has the same name).
func ownEncoderName(enc encoding.Encoder) (string, bool) {
	for name, e := range ownEncoders {
		switch a := enc.(type) {
		case *BCDEncoder:
			if b, ok := e.(*BCDEncoder); ok && *a == *b {
				return name, true
			}
		case *NibbleEncoder:
			if b, ok := e.(*NibbleEncoder); ok && *a == *b {
				return name, true
			}
		default:
			if e == enc {
				return name, true
			}
		}
	}
	return "", false
}

// ownPrefixer reads a prefixer name as LengthPrefixer.Inspect writes it.
func ownPrefixer(name string) (prefix.Prefixer, bool) {
	fam, digits, ok := strings.Cut(strings.TrimPrefix(name, "poskit."), ".")
	if !ok || !strings.HasPrefix(name, "poskit.") {
		return nil, false
	}
	families := map[string]prefix.Prefixers{"ASCII": LengthASCII, "BCD": LengthBCD, "Binary": LengthBinary,
		"Hex": LengthHex, "HexCharsASCII": HexCharsASCII}
	f, ok := families[fam]
	if !ok {
		return nil, false
	}
	switch digits {
	case "Fixed":
		return f.Fixed, true
	case "L":
		return f.L, true
	case "LL":
		return f.LL, true
	case "LLL":
		return f.LLL, true
	case "LLLL":
		return f.LLLL, true
	case "LLLLL":
		return f.LLLLL, true
	case "LLLLLL":
		return f.LLLLLL, true
	}
	return nil, false
}

// typeName is the name of the type behind a pointer, "" for a value.
func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return ""
	}
	return t.Elem().Name()
}

// ExportSpec writes spec in moov's JSON spec format, the one
// specs.ExportJSON writes and specs.ImportJSON reads, naming the
// package's codecs "poskit.BCD", "poskit.TrackD", "poskit.BCD.LLL"...
// moov's builder cannot load those names (it knows only its own codecs):
// read the description back with ImportSpec. A spec made only of moov's
// codecs, sub-fields included, is written by specs.ExportJSON itself.
// Errors: ErrSpec for a codec, prefixer, padder or field type that neither
// this package nor moov's builder can name.
func ExportSpec(spec *moov.MessageSpec) ([]byte, error) {
	if spec == nil {
		return nil, fmt.Errorf("%w: no spec", ErrSpec)
	}
	if !usesOwnCodecs(spec) {
		b, err := specs.ExportJSON(spec)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSpec, err)
		}
		return b, nil
	}
	out := specFile{Name: spec.Name, Fields: map[string]*specField{}}
	for id, f := range spec.Fields {
		sf, err := exportSpecField(f)
		if err != nil {
			return nil, fmt.Errorf("%w (field %d)", err, id)
		}
		out.Fields[strconv.Itoa(id)] = sf
	}
	return marshalSpec(out)
}

// usesOwnCodecs reports whether a field of spec uses one of the package's
// encoders or prefixers (or the deprecated Text field).
func usesOwnCodecs(spec *moov.MessageSpec) bool {
	for _, f := range spec.Fields {
		s := f.Spec()
		if _, ok := f.(*Text); ok {
			return true
		}
		if _, ok := s.Pref.(*LengthPrefixer); ok {
			return true
		}
		if _, ok := ownEncoderName(s.Enc); ok && s.Enc != nil {
			return true
		}
	}
	return false
}

func exportSpecField(f field.Field) (*specField, error) {
	s := f.Spec()
	if len(s.Subfields) > 0 {
		return nil, fmt.Errorf("%w: sub-fields beside the package's codecs", ErrSpec)
	}
	typ := typeName(f)
	if typ == "Text" {
		typ = "String"
	}
	if _, ok := specs.FieldConstructor[typ]; !ok {
		return nil, fmt.Errorf("%w: field type %q", ErrSpec, typ)
	}
	sf := &specField{Type: typ, Length: s.Length, Description: s.Description}
	if s.Pref == nil || s.Enc == nil {
		return nil, fmt.Errorf("%w: no prefixer or encoder", ErrSpec)
	}
	sf.Prefix = s.Pref.Inspect()
	if _, own := ownPrefixer(sf.Prefix); !own {
		if _, ok := specs.PrefixesExtToInt[sf.Prefix]; !ok {
			return nil, fmt.Errorf("%w: prefixer %q", ErrSpec, sf.Prefix)
		}
	}
	name, ok := ownEncoderName(s.Enc)
	if !ok {
		name, ok = specs.EncodingsIntToExt[typeName(s.Enc)]
	}
	if !ok {
		return nil, fmt.Errorf("%w: encoder %T", ErrSpec, s.Enc)
	}
	sf.Enc = name
	if s.Pad != nil {
		pt, ok := specs.PaddersIntToExt[typeName(s.Pad)]
		if !ok {
			return nil, fmt.Errorf("%w: padder %T", ErrSpec, s.Pad)
		}
		sf.Padding = &specPadding{Type: pt, Pad: string(s.Pad.Inspect())}
	}
	return sf, nil
}

// marshalSpec writes fields in numeric order, as moov's builder does.
func marshalSpec(sf specFile) ([]byte, error) {
	ids := make([]int, 0, len(sf.Fields))
	for k := range sf.Fields {
		id, _ := strconv.Atoi(k)
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var buf bytes.Buffer
	name, _ := json.Marshal(sf.Name)
	fmt.Fprintf(&buf, "{\n\t\"name\": %s,\n\t\"fields\": {", name)
	for i, id := range ids {
		b, err := json.MarshalIndent(sf.Fields[strconv.Itoa(id)], "\t\t", "\t")
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSpec, err)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, "\n\t\t\"%d\": %s", id, b)
	}
	buf.WriteString("\n\t}\n}\n")
	return buf.Bytes(), nil
}

// ImportSpec reads a spec description in moov's JSON spec format: one
// written by ExportSpec, which may name the package's codecs, or by
// specs.ExportJSON (a user's own spec; handed to specs.ImportJSON when it
// names no codec of this package). Fields 0 (MTI) and 1 (bitmap) are
// required. Errors: ErrSpec, naming the field.
func ImportSpec(data []byte) (*moov.MessageSpec, error) {
	var sf specFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSpec, err)
	}
	if !bytes.Contains(data, []byte(`"poskit.`)) {
		spec, err := specs.ImportJSON(data)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSpec, err)
		}
		return validSpec(spec)
	}
	spec := &moov.MessageSpec{Name: sf.Name, Fields: map[int]field.Field{}}
	for k, f := range sf.Fields {
		id, err := strconv.Atoi(k)
		if err != nil || id < 0 || id > 192 || f == nil {
			return nil, fmt.Errorf("%w: field %q", ErrSpec, k)
		}
		fl, err := importSpecField(f)
		if err != nil {
			return nil, fmt.Errorf("%w (field %d)", err, id)
		}
		spec.Fields[id] = fl
	}
	return validSpec(spec)
}

func importSpecField(f *specField) (field.Field, error) {
	if len(f.Subfields) > 0 {
		return nil, fmt.Errorf("%w: sub-fields beside the package's codecs", ErrSpec)
	}
	newField, ok := specs.FieldConstructor[f.Type]
	if !ok {
		return nil, fmt.Errorf("%w: field type %q", ErrSpec, f.Type)
	}
	if f.Length < 0 || f.Length > 999999 {
		return nil, fmt.Errorf("%w: length %d", ErrSpec, f.Length)
	}
	s := &field.Spec{Length: f.Length, Description: f.Description}
	if s.Enc, ok = ownEncoders[f.Enc]; !ok {
		if s.Enc, ok = specs.EncodingsExtToInt[f.Enc]; !ok {
			return nil, fmt.Errorf("%w: encoding %q", ErrSpec, f.Enc)
		}
	}
	if s.Pref, ok = ownPrefixer(f.Prefix); !ok {
		if s.Pref, ok = specs.PrefixesExtToInt[f.Prefix]; !ok {
			return nil, fmt.Errorf("%w: prefix %q", ErrSpec, f.Prefix)
		}
	}
	if f.Padding != nil {
		mk, ok := specs.PaddersExtToInt[f.Padding.Type]
		var p padding.Padder
		if ok {
			p = mk(f.Padding.Pad)
		}
		if p == nil {
			return nil, fmt.Errorf("%w: padding %q %q", ErrSpec, f.Padding.Type, f.Padding.Pad)
		}
		s.Pad = p
	}
	return newField(s), nil
}

// validSpec checks what moov.NewMessage would panic on.
func validSpec(spec *moov.MessageSpec) (*moov.MessageSpec, error) {
	if _, ok := spec.Fields[0]; !ok {
		return nil, fmt.Errorf("%w: no field 0 (MTI)", ErrSpec)
	}
	if _, ok := spec.Fields[1].(*field.Bitmap); !ok {
		return nil, fmt.Errorf("%w: field 1 is not a bitmap", ErrSpec)
	}
	if err := spec.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSpec, err)
	}
	return spec, nil
}
