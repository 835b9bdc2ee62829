// Command fees prices one amount the ways a Chinese acquirer does: the flat
// retail rates (card 0.6%, QR and contactless 0.38%), the 2016 reform's
// Interchange++ breakdown with its caps, a partial refund's fee return, a
// gross-up and a day's settlement summary. All money is integer fen.
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
	money := func(v int64) string { return fees.FormatAmount(v, fees.CNY) }
	day := fees.NewDate(2026, 11, 21)

	// 1. Flat retail schedule, one rule per channel.
	flat, err := fees.New(fees.FlatRetail(fees.CNY))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s CNY under %q:\n", money(amount), flat.Name())
	quotes := map[fees.Channel]fees.Quote{}
	for _, ch := range []fees.Channel{fees.ChannelChip, fees.ChannelContactless, fees.ChannelWeChatPay} {
		q, err := flat.Quote(fees.Transaction{Amount: amount, Channel: ch, Day: day})
		if err != nil {
			return err
		}
		quotes[ch] = q
		fmt.Fprintf(w, "  %-12s fee %8s  net %10s  (rule %s)\n", ch, money(q.Fee), money(q.Net), q.RuleName)
	}

	// 2. The 2016 reform: issuer, network and acquirer lines, each rounded
	// once, the issuer's capped for debit cards.
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

	// 3. A refund of a third of the card sale returns the fee in proportion.
	tx := fees.Transaction{Amount: amount, Channel: fees.ChannelChip, Day: day}
	sale := fees.NewSale(tx, quotes[fees.ChannelChip])
	back, err := flat.Refund(&sale, amount/3)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "refund %s of the card sale: fee returned %s\n", money(amount/3), money(back))

	// 4. Gross-up: what to charge by card so that the merchant nets the amount.
	g, err := flat.GrossUp(fees.Transaction{Channel: fees.ChannelChip}, amount)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "to net %s by card, charge %s (fee %s)\n", money(amount), money(g.Amount), money(g.Fee))

	// 5. The day's summary for the settlement slip.
	var sum fees.Summary
	for _, ch := range []fees.Channel{fees.ChannelChip, fees.ChannelWeChatPay} {
		if err := sum.AddSale(fees.Transaction{Amount: amount, Channel: ch, Day: day}, quotes[ch]); err != nil {
			return err
		}
	}
	if err := sum.AddRefund(day, fees.ChannelChip, amount/3, back); err != nil {
		return err
	}
	fmt.Fprintf(w, "settlement summary:\n")
	for _, r := range sum.Rows() {
		fmt.Fprintf(w, "  %s %-10s sales %d refunds %d gross %10s fees %8s net %10s\n",
			r.Day, r.Channel, r.Sales, r.Refunds, money(r.Gross), money(r.Fees), money(r.Net))
	}
	t, _ := sum.Total()
	fmt.Fprintf(w, "  total gross %s, fees %s, net %s\n", money(t.Gross), money(t.Fees), money(t.Net))
	return nil
}
