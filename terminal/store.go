package terminal

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// ErrStore reports a failure of the Store: the operation that failed and
// the store's own error follow.
var ErrStore = errors.New("terminal: store")

// Buckets of the Store used by a POS. A Store implementation keeps them
// apart; their names are part of the on-disk format.
const (
	BucketState   = "state"   // STAN, batch number, queue sequence, key state
	BucketQueue   = "queue"   // reversals and advices still to send, in key order
	BucketExpired = "expired" // queued messages given up after their repeats or expiry
	BucketJournal = "journal" // approved transactions of the open batch
	BucketBatches = "batches" // totals of closed batches
)

// Op is one write of an atomic Store.Apply: Value nil deletes Key.
type Op struct {
	Bucket string
	Key    string
	Value  []byte
}

// Store is the durable state of one terminal: a few buckets of ordered
// keys. Apply writes all its operations or none, and returns only when
// they are durable (synced to stable storage for a disk store): the POS
// relies on that to write a reversal record before its request leaves.
// Implementations must not keep the slices passed to Apply or returned
// by Get and Scan beyond the call, and must be safe for concurrent use.
type Store interface {
	// Get returns the value of key in bucket; ok is false when absent.
	Get(bucket, key string) (value []byte, ok bool, err error)
	// Scan calls fn for each key of bucket in ascending byte order; an
	// error from fn stops the scan and is returned.
	Scan(bucket string, fn func(key string, value []byte) error) error
	// Apply performs ops atomically and durably.
	Apply(ops ...Op) error
	// Close releases the store.
	Close() error
}

// MemStore is a Store in memory, for tests and for terminals that accept
// losing their state with the process. It is safe for concurrent use.
// The zero value is ready.
type MemStore struct {
	mu      sync.Mutex
	buckets map[string]map[string][]byte
	// FailApply, when not nil, is called by Apply before writing; its
	// error is returned (wrapped in ErrStore) and nothing is written. It
	// lets a test make the store fail.
	FailApply func(ops []Op) error
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{} }

// Get implements Store.
func (s *MemStore) Get(bucket, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.buckets[bucket][key]
	return bytes.Clone(v), ok, nil
}

// Scan implements Store.
func (s *MemStore) Scan(bucket string, fn func(key string, value []byte) error) error {
	s.mu.Lock()
	b := s.buckets[bucket]
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	vals := make([][]byte, len(keys))
	slices.Sort(keys)
	for i, k := range keys {
		vals[i] = bytes.Clone(b[k])
	}
	s.mu.Unlock()
	for i, k := range keys {
		if err := fn(k, vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// Apply implements Store.
func (s *MemStore) Apply(ops ...Op) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.FailApply != nil {
		if err := s.FailApply(ops); err != nil {
			return fmt.Errorf("%w: apply: %w", ErrStore, err)
		}
	}
	if s.buckets == nil {
		s.buckets = make(map[string]map[string][]byte)
	}
	for _, op := range ops {
		b := s.buckets[op.Bucket]
		if b == nil {
			b = make(map[string][]byte)
			s.buckets[op.Bucket] = b
		}
		if op.Value == nil {
			delete(b, op.Key)
			continue
		}
		b[op.Key] = bytes.Clone(op.Value)
	}
	return nil
}

// Close implements Store; a MemStore keeps its contents after Close.
func (s *MemStore) Close() error { return nil }
