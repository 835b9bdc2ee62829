package emv

import (
	"crypto/cipher"
	"crypto/sha1"
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/poskit/poskit/internal/digits"
	"github.com/poskit/poskit/internal/tdes"
	"github.com/poskit/poskit/internal/wipe"
	"github.com/poskit/poskit/mac"
)

// Errors of the application cryptogram functions; test them with errors.Is.
// They never carry key bytes, a full PAN or cryptogram input data.
var (
	// ErrCryptogramKeyLength reports a DES key that is not 16 or 24 bytes
	// (issuer master keys, ICC master keys and session keys are TDES keys).
	ErrCryptogramKeyLength = errors.New("emv: cryptogram key must be 16 or 24 bytes")
	// ErrCryptogramPAN reports a PAN that is not 1 to 19 decimal digits.
	ErrCryptogramPAN = errors.New("emv: PAN must be 1 to 19 digits")
	// ErrCryptogramPSN reports a PAN sequence number that is not two
	// decimal digits (the empty string means "00").
	ErrCryptogramPSN = errors.New("emv: PAN sequence number must be 2 digits")
	// ErrSessionKeyData reports a session key diversification value of the
	// wrong length: an ATC is 2 bytes, a full R value 8 bytes and an
	// unpredictable number 4 bytes.
	ErrSessionKeyData = errors.New("emv: session key diversification data has the wrong length")
	// ErrCryptogramPadding reports a padding other than mac.Method1 and
	// mac.Method2, the two EMV uses for application cryptograms.
	ErrCryptogramPadding = errors.New("emv: cryptogram padding must be ISO 9797-1 method 1 or 2")
	// ErrARQCLength reports an application cryptogram that is not 8 bytes.
	ErrARQCLength = errors.New("emv: application cryptogram must be 8 bytes")
	// ErrARPCData reports ARPC input of the wrong length: the ARC is 2
	// bytes, the CSU 4 bytes, proprietary authentication data 0 to 8 bytes.
	ErrARPCData = errors.New("emv: ARPC response data has the wrong length")
	// ErrARQCMismatch reports an application cryptogram that does not
	// verify: wrong key, wrong data or a forged cryptogram.
	ErrARQCMismatch = errors.New("emv: application cryptogram does not verify")
	// ErrIssuerScriptData reports an issuer script command whose header is
	// not the 5 bytes CLA INS P1 P2 Lc, or whose session key input (ATC,
	// ARQC) has the wrong length.
	ErrIssuerScriptData = errors.New("emv: issuer script command data has the wrong length")
	// ErrCryptogramCipher reports that the cryptogram cipher is
	// unavailable: this process may not use TDES (FIPS 140-only mode,
	// GODEBUG=fips140=only, where crypto/des refuses DES), or a
	// cipher.Block key handle is nil or does not have an 8-byte block.
	ErrCryptogramCipher = errors.New("emv: cryptogram cipher unavailable")
)

// desAllowed returns ErrCryptogramCipher when this process may not use DES.
func desAllowed() error {
	if !tdes.Allowed() {
		return fmt.Errorf("%w: TDES is refused in FIPS 140-only mode", ErrCryptogramCipher)
	}
	return nil
}

// checkHandle checks a TDES key handle and that the rest of the computation,
// which runs on this process's DES, is allowed.
func checkHandle(b cipher.Block) error {
	if b == nil || b.BlockSize() != 8 {
		return fmt.Errorf("%w: a TDES key handle needs an 8-byte block", ErrCryptogramCipher)
	}
	return desAllowed()
}

// tdesKey checks the length of a TDES key and that TDES is allowed.
func tdesKey(key []byte) error {
	if len(key) != 16 && len(key) != 24 {
		return fmt.Errorf("%w: got %d bytes", ErrCryptogramKeyLength, len(key))
	}
	return desAllowed()
}

// ICCMasterKeyOptionA derives the ICC master key (MK) of a card from an
// issuer master key (IMK) with EMV Book 2 A1.4.1, option A: the rightmost 16
// digits of PAN ‖ PSN (left-padded with zeros when shorter) form the 8-byte
// block Y, and MK = TDES(IMK)[Y] ‖ TDES(IMK)[Y xor FF..FF] with DES parity
// adjusted. imk is 16 or 24 bytes; psn "" means "00". The result is 16 bytes.
//
// Errors: ErrCryptogramKeyLength, ErrCryptogramPAN, ErrCryptogramPSN,
// ErrCryptogramCipher.
func ICCMasterKeyOptionA(imk []byte, pan, psn string) ([]byte, error) {
	c, err := issuerCipher(imk)
	if err != nil {
		return nil, err
	}
	var k cardKeys
	defer k.wipe()
	if err := iccMasterKey(&k.mk, &k.x, c, pan, psn, false); err != nil {
		return nil, err
	}
	return append([]byte(nil), k.mk[:]...), nil
}

// ICCMasterKeyOptionB derives the ICC master key with EMV Book 2 A1.4.2,
// option B, meant for PANs of more than 16 digits: the SHA-1 digest of
// PAN ‖ PSN (packed BCD, with a leading zero digit when the count is odd) is
// decimalised (its decimal digits in order, then, if fewer than 16, its
// digits A-F mapped to 0-5 in order) into 16 digits Y, and the key is derived
// from Y as in option A. A PAN of 16 digits or fewer uses option A, whatever
// the PSN. imk is 16 or 24 bytes; psn "" means "00".
//
// Errors: ErrCryptogramKeyLength, ErrCryptogramPAN, ErrCryptogramPSN,
// ErrCryptogramCipher.
func ICCMasterKeyOptionB(imk []byte, pan, psn string) ([]byte, error) {
	c, err := issuerCipher(imk)
	if err != nil {
		return nil, err
	}
	var k cardKeys
	defer k.wipe()
	if err := iccMasterKey(&k.mk, &k.x, c, pan, psn, true); err != nil {
		return nil, err
	}
	return append([]byte(nil), k.mk[:]...), nil
}

// ICCMasterKeyOptionAFromBlock is ICCMasterKeyOptionA with the issuer
// master key behind a cipher.Block handle (an HSM or a KMS keeps it): the
// derivation calls only imk's Encrypt, twice. Errors: ErrCryptogramCipher,
// ErrCryptogramPAN, ErrCryptogramPSN.
func ICCMasterKeyOptionAFromBlock(imk cipher.Block, pan, psn string) ([]byte, error) {
	return iccMasterKeyFromBlock(imk, pan, psn, false)
}

// ICCMasterKeyOptionBFromBlock is ICCMasterKeyOptionB with the issuer
// master key behind a cipher.Block handle. Errors as
// ICCMasterKeyOptionAFromBlock.
func ICCMasterKeyOptionBFromBlock(imk cipher.Block, pan, psn string) ([]byte, error) {
	return iccMasterKeyFromBlock(imk, pan, psn, true)
}

func iccMasterKeyFromBlock(imk cipher.Block, pan, psn string, optionB bool) ([]byte, error) {
	if err := checkHandle(imk); err != nil {
		return nil, err
	}
	var k cardKeys
	defer k.wipe()
	if err := iccMasterKey(&k.mk, &k.x, imk, pan, psn, optionB); err != nil {
		return nil, err
	}
	return append([]byte(nil), k.mk[:]...), nil
}

func issuerCipher(key []byte) (cipher.Block, error) {
	if err := tdesKey(key); err != nil {
		return nil, err
	}
	c, _ := tdes.NewCipher(key) // the length and the mode are checked
	return c, nil
}

// iccMasterKey derives the ICC master key under the issuer master key
// cipher c into mk. optionB selects option B for PANs longer than 16 digits.
// y is scratch space (passing a stack array to the cipher interface would
// move it to the heap).
func iccMasterKey(mk *[16]byte, y *[8]byte, c cipher.Block, pan, psn string, optionB bool) error {
	if len(pan) > 19 || !digits.Valid(pan) {
		return ErrCryptogramPAN
	}
	if psn == "" {
		psn = "00"
	}
	if len(psn) != 2 || !digits.Valid(psn) {
		return ErrCryptogramPSN
	}
	*y = [8]byte{}
	if optionB && len(pan) > 16 {
		if err := decimalisedDigest(y, pan, psn); err != nil {
			return err
		}
	} else {
		// Rightmost 16 digits of PAN ‖ PSN, zero-filled on the left.
		n := len(pan) + 2
		for i := 0; i < 16; i++ {
			k := n - 16 + i // index into PAN ‖ PSN
			var d byte
			switch {
			case k < 0:
				d = 0
			case k < len(pan):
				d = pan[k] - '0'
			default:
				d = psn[k-len(pan)] - '0'
			}
			y[i/2] |= d << (4 * uint(1-i%2))
		}
	}
	c.Encrypt(mk[:8], y[:])
	for i := range y {
		y[i] ^= 0xFF
	}
	c.Encrypt(mk[8:], y[:])
	tdes.FixParity(mk[:])
	return nil
}

// decimalisedDigest writes into y the 16 digits option B takes from the
// SHA-1 digest of PAN ‖ PSN. Its error wraps ErrCryptogramCipher where
// SHA-1 is refused (GODEBUG=fips140=only).
func decimalisedDigest(y *[8]byte, pan, psn string) error {
	// PAN ‖ PSN as packed BCD, with a leading zero digit when odd.
	var buf [11]byte
	n := len(pan) + len(psn)
	pad := n % 2
	get := func(i int) byte {
		if i < len(pan) {
			return pan[i] - '0'
		}
		return psn[i-len(pan)] - '0'
	}
	for i := 0; i < n; i++ {
		j := i + pad
		buf[j/2] |= get(i) << (4 * uint(1-j%2))
	}
	h := sha1.New()
	if _, err := h.Write(buf[:(n+pad)/2]); err != nil {
		return fmt.Errorf("%w: option B: %w", ErrCryptogramCipher, err)
	}
	var sum [sha1.Size]byte
	h.Sum(sum[:0])
	var out [16]byte
	k := 0
	for i := 0; i < 40 && k < 16; i++ {
		nib := sum[i/2] >> (4 * uint(1-i%2)) & 0x0F
		if nib < 10 {
			out[k] = nib
			k++
		}
	}
	for i := 0; i < 40 && k < 16; i++ {
		nib := sum[i/2] >> (4 * uint(1-i%2)) & 0x0F
		if nib >= 10 {
			out[k] = nib - 10
			k++
		}
	}
	for i := 0; i < 8; i++ {
		y[i] = out[2*i]<<4 | out[2*i+1]
	}
	return nil
}

// CommonSessionKey derives a session key from the ICC master key mk with the
// EMV common session key derivation (EMV Book 2 A1.3): SK = TDES(MK)[R with
// byte 3 set to F0] ‖ TDES(MK)[R with byte 3 set to 0F], DES parity
// adjusted. atc is either the 2-byte application transaction counter, which
// gives R = ATC ‖ 00 00 00 00 00 00 (Visa CVN 18 and 22), or a full 8-byte R
// (for example ATC ‖ 00 00 ‖ UN, see MastercardSessionKey, or the ARQC for
// secure messaging keys). mk is 16 or 24 bytes; the result is 16 bytes.
//
// Errors: ErrCryptogramKeyLength, ErrSessionKeyData, ErrCryptogramCipher.
func CommonSessionKey(mk, atc []byte) ([]byte, error) {
	if len(atc) != 2 && len(atc) != 8 {
		return nil, fmt.Errorf("%w: ATC is 2 bytes and R 8, got %d", ErrSessionKeyData, len(atc))
	}
	c, err := issuerCipher(mk)
	if err != nil {
		return nil, err
	}
	return commonSessionKeyOf(c, atc), nil
}

// CommonSessionKeyFromBlock is CommonSessionKey with the ICC master key
// behind a cipher.Block handle: the derivation calls only mk's Encrypt,
// twice. Errors: ErrCryptogramCipher, ErrSessionKeyData.
func CommonSessionKeyFromBlock(mk cipher.Block, atc []byte) ([]byte, error) {
	if len(atc) != 2 && len(atc) != 8 {
		return nil, fmt.Errorf("%w: ATC is 2 bytes and R 8, got %d", ErrSessionKeyData, len(atc))
	}
	if err := checkHandle(mk); err != nil {
		return nil, err
	}
	return commonSessionKeyOf(mk, atc), nil
}

func commonSessionKeyOf(c cipher.Block, atc []byte) []byte {
	var k cardKeys
	defer k.wipe()
	copy(k.x[:], atc)
	commonSessionKey(&k.sk, c, &k.x)
	return append([]byte(nil), k.sk[:]...)
}

// MastercardSessionKey derives the Mastercard application cryptogram session
// key (M/Chip "SKD"): the common session key derivation with
// R = ATC ‖ 00 00 ‖ UN, where atc is tag 9F36 (2 bytes) and un tag 9F37
// (4 bytes). mk is 16 or 24 bytes; the result is 16 bytes.
//
// Errors: ErrCryptogramKeyLength, ErrSessionKeyData, ErrCryptogramCipher.
func MastercardSessionKey(mk, atc, un []byte) ([]byte, error) {
	if len(atc) != 2 || len(un) != 4 {
		return nil, fmt.Errorf("%w: ATC is 2 bytes and UN 4", ErrSessionKeyData)
	}
	var r [8]byte
	copy(r[:2], atc)
	copy(r[4:], un)
	return CommonSessionKey(mk, r[:])
}

// SessionKeyVisaSM derives the Visa secure messaging session key used for
// issuer script integrity and confidentiality (VIS): the ICC secure
// messaging master key with the ATC XORed into the last two bytes of its left
// half and the complemented ATC into the last two bytes of its right half,
// DES parity adjusted. mk is 16 bytes, atc 2 bytes.
//
// Errors: ErrCryptogramKeyLength, ErrSessionKeyData.
func SessionKeyVisaSM(mk, atc []byte) ([]byte, error) {
	if len(mk) != 16 {
		return nil, fmt.Errorf("%w: got %d bytes, this derivation takes 16", ErrCryptogramKeyLength, len(mk))
	}
	if len(atc) != 2 {
		return nil, fmt.Errorf("%w: ATC is 2 bytes, got %d", ErrSessionKeyData, len(atc))
	}
	var sk [16]byte
	visaSMSessionKey(&sk, mk, atc)
	out := append([]byte(nil), sk[:]...)
	wipe.Bytes(sk[:])
	return out, nil
}

func visaSMSessionKey(sk *[16]byte, mk, atc []byte) {
	copy(sk[:], mk)
	sk[6] ^= atc[0]
	sk[7] ^= atc[1]
	sk[14] ^= ^atc[0]
	sk[15] ^= ^atc[1]
	tdes.FixParity(sk[:])
}

// commonSessionKey enciphers R with byte 3 set to F0 and to 0F under the
// master key cipher c. It overwrites byte 3 of r.
func commonSessionKey(sk *[16]byte, c cipher.Block, r *[8]byte) {
	r[2] = 0xF0
	c.Encrypt(sk[:8], r[:])
	r[2] = 0x0F
	c.Encrypt(sk[8:], r[:])
	tdes.FixParity(sk[:])
}

func checkPadding(p mac.Padding) error {
	if p != mac.Method1 && p != mac.Method2 {
		return ErrCryptogramPadding
	}
	return nil
}

// ARQC computes an application cryptogram (ARQC, TC or AAC: the card uses
// the same computation for all three) over data with the ISO 9797-1 MAC
// algorithm 3 (the retail MAC) under sessionKey, with padding method 1
// (zeros, Visa CVN 10) or method 2 (80 then zeros, EMV Book 2 A1.2 and most
// later versions). data is the concatenated transaction data the cryptogram
// version prescribes (see CVN.Input). The result is 8 bytes.
//
// Errors: ErrCryptogramKeyLength, ErrCryptogramPadding, ErrCryptogramCipher.
func ARQC(sessionKey, data []byte, p mac.Padding) ([]byte, error) {
	if err := checkPadding(p); err != nil {
		return nil, err
	}
	if err := tdesKey(sessionKey); err != nil {
		return nil, err
	}
	return mac.ISO9797Alg3(sessionKey, data, p)
}

// VerifyARQC recomputes the application cryptogram over data under
// sessionKey with padding p and compares it with arqc in constant time. It
// returns nil when they match and ErrARQCMismatch when they do not. arqc
// must be the whole 8-byte cryptogram: a truncated one is ErrARQCLength.
//
// Errors: ErrCryptogramKeyLength, ErrCryptogramPadding, ErrARQCLength,
// ErrARQCMismatch, ErrCryptogramCipher.
func VerifyARQC(sessionKey, data, arqc []byte, p mac.Padding) error {
	if len(arqc) != 8 {
		return ErrARQCLength
	}
	want, err := ARQC(sessionKey, data, p)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(want, arqc) != 1 {
		return ErrARQCMismatch
	}
	return nil
}

// VerifyARQCFromBlocks is VerifyARQC with the session key behind two
// cipher.Block handles (an HSM or a KMS keeps it): k1 is single DES under
// the key's left 8 bytes and k is TDES under the whole key, as
// mac.NewISO9797Alg3FromBlocks takes them. arqc must be the whole 8 bytes.
// Errors: ErrCryptogramPadding, ErrARQCLength, ErrARQCMismatch,
// ErrCryptogramCipher.
func VerifyARQCFromBlocks(k1, k cipher.Block, data, arqc []byte, p mac.Padding) error {
	if len(arqc) != 8 {
		return ErrARQCLength
	}
	if err := checkPadding(p); err != nil {
		return err
	}
	m, err := retailMACFromBlocks(k1, k, p)
	if err != nil {
		return err
	}
	if !m.Verify(data, arqc) {
		return ErrARQCMismatch
	}
	return nil
}

// retailMACFromBlocks builds ISO 9797-1 algorithm 3 over two key handles.
func retailMACFromBlocks(k1, k cipher.Block, p mac.Padding) (mac.Algorithm, error) {
	m, err := mac.NewISO9797Alg3FromBlocks(k1, k, p)
	if err != nil {
		return nil, fmt.Errorf("%w: a session key handle is two 8-byte block ciphers (K1, the whole key)", ErrCryptogramCipher)
	}
	return m, nil
}

// ARPCMethod1 computes the 8-byte authorisation response cryptogram with EMV
// Book 2 A1.2.1 (method 1): ARPC = TDES(key)[ARQC xor (ARC ‖ 00..00)], where
// arqc is the 8-byte cryptogram and arc the 2-byte authorisation response
// code (tag 8A, for example "00" = 30 30). The key is the ICC master key or
// the session key, as the cryptogram version says. Tag 91 then carries
// ARPC ‖ ARC.
//
// Errors: ErrCryptogramKeyLength, ErrARQCLength, ErrARPCData,
// ErrCryptogramCipher.
func ARPCMethod1(key, arqc, arc []byte) ([]byte, error) {
	if err := checkARPC1(arqc, arc); err != nil {
		return nil, err
	}
	c, err := issuerCipher(key)
	if err != nil {
		return nil, err
	}
	return arpc1(c, arqc, arc), nil
}

// ARPCMethod1FromBlock is ARPCMethod1 with the key behind a cipher.Block
// handle: it calls only key's Encrypt, once. Errors: ErrARQCLength,
// ErrARPCData, ErrCryptogramCipher.
func ARPCMethod1FromBlock(key cipher.Block, arqc, arc []byte) ([]byte, error) {
	if err := checkARPC1(arqc, arc); err != nil {
		return nil, err
	}
	if key == nil || key.BlockSize() != 8 {
		return nil, fmt.Errorf("%w: a TDES key handle needs an 8-byte block", ErrCryptogramCipher)
	}
	return arpc1(key, arqc, arc), nil
}

func checkARPC1(arqc, arc []byte) error {
	if len(arqc) != 8 {
		return ErrARQCLength
	}
	if len(arc) != 2 {
		return fmt.Errorf("%w: ARC is 2 bytes, got %d", ErrARPCData, len(arc))
	}
	return nil
}

func arpc1(c cipher.Block, arqc, arc []byte) []byte {
	out := make([]byte, 8)
	copy(out, arqc)
	out[0] ^= arc[0]
	out[1] ^= arc[1]
	c.Encrypt(out, out)
	return out
}

// ARPCMethod2 computes the 4-byte authorisation response cryptogram with EMV
// Book 2 A1.2.2 (method 2): the leftmost 4 bytes of the ISO 9797-1 MAC
// algorithm 3, padding method 2, over ARQC ‖ CSU ‖ proprietary
// authentication data, under key (the application cryptogram session key).
// csu is the 4-byte card status update; proprietary is 0 to 8 bytes (nil
// when absent). Tag 91 then carries ARPC ‖ CSU ‖ proprietary.
//
// Errors: ErrCryptogramKeyLength, ErrARQCLength, ErrARPCData,
// ErrCryptogramCipher.
func ARPCMethod2(key, arqc, csu, proprietary []byte) ([]byte, error) {
	if err := checkARPC2(arqc, csu, proprietary); err != nil {
		return nil, err
	}
	if err := tdesKey(key); err != nil {
		return nil, err
	}
	var buf [20]byte
	in := arpc2Input(&buf, arqc, csu, proprietary)
	full, err := mac.ISO9797Alg3(key, in, mac.Method2)
	if err != nil {
		return nil, err
	}
	return full[:4:4], nil
}

// ARPCMethod2FromBlocks is ARPCMethod2 with the session key behind two
// cipher.Block handles, as VerifyARQCFromBlocks takes them. Errors:
// ErrARQCLength, ErrARPCData, ErrCryptogramCipher.
func ARPCMethod2FromBlocks(k1, k cipher.Block, arqc, csu, proprietary []byte) ([]byte, error) {
	if err := checkARPC2(arqc, csu, proprietary); err != nil {
		return nil, err
	}
	m, err := retailMACFromBlocks(k1, k, mac.Method2)
	if err != nil {
		return nil, err
	}
	var buf [20]byte
	return m.MAC(arpc2Input(&buf, arqc, csu, proprietary))[:4:4], nil
}

func checkARPC2(arqc, csu, proprietary []byte) error {
	if len(arqc) != 8 {
		return ErrARQCLength
	}
	if len(csu) != 4 || len(proprietary) > 8 {
		return fmt.Errorf("%w: CSU is 4 bytes and proprietary data 0 to 8", ErrARPCData)
	}
	return nil
}

func arpc2Input(buf *[20]byte, arqc, csu, proprietary []byte) []byte {
	n := copy(buf[:], arqc)
	n += copy(buf[n:], csu)
	n += copy(buf[n:], proprietary)
	return buf[:n]
}

// IssuerScriptMAC computes the MAC of an issuer script command for secure
// messaging integrity (EMV Book 2 9.2.1, format 2 as the payment systems use
// it): ISO 9797-1 MAC algorithm 3 with padding method 2 under the secure
// messaging session key, over the command header (CLA INS P1 P2 Lc, with
// Lc already counting the MAC) followed by data. The data that follows the
// header depends on the cryptogram version: Visa and Mastercard MAC
// ATC ‖ ARQC ‖ command data (see CVN.IssuerScriptMAC), others only the
// command data. The result is the full 8 bytes; cards usually take the
// leftmost 4 to 8.
//
// Errors: ErrCryptogramKeyLength, ErrIssuerScriptData, ErrCryptogramCipher.
func IssuerScriptMAC(sessionKey, header, data []byte) ([]byte, error) {
	if len(header) != 5 {
		return nil, fmt.Errorf("%w: header is CLA INS P1 P2 Lc (5 bytes), got %d", ErrIssuerScriptData, len(header))
	}
	if err := tdesKey(sessionKey); err != nil {
		return nil, err
	}
	m, err := mac.NewISO9797Alg3(sessionKey, mac.Method2)
	if err != nil {
		return nil, err
	}
	h := m.New()
	h.Write(header)
	h.Write(data)
	return h.Sum(make([]byte, 0, 8)), nil
}
