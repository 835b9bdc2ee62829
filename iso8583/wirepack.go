package iso8583

import (
	"fmt"
)

// wireTexts holds fields 60, 61 and 63 of a Transaction as they go on the
// wire, in buffers on the packer's stack.
type wireTexts struct {
	n60, n61, n63 int // lengths in b60, b61, b63; 0 when absent
	b60, b61      [32]byte
	b63           [192]byte
	long63        []byte // 63 when longer than b63
}

func (tx *wireTexts) t60() []byte { return tx.b60[:tx.n60] }
func (tx *wireTexts) t61() []byte { return tx.b61[:tx.n61] }
func (tx *wireTexts) t63() []byte {
	if tx.long63 != nil {
		return tx.long63
	}
	return tx.b63[:tx.n63]
}

// macPlaceholder is the MAC field's content while the MAC block packs.
var macPlaceholder [MACLength]byte

// wirePack appends t, packed with w, to dst. With macID 64 or 128 the
// field carries MACLength zero bytes in place of t.MAC and the other MAC
// field is left out (as SignMessage does); macID 0 packs t as it is. It
// returns the offset in the result at which field macID starts. Errors
// follow the moov path's: first the fields the spec lacks and the
// sub-field values that do not marshal, in Message's order, then the
// first field in field order that does not encode.
func wirePack(w *wireLayout, dst []byte, t *Transaction, macID int) ([]byte, int, error) {
	var tx wireTexts
	if err := w.check(t, &tx); err != nil {
		return dst, 0, err
	}
	if macID != 0 && w.fields[macID].kind == codecNone {
		return dst, 0, fmt.Errorf("%w: field %d", ErrNoMAC, macID)
	}
	mark := len(dst)
	var bm [16]byte
	words := 1
	for _, id := range mappedIDs[1:] {
		if t.wirePresent(id, macID, &tx) {
			bm[(id-1)>>3] |= 0x80 >> ((id - 1) & 7)
			if id > 64 {
				words = 2
			}
		}
	}
	if macID == 128 {
		bm[15] |= 1
		words = 2
	}
	var err error
	if t.MTI != "" {
		if dst, err = wireAppend(dst, &w.fields[0], t.MTI); err != nil {
			return dst[:mark], 0, &FieldError{Field: 0, Offset: -1, Err: err}
		}
	}
	if words == 2 {
		bm[0] |= 0x80
	}
	if w.bitmapHex {
		for _, c := range bm[:8*words] {
			dst = append(dst, hexUpper[c>>4], hexUpper[c&0x0F])
		}
	} else {
		dst = append(dst, bm[:8*words]...)
	}
	macAt := 0
	for _, id := range mappedIDs[1:] {
		if bm[(id-1)>>3]&(0x80>>((id-1)&7)) == 0 {
			continue
		}
		if id == macID {
			macAt = len(dst) - mark
		}
		if dst, err = t.wireField(w, dst, id, macID, &tx); err != nil {
			return dst[:mark], 0, &FieldError{Field: id, Offset: -1, Err: err}
		}
	}
	if macID == 128 {
		macAt = len(dst) - mark
		if dst, err = wireAppend(dst, &w.fields[128], macPlaceholder[:]); err != nil {
			return dst[:mark], 0, &FieldError{Field: 128, Offset: -1, Err: err}
		}
	}
	return dst, macAt, nil
}

// wirePresent reports whether field id of t goes on the wire.
func (t *Transaction) wirePresent(id, macID int, tx *wireTexts) bool {
	switch {
	case id == 64 && macID != 0:
		return macID == 64
	case id == 60:
		return tx.n60 > 0
	case id == 61:
		return tx.n61 > 0
	case id == 63:
		return tx.n63 > 0
	}
	switch slot := fieldSlot[id]; {
	case slot > 0:
		return *txStrings[slot-1].get(t) != ""
	case slot < 0:
		return len(*txBytes[-slot-1].get(t)) > 0
	}
	return false
}

// wireField appends field id of t.
func (t *Transaction) wireField(w *wireLayout, dst []byte, id, macID int, tx *wireTexts) ([]byte, error) {
	f := &w.fields[id]
	switch {
	case id == 64 && macID == 64:
		return wireAppend(dst, f, macPlaceholder[:])
	case id == 60:
		return wireAppend(dst, f, tx.t60())
	case id == 61:
		return wireAppend(dst, f, tx.t61())
	case id == 63:
		return wireAppend(dst, f, tx.t63())
	}
	if slot := fieldSlot[id]; slot > 0 {
		return wireAppend(dst, f, *txStrings[slot-1].get(t))
	} else {
		return wireAppend(dst, f, *txBytes[-slot-1].get(t))
	}
}

// check is Message's fill without the message: a field the spec lacks, in
// the order fill sets them, or a sub-field value that does not marshal.
// It leaves the wire text of 60, 61 and 63 in tx.
func (w *wireLayout) check(t *Transaction, tx *wireTexts) error {
	for _, f := range txStrings {
		if *f.get(t) != "" && w.fields[f.id].kind == codecNone {
			return notInSpec(f.id)
		}
	}
	for _, f := range txBytes {
		if len(*f.get(t)) > 0 && w.fields[f.id].kind == codecNone {
			return notInSpec(f.id)
		}
	}
	var err error
	if f := t.F60; f != nil {
		p := [...]string{f.TxnType, f.Batch, f.NetMgmt, f.ReadCapability, f.ICCCondition, f.PartialSupport, f.AccountType}
		if tx.n60, err = joinWire(tx.b60[:], "60", p[:], widths60); err != nil {
			return &FieldError{Field: 60, Offset: -1, Err: err}
		}
		if tx.n60 > 0 && w.fields[60].kind == codecNone {
			return notInSpec(60)
		}
	}
	if f := t.F61; f != nil {
		p := [...]string{f.OrigBatch, f.OrigSTAN, f.OrigDate, f.AuthMethod, f.AuthInstitution}
		if tx.n61, err = joinWire(tx.b61[:], "61", p[:], widths61); err != nil {
			return &FieldError{Field: 61, Offset: -1, Err: err}
		}
		if tx.n61 > 0 && w.fields[61].kind == codecNone {
			return notInSpec(61)
		}
	}
	if f := t.F63; f != nil {
		if len(f.Code) > 3 {
			return &FieldError{Field: 63, Offset: -1, Err: fmt.Errorf("%w: 63.1 longer than 3", ErrSubfield)}
		}
		if f.Code != "" || f.Info != "" {
			tx.n63 = 3 + len(f.Info)
			dst := tx.b63[:]
			if tx.n63 > len(dst) {
				tx.long63 = make([]byte, tx.n63)
				dst = tx.long63
			}
			copy(dst[copy(dst, f.Code):3], "   ")
			copy(dst[3:], f.Info)
		}
		if tx.n63 > 0 && w.fields[63].kind == codecNone {
			return notInSpec(63)
		}
	}
	return nil
}

func notInSpec(id int) error {
	return &FieldError{Field: id, Offset: -1, Err: fmt.Errorf("%w: field %d not in the spec", ErrField, id)}
}

// joinWire is joinDigits (unionpayfields.go) writing into dst, which has
// room for the widths' sum; it returns the length written.
func joinWire(dst []byte, name string, parts []string, widths []int) (int, error) {
	last := -1
	for i, p := range parts {
		if p != "" {
			last = i
		}
	}
	n := 0
	for i := 0; i <= last; i++ {
		v := parts[i]
		if len(v) > widths[i] {
			return 0, fmt.Errorf("%w: %s.%d longer than %d", ErrSubfield, name, i+1, widths[i])
		}
		for range widths[i] - len(v) {
			dst[n] = '0'
			n++
		}
		for j := 0; j < len(v); j++ {
			if v[j]-'0' > 9 {
				return 0, fmt.Errorf("%w: %s.%d", ErrInvalidDigit, name, i+1)
			}
		}
		n += copy(dst[n:], v)
	}
	return n, nil
}
