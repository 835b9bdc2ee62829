package emv

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// ACType is the kind of application cryptogram a card returned (CID bits
// b8-b7, EMV Book 3 annex C7.1 / table 14).
type ACType uint8

const (
	ACTypeAAC  ACType = 0 // application authentication cryptogram: declined
	ACTypeTC   ACType = 1 // transaction certificate: approved offline
	ACTypeARQC ACType = 2 // authorisation request cryptogram: go online
	ACTypeRFU  ACType = 3 // reserved
)

// String returns "AAC", "TC", "ARQC" or "RFU".
func (t ACType) String() string {
	switch t {
	case ACTypeAAC:
		return "AAC"
	case ACTypeTC:
		return "TC"
	case ACTypeARQC:
		return "ARQC"
	}
	return "RFU"
}

// CID is the Cryptogram Information Data (tag 9F27, EMV Book 3 table 14).
type CID byte

// Type returns the cryptogram type (b8-b7).
func (c CID) Type() ACType { return ACType(c >> 6) }

// SchemeBits returns the payment-system-specific bits b6-b5.
func (c CID) SchemeBits() byte { return byte(c>>4) & 0x03 }

// AdviceRequired reports b4.
func (c CID) AdviceRequired() bool { return c&0x08 != 0 }

// Reason returns the reason/advice code b3-b1: 0 no information, 1 service
// not allowed, 2 PIN try limit exceeded, 3 issuer authentication failed.
func (c CID) Reason() byte { return byte(c) & 0x07 }

// String describes the CID in words: "ARQC", "AAC, advice required, PIN try
// limit exceeded".
func (c CID) String() string {
	s := c.Type().String()
	if c.AdviceRequired() {
		s += ", advice required"
	}
	switch c.Reason() {
	case 0:
	case 1:
		s += ", service not allowed"
	case 2:
		s += ", PIN try limit exceeded"
	case 3:
		s += ", issuer authentication failed"
	default:
		s += fmt.Sprintf(", reason %d", c.Reason())
	}
	return s
}

// CVMMethod is a cardholder verification method code: the low six bits of a
// CVM rule's first byte (EMV Book 3 annex C3).
type CVMMethod uint8

// CVM codes of EMV Book 3 table C-1.
const (
	CVMFail                         CVMMethod = 0x00
	CVMPlaintextPINICC              CVMMethod = 0x01
	CVMEncipheredPINOnline          CVMMethod = 0x02
	CVMPlaintextPINICCAndSignature  CVMMethod = 0x03
	CVMEncipheredPINICC             CVMMethod = 0x04
	CVMEncipheredPINICCAndSignature CVMMethod = 0x05
	CVMSignature                    CVMMethod = 0x1E
	CVMNoCVM                        CVMMethod = 0x1F
	CVMNotAvailable                 CVMMethod = 0x3F // "no CVM performed" in CVM Results
)

// String names the method.
func (m CVMMethod) String() string {
	switch m {
	case CVMFail:
		return "fail CVM processing"
	case CVMPlaintextPINICC:
		return "plaintext PIN verified by ICC"
	case CVMEncipheredPINOnline:
		return "enciphered PIN verified online"
	case CVMPlaintextPINICCAndSignature:
		return "plaintext PIN verified by ICC and signature"
	case CVMEncipheredPINICC:
		return "enciphered PIN verified by ICC"
	case CVMEncipheredPINICCAndSignature:
		return "enciphered PIN verified by ICC and signature"
	case CVMSignature:
		return "signature"
	case CVMNoCVM:
		return "no CVM required"
	case CVMNotAvailable:
		return "no CVM performed"
	}
	if m >= 0x20 && m <= 0x2F {
		return fmt.Sprintf("payment system CVM %02X", uint8(m))
	}
	if m >= 0x30 && m <= 0x3E {
		return fmt.Sprintf("issuer CVM %02X", uint8(m))
	}
	return fmt.Sprintf("RFU CVM %02X", uint8(m))
}

// CVMCondition is a CVM rule's condition code (EMV Book 3 table C-2).
type CVMCondition uint8

// Condition codes of EMV Book 3 table C-2.
const (
	CVMAlways              CVMCondition = 0x00
	CVMIfUnattendedCash    CVMCondition = 0x01
	CVMIfNotCashOrCashback CVMCondition = 0x02 // not unattended cash, not manual cash, not cashback
	CVMIfTerminalSupports  CVMCondition = 0x03
	CVMIfManualCash        CVMCondition = 0x04
	CVMIfCashback          CVMCondition = 0x05
	CVMIfUnderX            CVMCondition = 0x06 // in application currency and under X
	CVMIfOverX             CVMCondition = 0x07
	CVMIfUnderY            CVMCondition = 0x08
	CVMIfOverY             CVMCondition = 0x09
)

// String names the condition.
func (c CVMCondition) String() string {
	switch c {
	case CVMAlways:
		return "always"
	case CVMIfUnattendedCash:
		return "if unattended cash"
	case CVMIfNotCashOrCashback:
		return "if not unattended cash and not manual cash and not purchase with cashback"
	case CVMIfTerminalSupports:
		return "if terminal supports the CVM"
	case CVMIfManualCash:
		return "if manual cash"
	case CVMIfCashback:
		return "if purchase with cashback"
	case CVMIfUnderX:
		return "if transaction is in the application currency and is under X value"
	case CVMIfOverX:
		return "if transaction is in the application currency and is over X value"
	case CVMIfUnderY:
		return "if transaction is in the application currency and is under Y value"
	case CVMIfOverY:
		return "if transaction is in the application currency and is over Y value"
	}
	return fmt.Sprintf("condition %02X", uint8(c))
}

// CVMRule is one two-byte rule of a CVM List.
type CVMRule struct {
	Method CVMMethod
	// ApplyNext is b7 of the first byte: apply the succeeding rule if this
	// CVM is unsuccessful (otherwise cardholder verification fails).
	ApplyNext bool
	Condition CVMCondition
}

// String describes the rule.
func (r CVMRule) String() string {
	s := r.Method.String() + ", " + r.Condition.String()
	if r.ApplyNext {
		s += ", else next rule"
	} else {
		s += ", else fail"
	}
	return s
}

// CVMList is the Cardholder Verification Method List (tag 8E, EMV Book 3
// section 10.5 and annex C3): amounts X and Y in the application currency
// (binary, minor units) and the rules in the card's order.
type CVMList struct {
	X, Y  uint32
	Rules []CVMRule
}

// ParseCVMList reads a CVM List value: 8 bytes of amounts, then two bytes
// per rule.
func ParseCVMList(v []byte) (CVMList, error) {
	if len(v) < 8 || len(v)%2 != 0 {
		return CVMList{}, fmt.Errorf("%w: CVM List needs 8 bytes and 2 per rule, got %d", ErrFieldLength, len(v))
	}
	l := CVMList{X: binary.BigEndian.Uint32(v), Y: binary.BigEndian.Uint32(v[4:])}
	if len(v) > 8 {
		l.Rules = make([]CVMRule, 0, (len(v)-8)/2)
	}
	for i := 8; i < len(v); i += 2 {
		l.Rules = append(l.Rules, CVMRule{
			Method:    CVMMethod(v[i] & 0x3F),
			ApplyNext: v[i]&0x40 != 0,
			Condition: CVMCondition(v[i+1]),
		})
	}
	return l, nil
}

// AppendBytes appends the encoded CVM List value to dst.
func (l CVMList) AppendBytes(dst []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, l.X)
	dst = binary.BigEndian.AppendUint32(dst, l.Y)
	for _, r := range l.Rules {
		c := byte(r.Method) & 0x3F
		if r.ApplyNext {
			c |= 0x40
		}
		dst = append(dst, c, byte(r.Condition))
	}
	return dst
}

// String lists the amounts and the rules, one per line.
func (l CVMList) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "X=%d Y=%d", l.X, l.Y)
	for i, r := range l.Rules {
		fmt.Fprintf(&sb, "\n%d. %v", i+1, r)
	}
	return sb.String()
}

// CVMResult is byte 3 of the CVM Results.
type CVMResult uint8

// CVM Results outcomes (EMV Book 4 annex A4).
const (
	CVMResultUnknown    CVMResult = 0
	CVMResultFailed     CVMResult = 1
	CVMResultSuccessful CVMResult = 2
)

// String names the result.
func (r CVMResult) String() string {
	switch r {
	case CVMResultUnknown:
		return "unknown"
	case CVMResultFailed:
		return "failed"
	case CVMResultSuccessful:
		return "successful"
	}
	return fmt.Sprintf("result %02X", uint8(r))
}

// CVMResults is tag 9F34: the CVM performed (as in a CVM rule), its
// condition and the result.
type CVMResults [3]byte

// ParseCVMResults reads the 3-byte value.
func ParseCVMResults(v []byte) (CVMResults, error) {
	var r CVMResults
	if len(v) != 3 {
		return r, fmt.Errorf("%w: CVM Results needs 3 bytes, got %d", ErrFieldLength, len(v))
	}
	copy(r[:], v)
	return r, nil
}

// Method returns the CVM performed.
func (r CVMResults) Method() CVMMethod { return CVMMethod(r[0] & 0x3F) }

// ApplyNext reports the rule's "apply succeeding rule" bit.
func (r CVMResults) ApplyNext() bool { return r[0]&0x40 != 0 }

// Condition returns the condition of the rule performed.
func (r CVMResults) Condition() CVMCondition { return CVMCondition(r[1]) }

// Result returns the outcome.
func (r CVMResults) Result() CVMResult { return CVMResult(r[2]) }

// String describes the results: "signature, always: unknown".
func (r CVMResults) String() string {
	return r.Method().String() + ", " + r.Condition().String() + ": " + r.Result().String()
}

// TerminalType is tag 9F35 (n2, EMV Book 4 annex A1): the first digit is
// the operator, the second the environment.
type TerminalType byte

// Operator returns 1 (financial institution), 2 (merchant) or 3
// (cardholder); other values are invalid.
func (t TerminalType) Operator() int { return int(t >> 4) }

// Environment returns the second digit: 1-3 attended, 4-6 unattended; 1/4
// online only, 2/5 offline with online capability, 3/6 offline only.
func (t TerminalType) Environment() int { return int(t & 0x0F) }

// Attended reports an environment of 1-3.
func (t TerminalType) Attended() bool { e := t.Environment(); return e >= 1 && e <= 3 }

// OnlineCapable reports an environment other than offline only.
func (t TerminalType) OnlineCapable() bool {
	e := t.Environment()
	return e == 1 || e == 2 || e == 4 || e == 5
}

// OfflineCapable reports an environment other than online only.
func (t TerminalType) OfflineCapable() bool {
	e := t.Environment()
	return e == 2 || e == 3 || e == 5 || e == 6
}

// Valid reports whether both digits are defined.
func (t TerminalType) Valid() bool {
	o, e := t.Operator(), t.Environment()
	return o >= 1 && o <= 3 && e >= 1 && e <= 6
}

// String describes the type: "22 merchant, attended, offline with online
// capability".
func (t TerminalType) String() string {
	code := fmt.Sprintf("%02X", byte(t))
	if !t.Valid() {
		return code + " invalid"
	}
	op := [...]string{"", "financial institution", "merchant", "cardholder"}[t.Operator()]
	att := "attended"
	if !t.Attended() {
		att = "unattended"
	}
	var cap string
	switch (t.Environment()-1)%3 + 1 {
	case 1:
		cap = "online only"
	case 2:
		cap = "offline with online capability"
	case 3:
		cap = "offline only"
	}
	return code + " " + op + ", " + att + ", " + cap
}
