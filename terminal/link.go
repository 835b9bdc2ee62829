package terminal

import (
	"errors"
	"fmt"
	"sync"
	"time"

	moov "github.com/moov-io/iso8583"
	connection "github.com/moov-io/iso8583-connection"
	moovErrors "github.com/moov-io/iso8583/errors"

	"github.com/poskit/poskit/iso8583"
)

// LinkConfig configures a Link.
type LinkConfig struct {
	// Addr is the host's address, "host:port".
	Addr string
	// Conn gives the spec, the framing, and the TPDU and header the
	// terminal sends (Host false).
	Conn iso8583.Conn
	// SendTimeout bounds the wait for each answer; 0 means 30 seconds.
	SendTimeout time.Duration
	// ConnectTimeout bounds each dial; 0 means 10 seconds.
	ConnectTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait between failed dials,
	// doubling from the first to the second; 0 means 100 ms and 10 s.
	MinBackoff, MaxBackoff time.Duration
	// DialAttempts is how many dials one Send tries before it gives up
	// with ErrNotSent; 0 means 3.
	DialAttempts int
	// EchoEvery, when positive, sends Echo's message after that much idle
	// time on the connection (keep-alive); an unanswered echo closes the
	// connection, and the next Send dials again.
	EchoEvery time.Duration
	// Echo builds the keep-alive message (an 0820 echo test).
	Echo func() (*moov.Message, error)
	// Options are added to the connection's options (handlers, TLS).
	Options []connection.Option
}

// Link is a Sender over moov-io/iso8583-connection: one client
// connection at a time, each with its own MessageIO, answers matched to
// requests by MTI class, terminal ID and STAN, a new connection dialled
// with backoff when the old one is gone, and an optional echo when idle.
// It is safe for concurrent use.
type Link struct {
	cfg LinkConfig

	mu      sync.Mutex
	conn    *connection.Connection
	mio     *iso8583.MessageIO // the connection's reader and writer
	backoff time.Duration
	closed  bool
}

// NewLink returns a Link; it dials on the first Send. Errors: ErrConfig
// when Addr or Conn.Spec is missing, or EchoEvery is set without Echo.
func NewLink(cfg LinkConfig) (*Link, error) {
	if cfg.Addr == "" || cfg.Conn.Spec == nil || (cfg.EchoEvery > 0 && cfg.Echo == nil) {
		return nil, fmt.Errorf("%w: a link needs Addr, Conn.Spec, and Echo with EchoEvery", ErrConfig)
	}
	cfg.Conn.Host = false
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 30 * time.Second
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 100 * time.Millisecond
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(10*time.Second, cfg.MinBackoff)
	}
	if cfg.DialAttempts <= 0 {
		cfg.DialAttempts = 3
	}
	return &Link{cfg: cfg}, nil
}

// errLinkClosed reports a Send on a closed Link.
var errLinkClosed = errors.New("link closed")

// connection returns a live connection, dialling with backoff as needed.
func (l *Link) connection() (*connection.Connection, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, wrap(ErrNotSent, errLinkClosed)
	}
	if l.conn != nil {
		select {
		case <-l.conn.Done():
			l.conn = nil
		default:
			return l.conn, nil
		}
	}
	var err error
	for i := range l.cfg.DialAttempts {
		if i > 0 || l.backoff > 0 {
			time.Sleep(max(l.backoff, l.cfg.MinBackoff))
		}
		var c *connection.Connection
		mio := l.cfg.Conn.New()
		opts := append(l.options(), connection.SetMessageReader(mio), connection.SetMessageWriter(mio))
		if c, err = l.cfg.Conn.Dial(l.cfg.Addr, opts...); err == nil {
			l.conn, l.mio, l.backoff = c, mio, 0
			return c, nil
		}
		l.backoff = min(max(2*l.backoff, l.cfg.MinBackoff), l.cfg.MaxBackoff)
	}
	return nil, wrap(ErrNotSent, err)
}

func (l *Link) options() []connection.Option {
	opts := []connection.Option{
		connection.SendTimeout(l.cfg.SendTimeout),
		connection.ConnectTimeout(l.cfg.ConnectTimeout),
		connection.SetRequestIDGenerator(pairID{}),
		connection.WithConnectionClosedHandler(l.forget),
	}
	if l.cfg.EchoEvery > 0 {
		opts = append(opts, connection.IdleTime(l.cfg.EchoEvery), connection.PingHandler(l.echo))
	}
	return append(opts, l.cfg.Options...)
}

// echo is the keep-alive: an unanswered echo closes the connection.
func (l *Link) echo(c *connection.Connection) {
	m, err := l.cfg.Echo()
	if err != nil {
		return
	}
	if _, err := l.sendGuarded(c, m); err != nil {
		l.drop(c)
	}
}

// Send sends m and returns its answer. Errors: ErrNotSent (wrapping the
// cause) when no connection could be made or m could not be packed, so
// m did not leave; any other error (a timeout, a closed connection) means
// m may have reached the host.
func (l *Link) Send(m *moov.Message) (*moov.Message, error) {
	c, err := l.connection()
	if err != nil {
		return nil, err
	}
	resp, err := l.sendGuarded(c, m)
	if err == nil {
		return resp, nil
	}
	var packErr *moovErrors.PackError
	if errors.As(err, &packErr) {
		return nil, wrap(ErrNotSent, err)
	}
	if errors.Is(err, connection.ErrConnectionClosed) {
		l.drop(c)
	}
	return nil, err
}

// ReceivedHeader returns the UnionPay message header of the frame that
// carried answer on the current connection; ok is false when the
// connection has none remembered (ISO 8583:1987 framing has no header, or
// the connection was replaced). The POS reads the host's processing
// request (a download it asks for) from it.
func (l *Link) ReceivedHeader(answer *moov.Message) (h iso8583.Header, ok bool) {
	l.mu.Lock()
	mio := l.mio
	l.mu.Unlock()
	if mio == nil || answer == nil {
		return h, false
	}
	_, h, ok = mio.ReceivedFrame(answer)
	return h, ok
}

// errStuck reports a Send of the connection package that did not return
// in time.
var errStuck = errors.New("no return from the connection package")

// sendGuarded is c.Send bounded by the Link's own clock. In
// moov-io/iso8583-connection v0.9.0 a send timeout that races a connection
// failure can leave Send blocked for ever: the failing read loop holds the
// pending-request lock while it hands ErrConnectionClosed to a request
// whose Send, already timed out, waits for that lock. When Send has not
// returned a second after its own timeout the Link gives up on it (its
// goroutine stays blocked), drops the connection and reports the message
// as possibly sent, so that its reversal is queued.
func (l *Link) sendGuarded(c *connection.Connection, m *moov.Message) (*moov.Message, error) {
	return guarded(l.cfg.SendTimeout+time.Second, func() (*moov.Message, error) { return c.Send(m) }, func() { l.drop(c) })
}

// guarded runs send and returns what it returns, unless it has not
// returned within limit: then it calls stuck and returns errStuck, leaving
// send's goroutine behind.
func guarded(limit time.Duration, send func() (*moov.Message, error), stuck func()) (*moov.Message, error) {
	type result struct {
		resp *moov.Message
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := send()
		done <- result{resp, err}
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.resp, r.err
	case <-timer.C:
		stuck()
		return nil, fmt.Errorf("%w: after %v", errStuck, limit)
	}
}

// forget drops c once the connection package has closed it.
func (l *Link) forget(c *connection.Connection) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == c {
		l.conn = nil
	}
}

// drop forgets c if it is the current connection.
func (l *Link) drop(c *connection.Connection) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == c {
		l.conn = nil
	}
	go func() { _ = c.Close() }()
}

// Close closes the connection; a closed Link sends nothing.
func (l *Link) Close() error {
	l.mu.Lock()
	c := l.conn
	l.conn, l.closed = nil, true
	l.mu.Unlock()
	if c != nil {
		return c.Close()
	}
	return nil
}

// pairID is the request ID of the connection package: MTI class
// (response and repeat digits cleared), terminal ID and STAN, so that a
// late 0210 never answers the 0400 that reverses its request.
type pairID struct{}

// GenerateRequestID implements connection.RequestIDGenerator.
func (pairID) GenerateRequestID(m *moov.Message) (string, error) {
	mti, err := m.GetMTI()
	if err != nil || len(mti) != 4 {
		return "", fmt.Errorf("%w: no MTI", ErrBadAnswer)
	}
	stan, err := m.GetString(11)
	if err != nil || stan == "" {
		return "", fmt.Errorf("%w: no STAN", ErrBadAnswer)
	}
	tid, _ := m.GetString(41)
	class := []byte(mti)
	class[2] &^= 1
	class[3] = '0'
	return string(class) + "/" + tid + "/" + stan, nil
}
