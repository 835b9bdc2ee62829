package iso8583

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/poskit/poskit/internal/digits"
)

// Settlement48Length is the length in digits of field 48 of a UnionPay
// settlement (结算, 0500/0510): the domestic-card totals (内卡) then the
// foreign-card totals (外卡), each n12 debit amount, n3 debit count, n12
// credit amount, n3 credit count and n1 reconciliation code (ReconCode: 0
// from the terminal, then in the 0510 answer 1 balanced, 2 not balanced,
// 3 reconciliation error), so the two codes sit at digits 31 and 62.
const Settlement48Length = 2 * (12 + 3 + 12 + 3 + 1)

// ReconCode is a reconciliation code (对账应答码) of UnionPay settlement
// field 48: one digit for the domestic and one for the foreign totals.
type ReconCode byte

// Reconciliation codes.
const (
	ReconNone       ReconCode = '0' // ISO reserved: what the terminal sends in 0500
	ReconBalanced   ReconCode = '1' // 对账平: the host's totals match
	ReconUnbalanced ReconCode = '2' // 对账不平: upload the batch (BatchUpload, BatchUploadMagstripe)
	ReconError      ReconCode = '3' // 对账出错
)

// ErrReconciliation reports a reconciliation code other than 0 to 3, or a
// field 48 that does not hold settlement totals.
var ErrReconciliation = errors.New("iso8583: bad settlement reconciliation code")

// String names the code in English.
func (c ReconCode) String() string {
	switch c {
	case ReconNone:
		return "none"
	case ReconBalanced:
		return "balanced"
	case ReconUnbalanced:
		return "not balanced"
	case ReconError:
		return "reconciliation error"
	}
	return "unknown"
}

func (c ReconCode) valid() bool { return c >= ReconNone && c <= ReconError }

// appendSettlement48 appends the 62 digits of UnionPay settlement field 48.
// tt must have passed check.
func appendSettlement48(dst []byte, tt Totals, domestic, foreign ReconCode) []byte {
	var a [12]byte
	var n [3]byte
	dst = append(dst, putDigits(a[:], tt.DebitAmount)...)
	dst = append(dst, putDigits(n[:], int64(tt.DebitCount))...)
	dst = append(dst, putDigits(a[:], tt.CreditAmount)...)
	dst = append(dst, putDigits(n[:], int64(tt.CreditCount))...)
	dst = append(dst, byte(domestic))
	dst = append(dst, putDigits(a[:], tt.ForeignDebitAmount)...)
	dst = append(dst, putDigits(n[:], int64(tt.ForeignDebitCount))...)
	dst = append(dst, putDigits(a[:], tt.ForeignCreditAmount)...)
	dst = append(dst, putDigits(n[:], int64(tt.ForeignCreditCount))...)
	return append(dst, byte(foreign))
}

// Reconciliation returns the domestic and foreign reconciliation codes of
// a UnionPay settlement (0500: both ReconNone) or its answer (0510).
// Errors: ErrReconciliation when field 48 is not 62 digits of settlement
// totals or a code is not 0 to 3.
func (t *Transaction) Reconciliation() (domestic, foreign ReconCode, err error) {
	if _, err := t.SettlementTotals(); err != nil || len(t.AdditionalData) != Settlement48Length {
		return 0, 0, fmt.Errorf("%w: field 48 holds no settlement totals", ErrReconciliation)
	}
	d, f := ReconCode(t.AdditionalData[30]), ReconCode(t.AdditionalData[61])
	if !d.valid() || !f.valid() {
		return 0, 0, ErrReconciliation
	}
	return d, f, nil
}

// SetReconciliation is the host side of Reconciliation: it writes the two
// codes into field 48 of a settlement answer built with NewResponse from
// the 0500 (which copies no field 48): the request's totals with the
// host's verdicts. Errors: ErrReconciliation when req holds no settlement
// totals or a code is not 0 to 3.
func (t *Transaction) SetReconciliation(req *Transaction, domestic, foreign ReconCode) error {
	if req == nil || !domestic.valid() || !foreign.valid() {
		return ErrReconciliation
	}
	tt, err := req.SettlementTotals()
	if err != nil || len(req.AdditionalData) != Settlement48Length {
		return fmt.Errorf("%w: request field 48 holds no settlement totals", ErrReconciliation)
	}
	t.AdditionalData = string(appendSettlement48(make([]byte, 0, Settlement48Length), tt, domestic, foreign))
	return nil
}

// Balanced reports whether a settlement answer's field 48 says both the
// domestic and the foreign totals balanced (both codes ReconBalanced).
// Either way the terminal then uploads its batch and ends it: balanced,
// only the IC card transactions (BatchUpload) and an end message with 60.3
// "207"; not balanced, every transaction (BatchUploadMagstripe for
// magnetic-stripe ones) and an end message with 60.3 "202". Pass the
// result as BatchUploadMagstripe's balanced.
func (t *Transaction) Balanced() bool {
	d, f, err := t.Reconciliation()
	return err == nil && d == ReconBalanced && f == ReconBalanced
}

// Totals are the batch totals of a settlement, in minor units.
type Totals struct {
	DebitCount, CreditCount   int
	DebitAmount, CreditAmount int64
	// Foreign totals (外卡) of UnionPay; zero for a domestic-only batch.
	ForeignDebitCount, ForeignCreditCount   int
	ForeignDebitAmount, ForeignCreditAmount int64
}

func (tt Totals) check() error {
	for _, n := range []int{tt.DebitCount, tt.CreditCount, tt.ForeignDebitCount, tt.ForeignCreditCount} {
		if n < 0 || n > 999 {
			return ErrAmount
		}
	}
	for _, a := range []int64{tt.DebitAmount, tt.CreditAmount, tt.ForeignDebitAmount, tt.ForeignCreditAmount} {
		if a < 0 || a > 999999999999 {
			return ErrAmount
		}
	}
	return nil
}

// Settlement builds a settlement (结算): 0500. UnionPay: 48 holds the
// domestic (内卡) then foreign (外卡) totals, each debit amount n12, debit
// count n3, credit amount n12, credit count n3 and reconciliation code n1
// ("0" from the terminal; Settlement48Length documents the layout and its
// sources), 60.3 "201", the operator in 63.1. ISO87: fields 74, 76, 86 and
// 88 (credits and debits, number and amount).
func (t *Terminal) Settlement(tt Totals) (*Transaction, error) {
	if err := tt.check(); err != nil {
		return nil, err
	}
	tx, err := t.base("0500", "", "")
	if err != nil {
		return nil, err
	}
	tx.ProcessingCode, tx.ConditionCode = "", ""
	tx.Currency = t.Currency
	if t.dialect() == UnionPay {
		tx.LocalTime, tx.LocalDate = "", ""
		tx.AdditionalData = string(appendSettlement48(make([]byte, 0, Settlement48Length), tt, ReconNone, ReconNone))
		tx.F60 = &Field60{TxnType: TxnTypeManagement, Batch: t.batch(), NetMgmt: netSettlement}
		op := t.Operator
		if op == "" {
			op = "001"
		}
		tx.F63 = &Field63{Code: op}
		return tx, nil
	}
	tx.CreditsNumber = fmt.Sprintf("%010d", tt.CreditCount+tt.ForeignCreditCount)
	tx.DebitsNumber = fmt.Sprintf("%010d", tt.DebitCount+tt.ForeignDebitCount)
	tx.CreditsAmount = fmt.Sprintf("%016d", tt.CreditAmount+tt.ForeignCreditAmount)
	tx.DebitsAmount = fmt.Sprintf("%016d", tt.DebitAmount+tt.ForeignDebitAmount)
	return tx, nil
}

// SettlementTotals reads the totals a settlement (0500 or its 0510 answer)
// carries, in the layout Settlement writes: UnionPay field 48 (62 digits,
// domestic then foreign, each debit amount, debit count, credit amount,
// credit count and a reconciliation code; see Settlement48Length) or,
// without field 48, the ISO 8583:1987 fields 74, 76, 86 and 88, which hold
// no foreign split. Errors: ErrAmount when a total is missing or not
// digits.
func (t *Transaction) SettlementTotals() (Totals, error) {
	var tt Totals
	num := func(s string) int64 {
		if !digits.Valid(s) || len(s) > 18 {
			return -1
		}
		n, _ := strconv.ParseInt(s, 10, 64)
		return n
	}
	if d := t.AdditionalData; d != "" {
		if len(d) != Settlement48Length || !digits.Valid(d) {
			return Totals{}, fmt.Errorf("%w: settlement field 48 is not 62 digits", ErrAmount)
		}
		tt.DebitAmount, tt.DebitCount = num(d[0:12]), int(num(d[12:15]))
		tt.CreditAmount, tt.CreditCount = num(d[15:27]), int(num(d[27:30]))
		tt.ForeignDebitAmount, tt.ForeignDebitCount = num(d[31:43]), int(num(d[43:46]))
		tt.ForeignCreditAmount, tt.ForeignCreditCount = num(d[46:58]), int(num(d[58:61]))
		return tt, nil
	}
	cc, dc := num(t.CreditsNumber), num(t.DebitsNumber)
	ca, da := num(t.CreditsAmount), num(t.DebitsAmount)
	if cc < 0 || dc < 0 || ca < 0 || da < 0 {
		return Totals{}, fmt.Errorf("%w: settlement fields 74, 76, 86 or 88 missing or not digits", ErrAmount)
	}
	tt.CreditCount, tt.DebitCount, tt.CreditAmount, tt.DebitAmount = int(cc), int(dc), ca, da
	return tt, nil
}
