package iso8583

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"

	moov "github.com/moov-io/iso8583"
	connection "github.com/moov-io/iso8583-connection"
	moovErrors "github.com/moov-io/iso8583/errors"
)

// Errors of MessageIO and Conn.
var (
	// ErrConnection reports a connection that could not be set up (no
	// spec, a dial or option failure) or a message that could not be
	// packed for it.
	ErrConnection = errors.New("iso8583: connection")
	// ErrFrameMessage reports a frame whose message does not unpack
	// strictly (see [UnpackMessage]); it wraps the *FieldError inside a
	// moov UnpackError, on which iso8583-connection keeps reading, built
	// without the raw message, which holds card data.
	ErrFrameMessage = errors.New("iso8583: unreadable message in frame")
	// ErrNoReceived reports a message for which a MessageIO keeps no
	// received bytes (not read in Lean mode, or already taken).
	ErrNoReceived = errors.New("iso8583: no received message kept")
)

// MessageIO reads and writes whole messages in a Framing, for one
// connection. Its ReadMessage and WriteMessage have the shape of
// moov-io/iso8583-connection's MessageReader and MessageWriter (v0.9.0), so
// a *MessageIO can be given to connection.SetMessageReader and
// connection.SetMessageWriter — one MessageIO per connection, never shared
// between connections: [Conn.New] makes them, and [Conn.ServerFactory],
// [Conn.ServerFactoryFor] and [Conn.Dial] wire them into the connection
// package.
//
// A request sent carries TPDU and Header. With ReplyTPDU set (a host), a
// response is written with the TPDU (Reply, source and destination
// swapped) and the UnionPay header of the request it answers, found by
// the request's MTI class, STAN (11) and terminal ID (41); so replies
// written concurrently, in any order, each go back with their own
// request's TPDU. A message that answers nothing read on this MessageIO
// is written with the TPDU and header of the latest request read, or, if
// none, with TPDU and Header.
//
// With Lean set (a host on the lean path), ReadMessage unpacks each
// message once, strictly, into a Transaction, and hands the connection
// package a message holding only the MTI and fields 11 and 41; the host
// takes the Transaction and the bytes with VerifyReceived or
// TakeReceived, and answers with a message made by Packed from the bytes
// of AppendSigned, which WriteMessage writes as they are. Lean mode
// refuses what Unpack refuses (fields 60, 61 and 63 included).
//
// The exported fields are configuration: set them before first use. A
// MessageIO is safe for concurrent use by one connection's read and write
// loops.
type MessageIO struct {
	Spec      *moov.MessageSpec
	Framing   Framing
	TPDU      TPDU
	Header    Header
	ReplyTPDU bool
	Lean      bool

	mu     sync.Mutex
	recent []received // ring of the frames read, newest at (next-1)
	next   int
	last   received
	seen   bool
	kept   map[*moov.Message]leanReceived // Lean mode and Packed (leanconn.go)
}

// maxRecent bounds how many received frames a MessageIO remembers for
// pairing: enough for any number of requests a POS connection has in
// flight, small enough that requests never answered cost nothing.
const maxRecent = 256

// received is what a MessageIO remembers of one frame it read.
type received struct {
	key    pairKey
	tpdu   TPDU
	header Header
	used   bool
}

// pairKey identifies a request and its response: MTI with the response and
// repeat digits cleared, STAN and terminal ID.
type pairKey struct {
	mti  [4]byte
	stan [6]byte
	tid  [8]byte
}

func keyOf(m *moov.Message) (pairKey, bool) {
	var k pairKey
	mti, err := m.GetMTI()
	if err != nil || len(mti) != 4 {
		return k, false
	}
	copy(k.mti[:], mti)
	k.mti[2] &^= 1 // 0210 -> 0200, 0230 -> 0220, 0410 -> 0400
	k.mti[3] = '0' // 0401 -> 0400, 0221 -> 0220
	stan, err := m.GetString(11)
	if err != nil || stan == "" || len(stan) > len(k.stan) {
		return k, false
	}
	copy(k.stan[:], stan)
	tid, _ := m.GetString(41)
	if len(tid) > len(k.tid) {
		return k, false
	}
	copy(k.tid[:], tid)
	return k, true
}

// ReadMessage reads one frame from r and unpacks it. It reads exactly one
// frame's bytes, so r may be buffered by the caller (the connection
// package wraps its net.Conn in a bufio.Reader).
func (c *MessageIO) ReadMessage(r io.Reader) (*moov.Message, error) {
	if c.Spec == nil {
		return nil, fmt.Errorf("%w: no spec", ErrConnection)
	}
	var hdr [4]byte
	b, err := c.Framing.readFrame(r, nil, &hdr)
	if err != nil {
		return nil, err
	}
	fr, err := c.Framing.ParseFrame(b)
	if err != nil {
		return nil, err
	}
	var m *moov.Message
	if c.Lean {
		m, err = c.readLean(fr.Message)
	} else {
		m, err = UnpackMessage(c.Spec, fr.Message, Strict)
	}
	if err != nil {
		ue := &moovErrors.UnpackError{Err: err}
		var fe *FieldError
		if errors.As(err, &fe) {
			ue.FieldID = strconv.Itoa(fe.Field)
		}
		return nil, fmt.Errorf("%w: %w", ErrFrameMessage, ue)
	}
	c.remember(m, fr)
	return m, nil
}

func (c *MessageIO) remember(m *moov.Message, fr Frame) {
	k, ok := keyOf(m)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last, c.seen = received{tpdu: fr.TPDU, header: fr.Header}, true
	if !ok {
		return
	}
	rec := received{key: k, tpdu: fr.TPDU, header: fr.Header}
	if len(c.recent) < maxRecent {
		c.recent = append(c.recent, rec)
		return
	}
	c.recent[c.next] = rec
	c.next = (c.next + 1) % maxRecent
}

// lookup returns the newest frame read under k; take marks it used so a
// second answer to the same request falls back to the latest frame.
func (c *MessageIO) lookup(k pairKey, take bool) (received, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.recent)
	for i := range n {
		j := (c.next - 1 - i + 2*n) % n
		if r := &c.recent[j]; r.key == k && !r.used {
			if take {
				r.used = true
			}
			return *r, true
		}
	}
	return received{}, false
}

// ReceivedFrame returns the TPDU and UnionPay header of the frame in
// which m, or the request m answers, was read on this MessageIO; ok is
// false when none is remembered (a message without STAN, or older than
// the last 256 read).
func (c *MessageIO) ReceivedFrame(m *moov.Message) (tpdu TPDU, header Header, ok bool) {
	k, kok := keyOf(m)
	if !kok {
		return tpdu, header, false
	}
	r, ok := c.lookup(k, false)
	return r.tpdu, r.header, ok
}

// WriteMessage packs m and writes it as one frame, in one Write call.
// A message made by Packed is written as the bytes it was made from.
func (c *MessageIO) WriteMessage(w io.Writer, m *moov.Message) error {
	packed, ok := c.packedFor(m)
	if !ok {
		var err error
		if packed, err = m.Pack(); err != nil {
			return fmt.Errorf("%w: pack: %w", ErrConnection, err)
		}
	}
	return c.write(w, c.frameFor(m, packed))
}

// frameFor is the frame that carries packed, the message m or its answer:
// TPDU and Header, or with ReplyTPDU the request's TPDU reversed and its
// header (see MessageIO).
func (c *MessageIO) frameFor(m *moov.Message, packed []byte) Frame {
	fr := Frame{TPDU: c.TPDU, Header: c.Header, Message: packed}
	if !c.ReplyTPDU {
		return fr
	}
	if k, ok := keyOf(m); ok {
		if r, ok := c.lookup(k, true); ok {
			fr.TPDU, fr.Header = r.tpdu.Reply(), r.header
			return fr
		}
	}
	c.mu.Lock()
	if c.seen {
		fr.TPDU, fr.Header = c.last.tpdu.Reply(), c.last.header
	}
	c.mu.Unlock()
	return fr
}

func (c *MessageIO) write(w io.Writer, fr Frame) error {
	b, err := c.Framing.AppendFrame(nil, fr)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Conn describes the connections of one side: spec, framing, and the TPDU
// and header a terminal sends (Host false) or the host's reply rule (Host
// true: answers take TPDU and header from the request they answer). It
// makes the per-connection MessageIO that moov-io/iso8583-connection
// needs; a Conn value is only configuration and may be shared. Lean makes
// MessageIOs in Lean mode (see MessageIO).
type Conn struct {
	Spec    *moov.MessageSpec
	Framing Framing
	TPDU    TPDU   // sent by a terminal; unused by a host
	Header  Header // sent by a terminal; unused by a host
	Host    bool
	Lean    bool
}

// New returns a fresh MessageIO for one connection.
func (c Conn) New() *MessageIO {
	return &MessageIO{Spec: c.Spec, Framing: c.Framing, TPDU: c.TPDU, Header: c.Header, ReplyTPDU: c.Host, Lean: c.Lean}
}

// Options returns the connection options that install a fresh MessageIO
// (as reader and writer) followed by opts. Call it once per connection.
func (c Conn) Options(opts ...connection.Option) []connection.Option {
	mio := c.New()
	return append([]connection.Option{connection.SetMessageReader(mio), connection.SetMessageWriter(mio)}, opts...)
}

// ServerFactory returns a connection factory for iso8583-connection's
// server (server.WithConnectionFactory): each accepted connection gets its
// own MessageIO, then opts (an InboundMessageHandler that answers with
// Connection.Reply, say).
func (c Conn) ServerFactory(opts ...connection.Option) func(net.Conn) (*connection.Connection, error) {
	return func(nc net.Conn) (*connection.Connection, error) {
		if c.Spec == nil {
			return nil, fmt.Errorf("%w: no spec", ErrConnection)
		}
		conn, err := connection.NewFrom(nc, c.Spec, nil, nil, c.Options(opts...)...)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConnection, err)
		}
		return conn, nil
	}
}

// ServerFactoryFor is ServerFactory for a host that needs each
// connection's MessageIO in its handlers (to read the TPDU and header a
// request came with, MessageIO.ReceivedFrame): opts is called once per
// accepted connection with that connection's MessageIO.
func (c Conn) ServerFactoryFor(opts func(mio *MessageIO) []connection.Option) func(net.Conn) (*connection.Connection, error) {
	return func(nc net.Conn) (*connection.Connection, error) {
		if c.Spec == nil || opts == nil {
			return nil, fmt.Errorf("%w: no spec or options", ErrConnection)
		}
		mio := c.New()
		all := append([]connection.Option{connection.SetMessageReader(mio), connection.SetMessageWriter(mio)}, opts(mio)...)
		conn, err := connection.NewFrom(nc, c.Spec, nil, nil, all...)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConnection, err)
		}
		return conn, nil
	}
}

// Dial connects a client connection to addr with its own MessageIO and
// opts (timeouts, a RequestIDGenerator, handlers). The connection package
// matches each answer to its request by the generator's ID (by default
// MTI-independent STAN and RRN, fields 11 and 37; a terminal usually
// wants STAN and terminal ID).
func (c Conn) Dial(addr string, opts ...connection.Option) (*connection.Connection, error) {
	if c.Spec == nil {
		return nil, fmt.Errorf("%w: no spec", ErrConnection)
	}
	conn, err := connection.New(addr, c.Spec, nil, nil, c.Options(opts...)...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConnection, err)
	}
	if err := conn.Connect(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConnection, err)
	}
	return conn, nil
}
