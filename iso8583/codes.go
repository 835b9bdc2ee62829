package iso8583

// Processing codes (field 3) of the POS transactions, from the UnionPay POS
// field table (which follows ISO 8583:1987: 00 goods and services, 03
// pre-authorisation, 20 returns and cancellations, 31 balance inquiry).
const (
	ProcSale           = "000000" // 消费
	ProcVoid           = "200000" // 消费撤销
	ProcRefund         = "200000" // 退货
	ProcPreAuth        = "030000" // 预授权
	ProcPreAuthVoid    = "200000" // 预授权撤销
	ProcCompletion     = "000000" // 预授权完成
	ProcCompletionVoid = "200000" // 预授权完成撤销
	ProcBalanceInquiry = "310000" // 余额查询
	// ProcTransfer is a cardholder accounts transfer (转账): ISO 8583:1987
	// transaction type 40, from and to account types 00 (unspecified).
	ProcTransfer = "400000"
)

// procTransferPrefix is the transaction type (first two digits of field 3)
// of every transfer, whatever its account types.
const procTransferPrefix = "40"

// condition codes (field 25), UnionPay 60.3 network management codes and
// ISO 8583:1987 field 70 codes used by the constructors
const (
	condNormal         = "00"
	condPreAuth        = "06"
	netSignOnDoubleDES = "003"
	netEcho            = "301"
	netSettlement      = "201"
	netBatchUploadICC  = "203"
	netNone            = "000"
	isoNetSignOn       = "001"
	isoNetEcho         = "301"
	reversalNoResponse = "98"
)

// UnionPay transaction type codes, field 60.1 (交易类型码): the values of
// Field60.TxnType. Each goes with a processing code (3), condition code
// (25) and MTI, which the constructors of Terminal set: 查询 310000/00/0200
// "01", 预授权 030000/06/0100 "10", 预授权撤消 200000/06/0100 "11", 预授权完成
// 000000/06/0200 "20", 预授权完成撤消 200000/06/0200 "21", 消费
// 000000/00/0200 "22", 消费撤消 200000/00/0200 "23", 退货 200000/00/0220
// "25", 离线结算 (an offline sale sent later) 000000/00/0220 "30", 结算调整
// 000000/00/0220 "32", 结算调整(追加小费) 000000/00/0220 "34".
const (
	TxnTypeBalanceInquiry = "01" // 余额查询
	TxnTypePreAuth        = "10" // 预授权
	TxnTypePreAuthVoid    = "11" // 预授权撤销
	TxnTypeCompletion     = "20" // 预授权完成(请求)
	TxnTypeCompletionVoid = "21" // 预授权完成撤销
	TxnTypeSale           = "22" // 消费
	TxnTypeVoid           = "23" // 消费撤销
	TxnTypeRefund         = "25" // 退货
	TxnTypeOfflineSale    = "30" // 离线结算: an offline sale sent later, 0220
	TxnTypeAdjust         = "32" // 结算调整 (adjustment of an offline sale, 0220)
	TxnTypeAdjustTip      = "34" // 结算调整(追加小费) (tip added to a sale, 0220)
	TxnTypeManagement     = "00" // 签到, 结算, 批上送 and other management messages
)

// Former names of the 60.1 codes.
//
// Deprecated: use the TxnType names, which say what the codes are: values
// of [Field60].TxnType.
const (
	TxnBalanceInquiry = TxnTypeBalanceInquiry
	TxnPreAuth        = TxnTypePreAuth
	TxnPreAuthVoid    = TxnTypePreAuthVoid
	TxnCompletion     = TxnTypeCompletion
	TxnCompletionVoid = TxnTypeCompletionVoid
	TxnSale           = TxnTypeSale
	TxnVoid           = TxnTypeVoid
	TxnRefund         = TxnTypeRefund
	TxnOfflineSale    = TxnTypeOfflineSale
	TxnAdjust         = TxnTypeAdjust
	TxnAdjustTip      = TxnTypeAdjustTip
	TxnManagement     = TxnTypeManagement
)

// Action is what a terminal does with a response code.
type Action uint8

// Response actions.
const (
	ActionDecline Action = iota // decline the transaction
	ActionApprove               // approved
	ActionRetry                 // a temporary failure: the transaction may be tried again
	ActionReverse               // the outcome is unknown: send a reversal
	ActionSignOn                // keys or session are bad: sign on again, then retry
	ActionPickUp                // decline and retain the card
)

var actionNames = [...]string{"decline", "approve", "retry", "reverse", "sign-on", "pick-up"}

// String names the action.
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "unknown"
}

// ResponseCode describes a field 39 value.
type ResponseCode struct {
	Code    string
	English string
	Chinese string
	Action  Action
	// UnionPay marks a meaning specific to UnionPay (where it differs from,
	// or is absent in, ISO 8583:1987).
	UnionPay bool
}

// Response codes of ISO 8583:1987 (field 39) with the UnionPay POS terminal
// meanings (中国银联POS终端应答码) where UnionPay defines its own.
var responseCodes = []ResponseCode{
	{"00", "Approved", "承兑或交易成功", ActionApprove, false},
	{"01", "Refer to card issuer", "请持卡人与发卡银行联系", ActionDecline, false},
	{"02", "Refer to card issuer, special condition", "查发卡方特殊条件", ActionDecline, false},
	{"03", "Invalid merchant", "无效商户", ActionDecline, false},
	{"04", "Pick up card", "没收卡", ActionPickUp, false},
	{"05", "Do not honour", "不予承兑", ActionDecline, false},
	{"06", "Error", "出错", ActionDecline, false},
	{"07", "Pick up card, special condition", "特殊条件下没收卡", ActionPickUp, false},
	{"08", "Honour with identification", "验证身份后承兑", ActionApprove, false},
	{"09", "Request in progress", "请求正在处理中", ActionRetry, false},
	{"10", "Approved for partial amount", "部分金额批准", ActionApprove, false},
	{"11", "Approved (VIP)", "重要人物批准", ActionApprove, false},
	{"12", "Invalid transaction", "无效交易", ActionDecline, false},
	{"13", "Invalid amount", "无效金额", ActionDecline, false},
	{"14", "Invalid card number", "无效卡号", ActionDecline, false},
	{"15", "No such issuer", "无此发卡方", ActionDecline, false},
	{"19", "Re-enter transaction", "重新送入交易", ActionRetry, false},
	{"20", "Invalid response", "无效应答", ActionDecline, false},
	{"21", "No action taken", "不做任何处理", ActionDecline, false},
	{"22", "Operation error or transaction outside allowed days", "操作有误或超出交易允许天数", ActionDecline, true},
	{"23", "Unacceptable transaction fee", "不可接受的交易费", ActionDecline, false},
	{"25", "Unable to locate original transaction", "找不到原始交易", ActionDecline, false},
	{"30", "Format error", "格式错误", ActionDecline, false},
	{"31", "Bank not supported by switch", "交换中心不支持的银行", ActionDecline, false},
	{"33", "Expired card, pick up", "过期的卡,没收", ActionPickUp, false},
	{"34", "Suspected fraud, pick up", "有作弊嫌疑,没收", ActionPickUp, false},
	{"35", "Card acceptor contact acquirer, pick up", "受卡方与安全保密部门联系,没收", ActionPickUp, false},
	{"36", "Restricted card, pick up", "受限制的卡,没收", ActionPickUp, false},
	{"37", "Card acceptor call acquirer security, pick up", "受卡方呼受理方安全保密部门,没收", ActionPickUp, false},
	{"38", "Allowable PIN tries exceeded, pick up", "超过允许的PIN试输入次数,没收", ActionPickUp, false},
	{"39", "No credit account", "无此信用卡账户", ActionDecline, false},
	{"40", "Requested function not supported", "请求的功能尚不支持", ActionDecline, false},
	{"41", "Lost card, pick up", "挂失卡,没收", ActionPickUp, false},
	{"42", "No universal account", "无此账户", ActionDecline, false},
	{"43", "Stolen card, pick up", "被窃卡,没收", ActionPickUp, false},
	{"44", "No investment account", "无此投资账户", ActionDecline, false},
	{"51", "Insufficient funds", "余额不足", ActionDecline, false},
	{"52", "No cheque account", "无此支票账户", ActionDecline, false},
	{"53", "No savings account", "无此储蓄卡账户", ActionDecline, false},
	{"54", "Expired card", "过期的卡", ActionDecline, false},
	{"55", "Incorrect PIN", "密码错", ActionDecline, false},
	{"56", "No card record", "无此卡记录", ActionDecline, false},
	{"57", "Transaction not permitted to cardholder", "不允许持卡人进行的交易", ActionDecline, false},
	{"58", "Transaction not permitted to terminal", "不允许终端进行的交易", ActionDecline, false},
	{"59", "Suspected fraud", "有作弊嫌疑", ActionDecline, false},
	{"60", "Card acceptor contact acquirer", "受卡方与受理方联系", ActionDecline, false},
	{"61", "Exceeds withdrawal amount limit", "超出金额限制", ActionDecline, false},
	{"62", "Restricted card", "受限制的卡", ActionDecline, false},
	{"63", "Security violation", "违反安全保密规定", ActionDecline, false},
	{"64", "Original amount incorrect", "原始金额不正确", ActionDecline, false},
	{"65", "Exceeds withdrawal frequency limit", "超出取款次数限制", ActionDecline, false},
	{"66", "Card acceptor call acquirer's security department", "受卡方呼受理方安全保密部门", ActionDecline, false},
	{"67", "Hard capture, pick up", "捕捉(没收卡)", ActionPickUp, false},
	{"68", "Response received too late", "发卡行响应超时", ActionReverse, false},
	{"75", "Allowable number of PIN tries exceeded", "允许的输入PIN次数超限", ActionDecline, false},
	{"77", "Sign on again before transacting", "需要向网络中心重新签到", ActionSignOn, true},
	{"79", "Batch not balanced, upload batch", "脱机交易对账不平", ActionDecline, true},
	{"90", "Cutoff in progress", "正在日终处理", ActionRetry, false},
	{"91", "Issuer or switch inoperative", "发卡方或交换中心不能操作", ActionRetry, false},
	{"92", "Financial institution cannot be found for routing", "金融机构或中间网络设施找不到或无法达到", ActionRetry, false},
	{"93", "Transaction cannot be completed, violation of law", "交易违法,不能完成", ActionDecline, false},
	{"94", "Duplicate transmission", "重复交易", ActionDecline, false},
	{"95", "Reconcile error", "核对差错", ActionDecline, false},
	{"96", "System malfunction", "交换中心异常,请稍后重试", ActionRetry, false},
	{"97", "Terminal not registered", "终端号未登记", ActionDecline, true},
	{"98", "Issuer response not received by UnionPay", "银联收不到发卡行应答", ActionReverse, true},
	{"99", "PIN format error", "PIN格式错,请重新签到", ActionSignOn, true},
	{"A0", "MAC verification failed", "MAC校验错,请重新签到", ActionSignOn, true},
}

var responseIndex = func() map[string]int {
	m := make(map[string]int, len(responseCodes))
	for i, rc := range responseCodes {
		m[rc.Code] = i
	}
	return m
}()

// LookupResponse returns the description of a field 39 code. An unknown
// code is reported with ok false and a Decline description.
func LookupResponse(code string) (rc ResponseCode, ok bool) {
	if i, ok := responseIndex[code]; ok {
		return responseCodes[i], true
	}
	return ResponseCode{Code: code, English: "Unknown response code", Chinese: "未知应答码", Action: ActionDecline}, false
}

// ResponseCodes returns a copy of the table of known field 39 codes.
func ResponseCodes() []ResponseCode { return append([]ResponseCode(nil), responseCodes...) }
