package iso8583

import (
	"bytes"
	"crypto/des"
	"encoding/hex"
	"errors"
	"testing"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/mac"
)

// A UnionPay POS MAC walk-through published on a Chinese developer blog
// ("MAC算法演示", https://blog.youkuaiyun.com/zhu244912654/article/details/80005341):
// the MAC block of an 0200 sale (MTI through field 60, the bitmap with bit
// 64 set), the terminal master key, the MAC key (TAK) as field 62 of the
// sign-on answer carried it and in clear, and the first XOR steps of the
// ECB MAC. The public copy stops before the final MAC value, so the final
// step is checked against mac.CUPECB, not against a published value.
const (
	blogMAB    = "0200302004C020C0981100000000000000005100183402100006324392260009942820D1312101120084393136363838303134303030303030303030303030303031313536ACF46E73838A82F92600000000000000000822000001"
	blogTMK    = "70F2A84CCBC2AE8625CBB0F2C22AB923"
	blogTAKEnc = "96D605EA176B7E9E"
	blogTAK    = "C24A8FB57AA20123"
)

// TestPublicUnionPayMACExample checks SpecUnionPay, MAB, ParseSignOnKeys
// and the message MAC against the published example.
func TestPublicUnionPayMACExample(t *testing.T) {
	mab := mustHex(t, blogMAB)
	m := moov.NewMessage(SpecUnionPay)
	if err := m.Unpack(append(append([]byte(nil), mab...), make([]byte, 8)...)); err != nil {
		t.Fatal(err)
	}
	tx, err := FromMessage(m)
	if err != nil {
		t.Fatal(err)
	}
	// the message, read field by field from the published bytes
	want := Transaction{
		MTI: "0200", ProcessingCode: "000000", Amount: "000000000051", STAN: "001834", EntryMode: "021",
		ConditionCode: "00", PINCapture: "06", Track2: "4392260009942820D131210112008439",
		TerminalID: "16688014", MerchantID: "000000000000001", Currency: "156",
		PINBlock: mustHex(t, "ACF46E73838A82F9"), SecurityControl: "2600000000000000",
		F60: &Field60{TxnType: TxnSale, Batch: "000001"}, MAC: make([]byte, 8),
	}
	if tx.MTI != want.MTI || tx.ProcessingCode != want.ProcessingCode || tx.Amount != want.Amount || tx.STAN != want.STAN ||
		tx.EntryMode != want.EntryMode || tx.ConditionCode != want.ConditionCode || tx.PINCapture != want.PINCapture ||
		tx.Track2 != want.Track2 || tx.TerminalID != want.TerminalID || tx.MerchantID != want.MerchantID ||
		tx.Currency != want.Currency || !bytes.Equal(tx.PINBlock, want.PINBlock) || tx.SecurityControl != want.SecurityControl ||
		*tx.F60 != *want.F60 || tx.Kind() != KindSale {
		t.Errorf("unpacked %+v\nwant %+v", tx, want)
	}
	// our MAC block of the message is the published one, byte for byte
	got, err := MAB(m)
	if err != nil || !bytes.Equal(got, mab) {
		t.Fatalf("MAB %X, %v", got, err)
	}
	// the published XOR steps: M1^M2, ^M3, ^M4
	var x [8]byte
	copy(x[:], mab[:8])
	for i, w := range []string{"9A11302004C020C0", "9A1161201CF422D0", "9A1753638ED222D9"} {
		for j := range 8 {
			x[j] ^= mab[8*(i+1)+j]
		}
		if hex.EncodeToString(x[:]) != hex.EncodeToString(mustHex(t, w)) {
			t.Errorf("XOR step %d: %X, want %s", i+2, x, w)
		}
	}
	// the MAC key of the sign-on answer, deciphered under the master key
	// by ParseSignOnKeys: a 24-byte field 62 (single-length PIN and MAC
	// keys) with check values
	tmk := mustHex(t, blogTMK)
	enc := mustHex(t, blogTAKEnc)
	cv := checkValueOfClear(t, tmk, enc)
	f62 := append(append(append(append([]byte(nil), enc...), cv...), enc...), cv...)
	keys, err := ParseSignOnKeys(f62, tmk)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(keys.MAC) != hex.EncodeToString(mustHex(t, blogTAK)) {
		t.Errorf("TAK %X, want %s", keys.MAC, blogTAK)
	}
	// sign the message with the key: field 64 carries mac.CUPECB of the
	// published MAC block, and the host side verifies it
	alg, err := mac.NewCUPECB(keys.MAC)
	if err != nil {
		t.Fatal(err)
	}
	packed, err := SignMessage(m, alg)
	if err != nil {
		t.Fatal(err)
	}
	wantTag, err := mac.CUPECB(keys.MAC, mab)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(packed[:len(mab)], mab) || !bytes.Equal(packed[len(mab):], wantTag) {
		t.Errorf("signed %X", packed[len(mab):])
	}
	if _, err := VerifyPacked(SpecUnionPay, packed, alg); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// checkValueOfClear deciphers a single-length key under a double-length
// TDES master key (ECB) with crypto/des and returns the key's 4-byte check
// value: an oracle independent of ParseSignOnKeys.
func checkValueOfClear(t *testing.T, tmk, enc []byte) []byte {
	t.Helper()
	c, err := des.NewTripleDESCipher(append(append([]byte(nil), tmk...), tmk[:8]...))
	if err != nil {
		t.Fatal(err)
	}
	plain := make([]byte, 8)
	c.Decrypt(plain, enc)
	k, err := des.NewCipher(plain)
	if err != nil {
		t.Fatal(err)
	}
	cv := make([]byte, 8)
	k.Encrypt(cv, cv)
	return cv[:4]
}

// TestPublicCUPECBThroughMessageMAC runs the public UnionPay ECB MAC
// example of solo123/pgate (test/integration/pos_mac_test.rb, also in
// docs/VECTORS.md: MAB 1234567890ABCDEFABCDEF1234567890, MAK
// 2222222222222222, MAC "E267B6E2") through the message MAC path: the
// 8 ASCII characters fill field 64.
func TestPublicCUPECBThroughMessageMAC(t *testing.T) {
	alg, err := mac.NewCUPECB(mustHex(t, "2222222222222222"))
	if err != nil {
		t.Fatal(err)
	}
	tag, err := tagOf(alg, mustHex(t, "1234567890ABCDEFABCDEF1234567890"))
	if err != nil || string(tag) != "E267B6E2" {
		t.Errorf("field 64 %q, %v", tag, err)
	}
}

// TestQRSaleCodeFormats pins QRSale to the published code formats (qr.go):
// the WeChat example code of github.com/MidnightDancing/offlineAPIDocs
// (offline/unactivescan.md, 18 digits) and a UnionPay C2B code (19 digits,
// 62...) fit field 2; an Alipay code at its published maximum of 24 digits
// does not.
func TestQRSaleCodeFormats(t *testing.T) {
	term := testTerminal(UnionPay)
	for _, code := range []string{"134919586213926735", "6227000000000000017"} {
		tx, err := term.QRSale(code, 100)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		back := roundTrip(t, UnionPay, tx)
		if back.PAN != code || back.EntryMode != EntryModeQR || !back.IsQR() || back.Kind() != KindSale {
			t.Errorf("%s: %+v", code, back)
		}
	}
	if _, err := term.QRSale("283456789012345678901234", 100); !errors.Is(err, ErrQRCode) {
		t.Errorf("24-digit Alipay code: %v", err)
	}
}

// TestUnionPay2002Table checks every constructor against the table of
// section 1 of "中国银联POS终端消息域说明" (2002, renrendoc.com/p-13821646.html):
// processing code, condition code, MTI and 60.1, transcribed here.
func TestUnionPay2002Table(t *testing.T) {
	term := testTerminal(UnionPay)
	for _, c := range []struct {
		name                 string
		f                    func() (*Transaction, error)
		proc, cond, mti, typ string
	}{
		{"查询", func() (*Transaction, error) { return term.BalanceInquiry(swipe) }, "310000", "00", "0200", "01"},
		{"预授权", func() (*Transaction, error) { return term.PreAuth(swipe, 1) }, "030000", "06", "0100", "10"},
		{"预授权撤消", func() (*Transaction, error) { return term.PreAuthVoid(swipe, 1, original) }, "200000", "06", "0100", "11"},
		{"预授权完成", func() (*Transaction, error) { return term.Completion(swipe, 1, original) }, "000000", "06", "0200", "20"},
		{"预授权完成撤消", func() (*Transaction, error) { return term.CompletionVoid(swipe, 1, original) }, "200000", "06", "0200", "21"},
		{"消费", func() (*Transaction, error) { return term.Sale(swipe, 1) }, "000000", "00", "0200", "22"},
		{"消费撤消", func() (*Transaction, error) { return term.Void(swipe, 1, original) }, "200000", "00", "0200", "23"},
		{"退货", func() (*Transaction, error) { return term.Refund(swipe, 1, original) }, "200000", "00", "0220", "25"},
	} {
		tx, err := c.f()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if tx.ProcessingCode != c.proc || tx.ConditionCode != c.cond || tx.MTI != c.mti || tx.F60.TxnType != c.typ {
			t.Errorf("%s: %s/%s/%s/%s, want %s/%s/%s/%s", c.name, tx.ProcessingCode, tx.ConditionCode, tx.MTI, tx.F60.TxnType,
				c.proc, c.cond, c.mti, c.typ)
		}
	}
	if TxnOfflineSale != "30" || TxnAdjust != "32" || TxnAdjustTip != "34" {
		t.Error("offline 60.1 codes")
	}
}

// TestField63ResponseInfo: 63.2 of a response as the eJPos SDK splits it
// (an20 issuer, an20 UnionPay, an20 acquirer information).
func TestField63ResponseInfo(t *testing.T) {
	var f Field63
	text := "CUP" + "ISSUER INFO         " + "UNIONPAY INFO       " + "ACQ"
	if err := f.UnmarshalText([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if i, u, a := f.ResponseInfo(); f.Code != "CUP" || i != "ISSUER INFO" || u != "UNIONPAY INFO" || a != "ACQ" {
		t.Errorf("%q %q %q %q", f.Code, i, u, a)
	}
	if i, u, a := (Field63{Code: "VIS", Info: "short"}).ResponseInfo(); i != "short" || u != "" || a != "" {
		t.Errorf("short: %q %q %q", i, u, a)
	}
}
