package receipt

import (
	"fmt"
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

// Config sets up a Printer.
type Config struct {
	Profile  Profile        // zero value: Paper58
	Language Language       // zero value: Bilingual
	Labels   map[Key]string // overrides of the language's labels; "\n" breaks a line
	Policy   Policy         // PAN masking, expiry, no-signature limit
	CodePage CodePage       // ESC/POS character set; zero value: GB18030
	NoCut    bool           // omit the final cut (GS V) in ESC/POS output
}

type lab struct {
	s     string // text in the target form (sanitised UTF-8, or printer bytes)
	w     int    // width in columns; wide when s holds a line break
	lines []span // s laid out on a full line of the profile
	half  []span // and on a line of double-width characters
}

// Printer renders slips for one paper profile, label set and code page. It
// prepares every label once (including its printer bytes), so rendering
// formats only the caller's values. A Printer is immutable and safe for
// concurrent use.
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
}

const lineBreakWidth = 1 << 20 // width given to a label that holds "\n"

// NewPrinter checks cfg and prepares a Printer. Errors: ErrProfile,
// ErrLanguage, ErrLabel, ErrPolicy, ErrCodePage.
func NewPrinter(cfg Config) (*Printer, error) {
	prof := cfg.Profile
	if prof == (Profile{}) {
		prof = Paper58
	}
	if prof.Columns < 24 || prof.Columns > 255 || prof.WidthMM < 0 || prof.WidthMM > 1000 {
		return nil, fmt.Errorf("receipt: %d columns: %w", prof.Columns, ErrProfile)
	}
	if cfg.Language >= numLanguages {
		return nil, ErrLanguage
	}
	if cfg.Policy.Mask >= numPolicies {
		return nil, ErrPolicy
	}
	if cfg.Policy.NoSignatureLimit < 0 {
		return nil, fmt.Errorf("receipt: no-signature limit: %w", ErrAmount)
	}
	if cfg.CodePage >= numCodePages {
		return nil, ErrCodePage
	}
	p := &Printer{cols: prof.Columns, prof: prof, lang: cfg.Language, policy: cfg.Policy, cp: cfg.CodePage, cut: !cfg.NoCut}
	p.gb = gbTable()
	for k := range cfg.Labels {
		if k >= numKeys {
			return nil, fmt.Errorf("receipt: key %d: %w", k, ErrLabel)
		}
	}
	for k := Key(0); k < numKeys; k++ {
		s, ok := cfg.Labels[k]
		if !ok {
			s = Label(cfg.Language, k)
		}
		for c := 0; c < 2; c++ {
			if c == 1 {
				s += ":"
			}
			p.txt[k][c] = p.prepText(s)
			p.esc[k][c] = p.prepESC(s)
			for m, l := range [2]*lab{&p.txt[k][c], &p.esc[k][c]} {
				w := writer{p: p, mode: [2]mode{modeText, modeESC}[m]}
				l.lines = w.layout(seg{s: l.s, w: l.w, kind: kPre}, p.cols)
				l.half = w.layout(seg{s: l.s, w: l.w, kind: kPre}, p.cols/2)
			}
		}
	}
	return p, nil
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

// prepESC encodes a label for the printer, keeping "\n".
func (p *Printer) prepESC(s string) lab {
	b := make([]byte, 0, len(s))
	w := 0
	for _, r := range s {
		if r == '\n' {
			b = append(b, '\n')
			w = lineBreakWidth
			continue
		}
		c, n := escMap(p.gb, p.cp, r)
		if n == 2 {
			b = append(b, byte(c>>8), byte(c))
		} else {
			b = append(b, byte(c))
		}
		w += n
	}
	return lab{s: string(b), w: w}
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
		if err := d.check(); err != nil {
			return dst, err
		}
		w.begin(KeyTitle)
		w.slip(d)
	case *Settlement:
		if err := d.check(); err != nil {
			return dst, err
		}
		w.begin(KeySettleTitle)
		w.settlement(d)
	default:
		return dst, ErrNil
	}
	w.end()
	return w.out, nil
}

// AppendText appends d as plain UTF-8 text, one line per printed line, to
// dst. Lines are at most Profile.Columns wide by TextWidth. Like
// AppendESCPOS it does not allocate when dst has room.
func (p *Printer) AppendText(dst []byte, d Document) ([]byte, error) {
	return p.render(dst, modeText, d)
}

// AppendESCPOS appends the ESC/POS byte stream that prints d to dst:
// initialise, character set, the lines, then feed and cut. Labels are
// encoded once by NewPrinter; with a dst of enough capacity, rendering a
// slip does not allocate.
func (p *Printer) AppendESCPOS(dst []byte, d Document) ([]byte, error) {
	return p.render(dst, modeESC, d)
}

// AppendHTML appends d as a standalone, printable HTML (and well-formed
// XHTML) e-receipt to dst. Every caller text is escaped.
func (p *Printer) AppendHTML(dst []byte, d Document) ([]byte, error) {
	return p.render(dst, modeHTML, d)
}

func (p *Printer) write(w io.Writer, m mode, d Document) error {
	b, err := p.render(make([]byte, 0, 2048), m, d)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("receipt: write: %w", err)
	}
	return nil
}

// WriteText writes d as plain text to w.
func (p *Printer) WriteText(w io.Writer, d Document) error { return p.write(w, modeText, d) }

// WriteESCPOS writes the ESC/POS bytes of d to w.
func (p *Printer) WriteESCPOS(w io.Writer, d Document) error { return p.write(w, modeESC, d) }

// WriteHTML writes d as an HTML e-receipt to w.
func (p *Printer) WriteHTML(w io.Writer, d Document) error { return p.write(w, modeHTML, d) }
