package dukpt_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/poskit/poskit/dukpt"
)

func FuzzParseTDESKSN(f *testing.F) {
	for _, s := range []string{tdesInitialKSN, "FFFF9876543210E00001", "ffff9876543210fff800", "FFFF9876543210FFFFFF", "", "0", "FFFF9876543210E0000G", "FFFF9876543210E00001FF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := dukpt.ParseTDESKSN(s)
		if err != nil {
			if !errors.Is(err, dukpt.ErrKSNLength) && !errors.Is(err, dukpt.ErrKSN) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if k.String() != strings.ToUpper(s) {
			t.Fatalf("round trip %q -> %v", s, k)
		}
		c := k.Counter()
		if c > 0x1FFFFF || k.Valid() != dukpt.ValidTDESCounter(c) {
			t.Fatalf("counter %#x", c)
		}
		if w, err := k.WithCounter(c); err != nil || w != k {
			t.Fatalf("WithCounter(Counter()) changed the KSN")
		}
		if n, err := k.Next(); err == nil {
			if n.Counter() <= c || !n.Valid() || n.Initial() != k.Initial() {
				t.Fatalf("Next %v after %v", n, k)
			}
		} else if !errors.Is(err, dukpt.ErrExhausted) || c < 0x1FF800 {
			t.Fatalf("Next after %#x: %v", c, err)
		}
	})
}

func FuzzParseAESKSN(f *testing.F) {
	for _, s := range []string{aesKeyID + "00000001", aesKeyID + "FFFF0000", aesUpdateKSN, "", "12345678901234560001fffe", "12345678901234560001fffZ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := dukpt.ParseAESKSN(s)
		if err != nil {
			if !errors.Is(err, dukpt.ErrKSNLength) && !errors.Is(err, dukpt.ErrKSN) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if k.String() != strings.ToUpper(s) {
			t.Fatalf("round trip %q -> %v", s, k)
		}
		c := k.Counter()
		if k.WithCounter(c) != k || k.Valid() != dukpt.ValidAESCounter(c) {
			t.Fatal("counter")
		}
		id := k.InitialKeyID()
		if k2, err := dukpt.NewAESKSN(id[:], c); err != nil || k2 != k {
			t.Fatal("NewAESKSN(InitialKeyID(), Counter())")
		}
		if n, err := k.Next(); err == nil {
			if n.Counter() <= c || !n.Valid() || n.InitialKeyID() != id {
				t.Fatalf("Next %v after %v", n, k)
			}
		} else if !errors.Is(err, dukpt.ErrExhausted) || c < 0xFFFF0000 {
			t.Fatalf("Next after %#x: %v", c, err)
		}
	})
}

// FuzzTDESKey feeds arbitrary BDKs, KSNs and usages. Whatever succeeds must
// agree with the receiver and with TDESWorkingKey(TDESTransactionKey); the
// inputs must come back unchanged.
func FuzzTDESKey(f *testing.F) {
	bdk := mustHex(tdesBDK)
	f.Add(bdk, mustHex("FFFF9876543210E00001"), 0)
	f.Add(bdk, mustHex("FFFF9876543210EFFC00"), 3)
	f.Add(bdk, mustHex("FFFF9876543210E007FF"), 1)
	f.Add(bdk, mustHex(tdesInitialKSN), 4)
	f.Add(bdk[:8], mustHex("FFFF9876543210E00001"), 2)
	f.Add(bdk, mustHex("FFFF9876543210E00001"), 7)
	f.Fuzz(func(t *testing.T, bdk, ksn []byte, u int) {
		bdk0, ksn0 := bytes.Clone(bdk), bytes.Clone(ksn)
		key, err := dukpt.TDESKey(bdk, ksn, dukpt.Usage(u))
		if !bytes.Equal(bdk, bdk0) || !bytes.Equal(ksn, ksn0) {
			t.Fatal("input modified")
		}
		if err != nil {
			if key != nil {
				t.Fatal("key with error")
			}
			return
		}
		if len(key) != 16 {
			t.Fatalf("%d-byte key", len(key))
		}
		if ref := refTDESKey(bdk, ksn, dukpt.Usage(u)); !bytes.Equal(key, ref) {
			t.Fatalf("key differs from the crypto/des reference")
		}
		r, err := dukpt.NewTDESReceiver(bdk)
		if err != nil {
			t.Fatal(err)
		}
		rk, err := r.Key(ksn, dukpt.Usage(u))
		if err != nil || !bytes.Equal(rk, key) {
			t.Fatalf("receiver: %v", err)
		}
		tk, err := dukpt.TDESTransactionKey(bdk, ksn)
		if err != nil {
			t.Fatal(err)
		}
		wk, err := dukpt.TDESWorkingKey(tk, dukpt.Usage(u))
		if err != nil || !bytes.Equal(wk, key) {
			t.Fatalf("TDESWorkingKey: %v", err)
		}
	})
}

// FuzzAESKey is FuzzTDESKey for AES DUKPT, also checking the receiver and
// AESWorkingKey(AESIntermediateKey).
func FuzzAESKey(f *testing.F) {
	f.Add(mustHex(aes128BDK), mustHex(aesKeyID+"00000001"), 0, 2)
	f.Add(mustHex(aes256BDK), mustHex(aesKeyID+"00000001"), 0, 4)
	f.Add(mustHex(aes128BDK), mustHex(aesKeyID+"FFFF0000"), 6, 1)
	f.Add(mustHex(aes128BDK), mustHex(aesUpdateKSN), 7, 0)
	f.Add(mustHex(aes128BDK+"0011223344556677"), mustHex(aesKeyID+"0001FFFE"), 3, 3)
	f.Add(mustHex(aes128BDK), mustHex(aesKeyID+"00000001"), 0, 4)
	f.Add(mustHex(aes128BDK)[:9], mustHex(aesKeyID+"00000001"), 9, -1)
	f.Fuzz(func(t *testing.T, bdk, ksn []byte, u, kt int) {
		bdk0, ksn0 := bytes.Clone(bdk), bytes.Clone(ksn)
		key, err := dukpt.AESKey(bdk, ksn, dukpt.Usage(u), dukpt.KeyType(kt))
		if !bytes.Equal(bdk, bdk0) || !bytes.Equal(ksn, ksn0) {
			t.Fatal("input modified")
		}
		if err != nil {
			if key != nil {
				t.Fatal("key with error")
			}
			return
		}
		if len(key) != dukpt.KeyType(kt).Size() {
			t.Fatalf("%d-byte %v key", len(key), dukpt.KeyType(kt))
		}
		r, err := dukpt.NewAESReceiver(bdk)
		if err != nil {
			t.Fatal(err)
		}
		rk, err := r.Key(ksn, dukpt.Usage(u), dukpt.KeyType(kt))
		if err != nil || !bytes.Equal(rk, key) {
			t.Fatalf("receiver: %v", err)
		}
		ik, err := dukpt.AESIntermediateKey(bdk, ksn)
		if err != nil {
			t.Fatal(err)
		}
		wk, err := dukpt.AESWorkingKey(ik, ksn, dukpt.Usage(u), dukpt.KeyType(kt))
		if err != nil || !bytes.Equal(wk, key) {
			t.Fatalf("AESWorkingKey: %v", err)
		}
	})
}

// FuzzTDESOriginatorState feeds arbitrary bytes to UnmarshalBinary: a state
// it accepts must marshal back to the same bytes, and Next must not panic.
func FuzzTDESOriginatorState(f *testing.F) {
	o, err := dukpt.NewTDESOriginator(mustHex(tdesIPEK), mustHex(tdesInitialKSN))
	if err != nil {
		f.Fatal(err)
	}
	for range 5 {
		s, _ := o.MarshalBinary()
		f.Add(s)
		_, _ = o.Next()
	}
	f.Add([]byte("DKTD\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTDESState(t, data)
		checkTDESState(t, reseal(data))
	})
}

func checkTDESState(t *testing.T, data []byte) {
	var o dukpt.TDESOriginator
	if err := o.UnmarshalBinary(data); err != nil {
		if !errors.Is(err, dukpt.ErrState) {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	back, err := o.MarshalBinary()
	if err != nil || !bytes.Equal(back, data) {
		t.Fatalf("round trip: %v", err)
	}
	for range 3 {
		if tx, err := o.Next(); err == nil && !tx.KSN.Valid() {
			t.Fatalf("invalid KSN %v", tx.KSN)
		}
	}
}

// FuzzAESOriginatorState is FuzzTDESOriginatorState for AES.
func FuzzAESOriginatorState(f *testing.F) {
	for _, kt := range []dukpt.KeyType{dukpt.AES128, dukpt.TDES3} {
		ik, _ := dukpt.AESInitialKey(mustHex(aes128BDK), mustHex(aesKeyID))
		o, err := dukpt.NewAESOriginator(ik, mustHex(aesKeyID), kt)
		if err != nil {
			f.Fatal(err)
		}
		for range 3 {
			s, _ := o.MarshalBinary()
			f.Add(s)
			_, _ = o.Next()
		}
	}
	f.Add([]byte("DKTA\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAESState(t, data)
		checkAESState(t, reseal(data))
	})
}

func checkAESState(t *testing.T, data []byte) {
	var o dukpt.AESOriginator
	if err := o.UnmarshalBinary(data); err != nil {
		if !errors.Is(err, dukpt.ErrState) {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	back, err := o.MarshalBinary()
	if err != nil || !bytes.Equal(back, data) {
		t.Fatalf("round trip: %v", err)
	}
	for range 3 {
		if tx, err := o.Next(); err == nil && (!tx.KSN.Valid() || len(tx.PIN) != tx.KeyType.Size()) {
			t.Fatalf("invalid transaction %v", tx.KSN)
		}
	}
}

// reseal replaces the last 4 bytes of data with the CRC-32 of the rest, so
// that the fuzzer reaches the checks behind the checksum.
func reseal(data []byte) []byte {
	if len(data) < 4 {
		return data
	}
	b := bytes.Clone(data)
	binary.BigEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return b
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
