package iso8583

import (
	"encoding"
	"reflect"

	"github.com/moov-io/iso8583/field"
)

// Text is a moov field.Field holding a string, like field.String, whose
// Marshal and Unmarshal also accept values implementing
// encoding.TextMarshaler and encoding.TextUnmarshaler.
//
// Deprecated: SpecUnionPay no longer uses it (moov's message JSON and spec
// builder do not know it); Transaction moves Field60, Field61 and Field63
// through their MarshalText and UnmarshalText.
type Text struct {
	s *field.String
}

var _ field.Field = (*Text)(nil)

// NewText returns a Text field with the given spec.
//
// Deprecated: use field.NewString and Field60.MarshalText.
func NewText(spec *field.Spec) *Text { return &Text{s: field.NewString(spec)} }

// NewInstance implements field.Instantiator.
func (t *Text) NewInstance() field.Field { return NewText(t.s.Spec()) }

// Spec returns the field spec.
func (t *Text) Spec() *field.Spec { return t.s.Spec() }

// SetSpec sets the field spec.
func (t *Text) SetSpec(spec *field.Spec) { t.s.SetSpec(spec) }

// Pack packs the value per the spec.
func (t *Text) Pack() ([]byte, error) { return t.s.Pack() }

// Unpack unpacks the value per the spec.
func (t *Text) Unpack(data []byte) (int, error) { return t.s.Unpack(data) }

// SetBytes sets the value.
func (t *Text) SetBytes(b []byte) error { return t.s.SetBytes(b) }

// Bytes returns the value.
func (t *Text) Bytes() ([]byte, error) { return t.s.Bytes() }

// SetData is the deprecated form of Marshal.
func (t *Text) SetData(v any) error { return t.Marshal(v) }

// String returns the value.
func (t *Text) String() (string, error) { return t.s.String() }

// Value returns the value.
func (t *Text) Value() string { return t.s.Value() }

// Marshal sets the value from a string, *string or encoding.TextMarshaler.
func (t *Text) Marshal(v any) error {
	if m, ok := v.(encoding.TextMarshaler); ok {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return nil
		}
		b, err := m.MarshalText()
		if err != nil {
			return err
		}
		t.s.SetValue(string(b))
		return nil
	}
	return t.s.Marshal(v)
}

// Unmarshal stores the value into a *string, reflect.Value or
// encoding.TextUnmarshaler.
func (t *Text) Unmarshal(v any) error {
	if u, ok := v.(encoding.TextUnmarshaler); ok {
		return u.UnmarshalText([]byte(t.s.Value()))
	}
	if rv, ok := v.(reflect.Value); ok && rv.CanAddr() {
		if u, ok := rv.Addr().Interface().(encoding.TextUnmarshaler); ok {
			return u.UnmarshalText([]byte(t.s.Value()))
		}
	}
	return t.s.Unmarshal(v)
}
