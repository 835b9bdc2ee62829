// Package fees prices card and QR payments for merchants: fee schedules and
// exact fee arithmetic in integer minor units.
//
// Money is int64 minor units (fen for CNY) of an ISO 4217 [Currency];
// rates are exact integers ([Rate], parts per 10^8, parsed from "0.6%",
// "0.0325%" or "60bp"). No float64 takes part in any fee.
//
// A [Schedule] is an ordered list of [Rule] values; the first rule whose
// [Match] admits a [Transaction] prices it, as one fee or as an
// Interchange++ breakdown of [Part] values (issuer, network, acquirer,
// agent: see [Component]), plus any stacking [Surcharge] such as instant
// payout ([InstantPayout]) or a cross-border markup ([CrossBorderMarkup]).
// Each line is rounded once, at minor-unit precision, and the fee is the
// exact sum of the lines:
//
//	s, err := fees.New(fees.FlatRetail(fees.CNY)) // card 0.6%, QR and contactless 0.38%
//	if err != nil { ... }
//	q, err := s.Quote(fees.Transaction{Amount: 1_000_000, Channel: fees.ChannelWeChatPay}) // 10,000.00 CNY
//	fmt.Println(fees.FormatAmount(q.Fee, fees.CNY)) // 38.00
//	for _, l := range q.Breakdown() { fmt.Println(l.Name, l.Rate, l.Fee) }
//
// Rules match on the [TransactionKind] (a pre-authorisation free, its
// completion charged, a balance inquiry at a fixed fee), the [Channel],
// funding, scheme, merchant class, MCC, region, [Payout] speed, amount,
// time of day and currency (a rule per currency). A rule's fee is never
// above the transaction's amount unless the rule sets
// [Rule].FeeAboveAmount; a 0.00 sale is therefore free.
//
// Who pays is the caller's reading of a quote, not a field: a merchant fee
// comes off the amount (Quote.Net = Amount − Fee), while a transfer fee
// ([KindTransfer]) is usually the cardholder's, debited on top of the
// amount and printed on the slip; price it with a rule that sets
// [Rule].FeeAboveAmount so that a small transfer still pays its minimum
// (Example_transfer: 0.1%, at least 2.00, at most 25.00).
//
// Tiers pick a price by the amount, or by the merchant's day or month
// volume ([TierBasis]); volume tiers and the daily fee cap
// ([Config].DailyCap) read a [Usage] that the caller keeps per merchant
// and passes to [Schedule.QuoteUsage].
//
// Schedules load from JSON ([LoadJSON], strict: unknown or duplicate keys
// and numeric rates are errors) and write back to it byte-stably
// ([Config.MarshalJSON]). A Schedule is immutable and safe for concurrent
// use, and [Schedule.Quote] does not allocate. Refunds, voids and
// reversals return fees under the [RefundPolicy] of the rule that priced
// the [Sale] ([Schedule.Refund], [Schedule.Void], [Schedule.Reverse]);
// [Schedule.GrossUp] finds the amount that nets a target; [Summary] folds
// sales and refunds into the merchant's totals per day and channel,
// terminal and fee component.
//
// Errors read "fees: what: detail" and wrap one of the package's sentinel
// errors ([ErrInvalid], [ErrRate], [ErrAmount] ...); test them with
// errors.Is. Schedule errors are [*ValidationError] values naming the rule
// and the field.
package fees
