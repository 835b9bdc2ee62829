package main

// host.go: the acquirer host. It accepts terminals on a loopback TCP port,
// reads framed ISO 8583 requests, verifies their MAC, hands each request to
// its handler (authorize.go: PIN, cryptogram, QR, void, refund, reversal;
// ledger.go: booking and settlement) and answers with a MAC'd response.
// One goroutine serves each connection; the ledger is shared.

import (
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
	moovErrors "github.com/moov-io/iso8583/errors"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/mac"
)

// Host is the acquirer host (and, for the example, the issuer behind it).
type Host struct {
	spec  Spec
	dukpt DUKPT
	tdes  *dukpt.TDESReceiver
	aes   *dukpt.AESReceiver
	log   *tracer // one line per event and per fault

	ln    net.Listener
	wg    sync.WaitGroup
	rrn   *iso8583.STANSource // the host's own sequence: RRNs unique across terminals
	auth  atomic.Uint32
	drop  atomic.Bool // simulate losing the next approved sale's answer
	conns sync.Map    // net.Conn → struct{}

	mu       sync.Mutex
	sessions map[string]iso8583.SessionKeys // by terminal ID
	ledger   map[string]*record             // by terminal ID + STAN
	byRRN    map[string]*record
	orders   map[string]*qrOrder // QR orders by RRN
	early    map[string]bool     // reversals that came before their original
	pins     map[string]string   // the issuer's PIN file, by PAN
}

// NewHost starts a host listening on a free loopback port. It writes one
// line to log for each event and each fault, masked.
func NewHost(spec Spec, d DUKPT, log *tracer) (*Host, error) {
	h := &Host{
		spec: spec, dukpt: d, log: log,
		rrn:      iso8583.NewSTANSource(0),
		sessions: map[string]iso8583.SessionKeys{},
		ledger:   map[string]*record{},
		byRRN:    map[string]*record{},
		orders:   map[string]*qrOrder{},
		early:    map[string]bool{},
		pins:     map[string]string{card.PAN: card.PIN},
	}
	var err error
	switch d {
	case DUKPTTDES:
		h.tdes, err = dukpt.NewTDESReceiver(tdesBDK)
	case DUKPTAES:
		h.aes, err = dukpt.NewAESReceiver(aesBDK)
	default:
		err = fmt.Errorf("unknown DUKPT scheme %q", d)
	}
	if err != nil {
		return nil, err
	}
	// Loopback only, on a port the system picks.
	h.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h.wg.Add(1)
	go h.accept()
	return h, nil
}

// Addr is the address terminals dial.
func (h *Host) Addr() string { return h.ln.Addr().String() }

// Close stops accepting, closes every connection and waits for them.
func (h *Host) Close() error {
	err := h.ln.Close()
	h.conns.Range(func(k, _ any) bool {
		k.(net.Conn).Close()
		return true
	})
	h.wg.Wait()
	return err
}

// DropNextReply makes the host book the next sale but lose its answer, as a
// network fault would; the terminal then times out and reverses it.
func (h *Host) DropNextReply() { h.drop.Store(true) }

func (h *Host) accept() {
	defer h.wg.Done()
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return // closed
		}
		h.conns.Store(c, struct{}{})
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			defer h.conns.Delete(c)
			defer c.Close()
			h.serve(newLink(c, h.spec.framing()))
		}()
	}
}

// serve answers one terminal's requests in turn until it hangs up or sends
// something the host cannot answer; then it logs why and closes.
func (h *Host) serve(l *link) {
	peer := l.conn.RemoteAddr().String()
	for {
		fr, err := l.r.ReadFrame()
		switch {
		case err == nil:
		case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
			return // a clean hang-up, or the host shutting down
		case errors.Is(err, iso8583.ErrShortFrame):
			h.log.printf("host: %s: closing: disconnected mid-frame (%v)\n", peer, err)
			return
		case errors.Is(err, iso8583.ErrFrameTooLarge):
			h.log.printf("host: %s: closing: oversize length header (%v)\n", peer, err)
			return
		default:
			h.log.printf("host: %s: closing: %v\n", peer, err)
			return
		}
		resp, drop, err := h.handle(peer, fr)
		if err != nil {
			h.log.printf("host: %s: closing: %v\n", peer, err)
			return
		}
		if drop {
			continue
		}
		out := iso8583.Frame{TPDU: fr.TPDU.Reply(), Header: fr.Header, Message: resp.packed}
		l.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
		if err := l.w.WriteFrame(out); err != nil {
			h.log.printf("host: %s: closing: write: %v\n", peer, err)
			return
		}
	}
}

type answer struct {
	msg    *moov.Message
	packed []byte
}

// handle answers one frame. An error means the frame cannot be answered
// (not a message of the spec) and the connection is closed.
func (h *Host) handle(peer string, fr iso8583.Frame) (answer, bool, error) {
	spec := h.spec.spec()
	m := moov.NewMessage(spec)
	if err := m.Unpack(fr.Message); err != nil {
		return answer{}, false, fmt.Errorf("garbage frame of %d bytes: %s", len(fr.Message), unpackReason(err))
	}
	req, err := iso8583.FromMessage(m)
	if err != nil {
		return answer{}, false, fmt.Errorf("garbage frame: %w", err)
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
			_, err = iso8583.VerifyPacked(spec, fr.Message, reqMAC)
		}
		if err != nil {
			h.log.printf("host: %s: %s STAN %s from %s: MAC: %v; answering A0\n",
				peer, req.Kind(), req.STAN, req.TerminalID, err)
			return h.reply(req, "A0", nil, nil, nil)
		}
		respMAC = rMAC
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
	case iso8583.KindEcho:
		return h.reply(req, "00", nil, nil, respMAC)
	}
	h.log.printf("host: %s: unsupported %s (MTI %s); answering 12\n", peer, req.Kind(), req.MTI)
	return h.reply(req, "12", nil, nil, respMAC)
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
		a, err := mac.NewCUPECB(s.MAC)
		return a, a, err
	}
	ksn, err := hex.DecodeString(p[tagKSN])
	if err != nil || len(ksn) == 0 {
		return nil, nil, errors.New("no key serial number")
	}
	kq, err := h.dukptKey(ksn, dukpt.MACGeneration)
	if err != nil {
		return nil, nil, err
	}
	kr, err := h.dukptKey(ksn, dukpt.MACVerification)
	if err != nil {
		return nil, nil, err
	}
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

// reply packs the answer to req, MAC'd when alg is not nil.
func (h *Host) reply(req *iso8583.Transaction, code string, edit func(*iso8583.Transaction), priv privateData, alg iso8583.MACAlgorithm) (answer, bool, error) {
	rrn, auth := "", ""
	if code == "00" && req.Kind() != iso8583.KindSignOn && req.Kind() != iso8583.KindSettlement {
		var err error
		if rrn, err = iso8583.RRN(time.Now(), h.rrn.Next()); err != nil {
			return answer{}, false, err
		}
	}
	r, err := iso8583.NewResponse(req, code, rrn, auth, time.Now())
	if err != nil {
		return answer{}, false, err
	}
	if edit != nil {
		edit(r)
	}
	m, err := message(h.spec.spec(), r, priv)
	if err != nil {
		return answer{}, false, err
	}
	var packed []byte
	if alg != nil {
		packed, err = iso8583.SignMessage(m, alg)
	} else {
		packed, err = m.Pack()
	}
	return answer{msg: m, packed: packed}, false, err
}

func (h *Host) authCode() string {
	return fmt.Sprintf("%06d", h.auth.Add(1)%1000000)
}

// signOn sends fresh session PIN and MAC keys under the terminal master key,
// with their check values (field 62).
func (h *Host) signOn(req *iso8583.Transaction) (answer, bool, error) {
	keys := iso8583.SessionKeys{PIN: make([]byte, 16), MAC: make([]byte, 16)}
	rand.Read(keys.PIN)
	rand.Read(keys.MAC)
	f62, err := iso8583.BuildSignOnKeys(terminalMasterKey, keys.PIN, keys.MAC, nil)
	if err != nil {
		return answer{}, false, err
	}
	if h.spec == SpecASCII {
		// field 62 of the ASCII spec is text: the key block goes as hex
		f62 = []byte(strings.ToUpper(hex.EncodeToString(f62)))
	}
	h.mu.Lock()
	if old, ok := h.sessions[req.TerminalID]; ok {
		old.Wipe()
	}
	h.sessions[req.TerminalID] = keys
	h.mu.Unlock()
	h.log.printf("host: %s signed on: %s\n", req.TerminalID, keys)
	return h.reply(req, "00", func(r *iso8583.Transaction) { r.F62 = f62 }, nil, nil)
}
