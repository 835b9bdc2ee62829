package receipt

import (
	"fmt"
	"unicode/utf8"
)

type mode uint8

const (
	modeText mode = iota
	modeESC
	modeHTML
)

type align uint8

const (
	left align = iota
	centre
	right
)

// Print styles. Double width halves the columns of a line on a printer;
// the text renderer ignores it.
const (
	sBold = 1 << iota
	sTall // double height
	sWide // double width
)

// Kinds of text segment.
const (
	kPre = iota // a prepared label, already in the target form
	kSrc        // caller text: sanitised, and encoded for the printer
	kRaw        // bytes we formatted (ASCII digits, letters, punctuation)
)

// seg is a piece of text to lay out.
type seg struct {
	s    string
	b    []byte
	lab  *lab // the prepared label, with its lines laid out once
	w    int  // width, or -1 when not known yet
	kind uint8
	tok  bool // a token (amount, ID, date): printed whole on one line or not at all
	key  Key  // the label's key, numKeys when not a label
}

// span is one laid-out line of a label: bytes [i, j), width w.
type span struct{ i, j, w int }

// src is caller text, which may wrap; id is a caller token (an
// identifier), which may not; raw is a token we formatted.
func src(s string) seg  { return seg{s: s, w: -1, kind: kSrc, key: numKeys} }
func id(s string) seg   { return seg{s: s, w: -1, kind: kSrc, key: numKeys, tok: true} }
func raw(b []byte) seg  { return seg{b: b, w: len(b), kind: kRaw, key: numKeys, tok: true} }
func (g *seg) len() int { return len(g.s) + len(g.b) }

// writer lays out one document; it lives on the caller's stack.
type writer struct {
	p      *Printer
	out    []byte
	mode   mode
	style  uint8 // current printer style (ESC/POS)
	pend   int   // spaces owed before the next character of this line
	digits uint8 // minor-unit digits of the document's currency
	err    error // the first layout error; the output is then discarded
}

// tooNarrow records that the value of label l, vw columns wide, cannot be
// printed whole on a line of lim columns.
func (w *writer) tooNarrow(l *seg, vw, lim int) {
	if w.err != nil {
		return
	}
	name := "a value"
	if l.key < numKeys {
		name = labels[l.key].en
	}
	w.err = fmt.Errorf("%w: %s needs %d columns, the line has %d", ErrTooNarrow, name, vw, lim)
}

func (w *writer) key(k Key, colon bool) seg {
	c := 0
	if colon {
		c = 1
	}
	l := &w.p.txt[k][c]
	if w.mode == modeESC {
		l = &w.p.esc[k][c]
	}
	return seg{s: l.s, w: l.w, lab: l, kind: kPre, key: k}
}

// unit returns the end of the unit (character) of g starting at i, its
// width, and its byte when it is ASCII (0 otherwise). Only a prepared label
// yields '\n'; in caller text every control character reads as '?'.
func (w *writer) unit(g *seg, i int) (j, wd int, c byte) {
	switch g.kind {
	case kRaw:
		return i + 1, 1, g.b[i]
	case kPre:
		b := g.s[i]
		if b < 0x80 {
			return i + 1, 1, b
		}
		if w.mode == modeESC {
			if w.p.cp == GB18030 && i+1 < len(g.s) {
				return i + 2, 2, 0
			}
			return i + 1, 1, 0
		}
	}
	b := g.s[i]
	if b < 0x80 {
		if b < 0x20 || b == 0x7F {
			b = '?'
		}
		return i + 1, 1, b
	}
	r, size := decodeRune(g.s, i)
	if w.mode == modeESC {
		_, n := escMap(w.p.gb, w.p.cp, r)
		return i + size, n, 0
	}
	return i + size, runeWidth(textRune(r, size)), 0
}

// put appends the unit [i, j) of g.
func (w *writer) put(g *seg, i, j int) {
	if w.pend > 0 {
		w.flush()
	}
	switch g.kind {
	case kRaw:
		w.out = append(w.out, g.b[i:j]...)
		return
	case kPre:
		w.out = append(w.out, g.s[i:j]...)
		return
	}
	b := g.s[i]
	if b < 0x80 {
		if b < 0x20 || b == 0x7F {
			b = '?'
		}
		w.out = append(w.out, b)
		return
	}
	r, size := decodeRune(g.s, i)
	if w.mode == modeESC {
		c, n := escMap(w.p.gb, w.p.cp, r)
		if n == 2 {
			w.out = append(w.out, byte(c>>8), byte(c))
		} else {
			w.out = append(w.out, byte(c))
		}
		return
	}
	if textRune(r, size) != r {
		w.out = append(w.out, '?')
		return
	}
	w.out = append(w.out, g.s[i:j]...)
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) with the 3-byte sequences
// of CJK text decoded inline.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c >= 0xE0 && c < 0xF0 && i+2 < len(s) {
		c1, c2 := s[i+1], s[i+2]
		if c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			r := rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F)
			if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				return r, 3
			}
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

// emit appends the units [i, end) of g.
func (w *writer) emit(g *seg, i, end int) {
	if w.pend > 0 {
		w.flush()
	}
	switch {
	case g.kind == kRaw:
		w.out = append(w.out, g.b[i:end]...)
	case g.kind == kPre:
		w.out = append(w.out, g.s[i:end]...)
	case w.mode == modeESC:
		w.encodeESC(g.s[i:end])
	default:
		for k := i; k < end; {
			j, _, _ := w.unit(g, k)
			w.put(g, k, j)
			k = j
		}
	}
}

// encodeESC appends caller text s in the printer's code page.
func (w *writer) encodeESC(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 || c == 0x7F {
				c = '?'
			}
			w.out = append(w.out, c)
			i++
			continue
		}
		r, size := decodeRune(s, i)
		i += size
		code, n := escMap(w.p.gb, w.p.cp, r)
		if n == 2 {
			w.out = append(w.out, byte(code>>8), byte(code))
		} else {
			w.out = append(w.out, byte(code))
		}
	}
}

// putAll appends all of g, which must hold no line break.
func (w *writer) putAll(g *seg) {
	w.emit(g, 0, g.len())
}

// width returns the columns of g, or lineBreakWidth if it holds a break.
func (w *writer) width(g *seg) int {
	if g.w >= 0 {
		return g.w
	}
	n := 0
	if w.mode == modeESC {
		s := g.s
		for i := 0; i < len(s); {
			if s[i] < 0x80 {
				n++
				i++
				continue
			}
			r, size := decodeRune(s, i)
			i += size
			_, k := escMap(w.p.gb, w.p.cp, r)
			n += k
		}
		g.w = n
		return n
	}
	for i := 0; i < len(g.s); {
		j, wd, _ := w.unit(g, i)
		n += wd
		i = j
	}
	g.w = n
	return n
}

const dashes = "----------------------------------------------------------------"

const spaces = "                                                                "

func (w *writer) flush() {
	for w.pend > 0 {
		n := min(w.pend, len(spaces))
		w.out = append(w.out, spaces[:n]...)
		w.pend -= n
	}
}

func (w *writer) nl() {
	w.pend = 0
	w.out = append(w.out, '\n')
}

// cols returns the columns of a line in style st.
func (w *writer) cols(st uint8) int {
	if st&sWide != 0 && w.mode == modeESC {
		return w.p.cols / 2
	}
	return w.p.cols
}

// setStyle switches the printer to style st.
func (w *writer) setStyle(st uint8) {
	if w.mode != modeESC || st == w.style {
		return
	}
	if (st^w.style)&sBold != 0 {
		w.out = append(w.out, 0x1B, 'E', st&sBold)
	}
	if (st^w.style)&(sTall|sWide) != 0 {
		var n byte
		if st&sTall != 0 {
			n |= 0x01
		}
		if st&sWide != 0 {
			n |= 0x10
		}
		w.out = append(w.out, 0x1D, '!', n)
		if w.p.cp == GB18030 {
			// Chinese characters take their size from FS ! on many
			// printers: bit 2 double width, bit 3 double height.
			w.out = append(w.out, 0x1C, '!', n<<3&0x08|n>>2&0x04)
		}
	}
	w.style = st
}

// line finds the next line of g from i that fits in lim columns. It
// returns the end of the line's text, where the next line starts, and the
// line's width. It breaks after a space (dropped), before '(' and around
// double-width characters, and only between characters: a character is
// never split.
func (w *writer) line(g *seg, i, lim int) (end, next, wd int) {
	if w.mode == modeESC && g.kind == kPre {
		return lineBytes(g.s, i, lim, w.p.cp == GB18030)
	}
	start := i
	brk, brkNext, brkW := -1, 0, 0
	n := g.len()
	for i < n {
		j, uw, c := w.unit(g, i)
		if c == '\n' {
			return i, j, wd
		}
		if wd+uw > lim {
			if brk > start {
				return brk, brkNext, brkW
			}
			if i == start {
				return j, j, uw
			}
			return i, i, wd
		}
		switch {
		case c == ' ':
			brk, brkNext, brkW = i, j, wd
		case c == '(' || uw == 2:
			brk, brkNext, brkW = i, i, wd
		}
		wd += uw
		i = j
		if uw == 2 {
			brk, brkNext, brkW = i, i, wd
		}
	}
	return n, n, wd
}

// lineBytes is line for printer bytes: ASCII 1 column, a GB18030 2-byte
// code (when gb) 2 columns.
func lineBytes(s string, i, lim int, gb bool) (end, next, wd int) {
	start := i
	brk, brkNext, brkW := -1, 0, 0
	n := len(s)
	for i < n {
		c := s[i]
		j, uw := i+1, 1
		if c >= 0x80 && gb && i+1 < n {
			j, uw = i+2, 2
		}
		if c == '\n' {
			return i, j, wd
		}
		if wd+uw > lim {
			if brk > start {
				return brk, brkNext, brkW
			}
			if i == start {
				return j, j, uw
			}
			return i, i, wd
		}
		switch {
		case c == ' ':
			brk, brkNext, brkW = i, j, wd
		case c == '(' || uw == 2:
			brk, brkNext, brkW = i, i, wd
		}
		wd += uw
		i = j
		if uw == 2 {
			brk, brkNext, brkW = i, i, wd
		}
	}
	return n, n, wd
}

// skipSpaces returns the index of the first non-space unit of g from i.
func (w *writer) skipSpaces(g *seg, i int) int {
	for n := g.len(); i < n; {
		j, _, c := w.unit(g, i)
		if c != ' ' {
			break
		}
		i = j
	}
	return i
}

// text prints g wrapped to the line, aligned.
func (w *writer) text(a align, st uint8, g seg) {
	if g.len() == 0 {
		return
	}
	if w.mode == modeHTML {
		w.htmlOpen("div", a, st)
		w.htmlText(&g)
		w.out = append(w.out, "</div>\n"...)
		return
	}
	w.setStyle(st)
	lim := w.cols(st)
	if g.lab != nil && (lim == w.p.cols || lim == w.p.cols/2) {
		lines := g.lab.lines
		if lim != w.p.cols {
			lines = g.lab.half
		}
		for _, sp := range lines {
			w.pad(a, lim-sp.w)
			w.emit(&g, sp.i, sp.j)
			w.nl()
		}
		return
	}
	for i, n := 0, g.len(); i < n; {
		i = w.skipSpaces(&g, i)
		if i >= n {
			break
		}
		end, next, wd := w.line(&g, i, lim)
		w.pad(a, lim-wd)
		w.emit(&g, i, end)
		w.nl()
		i = next
	}
}

// layout returns the lines of g at lim columns, as text prints them.
func (w *writer) layout(g seg, lim int) []span {
	var out []span
	for i, n := 0, g.len(); i < n; {
		i = w.skipSpaces(&g, i)
		if i >= n {
			break
		}
		end, next, wd := w.line(&g, i, lim)
		out = append(out, span{i, end, wd})
		i = next
	}
	return out
}

func (w *writer) pad(a align, room int) {
	switch a {
	case centre:
		w.pend = room / 2
	case right:
		w.pend = room
	}
}

// pair prints "label   value" with the value right-aligned; when they do
// not fit on one line the label goes on its own line(s) and the value
// right-aligned below. The value is v1 followed by v2; an empty value
// prints nothing. A token value wider than the line is an error, never
// split; other values wrap.
func (w *writer) pair(l, v1, v2 seg, st uint8) {
	if v1.len()+v2.len() == 0 {
		return
	}
	if w.mode == modeHTML {
		w.htmlOpen("div", left, st|htmlPair)
		w.out = append(w.out, `<span class="k">`...)
		w.htmlText(&l)
		w.out = append(w.out, `</span><span class="v`...)
		if v1.tok || v2.tok {
			w.out = append(w.out, ` n`...)
		}
		w.out = append(w.out, `">`...)
		w.htmlText(&v1)
		w.htmlText(&v2)
		w.out = append(w.out, "</span></div>\n"...)
		return
	}
	lim := w.cols(st)
	if w.mode == modeESC {
		// Printer width is encoded length: encode the value once, after
		// the label, and shift it right if it fits on the line.
		lw := w.width(&l)
		if lw+1 < lim {
			w.setStyle(st)
			mark := len(w.out)
			w.putAll(&l)
			vs := len(w.out)
			w.putAll(&v1)
			w.putAll(&v2)
			ve := len(w.out)
			if vw := ve - vs; lw+1+vw <= lim {
				pad := lim - lw - vw
				w.out = append(w.out, spaces[:min(pad, len(spaces))]...)
				for len(w.out) < ve+pad {
					w.out = append(w.out, ' ')
				}
				copy(w.out[vs+pad:], w.out[vs:ve])
				for i := vs; i < vs+pad; i++ {
					w.out[i] = ' '
				}
				w.nl()
				return
			}
			w.out = w.out[:mark]
		}
	}
	lw, vw := w.width(&l), w.width(&v1)+w.width(&v2)
	if lw+1+vw <= lim {
		w.setStyle(st)
		w.putAll(&l)
		w.pend = lim - lw - vw
		w.putAll(&v1)
		w.putAll(&v2)
		w.nl()
		return
	}
	if vw > lim && (v1.tok || v2.tok) {
		w.tooNarrow(&l, vw, lim)
		return
	}
	w.text(left, st, l)
	if vw <= lim {
		w.setStyle(st)
		w.pend = lim - vw
		w.putAll(&v1)
		w.putAll(&v2)
		w.nl()
		return
	}
	w.text(right, st, v1)
	w.text(right, st, v2)
}

// cell is one column of a table row.
type cell struct {
	g     seg
	width int
	a     align
}

// row prints a table row of three cells separated by a space; a cell too
// long for its column wraps inside it.
func (w *writer) row(c [3]cell, st uint8) {
	if w.mode == modeHTML {
		w.htmlOpen("div", left, st|htmlRow)
		for k := range c {
			w.out = append(w.out, "<span"...)
			if c[k].g.tok {
				w.out = append(w.out, ` class="n"`...)
			}
			w.out = append(w.out, '>')
			w.htmlText(&c[k].g)
			w.out = append(w.out, "</span>"...)
		}
		w.out = append(w.out, "</div>\n"...)
		return
	}
	for k := range c {
		if g := &c[k].g; g.tok && w.width(g) > c[k].width {
			w.tooNarrow(&c[0].g, w.width(g), c[k].width)
			return
		}
	}
	w.setStyle(st)
	var pos [3]int
	for {
		more := false
		for k := range c {
			pos[k] = w.skipSpaces(&c[k].g, pos[k])
			if pos[k] < c[k].g.len() {
				more = true
			}
		}
		if !more {
			return
		}
		for k := range c {
			g := &c[k].g
			if k > 0 {
				w.pend++
			}
			if pos[k] >= g.len() {
				w.pend += c[k].width
				continue
			}
			end, next, wd := w.line(g, pos[k], c[k].width)
			room := c[k].width - wd
			switch c[k].a {
			case centre:
				w.pend += room / 2
				room -= room / 2
			case right:
				w.pend += room
				room = 0
			}
			w.emit(g, pos[k], end)
			w.pend += room
			pos[k] = next
		}
		w.nl()
	}
}

func (w *writer) rule() {
	switch w.mode {
	case modeHTML:
		w.out = append(w.out, "<hr/>\n"...)
		return
	}
	w.setStyle(0)
	for n := w.p.cols; n > 0; {
		k := min(n, len(dashes))
		w.out = append(w.out, dashes[:k]...)
		n -= k
	}
	w.nl()
}

// signature prints the signature label and room to sign.
func (w *writer) signature() {
	w.text(left, 0, w.key(KeySignature, true))
	if w.mode == modeHTML {
		w.out = append(w.out, "<div class=\"sig\"></div>\n"...)
		return
	}
	w.blank(3)
	w.rule()
}

// blank prints n empty lines.
func (w *writer) blank(n int) {
	if w.mode == modeHTML {
		w.out = append(w.out, "<br/>\n"...)
		return
	}
	for ; n > 0; n-- {
		w.nl()
	}
}

// qr prints data as a QR code with error correction level M: ESC/POS GS
// ( k (model 2), inline SVG in HTML, centred text in the text renderer.
func (w *writer) qr(data string) {
	if data == "" {
		return
	}
	if w.mode == modeHTML {
		b, err := qrBitmap(data)
		if err != nil {
			if w.err == nil {
				w.err = err
			}
			return
		}
		w.out = append(w.out, "<div class=\"c code\">"...)
		w.out = appendSVG(w.out, b, 4, "qr", 0)
		w.out = append(w.out, "</div>\n"...)
		return
	}
	if w.mode != modeESC {
		w.codeText(data)
		return
	}
	w.setStyle(0)
	size := byte(6)
	if w.p.cols < 42 {
		size = 4
	}
	n := len(data) + 3
	w.out = append(w.out,
		0x1B, 'a', 1, // centre
		0x1D, '(', 'k', 4, 0, '1', 'A', '2', 0, // model 2
		0x1D, '(', 'k', 3, 0, '1', 'C', size, // module size
		0x1D, '(', 'k', 3, 0, '1', 'E', '1', // error correction M
		0x1D, '(', 'k', byte(n), byte(n>>8), '1', 'P', '0')
	w.out = append(w.out, data...)
	w.out = append(w.out,
		0x1D, '(', 'k', 3, 0, '1', 'Q', '0', // print
		'\n', 0x1B, 'a', 0)
}

// codeText prints the data of a QR code or barcode as text: centred when
// it fits on a line, else from the left margin, wrapped.
func (w *writer) codeText(data string) {
	g := src(data)
	if w.mode != modeHTML && w.width(&g) > w.p.cols {
		w.text(left, 0, g)
		return
	}
	w.text(centre, 0, g)
}

// barcode prints data (printable ASCII) as a CODE128 barcode, code set B,
// with its digits below it (GS k, function B).
func (w *writer) barcode(data string) {
	if data == "" {
		return
	}
	if w.mode != modeESC {
		w.codeText(data)
		return
	}
	w.setStyle(0)
	module := byte(2)
	if len(data)*22 > w.p.cols*12 { // 11 modules a character, 12 dots a column
		module = 1
	}
	w.out = append(w.out,
		0x1B, 'a', 1,
		0x1D, 'h', 80, // height in dots
		0x1D, 'w', module,
		0x1D, 'H', 2, // HRI below
		0x1D, 'k', 73, byte(len(data)+2), '{', 'B')
	w.out = append(w.out, data...)
	w.out = append(w.out, '\n', 0x1B, 'a', 0)
}

// begin starts a document: printer initialisation and code page, or the
// HTML head; then the logo.
func (w *writer) begin(title Key) {
	switch w.mode {
	case modeESC:
		w.out = append(w.out, 0x1B, '@')
		if w.p.cp == GB18030 {
			w.out = append(w.out, 0x1C, '&')
		} else {
			w.out = append(w.out, 0x1C, '.', 0x1B, 't', codePages[w.p.cp].n)
		}
		w.out = append(w.out, w.p.logoESC...)
	case modeHTML:
		w.htmlHead(title)
		if w.p.logo != nil {
			w.out = append(w.out, "<div class=\"c\">"...)
			w.out = append(w.out, w.p.logoSVG...)
			w.out = append(w.out, "</div>\n"...)
		}
	}
}

// title prints the document's title, then the Printer's header lines.
func (w *writer) title(k Key) {
	w.text(centre, sBold|sTall|sWide, w.key(k, false))
	for _, h := range w.p.header {
		w.text(centre, 0, src(h))
	}
}

// end prints the Printer's footer lines and ends the document: feed and
// cut, or the HTML closing tags.
func (w *writer) end() {
	for _, f := range w.p.footer {
		w.text(centre, 0, src(f))
	}
	switch w.mode {
	case modeESC:
		w.setStyle(0)
		w.out = append(w.out, 0x1B, 'd', 3)
		if w.p.cut {
			w.out = append(w.out, 0x1D, 'V', 66, 0)
		}
	case modeHTML:
		w.out = append(w.out, "</div>\n</body>\n</html>\n"...)
	}
}
