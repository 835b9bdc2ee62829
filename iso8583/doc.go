// Package iso8583 gives a Go POS terminal or acquirer host what it needs on
// top of github.com/moov-io/iso8583: two ready specs, exact and fast BCD
// and track codecs, typed transactions, framing with TPDU and UnionPay
// header, message MAC, response codes and masked logging.
//
// Build, sign and frame a UnionPay sale:
//
//	term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019",
//		MerchantID: "850100082410002", Currency: "156", STAN: iso8583.NewSTANSource(0)}
//	sale, err := term.Sale(iso8583.Card{Track2: track2, PINBlock: pinBlock}, 1000) // 10.00
//	msg, err := sale.Message(iso8583.SpecUnionPay)
//	mak, err := mac.NewCUPECB(keys.MAC) // keys from sign-on (ParseSignOnKeys)
//	packed, err := iso8583.SignMessage(msg, mak)
//	err = iso8583.NewWriter(conn, iso8583.UnionPayFraming).WriteFrame(iso8583.Frame{TPDU: tpdu, Header: hdr, Message: packed})
//
// and on the host, read, verify and unpack it:
//
//	fr, err := iso8583.NewReader(conn, iso8583.UnionPayFraming).ReadFrame()
//	msg, err := iso8583.VerifyPacked(iso8583.SpecUnionPay, fr.Message, mak)
//	req, err := iso8583.FromMessage(msg)
//	iso8583.Dump(msg, log) // PAN 6+4, no track, PIN, keys or sensitive ICC tags
//
// A host that must read the message (terminal ID, KSN) before it knows the
// MAC key verifies with VerifyPackedFunc. Card-less sales from a scanned
// payment code use Terminal.QRSale. After a settlement (Terminal.Settlement;
// the host answers with Transaction.SetReconciliation, the terminal reads
// Transaction.Balanced), Terminal.BatchUpload (IC card, one per message)
// and Terminal.BatchUploadMagstripe (records in field 48, then the end of
// the batch) upload the stored transactions. Where a UnionPay convention
// was checked against public sources, the comment names them (settle.go,
// batchmag.go, qr.go, codes.go).
//
// The specs are moov *iso8583.MessageSpec values (Spec87ASCII,
// SpecUnionPay) and the codecs implement moov's encoding.Encoder and
// prefix.Prefixer, so they mix with moov's own fields and specs.
//
// Faults of moov v0.26.1 this package works around (each has a test):
// specs.Spec87ASCII cannot round-trip an 8-byte field 52 or 64 and always
// sends a 32-character bitmap; specs.Spec87Hex cannot pack MTI 0200; moov's
// encoding.BCD and prefix.BCD rebuild lookup tables on every call and
// reject the D and F nibbles of track 2; encoding.Binary copies the rest of
// the message on every field it decodes.
package iso8583
