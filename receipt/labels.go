package receipt

// Language selects the label set of a Printer.
type Language uint8

// Label sets.
const (
	Bilingual Language = iota // 交易类型(TRANS TYPE): the usual Chinese slip
	Chinese                   // zh-CN only
	English                   // en only
	numLanguages
)

// Key names one fixed text of a slip: a field label, a transaction type, a
// copy name or a notice. Printer labels can be overridden per key.
type Key uint8

// Label keys.
const (
	KeyTitle          Key = iota // POS签购单 / POS SALES SLIP
	KeySettleTitle               // 结算总计单 / SETTLEMENT
	KeyMerchantCopy              // 商户存根 / MERCHANT COPY
	KeyCardholderCopy            // 持卡人存根 / CARDHOLDER COPY
	KeyBankCopy                  // 银行存根 / BANK COPY
	KeyReprint                   // 重打印 / DUPLICATED
	KeyMerchantName              // 商户名称 / MERCHANT NAME
	KeyMerchantNo                // 商户编号 / MERCHANT NO.
	KeyTerminalNo                // 终端编号 / TERMINAL NO.
	KeyOperator                  // 操作员号 / OPERATOR NO.
	KeyAcquirer                  // 收单行 / ACQUIRER
	KeyIssuer                    // 发卡行 / ISSUER
	KeyCardNo                    // 卡号 / CARD NO.
	KeyExpiry                    // 有效期 / EXP. DATE
	KeyTransType                 // 交易类型 / TRANS TYPE
	KeySale                      // 消费 / SALE
	KeyVoid                      // 消费撤销 / VOID
	KeyRefund                    // 退货 / REFUND
	KeyPreAuth                   // 预授权 / PRE-AUTH
	KeyCompletion                // 预授权完成 / COMPLETION
	KeyBalanceInquiry            // 余额查询 / BALANCE INQUIRY
	KeyBatch                     // 批次号 / BATCH NO.
	KeyVoucher                   // 凭证号 / VOUCHER NO.
	KeyAuthCode                  // 授权码 / AUTH NO.
	KeyRRN                       // 参考号 / REFER NO.
	KeyDateTime                  // 日期/时间 / DATE/TIME
	KeyAmount                    // 金额 / AMOUNT
	KeyTip                       // 小费 / TIP
	KeyTotal                     // 总计 / TOTAL
	KeyBalance                   // 余额 / BALANCE
	KeyOrigVoucher               // 原凭证号 / ORIG. VOUCHER
	KeyWallet                    // 支付方式 / WALLET
	KeyOrderNo                   // 订单号 / ORDER NO.
	KeyAID                       // AID
	KeyAppLabel                  // 应用标签 / APP LABEL
	KeyTVR                       // TVR
	KeyTSI                       // TSI
	KeyATC                       // ATC
	KeyPINVerified               // 密码已验证 / PIN VERIFIED
	KeyNoCVM                     // 无需验证 / NO CVM
	KeyNoSignature               // 免签 / NO SIGNATURE REQUIRED
	KeySignature                 // 持卡人签名 / CARDHOLDER SIGNATURE
	KeyAcknowledge               // the acknowledgement sentence
	KeyRemarks                   // 备注 / REFERENCE
	KeyDomestic                  // 内卡 / DOMESTIC CARDS
	KeyForeign                   // 外卡 / FOREIGN CARDS
	KeyQRPay                     // 扫码 / QR PAYMENTS
	KeyType                      // 类型 / TYPE
	KeyCount                     // 笔数 / COUNT
	KeyNet                       // 净额 / NET
	KeyGrandTotal                // 合计 / GRAND TOTAL
	KeyCurrency                  // 币种 / CURRENCY
	numKeys
)

// label is one key's text in Chinese and English; heading keys are set on
// two lines in the bilingual set, the others as 中文(ENGLISH).
type label struct {
	zh, en  string
	heading bool
}

var labels = [numKeys]label{
	KeyTitle:          {"POS签购单", "POS SALES SLIP", true},
	KeySettleTitle:    {"结算总计单", "SETTLEMENT", true},
	KeyMerchantCopy:   {"商户存根", "MERCHANT COPY", false},
	KeyCardholderCopy: {"持卡人存根", "CARDHOLDER COPY", false},
	KeyBankCopy:       {"银行存根", "BANK COPY", false},
	KeyReprint:        {"重打印", "DUPLICATED", false},
	KeyMerchantName:   {"商户名称", "MERCHANT NAME", false},
	KeyMerchantNo:     {"商户编号", "MERCHANT NO.", false},
	KeyTerminalNo:     {"终端编号", "TERMINAL NO.", false},
	KeyOperator:       {"操作员号", "OPERATOR NO.", false},
	KeyAcquirer:       {"收单行", "ACQUIRER", false},
	KeyIssuer:         {"发卡行", "ISSUER", false},
	KeyCardNo:         {"卡号", "CARD NO.", false},
	KeyExpiry:         {"有效期", "EXP. DATE", false},
	KeyTransType:      {"交易类型", "TRANS TYPE", false},
	KeySale:           {"消费", "SALE", false},
	KeyVoid:           {"消费撤销", "VOID", false},
	KeyRefund:         {"退货", "REFUND", false},
	KeyPreAuth:        {"预授权", "PRE-AUTH", false},
	KeyCompletion:     {"预授权完成", "COMPLETION", false},
	KeyBalanceInquiry: {"余额查询", "BALANCE INQUIRY", false},
	KeyBatch:          {"批次号", "BATCH NO.", false},
	KeyVoucher:        {"凭证号", "VOUCHER NO.", false},
	KeyAuthCode:       {"授权码", "AUTH NO.", false},
	KeyRRN:            {"参考号", "REFER NO.", false},
	KeyDateTime:       {"日期/时间", "DATE/TIME", false},
	KeyAmount:         {"金额", "AMOUNT", false},
	KeyTip:            {"小费", "TIP", false},
	KeyTotal:          {"总计", "TOTAL", false},
	KeyBalance:        {"余额", "BALANCE", false},
	KeyOrigVoucher:    {"原凭证号", "ORIG. VOUCHER", false},
	KeyWallet:         {"支付方式", "WALLET", false},
	KeyOrderNo:        {"订单号", "ORDER NO.", false},
	KeyAID:            {"AID", "AID", false},
	KeyAppLabel:       {"应用标签", "APP LABEL", false},
	KeyTVR:            {"TVR", "TVR", false},
	KeyTSI:            {"TSI", "TSI", false},
	KeyATC:            {"ATC", "ATC", false},
	KeyPINVerified:    {"密码已验证", "PIN VERIFIED", false},
	KeyNoCVM:          {"无需验证", "NO CVM", false},
	KeyNoSignature:    {"免签", "NO SIGNATURE REQUIRED", false},
	KeySignature:      {"持卡人签名", "CARDHOLDER SIGNATURE", false},
	KeyAcknowledge:    {"本人确认以上交易，同意将其记入本卡账户", "I ACKNOWLEDGE SATISFACTORY RECEIPT OF RELATIVE GOODS/SERVICES", true},
	KeyRemarks:        {"备注", "REFERENCE", false},
	KeyDomestic:       {"内卡", "DOMESTIC CARDS", false},
	KeyForeign:        {"外卡", "FOREIGN CARDS", false},
	KeyQRPay:          {"扫码", "QR PAYMENTS", false},
	KeyType:           {"类型", "TYPE", false},
	KeyCount:          {"笔数", "COUNT", false},
	KeyNet:            {"净额", "NET", false},
	KeyGrandTotal:     {"合计", "GRAND TOTAL", false},
	KeyCurrency:       {"币种", "CURRENCY", false},
}

// Label returns the default text of key k in language l, as a Printer
// without overrides prints it; heading keys hold a line break ("\n") in the
// bilingual set. It returns "" for an unknown key or language.
func Label(l Language, k Key) string {
	if k >= numKeys || l >= numLanguages {
		return ""
	}
	lb := labels[k]
	switch l {
	case Chinese:
		return lb.zh
	case English:
		return lb.en
	}
	if lb.zh == lb.en {
		return lb.en
	}
	if lb.heading {
		return lb.zh + "\n" + lb.en
	}
	return lb.zh + "(" + lb.en + ")"
}

var typeKeys = [numTxnTypes]Key{Sale: KeySale, Void: KeyVoid, Refund: KeyRefund, PreAuth: KeyPreAuth, Completion: KeyCompletion, BalanceInquiry: KeyBalanceInquiry}
var copyKeys = [numCopies]Key{MerchantCopy: KeyMerchantCopy, CardholderCopy: KeyCardholderCopy, BankCopy: KeyBankCopy}
var channelKeys = [numChannels]Key{Domestic: KeyDomestic, Foreign: KeyForeign, QRPay: KeyQRPay}
