package qr

// crcTable is the byte-wise table of CRC-16/CCITT-FALSE: polynomial 0x1021,
// initial value 0xFFFF, no reflection, no final XOR.
var crcTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for j := 0; j < 8; j++ {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

// crcInit is the initial value of CRC-16/CCITT-FALSE.
const crcInit = 0xFFFF

// crcUpdate runs the CRC over the bytes of s.
func crcUpdate(crc uint16, s string) uint16 {
	for i := 0; i < len(s); i++ {
		crc = crc<<8 ^ crcTable[byte(crc>>8)^s[i]]
	}
	return crc
}

// CRC returns the CRC-16/CCITT-FALSE (polynomial 0x1021, initial value
// FFFF) of the bytes of s, the checksum of ID 63. Its check value, over
// "123456789", is 0x29B1.
func CRC(s string) uint16 { return crcUpdate(crcInit, s) }

const upperHex = "0123456789ABCDEF"

// crcHex writes crc as four upper-case hex digits.
func crcHex(crc uint16) [4]byte {
	return [4]byte{upperHex[crc>>12], upperHex[crc>>8&0xF], upperHex[crc>>4&0xF], upperHex[crc&0xF]}
}
