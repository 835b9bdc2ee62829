package iso8583

import (
	"crypto/subtle"
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
	if w := wireOf(spec); w != nil {
		dst, _, err := wirePack(w, dst, t, 0)
		return dst, err
	}
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
	_, _, err := unpackInto2(spec, b, t, mode)
	return err
}

// unpackInto2 is UnpackInto that also returns what MAC verification needs:
// the wire facts of the lean path, or the moov message of the moov path
// (non-nil only when the message unpacked that way).
func unpackInto2(spec *moov.MessageSpec, b []byte, t *Transaction, mode UnpackMode) (wireInfo, *moov.Message, error) {
	if w := wireOf(spec); w != nil {
		info, err := unpackWire(w, b, t, mode)
		if err != errWireFallback {
			return info, nil, err
		}
	}
	m, tx, err := unpackMoov(spec, b, mode)
	if err != nil {
		*t = Transaction{}
		return wireInfo{}, m, err
	}
	*t = *tx
	return wireInfo{}, m, nil
}

// unpackMoov unpacks b through a moov message: the path of specs the
// lean path does not serve, and the reference of the differential tests.
// m is nil when b did not unpack.
func unpackMoov(spec *moov.MessageSpec, b []byte, mode UnpackMode) (*moov.Message, *Transaction, error) {
	m := moov.NewMessage(spec)
	if err := unpackInto(m, b, mode); err != nil {
		return nil, nil, err
	}
	t, err := fromUnpacked(m)
	if fe, ok := err.(*FieldError); ok && fe.Offset < 0 {
		fe.Offset, _ = layoutOf(spec).measure(m, b, fe.Field)
	}
	if err != nil {
		return nil, nil, err
	}
	return m, t, nil
}

// AppendSigned appends t, packed with spec and signed under alg, to dst:
// the message packs once with room for the MAC in field 64 (field 128
// when a field above 64 is set and the spec defines 128), the MAC is
// computed over the bytes before the MAC field and written in place. t is
// not modified (its MAC field, if set, is ignored). The bytes are those
// of SignMessage(t.Message(spec), alg); errors are SignMessage's (ErrNoMAC,
// ErrMACAlgorithm, a *FieldError), with dst unchanged in length.
func (t *Transaction) AppendSigned(dst []byte, spec *moov.MessageSpec, alg MACAlgorithm) ([]byte, error) {
	w := wireOf(spec)
	if w == nil {
		return t.appendSignedMoov(dst, spec, alg)
	}
	id := 64
	if w.secondary && t.hasSecondaryField() {
		id = 128
	}
	mark := len(dst)
	out, at, err := wirePack(w, dst, t, id)
	if err != nil {
		return dst, err
	}
	if alg == nil || alg.Size() < 4 {
		return out[:mark], ErrMACAlgorithm
	}
	var tag [MACLength]byte
	copy(tag[:], alg.MAC(out[mark:mark+at]))
	out, err = wireAppend(out[:mark+at], &w.fields[id], tag[:])
	if err != nil { // cannot happen: the placeholder of the same size packed
		return dst, &FieldError{Field: id, Offset: -1, Err: err}
	}
	return out, nil
}

// hasSecondaryField reports whether a field of t above 64 is set: MACField
// of its message.
func (t *Transaction) hasSecondaryField() bool {
	for _, f := range txStrings {
		if f.id > 64 && *f.get(t) != "" {
			return true
		}
	}
	return false
}

// appendSignedMoov is AppendSigned through a moov message.
func (t *Transaction) appendSignedMoov(dst []byte, spec *moov.MessageSpec, alg MACAlgorithm) ([]byte, error) {
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
	info, m, err := unpackInto2(spec, packed, t, Strict)
	if err != nil {
		return err
	}
	alg, err := keyFor(t)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMACKey, err)
	}
	if m != nil {
		return verifyUnpacked(m, packed, alg)
	}
	return verifyWire(wireOf(spec), packed, info, alg)
}

// verifyWire is verifyUnpacked for a message the lean path unpacked: the
// MAC field is 128 when a secondary bitmap came, else 64; it must be the
// last field, in its canonical encoding, and carry the MAC of the bytes
// before it.
func verifyWire(w *wireLayout, packed []byte, info wireInfo, alg MACAlgorithm) error {
	id := 64
	if info.bits > 64 {
		id = 128
	}
	at := info.mac[id>>7]
	if at[1] == 0 {
		return fmt.Errorf("%w: field %d", ErrNoMAC, id)
	}
	f := &w.fields[id]
	var tagBuf, fpBuf [64]byte
	tag, _, _, err := wireDecode(tagBuf[:0], f, packed[at[0]:at[1]])
	if err != nil {
		return fmt.Errorf("%w: field %d", ErrNoMAC, id)
	}
	fp, err := wireAppend(fpBuf[:0], f, tag)
	if err != nil || len(fp) > len(packed) {
		return fmt.Errorf("%w: field %d", ErrNoMAC, id)
	}
	return checkTag(alg, packed, tag, fp)
}

// zeros reports, in time that depends on its length only, whether b holds
// only zero bytes.
func zeros(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return subtle.ConstantTimeByteEq(acc, 0) == 1
}

// ResponseInto is NewResponse writing the answer into r instead of a new
// Transaction: r is overwritten with what NewResponse(req, code, rrn,
// authCode, now) returns, and the error is NewResponse's. The answer's
// strings are req's (strings are immutable, so sharing them is safe);
// when r.F60 or r.F61 is non-nil and not req's own, the answer's copy of
// req's field goes into that struct rather than a new one.
func (req *Transaction) ResponseInto(r *Transaction, code, rrn, authCode string, now time.Time) error {
	if req == nil || len(req.MTI) != 4 || req.MTI[2]&1 != 0 {
		return ErrMTI
	}
	f60, f61 := r.F60, r.F61
	if req.F60 != nil && (f60 == nil || f60 == req.F60) {
		f60 = &Field60{}
	}
	if req.F61 != nil && (f61 == nil || f61 == req.F61) {
		f61 = &Field61{}
	}
	clock := responseClock(now)
	*r = Transaction{
		MTI:              responseMTI(req.MTI),
		PAN:              req.PAN,
		ProcessingCode:   req.ProcessingCode,
		Amount:           req.Amount,
		TransmissionTime: req.TransmissionTime,
		STAN:             req.STAN,
		LocalTime:        clock[:6],
		LocalDate:        clock[6:],
		ConditionCode:    req.ConditionCode,
		AcquirerID:       req.AcquirerID,
		RRN:              rrn,
		AuthCode:         authCode,
		ResponseCode:     code,
		TerminalID:       req.TerminalID,
		MerchantID:       req.MerchantID,
		Currency:         req.Currency,
		NetworkMgmtCode:  req.NetworkMgmtCode,
		AccountID1:       req.AccountID1,
		AccountID2:       req.AccountID2,
	}
	if r.PAN == "" {
		r.PAN = panOfTrack(req.Track2)
	}
	if req.F60 != nil {
		*f60 = *req.F60
		r.F60 = f60
	}
	if req.F61 != nil {
		*f61 = *req.F61
		r.F61 = f61
	}
	return nil
}

// answerMTIs holds every MTI of digits ending in 0, "0000" to "9990", in
// 4-character steps of one string, so that an answer's MTI is a substring
// of it.
var answerMTIs = func() string {
	b := make([]byte, 0, 4000)
	for i := range 1000 {
		b = append(b, byte('0'+i/100), byte('0'+i/10%10), byte('0'+i%10), '0')
	}
	return string(b)
}()

// responseMTI is NewResponse's answer MTI for request MTI mti (four
// characters, the third even): the third digit plus one, the fourth 0.
func responseMTI(mti string) string {
	a := [3]byte{mti[0], mti[1], mti[2] + 1}
	k := 0
	for _, c := range a {
		if c-'0' > 9 {
			return string([]byte{a[0], a[1], a[2], '0'})
		}
		k = 10*k + int(c-'0')
	}
	return answerMTIs[4*k : 4*k+4]
}

// responseClock formats now as hhmmss then MMDD in one string: what
// NewResponse formats as "150405" and "0102".
func responseClock(now time.Time) string {
	h, m, s := now.Clock()
	_, mo, d := now.Date()
	return string([]byte{
		byte('0' + h/10), byte('0' + h%10), byte('0' + m/10), byte('0' + m%10), byte('0' + s/10), byte('0' + s%10),
		byte('0' + int(mo)/10), byte('0' + int(mo)%10), byte('0' + d/10), byte('0' + d%10),
	})
}
