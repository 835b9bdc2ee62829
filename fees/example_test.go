package fees_test

import (
	"fmt"
	"time"

	"github.com/poskit/poskit/fees"
)

// Quote a 10,000.00 CNY debit card payment under the 2016 reform preset
// with a 0.1% acquirer markup, and print the Interchange++ breakdown.
func ExampleSchedule_Quote() {
	s, err := fees.New(fees.China2016(fees.MustParseRate("0.1%")))
	if err != nil {
		panic(err)
	}
	tx := fees.Transaction{Amount: 1_000_000, Channel: fees.ChannelChip, Funding: fees.Debit}
	tx.SetTime(time.Date(2026, 11, 21, 14, 30, 0, 0, time.UTC))
	q, err := s.Quote(tx)
	if err != nil {
		panic(err)
	}
	for _, l := range q.Breakdown() {
		capped := ""
		if l.Capped {
			capped = " (capped)"
		}
		fmt.Printf("%-8s %-8s %6s%s\n", l.Name, l.Rate, fees.FormatAmount(l.Fee, fees.CNY), capped)
	}
	fmt.Println("fee", fees.FormatAmount(q.Fee, fees.CNY), "net", fees.FormatAmount(q.Net, fees.CNY))
	// Output:
	// issuer   0.35%     13.00 (capped)
	// network  0.0325%    3.25
	// acquirer 0.1%      10.00
	// fee 26.25 net 9973.75
}

// Load a schedule from JSON and quote the seeds' figures: 10,000.00 CNY by
// QR at 0.38% and by card at 0.6%, and a card payment of 11.00 CNY with
// instant settlement at noon and at 23:30.
func ExampleLoadJSON() {
	s, err := fees.LoadJSON([]byte(`{
	  "name": "flat retail",
	  "currency": "CNY",
	  "rules": [
	    {"name": "qr", "when": {"channels": ["qr", "contactless"]}, "rate": "0.38%"},
	    {"name": "card", "when": {"channels": ["swipe", "chip"]}, "rate": "0.6%",
	     "surcharges": [{"name": "instant", "fixed": "3.00",
	       "when": {"payout": ["D0"], "min_amount": "11.00", "window": {"from": "00:00", "to": "23:00"}}}]}
	  ]}`))
	if err != nil {
		panic(err)
	}
	for _, tx := range []fees.Transaction{
		{Amount: 1_000_000, Channel: fees.ChannelWeChatPay},
		{Amount: 1_000_000, Channel: fees.ChannelSwipe},
		{Amount: 1100, Channel: fees.ChannelChip, Payout: fees.D0, Time: fees.Clock(12, 0, 0)},
		{Amount: 1100, Channel: fees.ChannelChip, Payout: fees.D0, Time: fees.Clock(23, 30, 0)},
	} {
		q, err := s.Quote(tx)
		if err != nil {
			panic(err)
		}
		fmt.Println(q.RuleName, fees.FormatAmount(tx.Amount, fees.CNY), "fee", fees.FormatAmount(q.Fee, fees.CNY), "lines", q.N)
	}
	// Output:
	// qr 10000.00 fee 38.00 lines 1
	// card 10000.00 fee 60.00 lines 1
	// card 11.00 fee 3.07 lines 2
	// card 11.00 fee 0.07 lines 1
}

// The rounding modes differ only when the exact fee has a remainder.
func ExampleRounding() {
	for _, amount := range []int64{1250, 1750, 1001} {
		fmt.Print(fees.FormatAmount(amount, fees.CNY), ":")
		rate := fees.MustParseRate("0.2%")
		if amount == 1001 {
			rate = fees.MustParseRate("0.38%")
		}
		for _, m := range []fees.Rounding{fees.HalfUp, fees.HalfEven, fees.Down, fees.Up} {
			f, _ := fees.Pricing{Rate: rate, Rounding: m}.Fee(amount)
			fmt.Printf(" %s=%d", m, f)
		}
		fmt.Println(" fen at", rate)
	}
	// Output:
	// 12.50: half-up=3 half-even=2 down=2 up=3 fen at 0.2%
	// 17.50: half-up=4 half-even=4 down=3 up=4 fen at 0.2%
	// 10.01: half-up=4 half-even=4 down=3 up=4 fen at 0.38%
}

// Partial refunds return the fee in proportion; the pieces add up to the
// whole fee exactly.
func ExampleSchedule_Refund() {
	s, _ := fees.New(fees.FlatRetail(fees.CNY))
	tx := fees.Transaction{Amount: 10_000, Channel: fees.ChannelChip, Day: fees.NewDate(2026, 11, 21)}
	q, _ := s.Quote(tx) // 0.6% of 100.00 = 0.60
	sale := fees.NewSale(tx, q)
	for _, part := range []int64{3_333, 3_333, 3_334} {
		back, _ := s.Refund(&sale, part)
		fmt.Println("refund", fees.FormatAmount(part, fees.CNY), "fee back", fees.FormatAmount(back, fees.CNY))
	}
	fmt.Println("returned", fees.FormatAmount(sale.FeeReturned, fees.CNY), "of", fees.FormatAmount(sale.Fee, fees.CNY))
	// Output:
	// refund 33.33 fee back 0.19
	// refund 33.33 fee back 0.20
	// refund 33.34 fee back 0.21
	// returned 0.60 of 0.60
}

// Gross-up: what to charge by card so that the merchant nets 10,000.00.
func ExampleSchedule_GrossUp() {
	s, _ := fees.New(fees.FlatRetail(fees.CNY))
	q, _ := s.GrossUp(fees.Transaction{Channel: fees.ChannelChip}, 1_000_000)
	fmt.Println(fees.FormatAmount(q.Amount, fees.CNY), fees.FormatAmount(q.Fee, fees.CNY), fees.FormatAmount(q.Net, fees.CNY))
	// Output: 10060.36 60.36 10000.00
}

// A settlement summary per day and channel.
func ExampleSummary() {
	s, _ := fees.New(fees.FlatRetail(fees.CNY))
	var sum fees.Summary
	day := fees.NewDate(2026, 11, 21)
	for _, tx := range []fees.Transaction{
		{Amount: 1_000_000, Channel: fees.ChannelAlipay, Day: day},
		{Amount: 250_000, Channel: fees.ChannelChip, Day: day},
		{Amount: 50_000, Channel: fees.ChannelAlipay, Day: day},
	} {
		q, _ := s.Quote(tx)
		sum.AddSale(tx, q)
	}
	for _, r := range sum.Rows() {
		fmt.Println(r.Day, r.Channel, r.Sales, fees.FormatAmount(r.Gross, fees.CNY), fees.FormatAmount(r.Fees, fees.CNY), fees.FormatAmount(r.Net, fees.CNY))
	}
	// Output:
	// 2026-11-21 chip 1 2500.00 15.00 2485.00
	// 2026-11-21 alipay 2 10500.00 39.90 10460.10
}

// Price by transaction kind: a pre-authorisation is free, its completion
// pays the card rate, a balance inquiry costs 0.30 flat (a fixed fee on no
// amount, so the rule allows a fee above the amount).
func ExampleTransactionKind() {
	s, err := fees.New(fees.Config{
		Currency: fees.CNY,
		Rules: []fees.Rule{
			{Name: "pre-auth", When: fees.Match{Kinds: fees.SetOf(fees.KindPreAuth)}},
			{Name: "inquiry", When: fees.Match{Kinds: fees.SetOf(fees.KindBalanceInquiry)}, Pricing: fees.Pricing{Fixed: 30}, FeeAboveAmount: true},
			{Name: "card", Pricing: fees.Pricing{Rate: fees.FlatRetailCard}},
		},
	})
	if err != nil {
		panic(err)
	}
	for _, tx := range []fees.Transaction{
		{Kind: fees.KindPreAuth, Amount: 50_000},
		{Kind: fees.KindCompletion, Amount: 48_000},
		{Kind: fees.KindBalanceInquiry},
	} {
		q, _ := s.Quote(tx)
		fmt.Println(tx.Kind, q.RuleName, fees.FormatAmount(q.Fee, fees.CNY))
	}
	// Output:
	// pre-auth pre-auth 0.00
	// completion card 2.88
	// balance-inquiry inquiry 0.30
}

// Monthly volume bands and a daily fee cap: the merchant's Usage, kept by
// the caller, picks the band from the month's volume before each payment
// and stops the day's fees at 100.00.
func ExampleSchedule_QuoteUsage() {
	s, err := fees.New(fees.Config{
		Currency: fees.CNY,
		DailyCap: 10_000,
		Rules: []fees.Rule{{
			Name:   "card",
			TierBy: fees.ByMonthVolume,
			Tiers: []fees.Tier{
				{UpTo: 2_000_000, Pricing: fees.Pricing{Rate: fees.MustParseRate("0.6%")}}, // up to 20,000.00 a month
				{Pricing: fees.Pricing{Rate: fees.MustParseRate("0.5%")}},
			},
		}},
	})
	if err != nil {
		panic(err)
	}
	var u fees.Usage // persist it per merchant between quotes
	for _, tx := range []fees.Transaction{
		{Amount: 1_500_000, Day: fees.NewDate(2026, 11, 20)},
		{Amount: 1_000_000, Day: fees.NewDate(2026, 11, 20)}, // month volume 15,000.00: still 0.6%, 60.00 left of the cap
		{Amount: 1_000_000, Day: fees.NewDate(2026, 11, 21)}, // 25,000.00: 0.5%
		{Amount: 1_000_000, Day: fees.NewDate(2026, 12, 1)},  // a new month: 0.6% again
	} {
		q, err := s.QuoteUsage(tx, &u)
		if err != nil {
			panic(err)
		}
		fmt.Println(tx.Day, fees.FormatAmount(q.Fee, fees.CNY), q.Lines[0].Rate, "capped:", q.Lines[0].Capped)
	}
	// Output:
	// 2026-11-20 90.00 0.6% capped: false
	// 2026-11-20 10.00 0.6% capped: true
	// 2026-11-21 50.00 0.5% capped: false
	// 2026-12-01 60.00 0.6% capped: false
}

// A schedule written back to JSON in its canonical form: loading and
// writing it again gives the same bytes.
func ExampleConfig_MarshalJSON() {
	b, err := fees.FlatRetail(fees.CNY).MarshalJSON()
	if err != nil {
		panic(err)
	}
	fmt.Print(string(b))
	s, _ := fees.LoadJSON(b)
	again, _ := s.MarshalJSON()
	fmt.Println(string(again) == string(b))
	// Output:
	// {
	//   "name": "flat retail",
	//   "currency": "CNY",
	//   "rules": [
	//     {
	//       "name": "contactless-qr",
	//       "when": {
	//         "channels": ["contactless", "wechat-pay", "alipay", "unionpay-qr"]
	//       },
	//       "rate": "0.38%"
	//     },
	//     {
	//       "name": "card",
	//       "when": {
	//         "channels": ["swipe", "chip"]
	//       },
	//       "rate": "0.6%"
	//     }
	//   ]
	// }
	// true
}

// The day's fees per Interchange++ component, and per terminal.
func ExampleSummary_ByComponent() {
	s, _ := fees.New(fees.China2016(fees.MustParseRate("0.1%")))
	var sum fees.Summary
	day := fees.NewDate(2026, 11, 21)
	for _, tx := range []fees.Transaction{
		{Amount: 1_000_000, Channel: fees.ChannelChip, Funding: fees.Debit, Day: day, Terminal: "10000001"},
		{Amount: 100_000, Channel: fees.ChannelChip, Funding: fees.Credit, Day: day, Terminal: "10000002"},
	} {
		q, _ := s.Quote(tx)
		sum.AddSale(tx, q)
	}
	for _, r := range sum.ByComponent() {
		fmt.Println(r.Component, fees.FormatAmount(r.Fees, fees.CNY))
	}
	for _, r := range sum.ByTerminal() {
		fmt.Println(r.Terminal, fees.FormatAmount(r.Gross, fees.CNY), fees.FormatAmount(r.Fees, fees.CNY))
	}
	// Output:
	// issuer 17.50
	// network 3.58
	// acquirer 11.00
	// 10000001 10000.00 26.25
	// 10000002 1000.00 5.83
}

// A card-to-card transfer fee of 0.1%, at least 2.00 and at most 25.00,
// beside the purchase rates. The transfer fee is the cardholder's: the
// terminal debits the amount plus the fee and prints the fee on the slip,
// so the rule allows a fee above a small amount.
func Example_transfer() {
	s, err := fees.New(fees.Config{
		Currency: fees.CNY,
		Rules: []fees.Rule{
			{Name: "transfer", When: fees.Match{Kinds: fees.SetOf(fees.KindTransfer)},
				Pricing: fees.Pricing{Rate: 100_000, Min: 200, Cap: 2500}, FeeAboveAmount: true},
			{Name: "card", Pricing: fees.Pricing{Rate: fees.FlatRetailCard}},
		},
	})
	if err != nil {
		panic(err)
	}
	for _, amount := range []int64{100, 50_000, 1_000_000, 5_000_000} {
		q, err := s.Quote(fees.Transaction{Kind: fees.KindTransfer, Amount: amount})
		if err != nil {
			panic(err)
		}
		fmt.Println("transfer", fees.FormatAmount(amount, fees.CNY), "fee", fees.FormatAmount(q.Fee, fees.CNY),
			"debited", fees.FormatAmount(amount+q.Fee, fees.CNY))
	}
	q, _ := s.Quote(fees.Transaction{Kind: fees.KindSale, Amount: 1_000_000})
	fmt.Println("sale", fees.FormatAmount(1_000_000, fees.CNY), "fee", fees.FormatAmount(q.Fee, fees.CNY), "merchant nets", fees.FormatAmount(q.Net, fees.CNY))
	// Output:
	// transfer 1.00 fee 2.00 debited 3.00
	// transfer 500.00 fee 2.00 debited 502.00
	// transfer 10000.00 fee 10.00 debited 10010.00
	// transfer 50000.00 fee 25.00 debited 50025.00
	// sale 10000.00 fee 60.00 merchant nets 9940.00
}
