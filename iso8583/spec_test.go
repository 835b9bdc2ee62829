package iso8583

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"
	"github.com/moov-io/iso8583/specs"
)

// goldenCapture is a UnionPay POS sale request captured from a terminal and
// published with its field-by-field decoding in "POS调试8583报文-消费"
// (MaxWoods, https://blog.csdn.net/MaxWoods/article/details/86490475,
// mirrored at https://www.codetd.com/article/5053461): 2-byte binary
// length, TPDU 6000060000, header 603100311003, then the 0200 message.
func goldenCapture(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/cup_sale_capture.hex")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := hex.DecodeString(strings.Join(strings.Fields(string(b)), ""))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestGoldenUnionPaySale(t *testing.T) {
	raw := goldenCapture(t)
	fr, err := NewReader(bytes.NewReader(raw), UnionPayFraming).ReadFrame()
	if err != nil {
		t.Fatal(err)
	}
	if fr.TPDU != NewTPDU(0x60, 0x0006, 0x0000) {
		t.Errorf("TPDU %s", fr.TPDU)
	}
	if fr.Header.String() != "603100311003" || fr.Header.AppType() != 0x60 || fr.Header.Version() != 0x31 ||
		fr.Header.TerminalStatus() != 0 || fr.Header.ProcessingRequest() != 0 || fr.Header.SoftwareVersion() != [3]byte{0x31, 0x10, 0x03} {
		t.Errorf("header %s", fr.Header)
	}
	m := moov.NewMessage(SpecUnionPay)
	if err := m.Unpack(fr.Message); err != nil {
		t.Fatal(err)
	}
	// the decoding published with the capture
	want := map[int]string{
		0: "0200", 2: "6224242900000113", 3: "000000", 4: "000000000001", 11: "000403",
		14: "2806", 22: "071", 23: "000", 25: "00", 26: "12",
		35: "6224242900000113D28062013949031013", 41: "10000019", 42: "850100082410002",
		48: "0", 49: "156", 52: "D1EEF419D0AE2609", 53: "2600000000000000", 60: "22000024000600",
		64: "3846363531423236",
	}
	for id, w := range want {
		got, err := m.GetString(id)
		if err != nil || got != w {
			t.Errorf("field %d = %q, %v; want %q", id, got, err, w)
		}
	}
	icc, _ := m.GetBytes(55)
	if len(icc) != 139 || !bytes.HasPrefix(icc, []byte{0x9F, 0x26, 0x08, 0x95, 0xBB}) {
		t.Errorf("field 55: %d bytes %X", len(icc), icc[:4])
	}
	packed, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(packed, fr.Message) {
		t.Fatalf("repack differs:\n%X\n%X", packed, fr.Message)
	}
	// and the whole frame
	out, err := UnionPayFraming.AppendFrame(nil, Frame{TPDU: fr.TPDU, Header: fr.Header, Message: packed})
	if err != nil || !bytes.Equal(out, raw) {
		t.Fatalf("reframe differs: %v", err)
	}

	tx, err := FromMessage(m)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Kind() != KindSale || tx.F60 == nil || *tx.F60 != (Field60{TxnType: "22", Batch: "000024", NetMgmt: "000", ReadCapability: "6", ICCCondition: "0", PartialSupport: "0"}) {
		t.Errorf("typed: kind %v, 60 %+v", tx.Kind(), tx.F60)
	}
	if string(tx.MAC) != "8F651B26" { // the UnionPay ECB MAC is 8 ASCII hex characters
		t.Errorf("MAC %q", tx.MAC)
	}
	// the MAB is the message without its last 8 bytes
	mab, err := MAB(m)
	if err != nil || !bytes.Equal(mab, fr.Message[:len(fr.Message)-8]) {
		t.Errorf("MAB differs: %v", err)
	}
}

func TestSpec87ASCIIBitmap(t *testing.T) {
	m := moov.NewMessage(Spec87ASCII)
	m.MTI("0800")
	_ = m.Field(11, "000001")
	_ = m.Field(41, "TERM0001")
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "0800"+"0020000000800000"+"000001TERM0001" {
		t.Errorf("primary only: %s", b)
	}
	_ = m.Field(70, "001")
	b, err = m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "0800"+"8020000000800000"+"0400000000000000"+"000001TERM0001001" {
		t.Errorf("with secondary: %s", b)
	}
	m2 := moov.NewMessage(Spec87ASCII)
	if err := m2.Unpack(b); err != nil {
		t.Fatal(err)
	}
	if v, _ := m2.GetString(70); v != "001" {
		t.Errorf("70 = %q", v)
	}
}

func TestSpec87ASCIIChecksCharacters(t *testing.T) {
	for id, v := range map[int]string{3: "00A000", 11: "12345x", 35: "4761^739", 41: "TERM\x80001"} {
		m := moov.NewMessage(Spec87ASCII)
		m.MTI("0200")
		_ = m.Field(id, v)
		if _, err := m.Pack(); !errors.Is(err, ErrInvalidDigit) {
			t.Errorf("field %d %q: %v", id, v, err)
		}
	}
	m := moov.NewMessage(Spec87ASCII)
	m.MTI("0200")
	_ = m.Field(3, "12345")
	if _, err := m.Pack(); !errors.Is(err, ErrLength) {
		t.Errorf("short fixed field: %v", err)
	}
	if err := moov.NewMessage(Spec87ASCII).Unpack([]byte("0200200000000000000000A000")); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("unpack letters in field 3: %v", err)
	}
}

func TestSpec87ASCIIBinaryFields(t *testing.T) {
	pin := []byte{0xD1, 0xEE, 0xF4, 0x19, 0xD0, 0xAE, 0x26, 0x09}
	mac := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	icc := []byte{0x9F, 0x26, 0x02, 0xAB, 0xCD}
	m := moov.NewMessage(Spec87ASCII)
	m.MTI("0200")
	_ = m.BinaryField(52, pin)
	_ = m.BinaryField(55, icc)
	_ = m.BinaryField(64, mac)
	_ = m.Field(35, "4761739001010119D25122011758928889")
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	want := "0200" + "0000000020001201" + "344761739001010119D25122011758928889" + "D1EEF419D0AE2609" + "010" + "9F2602ABCD" + "0102030405060708"
	if string(b) != want {
		t.Fatalf("packed %s\nwant   %s", b, want)
	}
	m2 := moov.NewMessage(Spec87ASCII)
	if err := m2.Unpack(b); err != nil {
		t.Fatal(err)
	}
	for id, w := range map[int][]byte{52: pin, 55: icc, 64: mac} {
		if got, _ := m2.GetBytes(id); !bytes.Equal(got, w) {
			t.Errorf("field %d = %X", id, got)
		}
	}
}

// The faults of moov v0.26.1 this package guards against. If one of these
// starts failing, moov fixed it: keep our workaround, drop the test.
func TestMoovKnownFaults(t *testing.T) {
	t.Run("Spec87ASCII cannot pack 8-byte field 52", func(t *testing.T) {
		m := moov.NewMessage(specs.Spec87ASCII)
		m.MTI("0200")
		_ = m.BinaryField(52, []byte{1, 2, 3, 4, 5, 6, 7, 8})
		if _, err := m.Pack(); err == nil {
			t.Error("moov packed field 52")
		}
	})
	t.Run("Spec87ASCII cannot round-trip 16 hex characters of field 64", func(t *testing.T) {
		m := moov.NewMessage(specs.Spec87ASCII)
		m.MTI("0200")
		_ = m.Field(64, "0102030405060708")
		b, err := m.Pack()
		if err != nil {
			return // cannot even pack
		}
		m2 := moov.NewMessage(specs.Spec87ASCII)
		if err := m2.Unpack(b); err == nil {
			got, _ := m2.GetString(64)
			if got == "0102030405060708" {
				t.Error("moov round-tripped field 64")
			}
		}
	})
	t.Run("Spec87ASCII always sends 32 bitmap characters", func(t *testing.T) {
		m := moov.NewMessage(specs.Spec87ASCII)
		m.MTI("0800")
		_ = m.Field(11, "000001")
		b, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != 4+32+6 {
			t.Errorf("moov bitmap now %d characters", len(b)-10)
		}
	})
	t.Run("Spec87ASCII does not announce the secondary bitmap in bit 1", func(t *testing.T) {
		m := moov.NewMessage(specs.Spec87ASCII)
		m.MTI("0800")
		_ = m.Field(90, strings.Repeat("0", 42))
		b, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		if b[4] != '0' {
			t.Errorf("moov bitmap now starts %c", b[4])
		}
	})
	t.Run("Spec87Hex cannot pack MTI 0200", func(t *testing.T) {
		m := moov.NewMessage(specs.Spec87Hex)
		m.MTI("0200")
		_ = m.Field(3, "000000")
		if b, err := m.Pack(); err == nil && bytes.HasPrefix(b, []byte("0200")) {
			t.Error("moov Spec87Hex packed 0200")
		}
	})
}

// Interoperability with moov's specs.Spec87ASCII on the fields it gets
// right. The bitmaps cannot interoperate: moov always sends 32 characters
// and, with a field above 64, does not set bit 1 (its 16-byte bitmap is one
// 128-bit map to moov), while ISO 8583 wants 16 characters and bit 1 set
// when the secondary bitmap follows. Every data field below is laid out the
// same way by both specs, so after the bitmaps the bytes are identical, and
// field by field each side reads what the other packed.
// Long because both directions share the message built at the start.
func TestInteropMoovSpec87ASCII(t *testing.T) {
	values := map[int]string{
		2: "4761739001010119", 3: "000000", 4: "000000001000", 7: "1121103015", 11: "000123",
		12: "183015", 13: "1121", 14: "2512", 18: "5411", 22: "051", 23: "001", 25: "00",
		32: "12345678", 35: "4761739001010119=25122011758928889", 37: "532418000123",
		38: "A1B2C3", 39: "00", 41: "TERM0001", 42: "MERCHANT0000001", 43: "POSKIT TEST SHOP         SHANGHAI     CN",
		44: "12", 48: "private data", 49: "156", 54: "1002156C000000010000", 60: "reserved",
		62: "X", 63: "operator 01", 90: "020000012311211030150000000000000000000000",
	}
	ours := moov.NewMessage(Spec87ASCII)
	theirs := moov.NewMessage(specs.Spec87ASCII)
	ours.MTI("0200")
	theirs.MTI("0200")
	for id, v := range values {
		if err := ours.Field(id, v); err != nil {
			t.Fatal(err)
		}
		if err := theirs.Field(id, v); err != nil {
			t.Fatal(err)
		}
	}
	// field 55: ours binary, moov's the same characters as a string
	icc := []byte{0x9F, 0x26, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x9F, 0x27, 0x01, 0x80}
	_ = ours.BinaryField(55, icc)
	_ = theirs.Field(55, strings.ToUpper(hex.EncodeToString(icc)))
	a, err := ours.Pack()
	if err != nil {
		t.Fatal(err)
	}
	b, err := theirs.Pack()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a[:4], b[:4]) || !bytes.Equal(a[36:], b[36:]) {
		t.Fatalf("packed differ:\nours  %s\nmoov  %s", a, b)
	}
	// bitmaps: the same bits but bit 1
	ab, _ := hex.DecodeString(string(a[4:36]))
	bb, _ := hex.DecodeString(string(b[4:36]))
	if ab[0] != bb[0]|0x80 || !bytes.Equal(ab[1:], bb[1:]) {
		t.Errorf("bitmaps %X %X", ab, bb)
	}

	ids := []int{55}
	for id := range values {
		ids = append(ids, id)
	}
	for _, id := range ids {
		of := ours.GetField(id)
		tf := theirs.GetField(id)
		op, err1 := of.Pack()
		tp, err2 := tf.Pack()
		if err1 != nil || err2 != nil || !bytes.Equal(op, tp) {
			t.Errorf("field %d packs differ: %q %q %v %v", id, op, tp, err1, err2)
			continue
		}
		// moov reads ours, we read moov's
		mf := specs.Spec87ASCII.Fields[id]
		mr := reflect.New(reflect.TypeOf(mf).Elem()).Interface().(interface {
			SetSpec(*field.Spec)
			Unpack([]byte) (int, error)
			String() (string, error)
		})
		mr.SetSpec(mf.Spec())
		if n, err := mr.Unpack(op); err != nil || n != len(op) {
			t.Errorf("moov unpacks our field %d: %d %v", id, n, err)
		}
		os, _ := of.String()
		ms, _ := mr.String()
		if w := map[int]int{3: 6, 4: 12}[id]; w > 0 { // moov unpads fields 3 and 4
			ms = strings.Repeat("0", w-len(ms)) + ms
		}
		if ms != os {
			t.Errorf("moov read our field %d as %q, want %q", id, ms, os)
		}
		or := field.NewInstanceOf(Spec87ASCII.Fields[id])
		if n, err := or.Unpack(tp); err != nil || n != len(tp) {
			t.Errorf("we unpack moov's field %d: %d %v", id, n, err)
		}
		if got, _ := or.String(); got != os {
			t.Errorf("we read moov's field %d as %q", id, got)
		}
	}
}

func TestSpecsDefineAllFields(t *testing.T) {
	for id := 0; id <= 128; id++ {
		if _, ok := Spec87ASCII.Fields[id]; !ok {
			t.Errorf("Spec87ASCII lacks field %d", id)
		}
	}
	for _, id := range []int{0, 1, 2, 3, 4, 11, 12, 13, 14, 15, 22, 23, 25, 26, 32, 35, 36, 37, 38, 39, 41, 42, 44, 48, 49, 52, 53, 54, 55, 58, 59, 60, 61, 62, 63, 64} {
		if _, ok := SpecUnionPay.Fields[id]; !ok {
			t.Errorf("SpecUnionPay lacks field %d", id)
		}
	}
	if err := Spec87ASCII.Validate(); err != nil {
		t.Error(err)
	}
	if err := SpecUnionPay.Validate(); err != nil {
		t.Error(err)
	}
}

func TestUnionPayTrackAndAlignment(t *testing.T) {
	m := moov.NewMessage(SpecUnionPay)
	m.MTI("0200")
	_ = m.Field(2, "6224242900000113123") // 19 digits: left aligned, 0 pad
	_ = m.Field(22, "021")
	_ = m.Field(23, "001")
	_ = m.Field(35, "6224242900000113=28062013") // '=' accepted, sent as D, odd: 0 pad
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	want := "0200" + "4000060020000000" + "19" + "62242429000001131230" + "0210" + "0001" + "25" + "6224242900000113D280620130"
	if got := strings.ToUpper(hex.EncodeToString(b)); got != strings.ToUpper(want) {
		t.Fatalf("packed %s\nwant   %s", got, want)
	}
	m2 := moov.NewMessage(SpecUnionPay)
	if err := m2.Unpack(b); err != nil {
		t.Fatal(err)
	}
	if v, _ := m2.GetString(35); v != "6224242900000113D28062013" {
		t.Errorf("35 = %q", v)
	}
	if v, _ := m2.GetString(2); v != "6224242900000113123" {
		t.Errorf("2 = %q", v)
	}
}

// TestField60And61And63 packs and reads the UnionPay sub-fields of 60, 61
// and 63 one case after another. Long because the cases share one message
// and read best in order, from the request to the response.
func TestField60And61And63(t *testing.T) {
	f := Field60{TxnType: "22", Batch: "24", NetMgmt: "000"}
	b, err := f.MarshalText()
	if err != nil || string(b) != "22000024000" {
		t.Errorf("60 = %q %v", b, err)
	}
	var g Field60
	if err := g.UnmarshalText([]byte("22000024000600123")); err != nil || g.AccountType != "123" || g.ReadCapability != "6" {
		t.Errorf("60 parse %+v %v", g, err)
	}
	if err := g.UnmarshalText([]byte("2200002")); !errors.Is(err, ErrSubfield) {
		t.Errorf("cut: %v", err)
	}
	if err := g.UnmarshalText([]byte("220000240006001234")); !errors.Is(err, ErrSubfield) {
		t.Errorf("extra: %v", err)
	}
	if _, err := (Field60{TxnType: "222"}).MarshalText(); !errors.Is(err, ErrSubfield) {
		t.Errorf("long: %v", err)
	}
	if _, err := (Field60{TxnType: "2a"}).MarshalText(); !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("digit: %v", err)
	}
	h := Field61{OrigBatch: "000024", OrigSTAN: "000403", OrigDate: "0830"}
	b, _ = h.MarshalText()
	var h2 Field61
	if err := h2.UnmarshalText(b); err != nil || h2 != h {
		t.Errorf("61 round trip %+v %v", h2, err)
	}
	c := Field63{Code: "01"}
	b, _ = c.MarshalText()
	if string(b) != "01 " {
		t.Errorf("63 = %q", b)
	}
	var c2 Field63
	if err := c2.UnmarshalText([]byte("CUPissuer")); err != nil || c2.Code != "CUP" || c2.Info != "issuer" {
		t.Errorf("63 parse %+v", c2)
	}
	if err := c2.UnmarshalText([]byte("CU")); !errors.Is(err, ErrSubfield) {
		t.Errorf("63 short: %v", err)
	}
	if _, err := (Field63{Code: "LONG"}).MarshalText(); !errors.Is(err, ErrSubfield) {
		t.Errorf("63 long: %v", err)
	}
	if b, _ := (Field63{}).MarshalText(); len(b) != 0 {
		t.Error("empty 63")
	}

	// the deprecated Text field still moves them through moov
	// Marshal/Unmarshal on a spec that uses it
	textSpec := &moov.MessageSpec{Name: "Text", Fields: map[int]field.Field{
		0:  SpecUnionPay.Fields[0],
		1:  SpecUnionPay.Fields[1],
		60: NewText(SpecUnionPay.Fields[60].Spec()),
		63: NewText(SpecUnionPay.Fields[63].Spec()),
	}}
	type byValue struct {
		F60 Field60 `iso8583:"60"`
		F63 Field63 `iso8583:"63"`
	}
	m := moov.NewMessage(textSpec)
	m.MTI("0800")
	if err := m.Marshal(&byValue{F60: Field60{TxnType: "00", Batch: "000001", NetMgmt: "003"}, F63: Field63{Code: "001"}}); err != nil {
		t.Fatal(err)
	}
	packed, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	m2 := moov.NewMessage(textSpec)
	if err := m2.Unpack(packed); err != nil {
		t.Fatal(err)
	}
	var v byValue
	if err := m2.Unmarshal(&v); err != nil || v.F60.NetMgmt != "003" || v.F63.Code != "001" {
		t.Errorf("by value: %+v %v", v, err)
	}
	var s struct {
		F60 string `iso8583:"60"`
	}
	if err := m2.Unmarshal(&s); err != nil || s.F60 != "00000001003" {
		t.Errorf("as string: %+v %v", s, err)
	}
	if err := m.Marshal(&struct {
		F60 *Field60 `iso8583:"60"`
	}{&Field60{TxnType: "xx"}}); err == nil {
		t.Error("bad 60 marshalled")
	}
	tf := NewText(SpecUnionPay.Fields[60].Spec())
	_ = tf.SetData("22")
	if v, _ := tf.String(); v != "22" {
		t.Errorf("SetData %q", v)
	}
	if b, _ := tf.Bytes(); string(b) != "22" {
		t.Error("Bytes")
	}
	if tf.Value() != "22" || !reflect.DeepEqual(tf.NewInstance().Spec(), tf.Spec()) {
		t.Error("Value/NewInstance")
	}
}
