package main

// authorize.go: what the host (and, for the example, the issuer behind it)
// decides for each financial request: the PIN, the cryptogram, the QR order,
// voids, refunds and reversals.

import (
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/emv/qr"
	"github.com/poskit/poskit/internal/digits"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/pinblock"
)

// with the ARPC.
func (h *Host) cardSale(peer string, req *iso8583.Transaction, priv privateData, alg iso8583.MACAlgorithm) (answer, bool, error) {
	pan := req.PAN
	if pan == "" {
		pan = panOfTrack(req.Track2)
	}
	amount, err := req.AmountMinor()
	if err != nil {
		return h.reply(req, "13", nil, nil, alg)
	}
	code := "00"
	if err := h.checkPIN(req, priv, pan); err != nil {
		h.log.printf("host: %s: sale STAN %s card %s: PIN: %v\n", peer, req.STAN, digits.MaskPAN(pan), err)
		code = "55"
	}
	var f55 []byte
	if code == "00" && len(req.ICC) > 0 {
		arpc, err := h.checkARQC(req, pan)
		if err != nil {
			h.log.printf("host: %s: sale STAN %s card %s: ARQC: %v\n", peer, req.STAN, digits.MaskPAN(pan), err)
			code = "05"
		} else {
			f55 = emv.AppendTLV(nil, 0x91, arpc)
		}
	}
	if code != "00" {
		h.book(req, &record{TID: req.TerminalID, STAN: req.STAN, Kind: iso8583.KindSale, Amount: amount})
		return h.reply(req, code, nil, nil, alg)
	}
	a, drop, err := h.approve(req, amount, func(r *iso8583.Transaction) { r.ICC = f55 }, nil, alg)
	if err == nil && a.msg != nil && h.drop.CompareAndSwap(true, false) {
		h.log.printf("host: sale STAN %s approved and booked, but its answer is lost in the network (simulated)\n", req.STAN)
		return a, true, nil
	}
	return a, drop, err
}

// approve books an approved sale and answers it with an RRN and an
// authorisation code.
func (h *Host) approve(req *iso8583.Transaction, amount int64, edit func(*iso8583.Transaction), priv privateData, alg iso8583.MACAlgorithm) (answer, bool, error) {
	auth := h.authCode()
	a, _, err := h.reply(req, "00", func(r *iso8583.Transaction) {
		r.AuthCode = auth
		if edit != nil {
			edit(r)
		}
	}, priv, alg)
	if err != nil {
		return a, false, err
	}
	rrn, _ := a.msg.GetString(37)
	if !h.book(req, &record{TID: req.TerminalID, STAN: req.STAN, RRN: rrn, Kind: iso8583.KindSale, Amount: amount, Approved: true}) {
		return h.reply(req, "94", nil, nil, alg)
	}
	return a, false, nil
}

// checkPIN derives the transaction's DUKPT PIN key from the KSN, deciphers
// the PIN block (format 0 in field 52, or format 4 in field 59) and checks
// the PIN against the issuer's file in constant time.
func (h *Host) checkPIN(req *iso8583.Transaction, priv privateData, pan string) error {
	var f pinblock.Format
	var block []byte
	switch {
	case len(req.PINBlock) > 0:
		f, block = pinblock.ISO0, req.PINBlock
	case priv[tagPINBlock] != "":
		b, err := hex.DecodeString(priv[tagPINBlock])
		if err != nil {
			return err
		}
		f, block = pinblock.ISO4, b
	default:
		return nil // no CVM (contactless below the CVM limit)
	}
	ksn, err := hex.DecodeString(priv[tagKSN])
	if err != nil {
		return err
	}
	key, err := h.dukptKey(ksn, dukpt.PINEncryption)
	if err != nil {
		return err
	}
	pin, err := pinblock.Decrypt(f, key, block, pan)
	if err != nil {
		return err
	}
	h.mu.Lock()
	want := h.pins[pan]
	h.mu.Unlock()
	if subtle.ConstantTimeCompare([]byte(pin), []byte(want)) != 1 {
		return errors.New("incorrect PIN")
	}
	return nil
}

// checkARQC verifies the card's cryptogram and returns the tag 91 value.
func (h *Host) checkARQC(req *iso8583.Transaction, pan string) ([]byte, error) {
	iad, _, err := emv.Find(req.ICC, 0x9F10)
	if err != nil {
		return nil, err
	}
	v, err := emv.CVNForIAD(iad)
	if err != nil {
		return nil, err
	}
	psn := "00"
	if p, ok, _ := emv.Find(req.ICC, 0x5F34); ok && len(p) == 1 {
		psn = fmt.Sprintf("%02X", p[0])
	}
	resp := emv.ARPCResponse{ARC: []byte("00"), CSU: []byte{0, 0, 0, 0}}
	arpc, err := v.Verify(issuerMasterKey, pan, psn, req.ICC, resp)
	if err != nil {
		return nil, err
	}
	return resp.IssuerAuthenticationData(arpc), nil
}

// qrSale serves the two steps of a QR payment: ORDER makes a dynamic EMVCo
// QR code for the amount; QUERY reports whether the wallet paid it and, if
// so, books the sale.
func (h *Host) qrSale(req *iso8583.Transaction, priv privateData, alg iso8583.MACAlgorithm) (answer, bool, error) {
	amount, err := req.AmountMinor()
	if err != nil {
		return h.reply(req, "13", nil, nil, alg)
	}
	switch priv[tagQROp] {
	case "ORDER":
		rrn, err := iso8583.RRN(time.Now(), h.rrn.Next())
		if err != nil {
			return answer{}, false, err
		}
		payload, err := qr.Merchant{
			Dynamic:    true,
			Accounts:   []qr.Account{{ID: qr.UnionPay, Value: req.MerchantID}},
			MCC:        "5812",
			Currency:   "156",
			Amount:     fmt.Sprintf("%d.%02d", amount/100, amount%100),
			Country:    "CN",
			Name:       "POSKIT NOODLE BAR",
			City:       "SHANGHAI",
			Additional: &qr.AdditionalData{BillNumber: rrn, TerminalLabel: req.TerminalID},
		}.Encode()
		if err != nil {
			return answer{}, false, err
		}
		h.mu.Lock()
		h.orders[rrn] = &qrOrder{RRN: rrn, TID: req.TerminalID, Amount: amount, Payload: payload}
		h.mu.Unlock()
		return h.reply(req, "00", func(r *iso8583.Transaction) { r.RRN = rrn },
			privateData{tagQROp: "ORDER", tagQR: payload}, alg)
	case "QUERY":
		h.mu.Lock()
		o := h.orders[req.RRN]
		ok := o != nil && o.TID == req.TerminalID && o.Amount == amount && o.Paid && !o.Done
		if ok {
			o.Done = true
		}
		h.mu.Unlock()
		if !ok {
			return h.reply(req, "25", nil, nil, alg)
		}
		return h.approve(req, amount, nil, nil, alg)
	}
	return h.reply(req, "30", nil, nil, alg)
}

// WalletPay is the wallet's side of a QR payment: the customer's phone read
// the code and pays it. It reaches the host through the wallet's network,
// not through the terminal.
func (h *Host) WalletPay(payload string) error {
	p, err := qr.Parse(payload)
	if err != nil {
		return err
	}
	a, _ := p.AdditionalData()
	h.mu.Lock()
	defer h.mu.Unlock()
	o := h.orders[a.BillNumber]
	if o == nil || o.Payload != payload {
		return errors.New("wallet: unknown order")
	}
	o.Paid = true
	return nil
}

// void cancels an approved sale of the same batch, found by its RRN.
func (h *Host) void(req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, bool, error) {
	amount, _ := req.AmountMinor()
	h.mu.Lock()
	o := h.byRRN[req.RRN]
	ok := o != nil && o.TID == req.TerminalID && o.Approved && !o.Voided && !o.Reversed && !o.Settled && o.Refunded == 0 && o.Amount == amount
	if ok {
		o.Voided = true
	}
	h.mu.Unlock()
	if !ok {
		return h.reply(req, "25", nil, nil, alg)
	}
	a, _, err := h.reply(req, "00", func(r *iso8583.Transaction) { r.AuthCode = h.authCode() }, nil, alg)
	if err == nil && !h.book(req, &record{TID: req.TerminalID, STAN: req.STAN, Kind: iso8583.KindVoid, Amount: amount, Approved: true}) {
		return h.reply(req, "94", nil, nil, alg)
	}
	return a, false, err
}

// refund returns part or all of an approved sale.
func (h *Host) refund(req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, bool, error) {
	amount, err := req.AmountMinor()
	if err != nil {
		return h.reply(req, "13", nil, nil, alg)
	}
	h.mu.Lock()
	o := h.byRRN[req.RRN]
	ok := o != nil && o.TID == req.TerminalID && o.Approved && !o.Voided && !o.Reversed && o.Amount-o.Refunded >= amount
	if ok {
		o.Refunded += amount
	}
	h.mu.Unlock()
	if !ok {
		return h.reply(req, "25", nil, nil, alg)
	}
	a, _, err := h.reply(req, "00", func(r *iso8583.Transaction) { r.AuthCode = h.authCode() }, nil, alg)
	if err == nil && !h.book(req, &record{TID: req.TerminalID, STAN: req.STAN, Kind: iso8583.KindRefund, Amount: amount, Approved: true}) {
		return h.reply(req, "94", nil, nil, alg)
	}
	return a, false, err
}

// reversal undoes a request whose answer the terminal never got. The
// original is found by terminal and STAN: the reversal's own STAN on the
// UnionPay spec, field 90 on ISO 8583:1987.
func (h *Host) reversal(req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, bool, error) {
	stan := req.STAN
	if h.spec == SpecASCII {
		if len(req.OriginalData) < 10 {
			return h.reply(req, "30", nil, nil, alg)
		}
		stan = req.OriginalData[4:10]
	}
	key := req.TerminalID + "/" + stan
	h.mu.Lock()
	o := h.ledger[key]
	undone := o != nil && o.Approved && !o.Settled
	if undone {
		o.Reversed = true
	}
	if o == nil {
		// The original may still be on its way (a slow network, a busy
		// host): remember the reversal so the original is booked reversed.
		h.early[key] = true
	}
	h.mu.Unlock()
	switch {
	case undone:
		h.log.printf("host: %s: reversal of STAN %s (%s): sale undone\n", req.TerminalID, stan, req.Response().English)
	case o == nil:
		h.log.printf("host: %s: reversal of STAN %s before its original; the original will be booked reversed\n", req.TerminalID, stan)
	default:
		h.log.printf("host: %s: reversal of STAN %s: the original was not approved, nothing to undo\n", req.TerminalID, stan)
	}
	// A reversal is always acknowledged, so the terminal stops sending it.
	return h.reply(req, "00", func(r *iso8583.Transaction) { r.RRN = "" }, nil, alg)
}

// panOfTrack returns the PAN of track 2 data ('=' or 'D' separator).
func panOfTrack(t string) string {
	if i := strings.IndexAny(t, "=D"); i >= 0 {
		return t[:i]
	}
	return t
}
