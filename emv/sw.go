package emv

import "fmt"

// StatusWord is the ISO/IEC 7816-4 status word (SW1 SW2) that ends a card
// response: 9000 for success, 6A82 for an application not found ...
type StatusWord uint16

// statusWords names the status words EMV Book 1 and Book 3 (§6.3.5 and
// annex) and ISO/IEC 7816-4 (§5.1.3) define that a terminal meets.
var statusWords = map[StatusWord]string{
	0x9000: "normal processing",
	0x6281: "part of the returned data may be corrupted",
	0x6282: "end of file or record reached before reading Le bytes",
	0x6283: "selected file invalidated (application blocked)",
	0x6400: "execution error, state of non-volatile memory unchanged",
	0x6581: "memory failure",
	0x6700: "wrong length",
	0x6981: "command incompatible with file structure",
	0x6982: "security status not satisfied",
	0x6983: "authentication method blocked (PIN try limit exceeded)",
	0x6984: "referenced data invalidated",
	0x6985: "conditions of use not satisfied",
	0x6986: "command not allowed",
	0x6A80: "incorrect parameters in the data field",
	0x6A81: "function not supported (card blocked)",
	0x6A82: "file or application not found",
	0x6A83: "record not found",
	0x6A86: "incorrect parameters P1-P2",
	0x6A88: "referenced data not found",
	0x6B00: "wrong parameters P1-P2",
	0x6D00: "instruction code not supported",
	0x6E00: "class not supported",
	0x6F00: "no precise diagnosis",
}

// String returns the status word in hex with its meaning: "9000 (normal
// processing)", "61 1A (26 more bytes available)", "63C2 (verification
// failed, 2 tries left)".
func (sw StatusWord) String() string {
	sw1, sw2 := byte(sw>>8), byte(sw)
	if m, ok := statusWords[sw]; ok {
		return fmt.Sprintf("%04X (%s)", uint16(sw), m)
	}
	switch {
	case sw1 == 0x61:
		return fmt.Sprintf("%04X (%d more bytes available: GET RESPONSE)", uint16(sw), sw2)
	case sw1 == 0x6C:
		return fmt.Sprintf("%04X (wrong Le: %d bytes available)", uint16(sw), sw2)
	case sw1 == 0x63 && sw2&0xF0 == 0xC0:
		return fmt.Sprintf("%04X (verification failed, %d tries left)", uint16(sw), sw2&0x0F)
	case sw1 == 0x62 || sw1 == 0x63:
		return fmt.Sprintf("%04X (warning)", uint16(sw))
	case sw1 >= 0x64 && sw1 <= 0x6F:
		return fmt.Sprintf("%04X (error)", uint16(sw))
	}
	return fmt.Sprintf("%04X", uint16(sw))
}

// Success reports whether the status word is 9000.
func (sw StatusWord) Success() bool { return sw == 0x9000 }

// SplitStatusWord splits a card response into its data and a trailing
// status word. It reports ok when the last two bytes are a status word
// (SW1 from 61 to 6F or 90 to 9F) and what comes before them is empty or
// well-formed TLV; otherwise body is resp and ok is false, so that data
// whose last value happens to end in 90 00 is left alone. body aliases
// resp.
func SplitStatusWord(resp []byte) (body []byte, sw StatusWord, ok bool) {
	n := len(resp)
	if n < 2 {
		return resp, 0, false
	}
	sw1 := resp[n-2]
	if !(sw1 >= 0x61 && sw1 <= 0x6F || sw1 >= 0x90 && sw1 <= 0x9F) {
		return resp, 0, false
	}
	body = resp[:n-2]
	s := NewScannerMode(body, Lenient)
	for s.Next() {
	}
	if s.Err() != nil {
		return resp, 0, false
	}
	return body, StatusWord(sw1)<<8 | StatusWord(resp[n-1]), true
}
