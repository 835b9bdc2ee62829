package dukpt

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzDeviceKey is the device key of the sealed seeds in
// testdata/fuzz/FuzzSealedState.
var fuzzDeviceKey = bytes.Repeat([]byte{0x42}, 32)

// FuzzSealedState feeds arbitrary bytes to UnmarshalSealed of both
// algorithms, and seals them under the fuzz device key to reach the state
// checks behind the AEAD: nothing may panic, every error is ErrState (or
// ErrRollback), and a state that loads round-trips.
func FuzzSealedState(f *testing.F) {
	to, _ := NewTDESOriginator(mustUnhex("6AC292FAA1315B4D858AB3A3D7D5933A"), mustUnhex("FFFF9876543210E00000"))
	a, _ := NewAESOriginator(mustUnhex("1273671EA26AC29AFA4D1084127652A1"), mustUnhex("1234567890123456"), AES128)
	for range 3 {
		if to != nil { // nil in FIPS 140-only mode
			s, _ := to.MarshalSealed(fuzzDeviceKey)
			p, _ := to.MarshalBinary()
			f.Add(s)
			f.Add(p)
			to.Next()
		}
		s, _ := a.MarshalSealed(fuzzDeviceKey)
		p, _ := a.MarshalBinary()
		f.Add(s)
		f.Add(p)
		a.Next()
	}
	f.Add([]byte("DKS\x01T"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := bytes.Clone(data)
		checkSealed(t, data, 'T')
		checkSealed(t, data, 'A')
		for _, alg := range []byte{'T', 'A'} {
			sealed, err := seal(fuzzDeviceKey, bytes.Clone(data), alg)
			if err != nil {
				t.Fatal(err)
			}
			checkSealed(t, sealed, alg)
		}
		if !bytes.Equal(in, data) {
			t.Fatal("input modified")
		}
	})
}

func checkSealed(t *testing.T, data []byte, alg byte) {
	var err error
	var back func() ([]byte, error)
	var next func() error
	if alg == 'T' {
		var o TDESOriginator
		err = o.UnmarshalSealed(fuzzDeviceKey, data)
		back = o.MarshalBinary
		next = func() error { _, err := o.Next(); return err }
	} else {
		var o AESOriginator
		err = o.UnmarshalSealed(fuzzDeviceKey, data)
		back = o.MarshalBinary
		next = func() error { _, err := o.Next(); return err }
	}
	if err != nil {
		if !errors.Is(err, ErrState) {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	if _, err := back(); err != nil {
		t.Fatalf("a loaded state does not marshal: %v", err)
	}
	for range 3 {
		if err := next(); err != nil && !errors.Is(err, ErrExhausted) && !errors.Is(err, ErrCipher) {
			t.Fatalf("Next after a sealed state loaded: %v", err)
		}
	}
}
