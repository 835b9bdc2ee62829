package terminal

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/iso8583"
)

// Sender sends one request and waits for its answer. An error that wraps
// ErrNotSent promises the request did not leave the terminal; any other
// error means it may have. *Link is the Sender over
// moov-io/iso8583-connection; tests use their own.
type Sender interface {
	Send(m *moov.Message) (*moov.Message, error)
}

// SenderFunc adapts a function to a Sender.
type SenderFunc func(m *moov.Message) (*moov.Message, error)

// Send calls f(m).
func (f SenderFunc) Send(m *moov.Message) (*moov.Message, error) { return f(m) }

// Config configures a POS.
type Config struct {
	// Terminal describes the terminal and builds its messages. Open copies
	// it and replaces its STAN source and batch number with the ones in
	// the Store (when the Store has none yet, its STAN source's Last and
	// its Batch are the starting point).
	Terminal *iso8583.Terminal
	// Store keeps the queue, the journal and the counters.
	Store Store
	// Sender carries requests to the host.
	Sender Sender
	// Sign, when not nil, is called on every message before it is sent
	// (to set its MAC, say).
	Sign func(m *moov.Message) error
	// Verify, when not nil, checks every answer (its MAC, say); an error
	// makes the answer unusable.
	Verify func(m *moov.Message) error
	// KeyState, when not nil, returns the terminal's key state (a DUKPT
	// originator's MarshalSealed or MarshalBinary). It is called after
	// Sign, and what it returns is stored before the message is sent:
	// atomically with a request's reversal record, with a queued
	// message's attempt count, with the STAN of a management request.
	// POS.KeyState returns the last one stored.
	KeyState func() ([]byte, error)
	// MaxRepeats is how many repeats (0401, 0221) follow the first send of
	// a queued message before it is given up; 0 means 3.
	MaxRepeats int
	// Expiry is how long a queued message is tried before it is given up;
	// 0 means 48 hours.
	Expiry time.Duration
	// Now returns the time; time.Now when nil.
	Now func() time.Time
	// Operators, when not nil, is the operator table: requests then need
	// a logged-in operator ([POS.Login]) and voids and refunds a
	// supervisor ([WithSupervisor]). Open stores it when the Store holds
	// no table yet; when the Store holds one (with its lockout counters),
	// Open loads that one into Operators instead, so a restart keeps
	// password changes and lockouts. A Store holding a table gates the
	// POS even when Operators is nil.
	Operators *Operators
	// SignedOn, when not nil, is called by SignOn with the host's
	// approving answer before the queue is delivered and the downloads
	// due run: install the session keys the answer carries there, so
	// that those messages are signed with them. An error stops SignOn
	// there (the Outcome stays Approved; its Err says why).
	SignedOn func(resp *iso8583.Transaction) error
	// ManualDownload stops the POS from downloading on its own (see
	// [POS.Download]): downloads then run only when Download is called.
	ManualDownload bool
	// DownloadRetry is how long after a failed automatic download the
	// next one waits; 0 means 5 minutes.
	DownloadRetry time.Duration
	// Domestic decides, by PAN, whether an approved card transaction
	// counts in the domestic (内卡) or the foreign (外卡) settlement
	// totals; nil means [UnionPayDomestic].
	Domestic func(pan string) bool
}

// POS runs the terminal side of the transaction lifecycle for one
// terminal: online requests with a durable reversal record, the
// store-and-forward queue of reversals and advices, and the batch
// journal with its settlement. Its methods are safe for concurrent use
// and run one at a time, as a terminal does.
type POS struct {
	mu      sync.Mutex
	cfg     Config
	term    iso8583.Terminal
	spec    *moov.MessageSpec
	seq     uint64
	queue   []Queued
	journal []*Entry
	batch   string

	ops      *Operators // nil: no operator table
	operator string     // logged-in operator; "" when none
	role     OperatorRole
	hot      *HotList // nil: empty

	dl        *downloadSet // the download set in force
	due       uint8        // downloads due, bits of downloadKinds
	hostAsked bool         // an answer asked for a download since the last run
	retryAt   time.Time    // a failed automatic download waits until then
	dlErr     error        // the last automatic download's error
}

// crashPoint, when set by a test, is called at each step of a request and
// of a queue delivery so that the test can kill the process there.
var crashPoint func(step string)

func point(step string) {
	if crashPoint != nil {
		crashPoint(step)
	}
}

// Open loads the terminal's state from cfg.Store. Errors: ErrConfig when
// Terminal, Store or Sender is missing; ErrStore or ErrCorrupt when the
// store cannot be read.
func Open(cfg Config) (*POS, error) {
	if cfg.Terminal == nil || cfg.Store == nil || cfg.Sender == nil {
		return nil, fmt.Errorf("%w: Terminal, Store and Sender are required", ErrConfig)
	}
	if cfg.MaxRepeats <= 0 {
		cfg.MaxRepeats = 3
	}
	if cfg.Expiry <= 0 {
		cfg.Expiry = 48 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DownloadRetry <= 0 {
		cfg.DownloadRetry = 5 * time.Minute
	}
	if cfg.Domestic == nil {
		cfg.Domestic = UnionPayDomestic
	}
	p := &POS{cfg: cfg, term: *cfg.Terminal, ops: cfg.Operators}
	//lint:ignore SA1019 a Terminal configured through the old field still selects UnionPay
	if p.term.Scheme == iso8583.UnionPay {
		p.term.Dialect = iso8583.UnionPay
	}
	p.spec = p.term.Dialect.Spec()
	if err := p.load(); err != nil {
		return nil, err
	}
	if err := p.loadSession(); err != nil {
		return nil, err
	}
	if err := p.loadDownload(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *POS) load() error {
	s := p.cfg.Store
	var last uint32
	if p.term.STAN != nil {
		last = p.term.STAN.Last()
	}
	if v, ok, err := s.Get(BucketState, keySTAN); err != nil {
		return fmt.Errorf("%w: read STAN: %w", ErrStore, err)
	} else if ok {
		n, err := strconv.ParseUint(string(v), 10, 32)
		if err != nil {
			return fmt.Errorf("%w: STAN %q", ErrCorrupt, v)
		}
		last = uint32(n)
	}
	p.term.STAN = iso8583.NewSTANSource(last)
	p.batch = p.term.Batch
	if p.batch == "" {
		p.batch = "000001"
	}
	if v, ok, err := s.Get(BucketState, keyBatch); err != nil {
		return fmt.Errorf("%w: read batch: %w", ErrStore, err)
	} else if ok {
		p.batch = string(v)
	}
	p.term.Batch = p.batch
	if v, ok, err := s.Get(BucketState, keySeq); err != nil {
		return fmt.Errorf("%w: read sequence: %w", ErrStore, err)
	} else if ok {
		if p.seq, err = strconv.ParseUint(string(v), 10, 64); err != nil {
			return fmt.Errorf("%w: sequence %q", ErrCorrupt, v)
		}
	}
	err := s.Scan(BucketQueue, func(k string, v []byte) error {
		q, err := decodeQueued(p.spec, k, v)
		p.queue = append(p.queue, q)
		return err
	})
	if err != nil {
		return wrapStore("read queue", err)
	}
	err = s.Scan(BucketJournal, func(k string, v []byte) error {
		e, err := decodeEntry(p.spec, k, v)
		p.journal = append(p.journal, e)
		return err
	})
	return wrapStore("read journal", err)
}

// wrapStore wraps a store error in ErrStore unless it already says what
// it is.
func wrapStore(what string, err error) error {
	if err == nil || errors.Is(err, ErrStore) || errors.Is(err, ErrCorrupt) {
		return err
	}
	return fmt.Errorf("%w: %s: %w", ErrStore, what, err)
}

// Batch returns the number of the open batch (6 digits).
func (p *POS) Batch() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.batch
}

// KeyState returns the key state stored with the latest request; ok is
// false when none was stored.
func (p *POS) KeyState() (state []byte, ok bool, err error) {
	v, ok, err := p.cfg.Store.Get(BucketState, keyKeyState)
	if err != nil {
		return nil, false, wrapStore("read key state", err)
	}
	return v, ok, nil
}

// Close closes the Store (not the Sender).
func (p *POS) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return wrapStore("close", p.cfg.Store.Close())
}

// stateOps returns the counters to store with a change: STAN, sequence
// and, when configured, the key state.
func (p *POS) stateOps(withKeys bool) ([]Op, error) {
	ops := []Op{
		{BucketState, keySTAN, []byte(strconv.FormatUint(uint64(p.term.STAN.Last()), 10))},
		{BucketState, keySeq, []byte(strconv.FormatUint(p.seq, 10))},
		{BucketState, keyBatch, []byte(p.batch)},
	}
	if withKeys && p.cfg.KeyState != nil {
		ks, err := p.cfg.KeyState()
		if err != nil {
			return nil, fmt.Errorf("%w: key state: %w", ErrConfig, err)
		}
		ops = append(ops, Op{BucketState, keyKeyState, ks})
	}
	return ops, nil
}

// prepare packs req into a message and signs it (Sign), which may use
// keys: the key state is stored after prepare and before the send.
func (p *POS) prepare(req *iso8583.Transaction) (*moov.Message, error) {
	m, err := req.Message(p.spec)
	if err != nil {
		return nil, wrap(ErrNotSent, err)
	}
	if p.cfg.Sign != nil {
		if err := p.cfg.Sign(m); err != nil {
			return nil, fmt.Errorf("%w: sign: %w", ErrNotSent, err)
		}
	}
	return m, nil
}

// exchange sends m, the prepared req, and checks the answer: its MAC
// (Verify), and that it answers req (MTI, STAN, terminal ID).
func (p *POS) exchange(req *iso8583.Transaction, m *moov.Message) (*iso8583.Transaction, error) {
	rm, err := p.cfg.Sender.Send(m)
	if err != nil {
		if errors.Is(err, ErrNotSent) {
			return nil, err
		}
		return nil, wrap(ErrNoAnswer, err)
	}
	if rm == nil {
		return nil, fmt.Errorf("%w: no message", ErrBadAnswer)
	}
	if p.cfg.Verify != nil {
		if err := p.cfg.Verify(rm); err != nil {
			return nil, wrap(ErrBadAnswer, err)
		}
	}
	resp, err := iso8583.FromMessage(rm)
	if err != nil {
		return nil, wrap(ErrBadAnswer, err)
	}
	p.noteAnswer(rm, resp)
	if !answers(req, resp) {
		return nil, fmt.Errorf("%w: %s STAN %s does not answer %s STAN %s", ErrBadAnswer, resp.MTI, resp.STAN, req.MTI, req.STAN)
	}
	return resp, nil
}

// answers reports whether resp is the answer to req: MTI class plus 10
// (a repeat's answer is the original's), same STAN and terminal.
func answers(req, resp *iso8583.Transaction) bool {
	if len(req.MTI) != 4 || len(resp.MTI) != 4 {
		return false
	}
	want := req.MTI[:2] + string(req.MTI[2]|1) + "0"
	return resp.MTI == want && resp.STAN == req.STAN && resp.TerminalID == req.TerminalID
}

// Request builds a request with the POS's terminal (its STAN source and
// batch) and runs it online:
//
//  1. the request is screened: on a POS with an operator table an
//     operator must be logged in (ErrNoOperator) and a void or refund
//     needs [WithSupervisor] (ErrNotSupervisor and the errors of
//     Operators.Authorize); a sale, pre-authorisation, completion or
//     transfer whose PAN (field 2 or track 2) is on the hot-card list is
//     refused (ErrHotCard). A refused request is Declined, nothing is
//     sent and nothing is written but the operator table;
//  2. the queue of reversals and advices is delivered; if it cannot be,
//     the request is not sent (Declined, Err wraps ErrNotSent);
//  3. a reversal of the request is written to the Store, synced, with the
//     STAN and key state, before the request leaves;
//  4. the request is sent; an answer that approves moves the record from
//     the queue to the batch journal (a void marks its sale voided), one
//     that declines deletes it, in one atomic write;
//  5. no answer, an unusable answer, or a response code whose action is
//     "reverse" leaves the reversal queued: ReversalPending.
//
// build receives the POS's own iso8583.Terminal and must not keep it.
// The Outcome carries the logged-in operator's number.
func (p *POS) Request(build func(t *iso8583.Terminal) (*iso8583.Transaction, error), opts ...RequestOption) Outcome {
	p.mu.Lock()
	defer p.mu.Unlock()
	var o requestOpts
	for _, f := range opts {
		f(&o)
	}
	if err := p.needOperator(); err != nil {
		return Outcome{Status: Declined, Err: wrap(ErrNotSent, err)}
	}
	req, err := build(&p.term)
	if err != nil {
		return Outcome{Status: Declined, Operator: p.operator, Err: wrap(ErrNotSent, err)}
	}
	if err := p.screen(req, o); err != nil {
		return Outcome{Status: Declined, Request: req, Operator: p.operator, Err: wrap(ErrNotSent, err)}
	}
	if err := p.flushLocked(); err != nil {
		return Outcome{Status: Declined, Request: req, Operator: p.operator, Err: wrap(ErrNotSent, err)}
	}
	out := p.online(req)
	if p.hostAsked {
		p.runDue()
	}
	return out
}

// Sale runs a sale online (Request with Terminal.Sale).
func (p *POS) Sale(c iso8583.Card, amount int64) Outcome {
	return p.Request(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Sale(c, amount) })
}

// Void runs a void (消费撤销) of the sale o online (Request with
// Terminal.Void); on a POS with an operator table pass WithSupervisor.
func (p *POS) Void(c iso8583.Card, amount int64, o iso8583.Original, opts ...RequestOption) Outcome {
	return p.Request(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Void(c, amount, o) }, opts...)
}

// Refund runs a refund (退货) of the sale o online (Request with
// Terminal.Refund); on a POS with an operator table pass WithSupervisor.
func (p *POS) Refund(c iso8583.Card, amount int64, o iso8583.Original, opts ...RequestOption) Outcome {
	return p.Request(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Refund(c, amount, o) }, opts...)
}

func (p *POS) online(req *iso8583.Transaction) Outcome {
	out := Outcome{Status: Declined, Request: req, Operator: p.operator}
	rv, err := p.term.Reversal(req, iso8583.ReasonNoResponse)
	if err != nil {
		out.Err = wrap(ErrNotSent, err)
		return out
	}
	p.seq++
	q := Queued{Seq: p.seq, Message: rv, Created: p.cfg.Now()}
	enc, err := encodeQueued(p.spec, q)
	if err != nil {
		out.Err = fmt.Errorf("%w: reversal record: %w", ErrNotSent, err)
		return out
	}
	m, err := p.prepare(req)
	if err != nil {
		out.Err = err
		return out
	}
	ops, err := p.stateOps(true)
	if err != nil {
		out.Err = wrap(ErrNotSent, err)
		return out
	}
	if err := p.cfg.Store.Apply(append(ops, Op{BucketQueue, seqKey(q.Seq), enc})...); err != nil {
		out.Err = wrap(ErrNotSent, wrapStore("write reversal", err))
		return out
	}
	point("armed")
	resp, err := p.exchange(req, m)
	if err != nil && errors.Is(err, ErrNotSent) {
		if derr := p.cfg.Store.Apply(Op{BucketQueue, seqKey(q.Seq), nil}); derr != nil {
			p.queue = append(p.queue, q) // the record stays: reverse to be safe
			out.Status, out.Err = ReversalPending, wrapStore("clear unsent reversal", derr)
			return out
		}
		out.Err = err
		return out
	}
	if err != nil {
		if errors.Is(err, ErrBadAnswer) {
			q = p.retag(q)
		}
		p.queue = append(p.queue, q)
		out.Status, out.Err = ReversalPending, err
		return out
	}
	point("answered")
	return p.bookAnswer(out, q, resp)
}

// retag rewrites a queued reversal with the reason "answer unusable"
// (ReasonTerminalError) rather than "no answer"; if that cannot be
// written, the record keeps its first reason.
func (p *POS) retag(q Queued) Queued {
	nq := q
	nq.Message = q.Message.Clone()
	nq.Message.ResponseCode = iso8583.ReasonTerminalError
	enc, err := encodeQueued(p.spec, nq)
	if err != nil || p.cfg.Store.Apply(Op{BucketQueue, seqKey(q.Seq), enc}) != nil {
		return q
	}
	return nq
}

// bookAnswer books a usable answer: approved into the journal, declined
// away, "reverse" left queued.
func (p *POS) bookAnswer(out Outcome, q Queued, resp *iso8583.Transaction) Outcome {
	out.Response, out.Code = resp, resp.Response()
	if out.Code.Action == iso8583.ActionReverse {
		p.queue = append(p.queue, q)
		out.Status = ReversalPending
		return out
	}
	ops := []Op{{BucketQueue, seqKey(q.Seq), nil}}
	var e, voided *Entry
	if out.Code.Action == iso8583.ActionApprove {
		p.seq++
		e = newEntry(p.seq, out.Request, resp, false)
		e.Operator = p.operator
		jops, orig, err := p.journalOps(e)
		if err != nil {
			p.queue = append(p.queue, q)
			out.Status, out.Err = ReversalPending, fmt.Errorf("%w: journal: %w", ErrBadAnswer, err)
			return out
		}
		voided = orig
		ops = append(ops, jops...)
		ops = append(ops, Op{BucketState, keySeq, []byte(strconv.FormatUint(p.seq, 10))})
	}
	if err := p.cfg.Store.Apply(ops...); err != nil {
		// the reversal record is still in the store: the host will be told
		p.queue = append(p.queue, q)
		out.Status, out.Err = ReversalPending, wrapStore("book answer", err)
		return out
	}
	point("cleared")
	if e != nil {
		out.Status = Approved
		p.journal = append(p.journal, e)
		if voided != nil {
			voided.Voided = true
		}
	}
	return out
}

// journalOps returns the writes that book e: its record and, for a void,
// its original marked voided (returned so the caller can mark it once the
// write succeeded).
func (p *POS) journalOps(e *Entry) ([]Op, *Entry, error) {
	enc, err := encodeEntry(p.spec, e)
	if err != nil {
		return nil, nil, err
	}
	ops := []Op{{BucketJournal, seqKey(e.Seq), enc}}
	if e.Kind != iso8583.KindVoid && e.Kind != iso8583.KindCompletionVoid {
		return ops, nil, nil
	}
	orig := p.originalOf(e.Request)
	if orig == nil {
		return ops, nil, nil
	}
	o := *orig
	o.Voided = true
	oenc, err := encodeEntry(p.spec, &o)
	if err != nil {
		return nil, nil, err
	}
	return append(ops, Op{BucketJournal, seqKey(o.Seq), oenc}), orig, nil
}

// originalOf finds the journal entry a void refers to: by UnionPay 61.2
// (original STAN) or by RRN (37).
func (p *POS) originalOf(req *iso8583.Transaction) *Entry {
	for _, e := range p.journal {
		if e.Voided || (e.Kind != iso8583.KindSale && e.Kind != iso8583.KindCompletion) {
			continue
		}
		if req.F61 != nil && req.F61.OrigSTAN != "" && req.F61.OrigSTAN != "000000" {
			if e.STAN == req.F61.OrigSTAN {
				return e
			}
			continue
		}
		if req.RRN != "" && e.Response != nil && e.Response.RRN == req.RRN {
			return e
		}
	}
	return nil
}
