package dukpt_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"sync"
	"testing"

	"github.com/poskit/poskit/dukpt"
)

func newTDESOriginator(t testing.TB) (*dukpt.TDESOriginator, []byte) {
	t.Helper()
	ipek := unhex(t, tdesIPEK)
	o, err := dukpt.NewTDESOriginator(ipek, unhex(t, tdesInitialKSN))
	if err != nil {
		t.Fatal(err)
	}
	return o, ipek
}

func newAESOriginator(t testing.TB, bdk string, kt dukpt.KeyType) (*dukpt.AESOriginator, []byte) {
	t.Helper()
	ik, err := dukpt.AESInitialKey(unhex(t, bdk), unhex(t, aesKeyID))
	if err != nil {
		t.Fatal(err)
	}
	o, err := dukpt.NewAESOriginator(ik, unhex(t, aesKeyID), kt)
	if err != nil {
		t.Fatal(err)
	}
	return o, ik
}

// checkTDESTx compares every key of tx with the receiver's for tx.KSN.
func checkTDESTx(t *testing.T, r *dukpt.TDESReceiver, tx dukpt.TDESTransaction) {
	t.Helper()
	checkTDESTxKeys(t, r, tx, 5)
}

// checkTDESTxKeys compares the first n keys of tx (PIN first) with the
// receiver's.
func checkTDESTxKeys(t *testing.T, r *dukpt.TDESReceiver, tx dukpt.TDESTransaction, n int) {
	t.Helper()
	for _, c := range []struct {
		u   dukpt.Usage
		key []byte
	}{
		{dukpt.PINEncryption, tx.PIN},
		{dukpt.MACGeneration, tx.MACRequest},
		{dukpt.MACVerification, tx.MACResponse},
		{dukpt.DataEncryption, tx.DataRequest},
		{dukpt.DataDecryption, tx.DataResponse},
	}[:n] {
		want, err := r.Key(tx.KSN[:], c.u)
		if err != nil {
			t.Fatalf("%v: %v", tx.KSN, err)
		}
		if !bytes.Equal(c.key, want) {
			t.Fatalf("%v %v: originator and receiver differ", tx.KSN, c.u)
		}
	}
}

func checkAESTx(t *testing.T, r *dukpt.AESReceiver, tx dukpt.AESTransaction) {
	t.Helper()
	for _, c := range []struct {
		u   dukpt.Usage
		key []byte
	}{
		{dukpt.PINEncryption, tx.PIN},
		{dukpt.MACGeneration, tx.MACGeneration},
		{dukpt.MACVerification, tx.MACVerification},
		{dukpt.MACBoth, tx.MACBoth},
		{dukpt.DataEncryption, tx.DataEncryption},
		{dukpt.DataDecryption, tx.DataDecryption},
		{dukpt.DataBoth, tx.DataBoth},
	} {
		want, err := r.Key(tx.KSN[:], c.u, tx.KeyType)
		if err != nil {
			t.Fatalf("%v: %v", tx.KSN, err)
		}
		if !bytes.Equal(c.key, want) {
			t.Fatalf("%v %v %v: originator and receiver differ", tx.KSN, c.u, tx.KeyType)
		}
	}
}

func TestTDESOriginatorVectors(t *testing.T) {
	o, _ := newTDESOriginator(t)
	for _, v := range tdesVectors {
		tx, err := o.Next()
		if err != nil {
			t.Fatal(err)
		}
		if tx.KSN.String() != v.ksn {
			t.Fatalf("KSN %v, want %s", tx.KSN, v.ksn)
		}
		if want := unhex(t, v.pinKey); !bytes.Equal(tx.PIN, want) {
			t.Errorf("%s: PIN key %X, want %X", v.ksn, tx.PIN, want)
		}
	}
}

func TestTDESOriginatorMatchesReceiver(t *testing.T) {
	r, err := dukpt.NewTDESReceiver(unhex(t, tdesBDK))
	if err != nil {
		t.Fatal(err)
	}
	o, _ := newTDESOriginator(t)
	want := uint32(0)
	for i := 0; i < 5000; i++ {
		if c := o.Counter(); c == 0 {
			t.Fatal("Counter 0 before exhaustion")
		}
		tx, err := o.Next()
		if err != nil {
			t.Fatal(err)
		}
		want, _ = dukpt.NextTDESCounter(want)
		if got := tx.KSN.Counter(); got != want || !tx.KSN.Valid() {
			t.Fatalf("transaction %d: counter %#x, want %#x", i, got, want)
		}
		// The PIN key of every transaction; all five keys of every 16th
		// (the five come from one transaction key, the variants are
		// checked against the published values elsewhere).
		if i%16 == 0 {
			checkTDESTx(t, r, tx)
		} else {
			checkTDESTxKeys(t, r, tx, 1)
		}
	}
}

// X9.24-1:2009 A.4.3: from counter 0x0FF800 an originator uses 0x0FF800,
// the ten counters 0x0FF800|1<<j (j = 0..9, each with ten one-bits), then
// 0x0FFC00, then 0x100000.
func TestTDESOriginatorRollover(t *testing.T) {
	r, err := dukpt.NewTDESReceiver(unhex(t, tdesBDK))
	if err != nil {
		t.Fatal(err)
	}
	o, ipek := newTDESOriginator(t)
	dukpt.SeekTDES(o, ipek, 0x0FF800)
	var seen []uint32
	keys := map[uint32][]byte{}
	for len(seen) < 13 {
		tx, err := o.Next()
		if err != nil {
			t.Fatal(err)
		}
		checkTDESTx(t, r, tx)
		seen = append(seen, tx.KSN.Counter())
		keys[tx.KSN.Counter()] = tx.PIN
	}
	want := []uint32{0x0FF800}
	for j := range 10 {
		want = append(want, 0x0FF800|1<<j)
	}
	want = append(want, 0x0FFC00, 0x100000)
	for i := range want {
		if seen[i] != want[i] {
			t.Fatalf("counters %#x, want %#x", seen, want)
		}
	}
	for _, v := range tdesRolloverVectors {
		k, _ := dukpt.ParseTDESKSN(v.ksn)
		tk := unhex(t, v.transactionKey)
		pin, _ := dukpt.TDESWorkingKey(tk, dukpt.PINEncryption)
		if !bytes.Equal(keys[k.Counter()], pin) {
			t.Errorf("%s: originator PIN key does not come from the published transaction key", v.ksn)
		}
	}
}

func TestTDESOriginatorExhaustion(t *testing.T) {
	r, err := dukpt.NewTDESReceiver(unhex(t, tdesBDK))
	if err != nil {
		t.Fatal(err)
	}
	o, ipek := newTDESOriginator(t)
	dukpt.SeekTDES(o, ipek, 0x1FE000)
	// 0x1FE000 has 8 one-bits: then come it and the 13 + 78 counters with
	// one or two more bits below bit 13, the last being 0x1FF800.
	n := 0
	var last dukpt.TDESKSN
	for {
		tx, err := o.Next()
		if errors.Is(err, dukpt.ErrExhausted) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		checkTDESTx(t, r, tx)
		last = tx.KSN
		n++
	}
	if n != 1+13+78 {
		t.Errorf("%d transactions before exhaustion, want 92", n)
	}
	if last.Counter() != 0x1FF800 {
		t.Errorf("last counter %#x, want 0x1FF800", last.Counter())
	}
	if _, err := last.Next(); !errors.Is(err, dukpt.ErrExhausted) {
		t.Errorf("KSN.Next after the last counter: %v", err)
	}
	if !o.Exhausted() || o.Counter() != 0 {
		t.Error("originator does not report exhaustion")
	}
	if _, err := o.Next(); !errors.Is(err, dukpt.ErrExhausted) {
		t.Errorf("second Next after exhaustion: %v", err)
	}
	// Exhaustion survives a save and restore.
	state, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var o2 dukpt.TDESOriginator
	if err := o2.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	if _, err := o2.Next(); !errors.Is(err, dukpt.ErrExhausted) {
		t.Errorf("restored exhausted originator: %v", err)
	}
}

func TestTDESOriginatorSaveRestore(t *testing.T) {
	o, _ := newTDESOriginator(t)
	for range 777 {
		if _, err := o.Next(); err != nil {
			t.Fatal(err)
		}
	}
	state, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	saved := bytes.Clone(state)
	var restored dukpt.TDESOriginator
	if err := restored.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(state, saved) {
		t.Fatal("UnmarshalBinary changed its input")
	}
	for range 500 {
		a, err := o.Next()
		if err != nil {
			t.Fatal(err)
		}
		b, err := restored.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a.KSN != b.KSN || !bytes.Equal(a.PIN, b.PIN) || !bytes.Equal(a.MACRequest, b.MACRequest) ||
			!bytes.Equal(a.MACResponse, b.MACResponse) || !bytes.Equal(a.DataRequest, b.DataRequest) ||
			!bytes.Equal(a.DataResponse, b.DataResponse) {
			t.Fatalf("%v: restored originator differs", a.KSN)
		}
	}
	checkStateErrors(t, saved, func(b []byte) error { return new(dukpt.TDESOriginator).UnmarshalBinary(b) })
	// A valid frame with a counter of 11 one-bits, or an initial KSN with a
	// counter, is inconsistent.
	bad := bytes.Clone(saved)
	binary.BigEndian.PutUint32(bad[15:], 0x7FF)
	checkInconsistent(t, bad, func(b []byte) error { return new(dukpt.TDESOriginator).UnmarshalBinary(b) })
	bad = bytes.Clone(saved)
	bad[14] = 1
	checkInconsistent(t, bad, func(b []byte) error { return new(dukpt.TDESOriginator).UnmarshalBinary(b) })
}

// checkStateErrors checks that truncation, a flipped bit, an unknown version
// and a foreign magic are all ErrState and leave the originator unchanged.
func checkStateErrors(t *testing.T, state []byte, unmarshal func([]byte) error) {
	t.Helper()
	cases := map[string][]byte{
		"empty":     nil,
		"truncated": state[:len(state)-1],
		"longer":    append(bytes.Clone(state), 0),
	}
	for i := 0; i < len(state); i += 37 {
		b := bytes.Clone(state)
		b[i] ^= 0x10
		cases["flip"+string(rune('A'+i%26))+string(rune('0'+i/26%10))] = b
	}
	v := bytes.Clone(state)
	v[4] = 2
	cases["version"] = v
	m := bytes.Clone(state)
	m[3] ^= 'A' ^ 'D'
	cases["magic"] = m
	for name, b := range cases {
		if err := unmarshal(b); !errors.Is(err, dukpt.ErrState) {
			t.Errorf("%s: %v, want ErrState", name, err)
		}
	}
}

// checkInconsistent re-seals a modified state with a good checksum and
// expects ErrState.
func checkInconsistent(t *testing.T, b []byte, unmarshal func([]byte) error) {
	t.Helper()
	binary.BigEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	if err := unmarshal(b); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("inconsistent state: %v, want ErrState", err)
	}
}

func TestOriginatorNotLoaded(t *testing.T) {
	var o dukpt.TDESOriginator
	if _, err := o.Next(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("TDES Next: %v", err)
	}
	if _, err := o.MarshalBinary(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("TDES MarshalBinary: %v", err)
	}
	var a dukpt.AESOriginator
	if _, err := a.Next(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("AES Next: %v", err)
	}
	if _, err := a.MarshalBinary(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("AES MarshalBinary: %v", err)
	}
	if _, ok := a.Counter(); ok {
		t.Error("AES Counter ok before loading")
	}
	var np *dukpt.TDESOriginator
	if _, err := np.Next(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("nil TDES Next: %v", err)
	}
	if _, err := np.MarshalBinary(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("nil TDES MarshalBinary: %v", err)
	}
	if err := np.UnmarshalBinary(nil); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("nil TDES UnmarshalBinary: %v", err)
	}
	if np.Exhausted() || np.Counter() != 0 {
		t.Error("nil TDES originator getters")
	}
	var na *dukpt.AESOriginator
	if _, err := na.Next(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("nil AES Next: %v", err)
	}
	if _, err := na.MarshalBinary(); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("nil AES MarshalBinary: %v", err)
	}
	if err := na.UnmarshalBinary(nil); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("nil AES UnmarshalBinary: %v", err)
	}
	if _, ok := na.Counter(); ok || na.Exhausted() {
		t.Error("nil AES originator getters")
	}
}

func TestNewOriginatorErrors(t *testing.T) {
	ipek, ksn := unhex(t, tdesIPEK), unhex(t, tdesInitialKSN)
	for _, c := range []struct {
		ipek, ksn []byte
		want      error
	}{
		{ipek[:8], ksn, dukpt.ErrKeyLength},
		{ipek, ksn[:9], dukpt.ErrKSNLength},
		{ipek, unhex(t, "FFFF9876543210E00001"), dukpt.ErrCounter},
	} {
		if _, err := dukpt.NewTDESOriginator(c.ipek, c.ksn); !errors.Is(err, c.want) {
			t.Errorf("NewTDESOriginator: %v, want %v", err, c.want)
		}
	}
	ik, id := unhex(t, aes128IK), unhex(t, aesKeyID)
	for _, c := range []struct {
		ik, id []byte
		kt     dukpt.KeyType
		want   error
	}{
		{ik[:15], id, dukpt.AES128, dukpt.ErrKeyLength},
		{ik, id[:7], dukpt.AES128, dukpt.ErrInitialKeyIDLength},
		{ik, id, dukpt.KeyType(5), dukpt.ErrKeyType},
		{ik, id, dukpt.KeyType(-1), dukpt.ErrKeyType},
		{ik, id, dukpt.AES192, dukpt.ErrKeyStrength},
		{ik, id, dukpt.AES256, dukpt.ErrKeyStrength},
	} {
		if _, err := dukpt.NewAESOriginator(c.ik, c.id, c.kt); !errors.Is(err, c.want) {
			t.Errorf("NewAESOriginator %v: %v, want %v", c.kt, err, c.want)
		}
	}
}

func TestAESOriginatorVectors(t *testing.T) {
	o, _ := newAESOriginator(t, aes128BDK, dukpt.AES128)
	tx, err := o.Next()
	if err != nil {
		t.Fatal(err)
	}
	if tx.KSN.String() != aesKeyID+"00000001" {
		t.Fatalf("KSN %v", tx.KSN)
	}
	for _, c := range []struct {
		got  []byte
		want string
	}{
		{tx.PIN, "AF8CB133A78F8DC2D1359F18527593FB"},
		{tx.MACGeneration, "A2DC23DE6FDE0824A2BC321E08E4B8B7"},
		{tx.DataEncryption, "A35C412EFD41FDB98B69797C02DCD08F"},
	} {
		if !bytes.Equal(c.got, unhex(t, c.want)) {
			t.Errorf("counter 1: %X, want %s", c.got, c.want)
		}
	}
	tx, err = o.Next()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tx.PIN, unhex(t, "D30BDC73EC9714B000BEC66BDB7B6D09")) {
		t.Errorf("counter 2 PIN key %X", tx.PIN)
	}
	o, _ = newAESOriginator(t, aes256BDK, dukpt.AES256)
	if tx, err = o.Next(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tx.PIN, unhex(t, "8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502")) {
		t.Errorf("AES-256 counter 1 PIN key %X", tx.PIN)
	}
}

func TestAESOriginatorMatchesReceiver(t *testing.T) {
	for _, c := range []struct {
		bdk string
		kt  dukpt.KeyType
		n   int
	}{
		{aes128BDK, dukpt.AES128, 5000},
		{aes256BDK, dukpt.AES256, 300},
		{aes256BDK, dukpt.TDES3, 300},
		{aes128BDK, dukpt.TDES2, 300},
		{aes128BDK + "0011223344556677", dukpt.AES192, 300}, // AES-192 BDK
	} {
		r, err := dukpt.NewAESReceiver(unhex(t, c.bdk))
		if err != nil {
			t.Fatal(err)
		}
		o, _ := newAESOriginator(t, c.bdk, c.kt)
		want := uint32(0)
		for i := 0; i < c.n; i++ {
			tx, err := o.Next()
			if err != nil {
				t.Fatal(err)
			}
			want, _ = dukpt.NextAESCounter(want)
			if got := tx.KSN.Counter(); got != want || !tx.KSN.Valid() {
				t.Fatalf("transaction %d: counter %#x, want %#x", i, got, want)
			}
			if len(tx.PIN) != c.kt.Size() {
				t.Fatalf("%v key is %d bytes", c.kt, len(tx.PIN))
			}
			checkAESTx(t, r, tx)
		}
	}
}

// X9.24-3:2017 vectors 0x0001FFFE and 0xFFFF0000 reached by an originator,
// then exhaustion after 0xFFFF0000.
func TestAESOriginatorNearExhaustion(t *testing.T) {
	bdk := unhex(t, aes128BDK)
	r, err := dukpt.NewAESReceiver(bdk)
	if err != nil {
		t.Fatal(err)
	}
	o, ik := newAESOriginator(t, aes128BDK, dukpt.AES128)
	pinFrom := func(ksn, intermediate string) []byte {
		k, err := dukpt.AESWorkingKey(unhex(t, intermediate), unhex(t, ksn), dukpt.PINEncryption, dukpt.AES128)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	// 0x0001FFC0 has 11 one-bits; 0x00020000 follows the 63 counters from
	// it with up to 5 more bits below bit 6.
	dukpt.SeekAES(o, ik, 0x0001FFC0)
	found := false
	for n := 0; ; n++ {
		tx, err := o.Next()
		if err != nil {
			t.Fatal(err)
		}
		checkAESTx(t, r, tx)
		if c := tx.KSN.Counter(); c == 0x00020000 {
			if n != 63 {
				t.Errorf("%d counters from 0x0001FFC0 to 0x00020000, want 63", n)
			}
			break
		}
		if tx.KSN.Counter() == 0x0001FFFE {
			found = true
			if !bytes.Equal(tx.PIN, pinFrom(aesKeyID+"0001FFFE", "E21E8C8D347F8561A2BE752DAA85A111")) {
				t.Error("counter 0x0001FFFE: PIN key does not come from the published intermediate key")
			}
		}
	}
	if !found {
		t.Error("counter 0x0001FFFE not reached")
	}

	// 0xFFFE0000 has 15 one-bits: it and the 17 counters with one more bit
	// below bit 17, the last being 0xFFFF0000.
	dukpt.SeekAES(o, ik, 0xFFFE0000)
	n := 0
	var last dukpt.AESTransaction
	for {
		tx, err := o.Next()
		if errors.Is(err, dukpt.ErrExhausted) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		checkAESTx(t, r, tx)
		last = tx
		n++
	}
	if n != 18 || last.KSN.Counter() != 0xFFFF0000 {
		t.Fatalf("%d transactions, last %#x; want 18, 0xFFFF0000", n, last.KSN.Counter())
	}
	if !bytes.Equal(last.PIN, pinFrom(aesKeyID+"FFFF0000", "F6BA59389BD14A9855BE9727E7C52E3C")) {
		t.Error("counter 0xFFFF0000: PIN key does not come from the published intermediate key")
	}
	if _, err := last.KSN.Next(); !errors.Is(err, dukpt.ErrExhausted) {
		t.Errorf("KSN.Next after the last counter: %v", err)
	}
	if !o.Exhausted() {
		t.Error("not exhausted")
	}
	if _, ok := o.Counter(); ok {
		t.Error("Counter ok after exhaustion")
	}
}

func TestAESOriginatorSaveRestore(t *testing.T) {
	o, _ := newAESOriginator(t, aes256BDK, dukpt.AES192)
	for range 1234 {
		if _, err := o.Next(); err != nil {
			t.Fatal(err)
		}
	}
	state, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	saved := bytes.Clone(state)
	var restored dukpt.AESOriginator
	if err := restored.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	for range 500 {
		a, err := o.Next()
		if err != nil {
			t.Fatal(err)
		}
		b, err := restored.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a.KSN != b.KSN || a.KeyType != b.KeyType || !bytes.Equal(a.PIN, b.PIN) ||
			!bytes.Equal(a.MACGeneration, b.MACGeneration) || !bytes.Equal(a.DataBoth, b.DataBoth) {
			t.Fatalf("%v: restored originator differs", a.KSN)
		}
	}
	unmarshal := func(b []byte) error { return new(dukpt.AESOriginator).UnmarshalBinary(b) }
	checkStateErrors(t, saved, unmarshal)
	// A TDES state is not an AES state.
	td, _ := newTDESOriginator(t)
	tstate, _ := td.MarshalBinary()
	if err := unmarshal(tstate); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("TDES state as AES: %v", err)
	}
	if err := td.UnmarshalBinary(saved); !errors.Is(err, dukpt.ErrState) {
		t.Errorf("AES state as TDES: %v", err)
	}
	for _, mod := range []func(b []byte){
		func(b []byte) { b[5] = byte(dukpt.TDES2) },                    // initial key type
		func(b []byte) { b[5] = byte(dukpt.AES128) },                   // AES-192 keys from AES-128
		func(b []byte) { b[6] = 9 },                                    // unknown key type
		func(b []byte) { binary.BigEndian.PutUint64(b[15:], 0) },       // counter 0
		func(b []byte) { binary.BigEndian.PutUint64(b[15:], 0x1FFFF) }, // 17 one-bits
		func(b []byte) { binary.BigEndian.PutUint64(b[15:], 1<<33) },   // beyond 32 bits
	} {
		b := bytes.Clone(saved)
		mod(b)
		checkInconsistent(t, b, unmarshal)
	}
	// The failed restores left restored unchanged.
	a, _ := o.Next()
	b, _ := restored.Next()
	if a.KSN != b.KSN || !bytes.Equal(a.PIN, b.PIN) {
		t.Error("a failed UnmarshalBinary changed the originator")
	}
}

func TestOriginatorConcurrentNext(t *testing.T) {
	o, _ := newTDESOriginator(t)
	a, _ := newAESOriginator(t, aes128BDK, dukpt.AES128)
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				tx, err := o.Next()
				if err != nil {
					t.Error(err)
					return
				}
				ax, err := a.Next()
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = o.MarshalBinary()
				mu.Lock()
				if seen[tx.KSN.String()] || seen[ax.KSN.String()] {
					t.Errorf("KSN used twice")
				}
				seen[tx.KSN.String()] = true
				seen[ax.KSN.String()] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 200 {
		t.Errorf("%d distinct KSNs, want 200", len(seen))
	}
}

func TestTransactionWipe(t *testing.T) {
	o, _ := newTDESOriginator(t)
	tx, _ := o.Next()
	tx.Wipe()
	for _, k := range [][]byte{tx.PIN, tx.MACRequest, tx.MACResponse, tx.DataRequest, tx.DataResponse} {
		if !bytes.Equal(k, make([]byte, 16)) {
			t.Fatal("TDES key not wiped")
		}
	}
	a, _ := newAESOriginator(t, aes128BDK, dukpt.AES128)
	ax, _ := a.Next()
	ax.Wipe()
	for _, k := range [][]byte{ax.PIN, ax.MACGeneration, ax.MACVerification, ax.MACBoth, ax.DataEncryption, ax.DataDecryption, ax.DataBoth} {
		if !bytes.Equal(k, make([]byte, 16)) {
			t.Fatal("AES key not wiped")
		}
	}
}
