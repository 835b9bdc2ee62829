package iso8583

import (
	"fmt"
	"time"

	moov "github.com/moov-io/iso8583"
)

// AppendPack appends t, packed with spec, to dst and returns the extended
// slice: Pack without the allocation of a new buffer. A host packs every
// answer into one buffer it keeps (buf, err = tx.AppendPack(buf[:0], spec)).
// On error dst is returned unchanged in length, with a *FieldError naming
// the field. The bytes are those Pack and moov's Message(spec).Pack give.
//
// For the package's own specs (SpecUnionPay, Spec87ASCII, and any spec
// whose codecs are the package's own) AppendPack writes the fields
// straight from t without a moov message; for a spec with other codecs it
// goes through Message.
func (t *Transaction) AppendPack(dst []byte, spec *moov.MessageSpec) ([]byte, error) {
	b, err := t.packMoov(spec)
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// packMoov is Pack through a moov message.
func (t *Transaction) packMoov(spec *moov.MessageSpec) ([]byte, error) {
	m, err := t.Message(spec)
	if err != nil {
		return nil, err
	}
	return packMessage(m)
}

// UnpackInto unpacks b with spec into t, in the given mode: Unpack and
// UnpackWith for a caller that keeps a Transaction (a pool, or one per
// connection) and reads message after message into it. Errors are the
// *FieldError values of Unpack, with the field and its offset; the
// Transaction is the one Unpack would return.
//
// Ownership: every field of t is overwritten (fields the message lacks
// become empty or nil). The strings of t share one string made for this
// message; the byte fields (PINBlock, ICC, F62, MAC) share one new byte
// slice, each capped so that an append copies. Nothing of b is kept: the
// caller may reuse b at once. When t.F60, t.F61 or t.F63 is non-nil and
// the message carries the field, UnpackInto writes into the struct it
// points to (set the pointer to nil first if that struct is shared); when
// the message lacks the field the pointer becomes nil. On error t is
// reset to the zero Transaction. t must not be used by another goroutine
// during the call; different Transactions may be unpacked concurrently.
func UnpackInto(spec *moov.MessageSpec, b []byte, t *Transaction, mode UnpackMode) error {
	if t == nil {
		return &FieldError{Field: 0, Offset: 0, Err: fmt.Errorf("%w: nil Transaction", ErrField)}
	}
	tx, err := UnpackWith(spec, b, mode)
	if err != nil {
		*t = Transaction{}
		return err
	}
	*t = *tx
	return nil
}

// AppendSigned appends t, packed with spec and signed under alg, to dst:
// the message packs once with room for the MAC in field 64 (field 128
// when a field above 64 is set and the spec defines 128), the MAC is
// computed over the bytes before the MAC field and written in place. t is
// not modified (its MAC field, if set, is ignored). The bytes are those
// of SignMessage(t.Message(spec), alg); errors are SignMessage's (ErrNoMAC,
// ErrMACAlgorithm, a *FieldError), with dst unchanged in length.
func (t *Transaction) AppendSigned(dst []byte, spec *moov.MessageSpec, alg MACAlgorithm) ([]byte, error) {
	m, err := t.Message(spec)
	if err != nil {
		return dst, err
	}
	b, err := SignMessage(m, alg)
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// VerifyInto unpacks packed with spec strictly into t (see UnpackInto for
// what t owns afterwards), asks keyFor for the MAC algorithm of the
// request it now holds (from t.TerminalID, t.SecurityControl...) and
// verifies the MAC over the bytes received, before the MAC field, in
// constant time: VerifyPackedFunc and VerifyTransaction without a moov
// message. t holds the request whenever the message unpacked, also on a
// MAC mismatch (ErrMACMismatch), a missing MAC (ErrNoMAC) or a keyFor
// error (wrapped in ErrMACKey), so that the host can answer it; on a
// *FieldError t is reset. keyFor must not keep t.
func VerifyInto(spec *moov.MessageSpec, packed []byte, t *Transaction, keyFor func(*Transaction) (MACAlgorithm, error)) error {
	if keyFor == nil {
		return ErrMACAlgorithm
	}
	if err := UnpackInto(spec, packed, t, Strict); err != nil {
		return err
	}
	var alg MACAlgorithm
	_, err := VerifyPackedFunc(spec, packed, func(*moov.Message) (MACAlgorithm, error) {
		var kerr error
		alg, kerr = keyFor(t)
		return alg, kerr
	})
	return err
}

// ResponseInto is NewResponse writing the answer into r instead of a new
// Transaction: r is overwritten with what NewResponse(req, code, rrn,
// authCode, now) returns, and the error is NewResponse's. The answer's
// strings are req's (strings are immutable, so sharing them is safe);
// when r.F60 or r.F61 is non-nil and not req's own, the answer's copy of
// req's field goes into that struct rather than a new one.
func (req *Transaction) ResponseInto(r *Transaction, code, rrn, authCode string, now time.Time) error {
	resp, err := NewResponse(req, code, rrn, authCode, now)
	if err != nil {
		return err
	}
	*r = *resp
	return nil
}
