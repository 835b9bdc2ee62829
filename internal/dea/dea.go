package dea

//go:generate go run gen_rounds.go

import (
	"encoding/binary"
	"math/bits"
	"runtime"
)

// Key is the key schedule of one DES key: the 16 round keys of FIPS 46-3.
//
// The zero value is the schedule of the all-zero key. A Key holds no pointers
// and may be copied, compared and kept on the stack; nothing in this package
// allocates. After Init or SetUint64, Encrypt and Decrypt only read the
// schedule, so one Key may serve concurrent callers.
type Key struct {
	// sub[i] is the round key of round i+1, packed for the round function
	// (see pack): the high word holds the six-bit groups of S2, S4, S6 and
	// S8, the low word those of S1, S3, S5 and S7.
	sub [16]uint64
}

// Init computes the schedule of the DES key held in key (8 bytes, big
// endian, as printed in the standards). The parity bits (the low bit of each
// byte) are ignored and weak or semi-weak keys are accepted, as crypto/des
// does. key is only read.
func (k *Key) Init(key *[8]byte) {
	// The little-endian load is the byte reversal that PC-1 starts with.
	k.schedule(binary.LittleEndian.Uint64(key[:]))
}

// SetUint64 is Init for a key given as a big-endian uint64:
// 0x0123456789ABCDEF is the key 01 23 45 67 89 AB CD EF.
func (k *Key) SetUint64(key uint64) {
	k.schedule(bits.ReverseBytes64(key))
}

// EncryptBlock enciphers the 8 bytes of src into dst. dst and src may be the
// same array.
func (k *Key) EncryptBlock(dst, src *[8]byte) {
	binary.BigEndian.PutUint64(dst[:], k.Encrypt(binary.BigEndian.Uint64(src[:])))
}

// DecryptBlock deciphers the 8 bytes of src into dst. dst and src may be the
// same array.
func (k *Key) DecryptBlock(dst, src *[8]byte) {
	binary.BigEndian.PutUint64(dst[:], k.Decrypt(binary.BigEndian.Uint64(src[:])))
}

// Wipe zeroes the schedule. The round keys reveal the key (each one is 48 of
// its 56 bits), so a caller done with a secret key wipes its schedule; the
// zeroed Key is the schedule of the all-zero key.
func (k *Key) Wipe() {
	k.sub = [16]uint64{}
	runtime.KeepAlive(k)
}

// Derived tables, computed once from the FIPS 46-3 tables in tables.go.
var (
	// spBox[64*s+x] is P(S_{s+1}(x)) placed in a 32-bit word and rotated
	// left by one bit, the form in which the round function keeps both
	// halves. The eight boxes share one array so that the round function
	// indexes them all from one base address.
	spBox [8 * 64]uint32
	// pc2Box[128*j+v] holds the packed round-key bits that PC-2 takes from
	// the seven bits v at chunk j of the 56-bit register CD: j = 0..3 are the
	// four 7-bit chunks of C from the left, j = 4..7 those of D.
	pc2Box [8 * 128]uint64
)

func init() {
	for s := range 8 {
		for x := range uint64(64) {
			row := x>>4&2 | x&1
			col := x >> 1 & 15
			v := uint64(sBoxes[s][row][col]) << (28 - 4*s)
			spBox[64*s+int(x)] = bits.RotateLeft32(uint32(permute(v, 32, pTable[:])), 1)
		}
	}
	for j := range 8 {
		for v := range uint64(128) {
			pc2Box[128*j+int(v)] = pack(permute(v<<(49-7*j), 56, pc2Table[:]))
		}
	}
}

// pack arranges a 48-bit round key K1..K48 for the round function, which
// XORs both words with the right half R as kept by split. Group g of six
// bits (the input of S-box g) lands where E puts the bits of R it XORs with:
// in the high word the groups of S2, S4, S6, S8 in the low six bits of each
// byte, most significant byte first; in the low word S3, S5, S7 at bit 20, 12
// and 4, and S1, whose bits wrap around the word, rotated right by four.
func pack(k48 uint64) uint64 {
	g := func(n int) uint32 { return uint32(k48 >> (48 - 6*n) & 63) }
	even := g(2)<<24 | g(4)<<16 | g(6)<<8 | g(8)
	odd := bits.RotateLeft32(g(1), -4) | g(3)<<20 | g(5)<<12 | g(7)<<4
	return uint64(even)<<32 | uint64(odd)
}

// deltaSwap exchanges the bits of x at the positions set in mask with the
// bits shift places to their left. It is written four operations deep, one
// less than the usual t := (x ^ x>>shift) & mask; x ^ t ^ t<<shift, because
// the permutations are on the critical path of a single block.
func deltaSwap(x, mask uint64, shift uint) uint64 {
	lo, hi := x&mask, x&(mask<<shift)
	return (x ^ (lo ^ hi)) ^ (lo<<shift ^ hi>>shift)
}

// ip, fp, split and join are the permutations at both ends of the cipher,
// written once here: rounds.go (see gen_rounds.go) has them in line, and the
// tests check these against the standard's tables.

// ip is the initial permutation IP. Written with bit positions numbered from
// the least significant bit, IP sends the bit at position (b5..b0) to
// position (¬b0, b2, b1, ¬b5, ¬b4, ¬b3); the five swaps below exchange or
// exchange-and-complement two position bits each, composing that map.
// TestPermutations checks ip against ipTable.
func ip(x uint64) uint64 {
	x = deltaSwap(x, 0x000000000000ffff, 48) // b5,b4 ← ¬b4,¬b5
	x = deltaSwap(x, 0x00000000ff00ff00, 24) // b5,b3 ← b3,b5
	x = deltaSwap(x, 0x0000000055555555, 33) // b5,b0 ← ¬b0,¬b5
	x = deltaSwap(x, 0x0000f0f00000f0f0, 12) // b4,b2 ← b2,b4
	x = deltaSwap(x, 0x00cc00cc00cc00cc, 6)  // b3,b1 ← b1,b3
	return x
}

// fp is IP⁻¹: the swaps of ip in reverse order (each swap is its own
// inverse). TestPermutations checks fp against fpTable.
func fp(x uint64) uint64 {
	x = deltaSwap(x, 0x00cc00cc00cc00cc, 6)
	x = deltaSwap(x, 0x0000f0f00000f0f0, 12)
	x = deltaSwap(x, 0x0000000055555555, 33)
	x = deltaSwap(x, 0x00000000ff00ff00, 24)
	x = deltaSwap(x, 0x000000000000ffff, 48)
	return x
}

// split returns the halves L and R of a permuted block, each rotated left by
// one bit: in that form the six-bit groups of E(R) for S2, S4, S6, S8 sit in
// the low bits of the four bytes of R, those for S3, S5, S7 at bits 20, 12
// and 4, and the one for S1 at bits 28-31 and 0-1.
func split(x uint64) (l, r uint32) {
	return bits.RotateLeft32(uint32(x>>32), 1), bits.RotateLeft32(uint32(x), 1)
}

// join undoes split.
func join(l, r uint32) uint64 {
	return uint64(bits.RotateLeft32(l, -1))<<32 | uint64(bits.RotateLeft32(r, -1))
}

// schedule computes the round keys. rev is the key with its bytes reversed
// (little-endian load of the key bytes).
func (k *Key) schedule(rev uint64) {
	c, d := pc1(rev)
	tab := &pc2Box
	for i, s := range shifts {
		// s is 1 or 2; the masks only tell the compiler that the shifts are
		// below 32.
		c = (c<<(s&31) | c>>((28-s)&31)) & 0x0fffffff
		d = (d<<(s&31) | d>>((28-s)&31)) & 0x0fffffff
		uc, ud := uint(c), uint(d)
		k.sub[i] = tab[uc>>21&127] | tab[128+uc>>14&127] | tab[256+uc>>7&127] | tab[384+uc&127] |
			tab[512+ud>>21&127] | tab[640+ud>>14&127] | tab[768+ud>>7&127] | tab[896+ud&127]
	}
}

// pc1 is permuted choice 1 for a key whose bytes are reversed. PC-1 reads
// the key's 8×8 bit matrix by columns: C is columns 1, 2, 3 and the top half
// of column 4, each from the last byte up; D is columns 7, 6, 5 and the
// bottom half of column 4. The byte reversal and the three swaps below
// transpose the matrix so that row j of the result is column j of the key,
// last byte first. TestPermutations checks pc1 against pc1Table.
func pc1(rev uint64) (c, d uint32) {
	m := deltaSwap(rev, 0x00000000f0f0f0f0, 28)
	m = deltaSwap(m, 0x0000cccc0000cccc, 14)
	m = deltaSwap(m, 0x00aa00aa00aa00aa, 7)
	c = uint32(m >> 36)
	d = uint32(m>>8&0xff)<<20 | uint32(m>>16&0xff)<<12 | uint32(m>>24&0xff)<<4 | uint32(m>>32&0xf)
	return c, d
}
