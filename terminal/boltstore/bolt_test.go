package boltstore_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/poskit/poskit/terminal"
	"github.com/poskit/poskit/terminal/boltstore"
)

// stores returns a fresh bolt store and a MemStore: the same contract
// holds for both.
func stores(t *testing.T) map[string]terminal.Store {
	t.Helper()
	b, err := boltstore.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return map[string]terminal.Store{"bolt": b, "mem": terminal.NewMemStore()}
}

func TestStoreContract(t *testing.T) {
	for name, s := range stores(t) {
		if _, ok, err := s.Get("none", "k"); ok || err != nil {
			t.Errorf("%s: missing bucket: %v %v", name, ok, err)
		}
		val := []byte("v1")
		if err := s.Apply(terminal.Op{Bucket: "q", Key: "2", Value: val}, terminal.Op{Bucket: "q", Key: "1", Value: []byte("v0")}, terminal.Op{Bucket: "s", Key: "x", Value: []byte{}}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		val[0] = 'X' // the store keeps its own copy
		if v, ok, _ := s.Get("q", "2"); !ok || string(v) != "v1" {
			t.Errorf("%s: get %q %v", name, v, ok)
		}
		if v, ok, _ := s.Get("s", "x"); !ok || len(v) != 0 {
			t.Errorf("%s: empty value %q %v", name, v, ok)
		}
		var keys []string
		_ = s.Scan("q", func(k string, v []byte) error { keys = append(keys, k+"="+string(v)); return nil })
		if len(keys) != 2 || keys[0] != "1=v0" || keys[1] != "2=v1" {
			t.Errorf("%s: scan %v", name, keys)
		}
		stop := errors.New("stop")
		if err := s.Scan("q", func(string, []byte) error { return stop }); err != stop {
			t.Errorf("%s: scan error %v", name, err)
		}
		if err := s.Apply(terminal.Op{Bucket: "q", Key: "1"}); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.Get("q", "1"); ok {
			t.Errorf("%s: delete", name)
		}
		if err := s.Scan("none", func(string, []byte) error { return stop }); err != nil {
			t.Errorf("%s: scan of a missing bucket: %v", name, err)
		}
	}
}

// An Apply that fails writes nothing: the operations before the failing
// one are rolled back.
func TestBoltApplyAtomic(t *testing.T) {
	s := stores(t)["bolt"]
	err := s.Apply(terminal.Op{Bucket: "q", Key: "a", Value: []byte("1")}, terminal.Op{Bucket: "", Key: "b", Value: []byte("2")})
	if !errors.Is(err, terminal.ErrStore) {
		t.Fatalf("empty bucket name: %v", err)
	}
	if _, ok, _ := s.Get("q", "a"); ok {
		t.Error("half an Apply was written")
	}
	m := terminal.NewMemStore()
	m.FailApply = func([]terminal.Op) error { return errors.New("disk full") }
	if err := m.Apply(terminal.Op{Bucket: "q", Key: "a", Value: []byte("1")}); !errors.Is(err, terminal.ErrStore) {
		t.Errorf("mem failure: %v", err)
	}
}

func TestBoltReopenAndErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("path %s", s.Path())
	}
	_ = s.Apply(terminal.Op{Bucket: "state", Key: "stan", Value: []byte("41")})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get("state", "stan"); !errors.Is(err, terminal.ErrStore) {
		t.Errorf("get on closed: %v", err)
	}
	if err := s.Scan("state", func(string, []byte) error { return nil }); !errors.Is(err, terminal.ErrStore) {
		t.Errorf("scan on closed: %v", err)
	}
	if err := s.Apply(terminal.Op{Bucket: "q", Key: "a", Value: []byte("1")}); !errors.Is(err, terminal.ErrStore) {
		t.Errorf("apply on closed: %v", err)
	}
	s, err = boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, ok, _ := s.Get("state", "stan"); !ok || string(v) != "41" {
		t.Errorf("after reopen %q", v)
	}
	if _, err := boltstore.Open(filepath.Join(t.TempDir(), "missing", "dir", "t.db")); !errors.Is(err, boltstore.ErrOpen) {
		t.Errorf("bad path: %v", err)
	}
}
