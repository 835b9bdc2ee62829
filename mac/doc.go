// Package mac computes the message authentication codes of card payments.
//
// It covers the block-cipher MACs that terminals, PIN pads and acquirer hosts
// exchange:
//
//   - ISO 9797-1 MAC algorithm 1 (CBC-MAC): with a single-DES key it is
//     ANSI X9.9 / FIPS 113, with a 16- or 24-byte key it is TDES CBC-MAC.
//   - ISO 9797-1 MAC algorithm 3, the ANSI X9.19 "retail MAC": single DES
//     under K1 over every block, then the last block under the whole TDES key.
//   - CMAC (NIST SP 800-38B) over AES (RFC 4493) and over TDES.
//   - The China UnionPay POS MAC, often called the "ECB" MAC: the message
//     blocks are XORed together and the result is enciphered twice.
//   - Key check values (KCV) of DES, TDES and AES keys.
//
// The one-shot functions take a key and data:
//
//	tag, err := mac.ISO9797Alg3(key, mab, mac.Method1) // 8 bytes
//	field64 := tag[:4]                                 // usual ISO 8583 truncation
//
// A host that MACs many messages under one key builds the key schedule once
// and reuses it; the value is safe for concurrent use:
//
//	m, err := mac.NewISO9797Alg3(key, mac.Method1)
//	...
//	tag := m.MAC(mab)
//	ok := m.Verify(mab, received)                   // constant time, the full 8 bytes
//	ok = mac.VerifyTruncated(m, mab, received[:4], 4) // a protocol that sends 4 bytes
//
// # Output and truncation
//
// Every function returns the full MAC: 8 bytes for the DES family, 16 for
// AES-CMAC, 8 ASCII hexadecimal characters for the UnionPay MAC. Protocols
// send fewer bytes: ANSI X9.19 and most ISO 8583 dialects put the leftmost 4
// bytes in field 64 (the rest of the 8-byte field zero or ignored), DUKPT
// test vectors quote the leftmost 4 bytes, and TR-31 uses the leftmost 8 bytes
// of an AES-CMAC. [Algorithm.Verify] takes the full MAC only; a truncated
// tag is checked with [VerifyTruncated], where the caller names the length
// the protocol fixes (at least [MinTagLength]), so that a tag cut short by
// an attacker is never accepted by accident.
//
// # Padding
//
// ISO 9797-1 padding method 1 appends zero bytes up to the block size (none
// if the data is already aligned; an empty message becomes one zero block).
// Method 2 appends 0x80 and then zeros, always adding at least one byte.
// Method 3 prefixes a block holding the data length in bits and pads with
// zeros. Because method 1 is ambiguous for messages that end in zero bytes,
// it is safe only where the message length is fixed or sent separately, as
// in ISO 8583.
//
// # Keys held elsewhere
//
// [NewISO9797Alg1FromBlock], [NewISO9797Alg3FromBlocks], [NewCMACFromBlock]
// and [NewCUPECBFromBlock] take the key as a cipher.Block handle, so that a
// MAK can stay in an HSM or a KMS: the MAC only calls its Encrypt.
//
// # Errors
//
// A key of a length the algorithm does not take returns an error wrapping
// [ErrKeyLength] that names the lengths allowed; an unknown padding returns
// [ErrPadding]; a DES or TDES key in FIPS 140-only mode (GODEBUG=fips140=only,
// where crypto/des refuses DES) returns [ErrUnavailable]; an unsuitable
// cipher.Block handle returns [ErrBlock]. Errors never contain key bytes or
// data.
package mac
