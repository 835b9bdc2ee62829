package dukpt

import (
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/poskit/poskit/internal/dea"
	"github.com/poskit/poskit/internal/wipe"
)

// DefaultDeviceCache is the number of terminals whose initial-key schedules
// a receiver keeps unless WithDeviceCache says otherwise.
const DefaultDeviceCache = 4096

// ReceiverOption configures NewTDESReceiver and NewAESReceiver.
type ReceiverOption func(*receiverConfig)

type receiverConfig struct {
	devices int
}

// WithDeviceCache sets how many terminals' initial-key schedules a receiver
// keeps (default DefaultDeviceCache); 0 or less turns the cache off.
//
// The cache holds, per terminal (keyed by the KSN's non-counter part), the
// cipher schedules of its initial key: the IPEK's halves for TDES, the
// initial key for AES. These are functions of the BDK the receiver already
// holds, so the cache adds no key an attacker could not get from the
// receiver itself; it is bounded (an arbitrary entry is dropped when it is
// full), so hostile KSNs cost speed, never memory. It saves the initial key
// derivation and the first step's key schedules on every repeat terminal.
// An evicted TDES entry is zeroed; an AES entry is a crypto/aes cipher,
// which Go gives no way to zero, and is dropped.
func WithDeviceCache(devices int) ReceiverOption {
	return func(c *receiverConfig) { c.devices = devices }
}

func newConfig(opts []ReceiverOption) receiverConfig {
	c := receiverConfig{devices: DefaultDeviceCache}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// deviceCache is a bounded map from a terminal's 8-byte identity to a value,
// safe for concurrent use. get copies the value out under the lock, so an
// entry can be wiped (on eviction or close) while a copy is in use.
type deviceCache[V any] struct {
	mu    sync.Mutex
	limit int
	m     map[[8]byte]*V
	wipe  func(*V) // zeroes an evicted or closed entry
}

func newDeviceCache[V any](limit int, wipeFn func(*V)) *deviceCache[V] {
	if limit <= 0 {
		return nil
	}
	return &deviceCache[V]{limit: limit, m: make(map[[8]byte]*V), wipe: wipeFn}
}

// get copies the entry for k into dst.
func (c *deviceCache[V]) get(k [8]byte, dst *V) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	if ok {
		*dst = *v
	}
	return ok
}

// put stores a copy of *v under k, evicting (and wiping) an arbitrary entry
// when the cache is full.
func (c *deviceCache[V]) put(k [8]byte, v *V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok {
		c.wipe(old)
	} else if len(c.m) >= c.limit {
		for id, e := range c.m { // map order is unspecified: drop any one
			c.wipe(e)
			delete(c.m, id)
			break
		}
	}
	e := new(V)
	*e = *v
	c.m[k] = e
}

// clear wipes and drops every entry.
func (c *deviceCache[V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, e := range c.m {
		c.wipe(e)
		delete(c.m, id)
	}
}

func (c *deviceCache[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// TDESReceiver derives TDES DUKPT working keys under one BDK, for hosts that
// derive many. It keeps the TDES key schedules of the BDK and of the
// C0-masked BDK (or the two cipher.Block handles given to
// NewTDESReceiverFromBlocks), and (see WithDeviceCache) the IPEK step
// schedules of recent terminals. Its keys equal TDESKey's. Key is safe for
// concurrent use; Close must not run concurrently with Key.
type TDESReceiver struct {
	left, right dea.EDE
	ext         *[2]cipher.Block // the BDK and its C0 variant, held elsewhere
	ok          bool
	cache       *deviceCache[stepState]
}

// NewTDESReceiver returns a receiver for the 16-byte TDES BDK bdk; it keeps
// no reference to bdk. Errors: ErrBDKLength, ErrCipher (DES refused, as in
// FIPS 140-only mode).
func NewTDESReceiver(bdk []byte, opts ...ReceiverOption) (*TDESReceiver, error) {
	r := new(TDESReceiver)
	if err := bdkSchedules(bdk, &r.left, &r.right); err != nil {
		return nil, err
	}
	r.init(opts)
	return r, nil
}

// NewTDESReceiverFromBlocks returns a receiver whose BDK stays behind two
// cipher.Block handles, for a BDK kept in an HSM or a KMS: bdk enciphers
// under the BDK and bdkVariant under the BDK XOR
// C0C0C0C000000000C0C0C0C000000000 (X9.24-1:2009 A.6). The receiver calls
// only their Encrypt, once each per IPEK derivation, and derives the rest of
// the key tree in this process. Both must have an 8-byte block and be safe
// for concurrent use. Errors: ErrCipher (nil or wrong block size, or DES
// refused, as in FIPS 140-only mode).
func NewTDESReceiverFromBlocks(bdk, bdkVariant cipher.Block, opts ...ReceiverOption) (*TDESReceiver, error) {
	if bdk == nil || bdkVariant == nil || bdk.BlockSize() != 8 || bdkVariant.BlockSize() != 8 {
		return nil, fmt.Errorf("%w: a TDES BDK handle needs an 8-byte block", ErrCipher)
	}
	if err := desAllowed(); err != nil {
		return nil, err
	}
	r := &TDESReceiver{ext: &[2]cipher.Block{bdk, bdkVariant}}
	r.init(opts)
	return r, nil
}

func (r *TDESReceiver) init(opts []ReceiverOption) {
	cfg := newConfig(opts)
	r.ok, r.cache = true, newDeviceCache(cfg.devices, (*stepState).wipe)
}

// ipek derives the IPEK of ksn's terminal.
func (r *TDESReceiver) ipek(ksn []byte) reg {
	if r.ext == nil {
		return ipek(&r.left, &r.right, ksn)
	}
	buf := make([]byte, 16)
	binary.BigEndian.PutUint64(buf, binary.BigEndian.Uint64(ksn[:8])&^0x1F)
	copy(buf[8:], buf[:8])
	r.ext[0].Encrypt(buf[:8], buf[:8])
	r.ext[1].Encrypt(buf[8:], buf[8:])
	k := regOf(buf)
	wipe.Bytes(buf)
	return k
}

// Key returns the 16-byte working key for usage u of the transaction
// identified by the 10-byte ksn, exactly as TDESKey(bdk, ksn, u).
// Errors: ErrKSNLength, ErrCounter, ErrUsage, ErrNoBDK (closed, or not made
// by a constructor).
func (r *TDESReceiver) Key(ksn []byte, u Usage) ([]byte, error) {
	if r == nil || !r.ok {
		return nil, fmt.Errorf("%w: use NewTDESReceiver", ErrNoBDK)
	}
	counter, err := checkTDESKSN(ksn)
	if err != nil {
		return nil, err
	}
	if _, err := tdesVariantMask(u); err != nil {
		return nil, err
	}
	var k reg
	if r.cache == nil {
		k = transactionKey(r.ipek(ksn), nil, tdesCryptoBase(ksn), counter)
	} else {
		var id [8]byte
		copy(id[:], ksn[:8])
		id[7] &= 0xE0
		var st stepState
		if !r.cache.get(id, &st) {
			st.init(r.ipek(ksn))
			r.cache.put(id, &st)
		}
		k = transactionKey(reg{}, &st, tdesCryptoBase(ksn), counter)
		st.wipe()
	}
	out := make([]byte, 16)
	applyVariant(u, k).put(out)
	return out, nil
}

// Close zeroes the BDK schedules and every cached IPEK schedule the
// receiver holds and makes later calls return ErrNoBDK. A receiver built on
// handles drops them (the handles' owner destroys the key). Close must not
// run concurrently with Key; it may be called more than once.
func (r *TDESReceiver) Close() error {
	if r == nil {
		return nil
	}
	r.ok = false
	r.left.Wipe()
	r.right.Wipe()
	r.ext = nil
	if r.cache != nil {
		r.cache.clear()
	}
	return nil
}

// AESReceiver derives AES DUKPT working keys under one BDK, for hosts that
// derive many. It keeps the BDK's AES cipher (or the handle given to
// NewAESReceiverFromBlock) and (see WithDeviceCache) the initial-key ciphers
// of recent terminals. Its keys equal AESKey's. Key is safe for concurrent
// use; Close must not run concurrently with Key.
type AESReceiver struct {
	bdk   cipher.Block
	t     KeyType
	ok    bool
	cache *deviceCache[cipher.Block]
}

// NewAESReceiver returns a receiver for the AES BDK bdk (16, 24 or 32 bytes);
// it keeps no reference to bdk. Errors: ErrBDKLength.
func NewAESReceiver(bdk []byte, opts ...ReceiverOption) (*AESReceiver, error) {
	t, err := checkAESBDK(bdk)
	if err != nil {
		return nil, err
	}
	c, err := newAES(bdk)
	if err != nil {
		return nil, err
	}
	return newAESReceiver(c, t, opts), nil
}

// NewAESReceiverFromBlock returns a receiver whose BDK stays behind a
// cipher.Block handle, for a BDK kept in an HSM or a KMS: bdk enciphers
// under the BDK, whose type t (AES128, AES192 or AES256) the handle cannot
// tell. The receiver calls only bdk's Encrypt, once or twice per initial
// key derivation, and derives the rest of the key tree in this process. bdk
// must have a 16-byte block and be safe for concurrent use. Errors:
// ErrCipher (nil or wrong block size), ErrKeyType (t not an AES type).
func NewAESReceiverFromBlock(bdk cipher.Block, t KeyType, opts ...ReceiverOption) (*AESReceiver, error) {
	if bdk == nil || bdk.BlockSize() != 16 {
		return nil, fmt.Errorf("%w: an AES BDK handle needs a 16-byte block", ErrCipher)
	}
	if t != AES128 && t != AES192 && t != AES256 {
		return nil, fmt.Errorf("%w: an AES BDK is AES128, AES192 or AES256, not %v", ErrKeyType, t)
	}
	return newAESReceiver(bdk, t, opts), nil
}

func newAESReceiver(bdk cipher.Block, t KeyType, opts []ReceiverOption) *AESReceiver {
	cfg := newConfig(opts)
	drop := func(b *cipher.Block) { *b = nil }
	return &AESReceiver{bdk: bdk, t: t, ok: true, cache: newDeviceCache(cfg.devices, drop)}
}

// Key returns the working key of type kt for usage u of the transaction
// identified by the 12-byte ksn, exactly as AESKey(bdk, ksn, u, kt).
// Errors: ErrKSNLength, ErrCounter, ErrUsage, ErrKeyType, ErrKeyStrength,
// ErrNoBDK (closed, or not made by a constructor).
func (r *AESReceiver) Key(ksn []byte, u Usage, kt KeyType) ([]byte, error) {
	if r == nil || !r.ok {
		return nil, fmt.Errorf("%w: use NewAESReceiver", ErrNoBDK)
	}
	counter, usage, err := checkAESKeyArgs(r.t, ksn, u, kt)
	if err != nil {
		return nil, err
	}
	if r.cache == nil {
		return aesDerive(r.bdk, nil, r.t, ksn, counter, usage, kt)
	}
	var id [8]byte
	copy(id[:], ksn[:8])
	var ik cipher.Block
	if !r.cache.get(id, &ik) {
		buf := make([]byte, 32)
		aesInitialKey(r.bdk, r.t, ksn, buf)
		ik, err = newAES(buf[:r.t.Size()])
		wipe.Bytes(buf)
		if err != nil {
			return nil, err
		}
		r.cache.put(id, &ik)
	}
	return aesDerive(nil, ik, r.t, ksn, counter, usage, kt)
}

// Close drops the BDK cipher and every cached initial-key cipher and makes
// later calls return ErrNoBDK. These are crypto/aes ciphers, whose round
// keys Go gives no way to zero: the garbage collector reclaims them. A
// receiver built on a handle drops it (the handle's owner destroys the
// key). Close must not run concurrently with Key; it may be called more
// than once.
func (r *AESReceiver) Close() error {
	if r == nil {
		return nil
	}
	r.ok = false
	r.bdk = nil
	if r.cache != nil {
		r.cache.clear()
	}
	return nil
}
