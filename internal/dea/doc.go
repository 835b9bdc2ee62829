// Package dea is the Data Encryption Algorithm (DES, FIPS 46-3) and its triple
// form (TDEA, NIST SP 800-67) with key schedules held by value, so that
// deriving a key and using it allocates nothing.
//
// crypto/des allocates its key schedule on the heap (one allocation per
// NewCipher) and builds each round key bit by bit. TDES DUKPT computes a
// fresh DES key schedule at every derivation step, so this package keeps the
// schedule in a plain value that can live on the stack, computes it with
// lookup tables, and works on blocks as big-endian uint64 values:
//
//	var k dea.Key
//	k.SetUint64(0x0123456789ABCDEF)    // or k.Init(&key8)
//	c := k.Encrypt(0x4E6F772069732074) // "Now is t" → 0x3FA40E8A984D4815
//
//	var e dea.EDE
//	if !e.Init(key) { ... }            // 16-byte (K1 K2 K1) or 24-byte TDES key
//	c = e.Encrypt(block)               // E(K3, D(K2, E(K1, block)))
//	e.Wipe()
//
// Results equal crypto/des's: the tests compare the two on 20,000 random keys
// and blocks, and the fuzzer on arbitrary ones. Parity bits are ignored
// and weak keys accepted, as crypto/des does; callers that must refuse weak
// keys or bad parity check for them themselves.
//
// # Security
//
// This is table-lookup DES, like crypto/des: the S-box lookups are indexed by
// values that depend on the key and the data, so it has the same cache-timing
// exposure as crypto/des, no better and no worse. Unlike crypto/des's, the key schedules can be
// zeroed with Wipe once a key is no longer needed (copies a caller made of a
// Key or EDE value are the caller's to wipe). Single DES and two-key TDES are
// legacy algorithms; the package exists because payment standards (ANSI
// X9.24-1 DUKPT, ISO 9797-1 MACs, ISO 9564 PIN blocks) still require them.
//
// A Key or EDE is safe for concurrent use once initialised: Encrypt and
// Decrypt only read it. Init, SetUint64, SetKeys and Wipe write it.
//
// The FIPS 46-3 tables appear in the source as the standard prints them; the
// combined S-box/P tables and the PC-2 tables are derived from them at
// package initialisation, and the swap networks for IP, IP⁻¹ and PC-1 are
// checked against them by the tests.
package dea
