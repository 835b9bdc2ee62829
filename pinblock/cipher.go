package pinblock

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"io"

	"github.com/poskit/poskit/internal/tdes"
	"github.com/poskit/poskit/internal/wipe"
)

// Cipher enciphers and deciphers PIN blocks of one format under one key.
// Its key schedule is built once, so repeated calls skip it; this is the form
// a host uses for a zone PIN key.
//
// A Cipher is safe for concurrent use, provided Rand is and is not changed
// after the first call. The zero Cipher has no key: its methods return
// ErrCipher.
type Cipher struct {
	// Rand is the source of random fill for formats 1, 3 and 4. nil means
	// crypto/rand. Set it before first use; tests set it to reproduce
	// published vectors.
	Rand io.Reader

	f Format
	b cipher.Block
}

// checkKey checks f and the length of key for it.
func checkKey(f Format, key []byte) error {
	switch {
	case f <= ISO3:
		if len(key) != 16 && len(key) != 24 {
			return fmt.Errorf("%w: %v needs a TDES key of 16 or 24 bytes, got %d", ErrKeyLength, f, len(key))
		}
	case f == ISO4:
		if len(key) != 16 && len(key) != 24 && len(key) != 32 {
			return fmt.Errorf("%w: %v needs an AES key of 16, 24 or 32 bytes, got %d", ErrKeyLength, f, len(key))
		}
	default:
		return fmt.Errorf("%w: %d", ErrFormat, uint8(f))
	}
	return nil
}

// newBlock builds the block cipher for a key that passed checkKey.
func newBlock(f Format, key []byte) (cipher.Block, error) {
	if f == ISO4 {
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("%w: %v: %v", ErrCipher, f, err)
		}
		return b, nil
	}
	b, ok := tdes.NewCipher(key)
	if !ok { // the length is checked: DES is refused (FIPS 140-only mode)
		return nil, fmt.Errorf("%w: %v needs TDES, which FIPS 140-only mode refuses", ErrCipher, f)
	}
	return b, nil
}

// NewCipher returns a Cipher for format f under key: a TDES key of 16 or 24
// bytes for formats 0-3, an AES key of 16, 24 or 32 bytes for format 4
// (ErrKeyLength otherwise, ErrFormat for an unknown format, ErrCipher for
// formats 0-3 in FIPS 140-only mode). The Cipher keeps the key schedule, not
// the key; the caller may wipe key afterwards.
func NewCipher(f Format, key []byte) (*Cipher, error) {
	if err := checkKey(f, key); err != nil {
		return nil, err
	}
	b, err := newBlock(f, key)
	if err != nil {
		return nil, err
	}
	return &Cipher{f: f, b: b}, nil
}

// NewCipherFromBlock returns a Cipher for format f over b, which must have a
// block size of 8 for formats 0-3 or 16 for format 4 (ErrCipher otherwise).
// Use it to share one key schedule between formats, or to put a DES, SM4 or
// hardware-backed cipher under the PIN block logic. b must be safe for
// concurrent use if the Cipher is used concurrently.
func NewCipherFromBlock(f Format, b cipher.Block) (*Cipher, error) {
	bs := f.BlockSize()
	if bs == 0 {
		return nil, fmt.Errorf("%w: %d", ErrFormat, uint8(f))
	}
	if b == nil || b.BlockSize() != bs {
		return nil, fmt.Errorf("%w: %v needs a block size of %d bytes", ErrCipher, f, bs)
	}
	return &Cipher{f: f, b: b}, nil
}

// Format returns the format c enciphers (ISO0 for a nil Cipher).
func (c *Cipher) Format() Format {
	if c == nil {
		return ISO0
	}
	return c.f
}

// check returns ErrCipher for a nil Cipher or one not made by NewCipher or
// NewCipherFromBlock (a zero Cipher{} has no key).
func (c *Cipher) check() error {
	if c == nil || c.b == nil {
		return fmt.Errorf("%w: Cipher has no key (use NewCipher)", ErrCipher)
	}
	return nil
}

// seal writes the clear block blk into out (len f.BlockSize()) and
// enciphers it in place: E(K, block) for formats 0-3, E(K, E(K, PIN field)
// XOR PAN field) for format 4.
func seal(out []byte, f Format, b cipher.Block, blk, panf words) {
	blk.put(out)
	b.Encrypt(out, out)
	if f == ISO4 {
		panf.xor(out)
		b.Encrypt(out, out)
	}
}

// encryptTo forms and enciphers a PIN block into out (len f.BlockSize()).
func encryptTo[T ~string | ~[]byte](out []byte, f Format, b cipher.Block, r io.Reader, pin T, pan string) error {
	blk, panf, err := encode(f, pin, pan, r)
	if err != nil {
		return err
	}
	seal(out, f, b, blk, panf)
	return nil
}

// decryptTo deciphers block (length checked) with the PAN field panf and
// writes the PIN digits into pin.
func decryptTo(pin *[12]byte, f Format, b cipher.Block, block []byte, panf words) (int, error) {
	s := make([]byte, f.BlockSize())
	b.Decrypt(s, block)
	if f == ISO4 {
		panf.xor(s)
		b.Decrypt(s, s)
	}
	n, err := decode(pin, f, s, panf)
	wipe.Bytes(s)
	return n, err
}

// Encrypt forms and enciphers a PIN block: formats 0-3 under a TDES key
// (16 or 24 bytes), format 4 under an AES key (16, 24 or 32 bytes). Format 4
// enciphers twice, E(K, E(K, PIN field) XOR PAN field), as ISO 9564-1:2017
// specifies. Random fill comes from crypto/rand; use a Cipher to supply
// another source.
//
// Errors: ErrFormat, ErrKeyLength, ErrPINLength, ErrPINDigits, ErrPAN (see
// Encode for the PAN each format needs), ErrCipher (formats 0-3 in FIPS
// 140-only mode).
func Encrypt(f Format, key []byte, pin, pan string) ([]byte, error) {
	if err := checkKey(f, key); err != nil {
		return nil, err
	}
	blk, panf, err := encode(f, pin, pan, nil)
	if err != nil {
		return nil, err
	}
	b, err := newBlock(f, key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, f.BlockSize())
	seal(out, f, b, blk, panf)
	return out, nil
}

// Decrypt deciphers a PIN block and returns the PIN, checking the block as
// strictly as Decode. A wrong key or PAN is ErrBadBlock (see the package
// documentation for how reliably each format catches them).
//
// Errors: ErrFormat, ErrKeyLength, ErrBlockLength, ErrPAN, ErrBadBlock,
// ErrCipher (formats 0-3 in FIPS 140-only mode).
func Decrypt(f Format, key []byte, block []byte, pan string) (pin string, err error) {
	if err := checkKey(f, key); err != nil {
		return "", err
	}
	panf, err := checkBlock(f, block, pan)
	if err != nil {
		return "", err
	}
	b, err := newBlock(f, key)
	if err != nil {
		return "", err
	}
	var d [12]byte
	n, err := decryptTo(&d, f, b, block, panf)
	if err != nil {
		return "", err
	}
	pin = string(d[:n])
	wipe.Bytes(d[:])
	return pin, nil
}

// Encrypt forms and enciphers a PIN block of c's format, as the package
// function Encrypt does, with fill from c.Rand.
func (c *Cipher) Encrypt(pin, pan string) ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	out := make([]byte, c.f.BlockSize())
	if err := encryptTo(out, c.f, c.b, c.Rand, pin, pan); err != nil {
		return nil, err
	}
	return out, nil
}

// AppendEncrypt appends the enciphered PIN block to dst and returns the
// extended slice (dst unchanged on error). It takes the PIN as bytes so the
// caller can zero them afterwards, and does not allocate when dst has room.
func (c *Cipher) AppendEncrypt(dst, pin []byte, pan string) ([]byte, error) {
	if err := c.check(); err != nil {
		return dst, err
	}
	bs := c.f.BlockSize()
	ret, out := grow(dst, bs)
	if err := encryptTo(out, c.f, c.b, c.Rand, pin, pan); err != nil {
		return dst, err
	}
	return ret, nil
}

// Decrypt deciphers a PIN block of c's format and returns the PIN, as the
// package function Decrypt does.
func (c *Cipher) Decrypt(block []byte, pan string) (pin string, err error) {
	if err := c.check(); err != nil {
		return "", err
	}
	panf, err := checkBlock(c.f, block, pan)
	if err != nil {
		return "", err
	}
	var d [12]byte
	n, err := decryptTo(&d, c.f, c.b, block, panf)
	if err != nil {
		return "", err
	}
	pin = string(d[:n])
	wipe.Bytes(d[:])
	return pin, nil
}

// AppendDecrypt deciphers a PIN block and appends the PIN's ASCII digits to
// dst, which the caller can zero when done (dst unchanged on error).
func (c *Cipher) AppendDecrypt(dst, block []byte, pan string) ([]byte, error) {
	if err := c.check(); err != nil {
		return dst, err
	}
	panf, err := checkBlock(c.f, block, pan)
	if err != nil {
		return dst, err
	}
	var d [12]byte
	n, err := decryptTo(&d, c.f, c.b, block, panf)
	if err != nil {
		return dst, err
	}
	dst = append(dst, d[:n]...)
	wipe.Bytes(d[:])
	return dst, nil
}

// grow extends dst by n bytes, returning the whole slice and the new tail.
func grow(dst []byte, n int) (whole, tail []byte) {
	if total := len(dst) + n; cap(dst) >= total {
		whole = dst[:total]
	} else {
		whole = make([]byte, total)
		copy(whole, dst)
	}
	return whole, whole[len(dst):]
}

// checkTranslation applies ISO 9564-1 and PCI PIN Security requirement 3-3:
// formats 0, 3 and 4 (bound to the PAN) never go to format 1, and format 2
// (ICC offline PIN) goes only to format 2.
func checkTranslation(from, to Format) error {
	if from.BlockSize() == 0 {
		return fmt.Errorf("%w: %d", ErrFormat, uint8(from))
	}
	if to.BlockSize() == 0 {
		return fmt.Errorf("%w: %d", ErrFormat, uint8(to))
	}
	if (to == ISO1 && from != ISO1) || (from == ISO2 && to != ISO2) {
		return fmt.Errorf("%w: %v to %v", ErrTranslation, from, to)
	}
	return nil
}

// translate deciphers block under (from, fb) and enciphers its PIN under
// (to, tb); the PIN stays in a local buffer that is wiped.
func translate(from Format, fb cipher.Block, to Format, tb cipher.Block, r io.Reader, block []byte, pan string) ([]byte, error) {
	panf, err := checkBlock(from, block, pan)
	if err != nil {
		return nil, err
	}
	if _, err := panWords(to, pan); err != nil {
		return nil, err
	}
	var d [12]byte
	n, err := decryptTo(&d, from, fb, block, panf)
	if err != nil {
		return nil, err
	}
	out := make([]byte, to.BlockSize())
	err = encryptTo(out, to, tb, r, d[:n], pan)
	wipe.Bytes(d[:])
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Translate deciphers block under (from, fromKey) and enciphers the same PIN
// under (to, toKey), without handing the PIN to the caller: for example a
// format 0 block under a DUKPT PIN key into format 4 under a zone key. Random
// fill comes from crypto/rand.
//
// One PAN serves both sides: PCI PIN requirement 3-3 forbids changing the
// PAN while translating between PAN-bound formats (0, 3, 4). A format 1
// block may go to any format; formats 0, 3 and 4 never go to format 1;
// format 2 goes only to format 2 (ErrTranslation otherwise). Translating to
// format 2 is meant only for a PIN bound for an ICC.
//
// Errors: ErrFormat, ErrTranslation, then those of Decrypt for the input
// side (ErrBadBlock for a wrong key or PAN) and ErrKeyLength and ErrPAN for
// the output side.
func Translate(from Format, fromKey []byte, to Format, toKey []byte, block []byte, pan string) ([]byte, error) {
	if err := checkTranslation(from, to); err != nil {
		return nil, err
	}
	if err := checkKey(from, fromKey); err != nil {
		return nil, err
	}
	if err := checkKey(to, toKey); err != nil {
		return nil, err
	}
	if _, err := checkBlock(from, block, pan); err != nil {
		return nil, err
	}
	if _, err := panWords(to, pan); err != nil {
		return nil, err
	}
	fb, err := newBlock(from, fromKey)
	if err != nil {
		return nil, err
	}
	tb, err := newBlock(to, toKey)
	if err != nil {
		return nil, err
	}
	return translate(from, fb, to, tb, nil, block, pan)
}

// Translate deciphers block under c and enciphers the same PIN under to
// (with fill from to.Rand), never handing the PIN to the caller. It follows
// the same rules and returns the same errors as the package function
// Translate.
func (c *Cipher) Translate(to *Cipher, block []byte, pan string) ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if err := to.check(); err != nil {
		return nil, err
	}
	if err := checkTranslation(c.f, to.f); err != nil {
		return nil, err
	}
	return translate(c.f, c.b, to.f, to.b, to.Rand, block, pan)
}
