// Package qr reads and writes EMVCo QR code payment payloads.
//
// Merchant-presented mode (MPM) is the code a shop shows, static on a sticker
// or dynamic on a screen, that a wallet (WeChat Pay, Alipay, UnionPay, a
// bank app) scans. It is read at two levels. [Read] is the syntax: IDs,
// lengths, templates, the CRC; it always returns what it could read with
// the first fault. [Payload.Validate] checks the rules of the EMVCo
// specification, [Payload.ValidateProfile] and [Payload.Check] those of a
// [Profile] ([EMVCo], [PIX], [DuitNow], [PromptPay], [KHQR], [VietQR],
// [SGQR], [UnionPayQR], [QRIS]). [Parse] is Read then Validate, and String
// writes the payload back byte for byte:
//
//	p, err := qr.Parse(text) // syntax, CRC (ID 63) and the EMVCo rules
//	fmt.Println(p.MerchantName(), p.Amount(), p.Currency())
//	same := p.String() == text
//
//	p, err = qr.Read(text) // a payload of a national scheme
//	for _, f := range p.Check(qr.PIX) {
//		fmt.Println(f) // qr: mandatory object missing: ID 62, sub-ID 05 (PIX: ...)
//	}
//
// Every finding is an [*Error] naming the object (ID, sub-ID), the rule
// broken (the clause of the specification or the profile) and what is
// wrong, wrapping a sentinel to test with errors.Is. The amount (ID 54) is
// conditional: a dynamic code may leave it to the consumer, or to the URL it
// names as PIX does.
//
// The [Merchant] builder makes a code, checks it against a profile and
// computes its CRC:
//
//	text, err := qr.Merchant{
//		Dynamic:  true,
//		Accounts: []qr.Account{{ID: qr.UnionPay, Value: "6200123456789012"}},
//		MCC: "5812", Currency: "156", Amount: "88.00",
//		Country: "CN", Name: "NOODLE BAR", City: "SHANGHAI",
//	}.Encode() // EncodeFor(qr.PIX) checks against another profile
//
// Lengths count characters, not bytes: "0202北京" is a two-character value
// of six bytes, and the CRC-16/CCITT-FALSE runs over the UTF-8 bytes up to
// and including "6304". A length that counts bytes is reported on the
// object that carries it.
//
// Consumer-presented mode (CPM) is the code a wallet shows to the POS:
// base64 of BER-TLV with the payload format indicator 85 "CPV01", one or
// more application templates 61 and optional common data 62. [DecodeCPM]
// and [CPM.Encode] read and write it with the emv package's TLV scanner;
// their errors are [*CPMError] values naming the tag.
//
// No input makes the package panic.
package qr
