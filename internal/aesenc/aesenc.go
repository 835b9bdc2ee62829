package aesenc

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/fips140"
	"errors"
	"fmt"
	"sync"
)

// BlockSize is the AES block size in bytes.
const BlockSize = 16

// maxScheduleLen is the size of the longest key schedule, AES-256's
// 15 round keys of 16 bytes.
const maxScheduleLen = 15 * BlockSize

// ErrKeySize is returned (wrapped) by Init for a key that is not 16, 24 or 32
// bytes long.
var ErrKeySize = errors.New("aesenc: invalid AES key length")

// forceFallback makes Init use crypto/aes even where AES-NI is available, so
// that tests run both paths in one process. It must not change while Init
// runs in another goroutine.
var forceFallback bool

// Accelerated reports whether Init builds schedules for the AES-NI path
// (amd64 with the AES instructions, not built with the purego tag, and not
// in FIPS 140-3 mode). When it is false Init uses crypto/aes and allocates.
//
// In FIPS 140-3 mode (GODEBUG=fips140=on or only) every key goes through
// crypto/aes, which belongs to Go's validated cryptographic module; this
// package's own AES-NI code does not.
func Accelerated() bool {
	return hasAESNI && !forceFallback && !fips140.Enabled()
}

// Key is an AES encryption key schedule held by value. The zero Key holds no
// key; Init sets one and Wipe clears it.
//
// On the AES-NI path the whole schedule lives inside the Key: a Key that is a
// local variable stays on the stack, neither Init nor Encrypt allocates, and
// Wipe erases every round key. On the fallback path the Key keeps a
// crypto/aes cipher.Block, which Init allocates and which Wipe can only drop
// (the garbage collector reclaims it; its round keys are not erased).
//
// Encrypt may be called from several goroutines at once; Init and Wipe must
// not run at the same time as any other method on the same Key. A Key may be
// copied; the copy holds the same key.
type Key struct {
	// enc holds the round keys of the AES-NI path: the FIPS 197 words w[0],
	// w[1], ... as bytes, round key r at enc[16r:16r+16]. Bytes past the
	// schedule in use are zero.
	enc [maxScheduleLen]byte
	// rounds is Nr (10, 12 or 14) when enc holds a schedule, 0 otherwise.
	rounds int
	// block is the crypto/aes cipher of the fallback path, nil otherwise.
	block cipher.Block
}

// Init expands key, which must be 16, 24 or 32 bytes (AES-128, AES-192,
// AES-256), into k, replacing any key k held. It does not keep or modify
// the key slice. For any other length it returns an error wrapping
// ErrKeySize and leaves k holding no key.
//
// On the AES-NI path Init does not allocate; otherwise it calls
// crypto/aes.NewCipher, which does.
func (k *Key) Init(key []byte) error {
	var nr int
	switch len(key) {
	case 16:
		nr = 10
	case 24:
		nr = 12
	case 32:
		nr = 14
	default:
		k.Wipe()
		return fmt.Errorf("%w: %d bytes, want 16, 24 or 32", ErrKeySize, len(key))
	}
	if Accelerated() {
		k.block = nil
		k.expandKey(key, nr)
		clear(k.enc[(nr+1)*BlockSize:])
		k.rounds = nr
		return nil
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		// Not reached: crypto/aes accepts every length checked above.
		k.Wipe()
		return fmt.Errorf("aesenc: %w", err)
	}
	clear(k.enc[:])
	k.rounds = 0
	k.block = b
	return nil
}

// Encrypt enciphers the first BlockSize bytes of src into the first
// BlockSize bytes of dst. dst and src may overlap, exactly or not.
//
// Callers pass at least BlockSize bytes in each. Encrypt never panics:
// if dst or src is shorter, or k holds no key (the zero Key, after Wipe or
// after a failed Init), it zeroes what there is of dst[:BlockSize] instead,
// so that the plaintext is never passed through as if it were ciphertext.
func (k *Key) Encrypt(dst, src []byte) {
	if len(dst) < BlockSize || len(src) < BlockSize {
		clear(dst[:min(len(dst), BlockSize)])
		return
	}
	if k.rounds != 0 {
		k.encryptBlock(dst, src)
		return
	}
	if k.block != nil {
		k.encryptFallback(dst, src)
		return
	}
	clear(dst[:BlockSize])
}

// scratch holds the blocks the fallback path hands to crypto/aes. Passing
// the caller's slices to a cipher.Block method would make them escape to
// the heap on every path (the compiler cannot see through the interface);
// a pooled buffer keeps Encrypt's arguments on the caller's stack.
var scratch = sync.Pool{New: func() any { return new([BlockSize]byte) }}

// encryptFallback enciphers src[:16] into dst[:16] with k.block.
func (k *Key) encryptFallback(dst, src []byte) {
	buf := scratch.Get().(*[BlockSize]byte)
	copy(buf[:], src[:BlockSize])
	k.block.Encrypt(buf[:], buf[:])
	copy(dst[:BlockSize], buf[:])
	clear(buf[:])
	scratch.Put(buf)
}

// Wipe zeroes k's round keys and leaves k holding no key. On the fallback
// path it drops the crypto/aes cipher, whose own copy of the round keys it
// cannot reach.
func (k *Key) Wipe() {
	clear(k.enc[:])
	k.rounds = 0
	k.block = nil
}
