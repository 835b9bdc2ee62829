package receipt

import (
	"time"

	"github.com/poskit/poskit/internal/digits"
)

// appendMinor appends a signed amount of minor units with d decimals.
func appendMinor(dst []byte, minor int64, d uint8, neg bool) []byte {
	u := uint64(minor)
	if minor < 0 {
		u = -u
		neg = !neg
	}
	if neg && u != 0 {
		dst = append(dst, '-')
	}
	var tmp [24]byte
	i := len(tmp)
	for k := 0; u > 0 || k <= int(d); k++ {
		if k == int(d) && d > 0 {
			i--
			tmp[i] = '.'
		}
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
	}
	return append(dst, tmp[i:]...)
}

// appendAmount formats an amount as printed: "RMB 12.34".
func appendAmount(dst []byte, c Currency, minor int64, neg bool) []byte {
	if p := c.prefix(); p != "" {
		dst = append(dst, p...)
		dst = append(dst, ' ')
	}
	return appendMinor(dst, minor, c.Digits, neg)
}

func appendUint(dst []byte, u uint64) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	return append(dst, tmp[i:]...)
}

func append2(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/10%10), byte('0'+v%10))
}

// appendTime formats t as "2006/01/02 15:04:05".
func appendTime(dst []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	if y < 0 || y > 9999 {
		y = 0
	}
	dst = append2(dst, y/100)
	dst = append2(dst, y%100)
	dst = append(dst, '/')
	dst = append2(dst, int(mo))
	dst = append(dst, '/')
	dst = append2(dst, d)
	dst = append(dst, ' ')
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, mi)
	dst = append(dst, ':')
	return append2(dst, s)
}

// amountSegs splits an amount into the caller's currency prefix (which may
// need encoding, e.g. "¥") and our digits.
func amountSegs(buf []byte, c Currency, minor int64, neg bool) (seg, seg) {
	p := c.prefix()
	if p != "" {
		buf = append(buf, ' ')
	}
	return src(p), raw(appendMinor(buf, minor, c.Digits, neg))
}

var nothing = seg{w: 0}

func (w *writer) slip(s *Slip) {
	p := w.p
	w.text(centre, sBold|sTall|sWide, w.key(KeyTitle, false))
	w.text(centre, 0, w.key(copyKeys[s.Copy], false))
	if s.Reprint {
		w.text(centre, sBold, w.key(KeyReprint, false))
	}
	w.rule()
	w.pair(w.key(KeyMerchantName, true), src(s.Merchant.Name), nothing, 0)
	w.pair(w.key(KeyMerchantNo, true), src(s.Merchant.Number), nothing, 0)
	w.pair(w.key(KeyTerminalNo, true), src(s.Merchant.TerminalID), nothing, 0)
	w.pair(w.key(KeyOperator, true), src(s.Merchant.Operator), nothing, 0)
	w.rule()
	w.pair(w.key(KeyIssuer, true), src(s.Issuer), nothing, 0)
	w.pair(w.key(KeyAcquirer, true), src(s.Acquirer), nothing, 0)
	var buf [48]byte
	if s.Card.PAN != "" {
		b := AppendMaskedPAN(buf[:0], s.Card.PAN, p.policy.Mask, s.Copy)
		if s.Card.Entry != EntryUnknown {
			b = append(b, ' ', byte(s.Card.Entry))
		}
		w.pair(w.key(KeyCardNo, true), raw(b), nothing, sBold)
		if e := s.Card.Expiry; p.policy.ShowExpiry && p.policy.Mask != MaskFACTA && len(e) == 4 && digits.Valid(e) {
			b = append(append(append(buf[:0], '2', '0'), e[:2]...), '/')
			w.pair(w.key(KeyExpiry, true), raw(append(b, e[2:]...)), nothing, 0)
		}
	}
	w.pair(w.key(KeyTransType, true), w.key(typeKeys[s.Type], false), nothing, sBold)
	w.pair(w.key(KeyBatch, true), src(s.Batch), nothing, 0)
	w.pair(w.key(KeyVoucher, true), src(s.Voucher), nothing, 0)
	w.pair(w.key(KeyAuthCode, true), src(s.AuthCode), nothing, 0)
	w.pair(w.key(KeyRRN, true), src(s.RRN), nothing, 0)
	if !s.Time.IsZero() {
		w.pair(w.key(KeyDateTime, true), raw(appendTime(buf[:0], s.Time)), nothing, 0)
	}
	w.pair(w.key(KeyOrigVoucher, true), src(s.OrigVoucher), nothing, 0)
	if s.QR != nil {
		w.pair(w.key(KeyWallet, true), src(s.QR.Wallet), nothing, 0)
		w.pair(w.key(KeyOrderNo, true), src(s.QR.OrderNumber), nothing, 0)
	}
	w.rule()
	neg := s.Type == Void || s.Type == Refund
	amountKey := KeyAmount
	if s.Type == BalanceInquiry {
		amountKey = KeyBalance
	}
	a1, a2 := amountSegs(buf[:0], s.Amount.Currency, s.Amount.Minor, neg)
	w.pair(w.key(amountKey, true), a1, a2, sBold|sTall)
	total := s.Amount.Minor + s.Tip
	if s.Tip > 0 {
		a1, a2 = amountSegs(buf[:0], s.Amount.Currency, s.Tip, neg)
		w.pair(w.key(KeyTip, true), a1, a2, 0)
		a1, a2 = amountSegs(buf[:0], s.Amount.Currency, total, neg)
		w.pair(w.key(KeyTotal, true), a1, a2, sBold|sTall)
	}
	if c := s.Chip; !c.empty() {
		w.rule()
		w.pair(w.key(KeyAID, true), src(c.AID), nothing, 0)
		w.pair(w.key(KeyAppLabel, true), src(c.Label), nothing, 0)
		w.pair(w.key(KeyTVR, true), src(c.TVR), nothing, 0)
		w.pair(w.key(KeyTSI, true), src(c.TSI), nothing, 0)
		w.pair(w.key(KeyATC, true), src(c.ATC), nothing, 0)
		var lb [16]byte
		b := lb[:0]
		for i := 0; i < len(c.CryptogramType) && len(b) < 8; i++ {
			if ch := c.CryptogramType[i]; ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' {
				b = append(b, ch)
			}
		}
		if len(b) == 0 {
			b = append(b, 'A', 'C')
		}
		w.pair(raw(append(b, ':')), src(c.Cryptogram), nothing, 0)
	}
	if len(s.Remarks) > 0 {
		w.rule()
		w.text(left, 0, w.key(KeyRemarks, true))
		for _, r := range s.Remarks {
			w.text(left, 0, src(r))
		}
	}
	if s.Type != BalanceInquiry && s.QR == nil && s.Card.PAN != "" {
		w.rule()
		switch s.CVM {
		case CVMPIN:
			w.text(left, sBold, w.key(KeyPINVerified, false))
		case CVMNone:
			w.text(left, 0, w.key(KeyNoCVM, false))
		}
		if s.CVM == CVMSignature || s.CVM == CVMNone {
			if lim := p.policy.NoSignatureLimit; lim > 0 && total <= lim {
				w.text(left, sBold, w.key(KeyNoSignature, false))
			} else if s.Copy != CardholderCopy {
				w.signature()
			}
		}
		w.text(left, 0, w.key(KeyAcknowledge, false))
	}
	if s.QRCode != "" || s.Barcode != "" {
		w.blank(1)
		w.qr(s.QRCode)
		w.barcode(s.Barcode)
	}
	if s.Reprint && len(s.Footer) > 0 {
		w.text(centre, sBold, w.key(KeyReprint, false))
	}
	for _, f := range s.Footer {
		w.text(centre, 0, src(f))
	}
}

func (w *writer) settlement(s *Settlement) {
	w.text(centre, sBold|sTall|sWide, w.key(KeySettleTitle, false))
	if s.Reprint {
		w.text(centre, sBold, w.key(KeyReprint, false))
	}
	w.rule()
	w.pair(w.key(KeyMerchantName, true), src(s.Merchant.Name), nothing, 0)
	w.pair(w.key(KeyMerchantNo, true), src(s.Merchant.Number), nothing, 0)
	w.pair(w.key(KeyTerminalNo, true), src(s.Merchant.TerminalID), nothing, 0)
	w.pair(w.key(KeyOperator, true), src(s.Merchant.Operator), nothing, 0)
	w.pair(w.key(KeyAcquirer, true), src(s.Acquirer), nothing, 0)
	w.pair(w.key(KeyBatch, true), src(s.Batch), nothing, 0)
	var buf, nb [32]byte
	if !s.Time.IsZero() {
		w.pair(w.key(KeyDateTime, true), raw(appendTime(buf[:0], s.Time)), nothing, 0)
	}
	cur := s.Currency
	w.pair(w.key(KeyCurrency, true), src(cur.Code), nothing, 0)
	w.rule()

	cols := w.p.cols
	amountW := cols - 21
	if amountW > 14 {
		amountW = 14
	}
	if amountW < 3 {
		amountW = 3
	}
	countW := 7
	typeW := cols - countW - amountW - 2
	head := [3]cell{{w.key(KeyType, false), typeW, left}, {w.key(KeyCount, false), countW, right}, {w.key(KeyAmount, false), amountW, right}}
	var grandN, grand int64
	for ch := Channel(0); ch < numChannels; ch++ {
		var sums [numTxnTypes]struct{ n, a int64 }
		any := false
		for _, t := range s.Totals {
			if t.Channel == ch && t.Type != BalanceInquiry {
				sums[t.Type].n += t.Count
				sums[t.Type].a += t.Amount
				any = true
			}
		}
		if !any {
			continue
		}
		w.text(left, sBold, w.key(channelKeys[ch], false))
		w.row(head, 0)
		var netN, net int64
		for t := TxnType(0); t < BalanceInquiry; t++ {
			v := sums[t]
			if v.n == 0 && v.a == 0 {
				continue
			}
			neg := false
			switch t {
			case Sale, Completion:
				net += v.a
				netN += v.n
			case Void, Refund:
				net -= v.a
				netN += v.n
				neg = true
			}
			w.row([3]cell{
				{w.key(typeKeys[t], false), typeW, left},
				{raw(appendUint(nb[:0], uint64(v.n))), countW, right},
				{raw(appendMinor(buf[:0], v.a, cur.Digits, neg)), amountW, right},
			}, 0)
		}
		w.row([3]cell{
			{w.key(KeyNet, false), typeW, left},
			{raw(appendUint(nb[:0], uint64(netN))), countW, right},
			{raw(appendMinor(buf[:0], net, cur.Digits, false)), amountW, right},
		}, sBold)
		w.rule()
		grandN += netN
		grand += net
	}
	w.row([3]cell{
		{w.key(KeyGrandTotal, false), typeW, left},
		{raw(appendUint(nb[:0], uint64(grandN))), countW, right},
		{raw(appendMinor(buf[:0], grand, cur.Digits, false)), amountW, right},
	}, sBold|sTall)
	for _, f := range s.Footer {
		w.text(centre, 0, src(f))
	}
}
