package dukpt

import (
	"fmt"
	"sync"

	"github.com/poskit/poskit/internal/aesenc"
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
	left, right dea.EDE
	ok          bool
	cache       *deviceCache[*stepState]
}

// NewTDESReceiver returns a receiver for the 16-byte TDES BDK bdk; it keeps
// no reference to bdk. Errors: ErrBDKLength.
func NewTDESReceiver(bdk []byte, opts ...ReceiverOption) (*TDESReceiver, error) {
	r := new(TDESReceiver)
	if err := bdkSchedules(bdk, &r.left, &r.right); err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	r.ok, r.cache = true, newDeviceCache[*stepState](cfg.devices)
	return r, nil
}

// Key returns the 16-byte working key for usage u of the transaction
// identified by the 10-byte ksn, exactly as TDESKey(bdk, ksn, u).
// Errors: ErrKSNLength, ErrCounter, ErrUsage.
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
		k = transactionKey(ipek(&r.left, &r.right, ksn), nil, tdesCryptoBase(ksn), counter)
	} else {
		var id [8]byte
		copy(id[:], ksn[:8])
		id[7] &= 0xE0
		st, ok := r.cache.get(id)
		if !ok {
			st = new(stepState)
			st.init(ipek(&r.left, &r.right, ksn))
			r.cache.put(id, st)
		}
		k = transactionKey(reg{}, st, tdesCryptoBase(ksn), counter)
	}
	out := make([]byte, 16)
	applyVariant(u, k).put(out)
	return out, nil
}

// AESReceiver derives AES DUKPT working keys under one BDK, for hosts that
// derive many. It keeps the BDK's AES key schedule and (see
// WithDeviceCache) the initial-key schedules of recent terminals. Its keys
// equal AESKey's. An AESReceiver is safe for concurrent use.
type AESReceiver struct {
	bdk   aesenc.Key
	t     KeyType
	ok    bool
	cache *deviceCache[*aesenc.Key]
}

// NewAESReceiver returns a receiver for the AES BDK bdk (16, 24 or 32 bytes);
// it keeps no reference to bdk. Errors: ErrBDKLength.
func NewAESReceiver(bdk []byte, opts ...ReceiverOption) (*AESReceiver, error) {
	t, err := checkAESBDK(bdk)
	if err != nil {
		return nil, err
	}
	r := &AESReceiver{t: t}
	if err := initAES(&r.bdk, bdk); err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	r.ok, r.cache = true, newDeviceCache[*aesenc.Key](cfg.devices)
	return r, nil
}

// Key returns the working key of type kt for usage u of the transaction
// identified by the 12-byte ksn, exactly as AESKey(bdk, ksn, u, kt).
// Errors: ErrKSNLength, ErrCounter, ErrUsage, ErrKeyType, ErrKeyStrength.
func (r *AESReceiver) Key(ksn []byte, u Usage, kt KeyType) ([]byte, error) {
	if r == nil || !r.ok {
		return nil, fmt.Errorf("%w: use NewAESReceiver", ErrNoBDK)
	}
	counter, usage, err := checkAESKeyArgs(r.t, ksn, u, kt)
	if err != nil {
		return nil, err
	}
	if r.cache == nil {
		return aesDerive(&r.bdk, nil, r.t, ksn, counter, usage, kt)
	}
	var id [8]byte
	copy(id[:], ksn[:8])
	ik, ok := r.cache.get(id)
	if !ok {
		var buf [32]byte
		aesInitialKey(&r.bdk, r.t, ksn, buf[:])
		ik = new(aesenc.Key)
		err := initAES(ik, buf[:r.t.Size()])
		wipe.Bytes(buf[:])
		if err != nil {
			return nil, err
		}
		r.cache.put(id, ik)
	}
	return aesDerive(nil, ik, r.t, ksn, counter, usage, kt)
}
