// Package keyblock wraps and unwraps symmetric and asymmetric keys in ANSI
// X9.143 key blocks (the format first published as ASC X9 TR-31), the form in
// which keys travel between HSMs, key-injection facilities, hosts and
// terminals.
//
// A key block is printable ASCII: a 16-character header (version, length,
// key usage, algorithm, mode of use, key version, exportability, number of
// optional blocks, key context), the optional blocks, the enciphered key data
// in hexadecimal and a MAC over all of it. [Wrap] makes one, [Unwrap] checks
// and opens one:
//
//	h := keyblock.Header{Version: 'D', Usage: "P0", Algorithm: 'A', Mode: 'E',
//		KeyVersion: "00", Exportability: 'E'}
//	kb, err := keyblock.Wrap(kbpk, h, pinKey) // "D0112P0AE00E0000…"
//	got, key, err := keyblock.Unwrap(kbpk, kb)
//
// [ParseHeader] reads a block's header without a key (for showing it, never
// for trusting it), [CheckValue] computes the key check values of the KC and
// KP optional blocks, and [Wrapper.Export] re-wraps a key block for another
// party under the exportability rule.
//
// # Versions
//
// Version 'D' (AES key block protection key, key derivation binding with
// AES-CMAC, CBC with the MAC as IV) and version 'B' (TDES KBPK, key
// derivation binding with TDES-CMAC) are the ones X9.143 allows for new key
// blocks; [Wrap] writes them. Versions 'A' and 'C' (TDES, key variant binding,
// a 4-byte CBC-MAC) are deprecated by X9.143: [Unwrap] reads them, and only a
// [Wrapper] with LegacyVariantBinding set writes them.
//
// # What is checked
//
// Both directions check the header against the rules of X9.143: the key
// usage, algorithm and mode of use must combine ([ErrCombination]), the
// exportability must be one X9.143 defines ([ErrExportability]; Export
// refuses a non-exportable key), and a key is never carried by a weaker key
// block protection key ([ErrStrength]; checked for DES, TDES, AES and HMAC
// keys, whose strength follows from their length, not for asymmetric keys,
// whose strength is in their encoding).
// Optional blocks are parsed with their counts and lengths, in the short and
// the extended length form; the padding block "PB" is made by Wrap and
// removed by Unwrap, so [Header.Blocks] never holds it. Key check values in
// the optional blocks "KC" (of the wrapped key) and "KP" (of the KBPK) are
// verified by Unwrap, and computed by Wrap when a block holds only the method
// ("00" legacy, "01" CMAC).
//
// Unwrap authenticates the whole key block with a constant-time comparison
// before it reads anything of the key data: for versions A and C the MAC
// covers the ciphertext and is checked before deciphering; for B and D it
// covers the clear key data, which is deciphered into a buffer of the
// package's own, checked, and wiped when the MAC does not match. The key it
// returns is a fresh slice. No error carries key bytes. The key data and MAC
// are hexadecimal in one case: uppercase as X9.143 writes them (and as Wrap
// does), or lowercase throughout; a block mixing the two is refused.
//
// # FIPS 140-3
//
// TDES is refused by Go in FIPS 140-only mode (GODEBUG=fips140=only); so are
// versions A, B and C here, and the check values of TDES keys: they return
// [ErrCipher]. Version D with AES works in every mode.
//
// Safe for concurrent use: the package has no state.
package keyblock
