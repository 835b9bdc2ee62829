package main

// wire.go: what both sides share on the wire — the framing, the private
// field 59 that carries the DUKPT key serial number, and the masked trace of
// every frame.

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"time"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/field"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/iso8583"
)

// Spec names the message dialect of a run: "ascii" (ISO 8583:1987 in ASCII,
// DUKPT MACs) or "cup" (China UnionPay, session MAK with the UnionPay MAC).
type Spec string

const (
	SpecASCII Spec = "ascii"
	SpecCUP   Spec = "cup"
)

func (s Spec) dialect() iso8583.Dialect {
	if s == SpecCUP {
		return iso8583.UnionPay
	}
	return iso8583.ISO87
}

func (s Spec) spec() *moov.MessageSpec { return s.dialect().Spec() }

// framing: a 2-byte length and a TPDU; the UnionPay header on the UnionPay
// spec. Frames above 4 KiB are refused before their body is read.
func (s Spec) framing() iso8583.Framing {
	f := iso8583.Framing{Length: iso8583.Length2Binary, TPDU: true, MaxFrame: maxFrame}
	if s == SpecCUP {
		f = iso8583.UnionPayFraming
		f.MaxFrame = maxFrame
	}
	return f
}

const maxFrame = 4096

// The TPDU and UnionPay header a terminal sends (60 0006 0000; POS
// application, version 31, software 31 10 03).
var (
	terminalTPDU   = iso8583.NewTPDU(0x60, 0x0006, 0x0000)
	terminalHeader = iso8583.NewHeader(0x60, 0x31, 0, 0, [3]byte{0x31, 0x10, 0x03})
)

// Field 59 is a private field in both specs (an...999). The example uses it
// for what the specs have no field for: the DUKPT key serial number (field
// 53 is only n16), an AES format 4 PIN block (field 52 holds only 8 bytes)
// and the QR-code exchange. It is a list of tag (2 letters), length (3
// digits) and value:
//
//	KS020FFFF9876543210E00001   key serial number, hex
//	PB032...                    ISO 9564 format 4 PIN block, hex
//	QO005ORDER                  QR operation: ORDER or QUERY
//	QR123000201...              the EMVCo QR payload
type privateData map[string]string

// Field 59 tags.
const (
	tagKSN      = "KS"
	tagPINBlock = "PB"
	tagQROp     = "QO"
	tagQR       = "QR"
)

var errPrivate = errors.New("malformed field 59")

func (p privateData) encode() string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s%03d%s", k, len(p[k]), p[k])
	}
	return b.String()
}

func parsePrivate(s string) (privateData, error) {
	p := privateData{}
	for len(s) > 0 {
		tag, v, rest, err := next59(s)
		if err != nil {
			return nil, err
		}
		p[tag] = v
		s = rest
	}
	return p, nil
}

// next59 splits the first element (tag, 3-digit length, value) off field
// 59; tag and value are substrings of s.
func next59(s string) (tag, value, rest string, err error) {
	if len(s) < 5 {
		return "", "", "", errPrivate
	}
	n := 0
	for i := 2; i < 5; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return "", "", "", errPrivate
		}
		n = n*10 + int(c-'0')
	}
	if len(s) < 5+n {
		return "", "", "", errPrivate
	}
	return s[:2], s[5 : 5+n], s[5+n:], nil
}

// private59 is field 59 as the host reads it: the elements it knows, each
// a substring of the field (no map, no copy). A repeated tag keeps its last
// value, as parsePrivate does; other tags are skipped.
type private59 struct {
	ksn, pinBlock, qrOp, qr string
}

// parse59 reads field 59 (empty when absent) into a private59.
func parse59(s string) (private59, error) {
	var p private59
	for len(s) > 0 {
		tag, v, rest, err := next59(s)
		if err != nil {
			return private59{}, err
		}
		switch tag {
		case tagKSN:
			p.ksn = v
		case tagPINBlock:
			p.pinBlock = v
		case tagQROp:
			p.qrOp = v
		case tagQR:
			p.qr = v
		}
		s = rest
	}
	return p, nil
}

// private returns field 59 of m, decoded (empty when absent).
func private(m *moov.Message) (privateData, error) {
	if m.GetField(59) == nil {
		return privateData{}, nil
	}
	s, err := m.GetString(59)
	if err != nil {
		return nil, err
	}
	return parsePrivate(s)
}

// message turns a typed transaction into a moov message and adds field 59.
func message(spec *moov.MessageSpec, tx *iso8583.Transaction, p privateData) (*moov.Message, error) {
	m, err := tx.Message(spec)
	if err != nil {
		return nil, err
	}
	if len(p) > 0 {
		if err := m.Field(59, p.encode()); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// link is one end of a TCP connection that carries frames.
type link struct {
	conn    net.Conn
	framing iso8583.Framing
	r       *iso8583.Reader
	w       *iso8583.Writer
}

func newLink(c net.Conn, f iso8583.Framing) *link {
	return &link{conn: c, framing: f, r: iso8583.NewReader(c, f), w: iso8583.NewWriter(c, f)}
}

func (l *link) close() error { return l.conn.Close() }

// tracer writes the readable trace. A nil *tracer (-quiet) writes nothing.
// It is safe for concurrent use: the host and the terminal share one.
type tracer struct {
	mu sync.Mutex
	w  io.Writer
}

func (t *tracer) printf(format string, args ...any) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, format, args...)
}

// frame traces one frame: who sent it, a hex dump of the bytes on the wire
// with the sensitive fields' bytes shown as "**", and the fields, masked by
// iso8583.MaskFilters (PAN 6+4, no track, PIN block, keys or sensitive ICC
// data) and by a filter of our own for field 59.
func (t *tracer) frame(dir string, fr iso8583.Frame, m *moov.Message, f iso8583.Framing) {
	if t == nil || m == nil {
		return
	}
	wire, err := f.AppendFrame(nil, fr)
	if err != nil {
		t.printf("%s (frame not traceable: %v)\n", dir, err)
		return
	}
	mti, _ := m.GetMTI()
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s, %d bytes on the wire\n", dir, mti, len(wire))
	hexDump(&b, wire, sensitiveRanges(m, len(wire)-len(fr.Message)))
	filters := append(iso8583.MaskFilters(), moov.FilterField("59", maskPrivate))
	var d bytes.Buffer
	if err := moov.Describe(m, &d, filters...); err != nil {
		fmt.Fprintf(&b, "(describe: %v)\n", err)
	}
	// keep the fields, skip moov's title and bitmap lines
	for _, line := range strings.SplitAfter(d.String(), "\n") {
		if strings.HasPrefix(line, "F") {
			b.WriteString("  " + line)
		}
	}
	t.printf("%s\n", b.String())
}

// maskPrivate hides a format 4 PIN block in field 59; the KSN and a QR
// payload are not secret.
func maskPrivate(in string, _ field.Field) string {
	p, err := parsePrivate(in)
	if err != nil {
		return fmt.Sprintf("[%d characters hidden]", len(in))
	}
	if _, ok := p[tagPINBlock]; ok {
		p[tagPINBlock] = strings.Repeat("*", len(p[tagPINBlock]))
	}
	return p.encode()
}

// sensitive lists the fields whose bytes the hex dump hides: PAN, expiry,
// tracks, PIN block and the sign-on keys. Field 55 is hidden tag by tag
// (the values emv.IsSensitive names) and field 59 when it holds a PIN block.
var sensitive = map[int]bool{2: true, 14: true, 35: true, 36: true, 45: true, 52: true, 62: true}

// sensitiveRanges finds where each sensitive field sits in the frame. A
// packed message is the MTI, the bitmap and the fields in ascending order,
// so walking the fields from the last one back gives exact offsets without
// knowing the bitmap's length.
func sensitiveRanges(m *moov.Message, msgStart int) [][2]int {
	ids := make([]int, 0, 16)
	for id := range m.GetFields() {
		if id > 1 {
			ids = append(ids, id)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ids)))
	all := [][2]int{{msgStart, 1 << 30}} // when in doubt, hide the whole message
	packed, err := m.Pack()
	if err != nil {
		return all
	}
	end := msgStart + len(packed)
	var out [][2]int
	for _, id := range ids {
		f := m.GetField(id)
		fp, err := f.Pack()
		if err != nil {
			return all
		}
		start := end - len(fp)
		switch {
		case sensitive[id]:
			out = append(out, [2]int{start, end})
		case id == 59:
			if p, err := private(m); err != nil || p[tagPINBlock] != "" {
				out = append(out, [2]int{start, end})
			}
		case id == 55:
			v, err := f.Bytes()
			if err != nil {
				return all
			}
			// binary on the UnionPay spec, two hex characters a byte on
			// ASCII: the length prefix tells which
			pre, err := f.Spec().Pref.EncodeLength(f.Spec().Length, len(v))
			if err != nil || len(v) == 0 {
				return all
			}
			scale := (len(fp) - len(pre)) / len(v)
			if scale < 1 || scale > 2 || len(pre)+scale*len(v) != len(fp) {
				return all
			}
			valueStart := end - scale*len(v)
			sc := emv.NewScannerMode(v, emv.Lenient)
			for sc.Next() {
				if emv.IsSensitive(sc.Tag()) || sc.Opaque() {
					off := sc.Offset() + len(sc.Raw()) - len(sc.Value())
					out = append(out, [2]int{valueStart + scale*off, valueStart + scale*(off+len(sc.Value()))})
				}
			}
			if sc.Err() != nil {
				out = append(out, [2]int{start, end})
			}
		}
		end = start
	}
	return out
}

// hexDump writes b 16 bytes a line, bytes inside hide shown as "**".
func hexDump(w io.Writer, b []byte, hide [][2]int) {
	hidden := func(i int) bool {
		for _, r := range hide {
			if i >= r[0] && i < r[1] {
				return true
			}
		}
		return false
	}
	for off := 0; off < len(b); off += 16 {
		fmt.Fprintf(w, "  %04x ", off)
		var text [16]byte
		n := 0
		for i := off; i < off+16 && i < len(b); i++ {
			c := b[i]
			if hidden(i) {
				fmt.Fprint(w, " **")
				text[n] = '*'
			} else {
				fmt.Fprintf(w, " %02x", c)
				text[n] = '.'
				if c >= 0x20 && c < 0x7f {
					text[n] = c
				}
			}
			n++
		}
		fmt.Fprintf(w, "%s  |%s|\n", strings.Repeat("   ", 16-n), text[:n])
	}
}

// ioTimeout bounds every read and write of the example (generous: tests
// run under the race detector on busy machines).
const ioTimeout = 15 * time.Second

// hexKey is for the trace: key check values only, never keys.
func hexKey(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }
