package dukpt

import (
	"crypto/cipher"
	"fmt"
	"sync"

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

// deviceCache is a bounded map from a terminal's 8-byte identity to an
// immutable value, safe for concurrent use.
type deviceCache[V any] struct {
	mu  sync.Mutex
	max int
	m   map[[8]byte]V
}

func newDeviceCache[V any](max int) *deviceCache[V] {
	if max <= 0 {
		return nil
	}
	return &deviceCache[V]{max: max, m: make(map[[8]byte]V)}
}

func (c *deviceCache[V]) get(k [8]byte) (V, bool) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	return v, ok
}

func (c *deviceCache[V]) put(k [8]byte, v V) {
	c.mu.Lock()
	if _, ok := c.m[k]; !ok && len(c.m) >= c.max {
		for old := range c.m { // map order is unspecified: drop any one
			delete(c.m, old)
			break
		}
	}
	c.m[k] = v
	c.mu.Unlock()
}

func (c *deviceCache[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// TDESReceiver derives TDES DUKPT working keys under one BDK, for hosts that
// derive many. It keeps the TDES key schedules of the BDK and of the
// C0-masked BDK, and (see WithDeviceCache) the IPEK step schedules of recent
// terminals. Its keys equal TDESKey's. A TDESReceiver is safe for concurrent
// use.
type TDESReceiver struct {
	left, right cipher.Block
	cache       *deviceCache[*stepState]
}

// NewTDESReceiver returns a receiver for the 16-byte TDES BDK bdk; it keeps
// no reference to bdk. Errors: ErrBDKLength.
func NewTDESReceiver(bdk []byte, opts ...ReceiverOption) (*TDESReceiver, error) {
	left, right, err := bdkCiphers(bdk)
	if err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	return &TDESReceiver{left: left, right: right, cache: newDeviceCache[*stepState](cfg.devices)}, nil
}

// Key returns the 16-byte working key for usage u of the transaction
// identified by the 10-byte ksn, exactly as TDESKey(bdk, ksn, u).
// Errors: ErrKSNLength, ErrCounter, ErrUsage.
func (r *TDESReceiver) Key(ksn []byte, u Usage) ([]byte, error) {
	if r == nil || r.left == nil {
		return nil, fmt.Errorf("%w: use NewTDESReceiver", ErrNoBDK)
	}
	counter, err := checkTDESKSN(ksn)
	if err != nil {
		return nil, err
	}
	if _, err := tdesVariantMask(u); err != nil {
		return nil, err
	}
	if r.cache == nil {
		out := make([]byte, 16)
		ipek(r.left, r.right, ksn, out)
		return tdesFinish(nil, ksn, counter, u, out)
	}
	var id [8]byte
	copy(id[:], ksn[:8])
	id[7] &= 0xE0
	st, ok := r.cache.get(id)
	if !ok {
		buf := make([]byte, 16)
		ipek(r.left, r.right, ksn, buf)
		var k [16]byte
		copy(k[:], buf)
		wipe.Bytes(buf)
		s, err := newStepState(&k)
		wipe.Bytes(k[:])
		if err != nil {
			return nil, err
		}
		st = &s
		r.cache.put(id, st)
	}
	return tdesFinish(st, ksn, counter, u, make([]byte, 16))
}

// AESReceiver derives AES DUKPT working keys under one BDK, for hosts that
// derive many. It keeps the BDK's AES key schedule and (see
// WithDeviceCache) the initial-key schedules of recent terminals. Its keys
// equal AESKey's. An AESReceiver is safe for concurrent use.
type AESReceiver struct {
	bdk   cipher.Block
	t     KeyType
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
	cfg := newConfig(opts)
	return &AESReceiver{bdk: c, t: t, cache: newDeviceCache[cipher.Block](cfg.devices)}, nil
}

// Key returns the working key of type kt for usage u of the transaction
// identified by the 12-byte ksn, exactly as AESKey(bdk, ksn, u, kt).
// Errors: ErrKSNLength, ErrCounter, ErrUsage, ErrKeyType, ErrKeyStrength.
func (r *AESReceiver) Key(ksn []byte, u Usage, kt KeyType) ([]byte, error) {
	if r == nil || r.bdk == nil {
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
	ik, ok := r.cache.get(id)
	if !ok {
		buf := make([]byte, 32)
		aesInitialKey(r.bdk, r.t, ksn, buf)
		ik, err = newAES(buf[:r.t.Size()])
		wipe.Bytes(buf)
		if err != nil {
			return nil, err
		}
		r.cache.put(id, ik)
	}
	return aesDerive(nil, ik, r.t, ksn, counter, usage, kt)
}
