package iso8583

import (
	"errors"
	"fmt"
)

// ErrSubfield reports a field 60, 61 or 63 value whose sub-fields do not
// fit the UnionPay layout.
var ErrSubfield = errors.New("iso8583: malformed sub-fields")

// Field60 is UnionPay field 60 (自定义域), n...017 in BCD. Empty trailing
// sub-fields are omitted on the wire; a sub-field after a non-empty one is
// written in full.
type Field60 struct {
	TxnType        string // 60.1 n2 交易类型码 (TxnTypeSale "22"...)
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
			return nil, fmt.Errorf("%w: %s.%d longer than %d", ErrSubfield, name, i+1, widths[i])
		}
		for range widths[i] - len(v) {
			out = append(out, '0')
		}
		for _, c := range []byte(v) {
			if c-'0' > 9 {
				return nil, fmt.Errorf("%w: %s.%d", ErrInvalidDigit, name, i+1)
			}
		}
		out = append(out, v...)
	}
	return out, nil
}

func splitDigits(name string, text []byte, parts []*string, widths []int) error {
	return splitString(name, string(text), parts, widths)
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
		return nil, fmt.Errorf("%w: 63.1 longer than 3", ErrSubfield)
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
		return fmt.Errorf("%w: 63.1 cut short", ErrSubfield)
	}
	f.Code = string(text[:3])
	f.Info = string(text[3:])
	return nil
}

// ResponseInfo splits 63.2 of a response into three 20-character parts
// (发卡行返回信息, 中国银联返回信息, 收单行返回信息, each an20, after the card
// organisation code 63.1): the issuer's, UnionPay's and the acquirer's
// messages, each with trailing spaces removed. Parts missing from a
// shorter 63.2 are empty; text beyond 60 characters is ignored.
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
