// Package dukpt implements Derived Unique Key Per Transaction: TDES DUKPT of
// ANSI X9.24-1:2009 and AES DUKPT of ANSI X9.24-3:2017, on both sides.
//
// A host (receiver) holds the base derivation key (BDK) and derives the key
// of any transaction from the key serial number (KSN) the terminal sent:
//
//	// TDES: 16-byte BDK, 10-byte KSN
//	pinKey, err := dukpt.TDESKey(bdk, ksn, dukpt.PINEncryption)
//	// AES: 16/24/32-byte BDK, 12-byte KSN, working key type
//	macKey, err := dukpt.AESKey(bdk, ksn, dukpt.MACGeneration, dukpt.AES128)
//
// A host deriving many keys builds a receiver once per BDK; it keeps the key
// schedules and is safe for concurrent use:
//
//	r, err := dukpt.NewTDESReceiver(bdk)
//	pinKey, err := r.Key(ksn, dukpt.PINEncryption)
//
// A terminal (originator) is loaded once with its initial key and then asks
// for each transaction's KSN and working keys, persisting its state before it
// uses them:
//
//	o, err := dukpt.NewTDESOriginator(ipek, initialKSN)
//	tx, err := o.Next()             // tx.KSN, tx.PIN, tx.MACRequest, ...
//	state, err := o.MarshalBinary() // store it, then use tx's keys
//
// The everyday functions hand out working keys only. The raw transaction and
// intermediate keys, which are not PIN keys, are reachable only through
// TDESTransactionKey and AESIntermediateKey, meant for test tools.
//
// MAC keys work with package mac (TDES: mac.ISO9797Alg3, the X9.19 retail
// MAC; AES: mac.AESCMAC); key check values of derived keys come from
// mac.KCV and mac.AESKCV. EncryptTDESCBC and EncryptAESCBC encipher track
// data under the data keys.
//
// Errors are the sentinel values below, wrapped with context; no error
// carries key bytes.
//
// Derivations allocate one thing, the key they return. Every key schedule
// they build is a value on the stack, wiped before they return: DES from
// poskit's own table-driven DES (the same construction as crypto/des, with
// its key schedule about ten times faster), AES on amd64 from AES-NI
// instructions through poskit's own constant-time assembly. Elsewhere, and in
// FIPS 140-3 mode, AES schedules come from crypto/aes, which allocates one
// per step and cannot be wiped. DES follows the standard library's policy: in
// FIPS 140-only mode (GODEBUG=fips140=only) TDES DUKPT returns ErrCipher.
// Go cannot promise that no copy of a key survives in a register spill or a
// moved stack; the wiping is best effort, as everywhere in Go.
package dukpt
