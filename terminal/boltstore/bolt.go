// Package boltstore is the durable [terminal.Store]: one bbolt file
// (go.etcd.io/bbolt), each Apply one read-write transaction synced to
// disk (fsync) before it returns.
//
//	store, err := boltstore.Open("/var/lib/pos/terminal.db")
//	pos, err := terminal.Open(terminal.Config{Terminal: &term, Store: store, Sender: link})
//
// The file holds what the terminal must not lose: queued reversals and
// advices (with card numbers, as the host needs them), the batch journal
// and the key state. Protect it like the terminal's keys; seal the DUKPT
// state (dukpt's MarshalSealed) before it reaches the store.
package boltstore

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/poskit/poskit/terminal"
)

// ErrOpen reports a file that could not be opened as a store.
var ErrOpen = errors.New("boltstore: cannot open")

// Store is a terminal.Store in a bbolt file. It is safe for concurrent
// use; only one process may open the file at a time.
type Store struct {
	db *bolt.DB
}

var _ terminal.Store = (*Store)(nil)

// Open opens (creating if needed) the store at path, with mode 0600. It
// waits at most 5 seconds for another process to release the file.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOpen, err)
	}
	return &Store{db: db}, nil
}

// Get implements terminal.Store.
func (s *Store) Get(bucket, key string) (value []byte, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(key)); v != nil {
			value, ok = bytes.Clone(v), true
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("%w: get: %w", terminal.ErrStore, err)
	}
	return value, ok, nil
}

// Scan implements terminal.Store. fn runs inside a read transaction and
// must not call the store's Apply.
func (s *Store) Scan(bucket string, fn func(key string, value []byte) error) error {
	var fnErr error
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if fnErr = fn(string(k), bytes.Clone(v)); fnErr != nil {
				return fnErr
			}
			return nil
		})
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("%w: scan: %w", terminal.ErrStore, err)
	}
	return nil
}

// Apply implements terminal.Store: one transaction, synced before it
// returns.
func (s *Store) Apply(ops ...terminal.Op) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, op := range ops {
			b, err := tx.CreateBucketIfNotExists([]byte(op.Bucket))
			if err != nil {
				return err
			}
			if op.Value == nil {
				err = b.Delete([]byte(op.Key))
			} else {
				err = b.Put([]byte(op.Key), op.Value)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w: apply: %w", terminal.ErrStore, err)
	}
	return nil
}

// Close implements terminal.Store.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("%w: close: %w", terminal.ErrStore, err)
	}
	return nil
}

// Path returns the file of the store.
func (s *Store) Path() string { return s.db.Path() }
