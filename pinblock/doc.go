// Package pinblock forms, checks, enciphers, deciphers and translates PIN
// blocks in the formats of ISO 9564-1:2017: formats 0 to 3 (8-byte blocks
// under a TDES key) and format 4 (16-byte blocks under an AES key).
//
// The common calls are Encrypt on a terminal and Decrypt or Translate on a
// host:
//
//	block, err := pinblock.Encrypt(pinblock.ISO0, pinKey, "1234", "4012345678909")
//	// ... send block ...
//	pin, err := pinblock.Decrypt(pinblock.ISO0, pinKey, block, "4012345678909")
//	// or, without ever holding the PIN:
//	out, err := pinblock.Translate(pinblock.ISO0, dukptKey, pinblock.ISO4, zoneKey, block, pan)
//
// A host that works under one key many times builds a [Cipher] once with
// [NewCipher] (or [NewCipherFromBlock] over any cipher.Block, an HSM's
// included) and skips the key schedule on every call. Its Rand field
// injects the source of random fill (formats 1, 3 and 4), which is
// crypto/rand otherwise.
//
// # Formats
//
// A PIN is 4 to 12 decimal digits. The PAN is the primary account number as
// decimal digits: formats 0 and 3 need 13 to 19 digits (they use the
// rightmost 12 excluding the check digit), format 4 takes 1 to 19 digits, and
// formats 1 and 2 ignore it.
//
//	ISO0  0 N P..P F..F          XOR 0000 + 12 PAN digits     TDES
//	ISO1  1 N P..P R..R          random fill 0-F, no PAN       TDES
//	ISO2  2 N P..P F..F          ICC offline PIN, no PAN       TDES
//	ISO3  3 N P..P X..X          random fill A-F, XOR PAN      TDES
//	ISO4  4 N P..P A..A + 8 random bytes, AES: E(K, E(K, PIN field) XOR PAN field)
//
// # Strict checking
//
// Decode and Decrypt check the control nibble, the length nibble (4 to 12),
// every PIN digit (0-9) and every fill nibble (F for formats 0 and 2, A-F for
// format 3, A for format 4; format 1's fill is free). Any failure is the bare
// [ErrBadBlock], whatever check failed, and every nibble is checked without
// an early exit, so the error does not tell which part of a block was wrong
// (a decryption that names the failed check is an oracle for the PIN).
// A wrong key or a wrong PAN shows up as ErrBadBlock too, with a strength
// that depends on the format. In format 4 both deciphering steps depend on
// the key and the PAN, so the result is a random-looking block that passes
// every check with a probability of about 6e-8: a wrong key or PAN is caught in
// essentially every case. Formats 0 and 3 catch a wrong key about as well
// (format 3 less so, its fill being six values wide), but a wrong PAN only
// changes the nibbles it is XORed with: a PAN that differs only where PIN
// digits sit can decode to a wrong PIN without error. Format 1 checks no
// fill, so a block deciphered under a wrong key still passes about once in
// 600 tries; it has no PAN to get wrong.
//
// # Translation
//
// Translate and Cipher.Translate follow the restrictions of ISO 9564-1 and
// PCI PIN Security requirement 3-3: a block in a PAN-bound format (0, 3, 4)
// is never translated to format 1, a format 2 block only to format 2, and the
// PAN cannot change (both sides take the same PAN argument).
//
// # What is wiped
//
// The clear PIN block is formed in local 64-bit words and written only into
// the output buffer, where the enciphered block overwrites it before the call
// returns; deciphering uses a scratch buffer that is zeroed, and decoded PIN
// digits sit in a local array that is zeroed once the result is built. Go
// does not let a library promise more: a PIN passed or returned as a string
// can never be wiped, the garbage collector may have copied a heap buffer
// before it was zeroed, and the compiler may leave copies of locals in
// registers or spilled stack slots. Callers who want the most control hold
// the PIN in a []byte and use Cipher.AppendEncrypt and Cipher.AppendDecrypt,
// then zero their own buffer; Translate never returns the PIN at all.
//
// Key schedules are not wiped: formats 0-3 build theirs on poskit's DES and
// format 4 on crypto/aes, whose round keys Go gives no way to zero; a
// Cipher's schedule lives until the garbage collector reclaims it. A key
// kept in an HSM goes through NewCipherFromBlock instead.
//
// In FIPS 140-only mode (GODEBUG=fips140=only), where crypto/des refuses DES,
// formats 0-3 return ErrCipher and format 4 works.
//
// No error returned by this package carries a PIN, a PAN or key bytes.
// Everything is safe for concurrent use, provided a Cipher's Rand is.
package pinblock
