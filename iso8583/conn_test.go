package iso8583

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"
	connection "github.com/moov-io/iso8583-connection"
	"github.com/moov-io/iso8583-connection/server"
	moovErrors "github.com/moov-io/iso8583/errors"
)

var connNow = time.Date(2025, 11, 21, 14, 30, 0, 0, time.UTC)

func connTerminal(tid string) *Terminal {
	return &Terminal{
		Scheme: UnionPay, TerminalID: tid, MerchantID: "850100082410002", AcquirerID: "48020000",
		Currency: "156", Batch: "000024", ReadCapability: "6", STAN: NewSTANSource(0),
		Now: func() time.Time { return connNow },
	}
}

var connCard = Card{PAN: "6224242900000113", Expiry: "2806"}

func TestMessageIOPairsReplies(t *testing.T) {
	termSide, hostSide := net.Pipe()
	defer termSide.Close()
	defer hostSide.Close()
	tpdu := NewTPDU(0x60, 0x0006, 0x0123)
	hdr := NewHeader(0x60, 0x31, 0, 0, [3]byte{0x31, 0x10, 0x03})
	term := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, TPDU: tpdu, Header: hdr}.New()
	host := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, Host: true}.New()

	tt := connTerminal("10000019")
	var reqs []*Transaction
	errc := make(chan error, 4)
	for range 2 {
		sale, _ := tt.Sale(connCard, 1000)
		m, _ := sale.Message(SpecUnionPay)
		reqs = append(reqs, sale)
		go func() { errc <- term.WriteMessage(termSide, m) }()
		if _, err := host.ReadMessage(hostSide); err != nil {
			t.Fatal(err)
		}
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	// answers in reverse order: each takes its own request's TPDU and header
	for i := len(reqs) - 1; i >= 0; i-- {
		resp, _ := NewResponse(reqs[i], "00", "632510000403", "123456", connNow)
		rm, _ := resp.Message(SpecUnionPay)
		go func() { errc <- host.WriteMessage(hostSide, rm) }()
		got, err := term.ReadMessage(termSide)
		if err != nil {
			t.Fatal(err)
		}
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		tp, h, ok := term.ReceivedFrame(got)
		if !ok || tp != tpdu.Reply() || h != hdr {
			t.Errorf("answer %d: TPDU %s header %s ok %v", i, tp, h, ok)
		}
	}
	// errors
	if _, err := host.ReadMessage(bytes.NewReader([]byte{0x00, 0x0C, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 0x99})); !errors.Is(err, ErrFrameMessage) {
		t.Errorf("garbage message: %v", err)
	}
	if _, err := host.ReadMessage(bytes.NewReader(nil)); err != io.EOF {
		t.Errorf("EOF: %v", err)
	}
	if _, err := (&MessageIO{Framing: UnionPayFraming}).ReadMessage(bytes.NewReader(nil)); !errors.Is(err, ErrConnection) {
		t.Errorf("no spec: %v", err)
	}
	resp, _ := NewResponse(reqs[0], "00", "632510000403", "123456", connNow)
	rm, _ := resp.Message(SpecUnionPay)
	bad := &MessageIO{Spec: SpecUnionPay, Framing: Framing{Length: Length2BCD, MaxFrame: 5}}
	if err := bad.WriteMessage(io.Discard, rm); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("oversize: %v", err)
	}
	_ = rm.Field(2, "x")
	if err := host.WriteMessage(io.Discard, rm); !errors.Is(err, ErrConnection) {
		t.Errorf("unpackable message written: %v", err)
	}
	if _, err := (Conn{}).ServerFactory()(hostSide); !errors.Is(err, ErrConnection) {
		t.Errorf("factory without spec: %v", err)
	}
	if _, err := (Conn{}).Dial("127.0.0.1:1"); !errors.Is(err, ErrConnection) {
		t.Errorf("dial without spec: %v", err)
	}
	if _, err := (Conn{Spec: SpecUnionPay}).Dial("127.0.0.1:1", connection.ConnectTimeout(time.Second)); !errors.Is(err, ErrConnection) {
		t.Errorf("dial refused: %v", err)
	}
}

// The ring of remembered frames is bounded, and an answer to a request
// that fell out of it goes back with the latest request's TPDU.
func TestMessageIORingBounded(t *testing.T) {
	host := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, Host: true}.New()
	tt := connTerminal("10000019")
	var first *Transaction
	var stream bytes.Buffer
	for i := range maxRecent + 10 {
		sale, _ := tt.Sale(connCard, 1000)
		if i == 0 {
			first = sale
		}
		m, _ := sale.Message(SpecUnionPay)
		mio := &MessageIO{Spec: SpecUnionPay, Framing: UnionPayFraming, TPDU: NewTPDU(0x60, 6, uint16(i))}
		if err := mio.WriteMessage(&stream, m); err != nil {
			t.Fatal(err)
		}
	}
	for range maxRecent + 10 {
		if _, err := host.ReadMessage(&stream); err != nil {
			t.Fatal(err)
		}
	}
	if len(host.recent) != maxRecent {
		t.Errorf("remembers %d frames", len(host.recent))
	}
	resp, _ := NewResponse(first, "00", "632510000403", "123456", connNow)
	rm, _ := resp.Message(SpecUnionPay)
	if err := host.WriteMessage(&stream, rm); err != nil {
		t.Fatal(err)
	}
	fr, err := NewReader(&stream, UnionPayFraming).ReadFrame()
	if err != nil || fr.TPDU.Destination() != maxRecent+9 {
		t.Errorf("fallback TPDU %s: %v", fr.TPDU, err)
	}
}

// stanTID matches answers by STAN and terminal ID: several terminals on
// one host use the same STANs.
type stanTID struct{}

func (stanTID) GenerateRequestID(m *moov.Message) (string, error) {
	stan, err := m.GetString(11)
	if err != nil || stan == "" {
		return "", fmt.Errorf("no STAN: %w", err)
	}
	tid, _ := m.GetString(41)
	return tid + "/" + stan, nil
}

// Four terminals, each with its own TPDU and header, send concurrent
// sales over their own connections to one iso8583-connection server that
// answers in random order from concurrent handlers; every answer must
// come back with its own request's TPDU swapped and its header: 0
// misrouted replies. (A single MessageIO shared by the server's
// connections, the old way, misrouted 2-28 of 50: issue 13.)
func TestServerManyTerminalsNoMisroute(t *testing.T) {
	var handled atomic.Int64
	handler := func(c *connection.Connection, m *moov.Message) {
		req, err := FromMessage(m)
		if err != nil {
			t.Errorf("host: %v", err)
			return
		}
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		resp, err := NewResponse(req, "00", "632510000403", "123456", connNow)
		if err != nil {
			t.Errorf("host: %v", err)
			return
		}
		rm, _ := resp.Message(SpecUnionPay)
		handled.Add(1)
		if err := c.Reply(rm); err != nil {
			t.Errorf("host reply: %v", err)
		}
	}
	hostConn := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, Host: true}
	srv := server.New(SpecUnionPay, nil, nil)
	if err := srv.SetOptions(server.WithConnectionFactory(hostConn.ServerFactory(connection.InboundMessageHandler(handler)))); err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	const terminals, perTerminal = 4, 50
	var misrouted, answered atomic.Int64
	var wg sync.WaitGroup
	for ti := range terminals {
		cfg := Conn{
			Spec: SpecUnionPay, Framing: UnionPayFraming,
			TPDU:   NewTPDU(0x60, 0x0006, uint16(0x100+ti)),
			Header: NewHeader(0x60, 0x31, 0, 0, [3]byte{0x31, 0x10, byte(ti)}),
		}
		mio := cfg.New()
		conn, err := connection.New(srv.Addr, SpecUnionPay, nil, nil,
			connection.SetMessageReader(mio), connection.SetMessageWriter(mio),
			connection.SetRequestIDGenerator(stanTID{}), connection.SendTimeout(10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if err := conn.Connect(); err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		tt := connTerminal(fmt.Sprintf("1000001%d", ti))
		for range perTerminal {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sale, _ := tt.Sale(connCard, 1000)
				m, _ := sale.Message(SpecUnionPay)
				rm, err := conn.Send(m)
				if err != nil {
					t.Errorf("terminal %d: %v", ti, err)
					return
				}
				answered.Add(1)
				tp, h, ok := mio.ReceivedFrame(rm)
				stan, _ := rm.GetString(11)
				if !ok || tp != cfg.TPDU.Reply() || h != cfg.Header || stan != sale.STAN {
					misrouted.Add(1)
				}
			}()
		}
	}
	wg.Wait()
	if answered.Load() != terminals*perTerminal || misrouted.Load() != 0 {
		t.Errorf("%d answered, %d misrouted of %d", answered.Load(), misrouted.Load(), terminals*perTerminal)
	}
	if handled.Load() != terminals*perTerminal {
		t.Errorf("host handled %d", handled.Load())
	}
}

// Dial wires a client connection with its own MessageIO.
func TestConnDial(t *testing.T) {
	hostConn := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, Host: true}
	srv := server.New(SpecUnionPay, nil, nil)
	_ = srv.SetOptions(server.WithConnectionFactory(hostConn.ServerFactory(connection.InboundMessageHandler(
		func(c *connection.Connection, m *moov.Message) {
			req, _ := FromMessage(m)
			resp, _ := NewResponse(req, "00", "", "", connNow)
			rm, _ := resp.Message(SpecUnionPay)
			_ = c.Reply(rm)
		}))))
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	conn, err := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, TPDU: NewTPDU(0x60, 6, 0)}.Dial(srv.Addr, connection.SendTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	echo, _ := connTerminal("10000019").Echo()
	m, _ := echo.Message(SpecUnionPay)
	rm, err := conn.Send(m)
	if err != nil {
		t.Fatal(err)
	}
	if mti, _ := rm.GetMTI(); mti != "0830" {
		t.Errorf("answer %s", mti)
	}
}

// ServerFactoryFor hands each connection's MessageIO to the host, which
// reads the header each request came with.
func TestServerFactoryFor(t *testing.T) {
	hostConn := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, Host: true}
	got := make(chan Header, 1)
	srv := server.New(SpecUnionPay, nil, nil)
	_ = srv.SetOptions(server.WithConnectionFactory(hostConn.ServerFactoryFor(func(mio *MessageIO) []connection.Option {
		return []connection.Option{connection.InboundMessageHandler(func(c *connection.Connection, m *moov.Message) {
			_, h, _ := mio.ReceivedFrame(m)
			got <- h
			req, _ := FromMessage(m)
			resp, _ := NewResponse(req, "00", "", "", connNow)
			rm, _ := resp.Message(SpecUnionPay)
			_ = c.Reply(rm)
		})}
	})))
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hdr := NewHeader(0x60, 0x31, 1, 0, [3]byte{0x31, 0x10, 0x07})
	conn, err := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, TPDU: NewTPDU(0x60, 6, 0), Header: hdr}.Dial(srv.Addr, connection.SendTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	echo, _ := connTerminal("10000019").Echo()
	m, _ := echo.Message(SpecUnionPay)
	if _, err := conn.Send(m); err != nil {
		t.Fatal(err)
	}
	if h := <-got; h != hdr || h.TerminalStatus() != 1 {
		t.Errorf("host read header %s", h)
	}
	if _, err := (Conn{Spec: SpecUnionPay}).ServerFactoryFor(nil)(nil); !errors.Is(err, ErrConnection) {
		t.Errorf("nil options: %v", err)
	}
}

// A frame whose message has bytes after its last field is refused, as
// UnpackMessage refuses it; the error is a moov UnpackError (so that
// iso8583-connection keeps reading) without the raw message and without
// the card number.
func TestMessageIOStrict(t *testing.T) {
	sale, _ := connTerminal("10000019").Sale(connCard, 1000)
	m, _ := sale.Message(SpecUnionPay)
	packed, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	mio := &MessageIO{Spec: SpecUnionPay, Framing: UnionPayFraming}
	for _, tc := range []struct {
		name    string
		message []byte
		ok      bool
	}{
		{"whole", packed, true},
		{"trailing bytes", append(append([]byte(nil), packed...), 0, 0, 0), false},
	} {
		frame, err := UnionPayFraming.AppendFrame(nil, Frame{Message: tc.message})
		if err != nil {
			t.Fatal(err)
		}
		_, err = mio.ReadMessage(bytes.NewReader(frame))
		if tc.ok {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var ue *moovErrors.UnpackError
		if !errors.Is(err, ErrFrameMessage) || !errors.Is(err, ErrTrailingData) || !errors.As(err, &ue) || ue.RawMessage != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if err != nil && strings.Contains(err.Error(), connCard.PAN) {
			t.Errorf("%s: the PAN leaks into %q", tc.name, err)
		}
	}
}
