package terminal

import "github.com/poskit/poskit/iso8583"

// isTransfer reports whether k is a transfer.
func isTransfer(k iso8583.Kind) bool { return k == iso8583.KindTransfer }

// Transfer runs a card-to-card transfer (转账) of amount minor units from
// card c to the card or account number to, online (Request with
// Terminal.Transfer): a reversal record before it leaves, the hot-card
// check of the paying card, an operator on a POS with an operator table.
// An approved transfer is booked in the journal with Kind
// iso8583.KindTransfer and counts in the settlement totals as a debit.
func (p *POS) Transfer(c iso8583.Card, amount int64, to string, opts ...RequestOption) Outcome {
	return p.Request(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Transfer(c, amount, to) }, opts...)
}
