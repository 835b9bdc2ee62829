// Package aesenc enciphers AES blocks (FIPS 197) under key schedules held by
// value: on amd64 with AES-NI neither building a schedule nor using it
// allocates.
//
// It exists for AES DUKPT (ANSI X9.24-3), where every derivation step
// enciphers one or two blocks under a fresh key. crypto/aes.NewCipher puts
// each schedule on the heap (one allocation per step) and offers no way to
// erase it. A Key here is a plain value: declared as a local variable it
// stays on the stack, Init fills it without allocating, and Wipe zeroes it.
//
//	var k aesenc.Key
//	if err := k.Init(key); err != nil { // 16, 24 or 32 bytes
//		return err // wraps aesenc.ErrKeySize
//	}
//	defer k.Wipe()
//	k.Encrypt(out, in) // one 16-byte block; out and in may be the same slice
//
// Only encryption is provided; DUKPT derivation never decrypts.
//
// # Implementations
//
// On amd64 CPUs with the AES instructions (Accelerated reports true) the key
// expansion uses AESKEYGENASSIST and the block uses AESENC/AESENCLAST, in
// assembly. Both run in constant time: no table lookups, no branches or
// memory addresses that depend on key or data.
//
// Elsewhere (other architectures, CPUs without AES-NI, or builds with the
// purego tag) a Key wraps crypto/aes.NewCipher: the results are the same,
// Init allocates, and Wipe can only drop the standard library's schedule,
// not erase it. Whether that path is constant time is crypto/aes's matter:
// it uses the platform's AES instructions where Go supports them, and
// otherwise portable code with lookup tables, which is not.
package aesenc
