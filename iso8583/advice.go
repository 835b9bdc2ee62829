package iso8583

import "fmt"

// Advice builds a financial advice (0220) reporting req, a request the
// terminal completed without an online answer (a chip card's offline
// approval, a UnionPay offline sale, 60.1 TxnTypeOfflineSale). The host
// answers 0230 (NewResponse); Transaction.AsRepeat gives the repeat, 0221.
// It carries the card (2, from track 2 when req has no field 2; 14, 23),
// the transaction (3, 4, 12, 13, 22, 25, 49, 55), the acceptor (32, 41,
// 42), the STAN of req and authCode in 38 when not empty; never the PIN
// (26, 52, 53) or track data (35, 36). UnionPay keeps 60 and 61 of req;
// ISO87 adds a transmission time (7) and response code "00" (39). Errors:
// ErrMTI when req is not a 01x0 or 02x0 request, ErrOriginal when it has
// no STAN or amount.
func (t *Terminal) Advice(req *Transaction, authCode string) (*Transaction, error) {
	if req == nil || len(req.MTI) != 4 || (req.MTI[:2] != "01" && req.MTI[:2] != "02") || req.MTI[2] != '0' {
		return nil, fmt.Errorf("%w: an advice reports a 01x0 or 02x0 request", ErrMTI)
	}
	if req.STAN == "" || req.Amount == "" {
		return nil, fmt.Errorf("%w: no STAN or amount", ErrOriginal)
	}
	a := &Transaction{
		MTI:            "0220",
		PAN:            req.PAN,
		ProcessingCode: req.ProcessingCode,
		Amount:         req.Amount,
		STAN:           req.STAN,
		LocalTime:      req.LocalTime,
		LocalDate:      req.LocalDate,
		Expiry:         req.Expiry,
		EntryMode:      req.EntryMode,
		CardSequence:   req.CardSequence,
		ConditionCode:  req.ConditionCode,
		AcquirerID:     req.AcquirerID,
		RRN:            req.RRN,
		AuthCode:       authCode,
		TerminalID:     req.TerminalID,
		MerchantID:     req.MerchantID,
		Currency:       req.Currency,
		ICC:            cloneBytes(req.ICC),
	}
	if a.PAN == "" {
		a.PAN = panOfTrack(req.Track2)
	}
	if t.dialect() == UnionPay {
		if req.F60 != nil {
			f := *req.F60
			a.F60 = &f
		}
		if req.F61 != nil {
			f := *req.F61
			a.F61 = &f
		}
		return a, nil
	}
	a.TransmissionTime = transmissionTime(t.now())
	a.ResponseCode = "00"
	return a, nil
}

// IsAdvice reports whether the MTI of t is an advice or its answer
// (xx20 to xx31: 0220, 0221, 0230, 0420, 0421, 0430...).
func (t *Transaction) IsAdvice() bool {
	return len(t.MTI) == 4 && (t.MTI[2] == '2' || t.MTI[2] == '3')
}
