// Package fees prices card and QR payments for merchants: fee schedules and
// exact fee arithmetic in integer minor units.
//
// Money is int64 minor units (fen for CNY) of an ISO 4217 currency from an
// embedded table; rates are exact integers (Rate, parts per 10^8, parsed
// from "0.6%", "0.0325%" or "60bp"). No float64 takes part in any fee.
//
// A Schedule is an ordered list of rules; the first rule whose condition
// matches a transaction prices it, as one fee or as an Interchange++
// breakdown (issuer, network, acquirer, agent), plus any stacking
// surcharge such as instant settlement. Each line is rounded once, at
// minor-unit precision, and the fee is the exact sum of the lines:
//
//	s, err := fees.New(fees.FlatRetail(fees.CNY)) // card 0.6%, QR and contactless 0.38%
//	if err != nil { ... }
//	q, err := s.Quote(fees.Tx{Amount: 1_000_000, Channel: fees.ChannelWeChatPay}) // 10,000.00 CNY
//	fmt.Println(fees.FormatAmount(q.Fee, fees.CNY)) // 38.00
//	for _, l := range q.Breakdown() { fmt.Println(l.Name, l.Rate, l.Fee) }
//
// Schedules also load from JSON (LoadJSON); a loaded Schedule is immutable
// and safe for concurrent use, and Quote does not allocate. Refunds, voids
// and reversals return fees under the schedule's RefundPolicy (Refund,
// Void, Reverse on a Sale); GrossUp finds the amount that nets a target;
// Summary folds sales and refunds into settlement totals per day and
// channel.
package fees
