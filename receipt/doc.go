// Package receipt prints POS slips: the sale slip (签购单) a terminal prints
// after a card or QR payment, in merchant, cardholder and bank copies, the
// transfer slip (转账签购单) of a card-to-card or card-to-account transfer,
// the settlement slip (结算总计单) at the end of a batch, and the
// terminal-management result slip (参数下载结果单) after a download of CA
// keys, AID parameters and the hot-card list ([DownloadSlip]). Every one
// prints the operator number (操作员号) under the merchant.
//
// Callers fill a model — a [Slip] or a [SettlementSlip] — and render it
// with a [Printer] built once per paper profile, label set and code page by
// [NewPrinter]:
//
//	p, err := receipt.NewPrinter(receipt.Config{
//		Profile:  receipt.Paper58,   // 32 columns; Paper80 is 48, Paper80x42 is 42
//		Language: receipt.Bilingual, // 交易类型(TRANS TYPE); or Chinese, English, TraditionalChinese
//		Policy:   receipt.Policy{Mask: receipt.MaskPCI, NoSignatureLimit: 100000},
//	})
//	slip := &receipt.Slip{Merchant: m, Card: receipt.Card{PAN: pan, Entry: receipt.EntryChip},
//		Type: receipt.Sale, Amount: receipt.Amount{Minor: 12800, Currency: receipt.CNY},
//		CVM: receipt.CVMPIN, Copy: receipt.MerchantCopy}
//	buf, err = p.AppendESCPOS(buf[:0], slip) // bytes for the thermal printer
//	err = p.WriteText(os.Stdout, slip)        // the same slip as UTF-8 text
//	err = p.WriteHTML(w, slip)                // and as a printable e-receipt
//
// What is printed of the card follows the [Policy] and the [Copy]: the PAN
// only masked (UnionPay first 6 + last 4; PCI last 4 on the cardholder
// copy; US FACTA last 4 and never the expiry), the expiry only when asked
// for. "No signature required" (免签) is printed only on a sale at or below
// Policy.NoSignatureLimit; a void, refund, pre-authorisation or completion
// keeps its signature line, and a transfer has one even with a PIN.
//
// A transfer is a [Slip] of kind [Transfer] with its [Payee]: the payer's
// card and the payee's account both print masked (at most first 6 and last
// 4), the transfer fee the cardholder pays goes in Slip.Fee and prints with
// the total debited, and the merchant and bank copies always carry the
// signature line, PIN or not:
//
//	slip := &receipt.Slip{Merchant: m, Card: receipt.Card{PAN: pan, Entry: receipt.EntryChip},
//		Type: receipt.Transfer, Payee: &receipt.Payee{Account: acct, Bank: "中国建设银行"},
//		Amount: receipt.Amount{Minor: 1_000_000, Currency: receipt.CNY}, Fee: 1000, CVM: receipt.CVMPIN}
//
// Layout is measured for the output: the text renderer counts columns by
// East Asian Width (UAX #11, a fixed rule that never reads the locale); the
// ESC/POS renderer counts the bytes of the printer's code page (a GB18030
// 2-byte code is 2 columns). Free text wraps between characters, never
// inside a double-width one, and never exceeds the paper. Amounts,
// identifiers and dates are tokens: one that does not fit beside its label
// moves whole to the next line, and one wider than the paper is an
// [ErrTooNarrow] error, never split. The HTML e-receipt follows the same
// rule at any screen width.
//
// Caller text can never reach the printer as a command or reorder a line:
// control characters, bidirectional controls and line separators print as
// '?' in every renderer, and QR code and barcode payloads holding them are
// refused ([ErrCode]). Characters the printer cannot print are
// transliterated (¥ → ￥) or printed as '?', never dropped; a label the
// code page cannot print is an [ErrCodePage] error from [NewPrinter].
//
// The package imports no cryptography: it formats what the caller gives it.
package receipt
