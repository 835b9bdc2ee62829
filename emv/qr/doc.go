// Package qr reads and writes EMVCo QR code payment payloads.
//
// Merchant-presented mode (MPM) is the code a shop shows, static on a sticker
// or dynamic on a screen, that a wallet (WeChat Pay, Alipay, UnionPay, a
// bank app) scans. Parse checks it strictly and String writes it back byte
// for byte:
//
//	p, err := qr.Parse(text) // checks syntax, CRC (ID 63) and the field rules
//	fmt.Println(p.MerchantName(), p.Amount(), p.Currency())
//	same := p.String() == text
//
// The Merchant builder makes a code and computes its CRC:
//
//	text, err := qr.Merchant{
//		Dynamic:  true,
//		Accounts: []qr.Account{{ID: qr.UnionPay, Value: "6200123456789012"}},
//		MCC: "5812", Currency: "156", Amount: "88.00",
//		Country: "CN", Name: "NOODLE BAR", City: "SHANGHAI",
//	}.Encode()
//
// Lengths count characters, not bytes: "0202北京" is a two-character value
// of six bytes, and the CRC-16/CCITT-FALSE runs over the UTF-8 bytes up to
// and including "6304".
//
// Consumer-presented mode (CPM) is the code a wallet shows to the POS:
// base64 of BER-TLV with the payload format indicator 85 "CPV01", one or
// more application templates 61 and optional common data 62. DecodeCPM and
// CPM.Encode read and write it with the emv package's TLV scanner.
//
// Every error names the offending ID (*Error) or tag (*CPMError) and wraps a
// sentinel to test with errors.Is; no input makes the package panic.
package qr
