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
	"crypto/subtle"
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
// own hostConn around its own iso8583.MessageIO (made by iso8583.Conn),
// so the frames of one terminal never pair with another's.
func (h *Host) newConn(nc net.Conn) (*connection.Connection, error) {
	cc := iso8583.Conn{Spec: h.spec.spec(), Framing: h.spec.framing(), Host: true}
	hc := &hostConn{h: h, peer: nc.RemoteAddr().String(), mio: cc.New(), framing: cc.Framing, pending: map[*moov.Message]iso8583.Frame{}}
	c, err := connection.NewFrom(nc, cc.Spec, nil, nil,
		connection.SetMessageReader(hc),
		connection.SetMessageWriter(hc.mio),
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

// hostConn is the host's side of one connection: its MessageReader reads
// each frame through the connection's iso8583.MessageIO (one unpack) and
// keeps what the MAC check and the answer need — the exact bytes received,
// the TPDU and the UnionPay header — until the request is answered. The
// answer is written whole with that TPDU (swapped) and header, so requests
// answered out of order on one connection each get their own.
type hostConn struct {
	h       *Host
	peer    string
	mio     *iso8583.MessageIO
	framing iso8583.Framing
	tee     teeReader

	mu      sync.Mutex
	pending map[*moov.Message]iso8583.Frame
}

// teeReader keeps a copy of the bytes read through it: the frame the
// MessageIO reads, length header included.
type teeReader struct {
	r   io.Reader
	buf []byte
}

func (t *teeReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// ReadMessage reads and unpacks the next request. A frame that is not a
// message of the spec closes the connection: the stream can no longer be
// trusted.
func (c *hostConn) ReadMessage(r io.Reader) (*moov.Message, error) {
	c.tee.r, c.tee.buf = r, c.tee.buf[:0]
	m, err := c.mio.ReadMessage(&c.tee)
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
	case errors.Is(err, iso8583.ErrFrameMessage):
		c.h.log.printf("host: %s: closing: garbage frame of %d bytes: %s\n", c.peer, len(c.tee.buf), unpackReason(err))
		return nil, errors.New("garbage frame") // not an UnpackError: the connection closes
	default:
		c.h.log.printf("host: %s: closing: %v\n", c.peer, err)
		return nil, err
	}
	// the frame without its length header, copied: the next read reuses buf
	fr, err := c.framing.ParseFrame(bytes.Clone(c.tee.buf[lengthSize(c.framing.Length):]))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.pending[m] = fr
	c.mu.Unlock()
	return m, nil
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
	if !h.enter() {
		return // the host is closing
	}
	defer h.inflight.Done()
	a, err := h.handleMessage(c.peer, m, fr.Message)
	if err != nil {
		h.log.printf("host: %s: closing: %v\n", c.peer, err)
		conn.Close()
		return
	}
	if a.noReply {
		return
	}
	out, err := c.framing.AppendFrame(nil, iso8583.Frame{TPDU: fr.TPDU.Reply(), Header: fr.Header, Message: a.packed})
	if err != nil {
		h.log.printf("host: %s: closing: %v\n", c.peer, err)
		conn.Close()
		return
	}
	if faultable(a.kind) {
		var cont bool
		if out, cont = h.faults.apply(h, c, conn, a, out); !cont {
			return
		}
	}
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
	msg     *moov.Message
	packed  []byte
	kind    iso8583.Kind // of the request
	stan    string       // of the request
	noReply bool         // booked, but the answer is lost (DropNextReply)
}

// handle answers one frame as the network path does, without a network:
// unpack, then handleMessage. The fuzz target and the benchmark use it.
func (h *Host) handle(peer string, fr iso8583.Frame) (answer, error) {
	m := moov.NewMessage(h.spec.spec())
	if err := m.Unpack(fr.Message); err != nil {
		return answer{}, fmt.Errorf("garbage frame of %d bytes: %s", len(fr.Message), unpackReason(err))
	}
	return h.handleMessage(peer, m, fr.Message)
}

// handleMessage answers one unpacked request; packed is the exact bytes it
// was unpacked from, over which the MAC is verified. An error means the
// request cannot be answered and the connection is closed.
func (h *Host) handleMessage(peer string, m *moov.Message, packed []byte) (answer, error) {
	req, err := iso8583.FromMessage(m)
	if err != nil {
		return answer{}, fmt.Errorf("garbage frame: %w", err)
	}
	priv, err := private(m)
	if err != nil {
		return h.reply(req, "30", nil, nil, nil)
	}

	// Every request but the sign-on carries a MAC.
	var respMAC iso8583.MACAlgorithm
	if req.Kind() != iso8583.KindSignOn {
		reqMAC, rMAC, err := h.macKeys(req.TerminalID, priv)
		if err == nil {
			err = verifyMAC(m, packed, reqMAC)
		}
		if err != nil {
			h.log.printf("host: %s: %s STAN %s from %s: MAC: %v; answering A0\n",
				peer, req.Kind(), req.STAN, req.TerminalID, err)
			return h.reply(req, "A0", nil, nil, nil)
		}
		respMAC = rMAC
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
		if priv[tagQROp] != "" {
			return h.qrSale(req, priv, respMAC)
		}
		return h.cardSale(peer, req, priv, respMAC)
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

// verifyMAC checks the MAC field of m, the last field, against the MAC of
// the bytes before it as they were received: no second unpack, no repack.
func verifyMAC(m *moov.Message, packed []byte, alg iso8583.MACAlgorithm) error {
	// the MAC is the last field: 128 when the message has it, else 64
	// (looked up directly: iso8583.MACField copies the field map)
	f := m.GetField(128)
	if f == nil {
		f = m.GetField(64)
	}
	if f == nil {
		return iso8583.ErrNoMAC
	}
	tag, err := f.Bytes()
	if err != nil {
		return iso8583.ErrNoMAC
	}
	fp, err := f.Pack()
	if err != nil || len(fp) > len(packed) || len(tag) != iso8583.MACLength {
		return iso8583.ErrNoMAC
	}
	// the MAC field is the last field, in its canonical encoding, and
	// holds the MAC's first 8 bytes (zero filled when the MAC is shorter)
	canonical := bytes.Equal(fp, packed[len(packed)-len(fp):])
	var buf [32]byte
	full := alg.MAC(packed[:len(packed)-len(fp)])
	want := buf[:iso8583.MACLength]
	copy(want, full)
	if subtle.ConstantTimeCompare(want, tag) != 1 || !canonical {
		return iso8583.ErrMACMismatch
	}
	return nil
}

// unpackReason names the field moov could not unpack, without its content.
func unpackReason(err error) string {
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
func (h *Host) macKeys(tid string, p privateData) (req, resp iso8583.MACAlgorithm, err error) {
	if h.spec == SpecCUP {
		h.mu.Lock()
		s, ok := h.sessions[tid]
		h.mu.Unlock()
		if !ok {
			return nil, nil, errors.New("terminal not signed on")
		}
		return s.mak, s.mak, nil
	}
	ksn, err := hex.DecodeString(p[tagKSN])
	if err != nil || len(ksn) == 0 {
		return nil, nil, errors.New("no key serial number")
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
	return h.replyPriv(req, code, g, edit, nil, alg)
}

func (h *Host) replyPriv(req *iso8583.Transaction, code string, g *grant, edit func(*iso8583.Transaction), priv privateData, alg iso8583.MACAlgorithm) (answer, error) {
	a := answer{kind: req.Kind(), stan: req.STAN}
	rrn, auth := "", ""
	if g != nil {
		rrn, auth = g.RRN, g.Auth
	}
	r, err := iso8583.NewResponse(req, code, rrn, auth, time.Now())
	if err != nil {
		return a, err
	}
	// a repeat (0221, 0401) is answered as its first transmission (0230, 0410)
	r.MTI = r.MTI[:3] + "0"
	if g != nil && len(g.ICC) > 0 {
		r.ICC = g.ICC
	}
	if edit != nil {
		edit(r)
	}
	m, err := message(h.spec.spec(), r, priv)
	if err != nil {
		return a, err
	}
	a.msg = m
	if alg != nil {
		a.packed, err = iso8583.SignMessage(m, alg)
	} else {
		a.packed, err = m.Pack()
	}
	return a, err
}

// newGrant hands out a fresh RRN and authorisation code.
func (h *Host) newGrant() (*grant, error) {
	rrn, err := iso8583.RRN(time.Now(), h.rrn.Next())
	if err != nil {
		return nil, err
	}
	var auth [6]byte
	for i, n := 5, h.auth.Add(1)%1000000; i >= 0; i, n = i-1, n/10 {
		auth[i] = byte('0' + n%10)
	}
	return &grant{RRN: rrn, Auth: string(auth[:])}, nil
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

// lengthSize is the size of a frame's length header.
func lengthSize(l iso8583.LengthFormat) int {
	switch l {
	case iso8583.Length2Binary, iso8583.Length2BCD:
		return 2
	case iso8583.Length4ASCII, iso8583.Length4Hex:
		return 4
	}
	return 0
}
