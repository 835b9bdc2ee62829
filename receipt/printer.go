package receipt

import (
	"fmt"
	"image"
	"io"
	"unicode/utf8"
)

// Profile is a paper width: the number of columns of the printer's normal
// font (an ASCII character takes 1 column, a Chinese character 2).
type Profile struct {
	Name    string // shown in the HTML title; free text
	WidthMM int    // paper width in millimetres, for the HTML page size; 0 = unknown
	Columns int    // characters per line in the normal font, 24 to 255
}

// Paper profiles of common thermal printers.
var (
	Paper58    = Profile{Name: "58mm", WidthMM: 58, Columns: 32} // 384 dots, 12×24 font
	Paper80    = Profile{Name: "80mm", WidthMM: 80, Columns: 48} // 576 dots, 12×24 font
	Paper80x42 = Profile{Name: "80mm-42", WidthMM: 80, Columns: 42}
)

// dotsPerColumn is the width of a column in printer dots: the 12×24 font
// of 203 dpi thermal printers (384 dots on 58 mm paper, 576 on 80 mm).
const dotsPerColumn = 12

// Config sets up a Printer.
type Config struct {
	Profile  Profile        // zero value: Paper58
	Language Language       // zero value: Bilingual
	Labels   map[Key]string // overrides of the language's labels; "\n" breaks a line
	Policy   Policy         // PAN masking, expiry, no-signature limit
	CodePage CodePage       // ESC/POS character set; zero value: GB18030
	NoCut    bool           // omit the final cut (GS V) in ESC/POS output

	// Logo, when set, is printed centred at the top of every document:
	// as a raster image (GS v 0) on ESC/POS, inline SVG of the same dots
	// (at 203 dots an inch) in HTML, not in text. It is reduced to 1 bit (dark and opaque pixels print) and
	// scaled down to the paper width (12 dots a column); at most 1024
	// dots high after scaling.
	Logo image.Image
	// Header lines are printed centred below the title of every document,
	// Footer lines centred at the very end (after the slip's own Footer).
	Header, Footer []string
}

type lab struct {
	s     string // text in the target form (sanitised UTF-8, or printer bytes)
	w     int    // width in columns; wide when s holds a line break
	lines []span // s laid out on a full line of the profile
	half  []span // and on a line of double-width characters
}

// Printer renders slips for one paper profile, label set and code page. It
// prepares every label and the logo once (including their printer bytes),
// so rendering formats only the caller's values. A Printer is immutable and
// safe for concurrent use.
type Printer struct {
	cols   int
	prof   Profile
	lang   Language
	policy Policy
	cp     CodePage
	cut    bool
	gb     *[0x10000]uint16
	// txt and esc hold each key's label without and with a trailing colon.
	txt [numKeys][2]lab
	esc [numKeys][2]lab

	header, footer []string
	logo           *bitmap // nil without a logo
	logoESC        []byte  // GS v 0 command of the logo
	logoSVG        string  // inline SVG of the logo
}

const lineBreakWidth = 1 << 20 // width given to a label that holds "\n"

// NewPrinter checks cfg and prepares a Printer. Errors: [ErrProfile],
// [ErrLanguage], [ErrLabel] (an unknown key, or a label holding a control
// character), [ErrPolicy], [ErrAmount] (a negative no-signature limit),
// [ErrCodePage] (an unknown code page, or a label the code page cannot
// print, such as Chinese labels on a single-byte code page), [ErrLogo].
func NewPrinter(cfg Config) (*Printer, error) {
	prof := cfg.Profile
	if prof == (Profile{}) {
		prof = Paper58
	}
	if err := checkConfig(prof, &cfg); err != nil {
		return nil, err
	}
	p := &Printer{cols: prof.Columns, prof: prof, lang: cfg.Language, policy: cfg.Policy, cp: cfg.CodePage, cut: !cfg.NoCut,
		header: append([]string(nil), cfg.Header...), footer: append([]string(nil), cfg.Footer...)}
	p.gb = gbTable()
	for k := Key(0); k < numKeys; k++ {
		s, ok := cfg.Labels[k]
		if !ok {
			s = Label(cfg.Language, k)
		}
		for c := 0; c < 2; c++ {
			if c == 1 {
				s += ":"
			}
			var bad rune
			p.txt[k][c] = p.prepText(s)
			if p.esc[k][c], bad = p.prepESC(s); bad >= 0 {
				return nil, fmt.Errorf("%w: label key %d: U+%04X", ErrCodePage, k, bad)
			}
			for m, l := range [2]*lab{&p.txt[k][c], &p.esc[k][c]} {
				w := writer{p: p, mode: [2]mode{modeText, modeESC}[m]}
				l.lines = w.layout(seg{s: l.s, w: l.w, kind: kPre}, p.cols)
				l.half = w.layout(seg{s: l.s, w: l.w, kind: kPre}, p.cols/2)
			}
		}
	}
	if cfg.Logo != nil {
		bm, err := logoBitmap(cfg.Logo, p.cols*dotsPerColumn)
		if err != nil {
			return nil, err
		}
		p.logo, p.logoESC, p.logoSVG = bm, bm.rasterESC(), string(appendSVG(nil, bm, 0, "logo", bm.w*96/203))
	}
	return p, nil
}

func checkConfig(prof Profile, cfg *Config) error {
	if prof.Columns < 24 || prof.Columns > 255 || prof.WidthMM < 0 || prof.WidthMM > 1000 {
		return fmt.Errorf("%w: %d columns, %d mm; want 24 to 255 columns", ErrProfile, prof.Columns, prof.WidthMM)
	}
	if cfg.Language >= numLanguages {
		return fmt.Errorf("%w: %d", ErrLanguage, cfg.Language)
	}
	if cfg.Policy.Mask >= numPolicies {
		return fmt.Errorf("%w: %d", ErrPolicy, cfg.Policy.Mask)
	}
	if cfg.Policy.NoSignatureLimit < 0 {
		return fmt.Errorf("%w: negative no-signature limit", ErrAmount)
	}
	if cfg.CodePage >= numCodePages {
		return fmt.Errorf("%w: unknown code page %d", ErrCodePage, cfg.CodePage)
	}
	for k, s := range cfg.Labels {
		if k >= numKeys {
			return fmt.Errorf("%w: unknown key %d", ErrLabel, k)
		}
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != '\n' && textRune(r, size) != r {
				return fmt.Errorf("%w: key %d holds a control or invalid character at byte %d", ErrLabel, k, i)
			}
			i += size
		}
	}
	return nil
}

// Profile returns the printer's paper profile.
func (p *Printer) Profile() Profile { return p.prof }

// prepText sanitises a label for the text and HTML renderers, keeping "\n".
func (p *Printer) prepText(s string) lab {
	b := make([]byte, 0, len(s))
	w := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '\n' {
			b = append(b, '\n')
			w = lineBreakWidth
			continue
		}
		r = textRune(r, size)
		b = utf8.AppendRune(b, r)
		w += runeWidth(r)
	}
	return lab{s: string(b), w: w}
}

// prepESC encodes a label for the printer, keeping "\n". It returns the
// first character the code page cannot print, or -1: a label is never
// printed as '?'.
func (p *Printer) prepESC(s string) (lab, rune) {
	b := make([]byte, 0, len(s))
	w := 0
	for _, r := range s {
		if r == '\n' {
			b = append(b, '\n')
			w = lineBreakWidth
			continue
		}
		c, n := escMap(p.gb, p.cp, r)
		if c == '?' && r != '?' {
			return lab{}, r
		}
		if n == 2 {
			b = append(b, byte(c>>8), byte(c))
		} else {
			b = append(b, byte(c))
		}
		w += n
	}
	return lab{s: string(b), w: w}, -1
}

// ESCPOSWidth returns the columns s takes on this printer: the length of
// its encoding in the printer's code page, after transliteration.
func (p *Printer) ESCPOSWidth(s string) int {
	n := 0
	for _, r := range s {
		_, k := escMap(p.gb, p.cp, r)
		n += k
	}
	return n
}

func (p *Printer) render(dst []byte, m mode, d Document) ([]byte, error) {
	if p == nil || d == nil {
		return dst, ErrNil
	}
	w := writer{p: p, mode: m, out: dst}
	switch d := d.(type) {
	case *Slip:
		digits, err := d.check()
		if err != nil {
			return dst, err
		}
		w.digits = digits
		w.begin(d.titleKey())
		w.slip(d)
	case *SettlementSlip:
		var t sums
		digits, err := d.check(&t)
		if err != nil {
			return dst, err
		}
		w.digits = digits
		w.begin(KeySettleTitle)
		w.settlement(d, &t)
	case *DownloadSlip:
		if err := d.check(); err != nil {
			return dst, err
		}
		w.begin(KeyDownloadTitle)
		w.download(d)
	default:
		return dst, ErrNil
	}
	w.end()
	if w.err != nil {
		return dst, w.err
	}
	return w.out, nil
}

// AppendText appends d as plain UTF-8 text, one line per printed line, to
// dst. Lines are at most Profile.Columns wide by [TextWidth]. Like
// [Printer.AppendESCPOS] it does not allocate when dst has room. On error
// dst is returned unchanged.
func (p *Printer) AppendText(dst []byte, d Document) ([]byte, error) {
	return p.render(dst, modeText, d)
}

// AppendESCPOS appends the ESC/POS byte stream that prints d to dst:
// initialise, character set, the logo, the lines, the QR code and barcode,
// then feed and cut. Labels are encoded once by [NewPrinter]; with a dst of
// enough capacity, rendering a slip does not allocate. On error dst is
// returned unchanged.
func (p *Printer) AppendESCPOS(dst []byte, d Document) ([]byte, error) {
	return p.render(dst, modeESC, d)
}

// AppendHTML appends d as a standalone, printable HTML (and well-formed
// XHTML) e-receipt to dst, with the QR code as inline SVG. Every caller
// text is escaped. On error dst is returned unchanged.
func (p *Printer) AppendHTML(dst []byte, d Document) ([]byte, error) {
	return p.render(dst, modeHTML, d)
}

func (p *Printer) write(w io.Writer, m mode, d Document) error {
	b, err := p.render(make([]byte, 0, 2048), m, d)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
}

// WriteText writes d as plain text to w. Errors: those of
// [Printer.AppendText], or [ErrWrite] wrapping w's error.
func (p *Printer) WriteText(w io.Writer, d Document) error { return p.write(w, modeText, d) }

// WriteESCPOS writes the ESC/POS bytes of d to w. Errors: those of
// [Printer.AppendESCPOS], or [ErrWrite] wrapping w's error.
func (p *Printer) WriteESCPOS(w io.Writer, d Document) error { return p.write(w, modeESC, d) }

// WriteHTML writes d as an HTML e-receipt to w. Errors: those of
// [Printer.AppendHTML], or [ErrWrite] wrapping w's error.
func (p *Printer) WriteHTML(w io.Writer, d Document) error { return p.write(w, modeHTML, d) }
