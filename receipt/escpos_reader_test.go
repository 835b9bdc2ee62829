package receipt

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// escReader walks an ESC/POS byte stream as a printer would: it checks that
// every command is one we mean to send and well formed, decodes the text
// back (GB18030 in Chinese mode, the selected code page otherwise), measures
// each printed line in columns (a 2-byte code is 2, double width doubles)
// and writes an annotated hex dump.
type escReader struct {
	cols    int
	lines   []string // decoded text of each printed line
	codes   []string // QR code and barcode data, in order
	dump    strings.Builder
	chinese bool
	page    *charmap.Charmap
	wide    int // width multiplier
	col     int
	line    []byte
	run     []byte // text bytes not yet dumped
	cut     bool
	qrData  []byte
	annot   bool     // write the annotated dump
	images  []raster // GS v 0 raster images, in order
}

// raster is one GS v 0 image: width in dots, height, and the bits.
type raster struct {
	w, h int
	bits []byte
}

var errESC = errors.New("malformed ESC/POS")

func readESCPOS(b []byte, cols int) (*escReader, error) {
	return readESCPOSDump(b, cols, false)
}

// readESCPOSDump is readESCPOS that also writes the annotated hex dump.
func readESCPOSDump(b []byte, cols int, annotate bool) (*escReader, error) {
	r := &escReader{cols: cols, wide: 1, page: charmap.CodePage437, annot: annotate}
	if err := r.walk(b); err != nil {
		return r, err
	}
	return r, nil
}

func (r *escReader) decode(b []byte) string {
	if r.chinese {
		s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil {
			return "<undecodable>"
		}
		return string(s)
	}
	s, _ := r.page.NewDecoder().Bytes(b)
	return string(s)
}

func (r *escReader) flushRun() {
	if !r.annot {
		r.run = r.run[:0]
		return
	}
	for len(r.run) > 0 {
		n := 0
		for n < len(r.run) && n < 16 {
			if r.run[n] == '\n' {
				n++
				break
			}
			if r.chinese && r.run[n] >= 0x81 {
				if n+2 > 16 {
					break
				}
				n += 2
			} else {
				n++
			}
		}
		if n > len(r.run) {
			n = len(r.run)
		}
		chunk, lf := r.run[:n], ""
		if chunk[n-1] == '\n' {
			chunk, lf = chunk[:n-1], " LF"
		}
		if len(chunk) == 0 {
			r.note(r.run[:n], "LF")
		} else {
			r.note(r.run[:n], fmt.Sprintf("%q%s", r.decode(chunk), lf))
		}
		r.run = r.run[n:]
	}
}

func (r *escReader) note(b []byte, what string) {
	h := fmt.Sprintf("% X", b)
	if len(b) > 16 {
		h = fmt.Sprintf("% X ...(%d bytes)", b[:16], len(b))
	}
	fmt.Fprintf(&r.dump, "%-48s %s\n", h, what)
}

func (r *escReader) cmd(b []byte, format string, args ...any) {
	r.flushRun()
	if !r.annot {
		return
	}
	r.note(b, fmt.Sprintf(format, args...))
}

func (r *escReader) walk(b []byte) error {
	for i := 0; i < len(b); {
		c := b[i]
		if r.cut {
			return fmt.Errorf("%w: bytes after the cut at %d", errESC, i)
		}
		var n int
		var err error
		switch {
		case c == '\n':
			if r.col > r.cols {
				return fmt.Errorf("%w: line %d is %d columns, over %d: %q", errESC, len(r.lines)+1, r.col, r.cols, r.decode(r.line))
			}
			r.lines = append(r.lines, r.decode(r.line))
			r.line, r.col = r.line[:0], 0
			r.run = append(r.run, '\n')
			r.flushRun()
			n = 1
		case c == 0x1B:
			n, err = r.esc(b, i)
		case c == 0x1C:
			n, err = r.fs(b, i)
		case c == 0x1D:
			n, err = r.gs(b, i)
		case c < 0x20 || c == 0x7F:
			return fmt.Errorf("%w: stray control byte %#x at %d", errESC, c, i)
		case r.chinese && c >= 0x80:
			if c == 0x80 || c == 0xFF || i+1 >= len(b) {
				return fmt.Errorf("%w: bad GB18030 lead byte %#x at %d", errESC, c, i)
			}
			t := b[i+1]
			if t < 0x40 || t == 0x7F || t == 0xFF {
				return fmt.Errorf("%w: bad GB18030 trail byte %#x at %d (4-byte codes are not printable)", errESC, t, i+1)
			}
			r.text(b[i : i+2])
			r.col += 2 * r.wide
			n = 2
		default:
			r.text(b[i : i+1])
			r.col += r.wide
			n = 1
		}
		if err != nil {
			return err
		}
		i += n
	}
	r.flushRun()
	if len(r.line) > 0 {
		return fmt.Errorf("%w: last line not ended", errESC)
	}
	return nil
}

// esc reads one ESC command at b[i:] and returns its length.
func (r *escReader) esc(b []byte, i int) (int, error) {
	if i+2 > len(b) {
		return 0, fmt.Errorf("%w: truncated command at %d", errESC, i)
	}
	if b[i+1] == '@' {
		r.chinese, r.wide, r.page = false, 1, charmap.CodePage437
		r.cmd(b[i:i+2], "ESC @        initialise")
		return 2, nil
	}
	if i+3 > len(b) {
		return 0, fmt.Errorf("%w: truncated command at %d", errESC, i)
	}
	n := b[i+2]
	switch b[i+1] {
	case 'E':
		if n > 1 {
			return 0, fmt.Errorf("%w: ESC E %d", errESC, n)
		}
		r.cmd(b[i:i+3], "ESC E %d      bold %s", n, map[byte]string{0: "off", 1: "on"}[n])
	case 'a':
		if n > 2 {
			return 0, fmt.Errorf("%w: ESC a %d", errESC, n)
		}
		if len(r.line) > 0 {
			return 0, fmt.Errorf("%w: ESC a inside a line", errESC)
		}
		r.cmd(b[i:i+3], "ESC a %d      align %s", n, [3]string{"left", "centre", "right"}[n])
	case 'd':
		r.cmd(b[i:i+3], "ESC d %d      feed %d lines", n, n)
	case 't':
		switch n {
		case 0:
			r.page = charmap.CodePage437
		case 16:
			r.page = charmap.Windows1252
		case 19:
			r.page = charmap.CodePage858
		default:
			return 0, fmt.Errorf("%w: ESC t %d", errESC, n)
		}
		r.cmd(b[i:i+3], "ESC t %d      code page %s", n, r.page)
	default:
		return 0, fmt.Errorf("%w: ESC %q", errESC, b[i+1])
	}
	return 3, nil
}

// fs reads one FS command at b[i:] and returns its length.
func (r *escReader) fs(b []byte, i int) (int, error) {
	if i+2 > len(b) {
		return 0, fmt.Errorf("%w: truncated command at %d", errESC, i)
	}
	switch b[i+1] {
	case '&':
		r.chinese = true
		r.cmd(b[i:i+2], "FS &         Chinese character mode (GB18030)")
	case '!':
		if i+3 > len(b) || b[i+2]&^0x0C != 0 {
			return 0, fmt.Errorf("%w: FS ! mode", errESC)
		}
		if len(r.line) > 0 {
			return 0, fmt.Errorf("%w: size change inside a line", errESC)
		}
		if want := b[i+2]&0x04 != 0; want != (r.wide == 2) {
			return 0, fmt.Errorf("%w: FS ! width disagrees with GS !", errESC)
		}
		n := b[i+2]
		r.cmd(b[i:i+3], "FS ! 0x%02X    Chinese size: %d× wide, %d× tall", n, n>>2&1+1, n>>3&1+1)
		return 3, nil
	case '.':
		r.chinese = false
		r.cmd(b[i:i+2], "FS .         cancel Chinese character mode")
	default:
		return 0, fmt.Errorf("%w: FS %q", errESC, b[i+1])
	}
	return 2, nil
}

func (r *escReader) text(b []byte) {
	r.line = append(r.line, b...)
	r.run = append(r.run, b...)
}

// gs reads one GS command at b[i:] and returns its length.
func (r *escReader) gs(b []byte, i int) (int, error) {
	if i+3 > len(b) {
		return 0, fmt.Errorf("%w: truncated GS at %d", errESC, i)
	}
	n := b[i+2]
	switch b[i+1] {
	case '!':
		if n&^0x11 != 0 {
			return 0, fmt.Errorf("%w: GS ! %#x", errESC, n)
		}
		if len(r.line) > 0 {
			return 0, fmt.Errorf("%w: size change inside a line", errESC)
		}
		r.wide = int(n>>4) + 1
		r.cmd(b[i:i+3], "GS ! 0x%02X    size: %d× wide, %d× tall", n, n>>4+1, n&15+1)
		return 3, nil
	case 'V':
		switch n {
		case 65, 66:
			if i+4 > len(b) {
				return 0, fmt.Errorf("%w: truncated GS V", errESC)
			}
			r.cmd(b[i:i+4], "GS V %d %d    feed and %s cut", n, b[i+3], map[byte]string{65: "full", 66: "partial"}[n])
			r.cut = true
			return 4, nil
		}
		return 0, fmt.Errorf("%w: GS V %d", errESC, n)
	case 'v':
		// GS v 0 m xL xH yL yH d1...dk: raster bit image, k = x*y bytes.
		if n != '0' || i+8 > len(b) || b[i+3] != 0 {
			return 0, fmt.Errorf("%w: GS v %q", errESC, n)
		}
		if len(r.line) > 0 {
			return 0, fmt.Errorf("%w: raster image inside a line", errESC)
		}
		x, y := int(b[i+4])|int(b[i+5])<<8, int(b[i+6])|int(b[i+7])<<8
		if x == 0 || y == 0 || x*8 > r.cols*12 {
			return 0, fmt.Errorf("%w: raster image %d bytes x %d rows on a %d-dot line", errESC, x, y, r.cols*12)
		}
		if i+8+x*y > len(b) {
			return 0, fmt.Errorf("%w: truncated raster image", errESC)
		}
		r.images = append(r.images, raster{w: x * 8, h: y, bits: b[i+8 : i+8+x*y]})
		r.cmd(b[i:i+8+x*y], "GS v 0 0      raster image %d x %d dots", x*8, y)
		return 8 + x*y, nil
	case 'h':
		if n == 0 {
			return 0, fmt.Errorf("%w: GS h 0", errESC)
		}
		r.cmd(b[i:i+3], "GS h %d      barcode height %d dots", n, n)
		return 3, nil
	case 'w':
		if n < 1 || n > 6 {
			return 0, fmt.Errorf("%w: GS w %d", errESC, n)
		}
		r.cmd(b[i:i+3], "GS w %d        barcode module width %d", n, n)
		return 3, nil
	case 'H':
		if n > 3 {
			return 0, fmt.Errorf("%w: GS H %d", errESC, n)
		}
		r.cmd(b[i:i+3], "GS H %d        barcode text position %d", n, n)
		return 3, nil
	case 'k', '(':
		return r.gsCode(b, i)
	}
	return 0, fmt.Errorf("%w: GS %q", errESC, b[i+1])
}

// gsCode reads a GS k (barcode) or GS ( k (QR code) command at b[i:] and
// returns its length.
func (r *escReader) gsCode(b []byte, i int) (int, error) {
	n := b[i+2]
	switch b[i+1] {
	case 'k':
		if n != 73 || i+4 > len(b) {
			return 0, fmt.Errorf("%w: GS k %d", errESC, n)
		}
		l := int(b[i+3])
		if l < 3 || i+4+l > len(b) {
			return 0, fmt.Errorf("%w: GS k length %d", errESC, l)
		}
		data := b[i+4 : i+4+l]
		if data[0] != '{' || data[1] < 'A' || data[1] > 'C' {
			return 0, fmt.Errorf("%w: CODE128 without code set", errESC)
		}
		for _, c := range data[2:] {
			if c < 0x20 || c > 0x7E {
				return 0, fmt.Errorf("%w: CODE128 B byte %#x", errESC, c)
			}
		}
		r.codes = append(r.codes, "barcode:"+string(data[2:]))
		r.cmd(b[i:i+4+l], "GS k 73 %d    CODE128 %q", l, data)
		return 4 + l, nil
	case '(':
		if n != 'k' || i+7 > len(b) {
			return 0, fmt.Errorf("%w: GS ( %q", errESC, n)
		}
		l := int(b[i+3]) | int(b[i+4])<<8
		if l < 3 || i+5+l > len(b) || b[i+5] != '1' {
			return 0, fmt.Errorf("%w: GS ( k length %d", errESC, l)
		}
		p := b[i+7 : i+5+l]
		all := b[i : i+5+l]
		switch fn := b[i+6]; fn {
		case 'A':
			if l != 4 || (p[0] != '1' && p[0] != '2') || p[1] != 0 {
				return 0, fmt.Errorf("%w: QR model", errESC)
			}
			r.cmd(all, "GS ( k 165   QR model %c", p[0])
		case 'C':
			if l != 3 || p[0] < 1 || p[0] > 16 {
				return 0, fmt.Errorf("%w: QR module size", errESC)
			}
			r.cmd(all, "GS ( k 167   QR module size %d", p[0])
		case 'E':
			if l != 3 || p[0] < '0' || p[0] > '3' {
				return 0, fmt.Errorf("%w: QR error correction", errESC)
			}
			r.cmd(all, "GS ( k 169   QR error correction %c", "LMQH"[p[0]-'0'])
		case 'P':
			if l < 4 || p[0] != '0' {
				return 0, fmt.Errorf("%w: QR store", errESC)
			}
			r.qrData = append(r.qrData[:0], p[1:]...)
			r.cmd(all, "GS ( k 180   QR store %d bytes %q", len(p)-1, p[1:])
		case 'Q':
			if l != 3 || p[0] != '0' || r.qrData == nil {
				return 0, fmt.Errorf("%w: QR print without data", errESC)
			}
			r.codes = append(r.codes, "qr:"+string(r.qrData))
			r.cmd(all, "GS ( k 181   QR print")
		default:
			return 0, fmt.Errorf("%w: GS ( k function %q", errESC, fn)
		}
		return 5 + l, nil
	}
	return 0, fmt.Errorf("%w: GS %q", errESC, b[i+1])
}

// textLines splits text renderer output into lines.
func textLines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func trimmed(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, strings.TrimSpace(l))
	}
	return out
}
