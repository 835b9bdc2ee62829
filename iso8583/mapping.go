package iso8583

import (
	"maps"
	"slices"
	"strconv"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"
)

// The fields of Transaction by number: the one mapping between Transaction
// and a message (see the design note in doc.go). Message and FromMessage
// move fields through it without reflection.
var txStrings = [...]struct {
	id  int
	get func(*Transaction) *string
}{
	{0, func(t *Transaction) *string { return &t.MTI }},
	{2, func(t *Transaction) *string { return &t.PAN }},
	{3, func(t *Transaction) *string { return &t.ProcessingCode }},
	{4, func(t *Transaction) *string { return &t.Amount }},
	{7, func(t *Transaction) *string { return &t.TransmissionTime }},
	{11, func(t *Transaction) *string { return &t.STAN }},
	{12, func(t *Transaction) *string { return &t.LocalTime }},
	{13, func(t *Transaction) *string { return &t.LocalDate }},
	{14, func(t *Transaction) *string { return &t.Expiry }},
	{15, func(t *Transaction) *string { return &t.SettlementDate }},
	{22, func(t *Transaction) *string { return &t.EntryMode }},
	{23, func(t *Transaction) *string { return &t.CardSequence }},
	{25, func(t *Transaction) *string { return &t.ConditionCode }},
	{26, func(t *Transaction) *string { return &t.PINCapture }},
	{32, func(t *Transaction) *string { return &t.AcquirerID }},
	{35, func(t *Transaction) *string { return &t.Track2 }},
	{36, func(t *Transaction) *string { return &t.Track3 }},
	{37, func(t *Transaction) *string { return &t.RRN }},
	{38, func(t *Transaction) *string { return &t.AuthCode }},
	{39, func(t *Transaction) *string { return &t.ResponseCode }},
	{41, func(t *Transaction) *string { return &t.TerminalID }},
	{42, func(t *Transaction) *string { return &t.MerchantID }},
	{44, func(t *Transaction) *string { return &t.AdditionalResponse }},
	{48, func(t *Transaction) *string { return &t.AdditionalData }},
	{49, func(t *Transaction) *string { return &t.Currency }},
	{53, func(t *Transaction) *string { return &t.SecurityControl }},
	{54, func(t *Transaction) *string { return &t.AdditionalAmounts }},
	{59, func(t *Transaction) *string { return &t.F59 }},
	{70, func(t *Transaction) *string { return &t.NetworkMgmtCode }},
	{74, func(t *Transaction) *string { return &t.CreditsNumber }},
	{76, func(t *Transaction) *string { return &t.DebitsNumber }},
	{86, func(t *Transaction) *string { return &t.CreditsAmount }},
	{88, func(t *Transaction) *string { return &t.DebitsAmount }},
	{90, func(t *Transaction) *string { return &t.OriginalData }},
	{102, func(t *Transaction) *string { return &t.AccountID1 }},
	{103, func(t *Transaction) *string { return &t.AccountID2 }},
}

var txBytes = [...]struct {
	id  int
	get func(*Transaction) *[]byte
}{
	{52, func(t *Transaction) *[]byte { return &t.PINBlock }},
	{55, func(t *Transaction) *[]byte { return &t.ICC }},
	{62, func(t *Transaction) *[]byte { return &t.F62 }},
	{64, func(t *Transaction) *[]byte { return &t.MAC }},
}

// Pack packs t with spec: AppendPack into a new buffer.
func (t *Transaction) Pack(spec *moov.MessageSpec) ([]byte, error) {
	b, err := t.AppendPack(nil, spec)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Unpack unpacks b with spec into a Transaction, strictly (see Strict).
// Errors are *FieldError values naming the field and its offset. It is
// UnpackInto a new Transaction (see there for what the result shares).
func Unpack(spec *moov.MessageSpec, b []byte) (*Transaction, error) {
	return UnpackWith(spec, b, Strict)
}

// UnpackWith is Unpack with a choice of mode: Lenient reads captures from
// peers that do not follow the rules.
func UnpackWith(spec *moov.MessageSpec, b []byte, mode UnpackMode) (*Transaction, error) {
	t := &Transaction{}
	if err := UnpackInto(spec, b, t, mode); err != nil {
		return nil, err
	}
	return t, nil
}

// Message returns a moov message of spec holding t (MTI and every
// non-empty field; 60, 61 and 63 through their MarshalText).
func (t *Transaction) Message(spec *moov.MessageSpec) (*moov.Message, error) {
	m := moov.NewMessage(spec)
	if err := t.fill(m); err != nil {
		return nil, err
	}
	return m, nil
}

// fieldPath is the moov path of field id ("2", "35"...).
var fieldPath = func() (p [129]string) {
	for i := range p {
		p[i] = strconv.Itoa(i)
	}
	return p
}()

// fieldSlot maps a field number to its place in txStrings (i+1) or
// txBytes (-(i+1)).
var fieldSlot = func() (s [129]int8) {
	for i, f := range txStrings {
		s[f.id] = int8(i + 1)
	}
	for i, f := range txBytes {
		s[f.id] = -int8(i + 1)
	}
	return s
}()

func (t *Transaction) fill(m *moov.Message) error {
	// MarshalPath hands the string to the field as is; Field would copy it
	// twice (to []byte and back)
	for _, f := range txStrings {
		// a *string goes into the interface without an allocation
		if p := f.get(t); *p != "" {
			if err := m.MarshalPath(fieldPath[f.id], p); err != nil {
				return &FieldError{Field: f.id, Offset: -1, Err: ownCause(err)}
			}
		}
	}
	for _, f := range txBytes {
		if v := *f.get(t); len(v) > 0 {
			if err := m.BinaryField(f.id, v); err != nil {
				return &FieldError{Field: f.id, Offset: -1, Err: ownCause(err)}
			}
		}
	}
	for _, f := range t.subfieldTexts() {
		if !f.ok {
			continue
		}
		b, err := f.v.MarshalText()
		if err != nil {
			return &FieldError{Field: f.id, Offset: -1, Err: err}
		}
		if len(b) > 0 {
			if err := m.Field(f.id, string(b)); err != nil {
				return &FieldError{Field: f.id, Offset: -1, Err: ownCause(err)}
			}
		}
	}
	return nil
}

// subfieldText is one of the UnionPay fields with sub-fields (60, 61, 63)
// of a Transaction; ok is false when the field is absent.
type subfieldText struct {
	id int
	v  interface{ MarshalText() ([]byte, error) }
	ok bool
}

// subfieldTexts lists fields 60, 61 and 63 of t, for Message and String.
func (t *Transaction) subfieldTexts() [3]subfieldText {
	return [3]subfieldText{{60, t.F60, t.F60 != nil}, {61, t.F61, t.F61 != nil}, {63, t.F63, t.F63 != nil}}
}

// FromMessage reads a Transaction out of m. Binary fields are copied.
// Fields 60, 61 and 63, when present, must follow the UnionPay layouts of
// Field60, Field61 and Field63 (a *FieldError wrapping ErrSubfield
// otherwise); fields Transaction does not name are ignored.
func FromMessage(m *moov.Message) (*Transaction, error) {
	t := &Transaction{}
	for _, id := range mappedIDs {
		if fl := m.GetField(id); fl != nil {
			if err := t.set(id, fl); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

// mappedIDs are the fields Transaction holds, in order: FromMessage looks
// them up one by one rather than copying the message's field map.
var mappedIDs = func() []int {
	var ids []int
	for id, slot := range fieldSlot {
		if slot != 0 || id == 60 || id == 61 || id == 63 {
			ids = append(ids, id)
		}
	}
	return ids
}()

// fromUnpacked is FromMessage for a message just unpacked, whose bitmap
// lists its fields: it saves copying the message's field map.
func fromUnpacked(m *moov.Message) (*Transaction, error) {
	t := &Transaction{}
	if err := t.set(0, m.GetField(0)); err != nil {
		return nil, err
	}
	bm := m.Bitmap()
	for id := 2; id <= bm.Len() && id < len(fieldSlot); id++ {
		if !bm.IsSet(id) || bm.IsBitmapPresenceBit(id) {
			continue
		}
		if err := t.set(id, m.GetField(id)); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *Transaction) set(id int, fl field.Field) error {
	if id < 0 || id >= len(fieldSlot) || id == 1 || fl == nil {
		return nil
	}
	switch slot := fieldSlot[id]; {
	case slot > 0:
		v, err := fl.String()
		if err != nil {
			return &FieldError{Field: id, Offset: -1, Err: ownCause(err)}
		}
		*txStrings[slot-1].get(t) = v
	case slot < 0:
		b, err := fl.Bytes()
		if err != nil {
			return &FieldError{Field: id, Offset: -1, Err: ownCause(err)}
		}
		if len(b) > 0 {
			*txBytes[-slot-1].get(t) = append([]byte(nil), b...)
		}
	case id == 60 || id == 61 || id == 63:
		v, err := fl.String()
		if err != nil {
			return &FieldError{Field: id, Offset: -1, Err: ownCause(err)}
		}
		var u interface{ UnmarshalText([]byte) error }
		switch id {
		case 60:
			t.F60 = &Field60{}
			u = t.F60
		case 61:
			t.F61 = &Field61{}
			u = t.F61
		default:
			t.F63 = &Field63{}
			u = t.F63
		}
		if err := u.UnmarshalText([]byte(v)); err != nil {
			return &FieldError{Field: id, Offset: -1, Err: ownCause(err)}
		}
	}
	return nil
}

// packMessage packs m; on failure it finds the field that cannot be packed
// and reports it in a *FieldError.
func packMessage(m *moov.Message) ([]byte, error) {
	b, err := m.Pack()
	if err == nil {
		return b, nil
	}
	fields := m.GetFields()
	for _, id := range slices.Sorted(maps.Keys(fields)) {
		if id == 1 {
			continue
		}
		if _, ferr := fields[id].Pack(); ferr != nil {
			return nil, &FieldError{Field: id, Offset: -1, Err: ownCause(ferr)}
		}
	}
	return nil, &FieldError{Field: 0, Offset: -1, Err: ownCause(err)}
}
