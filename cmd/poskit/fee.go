package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/poskit/poskit/fees"
)

func runFee(e *env, args []string) error {
	return verbs(e, "fee", args, map[string]func(*env, []string) error{
		"quote": feeQuote,
	})
}

// enumFlag finds the value of a fees enumeration whose String is s.
func enumFlag[E ~uint8](flagName, s string, str func(E) string) (E, error) {
	var names []string
	for v := 1; v < 32; v++ {
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
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Rate    string `json:"rate"`
	Fee     string `json:"fee"`
	Capped  bool   `json:"capped,omitempty"`
	Floored bool   `json:"floored,omitempty"`
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
	schedule := fs.String("schedule", "", "fee schedule JSON file (- for standard input)")
	preset := fs.String("preset", "", "built-in schedule: flat-retail or china2016")
	currency := fs.String("currency", "CNY", "currency of a preset (ISO 4217 code)")
	acqRate := fs.String("acquirer-rate", "0.1%", "acquirer markup of the china2016 preset")
	amount := fs.String("amount", "", "transaction amount in major units (\"100.00\")")
	channel := fs.String("channel", "", "swipe, chip, contactless, wechat-pay, alipay or unionpay-qr")
	funding := fs.String("funding", "", "debit, credit or prepaid")
	scheme := fs.String("scheme", "", "unionpay, visa, mastercard, jcb, amex or discover")
	class := fs.String("class", "", "merchant class: general, catering, livelihood, preferential, public-welfare")
	mcc := fs.Uint("mcc", 0, "merchant category code")
	settle := fs.String("settlement", "T1", "settlement speed: T1, D1, T0 or D0")
	cross := fs.Bool("cross-border", false, "the card is foreign")
	at := fs.String("time", "", "local time of the transaction: hh:mm[:ss] or RFC 3339 (for time windows)")
	asJSON := fs.Bool("json", false, "write JSON")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	var s *fees.Schedule
	var err error
	switch {
	case *schedule != "" && *preset != "":
		return usagef("give -schedule or -preset, not both")
	case *schedule != "":
		b, err := readFile(e, *schedule, "fee schedule")
		if err != nil {
			return err
		}
		if s, err = fees.LoadJSON(b); err != nil {
			return fmt.Errorf("schedule %s: %w", *schedule, err)
		}
	case *preset != "":
		c, err := fees.ParseCurrency(strings.ToUpper(*currency))
		if err != nil {
			return usagef("-currency: %v", err)
		}
		var cfg fees.Config
		switch *preset {
		case "flat-retail":
			cfg = fees.FlatRetail(c)
		case "china2016":
			if c != fees.CNY {
				return usagef("-preset china2016 is in CNY")
			}
			r, err := fees.ParseRate(*acqRate)
			if err != nil {
				return usagef("-acquirer-rate: %v", err)
			}
			cfg = fees.China2016(r)
		default:
			return usagef("-preset %q: want flat-retail or china2016", *preset)
		}
		if s, err = fees.New(cfg); err != nil {
			return fmt.Errorf("preset %s: %w", *preset, err)
		}
	default:
		return usagef("missing -schedule FILE or -preset NAME")
	}
	cur := s.Currency()
	if *amount == "" {
		return usagef("missing -amount")
	}
	tx := fees.Transaction{MCC: uint16(*mcc), CrossBorder: *cross}
	if *mcc > 9999 {
		return usagef("-mcc %d: want 4 digits", *mcc)
	}
	if tx.Amount, err = fees.ParseAmount(*amount, cur); err != nil {
		return usagef("-amount: %v", err)
	}
	if *channel == "" {
		return usagef("missing -channel: swipe, chip, contactless, wechat-pay, alipay or unionpay-qr")
	}
	if tx.Channel, err = enumFlag("channel", *channel, fees.Channel.String); err != nil {
		return err
	}
	if tx.Funding, err = enumFlag("funding", *funding, fees.Funding.String); err != nil {
		return err
	}
	if tx.Scheme, err = enumFlag("scheme", *scheme, fees.Scheme.String); err != nil {
		return err
	}
	if tx.Class, err = enumFlag("class", *class, fees.MerchantClass.String); err != nil {
		return err
	}
	switch strings.ToUpper(*settle) {
	case "T1":
		tx.Payout = fees.T1
	case "D1":
		tx.Payout = fees.D1
	case "T0":
		tx.Payout = fees.T0
	case "D0":
		tx.Payout = fees.D0
	default:
		return usagef("-settlement %q: want T1, D1, T0 or D0", *settle)
	}
	if *at != "" {
		if t, err := time.Parse(time.RFC3339, *at); err == nil {
			tx.SetTime(t)
		} else if tx.Time, err = fees.ParseTimeOfDay(*at); err != nil {
			return usagef("-time %q: want hh:mm, hh:mm:ss or RFC 3339", *at)
		}
	}
	q, err := s.Quote(tx)
	if err != nil {
		if errors.Is(err, fees.ErrNoRule) {
			return fmt.Errorf("schedule %q: no rule matches a %s payment: %w", s.Name(), tx.Channel, err)
		}
		return fmt.Errorf("quote: %w", err)
	}
	out := feeJSON{Schedule: s.Name(), Currency: cur.Alpha(), Rule: q.RuleName,
		Amount: fees.FormatAmount(q.Amount, cur), Fee: fees.FormatAmount(q.Fee, cur), Net: fees.FormatAmount(q.Net, cur)}
	for _, l := range q.Breakdown() {
		out.Lines = append(out.Lines, feeLineJSON{Name: l.Name, Kind: l.Component.String(), Rate: l.Rate.String(),
			Fee: fees.FormatAmount(l.Fee, cur), Capped: l.Capped, Floored: l.Floored})
	}
	if *asJSON {
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
