package iso8583

// Sources of the UnionPay conventions the package builds. The UnionPay POS
// terminal specification (中国银联POS终端规范) is not served publicly; where
// its layouts were checked against public terminal code or published
// copies, the notes below name them. They were moved here from the doc
// comments of the exported names (a doc comment is the contract; where a
// convention comes from is a note for maintainers). The tests that pin
// each layout: TestBatchRecordsLayout, TestBatchUploadMagstripe,
// TestBatchUploadICCFields, TestSettlement48Layout, TestReconciliation,
// TestQRSaleCodeFormats, TestField63ResponseInfo, TestUnionPay2002Table.

// batchupload.go: magnetic-stripe batch upload layout
// Magnetic-stripe batch upload (批上送金融交易/批上送结束, section 9.4.5 of the
// UnionPay POS terminal specification: 0320 with fields 11, 41, 42, 48 and
// 60, as the Wonders POS client's Connect.upLoading lists them).
//
// Source of the layout: the specification itself (中国银联 POS 终端规范) is
// not publicly served; the layout below is what public UnionPay terminal
// code builds, checked against the NEWPOS terminal application (C,
// BatchMagOnLineTrans and PosBatchUp): field 48 is n2 count + up to 8
// records of 40 digits, each "00" (UnionPay card, card organisation CUP)
// or "01" (any other organisation), the STAN %06d, the PAN right-aligned
// in 20 zero-filled digits and the amount n12; the end-of-batch message
// carries 48 = %04d, the count of every transaction uploaded in the batch
// (IC card and notification uploads included), and 60.3 "207" when both
// reconciliation codes of the settlement answer were 1 (balanced), "202"
// otherwise. A Centerm Android terminal (SettlementTrade) records the same
// rule as a bug fix ("对账不平,批上送结束为207,应该为202"). It also matches
// the maximum length of field 48 in SpecUnionPay: 2 + 8 × 40 = 322 digits.
//
// Field 48 of a record message:
//
//	n2  number of records in this message (01..08)
//	then per record, 40 digits:
//	n2  card organisation: 00 UnionPay (domestic) card, 01 foreign card
//	n6  STAN of the original transaction (field 11)
//	n20 PAN, right-aligned, left-padded with zeros
//	n12 amount in minor units (field 4)
//
// Field 48 of the end-of-batch message: n4, the total number of
// transactions uploaded in the batch.
//
// 60.3 network management codes used here (60.1 "00"):
//
//	201 magnetic-stripe batch upload (records in field 48); also the
//	    settlement code of 0500
//	202 end of batch upload, totals did not balance (对账不平)
//	203 IC card batch upload, one transaction per message (Terminal.BatchUpload)
//	207 end of batch upload, totals balanced (对账平)
//
// Codes 204, 205 and 206 (IC card uploads after an unbalanced settlement,
// transactions whose ARPC failed, notification uploads) are used
// differently by the public implementations (Basewin sends 205 for IC
// uploads after an unbalanced settlement, Centerm 204/206 for ARPC
// failures, a Java POS server documents 206 for IC notifications) and are
// not built here.

// batchupload.go: Terminal.BatchUpload field list
// BatchUpload builds a batch upload (批上送, 0320) of one stored approved
// transaction, sent after a settlement (see Transaction.Balanced): IC card
// transactions go one per message, magnetic-stripe ones several to a
// message in field 48 (BatchUploadMagstripe, which also builds the
// end-of-batch message).
//
// UnionPay: the IC card batch upload notification (基于PBOC借/贷记IC卡批上
// 送通知交易, section 9.4.7 of the UnionPay POS terminal specification)
// carries fields 2 (the PAN, from track 2 when the request had no field
// 2), 4, 11 (the original's STAN), 22, 23, 41, 42, 55 and 60 (60.1 "00",
// 60.2 the batch, 60.3 "203", 60.4 the terminal's read capability), and
// nothing else: the field list three public terminals agree on (the
// Android terminals of Basewin, NetICSettlement, and of Centerm,
// AsyncUploadIcDataTask, and the Wonders POS client, Connect
// upLoadNotification, which names the section). Those terminals also send
// a field 62 (n2 "61", four digits on whose meaning they differ, the amount
// n12 and the currency n3); it is not built here: set F62 if your host
// asks for it. Their 60.3 codes for uploads after an unbalanced settlement
// or for transactions whose ARPC failed differ (205, 204 or 206), so only
// 203 is built. ISO87: the card, amount, STAN, entry mode, processing and
// condition codes, RRN, authorisation code and ICC data of the original.
// Errors: ErrOriginal when req or resp is nil, req has no STAN or resp no
// RRN (only approved, answered transactions are uploaded).

// qr.go: Terminal.QRSale, where the code goes and why
// QRSale builds a sale paid with a payment code the terminal scanned from
// the cardholder's phone (被扫, customer-presented code): the same message
// as Sale (0200, processing code 000000, condition 00, UnionPay 60.1 "22")
// with the code in field 2 in place of a PAN, no track or card data, and
// field 22 EntryModeQR.
//
// The code must be 16 to 19 digits, what field 2 (n..19) holds on both
// specs. Published formats of customer-presented codes (the field list of
// a payment gateway's B-scans-C API, github.com/MidnightDancing/
// offlineAPIDocs, offline/unactivescan.md): UnionPay QR 19 digits starting
// with 62, WeChat Pay 18 digits starting with 10 to 15, Alipay 16 to 24
// digits starting with 25 to 30. UnionPay's own online API (the qrNo field
// of its QR consumer-presented sale, "C2B码, 1-20位数字", as its Java demo
// code and the blog walk-through of it at blog.csdn.net/hanfengzqh/article/
// details/75043052 show) carries the code as a text field, not a PAN. So
// UnionPay and WeChat codes fit field 2; an Alipay code longer than 19
// digits does not and is refused with ErrQRCode.
//
// Where a UnionPay POS message carries the code is not public: no public
// copy of the UnionPay POS terminal specification or of its QR annex was
// found, and acquirers' terminal code differs (field 2, or a private
// field). This constructor follows the ISO 8583:1987 reading, where the
// scanned number is the account identifier and PAN entry mode 03 (bar
// code) says how it was entered; a host that expects the code elsewhere
// moves it there. Answer with NewResponse as for any request.

// settlement.go: Settlement48Length layout and sources
// Settlement48Length is the length in digits of field 48 of a UnionPay
// settlement (结算, 0500/0510).
//
// Layout, 62 digits: the domestic-card totals (内卡) then the foreign-card
// totals (外卡), each
//
//	n12 debit total amount (借记总金额), minor units
//	n3  debit total count (借记总笔数)
//	n12 credit total amount (贷记总金额)
//	n3  credit total count (贷记总笔数)
//	n1  reconciliation code (对账应答码): 0 from the terminal (ISO
//	    reserved), then in the 0510 answer 1 balanced (对账平), 2 not
//	    balanced (对账不平), 3 reconciliation error (对账出错)
//
// so the two reconciliation codes sit at digits 31 and 62. Amount comes
// before count. Sources (the UnionPay POS terminal specification
// "中国银联POS终端规范", section 9.4.4 批结算, is not served publicly; its
// 48 field table is quoted or implemented by public terminal code, and
// every public implementation found agrees on this order):
//
//   - an iOS POS client on GitHub whose settleDone method quotes the
//     specification text "内卡结算总额 ... 借记总金额 N12, 借记总笔数 N3,
//     贷记总金额 N12, 贷记总笔数 N3, 对账应答代码 N1; 0 ISO 保留, 1 对账平"
//     and reads field 48 at offsets 0/12/15/27;
//   - the NEWPOS terminal application (C, PosSettleTran), which writes
//     "%s%03d%s%03d0%s%03d%s%03d0" with the 12-digit amounts first and
//     reads the answer's codes as '1'/'2';
//   - the eJPos SDK (Java, MessageStructure.FIELD_GROUP_48_TOTAL, 62
//     digits: 内卡借记总金额 12, 内卡借记总笔数 3, 内卡贷记总金额 12,
//     内卡贷记总笔数 3, 内卡对账应答码 1, then the same for 外卡);
//   - an Android terminal that reads 内卡对账应答码 at field48.substring(30,
//     31) and accepts 1, 2 and 3.
//
// The 2002 field description ("中国银联POS终端消息域说明", m.31ppt.com/p-2398641
// and renrendoc.com/p-13821646) lists 域48 but its public excerpts stop
// before the settlement layout.

// settlement.go: Transaction.Balanced
// Balanced reports whether a settlement answer's field 48 says both the
// domestic and the foreign totals balanced (both codes ReconBalanced).
// Either way the terminal then uploads its batch and ends it (the NEWPOS
// terminal code notes that the host expects the end-of-batch message even
// when balanced): balanced, only the IC card transactions (BatchUpload)
// and an end message with 60.3 "207"; not balanced, every transaction
// (BatchUploadMagstripe for magnetic-stripe ones) and an end message with
// 60.3 "202". Pass the result as BatchUploadMagstripe's balanced.

// unionpayfields.go: Field63.ResponseInfo
// ResponseInfo splits 63.2 of a response into the three 20-character
// parts public terminal code reads there (the eJPos SDK's
// MessageStructure: 发卡行返回信息, 中国银联返回信息, 收单行返回信息, each an20,
// after the card organisation code 63.1): the issuer's, UnionPay's and the
// acquirer's messages, each with trailing spaces removed. Parts missing
// from a shorter 63.2 are empty; text beyond 60 characters is ignored.

// codes.go: 60.1 codes and their source
// UnionPay transaction type codes, field 60.1 (交易类型码), with the
// processing code (3), condition code (25) and MTI they go with in the
// table of section 1 of "中国银联POS终端消息域说明" (2002; public copies at
// renrendoc.com/p-13821646.html and m.31ppt.com/p-2398641.html): 查询
// 310000/00/0200 "01", 预授权 030000/06/0100 "10", 预授权撤消 200000/06/0100
// "11", 预授权完成 000000/06/0200 "20", 预授权完成撤消 200000/06/0200 "21",
// 消费 000000/00/0200 "22", 消费撤消 200000/00/0200 "23", 退货 200000/00/0220
// "25", 结算 (the offline "settlement" sale) 000000/00/0220 "30", 结算调整
// 000000/00/0220 "32", 结算调整(追加小费) 000000/00/0220 "34". The
// constructors of Terminal follow it; the 0220 offline types have
// constants but no constructor.
