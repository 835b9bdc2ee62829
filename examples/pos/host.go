package main

// host.go: the acquirer host. It serves terminals through
// moov-io/iso8583-connection's server: each connection gets its own
// hostConn (the MessageReader that keeps the TPDU, UnionPay header and
// exact bytes of every request it read), and every request is answered on
// its own goroutine: unpacked once, MAC verified over the received bytes,
// handed to its handler (authorize.go: PIN, cryptogram, QR, void, refund,
// reversal, advice; ledger.go: booking and settlement) and answered with a
// MAC'd response in a frame whose TPDU and header come from that request.

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	moov "github.com/moov-io/iso8583"
	connection "github.com/moov-io/iso8583-connection"
	"github.com/moov-io/iso8583-connection/server"
	moovErrors "github.com/moov-io/iso8583/errors"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/mac"
)

// hostConfig is what a host is started with.
type hostConfig struct {
	Spec   Spec
	DUKPT  DUKPT
	Addr   string  // listen address; "" is a free loopback port
	Faults faults  // injected network faults, none by default
	Seed   uint64  // seeds the fault draws
	Log    *tracer // one line per event and per fault, masked
}

// Host is the acquirer host (and, for the example, the issuer behind it).
type Host struct {
	spec   Spec
	dukpt  DUKPT
	tdes   *dukpt.TDESReceiver
	aes    *dukpt.AESReceiver
	log    *tracer
	faults *faultInjector

	srv      *server.Server
	inflight sync.WaitGroup // answers being computed or delayed
	closeMu  sync.RWMutex   // orders inflight.Add before Close's Wait
	done     chan struct{}  // closed by Close: delayed answers give up
	conns    sync.Map       // *connection.Connection → struct{}
	rrn      *iso8583.STANSource
	msgs     sync.Pool // MTI-only moov messages for the connections (see hostConn)
	auth     atomic.Uint32
	drop     atomic.Bool // lose the next approved sale's answer

	mu       sync.Mutex            // guards the bookkeeping below, and only that
	sessions map[string]session    // by terminal ID
	ledger   map[ledgerKey]*record // by terminal ID, STAN and date
	latest   map[ledgerKey]*record // by terminal ID and STAN (no date): the last booked
	byRRN    map[string]*record
	orders   map[string]*qrOrder // QR orders by RRN
	early    map[ledgerKey]bool  // reversals that came before their original
	accounts map[string]*account // running totals by terminal ID
	pins     map[string]string   // the issuer's PIN file, by PAN
}

// NewHost starts a host on a free loopback port without faults. It writes
// one line to log for each event and each fault, masked.
func NewHost(spec Spec, d DUKPT, log *tracer) (*Host, error) {
	return startHost(hostConfig{Spec: spec, DUKPT: d, Log: log})
}

// newHost builds a host that does not listen: the benchmark and the fuzz
// target hand it frames directly.
func newHost(cfg hostConfig) (*Host, error) {
	h := &Host{
		spec: cfg.Spec, dukpt: cfg.DUKPT, log: cfg.Log,
		faults:   newFaultInjector(cfg.Faults, cfg.Seed),
		done:     make(chan struct{}),
		rrn:      iso8583.NewSTANSource(0),
		sessions: map[string]session{},
		ledger:   map[ledgerKey]*record{},
		latest:   map[ledgerKey]*record{},
		byRRN:    map[string]*record{},
		orders:   map[string]*qrOrder{},
		early:    map[ledgerKey]bool{},
		accounts: map[string]*account{},
		pins:     map[string]string{card.PAN: card.PIN},
	}
	if h.log == nil {
		h.log = &tracer{w: io.Discard}
	}
	h.msgs.New = func() any { return moov.NewMessage(h.spec.spec()) }
	var err error
	switch cfg.DUKPT {
	case DUKPTTDES:
		h.tdes, err = dukpt.NewTDESReceiver(tdesBDK)
	case DUKPTAES:
		h.aes, err = dukpt.NewAESReceiver(aesBDK)
	default:
		err = fmt.Errorf("unknown DUKPT scheme %q", cfg.DUKPT)
	}
	return h, err
}

// startHost builds a host and serves it on cfg.Addr, which must be a
// loopback address: the example's keys are test keys.
func startHost(cfg hostConfig) (*Host, error) {
	h, err := newHost(cfg)
	if err != nil {
		return nil, err
	}
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := loopbackOnly(addr); err != nil {
		return nil, err
	}
	// The length reader and writer are unused: every connection reads and
	// writes through its hostConn.
	h.srv = server.New(h.spec.spec(), nil, nil)
	if err := h.srv.SetOptions(server.WithConnectionFactory(h.newConn)); err != nil {
		return nil, err
	}
	if err := h.srv.Start(addr); err != nil {
		return nil, err
	}
	return h, nil
}

// loopbackOnly refuses an address that is not 127.0.0.0/8, ::1 or
// localhost.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s: the example host serves test keys on loopback addresses only", addr)
	}
	return nil
}

// Addr is the address terminals dial.
func (h *Host) Addr() string { return h.srv.Addr }

// Close stops accepting, closes every connection and waits for the answers
// still being computed.
func (h *Host) Close() error {
	h.closeMu.Lock()
	select {
	case <-h.done:
		h.closeMu.Unlock()
		return nil
	default:
	}
	close(h.done)
	h.closeMu.Unlock()
	if h.srv != nil {
		h.srv.Close()
		h.conns.Range(func(k, _ any) bool {
			k.(*connection.Connection).Close()
			return true
		})
	}
	h.inflight.Wait()
	return nil
}

// enter counts an answer in flight, unless the host is closing.
func (h *Host) enter() bool {
	h.closeMu.RLock()
	defer h.closeMu.RUnlock()
	select {
	case <-h.done:
		return false
	default:
		h.inflight.Add(1)
		return true
	}
}

// SetFaults changes the faults the host injects from now on.
func (h *Host) SetFaults(f faults) { h.faults.set(f) }

// DropNextReply makes the host book the next sale but lose its answer, as a
// network fault would; the terminal then times out and reverses it.
func (h *Host) DropNextReply() { h.drop.Store(true) }

// newConn is the server's connection factory: each connection gets its
// own hostConn, so the frames of one terminal never pair with another's.
func (h *Host) newConn(nc net.Conn) (*connection.Connection, error) {
	hc := &hostConn{h: h, peer: nc.RemoteAddr().String(), framing: h.spec.framing(), pending: map[*moov.Message]iso8583.Frame{}}
	c, err := connection.NewFrom(nc, h.spec.spec(), nil, nil,
		connection.SetMessageReader(hc),
		connection.SetMessageWriter(hc),
		connection.InboundMessageHandler(hc.inbound),
		connection.ReadTimeout(time.Hour), // a terminal may stay idle
		connection.ConnectionClosedHandler(func(c *connection.Connection) { h.conns.Delete(c) }),
	)
	if err != nil {
		return nil, err
	}
	h.conns.Store(c, struct{}{})
	select {
	case <-h.done: // closed while this connection was being set up
		c.Close()
	default:
	}
	return c, nil
}

// hostConn is the host's side of one connection. Its MessageReader reads
// each frame (one read syscall when the terminal wrote it whole: the
// connection's reader is buffered) and keeps the request's bytes, TPDU
// and UnionPay header until it is answered; the connection gets a pooled
// moov message holding only the MTI, which is all iso8583-connection reads
// of a request (to tell it from a response). The request is unpacked once,
// with its MAC verified, on the goroutine that answers it; the answer is
// written whole with the request's TPDU (swapped) and header, so requests
// answered out of order on one connection each get their own.
type hostConn struct {
	h       *Host
	peer    string
	framing iso8583.Framing
	rd      *iso8583.Reader
	src     io.Reader // what rd reads from

	mu      sync.Mutex
	pending map[*moov.Message]iso8583.Frame
}

// ReadMessage reads the next request. A frame that is not a message of the
// spec closes the connection: the stream can no longer be trusted.
func (c *hostConn) ReadMessage(r io.Reader) (*moov.Message, error) {
	if c.rd == nil || c.src != r {
		c.rd, c.src = iso8583.NewReader(r, c.framing), r
	}
	fr, err := c.rd.ReadFrame()
	switch {
	case err == nil:
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		return nil, err // a clean hang-up, or the host shutting down
	case errors.Is(err, iso8583.ErrShortFrame):
		c.h.log.printf("host: %s: closing: disconnected mid-frame (%v)\n", c.peer, err)
		return nil, err
	case errors.Is(err, iso8583.ErrFrameTooLarge):
		c.h.log.printf("host: %s: closing: oversize length header (%v)\n", c.peer, err)
		return nil, err
	default:
		c.h.log.printf("host: %s: closing: %v\n", c.peer, err)
		return nil, err
	}
	mti, ok := mtiOf(c.h.spec, fr.Message)
	if !ok {
		c.h.log.printf("host: %s: closing: garbage frame of %d bytes: cannot unpack field 0\n", c.peer, len(fr.Message))
		return nil, errors.New("garbage frame") // not an UnpackError: the connection closes
	}
	if mti[2]&1 == 1 {
		// an answer (0210, 0410...): the host sends no requests, and the
		// MTI-only message would not carry the STAN the connection
		// matches answers by
		c.h.log.printf("host: %s: closing: an answer (MTI %s) where a request belongs\n", c.peer, mti)
		return nil, errors.New("answer from a terminal")
	}
	m := c.h.msgs.Get().(*moov.Message)
	if err := m.Field(0, mti); err != nil {
		return nil, err
	}
	// the reader reuses its buffer: the request keeps a copy of its bytes
	fr.Message = bytes.Clone(fr.Message)
	c.mu.Lock()
	c.pending[m] = fr
	c.mu.Unlock()
	return m, nil
}

// WriteMessage is the connection's MessageWriter. The host writes its
// answers whole with conn.Write; the connection's own sends (none on a
// server) would need a spec-packed message, so it refuses them.
func (c *hostConn) WriteMessage(io.Writer, *moov.Message) error {
	return errors.New("the host writes whole frames only")
}

// mtiOf reads the MTI of a packed message: four ASCII digits on the ASCII
// spec, two BCD bytes on the UnionPay spec.
func mtiOf(s Spec, b []byte) (string, bool) {
	var d [4]byte
	switch {
	case s == SpecCUP && len(b) >= 2:
		for i, c := range b[:2] {
			d[2*i], d[2*i+1] = '0'+c>>4, '0'+c&0x0F
		}
	case s != SpecCUP && len(b) >= 4:
		copy(d[:], b)
	default:
		return "", false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return string(d[:]), true
}

// inbound answers one request (the connection calls it on a goroutine of
// its own), applying the injected faults to the answer.
func (c *hostConn) inbound(conn *connection.Connection, m *moov.Message) {
	c.mu.Lock()
	fr, ok := c.pending[m]
	delete(c.pending, m)
	c.mu.Unlock()
	if !ok {
		return
	}
	h := c.h
	h.msgs.Put(m)
	if !h.enter() {
		return // the host is closing
	}
	defer h.inflight.Done()
	a, err := h.handle(c.peer, fr)
	if err != nil {
		h.log.printf("host: %s: closing: %v\n", c.peer, err)
		conn.Close()
		return
	}
	defer a.release()
	if a.noReply {
		return
	}
	buf := buffers.Get().(*[]byte)
	defer buffers.Put(buf)
	out, err := c.framing.AppendFrame((*buf)[:0], iso8583.Frame{TPDU: fr.TPDU.Reply(), Header: fr.Header, Message: a.packed})
	if err != nil {
		h.log.printf("host: %s: closing: %v\n", c.peer, err)
		conn.Close()
		return
	}
	*buf = out[:0]
	if faultable(a.kind) {
		var cont bool
		if out, cont = h.faults.apply(h, c, conn, a, out); !cont {
			return
		}
	}
	// Write returns once the connection's writer has written out (or the
	// connection is closed): the buffer may go back to the pool after it.
	if _, err := conn.Write(out); err != nil && !errors.Is(err, connection.ErrConnectionClosed) {
		h.log.printf("host: %s: write: %v\n", c.peer, err)
	}
}

// faultable reports whether the answer to a request of kind k may be hit
// by an injected fault: financial requests, reversals and advices, not
// the sign-on, echo, settlement or batch upload.
func faultable(k iso8583.Kind) bool {
	switch k {
	case iso8583.KindSignOn, iso8583.KindEcho, iso8583.KindSettlement, iso8583.KindBatchUpload:
		return false
	}
	return true
}

// answer is the host's answer to one request.
type answer struct {
	packed  []byte       // the answer, packed and MAC'd (see release)
	kind    iso8583.Kind // of the request
	stan    string       // of the request
	noReply bool         // booked, but the answer is lost (DropNextReply)
	buf     *[]byte      // the pooled buffer packed is in, for release
}

// release hands the buffer of a.packed back for another answer; a.packed
// must not be used after. An answer never released is left to the GC.
func (a *answer) release() {
	if a.buf != nil {
		*a.buf = a.packed[:0]
		buffers.Put(a.buf)
		a.buf, a.packed = nil, nil
	}
}

// buffers are the buffers answers are packed and framed into.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// work is what answering one request needs, pooled so that a request
// costs no allocation of its own: the request as a Transaction
// (iso8583.VerifyInto overwrites every field of it) and the MAC algorithms
// of its transaction, keyed once and used for the request's MAC and the
// answer's.
type work struct {
	h               *Host
	req             iso8583.Transaction
	reqMAC, respMAC iso8583.MACAlgorithm
	keyFor          func(*iso8583.Transaction) (iso8583.MACAlgorithm, error) // w.macKeys, bound once
}

var works = sync.Pool{New: func() any {
	w := new(work)
	w.keyFor = w.macKeys
	return w
}}

// errSignOn is keyFor's answer for a sign-on, which carries no MAC.
var errSignOn = errors.New("a sign-on carries no MAC")

// macKeys is the MAC key callback of iso8583.VerifyInto: the request's MAC
// algorithm, from its terminal's session or the KSN in its field 59; the
// answer's is kept in w.respMAC.
func (w *work) macKeys(t *iso8583.Transaction) (iso8583.MACAlgorithm, error) {
	if t.Kind() == iso8583.KindSignOn {
		return nil, errSignOn
	}
	p, err := parse59(t.F59)
	if err != nil {
		return nil, err
	}
	w.reqMAC, w.respMAC, err = w.h.macKeys(t.TerminalID, p)
	return w.reqMAC, err
}

// done drops what w holds of its request and returns it to the pool.
func (w *work) done() {
	clear(w.req.PINBlock) // enciphered, but the host is done with it
	// the field 60, 61 and 63 structs are kept for the next request to
	// unpack into; the rest is dropped
	w.req = iso8583.Transaction{F60: w.req.F60, F61: w.req.F61, F63: w.req.F63}
	if w.h != nil && w.h.spec != SpecCUP {
		// the MAC keys of this transaction's KSN, scheduled for it alone
		// (the UnionPay MAK belongs to the session and stays)
		wipeMAC(w.reqMAC)
		wipeMAC(w.respMAC)
	}
	w.h, w.reqMAC, w.respMAC = nil, nil, nil
	works.Put(w)
}

// wipeMAC zeroes the key schedules of a MAC algorithm of package mac.
func wipeMAC(a iso8583.MACAlgorithm) {
	if m, ok := a.(mac.Algorithm); ok {
		mac.Wipe(m)
	}
}

// handle answers the packed request of one frame: unpacked once into a
// pooled Transaction with its MAC verified over the bytes received, then
// handleMessage. The network path, the fuzz target and the benchmark all
// come here. An error means the request cannot be answered and the
// connection is closed. The caller releases the answer once it has
// written it.
func (h *Host) handle(peer string, fr iso8583.Frame) (answer, error) {
	w := works.Get().(*work)
	defer w.done()
	w.h = h
	err := iso8583.VerifyInto(h.spec.spec(), fr.Message, &w.req, w.keyFor)
	if err != nil && isFieldError(err) {
		return answer{}, fmt.Errorf("garbage frame of %d bytes: %s", len(fr.Message), unpackReason(err))
	}
	return h.handleMessage(peer, &w.req, w.respMAC, err)
}

// isFieldError reports a request that did not unpack (an
// *iso8583.FieldError), rather than one whose MAC did not verify.
func isFieldError(err error) bool {
	var fe *iso8583.FieldError
	return errors.As(err, &fe)
}

// handleMessage answers one request, unpacked; macErr is what verifying its
// MAC gave, respMAC the MAC of the answer (nil when macErr is not nil).
func (h *Host) handleMessage(peer string, req *iso8583.Transaction, respMAC iso8583.MACAlgorithm, macErr error) (answer, error) {
	priv, err := parse59(req.F59)
	if err != nil {
		return h.reply(req, "30", nil, nil, nil)
	}
	// Every request but the sign-on carries a MAC.
	if req.Kind() == iso8583.KindSignOn {
		respMAC = nil
	} else if macErr != nil || respMAC == nil {
		h.log.printf("host: %s: %s STAN %s from %s: MAC: %v; answering A0\n",
			peer, req.Kind(), req.STAN, req.TerminalID, macErr)
		return h.reply(req, "A0", nil, nil, nil)
	}

	if isAdvice(req) {
		return h.advice(req, respMAC)
	}
	// terminal management (downloads) and transfers: manage.go
	if a, ok, err := h.manage(peer, req, respMAC); ok {
		return a, err
	}
	switch req.Kind() {
	case iso8583.KindSignOn:
		return h.signOn(req)
	case iso8583.KindSale:
		if priv.qrOp != "" {
			return h.qrSale(req, priv, respMAC)
		}
		return h.cardSaleWith(peer, req, priv, respMAC)
	case iso8583.KindVoid:
		return h.void(req, respMAC)
	case iso8583.KindRefund:
		return h.refund(req, respMAC)
	case iso8583.KindReversal:
		return h.reversal(req, respMAC)
	case iso8583.KindSettlement:
		return h.settle(req, respMAC)
	case iso8583.KindBatchUpload, iso8583.KindEcho:
		return h.reply(req, "00", nil, nil, respMAC)
	}
	h.log.printf("host: %s: unsupported %s (MTI %s); answering 12\n", peer, req.Kind(), req.MTI)
	return h.reply(req, "12", nil, nil, respMAC)
}

// unpackReason names the field that could not be unpacked, without its
// content.
func unpackReason(err error) string {
	var fe *iso8583.FieldError
	if errors.As(err, &fe) {
		return fmt.Sprintf("cannot unpack field %d at offset %d", fe.Field, fe.Offset)
	}
	var ue *moovErrors.UnpackError
	if errors.As(err, &ue) {
		return "cannot unpack field " + ue.FieldID
	}
	return "cannot unpack"
}

// macKeys picks the request and response MAC of a message: on the ASCII
// spec the DUKPT MAC keys of the KSN in field 59 (X9.19 under TDES DUKPT,
// AES-CMAC under AES DUKPT); on the UnionPay spec the terminal's session MAK
// with the UnionPay MAC.
func (h *Host) macKeys(tid string, p private59) (req, resp iso8583.MACAlgorithm, err error) {
	if h.spec == SpecCUP {
		h.mu.Lock()
		s, ok := h.sessions[tid]
		h.mu.Unlock()
		if !ok {
			return nil, nil, errors.New("terminal not signed on")
		}
		return s.mak, s.mak, nil
	}
	var kb [ksnMax]byte
	ksn, err := decodeKSN(kb[:], p.ksn)
	if err != nil {
		return nil, nil, err
	}
	kq, err := h.dukptKey(ksn, dukpt.MACGeneration)
	if err != nil {
		return nil, nil, err
	}
	defer clear(kq)
	kr, err := h.dukptKey(ksn, dukpt.MACVerification)
	if err != nil {
		return nil, nil, err
	}
	defer clear(kr)
	return newDUKPTMAC(h.dukpt, kq, kr)
}

// ksnMax bounds a key serial number: 10 bytes for TDES DUKPT, 12 for AES.
const ksnMax = 12

// decodeKSN decodes the hex KSN of field 59 into dst, without allocating.
func decodeKSN(dst []byte, s string) ([]byte, error) {
	if len(s) == 0 || len(s)%2 != 0 || len(s) > 2*len(dst) {
		return nil, errors.New("no key serial number")
	}
	n, err := hex.Decode(dst, []byte(s))
	if err != nil {
		return nil, errors.New("no key serial number")
	}
	return dst[:n], nil
}

// newDUKPTMAC builds the MAC algorithms of DUKPT MAC keys: the X9.19 retail
// MAC for TDES keys, AES-CMAC for AES keys.
func newDUKPTMAC(d DUKPT, kq, kr []byte) (req, resp iso8583.MACAlgorithm, err error) {
	if d == DUKPTAES {
		a, err := mac.NewAESCMAC(kq)
		if err != nil {
			return nil, nil, err
		}
		b, err := mac.NewAESCMAC(kr)
		return a, b, err
	}
	a, err := mac.NewISO9797Alg3(kq, mac.Method1)
	if err != nil {
		return nil, nil, err
	}
	b, err := mac.NewISO9797Alg3(kr, mac.Method1)
	return a, b, err
}

func (h *Host) dukptKey(ksn []byte, u dukpt.Usage) ([]byte, error) {
	if h.aes != nil {
		return h.aes.Key(ksn, u, dukpt.AES128)
	}
	return h.tdes.Key(ksn, u)
}

// grant is what the host gives an approved or declined request: the
// reference number, the authorisation code and, for a chip sale, the
// issuer's data for field 55. A repeat is answered with the same grant.
type grant struct {
	RRN, Auth string
	ICC       []byte
}

// reply packs the answer to req with g's RRN and authorisation code, MAC'd
// when alg is not nil.
func (h *Host) reply(req *iso8583.Transaction, code string, g *grant, edit func(*iso8583.Transaction), alg iso8583.MACAlgorithm) (answer, error) {
	return h.replyPriv(req, code, g, edit, "", alg)
}

// responses are the Transactions answers are built in: one is taken for
// each answer and given back once it is packed.
var responses = sync.Pool{New: func() any { return new(iso8583.Transaction) }}

// replyPriv is reply with field 59 of the answer (empty: none). The answer
// is built in a pooled Transaction and packed, signed in the same pass
// when alg is not nil, into a pooled buffer (see answer.release).
func (h *Host) replyPriv(req *iso8583.Transaction, code string, g *grant, edit func(*iso8583.Transaction), f59 string, alg iso8583.MACAlgorithm) (answer, error) {
	a := answer{kind: req.Kind(), stan: req.STAN}
	rrn, auth := "", ""
	if g != nil {
		rrn, auth = g.RRN, g.Auth
	}
	r := responses.Get().(*iso8583.Transaction)
	defer func() {
		*r = iso8583.Transaction{F60: r.F60, F61: r.F61} // kept for the next answer to copy into
		responses.Put(r)
	}()
	// a repeat (0221, 0401) is answered as its first transmission (0230, 0410)
	if err := req.ResponseInto(r, code, rrn, auth, time.Now()); err != nil {
		return a, err
	}
	if g != nil && len(g.ICC) > 0 {
		r.ICC = g.ICC
	}
	r.F59 = f59
	if edit != nil {
		edit(r)
	}
	buf := buffers.Get().(*[]byte)
	var err error
	if alg != nil {
		a.packed, err = r.AppendSigned((*buf)[:0], h.spec.spec(), alg)
	} else {
		a.packed, err = r.AppendPack((*buf)[:0], h.spec.spec())
	}
	if err != nil {
		buffers.Put(buf)
		return answer{kind: a.kind, stan: a.stan}, err
	}
	a.buf = buf
	return a, nil
}

// newGrant hands out a fresh RRN and authorisation code.
func (h *Host) newGrant() (*grant, error) {
	g := new(grant)
	return g, h.grantInto(g)
}

// grantInto writes a fresh RRN and authorisation code into g.
func (h *Host) grantInto(g *grant) error {
	rrn, err := iso8583.RRN(time.Now(), h.rrn.Next())
	if err != nil {
		return err
	}
	var auth [6]byte
	for i, n := 5, h.auth.Add(1)%1000000; i >= 0; i, n = i-1, n/10 {
		auth[i] = byte('0' + n%10)
	}
	g.RRN, g.Auth = rrn, string(auth[:])
	return nil
}

// signOn sends fresh session PIN and MAC keys under the terminal master key,
// with their check values (field 62).
func (h *Host) signOn(req *iso8583.Transaction) (answer, error) {
	keys := iso8583.SessionKeys{PIN: make([]byte, 16), MAC: make([]byte, 16)}
	rand.Read(keys.PIN)
	rand.Read(keys.MAC)
	f62, err := iso8583.BuildSignOnKeys(terminalMasterKey, keys.PIN, keys.MAC, nil)
	if err != nil {
		return answer{}, err
	}
	if h.spec == SpecASCII {
		// field 62 of the ASCII spec is text: the key block goes as hex
		f62 = []byte(strings.ToUpper(hex.EncodeToString(f62)))
	}
	if err := h.setSession(req.TerminalID, keys); err != nil {
		return answer{}, err
	}
	h.log.printf("host: %s signed on: %s\n", req.TerminalID, keys)
	return h.reply(req, "00", nil, func(r *iso8583.Transaction) { r.F62 = f62 }, nil)
}

// session is a signed-on terminal's session keys, with the MAC key's
// schedule computed once for all its messages.
type session struct {
	keys iso8583.SessionKeys
	mak  iso8583.MACAlgorithm // UnionPay MAC under the session MAK
}

// setSession installs a terminal's new session keys. The old keys are
// dropped, not wiped: a request still in flight may be using them.
func (h *Host) setSession(tid string, keys iso8583.SessionKeys) error {
	mak, err := mac.NewCUPECB(keys.MAC)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.sessions[tid] = session{keys: keys, mak: mak}
	h.mu.Unlock()
	return nil
}
