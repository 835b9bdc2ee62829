package receipt

import (
	"time"
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
func appendAmount(dst []byte, prefix string, d uint8, minor int64, neg bool) []byte {
	if prefix != "" {
		dst = append(dst, prefix...)
		dst = append(dst, ' ')
	}
	return appendMinor(dst, minor, d, neg)
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
// need encoding, e.g. "¥") and our digits; both are one token.
func amountSegs(buf []byte, c Currency, d uint8, minor int64, neg bool) (seg, seg) {
	p := c.prefix()
	if p != "" {
		buf = append(buf, ' ')
	}
	s := id(p)
	return s, raw(appendMinor(buf, minor, d, neg))
}

var nothing = seg{w: 0, key: numKeys}

// titleKey is the title of s: the transfer slip's own, or the sales
// slip's.
func (s *Slip) titleKey() Key {
	if s.Type == Transfer {
		return KeyTransferTitle
	}
	return KeyTitle
}

// slip prints a transaction slip, section by section.
func (w *writer) slip(s *Slip) {
	w.title(s.titleKey())
	w.text(centre, 0, w.key(copyKeys[s.Copy], false))
	if s.Reprint {
		w.text(centre, sBold, w.key(KeyReprint, false))
	}
	w.rule()
	w.merchant(&s.Merchant)
	w.rule()
	w.pair(w.key(KeyIssuer, true), src(s.Issuer), nothing, 0)
	w.pair(w.key(KeyAcquirer, true), src(s.Acquirer), nothing, 0)
	w.card(s)
	w.payee(s)
	w.transaction(s)
	w.rule()
	total := w.amounts(s)
	w.installment(s)
	w.dcc(s)
	w.chip(s.Chip)
	if len(s.Remarks) > 0 {
		w.rule()
		w.text(left, 0, w.key(KeyRemarks, true))
		for _, r := range s.Remarks {
			w.text(left, 0, src(r))
		}
	}
	w.verification(s, total)
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

func (w *writer) merchant(m *Merchant) {
	w.pair(w.key(KeyMerchantName, true), src(m.Name), nothing, 0)
	w.pair(w.key(KeyMerchantNo, true), id(m.Number), nothing, 0)
	w.pair(w.key(KeyTerminalNo, true), id(m.TerminalID), nothing, 0)
	w.pair(w.key(KeyOperator, true), id(m.Operator), nothing, 0)
}

// card prints the masked PAN and entry mode, the card's funding and, when
// the policy allows, its expiry.
func (w *writer) card(s *Slip) {
	if s.Card.PAN == "" {
		return
	}
	p := w.p
	var buf [24]byte
	b := AppendMaskedPAN(buf[:0], s.Card.PAN, p.policy.Mask, s.Copy)
	if s.Card.Entry != EntryUnknown {
		b = append(b, ' ', byte(s.Card.Entry))
	}
	label := KeyCardNo
	if s.Type == Transfer {
		label = KeyFromCard
	}
	w.pair(w.key(label, true), raw(b), nothing, sBold)
	if f := s.Card.Funding; f != FundingUnknown {
		w.pair(w.key(KeyCardType, true), w.key(fundingKeys[f], false), nothing, 0)
	}
	if e := s.Card.Expiry; p.policy.ShowExpiry && p.policy.Mask != MaskFACTA && validExpiry(e) {
		b = append(append(append(buf[:0], '2', '0'), e[:2]...), '/')
		w.pair(w.key(KeyExpiry, true), raw(append(b, e[2:]...)), nothing, 0)
	}
}

// payee prints the account a transfer credits, masked as the card is,
// then its bank and the payee's name.
func (w *writer) payee(s *Slip) {
	p := s.Payee
	if p == nil {
		return
	}
	var buf [maxAccount]byte
	w.pair(w.key(KeyToAccount, true), raw(AppendMaskedPAN(buf[:0], p.Account, w.p.policy.Mask, s.Copy)), nothing, sBold)
	w.pair(w.key(KeyPayeeBank, true), src(p.Bank), nothing, 0)
	w.pair(w.key(KeyPayee, true), src(p.Name), nothing, 0)
}

// transaction prints the kind, the references and the time.
func (w *writer) transaction(s *Slip) {
	w.pair(w.key(KeyTransType, true), w.key(kindKeys[s.Type], false), nothing, sBold)
	w.pair(w.key(KeyBatch, true), id(s.Batch), nothing, 0)
	w.pair(w.key(KeyVoucher, true), id(s.Voucher), nothing, 0)
	w.pair(w.key(KeyAuthCode, true), id(s.AuthCode), nothing, 0)
	w.pair(w.key(KeyRRN, true), id(s.RRN), nothing, 0)
	if !s.Time.IsZero() {
		var buf [24]byte
		w.pair(w.key(KeyDateTime, true), raw(appendTime(buf[:0], s.Time)), nothing, 0)
	}
	w.pair(w.key(KeyOrigVoucher, true), id(s.OrigVoucher), nothing, 0)
	if s.QR != nil {
		w.pair(w.key(KeyWallet, true), src(s.QR.Wallet), nothing, 0)
		w.pair(w.key(KeyOrderNo, true), id(s.QR.OrderNumber), nothing, 0)
	}
}

// amounts prints the amount, tip, fee and total, and returns the total.
func (w *writer) amounts(s *Slip) int64 {
	var buf [48]byte
	c, d := s.Amount.Currency, w.digits
	neg := s.Type == Void || s.Type == Refund
	amountKey := KeyAmount
	if s.Type == BalanceInquiry {
		amountKey = KeyBalance
	}
	a1, a2 := amountSegs(buf[:0], c, d, s.Amount.Minor, neg)
	w.pair(w.key(amountKey, true), a1, a2, sBold|sTall)
	total := s.Amount.Minor + s.Tip + s.Fee
	if s.Tip > 0 {
		a1, a2 = amountSegs(buf[:0], c, d, s.Tip, neg)
		w.pair(w.key(KeyTip, true), a1, a2, 0)
	}
	if s.Fee > 0 {
		a1, a2 = amountSegs(buf[:0], c, d, s.Fee, neg)
		w.pair(w.key(KeyFee, true), a1, a2, 0)
	}
	if s.Tip > 0 || s.Fee > 0 {
		a1, a2 = amountSegs(buf[:0], c, d, total, neg)
		w.pair(w.key(KeyTotal, true), a1, a2, sBold|sTall)
	}
	return total
}

// installment prints the instalment plan.
func (w *writer) installment(s *Slip) {
	in := s.Installment
	if in == nil {
		return
	}
	var buf [48]byte
	c, d := s.Amount.Currency, w.digits
	w.pair(w.key(KeyInstallments, true), raw(appendUint(buf[:0], uint64(in.Periods))), nothing, sBold)
	for _, v := range [...]struct {
		k Key
		a int64
	}{{KeyFirstPayment, in.First}, {KeyEachPayment, in.Each}, {KeyInstallmentFee, in.Fee}} {
		if v.a > 0 {
			a1, a2 := amountSegs(buf[:0], c, d, v.a, false)
			w.pair(w.key(v.k, true), a1, a2, 0)
		}
	}
}

// dcc prints the currency conversion disclosure: the rate as "1 CNY =
// 0.138912 USD", the markup, the reference rate, the cardholder's amount
// and the statement of choice.
func (w *writer) dcc(s *Slip) {
	x := s.DCC
	if x == nil {
		return
	}
	var buf [48]byte
	b := append(buf[:0], '1', ' ')
	b = append(b, s.Amount.Currency.Code...)
	b = append(b, " = "...)
	b = append(b, x.Rate...)
	b = append(b, ' ')
	b = append(b, x.Amount.Currency.Code...)
	w.pair(w.key(KeyDCCRate, true), raw(b), nothing, 0)
	w.pair(w.key(KeyDCCMarkup, true), raw(append(append(buf[:0], x.Markup...), '%')), nothing, 0)
	w.pair(w.key(KeyDCCReference, true), src(x.Reference), nothing, 0)
	d, _ := x.Amount.Currency.digits()
	a1, a2 := amountSegs(buf[:0], x.Amount.Currency, d, x.Amount.Minor, s.Type == Void || s.Type == Refund)
	w.pair(w.key(KeyDCCAmount, true), a1, a2, sBold)
	w.text(left, 0, w.key(KeyDCCNotice, false))
}

// chip prints the EMV data of a chip or contactless slip.
func (w *writer) chip(c *Chip) {
	if c.empty() {
		return
	}
	w.rule()
	w.pair(w.key(KeyAID, true), id(c.AID), nothing, 0)
	w.pair(w.key(KeyAppLabel, true), src(c.Label), nothing, 0)
	w.pair(w.key(KeyTVR, true), id(c.TVR), nothing, 0)
	w.pair(w.key(KeyTSI, true), id(c.TSI), nothing, 0)
	w.pair(w.key(KeyATC, true), id(c.ATC), nothing, 0)
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
	w.pair(raw(append(b, ':')), id(c.Cryptogram), nothing, 0)
}

// noSignature reports whether s prints "no signature required" in place of
// the signature line: only a sale (消费) paid with no CVM or a signature
// CVM whose total is at most Policy.NoSignatureLimit. A void, refund,
// pre-authorisation, completion or transfer is never exempt.
func (w *writer) noSignature(s *Slip, total int64) bool {
	lim := w.p.policy.NoSignatureLimit
	return s.Type == Sale && (s.CVM == CVMSignature || s.CVM == CVMNone) && lim > 0 && total <= lim
}

// verification prints the cardholder verification block of a card
// payment (not a balance inquiry): the CVM performed, then "no signature
// required" (see noSignature), or else a signature line on the merchant
// and bank copies when the CVM was a signature or none, or the slip is a
// transfer; then the acknowledgement.
//
// A transfer moves the cardholder's money to someone else at the
// cardholder's request, and the merchant copy is the proof that the
// cardholder asked for it. No scheme rule text was found; the published
// step-by-step POS transfer guides (e.g. bailuhe.cn/posbanlizhongxin/11743.html,
// huhehaotepos.com/post/14205.html) have the transferring cardholder enter
// the PIN and then sign the slip. So a transfer's merchant and bank copies
// always carry the signature line, whatever the CVM, and are never "no
// signature required": the stricter reading, which a PIN does not relax.
func (w *writer) verification(s *Slip, total int64) {
	if s.Type == BalanceInquiry || s.QR != nil || s.Card.PAN == "" {
		return
	}
	w.rule()
	switch s.CVM {
	case CVMPIN:
		w.text(left, sBold, w.key(KeyPINVerified, false))
	case CVMNone:
		w.text(left, 0, w.key(KeyNoCVM, false))
	}
	sign := s.CVM == CVMSignature || s.CVM == CVMNone || s.Type == Transfer
	switch {
	case w.noSignature(s, total):
		w.text(left, sBold, w.key(KeyNoSignature, false))
	case sign && s.Copy != CardholderCopy:
		w.signature()
	}
	if s.Type == Transfer {
		w.text(left, 0, w.key(KeyTransferAuth, false))
		return
	}
	w.text(left, 0, w.key(KeyAcknowledge, false))
}
