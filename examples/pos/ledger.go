package main

// ledger.go: what the host books, and the settlement that compares the
// terminal's totals with it.

import (
	"github.com/poskit/poskit/iso8583"
)

// record is one transaction the host answered.
type record struct {
	TID, STAN, RRN string
	Kind           iso8583.Kind
	Amount         int64
	Approved       bool
	Voided         bool
	Reversed       bool
	Settled        bool
	Refunded       int64
}

type qrOrder struct {
	RRN     string
	TID     string
	Amount  int64
	Payload string
	Paid    bool
	Done    bool
}

// book records a new request under its terminal and STAN. A STAN seen
// before is a duplicate transmission (94).
func (h *Host) book(req *iso8583.Transaction, rec *record) bool {
	key := req.TerminalID + "/" + req.STAN
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.ledger[key]; dup {
		return false
	}
	if h.early[key] {
		// its reversal overtook it: book it reversed
		delete(h.early, key)
		rec.Reversed = true
	}
	h.ledger[key] = rec
	if rec.RRN != "" {
		h.byRRN[rec.RRN] = rec
	}
	return true
}

// Totals returns what the host has booked for a terminal and not yet
// settled: sales not voided or reversed (debits), refunds (credits).
func (h *Host) Totals(tid string) iso8583.Totals {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.totalsLocked(tid)
}

func (h *Host) totalsLocked(tid string) iso8583.Totals {
	var t iso8583.Totals
	for _, r := range h.ledger {
		if r.TID != tid || !r.Approved || r.Reversed || r.Voided || r.Settled {
			continue
		}
		switch r.Kind {
		case iso8583.KindSale:
			t.DebitCount++
			t.DebitAmount += r.Amount
		case iso8583.KindRefund:
			t.CreditCount++
			t.CreditAmount += r.Amount
		}
	}
	return t
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

// settle compares the terminal's totals with the host's: 00 and the batch
// closes when they match, 95 (reconcile error) otherwise.
func (h *Host) settle(req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, bool, error) {
	got, err := req.SettlementTotals() // field 48 on UnionPay, 74/76/86/88 on ISO 8583:1987
	if err != nil {
		return h.reply(req, "30", nil, nil, alg)
	}
	h.mu.Lock()
	want := h.totalsLocked(req.TerminalID)
	balanced := got == want
	if balanced {
		for _, r := range h.ledger {
			if r.TID == req.TerminalID {
				r.Settled = true
			}
		}
	}
	h.mu.Unlock()
	code := "00"
	if !balanced {
		code = "95"
		h.log.printf("host: %s: settlement not balanced: terminal %+v, host %+v\n", req.TerminalID, got, want)
	}
	return h.reply(req, code, func(r *iso8583.Transaction) {
		if h.spec == SpecCUP {
			// 48: the totals with the reconciliation codes, balanced or not
			rc := iso8583.ReconUnbalanced
			if balanced {
				rc = iso8583.ReconBalanced
			}
			if err := r.SetReconciliation(req, rc, rc); err != nil {
				h.log.printf("host: %s: settlement answer: %v\n", req.TerminalID, err)
			}
		}
	}, nil, alg)
}
