package emv

import (
	"errors"
	"fmt"
	"time"

	"github.com/poskit/poskit/internal/digits"
)

// ErrTrack2 reports malformed track 2 data. The error text says what is
// wrong, never the data.
var ErrTrack2 = errors.New("emv: malformed track 2")

// ErrPAN reports a malformed PAN value (tag 5A).
var ErrPAN = errors.New("emv: malformed PAN")

// Track2 is track 2 data (ISO/IEC 7813), as the card's tag 57 (Track 2
// Equivalent Data, EMV Book 3 annex A) or a magnetic stripe holds it. Its
// String and GoString mask it, so printing a Track2 never reveals it.
type Track2 struct {
	PAN           string // 12 to 19 digits
	Expiry        string // YYMM
	ServiceCode   string // 3 digits
	Discretionary string // digits, possibly empty
}

// ParseTrack2 reads tag 57: BCD digits, the separator nibble D, and an F
// nibble padding an odd count.
func ParseTrack2(v []byte) (Track2, error) {
	if len(v) == 0 || len(v) > 19 {
		return Track2{}, fmt.Errorf("%w: %d bytes (1 to 19 allowed)", ErrTrack2, len(v))
	}
	var buf [38]byte
	k := 0
	for i, c := range v {
		for j, nib := range [2]byte{c >> 4, c & 0x0F} {
			switch {
			case nib <= 9:
				buf[k] = '0' + nib
			case nib == 0x0D:
				buf[k] = '='
			case nib == 0x0F && i == len(v)-1 && j == 1:
				continue
			default:
				return Track2{}, fmt.Errorf("%w: nibble %X at position %d", ErrTrack2, nib, 2*i+j)
			}
			k++
		}
	}
	if k > 37 {
		return Track2{}, fmt.Errorf("%w: %d characters (37 allowed)", ErrTrack2, k)
	}
	return parseTrack2Text(string(buf[:k]))
}

// ParseTrack2String reads track 2 as text: digits with "=" (or "D") as the
// separator, optionally framed by the start sentinel ";" and end sentinel
// "?".
func ParseTrack2String(s string) (Track2, error) {
	if len(s) > 0 && s[0] == ';' {
		s = s[1:]
	}
	if len(s) > 0 && s[len(s)-1] == '?' {
		s = s[:len(s)-1]
	}
	if len(s) > 37 {
		return Track2{}, fmt.Errorf("%w: %d characters (37 allowed)", ErrTrack2, len(s))
	}
	var buf [37]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == '=':
		case c == 'D' || c == 'd':
			c = '='
		default:
			return Track2{}, fmt.Errorf("%w: invalid character at position %d", ErrTrack2, i)
		}
		buf[i] = c
	}
	return parseTrack2Text(string(buf[:len(s)]))
}

func parseTrack2Text(s string) (Track2, error) {
	sep := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '=' {
			sep = i
			break
		}
	}
	if sep < 0 {
		return Track2{}, fmt.Errorf("%w: no separator", ErrTrack2)
	}
	pan, rest := s[:sep], s[sep+1:]
	if len(pan) < 12 || len(pan) > 19 {
		return Track2{}, fmt.Errorf("%w: PAN of %d digits (12 to 19 allowed)", ErrTrack2, len(pan))
	}
	if len(rest) < 7 {
		return Track2{}, fmt.Errorf("%w: %d characters after the separator (7 needed)", ErrTrack2, len(rest))
	}
	if !digits.Valid(rest) {
		return Track2{}, fmt.Errorf("%w: second separator", ErrTrack2)
	}
	t := Track2{PAN: pan, Expiry: rest[:4], ServiceCode: rest[4:7], Discretionary: rest[7:]}
	if m := (t.Expiry[2]-'0')*10 + t.Expiry[3] - '0'; m < 1 || m > 12 {
		return Track2{}, fmt.Errorf("%w: expiry month out of range", ErrTrack2)
	}
	return t, nil
}

// LuhnValid reports whether the PAN's check digit is right (ISO/IEC 7812).
func (t Track2) LuhnValid() bool { return digits.Luhn(t.PAN) }

// ExpiryDate returns the last moment the card is valid: the end of the
// expiry month (YY read as 20YY), in UTC.
func (t Track2) ExpiryDate() (time.Time, error) {
	if len(t.Expiry) != 4 || !digits.Valid(t.Expiry) {
		return time.Time{}, fmt.Errorf("%w: expiry is not YYMM", ErrTrack2)
	}
	y := 2000 + int(t.Expiry[0]-'0')*10 + int(t.Expiry[1]-'0')
	m := time.Month(int(t.Expiry[2]-'0')*10 + int(t.Expiry[3]-'0'))
	if m < 1 || m > 12 {
		return time.Time{}, fmt.Errorf("%w: expiry month out of range", ErrTrack2)
	}
	return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond), nil
}

// Expired reports whether the card has expired at now (after its expiry
// month). Malformed expiry counts as expired.
func (t Track2) Expired(now time.Time) bool {
	e, err := t.ExpiryDate()
	return err != nil || now.After(e)
}

func (t Track2) check() error {
	if len(t.PAN) < 12 || len(t.PAN) > 19 || !digits.Valid(t.PAN) {
		return fmt.Errorf("%w: PAN must be 12 to 19 digits", ErrTrack2)
	}
	if len(t.Expiry) != 4 || !digits.Valid(t.Expiry) || len(t.ServiceCode) != 3 || !digits.Valid(t.ServiceCode) {
		return fmt.Errorf("%w: expiry must be 4 digits and service code 3", ErrTrack2)
	}
	if t.Discretionary != "" && !digits.Valid(t.Discretionary) {
		return fmt.Errorf("%w: discretionary data must be digits", ErrTrack2)
	}
	if len(t.PAN)+8+len(t.Discretionary) > 37 {
		return fmt.Errorf("%w: longer than 37 characters", ErrTrack2)
	}
	return nil
}

// AppendBytes appends the tag 57 encoding (BCD, D separator, F padding).
func (t Track2) AppendBytes(dst []byte) ([]byte, error) {
	if err := t.check(); err != nil {
		return dst, err
	}
	var nib [38]byte
	k := copy(nib[:], t.PAN)
	nib[k] = 'D'
	k++
	k += copy(nib[k:], t.Expiry)
	k += copy(nib[k:], t.ServiceCode)
	k += copy(nib[k:], t.Discretionary)
	if k%2 == 1 {
		nib[k] = 'F'
		k++
	}
	val := func(c byte) byte {
		if c >= '0' && c <= '9' {
			return c - '0'
		}
		return c - 'A' + 10
	}
	for i := 0; i < k; i += 2 {
		dst = append(dst, val(nib[i])<<4|val(nib[i+1]))
	}
	return dst, nil
}

// Text returns the unmasked magnetic-stripe form "PAN=YYMMSSSDDD" (no
// sentinels). It is card data: never log it.
func (t Track2) Text() (string, error) {
	if err := t.check(); err != nil {
		return "", err
	}
	return t.PAN + "=" + t.Expiry + t.ServiceCode + t.Discretionary, nil
}

// String returns the masked form: the PAN with at most its first 6 and last
// 4 digits, the rest hidden: "476173******0119=****".
func (t Track2) String() string { return digits.MaskPAN(t.PAN) + "=****" }

// GoString masks like String, so %#v does not reveal the data.
func (t Track2) GoString() string { return "emv.Track2{" + t.String() + "}" }

// ParsePAN reads tag 5A (cn: BCD digits, F padding at the end) into the PAN
// digits. Errors never carry the digits.
func ParsePAN(v []byte) (string, error) {
	s, ok := cnDigits(v)
	if !ok || len(v) > 10 || len(s) < 8 || len(s) > 19 {
		return "", fmt.Errorf("%w: %d bytes", ErrPAN, len(v))
	}
	return s, nil
}

// cnDigits reads compressed numeric: digits then only F nibbles.
func cnDigits(v []byte) (string, bool) {
	buf := make([]byte, 0, 2*len(v))
	pad := false
	for _, c := range v {
		for _, nib := range [2]byte{c >> 4, c & 0x0F} {
			switch {
			case nib == 0x0F:
				pad = true
			case nib <= 9 && !pad:
				buf = append(buf, '0'+nib)
			default:
				return "", false
			}
		}
	}
	return string(buf), true
}

// nDigits reads numeric (n): every nibble a digit.
func nDigits(v []byte) (string, bool) {
	buf := make([]byte, 0, 2*len(v))
	for _, c := range v {
		hi, lo := c>>4, c&0x0F
		if hi > 9 || lo > 9 {
			return "", false
		}
		buf = append(buf, '0'+hi, '0'+lo)
	}
	return string(buf), true
}

// nInt reads numeric (n) as an integer; ok is false on a non-digit nibble
// or more than 18 digits.
func nInt(v []byte) (int64, bool) {
	if len(v) > 9 {
		return 0, false
	}
	var x int64
	for _, c := range v {
		hi, lo := c>>4, c&0x0F
		if hi > 9 || lo > 9 {
			return 0, false
		}
		x = x*100 + int64(hi)*10 + int64(lo)
	}
	return x, true
}
