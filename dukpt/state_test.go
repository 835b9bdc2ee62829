package dukpt_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/bits"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/poskit/poskit/dukpt"
)

// State layouts (MarshalBinary, version 1): where the counter and the
// registers start.
const (
	tdesCounterAt, tdesRegsAt = 15, 19 // magic 4, version 1, KSN 10
	aesCounterAt, aesRegsAt   = 15, 23 // magic 4, version 1, types 2, ID 8
)

func recrc(b []byte) []byte {
	binary.BigEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return b
}

// An erased next register is the attack of issue 16: the checksum is
// recomputed, and a state whose next key would come from an all-zero
// register must be refused, as must a register that the counter has used.
func TestUnmarshalRejectsInconsistentRegisters(t *testing.T) {
	o, _ := newTDESOriginator(t)
	for range 777 {
		if _, err := o.Next(); err != nil {
			t.Fatal(err)
		}
	}
	state, _ := o.MarshalBinary()
	c := binary.BigEndian.Uint32(state[tdesCounterAt:])
	p := bits.TrailingZeros32(c)
	erased := bytes.Clone(state)
	clear(erased[tdesRegsAt+16*p : tdesRegsAt+16*p+16])
	if err := new(dukpt.TDESOriginator).UnmarshalBinary(recrc(erased)); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("TDES state with its next register erased: %v", err)
	}
	used := bytes.Clone(state)
	used[tdesRegsAt] = 1 // register 0 lies below the next register (c = 0x30A)
	if p == 0 {
		t.Fatalf("counter %#x: pick another register", c)
	}
	if err := new(dukpt.TDESOriginator).UnmarshalBinary(recrc(used)); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("TDES state with a used register set: %v", err)
	}

	a, _ := newAESOriginator(t, aes128BDK, dukpt.AES128)
	for range 100 {
		if _, err := a.Next(); err != nil {
			t.Fatal(err)
		}
	}
	state, _ = a.MarshalBinary()
	p = bits.TrailingZeros64(binary.BigEndian.Uint64(state[aesCounterAt:]))
	erased = bytes.Clone(state)
	clear(erased[aesRegsAt+32*p : aesRegsAt+32*p+16])
	if err := new(dukpt.AESOriginator).UnmarshalBinary(recrc(erased)); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("AES state with its next register erased: %v", err)
	}
	long := bytes.Clone(state)
	long[aesRegsAt+32*p+20] = 1 // past the 16 bytes of an AES-128 key
	if err := new(dukpt.AESOriginator).UnmarshalBinary(recrc(long)); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("AES state with a register longer than its key: %v", err)
	}
}

// Every state an originator goes through is accepted: along a run from the
// first counter, and around random counters reached with SeekTDES/SeekAES.
func TestUnmarshalAcceptsEveryReachableState(t *testing.T) {
	o, ipek := newTDESOriginator(t)
	a, ik := newAESOriginator(t, aes128BDK, dukpt.AES128)
	walk := func(name string, n int) {
		for i := range n {
			ts, _ := o.MarshalBinary()
			if err := new(dukpt.TDESOriginator).UnmarshalBinary(ts); err != nil {
				t.Fatalf("%s TDES step %d (counter %#x): %v", name, i, o.Counter(), err)
			}
			as, _ := a.MarshalBinary()
			if err := new(dukpt.AESOriginator).UnmarshalBinary(as); err != nil {
				c, _ := a.Counter()
				t.Fatalf("%s AES step %d (counter %#x): %v", name, i, c, err)
			}
			if _, err := o.Next(); err != nil && !errors.Is(err, dukpt.ErrExhausted) {
				t.Fatal(err)
			}
			if _, err := a.Next(); err != nil && !errors.Is(err, dukpt.ErrExhausted) {
				t.Fatal(err)
			}
		}
	}
	walk("start", 2100)
	rng := rand.New(rand.NewPCG(16, 2026))
	for range 40 {
		tc, _ := dukpt.NextTDESCounter(rng.Uint32N(0x1FF800))
		dukpt.SeekTDES(o, ipek, tc)
		ac, _ := dukpt.NextAESCounter(rng.Uint32N(0xFFFF0000))
		dukpt.SeekAES(a, ik, uint64(ac))
		walk("seek", 40)
	}
}

func TestSealedState(t *testing.T) {
	dev := bytes.Repeat([]byte{0x5A}, 32)
	o, _ := newTDESOriginator(t)
	a, _ := newAESOriginator(t, aes128BDK, dukpt.AES128)
	for range 33 {
		o.Next()
		a.Next()
	}
	ts, err := o.MarshalSealed(dev)
	if err != nil {
		t.Fatal(err)
	}
	as, err := a.MarshalSealed(dev[:16])
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := o.MarshalBinary()
	if bytes.Contains(ts, plain[tdesRegsAt:tdesRegsAt+16]) {
		t.Fatal("sealed state shows the registers")
	}
	if again, _ := o.MarshalSealed(dev); bytes.Equal(again, ts) {
		t.Fatal("two seals of one state are equal: the nonce is not random")
	}
	var to dukpt.TDESOriginator
	if err := to.UnmarshalSealed(dev, ts); err != nil {
		t.Fatal(err)
	}
	var ao dukpt.AESOriginator
	if err := ao.UnmarshalSealed(dev[:16], as); err != nil {
		t.Fatal(err)
	}
	x, _ := o.Next()
	y, _ := to.Next()
	if x.KSN != y.KSN || !bytes.Equal(x.PIN, y.PIN) {
		t.Fatal("TDES state restored from the sealed form differs")
	}
	u, _ := a.Next()
	v, _ := ao.Next()
	if u.KSN != v.KSN || !bytes.Equal(u.PIN, v.PIN) {
		t.Fatal("AES state restored from the sealed form differs")
	}

	bad := map[string]error{
		"wrong key":       to.UnmarshalSealed(bytes.Repeat([]byte{0xA5}, 32), ts),
		"AES into TDES":   to.UnmarshalSealed(dev[:16], as),
		"TDES into AES":   ao.UnmarshalSealed(dev, ts),
		"truncated":       to.UnmarshalSealed(dev, ts[:len(ts)-1]),
		"header only":     to.UnmarshalSealed(dev, ts[:5]),
		"empty":           to.UnmarshalSealed(dev, nil),
		"plain as sealed": to.UnmarshalSealed(dev, plain),
	}
	v2 := bytes.Clone(ts)
	v2[3] = 2
	bad["version"] = to.UnmarshalSealed(dev, v2)
	for i := 0; i < len(ts); i += 7 {
		b := bytes.Clone(ts)
		b[i] ^= 1 << (i % 8)
		if err := to.UnmarshalSealed(dev, b); !errors.Is(err, dukpt.ErrState) {
			t.Errorf("bit flipped at byte %d: %v", i, err)
		}
	}
	for name, err := range bad {
		if !errors.Is(err, dukpt.ErrState) {
			t.Errorf("%s: %v, want ErrState", name, err)
		}
	}
	if _, err := o.MarshalSealed(dev[:15]); !errors.Is(err, dukpt.ErrKeyLength) {
		t.Errorf("short device key: %v", err)
	}
	if err := to.UnmarshalSealed(nil, ts); !errors.Is(err, dukpt.ErrKeyLength) {
		t.Errorf("no device key: %v", err)
	}
	if _, err := new(dukpt.AESOriginator).MarshalSealed(dev); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("MarshalSealed of an unloaded originator: %v", err)
	}
}

// The monotonic guard: an originator told the last KSN the host saw never
// hands out that KSN or an earlier one, and will not restore an older state.
func TestRollbackGuardTDES(t *testing.T) {
	o, _ := newTDESOriginator(t)
	for range 10 {
		o.Next()
	}
	old, _ := o.MarshalBinary() // a backup: next counter 11
	var last dukpt.TDESKSN
	for range 10 {
		tx, _ := o.Next()
		last = tx.KSN
	}
	current, _ := o.MarshalBinary()

	var r dukpt.TDESOriginator
	if err := r.UnmarshalBinary(old); err != nil {
		t.Fatal(err)
	}
	if err := r.SetLastUsed(last); !errors.Is(err, dukpt.ErrRollback) {
		t.Fatalf("SetLastUsed on a restored backup: %v, want ErrRollback", err)
	}
	if _, err := r.Next(); !errors.Is(err, dukpt.ErrRollback) {
		t.Fatalf("Next on a restored backup: %v, want ErrRollback", err)
	}
	if err := r.UnmarshalBinary(old); !errors.Is(err, dukpt.ErrRollback) {
		t.Fatalf("restoring the backup again: %v", err)
	}
	if err := r.UnmarshalBinary(current); err != nil {
		t.Fatal(err)
	}
	tx, err := r.Next()
	if err != nil || tx.KSN.Counter() <= last.Counter() {
		t.Fatalf("after restoring the current state: %v %v", tx.KSN, err)
	}
	if err := r.SetLastUsed(last); err != nil { // older than the guard: no effect
		t.Fatalf("SetLastUsed with an older KSN: %v", err)
	}
	other, _ := last.WithCounter(1)
	other[0] ^= 1
	if err := r.SetLastUsed(other); !errors.Is(err, dukpt.ErrKSN) {
		t.Errorf("another terminal's KSN: %v", err)
	}
	zero, _ := last.WithCounter(0)
	if err := r.SetLastUsed(zero); !errors.Is(err, dukpt.ErrCounter) {
		t.Errorf("counter 0: %v", err)
	}
	if err := new(dukpt.TDESOriginator).SetLastUsed(last); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("unloaded: %v", err)
	}
	other, _ = dukpt.ParseTDESKSN("FFFF9876543211E00000")
	foreign, _ := dukpt.NewTDESOriginator(unhex(t, tdesIPEK), other[:])
	fs, _ := foreign.MarshalBinary()
	if err := r.UnmarshalBinary(fs); !errors.Is(err, dukpt.ErrRollback) {
		t.Errorf("another terminal's state under a guard: %v", err)
	}
}

func TestRollbackGuardAES(t *testing.T) {
	o, _ := newAESOriginator(t, aes128BDK, dukpt.AES128)
	dev := make([]byte, 16)
	old, _ := o.MarshalSealed(dev)
	var last dukpt.AESKSN
	for range 5 {
		tx, _ := o.Next()
		last = tx.KSN
	}
	var r dukpt.AESOriginator
	if err := r.UnmarshalSealed(dev, old); err != nil {
		t.Fatal(err)
	}
	if err := r.SetLastUsed(last); !errors.Is(err, dukpt.ErrRollback) {
		t.Fatalf("SetLastUsed on a restored backup: %v", err)
	}
	if _, err := r.Next(); !errors.Is(err, dukpt.ErrRollback) {
		t.Fatalf("Next on a restored backup: %v", err)
	}
	if err := r.UnmarshalSealed(dev, old); !errors.Is(err, dukpt.ErrRollback) {
		t.Fatalf("restoring the sealed backup again: %v", err)
	}
	if err := o.SetLastUsed(last); err != nil {
		t.Fatalf("SetLastUsed on the live originator: %v", err)
	}
	if tx, err := o.Next(); err != nil || tx.KSN.Counter() <= last.Counter() {
		t.Fatalf("live originator after the guard: %v %v", tx.KSN, err)
	}
	if err := o.SetLastUsed(last.WithCounter(0x1FFFF)); !errors.Is(err, dukpt.ErrCounter) {
		t.Errorf("17 one-bits: %v", err)
	}
	other := last
	other[0] ^= 1
	if err := o.SetLastUsed(other); !errors.Is(err, dukpt.ErrKSN) {
		t.Errorf("another terminal's KSN: %v", err)
	}
}

// countingBlock stands for a BDK held in an HSM or a KMS: it enciphers
// through a block the test built, counts the calls, and has no method that
// returns key bytes.
type countingBlock struct {
	b     cipher.Block
	calls atomic.Int64
}

func (c *countingBlock) BlockSize() int { return c.b.BlockSize() }
func (c *countingBlock) Encrypt(dst, src []byte) {
	c.calls.Add(1)
	c.b.Encrypt(dst, src)
}
func (c *countingBlock) Decrypt(dst, src []byte) {
	panic("dukpt: a receiver never deciphers under the BDK")
}

func TestTDESReceiverFromBlocks(t *testing.T) {
	bdk := unhex(t, tdesBDK)
	variant := bytes.Clone(bdk)
	for _, i := range []int{0, 1, 2, 3, 8, 9, 10, 11} {
		variant[i] ^= 0xC0 // X9.24-1:2009 A.6
	}
	mk := func(k []byte) *countingBlock {
		b, err := des.NewTripleDESCipher(append(bytes.Clone(k), k[:8]...))
		if err != nil {
			t.Skip("DES refused in this mode")
		}
		return &countingBlock{b: b}
	}
	for _, opts := range [][]dukpt.ReceiverOption{nil, {dukpt.WithDeviceCache(0)}} {
		h, hv := mk(bdk), mk(variant)
		r, err := dukpt.NewTDESReceiverFromBlocks(h, hv, opts...)
		if err != nil {
			t.Fatal(err)
		}
		for i, ksn := range []string{"FFFF9876543210E00001", "FFFF9876543210E00002", "FFFF9876543210E003FF", "FFFF9876543211E00001"} {
			want, _ := dukpt.TDESKey(bdk, unhex(t, ksn), dukpt.DataEncryption)
			got, err := r.Key(unhex(t, ksn), dukpt.DataEncryption)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %X, %v; want %X", ksn, got, err, want)
			}
			calls := int64(i + 1) // no cache: one IPEK per key
			if opts == nil {
				calls = int64(1 + i/3) // cached: one IPEK per terminal
			}
			if h.calls.Load() != calls || hv.calls.Load() != calls {
				t.Errorf("%s: %d+%d calls to the handles, want %d each", ksn, h.calls.Load(), hv.calls.Load(), calls)
			}
		}
	}
	ab, _ := aes.NewCipher(make([]byte, 16))
	if _, err := dukpt.NewTDESReceiverFromBlocks(ab, ab); !errors.Is(err, dukpt.ErrCipher) {
		t.Errorf("AES blocks: %v", err)
	}
	if _, err := dukpt.NewTDESReceiverFromBlocks(nil, nil); !errors.Is(err, dukpt.ErrCipher) {
		t.Errorf("nil blocks: %v", err)
	}
}

func TestAESReceiverFromBlock(t *testing.T) {
	for _, c := range []struct {
		bdk   string
		t     dukpt.KeyType
		calls int64 // initial key blocks: one for AES-128, two for AES-256
	}{{aes128BDK, dukpt.AES128, 1}, {aes256BDK, dukpt.AES256, 2}} {
		bdk := unhex(t, c.bdk)
		b, _ := aes.NewCipher(bdk)
		h := &countingBlock{b: b}
		r, err := dukpt.NewAESReceiverFromBlock(h, c.t)
		if err != nil {
			t.Fatal(err)
		}
		for i, ksn := range []string{aesKeyID + "00000001", aesKeyID + "0000FFFF", "1234567890123457" + "00000001"} {
			want, _ := dukpt.AESKey(bdk, unhex(t, ksn), dukpt.MACBoth, dukpt.AES128)
			got, err := r.Key(unhex(t, ksn), dukpt.MACBoth, dukpt.AES128)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%v %s: %X, %v; want %X", c.t, ksn, got, err, want)
			}
			if want := c.calls * int64(1+i/2); h.calls.Load() != want {
				t.Errorf("%v %s: %d calls to the handle, want %d", c.t, ksn, h.calls.Load(), want)
			}
		}
	}
	ab, _ := aes.NewCipher(make([]byte, 16))
	if _, err := dukpt.NewAESReceiverFromBlock(ab, dukpt.TDES2); !errors.Is(err, dukpt.ErrKeyType) {
		t.Errorf("TDES2 BDK type: %v", err)
	}
	if _, err := dukpt.NewAESReceiverFromBlock(nil, dukpt.AES128); !errors.Is(err, dukpt.ErrCipher) {
		t.Errorf("nil block: %v", err)
	}
}

func TestCloseStopsDerivation(t *testing.T) {
	tr, _ := dukpt.NewTDESReceiver(unhex(t, tdesBDK))
	ar, _ := dukpt.NewAESReceiver(unhex(t, aes128BDK))
	tksn, aksn := unhex(t, "FFFF9876543210E00001"), unhex(t, aesKeyID+"00000001")
	tr.Key(tksn, dukpt.PINEncryption)
	ar.Key(aksn, dukpt.PINEncryption, dukpt.AES128)
	for range 2 { // Close twice is fine
		if tr.Close() != nil || ar.Close() != nil {
			t.Fatal("Close failed")
		}
	}
	if _, err := tr.Key(tksn, dukpt.PINEncryption); !errors.Is(err, dukpt.ErrNoBDK) {
		t.Errorf("TDES receiver after Close: %v", err)
	}
	if _, err := ar.Key(aksn, dukpt.PINEncryption, dukpt.AES128); !errors.Is(err, dukpt.ErrNoBDK) {
		t.Errorf("AES receiver after Close: %v", err)
	}
	o, _ := newTDESOriginator(t)
	a, _ := newAESOriginator(t, aes128BDK, dukpt.AES128)
	o.Close()
	a.Close()
	if _, err := o.Next(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("TDES originator after Close: %v", err)
	}
	if _, err := a.MarshalBinary(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("AES originator after Close: %v", err)
	}
	var nilR *dukpt.TDESReceiver
	var nilO *dukpt.AESOriginator
	if nilR.Close() != nil || nilO.Close() != nil {
		t.Error("Close of nil")
	}
}
