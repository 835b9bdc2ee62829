package pinblock

import "io"

// Test adapters over the word-based internals.

// encodeBytes returns what encode forms, as bytes: the clear block (formats
// 0-3, first 8 bytes) or the plain-text PIN field (format 4).
func encodeBytes(f Format, pin, pan string, r io.Reader) ([16]byte, error) {
	var p [16]byte
	blk, _, err := encode(f, pin, pan, r)
	blk.put(p[:])
	return p, err
}

// panField8 XORs the format 0/3 account number field of pan into p.
func panField8(p *[8]byte, pan string) {
	w, err := panWords(ISO0, pan)
	if err != nil {
		panic("test bug: " + err.Error())
	}
	w.xor(p[:])
}

// panField16 XORs the format 4 PAN field of pan into p[:16].
func panField16(p []byte, pan string) {
	w, err := panWords(ISO4, pan)
	if err != nil {
		panic("test bug: " + err.Error())
	}
	w.xor(p[:16])
}

// checkPIN reports whether pin is a valid PIN.
func checkPIN(pin string) error {
	_, err := pinField(ISO0, pin, 0)
	return err
}
