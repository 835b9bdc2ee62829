package iso8583

import (
	"bytes"
	"fmt"
	"time"

	"github.com/poskit/poskit/emv"
)

// AIDEntry is one application's parameters as an AID download answer
// carries them.
type AIDEntry struct {
	// Params are the parameters emv's terminal risk management and
	// terminal action analysis take.
	Params emv.AIDParams
	// OnlinePIN is DF18: the terminal may ask for an online PIN for this
	// application.
	OnlinePIN bool
}

// AIDList is one part of an AID status query answer.
type AIDList struct {
	// More is true when the host holds more AIDs: query again with the
	// number received so far.
	More bool
	AIDs [][]byte
}

// AIDQuery builds an AID status query (IC卡参数下载状态上送): UnionPay 0820
// with 60.3 382, ISO87 0800 with field 70 382. start is the number of AIDs
// already received from earlier parts of the answer (0 to 99).
func (t *Terminal) AIDQuery(start int) (*Transaction, error) {
	p, err := queryPayload(start)
	if err != nil {
		return nil, err
	}
	return t.downloadRequest("0820", NetAIDQuery, p)
}

// AIDDownload builds the download request of one AID's parameters (IC卡参
// 数下载): UnionPay 0800 with 60.3 380, ISO87 field 70 380; field 62 holds
// 9F06. aid is 5 to 16 bytes.
func (t *Terminal) AIDDownload(aid []byte) (*Transaction, error) {
	if len(aid) < 5 || len(aid) > 16 {
		return nil, fmt.Errorf("%w: AID of %d bytes", ErrDownload, len(aid))
	}
	return t.downloadRequest("0800", NetAIDDownload, emv.AppendTLV(nil, 0x9F06, aid))
}

// ParseAIDList parses the payload of an AID status query answer.
//
// Errors: ErrDownload naming the faulty tag.
func ParseAIDList(p []byte) (AIDList, error) {
	more, body, err := listStatus(p)
	if err != nil || len(body) == 0 {
		return AIDList{}, err
	}
	l := AIDList{More: more}
	err = scanFlat(body, func(tag emv.Tag, v []byte) error {
		if tag != 0x9F06 {
			return nil
		}
		if err := wantLen(tag, v, 5, 16); err != nil {
			return err
		}
		l.AIDs = append(l.AIDs, bytes.Clone(v))
		return nil
	})
	if err == nil && len(l.AIDs) == 0 {
		err = tagError(0x9F06, "missing")
	}
	if err != nil {
		return AIDList{}, err
	}
	return l, nil
}

// AIDList parses the answer to an AID status query (0830, 60.3 382).
//
// Errors: ErrDownload.
func (t *Transaction) AIDList() (AIDList, error) {
	if err := t.expect(KindAIDDownload, StepQuery); err != nil {
		return AIDList{}, err
	}
	p, err := payloadOf(t)
	if err != nil {
		return AIDList{}, err
	}
	return ParseAIDList(p)
}

// NewAIDListResponse builds the host's answer to an AID status query: the
// AIDs of held from the position the query asks for, as many as fit.
//
// Errors: those of NewResponse and DownloadStart, ErrDownload for an AID
// that is not 5 to 16 bytes.
func NewAIDListResponse(req *Transaction, held [][]byte, now time.Time) (*Transaction, error) {
	if err := req.expect(KindAIDDownload, StepQuery); err != nil {
		return nil, err
	}
	start, err := req.DownloadStart()
	if err != nil {
		return nil, err
	}
	var entries [][]byte
	for _, aid := range held[min(start, len(held)):] {
		if len(aid) < 5 || len(aid) > 16 {
			return nil, fmt.Errorf("%w: AID of %d bytes", ErrDownload, len(aid))
		}
		entries = append(entries, emv.AppendTLV(nil, 0x9F06, aid))
	}
	p, _ := packList(entries, maxPayload(req))
	return newDownloadResponse(req, p, now)
}

// AIDRequested returns the AID an AID download request (60.3 380) names.
//
// Errors: ErrDownload.
func (t *Transaction) AIDRequested() ([]byte, error) {
	if err := t.expect(KindAIDDownload, StepItem); err != nil {
		return nil, err
	}
	p, err := payloadOf(t)
	if err != nil {
		return nil, err
	}
	l, err := ParseAIDList(append([]byte{listLast}, p...))
	if err != nil {
		return nil, err
	}
	if len(l.AIDs) != 1 {
		return nil, tagError(0x9F06, "%d AIDs, want 1", len(l.AIDs))
	}
	return l.AIDs[0], nil
}

// AppendAIDEntry appends the TLV of e as an AID download answer carries it
// (after its status byte).
//
// Errors: ErrDownload wrapping emv.ErrAIDParams for parameters that do
// not validate.
func AppendAIDEntry(dst []byte, e AIDEntry) ([]byte, error) {
	p := e.Params
	if err := p.Validate(); err != nil {
		return dst, fmt.Errorf("%w: %w", ErrDownload, err)
	}
	asi := byte(1)
	if p.Partial {
		asi = 0
	}
	dst = emv.AppendTLV(dst, 0x9F06, p.AID)
	dst = emv.AppendTLV(dst, 0xDF01, []byte{asi})
	dst = emv.AppendTLV(dst, 0x9F09, p.Version[:])
	dst = emv.AppendTLV(dst, 0xDF11, p.TAC.Default[:])
	dst = emv.AppendTLV(dst, 0xDF12, p.TAC.Online[:])
	dst = emv.AppendTLV(dst, 0xDF13, p.TAC.Denial[:])
	dst = appendAmountTLV(dst, 0x9F1B, p.FloorLimit)
	dst = appendAmountTLV(dst, 0xDF15, p.Threshold)
	dst = emv.AppendTLV(dst, 0xDF16, appendBCD(nil, int64(p.MaxTargetPercent), 1))
	dst = emv.AppendTLV(dst, 0xDF17, appendBCD(nil, int64(p.TargetPercent), 1))
	if len(p.DefaultDDOL) > 0 {
		dst = emv.AppendTLV(dst, 0xDF14, p.DefaultDDOL)
	}
	pin := byte(0)
	if e.OnlinePIN {
		pin = 1
	}
	dst = emv.AppendTLV(dst, 0xDF18, []byte{pin})
	for _, l := range [...]struct {
		tag emv.Tag
		v   int64
	}{{0xDF19, p.ContactlessFloorLimit}, {0xDF20, p.ContactlessTransactionLimit}, {0xDF21, p.ContactlessCVMLimit}} {
		if l.v >= 0 {
			dst = appendAmountTLV(dst, l.tag, l.v)
		}
	}
	return dst, nil
}

// appendAmountTLV appends an amount as 6 bytes of BCD.
func appendAmountTLV(dst []byte, tag emv.Tag, v int64) []byte {
	return emv.AppendTLV(dst, tag, appendBCD(nil, v, 6))
}

// ParseAIDEntry parses the payload of an AID download answer. ok is false
// when the host does not hold the AID (status "0"). The entry shares no
// memory with p and its Params validate.
//
// Errors: ErrDownload naming the missing, repeated or malformed tag, or
// wrapping emv.ErrAIDParams.
//
// The field 62 layouts of the AID parameter download (IC卡参数下载), which follow
// the CA key download:
//
//   - status query (0820, 60.3 382): "1" and two digits, the number of
//     AIDs already listed;
//   - its answer (0830): the status byte ("0", "1" last part, "2" more
//     follow) then 9F06 (the AID) per application;
//   - AID request (0800, 380): 9F06 of the AID;
//   - its answer (0810): "1" then the parameters below, or "0" alone when
//     the host does not hold the AID;
//   - end (0800, 381): no field 62.
//
// The parameters: 9F06 AID; DF01 application selection indicator (00
// partial selection allowed, 01 exact match only); 9F09 application
// version; DF11, DF12, DF13 terminal action codes default, online, denial
// (5 bytes each); 9F1B floor limit; DF15 threshold for biased random
// selection; DF16 maximum target percentage; DF17 target percentage; DF14
// default DDOL; DF18 online PIN capability (01 supported, 00 not); DF19
// contactless floor limit; DF20 contactless transaction limit; DF21
// contactless CVM limit. Amounts are packed BCD as UnionPay terminals read
// them (poskit writes 6 bytes, n12, and reads 1 to 6); the percentages are
// one BCD byte. 9F06, 9F09, DF11, DF12, DF13 and 9F1B are required; an
// absent contactless limit is "not set" (-1). Unknown tags are ignored.
// UnionPay defines no tag for a default TDOL, so none travels.
func ParseAIDEntry(p []byte) (e AIDEntry, ok bool, err error) {
	body, ok, err := itemPayload(p)
	if err != nil || !ok {
		return e, false, err
	}
	e.Params.ContactlessFloorLimit, e.Params.ContactlessTransactionLimit, e.Params.ContactlessCVMLimit = -1, -1, -1
	var got seen
	err = scanFlat(body, func(tag emv.Tag, v []byte) error {
		if err := got.add(tag); err != nil {
			return err
		}
		return e.set(tag, v)
	})
	if err == nil {
		err = got.require(0x9F06, 0x9F09, 0xDF11, 0xDF12, 0xDF13, 0x9F1B)
	}
	if err == nil {
		if verr := e.Params.Validate(); verr != nil {
			err = fmt.Errorf("%w: %w", ErrDownload, verr)
		}
	}
	if err != nil {
		return AIDEntry{}, false, err
	}
	return e, true, nil
}

// set stores one parameter; unknown tags are ignored.
func (e *AIDEntry) set(tag emv.Tag, v []byte) error {
	p := &e.Params
	switch tag {
	case 0x9F06:
		if err := wantLen(tag, v, 5, 16); err != nil {
			return err
		}
		p.AID = bytes.Clone(v)
	case 0xDF01, 0xDF18:
		if err := wantLen(tag, v, 1, 1); err != nil {
			return err
		}
		if v[0] > 1 {
			return tagError(tag, "value %02X, want 00 or 01", v[0])
		}
		if tag == 0xDF01 {
			p.Partial = v[0] == 0
		} else {
			e.OnlinePIN = v[0] == 1
		}
	case 0x9F09:
		if err := wantLen(tag, v, 2, 2); err != nil {
			return err
		}
		p.Version = [2]byte(v)
	case 0xDF11, 0xDF12, 0xDF13:
		if err := wantLen(tag, v, 5, 5); err != nil {
			return err
		}
		*map[emv.Tag]*emv.TVR{0xDF11: &p.TAC.Default, 0xDF12: &p.TAC.Online, 0xDF13: &p.TAC.Denial}[tag] = emv.TVR(v)
	case 0xDF14:
		p.DefaultDDOL = nil
		if len(v) > 0 {
			p.DefaultDDOL = bytes.Clone(v)
		}
	default:
		return e.setAmount(tag, v)
	}
	return nil
}

// setAmount stores the BCD amounts and percentages.
func (e *AIDEntry) setAmount(tag emv.Tag, v []byte) error {
	p := &e.Params
	dst := map[emv.Tag]*int64{0x9F1B: &p.FloorLimit, 0xDF15: &p.Threshold, 0xDF19: &p.ContactlessFloorLimit,
		0xDF20: &p.ContactlessTransactionLimit, 0xDF21: &p.ContactlessCVMLimit}[tag]
	if dst != nil {
		n, err := parseBCDAmount(tag, v)
		*dst = n
		return err
	}
	if tag != 0xDF16 && tag != 0xDF17 {
		return nil
	}
	if err := wantLen(tag, v, 1, 1); err != nil {
		return err
	}
	n, err := parseBCDAmount(tag, v)
	if err != nil {
		return err
	}
	if tag == 0xDF16 {
		p.MaxTargetPercent = uint8(n)
	} else {
		p.TargetPercent = uint8(n)
	}
	return nil
}

// AIDEntry parses the answer to an AID download request (0810, 60.3 380).
// ok is false when the host does not hold the AID.
//
// Errors: ErrDownload.
func (t *Transaction) AIDEntry() (e AIDEntry, ok bool, err error) {
	if err := t.expect(KindAIDDownload, StepItem); err != nil {
		return e, false, err
	}
	p, err := payloadOf(t)
	if err != nil {
		return e, false, err
	}
	return ParseAIDEntry(p)
}

// NewAIDResponse builds the host's answer to an AID download request: e,
// or status "0" when e is nil (the host does not hold the AID named).
//
// Errors: those of NewResponse and AppendAIDEntry.
func NewAIDResponse(req *Transaction, e *AIDEntry, now time.Time) (*Transaction, error) {
	if err := req.expect(KindAIDDownload, StepItem); err != nil {
		return nil, err
	}
	p := []byte{listNone}
	if e != nil {
		var err error
		if p, err = AppendAIDEntry([]byte{listLast}, *e); err != nil {
			return nil, err
		}
	}
	return newDownloadResponse(req, p, now)
}
