package keyblock

import (
	"fmt"
	"strconv"
	"strings"
)

// Header is the clear part of a key block: the attributes X9.143 binds to the
// key. The length, the number of optional blocks and the padding block are
// computed by [Wrap] and checked by [Unwrap]; they are not fields.
type Header struct {
	Version       byte    // 'A', 'B', 'C' or 'D'
	Usage         string  // two characters: "B1", "P0", "M3", "K0", "D0", ...
	Algorithm     byte    // 'T' TDES, 'A' AES, 'D' DES, 'H' HMAC, 'R' RSA, 'E' elliptic curve, 'S' DSA
	Mode          byte    // mode of use: 'E', 'D', 'B', 'C', 'G', 'V', 'N', 'X', ...
	KeyVersion    string  // two characters, "00" for none
	Exportability byte    // 'E', 'N' or 'S'
	Blocks        []Block // optional blocks in order, without the padding block "PB"
	// Context is the key context of X9.143 (header byte 15): 0 (written as
	// '0') when the wrapping key determines it, '1' for storage only, '2'
	// for exchange only. Unwrap reports '0' as 0.
	Context byte
}

// Block is one optional block: a two-character ID ("KS", "KC", "KP", "IK",
// "TS", "HM", ... or an ID X9.143 does not define, kept as it is) and its
// data, printable ASCII.
type Block struct{ ID, Data string }

// Find returns the data of the first optional block with the given ID.
func (h Header) Find(id string) (data string, ok bool) {
	for _, b := range h.Blocks {
		if b.ID == id {
			return b.Data, true
		}
	}
	return "", false
}

// String returns the fixed fields as a key block header would show them
// (without length and optional blocks), for logs: "D P0 A E 00 E".
func (h Header) String() string {
	return fmt.Sprintf("%s %s %s %s %s %s", printable(h.Version), printableS(h.Usage), printable(h.Algorithm),
		printable(h.Mode), printableS(h.KeyVersion), printable(h.Exportability))
}

func printable(b byte) string {
	if b < 0x20 || b > 0x7E {
		return "?"
	}
	return string(rune(b))
}

// printableS shows a short header field as it is, or quoted when it holds
// characters outside printable ASCII or is not two characters long.
func printableS(s string) string {
	if len(s) == 2 && isPrintable(s) && s[0] != ' ' && s[1] != ' ' {
		return s
	}
	return strconv.Quote(s)
}

// blockSize is the cipher block size of a version.
func blockSize(v byte) int {
	if v == 'D' {
		return 16
	}
	return 8
}

// macLen is the length in bytes of the MAC of a version.
func macLen(v byte) int {
	switch v {
	case 'A', 'C':
		return 4
	case 'B':
		return 8
	}
	return 16
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isUpperHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' }

func isLowerHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' }

func isPrintable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}

// parseHex reads an unsigned hexadecimal number (either case, as the
// optional block lengths of X9.143 are written by HSMs) of len(s) digits.
func parseHex(s string) (int, bool) {
	if len(s) == 0 || len(s) > 6 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		default:
			return 0, false
		}
		n = n<<4 | int(d)
	}
	return n, true
}

// checkFields checks the fixed header fields for syntax: the characters
// X9.143 allows in each position.
func checkFields(h *Header) error {
	switch h.Version {
	case 'A', 'B', 'C', 'D':
	default:
		return fmt.Errorf("%w: %s", ErrVersion, printable(h.Version))
	}
	if len(h.Usage) != 2 || !isAlnum(h.Usage[0]) || !isAlnum(h.Usage[1]) {
		return fmt.Errorf("%w: key usage %s", ErrHeader, printableS(h.Usage))
	}
	if !isAlnum(h.Algorithm) {
		return fmt.Errorf("%w: algorithm %s", ErrHeader, printable(h.Algorithm))
	}
	if !isAlnum(h.Mode) {
		return fmt.Errorf("%w: mode of use %s", ErrHeader, printable(h.Mode))
	}
	if len(h.KeyVersion) != 2 || !isAlnum(h.KeyVersion[0]) || !isAlnum(h.KeyVersion[1]) {
		return fmt.Errorf("%w: key version %s", ErrHeader, printableS(h.KeyVersion))
	}
	switch h.Context {
	case 0, '0', '1', '2':
	default:
		return fmt.Errorf("%w: key context %s", ErrHeader, printable(h.Context))
	}
	return nil
}

// parseHeader parses the header and optional blocks at the start of s. It
// returns the header, the number of characters they take (padding block
// included) and the declared total length.
func parseHeader(s string) (Header, int, error) {
	var h Header
	if len(s) < 16 {
		return h, 0, fmt.Errorf("%w: %d characters, a header has 16", ErrFormat, len(s))
	}
	for i := range 16 {
		if !isAlnum(s[i]) {
			return h, 0, fmt.Errorf("%w: header character %d is not alphanumeric", ErrFormat, i+1)
		}
	}
	h.Version = s[0]
	total := 0
	for i := 1; i < 5; i++ {
		if !isDigit(s[i]) {
			return h, 0, fmt.Errorf("%w: length field %q is not 4 digits", ErrFormat, s[1:5])
		}
		total = total*10 + int(s[i]-'0')
	}
	h.Usage, h.Algorithm, h.Mode = s[5:7], s[7], s[8]
	h.KeyVersion, h.Exportability = s[9:11], s[11]
	if !isDigit(s[12]) || !isDigit(s[13]) {
		return h, 0, fmt.Errorf("%w: number of optional blocks %q is not 2 digits", ErrFormat, s[12:14])
	}
	count := int(s[12]-'0')*10 + int(s[13]-'0')
	if s[14] != '0' {
		h.Context = s[14]
	}
	if s[15] != '0' {
		return h, 0, fmt.Errorf("%w: reserved header byte 16 is %q, not '0'", ErrFormat, s[15])
	}
	if err := checkFields(&h); err != nil {
		return h, 0, err
	}
	n, err := parseBlocks(&h, s, count)
	return h, n, err
}

// parseBlocks reads count optional blocks from s[16:] into h.Blocks and
// returns the header length. The padding block, if any, must be the last.
func parseBlocks(h *Header, s string, count int) (int, error) {
	pos := 16
	for i := range count {
		if len(s)-pos < 4 {
			return 0, fmt.Errorf("%w: block %d of %d is truncated", ErrOptionalBlock, i+1, count)
		}
		id := s[pos : pos+2]
		if !isAlnum(id[0]) || !isAlnum(id[1]) {
			return 0, fmt.Errorf("%w: block %d ID %q is not 2 alphanumeric characters", ErrOptionalBlock, i+1, id)
		}
		n, ok := parseHex(s[pos+2 : pos+4])
		if !ok {
			return 0, fmt.Errorf("%w: block %s length %q is not 2 hexadecimal digits", ErrOptionalBlock, id, s[pos+2:pos+4])
		}
		start := pos + 4
		if n == 0 { // extended length: 00, length of the length in bytes, length
			if len(s)-pos < 6 {
				return 0, fmt.Errorf("%w: block %s extended length is truncated", ErrOptionalBlock, id)
			}
			ll, ok := parseHex(s[pos+4 : pos+6])
			if !ok || ll == 0 || ll > 2 || len(s)-pos < 6+2*ll {
				return 0, fmt.Errorf("%w: block %s length of the length %q is not 01 or 02", ErrOptionalBlock, id, s[pos+4:pos+6])
			}
			if n, ok = parseHex(s[pos+6 : pos+6+2*ll]); !ok {
				return 0, fmt.Errorf("%w: block %s extended length is not hexadecimal", ErrOptionalBlock, id)
			}
			start = pos + 6 + 2*ll
		}
		if n < start-pos {
			return 0, fmt.Errorf("%w: block %s length %d does not cover its ID and length", ErrOptionalBlock, id, n)
		}
		if n > len(s)-pos {
			return 0, fmt.Errorf("%w: block %s length %d runs past the key block", ErrOptionalBlock, id, n)
		}
		data := s[start : pos+n]
		if !isPrintable(data) {
			return 0, fmt.Errorf("%w: block %s data is not printable ASCII", ErrOptionalBlock, id)
		}
		pos += n
		if id == "PB" {
			if i != count-1 {
				return 0, fmt.Errorf("%w: padding block PB is block %d of %d, not the last", ErrOptionalBlock, i+1, count)
			}
			break
		}
		if err := checkBlock(id, data); err != nil {
			return 0, err
		}
		h.Blocks = append(h.Blocks, Block{ID: id, Data: data})
	}
	if pos%blockSize(h.Version) != 0 {
		return 0, fmt.Errorf("%w: header with optional blocks is %d characters, not a multiple of %d", ErrOptionalBlock, pos, blockSize(h.Version))
	}
	return pos, nil
}

// checkBlock checks the data of the optional blocks whose syntax X9.143
// defines (the key set ID, initial key ID, check values and HMAC hash);
// blocks of other IDs are data.
func checkBlock(id, data string) error {
	allHex := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if !isUpperHex(s[i]) {
				return false
			}
		}
		return true
	}
	switch id {
	case "KS", "IK":
		if len(data) == 0 || !allHex(data) {
			return fmt.Errorf("%w: block %s is not hexadecimal", ErrOptionalBlock, id)
		}
		if id == "IK" && len(data) != 16 {
			return fmt.Errorf("%w: block IK is %d hexadecimal digits, not 16", ErrOptionalBlock, len(data))
		}
	case "KC", "KP":
		if len(data) < 2 || (data[:2] != "00" && data[:2] != "01") || !allHex(data) || len(data)%2 != 0 {
			return fmt.Errorf("%w: block %s is not 00 or 01 followed by a hexadecimal check value", ErrOptionalBlock, id)
		}
	case "HM":
		if len(data) != 2 || !allHex(data) {
			return fmt.Errorf("%w: block HM is not a 2-digit hash algorithm code", ErrOptionalBlock)
		}
	case "PB":
		return fmt.Errorf("%w: the padding block PB is made by Wrap, not given", ErrOptionalBlock)
	}
	return nil
}

// encodeBlocks appends the optional blocks of h to sb, then a padding block
// of random printable characters from pad when the length is not a multiple
// of the cipher block size. It returns the number of blocks written.
func encodeBlocks(sb *strings.Builder, h *Header, pad func(n int) (string, error)) (int, error) {
	for _, b := range h.Blocks {
		if len(b.ID) != 2 || !isAlnum(b.ID[0]) || !isAlnum(b.ID[1]) {
			return 0, fmt.Errorf("%w: ID %q is not 2 alphanumeric characters", ErrOptionalBlock, b.ID)
		}
		if !isPrintable(b.Data) {
			return 0, fmt.Errorf("%w: block %s data is not printable ASCII", ErrOptionalBlock, b.ID)
		}
		if err := checkBlock(b.ID, b.Data); err != nil {
			return 0, err
		}
		n := 4 + len(b.Data)
		switch {
		case n <= 0xFF:
			fmt.Fprintf(sb, "%s%02X%s", b.ID, n, b.Data)
		case n+6 <= 0xFFFF:
			fmt.Fprintf(sb, "%s0002%04X%s", b.ID, n+6, b.Data)
		default:
			return 0, fmt.Errorf("%w: block %s is %d characters, over 65535", ErrOptionalBlock, b.ID, n)
		}
	}
	count := len(h.Blocks)
	bs := blockSize(h.Version)
	if r := sb.Len() % bs; r != 0 {
		n := bs - r
		if n < 4 {
			n += bs
		}
		p, err := pad(n - 4)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(sb, "PB%02X%s", n, p)
		count++
	}
	if count > 99 {
		return 0, fmt.Errorf("%w: %d optional blocks, over 99", ErrOptionalBlock, count)
	}
	return count, nil
}
