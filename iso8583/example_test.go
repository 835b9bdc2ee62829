package iso8583_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/mac"
)

// Build a UnionPay sale and pack it.
func ExampleTerminal_Sale() {
	term := &iso8583.Terminal{
		Dialect:    iso8583.UnionPay,
		TerminalID: "10000019",
		MerchantID: "850100082410002",
		Currency:   "156",
		Batch:      "000024",
		STAN:       iso8583.NewSTANSource(402),
		Now:        func() time.Time { return time.Date(2026, 11, 21, 10, 30, 15, 0, time.UTC) },
	}
	sale, err := term.Sale(iso8583.Card{Track2: "6224242900000113=28062013949031013"}, 1000) // CNY 10.00
	if err != nil {
		panic(err)
	}
	packed, err := sale.Pack(iso8583.SpecUnionPay)
	if err != nil {
		panic(err)
	}
	fmt.Println(sale.MTI, sale.ProcessingCode, sale.STAN, sale.EntryMode, sale.F60.TxnType, sale.Kind().Chinese())
	fmt.Printf("%X\n", packed)
	// Output:
	// 0200 000000 000403 022 22 消费
	// 02003038048020C080100000000000000010000004031030151121022000346224242900000113D2806201394903101331303030303031393835303130303038323431303030323135360011220000240000
}

// Read a frame, verify its MAC and unpack it, as an acquirer host does.
func ExampleVerifyPacked() {
	mak, _ := hex.DecodeString("2222222222222222") // the session MAC key from sign-on
	alg, err := mac.NewCUPECB(mak)
	if err != nil {
		fmt.Println(err) // DES is refused in FIPS 140-only mode
		return
	}

	// the terminal's side: a signed sale in a UnionPay frame
	term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019", MerchantID: "850100082410002",
		STAN: iso8583.NewSTANSource(0), Now: func() time.Time { return time.Date(2026, 11, 21, 10, 30, 15, 0, time.UTC) }}
	sale, _ := term.Sale(iso8583.Card{PAN: "6224242900000113", Expiry: "2806"}, 1000)
	msg, _ := sale.Message(iso8583.SpecUnionPay)
	signed, _ := iso8583.SignMessage(msg, alg)
	var wire bytes.Buffer
	_ = iso8583.NewWriter(&wire, iso8583.UnionPayFraming).WriteFrame(iso8583.Frame{
		TPDU: iso8583.NewTPDU(0x60, 0x0006, 0x0000), Message: signed})

	// the host's side
	fr, err := iso8583.NewReader(&wire, iso8583.UnionPayFraming).ReadFrame()
	if err != nil {
		panic(err)
	}
	m, err := iso8583.VerifyPacked(iso8583.SpecUnionPay, fr.Message, alg)
	if err != nil {
		panic(err)
	}
	req, _ := iso8583.FromMessage(m)
	fmt.Println("reply TPDU:", fr.TPDU.Reply())
	fmt.Println(req.Kind(), req.Amount, string(req.MAC))
	_ = iso8583.Dump(m, os.Stdout)
	// Output:
	// reply TPDU: 6000000006
	// sale 000000001000 A16F2178
	// China UnionPay POS terminal (poskit) Message:
	// MTI..........: 0200
	// Bitmap HEX...: 703C048000C00011
	// Bitmap bits..:
	//     [1-8]01110000    [9-16]00111100   [17-24]00000100   [25-32]10000000
	//   [33-40]00000000   [41-48]11000000   [49-56]00000000   [57-64]00010001
	// F0   消息类型 Message Type...................: 0200
	// F2   主账号 Primary Account Number..........: 622424******0113
	// F3   交易处理码 Processing Code...............: 000000
	// F4   交易金额 Amount, Transaction............: 000000001000
	// F11  受卡方系统跟踪号 System Trace Audit Number..: 000001
	// F12  受卡方所在地时间 Time, Local Transaction....: 103015
	// F13  受卡方所在地日期 Date, Local Transaction....: 1121
	// F14  卡有效期 Date, Expiration...............: [4 characters hidden]
	// F22  服务点输入方式码 POS Entry Mode.............: 012
	// F25  服务点条件码 POS Condition Code...........: 00
	// F41  受卡机终端标识码 Terminal ID................: 10000019
	// F42  受卡方标识码 Merchant ID..................: 850100082410002
	// F60  自定义域 Reserved Private (60.1-60.7)...: 22000001000
	// F64  报文鉴别码 Message Authentication Code...: 4131364632313738
}

// Upload the magnetic-stripe transactions of a batch whose settlement did
// not balance: records in field 48, eight per 0320, then the end message.
func ExampleTerminal_BatchUploadMagstripe() {
	term := &iso8583.Terminal{
		Dialect: iso8583.UnionPay, TerminalID: "10000019", MerchantID: "850100082410002",
		Batch: "000024", STAN: iso8583.NewSTANSource(410),
	}
	recs := []iso8583.BatchRecord{
		{STAN: "000403", PAN: "6224242900000113", Amount: 1000},
		{Foreign: true, STAN: "000404", PAN: "4761739001010119", Amount: 25},
	}
	msgs, err := term.BatchUploadMagstripe(recs, 1, false) // 1 IC card transaction sent with BatchUpload
	if err != nil {
		panic(err)
	}
	for _, m := range msgs {
		fmt.Println(m.MTI, m.STAN, m.F60.NetMgmt, m.AdditionalData)
	}
	// Output:
	// 0320 000411 201 0200000403000062242429000001130000000010000100040400004761739001010119000000000025
	// 0320 000412 202 0003
}

// A host that keeps one MAC key per terminal verifies with the key of the
// terminal ID the message carries.
func ExampleVerifyPackedFunc() {
	mak, _ := mac.NewCUPECB([]byte{0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22})
	keys := map[string]iso8583.MACAlgorithm{"10000019": mak}

	term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019",
		MerchantID: "850100082410002", STAN: iso8583.NewSTANSource(0)}
	sale, _ := term.QRSale("6225881234567890123", 1000)
	msg, _ := sale.Message(iso8583.SpecUnionPay)
	packed, _ := iso8583.SignMessage(msg, mak)

	got, err := iso8583.VerifyPackedFunc(iso8583.SpecUnionPay, packed, func(m *moov.Message) (iso8583.MACAlgorithm, error) {
		tid, _ := m.GetString(41)
		if k, ok := keys[tid]; ok {
			return k, nil
		}
		return nil, fmt.Errorf("unknown terminal %q", tid)
	})
	tid, _ := got.GetString(41)
	fmt.Println(tid, err)
	// Output:
	// 10000019 <nil>
}

// Unpacking is strict: a byte after the last field is an error naming the
// field and its offset; Lenient reads the capture anyway.
func ExampleUnpackMessage() {
	packed, _ := hex.DecodeString("02002000000000000000000000")
	_, err := iso8583.UnpackMessage(iso8583.SpecUnionPay, append(packed, 0x99), iso8583.Strict)
	fmt.Println(err)
	m, err := iso8583.UnpackMessage(iso8583.SpecUnionPay, append(packed, 0x99), iso8583.Lenient)
	code, _ := m.GetString(3)
	fmt.Println(code, err)
	// Output:
	// iso8583: bytes after the last field: 1 bytes after field 3 (field 3 at offset 13)
	// 000000 <nil>
}

// A PAN hidden in free text is masked (first 6 and last 4 digits).
func ExampleMaskText() {
	fmt.Println(iso8583.MaskText("card 4761739001010119 declined"))
	// Output: card 476173******0119 declined
}

// An offline-approved sale is reported in an advice (0220); if its answer
// does not arrive, the terminal repeats it (0221) and the host answers 0230.
func ExampleTerminal_Advice() {
	term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019",
		MerchantID: "850100082410002", STAN: iso8583.NewSTANSource(41)}
	sale, _ := term.Sale(iso8583.Card{PAN: "6224242900000113", Expiry: "2806"}, 1000)
	advice, err := term.Advice(sale, "Y1")
	if err != nil {
		panic(err)
	}
	repeat, _ := advice.AsRepeat()
	answer, _ := iso8583.NewResponse(repeat, "00", "", "", time.Now())
	fmt.Println(advice.MTI, repeat.MTI, answer.MTI, repeat.STAN == sale.STAN)
	// Output: 0220 0221 0230 true
}

// Download the AID parameters from the host, as a UnionPay POS does at
// first start: status query, one download per AID, end. Each request would
// be signed and sent; here the host's answers are built directly.
func ExampleTerminal_AIDQuery() {
	term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019", MerchantID: "850100082410002",
		STAN: iso8583.NewSTANSource(0), Now: func() time.Time { return time.Date(2026, 11, 21, 10, 30, 15, 0, time.UTC) }}
	now := time.Date(2026, 11, 21, 10, 30, 16, 0, time.UTC)
	// the host's table: one UnionPay debit AID
	held := iso8583.AIDEntry{OnlinePIN: true, Params: emv.AIDParams{
		AID: []byte{0xA0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01}, Partial: true, Version: [2]byte{0x00, 0x30},
		FloorLimit: 0, ContactlessFloorLimit: -1, ContactlessTransactionLimit: 100000, ContactlessCVMLimit: 30000}}

	var aids [][]byte
	for {
		q, _ := term.AIDQuery(len(aids))                                           // 0820, 60.3 382
		answer, _ := iso8583.NewAIDListResponse(q, [][]byte{held.Params.AID}, now) // the host
		list, err := answer.AIDList()
		if err != nil {
			panic(err)
		}
		aids = append(aids, list.AIDs...)
		if !list.More {
			break
		}
	}
	for _, aid := range aids {
		req, _ := term.AIDDownload(aid) // 0800, 60.3 380
		answer, _ := iso8583.NewAIDResponse(req, &held, now)
		e, ok, err := answer.AIDEntry()
		if err != nil || !ok {
			panic(err)
		}
		fmt.Printf("%s %X contactless limit %d, online PIN %v\n", answer.Kind(), e.Params.AID, e.Params.ContactlessTransactionLimit, e.OnlinePIN)
	}
	end, _ := term.DownloadEnd(iso8583.KindAIDDownload) // 0800, 60.3 381
	fmt.Println(end.MTI, end.F60.NetMgmt, end.DownloadStep(), end.Kind().Chinese())
	// Output:
	// AID parameter download A000000333010101 contactless limit 100000, online PIN true
	// 0800 381 end IC卡参数下载
}

// A card-to-card transfer on ISO87: the payee travels in field 103.
func ExampleTerminal_Transfer() {
	term := &iso8583.Terminal{TerminalID: "10000019", MerchantID: "850100082410002", Currency: "156",
		STAN: iso8583.NewSTANSource(0), Now: func() time.Time { return time.Date(2026, 11, 21, 10, 30, 15, 0, time.UTC) }}
	tx, err := term.Transfer(iso8583.Card{PAN: "6224242900000113", Expiry: "2806"}, 50000, "6217000010001234567")
	if err != nil {
		panic(err)
	}
	fmt.Println(tx.MTI, tx.ProcessingCode, tx.Kind(), tx.Kind().Chinese(), tx.AccountID2 == tx.Payee())
	// Output:
	// 0200 400000 transfer 转账 true
}
