package receipt

import "time"

// Test fixtures. The card numbers are test PANs (Luhn-valid, not issued
// cards); the merchant numbers and terminal IDs are made up in the UnionPay
// shapes (15 and 8 characters).

var testTime = time.Date(2026, 11, 21, 13, 45, 7, 0, time.UTC)

var testMerchant = Merchant{Name: "上海浦东示范便利店(陆家嘴店)", Number: "898310058120001", TerminalID: "10250138", Operator: "01"}

func chipSale() *Slip {
	return &Slip{
		Merchant: testMerchant,
		Acquirer: "银联商务",
		Issuer:   "中国工商银行",
		Card:     Card{PAN: "6222021234567890128", Expiry: "2812", Entry: EntryChip},
		Type:     Sale,
		Batch:    "000123",
		Voucher:  "000456",
		AuthCode: "A1B2C3",
		RRN:      "132547000456",
		Time:     testTime,
		Amount:   Amount{Minor: 12800, Currency: CNY},
		Chip: &Chip{AID: "A000000333010101", Label: "PBOC DEBIT", TVR: "0080008000", TSI: "E800",
			ATC: "002A", CryptogramType: "ARQC", Cryptogram: "8B2F1C3D4E5A6978"},
		CVM:    CVMPIN,
		Footer: []string{"服务热线 95534", "THANK YOU"},
	}
}

func contactlessSale() *Slip {
	return &Slip{
		Merchant: testMerchant,
		Acquirer: "银联商务",
		Issuer:   "招商银行",
		Card:     Card{PAN: "6225880123456782", Entry: EntryContactless},
		Type:     Sale,
		Batch:    "000123",
		Voucher:  "000457",
		AuthCode: "093127",
		RRN:      "132547000457",
		Time:     testTime.Add(3 * time.Minute),
		Amount:   Amount{Minor: 3550, Currency: CNY},
		Chip: &Chip{AID: "A000000333010102", Label: "PBOC CREDIT", TVR: "0000000000", TSI: "0000",
			ATC: "0101", CryptogramType: "TC", Cryptogram: "1F2E3D4C5B6A7988"},
		CVM: CVMNone,
	}
}

func voidSlip() *Slip {
	s := chipSale()
	s.Type = Void
	s.Voucher = "000458"
	s.OrigVoucher = "000456"
	s.RRN = "132547000458"
	s.AuthCode = "A1B2C3"
	s.CVM = CVMSignature
	s.Chip = nil
	s.Card.Entry = EntrySwipe
	s.Time = testTime.Add(10 * time.Minute)
	return s
}

func refundSlip() *Slip {
	return &Slip{
		Merchant:    testMerchant,
		Acquirer:    "银联商务",
		Issuer:      "VISA",
		Card:        Card{PAN: "4761739001010010", Expiry: "2712", Entry: EntryManual},
		Type:        Refund,
		Batch:       "000123",
		Voucher:     "000459",
		RRN:         "132547000459",
		OrigVoucher: "000321",
		Time:        testTime.Add(20 * time.Minute),
		Amount:      Amount{Minor: 50000, Currency: CNY},
		CVM:         CVMSignature,
		Reprint:     true,
		Footer:      []string{"持卡人须知: 退款将在 7 个工作日内退回原卡"},
		Remarks:     []string{"原交易日期 2026/11/20", "退货原因: 尺码不合适 <size>"},
	}
}

func qrSlip() *Slip {
	return &Slip{
		Merchant: testMerchant,
		Acquirer: "银联商务",
		Card:     Card{Entry: EntryQR},
		Type:     Sale,
		Batch:    "000123",
		Voucher:  "000460",
		RRN:      "132547000460",
		Time:     testTime.Add(30 * time.Minute),
		Amount:   Amount{Minor: 2599, Currency: CNY},
		Tip:      300,
		QR:       &QR{Wallet: "微信支付 WeChat Pay", OrderNumber: "4200001234202611211234567890"},
		QRCode:   "https://e.example.cn/r/4200001234202611211234567890",
		Barcode:  "000123000460",
		Footer:   []string{"电子小票请扫码"},
	}
}

func settlementSlip() *SettlementSlip {
	return &SettlementSlip{
		Merchant: testMerchant,
		Acquirer: "银联商务",
		Batch:    "000123",
		Time:     testTime.Add(10 * time.Hour),
		Currency: CNY,
		Totals: []Total{
			{Group: Domestic, Type: Sale, Count: 42, Amount: 1234567},
			{Group: Domestic, Type: Void, Count: 2, Amount: 16300},
			{Group: Domestic, Type: Refund, Count: 1, Amount: 5000},
			{Group: Domestic, Type: PreAuth, Count: 3, Amount: 300000},
			{Group: Domestic, Type: Completion, Count: 2, Amount: 180000},
			{Group: Foreign, Type: Sale, Count: 5, Amount: 98765},
			{Group: QRPay, Type: Sale, Count: 17, Amount: 45678},
			{Group: QRPay, Type: Refund, Count: 1, Amount: 2599},
		},
		Footer: []string{"结算成功 SETTLEMENT OK"},
	}
}

// instalmentSale is a credit-card sale in 12 instalments with a surcharge
// and a tip: the amount lines, the instalment lines and TOTAL.
func instalmentSale() *Slip {
	s := chipSale()
	s.Voucher, s.RRN = "000461", "132547000461"
	s.Card = Card{PAN: "6258091234567891", Entry: EntryChip, Funding: Credit}
	s.Amount.Minor = 1280000
	s.Fee = 6400
	s.Installment = &Installment{Periods: 12, First: 107200, Each: 106700, Fee: 38400}
	s.CVM = CVMSignature
	return s
}

// dccSale is a Visa sale converted to the cardholder's US dollars. The
// rate and markup are made up in the shape DCC providers return them.
func dccSale() *Slip {
	s := chipSale()
	s.Voucher, s.RRN = "000462", "132547000462"
	s.Issuer = "VISA"
	s.Card = Card{PAN: "4761739001010010", Expiry: "2712", Entry: EntryChip, Funding: Debit}
	s.Amount.Minor = 12800
	s.DCC = &DCC{Amount: Amount{Minor: 1840, Currency: USD}, Rate: "0.143750", Markup: "3.50", Reference: "ECB"}
	s.Chip.AID, s.Chip.Label = "A0000000031010", "VISA DEBIT"
	s.CVM = CVMSignature
	return s
}

// transferSlip is a card-to-card transfer of 10,000.00 CNY from a chip
// debit card with PIN, with the transfer fee the cardholder pays on top:
// 0.1%, at least 2.00 and at most 25.00, is 10.00 here (fees'
// TestTransferFees prices the same transfer). The payee account is a made-up
// 19-digit number in the shape of a UnionPay debit card.
func transferSlip() *Slip {
	return &Slip{
		Merchant: testMerchant,
		Acquirer: "银联商务",
		Issuer:   "中国工商银行",
		Card:     Card{PAN: "6222021234567890128", Entry: EntryChip, Funding: Debit},
		Payee:    &Payee{Account: "6217003810012345678", Bank: "中国建设银行", Name: "*小明"},
		Type:     Transfer,
		Batch:    "000123",
		Voucher:  "000463",
		AuthCode: "D4E5F6",
		RRN:      "132547000463",
		Time:     testTime.Add(40 * time.Minute),
		Amount:   Amount{Minor: 1_000_000, Currency: CNY},
		Fee:      1000,
		Chip: &Chip{AID: "A000000333010101", Label: "PBOC DEBIT", TVR: "0080008000", TSI: "E800",
			ATC: "002B", CryptogramType: "ARQC", Cryptogram: "5C3A9E017B24D86F"},
		CVM:    CVMPIN,
		Footer: []string{"服务热线 95534"},
	}
}

// downloadSlip is the result of a parameter download at first start: the
// CA public keys and AID entries a UnionPay terminal typically loads, and
// the hot-card list version (made-up figures in a realistic range).
func downloadSlip() *DownloadSlip {
	return &DownloadSlip{
		Merchant:       testMerchant,
		Time:           testTime.Add(-2 * time.Hour),
		CAKeys:         18,
		AIDs:           7,
		HotListVersion: "2026112101",
		Footer:         []string{"服务热线 95534"},
	}
}
