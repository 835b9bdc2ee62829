package terminal

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/poskit/poskit/iso8583"
)

// Journal returns the approved transactions of the open batch, oldest
// first. The entries are copies; their Request and Response are shared
// and must not be modified.
func (p *POS) Journal() []Entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Entry, len(p.journal))
	for i, e := range p.journal {
		out[i] = *e
	}
	return out
}

// counts reports whether an entry counts in the settlement totals and
// the batch upload: sales, completions and transfers not voided are
// debits, refunds are credits; voids count through the sale they cancel.
func (e *Entry) counts() (debit, credit bool) {
	switch e.Kind {
	case iso8583.KindSale, iso8583.KindCompletion:
		return !e.Voided, false
	case iso8583.KindRefund:
		return false, true
	}
	return isTransfer(e.Kind) && !e.Voided, false
}

// UnionPayDomestic is the default rule of Config.Domestic: a card whose
// PAN starts with 62, the issuer identification numbers of China UnionPay
// (ISO/IEC 7812 major industry identifier 6, the 62 range assigned to
// UnionPay), counts in the domestic (内卡) totals; any other card in the
// foreign (外卡) ones. A terminal whose acquirer draws the line elsewhere
// (domestic co-branded 4 and 5 BINs, say) sets its own rule.
func UnionPayDomestic(pan string) bool {
	return len(pan) >= 2 && pan[0] == '6' && pan[1] == '2'
}

// Totals returns the settlement totals of the open batch: sales,
// completions and transfers not voided are debits, refunds credits, each
// in the domestic or the foreign totals as Config.Domestic decides by
// the card's PAN. The ISO 8583:1987 settlement sends the sums of both.
func (p *POS) Totals() iso8583.Totals {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.totals()
}

func (p *POS) totals() iso8583.Totals {
	var tt iso8583.Totals
	for _, e := range p.journal {
		debit, credit := e.counts()
		if !debit && !credit {
			continue
		}
		dom := p.cfg.Domestic(cardPAN(e.Request))
		switch {
		case debit && dom:
			tt.DebitCount++
			tt.DebitAmount += e.Amount
		case debit:
			tt.ForeignDebitCount++
			tt.ForeignDebitAmount += e.Amount
		case dom:
			tt.CreditCount++
			tt.CreditAmount += e.Amount
		default:
			tt.ForeignCreditCount++
			tt.ForeignCreditAmount += e.Amount
		}
	}
	return tt
}

// Call sends a management request (sign-on, echo, parameter download)
// built with the POS's terminal: no reversal is written, and a lost
// answer is Declined with Err wrapping ErrNoAnswer. The queue is not
// delivered first. An answer asking for a download runs it (see
// [POS.Download]).
func (p *POS) Call(build func(t *iso8583.Terminal) (*iso8583.Transaction, error)) Outcome {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.call(build)
	if p.hostAsked {
		p.runDue()
	}
	return out
}

func (p *POS) call(build func(t *iso8583.Terminal) (*iso8583.Transaction, error)) Outcome {
	req, err := build(&p.term)
	if err != nil {
		return Outcome{Status: Declined, Err: wrap(ErrNotSent, err)}
	}
	out := Outcome{Status: Declined, Request: req}
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
	if err := p.cfg.Store.Apply(ops...); err != nil {
		out.Err = wrap(ErrNotSent, wrapStore("write STAN", err))
		return out
	}
	resp, err := p.exchange(req, m)
	if err != nil {
		out.Err = err
		return out
	}
	out.Response, out.Code = resp, resp.Response()
	if out.Code.Action == iso8583.ActionApprove {
		out.Status = Approved
	}
	return out
}

// counters returns the writes of the STAN, sequence and batch counters.
func (p *POS) counters() []Op {
	ops, _ := p.stateOps(false)
	return ops
}

// SignOn signs the terminal on (Terminal.SignOn) and, when the host
// approves, calls Config.SignedOn with the answer, delivers the queue and
// runs the downloads due (see [POS.Download]; a failed download is
// reported by [POS.Downloads], not here). The Outcome is the sign-on's; a queue
// that could not be delivered is reported in Err of an Approved outcome
// (wrapping ErrQueueBlocked).
func (p *POS) SignOn() Outcome {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.call(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.SignOn() })
	if out.Status != Approved {
		return out
	}
	if p.cfg.SignedOn != nil {
		if err := p.cfg.SignedOn(out.Response); err != nil {
			out.Err = fmt.Errorf("%w: sign-on answer: %w", ErrConfig, err)
			return out
		}
	}
	out.Err = p.flushLocked()
	p.runDue()
	return out
}

// SettleResult is what a settlement came to.
type SettleResult struct {
	Batch    string         // the batch settled (now closed)
	Totals   iso8583.Totals // what the terminal sent
	Balanced bool           // the host's totals agreed at the first try
	Uploaded int            // batch upload messages sent (when not balanced)
	Response *iso8583.Transaction
}

// Settle delivers the queue, sends the settlement (0500) with the batch
// totals and, when the host's totals disagree (UnionPay reconciliation
// code 2 or 3; ISO87 response code 95), uploads every counted
// transaction (0320, Terminal.BatchUpload), on UnionPay followed by the
// end-of-batch-upload message (Terminal.BatchUploadEnd, 60.3 202, with
// the number uploaded). Then the batch closes: its
// journal is deleted, its totals are kept in BucketBatches, and the next
// batch number opens, in one durable write. Errors: ErrSettlement
// wrapping the cause (ErrQueueBlocked, ErrNoAnswer, ErrBadAnswer, a
// declined settlement, ErrStore); the batch then stays open and Settle
// may be called again.
func (p *POS) Settle() (SettleResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	res := SettleResult{Batch: p.batch, Totals: p.totals()}
	if err := p.flushLocked(); err != nil {
		return res, wrap(ErrSettlement, err)
	}
	out := p.call(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Settlement(res.Totals) })
	if out.Response == nil {
		return res, wrap(ErrSettlement, out.Err)
	}
	res.Response = out.Response
	balanced, err := isBalanced(out.Response)
	if err != nil {
		return res, wrap(ErrSettlement, err)
	}
	res.Balanced = balanced
	if !balanced {
		if res.Uploaded, err = p.upload(); err != nil {
			return res, wrap(ErrSettlement, err)
		}
	}
	if err := p.closeBatch(res.Totals); err != nil {
		return res, wrap(ErrSettlement, err)
	}
	return res, nil
}

// errUnbalanced reports a settlement answer the terminal cannot act on.
var errUnbalanced = errors.New("settlement answer neither balanced nor unbalanced")

// isBalanced reads the host's verdict on the totals.
func isBalanced(resp *iso8583.Transaction) (bool, error) {
	if resp.AdditionalData != "" {
		dom, foreign, err := resp.Reconciliation()
		if err != nil {
			return false, err
		}
		return dom != iso8583.ReconUnbalanced && dom != iso8583.ReconError &&
			foreign != iso8583.ReconUnbalanced && foreign != iso8583.ReconError, nil
	}
	switch resp.ResponseCode {
	case "00":
		return true, nil
	case "95":
		return false, nil
	}
	return false, fmt.Errorf("%w: response code %s", errUnbalanced, resp.ResponseCode)
}

// upload sends a batch upload of every counted, answered transaction.
func (p *POS) upload() (int, error) {
	n := 0
	for _, e := range p.journal {
		debit, credit := e.counts()
		if (!debit && !credit) || e.Response == nil {
			continue
		}
		out := p.call(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.BatchUpload(e.Request, e.Response) })
		if out.Response == nil {
			return n, out.Err
		}
		n++
	}
	if p.term.Dialect != iso8583.UnionPay {
		return n, nil
	}
	// UnionPay ends the upload with 批上送结束 (0320, 60.3 202), which
	// carries the number of transactions uploaded
	out := p.call(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.BatchUploadEnd(n, false) })
	if out.Response == nil {
		return n, out.Err
	}
	return n, nil
}

// closeBatch deletes the journal, keeps the totals and opens the next
// batch, atomically.
func (p *POS) closeBatch(tt iso8583.Totals) error {
	sum, err := json.Marshal(tt)
	if err != nil {
		return err
	}
	ops := []Op{{BucketBatches, p.batch, sum}}
	for _, e := range p.journal {
		ops = append(ops, Op{BucketJournal, seqKey(e.Seq), nil})
	}
	n, _ := strconv.Atoi(p.batch)
	prev := p.batch
	p.batch = fmt.Sprintf("%06d", n%999999+1)
	ops = append(ops, p.counters()...)
	if err := p.cfg.Store.Apply(ops...); err != nil {
		p.batch = prev
		return wrapStore("close batch", err)
	}
	p.term.Batch = p.batch
	p.journal = nil
	return nil
}
