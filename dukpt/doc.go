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
//	tx, err := o.Next()                      // tx.KSN, tx.PIN, tx.MACRequest, ...
//	state, err := o.MarshalSealed(deviceKey) // store it, then use tx's keys
//
// The everyday functions hand out working keys only. The raw transaction and
// intermediate keys, which are not PIN keys, are reachable only through
// [TDESTransactionKey] and [AESIntermediateKey], meant for test tools.
//
// MAC keys work with package mac (TDES: [mac.ISO9797Alg3], the X9.19 retail
// MAC; AES: [mac.AESCMAC]); key check values of derived keys come from
// [mac.KCV] and [mac.AESKCV]. [EncryptTDESCBC] and [EncryptAESCBC] encipher
// track data under the data keys, padded with ISO 9797-1 [Method1] or
// [Method2] (the names package mac uses) or PKCS #7.
//
// Errors are the sentinel values below, wrapped with context; no error
// carries key bytes.
//
// # Keys held elsewhere
//
// [NewTDESReceiverFromBlocks] and [NewAESReceiverFromBlock] take the BDK as
// cipher.Block handles, so that it can stay in an HSM or a KMS: the receiver
// calls only their Encrypt, for the initial key of each terminal it has not
// cached, and derives the rest of the key tree in this process.
//
// # Originator state and rollback
//
// An originator's state ([TDESOriginator.MarshalBinary]) holds the future
// keys of every transaction to come. [TDESOriginator.UnmarshalBinary] checks its frame, its checksum and
// that the registers are filled exactly as its counter implies, so a
// damaged or edited state is refused rather than handing out keys derived
// from an erased register; the CRC-32 catches torn writes, not an attacker.
// [TDESOriginator.MarshalSealed] encrypts and authenticates the state with
// AES-GCM under a device key the terminal holds apart from the store;
// [TDESOriginator.UnmarshalSealed] refuses any state not sealed under that
// key. The AES originator has the same methods.
//
// Neither format can tell a current state from an older genuine one. A
// terminal restored from a backup or a virtual machine snapshot resumes
// from an earlier counter and sends again KSNs, and keys, it has already
// used: a host that sees the same KSN twice must reject the second one, and
// an observer of both transactions learns that two PIN blocks or MACs were
// made under one key. Give the originator the last KSN the host (or a
// monotonic store) has seen with [TDESOriginator.SetLastUsed]: it then
// returns [ErrRollback] instead of replaying, and refuses to restore an
// older state.
//
// # Ciphers and memory
//
// TDES derivations run on poskit's own table-driven DES (the construction
// of crypto/des, with its key schedule about ten times faster); their key
// schedules are values on the stack, wiped before returning, and a
// derivation allocates only the key it returns. DES follows the standard
// library's policy: in FIPS 140-only mode (GODEBUG=fips140=only) TDES DUKPT
// returns [ErrCipher] and AES DUKPT works. AES derivations use crypto/aes,
// which allocates one key schedule per step; Go offers no way to zero a
// crypto/aes schedule, so those round keys stay in memory until the garbage
// collector reuses it. Close ([TDESReceiver.Close], [AESReceiver.Close],
// [TDESOriginator.Close], [AESOriginator.Close]) zeroes every
// buffer and DES schedule the value owns and drops its AES ciphers; keys
// returned to the caller are the caller's to wipe ([TDESTransaction.Wipe],
// [AESTransaction.Wipe]). Go cannot promise that no copy of a key survives in
// a register spill or a moved stack: wiping is best effort, as everywhere in
// Go.
package dukpt
