package main

// ledger.go: what the host books. Every booking updates the running totals
// of the terminal's open batch under the host's lock, so a settlement reads
// two numbers instead of scanning the ledger; the lock covers the
// bookkeeping only, never a key derivation, a cryptogram or a pack.
//
// A request is known by its terminal, STAN and date (field 7's MMDD on ISO
// 8583:1987, field 13 on UnionPay): the same key again is a repeat, answered
// as the first time (same code, RRN and authorisation code) when it asks
// for the same thing, or a duplicate transmission (94) when it does not.

import (
	"github.com/poskit/poskit/iso8583"
)

// record is one transaction the host answered.
type record struct {
	TID, STAN, Date string
	MTI             string // without the repeat digit
	Kind            iso8583.Kind
	Amount          int64
	Code            string // the response code it was given
	Grant           *grant // RRN, authorisation code, field 55
	Approved        bool
	Voided          bool
	Reversed        bool
	Refunded        int64
	orig            *record // the sale a void or refund refers to
	batch           *batch  // the batch whose totals it counts in
}

// batch is the running totals of one terminal's batch at the host.
type batch struct {
	totals  iso8583.Totals
	settled bool
}

// account is one terminal at the host: its open batch, the totals of
// every batch it settled, and its last settlement (answered again,
// balanced, when the terminal repeats it).
type account struct {
	open       *batch
	settled    iso8583.Totals // the host's totals of the batches settled
	reported   iso8583.Totals // the terminal's totals of the same batches
	lastSettle ledgerKey      // key of the last balanced settlement
	lastTotals iso8583.Totals // and its totals
}

type qrOrder struct {
	RRN     string
	TID     string
	Amount  int64
	Payload string
	Paid    bool
	Done    bool
}

// requestDate is the date part of a request's key: field 7 when the spec
// sends it (ISO 8583:1987, whose reversals quote it in field 90), else
// field 13.
func requestDate(req *iso8583.Transaction) string {
	if len(req.TransmissionTime) == 10 {
		return req.TransmissionTime[:4]
	}
	if len(req.LocalDate) == 4 {
		return req.LocalDate
	}
	return ""
}

// ledgerKey identifies a request: terminal, STAN and date ("" when the
// request carries none, or for the last request under a terminal and
// STAN).
type ledgerKey struct{ tid, stan, date string }

func keyOf(tid, stan, date string) ledgerKey { return ledgerKey{tid, stan, date} }

// accountLocked returns the account of terminal tid; h.mu is held.
func (h *Host) accountLocked(tid string) *account {
	a := h.accounts[tid]
	if a == nil {
		a = &account{open: &batch{}}
		h.accounts[tid] = a
	}
	return a
}

// repeatOf reports what the host already answered for req's key: nil when
// the key is new; dup when the key was used for another request (94).
func (h *Host) repeatOf(req *iso8583.Transaction, kind iso8583.Kind, amount int64) (r *record, dup bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r = h.ledger[keyOf(req.TerminalID, req.STAN, requestDate(req))]
	if r == nil {
		return nil, false
	}
	same := r.Kind == kind && r.Amount == amount && len(req.MTI) == 4 && r.MTI == req.MTI[:3]
	return r, !same
}

// book records a new request under its terminal, STAN and date and counts
// it in the open batch when it was approved. It reports false when the key
// was taken meanwhile (a duplicate answered 94). A reversal that came first
// makes the original booked reversed and not counted.
func (h *Host) book(req *iso8583.Transaction, rec *record) bool {
	rec.TID, rec.STAN, rec.Date = req.TerminalID, req.STAN, requestDate(req)
	if len(req.MTI) == 4 {
		rec.MTI = req.MTI[:3]
	}
	key := keyOf(rec.TID, rec.STAN, rec.Date)
	short := keyOf(rec.TID, rec.STAN, "")
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.ledger[key]; dup {
		return false
	}
	if rec.orig != nil && rec.Approved {
		// a void or refund changes its sale; checked again under the lock
		o := rec.orig
		if o.Voided || o.Reversed || o.batch.settled && rec.Kind == iso8583.KindVoid || o.Amount-o.Refunded < rec.Amount && rec.Kind == iso8583.KindRefund {
			return false
		}
	}
	a := h.accountLocked(rec.TID)
	rec.batch = a.open
	switch {
	case h.early[key]:
		delete(h.early, key)
		rec.Reversed = true
	case h.early[short]:
		delete(h.early, short)
		rec.Reversed = true
	}
	h.ledger[key] = rec
	h.latest[short] = rec
	if rec.Grant != nil && rec.Grant.RRN != "" {
		h.byRRN[rec.Grant.RRN] = rec
	}
	if rec.Approved && !rec.Reversed {
		rec.count(+1)
	}
	return true
}

// count adds (sign +1) or removes (sign -1) what an approved record does
// to its batch's totals: a sale is a debit, a void takes its sale's debit
// back, a refund is a credit.
func (r *record) count(sign int) {
	switch r.Kind {
	case iso8583.KindSale:
		if r.Voided {
			return
		}
		r.batch.totals.DebitCount += sign
		r.batch.totals.DebitAmount += int64(sign) * r.Amount
	case iso8583.KindVoid:
		o := r.orig
		if o == nil {
			return
		}
		o.Voided = sign > 0
		o.batch.totals.DebitCount -= sign
		o.batch.totals.DebitAmount -= int64(sign) * o.Amount
	case iso8583.KindRefund:
		if r.orig != nil {
			r.orig.Refunded += int64(sign) * r.Amount
		}
		r.batch.totals.CreditCount += sign
		r.batch.totals.CreditAmount += int64(sign) * r.Amount
	}
}

// reverseLocked undoes r, once: a repeated reversal changes nothing. A
// record of a settled batch is not undone. h.mu is held.
func (h *Host) reverseLocked(r *record) (undone bool) {
	if r.Reversed {
		return false
	}
	r.Reversed = true
	if !r.Approved || r.batch.settled {
		return false
	}
	r.count(-1)
	return true
}

// Totals returns what the host has booked for a terminal's open batch:
// sales not voided or reversed (debits), refunds (credits).
func (h *Host) Totals(tid string) iso8583.Totals {
	h.mu.Lock()
	defer h.mu.Unlock()
	if a := h.accounts[tid]; a != nil {
		return a.open.totals
	}
	return iso8583.Totals{}
}

// AllTotals returns what the host has booked for a terminal over all its
// batches, settled or open.
func (h *Host) AllTotals(tid string) iso8583.Totals {
	h.mu.Lock()
	defer h.mu.Unlock()
	a := h.accounts[tid]
	if a == nil {
		return iso8583.Totals{}
	}
	return addTotals(a.settled, a.open.totals)
}

// Terminals lists the terminal IDs the host has an account for.
func (h *Host) Terminals() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	ids := make([]string, 0, len(h.accounts))
	for id := range h.accounts {
		ids = append(ids, id)
	}
	return ids
}

func addTotals(a, b iso8583.Totals) iso8583.Totals {
	a.DebitCount += b.DebitCount
	a.DebitAmount += b.DebitAmount
	a.CreditCount += b.CreditCount
	a.CreditAmount += b.CreditAmount
	a.ForeignDebitCount += b.ForeignDebitCount
	a.ForeignDebitAmount += b.ForeignDebitAmount
	a.ForeignCreditCount += b.ForeignCreditCount
	a.ForeignCreditAmount += b.ForeignCreditAmount
	return a
}

// Booked reports the terminal and STAN of the approved sale the host
// answered with rrn.
func (h *Host) Booked(rrn string) (tid, stan string, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.byRRN[rrn]
	if r == nil || !r.Approved {
		return "", "", false
	}
	return r.TID, r.STAN, true
}

// settle compares the terminal's totals with the open batch's running
// totals: 00 and the batch closes when they match, 95 (reconcile error)
// otherwise. The answer carries the host's totals (fields 74 to 88 on ISO
// 8583:1987, field 48 with the reconciliation codes on UnionPay). A
// repeated settlement of the batch just closed is answered 00 again.
func (h *Host) settle(req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, error) {
	got, err := req.SettlementTotals()
	if err != nil {
		return h.reply(req, "30", nil, nil, alg)
	}
	key := keyOf(req.TerminalID, req.STAN, requestDate(req))
	h.mu.Lock()
	a := h.accountLocked(req.TerminalID)
	want := a.open.totals
	balanced := got == want
	switch {
	case balanced:
		a.open.settled = true
		a.settled = addTotals(a.settled, want)
		a.reported = addTotals(a.reported, got)
		a.open = &batch{}
		a.lastSettle, a.lastTotals = key, want
	case key == a.lastSettle && got == a.lastTotals:
		balanced, want = true, a.lastTotals // a repeat: answered as before
	}
	h.mu.Unlock()
	code := "00"
	if !balanced {
		code = "95"
		h.log.printf("host: %s: settlement not balanced: terminal %+v, host %+v\n", req.TerminalID, got, want)
	}
	return h.reply(req, code, nil, func(r *iso8583.Transaction) {
		if h.spec == SpecCUP {
			rc := iso8583.ReconUnbalanced
			if balanced {
				rc = iso8583.ReconBalanced
			}
			// field 48: the host's totals with the reconciliation codes
			hostReq, err := h.hostSettlement(req, want)
			if err == nil {
				err = r.SetReconciliation(hostReq, rc, rc)
			}
			if err != nil {
				h.log.printf("host: %s: settlement answer: %v\n", req.TerminalID, err)
			}
			return
		}
		if hostReq, err := h.hostSettlement(req, want); err == nil {
			r.CreditsNumber, r.DebitsNumber = hostReq.CreditsNumber, hostReq.DebitsNumber
			r.CreditsAmount, r.DebitsAmount = hostReq.CreditsAmount, hostReq.DebitsAmount
		}
	}, alg)
}

// hostSettlement lays out the host's totals as a settlement of req's
// terminal would, for the answer to carry them.
func (h *Host) hostSettlement(req *iso8583.Transaction, tt iso8583.Totals) (*iso8583.Transaction, error) {
	ours := &iso8583.Terminal{Dialect: h.spec.dialect(), TerminalID: req.TerminalID, MerchantID: req.MerchantID,
		AcquirerID: req.AcquirerID, Currency: req.Currency, STAN: iso8583.NewSTANSource(0)}
	return ours.Settlement(tt)
}

// Reconciliation returns, over every terminal, the totals the terminals
// reported in their balanced settlements and the totals the host booked
// (settled batches and open ones): equal when every batch was settled.
func (h *Host) Reconciliation() (settled, booked iso8583.Totals) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, a := range h.accounts {
		settled = addTotals(settled, a.reported)
		booked = addTotals(booked, addTotals(a.settled, a.open.totals))
	}
	return settled, booked
}
