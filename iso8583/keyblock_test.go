package iso8583

import (
	"bytes"
	"errors"
	"testing"

	"github.com/poskit/poskit/keyblock"
)

func TestSignOnKeyBlocks(t *testing.T) {
	pin := bytes.Repeat([]byte{0x13}, 16)
	mk := bytes.Repeat([]byte{0x57}, 16)
	trk := bytes.Repeat([]byte{0x9B}, 16)
	for _, tc := range []struct {
		version byte
		kbpk    []byte
		keys    SessionKeys
	}{
		{'B', bytes.Repeat([]byte{0x21}, 16), SessionKeys{PIN: pin, MAC: mk, Track: trk}},
		{'B', bytes.Repeat([]byte{0x21}, 24), SessionKeys{PIN: pin, MAC: mk[:8]}},
		{'D', bytes.Repeat([]byte{0x43}, 32), SessionKeys{PIN: pin[:8], MAC: mk[:8], Track: trk}},
	} {
		f62, err := BuildSignOnKeyBlocks(tc.kbpk, tc.version, tc.keys)
		if err != nil {
			t.Fatalf("%c: %v", tc.version, err)
		}
		got, err := ParseSignOnKeyBlocks(f62, tc.kbpk)
		if err != nil {
			t.Fatalf("%c: %v", tc.version, err)
		}
		if !bytes.Equal(got.PIN, tc.keys.PIN) || !bytes.Equal(got.MAC, tc.keys.MAC) || !bytes.Equal(got.Track, tc.keys.Track) {
			t.Errorf("%c: keys differ: %v", tc.version, got)
		}
		tr := &Transaction{F62: f62}
		if _, err := tr.SessionKeysFromKeyBlocks(tc.kbpk); err != nil {
			t.Errorf("%c: SessionKeysFromKeyBlocks: %v", tc.version, err)
		}
		// A wrong KBPK is a MAC failure.
		bad := bytes.Clone(tc.kbpk)
		bad[0] ^= 0x80 // not the DES parity bit, which TDES ignores
		if _, err := ParseSignOnKeyBlocks(f62, bad); !errors.Is(err, ErrKeyBlock) || !errors.Is(err, keyblock.ErrMAC) {
			t.Errorf("%c: wrong KBPK: %v", tc.version, err)
		}
	}

	kbpk := bytes.Repeat([]byte{0x21}, 16)
	wrap := func(usage string, key []byte) []byte {
		kb, err := keyblock.Wrap(kbpk, keyblock.Header{Version: 'B', Usage: usage, Algorithm: 'T', Mode: 'E', KeyVersion: "00", Exportability: 'N'}, key)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(kb)
	}
	p0, d0 := wrap("P0", pin), wrap("D0", trk)
	k0 := wrap("K0", trk)
	m3, err := keyblock.Wrap(kbpk, keyblock.Header{Version: 'B', Usage: "M3", Algorithm: 'T', Mode: 'C', KeyVersion: "00", Exportability: 'N'}, mk)
	if err != nil {
		t.Fatal(err)
	}
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	for name, f62 := range map[string][]byte{
		"no MAC key":   cat(p0, d0),
		"two PIN keys": cat(p0, p0, []byte(m3)),
		"K0 key":       cat(p0, []byte(m3), k0),
		"truncated":    cat(p0, []byte(m3))[:len(p0)+40],
		"short tail":   cat(p0, []byte(m3), []byte("B00")),
		"bad length":   cat(p0, []byte("BXXXX")),
		"empty":        nil,
	} {
		if _, err := ParseSignOnKeyBlocks(f62, kbpk); !errors.Is(err, ErrKeyBlock) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Building refuses keys the KBPK may not carry.
	if _, err := BuildSignOnKeyBlocks(kbpk, 'B', SessionKeys{PIN: bytes.Repeat([]byte{1}, 24), MAC: mk}); !errors.Is(err, ErrKeyBlock) || !errors.Is(err, keyblock.ErrStrength) {
		t.Errorf("3TDEA key under a 2TDEA KBPK: %v", err)
	}
}

func FuzzParseSignOnKeyBlocks(f *testing.F) {
	kbpk := bytes.Repeat([]byte{0x21}, 16)
	f62, err := BuildSignOnKeyBlocks(kbpk, 'B', SessionKeys{PIN: bytes.Repeat([]byte{0x13}, 16), MAC: bytes.Repeat([]byte{0x57}, 8)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(f62)
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseSignOnKeyBlocks(data, kbpk)
		if err == nil && (keys.PIN == nil || keys.MAC == nil) {
			t.Fatal("accepted without PIN and MAC keys")
		}
	})
}
