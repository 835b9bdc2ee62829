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

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/emv/qr"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/pinblock"
)

// checkField55 reads the chip data of a request: an element of an
// unexpected length, an unknown or a repeated tag is logged and the sale
// goes on (the ARQC check decides); only chip data that is not TLV at all
// is refused, with 30 (format error).
func (h *Host) checkField55(peer string, req *iso8583.Transaction) string {
	f, err := emv.ParseField55(req.ICC)
	for _, fd := range f.Findings {
		h.log.printf("host: %s: sale STAN %s: field 55: %v\n", peer, req.STAN, fd)
	}
	if err != nil {
		h.log.printf("host: %s: sale STAN %s: field 55: %v\n", peer, req.STAN, err)
		return "30"
	}
	return "00"
}

// cardSale authorises a card sale: PIN (when one was entered) and ARQC
// (for a chip card), then books it and answers with the ARPC. A repeat of
// a sale already answered gets the same answer.
func (h *Host) cardSale(peer string, req *iso8583.Transaction, priv privateData, alg iso8583.MACAlgorithm) (answer, error) {
	p := private59{ksn: priv[tagKSN], pinBlock: priv[tagPINBlock], qrOp: priv[tagQROp], qr: priv[tagQR]}
	return h.cardSaleWith(peer, req, p, alg)
}

// cardSaleWith is cardSale with field 59 read by parse59 (no map): the
// host's own path.
func (h *Host) cardSaleWith(peer string, req *iso8583.Transaction, priv private59, alg iso8583.MACAlgorithm) (answer, error) {
	pan := req.PAN
	if pan == "" {
		pan = panOfTrack(req.Track2)
	}
	amount, err := req.AmountMinor()
	if err != nil {
		return h.reply(req, "13", nil, nil, alg)
	}
	if a, ok, err := h.answerRepeat(req, iso8583.KindSale, amount, alg); ok {
		return a, err
	}
	code := "00"
	if err := h.checkPIN(req, priv, pan); err != nil {
		h.log.printf("host: %s: sale STAN %s card %s: PIN: %v\n", peer, req.STAN, maskPAN(pan), err)
		code = "55"
	}
	var iad []byte // the issuer authentication data (tag 91) of the answer
	if code == "00" && len(req.ICC) > 0 {
		code = h.checkField55(peer, req)
	}
	if code == "00" && len(req.ICC) > 0 {
		var err error
		if iad, err = h.checkARQC(req, pan); err != nil {
			h.log.printf("host: %s: sale STAN %s card %s: ARQC: %v\n", peer, req.STAN, maskPAN(pan), err)
			code = "05"
		}
	}
	if code != "00" {
		if !h.book(req, &record{Kind: iso8583.KindSale, Amount: amount, Code: code}) {
			return h.reply(req, "94", nil, nil, alg)
		}
		return h.reply(req, code, nil, nil, alg)
	}
	a, err := h.approve(req, amount, iad, "", alg)
	if err == nil && h.drop.CompareAndSwap(true, false) {
		h.log.printf("host: sale STAN %s approved and booked, but its answer is lost in the network (simulated)\n", req.STAN)
		a.noReply = true
	}
	return a, err
}

// answerRepeat answers a request whose key (terminal, STAN, date) the host
// has seen: as the first time when it asks for the same thing, 94
// (duplicate transmission) when it does not. ok is false for a new key.
func (h *Host) answerRepeat(req *iso8583.Transaction, kind iso8583.Kind, amount int64, alg iso8583.MACAlgorithm) (a answer, ok bool, err error) {
	r, dup := h.repeatOf(req, kind, amount)
	switch {
	case r == nil:
		return answer{}, false, nil
	case dup:
		a, err = h.reply(req, "94", nil, nil, alg)
	default:
		a, err = h.reply(req, r.Code, r.Grant, nil, alg)
	}
	return a, true, err
}

// approve books an approved sale and answers it with an RRN, an
// authorisation code, for a chip card the ARPC (iad, tag 91) in field 55,
// and f59 in field 59 (none when empty).
func (h *Host) approve(req *iso8583.Transaction, amount int64, iad []byte, f59 string, alg iso8583.MACAlgorithm) (answer, error) {
	// the record, its grant and the grant's field 55 in one allocation
	b := &struct {
		rec record
		g   grant
		icc [2 + 16]byte // tag 91, its length, and up to 16 bytes
	}{}
	if err := h.grantInto(&b.g); err != nil {
		return answer{}, err
	}
	if len(iad) > 0 {
		b.g.ICC = emv.AppendTLV(b.icc[:0:len(b.icc)], 0x91, iad)
	}
	b.rec = record{Kind: iso8583.KindSale, Amount: amount, Code: "00", Grant: &b.g, Approved: true}
	if !h.book(req, &b.rec) {
		return h.reply(req, "94", nil, nil, alg)
	}
	return h.replyPriv(req, "00", &b.g, nil, f59, alg)
}

// checkPIN derives the transaction's DUKPT PIN key from the KSN, deciphers
// the PIN block (format 0 in field 52, or format 4 in field 59) and checks
// the PIN against the issuer's file in constant time.
func (h *Host) checkPIN(req *iso8583.Transaction, priv private59, pan string) error {
	var f pinblock.Format
	var block []byte
	var b16 [16]byte // a format 4 PIN block
	switch {
	case len(req.PINBlock) > 0:
		f, block = pinblock.ISO0, req.PINBlock
	case priv.pinBlock != "":
		if len(priv.pinBlock) != 2*len(b16) {
			return errors.New("malformed PIN block")
		}
		if _, err := hex.Decode(b16[:], []byte(priv.pinBlock)); err != nil {
			return errors.New("malformed PIN block")
		}
		f, block = pinblock.ISO4, b16[:]
	default:
		return nil // no CVM (contactless below the CVM limit)
	}
	var kb [ksnMax]byte
	ksn, err := decodeKSN(kb[:], priv.ksn)
	if err != nil {
		return err
	}
	key, err := h.dukptKey(ksn, dukpt.PINEncryption)
	if err != nil {
		return err
	}
	defer clear(key)
	pin, err := pinblock.Decrypt(f, key, block, pan)
	if err != nil {
		return err
	}
	want := h.pins[pan] // read only after NewHost
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
		psn = hexByte[p[0]]
	}
	resp := emv.ARPCResponse{ARC: []byte("00"), CSU: []byte{0, 0, 0, 0}}
	arpc, err := v.Verify(issuerMasterKey, pan, psn, req.ICC, resp)
	if err != nil {
		return nil, err
	}
	return resp.IssuerAuthenticationData(arpc), nil
}

// hexByte is every byte in two upper-case hex digits.
var hexByte = func() (t [256]string) {
	for i := range t {
		t[i] = fmt.Sprintf("%02X", i)
	}
	return t
}()

// qrSale serves the two steps of a QR payment: ORDER makes a dynamic EMVCo
// QR code for the amount; QUERY reports whether the wallet paid it and, if
// so, books the sale.
func (h *Host) qrSale(req *iso8583.Transaction, priv private59, alg iso8583.MACAlgorithm) (answer, error) {
	amount, err := req.AmountMinor()
	if err != nil {
		return h.reply(req, "13", nil, nil, alg)
	}
	switch priv.qrOp {
	case "ORDER":
		g, err := h.newGrant()
		if err != nil {
			return answer{}, err
		}
		rrn := g.RRN
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
			return answer{}, err
		}
		h.mu.Lock()
		h.orders[rrn] = &qrOrder{RRN: rrn, TID: req.TerminalID, Amount: amount, Payload: payload}
		h.mu.Unlock()
		return h.replyPriv(req, "00", &grant{RRN: rrn}, nil, privateData{tagQROp: "ORDER", tagQR: payload}.encode(), alg)
	case "QUERY":
		if a, ok, err := h.answerRepeat(req, iso8583.KindSale, amount, alg); ok {
			return a, err
		}
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
		return h.approve(req, amount, nil, "", alg)
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

// void cancels an approved sale of the open batch, found by its RRN.
func (h *Host) void(req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, error) {
	amount, _ := req.AmountMinor()
	if a, ok, err := h.answerRepeat(req, iso8583.KindVoid, amount, alg); ok {
		return a, err
	}
	h.mu.Lock()
	o := h.byRRN[req.RRN]
	ok := o != nil && o.TID == req.TerminalID && o.Approved && !o.Voided && !o.Reversed && !o.batch.settled && o.Refunded == 0 && o.Amount == amount
	h.mu.Unlock()
	if !ok {
		return h.reply(req, "25", nil, nil, alg)
	}
	return h.referring(req, &record{Kind: iso8583.KindVoid, Amount: amount, orig: o}, alg)
}

// refund returns part or all of an approved sale.
func (h *Host) refund(req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, error) {
	amount, err := req.AmountMinor()
	if err != nil {
		return h.reply(req, "13", nil, nil, alg)
	}
	if a, ok, err := h.answerRepeat(req, iso8583.KindRefund, amount, alg); ok {
		return a, err
	}
	h.mu.Lock()
	o := h.byRRN[req.RRN]
	ok := o != nil && o.TID == req.TerminalID && o.Approved && !o.Voided && !o.Reversed && o.Amount-o.Refunded >= amount
	h.mu.Unlock()
	if !ok {
		return h.reply(req, "25", nil, nil, alg)
	}
	return h.referring(req, &record{Kind: iso8583.KindRefund, Amount: amount, orig: o}, alg)
}

// referring books an approved void or refund; book checks its sale again
// under the lock, so two voids of one sale cannot both pass.
func (h *Host) referring(req *iso8583.Transaction, rec *record, alg iso8583.MACAlgorithm) (answer, error) {
	g, err := h.newGrant()
	if err != nil {
		return answer{}, err
	}
	rec.Code, rec.Grant, rec.Approved = "00", g, true
	if !h.book(req, rec) {
		return h.reply(req, "25", nil, nil, alg)
	}
	return h.reply(req, "00", g, nil, alg)
}

// isAdvice reports an advice (0220, repeated 0221): a transaction the
// terminal approved offline or forced, which the host books and
// acknowledges (0230).
func isAdvice(req *iso8583.Transaction) bool {
	return len(req.MTI) == 4 && req.MTI[:3] == "022"
}

// advice books an offline sale or refund once; its repeats are
// acknowledged again without booking it twice.
func (h *Host) advice(req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, error) {
	amount, err := req.AmountMinor()
	if err != nil {
		return h.reply(req, "13", nil, nil, alg)
	}
	kind := req.Kind()
	if kind == iso8583.KindUnknown && req.ProcessingCode == iso8583.ProcSale {
		kind = iso8583.KindSale // an offline sale (UnionPay 60.1 offline types)
	}
	if a, ok, err := h.answerRepeat(req, kind, amount, alg); ok {
		return a, err
	}
	rec := &record{Kind: kind, Amount: amount, Code: "00", Approved: kind == iso8583.KindSale}
	if kind == iso8583.KindRefund {
		// a refund advice counts only against a sale the host knows
		h.mu.Lock()
		o := h.byRRN[req.RRN]
		h.mu.Unlock()
		rec.orig, rec.Approved = o, o != nil && o.TID == req.TerminalID
	}
	if !h.book(req, rec) {
		return h.reply(req, "94", nil, nil, alg)
	}
	return h.reply(req, "00", nil, nil, alg)
}

// reversal undoes a request whose answer the terminal never got. The
// original is found by terminal, STAN and date: field 90's STAN and date
// on ISO 8583:1987; on UnionPay the reversal's own STAN, and the last
// request booked under it, since the reversal carries no date. Every
// reversal and repeat (0400, 0401) is acknowledged; only the first undoes.
func (h *Host) reversal(req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, error) {
	stan, date := req.STAN, ""
	if h.spec == SpecASCII {
		_, ostan, when, _, ok := req.OriginalElements()
		if !ok {
			return h.reply(req, "30", nil, nil, alg)
		}
		stan, date = ostan, when[:4]
		if date == "0000" {
			date = "" // the original had no field 7
		}
	}
	short := keyOf(req.TerminalID, stan, "")
	h.mu.Lock()
	var o *record
	if date != "" {
		o = h.ledger[keyOf(req.TerminalID, stan, date)]
	} else {
		o = h.latest[short]
	}
	already := o != nil && o.Reversed
	undone := o != nil && h.reverseLocked(o)
	if o == nil && len(h.early) < maxEarly {
		// The original may still be on its way (a slow network, a busy
		// host): remember the reversal so the original is booked reversed.
		if date != "" {
			h.early[keyOf(req.TerminalID, stan, date)] = true
		} else {
			h.early[short] = true
		}
	}
	h.mu.Unlock()
	switch {
	case undone:
		h.log.printf("host: %s: reversal of STAN %s (%s): %s undone\n", req.TerminalID, stan, req.Response().English, o.Kind)
	case o == nil:
		h.log.printf("host: %s: reversal of STAN %s before its original; the original will be booked reversed\n", req.TerminalID, stan)
	case already:
		h.log.printf("host: %s: reversal of STAN %s again: already undone\n", req.TerminalID, stan)
	default:
		h.log.printf("host: %s: reversal of STAN %s: nothing to undo\n", req.TerminalID, stan)
	}
	return h.reply(req, "00", nil, nil, alg)
}

// maxEarly bounds the reversals kept for originals not seen (yet), so
// that reversals of requests that never existed cannot grow the host
// without bound.
const maxEarly = 100_000

// maskPAN shows the first 6 and last 4 digits of a PAN at most.
func maskPAN(pan string) string {
	if len(pan) < 13 {
		return strings.Repeat("*", len(pan))
	}
	return pan[:6] + strings.Repeat("*", len(pan)-10) + pan[len(pan)-4:]
}

// panOfTrack returns the PAN of track 2 data ('=' or 'D' separator).
func panOfTrack(t string) string {
	if i := strings.IndexAny(t, "=D"); i >= 0 {
		return t[:i]
	}
	return t
}
