package iso8583

import (
	"bytes"
	"errors"
	"fmt"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/mac"
)

// Message MAC errors.
var (
	// ErrMACMismatch reports a message whose MAC does not verify.
	ErrMACMismatch = errors.New("iso8583: MAC mismatch")
	// ErrNoMAC reports a message without field 64 or 128, or a spec that
	// does not define the MAC field.
	ErrNoMAC = errors.New("iso8583: no MAC field")
	// ErrMACAlgorithm reports an algorithm whose MAC is shorter than 4
	// bytes.
	ErrMACAlgorithm = errors.New("iso8583: unusable MAC algorithm")
)

// MACAlgorithm is what message MAC needs of a MAC. Every mac.Algorithm of
// github.com/poskit/poskit/mac satisfies it: X9.19 (mac.NewISO9797Alg3),
// X9.9 (mac.NewISO9797Alg1 with a DES key), UnionPay ECB (mac.NewCUPECB),
// AES-CMAC and TDES-CMAC, keyed from sign-on session keys or DUKPT MAC
// keys.
type MACAlgorithm interface {
	Size() int
	MAC(data []byte) []byte
	Verify(data, tag []byte) bool
}

// MACLength is the length of field 64 and 128: 8 bytes. A longer MAC (AES
// CMAC) is truncated to its first 8 bytes.
const MACLength = 8

// MACField returns the field that carries the MAC of m: 128 when a field
// above 64 is set (the secondary bitmap is present), else 64. It copies
// nothing: a spec without fields 65 to 127 answers 64 at once.
func MACField(m *moov.Message) int {
	if !hasSecondary(m.GetSpec()) {
		return 64
	}
	for id := 65; id < 128; id++ {
		if m.GetField(id) != nil {
			return 128
		}
	}
	return 64
}

// macFieldUnpacked is MACField for a message just unpacked, whose bitmap
// says whether a secondary bitmap was present.
func macFieldUnpacked(m *moov.Message) int {
	if m.Bitmap().Len() > 64 {
		return 128
	}
	return 64
}

// hasSecondary reports whether spec defines a field from 65 to 127.
func hasSecondary(spec *moov.MessageSpec) bool {
	l := layoutOf(spec)
	for id := 65; id < 128; id++ {
		if l.fields[id] != nil {
			return true
		}
	}
	return false
}

// mabOf sets the MAC field to a placeholder and returns the packed message
// cut before the MAC field, the field id and the packed placeholder size.
func mabOf(m *moov.Message) ([]byte, int, error) {
	id := MACField(m)
	if _, ok := m.GetSpec().Fields[id]; !ok {
		return nil, 0, fmt.Errorf("%w: field %d", ErrNoMAC, id)
	}
	// only one MAC field: 64 alone, or 128 with the secondary bitmap
	if other := 192 - id; m.GetField(other) != nil {
		m.UnsetField(other)
	}
	if err := m.BinaryField(id, make([]byte, MACLength)); err != nil {
		return nil, 0, &FieldError{Field: id, Offset: -1, Err: ownCause(err)}
	}
	packed, err := packMessage(m)
	if err != nil {
		return nil, 0, err
	}
	fp, err := m.GetField(id).Pack()
	if err != nil {
		return nil, 0, &FieldError{Field: id, Offset: -1, Err: ownCause(err)}
	}
	return packed[:len(packed)-len(fp)], id, nil
}

// MAB returns the MAC block of m: the packed message from the MTI through
// the last field before the MAC field, with the MAC field's bitmap bit set.
// It sets the MAC field of m to zeros as a side effect.
func MAB(m *moov.Message) ([]byte, error) {
	mab, _, err := mabOf(m)
	return mab, err
}

func tagOf(alg MACAlgorithm, mab []byte) ([]byte, error) {
	if alg == nil || alg.Size() < 4 {
		return nil, ErrMACAlgorithm
	}
	full := alg.MAC(mab)
	tag := make([]byte, MACLength)
	copy(tag, full)
	return tag, nil
}

// SignMessage computes the MAC of m under alg, stores it in field 64 (or
// 128 when the secondary bitmap is present) and returns the packed
// message. An algorithm with a MAC shorter than 8 bytes leaves the rest of
// the field zero; a longer one is truncated.
func SignMessage(m *moov.Message, alg MACAlgorithm) ([]byte, error) {
	mab, id, err := mabOf(m)
	if err != nil {
		return nil, err
	}
	tag, err := tagOf(alg, mab)
	if err != nil {
		return nil, err
	}
	if err := m.BinaryField(id, tag); err != nil {
		return nil, &FieldError{Field: id, Offset: -1, Err: ownCause(err)}
	}
	fp, err := m.GetField(id).Pack()
	if err != nil {
		return nil, &FieldError{Field: id, Offset: -1, Err: ownCause(err)}
	}
	return append(mab, fp...), nil
}

// VerifyPacked unpacks a packed message with spec, strictly (see
// UnpackMessage), and verifies its MAC over the exact bytes received. It
// returns the message, also when the MAC fails (with ErrMACMismatch), so
// that a host can answer it.
func VerifyPacked(spec *moov.MessageSpec, packed []byte, alg MACAlgorithm) (*moov.Message, error) {
	m := moov.NewMessage(spec)
	if err := unpackInto(m, packed, Strict); err != nil {
		return nil, err
	}
	return m, verifyUnpacked(m, packed, alg)
}

// ErrMACKey wraps the error of a VerifyPackedFunc callback that could not
// choose the MAC key.
var ErrMACKey = errors.New("iso8583: no MAC key for message")

// VerifyPackedFunc is VerifyPacked for a host that learns the MAC key
// from the message itself (the terminal ID in field 41, a DUKPT KSN in
// field 53 or 62...): it unpacks packed once, passes the message to keyFor,
// and verifies the MAC under the algorithm keyFor returns, in constant
// time. An error of keyFor is returned wrapped in ErrMACKey (errors.Is
// finds both). The message is returned whenever it unpacked, also on a
// mismatch or a callback error, so that the host can answer it; keyFor
// must not modify it.
func VerifyPackedFunc(spec *moov.MessageSpec, packed []byte, keyFor func(*moov.Message) (MACAlgorithm, error)) (*moov.Message, error) {
	if keyFor == nil {
		return nil, ErrMACAlgorithm
	}
	m := moov.NewMessage(spec)
	if err := unpackInto(m, packed, Strict); err != nil {
		return nil, err
	}
	alg, err := keyFor(m)
	if err != nil {
		return m, fmt.Errorf("%w: %w", ErrMACKey, err)
	}
	return m, verifyUnpacked(m, packed, alg)
}

// verifyUnpacked verifies the MAC of m, unpacked from packed.
func verifyUnpacked(m *moov.Message, packed []byte, alg MACAlgorithm) error {
	id := macFieldUnpacked(m)
	f := m.GetField(id)
	if f == nil {
		return fmt.Errorf("%w: field %d", ErrNoMAC, id)
	}
	tag, err := f.Bytes()
	if err != nil {
		return fmt.Errorf("%w: field %d", ErrNoMAC, id)
	}
	fp, err := f.Pack()
	if err != nil || len(fp) > len(packed) {
		return fmt.Errorf("%w: field %d", ErrNoMAC, id)
	}
	return checkTag(alg, packed, tag, fp)
}

// VerifyMessage repacks m and verifies the MAC it carries. Prefer
// VerifyPacked on received bytes: repacking gives the same bytes only when
// every field round-trips.
func VerifyMessage(m *moov.Message, alg MACAlgorithm) error {
	id := MACField(m)
	if m.GetField(id) == nil {
		return fmt.Errorf("%w: field %d", ErrNoMAC, id)
	}
	packed, err := packMessage(m)
	if err != nil {
		return err
	}
	_, err = VerifyPacked(m.GetSpec(), packed, alg)
	return err
}

// checkTag checks tag, the MAC field as received, whose packed form fp
// ends packed, against alg's MAC of the bytes before it.
func checkTag(alg MACAlgorithm, packed, tag, fp []byte) error {
	// the MAC field must be the last field and in its canonical encoding
	// (an ASCII hex MAC in another letter case is not the MAC that was sent)
	canonical := bytes.Equal(fp, packed[len(packed)-len(fp):])
	if alg == nil || alg.Size() < mac.MinTagLength {
		return ErrMACAlgorithm
	}
	// the field carries the MAC's leftmost n bytes, zero-filled to 8: the
	// truncation is named, never taken from the received tag's length
	n := min(MACLength, alg.Size())
	if !canonical || len(tag) != MACLength || !mac.VerifyTruncated(alg, packed[:len(packed)-len(fp)], tag[:n], n) ||
		!zeros(tag[n:]) {
		return ErrMACMismatch
	}
	return nil
}
