package receipt

// groupNet is the net of one card group: sales and completions less voids
// and refunds, over the count of all four.
type groupNet struct {
	used   bool
	n, net int64
}

// nets returns the net of each card group of t.
func nets(t *sums) (out [numGroups]groupNet) {
	for g := range t {
		for k, v := range t[g] {
			if Kind(k) == BalanceInquiry || v.n == 0 && v.a == 0 {
				continue
			}
			out[g].used = true
			switch Kind(k) {
			case Sale, Completion:
				out[g].net += v.a
				out[g].n += v.n
			case Void, Refund:
				out[g].net -= v.a
				out[g].n += v.n
			}
		}
	}
	return out
}

// listed reports whether a settlement lists the totals of kind k: every
// kind but balance inquiries, which move no money. Pre-authorisations and
// transfers are listed but not netted: neither pays the merchant.
func listed(k Kind) bool { return k != BalanceInquiry }

// table is the column layout of the settlement rows: three columns (kind,
// count, amount) when the widest count and amount leave room for the kind,
// else two lines a row (kind and count, then the amount alone).
type table struct {
	kindW, countW, amountW int
	stacked                bool
}

func minorWidth(v int64, d uint8, neg bool) int {
	var buf [32]byte
	return len(appendMinor(buf[:0], v, d, neg))
}

func countWidth(n int64) int {
	var buf [24]byte
	return len(appendUint(buf[:0], uint64(n)))
}

// layoutTable sizes the columns for the widest count and amount printed.
func (w *writer) layoutTable(t *sums, ns *[numGroups]groupNet) table {
	cw, aw := 1, 1
	var gn, ga int64
	for g := range t {
		if !ns[g].used {
			continue
		}
		for k := Sale; k < numKinds; k++ {
			if !listed(k) {
				continue
			}
			v := t[g][k]
			cw = max(cw, countWidth(v.n))
			aw = max(aw, minorWidth(v.a, w.digits, k == Void || k == Refund))
		}
		cw = max(cw, countWidth(ns[g].n))
		aw = max(aw, minorWidth(ns[g].net, w.digits, false))
		gn += ns[g].n
		ga += ns[g].net
	}
	cw = max(cw, countWidth(gn))
	aw = max(aw, minorWidth(ga, w.digits, false))
	cols := w.p.cols
	tb := table{countW: max(7, cw), amountW: max(min(cols-21, 14), 3, aw)}
	tb.kindW = cols - tb.countW - tb.amountW - 2
	if tb.kindW < 6 {
		tb = table{countW: cw, amountW: aw, kindW: cols - cw - 1, stacked: true}
	}
	return tb
}

// trow prints one settlement row: a label, a count and an amount.
func (w *writer) trow(tb *table, l, n, a seg, st uint8) {
	if !tb.stacked || w.mode == modeHTML {
		w.row([3]cell{{l, tb.kindW, left}, {n, tb.countW, right}, {a, tb.amountW, right}}, st)
		return
	}
	w.row([3]cell{{l, tb.kindW, left}, {n, tb.countW, right}, {nothing, 0, right}}, st)
	w.text(right, st, a)
}

// settlement prints a settlement slip from the sums of its totals.
func (w *writer) settlement(s *SettlementSlip, t *sums) {
	w.title(KeySettleTitle)
	if s.Reprint {
		w.text(centre, sBold, w.key(KeyReprint, false))
	}
	w.rule()
	w.merchant(&s.Merchant)
	w.pair(w.key(KeyAcquirer, true), src(s.Acquirer), nothing, 0)
	w.pair(w.key(KeyBatch, true), id(s.Batch), nothing, 0)
	var buf, nb [32]byte
	if !s.Time.IsZero() {
		w.pair(w.key(KeyDateTime, true), raw(appendTime(buf[:0], s.Time)), nothing, 0)
	}
	w.pair(w.key(KeyCurrency, true), id(s.Currency.Code), nothing, 0)
	w.rule()
	ns := nets(t)
	tb := w.layoutTable(t, &ns)
	d := w.digits
	var grandN, grand int64
	for g := range t {
		if !ns[g].used {
			continue
		}
		w.text(left, sBold, w.key(groupKeys[g], false))
		w.trow(&tb, w.key(KeyType, false), w.key(KeyCount, false), w.key(KeyAmount, false), 0)
		for k := Sale; k < numKinds; k++ {
			if v := t[g][k]; listed(k) && (v.n != 0 || v.a != 0) {
				w.trow(&tb, w.key(kindKeys[k], false), raw(appendUint(nb[:0], uint64(v.n))),
					raw(appendMinor(buf[:0], v.a, d, k == Void || k == Refund)), 0)
			}
		}
		w.trow(&tb, w.key(KeyNet, false), raw(appendUint(nb[:0], uint64(ns[g].n))), raw(appendMinor(buf[:0], ns[g].net, d, false)), sBold)
		w.rule()
		grandN += ns[g].n
		grand += ns[g].net
	}
	w.trow(&tb, w.key(KeyGrandTotal, false), raw(appendUint(nb[:0], uint64(grandN))), raw(appendMinor(buf[:0], grand, d, false)), sBold|sTall)
	for _, f := range s.Footer {
		w.text(centre, 0, src(f))
	}
}
