package iso8583

import (
	"fmt"
	"strconv"

	"github.com/poskit/poskit/internal/wipe"
	"github.com/poskit/poskit/keyblock"
)

// ParseSignOnKeyBlocks is ParseSignOnKeys for a host that sends the working
// keys as ANSI X9.143 (TR-31) key blocks instead of keys enciphered under the
// terminal master key: field 62 holds the key blocks one after another (each
// says its own length), authenticated and unwrapped under kbpk, the
// terminal's key block protection key in the place of the TMK. A block's key
// usage says which key it carries: P0 the PIN key, M0 to M8 the MAC key, D0
// the track data key; PIN and MAC keys are required, the track key optional,
// each at most once. KC check values in the blocks are verified by
// keyblock.Unwrap.
//
// Errors: ErrKeyBlock wrapping the keyblock error of the block at fault
// (keyblock.ErrMAC for a wrong KBPK or a modified block), or naming a
// missing, repeated or unexpected key.
func ParseSignOnKeyBlocks(f62, kbpk []byte) (SessionKeys, error) {
	var keys SessionKeys
	s := string(f62)
	for i := 1; len(s) > 0; i++ {
		if len(s) < 5 {
			keys.Wipe()
			return SessionKeys{}, fmt.Errorf("%w: key block %d truncated", ErrKeyBlock, i)
		}
		n, err := strconv.Atoi(s[1:5])
		if err != nil || n < 16 || n > len(s) {
			keys.Wipe()
			return SessionKeys{}, fmt.Errorf("%w: key block %d has a bad length field", ErrKeyBlock, i)
		}
		h, key, err := keyblock.Unwrap(kbpk, s[:n])
		if err != nil {
			keys.Wipe()
			return SessionKeys{}, fmt.Errorf("%w: key block %d: %w", ErrKeyBlock, i, err)
		}
		slot := signOnSlot(&keys, h.Usage)
		if slot == nil || *slot != nil {
			wipe.Bytes(key)
			keys.Wipe()
			return SessionKeys{}, fmt.Errorf("%w: key block %d: usage %s is not a PIN, MAC or track key, or repeats one", ErrKeyBlock, i, h.Usage)
		}
		*slot = key
		s = s[n:]
	}
	if keys.PIN == nil || keys.MAC == nil {
		keys.Wipe()
		return SessionKeys{}, fmt.Errorf("%w: no PIN key (P0) or no MAC key (M0-M8)", ErrKeyBlock)
	}
	return keys, nil
}

// signOnSlot is where a key of the given X9.143 usage goes.
func signOnSlot(k *SessionKeys, usage string) *[]byte {
	switch {
	case usage == "P0":
		return &k.PIN
	case len(usage) == 2 && usage[0] == 'M' && usage[1] >= '0' && usage[1] <= '8':
		return &k.MAC
	case usage == "D0":
		return &k.Track
	}
	return nil
}

// BuildSignOnKeyBlocks is the host side of ParseSignOnKeyBlocks: it wraps
// the working keys under kbpk in key blocks of the given version ('B' for a
// TDES KBPK, 'D' for an AES one) and concatenates them, giving field 62.
// PIN key: usage P0, mode E; MAC key: usage M3 (X9.19) for 16 bytes or M1
// for 8, mode C; track data key: usage D0, mode E; TDES keys (algorithm T
// for 16 and 24 bytes, D for 8), each with a KC block holding its legacy
// check value. keys.Track may be nil.
//
// Errors: ErrKeyBlock wrapping the keyblock error (a key stronger than the
// KBPK, a KBPK of the wrong length, TDES in FIPS 140-only mode).
func BuildSignOnKeyBlocks(kbpk []byte, version byte, keys SessionKeys) ([]byte, error) {
	var out []byte
	for _, k := range []struct {
		usage string
		mode  byte
		key   []byte
	}{{"P0", 'E', keys.PIN}, {"M3", 'C', keys.MAC}, {"D0", 'E', keys.Track}} {
		if k.key == nil && k.usage == "D0" {
			continue
		}
		alg := byte('T')
		if len(k.key) == 8 {
			alg = 'D'
			if k.usage == "M3" {
				k.usage = "M1"
			}
		}
		h := keyblock.Header{Version: version, Usage: k.usage, Algorithm: alg, Mode: k.mode, KeyVersion: "00",
			Exportability: 'N', Blocks: []keyblock.Block{{ID: "KC", Data: keyblock.KCVLegacy}}}
		kb, err := keyblock.Wrap(kbpk, h, k.key)
		if err != nil {
			return nil, fmt.Errorf("%w: %s key: %w", ErrKeyBlock, k.usage, err)
		}
		out = append(out, kb...)
	}
	return out, nil
}

// SessionKeysFromKeyBlocks parses field 62 of a sign-on response carrying
// key blocks, under the key block protection key kbpk (see
// ParseSignOnKeyBlocks).
func (t *Transaction) SessionKeysFromKeyBlocks(kbpk []byte) (SessionKeys, error) {
	return ParseSignOnKeyBlocks(t.F62, kbpk)
}
