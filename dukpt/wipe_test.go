package dukpt

import (
	"encoding/hex"
	"testing"

	"github.com/poskit/poskit/internal/dea"
)

func mustUnhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Close zeroes the memory a TDES receiver owns: both BDK schedules and every
// cached IPEK step state, including one a caller saw before Close.
func TestTDESReceiverCloseZeroes(t *testing.T) {
	r, err := NewTDESReceiver(mustUnhex("0123456789ABCDEFFEDCBA9876543210"))
	if err != nil {
		t.Skip(err)
	}
	if _, err := r.Key(mustUnhex("FFFF9876543210E00001"), PINEncryption); err != nil {
		t.Fatal(err)
	}
	var entries []*stepState
	for _, e := range r.cache.m {
		entries = append(entries, e)
	}
	if len(entries) != 1 || *entries[0] == (stepState{}) {
		t.Fatalf("cache holds %d entries", len(entries))
	}
	r.Close()
	if r.left != (dea.EDE{}) || r.right != (dea.EDE{}) {
		t.Error("BDK schedules not zeroed")
	}
	if *entries[0] != (stepState{}) {
		t.Error("cached IPEK step state not zeroed")
	}
	if r.cache.len() != 0 {
		t.Error("cache not emptied")
	}
}

// An entry evicted from a full device cache is zeroed; the value a caller
// copied out before the eviction still derives the right key.
func TestEvictedEntryZeroed(t *testing.T) {
	bdk := mustUnhex("0123456789ABCDEFFEDCBA9876543210")
	r, err := NewTDESReceiver(bdk, WithDeviceCache(1))
	if err != nil {
		t.Skip(err)
	}
	ksnA, ksnB := mustUnhex("FFFF9876543210E00001"), mustUnhex("FFFF9876543211E00001")
	if _, err := r.Key(ksnA, PINEncryption); err != nil {
		t.Fatal(err)
	}
	var a *stepState
	for _, e := range r.cache.m {
		a = e
	}
	if _, err := r.Key(ksnB, PINEncryption); err != nil {
		t.Fatal(err)
	}
	if *a != (stepState{}) {
		t.Error("evicted entry not zeroed")
	}
	if r.cache.len() != 1 {
		t.Errorf("cache holds %d entries, limit 1", r.cache.len())
	}
	got, _ := r.Key(ksnA, PINEncryption)
	want, _ := TDESKey(bdk, ksnA, PINEncryption)
	if string(got) != string(want) {
		t.Error("key after eviction differs")
	}
}

// The AES receiver's ciphers are crypto/aes values that cannot be zeroed:
// Close drops them all.
func TestAESReceiverCloseDrops(t *testing.T) {
	r, _ := NewAESReceiver(mustUnhex("FEDCBA9876543210F1F1F1F1F1F1F1F1"), WithDeviceCache(1))
	r.Key(mustUnhex("123456789012345600000001"), PINEncryption, AES128)
	r.Key(mustUnhex("123456789012345700000001"), PINEncryption, AES128) // evicts the first
	if r.cache.len() != 1 {
		t.Fatalf("cache holds %d entries", r.cache.len())
	}
	for _, e := range r.cache.m {
		if *e == nil {
			t.Fatal("live entry without a cipher")
		}
	}
	r.Close()
	if r.bdk != nil || r.cache.len() != 0 {
		t.Error("Close kept the BDK cipher or cache entries")
	}
}

// Close zeroes an originator's registers.
func TestOriginatorCloseZeroes(t *testing.T) {
	o, err := NewTDESOriginator(mustUnhex("6AC292FAA1315B4D858AB3A3D7D5933A"), mustUnhex("FFFF9876543210E00000"))
	if err != nil {
		t.Skip(err)
	}
	a, err := NewAESOriginator(mustUnhex("1273671EA26AC29AFA4D1084127652A1"), mustUnhex("1234567890123456"), AES128)
	if err != nil {
		t.Fatal(err)
	}
	o.Next()
	a.Next()
	o.Close()
	a.Close()
	if o.regs != ([tdesRegisters][16]byte{}) || o.counter != 0 {
		t.Error("TDES registers not zeroed")
	}
	if a.regs != ([aesRegisters][32]byte{}) || a.counter != 0 {
		t.Error("AES registers not zeroed")
	}
}
