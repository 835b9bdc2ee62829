package iso8583

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"testing/iotest"
	"time"

	connection "github.com/moov-io/iso8583-connection"
)

var (
	_ connection.MessageReader = (*MessageIO)(nil)
	_ connection.MessageWriter = (*MessageIO)(nil)
)

func TestLengthFormats(t *testing.T) {
	msg := bytes.Repeat([]byte{0xAB}, 415)
	tpdu := NewTPDU(0x60, 0x0006, 0x0000)
	hdr := NewHeader(0x60, 0x31, 0, 3, [3]byte{0x31, 0x10, 0x03})
	tests := []struct {
		f    Framing
		want string // the length header for 426 bytes (415 + 5 + 6)
	}{
		{Framing{Length: Length2Binary, TPDU: true, Header: true}, "\x01\xAA"},
		{Framing{Length: Length2BCD, TPDU: true, Header: true}, "\x04\x26"},
		{Framing{Length: Length4ASCII, TPDU: true, Header: true}, "0426"},
		{Framing{Length: Length4Hex, TPDU: true, Header: true}, "01AA"},
	}
	for _, tt := range tests {
		out, err := tt.f.AppendFrame(nil, Frame{TPDU: tpdu, Header: hdr, Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		if string(out[:len(tt.want)]) != tt.want || len(out) != len(tt.want)+426 {
			t.Errorf("%v: header %X", tt.f.Length, out[:4])
		}
		// a stream of two frames, read one byte at a time
		stream := append(append([]byte(nil), out...), out...)
		r := NewReader(iotest.OneByteReader(bytes.NewReader(stream)), tt.f)
		for i := range 2 {
			fr, err := r.ReadFrame()
			if err != nil {
				t.Fatalf("%v frame %d: %v", tt.f.Length, i, err)
			}
			if fr.TPDU != tpdu || fr.Header != hdr || !bytes.Equal(fr.Message, msg) {
				t.Errorf("%v: frame differs", tt.f.Length)
			}
		}
		if _, err := r.ReadFrame(); err != io.EOF {
			t.Errorf("end: %v", err)
		}
	}
	if hdr.ProcessingRequest() != 3 {
		t.Error("header nibble")
	}
}

func TestLengthNone(t *testing.T) {
	f := Framing{TPDU: true, MaxFrame: 600}
	out, _ := f.AppendFrame(nil, Frame{TPDU: NewTPDU(0x60, 1, 2), Message: []byte("0800 hello")})
	r := NewReader(bytes.NewReader(out), f)
	fr, err := r.ReadFrame()
	if err != nil || string(fr.Message) != "0800 hello" || fr.TPDU.Destination() != 1 || fr.TPDU.Source() != 2 {
		t.Fatalf("%q %v", fr.Message, err)
	}
	if _, err := NewReader(bytes.NewReader(nil), f).ReadFrame(); err != io.EOF {
		t.Errorf("empty: %v", err)
	}
	if _, err := NewReader(bytes.NewReader(make([]byte, 601)), f).ReadFrame(); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("large: %v", err)
	}
	if _, err := NewReader(bytes.NewReader(make([]byte, 3)), f).ReadFrame(); !errors.Is(err, ErrShortFrame) {
		t.Errorf("short: %v", err)
	}
	if _, err := NewReader(stuckReader{}, f).ReadFrame(); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("stuck: %v", err)
	}
	if _, err := NewReader(iotest.ErrReader(io.ErrClosedPipe), f).ReadFrame(); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("error: %v", err)
	}
}

type stuckReader struct{}

func (stuckReader) Read([]byte) (int, error) { return 0, nil }

func TestTPDUReply(t *testing.T) {
	tp := NewTPDU(0x60, 0x0006, 0x0123)
	r := tp.Reply()
	if r.ID() != 0x60 || r.Destination() != 0x0123 || r.Source() != 0x0006 || r.Reply() != tp {
		t.Errorf("reply %s", r)
	}
	if tp.String() != "6000060123" {
		t.Errorf("String %s", tp)
	}
}

func TestReaderErrors(t *testing.T) {
	f := Framing{Length: Length2BCD, TPDU: true, MaxFrame: 1000}
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"oversize", []byte{0x10, 0x01}, ErrFrameTooLarge},
		{"bad BCD", []byte{0x0A, 0x10}, ErrFrameLength},
		{"below TPDU", []byte{0x00, 0x04, 1, 2, 3, 4}, ErrShortFrame},
		{"cut header", []byte{0x00}, ErrShortFrame},
		{"cut body", []byte{0x00, 0x20, 1, 2, 3}, ErrShortFrame},
	}
	for _, c := range cases {
		if _, err := NewReader(bytes.NewReader(c.in), f).ReadFrame(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if _, err := NewReader(bytes.NewReader([]byte("00x1")), Framing{Length: Length4ASCII}).ReadFrame(); !errors.Is(err, ErrFrameLength) {
		t.Errorf("ascii: %v", err)
	}
	if _, err := NewReader(bytes.NewReader([]byte("00G1")), Framing{Length: Length4Hex}).ReadFrame(); !errors.Is(err, ErrFrameLength) {
		t.Errorf("hex: %v", err)
	}
	// the default maximum is 8192, and a 2-byte BCD length can say 9999
	if _, err := NewReader(bytes.NewReader([]byte{0x99, 0x99}), Framing{Length: Length2BCD}).ReadFrame(); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("default max: %v", err)
	}
	if _, err := (Framing{Length: Length2BCD, MaxFrame: 1 << 20}).AppendFrame(nil, Frame{Message: make([]byte, 10000)}); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("BCD cap: %v", err)
	}
	if _, err := (Framing{Header: true}).ParseFrame([]byte{1, 2}); !errors.Is(err, ErrShortFrame) {
		t.Errorf("parse: %v", err)
	}
}

// A length that claims more than arrives must not make the reader
// allocate the claimed size.
func TestReaderDoesNotTrustLength(t *testing.T) {
	f := Framing{Length: Length2Binary, MaxFrame: 65535}
	r := NewReader(bytes.NewReader([]byte{0xFF, 0xFF, 1, 2, 3}), f)
	if _, err := r.ReadFrame(); !errors.Is(err, ErrShortFrame) {
		t.Fatal(err)
	}
	if cap(r.buf) > 512 {
		t.Errorf("buffer grew to %d for 3 bytes", cap(r.buf))
	}
	// 2000 of a claimed 60000 bytes: the buffer stays within twice what came
	in := append([]byte{0xEA, 0x60}, make([]byte, 2000)...)
	r = NewReader(bytes.NewReader(in), f)
	if _, err := r.ReadFrame(); !errors.Is(err, ErrShortFrame) {
		t.Fatal(err)
	}
	if cap(r.buf) > 4096 {
		t.Errorf("buffer grew to %d for 2000 bytes", cap(r.buf))
	}
}

type countingWriter struct {
	bytes.Buffer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

func TestWriter(t *testing.T) {
	var cw countingWriter
	w := NewWriter(&cw, UnionPayFraming)
	for range 3 {
		if err := w.WriteFrame(Frame{Message: []byte("0800")}); err != nil {
			t.Fatal(err)
		}
	}
	if cw.writes != 3 || cw.Len() != 3*(2+11+4) {
		t.Errorf("%d writes, %d bytes", cw.writes, cw.Len())
	}
	if err := NewWriter(&cw, Framing{Length: Length2BCD, MaxFrame: 10}).WriteFrame(Frame{Message: make([]byte, 11)}); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("oversize: %v", err)
	}
	allocs := testing.AllocsPerRun(100, func() { _ = w.WriteFrame(Frame{Message: []byte("0800")}) })
	if allocs != 0 {
		t.Errorf("WriteFrame allocates %v", allocs)
	}
}

// stalledReader gives data bytes, then returns (0, nil) forever: the
// Reader must give up with ErrNoProgress instead of spinning.
type stalledReader struct {
	data  []byte
	reads int
}

func (s *stalledReader) Read(p []byte) (int, error) {
	s.reads++
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

// withDeadline fails the test instead of hanging when f does not return.
func withDeadline(t *testing.T, name string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: reader still blocked after 10s", name)
		return nil
	}
}

// Every reader path meets a stalled stream: Reader (length header, body,
// undelimited) and the exact reader behind MessageIO.
func TestStalledReaders(t *testing.T) {
	frame, _ := UnionPayFraming.AppendFrame(nil, Frame{Message: []byte("0800 body")})
	cases := []struct {
		name string
		f    Framing
		data []byte
	}{
		{"nothing", UnionPayFraming, nil},
		{"half header", UnionPayFraming, frame[:1]},
		{"header only", UnionPayFraming, frame[:2]},
		{"half body", UnionPayFraming, frame[:9]},
		{"undelimited", Framing{TPDU: true}, frame[2:9]},
	}
	for _, c := range cases {
		sr := &stalledReader{data: c.data}
		err := withDeadline(t, c.name, func() error { _, err := NewReader(sr, c.f).ReadFrame(); return err })
		if !errors.Is(err, ErrNoProgress) || !errors.Is(err, io.ErrNoProgress) {
			t.Errorf("Reader %s: %v", c.name, err)
		}
		if sr.reads > maxEmptyReads+2 {
			t.Errorf("Reader %s: %d reads", c.name, sr.reads)
		}
		sr = &stalledReader{data: c.data}
		mio := &MessageIO{Spec: SpecUnionPay, Framing: c.f}
		err = withDeadline(t, c.name, func() error { _, err := mio.ReadMessage(sr); return err })
		if !errors.Is(err, ErrNoProgress) {
			t.Errorf("MessageIO %s: %v", c.name, err)
		}
	}
}

// A deadline in the middle of a frame is an ordinary error: the bytes
// already read stay in the Reader, and the next ReadFrame completes the
// frame once the rest arrives.
func TestReaderDeadlineResumes(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	msg := bytes.Repeat([]byte{'7'}, 300)
	frame, _ := UnionPayFraming.AppendFrame(nil, Frame{TPDU: NewTPDU(0x60, 6, 9), Message: msg})
	r := NewReader(a, UnionPayFraming)
	go func() { _, _ = b.Write(frame[:100]) }()
	_ = a.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := r.ReadFrame(); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("want deadline, got %v", err)
	}
	if r.Buffered() != 100 {
		t.Fatalf("kept %d bytes", r.Buffered())
	}
	_ = a.SetReadDeadline(time.Time{})
	go func() { _, _ = b.Write(frame[100:]) }()
	fr, err := r.ReadFrame()
	if err != nil || !bytes.Equal(fr.Message, msg) || fr.TPDU.Source() != 9 {
		t.Fatalf("resumed frame: %v", err)
	}
}

// countingReader counts Read calls: one per system call on a socket.
type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

// chunkReader hands out one chunk per Read, like a socket that received
// each frame in one segment.
type chunkReader struct{ chunks [][]byte }

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	if c.chunks[0] = c.chunks[0][n:]; len(c.chunks[0]) == 0 {
		c.chunks = c.chunks[1:]
	}
	return n, nil
}

// A frame the peer wrote whole costs one Read; frames that arrived
// together cost one between them; reading allocates nothing once the
// buffer has grown.
func TestReaderOneReadPerFrame(t *testing.T) {
	frame, _ := UnionPayFraming.AppendFrame(nil, Frame{Message: bytes.Repeat([]byte{'1'}, 380)})
	const frames = 50
	chunks := make([][]byte, frames)
	for i := range chunks {
		chunks[i] = append([]byte(nil), frame...)
	}
	cr := &countingReader{r: &chunkReader{chunks: chunks}}
	r := NewReader(cr, UnionPayFraming)
	for i := range frames {
		if _, err := r.ReadFrame(); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	if cr.reads != frames {
		t.Errorf("%d reads for %d frames", cr.reads, frames)
	}
	// three frames in one segment: one read
	three := bytes.Repeat(frame, 3)
	cr = &countingReader{r: &chunkReader{chunks: [][]byte{three}}}
	r = NewReader(cr, UnionPayFraming)
	r.buf = make([]byte, 0, 2048)
	for range 3 {
		if _, err := r.ReadFrame(); err != nil {
			t.Fatal(err)
		}
	}
	if cr.reads != 1 {
		t.Errorf("%d reads for 3 frames in one segment", cr.reads)
	}
	// the 2-byte-length-then-body pattern of the old reader took 2 reads
	stream := bytes.NewReader(nil)
	r = NewReader(stream, UnionPayFraming)
	allocs := testing.AllocsPerRun(200, func() {
		stream.Reset(frame)
		if _, err := r.ReadFrame(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("ReadFrame allocates %v per frame", allocs)
	}
}

// Frames split at every byte and joined in every way read the same.
func TestReaderSplits(t *testing.T) {
	f := Framing{Length: Length4ASCII, TPDU: true, Header: true}
	var stream []byte
	var want [][]byte
	for i := range 20 {
		m := bytes.Repeat([]byte{byte('a' + i)}, 50*i+1)
		want = append(want, m)
		stream, _ = f.AppendFrame(stream, Frame{Message: m})
	}
	for _, step := range []int{1, 3, 7, 64, 1000, len(stream)} {
		var chunks [][]byte
		for i := 0; i < len(stream); i += step {
			chunks = append(chunks, stream[i:min(i+step, len(stream))])
		}
		r := NewReader(&chunkReader{chunks: chunks}, f)
		for i, m := range want {
			fr, err := r.ReadFrame()
			if err != nil || !bytes.Equal(fr.Message, m) {
				t.Fatalf("step %d frame %d: %v", step, i, err)
			}
		}
		if _, err := r.ReadFrame(); err != io.EOF {
			t.Errorf("step %d end: %v", step, err)
		}
	}
}

// FuzzReaderChunks: the buffered Reader, fed the stream in chunks of any
// size, returns the same frames and the same error as the exact reader
// behind MessageIO reading it whole.
func FuzzReaderChunks(f *testing.F) {
	one, _ := UnionPayFraming.AppendFrame(nil, Frame{TPDU: NewTPDU(0x60, 6, 1), Message: []byte("0800 echo")})
	f.Add(uint8(1), uint8(3), append(append([]byte(nil), one...), one...))
	f.Add(uint8(3), uint8(1), []byte("0004abcd0002xy"))
	f.Add(uint8(2), uint8(200), []byte{0x00, 0x12, 1, 2})
	f.Add(uint8(4), uint8(7), []byte("00G1"))
	f.Fuzz(func(t *testing.T, format, step uint8, stream []byte) {
		fr := Framing{Length: LengthFormat(1 + format%4), TPDU: format&8 != 0, Header: format&16 != 0, MaxFrame: 512}
		var chunks [][]byte
		n := int(step%64) + 1
		for i := 0; i < len(stream); i += n {
			chunks = append(chunks, stream[i:min(i+n, len(stream))])
		}
		r := NewReader(&chunkReader{chunks: chunks}, fr)
		exact := bytes.NewReader(stream)
		var hdr [4]byte
		for range 32 {
			got, gerr := r.ReadFrame()
			b, werr := fr.readFrame(exact, nil, &hdr)
			var want Frame
			if werr == nil {
				want, werr = fr.ParseFrame(b)
			}
			if (gerr == nil) != (werr == nil) {
				t.Fatalf("buffered %v, exact %v", gerr, werr)
			}
			if gerr != nil {
				for _, e := range []error{io.EOF, ErrShortFrame, ErrFrameTooLarge, ErrFrameLength} {
					if errors.Is(gerr, e) != errors.Is(werr, e) {
						t.Fatalf("buffered %v, exact %v", gerr, werr)
					}
				}
				return
			}
			if !bytes.Equal(got.Message, want.Message) || got.TPDU != want.TPDU || got.Header != want.Header {
				t.Fatal("frames differ")
			}
		}
	})
}

// loopReader hands out the same frame forever, one whole frame per Read
// at most, like a socket that receives each frame in one segment.
type loopReader struct {
	frame []byte
	off   int
	reads int
}

func (l *loopReader) Read(p []byte) (int, error) {
	l.reads++
	n := copy(p, l.frame[l.off:])
	l.off = (l.off + n) % len(l.frame)
	return n, nil
}

// BenchmarkReadFrame: the buffered Reader against the exact reader that
// MessageIO uses on an unbuffered stream (the Reader before it buffered):
// read calls per frame (one per system call on a socket), time and
// allocations.
func BenchmarkReadFrame(b *testing.B) {
	frame, _ := UnionPayFraming.AppendFrame(nil, Frame{Message: bytes.Repeat([]byte{'1'}, 380)})
	b.Run("exact", func(b *testing.B) {
		lr := &loopReader{frame: frame}
		var hdr [4]byte
		buf := make([]byte, 0, 512)
		b.ReportAllocs()
		for range b.N {
			var err error
			if buf, err = UnionPayFraming.readFrame(lr, buf, &hdr); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(lr.reads)/float64(b.N), "reads/frame")
	})
	b.Run("buffered", func(b *testing.B) {
		lr := &loopReader{frame: frame}
		r := NewReader(lr, UnionPayFraming)
		b.ReportAllocs()
		for range b.N {
			if _, err := r.ReadFrame(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(lr.reads)/float64(b.N), "reads/frame")
	})
}
