package dea

import (
	"encoding/binary"
	"runtime"
)

// EDE is the key schedule of a triple DES key (TDEA, NIST SP 800-67): three
// DES schedules used encrypt-decrypt-encrypt.
//
// Like Key, an EDE holds no pointers, allocates nothing, and may be used by
// concurrent callers once initialised.
type EDE struct {
	k1, k2, k3 Key
}

// Init computes the schedules of a 16-byte (double-length, K1 K2 with K3 =
// K1) or 24-byte (K1 K2 K3) TDES key. It returns false, leaving e unchanged,
// for any other length. For a 16-byte key the K1 schedule is computed once
// and copied. key is only read.
func (e *EDE) Init(key []byte) bool {
	switch len(key) {
	case 16:
		e.k1.Init((*[8]byte)(key[0:8]))
		e.k2.Init((*[8]byte)(key[8:16]))
		e.k3 = e.k1
	case 24:
		e.k1.Init((*[8]byte)(key[0:8]))
		e.k2.Init((*[8]byte)(key[8:16]))
		e.k3.Init((*[8]byte)(key[16:24]))
	default:
		return false
	}
	return true
}

// SetKeys computes the schedules of the three DES keys k1, k2, k3, each a
// big-endian uint64 (pass k1 again as k3 for a double-length key).
func (e *EDE) SetKeys(k1, k2, k3 uint64) {
	e.k1.SetUint64(k1)
	e.k2.SetUint64(k2)
	if k3 == k1 {
		e.k3 = e.k1
	} else {
		e.k3.SetUint64(k3)
	}
}

// EncryptBlock enciphers the 8 bytes of src into dst. dst and src may be the
// same array.
func (e *EDE) EncryptBlock(dst, src *[8]byte) {
	binary.BigEndian.PutUint64(dst[:], e.Encrypt(binary.BigEndian.Uint64(src[:])))
}

// DecryptBlock deciphers the 8 bytes of src into dst. dst and src may be the
// same array.
func (e *EDE) DecryptBlock(dst, src *[8]byte) {
	binary.BigEndian.PutUint64(dst[:], e.Decrypt(binary.BigEndian.Uint64(src[:])))
}

// Wipe zeroes the three schedules.
func (e *EDE) Wipe() {
	*e = EDE{}
	runtime.KeepAlive(e)
}
