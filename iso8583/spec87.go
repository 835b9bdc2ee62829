package iso8583

import (
	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"
	"github.com/moov-io/iso8583/prefix"
)

// field kinds of the ISO 8583:1987 table
const (
	kN   = iota // numeric, ASCII digits
	kAN         // text
	kXN         // x+n: C or D then digits, text
	kB          // binary, hex characters on the wire, length in bytes
	kZ          // track 2/3, ASCII track characters
	kB55        // binary, hex characters, length prefix in characters
)

type def87 struct {
	id   int
	kind int
	max  int
	ls   int // 0 fixed, 2 LLVAR, 3 LLLVAR
	desc string
}

// Field table of ISO 8583:1987 (data element directory, bank card
// originated messages).
var table87 = []def87{
	{2, kN, 19, 2, "Primary Account Number"},
	{3, kN, 6, 0, "Processing Code"},
	{4, kN, 12, 0, "Amount, Transaction"},
	{5, kN, 12, 0, "Amount, Settlement"},
	{6, kN, 12, 0, "Amount, Cardholder Billing"},
	{7, kN, 10, 0, "Transmission Date & Time"},
	{8, kN, 8, 0, "Amount, Cardholder Billing Fee"},
	{9, kN, 8, 0, "Conversion Rate, Settlement"},
	{10, kN, 8, 0, "Conversion Rate, Cardholder Billing"},
	{11, kN, 6, 0, "Systems Trace Audit Number"},
	{12, kN, 6, 0, "Time, Local Transaction"},
	{13, kN, 4, 0, "Date, Local Transaction"},
	{14, kN, 4, 0, "Date, Expiration"},
	{15, kN, 4, 0, "Date, Settlement"},
	{16, kN, 4, 0, "Date, Conversion"},
	{17, kN, 4, 0, "Date, Capture"},
	{18, kN, 4, 0, "Merchant Type"},
	{19, kN, 3, 0, "Acquiring Institution Country Code"},
	{20, kN, 3, 0, "PAN Extended, Country Code"},
	{21, kN, 3, 0, "Forwarding Institution Country Code"},
	{22, kN, 3, 0, "Point of Service Entry Mode"},
	{23, kN, 3, 0, "Card Sequence Number"},
	{24, kN, 3, 0, "Network International Identifier"},
	{25, kN, 2, 0, "Point of Service Condition Code"},
	{26, kN, 2, 0, "Point of Service PIN Capture Code"},
	{27, kN, 1, 0, "Authorizing Identification Response Length"},
	{28, kXN, 9, 0, "Amount, Transaction Fee"},
	{29, kXN, 9, 0, "Amount, Settlement Fee"},
	{30, kXN, 9, 0, "Amount, Transaction Processing Fee"},
	{31, kXN, 9, 0, "Amount, Settlement Processing Fee"},
	{32, kN, 11, 2, "Acquiring Institution Identification Code"},
	{33, kN, 11, 2, "Forwarding Institution Identification Code"},
	{34, kAN, 28, 2, "Primary Account Number, Extended"},
	{35, kZ, 37, 2, "Track 2 Data"},
	{36, kZ, 104, 3, "Track 3 Data"},
	{37, kAN, 12, 0, "Retrieval Reference Number"},
	{38, kAN, 6, 0, "Authorization Identification Response"},
	{39, kAN, 2, 0, "Response Code"},
	{40, kAN, 3, 0, "Service Restriction Code"},
	{41, kAN, 8, 0, "Card Acceptor Terminal Identification"},
	{42, kAN, 15, 0, "Card Acceptor Identification Code"},
	{43, kAN, 40, 0, "Card Acceptor Name/Location"},
	{44, kAN, 25, 2, "Additional Response Data"},
	{45, kAN, 76, 2, "Track 1 Data"},
	{46, kAN, 999, 3, "Additional Data - ISO"},
	{47, kAN, 999, 3, "Additional Data - National"},
	{48, kAN, 999, 3, "Additional Data - Private"},
	{49, kAN, 3, 0, "Currency Code, Transaction"},
	{50, kAN, 3, 0, "Currency Code, Settlement"},
	{51, kAN, 3, 0, "Currency Code, Cardholder Billing"},
	{52, kB, 8, 0, "Personal Identification Number Data"},
	{53, kN, 16, 0, "Security Related Control Information"},
	{54, kAN, 120, 3, "Additional Amounts"},
	{55, kB55, 499, 3, "ICC Data (BER-TLV)"},
	{56, kAN, 999, 3, "Reserved ISO"},
	{57, kAN, 999, 3, "Reserved National"},
	{58, kAN, 999, 3, "Reserved National"},
	{59, kAN, 999, 3, "Reserved National"},
	{60, kAN, 999, 3, "Reserved National"},
	{61, kAN, 999, 3, "Reserved Private"},
	{62, kAN, 999, 3, "Reserved Private"},
	{63, kAN, 999, 3, "Reserved Private"},
	{64, kB, 8, 0, "Message Authentication Code"},
	{65, kB, 1, 0, "Bitmap, Tertiary"},
	{66, kN, 1, 0, "Settlement Code"},
	{67, kN, 2, 0, "Extended Payment Code"},
	{68, kN, 3, 0, "Receiving Institution Country Code"},
	{69, kN, 3, 0, "Settlement Institution Country Code"},
	{70, kN, 3, 0, "Network Management Information Code"},
	{71, kN, 4, 0, "Message Number"},
	{72, kN, 4, 0, "Message Number, Last"},
	{73, kN, 6, 0, "Date, Action"},
	{74, kN, 10, 0, "Credits, Number"},
	{75, kN, 10, 0, "Credits Reversal, Number"},
	{76, kN, 10, 0, "Debits, Number"},
	{77, kN, 10, 0, "Debits Reversal, Number"},
	{78, kN, 10, 0, "Transfer, Number"},
	{79, kN, 10, 0, "Transfer Reversal, Number"},
	{80, kN, 10, 0, "Inquiries, Number"},
	{81, kN, 10, 0, "Authorizations, Number"},
	{82, kN, 12, 0, "Credits, Processing Fee Amount"},
	{83, kN, 12, 0, "Credits, Transaction Fee Amount"},
	{84, kN, 12, 0, "Debits, Processing Fee Amount"},
	{85, kN, 12, 0, "Debits, Transaction Fee Amount"},
	{86, kN, 16, 0, "Credits, Amount"},
	{87, kN, 16, 0, "Credits Reversal, Amount"},
	{88, kN, 16, 0, "Debits, Amount"},
	{89, kN, 16, 0, "Debits Reversal, Amount"},
	{90, kN, 42, 0, "Original Data Elements"},
	{91, kAN, 1, 0, "File Update Code"},
	{92, kAN, 2, 0, "File Security Code"},
	{93, kAN, 5, 0, "Response Indicator"},
	{94, kAN, 7, 0, "Service Indicator"},
	{95, kAN, 42, 0, "Replacement Amounts"},
	{96, kB, 8, 0, "Message Security Code"},
	{97, kXN, 17, 0, "Amount, Net Settlement"},
	{98, kAN, 25, 0, "Payee"},
	{99, kN, 11, 2, "Settlement Institution Identification Code"},
	{100, kN, 11, 2, "Receiving Institution Identification Code"},
	{101, kAN, 17, 2, "File Name"},
	{102, kAN, 28, 2, "Account Identification 1"},
	{103, kAN, 28, 2, "Account Identification 2"},
	{104, kAN, 100, 3, "Transaction Description"},
	{128, kB, 8, 0, "Message Authentication Code"},
}

func prefixer(fam prefix.Prefixers, ls int) prefix.Prefixer {
	switch ls {
	case 2:
		return fam.LL
	case 3:
		return fam.LLL
	}
	return fam.Fixed
}

func buildSpec87() *moov.MessageSpec {
	f := map[int]field.Field{
		0: field.NewString(&field.Spec{Length: 4, Description: "Message Type Indicator", Enc: ASCIIDigits, Pref: LengthASCII.Fixed}),
		1: field.NewBitmap(&field.Spec{Length: 8, Description: "Bitmap", Enc: HexBytes, Pref: LengthASCII.Fixed}),
	}
	defs := append([]def87(nil), table87...)
	for id := 105; id <= 127; id++ {
		d := "Reserved ISO"
		switch {
		case id >= 120:
			d = "Reserved Private"
		case id >= 112:
			d = "Reserved National"
		}
		defs = append(defs, def87{id, kAN, 999, 3, d})
	}
	for _, d := range defs {
		s := &field.Spec{Length: d.max, Description: d.desc, Pref: prefixer(LengthASCII, d.ls)}
		switch d.kind {
		case kN:
			s.Enc = ASCIIDigits
			f[d.id] = field.NewString(s)
		case kAN, kXN:
			s.Enc = ASCII
			f[d.id] = field.NewString(s)
		case kZ:
			s.Enc = ASCIITrack
			f[d.id] = field.NewString(s)
		case kB:
			s.Enc = HexBytes
			f[d.id] = field.NewBinary(s)
		case kB55:
			s.Enc = HexBytes
			s.Pref = prefixer(HexCharsASCII, d.ls)
			f[d.id] = field.NewBinary(s)
		}
	}
	return &moov.MessageSpec{Name: "ISO 8583:1987 ASCII POS (poskit)", Fields: f}
}

// Spec87ASCII is an ISO 8583:1987 spec for POS messages in ASCII, fields 0
// to 128. Compared with moov's specs.Spec87ASCII:
//   - the bitmap is 8 bytes as 16 hex characters, with a secondary bitmap
//     only when a field above 64 is present;
//   - fields 52, 64, 96 and 128 are 8 binary bytes (field.Binary), 16 hex
//     characters on the wire, and round-trip;
//   - field 55 is binary BER-TLV (field.Binary) carried as hex characters
//     with an LLL prefix counting characters, up to 499 bytes;
//   - field 35 (z..37) and 36 accept digits with '=' or 'D' separators;
//   - numeric fields are checked to hold digits and are not padded or
//     unpadded (the typed layer formats them), so values round-trip exactly.
//
// Field 65 (tertiary bitmap) is defined as b1 but never sent: moov's bitmap
// treats bit 65 as the presence bit of a third bitmap.
var Spec87ASCII = buildSpec87()
