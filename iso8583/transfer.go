package iso8583

import (
	"fmt"

	"github.com/poskit/poskit/internal/digits"
)

// Transfer builds a card-to-card transfer (转账) of amount minor units from
// the card c to the card or account number to (12 to 19 digits): 0200,
// processing code ProcTransfer (400000), condition 00. It takes the online
// path of a sale (a reversal when the answer is lost) and Kind reports
// KindTransfer.
//
// Where the payee number goes: ISO87 sends it in field 103 (account
// identification 2, the "to" account of ISO 8583:1987). SpecUnionPay has
// no field 103 (one bitmap, fields 1 to 64), and UnionPay's base POS
// specification defines no transfer; poskit follows the acquirers'
// transfer POS applications: 60.1 "22" with the transfer processing code,
// and the payee number in field 48 (n...322, digits only). On both
// dialects Transaction.Payee reads it back, and Dump masks it as a PAN.
//
// Errors: those of Sale, and ErrCard for a payee number that is not 12 to
// 19 digits (the error shows it masked).
func (t *Terminal) Transfer(c Card, amount int64, to string) (*Transaction, error) {
	if len(to) < 12 || len(to) > 19 || !digits.Valid(to) {
		return nil, fmt.Errorf("%w: payee %s", ErrCard, digits.MaskPAN(to))
	}
	tx, err := t.financial("0200", ProcTransfer, condNormal, TxnTypeSale, c, amount, true)
	if err != nil {
		return nil, err
	}
	if t.dialect() == UnionPay {
		tx.AdditionalData = to
	} else {
		tx.AccountID2 = to
	}
	return tx, nil
}

// Payee returns the payee card or account number of a transfer: field 103
// on ISO87, field 48 on UnionPay (see Terminal.Transfer); "" for a message
// that is not a transfer.
func (t *Transaction) Payee() string {
	if t.Kind() != KindTransfer {
		return ""
	}
	if t.AccountID2 != "" {
		return t.AccountID2
	}
	if t.F60 != nil {
		return t.AdditionalData
	}
	return ""
}
