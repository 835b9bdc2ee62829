package iso8583

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	moov "github.com/moov-io/iso8583"
)

func wantFieldError(t *testing.T, name string, err error, field, offset int, sentinel error) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != field || (offset >= 0 && fe.Offset != offset) || !errors.Is(err, sentinel) {
		t.Errorf("%s: %v (%+v), want field %d at %d, %v", name, err, fe, field, offset, sentinel)
		return
	}
	if n := strings.Count(err.Error(), "iso8583: "); n != 1 {
		t.Errorf("%s: prefix %d times: %v", name, n, err)
	}
}

// TestStrictUnpack holds what strict unpacking refuses (trailing bytes,
// unused bitmaps, empty PANs, malformed track data, non-canonical nibbles)
// with the field and offset each error names. Long because it is one table
// of cases, read top to bottom.
func TestStrictUnpack(t *testing.T) {
	up := testTerminal(UnionPay)
	sale, _ := up.Sale(chip, 1000)
	packed, err := sale.Pack(SpecUnionPay)
	if err != nil {
		t.Fatal(err)
	}
	iso := testTerminal(ISO87)
	isale, _ := iso.Sale(chip, 1000)
	ipacked, err := isale.Pack(Spec87ASCII)
	if err != nil {
		t.Fatal(err)
	}

	// trailing bytes: named after the last field, at the end of it
	_, err = Unpack(SpecUnionPay, append(append([]byte(nil), packed...), 0, 0, 0))
	wantFieldError(t, "trailing", err, 60, len(packed), ErrTrailingData)
	_, err = UnpackMessage(Spec87ASCII, append(append([]byte(nil), ipacked...), '0'), Strict)
	wantFieldError(t, "trailing ASCII", err, 55, len(ipacked), ErrTrailingData)
	if _, err := UnpackWith(SpecUnionPay, append(append([]byte(nil), packed...), 0), Lenient); err != nil {
		t.Errorf("lenient trailing: %v", err)
	}

	// 5,000,000 zero bytes: MTI 0000, an empty bitmap, then data
	zeros := make([]byte, 5000000)
	_, err = UnpackMessage(SpecUnionPay, zeros, Strict)
	wantFieldError(t, "zeros", err, 1, 2, ErrBitmap)
	if _, err := UnpackMessage(Spec87ASCII, zeros, Strict); err == nil {
		t.Error("zeros unpacked on ASCII")
	}
	_, err = UnpackMessage(SpecUnionPay, zeros[:10], Strict)
	wantFieldError(t, "empty message", err, 1, 2, ErrBitmap)

	// a secondary bitmap that lists nothing (UnionPay never sends one)
	sec := append([]byte(nil), packed[:2]...)
	sec = append(sec, packed[2]|0x80)
	sec = append(sec, packed[3:10]...)
	sec = append(sec, make([]byte, 8)...)
	sec = append(sec, packed[10:]...)
	_, err = Unpack(SpecUnionPay, sec)
	wantFieldError(t, "secondary bitmap", err, 1, 2, ErrBitmap)
	if m, err := UnpackMessage(SpecUnionPay, sec, Lenient); err != nil {
		t.Errorf("lenient secondary bitmap: %v", err)
	} else if again, _ := m.Pack(); bytes.Equal(again, sec) {
		t.Error("repacking kept the empty secondary bitmap")
	}

	// an empty PAN: field 2 with length 00, right after MTI and bitmap
	empty := (&Transaction{MTI: "0200", PAN: "1", ProcessingCode: "000000"})
	b, _ := empty.Pack(SpecUnionPay)
	b = append(append(append([]byte(nil), b[:10]...), 0x00), b[12:]...)
	_, err = Unpack(SpecUnionPay, b)
	wantFieldError(t, "empty PAN", err, 2, 10, ErrCard)

	// track 2: no separator, all pad nibbles, two separators, no PAN
	for name, tr := range map[string]string{
		"no separator":   "6224242900000113",
		"pad nibbles":    "FFFFFFFFFFFFFFFFFFFF",
		"two separators": "622424=2806=2013",
		"no PAN":         "=28062013",
		"hex letters":    "622424A=2806",
	} {
		tx := &Transaction{MTI: "0200", Track2: tr, ProcessingCode: "000000"}
		for _, spec := range []*moov.MessageSpec{SpecUnionPay, Spec87ASCII} {
			b, err := tx.Pack(spec)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			_, err = Unpack(spec, b)
			wantFieldError(t, name+" "+spec.Name, err, 35, -1, ErrCard)
			if _, err := UnpackWith(spec, b, Lenient); err != nil {
				t.Errorf("lenient %s: %v", name, err)
			}
		}
	}
	// track 3 with several separators is fine, without any is not
	ok3 := &Transaction{MTI: "0200", Track3: "996224242900000113=156=0000", ProcessingCode: "000000"}
	b, _ = ok3.Pack(SpecUnionPay)
	if _, err := Unpack(SpecUnionPay, b); err != nil {
		t.Errorf("track 3: %v", err)
	}
	bad3 := &Transaction{MTI: "0200", Track3: "FFFF", ProcessingCode: "000000"}
	b, _ = bad3.Pack(SpecUnionPay)
	_, err = Unpack(SpecUnionPay, b)
	wantFieldError(t, "track 3 of pad", err, 36, 13, ErrCard)
}

// A codec error inside moov's unpack becomes a FieldError at the field's
// offset, with the codec's sentinel and no moov wording before the prefix.
func TestUnpackFieldOffsets(t *testing.T) {
	tx := &Transaction{MTI: "0200", PAN: "6224242900000113", ProcessingCode: "000000", Amount: "000000001000"}
	b, _ := tx.Pack(SpecUnionPay)
	// MTI 2, bitmap 8, field 2: 1 + 8 bytes, field 3 at 19
	bad := append([]byte(nil), b...)
	bad[19] = 0xAA
	_, err := Unpack(SpecUnionPay, bad)
	wantFieldError(t, "field 3", err, 3, 19, ErrInvalidDigit)
	_, err = Unpack(SpecUnionPay, b[:len(b)-1])
	wantFieldError(t, "short field 4", err, 4, 22, ErrShortData)
	_, err = Unpack(SpecUnionPay, b[:1])
	wantFieldError(t, "short MTI", err, 0, 0, ErrShortData)
	ib, _ := tx.Pack(Spec87ASCII)
	ibad := append([]byte(nil), ib...)
	ibad[4] = 'G' // bitmap
	_, err = Unpack(Spec87ASCII, ibad)
	wantFieldError(t, "ASCII bitmap", err, 1, 4, ErrInvalidDigit)
	for _, e := range []error{err} {
		if strings.Contains(e.Error(), "6224242900000113") {
			t.Errorf("error shows the PAN: %v", e)
		}
	}
}
