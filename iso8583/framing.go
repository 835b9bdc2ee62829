package iso8583

import (
	"errors"
	"fmt"
	"io"
)

// Framing errors.
var (
	// ErrFrameTooLarge reports a length header above the reader's or
	// writer's maximum frame size.
	ErrFrameTooLarge = errors.New("iso8583: frame too large")
	// ErrShortFrame reports a stream that ends inside a frame, or a frame
	// too short to hold its TPDU and header.
	ErrShortFrame = errors.New("iso8583: short frame")
	// ErrFrameLength reports a malformed length header (a non-digit in a
	// BCD or ASCII length, a bad hex digit).
	ErrFrameLength = errors.New("iso8583: malformed frame length")
	// ErrNoProgress reports a stream that keeps returning neither data nor
	// an error; it also matches io.ErrNoProgress.
	ErrNoProgress = errors.New("iso8583: stream makes no progress")
)

// LengthFormat is the length header in front of each frame. The length
// counts the bytes after the header (TPDU, UnionPay header and message).
type LengthFormat uint8

const (
	// LengthNone: no header; the transport delimits frames (a Reader then
	// reads one frame to end of stream).
	LengthNone LengthFormat = iota
	// Length2Binary: 2 bytes, big-endian (0x01 0xAA for 426).
	Length2Binary
	// Length2BCD: 2 bytes of packed BCD (0x04 0x26 for 426).
	Length2BCD
	// Length4ASCII: 4 ASCII digits ("0426").
	Length4ASCII
	// Length4Hex: 4 ASCII hex digits ("01AA").
	Length4Hex
)

func (l LengthFormat) size() int {
	switch l {
	case Length2Binary, Length2BCD:
		return 2
	case Length4ASCII, Length4Hex:
		return 4
	}
	return 0
}

func (l LengthFormat) max() int {
	switch l {
	case Length2BCD, Length4ASCII:
		return 9999
	}
	return 65535
}

func (l LengthFormat) put(dst []byte, n int) {
	switch l {
	case Length2Binary:
		dst[0], dst[1] = byte(n>>8), byte(n)
	case Length2BCD:
		hi, lo := n/100, n%100
		dst[0], dst[1] = byte(hi/10<<4|hi%10), byte(lo/10<<4|lo%10)
	case Length4ASCII:
		for i := 3; i >= 0; i-- {
			dst[i] = byte('0' + n%10)
			n /= 10
		}
	case Length4Hex:
		for i := 3; i >= 0; i-- {
			dst[i] = hexUpper[n&0x0F]
			n >>= 4
		}
	}
}

func (l LengthFormat) parse(src []byte) (int, error) {
	n := 0
	switch l {
	case Length2Binary:
		n = int(src[0])<<8 | int(src[1])
	case Length2BCD:
		for _, b := range src[:2] {
			if b>>4 > 9 || b&0x0F > 9 {
				return 0, ErrFrameLength
			}
			n = n*100 + int(b>>4)*10 + int(b&0x0F)
		}
	case Length4ASCII:
		for _, c := range src[:4] {
			if c-'0' > 9 {
				return 0, ErrFrameLength
			}
			n = n*10 + int(c-'0')
		}
	case Length4Hex:
		for _, c := range src[:4] {
			d, ok := unhex(c)
			if !ok {
				return 0, ErrFrameLength
			}
			n = n<<4 | int(d)
		}
	}
	return n, nil
}

// TPDU is the 5-byte transport protocol data unit in front of a POS
// message: ID (0x60), destination address and source address (2 bytes
// each, e.g. 60 0006 0000).
type TPDU [5]byte

// NewTPDU builds a TPDU.
func NewTPDU(id byte, destination, source uint16) TPDU {
	return TPDU{id, byte(destination >> 8), byte(destination), byte(source >> 8), byte(source)}
}

// ID returns the TPDU ID byte (0x60 for a transaction).
func (t TPDU) ID() byte { return t[0] }

// Destination returns the destination address (NII).
func (t TPDU) Destination() uint16 { return uint16(t[1])<<8 | uint16(t[2]) }

// Source returns the source address.
func (t TPDU) Source() uint16 { return uint16(t[3])<<8 | uint16(t[4]) }

// Reply returns the TPDU for the answer: destination and source swapped.
func (t TPDU) Reply() TPDU { return TPDU{t[0], t[3], t[4], t[1], t[2]} }

// String returns the TPDU in hex.
func (t TPDU) String() string { return fmt.Sprintf("%X", t[:]) }

// Header is the 6-byte UnionPay message header (报文头): application type,
// version, terminal status and processing request (one nibble each) and a
// 3-byte software version, e.g. 60 31 00 31 10 03.
type Header [6]byte

// NewHeader builds a UnionPay header; status and request are nibbles.
func NewHeader(appType, version, status, request byte, software [3]byte) Header {
	return Header{appType, version, status<<4 | request&0x0F, software[0], software[1], software[2]}
}

// AppType is the application type (0x60 for the POS application).
func (h Header) AppType() byte { return h[0] }

// Version is the specification version byte (0x31, 0x22...).
func (h Header) Version() byte { return h[1] }

// TerminalStatus is the terminal status nibble (0 normal, 1 test).
func (h Header) TerminalStatus() byte { return h[2] >> 4 }

// ProcessingRequest is the processing request nibble sent by the host
// (0 none, 1 download parameters, 2 upload status, 3 sign on again, 4
// download public keys, 5 download IC parameters ...).
func (h Header) ProcessingRequest() byte { return h[2] & 0x0F }

// SoftwareVersion is the terminal application version (3 bytes).
func (h Header) SoftwareVersion() [3]byte { return [3]byte{h[3], h[4], h[5]} }

// String returns the header in hex.
func (h Header) String() string { return fmt.Sprintf("%X", h[:]) }

// Framing describes how frames are laid on a stream.
type Framing struct {
	Length LengthFormat
	TPDU   bool // a TPDU follows the length header
	Header bool // a UnionPay header follows the TPDU
	// MaxFrame is the largest frame accepted or written, counting the bytes
	// after the length header; 0 means 8192. It is capped by what the
	// length header can express.
	MaxFrame int
}

// UnionPayFraming is the usual UnionPay POS framing: 2-byte binary
// length, TPDU and 6-byte header.
var UnionPayFraming = Framing{Length: Length2Binary, TPDU: true, Header: true}

func (f Framing) maxFrame() int {
	m := f.MaxFrame
	if m <= 0 {
		m = 8192
	}
	if l := f.Length.max(); f.Length != LengthNone && m > l {
		m = l
	}
	return m
}

func (f Framing) overhead() int {
	n := 0
	if f.TPDU {
		n += 5
	}
	if f.Header {
		n += 6
	}
	return n
}

// Frame is one frame: its TPDU and header (when the framing has them) and
// the packed message.
type Frame struct {
	TPDU    TPDU
	Header  Header
	Message []byte
}

// AppendFrame appends the frame, length header first, to dst.
func (f Framing) AppendFrame(dst []byte, fr Frame) ([]byte, error) {
	n := f.overhead() + len(fr.Message)
	if n > f.maxFrame() {
		return dst, fmt.Errorf("%w: writing %d bytes", ErrFrameTooLarge, n)
	}
	ls := f.Length.size()
	start := len(dst)
	for range ls {
		dst = append(dst, 0)
	}
	f.Length.put(dst[start:], n)
	if f.TPDU {
		dst = append(dst, fr.TPDU[:]...)
	}
	if f.Header {
		dst = append(dst, fr.Header[:]...)
	}
	return append(dst, fr.Message...), nil
}

// ParseFrame splits a frame without its length header into TPDU, header
// and message. The message aliases b.
func (f Framing) ParseFrame(b []byte) (Frame, error) {
	var fr Frame
	if len(b) < f.overhead() {
		return fr, fmt.Errorf("%w: %d bytes", ErrShortFrame, len(b))
	}
	if f.TPDU {
		copy(fr.TPDU[:], b)
		b = b[5:]
	}
	if f.Header {
		copy(fr.Header[:], b)
		b = b[6:]
	}
	fr.Message = b
	return fr, nil
}

// maxEmptyReads is how many consecutive reads may return neither data nor
// an error before a reader gives up with ErrNoProgress.
const maxEmptyReads = 100

// readFull reads exactly len(p) bytes like io.ReadFull, but gives up with
// ErrNoProgress after maxEmptyReads consecutive (0, nil) reads.
func readFull(r io.Reader, p []byte) (int, error) {
	n, idle := 0, 0
	for n < len(p) {
		k, err := r.Read(p[n:])
		n += k
		if err != nil {
			if err == io.EOF && n > 0 && n < len(p) {
				err = io.ErrUnexpectedEOF
			}
			if n == len(p) {
				return n, nil
			}
			return n, err
		}
		if k > 0 {
			idle = 0
			continue
		}
		if idle++; idle >= maxEmptyReads {
			return n, stalled()
		}
	}
	return n, nil
}

func stalled() error {
	return fmt.Errorf("%w: %d reads returned neither data nor error: %w", ErrNoProgress, maxEmptyReads, io.ErrNoProgress)
}

// grow returns buf with room for at least one more byte, doubling its
// capacity (at least 512) but never beyond limit.
func grow(buf []byte, limit int) []byte {
	if len(buf) < cap(buf) {
		return buf
	}
	c := max(2*cap(buf), 512)
	if c > limit {
		c = limit
	}
	nb := make([]byte, len(buf), c)
	copy(nb, buf)
	return nb
}

// readFrame reads one frame body into buf (grown as bytes arrive, never
// to a length that has only been claimed) and returns it. It reads exactly
// the frame's bytes, never beyond, so it suits readers that are shared
// with someone else (a bufio.Reader of a connection).
func (f Framing) readFrame(r io.Reader, buf []byte, hdr *[4]byte) ([]byte, error) {
	limit := f.maxFrame()
	if f.Length == LengthNone {
		return f.readToEOF(r, buf[:0], limit)
	}
	ls := f.Length.size()
	if n, err := readFull(r, hdr[:ls]); err != nil {
		if err == io.EOF && n == 0 {
			return buf, io.EOF
		}
		if err == io.ErrUnexpectedEOF {
			return buf, fmt.Errorf("%w: length header cut after %d bytes", ErrShortFrame, n)
		}
		return buf, err
	}
	n, err := f.checkLength(hdr[:ls])
	if err != nil {
		return buf, err
	}
	buf = buf[:0]
	for len(buf) < n {
		buf = grow(buf, n)
		want := min(n, cap(buf))
		k, err := readFull(r, buf[len(buf):want])
		buf = buf[:len(buf)+k]
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return buf, fmt.Errorf("%w: got %d of %d bytes", ErrShortFrame, len(buf), n)
			}
			return buf, err
		}
	}
	return buf, nil
}

// checkLength parses a length header and checks it against the framing.
func (f Framing) checkLength(h []byte) (int, error) {
	n, err := f.Length.parse(h)
	if err != nil {
		return 0, err
	}
	if limit := f.maxFrame(); n > limit {
		return 0, fmt.Errorf("%w: claimed %d, max %d", ErrFrameTooLarge, n, limit)
	}
	if n < f.overhead() {
		return 0, fmt.Errorf("%w: claimed %d", ErrShortFrame, n)
	}
	return n, nil
}

// readToEOF reads a frame without length header: everything up to the end
// of the stream.
func (f Framing) readToEOF(r io.Reader, buf []byte, limit int) ([]byte, error) {
	idle := 0
	for {
		buf = grow(buf, limit+1)
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if n == 0 && err == nil {
			if idle++; idle >= maxEmptyReads {
				return buf, stalled()
			}
			continue
		}
		idle = 0
		if len(buf) > limit {
			return buf, fmt.Errorf("%w: more than %d bytes", ErrFrameTooLarge, limit)
		}
		if err == io.EOF {
			if len(buf) == 0 {
				return buf, io.EOF
			}
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// Reader reads frames from a stream. It buffers: one Read call fetches as
// many bytes as the stream has ready, so a frame that the peer wrote whole
// usually costs one read system call, and several frames that arrived
// together cost one between them. The buffer grows only with bytes that
// have actually arrived, never to a length that has only been claimed.
// A read error (a deadline, say) in the middle of a frame keeps the bytes
// received so far: the next ReadFrame carries on where it stopped. It is
// not safe for concurrent use.
type Reader struct {
	r    io.Reader
	f    Framing
	buf  []byte // buf[head:len(buf)] are bytes read but not yet returned
	head int
}

// NewReader returns a Reader of frames laid out as f.
func NewReader(r io.Reader, f Framing) *Reader { return &Reader{r: r, f: f} }

// Buffered returns how many bytes have been read from the stream but not
// yet returned in a frame.
func (r *Reader) Buffered() int { return len(r.buf) - r.head }

// fill makes at least need bytes available after head (need is within
// limit, the largest frame with its header), reading as much as the
// stream offers in each call.
func (r *Reader) fill(need, limit int) error {
	if r.Buffered() >= need {
		return nil
	}
	if r.head > 0 && (cap(r.buf)-r.head < need || r.head == len(r.buf)) {
		n := copy(r.buf, r.buf[r.head:])
		r.buf, r.head = r.buf[:n], 0
	}
	idle := 0
	for r.Buffered() < need {
		if len(r.buf) == cap(r.buf) {
			r.buf = grow(r.buf, limit)
		}
		n, err := r.r.Read(r.buf[len(r.buf):cap(r.buf)])
		r.buf = r.buf[:len(r.buf)+n]
		if err != nil {
			if r.Buffered() >= need {
				return nil
			}
			return err
		}
		if n > 0 {
			idle = 0
		} else if idle++; idle >= maxEmptyReads {
			return stalled()
		}
	}
	return nil
}

// ReadFrame reads the next frame. Its Message aliases the Reader's buffer
// and is valid until the next call. At a clean end of stream it returns
// io.EOF; a stream ending inside a frame gives ErrShortFrame. A length
// above the maximum gives ErrFrameTooLarge before any byte of the body is
// read. A stream that keeps returning no data and no error gives
// ErrNoProgress (which also matches io.ErrNoProgress) after a bounded
// number of reads.
func (r *Reader) ReadFrame() (Frame, error) {
	if r.f.Length == LengthNone {
		return r.readUndelimited()
	}
	ls := r.f.Length.size()
	limit := ls + r.f.maxFrame()
	if err := r.fill(ls, limit); err != nil {
		if err == io.EOF {
			if r.Buffered() == 0 {
				return Frame{}, io.EOF
			}
			return Frame{}, fmt.Errorf("%w: length header cut after %d bytes", ErrShortFrame, r.Buffered())
		}
		return Frame{}, err
	}
	n, err := r.f.checkLength(r.buf[r.head : r.head+ls])
	if err != nil {
		return Frame{}, err
	}
	if err := r.fill(ls+n, limit); err != nil {
		if err == io.EOF {
			return Frame{}, fmt.Errorf("%w: got %d of %d bytes", ErrShortFrame, r.Buffered()-ls, n)
		}
		return Frame{}, err
	}
	body := r.buf[r.head+ls : r.head+ls+n : r.head+ls+n]
	r.head += ls + n
	return r.f.ParseFrame(body)
}

func (r *Reader) readUndelimited() (Frame, error) {
	b, err := r.f.readToEOF(r.r, r.buf[:0], r.f.maxFrame())
	if cap(b) > cap(r.buf) {
		r.buf = b[:0]
	}
	r.head = 0
	if err != nil {
		return Frame{}, err
	}
	return r.f.ParseFrame(b)
}

// Writer writes frames to a stream, each in a single Write call. It is not
// safe for concurrent use.
type Writer struct {
	w   io.Writer
	f   Framing
	buf []byte
}

// NewWriter returns a Writer of frames laid out as f.
func NewWriter(w io.Writer, f Framing) *Writer { return &Writer{w: w, f: f} }

// WriteFrame writes one frame.
func (w *Writer) WriteFrame(fr Frame) error {
	b, err := w.f.AppendFrame(w.buf[:0], fr)
	if err != nil {
		return err
	}
	w.buf = b[:0]
	_, err = w.w.Write(b)
	return err
}
