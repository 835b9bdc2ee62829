package main

// terminal.go: the POS terminal. It signs on, builds each request with the
// iso8583 package, protects the PIN and the message with DUKPT or session
// keys, sends it framed over TCP and checks the answer: same STAN, a MAC
// that verifies, and for a chip card the issuer's ARPC.

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/mac"
	"github.com/poskit/poskit/pinblock"
)

// Terminal is one POS terminal with its card reader and PIN pad. It is used
// by one goroutine at a time.
type Terminal struct {
	spec    Spec
	dukpt   DUKPT
	addr    string
	iso     *iso8583.Terminal
	dk      originator
	chip    *chip
	trace   *tracer
	brief   *tracer       // during a download: where its one-line trace goes
	timeout time.Duration // how long to wait for an answer

	link    *link
	session iso8583.SessionKeys
	mak     iso8583.MACAlgorithm // UnionPay spec: the session MAK

	// What the terminal downloaded from the host (manage.go): the CA
	// public keys, the AID parameters and its parameters; nil before.
	capk       *emv.CAPKStore
	aids       []emv.AIDParams
	params     *iso8583.ParamSet
	hot        map[string]bool // card numbers and BIN prefixes refused
	hotVersion int

	batch   []*entry             // the transactions of the open batch
	queued  []queuedReversal     // reversals not yet acknowledged, oldest first
	lastReq *iso8583.Transaction // the last QR request
}

// entry is one transaction the terminal keeps for its batch.
type entry struct {
	Req, Resp *iso8583.Transaction
	Kind      iso8583.Kind
	Amount    int64
	Approved  bool
	Voided    bool
}

// errUnknown reports a request whose outcome the terminal cannot know: it
// was sent, and no answer it can trust came back (the host closed the
// connection, answered garbage or a MAC that does not verify). The host
// may have booked it: the terminal reverses it.
var errUnknown = errors.New("outcome unknown, reversal pending")

// errTimeout reports a request whose answer did not come in time: an
// unknown outcome too.
var errTimeout = fmt.Errorf("%w: no answer from the host in time", errUnknown)

// NewTerminal makes terminal number n (its terminal ID ends in n) and
// connects it to the host at addr.
func NewTerminal(spec Spec, d DUKPT, addr string, n int, trace *tracer) (*Terminal, error) {
	t, err := newTerminal(spec, d, addr, n, trace)
	if err != nil {
		return nil, err
	}
	return t, t.dial()
}

// newTerminal makes terminal number n without connecting it.
func newTerminal(spec Spec, d DUKPT, addr string, n int, trace *tracer) (*Terminal, error) {
	o, err := newOriginator(d, n)
	if err != nil {
		return nil, err
	}
	c, err := newChip()
	if err != nil {
		return nil, err
	}
	t := &Terminal{
		spec: spec, dukpt: d, addr: addr, dk: o, trace: trace,
		timeout: ioTimeout,
		chip:    c,
		iso: &iso8583.Terminal{
			Dialect:        spec.dialect(),
			TerminalID:     fmt.Sprintf("POS%05d", n),
			MerchantID:     "898310048160001",
			AcquirerID:     "48020000",
			Currency:       "156",
			Batch:          "000001",
			ReadCapability: "6",
			STAN:           iso8583.NewSTANSource(0),
		},
	}
	return t, nil
}

// ID is the terminal ID (field 41).
func (t *Terminal) ID() string { return t.iso.TerminalID }

func (t *Terminal) dial() error {
	c, err := net.DialTimeout("tcp", t.addr, t.timeout)
	if err != nil {
		return err
	}
	t.link = newLink(c, t.spec.framing())
	return nil
}

// Close hangs up.
func (t *Terminal) Close() error {
	t.session.Wipe()
	if t.link == nil {
		return nil
	}
	return t.link.close()
}

// exchangePlain is exchange for a request without PIN or private data:
// the keys of a new DUKPT transaction MAC it (on the ASCII spec).
func (t *Terminal) exchangePlain(tx *iso8583.Transaction) (*iso8583.Transaction, error) {
	keys, err := t.keysFor(false)
	if err != nil {
		return nil, err
	}
	resp, _, err := t.exchange(tx, nil, keys)
	return resp, err
}

// exchange sends one request and returns the checked answer. keys are the
// DUKPT keys of this transaction (nil for a request without them); on the
// ASCII spec they MAC the request, on the UnionPay spec the session MAK does.
// The keys are wiped when the exchange is over.
func (t *Terminal) exchange(tx *iso8583.Transaction, priv privateData, keys *dukptKeys) (*iso8583.Transaction, privateData, error) {
	if keys != nil {
		defer keys.wipe()
	}
	fr, respMAC, err := t.pack(tx, priv, keys)
	if err != nil {
		return nil, nil, err
	}
	if t.link == nil {
		if err := t.dial(); err != nil {
			return nil, nil, fmt.Errorf("%w: %w", errUnknown, err)
		}
	}
	t.link.conn.SetDeadline(time.Now().Add(t.timeout))
	var in iso8583.Frame
	if err = t.link.w.WriteFrame(fr); err == nil {
		in, err = t.link.r.ReadFrame()
	}
	if err != nil {
		// No answer, or an unreadable one: the host may have booked the
		// request. The stream may still deliver a late answer, so the
		// terminal hangs up and dials afresh.
		t.hangUp()
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, nil, errTimeout
		}
		return nil, nil, fmt.Errorf("%w: %s", errUnknown, ioReason(err))
	}
	resp, rpriv, err := t.check(tx, in, respMAC)
	if err != nil {
		t.hangUp()
		return nil, nil, fmt.Errorf("%w: %w", errUnknown, err)
	}
	return resp, rpriv, nil
}

// hangUp closes the link; the next exchange dials again.
func (t *Terminal) hangUp() {
	if t.link != nil {
		t.link.close()
		t.link = nil
	}
}

// ioReason names what happened to the connection without the raw error.
func ioReason(err error) string {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, iso8583.ErrShortFrame):
		return "the host closed the connection"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "the connection was reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the host refused the connection"
	}
	return "the connection failed"
}

// pack builds the request frame of tx: field 59 with the KSN of keys (when
// there are keys), the MAC, TPDU and header; it returns the frame and the
// MAC the answer must carry.
func (t *Terminal) pack(tx *iso8583.Transaction, priv privateData, keys *dukptKeys) (iso8583.Frame, iso8583.MACAlgorithm, error) {
	if keys != nil {
		if priv == nil {
			priv = privateData{}
		}
		priv[tagKSN] = strings.ToUpper(hex.EncodeToString(keys.KSN))
	}
	reqMAC, respMAC, err := t.macs(tx, keys)
	if err != nil {
		return iso8583.Frame{}, nil, err
	}
	m, err := message(t.spec.spec(), tx, priv)
	if err != nil {
		return iso8583.Frame{}, nil, err
	}
	var packed []byte
	if reqMAC != nil {
		packed, err = iso8583.SignMessage(m, reqMAC)
	} else {
		packed, err = m.Pack()
	}
	if err != nil {
		return iso8583.Frame{}, nil, err
	}
	fr := iso8583.Frame{TPDU: terminalTPDU, Header: terminalHeader, Message: packed}
	t.trace.frame("terminal → host", fr, m, t.spec.framing())
	return fr, respMAC, nil
}

// macs returns the request and response MACs of tx.
func (t *Terminal) macs(tx *iso8583.Transaction, keys *dukptKeys) (req, resp iso8583.MACAlgorithm, err error) {
	if tx.Kind() == iso8583.KindSignOn {
		return nil, nil, nil
	}
	if t.spec == SpecCUP {
		if t.mak == nil {
			return nil, nil, errors.New("terminal not signed on")
		}
		return t.mak, t.mak, nil
	}
	if keys == nil {
		return nil, nil, errors.New("ASCII spec: every request needs DUKPT keys")
	}
	return newDUKPTMAC(t.dukpt, keys.MACRequest, keys.MACResponse)
}

// check verifies an answer: its MAC (when it carries one; only a decline
// may come without), its MTI, STAN and terminal ID.
func (t *Terminal) check(req *iso8583.Transaction, fr iso8583.Frame, alg iso8583.MACAlgorithm) (*iso8583.Transaction, privateData, error) {
	spec := t.spec.spec()
	m := moov.NewMessage(spec)
	if err := m.Unpack(fr.Message); err != nil {
		return nil, nil, fmt.Errorf("answer: %s", unpackReason(err))
	}
	t.trace.frame("terminal ← host", fr, m, t.spec.framing())
	resp, err := iso8583.FromMessage(m)
	if err != nil {
		return nil, nil, err
	}
	if alg != nil {
		if m.GetField(iso8583.MACField(m)) != nil {
			if _, err := iso8583.VerifyPacked(spec, fr.Message, alg); err != nil {
				return nil, nil, fmt.Errorf("answer to STAN %s: %w", req.STAN, err)
			}
		} else if resp.Approved() {
			return nil, nil, fmt.Errorf("answer to STAN %s: approval without MAC", req.STAN)
		}
	}
	if len(resp.MTI) != 4 || resp.MTI[:2] != req.MTI[:2] || resp.MTI[2] != req.MTI[2]+1 {
		return nil, nil, fmt.Errorf("answer MTI %s to request %s", resp.MTI, req.MTI)
	}
	if resp.STAN != req.STAN || resp.TerminalID != req.TerminalID {
		return nil, nil, fmt.Errorf("answer for STAN %s of %s to request STAN %s", resp.STAN, resp.TerminalID, req.STAN)
	}
	priv, err := private(m)
	return resp, priv, err
}

// SignOn asks for session keys and checks them against their check values.
func (t *Terminal) SignOn() error {
	tx, err := t.iso.SignOn()
	if err != nil {
		return err
	}
	resp, _, err := t.exchange(tx, nil, nil)
	if err != nil {
		return err
	}
	if !resp.Approved() {
		return fmt.Errorf("sign-on declined: %s", resp.ResponseCode)
	}
	f62 := resp.F62
	if t.spec == SpecASCII {
		if f62, err = hex.DecodeString(string(f62)); err != nil {
			return fmt.Errorf("sign-on keys: %w", err)
		}
	}
	keys, err := iso8583.ParseSignOnKeys(f62, terminalMasterKey) // checks the KCVs
	if err != nil {
		return err
	}
	t.session.Wipe()
	t.session = keys
	if t.spec == SpecCUP {
		if t.mak, err = mac.NewCUPECB(keys.MAC); err != nil {
			return err
		}
	}
	pk, _ := mac.KCV(keys.PIN)
	mk, _ := mac.KCV(keys.MAC)
	t.trace.printf("terminal: session keys %s; PIK KCV %s, MAK KCV %s: check values match\n\n", keys, hexKey(pk), hexKey(mk))
	return nil
}

// nextKeys returns the DUKPT keys of the next transaction.
func (t *Terminal) nextKeys() (*dukptKeys, error) {
	k, err := t.dk.next()
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// keysFor returns DUKPT keys when the request needs them: always on the
// ASCII spec (they MAC it), for a PIN on the UnionPay spec.
func (t *Terminal) keysFor(pin bool) (*dukptKeys, error) {
	if t.spec == SpecASCII || pin {
		return t.nextKeys()
	}
	return nil, nil
}

// Result is what one sale gave.
type Result struct {
	Entry *entry
	ICC   []byte // request field 55
	// Chip is what the terminal decided before it asked for the
	// cryptogram of a contact chip sale (ODA, TVR, terminal action
	// analysis); nil for a contactless sale.
	Chip *chipDecision
}

// ChipSale inserts the card, lets the cardholder enter the PIN online and
// asks the host; the card then checks the issuer's ARPC.
func (t *Terminal) ChipSale(amount int64) (Result, error) {
	return t.cardSale(amount, false)
}

// ContactlessSale taps the card for a small amount: no CVM.
func (t *Terminal) ContactlessSale(amount int64) (Result, error) {
	return t.cardSale(amount, true)
}

func (t *Terminal) cardSale(amount int64, contactless bool) (Result, error) {
	var d *chipDecision
	if !contactless {
		var err error
		if d, err = t.decide(amount); err != nil {
			return Result{Chip: d}, err
		}
	}
	tx, priv, keys, f55, err := t.buildCardSaleWith(amount, contactless, d)
	if err != nil {
		return Result{Chip: d}, err
	}
	return t.chipOnline(&entry{Req: tx, Kind: iso8583.KindSale, Amount: amount}, priv, keys, f55, d)
}

// chipOnline sends a chip request, e its journal entry: the card checks
// the issuer's ARPC in an approval, and the approved entry joins the batch.
func (t *Terminal) chipOnline(e *entry, priv privateData, keys *dukptKeys, f55 []byte, d *chipDecision) (Result, error) {
	res := Result{Entry: e, ICC: f55, Chip: d}
	resp, _, err := t.exchange(e.Req, priv, keys)
	if err != nil {
		return res, err
	}
	e.Resp = resp
	if resp.Approved() {
		if err := t.chip.externalAuthenticate(f55, resp.ICC); err != nil {
			// A real terminal would now decline offline and reverse.
			return res, err
		}
		e.Approved = true
		t.batch = append(t.batch, e)
	}
	return res, nil
}

// buildCardSale reads the card (ARQC), takes the transaction's DUKPT keys,
// enciphers the PIN and builds the sale request.
func (t *Terminal) buildCardSale(amount int64, contactless bool) (*iso8583.Transaction, privateData, *dukptKeys, []byte, error) {
	return t.buildCardSaleWith(amount, contactless, nil)
}

// buildCardSaleWith is buildCardSale with the terminal's decision d (TVR
// and unpredictable number) for a contact chip sale; with nil, the card's
// TVR says only "floor limit exceeded".
func (t *Terminal) buildCardSaleWith(amount int64, contactless bool, d *chipDecision) (*iso8583.Transaction, privateData, *dukptKeys, []byte, error) {
	var f55 []byte
	var err error
	if d != nil {
		f55, err = t.chip.generateACWith(amount, 156, time.Now(), contactless, d.TVR, d.UN, txGoods)
	} else {
		f55, err = t.chip.generateAC(amount, 156, time.Now(), contactless)
	}
	if err != nil {
		return nil, nil, nil, nil, err
	}
	keys, err := t.keysFor(!contactless)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	c := iso8583.Card{Track2: t.chip.card.track2(), SequenceNumber: "0" + t.chip.card.PSN, ICC: f55, Contactless: contactless}
	priv := privateData{}
	if !contactless {
		if err := t.encipherPIN(keys, &c, priv); err != nil {
			return nil, nil, nil, nil, err
		}
	}
	tx, err := t.iso.Sale(c, amount)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if priv[tagPINBlock] != "" {
		// a format 4 block travels in field 59; field 22 still says "PIN entered"
		tx.EntryMode, tx.PINCapture = tx.EntryMode[:2]+"1", "12"
	}
	return tx, priv, keys, f55, nil
}

// encipherPIN forms the PIN block under the transaction's DUKPT PIN key:
// ISO 9564 format 0 under TDES DUKPT (field 52), format 4 under AES DUKPT
// (16 bytes: field 59). The PIN pad does this; the PIN never leaves it
// in clear.
func (t *Terminal) encipherPIN(keys *dukptKeys, c *iso8583.Card, priv privateData) error {
	if t.dukpt == DUKPTAES {
		b, err := pinblock.Encrypt(pinblock.ISO4, keys.PIN, t.chip.card.PIN, t.chip.card.PAN)
		if err != nil {
			return err
		}
		priv[tagPINBlock] = strings.ToUpper(hex.EncodeToString(b))
		return nil
	}
	b, err := pinblock.Encrypt(pinblock.ISO0, keys.PIN, t.chip.card.PIN, t.chip.card.PAN)
	if err != nil {
		return err
	}
	c.PINBlock = b
	return nil
}

// QROrder asks the host for a dynamic QR code for amount; it returns the
// payload to show on the screen and the order's reference (RRN).
func (t *Terminal) QROrder(amount int64) (payload, ref string, err error) {
	resp, priv, err := t.qrRequest(amount, "ORDER", "")
	if err != nil {
		return "", "", err
	}
	if !resp.Approved() || priv[tagQR] == "" {
		return "", "", fmt.Errorf("QR order declined: %s", resp.ResponseCode)
	}
	return priv[tagQR], resp.RRN, nil
}

// QRQuery asks whether the order was paid; an approved answer is the sale.
func (t *Terminal) QRQuery(amount int64, ref string) (Result, error) {
	e := &entry{Kind: iso8583.KindSale, Amount: amount}
	resp, _, err := t.qrRequest(amount, "QUERY", ref)
	if err != nil {
		return Result{Entry: e}, err
	}
	e.Req, e.Resp = t.lastReq, resp
	if resp.Approved() {
		e.Approved = true
		t.batch = append(t.batch, e)
	}
	return Result{Entry: e}, nil
}

func (t *Terminal) qrRequest(amount int64, op, ref string) (*iso8583.Transaction, privateData, error) {
	// A QR sale has no card: the iso8583 constructors need one, so the
	// request is filled here, as Terminal.Sale would, with entry mode 03
	// (bar code / QR).
	now := time.Now()
	tx := &iso8583.Transaction{
		MTI:            "0200",
		ProcessingCode: iso8583.ProcSale,
		Amount:         fmt.Sprintf("%012d", amount),
		STAN:           t.iso.STAN.Next(),
		LocalTime:      now.Format("150405"),
		LocalDate:      now.Format("0102"),
		EntryMode:      "032",
		ConditionCode:  "00",
		AcquirerID:     t.iso.AcquirerID,
		RRN:            ref,
		TerminalID:     t.iso.TerminalID,
		MerchantID:     t.iso.MerchantID,
		Currency:       t.iso.Currency,
	}
	if t.spec == SpecCUP {
		tx.F60 = &iso8583.Field60{TxnType: iso8583.TxnTypeSale, Batch: t.iso.Batch, NetMgmt: "000", ReadCapability: t.iso.ReadCapability}
	} else {
		tx.TransmissionTime = now.UTC().Format("0102150405")
	}
	keys, err := t.keysFor(false)
	if err != nil {
		return nil, nil, err
	}
	t.lastReq = tx
	return t.exchange(tx, privateData{tagQROp: op}, keys)
}

// Void cancels an approved sale of the open batch.
func (t *Terminal) Void(e *entry) (*entry, error) {
	c := iso8583.Card{PAN: t.chip.card.PAN}
	return t.referring(iso8583.KindVoid, e, e.Amount, func(o iso8583.Original) (*iso8583.Transaction, error) {
		return t.iso.Void(c, e.Amount, o)
	})
}

// Refund gives back amount of an approved sale.
func (t *Terminal) Refund(e *entry, amount int64) (*entry, error) {
	c := iso8583.Card{PAN: t.chip.card.PAN}
	return t.referring(iso8583.KindRefund, e, amount, func(o iso8583.Original) (*iso8583.Transaction, error) {
		return t.iso.Refund(c, amount, o)
	})
}

func (t *Terminal) referring(k iso8583.Kind, orig *entry, amount int64, build func(iso8583.Original) (*iso8583.Transaction, error)) (*entry, error) {
	tx, err := build(iso8583.OriginalOf(orig.Req, orig.Resp))
	if err != nil {
		return nil, err
	}
	resp, err := t.exchangePlain(tx)
	if err != nil {
		return &entry{Req: tx, Kind: k, Amount: amount}, err
	}
	e := &entry{Req: tx, Resp: resp, Kind: k, Amount: amount, Approved: resp.Approved()}
	if e.Approved {
		if k == iso8583.KindVoid {
			orig.Voided = true
		}
		t.batch = append(t.batch, e)
	}
	return e, nil
}

// Reverse sends the reversal of a request whose answer never came, until
// the host acknowledges it (three tries: 0400, then 0401 repeats).
func (t *Terminal) Reverse(req *iso8583.Transaction) (*iso8583.Transaction, error) {
	rv, err := t.iso.Reversal(req, "98")
	if err != nil {
		return nil, err
	}
	var last error
	for try := 0; try < 3; try++ {
		resp, err := t.sendReversal(rv, try > 0)
		if err == nil {
			return resp, nil
		}
		last = err
	}
	return nil, last
}

// sendReversal sends rv once, as a repeat (0401) when repeat is set.
func (t *Terminal) sendReversal(rv *iso8583.Transaction, repeat bool) (*iso8583.Transaction, error) {
	if repeat {
		var err error
		if rv, err = t.iso.RepeatReversal(rv); err != nil {
			return nil, err
		}
	}
	resp, err := t.exchangePlain(rv)
	if err != nil {
		return nil, err
	}
	if !resp.Approved() {
		return nil, fmt.Errorf("reversal answered %s", resp.ResponseCode)
	}
	return resp, nil
}

// queueReversal keeps the reversal of a request whose outcome is unknown;
// SendQueued sends it before the next transaction.
func (t *Terminal) queueReversal(req *iso8583.Transaction) error {
	rv, err := t.iso.Reversal(req, "98")
	if err != nil {
		return err
	}
	t.queued = append(t.queued, queuedReversal{rv: rv})
	return nil
}

// queuedReversal is a reversal not yet acknowledged and how often it was
// sent.
type queuedReversal struct {
	rv    *iso8583.Transaction
	sends int
}

// SendQueued sends the queued reversals, oldest first (0400, then 0401
// repeats), and stops at the first that is not acknowledged. It returns
// how many were acknowledged.
func (t *Terminal) SendQueued() (int, error) {
	done := 0
	for len(t.queued) > 0 {
		q := &t.queued[0]
		_, err := t.sendReversal(q.rv, q.sends > 0)
		q.sends++
		if err != nil {
			return done, err
		}
		t.queued = t.queued[1:]
		done++
	}
	return done, nil
}

// Queued reports how many reversals wait to be sent.
func (t *Terminal) Queued() int { return len(t.queued) }

// Totals are the batch totals: approved sales and transfers not voided
// (debits), and approved refunds (credits).
func (t *Terminal) Totals() iso8583.Totals {
	var tt iso8583.Totals
	for _, e := range t.batch {
		switch {
		case (e.Kind == iso8583.KindSale || e.Kind == iso8583.KindTransfer) && e.Approved && !e.Voided:
			tt.DebitCount++
			tt.DebitAmount += e.Amount
		case e.Kind == iso8583.KindRefund && e.Approved:
			tt.CreditCount++
			tt.CreditAmount += e.Amount
		}
	}
	return tt
}

// Settle sends the batch totals (0500); the host answers 00 when they match
// its own. The batch is then closed.
func (t *Terminal) Settle() (*iso8583.Transaction, iso8583.Totals, error) {
	tt := t.Totals()
	tx, err := t.iso.Settlement(tt)
	if err != nil {
		return nil, tt, err
	}
	// A settlement whose answer is lost is sent again as it was (same
	// STAN): the host answers a repeat of the batch it just closed as
	// before.
	var resp *iso8583.Transaction
	for try := 0; ; try++ {
		var err error
		resp, err = t.exchangePlain(tx)
		if err == nil {
			break
		}
		if !errors.Is(err, errUnknown) || try == 4 {
			return nil, tt, err
		}
	}
	if !resp.Approved() {
		return resp, tt, fmt.Errorf("settlement not balanced: %s %s", resp.ResponseCode, resp.Response().English)
	}
	// UnionPay: field 48 of the answer carries the host's verdicts too
	// (reconciliation codes, 1 = balanced), which a terminal checks before
	// it closes the batch.
	if t.iso.Dialect == iso8583.UnionPay && !resp.Balanced() {
		return resp, tt, fmt.Errorf("settlement approved but field 48 does not say balanced")
	}
	t.batch = nil
	return resp, tt, nil
}
