package receipt

// Language selects the label set of a Printer.
type Language uint8

// Label sets.
const (
	Bilingual            Language = iota // 交易类型(TRANS TYPE): the usual Chinese slip
	Chinese                              // Simplified Chinese (zh-CN) only
	English                              // en only
	TraditionalChinese                   // Traditional Chinese (zh-HK, zh-TW) only: 交易類型
	BilingualTraditional                 // 交易類型(TRANS TYPE): Hong Kong and Macau slips
	numLanguages
)

// Key names one fixed text of a slip: a field label, a transaction kind, a
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
	KeyCardType                  // 卡类别 / CARD TYPE
	KeyDebit                     // 借记卡 / DEBIT
	KeyCredit                    // 贷记卡 / CREDIT
	KeyFee                       // 手续费 / FEE
	KeyInstallments              // 分期期数 / INSTALMENTS
	KeyFirstPayment              // 首期还款 / FIRST PAYMENT
	KeyEachPayment               // 每期还款 / EACH PAYMENT
	KeyInstallmentFee            // 分期手续费 / INSTALMENT FEE
	KeyDCCRate                   // 汇率 / EXCH. RATE
	KeyDCCMarkup                 // 汇率加价 / MARKUP
	KeyDCCReference              // 参考汇率 / REFERENCE RATE
	KeyDCCAmount                 // 持卡人币种金额 / CARDHOLDER AMOUNT
	KeyDCCNotice                 // the currency-choice statement
	KeyTransferTitle             // POS转账签购单 / TRANSFER SLIP
	KeyTransfer                  // 转账 / TRANSFER
	KeyFromCard                  // 转出卡号 / FROM CARD
	KeyToAccount                 // 转入账号 / TO ACCOUNT
	KeyPayeeBank                 // 转入行 / TO BANK
	KeyPayee                     // 收款人 / PAYEE
	KeyTransferAuth              // the transfer's authorisation sentence
	KeyDownloadTitle             // 参数下载结果单 / DOWNLOAD SLIP
	KeyCAKeys                    // 公钥 / CA KEYS
	KeyAIDs                      // AID参数 / AID PARAMETERS
	KeyHotList                   // 黑名单版本 / HOT LIST VERSION
	KeyDownloadOK                // 下载成功 / DOWNLOAD COMPLETE
	KeyDownloadFailed            // 下载失败 / DOWNLOAD FAILED
	numKeys
)

// label is one key's text in Simplified Chinese, Traditional Chinese and
// English; heading keys are set on two lines in the bilingual sets, the
// others as 中文(ENGLISH).
type label struct {
	zh, hant, en string
	heading      bool
}

var labels = [numKeys]label{
	KeyTitle:          {"POS签购单", "POS簽購單", "POS SALES SLIP", true},
	KeySettleTitle:    {"结算总计单", "結算總計單", "SETTLEMENT", true},
	KeyMerchantCopy:   {"商户存根", "商戶存根", "MERCHANT COPY", false},
	KeyCardholderCopy: {"持卡人存根", "持卡人存根", "CARDHOLDER COPY", false},
	KeyBankCopy:       {"银行存根", "銀行存根", "BANK COPY", false},
	KeyReprint:        {"重打印", "重打印", "DUPLICATED", false},
	KeyMerchantName:   {"商户名称", "商戶名稱", "MERCHANT NAME", false},
	KeyMerchantNo:     {"商户编号", "商戶編號", "MERCHANT NO.", false},
	KeyTerminalNo:     {"终端编号", "終端編號", "TERMINAL NO.", false},
	KeyOperator:       {"操作员号", "操作員號", "OPERATOR NO.", false},
	KeyAcquirer:       {"收单行", "收單行", "ACQUIRER", false},
	KeyIssuer:         {"发卡行", "發卡行", "ISSUER", false},
	KeyCardNo:         {"卡号", "卡號", "CARD NO.", false},
	KeyExpiry:         {"有效期", "有效期", "EXP. DATE", false},
	KeyTransType:      {"交易类型", "交易類型", "TRANS TYPE", false},
	KeySale:           {"消费", "消費", "SALE", false},
	KeyVoid:           {"消费撤销", "消費撤銷", "VOID", false},
	KeyRefund:         {"退货", "退貨", "REFUND", false},
	KeyPreAuth:        {"预授权", "預授權", "PRE-AUTH", false},
	KeyCompletion:     {"预授权完成", "預授權完成", "COMPLETION", false},
	KeyBalanceInquiry: {"余额查询", "餘額查詢", "BALANCE INQUIRY", false},
	KeyBatch:          {"批次号", "批次號", "BATCH NO.", false},
	KeyVoucher:        {"凭证号", "憑證號", "VOUCHER NO.", false},
	KeyAuthCode:       {"授权码", "授權碼", "AUTH NO.", false},
	KeyRRN:            {"参考号", "參考號", "REFER NO.", false},
	KeyDateTime:       {"日期/时间", "日期/時間", "DATE/TIME", false},
	KeyAmount:         {"金额", "金額", "AMOUNT", false},
	KeyTip:            {"小费", "小費", "TIP", false},
	KeyTotal:          {"总计", "總計", "TOTAL", false},
	KeyBalance:        {"余额", "餘額", "BALANCE", false},
	KeyOrigVoucher:    {"原凭证号", "原憑證號", "ORIG. VOUCHER", false},
	KeyWallet:         {"支付方式", "支付方式", "WALLET", false},
	KeyOrderNo:        {"订单号", "訂單號", "ORDER NO.", false},
	KeyAID:            {"AID", "AID", "AID", false},
	KeyAppLabel:       {"应用标签", "應用標籤", "APP LABEL", false},
	KeyTVR:            {"TVR", "TVR", "TVR", false},
	KeyTSI:            {"TSI", "TSI", "TSI", false},
	KeyATC:            {"ATC", "ATC", "ATC", false},
	KeyPINVerified:    {"密码已验证", "密碼已驗證", "PIN VERIFIED", false},
	KeyNoCVM:          {"无需验证", "無需驗證", "NO CVM", false},
	KeyNoSignature:    {"免签", "免簽", "NO SIGNATURE REQUIRED", false},
	KeySignature:      {"持卡人签名", "持卡人簽名", "CARDHOLDER SIGNATURE", false},
	KeyAcknowledge:    {"本人确认以上交易，同意将其记入本卡账户", "本人確認以上交易，同意將其記入本卡賬戶", "I ACKNOWLEDGE SATISFACTORY RECEIPT OF RELATIVE GOODS/SERVICES", true},
	KeyRemarks:        {"备注", "備註", "REFERENCE", false},
	KeyDomestic:       {"内卡", "內卡", "DOMESTIC CARDS", false},
	KeyForeign:        {"外卡", "外卡", "FOREIGN CARDS", false},
	KeyQRPay:          {"扫码", "掃碼", "QR PAYMENTS", false},
	KeyType:           {"类型", "類型", "TYPE", false},
	KeyCount:          {"笔数", "筆數", "COUNT", false},
	KeyNet:            {"净额", "淨額", "NET", false},
	KeyGrandTotal:     {"合计", "合計", "GRAND TOTAL", false},
	KeyCurrency:       {"币种", "幣種", "CURRENCY", false},
	KeyCardType:       {"卡类别", "卡類別", "CARD TYPE", false},
	KeyDebit:          {"借记卡", "借記卡", "DEBIT", false},
	KeyCredit:         {"贷记卡", "貸記卡", "CREDIT", false},
	KeyFee:            {"手续费", "手續費", "FEE", false},
	KeyInstallments:   {"分期期数", "分期期數", "INSTALMENTS", false},
	KeyFirstPayment:   {"首期还款", "首期還款", "FIRST PAYMENT", false},
	KeyEachPayment:    {"每期还款", "每期還款", "EACH PAYMENT", false},
	KeyInstallmentFee: {"分期手续费", "分期手續費", "INSTALMENT FEE", false},
	KeyDCCRate:        {"汇率", "匯率", "EXCH. RATE", false},
	KeyDCCMarkup:      {"汇率加价", "匯率加價", "MARKUP", false},
	KeyDCCReference:   {"参考汇率", "參考匯率", "REFERENCE RATE", false},
	KeyDCCAmount:      {"持卡人币种金额", "持卡人幣種金額", "CARDHOLDER AMOUNT", false},
	KeyDCCNotice: {"本人已获提供货币选择，同意以上述持卡人币种支付；货币转换由商户提供",
		"本人已獲提供貨幣選擇，同意以上述持卡人幣種支付；貨幣轉換由商戶提供",
		"I WAS OFFERED A CHOICE OF CURRENCY AND AGREE TO PAY IN THE CARDHOLDER CURRENCY SHOWN. CURRENCY CONVERSION IS PROVIDED BY THE MERCHANT.", true},
	KeyTransferTitle: {"POS转账签购单", "POS轉賬簽購單", "TRANSFER SLIP", true},
	KeyTransfer:      {"转账", "轉賬", "TRANSFER", false},
	KeyFromCard:      {"转出卡号", "轉出卡號", "FROM CARD", false},
	KeyToAccount:     {"转入账号", "轉入賬號", "TO ACCOUNT", false},
	KeyPayeeBank:     {"转入行", "轉入行", "TO BANK", false},
	KeyPayee:         {"收款人", "收款人", "PAYEE", false},
	KeyTransferAuth: {"本人确认以上转账，同意从本卡账户扣款", "本人確認以上轉賬，同意從本卡賬戶扣款",
		"I AUTHORISE THE TRANSFER ABOVE TO BE DEBITED TO THIS CARD ACCOUNT", true},
	KeyDownloadTitle:  {"参数下载结果单", "參數下載結果單", "DOWNLOAD SLIP", true},
	KeyCAKeys:         {"公钥", "公鑰", "CA KEYS", false},
	KeyAIDs:           {"AID参数", "AID參數", "AID PARAMETERS", false},
	KeyHotList:        {"黑名单版本", "黑名單版本", "HOT LIST VERSION", false},
	KeyDownloadOK:     {"下载成功", "下載成功", "DOWNLOAD COMPLETE", false},
	KeyDownloadFailed: {"下载失败", "下載失敗", "DOWNLOAD FAILED", false},
}

// Label returns the default text of key k in language l, as a [Printer]
// without overrides prints it; heading keys hold a line break ("\n") in the
// bilingual sets. It returns "" for an unknown key or language.
func Label(l Language, k Key) string {
	if k >= numKeys || l >= numLanguages {
		return ""
	}
	lb := labels[k]
	zh := lb.zh
	switch l {
	case Chinese:
		return lb.zh
	case English:
		return lb.en
	case TraditionalChinese:
		return lb.hant
	case BilingualTraditional:
		zh = lb.hant
	}
	if zh == lb.en {
		return lb.en
	}
	if lb.heading {
		return zh + "\n" + lb.en
	}
	return zh + "(" + lb.en + ")"
}

var kindKeys = [numKinds]Key{Sale: KeySale, Void: KeyVoid, Refund: KeyRefund, PreAuth: KeyPreAuth, Completion: KeyCompletion,
	BalanceInquiry: KeyBalanceInquiry, Transfer: KeyTransfer}
var copyKeys = [numCopies]Key{MerchantCopy: KeyMerchantCopy, CardholderCopy: KeyCardholderCopy, BankCopy: KeyBankCopy}
var groupKeys = [numGroups]Key{Domestic: KeyDomestic, Foreign: KeyForeign, QRPay: KeyQRPay}
var fundingKeys = [numFundings]Key{Debit: KeyDebit, Credit: KeyCredit}
