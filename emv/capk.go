package emv

import (
	"bytes"
	"crypto/sha1"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Errors of the certification authority public key store; test them with
// errors.Is.
var (
	// ErrCAPKInvalid reports a key that cannot be stored: a modulus that is
	// empty, even or longer than 248 bytes, an exponent other than 3 or
	// 65537, a hash or key algorithm indicator other than 01 (SHA-1, RSA),
	// or no expiry date.
	ErrCAPKInvalid = errors.New("emv: invalid CA public key")
	// ErrCAPKChecksum reports a key whose check sum is not the SHA-1 of
	// RID, index, modulus and exponent (EMV Book 2 section 11.2.2), or a
	// process that may not compute SHA-1 (GODEBUG=fips140=only).
	ErrCAPKChecksum = errors.New("emv: CA public key check sum does not verify")
	// ErrCAPKNotFound reports a lookup of a RID and index the store does
	// not hold (EMV Book 2 section 5.3 step 1: the terminal cannot
	// retrieve the key, offline data authentication fails).
	ErrCAPKNotFound = errors.New("emv: CA public key not found")
	// ErrCAPKExpired reports a lookup of a key used after its expiry date
	// (EMV Book 2 section 11.2: a key is withdrawn by its expiry date).
	ErrCAPKExpired = errors.New("emv: CA public key expired")
	// ErrCAPKRevoked reports an issuer public key certificate whose RID, CA
	// public key index and certificate serial number are on the
	// certification revocation list (EMV Book 2 section 5.3 step 10).
	ErrCAPKRevoked = errors.New("emv: issuer certificate revoked")
	// ErrCertExpired reports an issuer public key certificate used after
	// its expiration month (EMV Book 2 section 5.3 step 9).
	ErrCertExpired = errors.New("emv: issuer certificate expired")
)

// Algorithm indicators of a CA public key (EMV Book 2 annex B).
const (
	// CAPKHashSHA1 is the hash algorithm indicator of SHA-1 (annex B3.1).
	CAPKHashSHA1 byte = 0x01
	// CAPKAlgorithmRSA is the public key algorithm indicator of RSA
	// (annex B2.1).
	CAPKAlgorithmRSA byte = 0x01
)

// maxCAPKModulus is the longest CA public key modulus EMV allows, 1984
// bits (EMV Book 2 section 11.2).
const maxCAPKModulus = 248

// CAPublicKey is a certification authority public key as a terminal holds
// it (EMV Book 2 section 11.2.2): identified by the RID of the payment
// system and the index the card names in tag 8F.
type CAPublicKey struct {
	RID   [5]byte // registered application provider identifier, e.g. A000000333
	Index byte    // CA public key index (tag 8F, 9F22)
	// HashAlgorithm and KeyAlgorithm are the indicators of annex B; both
	// must be 01 (SHA-1 and RSA).
	HashAlgorithm byte
	KeyAlgorithm  byte
	Modulus       []byte // big-endian, at most 248 bytes
	Exponent      []byte // 03 or 010001
	// Expiry is the last day on which the key may be used; the key is
	// refused from the next day (UTC) on.
	Expiry time.Time
	// Checksum is the 20-byte SHA-1 of RID ‖ Index ‖ Modulus ‖ Exponent.
	Checksum []byte
}

// PublicKey returns the key in the form the ODA functions take, sharing
// the Modulus and Exponent slices.
func (k CAPublicKey) PublicKey() ODAPublicKey {
	return ODAPublicKey{Modulus: k.Modulus, Exponent: k.Exponent}
}

// ComputeChecksum returns the SHA-1 of RID ‖ Index ‖ Modulus ‖ Exponent,
// the CA public key check sum of EMV Book 2 section 11.2.2 with the hash of
// annex B3.1.
//
// Errors: ErrCAPKChecksum when this process may not use SHA-1
// (GODEBUG=fips140=only).
func (k CAPublicKey) ComputeChecksum() ([]byte, error) {
	h := sha1.New()
	for _, part := range [][]byte{k.RID[:], {k.Index}, k.Modulus, k.Exponent} {
		if _, err := h.Write(part); err != nil {
			return nil, fmt.Errorf("%w: SHA-1 is refused in FIPS 140-only mode", ErrCAPKChecksum)
		}
	}
	return h.Sum(nil), nil
}

// validate checks the fields of k that do not need a hash.
func (k CAPublicKey) validate() error {
	switch {
	case k.HashAlgorithm != CAPKHashSHA1:
		return fmt.Errorf("%w: hash algorithm indicator %02X, want 01", ErrCAPKInvalid, k.HashAlgorithm)
	case k.KeyAlgorithm != CAPKAlgorithmRSA:
		return fmt.Errorf("%w: key algorithm indicator %02X, want 01", ErrCAPKInvalid, k.KeyAlgorithm)
	case len(k.Modulus) == 0 || len(k.Modulus) > maxCAPKModulus || k.Modulus[0] == 0:
		return fmt.Errorf("%w: modulus of %d bytes", ErrCAPKInvalid, len(k.Modulus))
	case k.Modulus[len(k.Modulus)-1]&1 == 0:
		return fmt.Errorf("%w: even modulus", ErrCAPKInvalid)
	case !bytes.Equal(k.Exponent, []byte{3}) && !bytes.Equal(k.Exponent, []byte{1, 0, 1}):
		return fmt.Errorf("%w: exponent must be 03 or 010001", ErrCAPKInvalid)
	case k.Expiry.IsZero():
		return fmt.Errorf("%w: no expiry date", ErrCAPKInvalid)
	}
	return nil
}

// Revocation is one entry of the certification revocation list (EMV Book
// 2 section 5.3 step 10): the issuer public key certificate with serial
// number Serial, signed with the CA key RID and Index, is revoked.
type Revocation struct {
	RID    [5]byte
	Index  byte
	Serial [3]byte
}

type capkID struct {
	rid   [5]byte
	index byte
}

// CAPKStore holds the CA public keys and the certification revocation list
// of a terminal. It is safe for concurrent use; lookups take a read lock
// only. The zero value is an empty store ready for use.
type CAPKStore struct {
	mu      sync.RWMutex
	keys    map[capkID]CAPublicKey
	revoked map[Revocation]struct{}
}

// NewCAPKStore returns an empty store.
func NewCAPKStore() *CAPKStore { return &CAPKStore{} }

// Add verifies k and stores a copy of it, replacing a key with the same RID
// and index. The check sum is verified on load, as EMV Book 2 section
// 11.2.2 requires before a key is used, and compared in constant time.
//
// Errors: ErrCAPKInvalid, ErrCAPKChecksum.
func (s *CAPKStore) Add(k CAPublicKey) error {
	if err := k.validate(); err != nil {
		return err
	}
	sum, err := k.ComputeChecksum()
	if err != nil {
		return err
	}
	if len(k.Checksum) != len(sum) || subtle.ConstantTimeCompare(sum, k.Checksum) != 1 {
		return fmt.Errorf("%w: RID %X index %02X", ErrCAPKChecksum, k.RID, k.Index)
	}
	k.Modulus = bytes.Clone(k.Modulus)
	k.Exponent = bytes.Clone(k.Exponent)
	k.Checksum = sum
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil {
		s.keys = make(map[capkID]CAPublicKey)
	}
	s.keys[capkID{k.RID, k.Index}] = k
	return nil
}

// Remove deletes the key with rid and index, if present: the withdrawal of
// a key before its expiry date.
func (s *CAPKStore) Remove(rid [5]byte, index byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, capkID{rid, index})
}

// Len returns the number of keys held.
func (s *CAPKStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.keys)
}

// Revoke adds r to the certification revocation list.
func (s *CAPKStore) Revoke(r Revocation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.revoked == nil {
		s.revoked = make(map[Revocation]struct{})
	}
	s.revoked[r] = struct{}{}
}

// Revoked reports whether r is on the certification revocation list.
func (s *CAPKStore) Revoked(r Revocation) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.revoked[r]
	return ok
}

// Lookup returns the key for rid (the first 5 bytes of the AID are used)
// and index at the current time, ready for [ODARecoverIssuerKey].
//
// Errors: as [CAPKStore.LookupAt].
func (s *CAPKStore) Lookup(rid []byte, index byte) (ODAPublicKey, error) {
	return s.LookupAt(rid, index, time.Now())
}

// LookupAt returns a copy of the key for rid and index as at t, refusing a
// key whose expiry date is before t's UTC date.
//
// Errors: ErrCAPKNotFound (also for a rid shorter than 5 bytes),
// ErrCAPKExpired.
func (s *CAPKStore) LookupAt(rid []byte, index byte, t time.Time) (ODAPublicKey, error) {
	k, err := s.key(rid, index, t)
	if err != nil {
		return ODAPublicKey{}, err
	}
	return ODAPublicKey{Modulus: bytes.Clone(k.Modulus), Exponent: bytes.Clone(k.Exponent)}, nil
}

// key finds the stored key and applies the expiry rule.
func (s *CAPKStore) key(rid []byte, index byte, t time.Time) (CAPublicKey, error) {
	if len(rid) < 5 {
		return CAPublicKey{}, fmt.Errorf("%w: RID of %d bytes", ErrCAPKNotFound, len(rid))
	}
	id := capkID{[5]byte(rid[:5]), index}
	s.mu.RLock()
	k, ok := s.keys[id]
	s.mu.RUnlock()
	if !ok {
		return CAPublicKey{}, fmt.Errorf("%w: RID %X index %02X", ErrCAPKNotFound, id.rid, index)
	}
	if capkExpired(k.Expiry, t) {
		return CAPublicKey{}, fmt.Errorf("%w: RID %X index %02X expired on %s", ErrCAPKExpired,
			id.rid, index, k.Expiry.Format(time.DateOnly))
	}
	return k, nil
}

// capkExpired reports whether t's UTC date is after the expiry date.
func capkExpired(expiry, t time.Time) bool {
	y, m, d := expiry.Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	return !t.UTC().Before(end)
}

// RecoverIssuerKey performs the terminal's side of EMV Book 2 section 5.3
// in one call: it looks up the CA key named by rid and index (tag 8F) as at
// t, recovers the issuer public key from cert (tag 90) with
// [ODARecoverIssuerKey], and refuses a certificate that has expired (step
// 9) or whose serial number is on the revocation list (step 10).
//
// Errors: those of [CAPKStore.LookupAt] and [ODARecoverIssuerKey],
// ErrCertExpired, ErrCAPKRevoked.
func (s *CAPKStore) RecoverIssuerKey(rid []byte, index byte, cert, remainder, exponent []byte, pan string, t time.Time) (ODACertifiedKey, error) {
	k, err := s.key(rid, index, t)
	if err != nil {
		return ODACertifiedKey{}, err
	}
	ik, err := ODARecoverIssuerKey(k.PublicKey(), cert, remainder, exponent, pan)
	if err != nil {
		return ODACertifiedKey{}, err
	}
	if ik.ExpiredAt(t) {
		return ODACertifiedKey{}, fmt.Errorf("%w: expiry %s", ErrCertExpired, ik.Expiry)
	}
	if len(ik.Serial) == 3 && s.Revoked(Revocation{k.RID, k.Index, [3]byte(ik.Serial)}) {
		return ODACertifiedKey{}, fmt.Errorf("%w: RID %X index %02X serial %X", ErrCAPKRevoked, k.RID, k.Index, ik.Serial)
	}
	return ik, nil
}
