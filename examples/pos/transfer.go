package main

// transfer.go: a card-to-card transfer (转账). The terminal reads the chip
// as for a sale (ODA, ARQC), takes the PIN online and sends a 0200 with the
// transfer processing code and the payee's card number (iso8583's
// Terminal.Transfer). The cardholder pays the transfer fee on top of the
// amount: the request asks for amount plus fee, the slip shows both. The
// host authorises it as a sale (PIN, ARQC) and books it as the debit of
// the payer's card, so the settlement totals and the reconciled line count
// it with the sales.

import (
	"errors"
	"fmt"
	"time"

	"github.com/poskit/poskit/fees"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/receipt"
)

// transferSchedule prices transfers: 0.1% of the amount, at least 2.00
// and at most 25.00, a common rule of Chinese banks for card-to-card
// transfers; the cardholder pays it.
func transferSchedule() (*fees.Schedule, error) {
	return fees.New(fees.Config{
		Name:     "transfers",
		Currency: fees.CNY,
		Rules: []fees.Rule{{
			Name:    "transfer",
			When:    fees.Match{Kinds: fees.SetOf(fees.KindTransfer)},
			Pricing: fees.Pricing{Rate: fees.MustParseRate("0.1%"), Min: 200, Cap: 2500},
		}},
	})
}

// Transfer sends total minor units (the amount and the fee) from the chip
// card to the card number payee, with an online PIN.
func (t *Terminal) Transfer(total int64, payee string) (Result, error) {
	d, err := t.decide(total)
	if err != nil {
		return Result{Chip: d}, err
	}
	return t.transferWith(d, total, payee)
}

// transferWith is Transfer once the terminal decided d (ODA, TVR).
func (t *Terminal) transferWith(d *chipDecision, total int64, payee string) (Result, error) {
	f55, err := t.chip.generateACWith(total, 156, time.Now(), false, d.TVR, d.UN, txTransfer)
	if err != nil {
		return Result{Chip: d}, err
	}
	keys, err := t.keysFor(true)
	if err != nil {
		return Result{Chip: d}, err
	}
	c := iso8583.Card{Track2: t.chip.card.track2(), SequenceNumber: "0" + t.chip.card.PSN, ICC: f55}
	priv := privateData{}
	if err := t.encipherPIN(keys, &c, priv); err != nil {
		keys.wipe()
		return Result{Chip: d}, err
	}
	tx, err := t.iso.Transfer(c, total, payee)
	if err != nil {
		keys.wipe()
		return Result{Chip: d}, err
	}
	if priv[tagPINBlock] != "" {
		tx.EntryMode, tx.PINCapture = tx.EntryMode[:2]+"1", "12"
	}
	return t.chipOnline(&entry{Req: tx, Kind: iso8583.KindTransfer, Amount: total}, priv, keys, f55, d)
}

// transferTo is the payee card of the journey's transfer: a made-up
// UnionPay card number (Luhn valid).
const transferTo = "6212340000000000042"

// transfer runs the journey's transfer of amount: the fee from the
// transfer schedule, the request, and the transfer slip.
func (s *shop) transfer(amount int64) error {
	sched, err := transferSchedule()
	if err != nil {
		return err
	}
	tx := fees.Transaction{Amount: amount, Kind: fees.KindTransfer, Channel: fees.ChannelChip}
	tx.SetTime(time.Now())
	q, err := sched.Quote(tx)
	if err != nil {
		return err
	}
	s.say("transfer fee: %s (%s: 0.1%%, at least 2.00, at most 25.00), paid by the cardholder; the card is debited %s",
		fees.FormatAmount(q.Fee, fees.CNY), q.RuleName, fees.FormatAmount(amount+q.Fee, fees.CNY))
	d, err := s.t.decide(amount + q.Fee)
	if d != nil {
		s.say("%s", d.ODA)
	}
	if err != nil {
		return err
	}
	r, err := s.t.transferWith(d, amount+q.Fee, transferTo)
	if err != nil {
		return err
	}
	if !r.Entry.Approved {
		return fmt.Errorf("transfer declined: %s %s", r.Entry.Resp.ResponseCode, r.Entry.Resp.Response().English)
	}
	resp := r.Entry.Resp
	tid, stan, ok := s.h.Booked(resp.RRN)
	if !ok || tid != s.t.ID() || stan != r.Entry.Req.STAN {
		return errors.New("transfer: the host has not booked it")
	}
	s.say("transferred: STAN %s, RRN %s, auth code %s; the host booked it for %s", resp.STAN, resp.RRN, resp.AuthCode, tid)
	sl := s.slip(r.Entry, receipt.Transfer)
	sl.Amount = receipt.Amount{Minor: amount, Currency: receipt.CNY}
	sl.Fee = q.Fee
	sl.Card = receipt.Card{PAN: s.t.chip.card.PAN, Expiry: s.t.chip.card.Expiry, Entry: receipt.EntryChip}
	sl.CVM = receipt.CVMPIN
	sl.Payee = &receipt.Payee{Account: transferTo, Bank: "POSKIT TEST BANK"}
	return s.print(&sl, receipt.CardholderCopy)
}

// errPayee reports a transfer without a payee card number the host accepts.
var errPayee = errors.New("transfer without a valid payee card number")

// transfer authorises a card-to-card transfer: a payee card number of 12
// to 19 digits (else 14, invalid card number), then the PIN and the ARQC
// as for a sale, and the booking as the debit of the payer's card.
func (h *Host) transfer(peer string, req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, error) {
	to := req.Payee()
	if len(to) < 12 || len(to) > 19 {
		h.log.printf("host: %s: transfer STAN %s: %v; answering 14\n", peer, req.STAN, errPayee)
		return h.reply(req, "14", nil, nil, alg)
	}
	priv, err := parsePrivate(req.F59)
	if err != nil {
		return h.reply(req, "30", nil, nil, alg)
	}
	h.log.printf("host: %s: transfer STAN %s to card %s\n", req.TerminalID, req.STAN, maskPAN(to))
	return h.cardSale(peer, req, priv, alg)
}
