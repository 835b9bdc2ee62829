package iso8583

import (
	"bytes"
	"encoding/binary"
	"testing"

	moov "github.com/moov-io/iso8583"
)

// Every field of both specs goes through moov's message JSON: random
// messages are packed, unpacked strictly, marshalled to JSON, unmarshalled
// into a new message and packed again, byte for byte. Each field of each
// spec is present in many of the messages.
func TestMessageJSONRoundTrip(t *testing.T) {
	for _, spec := range []*moov.MessageSpec{SpecUnionPay, Spec87ASCII} {
		seen := map[int]int{}
		for i := range 600 {
			seed := make([]byte, 4096)
			for j := 0; j < len(seed); j += 8 {
				binary.BigEndian.PutUint64(seed[j:], uint64(i+1)*0x9E3779B97F4A7C15^uint64(j)*0xBF58476D1CE4E5B9)
			}
			m, err := randomMessage(&chooser{seed}, spec)
			if err != nil {
				t.Fatal(err)
			}
			packed, err := m.Pack()
			if err != nil {
				t.Fatalf("%s message %d: pack: %v", spec.Name, i, err)
			}
			back, err := UnpackMessage(spec, packed, Strict)
			if err != nil {
				t.Fatalf("%s message %d: strict unpack of a packed message: %v", spec.Name, i, err)
			}
			js, err := back.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			m2 := moov.NewMessage(spec)
			if err := m2.UnmarshalJSON(js); err != nil {
				t.Fatalf("%s: unmarshal %s: %v", spec.Name, js, err)
			}
			again, err := m2.Pack()
			if err != nil || !bytes.Equal(again, packed) {
				t.Fatalf("%s message %d: JSON round trip differs (%v)\n%s", spec.Name, i, err, js)
			}
			for id := range m.GetFields() {
				seen[id]++
			}
		}
		for id := range spec.Fields {
			if id > 1 && id != 65 && seen[id] < 50 {
				t.Errorf("%s: field %d in only %d messages", spec.Name, id, seen[id])
			}
		}
	}
}
