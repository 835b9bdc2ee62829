package main

// journey.go: the day of one shop, step by step — sign-on, a chip sale with
// PIN, a contactless sale, a QR payment, a void, a refund, a sale whose
// answer is lost and reversed, and the settlement — with the slips the
// terminal prints and the fee the acquirer charges the merchant.

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/emv/qr"
	"github.com/poskit/poskit/fees"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/receipt"
)

// options are the command's flags.
type options struct {
	spec    Spec
	dukpt   DUKPT
	lang    receipt.Language
	quiet   bool
	load    int           // concurrent terminals; 0 runs the journey
	loadFor time.Duration // how long the load runs
}

// shop is what the journey keeps besides the terminal: the fee schedule,
// the printer, and the merchant's view of the fees.
type shop struct {
	out     *tracer
	quiet   bool
	t       *Terminal
	h       *Host
	fees    *fees.Schedule
	printer *receipt.Printer
	summary fees.Summary
	day     fees.Date
	step    int
}

var merchant = receipt.Merchant{Name: "POSKIT NOODLE BAR 面馆", Number: "898310048160001", Operator: "01"}

func (s *shop) title(format string, args ...any) {
	s.step++
	s.out.printf("\n== %d. %s\n", s.step, fmt.Sprintf(format, args...))
}

func (s *shop) say(format string, args ...any) { s.out.printf(format+"\n", args...) }

// journey runs the whole day against a host in the same process.
func journey(w io.Writer, o options) error {
	// Everything goes through one tracer, whose lock keeps the lines of
	// the terminal, the host and the journey from interleaving.
	out := &tracer{w: w}
	trace, log := out, out
	if o.quiet {
		trace, log = nil, &tracer{w: io.Discard}
	}
	// The terminal traces both directions of every frame; the host only
	// logs what it decides.
	h, err := NewHost(o.spec, o.dukpt, log)
	if err != nil {
		return err
	}
	defer h.Close()
	t, err := NewTerminal(o.spec, o.dukpt, h.Addr(), 1, trace)
	if err != nil {
		return err
	}
	defer t.Close()

	sched, err := fees.New(fees.FlatRetail(fees.CNY)) // card 0.6%, QR and contactless 0.38%
	if err != nil {
		return err
	}
	p, err := receipt.NewPrinter(receipt.Config{
		Profile:  receipt.Paper58,
		Language: o.lang,
		Policy:   receipt.Policy{Mask: receipt.MaskUnionPay, NoSignatureLimit: 30000},
	})
	if err != nil {
		return err
	}
	s := &shop{out: out, quiet: o.quiet, t: t, h: h, fees: sched, printer: p, day: fees.DateOf(time.Now())}
	out.printf("poskit POS example: host on %s, spec %s, DUKPT %s, terminal %s\n", h.Addr(), o.spec, o.dukpt, t.ID())
	if err := s.open(); err != nil {
		return err
	}
	return s.business()
}

// open signs the terminal on and downloads its configuration.
func (s *shop) open() error {
	s.title("sign-on (0800): session PIN and MAC keys under the terminal master key")
	if err := s.t.SignOn(); err != nil {
		return fmt.Errorf("sign-on: %w", err)
	}
	s.say("signed on")

	s.title("terminal management download (0820/0800): CA public keys, AID parameters, terminal parameters, hot-card list")
	if err := s.download(); err != nil {
		return fmt.Errorf("download: %w", err)
	}
	return nil
}

// business runs the day's transactions and the settlement.
func (s *shop) business() error {
	s.title("chip sale with online PIN: RMB 128.00")
	chipSale, err := s.cardSale(12800, false, receipt.MerchantCopy, receipt.CardholderCopy)
	if err != nil {
		return err
	}

	s.title("contactless sale, no CVM: RMB 35.00")
	tapSale, err := s.cardSale(3500, true, receipt.CardholderCopy)
	if err != nil {
		return err
	}

	s.title("QR payment: the host makes a dynamic EMVCo QR code for RMB 88.00")
	if _, err := s.qrSale(8800); err != nil {
		return err
	}

	s.title("void of the contactless sale")
	if err := s.void(tapSale); err != nil {
		return err
	}

	s.title("refund of RMB 28.00 of the chip sale")
	if err := s.refund(chipSale, 2800); err != nil {
		return err
	}

	s.title("chip sale of RMB 66.00 whose answer is lost: timeout, then reversal (0400)")
	if err := s.lostSale(6600); err != nil {
		return err
	}

	s.title("card-to-card transfer (0200, 400000) of RMB 2600.00 to card %s, with its fee", maskPAN(transferTo))
	if err := s.transfer(260000); err != nil {
		return err
	}

	s.title("settlement (0500)")
	if err := s.settle(); err != nil {
		return err
	}
	return s.reconciled()
}

// download runs the terminal's download when it holds no CA keys (a
// terminal's first start) and prints what it brought and the download
// slip.
func (s *shop) download() error {
	if s.t.capk != nil {
		s.say("the terminal holds %d CA keys and %d AIDs: nothing to download", s.t.capk.Len(), len(s.t.aids))
		return nil
	}
	d, err := s.t.Download()
	if err != nil {
		return err
	}
	s.say("%s", d)
	if s.quiet {
		return nil
	}
	m := merchant
	m.TerminalID = s.t.ID()
	return s.render(&receipt.DownloadSlip{Merchant: m, Time: time.Now(), CAKeys: len(d.CAKeys), AIDs: d.AIDs,
		HotListVersion: fmt.Sprintf("%06d", d.HotVersion), Footer: []string{"poskit example — test keys only"}})
}

// reconciled prints the line every run ends with: what the terminal
// settled against what the host booked for it.
func (s *shop) reconciled() error {
	settled, booked := s.h.Reconciliation()
	verdict := "balanced"
	if settled != booked || s.t.Queued() > 0 {
		verdict = "NOT BALANCED"
	}
	s.out.printf("\nreconciled: terminal %s; host %s; %d reversals queued: %s\n", totalsText(settled), totalsText(booked), s.t.Queued(), verdict)
	if verdict != "balanced" {
		return errors.New("the terminal's totals and the host's differ")
	}
	return nil
}

// sold is one sale of the journey, as the merchant books it.
type sold struct {
	e       *entry
	tx      fees.Transaction
	sale    fees.Sale
	channel fees.Channel
	slip    receipt.Slip
}

func (s *shop) cardSale(amount int64, contactless bool, copies ...receipt.Copy) (*sold, error) {
	var r Result
	var err error
	if contactless {
		r, err = s.t.ContactlessSale(amount)
	} else {
		r, err = s.t.ChipSale(amount)
	}
	if r.Chip != nil {
		s.say("%s", r.Chip.ODA)
		s.say("terminal action analysis: TVR %X, %s", r.Chip.TVR[:], acName(r.Chip.AC))
	}
	if err != nil {
		return nil, err
	}
	if !r.Entry.Approved {
		return nil, fmt.Errorf("sale declined: %s %s", r.Entry.Resp.ResponseCode, r.Entry.Resp.Response().English)
	}
	resp := r.Entry.Resp
	s.say("approved: STAN %s, RRN %s, auth code %s; the card accepted the issuer's ARPC", resp.STAN, resp.RRN, resp.AuthCode)

	ch, entry, cvm := fees.ChannelChip, receipt.EntryChip, receipt.CVMPIN
	if contactless {
		ch, entry, cvm = fees.ChannelContactless, receipt.EntryContactless, receipt.CVMNone
	}
	sd, err := s.book(r.Entry, ch)
	if err != nil {
		return nil, err
	}
	f, err := emv.ParseField55(r.ICC)
	if err != nil {
		return nil, err
	}
	sd.slip = s.slip(r.Entry, receipt.Sale)
	sd.slip.Card = receipt.Card{PAN: s.t.chip.card.PAN, Expiry: s.t.chip.card.Expiry, Entry: entry}
	sd.slip.CVM = cvm
	sd.slip.Chip = &receipt.Chip{
		AID:            strings.ToUpper(hex.EncodeToString(s.t.chip.card.AID)),
		Label:          s.t.chip.card.Label,
		TVR:            strings.ToUpper(hex.EncodeToString(f.TVR[:])),
		ATC:            fmt.Sprintf("%04X", f.ATC),
		CryptogramType: "ARQC",
		Cryptogram:     strings.ToUpper(hex.EncodeToString(f.AC)),
	}
	for _, c := range copies {
		if err := s.print(&sd.slip, c); err != nil {
			return nil, err
		}
	}
	return sd, nil
}

// book prices an approved sale with the fee schedule.
func (s *shop) book(e *entry, ch fees.Channel) (*sold, error) {
	tx := fees.Transaction{Amount: e.Amount, Channel: ch}
	tx.SetTime(time.Now())
	q, err := s.fees.Quote(tx)
	if err != nil {
		return nil, err
	}
	if err := s.summary.AddSale(tx, q); err != nil {
		return nil, err
	}
	rate := ""
	for _, l := range q.Breakdown() {
		rate = l.Rate.String()
	}
	s.say("merchant fee: %s (%s, %s), net %s", fees.FormatAmount(q.Fee, fees.CNY), q.RuleName, rate, fees.FormatAmount(q.Net, fees.CNY))
	return &sold{e: e, tx: tx, sale: fees.NewSale(tx, q), channel: ch}, nil
}

// slip fills the fields every slip of the terminal shares.
func (s *shop) slip(e *entry, typ receipt.Kind) receipt.Slip {
	m := merchant
	m.TerminalID = s.t.ID()
	sl := receipt.Slip{
		Merchant: m,
		Acquirer: "POSKIT ACQUIRER",
		Issuer:   "TEST ISSUER",
		Type:     typ,
		Batch:    s.t.iso.Batch,
		Voucher:  e.Req.STAN,
		AuthCode: e.Resp.AuthCode,
		RRN:      e.Resp.RRN,
		Time:     time.Now(),
		Amount:   receipt.Amount{Minor: e.Amount, Currency: receipt.CNY},
		Footer:   []string{"poskit example — not a real payment"},
	}
	return sl
}

func (s *shop) print(sl *receipt.Slip, c receipt.Copy) error {
	if s.quiet {
		return nil
	}
	sl.Copy = c
	return s.render(sl)
}

// render prints a slip or a settlement slip as text.
func (s *shop) render(d receipt.Document) error {
	b, err := s.printer.AppendText([]byte("\n"), d)
	if err != nil {
		return err
	}
	s.out.printf("%s", b)
	return nil
}

func (s *shop) qrSale(amount int64) (*sold, error) {
	payload, ref, err := s.t.QROrder(amount)
	if err != nil {
		return nil, err
	}
	s.say("the terminal shows the code (order %s):\n  %s", ref, payload)

	// The customer's wallet scans the code, checks it and pays.
	p, err := qr.Parse(payload)
	if err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	s.say("wallet: %s, %s %s (currency %s), dynamic %v: paid", p.MerchantName(), p.MerchantCity(), p.Amount(), p.Currency(), p.IsDynamic())
	if err := s.h.WalletPay(payload); err != nil {
		return nil, err
	}

	r, err := s.t.QRQuery(amount, ref)
	if err != nil {
		return nil, err
	}
	if !r.Entry.Approved {
		return nil, fmt.Errorf("QR payment not confirmed: %s", r.Entry.Resp.ResponseCode)
	}
	s.say("confirmed: STAN %s, RRN %s, auth code %s", r.Entry.Resp.STAN, r.Entry.Resp.RRN, r.Entry.Resp.AuthCode)
	sd, err := s.book(r.Entry, fees.ChannelUnionPayQR)
	if err != nil {
		return nil, err
	}
	sd.slip = s.slip(r.Entry, receipt.Sale)
	sd.slip.Card = receipt.Card{Entry: receipt.EntryQR}
	sd.slip.QR = &receipt.QR{Wallet: "UnionPay QR 云闪付", OrderNumber: ref}
	return sd, s.print(&sd.slip, receipt.CardholderCopy)
}

func (s *shop) void(sd *sold) error {
	e, err := s.t.Void(sd.e)
	if err != nil {
		return err
	}
	if !e.Approved {
		return fmt.Errorf("void declined: %s", e.Resp.ResponseCode)
	}
	back, err := s.fees.Void(&sd.sale, s.day)
	if err != nil {
		return err
	}
	if err := s.summary.AddRefund(s.day, sd.channel, e.Amount, back); err != nil {
		return err
	}
	s.say("voided: STAN %s (original %s); fee returned %s", e.Resp.STAN, sd.e.Req.STAN, fees.FormatAmount(back, fees.CNY))
	sl := s.slip(e, receipt.Void)
	sl.Card = sd.slip.Card
	sl.OrigVoucher = sd.e.Req.STAN
	return s.print(&sl, receipt.MerchantCopy)
}

func (s *shop) refund(sd *sold, amount int64) error {
	e, err := s.t.Refund(sd.e, amount)
	if err != nil {
		return err
	}
	if !e.Approved {
		return fmt.Errorf("refund declined: %s", e.Resp.ResponseCode)
	}
	back, err := s.fees.Refund(&sd.sale, amount)
	if err != nil {
		return err
	}
	if err := s.summary.AddRefund(s.day, sd.channel, amount, back); err != nil {
		return err
	}
	s.say("refunded: STAN %s, RRN %s; fee returned %s", e.Resp.STAN, e.Resp.RRN, fees.FormatAmount(back, fees.CNY))
	sl := s.slip(e, receipt.Refund)
	sl.Card = sd.slip.Card
	sl.OrigVoucher = sd.e.Req.STAN
	return s.print(&sl, receipt.MerchantCopy)
}

// lostSale: the host approves and books the sale but its answer is lost;
// the terminal gives up waiting and reverses, and the host undoes the sale.
func (s *shop) lostSale(amount int64) error {
	before := s.h.Totals(s.t.ID())
	s.h.DropNextReply()
	old := s.t.timeout
	s.t.timeout = 300 * time.Millisecond // the simulated timeout; real terminals wait ~60 s
	r, err := s.t.ChipSale(amount)
	s.t.timeout = old
	if !errors.Is(err, errTimeout) {
		return fmt.Errorf("lost sale: want a timeout, got %v", err)
	}
	s.say("terminal: %v for STAN %s; sending a reversal", err, r.Entry.Req.STAN)
	resp, err := s.t.Reverse(r.Entry.Req)
	if err != nil {
		return fmt.Errorf("reversal: %w", err)
	}
	if after := s.h.Totals(s.t.ID()); after != before {
		return fmt.Errorf("reversal: host totals %+v, want %+v", after, before)
	}
	s.say("reversal acknowledged (%s, %s); the host's totals no longer hold the sale", resp.ResponseCode, resp.Response().English)
	return nil
}

func (s *shop) settle() error {
	mine, host := s.t.Totals(), s.h.Totals(s.t.ID())
	s.say("terminal totals: %d debits %s, %d credits %s", mine.DebitCount, fees.FormatAmount(mine.DebitAmount, fees.CNY), mine.CreditCount, fees.FormatAmount(mine.CreditAmount, fees.CNY))
	s.say("host totals:     %d debits %s, %d credits %s", host.DebitCount, fees.FormatAmount(host.DebitAmount, fees.CNY), host.CreditCount, fees.FormatAmount(host.CreditAmount, fees.CNY))
	batch := append([]*entry(nil), s.t.batch...)
	resp, tt, err := s.t.Settle()
	if err != nil {
		return err
	}
	if tt != host {
		return fmt.Errorf("settlement: terminal %+v, host %+v", tt, host)
	}
	s.say("settled: %s %s — the totals match the host's", resp.ResponseCode, resp.Response().English)

	total, ok := s.summary.Total()
	if !ok {
		return errors.New("fee summary overflow")
	}
	s.say("merchant: gross %s, fees %s, net %s (%d sales, %d voids and refunds)",
		fees.FormatAmount(total.Gross, fees.CNY), fees.FormatAmount(total.Fees, fees.CNY),
		fees.FormatAmount(total.Net, fees.CNY), total.Sales, total.Refunds)
	for _, r := range s.summary.Rows() {
		s.say("  %s %-12s gross %8s fees %6s net %8s", r.Day, r.Channel, fees.FormatAmount(r.Gross, fees.CNY),
			fees.FormatAmount(r.Fees, fees.CNY), fees.FormatAmount(r.Net, fees.CNY))
	}
	if s.quiet {
		return nil
	}
	m := merchant
	m.TerminalID = s.t.ID()
	st := &receipt.SettlementSlip{Merchant: m, Acquirer: "POSKIT ACQUIRER", Batch: s.t.iso.Batch, Time: time.Now(), Currency: receipt.CNY}
	for _, e := range batch {
		ch := receipt.Domestic
		if e.Req.EntryMode[:2] == "03" {
			ch = receipt.QRPay
		}
		typ := map[iso8583.Kind]receipt.Kind{iso8583.KindSale: receipt.Sale, iso8583.KindVoid: receipt.Void,
			iso8583.KindRefund: receipt.Refund, iso8583.KindTransfer: receipt.Transfer}[e.Kind]
		st.Totals = append(st.Totals, receipt.Total{Channel: ch, Type: typ, Count: 1, Amount: e.Amount})
	}
	return s.render(st)
}
