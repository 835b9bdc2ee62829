package iso8583

import (
	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"
)

func buildSpecUnionPay() *moov.MessageSpec {
	n := func(l int, desc string, enc *BCDEncoder) field.Field {
		return field.NewString(&field.Spec{Length: l, Description: desc, Enc: enc, Pref: LengthBCD.Fixed})
	}
	nv := func(l, ls int, desc string) field.Field {
		return field.NewString(&field.Spec{Length: l, Description: desc, Enc: BCDLeft, Pref: prefixer(LengthBCD, ls)})
	}
	an := func(l, ls int, desc string) field.Field {
		return field.NewString(&field.Spec{Length: l, Description: desc, Enc: ASCII, Pref: prefixer(LengthBCD, ls)})
	}
	b := func(l, ls int, desc string) field.Field {
		return field.NewBinary(&field.Spec{Length: l, Description: desc, Enc: Binary, Pref: prefixer(LengthBCD, ls)})
	}
	z := func(l, ls int, desc string) field.Field {
		return field.NewString(&field.Spec{Length: l, Description: desc, Enc: TrackD, Pref: prefixer(LengthBCD, ls)})
	}
	return &moov.MessageSpec{
		Name: "China UnionPay POS terminal (poskit)",
		Fields: map[int]field.Field{
			0:  n(4, "消息类型 Message Type", BCD),
			1:  field.NewBitmap(&field.Spec{Length: 8, Description: "位图 Bitmap", Enc: Binary, Pref: LengthBCD.Fixed}),
			2:  nv(19, 2, "主账号 Primary Account Number"),
			3:  n(6, "交易处理码 Processing Code", BCD),
			4:  n(12, "交易金额 Amount, Transaction", BCD),
			11: n(6, "受卡方系统跟踪号 System Trace Audit Number", BCD),
			12: n(6, "受卡方所在地时间 Time, Local Transaction", BCD),
			13: n(4, "受卡方所在地日期 Date, Local Transaction", BCD),
			14: n(4, "卡有效期 Date, Expiration", BCD),
			15: n(4, "清算日期 Date, Settlement", BCD),
			22: n(3, "服务点输入方式码 POS Entry Mode", BCDLeft),
			23: n(3, "卡片序列号 Card Sequence Number", BCD),
			25: n(2, "服务点条件码 POS Condition Code", BCD),
			26: n(2, "服务点PIN获取码 POS PIN Capture Code", BCD),
			32: nv(11, 2, "受理方标识码 Acquiring Institution ID"),
			35: z(37, 2, "2磁道数据 Track 2 Data"),
			36: z(104, 3, "3磁道数据 Track 3 Data"),
			37: an(12, 0, "检索参考号 Retrieval Reference Number"),
			38: an(6, 0, "授权标识应答码 Authorization ID Response"),
			39: an(2, 0, "应答码 Response Code"),
			41: an(8, 0, "受卡机终端标识码 Terminal ID"),
			42: an(15, 0, "受卡方标识码 Merchant ID"),
			44: an(25, 2, "附加响应数据 Additional Response Data"),
			48: nv(322, 3, "附加数据-私有 Additional Data, Private"),
			49: an(3, 0, "交易货币代码 Currency Code, Transaction"),
			52: b(8, 0, "个人标识码数据 PIN Data"),
			53: n(16, "安全控制信息 Security Related Control Information", BCD),
			54: an(20, 3, "附加金额 Additional Amounts"),
			55: b(255, 3, "IC卡数据域 ICC Data"),
			58: an(100, 3, "电子钱包标准的交易信息 PBOC Electronic Data"),
			59: an(999, 3, "自定义域 Reserved"),
			60: field.NewString(&field.Spec{Length: 17, Description: "自定义域 Reserved Private (60.1-60.7)", Enc: BCDLeft, Pref: LengthBCD.LLL}),
			61: field.NewString(&field.Spec{Length: 29, Description: "原始信息域 Original Message (61.1-61.5)", Enc: BCDLeft, Pref: LengthBCD.LLL}),
			62: b(512, 3, "自定义域 Reserved Private"),
			63: field.NewString(&field.Spec{Length: 163, Description: "自定义域 Reserved Private (63.1-63.2)", Enc: ASCII, Pref: LengthBCD.LLL}),
			64: b(8, 0, "报文鉴别码 Message Authentication Code"),
		},
	}
}

// SpecUnionPay is the China UnionPay POS terminal message spec ("中国银联POS
// 终端消息域说明"): MTI in BCD, an 8-byte binary bitmap, fixed numeric
// fields in BCD (22 left aligned, the others right aligned), LLVAR and
// LLLVAR lengths in BCD counting digits for numeric fields (2, 32, 48, 60,
// 61), nibbles for tracks 35 and 36 (packed with their D separator, left
// aligned, 0 pad) and bytes for text and binary fields (44, 54, 55, 62,
// 63...), text fields in ASCII, 52 and 64 as 8 bytes. Fields 60, 61 and 63
// are field.String values whose text is that of Field60, Field61 and
// Field63, so they round-trip through moov's message JSON.
var SpecUnionPay = buildSpecUnionPay()
