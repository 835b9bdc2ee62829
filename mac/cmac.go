package mac

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"fmt"
	"hash"

	"github.com/poskit/poskit/internal/tdes"
)

// cmac is CMAC (NIST SP 800-38B) over a 64- or 128-bit block cipher, with its
// two subkeys derived once.
type cmac struct {
	c      cipher.Block
	bs     int
	k1, k2 [16]byte
}

// NewAESCMAC returns AES-CMAC (NIST SP 800-38B, RFC 4493) bound to a 16-, 24-
// or 32-byte AES key. Its MAC is 16 bytes.
func NewAESCMAC(key []byte) (Algorithm, error) { return newAESCMAC(key) }

// NewTDESCMAC returns TDES CMAC (NIST SP 800-38B, 64-bit block) bound to a
// 16- or 24-byte TDES key. Its MAC is 8 bytes. Errors: ErrKeyLength,
// ErrUnavailable (DES refused, as in FIPS 140-only mode).
func NewTDESCMAC(key []byte) (Algorithm, error) { return newTDESCMAC(key) }

// NewCMACFromBlock returns CMAC (NIST SP 800-38B) over a cipher.Block
// handle, for a key kept in an HSM or a KMS: AES-CMAC for a 16-byte block,
// TDES CMAC for an 8-byte block. It enciphers one block at construction to
// derive the subkeys, which it keeps, and then calls only b's Encrypt, once
// per block. b must be safe for concurrent use if the Algorithm is.
// Errors: ErrBlock.
func NewCMACFromBlock(b cipher.Block) (Algorithm, error) {
	if err := checkBlock("CMAC", b, 8, 16); err != nil {
		return nil, err
	}
	return newCMAC(b), nil
}

func newAESCMAC(key []byte) (*cmac, error) {
	switch len(key) {
	case 16, 24, 32:
	default:
		return nil, keyLengthError("AES-CMAC", "16, 24 or 32", len(key))
	}
	c, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return newCMAC(c), nil
}

func newTDESCMAC(key []byte) (*cmac, error) {
	if len(key) != 16 && len(key) != 24 {
		return nil, keyLengthError("TDES-CMAC", "16 or 24", len(key))
	}
	if err := desAllowed("TDES-CMAC"); err != nil {
		return nil, err
	}
	c, _ := tdes.NewCipher(key) // the length and the mode are checked
	return newCMAC(c), nil
}

func newCMAC(c cipher.Block) *cmac {
	m := &cmac{c: c, bs: c.BlockSize()}
	var l [16]byte
	c.Encrypt(l[:m.bs], l[:m.bs])
	rb := byte(0x87)
	if m.bs == 8 {
		rb = 0x1B
	}
	double(m.k1[:m.bs], l[:m.bs], rb)
	double(m.k2[:m.bs], m.k1[:m.bs], rb)
	clear(l[:])
	return m
}

// double sets dst to src·x in GF(2^n): a left shift by one bit, XORed with
// rb when the bit shifted out was set (in constant time).
func double(dst, src []byte, rb byte) {
	msb := src[0] >> 7
	for i := 0; i < len(src)-1; i++ {
		dst[i] = src[i]<<1 | src[i+1]>>7
	}
	dst[len(src)-1] = src[len(src)-1]<<1 ^ byte(subtle.ConstantTimeByteEq(msb, 1))*rb
}

func (m *cmac) Size() int { return m.bs }

// chain runs CBC over the whole blocks of data, starting from x (a block
// that lives on the heap, because it is handed to the cipher).
func (m *cmac) chain(x, data []byte) {
	bs := m.bs
	for len(data) >= bs {
		subtle.XORBytes(x, x, data[:bs])
		m.c.Encrypt(x, x)
		data = data[bs:]
	}
}

// finish XORs the last block, padded when partial, with its subkey into x
// and enciphers it.
func (m *cmac) finish(x, last []byte, complete bool) {
	bs := m.bs
	var blk [16]byte
	n := copy(blk[:bs], last)
	k := &m.k1
	if !complete {
		blk[n] = 0x80
		k = &m.k2
	}
	for i := 0; i < bs; i++ {
		x[i] ^= blk[i] ^ k[i]
	}
	m.c.Encrypt(x, x)
}

// sum computes the MAC of data into x, which holds bs zero bytes.
func (m *cmac) sum(x, data []byte) {
	n := len(data)
	complete := n > 0 && n%m.bs == 0
	whole := n - n%m.bs
	if complete {
		whole -= m.bs
	}
	m.chain(x, data[:whole])
	m.finish(x, data[whole:], complete)
}

func (m *cmac) MAC(data []byte) []byte {
	return m.AppendMAC(make([]byte, 0, m.bs), data)
}

func (m *cmac) AppendMAC(dst, data []byte) []byte {
	out, x := grow(dst, data, m.bs)
	m.sum(x, data)
	return settle(out, x, m.bs)
}

func (m *cmac) Verify(data, tag []byte) bool {
	x := make([]byte, m.bs)
	m.sum(x, data)
	return verifyFull(x, tag)
}

func (m *cmac) New() hash.Hash { return &cmacHash{m: m} }

// cmacHash is the streaming form; like the CBC hash it holds back the last
// whole block, which takes the subkey.
type cmacHash struct {
	m    *cmac
	x    [16]byte
	buf  [16]byte
	nbuf int
}

func (h *cmacHash) Write(p []byte) (int, error) {
	written := len(p)
	bs := h.m.bs
	for len(p) > 0 {
		if h.nbuf == bs {
			h.m.chain(h.x[:bs], h.buf[:bs])
			h.nbuf = 0
		}
		if h.nbuf == 0 && len(p) > bs {
			k := (len(p) - 1) / bs * bs
			h.m.chain(h.x[:bs], p[:k])
			p = p[k:]
		}
		c := copy(h.buf[h.nbuf:bs], p)
		h.nbuf += c
		p = p[c:]
	}
	return written, nil
}

func (h *cmacHash) Sum(b []byte) []byte {
	bs := h.m.bs
	b, x := grow(b, nil, bs)
	copy(x, h.x[:bs])
	h.m.finish(x, h.buf[:h.nbuf], h.nbuf == bs)
	return b
}

func (h *cmacHash) Reset()         { *h = cmacHash{m: h.m} }
func (h *cmacHash) Size() int      { return h.m.bs }
func (h *cmacHash) BlockSize() int { return h.m.bs }
