package terminal_test

import (
	"sync"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"
	connection "github.com/moov-io/iso8583-connection"
	"github.com/moov-io/iso8583-connection/server"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

var (
	testTPDU   = iso8583.NewTPDU(0x60, 0x0006, 0x0000)
	testHeader = iso8583.NewHeader(0x60, 0x31, 0, 0, [3]byte{0x31, 0x10, 0x03})
)

// netHost serves a testHost over iso8583-connection's server. before,
// when set, sees each request first and may drop the connection or the
// answer (returning false).
type netHost struct {
	*testHost
	srv    *server.Server
	mu     sync.Mutex
	before func(c *connection.Connection, req *iso8583.Transaction) bool
}

func startNetHost(t *testing.T, h *testHost) *netHost {
	t.Helper()
	nh := &netHost{testHost: h}
	handler := func(c *connection.Connection, m *moov.Message) {
		req, err := iso8583.FromMessage(m)
		if err != nil {
			return
		}
		nh.mu.Lock()
		before := nh.before
		nh.mu.Unlock()
		if before != nil && !before(c, req) {
			return
		}
		rm, err := h.Send(m)
		if err != nil {
			return // lost answer or unreached host: no reply
		}
		_ = c.Reply(rm)
	}
	cfg := iso8583.Conn{Spec: iso8583.SpecUnionPay, Framing: iso8583.UnionPayFraming, Host: true}
	nh.srv = server.New(iso8583.SpecUnionPay, nil, nil)
	if err := nh.srv.SetOptions(server.WithConnectionFactory(cfg.ServerFactory(connection.InboundMessageHandler(handler)))); err != nil {
		t.Fatal(err)
	}
	if err := nh.srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nh.srv.Close)
	return nh
}

func (nh *netHost) setBefore(f func(c *connection.Connection, req *iso8583.Transaction) bool) {
	nh.mu.Lock()
	nh.before = f
	nh.mu.Unlock()
}

func newTestLink(addr string, timeout time.Duration) (*terminal.Link, error) {
	return terminal.NewLink(terminal.LinkConfig{
		Addr:        addr,
		Conn:        iso8583.Conn{Spec: iso8583.SpecUnionPay, Framing: iso8583.UnionPayFraming, TPDU: testTPDU, Header: testHeader},
		SendTimeout: timeout, ConnectTimeout: time.Second,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
	})
}
