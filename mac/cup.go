package mac

import (
	"crypto/cipher"
	"encoding/binary"
	"encoding/hex"
	"hash"

	"github.com/poskit/poskit/internal/tdes"
)

// cupMAC is the China UnionPay POS terminal MAC (the "ECB" MAC of the
// UnionPay POS terminal specification).
type cupMAC struct {
	c cipher.Block
}

// NewCUPECB returns the China UnionPay POS MAC bound to a single-length
// (8-byte DES) or double-length (16-byte TDES) MAK. Its MAC is 8 ASCII
// characters:
//
//  1. pad the MAB with zeros to a multiple of 8 bytes and XOR all blocks
//     together into R;
//  2. write R as 16 upper-case hexadecimal characters;
//  3. encipher the first 8 characters under the MAK;
//  4. XOR the result with the last 8 characters and encipher again;
//  5. the MAC is the first 8 characters of the result written in upper-case
//     hexadecimal.
//
// Field 64 of a UnionPay message carries those 8 characters as bytes.
//
// Errors: ErrKeyLength, ErrUnavailable (DES refused, as in FIPS 140-only
// mode).
func NewCUPECB(key []byte) (Algorithm, error) { return newCUP(key) }

// NewCUPECBFromBlock is NewCUPECB over a DES or TDES cipher.Block handle
// (an 8-byte block), for a MAK kept in an HSM or a KMS: the MAC calls only
// its Encrypt, twice per message. b must be safe for concurrent use if the
// Algorithm is. Errors: ErrBlock.
func NewCUPECBFromBlock(b cipher.Block) (Algorithm, error) {
	if err := checkBlock("the UnionPay POS MAC", b, 8); err != nil {
		return nil, err
	}
	return &cupMAC{c: b}, nil
}

func newCUP(key []byte) (*cupMAC, error) {
	if len(key) != 8 && len(key) != 16 {
		return nil, keyLengthError("the UnionPay POS MAC", "8 or 16", len(key))
	}
	c, ok := tdes.NewCipherOrDES(key)
	if !ok {
		return nil, desAllowed("the UnionPay POS MAC")
	}
	return &cupMAC{c: c}, nil
}

func (m *cupMAC) Size() int { return 8 }

// fold XORs the zero-padded 8-byte blocks of data into r.
func fold(r uint64, data []byte) uint64 {
	for len(data) >= 8 {
		r ^= binary.BigEndian.Uint64(data)
		data = data[8:]
	}
	if len(data) > 0 {
		var b [8]byte
		copy(b[:], data)
		r ^= binary.BigEndian.Uint64(b[:])
	}
	return r
}

// finish turns the folded block into the 8 ASCII characters of the MAC,
// written to out[:8]. out is a 16-byte work buffer that lives on the heap
// already, because buffers handed to the cipher escape.
func (m *cupMAC) finish(out []byte, r uint64) {
	var raw [8]byte
	binary.BigEndian.PutUint64(raw[:], r)
	upperHex(out, raw[:]) // 16 hex characters: R as text
	var right [8]byte
	copy(right[:], out[8:16])
	m.c.Encrypt(out[:8], out[:8]) // the first 8 characters
	for i := range right {
		out[i] ^= right[i] // XOR the last 8 characters
	}
	m.c.Encrypt(out[:8], out[:8])
	copy(raw[:], out[:8])
	upperHex(out, raw[:])
}

func upperHex(dst, src []byte) {
	hex.Encode(dst, src)
	for i, c := range dst[:2*len(src)] {
		if c >= 'a' {
			dst[i] = c - 'a' + 'A'
		}
	}
}

func (m *cupMAC) MAC(data []byte) []byte {
	return m.AppendMAC(make([]byte, 0, 16), data)
}

func (m *cupMAC) AppendMAC(dst, data []byte) []byte {
	out, work := grow(dst, data, 16)
	m.finish(work, fold(0, data))
	return settle(out, work, 8)
}

func (m *cupMAC) Verify(data, tag []byte) bool {
	out := make([]byte, 16)
	m.finish(out, fold(0, data))
	return verifyFull(out[:8], tag)
}

func (m *cupMAC) New() hash.Hash { return &cupHash{m: m} }

// cupHash is the streaming form: XOR folding needs no look-ahead, only the
// bytes of a partial block.
type cupHash struct {
	m    *cupMAC
	r    uint64
	buf  [8]byte
	nbuf int
}

func (h *cupHash) Write(p []byte) (int, error) {
	written := len(p)
	for len(p) > 0 {
		if h.nbuf == 0 && len(p) >= 8 {
			k := len(p) &^ 7
			h.r = fold(h.r, p[:k])
			p = p[k:]
			continue
		}
		c := copy(h.buf[h.nbuf:], p)
		h.nbuf += c
		p = p[c:]
		if h.nbuf == 8 {
			h.r = fold(h.r, h.buf[:])
			h.nbuf = 0
		}
	}
	return written, nil
}

func (h *cupHash) Sum(b []byte) []byte {
	b, out := grow(b, nil, 16)
	h.m.finish(out, fold(h.r, h.buf[:h.nbuf]))
	return b[:len(b)-8]
}

func (h *cupHash) Reset()         { *h = cupHash{m: h.m} }
func (h *cupHash) Size() int      { return 8 }
func (h *cupHash) BlockSize() int { return 8 }
