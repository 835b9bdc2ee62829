package iso8583

import (
	"errors"
	"fmt"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"
)

// ErrSubfield reports a field 60, 61 or 63 value whose sub-fields do not
// fit the UnionPay layout.
var ErrSubfield = errors.New("iso8583: malformed sub-fields")

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
			60: NewText(&field.Spec{Length: 17, Description: "自定义域 Reserved Private (60.1-60.7)", Enc: BCDLeft, Pref: LengthBCD.LLL}),
			61: NewText(&field.Spec{Length: 29, Description: "原始信息域 Original Message (61.1-61.5)", Enc: BCDLeft, Pref: LengthBCD.LLL}),
			62: b(512, 3, "自定义域 Reserved Private"),
			63: NewText(&field.Spec{Length: 163, Description: "自定义域 Reserved Private (63.1-63.2)", Enc: ASCII, Pref: LengthBCD.LLL}),
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
// 63...), text fields in ASCII, 52 and 64 as 8 bytes. Field 60 carries
// Field60, 61 carries Field61 and 63 carries Field63 (see Text).
var SpecUnionPay = buildSpecUnionPay()

// Field60 is UnionPay field 60 (自定义域), n...017 in BCD. Empty trailing
// sub-fields are omitted on the wire; a sub-field after a non-empty one is
// written in full.
type Field60 struct {
	TxnType        string // 60.1 n2 交易类型码 (TxnSale "22"...)
	Batch          string // 60.2 n6 批次号
	NetMgmt        string // 60.3 n3 网络管理信息码 ("000", sign-on "001"/"003"/"004")
	ReadCapability string // 60.4 n1 终端读取能力 (5 contact IC, 6 contactless...)
	ICCCondition   string // 60.5 n1 基于PBOC借贷记标准的IC卡条件代码
	PartialSupport string // 60.6 n1 支持部分扣款和返回余额的标志
	AccountType    string // 60.7 n3 账户类型
}

var widths60 = []int{2, 6, 3, 1, 1, 1, 3}

func (f *Field60) parts() []*string {
	return []*string{&f.TxnType, &f.Batch, &f.NetMgmt, &f.ReadCapability, &f.ICCCondition, &f.PartialSupport, &f.AccountType}
}

func (f *Field61) parts() []*string {
	return []*string{&f.OrigBatch, &f.OrigSTAN, &f.OrigDate, &f.AuthMethod, &f.AuthInstitution}
}

var widths61 = []int{6, 6, 4, 2, 11}

func joinDigits(name string, parts []*string, widths []int) ([]byte, error) {
	last := -1
	for i, p := range parts {
		if *p != "" {
			last = i
		}
	}
	out := make([]byte, 0, 32)
	for i := 0; i <= last; i++ {
		v := *parts[i]
		if len(v) > widths[i] {
			return nil, fmt.Errorf("%s.%d longer than %d: %w", name, i+1, widths[i], ErrSubfield)
		}
		for range widths[i] - len(v) {
			out = append(out, '0')
		}
		for _, c := range []byte(v) {
			if c-'0' > 9 {
				return nil, fmt.Errorf("%s.%d: %w", name, i+1, ErrInvalidDigit)
			}
		}
		out = append(out, v...)
	}
	return out, nil
}

func splitDigits(name string, text []byte, parts []*string, widths []int) error {
	for _, p := range parts {
		*p = ""
	}
	off := 0
	for i, w := range widths {
		if off == len(text) {
			return nil
		}
		if len(text)-off < w {
			return fmt.Errorf("%s.%d cut short: %w", name, i+1, ErrSubfield)
		}
		*parts[i] = string(text[off : off+w])
		off += w
	}
	if off != len(text) {
		return fmt.Errorf("%s: %d extra characters: %w", name, len(text)-off, ErrSubfield)
	}
	return nil
}

// MarshalText returns the digit string of field 60.
func (f Field60) MarshalText() ([]byte, error) { return joinDigits("60", f.parts(), widths60) }

// UnmarshalText splits a field 60 digit string into its sub-fields.
func (f *Field60) UnmarshalText(text []byte) error {
	return splitDigits("60", text, f.parts(), widths60)
}

// Field61 is UnionPay field 61 (原始信息域), n...029 in BCD: the original
// transaction of a void, refund, completion or reversal.
type Field61 struct {
	OrigBatch       string // 61.1 n6 原批次号
	OrigSTAN        string // 61.2 n6 原POS流水号
	OrigDate        string // 61.3 n4 原交易日期 MMDD
	AuthMethod      string // 61.4 n2 原授权方式
	AuthInstitution string // 61.5 n11 原授权机构代码
}

// MarshalText returns the digit string of field 61.
func (f Field61) MarshalText() ([]byte, error) { return joinDigits("61", f.parts(), widths61) }

// UnmarshalText splits a field 61 digit string into its sub-fields.
func (f *Field61) UnmarshalText(text []byte) error {
	return splitDigits("61", text, f.parts(), widths61)
}

// Field63 is UnionPay field 63 (自定义域), ans...163: 63.1 is the operator
// code in a request and the card organisation code ("CUP", "VIS", "MCC"...)
// in a response; 63.2 is free text (issuer information and the like).
type Field63 struct {
	Code string // 63.1 an3
	Info string // 63.2 ans...120
}

// MarshalText returns field 63 (63.1 padded to 3 characters with spaces).
func (f Field63) MarshalText() ([]byte, error) {
	if len(f.Code) > 3 {
		return nil, fmt.Errorf("63.1 longer than 3: %w", ErrSubfield)
	}
	if f.Code == "" && f.Info == "" {
		return nil, nil
	}
	out := make([]byte, 0, 3+len(f.Info))
	out = append(out, f.Code...)
	for len(out) < 3 {
		out = append(out, ' ')
	}
	return append(out, f.Info...), nil
}

// UnmarshalText splits field 63 into 63.1 and 63.2.
func (f *Field63) UnmarshalText(text []byte) error {
	*f = Field63{}
	if len(text) == 0 {
		return nil
	}
	if len(text) < 3 {
		return fmt.Errorf("63.1 cut short: %w", ErrSubfield)
	}
	f.Code = string(text[:3])
	f.Info = string(text[3:])
	return nil
}

// ResponseInfo splits 63.2 of a response into the three 20-character
// parts public terminal code reads there (the eJPos SDK's
// MessageStructure: 发卡行返回信息, 中国银联返回信息, 收单行返回信息, each an20,
// after the card organisation code 63.1): the issuer's, UnionPay's and the
// acquirer's messages, each with trailing spaces removed. Parts missing
// from a shorter 63.2 are empty; text beyond 60 characters is ignored.
func (f Field63) ResponseInfo() (issuer, unionPay, acquirer string) {
	part := func(i int) string {
		if len(f.Info) <= 20*i {
			return ""
		}
		s := f.Info[20*i : min(len(f.Info), 20*(i+1))]
		for len(s) > 0 && s[len(s)-1] == ' ' {
			s = s[:len(s)-1]
		}
		return s
	}
	return part(0), part(1), part(2)
}
