package terminal

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/iso8583"
)

// State keys in BucketState.
const (
	keySTAN     = "stan"     // last STAN handed out, decimal
	keyBatch    = "batch"    // open batch number, 6 digits
	keySeq      = "seq"      // last queue and journal sequence number, decimal
	keyKeyState = "keystate" // the caller's key state (DUKPT originator), opaque
)

// seqKey is the key of a queue or journal record: the sequence number in
// 20 digits, so that byte order is insertion order.
func seqKey(seq uint64) string { return fmt.Sprintf("%020d", seq) }

// Queued is a reversal (0400) or advice (0220) waiting in the
// store-and-forward queue, or given up (Expired).
type Queued struct {
	Seq uint64
	// Message is the message as first sent; repeats are its AsRepeat
	// (0401, 0221).
	Message *iso8583.Transaction
	// Attempts counts the sends so far (the first and the repeats). An
	// attempt is counted in the store before the message leaves.
	Attempts int
	// Created is when the record was written.
	Created time.Time
	// Reason says why an expired record was given up; empty in the queue.
	Reason string
}

// IsReversal reports whether q is a reversal (04xx) rather than an advice.
func (q Queued) IsReversal() bool {
	return q.Message != nil && len(q.Message.MTI) == 4 && q.Message.MTI[:2] == "04"
}

// String describes the record without card data.
func (q Queued) String() string {
	if q.Message == nil {
		return fmt.Sprintf("#%d (empty)", q.Seq)
	}
	s := fmt.Sprintf("#%d %s STAN %s amount %s, %d attempts", q.Seq, q.Message.MTI, q.Message.STAN, q.Message.Amount, q.Attempts)
	if q.Reason != "" {
		s += ": " + q.Reason
	}
	return s
}

type queueRec struct {
	Msg      []byte `json:"msg"`
	Attempts int    `json:"attempts"`
	Created  int64  `json:"created"`
	Reason   string `json:"reason,omitempty"`
}

func encodeQueued(spec *moov.MessageSpec, q Queued) ([]byte, error) {
	msg, err := q.Message.Pack(spec)
	if err != nil {
		return nil, err
	}
	return json.Marshal(queueRec{Msg: msg, Attempts: q.Attempts, Created: q.Created.UnixNano(), Reason: q.Reason})
}

func decodeQueued(spec *moov.MessageSpec, key string, b []byte) (Queued, error) {
	var r queueRec
	seq, err := strconv.ParseUint(key, 10, 64)
	if err != nil {
		return Queued{}, fmt.Errorf("%w: queue key %q", ErrCorrupt, key)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return Queued{}, fmt.Errorf("%w: queue record %d: %w", ErrCorrupt, seq, err)
	}
	tx, err := iso8583.Unpack(spec, r.Msg)
	if err != nil {
		return Queued{}, fmt.Errorf("%w: queue record %d: %w", ErrCorrupt, seq, err)
	}
	return Queued{Seq: seq, Message: tx, Attempts: r.Attempts, Created: time.Unix(0, r.Created), Reason: r.Reason}, nil
}

// Entry is an approved transaction in the batch journal.
type Entry struct {
	Seq    uint64
	Kind   iso8583.Kind
	STAN   string
	Amount int64 // minor units
	// Voided marks a sale or completion voided later in the batch: it no
	// longer counts in the totals.
	Voided bool
	// Request and Response are kept for the batch upload; Response is nil
	// for a transaction the terminal approved offline and advised.
	Request, Response *iso8583.Transaction
	// Operator is the number of the operator logged in when the
	// transaction was booked, for the slip; empty on a POS without an
	// operator table.
	Operator string
}

// String describes the entry without card data.
func (e Entry) String() string {
	s := fmt.Sprintf("#%d %s STAN %s amount %d", e.Seq, e.Kind, e.STAN, e.Amount)
	if e.Voided {
		s += " (voided)"
	}
	return s
}

type entryRec struct {
	Voided bool   `json:"voided,omitempty"`
	Op     string `json:"op,omitempty"`
	Req    []byte `json:"req"`
	Resp   []byte `json:"resp,omitempty"`
}

func encodeEntry(spec *moov.MessageSpec, e *Entry) ([]byte, error) {
	req, err := e.Request.Pack(spec)
	if err != nil {
		return nil, err
	}
	var resp []byte
	if e.Response != nil {
		if resp, err = e.Response.Pack(spec); err != nil {
			return nil, err
		}
	}
	return json.Marshal(entryRec{Voided: e.Voided, Op: e.Operator, Req: req, Resp: resp})
}

func decodeEntry(spec *moov.MessageSpec, key string, b []byte) (*Entry, error) {
	seq, err := strconv.ParseUint(key, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: journal key %q", ErrCorrupt, key)
	}
	var r entryRec
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%w: journal record %d: %w", ErrCorrupt, seq, err)
	}
	req, err := iso8583.Unpack(spec, r.Req)
	if err != nil {
		return nil, fmt.Errorf("%w: journal record %d: %w", ErrCorrupt, seq, err)
	}
	var resp *iso8583.Transaction
	if r.Resp != nil {
		if resp, err = iso8583.Unpack(spec, r.Resp); err != nil {
			return nil, fmt.Errorf("%w: journal record %d: %w", ErrCorrupt, seq, err)
		}
	}
	e := newEntry(seq, req, resp, r.Voided)
	e.Operator = r.Op
	return e, nil
}

func newEntry(seq uint64, req, resp *iso8583.Transaction, voided bool) *Entry {
	amount, _ := req.AmountMinor()
	return &Entry{Seq: seq, Kind: req.Kind(), STAN: req.STAN, Amount: amount, Voided: voided, Request: req, Response: resp}
}
