package iso8583

import (
	"fmt"
	"io"
	"sync"

	moov "github.com/moov-io/iso8583"
)

// MessageIO reads and writes whole messages in a Framing. Its ReadMessage
// and WriteMessage have the shape of moov-io/iso8583-connection's
// MessageReader and MessageWriter (v0.9.0), so a *MessageIO can be given to
// connection.SetMessageReader and connection.SetMessageWriter.
//
// On write the frame carries TPDU and Header. With ReplyTPDU set (a host),
// each message read records its TPDU and the next write sends that TPDU
// swapped (Reply), as a POS front end expects; the record is guarded by a
// mutex, and the pairing assumes requests on one connection are answered
// in turn.
type MessageIO struct {
	Spec      *moov.MessageSpec
	Framing   Framing
	TPDU      TPDU
	Header    Header
	ReplyTPDU bool

	mu   sync.Mutex
	last TPDU
	seen bool
}

// ReadMessage reads one frame from r and unpacks it.
func (c *MessageIO) ReadMessage(r io.Reader) (*moov.Message, error) {
	var hdr [4]byte
	b, err := c.Framing.readFrame(r, nil, &hdr)
	if err != nil {
		return nil, err
	}
	fr, err := c.Framing.ParseFrame(b)
	if err != nil {
		return nil, err
	}
	if c.ReplyTPDU && c.Framing.TPDU {
		c.mu.Lock()
		c.last, c.seen = fr.TPDU, true
		c.mu.Unlock()
	}
	m := moov.NewMessage(c.Spec)
	if err := m.Unpack(fr.Message); err != nil {
		return nil, fmt.Errorf("iso8583: unpack: %w", err)
	}
	return m, nil
}

// WriteMessage packs m and writes it as one frame.
func (c *MessageIO) WriteMessage(w io.Writer, m *moov.Message) error {
	packed, err := m.Pack()
	if err != nil {
		return fmt.Errorf("iso8583: pack: %w", err)
	}
	fr := Frame{TPDU: c.TPDU, Header: c.Header, Message: packed}
	if c.ReplyTPDU {
		c.mu.Lock()
		if c.seen {
			fr.TPDU = c.last.Reply()
		}
		c.mu.Unlock()
	}
	b, err := c.Framing.AppendFrame(nil, fr)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
