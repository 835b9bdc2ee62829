package iso8583

import (
	"bytes"
	"fmt"
	"time"

	"github.com/poskit/poskit/emv"
)

// CAKeyStatus is one entry of a CA key status query answer: a key the host
// holds.
type CAKeyStatus struct {
	RID    [5]byte
	Index  byte
	Expiry time.Time // the last day the key may be used (DF05)
}

// StatusOf returns the query entry of a key.
func StatusOf(k emv.CAPublicKey) CAKeyStatus {
	return CAKeyStatus{RID: k.RID, Index: k.Index, Expiry: k.Expiry}
}

// CAKeyList is one part of a CA key status query answer.
type CAKeyList struct {
	// More is true when the host holds more keys: query again with the
	// number of keys received so far.
	More bool
	Keys []CAKeyStatus
}

// CAKeyQuery builds a CA key status query (IC卡公钥下载状态上送): UnionPay
// 0820 with 60.3 372, ISO87 0800 with field 70 372. start is the number of
// keys already received from earlier parts of the answer (0 to 99).
func (t *Terminal) CAKeyQuery(start int) (*Transaction, error) {
	p, err := queryPayload(start)
	if err != nil {
		return nil, err
	}
	return t.downloadRequest("0820", NetCAKeyQuery, p)
}

// CAKeyDownload builds the download request of one CA key (IC卡公钥下载):
// UnionPay 0800 with 60.3 370, ISO87 field 70 370; field 62 names the key
// by RID and index.
func (t *Terminal) CAKeyDownload(rid [5]byte, index byte) (*Transaction, error) {
	return t.downloadRequest("0800", NetCAKeyDownload, appendKeyID(nil, rid, index))
}

// appendKeyID appends 9F06 and 9F22.
func appendKeyID(dst []byte, rid [5]byte, index byte) []byte {
	dst = emv.AppendTLV(dst, 0x9F06, rid[:])
	return emv.AppendTLV(dst, 0x9F22, []byte{index})
}

// ParseCAKeyList parses the payload of a CA key status query answer.
//
// Errors: ErrDownload naming the faulty tag.
func ParseCAKeyList(p []byte) (CAKeyList, error) {
	more, body, err := listStatus(p)
	if err != nil || len(body) == 0 {
		return CAKeyList{}, err
	}
	l := CAKeyList{More: more}
	var cur *CAKeyStatus
	var got seen
	done := func() error {
		if cur == nil {
			return nil
		}
		if err := got.require(0x9F06, 0x9F22, 0xDF05); err != nil {
			return fmt.Errorf("%w, entry %d", err, len(l.Keys))
		}
		return nil
	}
	err = scanFlat(body, func(tag emv.Tag, v []byte) error {
		if tag == 0x9F06 {
			if err := done(); err != nil {
				return err
			}
			l.Keys = append(l.Keys, CAKeyStatus{})
			cur, got = &l.Keys[len(l.Keys)-1], nil
		} else if cur == nil {
			return tagError(tag, "before 9F06")
		}
		if err := got.add(tag); err != nil {
			return err
		}
		return cur.set(tag, v)
	})
	if err == nil {
		err = done()
	}
	if err != nil {
		return CAKeyList{}, err
	}
	return l, nil
}

// set stores one TLV object of a list entry; other tags are ignored.
func (s *CAKeyStatus) set(tag emv.Tag, v []byte) (err error) {
	switch tag {
	case 0x9F06:
		if err := wantLen(tag, v, 5, 5); err != nil {
			return err
		}
		s.RID = [5]byte(v)
	case 0x9F22:
		if err := wantLen(tag, v, 1, 1); err != nil {
			return err
		}
		s.Index = v[0]
	case 0xDF05:
		s.Expiry, err = parseExpiry(tag, v)
	}
	return err
}

// CAKeyList parses the answer to a CA key status query (0830, 60.3 372).
//
// Errors: ErrDownload.
func (t *Transaction) CAKeyList() (CAKeyList, error) {
	if err := t.expect(KindCAKeyDownload, StepQuery); err != nil {
		return CAKeyList{}, err
	}
	p, err := payloadOf(t)
	if err != nil {
		return CAKeyList{}, err
	}
	return ParseCAKeyList(p)
}

// NewCAKeyListResponse builds the host's answer to a CA key status query:
// the keys of held from the position the query asks for, as many as fit in
// field 62, with the status saying whether more follow.
//
// Errors: those of NewResponse and DownloadStart.
func NewCAKeyListResponse(req *Transaction, held []CAKeyStatus, now time.Time) (*Transaction, error) {
	if err := req.expect(KindCAKeyDownload, StepQuery); err != nil {
		return nil, err
	}
	start, err := req.DownloadStart()
	if err != nil {
		return nil, err
	}
	var entries [][]byte
	for _, k := range held[min(start, len(held)):] {
		e := appendKeyID(nil, k.RID, k.Index)
		entries = append(entries, appendExpiry(e, k.Expiry))
	}
	p, _ := packList(entries, maxPayload(req))
	return newDownloadResponse(req, p, now)
}

// CAKeyRequested returns the RID and index a CA key download request
// (60.3 370) names: the host reads it to find the key.
//
// Errors: ErrDownload.
func (t *Transaction) CAKeyRequested() (rid [5]byte, index byte, err error) {
	if err := t.expect(KindCAKeyDownload, StepItem); err != nil {
		return rid, 0, err
	}
	p, err := payloadOf(t)
	if err != nil {
		return rid, 0, err
	}
	var k CAKeyStatus
	var got seen
	err = scanFlat(p, func(tag emv.Tag, v []byte) error {
		if err := got.add(tag); err != nil {
			return err
		}
		return k.set(tag, v)
	})
	if err == nil {
		err = got.require(0x9F06, 0x9F22)
	}
	return k.RID, k.Index, err
}

// AppendCAKey appends the TLV of k as a CA key download answer carries it
// (after its status byte). k.Checksum must be the 20-byte check value.
//
// Errors: ErrDownload for a key that does not fit the layout.
func AppendCAKey(dst []byte, k emv.CAPublicKey) ([]byte, error) {
	switch {
	case len(k.Modulus) == 0 || len(k.Modulus) > 248:
		return dst, fmt.Errorf("%w: modulus of %d bytes", ErrDownload, len(k.Modulus))
	case len(k.Exponent) == 0 || len(k.Exponent) > 3:
		return dst, fmt.Errorf("%w: exponent of %d bytes", ErrDownload, len(k.Exponent))
	case len(k.Checksum) != 20:
		return dst, fmt.Errorf("%w: check value of %d bytes", ErrDownload, len(k.Checksum))
	case k.Expiry.IsZero():
		return dst, fmt.Errorf("%w: no expiry date", ErrDownload)
	}
	dst = appendKeyID(dst, k.RID, k.Index)
	dst = appendExpiry(dst, k.Expiry)
	dst = emv.AppendTLV(dst, 0xDF06, []byte{k.HashAlgorithm})
	dst = emv.AppendTLV(dst, 0xDF07, []byte{k.KeyAlgorithm})
	dst = emv.AppendTLV(dst, 0xDF02, k.Modulus)
	dst = emv.AppendTLV(dst, 0xDF04, k.Exponent)
	return emv.AppendTLV(dst, 0xDF03, k.Checksum), nil
}

// ParseCAKey parses the payload of a CA key download answer. ok is false
// when the host does not hold the key (status "0"). The key shares no
// memory with p.
//
// Errors: ErrDownload naming the missing, repeated or malformed tag.
//
// The field 62 layouts of the CA public key download (IC卡公钥下载):
//
//   - status query (0820, 60.3 372): "1" and two digits, the number of keys
//     already listed (00, then the count received so far);
//   - its answer (0830): a status byte, "0" the host holds no (more) keys,
//     "1" this part ends the list, "2" more follow (query again), then per
//     key 9F06 (RID, 5 bytes), 9F22 (index, 1 byte) and DF05 (expiry, 8 ASCII
//     digits YYYYMMDD);
//   - key request (0800, 370): 9F06 and 9F22 of the key;
//   - its answer (0810): "1" then 9F06, 9F22, DF05, DF06 (hash algorithm
//     indicator), DF07 (public key algorithm indicator), DF02 (modulus),
//     DF04 (exponent) and DF03 (check value, the SHA-1 of EMV Book 2
//     section 11.2.2); "0" alone when the host does not hold the key;
//   - end (0800, 371): no field 62.
//
// Parsing does not verify the check value (SHA-1 is refused in FIPS
// 140-only mode): emv.CAPKStore.Add does, when the terminal stores the key.
func ParseCAKey(p []byte) (k emv.CAPublicKey, ok bool, err error) {
	body, ok, err := itemPayload(p)
	if err != nil || !ok {
		return k, false, err
	}
	var id CAKeyStatus
	var got seen
	err = scanFlat(body, func(tag emv.Tag, v []byte) error {
		if err := got.add(tag); err != nil {
			return err
		}
		if err := id.set(tag, v); err != nil {
			return err
		}
		return setKeyPart(&k, tag, v)
	})
	if err == nil {
		err = got.require(0x9F06, 0x9F22, 0xDF05, 0xDF06, 0xDF07, 0xDF02, 0xDF04, 0xDF03)
	}
	if err != nil {
		return emv.CAPublicKey{}, false, err
	}
	k.RID, k.Index, k.Expiry = id.RID, id.Index, id.Expiry
	return k, true, nil
}

// setKeyPart stores DF06, DF07, DF02, DF04 and DF03 in k.
func setKeyPart(k *emv.CAPublicKey, tag emv.Tag, v []byte) error {
	lims := map[emv.Tag][2]int{0xDF06: {1, 1}, 0xDF07: {1, 1}, 0xDF02: {1, 248}, 0xDF04: {1, 3}, 0xDF03: {20, 20}}
	lim, ok := lims[tag]
	if !ok {
		return nil
	}
	if err := wantLen(tag, v, lim[0], lim[1]); err != nil {
		return err
	}
	switch tag {
	case 0xDF06:
		k.HashAlgorithm = v[0]
	case 0xDF07:
		k.KeyAlgorithm = v[0]
	case 0xDF02:
		k.Modulus = bytes.Clone(v)
	case 0xDF04:
		k.Exponent = bytes.Clone(v)
	case 0xDF03:
		k.Checksum = bytes.Clone(v)
	}
	return nil
}

// CAKey parses the answer to a CA key download request (0810, 60.3 370).
// ok is false when the host does not hold the key. Store the key with
// emv.CAPKStore.Add, which verifies its check value.
//
// Errors: ErrDownload.
func (t *Transaction) CAKey() (k emv.CAPublicKey, ok bool, err error) {
	if err := t.expect(KindCAKeyDownload, StepItem); err != nil {
		return k, false, err
	}
	p, err := payloadOf(t)
	if err != nil {
		return k, false, err
	}
	return ParseCAKey(p)
}

// NewCAKeyResponse builds the host's answer to a CA key download request:
// k, or status "0" when k is nil (the host does not hold the key named).
//
// Errors: those of NewResponse and AppendCAKey.
func NewCAKeyResponse(req *Transaction, k *emv.CAPublicKey, now time.Time) (*Transaction, error) {
	if err := req.expect(KindCAKeyDownload, StepItem); err != nil {
		return nil, err
	}
	p := []byte{listNone}
	if k != nil {
		var err error
		if p, err = AppendCAKey([]byte{listLast}, *k); err != nil {
			return nil, err
		}
	}
	return newDownloadResponse(req, p, now)
}
