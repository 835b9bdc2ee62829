package keyblock

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"fmt"

	"github.com/poskit/poskit/internal/wipe"
)

// ParseHeader parses the header and optional blocks of a key block and
// checks its structure (length field, optional blocks, padding, payload and
// MAC field lengths) and the X9.143 header rules, without a key: for showing
// a key block, never for trusting one; only [Unwrap] authenticates.
//
// Errors: ErrFormat, ErrVersion, ErrHeader, ErrOptionalBlock, ErrCombination,
// ErrExportability.
func ParseHeader(keyBlock string) (Header, error) {
	h, _, _, err := split(keyBlock)
	return h, err
}

// split parses the header and returns it with the payload and MAC fields
// (hexadecimal text).
func split(s string) (h Header, payload, mac string, err error) {
	h, n, err := parseHeader(s)
	if err != nil {
		return Header{}, "", "", err
	}
	total := 0
	for i := 1; i < 5; i++ {
		total = total*10 + int(s[i]-'0')
	}
	if total != len(s) {
		return Header{}, "", "", fmt.Errorf("%w: length field says %d characters, the block has %d", ErrFormat, total, len(s))
	}
	ml := 2 * macLen(h.Version)
	bs := blockSize(h.Version)
	rest := len(s) - n - ml
	if rest < 2*bs || rest%(2*bs) != 0 {
		return Header{}, "", "", fmt.Errorf("%w: key data is %d characters, not a positive multiple of %d", ErrFormat, max(rest, 0), 2*bs)
	}
	payload, mac = s[n:n+rest], s[n+rest:]
	// Hexadecimal in one case throughout: uppercase as X9.143 prints it, or
	// lowercase as some issuers' tools emit it (Apple's Tap to Pay key
	// blocks); a block mixing the two is refused, so that no single
	// character can change without the block being rejected.
	isHex := isUpperHex
	for i := n; i < len(s); i++ {
		if c := s[i]; c > '9' {
			if c >= 'a' {
				isHex = isLowerHex
			}
			break
		}
	}
	for i := n; i < len(s); i++ {
		if !isHex(s[i]) {
			return Header{}, "", "", fmt.Errorf("%w: character %d of the key data or MAC is not a hexadecimal digit of the block's case", ErrFormat, i+1)
		}
	}
	if err := checkRules(&h); err != nil {
		return Header{}, "", "", err
	}
	return h, payload, mac, nil
}

// Unwrap authenticates the key block under the key block protection key
// kbpk and returns its header and key. The MAC is compared in constant time
// before the key data is read; the key is a fresh slice, the caller's to
// wipe.
//
// Errors: those of [ParseHeader], and ErrKBPK, ErrCipher, ErrMAC (wrong KBPK
// or modified block), ErrKey (key length field beyond the key data),
// ErrStrength, ErrCheckValue.
func Unwrap(kbpk []byte, keyBlock string) (Header, []byte, error) {
	h, payload, macHex, err := split(keyBlock)
	if err != nil {
		return Header{}, nil, err
	}
	if !kbpkLenOK(h.Version, len(kbpk)) {
		return Header{}, nil, fmt.Errorf("%w: %d bytes for version %c", ErrKBPK, len(kbpk), h.Version)
	}
	header := keyBlock[:len(keyBlock)-len(payload)-len(macHex)]
	plain, err := open(h.Version, kbpk, header, payload, macHex)
	if err != nil {
		return Header{}, nil, err
	}
	defer wipe.Bytes(plain)
	bits := int(binary.BigEndian.Uint16(plain))
	if bits == 0 || bits%8 != 0 || bits/8 > len(plain)-2 {
		return Header{}, nil, fmt.Errorf("%w: key length field of %d bits in %d bytes of key data", ErrKey, bits, len(plain)-2)
	}
	key := make([]byte, bits/8)
	copy(key, plain[2:])
	if err := checkKey(&h, len(kbpk), len(key), false); err != nil {
		wipe.Bytes(key)
		return Header{}, nil, err
	}
	if err := verifyCheckValues(&h, kbpk, key); err != nil {
		wipe.Bytes(key)
		return Header{}, nil, err
	}
	return h, key, nil
}

// open authenticates and deciphers the payload, returning the clear key
// data in a fresh slice.
func open(v byte, kbpk []byte, header, payload, macHex string) ([]byte, error) {
	kbek, kbak, err := bindingKeys(v, kbpk)
	if err != nil {
		return nil, err
	}
	defer wipe.Bytes(kbek)
	defer wipe.Bytes(kbak)
	enc, err := newBlockCipher(v, kbek)
	if err != nil {
		return nil, err
	}
	auth, err := newBlockCipher(v, kbak)
	if err != nil {
		return nil, err
	}
	// One allocation for the MAC state and the expected MAC, which the
	// cipher interfaces would otherwise move to the heap piecemeal.
	st := new(struct {
		c    cmac
		want [16]byte
	})
	ml := macLen(v)
	decodeHex(st.want[:ml], macHex)
	buf := make([]byte, len(payload)/2)
	decodeHex(buf, payload)
	bs := blockSize(v)
	if v == 'A' || v == 'C' {
		// The MAC covers the ciphertext: check it before deciphering.
		var got [8]byte
		cbcMAC(auth, got[:], []byte(header), buf)
		if subtle.ConstantTimeCompare(got[:ml], st.want[:ml]) != 1 {
			return nil, ErrMAC
		}
		cipher.NewCBCDecrypter(enc, []byte(header[:bs])).CryptBlocks(buf, buf)
		return buf, nil
	}
	// The MAC covers the clear key data and is the IV: decipher into our
	// own buffer, check, and wipe it on failure before anything reads it.
	cipher.NewCBCDecrypter(enc, st.want[:bs]).CryptBlocks(buf, buf)
	st.c.init(auth)
	ok := subtle.ConstantTimeCompare(st.c.sum(header, buf)[:ml], st.want[:ml]) == 1
	st.c.wipe()
	if !ok {
		wipe.Bytes(buf)
		return nil, ErrMAC
	}
	return buf, nil
}

// decodeHex decodes hexadecimal text, already checked, into dst.
func decodeHex(dst []byte, s string) {
	for i := range dst {
		dst[i] = nibble(s[2*i])<<4 | nibble(s[2*i+1])
	}
}

func nibble(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
