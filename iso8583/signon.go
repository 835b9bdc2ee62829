package iso8583

import (
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/poskit/poskit/internal/tdes"
	"github.com/poskit/poskit/internal/wipe"
)

// Sign-on key errors.
var (
	// ErrKeyBlock reports a field 62 whose length matches no key layout,
	// or a key of an unusable length.
	ErrKeyBlock = errors.New("iso8583: malformed sign-on key block")
	// ErrCheckValue reports a working key that does not match its check
	// value (wrong master key, or a corrupted message).
	ErrCheckValue = errors.New("iso8583: key check value mismatch")
	// ErrUnavailable reports sign-on keys this process may not decipher
	// or encipher: they are DES or TDES keys, which FIPS 140-only mode
	// (GODEBUG=fips140=only) refuses.
	ErrUnavailable = errors.New("iso8583: cipher unavailable")
)

// desAllowed returns ErrUnavailable in FIPS 140-only mode.
func desAllowed() error {
	if !tdes.Allowed() {
		return fmt.Errorf("%w: sign-on keys are DES or TDES keys, which FIPS 140-only mode refuses", ErrUnavailable)
	}
	return nil
}

// SessionKeys are the working keys a UnionPay sign-on response delivers
// in field 62, in clear. String never shows key bytes; call Wipe when the
// keys are retired.
type SessionKeys struct {
	PIN   []byte // PIK: 8 or 16 bytes
	MAC   []byte // MAK: 8 or 16 bytes
	Track []byte // TDK: 16 bytes, or nil
}

// String describes the key lengths only.
func (k SessionKeys) String() string {
	return fmt.Sprintf("SessionKeys{PIN: %d bytes, MAC: %d bytes, Track: %d bytes}", len(k.PIN), len(k.MAC), len(k.Track))
}

// Wipe zeroes the keys.
func (k *SessionKeys) Wipe() {
	wipe.Bytes(k.PIN)
	wipe.Bytes(k.MAC)
	wipe.Bytes(k.Track)
}

// checkValue is the first 4 bytes of the key enciphering 8 zero bytes.
func checkValue(key []byte) ([4]byte, error) {
	var cv [4]byte
	b, ok := tdes.NewCipherOrDES(key)
	if !ok {
		return cv, ErrKeyBlock
	}
	var blk [8]byte
	b.Encrypt(blk[:], blk[:])
	copy(cv[:], blk[:4])
	return cv, nil
}

// keyLayout: the sizes of (key, check value) slots in field 62.
func keyLayout(n int) ([]int, bool) {
	switch n {
	case 24: // 60.3 "001": PIK 8 + CV 4, MAK 8 + CV 4
		return []int{8, 8}, true
	case 40: // "003": PIK 16 + CV 4, MAK 16 (8 + 8 zeros for single length) + CV 4
		return []int{16, 16}, true
	case 60: // "004": PIK, MAK, TDK, 16 + CV 4 each
		return []int{16, 16, 16}, true
	}
	return nil, false
}

// ParseSignOnKeys deciphers field 62 of a UnionPay sign-on response (0810)
// under the terminal master key tmk (8, 16 or 24 bytes; ECB) and checks
// every working key against its 4-byte check value (the key enciphering 8
// zero bytes). Field 62 is 24 bytes (single-length PIN and MAC keys), 40
// bytes (double-length PIN key; a MAC key whose second half is zeros on the
// wire is single length) or 60 bytes (plus a track data key). Errors:
// ErrKeyBlock, ErrCheckValue, ErrUnavailable (FIPS 140-only mode).
func ParseSignOnKeys(f62, tmk []byte) (SessionKeys, error) {
	var keys SessionKeys
	if err := desAllowed(); err != nil {
		return keys, err
	}
	layout, ok := keyLayout(len(f62))
	if !ok {
		return keys, fmt.Errorf("%w: %d bytes", ErrKeyBlock, len(f62))
	}
	kek, ok := tdes.NewCipherOrDES(tmk)
	if !ok {
		return keys, fmt.Errorf("%w: master key of %d bytes", ErrKeyBlock, len(tmk))
	}
	off := 0
	out := make([][]byte, len(layout))
	for i, size := range layout {
		enc := f62[off : off+size]
		cv := f62[off+size : off+size+4]
		off += size + 4
		if i == 1 && size == 16 && allZero(enc[8:]) {
			enc = enc[:8]
		}
		key := make([]byte, len(enc))
		for j := 0; j < len(enc); j += 8 {
			kek.Decrypt(key[j:j+8], enc[j:j+8])
		}
		got, err := checkValue(key)
		if err == nil && subtle.ConstantTimeCompare(got[:], cv) != 1 {
			err = fmt.Errorf("%w: key %d of %d", ErrCheckValue, i+1, len(layout))
		}
		if err != nil {
			wipe.Bytes(key)
			for _, k := range out[:i] {
				wipe.Bytes(k)
			}
			return SessionKeys{}, err
		}
		out[i] = key
	}
	keys.PIN, keys.MAC = out[0], out[1]
	if len(out) > 2 {
		keys.Track = out[2]
	}
	return keys, nil
}

func allZero(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return acc == 0
}

// BuildSignOnKeys is the host side of ParseSignOnKeys: it enciphers the
// working keys under tmk and appends their check values, giving field 62
// of the sign-on response. pin and mac are 8 or 16 bytes and of the same
// length class (8 and 8: the 24-byte layout; 16 and 8 or 16: the 40-byte
// layout); track is nil or 16 bytes (the 60-byte layout, which needs a
// 16-byte MAC key).
func BuildSignOnKeys(tmk, pin, mac, track []byte) ([]byte, error) {
	if err := desAllowed(); err != nil {
		return nil, err
	}
	kek, ok := tdes.NewCipherOrDES(tmk)
	if !ok {
		return nil, fmt.Errorf("%w: master key of %d bytes", ErrKeyBlock, len(tmk))
	}
	var slots []int
	switch {
	case len(pin) == 8 && len(mac) == 8 && track == nil:
		slots = []int{8, 8}
	case len(pin) == 16 && (len(mac) == 8 || len(mac) == 16) && track == nil:
		slots = []int{16, 16}
	case len(pin) == 16 && len(mac) == 16 && len(track) == 16:
		slots = []int{16, 16, 16}
	default:
		return nil, ErrKeyBlock
	}
	keys := [][]byte{pin, mac, track}
	out := make([]byte, 0, 20*len(slots))
	for i, size := range slots {
		k := keys[i]
		cv, err := checkValue(k)
		if err != nil {
			return nil, err
		}
		slot := make([]byte, size)
		for j := 0; j < len(k); j += 8 {
			kek.Encrypt(slot[j:j+8], k[j:j+8])
		}
		out = append(out, slot...)
		out = append(out, cv[:]...)
	}
	return out, nil
}

// SessionKeys parses field 62 of a sign-on response under tmk.
func (t *Transaction) SessionKeys(tmk []byte) (SessionKeys, error) {
	return ParseSignOnKeys(t.F62, tmk)
}

// SignOn builds a sign-on (签到): UnionPay 0800 with 60.3 "003"
// (double-length PIN and MAC keys; use SignOnWith for "001" or "004") and
// the operator in 63.1; ISO87 0800 with field 70 "001".
func (t *Terminal) SignOn() (*Transaction, error) { return t.SignOnWith(netSignOnDoubleDES) }

// Network management codes of UnionPay 60.3 for sign-on.
const (
	SignOnSingleDES = "001" // single-length PIN and MAC keys
	SignOnDoubleDES = "003" // double-length PIN key, MAC key
	SignOnWithTDK   = "004" // double-length keys and a track data key
)

// SignOnWith builds a sign-on asking for the key set code (60.3).
func (t *Terminal) SignOnWith(code string) (*Transaction, error) {
	tx, err := t.networkRequest("0800", code, isoNetSignOn)
	if err != nil || t.dialect() != UnionPay {
		return tx, err
	}
	op := t.Operator
	if op == "" {
		op = "001"
	}
	tx.F63 = &Field63{Code: op}
	return tx, nil
}

// networkRequest builds a network management request: on UnionPay an
// upMTI message with 60.3 upCode and no local time and date (UnionPay
// management requests carry none), on ISO87 an 0800 with field 70 isoCode.
func (t *Terminal) networkRequest(upMTI, upCode, isoCode string) (*Transaction, error) {
	tx, err := t.base("0800", "", "")
	if err != nil {
		return nil, err
	}
	tx.ProcessingCode, tx.ConditionCode = "", ""
	if t.dialect() == UnionPay {
		tx.LocalTime, tx.LocalDate = "", ""
		tx.MTI = upMTI
		tx.F60 = &Field60{TxnType: TxnTypeManagement, Batch: t.batch(), NetMgmt: upCode}
		return tx, nil
	}
	tx.NetworkMgmtCode = isoCode
	return tx, nil
}

// Echo builds an echo (network) test: UnionPay 0820 with 60.3 "301", ISO87
// 0800 with field 70 "301".
func (t *Terminal) Echo() (*Transaction, error) {
	return t.networkRequest("0820", netEcho, isoNetEcho)
}
