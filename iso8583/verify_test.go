package iso8583

import (
	"errors"
	"reflect"
	"testing"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/mac"
)

func TestVerifyTransaction(t *testing.T) {
	key := mustHex(t, "7CA110454A1A6E570131D9619DC1376E")
	alg, err := mac.NewISO9797Alg3(key, mac.Method1)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := mac.NewISO9797Alg3(mustHex(t, "0123456789ABCDEFFEDCBA9876543210"), mac.Method1)
	for _, d := range []Dialect{ISO87, UnionPay} {
		sale, _ := testTerminal(d).Sale(chip, 1000)
		m, err := sale.Message(d.Spec())
		if err != nil {
			t.Fatal(err)
		}
		packed, err := SignMessage(m, alg)
		if err != nil {
			t.Fatal(err)
		}
		keyFor := func(a MACAlgorithm) func(*moov.Message) (MACAlgorithm, error) {
			return func(*moov.Message) (MACAlgorithm, error) { return a, nil }
		}
		gm, tx, err := VerifyTransaction(d.Spec(), packed, keyFor(alg))
		if err != nil || gm == nil || tx == nil || len(tx.MAC) != MACLength {
			t.Fatalf("%v: %v", d, err)
		}
		tx.MAC = nil
		if !reflect.DeepEqual(tx, sale) {
			t.Errorf("%v: transaction differs\n%+v\n%+v", d, tx, sale)
		}
		if gm, tx, err := VerifyTransaction(d.Spec(), packed, keyFor(other)); !errors.Is(err, ErrMACMismatch) || gm == nil || tx == nil {
			t.Errorf("%v: wrong key: %v", d, err)
		}
		boom := errors.New("no terminal")
		if _, tx, err := VerifyTransaction(d.Spec(), packed, func(*moov.Message) (MACAlgorithm, error) { return nil, boom }); !errors.Is(err, ErrMACKey) || !errors.Is(err, boom) || tx == nil {
			t.Errorf("%v: callback error: %v", d, err)
		}
		if gm, tx, err := VerifyTransaction(d.Spec(), packed[:len(packed)-3], keyFor(alg)); err == nil || gm != nil || tx != nil {
			t.Errorf("%v: truncated: %v", d, err)
		}
	}
	// a UnionPay field 60 that does not fit Field60 comes back as a FieldError
	m := moov.NewMessage(SpecUnionPay)
	m.MTI("0200")
	_ = m.Field(3, "000000")
	_ = m.Field(60, "2200")
	packed, err := SignMessage(m, alg)
	if err != nil {
		t.Fatal(err)
	}
	var fe *FieldError
	if gm, tx, err := VerifyTransaction(SpecUnionPay, packed, func(*moov.Message) (MACAlgorithm, error) { return alg, nil }); gm == nil || tx != nil ||
		!errors.As(err, &fe) || fe.Field != 60 || fe.Offset != 13 || !errors.Is(err, ErrSubfield) {
		t.Errorf("bad 60: %v %+v", err, fe)
	}
}
