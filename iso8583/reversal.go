package iso8583

import (
	"fmt"
	"strings"
)

// Reversal reasons (field 39 of a reversal or reversal advice).
const (
	ReasonNoResponse    = "98" // the answer did not arrive in time
	ReasonTerminalError = "06" // the answer arrived but could not be used
)

// Reversal builds a reversal (冲正, 0400) of a request whose answer did not
// arrive or could not be used. reason goes in field 39: ReasonNoResponse
// (also when reason is "") or ReasonTerminalError.
//
// A reversal repeats the card (2, 14, 23), the transaction (3, 4, 22, 25,
// 38 if any, 49, 55, the accounts 102 and 103 of a transfer) and the
// acceptor (32, 41, 42); never the PIN (26, 52,
// 53) or track data (35, 36). UnionPay keeps the original's STAN (11) with
// 60 and 61; ISO87 takes a new STAN and transmission time, and field 90
// names the original: MTI (4), STAN (6), transmission date and time (10),
// acquirer ID (11) and forwarding institution ID (11), right aligned with
// zeros. Repeat it with RepeatReversal. Errors: ErrMTI when orig is not a
// 01xx or 02xx request, ErrOriginal when it has no STAN.
func (t *Terminal) Reversal(orig *Transaction, reason string) (*Transaction, error) {
	if reason == "" {
		reason = ReasonNoResponse
	}
	return t.reversal("0400", orig, nil, reason)
}

// ReversalAdvice builds an acquirer reversal advice (0420): the terminal
// tells the host that a transaction the host approved is cancelled (the
// card refused the host's answer, the receipt could not be printed) and
// does not ask for approval. Its fields are those of Reversal, with the
// RRN (37) and authorisation code (38) of resp when resp is not nil;
// reason "" means ReasonTerminalError. The host answers 0430 (NewResponse);
// repeat it with Transaction.AsRepeat (0421).
func (t *Terminal) ReversalAdvice(orig, resp *Transaction, reason string) (*Transaction, error) {
	if reason == "" {
		reason = ReasonTerminalError
	}
	return t.reversal("0420", orig, resp, reason)
}

// RepeatReversal returns the repeat (0401) of a reversal built by
// Reversal: the same message with MTI 0401, which the host treats as a
// duplicate when it has seen the first. A reversal advice repeats with
// AsRepeat. Errors: ErrMTI when rv is not a 0400.
func (t *Terminal) RepeatReversal(rv *Transaction) (*Transaction, error) {
	if rv == nil || rv.MTI != "0400" {
		return nil, fmt.Errorf("%w: a reversal repeat needs a 0400", ErrMTI)
	}
	return rv.AsRepeat()
}

// AsRepeat returns a copy of t as a repeat: the last digit of the MTI
// goes from 0 to 1 (0220 to 0221, 0400 to 0401, 0420 to 0421) and every
// field stays, the STAN included, so the host can recognise a duplicate.
// Sign the copy again: its MAC covers the new MTI. Errors: ErrMTI when t
// is not an advice (xx20) or a reversal (0400) from the acquirer.
func (t *Transaction) AsRepeat() (*Transaction, error) {
	if t == nil || len(t.MTI) != 4 || t.MTI[3] != '0' || (t.MTI[2] != '2' && t.MTI[:3] != "040") {
		return nil, fmt.Errorf("%w: only an advice or a reversal is repeated", ErrMTI)
	}
	c := t.Clone()
	c.MTI = t.MTI[:3] + "1"
	return c, nil
}

// IsRepeat reports whether the MTI of t marks a repeat (last digit 1 or
// 3: 0221, 0401, 0421...).
func (t *Transaction) IsRepeat() bool {
	return len(t.MTI) == 4 && (t.MTI[3] == '1' || t.MTI[3] == '3')
}

// Clone returns a deep copy of t: no slice or sub-field is shared.
func (t *Transaction) Clone() *Transaction {
	c := *t
	c.PINBlock = cloneBytes(t.PINBlock)
	c.ICC = cloneBytes(t.ICC)
	c.F62 = cloneBytes(t.F62)
	c.MAC = cloneBytes(t.MAC)
	if t.F60 != nil {
		f := *t.F60
		c.F60 = &f
	}
	if t.F61 != nil {
		f := *t.F61
		c.F61 = &f
	}
	if t.F63 != nil {
		f := *t.F63
		c.F63 = &f
	}
	return &c
}

func cloneBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// reversal builds a 0400 or 0420 of orig (see Reversal).
func (t *Terminal) reversal(mti string, orig, resp *Transaction, reason string) (*Transaction, error) {
	if orig == nil || len(orig.MTI) != 4 || (orig.MTI[:2] != "01" && orig.MTI[:2] != "02") {
		return nil, fmt.Errorf("%w: only a 01xx or 02xx request is reversed", ErrMTI)
	}
	if orig.STAN == "" {
		return nil, fmt.Errorf("%w: no STAN", ErrOriginal)
	}
	rv := &Transaction{
		MTI:            mti,
		PAN:            orig.PAN,
		ProcessingCode: orig.ProcessingCode,
		Amount:         orig.Amount,
		STAN:           orig.STAN,
		Expiry:         orig.Expiry,
		EntryMode:      orig.EntryMode,
		CardSequence:   orig.CardSequence,
		ConditionCode:  orig.ConditionCode,
		AcquirerID:     orig.AcquirerID,
		AuthCode:       orig.AuthCode,
		ResponseCode:   reason,
		TerminalID:     orig.TerminalID,
		MerchantID:     orig.MerchantID,
		Currency:       orig.Currency,
		ICC:            cloneBytes(orig.ICC),
		AccountID1:     orig.AccountID1,
		AccountID2:     orig.AccountID2,
	}
	if resp != nil {
		rv.RRN = resp.RRN
		if resp.AuthCode != "" {
			rv.AuthCode = resp.AuthCode
		}
	}
	if rv.PAN == "" && orig.Track2 != "" {
		rv.PAN = panOfTrack(orig.Track2)
	}
	if t.dialect() == UnionPay {
		if orig.F60 != nil {
			f := *orig.F60
			rv.F60 = &f
		}
		if orig.F61 != nil {
			f := *orig.F61
			rv.F61 = &f
		}
		return rv, nil
	}
	if t.STAN == nil {
		return nil, ErrTerminal
	}
	now := t.now()
	rv.STAN = t.STAN.Next()
	rv.TransmissionTime = transmissionTime(now)
	rv.LocalTime, rv.LocalDate = now.Format("150405"), now.Format("0102")
	od, err := originalData(orig)
	if err != nil {
		return nil, err
	}
	rv.OriginalData = od
	return rv, nil
}

// originalData is ISO 8583:1987 field 90 naming orig: MTI, STAN,
// transmission date and time, acquirer ID and a zero forwarding ID.
func originalData(orig *Transaction) (string, error) {
	ot := orig.TransmissionTime
	if len(ot) != 10 {
		ot = "0000000000"
	}
	acq := orig.AcquirerID
	if len(acq) > 11 || len(orig.STAN) != 6 {
		return "", fmt.Errorf("%w: STAN or acquirer ID too long for field 90", ErrOriginal)
	}
	return orig.MTI + orig.STAN + ot + strings.Repeat("0", 11-len(acq)) + acq + "00000000000", nil
}

// OriginalElements splits ISO 8583:1987 field 90 (n42) of t into the MTI,
// STAN and transmission date and time of the original, and the acquirer
// ID without its leading zeros. ok is false when field 90 is not 42
// digits.
func (t *Transaction) OriginalElements() (mti, stan, transmission, acquirer string, ok bool) {
	d := t.OriginalData
	if len(d) != 42 || !allDigits(d) {
		return "", "", "", "", false
	}
	return d[0:4], d[4:10], d[10:20], strings.TrimLeft(d[20:31], "0"), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i]-'0' > 9 {
			return false
		}
	}
	return true
}
