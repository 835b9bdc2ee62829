package receipt

import "unicode/utf8"

// HTML-only style bits.
const (
	htmlPair = 1 << (iota + 3)
	htmlRow
)

// css lays the slip out like the paper: a token (amount, ID, date: class
// "n") never wraps, a pair's value moves whole below its label when the two
// do not fit, and caller text is isolated from the bidirectional ordering
// of its neighbours.
const css = `body{margin:0;background:#fff;color:#000}
.slip{font-family:"SimSun","Noto Sans Mono CJK SC","Noto Sans CJK SC","Courier New",monospace;font-size:12px;line-height:1.35;margin:0 auto;padding:2mm;box-sizing:border-box;max-width:100%}
.slip div{white-space:pre-wrap;overflow-wrap:break-word}
.slip span{unicode-bidi:isolate}
.n{white-space:nowrap}
.c{text-align:center}.r{text-align:right}.b{font-weight:bold}.t{font-size:1.5em}.w{letter-spacing:.2em}
.p{display:flex;flex-wrap:wrap;justify-content:space-between;column-gap:1ch}.p .v{margin-left:auto;text-align:right}
.row{display:flex;flex-wrap:wrap;column-gap:1ch}.row span:first-child{flex:1 0 6ch}.row span+span{margin-left:auto;text-align:right;min-width:7ch}
hr{border:0;border-top:1px dashed #000;margin:1mm 0}
.sig{height:4em;border-bottom:1px solid #000}
svg.qr{width:40mm;max-width:100%;height:auto}
svg.logo{max-width:100%;height:auto}
@media print{body{margin:0}.slip{padding:0}}
`

func (w *writer) htmlHead(title Key) {
	w.out = append(w.out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\""...)
	switch w.p.lang {
	case English:
		w.out = append(w.out, "en"...)
	case TraditionalChinese, BilingualTraditional:
		w.out = append(w.out, "zh-Hant"...)
	default:
		w.out = append(w.out, "zh-CN"...)
	}
	w.out = append(w.out, "\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\"/>\n"+
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>"...)
	t := w.key(title, false)
	n := len(w.out)
	w.htmlText(&t)
	for i := n; i < len(w.out)-4; i++ { // a title holds no markup: <br/> → space
		if string(w.out[i:i+5]) == "<br/>" {
			w.out = append(w.out[:i+1], w.out[i+5:]...)
			w.out[i] = ' '
		}
	}
	w.out = append(w.out, "</title>\n<style>\n"...)
	w.out = append(w.out, css...)
	w.out = append(w.out, ".slip{width:"...)
	w.out = appendUint(w.out, uint64(w.p.cols+4))
	w.out = append(w.out, "ch}\n"...)
	if mm := w.p.prof.WidthMM; mm > 0 {
		w.out = append(w.out, "@page{size:"...)
		w.out = appendUint(w.out, uint64(mm))
		w.out = append(w.out, "mm auto;margin:0}\n@media print{.slip{width:"...)
		w.out = appendUint(w.out, uint64(mm))
		w.out = append(w.out, "mm}}\n"...)
	}
	w.out = append(w.out, "</style>\n</head>\n<body>\n<div class=\"slip\">\n"...)
}

// htmlOpen opens a tag with the classes of alignment a and style st.
func (w *writer) htmlOpen(tag string, a align, st uint8) {
	w.out = append(w.out, '<')
	w.out = append(w.out, tag...)
	w.out = append(w.out, ` class="`...)
	switch a {
	case left:
		w.out = append(w.out, 'l')
	case centre:
		w.out = append(w.out, 'c')
	case right:
		w.out = append(w.out, 'r')
	}
	if st&sBold != 0 {
		w.out = append(w.out, " b"...)
	}
	if st&sTall != 0 {
		w.out = append(w.out, " t"...)
	}
	if st&sWide != 0 {
		w.out = append(w.out, " w"...)
	}
	if st&htmlPair != 0 {
		w.out = append(w.out, " p"...)
	}
	if st&htmlRow != 0 {
		w.out = append(w.out, " row"...)
	}
	w.out = append(w.out, `">`...)
}

// htmlText appends g escaped for HTML text and attribute values; control
// characters and invalid UTF-8 become '?', a label's "\n" becomes <br/>.
func (w *writer) htmlText(g *seg) {
	if g.kind == kRaw {
		w.out = append(w.out, g.b...) // our own ASCII, nothing to escape
		return
	}
	s := g.s
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			i++
			switch {
			case c == '\n' && g.kind == kPre:
				w.out = append(w.out, "<br/>"...)
			case c < 0x20 || c == 0x7F:
				w.out = append(w.out, '?')
			case c == '&':
				w.out = append(w.out, "&amp;"...)
			case c == '<':
				w.out = append(w.out, "&lt;"...)
			case c == '>':
				w.out = append(w.out, "&gt;"...)
			case c == '"':
				w.out = append(w.out, "&#34;"...)
			case c == '\'':
				w.out = append(w.out, "&#39;"...)
			default:
				w.out = append(w.out, c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if textRune(r, size) != r || r == 0xFFFE || r == 0xFFFF { // not XML characters
			w.out = append(w.out, '?')
		} else {
			w.out = append(w.out, s[i:i+size]...)
		}
		i += size
	}
}
