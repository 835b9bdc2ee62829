//lint:file-ignore SA4006 the README's snippets leave errors unchecked between lines, as READMEs do; each function checks what matters at its end

package housestyle

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/emv/qr"
	"github.com/poskit/poskit/fees"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/keyblock"
	"github.com/poskit/poskit/mac"
	"github.com/poskit/poskit/pinblock"
	"github.com/poskit/poskit/receipt"
	"github.com/poskit/poskit/terminal"
	"github.com/poskit/poskit/terminal/boltstore"
)

// Every ```go block of the README stands, line for line and indented by
// one tab, in this file: so each compiles, and the tests below run it.
func TestReadmeSnippetsHeld(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, part := range strings.Split(string(readme), "```go\n")[1:] {
		code, _, ok := strings.Cut(part, "```")
		if !ok {
			t.Fatal("unterminated go block in README.md")
		}
		blocks++
		indented := "\t" + strings.ReplaceAll(strings.TrimSuffix(code, "\n"), "\n", "\n\t") + "\n"
		if !bytes.Contains(self, []byte(indented)) {
			t.Errorf("README block %d is not held by readme_test.go:\n%s", blocks, code)
		}
	}
	if blocks < 10 {
		t.Errorf("%d go blocks in README.md; want one per package", blocks)
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ANSI X9.19 example of docs/VECTORS.md ("MACs").
func TestReadmeMAC(t *testing.T) {
	mak := unhex(t, "7CA110454A1A6E570131D9619DC1376E")
	mab := []byte("Hello World !!!!")
	m, err := mac.NewISO9797Alg3(mak, mac.Method1) // ANSI X9.19; safe for concurrent use
	tag := m.MAC(mab)                              // 8 bytes
	ok := m.Verify(mab, tag)                       // constant time, over the full tag
	ok = mac.VerifyTruncated(m, mab, tag[:4], 4)   // a dialect that sends 4 bytes names the truncation
	kcv, err := mac.KCV(mak)                       // 3-byte key check value
	if err != nil || !ok || len(kcv) != 3 || fmt.Sprintf("%X", tag) != "F09B856213BAB83B" {
		t.Errorf("tag %X, ok %v, kcv %X, %v", tag, ok, kcv, err)
	}
}

// ANSI X9.24-1 A.4, counter 1 (docs/VECTORS.md): the PIN key and its
// encrypted format 0 block; the format 4 zone key is the X9.24-3 PIN key.
func TestReadmePINBlock(t *testing.T) {
	pinKey := unhex(t, "042666B49184CF5C68DE9628D0397B36")
	zoneKey := unhex(t, "AF8CB133A78F8DC2D1359F18527593FB")
	block, err := pinblock.Encrypt(pinblock.ISO0, pinKey, "1234", "4012345678909")
	pin, err := pinblock.Decrypt(pinblock.ISO0, pinKey, block, "4012345678909")
	out, err := pinblock.Translate(pinblock.ISO0, pinKey, pinblock.ISO4, zoneKey, block, "4012345678909") // the PIN never leaves
	if err != nil || pin != "1234" || fmt.Sprintf("%X", block) != "1B9C1845EB993A7A" {
		t.Fatalf("block %X, pin %q, %v", block, pin, err)
	}
	if p4, err := pinblock.Decrypt(pinblock.ISO4, zoneKey, out, "4012345678909"); err != nil || p4 != "1234" {
		t.Errorf("translated block: %q, %v", p4, err)
	}
}

// ANSI X9.24-1 A.4 (docs/VECTORS.md): BDK, IPEK and the counter-1 PIN key.
func TestReadmeDUKPT(t *testing.T) {
	bdk := unhex(t, "0123456789ABCDEFFEDCBA9876543210")
	ksn := unhex(t, "FFFF9876543210E00001")
	ipek := unhex(t, "6AC292FAA1315B4D858AB3A3D7D5933A")
	initKSN := unhex(t, "FFFF9876543210E00000")
	deviceKey := make([]byte, 32)
	if _, err := rand.Read(deviceKey); err != nil {
		t.Fatal(err)
	}
	host, err := dukpt.NewTDESReceiver(bdk)             // once per BDK; safe for concurrent use
	pinKey, err := host.Key(ksn, dukpt.PINEncryption)   // ksn: the 10 bytes from the message
	term, err := dukpt.NewTDESOriginator(ipek, initKSN) // at key injection (or ...FromKeyBlock)
	tx, err := term.Next()                              // tx.KSN, tx.PIN, tx.MACRequest, ...
	state, err := term.MarshalSealed(deviceKey)         // AES-GCM; persist BEFORE using tx's keys
	err = host.Close()                                  // at shutdown: zeroes the BDK schedules and the cache
	if err != nil || fmt.Sprintf("%X", pinKey) != "042666B49184CF5C68DE9628D0397B36" || !bytes.Equal(tx.PIN, pinKey) {
		t.Fatalf("host PIN key %X, terminal %X, %v", pinKey, tx.PIN, err)
	}
	var again dukpt.TDESOriginator
	if err := again.UnmarshalSealed(deviceKey, state); err != nil || again.Counter() != term.Counter() {
		t.Errorf("sealed state: %v", err)
	}
}

func TestReadmeKeyBlock(t *testing.T) {
	kbpk, zoneKey := make([]byte, 32), make([]byte, 16)
	_, _ = rand.Read(kbpk)
	_, _ = rand.Read(zoneKey)
	h := keyblock.Header{Version: 'D', Usage: "P0", Algorithm: 'A', Mode: 'E', KeyVersion: "00", Exportability: 'E'}
	kb, err := keyblock.Wrap(kbpk, h, zoneKey) // X9.143 version D: AES-CMAC binding, MAC checked first on unwrap
	h, key, err := keyblock.Unwrap(kbpk, kb)   // header rules, KBPK strength and check values enforced
	if err != nil || !bytes.Equal(key, zoneKey) || h.Usage != "P0" || !strings.HasPrefix(kb, "D") {
		t.Errorf("%q: %+v %v", kb, h, err)
	}
}

// Visa CVN 18 (docs/VECTORS.md, "EMV application cryptograms").
func TestReadmeEMV(t *testing.T) {
	field55 := unhex(t, "9F0206000000004000"+"9F0306000000000000"+"9F1A020124"+"95058000048000"+
		"5F2A020124"+"9A03191105"+"9C0101"+"9F370452BF4585"+"82021800"+"9F3602001C"+
		"9F100706011203A0B800"+"9F26087A788EA6B8A3E733")
	imk := unhex(t, "0123456789ABCDEFFEDCBA9876543210")
	pan, csu := "1234567890123456", make([]byte, 4)
	stdout := os.Stdout
	os.Stdout, _ = os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	defer func() { os.Stdout = stdout }()
	ac, ok, err := emv.Find(field55, 0x9F26) // searches nested templates, no allocation
	f, err := emv.ParseField55(field55)      // typed TVR, CID, amounts, ATC ...; f.Findings
	err = emv.Describe(os.Stdout, field55)   // named and decoded, PAN and track data masked
	arpc, err := emv.CVNVisa18.Verify(imk, pan, "00", field55, emv.ARPCResponse{CSU: csu})
	if err != nil || !ok || fmt.Sprintf("%X", ac) != "7A788EA6B8A3E733" || f.ATC != 0x1C || fmt.Sprintf("%X", arpc) != "9AF514C1" {
		t.Errorf("ac %X, ATC %d, ARPC %X, %v", ac, f.ATC, arpc, err)
	}
}

// The EMVCo specification's sample (docs/VECTORS.md) and a PIX code read
// under the PIX profile.
func TestReadmeQR(t *testing.T) {
	payload := "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"
	pix := "00020101021226770014BR.GOV.BCB.PIX2555pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a995204000053039865802BR5907EMPRESA6009SAO PAULO62070503***6304EEAB"
	p, err := qr.Parse(payload)   // CRC, lengths in characters, the EMVCo rules
	same := p.String() == payload // written back byte for byte
	p, err = qr.Read(pix)         // syntax only: what a national scheme's code holds
	findings := p.Check(qr.PIX)   // the PIX profile's rules, each finding naming its rule
	if err != nil || !same || len(findings) != 0 {
		t.Errorf("same %v, findings %v, %v", same, findings, err)
	}
}

// A UnionPay sale signed with the UnionPay MAC example key of
// docs/VECTORS.md and framed; the frame is read back and verified.
func TestReadmeISO8583(t *testing.T) {
	conn := new(bytes.Buffer)
	track2 := "6224242900000113=28062013949031013313"
	pinBlock := unhex(t, "1B9C1845EB993A7A")
	keys := iso8583.SessionKeys{MAC: unhex(t, "2222222222222222")}
	term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019",
		MerchantID: "850100082410002", Currency: "156", STAN: iso8583.NewSTANSource(0)}
	sale, err := term.Sale(iso8583.Card{Track2: track2, PINBlock: pinBlock}, 1000) // CNY 10.00
	msg, err := sale.Message(iso8583.SpecUnionPay)
	mak, err := mac.NewCUPECB(keys.MAC) // keys from iso8583.ParseSignOnKeys
	packed, err := iso8583.SignMessage(msg, mak)
	err = iso8583.NewWriter(conn, iso8583.UnionPayFraming).WriteFrame(
		iso8583.Frame{TPDU: iso8583.NewTPDU(0x60, 6, 0), Message: packed})
	if err != nil {
		t.Fatal(err)
	}
	fr, err := iso8583.NewReader(conn, iso8583.UnionPayFraming).ReadFrame()
	if err != nil || !bytes.Equal(fr.Message, packed) {
		t.Fatalf("frame: %v", err)
	}
	keyFor := func(*moov.Message) (iso8583.MACAlgorithm, error) { return mak, nil }
	if _, got, err := iso8583.VerifyTransaction(iso8583.SpecUnionPay, fr.Message, keyFor); err != nil || got.Amount != "000000001000" {
		t.Errorf("verify: %+v %v", got, err)
	}
}

// A sale and a settlement against a host in memory that approves, with the
// durable store in a temporary directory.
func TestReadmeTerminal(t *testing.T) {
	t.Chdir(t.TempDir())
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019",
		MerchantID: "850100082410002", Currency: "156", Batch: "000024", Now: func() time.Time { return now }}
	card := iso8583.Card{PAN: "6224242900000113", Expiry: "2806"}
	link := terminal.SenderFunc(func(m *moov.Message) (*moov.Message, error) {
		req, err := iso8583.FromMessage(m)
		if err != nil {
			return nil, err
		}
		resp, err := iso8583.NewResponse(req, "00", "632510000403", "123456", now)
		if err != nil {
			return nil, err
		}
		if req.MTI == "0500" {
			if err := resp.SetReconciliation(req, iso8583.ReconBalanced, iso8583.ReconBalanced); err != nil {
				return nil, err
			}
		}
		return resp.Message(m.GetSpec())
	})
	store, err := boltstore.Open("pos.db") // durable; terminal.NewMemStore() in tests
	pos, err := terminal.Open(terminal.Config{Terminal: term, Store: store, Sender: link})
	out := pos.Sale(card, 1000) // Approved, Declined or ReversalPending: never a raw I/O error
	res, err := pos.Settle()    // queued reversals first, then 0500, batch upload if unbalanced
	if err != nil || out.Status != terminal.Approved || res.Totals.DebitCount != 1 || res.Totals.DebitAmount != 1000 {
		t.Errorf("%v; %+v; %v", out.Status, res.Totals, err)
	}
	if err := pos.Close(); err != nil {
		t.Error(err)
	}
}

// The flat retail preset: 0.38% on a QR payment.
func TestReadmeFees(t *testing.T) {
	stdout := os.Stdout
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout = w
	s, err := fees.New(fees.FlatRetail(fees.CNY)) // card 0.6%, QR and contactless 0.38%
	q, err := s.Quote(fees.Transaction{Amount: 1_000_000, Channel: fees.ChannelWeChatPay})
	fmt.Println(fees.FormatAmount(q.Fee, fees.CNY)) // 38.00 on 10,000.00 CNY
	os.Stdout = stdout
	w.Close()
	printed, _ := io.ReadAll(r)
	if err != nil || string(printed) != "38.00\n" {
		t.Errorf("printed %q, %v", printed, err)
	}
}

// A sale slip in ESC/POS and text.
func TestReadmeReceipt(t *testing.T) {
	slip := &receipt.Slip{
		Merchant: receipt.Merchant{Name: "NOODLE BAR", Number: "898310048160001", TerminalID: "10000019"},
		Card:     receipt.Card{PAN: "6224242900000113"},
		Type:     receipt.Sale, Batch: "000024", Voucher: "000001",
		Amount: receipt.Amount{Minor: 1000, Currency: receipt.CNY},
	}
	var buf []byte
	stdout := os.Stdout
	os.Stdout, _ = os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	defer func() { os.Stdout = stdout }()
	p, err := receipt.NewPrinter(receipt.Config{Profile: receipt.Paper58, Language: receipt.Bilingual})
	buf, err = p.AppendESCPOS(buf[:0], slip) // GB18030 ESC/POS, no allocation
	err = p.WriteText(os.Stdout, slip)       // the same slip as UTF-8 text; WriteHTML for an e-receipt
	if err != nil || len(buf) == 0 || bytes.Contains(buf, []byte("6224242900000113")) {
		t.Errorf("%d bytes, %v", len(buf), err)
	}
}
