package terminal_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"
	connection "github.com/moov-io/iso8583-connection"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

// Over a real connection: a lost answer, a connection the host closes in
// the middle of a request, and a host that is down all give an Outcome,
// never a raw EOF or reset; the link dials again and the reversal goes
// out before the next sale.
func TestLinkFaults(t *testing.T) {
	nh := startNetHost(t, newTestHost())
	link, err := newTestLink(nh.srv.Addr, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()
	pos, err := terminal.Open(terminal.Config{Terminal: testTerm("10000019", iso8583.UnionPay), Store: terminal.NewMemStore(), Sender: link})
	if err != nil {
		t.Fatal(err)
	}
	if out := pos.Sale(card, 1000); out.Status != terminal.Approved {
		t.Fatalf("first sale: %v", out)
	}
	// the host books the sale, then drops the connection before answering
	nh.setBefore(func(c *connection.Connection, req *iso8583.Transaction) bool {
		if req.STAN == "000002" && req.MTI == "0200" {
			_, _ = nh.handle(req)
			_ = c.Close()
			return false
		}
		return true
	})
	out := pos.Sale(card, 7600)
	if out.Status != terminal.ReversalPending || !errors.Is(out.Err, terminal.ErrNoAnswer) {
		t.Fatalf("closed mid-request: %v", out)
	}
	// the answer is lost (no reply): the send times out
	nh.setBefore(func(c *connection.Connection, req *iso8583.Transaction) bool {
		return !(req.STAN == "000003" && req.MTI == "0200")
	})
	out = pos.Sale(card, 500)
	if out.Status != terminal.ReversalPending || !errors.Is(out.Err, terminal.ErrNoAnswer) {
		t.Fatalf("lost answer: %v", out)
	}
	nh.setBefore(nil)
	if out := pos.Sale(card, 2000); out.Status != terminal.Approved {
		t.Fatalf("after faults: %v", out)
	}
	if len(pos.Pending()) != 0 || nh.count("0400") != 2 {
		t.Errorf("pending %v, host saw %d reversals", pos.Pending(), nh.count("0400"))
	}
	if mine, host := pos.Totals(), nh.totals("10000019"); mine != host || mine.DebitCount != 2 {
		t.Errorf("terminal %+v host %+v", mine, host)
	}
	// the host goes away: the next sale is not sent
	nh.srv.Close()
	time.Sleep(200 * time.Millisecond) // the link sees its connection end
	out = pos.Sale(card, 100)
	if out.Status != terminal.Declined || !errors.Is(out.Err, terminal.ErrNotSent) {
		t.Errorf("host down: %v", out)
	}
}

func TestLinkConfig(t *testing.T) {
	if _, err := terminal.NewLink(terminal.LinkConfig{}); !errors.Is(err, terminal.ErrConfig) {
		t.Errorf("empty: %v", err)
	}
	if _, err := terminal.NewLink(terminal.LinkConfig{Addr: "x:1", Conn: iso8583.Conn{Spec: iso8583.SpecUnionPay}, EchoEvery: time.Second}); !errors.Is(err, terminal.ErrConfig) {
		t.Errorf("echo without builder: %v", err)
	}
	l, _ := newTestLink("127.0.0.1:1", time.Second)
	_ = l.Close()
	m := moov.NewMessage(iso8583.SpecUnionPay)
	if _, err := l.Send(m); !errors.Is(err, terminal.ErrNotSent) {
		t.Errorf("closed link: %v", err)
	}
}

// An idle link sends echoes; a host that stops answering them gets the
// connection closed, and the next Send dials a new one.
func TestLinkEcho(t *testing.T) {
	h := newTestHost()
	nh := startNetHost(t, h)
	term := testTerm("10000019", iso8583.UnionPay)
	term.STAN = iso8583.NewSTANSource(500)
	link, err := terminal.NewLink(terminal.LinkConfig{
		Addr: nh.srv.Addr, Conn: iso8583.Conn{Spec: iso8583.SpecUnionPay, Framing: iso8583.UnionPayFraming, TPDU: testTPDU},
		SendTimeout: 200 * time.Millisecond, EchoEvery: 50 * time.Millisecond,
		Echo: func() (*moov.Message, error) {
			e, err := term.Echo()
			if err != nil {
				return nil, err
			}
			return e.Message(iso8583.SpecUnionPay)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()
	pos, _ := terminal.Open(terminal.Config{Terminal: testTerm("10000019", iso8583.UnionPay), Store: terminal.NewMemStore(), Sender: link})
	if out := pos.Sale(card, 100); out.Status != terminal.Approved {
		t.Fatal(out)
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.count("0820") < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if h.count("0820") < 2 {
		t.Fatalf("%d echoes", h.count("0820"))
	}
	// echoes go unanswered: the link closes the connection and redials
	nh.setBefore(func(_ *connection.Connection, req *iso8583.Transaction) bool { return req.MTI != "0820" })
	time.Sleep(500 * time.Millisecond)
	if out := pos.Sale(card, 100); out.Status != terminal.Approved {
		t.Fatalf("after echo failure: %v", out)
	}
}

// Concurrent terminals over one iso8583-connection server, each with its
// own Link (own connection, own MessageIO, own TPDU), the host losing
// every fifth answer at random: afterwards every terminal's journal
// equals the host's books and no original was reversed twice.
func TestLinkConcurrentTerminals(t *testing.T) {
	h := newTestHost()
	nh := startNetHost(t, h)
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(1, 2))
	nh.setBefore(func(_ *connection.Connection, req *iso8583.Transaction) bool {
		mu.Lock()
		drop := rng.IntN(5) == 0
		mu.Unlock()
		if drop && req.MTI == "0200" {
			_, _ = h.handle(req) // booked, answer lost
			return false
		}
		return true
	})
	const terminals = 4
	poses := make([]*terminal.POS, terminals)
	for i := range poses {
		link, err := terminal.NewLink(terminal.LinkConfig{
			Addr: nh.srv.Addr, SendTimeout: 300 * time.Millisecond, MinBackoff: 10 * time.Millisecond,
			Conn: iso8583.Conn{Spec: iso8583.SpecUnionPay, Framing: iso8583.UnionPayFraming,
				TPDU: iso8583.NewTPDU(0x60, 6, uint16(i)), Header: testHeader},
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = link.Close() })
		p, err := terminal.Open(terminal.Config{Terminal: testTerm(fmt.Sprintf("2000%04d", i), iso8583.UnionPay), Store: terminal.NewMemStore(), Sender: link})
		if err != nil {
			t.Fatal(err)
		}
		poses[i] = p
	}
	var wg sync.WaitGroup
	for _, p := range poses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				out := p.Sale(card, int64(100+i))
				if out.Status == terminal.Declined && out.Err != nil && !errors.Is(out.Err, terminal.ErrNotSent) {
					t.Errorf("declined with %v", out.Err)
				}
			}
		}()
	}
	wg.Wait()
	nh.setBefore(nil)
	for i, p := range poses {
		if err := p.Flush(); err != nil {
			t.Fatal(err)
		}
		if mine, theirs := p.Totals(), h.totals(fmt.Sprintf("2000%04d", i)); mine != theirs || mine.DebitCount == 0 {
			t.Errorf("terminal %d: %+v, host %+v", i, mine, theirs)
		}
	}
	if h.doubleReversals() != 0 || h.count("0400") == 0 {
		t.Errorf("double reversals %d, reversals %d", h.doubleReversals(), h.count("0400"))
	}
}
