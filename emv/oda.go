package emv

import (
	"crypto/sha1"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/poskit/poskit/internal/digits"
)

// Errors of offline data authentication; test them with errors.Is.
var (
	// ErrODAKey reports a public key that cannot be used: an empty or even
	// modulus, or an exponent other than 3 or 65537.
	ErrODAKey = errors.New("emv: unusable ODA public key")
	// ErrODALength reports a certificate or signature whose length is not
	// the length of the key that recovers it, or a remainder of the wrong
	// length.
	ErrODALength = errors.New("emv: ODA certificate length does not match the key")
	// ErrODAFormat reports recovered data without the 6A header, BC
	// trailer, expected format or SHA-1 and RSA algorithm indicators: the
	// wrong key or a corrupted certificate.
	ErrODAFormat = errors.New("emv: ODA recovered data is malformed")
	// ErrODAHash reports recovered data whose hash does not match: the
	// certificate or the signed data was altered.
	ErrODAHash = errors.New("emv: ODA hash mismatch")
	// ErrODAIssuer reports an issuer identifier in the certificate that does
	// not match the leading digits of the PAN.
	ErrODAIssuer = errors.New("emv: ODA issuer identifier does not match the PAN")
)

// ODAPublicKey is an RSA public key of offline data authentication: a
// certification authority key (from the payment system, by RID and index
// 8F), an issuer key or an ICC key. Modulus and Exponent are big-endian.
type ODAPublicKey struct {
	Modulus  []byte
	Exponent []byte
}

// recover computes data^e mod n, left-padded to the modulus length.
func (k ODAPublicKey) recover(data []byte) ([]byte, error) {
	n := new(big.Int).SetBytes(k.Modulus)
	e := new(big.Int).SetBytes(k.Exponent)
	if n.Sign() == 0 || n.Bit(0) == 0 || !(e.IsInt64() && (e.Int64() == 3 || e.Int64() == 65537)) {
		return nil, ErrODAKey
	}
	size := (n.BitLen() + 7) / 8
	if len(data) != size {
		return nil, fmt.Errorf("%w: %d bytes for a %d-byte key", ErrODALength, len(data), size)
	}
	m := new(big.Int).SetBytes(data)
	if m.Cmp(n) >= 0 {
		return nil, ErrODAFormat
	}
	m.Exp(m, e, n)
	return m.FillBytes(make([]byte, size)), nil
}

// ODACertifiedKey is a public key recovered from an issuer (format 02) or
// ICC (format 04) public key certificate.
type ODACertifiedKey struct {
	ODAPublicKey
	// Identifier is the issuer identifier (leftmost 3 to 8 PAN digits) of
	// an issuer certificate, or the application PAN of an ICC certificate,
	// without the F padding.
	Identifier string
	// Expiry is the certificate expiration date as MMYY.
	Expiry string
	// Serial is the 3-byte certificate serial number.
	Serial []byte
}

// ExpiredAt reports whether the certificate has expired at t: it is valid
// up to the last day of its expiry month (years 00-49 read as 20xx, 50-99
// as 19xx). A malformed date counts as expired.
func (k ODACertifiedKey) ExpiredAt(t time.Time) bool {
	if len(k.Expiry) != 4 || !digits.Valid(k.Expiry) {
		return true
	}
	mm := int(k.Expiry[0]-'0')*10 + int(k.Expiry[1]-'0')
	yy := int(k.Expiry[2]-'0')*10 + int(k.Expiry[3]-'0')
	if mm < 1 || mm > 12 {
		return true
	}
	year := 2000 + yy
	if yy >= 50 {
		year = 1900 + yy
	}
	end := time.Date(year, time.Month(mm)+1, 1, 0, 0, 0, 0, time.UTC)
	return !t.Before(end)
}

// ODARecoverIssuerKey recovers the issuer public key from the issuer public
// key certificate (tag 90) with the certification authority key ca, as in
// EMV Book 2 5.3: the certificate must be as long as the CA modulus,
// recover to 6A 02 ... BC with SHA-1 and RSA indicators, and its hash must
// cover the certificate fields, the issuer public key remainder (tag 92,
// nil when absent) and the issuer public key exponent (tag 9F32). The
// issuer identifier must match the leading digits of pan. The caller checks
// ExpiredAt and its revocation list.
//
// Errors: ErrODAKey, ErrODALength, ErrODAFormat, ErrODAHash, ErrODAIssuer.
func ODARecoverIssuerKey(ca ODAPublicKey, cert, remainder, exponent []byte, pan string) (ODACertifiedKey, error) {
	k, id, err := recoverKeyCertificate(ca, 0x02, 4, cert, remainder, exponent, nil)
	if err != nil {
		return ODACertifiedKey{}, err
	}
	if len(id) < 3 || len(id) > len(pan) || pan[:len(id)] != id {
		return ODACertifiedKey{}, ErrODAIssuer
	}
	return k, nil
}

// ODARecoverICCKey recovers the ICC public key from the ICC public key
// certificate (tag 9F46) with the issuer key, as in EMV Book 2 6.4: format
// 04, the hash over the certificate fields, the ICC public key remainder
// (9F48, nil when absent), the ICC public key exponent (9F47) and the static
// data to be authenticated. The application PAN in the certificate must
// equal pan.
//
// Errors: ErrODAKey, ErrODALength, ErrODAFormat, ErrODAHash, ErrODAIssuer.
func ODARecoverICCKey(issuer ODAPublicKey, cert, remainder, exponent, staticData []byte, pan string) (ODACertifiedKey, error) {
	k, id, err := recoverKeyCertificate(issuer, 0x04, 10, cert, remainder, exponent, staticData)
	if err != nil {
		return ODACertifiedKey{}, err
	}
	if id != pan {
		return ODACertifiedKey{}, ErrODAIssuer
	}
	return k, nil
}

// recoverKeyCertificate handles the common layout of issuer (02) and ICC
// (04) public key certificates, whose identifier field is idLen bytes.
func recoverKeyCertificate(signer ODAPublicKey, format byte, idLen int, cert, remainder, exponent, extra []byte) (ODACertifiedKey, string, error) {
	x, err := signer.recover(cert)
	if err != nil {
		return ODACertifiedKey{}, "", err
	}
	n := len(x)
	// header, format, id, expiry 2, serial 3, hash alg, key alg, key len, exp len
	fixed := 2 + idLen + 2 + 3 + 4
	if n < fixed+21+1 {
		return ODACertifiedKey{}, "", ErrODAFormat
	}
	if x[0] != 0x6A || x[1] != format || x[n-1] != 0xBC {
		return ODACertifiedKey{}, "", ErrODAFormat
	}
	p := 2
	idField := x[p : p+idLen]
	p += idLen
	expiry := x[p : p+2]
	serial := x[p+2 : p+5]
	hashAlg, keyAlg, keyLen, expLen := x[p+5], x[p+6], int(x[p+7]), int(x[p+8])
	p += 9
	if hashAlg != 0x01 || keyAlg != 0x01 {
		return ODACertifiedKey{}, "", ErrODAFormat
	}
	keyField := x[p : n-21]
	if err := odaHashCheck(x[n-21:n-1], x[1:n-21], remainder, exponent, extra); err != nil {
		return ODACertifiedKey{}, "", err
	}
	if expLen != len(exponent) || keyLen == 0 {
		return ODACertifiedKey{}, "", ErrODAFormat
	}
	var modulus []byte
	if keyLen <= len(keyField) {
		if len(remainder) != 0 {
			return ODACertifiedKey{}, "", fmt.Errorf("%w: remainder given for a key that fits", ErrODALength)
		}
		modulus = append(modulus, keyField[:keyLen]...)
	} else {
		if len(remainder) != keyLen-len(keyField) {
			return ODACertifiedKey{}, "", fmt.Errorf("%w: remainder of %d bytes, want %d", ErrODALength, len(remainder), keyLen-len(keyField))
		}
		modulus = append(append(modulus, keyField...), remainder...)
	}
	id, ok := cnDigits(idField)
	if !ok {
		return ODACertifiedKey{}, "", ErrODAFormat
	}
	exp, ok := cnDigits(expiry)
	if !ok || len(exp) != 4 {
		return ODACertifiedKey{}, "", ErrODAFormat
	}
	return ODACertifiedKey{
		ODAPublicKey: ODAPublicKey{Modulus: modulus, Exponent: append([]byte(nil), exponent...)},
		Identifier:   id,
		Expiry:       exp,
		Serial:       append([]byte(nil), serial...),
	}, id, nil
}

// ODAVerifySDA verifies the signed static application data (tag 93) of
// static data authentication with the recovered issuer key, as in EMV Book
// 2 5.4: the signature must be as long as the issuer modulus and recover to
// 6A 03 01 DAC BB..BB hash BC, the hash covering the recovered fields and
// staticData (the records named by the AFL for ODA, followed by the AIP when
// the static data authentication tag list 9F4A names it). It returns the
// 2-byte data authentication code (tag 9F45).
//
// Errors: ErrODAKey, ErrODALength, ErrODAFormat, ErrODAHash.
func ODAVerifySDA(issuer ODAPublicKey, ssad, staticData []byte) (dac []byte, err error) {
	x, err := issuer.recover(ssad)
	if err != nil {
		return nil, err
	}
	n := len(x)
	if n < 26 || x[0] != 0x6A || x[1] != 0x03 || x[2] != 0x01 || x[n-1] != 0xBC {
		return nil, ErrODAFormat
	}
	if err := odaHashCheck(x[n-21:n-1], x[1:n-21], staticData); err != nil {
		return nil, err
	}
	return append([]byte(nil), x[3:5]...), nil
}

// ODAVerifyDDA verifies the signed dynamic application data (tag 9F4B) of
// dynamic data authentication with the recovered ICC key, as in EMV Book 2
// 6.5: the signature must be as long as the ICC modulus and recover to
// 6A 05 01 Ldd, ICC dynamic data, BB padding, hash, BC, the hash covering the
// recovered fields and ddolData (the terminal data named by the DDOL, at
// least the unpredictable number 9F37). It returns the ICC dynamic data,
// whose first byte is the length of the ICC dynamic number that follows.
//
// Errors: ErrODAKey, ErrODALength, ErrODAFormat, ErrODAHash.
func ODAVerifyDDA(icc ODAPublicKey, sdad, ddolData []byte) (dynamicData []byte, err error) {
	x, err := icc.recover(sdad)
	if err != nil {
		return nil, err
	}
	n := len(x)
	if n < 25 || x[0] != 0x6A || x[1] != 0x05 || x[2] != 0x01 || x[n-1] != 0xBC {
		return nil, ErrODAFormat
	}
	ldd := int(x[3])
	if ldd > n-25 {
		return nil, ErrODAFormat
	}
	if err := odaHashCheck(x[n-21:n-1], x[1:n-21], ddolData); err != nil {
		return nil, err
	}
	return append([]byte(nil), x[4:4+ldd]...), nil
}

// odaHashCheck compares, in constant time, want with the SHA-1 of the
// parts: ErrODAHash on a mismatch, ErrODAKey where SHA-1 is refused
// (GODEBUG=fips140=only).
func odaHashCheck(want []byte, parts ...[]byte) error {
	h := sha1.New()
	for _, p := range parts {
		if _, err := h.Write(p); err != nil {
			return fmt.Errorf("%w: %w", ErrODAKey, err)
		}
	}
	var sum [sha1.Size]byte
	if subtle.ConstantTimeCompare(h.Sum(sum[:0]), want) != 1 {
		return ErrODAHash
	}
	return nil
}
