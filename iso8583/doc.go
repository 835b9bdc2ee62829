// Package iso8583 gives a Go POS terminal or acquirer host what it needs on
// top of github.com/moov-io/iso8583: two ready specs ([Spec87ASCII],
// [SpecUnionPay]), exact and fast BCD and track codecs, typed transactions
// ([Transaction], built by a [Terminal]), strict unpacking with a
// [FieldError] that names the field and offset, framing with TPDU and
// UnionPay header, message MAC, response codes and masked logging ([Dump]).
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
//	iso8583.Dump(msg, log) // PAN 6+4, no track, expiry, PIN, keys or sensitive ICC tags
//
// A host that answers many requests skips the moov message: one strict
// unpack into a reused Transaction with the MAC checked over the bytes
// received, and the answer signed with one pack into a reused buffer (a
// few allocations per request instead of a few hundred):
//
//	err := iso8583.VerifyInto(iso8583.SpecUnionPay, fr.Message, &req, keyFor) // keyFor picks the MAC by terminal
//	err = req.ResponseInto(&resp, "00", rrn, auth, time.Now())
//	out, err = resp.AppendSigned(out[:0], iso8583.SpecUnionPay, mak)
//
// [Transaction.AppendPack] and [UnpackInto] are the same path without the
// MAC; [Transaction.Pack] and [Unpack] use it too, and give the bytes and
// values moov's path gives (tests and fuzz targets hold the two equal).
//
// Unpacking is strict ([Strict]): bytes after the last field, an unused
// bitmap, an empty PAN or malformed track data are errors; [Lenient] reads
// captures. Masking ([MaskField]) follows each card-data field's structure
// and then masks any Luhn-valid run of digits left elsewhere ([MaskText]).
// After a sale the terminal may need [Terminal.Reversal] (0400, repeated by
// [Terminal.RepeatReversal]), [Terminal.ReversalAdvice] (0420),
// [Terminal.Advice] (0220; [Transaction.AsRepeat] gives 0221), and at the
// end of the batch [Terminal.Settlement], [Terminal.BatchUpload] and
// [Terminal.BatchUploadMagstripe]; the host answers each with
// [NewResponse]; [Terminal.BatchUploadEnd] closes a batch upload. A
// card-to-card transfer is [Terminal.Transfer] ([KindTransfer]). The specs
// are moov *iso8583.MessageSpec values and export to moov's JSON spec
// format ([ExportSpec], [ImportSpec]).
//
// # Terminal management downloads
//
// The host configures a terminal over network management messages (see
// [NetCAKeyQuery] for the codes): terminal parameters ([Terminal.ParamDownload],
// [ParamSet]), CA public keys ([Terminal.CAKeyQuery], [Terminal.CAKeyDownload],
// loaded into an emv.CAPKStore), AID parameters ([Terminal.AIDQuery],
// [Terminal.AIDDownload], giving emv.AIDParams) and the hot-card list
// ([Terminal.HotListDownload], [HotListPart]), each closed by
// [Terminal.DownloadEnd]. A download runs query, then one request per item,
// then the end:
//
//	q, err := term.CAKeyQuery(0)   // send; the answer lists the keys
//	list, err := answer.CAKeyList() // query again from len(keys) while list.More
//	req, err := term.CAKeyDownload(list.Keys[0].RID, list.Keys[0].Index)
//	key, ok, err := answer.CAKey()  // an emv.CAPublicKey
//	err = store.Add(key)            // verifies its check value
//	end, err := term.DownloadEnd(iso8583.KindCAKeyDownload)
//
// The host answers with [NewCAKeyListResponse], [NewCAKeyResponse],
// [NewAIDListResponse], [NewAIDResponse], [NewParamResponse],
// [NewHotListResponse] and, for the end, [NewResponse]; it asks a
// terminal to download with [RequestDownload], which the terminal reads
// with [DownloadRequested].
//
// # Design note: one mapping for Transaction
//
// A Transaction moves in and out of a moov message through one field table
// (txStrings and txBytes in mapping.go, plus Field60, Field61 and Field63
// through their MarshalText and UnmarshalText), not through struct tags.
// The table is the only mapping: moov's reflection-based Marshal is about
// three times slower, cannot express the UnionPay sub-fields without a
// custom field type (the former Text, which moov's message JSON and spec
// builder do not know), and tags would need a generated table anyway for
// the fast path. Transaction's fields carry their field numbers in
// comments; the round-trip tests and FuzzTransactionRoundTrip hold the
// table to the specs.
package iso8583
