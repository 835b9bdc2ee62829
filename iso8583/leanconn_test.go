package iso8583

import (
	"bytes"
	"errors"
	"net"
	"reflect"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"
	connection "github.com/moov-io/iso8583-connection"
	"github.com/moov-io/iso8583-connection/server"
)

// A host MessageIO in Lean mode reads a signed sale once: the connection
// package sees MTI, STAN and terminal ID; VerifyReceived gives the
// Transaction Unpack gives and checks the MAC over the bytes received;
// the answer goes out through Packed as AppendSigned's bytes, with the
// request's TPDU and header. Long because it follows one connection
// through every outcome in order.
func TestMessageIOLean(t *testing.T) {
	alg := wireTestMAC(t)
	keyFor := func(*Transaction) (MACAlgorithm, error) { return alg, nil }
	tpdu := NewTPDU(0x60, 0x0006, 0x0123)
	hdr := NewHeader(0x60, 0x31, 0, 0, [3]byte{0x31, 0x10, 0x03})
	fr := UnionPayFraming
	sale, _ := connTerminal("10000019").Sale(connCard, 1000)
	signed, err := sale.AppendSigned(nil, SpecUnionPay, alg)
	if err != nil {
		t.Fatal(err)
	}
	host := Conn{Spec: SpecUnionPay, Framing: fr, Host: true, Lean: true}.New()
	read := func(msg []byte) (*moov.Message, error) {
		b, _ := fr.AppendFrame(nil, Frame{TPDU: tpdu, Header: hdr, Message: msg})
		return host.ReadMessage(bytes.NewReader(b))
	}
	m, err := read(signed)
	if err != nil {
		t.Fatal(err)
	}
	if mti, _ := m.GetMTI(); mti != "0200" || m.GetField(2) != nil {
		t.Errorf("thin message: MTI %q, field 2 %v", mti, m.GetField(2))
	}
	if stan, _ := m.GetString(11); stan != sale.STAN {
		t.Errorf("STAN %q", stan)
	}
	want, _ := Unpack(SpecUnionPay, signed)
	req, err := host.VerifyReceived(m, keyFor)
	if err != nil || !reflect.DeepEqual(req, want) {
		t.Fatalf("VerifyReceived: %v\n%+v\n%+v", err, req, want)
	}
	if _, err := host.VerifyReceived(m, keyFor); !errors.Is(err, ErrNoReceived) {
		t.Errorf("second VerifyReceived: %v", err)
	}
	var resp Transaction
	_ = req.ResponseInto(&resp, "00", "000000000001", "123456", connNow)
	out, _ := resp.AppendSigned(nil, SpecUnionPay, alg)
	reply, err := host.AppendReply([]byte("x"), m, out)
	if err != nil || string(reply[:1]) != "x" {
		t.Fatal(err)
	}
	if back, err := NewReader(bytes.NewReader(reply[1:]), fr).ReadFrame(); err != nil || !bytes.Equal(back.Message, out) || back.TPDU != tpdu.Reply() || back.Header != hdr {
		t.Fatalf("AppendReply frame: %v %X %v %v", err, back.Message, back.TPDU, back.Header)
	}
	if _, err := read(signed); err != nil { // once more, answered through Packed and WriteMessage
		t.Fatal(err)
	}
	rm, err := host.Packed(out)
	if err != nil {
		t.Fatal(err)
	}
	var wire bytes.Buffer
	if err := host.WriteMessage(&wire, rm); err != nil {
		t.Fatal(err)
	}
	back, err := NewReader(&wire, fr).ReadFrame()
	if err != nil || !bytes.Equal(back.Message, out) || back.TPDU != tpdu.Reply() || back.Header != hdr {
		t.Fatalf("reply frame: %v %X %v %v", err, back.Message, back.TPDU, back.Header)
	}

	// a tampered MAC: the Transaction comes with ErrMACMismatch
	bad := append([]byte(nil), signed...)
	bad[len(bad)-1] ^= 1
	m, _ = read(bad)
	if req, err := host.VerifyReceived(m, keyFor); !errors.Is(err, ErrMACMismatch) || req == nil {
		t.Errorf("tampered: %v", err)
	}
	// TakeReceived hands over bytes and Transaction once
	m, _ = read(signed)
	if raw, tx, ok := host.TakeReceived(m); !ok || !bytes.Equal(raw, signed) || !reflect.DeepEqual(tx, want) {
		t.Errorf("TakeReceived: %v", ok)
	}
	if _, _, ok := host.TakeReceived(m); ok {
		t.Error("TakeReceived twice")
	}
	// what strict unpacking refuses is refused, as without Lean
	if _, err := read(append(append([]byte(nil), signed...), 0)); !errors.Is(err, ErrFrameMessage) || !errors.Is(err, ErrTrailingData) {
		t.Errorf("trailing: %v", err)
	}
	// a message not read in Lean mode, a key error
	if _, err := host.VerifyReceived(moov.NewMessage(SpecUnionPay), keyFor); !errors.Is(err, ErrNoReceived) {
		t.Errorf("unknown message: %v", err)
	}
	m, _ = read(signed)
	if _, err := host.VerifyReceived(m, func(*Transaction) (MACAlgorithm, error) { return nil, errors.New("no key") }); !errors.Is(err, ErrMACKey) {
		t.Errorf("key error: %v", err)
	}
	m, _ = read(signed)
	if _, err := host.VerifyReceived(m, nil); !errors.Is(err, ErrMACAlgorithm) {
		t.Errorf("nil keyFor: %v", err)
	}
	if _, err := (&MessageIO{}).Packed(out); !errors.Is(err, ErrConnection) {
		t.Errorf("Packed without spec: %v", err)
	}
	if _, err := host.Packed([]byte{1}); !errors.Is(err, ErrConnection) {
		t.Errorf("Packed garbage: %v", err)
	}
}

// The lean MessageIO keeps at most 256 messages never taken.
func TestMessageIOLeanBounded(t *testing.T) {
	host := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, Host: true, Lean: true}.New()
	sale, _ := connTerminal("10000019").Sale(connCard, 1000)
	b, _ := sale.Pack(SpecUnionPay)
	for range 1000 {
		if _, err := host.Packed(b); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(host.kept); n > maxRecent {
		t.Errorf("%d kept", n)
	}
}

// Through iso8583-connection: a lean host answers terminals over a real
// server, one unpack per request.
func TestServerLean(t *testing.T) {
	alg := wireTestMAC(t)
	keyFor := func(*Transaction) (MACAlgorithm, error) { return alg, nil }
	hostConn := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, Host: true, Lean: true}
	srv := server.New(SpecUnionPay, nil, nil)
	_ = srv.SetOptions(server.WithConnectionFactory(hostConn.ServerFactoryFor(func(mio *MessageIO) []connection.Option {
		return []connection.Option{connection.InboundMessageHandler(func(c *connection.Connection, m *moov.Message) {
			req, err := mio.VerifyReceived(m, keyFor)
			code := "00"
			if err != nil {
				code = "A0"
			}
			var resp Transaction
			if req.ResponseInto(&resp, code, "", "", connNow) != nil {
				return
			}
			out, _ := resp.AppendSigned(nil, SpecUnionPay, alg)
			if resp.STAN[len(resp.STAN)-1]&1 == 0 { // the frame written directly
				if frame, err := mio.AppendReply(nil, m, out); err == nil {
					_, _ = c.Write(frame)
				}
			} else if rm, err := mio.Packed(out); err == nil {
				_ = c.Reply(rm)
			}
		})}
	})))
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	conn, err := Conn{Spec: SpecUnionPay, Framing: UnionPayFraming, TPDU: NewTPDU(0x60, 6, 0)}.Dial(srv.Addr, connection.SendTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for range 3 {
		sale, _ := connTerminal("10000019").Sale(connCard, 1000)
		m, _ := sale.Message(SpecUnionPay)
		if _, err := SignMessage(m, alg); err != nil {
			t.Fatal(err)
		}
		resp, err := conn.Send(m)
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := resp.GetString(39)
		stan, _ := resp.GetString(11)
		if rc != "00" || stan != sale.STAN {
			t.Errorf("answer %q to STAN %q, want 00 to %q", rc, stan, sale.STAN)
		}
	}
	var _ net.Conn // the server speaks TCP
}
