package emv

//go:generate go run ./internal/gen3166 -o countries_table.go

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/poskit/poskit/internal/digits"
	"github.com/poskit/poskit/internal/iso4217"
)

// DescribeOption changes what Describe prints.
type DescribeOption func(*describeConfig)

type describeConfig struct {
	mode     Mode
	kernel   Kernel
	indent   string
	context  []byte // where 5F2A and 5F36 are looked up
	hasCtx   bool
	exp      int           // amount exponent
	currency *iso4217.Info // 5F2A, nil when absent or unknown
}

// DescribeMode makes Describe read the data in mode m (default Lenient).
func DescribeMode(m Mode) DescribeOption { return func(c *describeConfig) { c.mode = m } }

// DescribeKernel names and decodes kernel-dependent tags as kernel k
// defines them: under [KernelMastercard] 9F5D is the Application
// Capabilities Information (not an amount), 9F6C the Mag-stripe
// Application Version Number and 9F66 not a TTQ; under [KernelVisa] and
// [KernelEMV] 9F6C is the Visa CTQ; under [KernelUnionPay] the UnionPay
// QuickPass CTQ.
func DescribeKernel(k Kernel) DescribeOption { return func(c *describeConfig) { c.kernel = k } }

// DescribeIndent sets the indentation per nesting level (default two
// spaces).
func DescribeIndent(s string) DescribeOption { return func(c *describeConfig) { c.indent = s } }

// DescribeContext makes [DescribeValueOf] take the transaction currency
// (5F2A) and its exponent (5F36) from data, as Describe does from the data
// it describes.
func DescribeContext(data []byte) DescribeOption {
	return func(c *describeConfig) { c.context, c.hasCtx = data, true }
}

func newDescribeConfig(opts []DescribeOption) describeConfig {
	c := describeConfig{mode: Lenient, indent: "  "}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// setCurrency reads the amount exponent: 5F36 when data holds it, else the
// minor units ISO 4217 gives the currency 5F2A, else 2.
func (c *describeConfig) setCurrency(data []byte) {
	c.exp = 2
	if v, ok, _ := FindMode(data, 0x5F2A, c.mode); ok {
		if n, ok := nInt(v); ok {
			c.currency = iso4217.ByNumeric(int(n))
		}
	}
	if c.currency != nil && c.currency.Minor >= 0 {
		c.exp = int(c.currency.Minor)
	}
	if v, ok, _ := FindMode(data, 0x5F36, c.mode); ok && len(v) == 1 && v[0] <= 9 {
		c.exp = int(v[0])
	}
}

// Describe writes data as an indented, human-readable tree: one line per
// object with its tag, dictionary name and decoded value. Values decode as
// follows:
//
//   - numeric as digits, text as quoted text, bit fields (TVR, TSI, AIP,
//     AUC, CVM results, TTQ, CTQ, terminal capabilities) as words;
//   - amounts with the exponent of 5F36 when the data holds it, else the
//     minor units ISO 4217 gives the transaction currency 5F2A (0392 yen:
//     no decimals), else 2, followed by the currency's code;
//   - dates (9A, 5F24, 5F25) as YYYY-MM-DD with the EMV century rule: YY
//     from 00 to 49 is 20YY, from 50 to 99 is 19YY;
//   - DOLs as tag(length) lists with the names of the tags, GPO format 1
//     (80) as its AIP and AFL, transaction type (9C) by its ISO 8583
//     processing code name, country and currency codes with ISO 3166 and
//     ISO 4217 codes and names;
//   - kernel-dependent tags as [DescribeKernel] says.
//
// Sensitive values are masked: a PAN shows at most its first 6 and last 4
// digits, track data only its masked PAN, names and secrets only their
// length. On malformed data it writes the objects before the fault and a
// final "error:" line, and returns the error.
func Describe(w io.Writer, data []byte, opts ...DescribeOption) error {
	c := newDescribeConfig(opts)
	c.setCurrency(data)
	bw := bufio.NewWriter(w)
	s := NewScannerMode(data, c.mode)
	for s.Next() {
		info, known := LookupKernel(s.Tag(), c.kernel)
		bw.WriteString(strings.Repeat(c.indent, s.Depth()))
		bw.WriteString(s.Tag().String())
		if known {
			bw.WriteString(" " + info.Name)
		} else {
			bw.WriteString(" (unknown)")
		}
		switch {
		case s.Opaque():
			fmt.Fprintf(bw, ": content not TLV, %d bytes: %s", s.Len(), maskedOrHex(s.Tag(), s.Value()))
		case s.Constructed():
		default:
			bw.WriteString(": ")
			bw.WriteString(c.value(s.Tag(), info, known, s.Value()))
		}
		bw.WriteByte('\n')
	}
	err := s.Err()
	if err != nil {
		fmt.Fprintf(bw, "error: %v\n", err)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

func maskedOrHex(t Tag, v []byte) string {
	if IsSensitive(t) {
		return fmt.Sprintf("[masked, %d bytes]", len(v))
	}
	return strings.ToUpper(hex.EncodeToString(v))
}

// DescribeValue returns the decoded, masked text Describe prints for one
// primitive value of tag t, under the EMV contact kernel and with amounts
// of exponent 2; DescribeValueOf takes options.
func DescribeValue(t Tag, v []byte) string { return DescribeValueOf(t, v) }

// DescribeValueOf returns the decoded, masked text Describe prints for one
// primitive value of tag t, with the kernel of [DescribeKernel] and the
// currency of [DescribeContext].
func DescribeValueOf(t Tag, v []byte, opts ...DescribeOption) string {
	c := newDescribeConfig(opts)
	c.setCurrency(c.context)
	info, known := LookupKernel(t, c.kernel)
	return c.value(t, info, known, v)
}

// value decodes one primitive value: masked first, then by tag, then by
// the dictionary format.
func (c *describeConfig) value(t Tag, info TagInfo, known bool, v []byte) string {
	if len(v) == 0 {
		return "(empty)"
	}
	if s, ok := maskedValue(t, v); ok {
		return s
	}
	if t == 0x9F35 && len(v) == 1 {
		return TerminalType(v[0]).String()
	}
	h := strings.ToUpper(hex.EncodeToString(v))
	if s, ok := c.decoded(t, v); ok {
		if s == "" {
			return h
		}
		return h + " (" + s + ")"
	}
	if !known {
		return h
	}
	switch info.Format {
	case FormatN:
		if d, ok := nDigits(v); ok {
			return d
		}
	case FormatCN:
		if d, ok := cnDigits(v); ok {
			return d
		}
	case FormatAN, FormatANS:
		return strconv.Quote(string(v))
	}
	return h
}

// maskedValue returns what Describe shows of a sensitive value.
func maskedValue(t Tag, v []byte) (string, bool) {
	switch SensitivityOf(t) {
	case PAN:
		if t == 0x5A {
			if pan, err := ParsePAN(v); err == nil {
				return digits.MaskPAN(pan), true
			}
		}
		return fmt.Sprintf("[masked, %d bytes]", len(v)), true
	case Track:
		if t == 0x57 || t == 0x9F6B {
			if t2, err := ParseTrack2(v); err == nil {
				return t2.String(), true
			}
		}
		return fmt.Sprintf("[masked, %d bytes]", len(v)), true
	case Personal:
		return fmt.Sprintf("[masked, %d bytes]", len(v)), true
	case Secret:
		return fmt.Sprintf("[secret, %d bytes]", len(v)), true
	}
	return "", false
}

// decoded returns the explanation of a value whose tag Describe decodes
// ("" to print the hex alone), and false for other tags.
func (c *describeConfig) decoded(t Tag, v []byte) (string, bool) {
	if s, ok := c.kernelValue(t, v); ok {
		return s, true
	}
	if s, ok := bitFieldValue(t, v); ok {
		return s, true
	}
	switch t {
	case 0x9F38, 0x8C, 0x8D, 0x9F49, 0x97, 0x9F69, 0xDF811A:
		return c.dolValue(v)
	case 0x80:
		return responseFormat1(v)
	case 0x94:
		return aflValue(v)
	case 0x9C:
		return transactionType(v)
	case 0x9F1A, 0x5F28, 0x9F57:
		return countryValue(v)
	case 0x5F2A, 0x9F42, 0x9F3C:
		return currencyValue(v)
	case 0x9F02, 0x9F03, 0xDF8123, 0xDF8124, 0xDF8125, 0xDF8126:
		return c.amountN(v)
	case 0x81, 0x9F04, 0x9F1B:
		if len(v) == 4 {
			x := int64(v[0])<<24 | int64(v[1])<<16 | int64(v[2])<<8 | int64(v[3])
			return c.amountString(x), true
		}
	}
	return "", false
}

// kernelValue decodes the tags whose meaning depends on the kernel.
func (c *describeConfig) kernelValue(t Tag, v []byte) (string, bool) {
	mc := c.kernel == KernelMastercard
	switch t {
	case 0x9F5D:
		if mc {
			if len(v) != 3 {
				return "", false
			}
			return fmt.Sprintf("ACI version %d, data storage version %d", v[0]>>4, v[0]&0x0F), true
		}
		return c.amountN(v)
	case 0x9F6C:
		if mc {
			return "", true
		}
		if c.kernel == KernelUnionPay {
			if len(v) == 2 {
				return bitsString(v, namesCTQUnionPay), true
			}
			return "", false
		}
		if x, err := ParseCTQ(v); err == nil {
			return x.String(), true
		}
	case 0x9F66:
		if mc {
			return "", true
		}
		if x, err := ParseTTQ(v); err == nil {
			return x.String(), true
		}
	}
	return "", false
}

// bitFieldValue decodes the bit fields that mean the same under every
// kernel.
func bitFieldValue(t Tag, v []byte) (string, bool) {
	var s fmt.Stringer
	var err error
	switch t {
	case 0x95:
		s, err = ParseTVR(v)
	case 0x9B:
		s, err = ParseTSI(v)
	case 0x82:
		s, err = ParseAIP(v)
	case 0x9F07:
		s, err = ParseAUC(v)
	case 0x9F34:
		s, err = ParseCVMResults(v)
	case 0x9F33:
		s, err = ParseTerminalCapabilities(v)
	case 0x9F40:
		s, err = ParseAdditionalTerminalCapabilities(v)
	case 0x9F27:
		if len(v) != 1 {
			return "", false
		}
		return CID(v[0]).String(), true
	case 0x8E:
		l, err := ParseCVMList(v)
		if err != nil {
			return "", false
		}
		return strings.ReplaceAll(l.String(), "\n", "; "), true
	case 0x9A, 0x5F24, 0x5F25:
		return dateValue(v)
	case 0x9F21:
		if d, ok := nDigits(v); ok && len(d) == 6 {
			return d[:2] + ":" + d[2:4] + ":" + d[4:], true
		}
		return "", false
	default:
		return "", false
	}
	if err != nil {
		return "", false
	}
	return s.String(), true
}

// namesCTQUnionPay names the bits of the UnionPay QuickPass (qPBOC) CTQ
// whose meaning is that of the Visa CTQ byte 1; the other bits print by
// position.
var namesCTQUnionPay = namesCTQ[:7]

// century applies the EMV date rule: YY from 00 to 49 is 20YY, from 50 to
// 99 is 19YY.
func century(yy int) int {
	if yy < 50 {
		return 2000 + yy
	}
	return 1900 + yy
}

// dateValue decodes an n6 YYMMDD date with the EMV century rule.
func dateValue(v []byte) (string, bool) {
	d, ok := nDigits(v)
	if !ok || len(d) != 6 {
		return "", false
	}
	yy, _ := strconv.Atoi(d[:2])
	mm, _ := strconv.Atoi(d[2:4])
	dd, _ := strconv.Atoi(d[4:])
	if mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return "not a date", true
	}
	return fmt.Sprintf("%04d-%s-%s", century(yy), d[2:4], d[4:]), true
}

// dolValue lists a DOL's entries with their names.
func (c *describeConfig) dolValue(v []byte) (string, bool) {
	d, err := ParseDOL(v)
	if err != nil {
		return "", false
	}
	parts := make([]string, len(d))
	for i, e := range d {
		parts[i] = fmt.Sprintf("%v(%d)", e.Tag, e.Len)
		if info, ok := LookupKernel(e.Tag, c.kernel); ok {
			parts[i] += " " + info.Name
		}
	}
	return strings.Join(parts, "; "), true
}

// aflValue lists the entries of an Application File Locator.
func aflValue(v []byte) (string, bool) {
	afl, err := ParseAFL(v)
	if err != nil {
		return "", false
	}
	parts := make([]string, len(afl))
	for i, e := range afl {
		parts[i] = fmt.Sprintf("SFI %d records %d-%d (%d for ODA)", e.SFI, e.First, e.Last, e.ODACount)
	}
	return strings.Join(parts, ", "), true
}

// responseFormat1 splits a response message template format 1 (80): a GET
// PROCESSING OPTIONS response (AIP and AFL) or a GENERATE AC response (CID,
// ATC, cryptogram, issuer application data).
func responseFormat1(v []byte) (string, bool) {
	if len(v) >= 6 && (len(v)-2)%4 == 0 {
		aip, _ := ParseAIP(v[:2])
		if afl, ok := aflValue(v[2:]); ok {
			return fmt.Sprintf("GPO: AIP %X (%s); AFL %s", v[:2], aip, afl), true
		}
	}
	if len(v) >= 11 {
		return fmt.Sprintf("GENERATE AC: CID %02X (%s), ATC %X, AC %X, IAD %d bytes", v[0], CID(v[0]), v[1:3], v[3:11], len(v)-11), true
	}
	return "", false
}

// transactionTypes names the values of 9C: the first two digits of the
// ISO 8583:1987 processing code (EMV Book 3 annex A).
var transactionTypes = map[string]string{
	"00": "goods and services", "01": "cash", "02": "debit adjustment", "03": "cheque guarantee",
	"04": "cheque verification", "05": "eurocheque", "06": "traveller cheque", "07": "letter of credit",
	"08": "giro", "09": "goods and services with cashback", "20": "returns (refund)", "21": "deposits",
	"22": "credit adjustment", "23": "cheque deposit guarantee", "24": "cheque deposit",
	"30": "available funds inquiry", "31": "balance inquiry", "40": "cardholder accounts transfer",
}

func transactionType(v []byte) (string, bool) {
	d, ok := nDigits(v)
	if !ok || len(d) != 2 {
		return "", false
	}
	if n, ok := transactionTypes[d]; ok {
		return n, true
	}
	return "processing code " + d, true
}

type country struct{ alpha2, name string }

func countryValue(v []byte) (string, bool) {
	n, ok := nInt(v)
	if !ok || len(v) != 2 {
		return "", false
	}
	if c, ok := countries[uint16(n)]; ok {
		return c.alpha2 + ", " + c.name, true
	}
	return "not an ISO 3166 country", true
}

func currencyValue(v []byte) (string, bool) {
	n, ok := nInt(v)
	if !ok || len(v) != 2 {
		return "", false
	}
	if c := iso4217.ByNumeric(int(n)); c != nil {
		return c.Alpha + ", " + c.Name, true
	}
	return "not an ISO 4217 currency", true
}

// amountN decodes an n12 amount.
func (c *describeConfig) amountN(v []byte) (string, bool) {
	x, ok := nInt(v)
	if !ok {
		return "", false
	}
	return c.amountString(x), true
}

func (c *describeConfig) amountString(x int64) string {
	s := formatAmount(x, c.exp)
	if c.currency != nil {
		s += " " + c.currency.Alpha
	}
	return s
}

func formatAmount(x int64, exp int) string {
	s := strconv.FormatInt(x, 10)
	if exp == 0 {
		return s
	}
	for len(s) <= exp {
		s = "0" + s
	}
	return s[:len(s)-exp] + "." + s[len(s)-exp:]
}
