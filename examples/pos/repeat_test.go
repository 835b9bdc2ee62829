package main

import (
	"testing"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/mac"
)

// offlineTerminal is a terminal and a host without a network: the
// terminal packs requests, the host answers their bytes.
func offlineTerminal(t *testing.T, spec Spec) (*Host, *Terminal) {
	t.Helper()
	h, err := newHost(hostConfig{Spec: spec, DUKPT: DUKPTTDES})
	if err != nil {
		t.Fatal(err)
	}
	term, err := newTerminal(spec, DUKPTTDES, "", 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := iso8583.SessionKeys{PIN: mustHex("0123456789ABCDEF0123456789ABCDEF"), MAC: mustHex("FEDCBA9876543210FEDCBA9876543210")}
	if err := h.setSession(term.ID(), keys); err != nil {
		t.Fatal(err)
	}
	if term.mak, err = mac.NewCUPECB(keys.MAC); err != nil {
		t.Fatal(err)
	}
	return h, term
}

// send packs tx (with fresh DUKPT keys when the dialect MACs with them)
// and returns the host's answer.
func send(t *testing.T, h *Host, term *Terminal, tx *iso8583.Transaction) (iso8583.Frame, *iso8583.Transaction) {
	t.Helper()
	keys, err := term.keysFor(false)
	if err != nil {
		t.Fatal(err)
	}
	fr, _, err := term.pack(tx, nil, keys)
	if err != nil {
		t.Fatal(err)
	}
	return fr, answerOf(t, h, fr)
}

func answerOf(t *testing.T, h *Host, fr iso8583.Frame) *iso8583.Transaction {
	t.Helper()
	a, err := h.handle("test", fr)
	if err != nil {
		t.Fatal(err)
	}
	defer a.release()
	resp, err := iso8583.Unpack(h.spec.spec(), a.packed)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// A request repeated with the same terminal, STAN and date is answered as
// the first time and booked once; the same key asking for something else
// is a duplicate transmission (94); an advice and its repeat (0220, 0221)
// are booked once; a reversal and its repeat (0400, 0401) undo once; a
// settlement repeated after its answer was lost is answered 00 again.
// Long because every step runs against the host state the step before
// left, on both specs.
func TestRepeatsAndDuplicates(t *testing.T) {
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		t.Run(string(spec), func(t *testing.T) {
			h, term := offlineTerminal(t, spec)
			tx, priv, keys, _, err := term.buildCardSale(1500, false)
			if err != nil {
				t.Fatal(err)
			}
			fr, _, err := term.pack(tx, priv, keys)
			if err != nil {
				t.Fatal(err)
			}
			first, again := answerOf(t, h, fr), answerOf(t, h, fr)
			if !first.Approved() || again.ResponseCode != "00" || again.RRN != first.RRN || again.AuthCode != first.AuthCode {
				t.Fatalf("repeat answered %s RRN %s auth %s, first %s RRN %s auth %s",
					again.ResponseCode, again.RRN, again.AuthCode, first.ResponseCode, first.RRN, first.AuthCode)
			}
			if tt := h.Totals(term.ID()); tt.DebitCount != 1 || tt.DebitAmount != 1500 {
				t.Fatalf("after a sale and its repeat: %+v", tt)
			}

			// same terminal, STAN and date, another amount: 94, not booked
			dup := tx.Clone()
			dup.Amount = "000000009999"
			if _, resp := send(t, h, term, dup); resp.ResponseCode != "94" {
				t.Errorf("duplicate STAN with another amount answered %s, want 94", resp.ResponseCode)
			}

			// an offline sale advised (0220) and repeated (0221): booked once
			offline, err := term.iso.Sale(iso8583.Card{Track2: card.track2()}, 700)
			if err != nil {
				t.Fatal(err)
			}
			adv, err := term.iso.Advice(offline, "Y1    ")
			if err != nil {
				t.Fatal(err)
			}
			rep, err := adv.AsRepeat()
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []*iso8583.Transaction{adv, rep} {
				if _, resp := send(t, h, term, m); resp.MTI != "0230" || resp.ResponseCode != "00" {
					t.Errorf("%s answered %s %s, want 0230 00", m.MTI, resp.MTI, resp.ResponseCode)
				}
			}
			if tt := h.Totals(term.ID()); tt.DebitCount != 2 || tt.DebitAmount != 2200 {
				t.Fatalf("after an advice and its repeat: %+v", tt)
			}

			// the sale reversed (0400) and the reversal repeated (0401)
			rv, err := term.iso.Reversal(tx, "98")
			if err != nil {
				t.Fatal(err)
			}
			rv1, err := term.iso.RepeatReversal(rv)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range []*iso8583.Transaction{rv, rv1} {
				if _, resp := send(t, h, term, m); resp.MTI != "0410" || resp.ResponseCode != "00" {
					t.Errorf("%s answered %s %s, want 0410 00", m.MTI, resp.MTI, resp.ResponseCode)
				}
			}
			if tt := h.Totals(term.ID()); tt.DebitCount != 1 || tt.DebitAmount != 700 {
				t.Fatalf("after a reversal and its repeat: %+v", tt)
			}

			// settlement, its repeat after a lost answer, then a wrong one
			st, err := term.iso.Settlement(iso8583.Totals{DebitCount: 1, DebitAmount: 700})
			if err != nil {
				t.Fatal(err)
			}
			fr, resp := send(t, h, term, st)
			if resp.ResponseCode != "00" {
				t.Fatalf("settlement answered %s", resp.ResponseCode)
			}
			if ht, err := resp.SettlementTotals(); err != nil || ht.DebitCount != 1 || ht.DebitAmount != 700 {
				t.Errorf("the answer carries host totals %+v, %v", ht, err)
			}
			if resp := answerOf(t, h, fr); resp.ResponseCode != "00" {
				t.Errorf("repeated settlement answered %s, want 00", resp.ResponseCode)
			}
			st2, err := term.iso.Settlement(iso8583.Totals{DebitCount: 1, DebitAmount: 700})
			if err != nil {
				t.Fatal(err)
			}
			if _, resp := send(t, h, term, st2); resp.ResponseCode != "95" {
				t.Errorf("a new settlement of an empty batch with totals answered %s, want 95", resp.ResponseCode)
			}
			settled, booked := h.Reconciliation()
			if settled != booked || booked.DebitAmount != 700 {
				t.Errorf("reconciliation: settled %+v, booked %+v", settled, booked)
			}
		})
	}
}
