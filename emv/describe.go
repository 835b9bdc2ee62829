package emv

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/poskit/poskit/internal/digits"
)

// DescribeOption changes what Describe prints.
type DescribeOption func(*describeConfig)

type describeConfig struct {
	mode   Mode
	kernel Kernel
	indent string
}

// DescribeMode makes Describe read the data in mode m (default Lenient).
func DescribeMode(m Mode) DescribeOption { return func(c *describeConfig) { c.mode = m } }

// DescribeKernel names kernel-dependent tags as kernel k defines them.
func DescribeKernel(k Kernel) DescribeOption { return func(c *describeConfig) { c.kernel = k } }

// DescribeIndent sets the indentation per nesting level (default two
// spaces).
func DescribeIndent(s string) DescribeOption { return func(c *describeConfig) { c.indent = s } }

// Describe writes data as an indented, human-readable tree: one line per
// object with its tag, dictionary name and decoded value (numeric as
// digits, text as quoted text, dates as YYYY-MM-DD, amounts with the
// currency exponent of 5F36 when the data holds it and 2 otherwise, bit
// fields as words, DOLs as tag(length) lists). Sensitive values are masked:
// a PAN shows at most its first 6 and last 4 digits, track data only its
// masked PAN, names and secrets only their length. On malformed data it
// writes the objects before the fault and a final "error:" line, and
// returns the error.
func Describe(w io.Writer, data []byte, opts ...DescribeOption) error {
	c := describeConfig{mode: Lenient, indent: "  "}
	for _, o := range opts {
		o(&c)
	}
	exp := 2
	if v, ok, _ := FindMode(data, 0x5F36, c.mode); ok && len(v) == 1 && v[0] <= 9 {
		exp = int(v[0])
	}
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
			bw.WriteString(describeValue(s.Tag(), info, known, s.Value(), exp))
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
// primitive value of tag t.
func DescribeValue(t Tag, v []byte) string {
	info, known := Lookup(t)
	return describeValue(t, info, known, v, 2)
}

func describeValue(t Tag, info TagInfo, known bool, v []byte, exp int) string {
	h := strings.ToUpper(hex.EncodeToString(v))
	if len(v) == 0 {
		return "(empty)"
	}
	switch SensitivityOf(t) {
	case PAN:
		if t == 0x5A {
			if pan, err := ParsePAN(v); err == nil {
				return digits.MaskPAN(pan)
			}
		}
		return fmt.Sprintf("[masked, %d bytes]", len(v))
	case Track:
		if t == 0x57 || t == 0x9F6B {
			if t2, err := ParseTrack2(v); err == nil {
				return t2.String()
			}
		}
		return fmt.Sprintf("[masked, %d bytes]", len(v))
	case Personal:
		return fmt.Sprintf("[masked, %d bytes]", len(v))
	case Secret:
		return fmt.Sprintf("[secret, %d bytes]", len(v))
	}
	with := func(s string) string { return h + " (" + s + ")" }
	switch t {
	case 0x95:
		if x, err := ParseTVR(v); err == nil {
			return with(x.String())
		}
	case 0x9B:
		if x, err := ParseTSI(v); err == nil {
			return with(x.String())
		}
	case 0x82:
		if x, err := ParseAIP(v); err == nil {
			return with(x.String())
		}
	case 0x9F07:
		if x, err := ParseAUC(v); err == nil {
			return with(x.String())
		}
	case 0x9F27:
		if len(v) == 1 {
			return with(CID(v[0]).String())
		}
	case 0x9F34:
		if x, err := ParseCVMResults(v); err == nil {
			return with(x.String())
		}
	case 0x9F66:
		if x, err := ParseTTQ(v); err == nil {
			return with(x.String())
		}
	case 0x9F6C:
		if x, err := ParseCTQ(v); err == nil {
			return with(x.String())
		}
	case 0x9F33:
		if x, err := ParseTerminalCapabilities(v); err == nil {
			return with(x.String())
		}
	case 0x9F40:
		if x, err := ParseAdditionalTerminalCapabilities(v); err == nil {
			return with(x.String())
		}
	case 0x9F35:
		if len(v) == 1 {
			return TerminalType(v[0]).String()
		}
	case 0x8E:
		if x, err := ParseCVMList(v); err == nil {
			return with(strings.ReplaceAll(x.String(), "\n", "; "))
		}
	case 0x9F38, 0x8C, 0x8D, 0x9F49, 0x97, 0x9F69, 0xDF811A:
		if d, err := ParseDOL(v); err == nil {
			parts := make([]string, len(d))
			for i, e := range d {
				parts[i] = fmt.Sprintf("%v(%d)", e.Tag, e.Len)
			}
			return with(strings.Join(parts, " "))
		}
	case 0x9A, 0x5F24, 0x5F25:
		if d, ok := nDigits(v); ok && len(d) == 6 {
			return d + " (20" + d[:2] + "-" + d[2:4] + "-" + d[4:] + ")"
		}
	case 0x9F21:
		if d, ok := nDigits(v); ok && len(d) == 6 {
			return d + " (" + d[:2] + ":" + d[2:4] + ":" + d[4:] + ")"
		}
	case 0x9F02, 0x9F03, 0xDF8123, 0xDF8124, 0xDF8125, 0xDF8126, 0x9F5D:
		if x, ok := nInt(v); ok {
			return fmt.Sprintf("%s (%s)", h, formatAmount(x, exp))
		}
	case 0x81, 0x9F04, 0x9F3A, 0x9F1B:
		if len(v) == 4 {
			x := int64(v[0])<<24 | int64(v[1])<<16 | int64(v[2])<<8 | int64(v[3])
			return fmt.Sprintf("%s (%s)", h, formatAmount(x, exp))
		}
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
