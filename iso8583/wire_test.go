package iso8583

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/encoding"
	"github.com/moov-io/iso8583/field"
	"github.com/moov-io/iso8583/padding"
	"github.com/moov-io/iso8583/prefix"

	"github.com/poskit/poskit/mac"
)

// The differential proof of the lean path: on the same input the lean
// path (wire*.go) and the moov path (a moov message: Message + Pack,
// UnpackMessage + FromMessage, SignMessage, VerifyTransaction) accept and
// refuse the same, give the same Transaction and the same bytes, and name
// the same field (and offset) in their errors.

var wireSentinels = []error{
	ErrInvalidDigit, ErrShortData, ErrLength, ErrField, ErrTrailingData, ErrBitmap, ErrCard, ErrSubfield,
	ErrNoMAC, ErrMACMismatch, ErrMACAlgorithm, ErrMACKey,
}

// sameError fails unless a and b are both nil, or both errors with the
// same field and offset (when *FieldError) and the same sentinels.
func sameError(t testing.TB, what string, lean, ref error) {
	t.Helper()
	if (lean == nil) != (ref == nil) {
		t.Fatalf("%s: lean %v, moov %v", what, lean, ref)
	}
	if lean == nil {
		return
	}
	var fl, fr *FieldError
	if errors.As(lean, &fl) != errors.As(ref, &fr) || (fl != nil && (fl.Field != fr.Field || fl.Offset != fr.Offset)) {
		t.Fatalf("%s: lean %v (%+v), moov %v (%+v)", what, lean, fl, ref, fr)
	}
	for _, s := range wireSentinels {
		if errors.Is(lean, s) != errors.Is(ref, s) {
			t.Fatalf("%s: lean %v, moov %v: differ on %v", what, lean, ref, s)
		}
	}
}

// diffUnpack unpacks b both ways in both modes, into a fresh Transaction
// and into one already holding another message.
func diffUnpack(t testing.TB, spec *moov.MessageSpec, b []byte, dirty *Transaction) {
	t.Helper()
	for _, mode := range []UnpackMode{Strict, Lenient} {
		_, ref, rerr := unpackMoov(spec, b, mode)
		var lean Transaction
		lerr := UnpackInto(spec, b, &lean, mode)
		sameError(t, "unpack", lerr, rerr)
		if rerr == nil && !reflect.DeepEqual(&lean, ref) {
			t.Fatalf("unpack mode %d differs:\n%+v\n%+v\n%X", mode, lean, *ref, b)
		}
		if rerr != nil && !reflect.DeepEqual(lean, Transaction{}) {
			t.Fatalf("unpack error left fields: %+v", lean)
		}
		if dirty != nil {
			reused := *dirty
			lerr = UnpackInto(spec, b, &reused, mode)
			sameError(t, "unpack into a used Transaction", lerr, rerr)
			if rerr == nil && !reflect.DeepEqual(&reused, ref) {
				t.Fatalf("unpack into a used Transaction differs:\n%+v\n%+v", reused, *ref)
			}
		}
	}
}

// diffPack packs tx both ways, plain and signed, and checks the signed
// bytes verify both ways.
func diffPack(t testing.TB, spec *moov.MessageSpec, tx *Transaction, alg MACAlgorithm) {
	t.Helper()
	before := *tx
	ref, rerr := tx.packMoov(spec)
	prefix := []byte("prefix")
	lean, lerr := tx.AppendPack(prefix, spec)
	sameError(t, "pack", lerr, rerr)
	if !bytes.Equal(lean[:len(prefix)], prefix) || !bytes.Equal(lean[len(prefix):], ref) {
		t.Fatalf("pack differs:\n%X\n%X\n%+v", lean, ref, *tx)
	}
	sref, rerr := tx.appendSignedMoov(nil, spec, alg)
	slean, lerr := tx.AppendSigned(prefix, spec, alg)
	sameError(t, "sign", lerr, rerr)
	if !bytes.Equal(slean[:len(prefix)], prefix) || !bytes.Equal(slean[len(prefix):], sref) {
		t.Fatalf("signed pack differs:\n%X\n%X", slean, sref)
	}
	if !reflect.DeepEqual(*tx, before) {
		t.Fatal("packing changed the Transaction")
	}
	if rerr == nil {
		diffVerify(t, spec, sref, alg)
	}
}

// diffVerify verifies b with VerifyInto and VerifyTransaction.
func diffVerify(t testing.TB, spec *moov.MessageSpec, b []byte, alg MACAlgorithm) {
	t.Helper()
	_, ref, rerr := VerifyTransaction(spec, b, func(*moov.Message) (MACAlgorithm, error) { return alg, nil })
	var lean Transaction
	lerr := VerifyInto(spec, b, &lean, func(*Transaction) (MACAlgorithm, error) { return alg, nil })
	sameError(t, "verify", lerr, rerr)
	if ref != nil && !reflect.DeepEqual(&lean, ref) {
		t.Fatalf("verify: transactions differ:\n%+v\n%+v", lean, *ref)
	}
}

var wireTestKey = []byte{0x7C, 0xA1, 0x10, 0x45, 0x4A, 0x1A, 0x6E, 0x57, 0x01, 0x31, 0xD9, 0x61, 0x9D, 0xC1, 0x37, 0x6E}

// wireTestMAC is AES-CMAC (16 bytes, truncated to the field's 8), which
// FIPS 140-only mode allows; the lean path does not depend on the MAC.
func wireTestMAC(t testing.TB) MACAlgorithm {
	alg, err := mac.NewAESCMAC(wireTestKey)
	if err != nil {
		t.Fatal(err)
	}
	return alg
}

// junkTransaction fills random fields of a Transaction with random
// strings and bytes, valid or not for the spec: the packers must agree on
// what they refuse too.
func junkTransaction(c *chooser) *Transaction {
	const alphabet = "0123456789=DdAaFf z\x80\xff"
	str := func() string {
		b := make([]byte, c.n(24))
		for i := range b {
			b[i] = alphabet[c.n(len(alphabet))]
		}
		return string(b)
	}
	tx := &Transaction{}
	for _, f := range txStrings {
		if c.n(4) == 0 {
			*f.get(tx) = str()
		}
	}
	for _, f := range txBytes {
		if c.n(4) == 0 {
			*f.get(tx) = []byte(str())
		}
	}
	if c.n(3) == 0 {
		tx.F60 = &Field60{TxnType: str(), Batch: str(), NetMgmt: str()}
	}
	if c.n(3) == 0 {
		tx.F61 = &Field61{OrigBatch: str(), AuthInstitution: str()}
	}
	if c.n(3) == 0 {
		code := str()
		tx.F63 = &Field63{Code: code[:min(len(code), c.n(5))], Info: str()}
	}
	return tx
}

// mutate changes a few bytes of b, or cuts or extends it.
func mutate(c *chooser, b []byte) []byte {
	out := append([]byte(nil), b...)
	for range 1 + c.n(3) {
		if len(out) == 0 {
			break
		}
		switch i := c.n(len(out)); c.n(5) {
		case 0:
			out = out[:i]
		case 1:
			out = append(out, byte(c.n(256)))
		default:
			out[i] ^= byte(1 + c.n(255))
		}
	}
	return out
}

// TestWireDifferential runs both paths on 600 random valid transactions
// and 600 random junk ones per dialect, then on mutations of what they
// pack. Long because it is one loop over four kinds of input.
func TestWireDifferential(t *testing.T) {
	alg := wireTestMAC(t)
	rng := rand.New(rand.NewPCG(21, 13))
	seed := func() *chooser {
		b := make([]byte, 512)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return &chooser{b}
	}
	n := 600
	if testing.Short() {
		n = 100
	}
	for _, d := range []Dialect{ISO87, UnionPay} {
		spec := d.Spec()
		var prev *Transaction
		for i := range 2 * n {
			c := seed()
			tx := randomTransaction(c, d)
			if i >= n {
				tx = junkTransaction(c)
			}
			diffPack(t, spec, tx, alg)
			packed, err := tx.packMoov(spec)
			if err != nil {
				continue
			}
			diffUnpack(t, spec, packed, prev)
			signed, _ := tx.appendSignedMoov(nil, spec, alg)
			diffVerify(t, spec, signed, alg)
			for range 4 {
				diffUnpack(t, spec, mutate(c, packed), prev)
				diffVerify(t, spec, mutate(c, signed), alg)
			}
			if i < n {
				prev = tx
			}
		}
	}
}

// fuzzWire is the differential fuzz body: data as a message (unpacked
// and verified both ways) and as the choices of a Transaction (packed and
// signed both ways, then its bytes and a mutation of them unpacked).
func fuzzWire(t *testing.T, d Dialect, data []byte) {
	spec, alg := d.Spec(), wireTestMAC(t)
	diffUnpack(t, spec, data, nil)
	diffVerify(t, spec, data, alg)
	c := &chooser{data}
	var tx *Transaction
	if len(data) > 0 && data[0]&1 == 1 {
		tx = junkTransaction(c)
	} else {
		tx = randomTransaction(c, d)
	}
	diffPack(t, spec, tx, alg)
	if packed, err := tx.packMoov(spec); err == nil {
		var prev Transaction
		_ = UnpackInto(spec, data, &prev, Lenient)
		diffUnpack(t, spec, packed, &prev)
		diffUnpack(t, spec, mutate(c, packed), &prev)
	}
}

func wireSeeds(f *testing.F, d Dialect) {
	alg := wireTestMAC(f)
	term := testTerminal(d)
	sale, _ := term.Sale(chip, 1000)
	for _, tx := range []*Transaction{sale} {
		b, _ := tx.Pack(d.Spec())
		f.Add(b)
		s, _ := tx.AppendSigned(nil, d.Spec(), alg)
		f.Add(s)
	}
	so, _ := term.SignOn()
	b, _ := so.Pack(d.Spec())
	f.Add(b)
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{1, 2, 3, 250}, 100))
}

// FuzzWireUnionPay and FuzzWireASCII hold the lean path to the moov path
// on any input (see fuzzWire).
func FuzzWireUnionPay(f *testing.F) {
	wireSeeds(f, UnionPay)
	f.Add(goldenCapture(f)[13:])
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWire(t, UnionPay, data) })
}

func FuzzWireASCII(f *testing.F) {
	wireSeeds(f, ISO87)
	f.Add([]byte("0800822000000000000004000000000000001121103015000001301"))
	f.Add([]byte("0200FFFFFFFFFFFFFFFF"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWire(t, ISO87, data) })
}

// TestWireAllocs holds the lean path's allocations for a chip sale: none
// to pack into a reused buffer, two to unpack into a reused Transaction
// (one string, one byte slice), the MAC's own to sign and verify, one to
// answer (the clock's string).
func TestWireAllocs(t *testing.T) {
	alg := wireTestMAC(t)
	macAllocs := testing.AllocsPerRun(100, func() { _ = alg.MAC([]byte("0123456789abcdef0123")) })
	for _, d := range []Dialect{ISO87, UnionPay} {
		spec := d.Spec()
		sale, err := testTerminal(d).Sale(chip, 1000)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := sale.AppendSigned(nil, spec, alg)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 0, 1024)
		var req, resp Transaction
		keyFor := func(*Transaction) (MACAlgorithm, error) { return alg, nil }
		cases := []struct {
			name string
			max  float64
			f    func()
		}{
			{"AppendPack", 0, func() { buf, err = sale.AppendPack(buf[:0], spec) }},
			{"UnpackInto", 2, func() { err = UnpackInto(spec, signed, &req, Strict) }},
			{"AppendSigned", macAllocs, func() { buf, err = sale.AppendSigned(buf[:0], spec, alg) }},
			{"VerifyInto", 2 + macAllocs, func() { err = VerifyInto(spec, signed, &req, keyFor) }},
			{"ResponseInto", 1, func() { err = req.ResponseInto(&resp, "00", "123456789012", "654321", testNow) }},
		}
		for _, c := range cases {
			if n := testing.AllocsPerRun(100, c.f); n > c.max || err != nil {
				t.Errorf("%v %s: %v allocations (want at most %v), %v", d, c.name, n, c.max, err)
			}
		}
	}
}

// ResponseInto answers as NewResponse does, into a reused Transaction,
// copying 60 and 61 into r's own structs, never into req's.
func TestResponseIntoMatchesNewResponse(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 400 {
		b := make([]byte, 256)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		d := Dialect(i % 2)
		req := randomTransaction(&chooser{b}, d)
		if i%3 == 0 {
			req.Track2, req.PAN = "6224242900000113D2806", ""
		}
		if i%5 == 0 {
			req.MTI = "0201"
		}
		if i%7 == 0 {
			req.MTI = "0210"
		}
		want, werr := NewResponse(req, "00", "000000000001", "123456", testNow)
		r := &Transaction{F60: &Field60{Batch: "1"}, F61: &Field61{}, MAC: []byte{1}}
		keep60 := r.F60
		err := req.ResponseInto(r, "00", "000000000001", "123456", testNow)
		if (err == nil) != (werr == nil) || (err == nil && !reflect.DeepEqual(r, want)) {
			t.Fatalf("ResponseInto: %v %v\n%+v\n%+v", err, werr, r, want)
		}
		if err == nil && req.F60 != nil && r.F60 != keep60 {
			t.Fatal("ResponseInto did not reuse r.F60")
		}
	}
	// r sharing req's struct gets a struct of its own
	req, _ := testTerminal(UnionPay).Sale(chip, 1000)
	r := &Transaction{F60: req.F60}
	if err := req.ResponseInto(r, "00", "", "", testNow); err != nil || r.F60 == req.F60 || *r.F60 != *req.F60 {
		t.Errorf("aliased F60: %v", err)
	}
	if err := (*Transaction)(nil).ResponseInto(r, "00", "", "", testNow); !errors.Is(err, ErrMTI) {
		t.Errorf("nil request: %v", err)
	}
	if got := responseMTI("0x00"); got != "0x10" {
		t.Errorf("MTI of a non-digit: %q", got)
	}
}

// UnpackInto writes into the structs the target points to, and clears
// what the message lacks.
func TestUnpackIntoReuse(t *testing.T) {
	sale, _ := testTerminal(UnionPay).Sale(chip, 1000)
	b, _ := sale.Pack(SpecUnionPay)
	f60 := &Field60{TxnType: "99"}
	tx := Transaction{F60: f60, F63: &Field63{Code: "X"}, AuthCode: "left"}
	if err := UnpackInto(SpecUnionPay, b, &tx, Strict); err != nil {
		t.Fatal(err)
	}
	if tx.F60 != f60 || *f60 != *sale.F60 || tx.F63 != nil || tx.AuthCode != "" {
		t.Errorf("reuse: %+v", tx)
	}
	if err := UnpackInto(SpecUnionPay, b, nil, Strict); !errors.Is(err, ErrField) {
		t.Errorf("nil target: %v", err)
	}
	// byte fields are capped: an append does not write into a neighbour
	if len(tx.PINBlock) == 0 || cap(tx.PINBlock) != len(tx.PINBlock) {
		t.Errorf("PIN block capacity %d", cap(tx.PINBlock))
	}
}

// A spec with codecs the lean path does not know goes through moov with
// the same results, and so does a message with a third bitmap.
func TestWireFallback(t *testing.T) {
	if wireOf(moovStockUnionPay) != nil || wireOf(SpecUnionPay) == nil || wireOf(Spec87ASCII) == nil || wireOf(nil) != nil {
		t.Fatal("wrong specs compiled")
	}
	alg := wireTestMAC(t)
	tx := &Transaction{MTI: "0200", PAN: "6224242900000113", ProcessingCode: "000000", Amount: "000000001000",
		STAN: "000403", TerminalID: "10000019", PINBlock: testPIN, F60: &Field60{TxnType: "22", Batch: "000024"}}
	diffPack(t, moovStockUnionPay, tx, alg)
	packed, err := tx.AppendPack(nil, moovStockUnionPay)
	if err != nil {
		t.Fatal(err)
	}
	diffUnpack(t, moovStockUnionPay, packed, tx)
	mio := Conn{Spec: moovStockUnionPay, Framing: UnionPayFraming, Host: true, Lean: true}.New()
	signed, _ := tx.AppendSigned(nil, moovStockUnionPay, alg)
	frame, _ := UnionPayFraming.AppendFrame(nil, Frame{Message: signed})
	m, err := mio.ReadMessage(bytes.NewReader(frame))
	if err != nil || m.GetField(2) == nil {
		t.Fatalf("lean MessageIO on a foreign spec: %v", err)
	}
	if _, err := mio.VerifyReceived(m, func(*Transaction) (MACAlgorithm, error) { return alg, nil }); err != nil {
		t.Errorf("VerifyReceived on a foreign spec: %v", err)
	}
	if rm, err := mio.Packed(signed); err != nil || rm.GetField(2) == nil {
		t.Errorf("Packed on a foreign spec: %v", err)
	}
	if _, err := mio.Packed([]byte{0x02}); !errors.Is(err, ErrConnection) {
		t.Errorf("Packed garbage on a foreign spec: %v", err)
	}

	// three bitmaps (bits 1 and 65 set) on the ASCII spec
	third := []byte("0200" + "C000000000000000" + "8000000000000000" + "0000000000000000" + "16476173900101011900")
	diffUnpack(t, Spec87ASCII, third, tx)
	var got Transaction
	if _, err := unpackWire(wireOf(Spec87ASCII), third, &got, Lenient); err != errWireFallback {
		t.Errorf("third bitmap: %v", err)
	}
}

// Edges the random transactions seldom reach: a long field 63, sub-fields
// on a spec without them, a spec without a MAC field, specs the lean path
// refuses to compile.
func TestWireEdges(t *testing.T) {
	alg := wireTestMAC(t)
	long := &Transaction{MTI: "0200", STAN: "000001", F60: &Field60{TxnType: "22"}, F61: &Field61{OrigSTAN: "000002"},
		F63: &Field63{Code: "CU", Info: string(bytes.Repeat([]byte("x"), 300))}, NetworkMgmtCode: "301"}
	diffPack(t, Spec87ASCII, long, alg)
	b, _ := long.packMoov(Spec87ASCII)
	diffUnpack(t, Spec87ASCII, b, long)

	small := &moov.MessageSpec{Name: "small", Fields: map[int]field.Field{
		0:  field.NewString(&field.Spec{Length: 4, Enc: BCD, Pref: LengthBCD.Fixed}),
		1:  field.NewBitmap(&field.Spec{Length: 8, Enc: Binary, Pref: LengthBCD.Fixed}),
		11: field.NewString(&field.Spec{Length: 6, Enc: BCD, Pref: LengthBCD.Fixed}),
		52: field.NewString(&field.Spec{Length: 8, Enc: Binary, Pref: LengthBCD.Fixed}),
	}}
	if wireOf(small) == nil {
		t.Fatal("small spec not compiled")
	}
	for _, tx := range []*Transaction{
		{MTI: "0200", STAN: "000001"},
		{MTI: "0200", STAN: "000001", PINBlock: testPIN},
		{MTI: "0200", F60: &Field60{TxnType: "22"}},
		{MTI: "0200", F61: &Field61{OrigSTAN: "1"}},
		{MTI: "0200", F63: &Field63{Code: "CUP"}},
		{MTI: "0200", F63: &Field63{Code: "CUPX"}},
		{MTI: "0200", F60: &Field60{TxnType: "2x"}},
		{MTI: "0200", F61: &Field61{OrigSTAN: "1234567"}},
		{MTI: "0200", ICC: testICC},
		{MTI: "0200", STAN: "1"},
		{MTI: "02x0", STAN: "000001"},
	} {
		diffPack(t, small, tx, alg)
		if b, err := tx.packMoov(small); err == nil {
			diffUnpack(t, small, b, tx)
			diffVerify(t, small, b, alg)
		}
	}
	for _, f := range []field.Field{
		field.NewString(&field.Spec{Length: 6, Enc: BCD, Pref: LengthBCD.Fixed, Pad: padding.Left('0')}),
		field.NewNumeric(&field.Spec{Length: 6, Enc: BCD, Pref: LengthBCD.Fixed}),
		field.NewString(&field.Spec{Length: 6, Enc: encoding.BCD, Pref: LengthBCD.Fixed}),
		field.NewString(&field.Spec{Length: 6, Enc: BCD, Pref: prefix.BCD.Fixed}),
		field.NewBinary(&field.Spec{Length: 6, Enc: Binary, Pref: LengthBCD.Fixed}), // 11 is a string of Transaction
	} {
		odd := &moov.MessageSpec{Fields: map[int]field.Field{0: small.Fields[0], 1: small.Fields[1], 11: f}}
		if wireOf(odd) != nil {
			t.Errorf("compiled a spec with %T %+v", f, f.Spec())
		}
	}
	for _, bm := range []field.Field{
		field.NewBitmap(&field.Spec{Length: 16, Enc: Binary, Pref: LengthBCD.Fixed}),
		field.NewBitmap(&field.Spec{Length: 8, Enc: Binary, Pref: LengthBCD.LL}),
		field.NewBitmap(&field.Spec{Length: 8, Enc: encoding.Binary, Pref: LengthBCD.Fixed}),
		field.NewString(&field.Spec{Length: 8, Enc: Binary, Pref: LengthBCD.Fixed}),
	} {
		odd := &moov.MessageSpec{Fields: map[int]field.Field{0: small.Fields[0], 1: bm}}
		if wireOf(odd) != nil {
			t.Errorf("compiled a spec with bitmap %T %+v", bm, bm.Spec())
		}
	}
}
