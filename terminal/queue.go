package terminal

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/poskit/poskit/iso8583"
)

// Flush delivers the queued reversals and advices in the order they were
// queued. Each send is counted in the Store before it leaves; the first
// send is the message itself (0400, 0220), later ones its repeat (0401,
// 0221). A reversal answered 0410 (an advice answered 0230) with any
// response code but a "retry" one is acknowledged and removed. A message
// already sent 1+MaxRepeats times, or older than Expiry, is moved to the
// expired records (Expired) instead of being sent again. Errors:
// ErrQueueBlocked (wrapping the cause) when a message could not be
// delivered: it stays queued and the rest wait behind it.
func (p *POS) Flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.flushLocked()
}

func (p *POS) flushLocked() error {
	for len(p.queue) > 0 {
		q := p.queue[0]
		if reason := p.exhausted(q); reason != "" {
			if err := p.expire(q, reason); err != nil {
				return err
			}
			continue
		}
		if err := p.deliver(q); err != nil {
			return err
		}
	}
	return nil
}

// exhausted says why q must not be sent again, or "".
func (p *POS) exhausted(q Queued) string {
	if q.Attempts >= 1+p.cfg.MaxRepeats {
		return fmt.Sprintf("not acknowledged after %d sends", q.Attempts)
	}
	if age := p.cfg.Now().Sub(q.Created); age > p.cfg.Expiry {
		return fmt.Sprintf("expired after %s", age.Round(1e9))
	}
	return ""
}

// expire moves q from the queue to the expired records.
func (p *POS) expire(q Queued, reason string) error {
	q.Reason = reason
	enc, err := encodeQueued(p.spec, q)
	if err != nil {
		return wrap(ErrQueueBlocked, err)
	}
	key := seqKey(q.Seq)
	if err := p.cfg.Store.Apply(Op{BucketQueue, key, nil}, Op{BucketExpired, key, enc}); err != nil {
		return wrap(ErrQueueBlocked, wrapStore("expire", err))
	}
	p.queue = p.queue[1:]
	return nil
}

// deliver sends the head of the queue once and removes it when it is
// acknowledged.
func (p *POS) deliver(q Queued) error {
	msg := q.Message
	if q.Attempts > 0 {
		r, err := msg.AsRepeat()
		if err != nil {
			return wrap(ErrQueueBlocked, err)
		}
		msg = r
	}
	m, err := p.prepare(msg)
	if err != nil {
		return wrap(ErrQueueBlocked, err)
	}
	q.Attempts++
	enc, err := encodeQueued(p.spec, q)
	if err != nil {
		return wrap(ErrQueueBlocked, err)
	}
	key := seqKey(q.Seq)
	ops, err := p.stateOps(true)
	if err != nil {
		return wrap(ErrQueueBlocked, err)
	}
	if err := p.cfg.Store.Apply(append(ops, Op{BucketQueue, key, enc})...); err != nil {
		return wrap(ErrQueueBlocked, wrapStore("count attempt", err))
	}
	p.queue[0] = q
	point("queue-armed")
	resp, err := p.exchange(msg, m)
	if err != nil {
		if errors.Is(err, ErrNotSent) {
			// not sent after all: the attempt stays counted, which only
			// brings the repeat form forward; harmless for the host
			return wrap(ErrQueueBlocked, err)
		}
		return wrap(ErrQueueBlocked, err)
	}
	point("queue-answered")
	if rc := resp.Response(); rc.Action == iso8583.ActionRetry {
		return fmt.Errorf("%w: %s STAN %s answered %s (%s)", ErrQueueBlocked, msg.MTI, msg.STAN, rc.Code, rc.English)
	}
	if err := p.cfg.Store.Apply(Op{BucketQueue, key, nil}); err != nil {
		return wrap(ErrQueueBlocked, wrapStore("clear", err))
	}
	point("queue-cleared")
	p.queue = p.queue[1:]
	return nil
}

// Advise queues an advice (0220, built with Terminal.Advice) of a
// transaction the terminal completed offline, and books it in the batch
// journal at once when approved is true (an offline approval), both in
// one durable write; then it tries to deliver the queue. The advice is
// delivered like a reversal (repeats 0221, MaxRepeats, Expiry). Errors:
// ErrStore when the advice could not be stored (then nothing is
// booked); a delivery failure is not an error here: the advice stays
// queued for the next Flush.
func (p *POS) Advise(advice *iso8583.Transaction, approved bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if advice == nil || len(advice.MTI) != 4 || advice.MTI[1:3] != "22" {
		return fmt.Errorf("%w: an advice is an xx20 message", ErrConfig)
	}
	advice = advice.Clone() // the caller keeps theirs
	p.seq++
	q := Queued{Seq: p.seq, Message: advice, Created: p.cfg.Now()}
	enc, err := encodeQueued(p.spec, q)
	if err != nil {
		return fmt.Errorf("%w: advice record: %w", ErrStore, err)
	}
	ops := []Op{{BucketQueue, seqKey(q.Seq), enc}}
	var e *Entry
	if approved {
		p.seq++
		e = newEntry(p.seq, advice, nil, false)
		e.Operator = p.operator
		jops, _, err := p.journalOps(e)
		if err != nil {
			return fmt.Errorf("%w: journal record: %w", ErrStore, err)
		}
		ops = append(ops, jops...)
	}
	ops = append(ops, Op{BucketState, keySeq, []byte(strconv.FormatUint(p.seq, 10))})
	if err := p.cfg.Store.Apply(ops...); err != nil {
		return wrapStore("write advice", err)
	}
	p.queue = append(p.queue, q)
	if e != nil {
		p.journal = append(p.journal, e)
	}
	_ = p.flushLocked()
	return nil
}

// Pending returns the queued reversals and advices, oldest first.
func (p *POS) Pending() []Queued {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Queued(nil), p.queue...)
}

// Expired returns the reversals and advices given up after their repeats
// or expiry, oldest first: they need a person (or the settlement's batch
// upload) to resolve them.
func (p *POS) Expired() ([]Queued, error) {
	var out []Queued
	err := p.cfg.Store.Scan(BucketExpired, func(k string, v []byte) error {
		q, err := decodeQueued(p.spec, k, v)
		out = append(out, q)
		return err
	})
	return out, wrapStore("read expired", err)
}

// Reverse takes back a transaction the host approved but the terminal
// cannot complete (the chip card declined it in its second GENERATE AC,
// say): its journal entry is removed and a reversal (reason
// ReasonTerminalError) is queued in one durable write, then the queue is
// delivered. out must be an Approved outcome of this POS. Errors:
// ErrConfig when out is not an approved request in the open batch;
// ErrStore when the write fails (nothing changed). A delivery failure is
// not an error: the reversal stays queued.
func (p *POS) Reverse(out Outcome) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	idx := -1
	for i, e := range p.journal {
		if out.Status == Approved && e.Request == out.Request {
			idx = i
		}
	}
	if idx < 0 {
		return fmt.Errorf("%w: not an approved request of the open batch", ErrConfig)
	}
	e := p.journal[idx]
	rv, err := p.term.Reversal(e.Request, iso8583.ReasonTerminalError)
	if err != nil {
		return wrap(ErrConfig, err)
	}
	p.seq++
	q := Queued{Seq: p.seq, Message: rv, Created: p.cfg.Now()}
	enc, err := encodeQueued(p.spec, q)
	if err != nil {
		return fmt.Errorf("%w: reversal record: %w", ErrStore, err)
	}
	ops := []Op{{BucketQueue, seqKey(q.Seq), enc}, {BucketJournal, seqKey(e.Seq), nil}}
	orig := p.voidedBy(e)
	if orig != nil {
		o := *orig
		o.Voided = false
		oenc, err := encodeEntry(p.spec, &o)
		if err != nil {
			return fmt.Errorf("%w: journal record: %w", ErrStore, err)
		}
		ops = append(ops, Op{BucketJournal, seqKey(o.Seq), oenc})
	}
	ops = append(ops, p.counters()...) // an ISO87 reversal took a STAN
	if err := p.cfg.Store.Apply(ops...); err != nil {
		return wrapStore("write reversal", err)
	}
	if orig != nil {
		orig.Voided = false
	}
	p.journal = append(p.journal[:idx:idx], p.journal[idx+1:]...)
	p.queue = append(p.queue, q)
	_ = p.flushLocked()
	return nil
}

// voidedBy returns the sale a void entry cancelled, if e is a void.
func (p *POS) voidedBy(e *Entry) *Entry {
	if e.Kind != iso8583.KindVoid && e.Kind != iso8583.KindCompletionVoid {
		return nil
	}
	for _, o := range p.journal {
		if !o.Voided {
			continue
		}
		if r := e.Request; (r.F61 != nil && r.F61.OrigSTAN == o.STAN) || (r.RRN != "" && o.Response != nil && o.Response.RRN == r.RRN) {
			return o
		}
	}
	return nil
}

// AckExpired acknowledges the expired record seq (see [POS.Expired])
// once a person has resolved it with the acquirer: only then is it
// deleted from the Store. Until acknowledged, an expired record stays in
// the Store across restarts and settlements and is counted by
// [POS.Reconciliation]. On a POS with an operator table an operator must
// be logged in.
//
// Errors: ErrNoOperator; ErrConfig when seq is not an expired record;
// ErrStore.
func (p *POS) AckExpired(seq uint64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.needOperator(); err != nil {
		return err
	}
	key := seqKey(seq)
	if _, ok, err := p.cfg.Store.Get(BucketExpired, key); err != nil {
		return wrapStore("read expired", err)
	} else if !ok {
		return fmt.Errorf("%w: no expired record %d", ErrConfig, seq)
	}
	return wrapStore("acknowledge expired", p.cfg.Store.Apply(Op{BucketExpired, key, nil}))
}

// Reconciliation is the terminal's view for reconciling with the host:
// the open batch's totals and every message whose effect on the host's
// books the terminal does not know yet.
type Reconciliation struct {
	Batch  string         // the open batch
	Totals iso8583.Totals // its totals, as Totals returns them
	// Pending counts the reversals and advices still queued, with the sum
	// of their amounts (field 4).
	Pending       int
	PendingAmount int64
	// Expired counts the reversals and advices given up and not yet
	// acknowledged ([POS.AckExpired]), with the sum of their amounts.
	Expired       int
	ExpiredAmount int64
}

// Reconciliation returns the reconciliation view of the POS.
//
// Errors: ErrStore or ErrCorrupt when the expired records cannot be read.
func (p *POS) Reconciliation() (Reconciliation, error) {
	exp, err := p.Expired()
	p.mu.Lock()
	defer p.mu.Unlock()
	r := Reconciliation{Batch: p.batch, Totals: p.totals()}
	for _, q := range p.queue {
		a, _ := q.Message.AmountMinor()
		r.Pending, r.PendingAmount = r.Pending+1, r.PendingAmount+a
	}
	for _, q := range exp {
		if q.Message == nil {
			continue
		}
		a, _ := q.Message.AmountMinor()
		r.Expired, r.ExpiredAmount = r.Expired+1, r.ExpiredAmount+a
	}
	return r, err
}
