package receipt_test

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/poskit/poskit/receipt"
)

func exampleSlip() *receipt.Slip {
	return &receipt.Slip{
		Merchant: receipt.Merchant{Name: "示范咖啡馆", Number: "898310058120001", TerminalID: "10250138", Operator: "01"},
		Acquirer: "银联商务",
		Issuer:   "中国银行",
		Card:     receipt.Card{PAN: "6217850000000000011", Entry: receipt.EntryChip},
		Type:     receipt.Sale,
		Batch:    "000001",
		Voucher:  "000042",
		AuthCode: "123456",
		RRN:      "110123000042",
		Time:     time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC),
		Amount:   receipt.Amount{Minor: 3200, Currency: receipt.CNY},
		CVM:      receipt.CVMPIN,
		Copy:     receipt.CardholderCopy,
	}
}

// Print a bilingual slip on 58 mm paper as plain text. The cardholder copy
// shows only the last 4 digits of the card under the PCI policy.
func Example() {
	p, err := receipt.NewPrinter(receipt.Config{
		Profile:  receipt.Paper58,
		Language: receipt.Bilingual,
		Policy:   receipt.Policy{Mask: receipt.MaskPCI},
	})
	if err != nil {
		panic(err)
	}
	if err := p.WriteText(os.Stdout, exampleSlip()); err != nil {
		panic(err)
	}
	// Output:
	// POS签购单
	//          POS SALES SLIP
	//   持卡人存根(CARDHOLDER COPY)
	// --------------------------------
	// 商户名称(MERCHANT NAME):
	//                       示范咖啡馆
	// 商户编号(MERCHANT NO.):
	//                  898310058120001
	// 终端编号(TERMINAL NO.): 10250138
	// 操作员号(OPERATOR NO.):       01
	// --------------------------------
	// 发卡行(ISSUER):         中国银行
	// 收单行(ACQUIRER):       银联商务
	// 卡号(CARD NO.):
	//            ***************0011 I
	// 交易类型(TRANS TYPE): 消费(SALE)
	// 批次号(BATCH NO.):        000001
	// 凭证号(VOUCHER NO.):      000042
	// 授权码(AUTH NO.):         123456
	// 参考号(REFER NO.):  110123000042
	// 日期/时间(DATE/TIME):
	//              2026/11/21 09:30:00
	// --------------------------------
	// 金额(AMOUNT):          RMB 32.00
	// --------------------------------
	// 密码已验证(PIN VERIFIED)
	// 本人确认以上交易，同意将其记入本
	// 卡账户
	// I ACKNOWLEDGE SATISFACTORY
	// RECEIPT OF RELATIVE
	// GOODS/SERVICES
}

// Produce the ESC/POS bytes for a thermal printer: initialise, Chinese
// mode, GB18030 text, then feed and cut. Keep the buffer to render the next
// slip without allocating.
func ExamplePrinter_AppendESCPOS() {
	p, err := receipt.NewPrinter(receipt.Config{Profile: receipt.Paper58})
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 0, 4096)
	buf, err = p.AppendESCPOS(buf[:0], exampleSlip())
	if err != nil {
		panic(err)
	}
	fmt.Printf("start: % X\n", buf[:4])
	i := bytes.Index(buf, []byte("RMB"))
	fmt.Printf("amount: %q\n", buf[i:bytes.IndexByte(buf[i:], '\n')+i])
	fmt.Printf("title: % X\n", []byte("签购单")) // UTF-8 in this source file ...
	j := bytes.Index(buf, []byte("POS")) + 3
	fmt.Printf("title on paper: % X\n", buf[j:j+6]) // ... GB18030 on paper
	fmt.Printf("end: % X\n", buf[len(buf)-7:])
	// Output:
	// start: 1B 40 1C 26
	// amount: "RMB 32.00"
	// title: E7 AD BE E8 B4 AD E5 8D 95
	// title on paper: C7 A9 B9 BA B5 A5
	// end: 1B 64 03 1D 56 42 00
}

// A sale paid in the cardholder's currency: the slip prints the dynamic
// currency conversion disclosure. Currencies take their minor digits from
// ISO 4217.
func ExampleDCC() {
	usd, err := receipt.CurrencyOf("USD")
	if err != nil {
		panic(err)
	}
	s := exampleSlip()
	s.Card.Funding = receipt.Credit
	s.DCC = &receipt.DCC{Amount: receipt.Amount{Minor: 460, Currency: usd}, Rate: "0.143750", Markup: "3.50", Reference: "ECB"}
	p, err := receipt.NewPrinter(receipt.Config{Language: receipt.English, Profile: receipt.Paper80})
	if err != nil {
		panic(err)
	}
	b, err := p.AppendText(nil, s)
	if err != nil {
		panic(err)
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if bytes.Contains(line, []byte("CARD TYPE")) || bytes.Contains(line, []byte("RATE")) || bytes.Contains(line, []byte("AMOUNT")) {
			fmt.Printf("%s\n", line)
		}
	}
	// Output:
	// CARD TYPE:                                CREDIT
	// AMOUNT:                                RMB 32.00
	// EXCH. RATE:                 1 CNY = 0.143750 USD
	// REFERENCE RATE:                              ECB
	// CARDHOLDER AMOUNT:                      USD 4.60
}

// A card-to-card transfer (转账) with the transfer fee the cardholder pays:
// the payee's account prints masked like the card, the total is the
// amount debited, and the merchant copy has the signature line although
// the cardholder entered the PIN.
func ExamplePayee() {
	s := exampleSlip()
	s.Type = receipt.Transfer
	s.Copy = receipt.MerchantCopy
	s.Payee = &receipt.Payee{Account: "6217003810012345678", Bank: "中国建设银行"}
	s.Amount.Minor = 500_000 // 5,000.00
	s.Fee = 500              // 0.1% with a minimum of 2.00 and a maximum of 25.00
	p, err := receipt.NewPrinter(receipt.Config{Language: receipt.English, Profile: receipt.Paper80})
	if err != nil {
		panic(err)
	}
	b, err := p.AppendText(nil, s)
	if err != nil {
		panic(err)
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		for _, k := range []string{"SLIP", "CARD:", "TO ", "TRANS", "AMOUNT", "FEE", "TOTAL", "PIN", "SIGNATURE"} {
			if bytes.Contains(line, []byte(k)) {
				fmt.Printf("%s\n", bytes.TrimSpace(line))
				break
			}
		}
	}
	// Output:
	// TRANSFER SLIP
	// FROM CARD:                 621785*********0011 I
	// TO ACCOUNT:                  621700*********5678
	// TO BANK:                            中国建设银行
	// TRANS TYPE:                             TRANSFER
	// AMOUNT:                              RMB 5000.00
	// FEE:                                    RMB 5.00
	// TOTAL:                               RMB 5005.00
	// PIN VERIFIED
	// CARDHOLDER SIGNATURE:
	// I AUTHORISE THE TRANSFER ABOVE TO BE DEBITED TO
}

// The result slip of a terminal-management download: CA public keys, AID
// parameters and the hot-card list version the terminal now holds.
func ExampleDownloadSlip() {
	p, err := receipt.NewPrinter(receipt.Config{Language: receipt.Bilingual, Profile: receipt.Paper58})
	if err != nil {
		panic(err)
	}
	err = p.WriteText(os.Stdout, &receipt.DownloadSlip{
		Merchant:       receipt.Merchant{Name: "示范咖啡馆", Number: "898310058120001", TerminalID: "10250138", Operator: "01"},
		CAKeys:         18,
		AIDs:           7,
		HotListVersion: "2026112101",
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// 参数下载结果单
	//          DOWNLOAD SLIP
	// --------------------------------
	// 商户名称(MERCHANT NAME):
	//                       示范咖啡馆
	// 商户编号(MERCHANT NO.):
	//                  898310058120001
	// 终端编号(TERMINAL NO.): 10250138
	// 操作员号(OPERATOR NO.):       01
	// --------------------------------
	// 公钥(CA KEYS):                18
	// AID参数(AID PARAMETERS):       7
	// 黑名单版本(HOT LIST VERSION):
	//                       2026112101
	// --------------------------------
	//   下载成功(DOWNLOAD COMPLETE)
}
