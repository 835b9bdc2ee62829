package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/poskit/poskit/fees"
)

func runFee(e *env, args []string) error {
	return verbs(e, "fee", args, map[string]func(*env, []string) error{
		"quote": feeQuote,
		"fmt":   feeFmt,
	})
}

// enumFlag finds the value of a fees enumeration whose String is s; from
// is the first value to offer (1 where 0 means "unknown").
func enumFlag[E ~uint8](flagName, s string, from int, str func(E) string) (E, error) {
	var names []string
	for v := from; v < 32; v++ {
		n := str(E(v))
		if n == strconv.Itoa(v) {
			break
		}
		if n == s {
			return E(v), nil
		}
		names = append(names, n)
	}
	if s == "" {
		return 0, nil
	}
	return 0, usagef("-%s %q: want one of %s", flagName, s, strings.Join(names, ", "))
}

type feeLineJSON struct {
	Name      string `json:"name"`
	Component string `json:"component"`
	Rate      string `json:"rate"`
	Fee       string `json:"fee"`
	Capped    bool   `json:"capped,omitempty"`
	Floored   bool   `json:"floored,omitempty"`
}

type feeJSON struct {
	Schedule string        `json:"schedule"`
	Currency string        `json:"currency"`
	Rule     string        `json:"rule"`
	Amount   string        `json:"amount"`
	Fee      string        `json:"fee"`
	Net      string        `json:"net"`
	Lines    []feeLineJSON `json:"lines"`
}

// scheduleFlags are the flags that choose a schedule.
type scheduleFlags struct {
	schedule, preset, currency, acqRate *string
}

func addScheduleFlags(fs *flag.FlagSet) scheduleFlags {
	return scheduleFlags{
		schedule: fs.String("schedule", "", "fee schedule JSON file (- for standard input)"),
		preset:   fs.String("preset", "", "built-in schedule: flat-retail or china2016"),
		currency: fs.String("currency", "CNY", "currency of a preset (ISO 4217 code)"),
		acqRate:  fs.String("acquirer-rate", "0.1%", "acquirer markup of the china2016 preset"),
	}
}

// load returns the schedule the flags name.
func (f scheduleFlags) load(e *env) (*fees.Schedule, error) {
	switch {
	case *f.schedule != "" && *f.preset != "":
		return nil, usagef("give -schedule or -preset, not both")
	case *f.schedule != "":
		b, err := readFile(e, *f.schedule, "fee schedule")
		if err != nil {
			return nil, err
		}
		s, err := fees.LoadJSON(b)
		if err != nil {
			return nil, fmt.Errorf("schedule %s: %w", *f.schedule, err)
		}
		return s, nil
	case *f.preset != "":
		return f.loadPreset()
	}
	return nil, usagef("missing -schedule FILE or -preset NAME")
}

func (f scheduleFlags) loadPreset() (*fees.Schedule, error) {
	c, err := fees.ParseCurrency(strings.ToUpper(*f.currency))
	if err != nil {
		return nil, usagef("-currency: %v", err)
	}
	var cfg fees.Config
	switch *f.preset {
	case "flat-retail":
		cfg = fees.FlatRetail(c)
	case "china2016":
		if c != fees.CNY {
			return nil, usagef("-preset china2016 is in CNY")
		}
		r, err := fees.ParseRate(*f.acqRate)
		if err != nil {
			return nil, usagef("-acquirer-rate: %v", err)
		}
		cfg = fees.China2016(r)
	default:
		return nil, usagef("-preset %q: want flat-retail or china2016", *f.preset)
	}
	s, err := fees.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("preset %s: %w", *f.preset, err)
	}
	return s, nil
}

// txFlags are the flags that describe the transaction to price.
type txFlags struct {
	amount, in, kind, channel, funding, scheme, class, payout, settlement, at *string
	mcc                                                                       *uint
	cross                                                                     *bool
}

func addTxFlags(fs *flag.FlagSet) txFlags {
	return txFlags{
		amount:     fs.String("amount", "", "transaction amount in major units (\"100.00\")"),
		in:         fs.String("in", "", "the transaction's currency when a schedule has rules for several (ISO 4217 code); default the schedule's"),
		kind:       fs.String("kind", "sale", "sale, pre-auth, completion, balance-inquiry, transfer or cash-advance"),
		channel:    fs.String("channel", "", "swipe, chip, contactless, wechat-pay, alipay or unionpay-qr"),
		funding:    fs.String("funding", "", "debit, credit or prepaid"),
		scheme:     fs.String("scheme", "", "unionpay, visa, mastercard, jcb, amex or discover"),
		class:      fs.String("class", "", "merchant class: general, catering, livelihood, preferential, public-welfare"),
		mcc:        fs.Uint("mcc", 0, "merchant category code"),
		payout:     fs.String("payout", "", "when the merchant is paid: T1 (default), D1, T0 or D0"),
		settlement: fs.String("settlement", "", "deprecated: use -payout"),
		cross:      fs.Bool("cross-border", false, "the card is foreign"),
		at:         fs.String("time", "", "local time of the transaction: hh:mm[:ss] or RFC 3339 (for time windows)"),
	}
}

// transaction builds the transaction from the flags; cur is the schedule's
// currency.
func (f txFlags) transaction(cur fees.Currency) (fees.Transaction, error) {
	tx := fees.Transaction{MCC: uint16(*f.mcc), CrossBorder: *f.cross}
	if *f.mcc > 9999 {
		return tx, usagef("-mcc %d: want 4 digits", *f.mcc)
	}
	if *f.in != "" {
		c, err := fees.ParseCurrency(strings.ToUpper(*f.in))
		if err != nil {
			return tx, usagef("-in: %v", err)
		}
		tx.Currency, cur = c, c
	}
	if *f.amount == "" {
		return tx, usagef("missing -amount")
	}
	var err error
	if tx.Amount, err = fees.ParseAmount(*f.amount, cur); err != nil {
		return tx, usagef("-amount: %v", err)
	}
	if *f.channel == "" {
		return tx, usagef("missing -channel: swipe, chip, contactless, wechat-pay, alipay or unionpay-qr")
	}
	if err := f.enums(&tx); err != nil {
		return tx, err
	}
	if *f.at != "" {
		if t, err := time.Parse(time.RFC3339, *f.at); err == nil {
			tx.SetTime(t)
		} else if tx.Time, err = fees.ParseTimeOfDay(*f.at); err != nil {
			return tx, usagef("-time %q: want hh:mm, hh:mm:ss or RFC 3339", *f.at)
		}
	}
	return tx, nil
}

func (f txFlags) enums(tx *fees.Transaction) error {
	var err error
	if tx.Kind, err = enumFlag("kind", *f.kind, 0, fees.TransactionKind.String); err != nil {
		return err
	}
	if tx.Channel, err = enumFlag("channel", *f.channel, 1, fees.Channel.String); err != nil {
		return err
	}
	if tx.Funding, err = enumFlag("funding", *f.funding, 1, fees.Funding.String); err != nil {
		return err
	}
	if tx.Scheme, err = enumFlag("scheme", *f.scheme, 1, fees.Scheme.String); err != nil {
		return err
	}
	if tx.Class, err = enumFlag("class", *f.class, 1, fees.MerchantClass.String); err != nil {
		return err
	}
	payout, name := *f.payout, "payout"
	switch {
	case payout != "" && *f.settlement != "":
		return usagef("give -payout, not also its old name -settlement")
	case payout == "" && *f.settlement != "":
		payout, name = *f.settlement, "settlement"
	case payout == "":
		payout = "T1"
	}
	if tx.Payout, err = enumFlag(name, strings.ToUpper(payout), 0, fees.Payout.String); err != nil {
		return err
	}
	return nil
}

func feeQuote(e *env, args []string) error {
	fs := newFlags(e, "fee quote", "(-schedule FILE | -preset NAME) -amount A -channel C [flags]",
		`Prices one transaction with a merchant fee schedule: the JSON form read by
fees.LoadJSON (-schedule FILE, "-" for standard input) or a preset
(flat-retail: card 0.6%, contactless and QR 0.38%; china2016: the 2016
Interchange++ caps plus -acquirer-rate). Prints the rule that priced it, the
breakdown lines, the fee and the merchant's net. Exit status 1 when no rule
matches or the schedule is invalid.`,
		`poskit fee quote -preset flat-retail -amount 10000.00 -channel wechat-pay
  rule contactless-qr, amount 10000.00 CNY, fee 38.00, net 9962.00`)
	sf := addScheduleFlags(fs)
	tf := addTxFlags(fs)
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	s, err := sf.load(e)
	if err != nil {
		return err
	}
	tx, err := tf.transaction(s.Currency())
	if err != nil {
		return err
	}
	q, err := s.Quote(tx)
	if err != nil {
		if errors.Is(err, fees.ErrNoRule) {
			return fmt.Errorf("schedule %q: no rule matches a %s %s payment: %w", s.Name(), tx.Kind, tx.Channel, err)
		}
		return fmt.Errorf("quote: %w", err)
	}
	return printQuote(e, s, tx, q, *asJSON)
}

func printQuote(e *env, s *fees.Schedule, tx fees.Transaction, q fees.Quote, asJSON bool) error {
	cur := s.Currency()
	if tx.Currency.Valid() {
		cur = tx.Currency
	}
	out := feeJSON{Schedule: s.Name(), Currency: cur.Alpha(), Rule: q.RuleName,
		Amount: fees.FormatAmount(q.Amount, cur), Fee: fees.FormatAmount(q.Fee, cur), Net: fees.FormatAmount(q.Net, cur)}
	for _, l := range q.Breakdown() {
		out.Lines = append(out.Lines, feeLineJSON{Name: l.Name, Component: l.Component.String(), Rate: l.Rate.String(),
			Fee: fees.FormatAmount(l.Fee, cur), Capped: l.Capped, Floored: l.Floored})
	}
	if asJSON {
		return writeJSON(e.stdout, out)
	}
	w := e.stdout
	fmt.Fprintf(w, "rule %s, amount %s %s, fee %s, net %s\n", out.Rule, out.Amount, out.Currency, out.Fee, out.Net)
	for _, l := range out.Lines {
		mark := ""
		if l.Capped {
			mark = " (capped)"
		}
		if l.Floored {
			mark = " (minimum)"
		}
		fmt.Fprintf(w, "  %-10s %-9s %10s%s\n", l.Name, l.Rate, l.Fee, mark)
	}
	return nil
}

func feeFmt(e *env, args []string) error {
	fs := newFlags(e, "fee fmt", "(-schedule FILE | -preset NAME)",
		`Checks a merchant fee schedule and writes it in the canonical JSON form of
fees: the current keys, amounts as decimal strings, rates as percentages, one
member a line. Writing the output again gives the same bytes, so a schedule
kept in version control diffs cleanly. A preset is written out as a starting
point for a schedule of one's own.`,
		`poskit fee fmt -preset flat-retail > schedule.json`)
	sf := addScheduleFlags(fs)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	s, err := sf.load(e)
	if err != nil {
		return err
	}
	b, err := s.MarshalJSON()
	if err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	_, err = e.stdout.Write(b)
	return err
}
