package iso8583

import (
	"fmt"

	moov "github.com/moov-io/iso8583"
)

// leanReceived is what a MessageIO in Lean mode keeps of a message it read
// or was handed by Packed, until the caller takes it or writes it.
type leanReceived struct {
	raw  []byte       // the message bytes (the frame's, owned)
	tx   *Transaction // read: the Transaction unpacked strictly from raw
	info wireInfo     // read on the lean path: where the MAC field is
	full *moov.Message
}

// readLean is ReadMessage's Lean mode: raw unpacked once, strictly, into a
// Transaction; the connection package gets a message with only the MTI
// and fields 11 and 41 (or the full message, for a spec the lean path
// does not serve).
func (c *MessageIO) readLean(raw []byte) (*moov.Message, error) {
	// one allocation for the Transaction and the structs of 60, 61 and 63,
	// which UnpackInto fills when the message has them
	box := &struct {
		tx  Transaction
		f60 Field60
		f61 Field61
		f63 Field63
	}{}
	tx := &box.tx
	tx.F60, tx.F61, tx.F63 = &box.f60, &box.f61, &box.f63
	info, full, err := unpackInto2(c.Spec, raw, tx, Strict)
	if err != nil {
		return nil, err
	}
	m := full
	if m == nil {
		m = thinMessage(c.Spec, tx.MTI, tx.STAN, tx.TerminalID)
	}
	c.keep(m, leanReceived{raw: raw, tx: tx, info: info, full: full})
	return m, nil
}

// thinMessage is a moov message of spec holding only the MTI and fields
// 11 and 41: what iso8583-connection (isResponse, request IDs by STAN)
// and MessageIO's reply pairing read.
func thinMessage(spec *moov.MessageSpec, mti, stan, tid string) *moov.Message {
	m := moov.NewMessage(spec)
	m.MTI(mti)
	if stan != "" {
		_ = m.MarshalPath("11", &stan)
	}
	if tid != "" {
		_ = m.MarshalPath("41", &tid)
	}
	return m
}

// keep remembers e for m, dropping an older entry when maxRecent are kept
// (messages read but never taken).
func (c *MessageIO) keep(m *moov.Message, e leanReceived) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept == nil {
		c.kept = make(map[*moov.Message]leanReceived)
	}
	if len(c.kept) >= maxRecent {
		for k := range c.kept {
			delete(c.kept, k)
			break
		}
	}
	c.kept[m] = e
}

// take returns and forgets what is kept for m.
func (c *MessageIO) take(m *moov.Message) (leanReceived, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.kept[m]
	if ok {
		delete(c.kept, m)
	}
	return e, ok
}

// TakeReceived returns, for a message ReadMessage returned in Lean mode,
// the message bytes received and the Transaction unpacked strictly from
// them, and forgets both: the caller owns them. ok is false for a message
// not read in Lean mode, already taken, or dropped (more than 256 read and
// not taken).
func (c *MessageIO) TakeReceived(m *moov.Message) (packed []byte, t *Transaction, ok bool) {
	e, ok := c.take(m)
	if !ok || e.tx == nil {
		return nil, nil, false
	}
	return e.raw, e.tx, true
}

// VerifyReceived is VerifyInto for a message ReadMessage returned in Lean
// mode, without a second unpack: it takes what was received for m (as
// TakeReceived), asks keyFor for the MAC algorithm and verifies the MAC
// over the bytes received. The Transaction is returned whenever m was
// read in Lean mode, also with ErrMACMismatch, ErrNoMAC, ErrMACAlgorithm
// or an ErrMACKey, so that the host can answer; for another message the
// error is ErrNoReceived.
func (c *MessageIO) VerifyReceived(m *moov.Message, keyFor func(*Transaction) (MACAlgorithm, error)) (*Transaction, error) {
	e, ok := c.take(m)
	if !ok || e.tx == nil {
		return nil, ErrNoReceived
	}
	if keyFor == nil {
		return e.tx, ErrMACAlgorithm
	}
	alg, err := keyFor(e.tx)
	if err != nil {
		return e.tx, fmt.Errorf("%w: %w", ErrMACKey, err)
	}
	if e.full != nil {
		return e.tx, verifyUnpacked(e.full, e.raw, alg)
	}
	return e.tx, verifyWire(wireOf(c.Spec), e.raw, e.info, alg)
}

// Packed returns a message for iso8583-connection's Send or Reply that
// WriteMessage writes as packed, byte for byte (AppendSigned's output,
// say): the message holds only the MTI and fields 11 and 41 read from
// packed, for the connection's matching and the reply's TPDU and header.
// packed is copied. The message is written once; a message Packed but
// never written is dropped after 256 others.
func (c *MessageIO) Packed(packed []byte) (*moov.Message, error) {
	if c.Spec == nil {
		return nil, fmt.Errorf("%w: no spec", ErrConnection)
	}
	raw := append([]byte(nil), packed...)
	var m *moov.Message
	if w := wireOf(c.Spec); w != nil {
		var tx Transaction
		if _, err := unpackWire(w, raw, &tx, Lenient); err != nil && err != errWireFallback {
			return nil, fmt.Errorf("%w: %w", ErrConnection, err)
		} else if err == nil {
			m = thinMessage(c.Spec, tx.MTI, tx.STAN, tx.TerminalID)
		}
	}
	if m == nil {
		full, err := UnpackMessage(c.Spec, raw, Lenient)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConnection, err)
		}
		m = full
	}
	c.keep(m, leanReceived{raw: raw})
	return m, nil
}

// packedFor returns the bytes Packed keeps for m, and forgets them.
func (c *MessageIO) packedFor(m *moov.Message) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.kept[m]
	if !ok || e.tx != nil {
		return nil, false
	}
	delete(c.kept, m)
	return e.raw, true
}

// AppendReply appends to dst the frame that carries packed (AppendSigned's
// output, say) as the answer to req, a message ReadMessage returned: with
// ReplyTPDU, the request's TPDU reversed and its header, as WriteMessage
// frames a reply. A host writes the frame itself, in one call
// (iso8583-connection's Connection.Write), without a moov message for the
// answer.
func (c *MessageIO) AppendReply(dst []byte, req *moov.Message, packed []byte) ([]byte, error) {
	return c.Framing.AppendFrame(dst, c.frameFor(req, packed))
}
