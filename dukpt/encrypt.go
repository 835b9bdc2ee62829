package dukpt

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"

	"github.com/poskit/poskit/internal/tdes"
)

// Padding is how the CBC helpers fill the last block. The ISO 9797-1
// methods carry the names package mac gives them (mac.Method1, mac.Method2).
type Padding int

// Padding choices of the CBC helpers.
const (
	// NoPadding: the data must be a whole number of blocks.
	NoPadding Padding = iota
	// Method1 is ISO 9797-1 padding method 1: zero bytes up to a whole
	// block, none if already whole (what X9.24-1 A.4.2 and most terminals
	// use for track data). Decryption cannot tell padding from data and
	// returns the padded plaintext.
	Method1
	// Method2 is ISO 9797-1 padding method 2 (also ISO/IEC 7816-4): 0x80
	// then zero bytes, always added; checked and removed on decryption.
	Method2
	// PKCS7Padding: n bytes of value n, always added (RFC 5652); checked and
	// removed on decryption.
	PKCS7Padding
)

// Deprecated names of the ISO 9797-1 padding methods.
const (
	// Deprecated: use Method1.
	ZeroPadding = Method1
	// Deprecated: use Method2.
	BitPadding = Method2
)

// String returns the constant's name, or "Padding(n)" for an unknown value.
func (p Padding) String() string {
	switch p {
	case NoPadding:
		return "NoPadding"
	case Method1:
		return "Method1"
	case Method2:
		return "Method2"
	case PKCS7Padding:
		return "PKCS7Padding"
	}
	return fmt.Sprintf("Padding(%d)", int(p))
}

func pad(data []byte, bs int, p Padding) ([]byte, error) {
	n := len(data)
	var total int
	switch p {
	case NoPadding:
		if n%bs != 0 {
			return nil, fmt.Errorf("%w: %d bytes is not a whole number of %d-byte blocks", ErrDataLength, n, bs)
		}
		total = n
	case Method1:
		total = (n + bs - 1) / bs * bs
	case Method2, PKCS7Padding:
		total = (n/bs + 1) * bs
	default:
		return nil, fmt.Errorf("%w: %v", ErrPadding, p)
	}
	out := make([]byte, total)
	copy(out, data)
	switch p {
	case Method2:
		out[n] = 0x80
	case PKCS7Padding:
		for i := n; i < total; i++ {
			out[i] = byte(total - n)
		}
	}
	return out, nil
}

func unpad(data []byte, bs int, p Padding) ([]byte, error) {
	switch p {
	case NoPadding, Method1:
		return data, nil
	case Method2:
		i := len(data) - 1
		for i >= 0 && i >= len(data)-bs && data[i] == 0 {
			i--
		}
		if i >= 0 && i >= len(data)-bs && data[i] == 0x80 {
			return data[:i], nil
		}
	case PKCS7Padding:
		if len(data) == 0 {
			break
		}
		v := int(data[len(data)-1])
		if v == 0 || v > bs {
			break
		}
		ok := true
		for _, b := range data[len(data)-v:] {
			ok = ok && int(b) == v
		}
		if ok {
			return data[:len(data)-v], nil
		}
	default:
		return nil, fmt.Errorf("%w: %v", ErrPadding, p)
	}
	return nil, fmt.Errorf("%w: %v does not check", ErrPadding, p)
}

func cbcEncrypt(c cipher.Block, iv, data []byte, p Padding) ([]byte, error) {
	bs := c.BlockSize()
	if len(iv) != bs {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrIVLength, len(iv), bs)
	}
	out, err := pad(data, bs, p)
	if err != nil {
		return nil, err
	}
	cipher.NewCBCEncrypter(c, iv).CryptBlocks(out, out)
	return out, nil
}

func cbcDecrypt(c cipher.Block, iv, data []byte, p Padding) ([]byte, error) {
	bs := c.BlockSize()
	if len(iv) != bs {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrIVLength, len(iv), bs)
	}
	if p < NoPadding || p > PKCS7Padding {
		return nil, fmt.Errorf("%w: %v", ErrPadding, p)
	}
	if len(data)%bs != 0 {
		return nil, fmt.Errorf("%w: %d bytes is not a whole number of %d-byte blocks", ErrDataLength, len(data), bs)
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(c, iv).CryptBlocks(out, data)
	return unpad(out, bs, p)
}

func tdesBlock(key []byte) (cipher.Block, error) {
	if len(key) != 16 && len(key) != 24 {
		return nil, fmt.Errorf("%w: TDES key is %d bytes, want 16 or 24", ErrKeyLength, len(key))
	}
	if err := desAllowed(); err != nil {
		return nil, err
	}
	c, _ := tdes.NewCipher(key) // the length and the mode are checked
	return c, nil
}

func aesBlock(key []byte) (cipher.Block, error) {
	if _, ok := aesKeyType(len(key)); !ok {
		return nil, fmt.Errorf("%w: AES key is %d bytes, want 16, 24 or 32", ErrKeyLength, len(key))
	}
	c, err := aes.NewCipher(key)
	if err != nil {
		return nil, cipherError(err)
	}
	return c, nil
}

// EncryptTDESCBC enciphers data (for example track data) in CBC mode under a
// 16- or 24-byte TDES key such as a DataEncryption key, with the 8-byte iv
// and padding p, and returns a new slice. Errors: ErrKeyLength,
// ErrIVLength, ErrPadding, ErrDataLength (NoPadding with a partial block),
// ErrCipher (TDES in FIPS 140-only mode).
func EncryptTDESCBC(key, iv, data []byte, p Padding) ([]byte, error) {
	c, err := tdesBlock(key)
	if err != nil {
		return nil, err
	}
	return cbcEncrypt(c, iv, data, p)
}

// DecryptTDESCBC reverses EncryptTDESCBC: data must be whole 8-byte blocks;
// Method2 and PKCS7Padding are checked and removed, Method1 is left in
// place. Errors: ErrKeyLength, ErrIVLength, ErrDataLength, ErrPadding.
//
// A padding error tells whoever sent the ciphertext something about the
// plaintext: do not return it to an untrusted party as is.
func DecryptTDESCBC(key, iv, data []byte, p Padding) ([]byte, error) {
	c, err := tdesBlock(key)
	if err != nil {
		return nil, err
	}
	return cbcDecrypt(c, iv, data, p)
}

// EncryptAESCBC enciphers data in CBC mode under a 16-, 24- or 32-byte AES
// key such as an AES DUKPT DataEncryption key, with the 16-byte iv and
// padding p, and returns a new slice. Errors as EncryptTDESCBC.
func EncryptAESCBC(key, iv, data []byte, p Padding) ([]byte, error) {
	c, err := aesBlock(key)
	if err != nil {
		return nil, err
	}
	return cbcEncrypt(c, iv, data, p)
}

// DecryptAESCBC reverses EncryptAESCBC; see DecryptTDESCBC for padding and
// errors.
func DecryptAESCBC(key, iv, data []byte, p Padding) ([]byte, error) {
	c, err := aesBlock(key)
	if err != nil {
		return nil, err
	}
	return cbcDecrypt(c, iv, data, p)
}
