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
		return dst, fmt.Errorf("writing %d bytes: %w", n, ErrFrameTooLarge)
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
		return fr, fmt.Errorf("%d bytes: %w", len(b), ErrShortFrame)
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

// readFrame reads one frame body into buf (grown as bytes arrive, never
// to a length that has only been claimed) and returns it.
func (f Framing) readFrame(r io.Reader, buf []byte, hdr *[4]byte) ([]byte, error) {
	max := f.maxFrame()
	if f.Length == LengthNone {
		buf = buf[:0]
		idle := 0
		for {
			if len(buf) == cap(buf) {
				if len(buf) > max {
					return buf, fmt.Errorf("%w", ErrFrameTooLarge)
				}
				c := 2 * cap(buf)
				if c < 512 {
					c = 512
				}
				if c > max+1 {
					c = max + 1
				}
				nb := make([]byte, len(buf), c)
				copy(nb, buf)
				buf = nb
			}
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if n == 0 && err == nil {
				if idle++; idle > 100 {
					return buf, io.ErrNoProgress
				}
				continue
			}
			idle = 0
			if len(buf) > max {
				return buf, fmt.Errorf("%w", ErrFrameTooLarge)
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
	ls := f.Length.size()
	if n, err := io.ReadFull(r, hdr[:ls]); err != nil {
		if err == io.EOF && n == 0 {
			return buf, io.EOF
		}
		if err == io.ErrUnexpectedEOF {
			return buf, fmt.Errorf("length header: %w", ErrShortFrame)
		}
		return buf, err
	}
	n, err := f.Length.parse(hdr[:ls])
	if err != nil {
		return buf, err
	}
	if n > max {
		return buf, fmt.Errorf("claimed %d, max %d: %w", n, max, ErrFrameTooLarge)
	}
	if n < f.overhead() {
		return buf, fmt.Errorf("claimed %d: %w", n, ErrShortFrame)
	}
	buf = buf[:0]
	for len(buf) < n {
		if len(buf) == cap(buf) {
			c := 2 * cap(buf)
			if c < 512 {
				c = 512
			}
			if c > n {
				c = n
			}
			nb := make([]byte, len(buf), c)
			copy(nb, buf)
			buf = nb
		}
		want := min(n, cap(buf))
		k, err := io.ReadFull(r, buf[len(buf):want])
		buf = buf[:len(buf)+k]
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return buf, fmt.Errorf("got %d of %d bytes: %w", len(buf), n, ErrShortFrame)
			}
			return buf, err
		}
	}
	return buf, nil
}

// Reader reads frames from a stream. It is not safe for concurrent use.
type Reader struct {
	r   io.Reader
	f   Framing
	buf []byte
	hdr [4]byte
}

// NewReader returns a Reader of frames laid out as f.
func NewReader(r io.Reader, f Framing) *Reader { return &Reader{r: r, f: f} }

// ReadFrame reads the next frame. Its Message aliases the Reader's buffer
// and is valid until the next call. At a clean end of stream it returns
// io.EOF; a stream ending inside a frame gives ErrShortFrame. A length
// above the maximum gives ErrFrameTooLarge before any byte of the body is
// read, and the buffer only grows with bytes actually received.
func (r *Reader) ReadFrame() (Frame, error) {
	b, err := r.f.readFrame(r.r, r.buf, &r.hdr)
	if cap(b) > cap(r.buf) {
		r.buf = b[:0]
	}
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
