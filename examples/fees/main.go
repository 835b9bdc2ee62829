// Command fees prices one amount the ways a Chinese acquirer does: the flat
// retail rates (card 0.6%, QR and contactless 0.38%), the 2016 reform's
// Interchange++ breakdown with its caps, a partial refund's fee return, a
// gross-up, pricing by transaction kind, monthly volume bands with a daily
// fee cap, a rule per currency with a cross-border markup, and the day's
// merchant summary per channel, terminal and fee component. All money is
// integer minor units.
//
//	go run ./examples/fees
//	go run ./examples/fees -amount 128.00
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/poskit/poskit/fees"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fees:", err)
		os.Exit(1)
	}
}

var day = fees.NewDate(2026, 11, 21)

func money(v int64) string { return fees.FormatAmount(v, fees.CNY) }

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("fees", flag.ContinueOnError)
	fs.SetOutput(w)
	amountFlag := fs.String("amount", "10000.00", "amount in CNY")
	if err := fs.Parse(args); err != nil {
		return err
	}
	amount, err := fees.ParseAmount(*amountFlag, fees.CNY) // exact: no float
	if err != nil {
		return err
	}
	if amount <= 0 {
		return fmt.Errorf("-amount %s: want a positive amount", *amountFlag)
	}
	for _, step := range []func(io.Writer, int64) error{flatAndSummary, interchange, byKind, volumeBands, currencies} {
		if err := step(w, amount); err != nil {
			return err
		}
	}
	return nil
}

// flatAndSummary prices the amount by channel under the flat retail
// schedule, refunds a third of the card sale, grosses up, and prints the
// day's summary.
func flatAndSummary(w io.Writer, amount int64) error {
	flat, err := fees.New(fees.FlatRetail(fees.CNY))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s CNY under %q:\n", money(amount), flat.Name())
	var sum fees.Summary
	var card fees.Sale
	for i, ch := range []fees.Channel{fees.ChannelChip, fees.ChannelContactless, fees.ChannelWeChatPay} {
		tx := fees.Transaction{Amount: amount, Channel: ch, Day: day, Terminal: fmt.Sprintf("1000000%d", i/2+1)}
		q, err := flat.Quote(tx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-12s fee %8s  net %10s  (rule %s)\n", ch, money(q.Fee), money(q.Net), q.RuleName)
		if ch == fees.ChannelContactless {
			continue // shown, not booked
		}
		if err := sum.AddSale(tx, q); err != nil {
			return err
		}
		if ch == fees.ChannelChip {
			card = fees.NewSale(tx, q)
		}
	}
	// A refund of a third of the card sale returns the fee in proportion.
	back, err := flat.Refund(&card, amount/3)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "refund %s of the card sale: fee returned %s\n", money(amount/3), money(back))
	if err := sum.AddReturn(day, &card, amount/3, back); err != nil {
		return err
	}
	// Gross-up: what to charge by card so that the merchant nets the amount.
	g, err := flat.GrossUp(fees.Transaction{Channel: fees.ChannelChip}, amount)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "to net %s by card, charge %s (fee %s)\n", money(amount), money(g.Amount), money(g.Fee))
	printSummary(w, &sum)
	return nil
}

func printSummary(w io.Writer, sum *fees.Summary) {
	fmt.Fprintf(w, "merchant summary:\n")
	for _, r := range sum.Rows() {
		fmt.Fprintf(w, "  %s %-10s sales %d refunds %d gross %10s fees %8s net %10s\n",
			r.Day, r.Channel, r.Sales, r.Refunds, money(r.Gross), money(r.Fees), money(r.Net))
	}
	for _, r := range sum.ByTerminal() {
		fmt.Fprintf(w, "  terminal %s gross %10s fees %8s\n", r.Terminal, money(r.Gross), money(r.Fees))
	}
	t, _ := sum.Total()
	fmt.Fprintf(w, "  total gross %s, fees %s, net %s\n", money(t.Gross), money(t.Fees), money(t.Net))
}

// interchange prints the 2016 reform's breakdown of a debit card payment:
// issuer, network and acquirer lines, each rounded once, the issuer's
// capped.
func interchange(w io.Writer, amount int64) error {
	ipp, err := fees.New(fees.China2016(fees.MustParseRate("0.1%")))
	if err != nil {
		return err
	}
	q, err := ipp.Quote(fees.Transaction{Amount: amount, Channel: fees.ChannelChip, Funding: fees.Debit, Day: day})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "debit card, Interchange++ (acquirer 0.1%%):\n")
	for _, l := range q.Breakdown() {
		capped := ""
		if l.Capped {
			capped = " (capped)"
		}
		fmt.Fprintf(w, "  %-8s %-8s %8s%s\n", l.Name, l.Rate, money(l.Fee), capped)
	}
	fmt.Fprintf(w, "  fee %s, net %s\n", money(q.Fee), money(q.Net))
	return nil
}

// byKind prices by transaction type: pre-authorisation free, completion at
// the card rate, a balance inquiry 0.30 flat.
func byKind(w io.Writer, amount int64) error {
	s, err := fees.New(fees.Config{
		Name:     "by kind",
		Currency: fees.CNY,
		Rules: []fees.Rule{
			{Name: "pre-auth free", When: fees.Match{Kinds: fees.SetOf(fees.KindPreAuth)}},
			{Name: "inquiry 0.30", When: fees.Match{Kinds: fees.SetOf(fees.KindBalanceInquiry)}, Pricing: fees.Pricing{Fixed: 30}, FeeAboveAmount: true},
			{Name: "card 0.6%", Pricing: fees.Pricing{Rate: fees.FlatRetailCard}},
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "by transaction kind:\n")
	for _, tx := range []fees.Transaction{
		{Kind: fees.KindPreAuth, Amount: amount},
		{Kind: fees.KindCompletion, Amount: amount},
		{Kind: fees.KindBalanceInquiry},
	} {
		q, err := s.Quote(tx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-16s fee %8s  (rule %s)\n", tx.Kind, money(q.Fee), q.RuleName)
	}
	return nil
}

// volumeBands prices four equal payments under monthly volume bands (0.6%
// up to 20,000.00 in the month, then 0.5%) with a daily fee cap of 100.00.
func volumeBands(w io.Writer, amount int64) error {
	s, err := fees.New(fees.Config{
		Currency: fees.CNY,
		DailyCap: 10_000,
		Rules: []fees.Rule{{
			Name:   "card",
			TierBy: fees.ByMonthVolume,
			Tiers: []fees.Tier{
				{UpTo: 2_000_000, Pricing: fees.Pricing{Rate: fees.MustParseRate("0.6%")}},
				{Pricing: fees.Pricing{Rate: fees.MustParseRate("0.5%")}},
			},
		}},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "monthly volume bands, daily cap 100.00:\n")
	var u fees.Usage // the caller keeps one per merchant
	for i, d := range []fees.Date{day, day, day + 1, day + 1} {
		q, err := s.QuoteUsage(fees.Transaction{Amount: amount, Day: d}, &u)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %d. %s at %-5s fee %8s  month volume now %s\n", i+1, d, q.Lines[0].Rate, money(q.Fee), money(u.MonthVolume))
	}
	return nil
}

// currencies prices a foreign card in USD under a CNY schedule with a USD
// rule and a 1.5% cross-border markup.
func currencies(w io.Writer, amount int64) error {
	markup := fees.CrossBorderMarkup(fees.MustParseRate("1.5%"))
	s, err := fees.New(fees.Config{
		Currency: fees.CNY,
		Rules: []fees.Rule{
			{Name: "usd", When: fees.Match{Currency: fees.USD}, Pricing: fees.Pricing{Rate: fees.MustParseRate("2%")}, Surcharges: []fees.Surcharge{markup}},
			{Name: "cny", Pricing: fees.Pricing{Rate: fees.FlatRetailCard}, Surcharges: []fees.Surcharge{markup}},
		},
	})
	if err != nil {
		return err
	}
	q, err := s.Quote(fees.Transaction{Amount: amount, Currency: fees.USD, CrossBorder: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "a foreign card paying %s USD:\n", fees.FormatAmount(amount, fees.USD))
	for _, l := range q.Breakdown() {
		fmt.Fprintf(w, "  %-12s %-5s %8s USD\n", l.Name, l.Rate, fees.FormatAmount(l.Fee, fees.USD))
	}
	return nil
}
