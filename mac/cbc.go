package mac

import (
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"hash"

	"github.com/poskit/poskit/internal/tdes"
)

// cbcMAC is ISO 9797-1 MAC algorithm 1 or 3 over a 64-bit block cipher.
// Every block but the last goes through body; the last goes through final.
// For algorithm 1 the two are the same cipher; for algorithm 3 body is
// single DES under K1 and final is TDES under the whole key, which is the
// same as CBC under K1 followed by the output transformation D(K2), E(K3).
type cbcMAC struct {
	body, final cipher.Block
	pad         Padding
}

// NewISO9797Alg1 returns ISO 9797-1 MAC algorithm 1 (CBC-MAC) bound to an
// 8-byte DES key (ANSI X9.9) or a 16- or 24-byte TDES key.
// Errors: ErrKeyLength, ErrPadding, ErrUnavailable (DES refused, as in FIPS
// 140-only mode).
func NewISO9797Alg1(key []byte, p Padding) (Algorithm, error) {
	return newCBC(key, p, false)
}

// NewISO9797Alg3 returns ISO 9797-1 MAC algorithm 3 (the ANSI X9.19 retail
// MAC) bound to a 16- or 24-byte TDES key: single DES under the key's first
// 8 bytes over every block, and the last block under the whole TDES key.
// Errors: ErrKeyLength, ErrPadding, ErrUnavailable (DES refused, as in FIPS
// 140-only mode).
func NewISO9797Alg3(key []byte, p Padding) (Algorithm, error) {
	return newCBC(key, p, true)
}

// NewISO9797Alg1FromBlock is NewISO9797Alg1 over a DES or TDES cipher.Block
// handle (an 8-byte block), for a key kept in an HSM or a KMS: the MAC calls
// only its Encrypt, once per block. b must be safe for concurrent use if
// the Algorithm is. Errors: ErrPadding, ErrBlock.
func NewISO9797Alg1FromBlock(b cipher.Block, p Padding) (Algorithm, error) {
	if !p.valid() {
		return nil, fmt.Errorf("%w: %v", ErrPadding, p)
	}
	if err := checkBlock("ISO 9797-1 algorithm 1", b, 8); err != nil {
		return nil, err
	}
	return &cbcMAC{body: b, final: b, pad: p}, nil
}

// NewISO9797Alg3FromBlocks is NewISO9797Alg3 over two cipher.Block handles
// of one key kept in an HSM or a KMS: k1 is single DES under the key's left
// 8 bytes (K1), which MACs every block but the last, and k is TDES under the
// whole key, which enciphers the last block. Both have 8-byte blocks and
// must be safe for concurrent use if the Algorithm is. Errors: ErrPadding,
// ErrBlock.
func NewISO9797Alg3FromBlocks(k1, k cipher.Block, p Padding) (Algorithm, error) {
	if !p.valid() {
		return nil, fmt.Errorf("%w: %v", ErrPadding, p)
	}
	for _, b := range []cipher.Block{k1, k} {
		if err := checkBlock("ISO 9797-1 algorithm 3", b, 8); err != nil {
			return nil, err
		}
	}
	return &cbcMAC{body: k1, final: k, pad: p}, nil
}

func newCBC(key []byte, p Padding, retail bool) (*cbcMAC, error) {
	if !p.valid() {
		return nil, fmt.Errorf("%w: %v", ErrPadding, p)
	}
	if retail {
		if len(key) != 16 && len(key) != 24 {
			return nil, keyLengthError("ISO 9797-1 algorithm 3", "16 or 24", len(key))
		}
		if err := desAllowed("ISO 9797-1 algorithm 3"); err != nil {
			return nil, err
		}
		final, _ := tdes.NewCipher(key)         // the length and the mode are checked
		body, _ := tdes.NewCipherOrDES(key[:8]) // likewise
		return &cbcMAC{body: body, final: final, pad: p}, nil
	}
	if len(key) != 8 && len(key) != 16 && len(key) != 24 {
		return nil, keyLengthError("ISO 9797-1 algorithm 1", "8, 16 or 24", len(key))
	}
	if err := desAllowed("ISO 9797-1 algorithm 1"); err != nil {
		return nil, err
	}
	c, _ := tdes.NewCipherOrDES(key) // the length and the mode are checked
	return &cbcMAC{body: c, final: c, pad: p}, nil
}

func (m *cbcMAC) Size() int { return 8 }

// chain runs CBC over the whole 8-byte blocks of data under body, starting
// from x. scratch is an 8-byte buffer for the cipher: a slice that already
// lives on the heap, because a buffer handed to an interface method escapes.
func (m *cbcMAC) chain(x uint64, data, scratch []byte) uint64 {
	for len(data) >= 8 {
		binary.BigEndian.PutUint64(scratch, x^binary.BigEndian.Uint64(data))
		m.body.Encrypt(scratch, scratch)
		x = binary.BigEndian.Uint64(scratch)
		data = data[8:]
	}
	return x
}

// last enciphers the final, already padded block under final into out.
func (m *cbcMAC) last(out []byte, x uint64, last *[8]byte) {
	binary.BigEndian.PutUint64(out, x^binary.BigEndian.Uint64(last[:]))
	m.final.Encrypt(out, out)
}

// sum computes the MAC of data into out (8 bytes).
func (m *cbcMAC) sum(out, data []byte) {
	var x uint64
	var lastBlock [8]byte
	n := len(data)
	whole := n &^ 7
	switch m.pad {
	case Method3:
		binary.BigEndian.PutUint64(lastBlock[:], uint64(n)*8)
		if n == 0 {
			m.last(out, 0, &lastBlock)
			return
		}
		x = m.chain(0, lastBlock[:], out)
		lastBlock = [8]byte{}
		fallthrough
	case Method1:
		if n > 0 && whole == n {
			whole -= 8
		}
		copy(lastBlock[:], data[whole:])
	case Method2:
		r := copy(lastBlock[:], data[whole:])
		lastBlock[r] = 0x80
	}
	x = m.chain(x, data[:whole], out)
	m.last(out, x, &lastBlock)
}

func (m *cbcMAC) MAC(data []byte) []byte {
	return m.AppendMAC(make([]byte, 0, 8), data)
}

func (m *cbcMAC) AppendMAC(dst, data []byte) []byte {
	out, work := grow(dst, data, 8)
	m.sum(work, data)
	return settle(out, work, 8)
}

func (m *cbcMAC) Verify(data, tag []byte) bool {
	t := make([]byte, 8)
	m.sum(t, data)
	return verifyFull(t, tag)
}

func (m *cbcMAC) New() hash.Hash {
	h := &cbcHash{m: m}
	return h
}

// cbcHash is the streaming form. It keeps the last whole block unprocessed
// until more data arrives, because that block may be the one that goes
// through the final cipher. Padding method 3 needs the length first, so it
// keeps the whole message and computes the MAC in Sum.
type cbcHash struct {
	m       *cbcMAC
	x       uint64
	buf     [8]byte
	nbuf    int
	scratch [8]byte // cipher buffer; the hash lives on the heap already
	all     []byte  // method 3 only
}

func (h *cbcHash) Write(p []byte) (int, error) {
	written := len(p)
	if h.m.pad == Method3 {
		h.all = append(h.all, p...)
		return written, nil
	}
	for len(p) > 0 {
		if h.nbuf == 8 {
			h.x = h.m.chain(h.x, h.buf[:], h.scratch[:])
			h.nbuf = 0
		}
		if h.nbuf == 0 && len(p) > 8 {
			// Process whole blocks straight from p, keeping at least one byte back.
			k := (len(p) - 1) &^ 7
			h.x = h.m.chain(h.x, p[:k], h.scratch[:])
			p = p[k:]
		}
		c := copy(h.buf[h.nbuf:], p)
		h.nbuf += c
		p = p[c:]
	}
	return written, nil
}

func (h *cbcHash) Sum(b []byte) []byte {
	b, out := grow(b, nil, 8)
	if h.m.pad == Method3 {
		h.m.sum(out, h.all)
		return b
	}
	x := h.x
	var lastBlock [8]byte
	copy(lastBlock[:], h.buf[:h.nbuf])
	if h.m.pad == Method2 {
		if h.nbuf == 8 {
			x = h.m.chain(x, lastBlock[:], out)
			lastBlock = [8]byte{}
			lastBlock[0] = 0x80
		} else {
			lastBlock[h.nbuf] = 0x80
		}
	}
	h.m.last(out, x, &lastBlock)
	return b
}

func (h *cbcHash) Reset() {
	clear(h.all)
	*h = cbcHash{m: h.m, all: h.all[:0]}
}

func (h *cbcHash) Size() int      { return 8 }
func (h *cbcHash) BlockSize() int { return 8 }
