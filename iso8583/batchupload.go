package iso8583

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/poskit/poskit/internal/digits"
)

// 60.3 codes of the UnionPay batch upload (60.1 "00"): 201 records in
// field 48 (also the settlement code of 0500), 202 and 207 the end of the
// batch after an unbalanced or a balanced settlement, 203 one IC card
// transaction per message. Field 48 of a record message is n2, the number
// of records (01 to 08), then per record 40 digits: n2 card organisation
// (00 UnionPay card, 01 foreign card), n6 STAN of the original, n20 PAN
// right aligned with zeros, n12 amount in minor units. Field 48 of the
// end-of-batch message is n4, the number of transactions uploaded in the
// batch. Codes 204 to 206 are not built.
const (
	// NetBatchUploadMag is 60.3 of a magnetic-stripe batch upload message.
	NetBatchUploadMag = "201"
	// NetBatchEndUnbalanced is 60.3 of the end-of-batch message after a
	// settlement that did not balance.
	NetBatchEndUnbalanced = "202"
	// NetBatchUploadICC is 60.3 of an IC card batch upload message.
	NetBatchUploadICC = netBatchUploadICC
	// NetBatchEndBalanced is 60.3 of the end-of-batch message after a
	// settlement that balanced.
	NetBatchEndBalanced = "207"
)

// MaxBatchRecords is the number of records one 0320 message carries in
// field 48.
const MaxBatchRecords = 8

// batchRecordLen is the length in digits of one field 48 record.
const batchRecordLen = 2 + 6 + 20 + 12

// ErrBatchRecord reports a batch upload record that cannot be sent, or a
// field 48 that does not hold batch upload records.
var ErrBatchRecord = errors.New("iso8583: malformed batch upload record")

// BatchRecord is one magnetic-stripe transaction of a UnionPay batch
// upload, as carried in field 48 of a 0320 message.
type BatchRecord struct {
	// Foreign is true for a foreign card (organisation code "01"), false
	// for a UnionPay card ("00").
	Foreign bool
	STAN    string // field 11 of the original, 6 digits
	PAN     string // 12 to 19 digits
	Amount  int64  // minor units, 0 to 999999999999
}

// BatchRecordOf builds the record of a stored approved transaction from
// its request (PAN from field 2 or track 2, STAN, amount). foreign marks a
// card of a foreign organisation.
func BatchRecordOf(req *Transaction, foreign bool) (BatchRecord, error) {
	if req == nil {
		return BatchRecord{}, ErrOriginal
	}
	pan := req.PAN
	if pan == "" {
		pan = panOfTrack(req.Track2)
	}
	var amount int64
	if req.Amount != "" {
		a, err := strconv.ParseInt(req.Amount, 10, 64)
		if err != nil || len(req.Amount) != 12 {
			return BatchRecord{}, fmt.Errorf("%w: amount", ErrBatchRecord)
		}
		amount = a
	}
	r := BatchRecord{Foreign: foreign, STAN: req.STAN, PAN: pan, Amount: amount}
	if err := r.check(); err != nil {
		return BatchRecord{}, err
	}
	return r, nil
}

func (r BatchRecord) check() error {
	if len(r.STAN) != 6 || !digits.Valid(r.STAN) {
		return fmt.Errorf("%w: STAN", ErrBatchRecord)
	}
	if len(r.PAN) < 12 || len(r.PAN) > 19 || !digits.Valid(r.PAN) || r.PAN[0] == '0' {
		return fmt.Errorf("%w: PAN %s", ErrBatchRecord, digits.MaskPAN(r.PAN))
	}
	if r.Amount < 0 || r.Amount > 999999999999 {
		return fmt.Errorf("%w: amount", ErrBatchRecord)
	}
	return nil
}

// AppendBatchRecords appends the field 48 of one batch upload message
// holding recs (1 to MaxBatchRecords) to dst.
func AppendBatchRecords(dst []byte, recs []BatchRecord) ([]byte, error) {
	if len(recs) == 0 || len(recs) > MaxBatchRecords {
		return dst, fmt.Errorf("%w: %d records", ErrBatchRecord, len(recs))
	}
	for _, r := range recs {
		if err := r.check(); err != nil {
			return dst, err
		}
	}
	dst = append(dst, '0', byte('0'+len(recs)))
	for _, r := range recs {
		if r.Foreign {
			dst = append(dst, "01"...)
		} else {
			dst = append(dst, "00"...)
		}
		dst = append(dst, r.STAN...)
		for range 20 - len(r.PAN) {
			dst = append(dst, '0')
		}
		dst = append(dst, r.PAN...)
		var a [12]byte
		dst = append(dst, putDigits(a[:], r.Amount)...)
	}
	return dst, nil
}

// ParseBatchRecords parses field 48 of a magnetic-stripe batch upload
// message. The PAN loses the zeros that pad it to 20 digits (a PAN never
// starts with 0).
func ParseBatchRecords(field48 string) ([]BatchRecord, error) {
	if len(field48) < 2 || !digits.Valid(field48) {
		return nil, ErrBatchRecord
	}
	n := int(field48[0]-'0')*10 + int(field48[1]-'0')
	if n == 0 || n > MaxBatchRecords || len(field48) != 2+n*batchRecordLen {
		return nil, fmt.Errorf("%w: %d records in %d digits", ErrBatchRecord, n, len(field48))
	}
	recs := make([]BatchRecord, n)
	for i := range recs {
		s := field48[2+i*batchRecordLen : 2+(i+1)*batchRecordLen]
		switch s[:2] {
		case "00":
		case "01":
			recs[i].Foreign = true
		default:
			return nil, fmt.Errorf("%w: record %d: card organisation", ErrBatchRecord, i+1)
		}
		recs[i].STAN = s[2:8]
		pan := s[8:28]
		for len(pan) > 0 && pan[0] == '0' {
			pan = pan[1:]
		}
		recs[i].PAN = pan
		a, err := strconv.ParseInt(s[28:40], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: record %d: amount", ErrBatchRecord, i+1)
		}
		recs[i].Amount = a
		if err := recs[i].check(); err != nil {
			return nil, fmt.Errorf("%w, record %d", err, i+1)
		}
	}
	return recs, nil
}

// BatchRecords returns the magnetic-stripe batch upload records of t, a
// UnionPay 0320 message with 60.3 "201".
func (t *Transaction) BatchRecords() ([]BatchRecord, error) {
	if t.MTI != "0320" || t.F60 == nil || t.F60.NetMgmt != NetBatchUploadMag {
		return nil, fmt.Errorf("%w: not a magnetic-stripe batch upload", ErrBatchRecord)
	}
	return ParseBatchRecords(t.AdditionalData)
}

// BatchTotal returns the total count of an end-of-batch message (field 48
// n4, 60.3 "202" or "207").
func (t *Transaction) BatchTotal() (int, error) {
	if t.MTI != "0320" || t.F60 == nil ||
		(t.F60.NetMgmt != NetBatchEndBalanced && t.F60.NetMgmt != NetBatchEndUnbalanced) {
		return 0, fmt.Errorf("%w: not an end-of-batch message", ErrBatchRecord)
	}
	if len(t.AdditionalData) != 4 || !digits.Valid(t.AdditionalData) {
		return 0, fmt.Errorf("%w: total", ErrBatchRecord)
	}
	n, _ := strconv.Atoi(t.AdditionalData)
	return n, nil
}

// batchMessage builds a UnionPay 0320 management message with field 48 and
// 60.3 net.
func (t *Terminal) batchMessage(field48, net string) (*Transaction, error) {
	if t.dialect() != UnionPay {
		return nil, fmt.Errorf("%w: magnetic-stripe batch upload is a UnionPay convention", ErrTerminal)
	}
	tx, err := t.base("0320", "", "")
	if err != nil {
		return nil, err
	}
	tx.ProcessingCode, tx.ConditionCode, tx.LocalTime, tx.LocalDate = "", "", "", ""
	tx.AdditionalData = field48
	tx.F60 = &Field60{TxnType: TxnTypeManagement, Batch: t.batch(), NetMgmt: net}
	return tx, nil
}

// BatchUploadMagstripe builds the magnetic-stripe batch upload of a
// UnionPay terminal (批上送, 0320): one message with 60.3 "201" for every
// MaxBatchRecords records (field 48: count then records), then the
// end-of-batch message (field 48: n4 total of the batch, 60.3 "207" when
// the settlement balanced, "202" when it did not). Each message takes a
// new STAN. icc is the number of transactions already uploaded one per
// message (Terminal.BatchUpload, 60.3 "203"); it counts in the total. recs
// may be empty: the batch is then the end message alone.
func (t *Terminal) BatchUploadMagstripe(recs []BatchRecord, icc int, balanced bool) ([]*Transaction, error) {
	total := icc + len(recs)
	if icc < 0 || total > 9999 {
		return nil, fmt.Errorf("%w: total %d", ErrBatchRecord, total)
	}
	for _, r := range recs {
		if err := r.check(); err != nil {
			return nil, err
		}
	}
	out := make([]*Transaction, 0, (len(recs)+MaxBatchRecords-1)/MaxBatchRecords+1)
	buf := make([]byte, 0, 2+MaxBatchRecords*batchRecordLen)
	for i := 0; i < len(recs); i += MaxBatchRecords {
		part := recs[i:min(i+MaxBatchRecords, len(recs))]
		f48, err := AppendBatchRecords(buf[:0], part)
		if err != nil {
			return nil, err
		}
		tx, err := t.batchMessage(string(f48), NetBatchUploadMag)
		if err != nil {
			return nil, err
		}
		out = append(out, tx)
	}
	end, err := t.BatchUploadEnd(total, balanced)
	if err != nil {
		return nil, err
	}
	return append(out, end), nil
}

// BatchUploadEnd builds the UnionPay end-of-batch-upload message (批上送结
// 束): 0320, 60.1 "00", 60.3 "207" after a settlement that balanced
// (NetBatchEndBalanced) or "202" after one that did not
// (NetBatchEndUnbalanced), field 48 n4 the number of transactions uploaded
// in the batch (total, 0 to 9999: the IC card messages of BatchUpload and
// the records of BatchUploadMagstripe together), and a new STAN. It is the
// last message of the batch upload; the host answers it with NewResponse
// (0330) and reads the total with Transaction.BatchTotal.
// BatchUploadMagstripe ends its messages with it.
//
// Errors: ErrTerminal on ISO87 (the end message is a UnionPay convention),
// ErrBatchRecord for a total out of range.
func (t *Terminal) BatchUploadEnd(total int, balanced bool) (*Transaction, error) {
	if total < 0 || total > 9999 {
		return nil, fmt.Errorf("%w: total %d", ErrBatchRecord, total)
	}
	net := NetBatchEndUnbalanced
	if balanced {
		net = NetBatchEndBalanced
	}
	var tb [4]byte
	return t.batchMessage(string(putDigits(tb[:], int64(total))), net)
}

// IsBatchUploadEnd reports whether t is a UnionPay end-of-batch-upload
// message or its answer (0320 or 0330 with 60.3 "202" or "207"); Kind
// reports KindBatchUpload for it, as for the other batch upload messages.
func (t *Transaction) IsBatchUploadEnd() bool {
	return (t.MTI == "0320" || t.MTI == "0330") && t.F60 != nil &&
		(t.F60.NetMgmt == NetBatchEndBalanced || t.F60.NetMgmt == NetBatchEndUnbalanced)
}

// BatchUpload builds a batch upload (批上送, 0320) of one stored approved
// transaction, sent after a settlement (see Transaction.Balanced); several
// magnetic-stripe transactions go in one message with BatchUploadMagstripe.
// UnionPay (the IC card batch upload notification, 60.3 "203"): fields 2
// (from track 2 when the request had no field 2), 4, 11 (the original's
// STAN), 22, 23, 41, 42, 55 and 60 (60.1 "00", 60.2 the batch, 60.4 the
// terminal's read capability); set F62 if the host asks for it. ISO87:
// the card, amount, STAN, entry mode, processing and condition codes, RRN,
// authorisation code and ICC data of the original. Errors: ErrOriginal
// when req or resp is nil, req has no STAN or resp no RRN.
func (t *Terminal) BatchUpload(req, resp *Transaction) (*Transaction, error) {
	if req == nil || resp == nil || req.STAN == "" || resp.RRN == "" {
		return nil, ErrOriginal
	}
	tx, err := t.base("0320", req.ProcessingCode, req.ConditionCode)
	if err != nil {
		return nil, err
	}
	tx.STAN = req.STAN
	tx.PAN, tx.Amount, tx.Expiry = req.PAN, req.Amount, req.Expiry
	if tx.PAN == "" {
		tx.PAN = panOfTrack(req.Track2)
	}
	tx.EntryMode, tx.CardSequence = req.EntryMode, req.CardSequence
	tx.RRN, tx.AuthCode, tx.Currency = resp.RRN, resp.AuthCode, req.Currency
	if len(req.ICC) > 0 {
		tx.ICC = append([]byte(nil), req.ICC...)
	}
	if t.dialect() == UnionPay {
		tx.ProcessingCode, tx.ConditionCode, tx.LocalTime, tx.LocalDate = "", "", "", ""
		tx.Expiry, tx.RRN, tx.AuthCode, tx.Currency, tx.AcquirerID = "", "", "", "", ""
		tx.F60 = &Field60{TxnType: TxnTypeManagement, Batch: t.batch(), NetMgmt: netBatchUploadICC, ReadCapability: t.ReadCapability}
	}
	return tx, nil
}
