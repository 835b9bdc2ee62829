package receipt

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"
)

// CodePage is the character set a Printer sends to an ESC/POS printer.
type CodePage uint8

// Code pages. GB18030 puts the printer in Chinese character mode (FS &);
// the others cancel it (FS .) and select a single-byte table with ESC t.
const (
	GB18030 CodePage = iota // 2-byte GB18030 (a superset of GBK and GB 2312); 4-byte codes are not printable
	PC437                   // ESC t 0, IBM PC USA
	WPC1252                 // ESC t 16, Windows Latin-1
	PC858                   // ESC t 19, PC 850 with the euro sign
	numCodePages
)

var codePages = [numCodePages]struct {
	cm *charmap.Charmap
	n  byte // ESC t n
}{
	PC437:   {charmap.CodePage437, 0},
	WPC1252: {charmap.Windows1252, 16},
	PC858:   {charmap.CodePage858, 19},
}

// gbTab maps each BMP rune to its 2-byte GB18030 code, or 0 when GB18030
// has no 2-byte code for it (ASCII, or a 4-byte code). It is built once, on
// first use, from golang.org/x/text/encoding/simplifiedchinese.
var (
	gbOnce sync.Once
	gbTab  *[0x10000]uint16
)

func gbTable() *[0x10000]uint16 {
	gbOnce.Do(func() {
		t := new([0x10000]uint16)
		src := make([]byte, 0, 3*0x10000)
		for r := rune(0x80); r < 0x10000; r++ {
			if r < 0xD800 || r > 0xDFFF {
				src = utf8.AppendRune(src, r)
			}
		}
		out, err := simplifiedchinese.GB18030.NewEncoder().Bytes(src)
		if err == nil {
			i := 0
			for r := rune(0x80); r < 0x10000 && i < len(out); r++ {
				if r >= 0xD800 && r <= 0xDFFF {
					continue
				}
				switch b := out[i]; {
				case b < 0x80:
					i++
				case i+1 < len(out) && (out[i+1] < '0' || out[i+1] > '9'):
					t[r] = uint16(b)<<8 | uint16(out[i+1])
					i += 2
				default:
					i += 4
				}
			}
		}
		gbTab = t
	})
	return gbTab
}

// escMap returns the printer code for r in code page cp and its length in
// bytes, which is also its width in columns: 1 or 2. A rune the printer
// cannot print is transliterated (¥ → ￥ in GB18030, fullwidth forms →
// ASCII in single-byte pages) or replaced by '?', never dropped. Control
// characters, bidirectional controls and line separators are replaced too,
// so caller text can never inject a command or reorder a line.
func escMap(t *[0x10000]uint16, cp CodePage, r rune) (code uint16, n int) {
	if r < 0x80 {
		if r < 0x20 || r == 0x7F {
			return '?', 1
		}
		return uint16(r), 1
	}
	if unsafeFormat(r) {
		return '?', 1
	}
	if cp == GB18030 {
		switch {
		case r == 0xA5: // YEN SIGN is a 4-byte code; FULLWIDTH YEN SIGN is A3A4
			r = 0xFFE5
		case r == 0xA0:
			return ' ', 1
		case r < 0xA0, r >= 0xE000 && r <= 0xF8FF, r > 0xFFFF:
			return '?', 1 // C1 controls, private use (user-defined GB codes), 4-byte codes
		}
		if c := t[r]; c != 0 {
			return c, 2
		}
		return '?', 1
	}
	if r < 0xA0 {
		return '?', 1
	}
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
		return uint16(r), 1
	case r == 0x3000:
		return ' ', 1
	case r == 0xFFE5:
		r = 0xA5
	}
	if b, ok := codePages[cp].cm.EncodeRune(r); ok && b >= 0x20 && b != 0x7F {
		return uint16(b), 1
	}
	return '?', 1
}

// textRune returns r as the text and HTML renderers print it: control
// characters, bidirectional controls, line and paragraph separators and
// invalid UTF-8 become '?'.
func textRune(r rune, size int) rune {
	if r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0) || (r == utf8.RuneError && size <= 1) || unsafeFormat(r) {
		return '?'
	}
	return r
}

// unsafeFormat reports whether r reorders or breaks the text around it:
// the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
// U+2066-U+2069), the directional marks (U+200E, U+200F, U+061C) and the
// line and paragraph separators (U+2028, U+2029). Caller text prints them
// as '?', so "RMB 100.00" can never read "00.001 BMR".
func unsafeFormat(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	case r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// TextWidth returns the columns s takes in the text renderer: 2 for a rune
// whose East Asian Width (Unicode UAX #11, golang.org/x/text/width) is Wide
// or Fullwidth, 1 for any other, ambiguous ones included. The rule is fixed:
// it never depends on the locale or the environment.
func TextWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		n += runeWidth(textRune(r, size))
		i += size
	}
	return n
}

func runeWidth(r rune) int {
	if r < 0x1100 {
		return 1
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
