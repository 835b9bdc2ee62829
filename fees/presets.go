package fees

// China's 2016 bank-card fee reform (NDRC/PBoC notice 发改价格〔2016〕557号,
// in force 6 September 2016) set the issuer fee at no more than 0.35% of
// the amount for debit cards, capped at 13 CNY per transaction, and no more
// than 0.45% for credit cards, uncapped; and the network (clearing) fee at
// no more than 0.0325% on each side, capped at 3.25 CNY per transaction,
// charged to the issuer and to the acquirer alike. The acquirer's own
// service fee was left to the market.
var (
	China2016IssuerDebit  = Pricing{Rate: 350_000, Cap: 1300} // 0.35%, capped at 13.00 CNY
	China2016IssuerCredit = Pricing{Rate: 450_000}            // 0.45%
	China2016Network      = Pricing{Rate: 32_500, Cap: 325}   // 0.0325%, capped at 3.25 CNY, each side
)

// China2016 returns a CNY schedule of card payments broken down as
// Interchange++ after the 2016 reform: the issuer fee, the network fee of
// the acquiring side and the acquirer's markup at the given rate. (The
// issuer pays the same network fee again on its side; it is not part of
// the merchant's fee and so not a line here.) Rules: "debit" and "credit"
// for card channels; prepaid cards and QR payments match no rule. Refund
// policy: the defaults.
func China2016(acquirer Rate) Config {
	markup := Part{Name: "acquirer", Component: ComponentAcquirer, Pricing: Pricing{Rate: acquirer}}
	network := Part{Name: "network", Component: ComponentNetwork, Pricing: China2016Network}
	return Config{
		Name:     "China 2016 card fee reform",
		Currency: CNY,
		Rules: []Rule{
			{
				Name: "debit",
				When: Match{Channels: CardChannels, Funding: SetOf(Debit)},
				Parts: []Part{
					{Name: "issuer", Component: ComponentIssuer, Pricing: China2016IssuerDebit},
					network, markup,
				},
			},
			{
				Name: "credit",
				When: Match{Channels: CardChannels, Funding: SetOf(Credit)},
				Parts: []Part{
					{Name: "issuer", Component: ComponentIssuer, Pricing: China2016IssuerCredit},
					network, markup,
				},
			},
		},
	}
}

// Flat retail rates common in China: 0.6% for a card payment by swipe or
// chip, 0.38% for contactless (QuickPass) and QR wallet payments.
const (
	FlatRetailCard Rate = 600_000 // 0.6%
	FlatRetailQR   Rate = 380_000 // 0.38%
)

// FlatRetail returns the flat retail schedule in currency c: rule
// "contactless-qr" (contactless and the QR wallets) at 0.38%, then rule
// "card" (swipe and chip) at 0.6%, both rounded half-up.
func FlatRetail(c Currency) Config {
	return Config{
		Name:     "flat retail",
		Currency: c,
		Rules: []Rule{
			{
				Name:    "contactless-qr",
				When:    Match{Channels: QRChannels | SetOf(ChannelContactless)},
				Pricing: Pricing{Rate: FlatRetailQR},
			},
			{
				Name:    "card",
				When:    Match{Channels: SetOf(ChannelSwipe, ChannelChip)},
				Pricing: Pricing{Rate: FlatRetailCard},
			},
		},
	}
}

// InstantPayout returns the surcharge for instant (D0 or T0) payout of
// payments of at least 11 units of c (11.00 CNY), between 00:00 and 23:00
// local time, priced by p. Append it to the Surcharges of each rule whose
// channels it applies to (card or QR alike); it returns false if c has no
// minor unit.
func InstantPayout(c Currency, p Pricing) (Surcharge, bool) {
	d, ok := c.MinorUnits()
	if !ok {
		return Surcharge{}, false
	}
	return Surcharge{
		Name: "instant",
		When: Match{
			Payout:    SetOf(D0, T0),
			MinAmount: 11 * pow10[d],
			Window:    Window{From: Clock(0, 0, 0), To: Clock(23, 0, 0)},
		},
		Pricing: p,
	}, true
}

// InstantSettlement is the old name of [InstantPayout], and returns the
// same surcharge.
//
// Deprecated: use InstantPayout.
func InstantSettlement(c Currency, p Pricing) (Surcharge, bool) { return InstantPayout(c, p) }

// CrossBorderMarkup returns a surcharge of rate on cross-border
// transactions (a foreign card), as line "cross-border" of component
// ComponentMarkup. Append it to the rules it applies to.
func CrossBorderMarkup(rate Rate) Surcharge {
	return Surcharge{
		Name:      "cross-border",
		Component: ComponentMarkup,
		When:      Match{Region: CrossBorder},
		Pricing:   Pricing{Rate: rate},
	}
}
