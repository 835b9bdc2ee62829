package keyblock

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"

	"github.com/poskit/poskit/internal/tdes"
	"github.com/poskit/poskit/internal/wipe"
)

// cmac is NIST SP 800-38B CMAC over a cipher.Block of 8 or 16 bytes, with
// its subkeys computed once so that one key can MAC several messages. Its
// scratch blocks live in the struct: a buffer handed to the cipher.Block
// interface escapes to the heap, so one cmac is one allocation.
type cmac struct {
	b              cipher.Block
	bs             int
	k1, k2, x, blk [16]byte
}

// init computes the subkeys K1 and K2 of b.
func (c *cmac) init(b cipher.Block) {
	c.b, c.bs = b, b.BlockSize()
	rb := byte(0x87) // R128
	if c.bs == 8 {
		rb = 0x1B // R64
	}
	clear(c.x[:])
	b.Encrypt(c.x[:c.bs], c.x[:c.bs]) // L = E(K, 0)
	shift1(c.k1[:c.bs], c.x[:c.bs], rb)
	shift1(c.k2[:c.bs], c.k1[:c.bs], rb)
	clear(c.x[:])
}

// shift1 sets dst to src shifted left one bit, XORed with rb when the bit
// shifted out was set (the doubling of SP 800-38B 6.1), in constant time.
func shift1(dst, src []byte, rb byte) {
	msb := src[0] >> 7
	for i := 0; i < len(src)-1; i++ {
		dst[i] = src[i]<<1 | src[i+1]>>7
	}
	dst[len(src)-1] = src[len(src)-1]<<1 ^ (0-msb)&rb
}

// sum returns the full-length CMAC of head ‖ data, in c's own buffer (valid
// until the next call). The header is taken as a string so that it is not
// copied.
func (c *cmac) sum(head string, data []byte) []byte {
	bs := c.bs
	x, blk := c.x[:bs], c.blk[:bs]
	clear(x)
	n := 0 // bytes in blk
	total := len(head) + len(data)
	// A full block is enciphered only once more data follows, so that the
	// last block gets its subkey.
	for len(head) > 0 || len(data) > 0 {
		if n == bs {
			subtle.XORBytes(x, x, blk)
			c.b.Encrypt(x, x)
			n = 0
		}
		var k int
		if len(head) > 0 {
			k = copy(blk[n:], head)
			head = head[k:]
		} else {
			k = copy(blk[n:], data)
			data = data[k:]
		}
		n += k
	}
	if total > 0 && n == bs {
		subtle.XORBytes(blk, blk, c.k1[:bs])
	} else {
		blk[n] = 0x80
		clear(blk[n+1:])
		subtle.XORBytes(blk, blk, c.k2[:bs])
	}
	subtle.XORBytes(x, x, blk)
	c.b.Encrypt(x, x)
	clear(blk)
	return x
}

// wipe zeroes the subkeys and scratch blocks.
func (c *cmac) wipe() {
	wipe.Bytes(c.k1[:])
	wipe.Bytes(c.k2[:])
	wipe.Bytes(c.x[:])
	wipe.Bytes(c.blk[:])
}

// newBlockCipher returns the cipher of a key for a version: TDES (8 bytes
// only for the variant versions A and C) or AES.
func newBlockCipher(version byte, key []byte) (cipher.Block, error) {
	if version == 'D' {
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, ErrKBPK
		}
		return b, nil
	}
	if !tdes.Allowed() {
		return nil, ErrCipher
	}
	var b cipher.Block
	var ok bool
	if version == 'A' || version == 'C' {
		b, ok = tdes.NewCipherOrDES(key)
	} else {
		b, ok = tdes.NewCipher(key)
	}
	if !ok {
		return nil, ErrKBPK
	}
	return b, nil
}

// kbpkAlgorithm is the algorithm code of the key derivation data of X9.143
// (6.3.2, table 3) for a KBPK of n bytes under version v.
func kbpkAlgorithm(v byte, n int) (code byte, bits uint16) {
	switch {
	case v == 'B' && n == 16:
		return 0, 128 // 2TDEA
	case v == 'B' && n == 24:
		return 1, 192 // 3TDEA
	case v == 'D' && n == 16:
		return 2, 128
	case v == 'D' && n == 24:
		return 3, 192
	default: // v == 'D' && n == 32
		return 4, 256
	}
}

// deriveKeys derives the key block encryption key (KBEK) and key block
// authentication key (KBAK) from the KBPK by the key derivation binding
// method of X9.143 (6.3.2): CMAC under the KBPK of the 8-byte derivation
// data counter ‖ usage (0000 encryption, 0001 MAC) ‖ 00 ‖ algorithm ‖ length
// in bits, for as many counters as the key needs.
func deriveKeys(v byte, kbpk cipher.Block, n int) (kbek, kbak []byte) {
	c := new(cmac)
	c.init(kbpk)
	defer c.wipe()
	code, bits := kbpkAlgorithm(v, n)
	bs := c.bs
	blocks := (n + bs - 1) / bs
	buf := make([]byte, 2*blocks*bs)
	for u := range 2 {
		for i := range blocks {
			d := [8]byte{byte(i + 1), 0, byte(u), 0, 0, code, byte(bits >> 8), byte(bits)}
			copy(buf[(u*blocks+i)*bs:], c.sum("", d[:]))
		}
	}
	return buf[:n:n], buf[blocks*bs : blocks*bs+n : blocks*bs+n]
}

// variantKeys derives KBEK (each byte XOR 0x45) and KBAK (XOR 0x4D) from the
// KBPK by the key variant binding method of versions A and C.
func variantKeys(kbpk []byte) (kbek, kbak []byte) {
	buf := make([]byte, 2*len(kbpk))
	for i, b := range kbpk {
		buf[i] = b ^ 0x45
		buf[len(kbpk)+i] = b ^ 0x4D
	}
	n := len(kbpk)
	return buf[:n:n], buf[n:]
}

// cbcMAC is the ISO 9797-1 MAC algorithm 1 (CBC-MAC, zero IV, data a
// multiple of the block size) used by versions A and C, full block.
func cbcMAC(b cipher.Block, out []byte, parts ...[]byte) {
	var x [8]byte
	var blk [8]byte
	n := 0
	for _, p := range parts {
		for len(p) > 0 {
			k := copy(blk[n:], p)
			n += k
			p = p[k:]
			if n == 8 {
				subtle.XORBytes(x[:], x[:], blk[:])
				b.Encrypt(x[:], x[:])
				n = 0
			}
		}
	}
	if n > 0 { // never for a well-formed block: header and payload are aligned
		clear(blk[n:])
		subtle.XORBytes(x[:], x[:], blk[:])
		b.Encrypt(x[:], x[:])
	}
	copy(out, x[:])
}
