package qr_test

import (
	"fmt"

	"github.com/poskit/poskit/emv/qr"
)

// A restaurant builds a dynamic code for one bill, payable through UnionPay
// (ID 15) or a wallet's template account, and checks it the way a wallet
// would.
func ExampleMerchant_Encode() {
	text, err := qr.Merchant{
		Dynamic: true,
		Accounts: []qr.Account{
			{ID: qr.UnionPay, Value: "6200123456789012"},
			{ID: "26", GUI: "com.example.wallet", Fields: []qr.Object{{ID: "01", Value: "M42"}}},
		},
		MCC:        "5812",
		Currency:   "156",
		Amount:     "88.00",
		Country:    "CN",
		Name:       "NOODLE BAR",
		City:       "SHANGHAI",
		Additional: &qr.AdditionalData{BillNumber: "T7-0031", TerminalLabel: "T7"},
	}.Encode()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(text)

	p, err := qr.Parse(text)
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := p.AdditionalData()
	fmt.Println(p.MerchantName(), p.Amount(), p.Currency(), a.BillNumber)
	// Output:
	// 0002010102121516620012345678901226290018com.example.wallet0103M42520458125303156540588.005802CN5910NOODLE BAR6008SHANGHAI62170107T7-00310702T76304A1B3
	// NOODLE BAR 88.00 156 T7-0031
}

// Parse reads the EMVCo specification's sample payload; lengths count
// characters, so the Chinese merchant name is 4 long.
func ExampleParse() {
	p, err := qr.Parse("00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A")
	if err != nil {
		fmt.Println(err)
		return
	}
	l, _ := p.Language()
	fmt.Println(p.MerchantName(), "/", l.Name, p.Amount(), p.Currency())
	for _, a := range p.Accounts() {
		fmt.Println(a.ID, a.GUI())
	}
	// Output:
	// BEST TRANSPORT / 最佳运输 23.72 156
	// 29 D15600000000
	// 31 D15600000001
}

// A PIX dynamic code from the central bank's manual: no amount (the URL it
// names gives it). Read keeps it whatever the rules say; Check lists the
// findings of a profile.
func ExamplePayload_Check() {
	text := "00020101021226770014BR.GOV.BCB.PIX2555pix.example.com/qr/93598be0-1bd0-4997-8318-81776a1d8a995204000053039865802BR5907EMPRESA6009SAO PAULO62070503***6304EEAB"
	p, err := qr.Read(text)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.IsDynamic(), p.Amount() == "", len(p.Check(qr.PIX)), len(p.Check(qr.EMVCo)))
	for _, f := range p.Check(qr.PromptPay) {
		fmt.Println(f)
	}
	// Output:
	// true true 0 0
	// qr: invalid value: ID 53 (PromptPay: 53 is 764 (THB))
	// qr: invalid value: ID 58 (PromptPay: 58 is TH)
	// qr: mandatory object missing: ID 29, sub-ID 00 (PromptPay: a credit transfer template (GUI A000000677010111) or a bill payment template (A000000677010112))
}
