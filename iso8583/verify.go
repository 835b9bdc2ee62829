package iso8583

import moov "github.com/moov-io/iso8583"

// VerifyTransaction is VerifyPackedFunc for a host that also wants the
// typed request: it unpacks packed once, strictly, verifies the MAC under
// the algorithm keyFor returns and reads the Transaction from the same
// message. The message and the transaction are returned whenever the
// message unpacked, also on a MAC mismatch (ErrMACMismatch) or a callback
// error (ErrMACKey), so that the host can answer; t is nil when a field
// does not fit Transaction (a *FieldError, checked before the MAC).
// A host that needs no moov message calls VerifyInto: the same checks
// without one, into a Transaction it reuses.
func VerifyTransaction(spec *moov.MessageSpec, packed []byte, keyFor func(*moov.Message) (MACAlgorithm, error)) (m *moov.Message, t *Transaction, err error) {
	m, err = VerifyPackedFunc(spec, packed, keyFor)
	if m == nil {
		return nil, nil, err
	}
	t, terr := fromUnpacked(m)
	if terr != nil {
		if fe, ok := terr.(*FieldError); ok && fe.Offset < 0 {
			fe.Offset, _ = layoutOf(spec).measure(m, packed, fe.Field)
		}
		return m, nil, terr
	}
	return m, t, err
}
