package iso8583

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/specs"
)

// Both specs go out as descriptions and come back as specs that pack and
// unpack random messages to the same bytes as the originals.
func TestSpecDescriptionRoundTrip(t *testing.T) {
	for _, spec := range []*moov.MessageSpec{SpecUnionPay, Spec87ASCII} {
		desc, err := ExportSpec(spec)
		if err != nil {
			t.Fatalf("%s: %v", spec.Name, err)
		}
		if !bytes.Contains(desc, []byte(`"enc": "poskit.`)) || !bytes.Contains(desc, []byte(`"prefix": "poskit.`)) {
			t.Errorf("%s: description names no codec:\n%s", spec.Name, desc[:200])
		}
		back, err := ImportSpec(desc)
		if err != nil {
			t.Fatalf("%s: import: %v", spec.Name, err)
		}
		if len(back.Fields) != len(spec.Fields) || back.Name != spec.Name {
			t.Fatalf("%s: %d fields back, want %d", spec.Name, len(back.Fields), len(spec.Fields))
		}
		again, _ := ExportSpec(back)
		if !bytes.Equal(again, desc) {
			t.Errorf("%s: second export differs", spec.Name)
		}
		for i := range 200 {
			seed := make([]byte, 2048)
			for j := 0; j < len(seed); j += 8 {
				binary.LittleEndian.PutUint64(seed[j:], uint64(i+7)*0x9E3779B97F4A7C15+uint64(j))
			}
			m, err := randomMessage(&chooser{seed}, spec)
			if err != nil {
				t.Fatal(err)
			}
			p1, err := m.Pack()
			if err != nil {
				t.Fatal(err)
			}
			m2, err := UnpackMessage(back, p1, Strict)
			if err != nil {
				t.Fatalf("%s: imported spec cannot read message %d: %v", spec.Name, i, err)
			}
			p2, err := m2.Pack()
			if err != nil || !bytes.Equal(p1, p2) {
				t.Fatalf("%s: message %d differs through the imported spec (%v)", spec.Name, i, err)
			}
		}
	}
}

// A user's own spec, written by moov's builder, loads through ImportSpec;
// a spec of moov's codecs only is exported by moov's builder.
func TestImportMoovSpec(t *testing.T) {
	desc, err := specs.ExportJSON(specs.Spec87ASCII)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := ImportSpec(desc)
	if err != nil {
		t.Fatal(err)
	}
	m := moov.NewMessage(spec)
	m.MTI("0800")
	_ = m.Field(11, "000001")
	if _, err := m.Pack(); err != nil {
		t.Fatal(err)
	}
	ours, err := ExportSpec(specs.Spec87ASCII)
	if err != nil || !bytes.Equal(ours, desc) {
		t.Errorf("moov-only spec not exported by moov's builder: %v", err)
	}
}

func TestSpecDescriptionErrors(t *testing.T) {
	for name, desc := range map[string]string{
		"not JSON":       `{`,
		"unknown enc":    `{"fields":{"0":{"type":"String","length":4,"enc":"poskit.Nope","prefix":"poskit.ASCII.Fixed"}}}`,
		"unknown prefix": `{"fields":{"0":{"type":"String","length":4,"enc":"poskit.ASCII","prefix":"poskit.ASCII.LLLLLLL"}}}`,
		"unknown type":   `{"fields":{"0":{"type":"Thing","length":4,"enc":"poskit.ASCII","prefix":"poskit.ASCII.Fixed"}}}`,
		"bad id":         `{"fields":{"x":{"type":"String","length":4,"enc":"poskit.ASCII","prefix":"poskit.ASCII.Fixed"}}}`,
		"no MTI":         `{"fields":{"1":{"type":"Bitmap","length":8,"enc":"poskit.Binary","prefix":"poskit.Binary.Fixed"}}}`,
		"no bitmap":      `{"fields":{"0":{"type":"String","length":4,"enc":"poskit.ASCII","prefix":"poskit.ASCII.Fixed"}}}`,
		"bad padding":    `{"fields":{"0":{"type":"String","length":4,"enc":"poskit.ASCII","prefix":"poskit.ASCII.Fixed","padding":{"type":"Middle","pad":"0"}}}}`,
		"moov unknown":   `{"fields":{"0":{"type":"String","length":4,"enc":"Nope","prefix":"ASCII.Fixed"}}}`,
		"negative":       `{"fields":{"0":{"type":"String","length":-4,"enc":"poskit.ASCII","prefix":"poskit.ASCII.Fixed"}}}`,
		"sub-fields":     `{"fields":{"0":{"type":"Composite","length":4,"prefix":"poskit.ASCII.Fixed","subfields":{"1":{}}}}}`,
	} {
		_, err := ImportSpec([]byte(desc))
		if !errors.Is(err, ErrSpec) || strings.Count(err.Error(), "iso8583") != 1 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ExportSpec(nil); !errors.Is(err, ErrSpec) {
		t.Errorf("nil spec: %v", err)
	}
}
