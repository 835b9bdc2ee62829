//go:build amd64 && !purego

package aesenc

// hasAESNI reports whether this CPU has the AES instructions; read once.
var hasAESNI = cpuHasAES()

// expandKeyAsm writes the FIPS 197 key schedule of the 16-, 24- or 32-byte
// key at key (nr = 10, 12 or 14 rounds) to enc[:16*(nr+1)].
//
//go:noescape
func expandKeyAsm(nr int, key *byte, enc *[maxScheduleLen]byte)

// encryptBlockAsm enciphers the 16 bytes at src into the 16 bytes at dst
// with AESENC/AESENCLAST under the nr-round schedule enc. The block is read
// in full before it is written, so dst and src may overlap in any way.
//
//go:noescape
func encryptBlockAsm(nr int, enc *[maxScheduleLen]byte, dst, src *byte)

// cpuHasAES executes CPUID leaf 1 and returns ECX bit 25 (AES).
func cpuHasAES() bool

// expandKey fills k.enc for key, which Init has checked to be 16, 24 or 32
// bytes for nr rounds.
func (k *Key) expandKey(key []byte, nr int) {
	expandKeyAsm(nr, &key[0], &k.enc)
}

// encryptBlock enciphers src[:16] into dst[:16] under k.enc; the caller has
// checked both lengths and that k.rounds is 10, 12 or 14.
func (k *Key) encryptBlock(dst, src []byte) {
	encryptBlockAsm(k.rounds, &k.enc, &dst[0], &src[0])
}
