package iso8583

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
	"testing/iotest"

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

func TestMessageIO(t *testing.T) {
	termSide, hostSide := net.Pipe()
	defer termSide.Close()
	defer hostSide.Close()
	tpdu := NewTPDU(0x60, 0x0006, 0x0000)
	term := &MessageIO{Spec: SpecUnionPay, Framing: UnionPayFraming, TPDU: tpdu, Header: NewHeader(0x60, 0x31, 0, 0, [3]byte{})}
	host := &MessageIO{Spec: SpecUnionPay, Framing: UnionPayFraming, ReplyTPDU: true}

	sale, _ := testTerminal(UnionPay).Sale(chip, 1000)
	m, _ := sale.Message(SpecUnionPay)
	errc := make(chan error, 1)
	go func() { errc <- term.WriteMessage(termSide, m) }()
	got, err := host.ReadMessage(hostSide)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	req, _ := FromMessage(got)
	if req.STAN != sale.STAN || req.Kind() != KindSale {
		t.Errorf("host read %+v", req)
	}
	resp, _ := NewResponse(req, "00", "632510000403", "123456", testNow)
	rm, _ := resp.Message(SpecUnionPay)
	go func() { errc <- host.WriteMessage(hostSide, rm) }()
	// read the raw frame to see the swapped TPDU
	fr, err := NewReader(termSide, UnionPayFraming).ReadFrame()
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if fr.TPDU != tpdu.Reply() {
		t.Errorf("reply TPDU %s", fr.TPDU)
	}
	// errors
	if _, err := host.ReadMessage(bytes.NewReader([]byte{0x00, 0x0C, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 0x99})); err == nil {
		t.Error("garbage message read")
	}
	if _, err := host.ReadMessage(bytes.NewReader(nil)); err != io.EOF {
		t.Errorf("EOF: %v", err)
	}
	bad := &MessageIO{Spec: SpecUnionPay, Framing: Framing{Length: Length2BCD, MaxFrame: 5}}
	if err := bad.WriteMessage(io.Discard, rm); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("oversize: %v", err)
	}
	_ = rm.Field(2, "x")
	if err := host.WriteMessage(io.Discard, rm); err == nil {
		t.Error("unpackable message written")
	}
}
