package emv

import (
	"crypto/cipher"
	"errors"
	"fmt"
	"strings"

	"github.com/poskit/poskit/internal/tdes"
	"github.com/poskit/poskit/internal/wipe"
	"github.com/poskit/poskit/mac"
)

var (
	// ErrCryptogramData reports field 55 data that lacks a data element the
	// cryptogram version needs, carries it with the wrong length, or is not
	// well-formed TLV. The wrapping error names the tag, never its value.
	ErrCryptogramData = errors.New("emv: field 55 does not carry the cryptogram input")
	// ErrCVN reports a cryptogram version description that is incomplete,
	// or issuer application data (9F10) that names another version.
	ErrCVN = errors.New("emv: unknown or inconsistent cryptogram version")
)

// ICCKeyDerivation selects how a cryptogram version derives the ICC master
// key from the issuer master key.
type ICCKeyDerivation uint8

const (
	// ICCKeyOptionA is EMV Book 2 A1.4.1 (ICCMasterKeyOptionA).
	ICCKeyOptionA ICCKeyDerivation = 1
	// ICCKeyOptionB is EMV Book 2 A1.4.2 (ICCMasterKeyOptionB): option A
	// for PANs of up to 16 digits, the SHA-1 method for longer ones.
	ICCKeyOptionB ICCKeyDerivation = 2
)

// SessionKeyMethod selects how a cryptogram version derives the application
// cryptogram session key from the ICC master key.
type SessionKeyMethod uint8

const (
	// SessionKeyNone uses the ICC master key itself (Visa CVN 10).
	SessionKeyNone SessionKeyMethod = 1
	// SessionKeyCommon is the EMV common session key with
	// R = ATC ‖ 00 00 00 00 00 00 (CommonSessionKey).
	SessionKeyCommon SessionKeyMethod = 2
	// SessionKeyMastercard is the common session key with
	// R = ATC ‖ 00 00 ‖ UN (MastercardSessionKey).
	SessionKeyMastercard SessionKeyMethod = 3
)

// CVNIssuerData selects which part of the issuer application data (tag
// 9F10) follows the terminal data elements in the cryptogram input.
type CVNIssuerData uint8

const (
	// CVNDataVisaCVR is the Visa card verification results with their
	// length byte: IAD bytes 4 to 7 of a format 0/1 IAD (Visa CVN 10).
	CVNDataVisaCVR CVNIssuerData = 1
	// CVNDataIAD is the whole issuer application data (Visa CVN 18, 22).
	CVNDataIAD CVNIssuerData = 2
	// CVNDataMastercardCVR is the 6-byte Mastercard CVR, IAD bytes 3 to 8
	// (M/Chip CVN 16).
	CVNDataMastercardCVR CVNIssuerData = 3
	// CVNDataMastercardCVRCounters is the CVR followed by the 8 bytes of
	// counters, IAD bytes 11 to 18 (M/Chip CVN 17).
	CVNDataMastercardCVRCounters CVNIssuerData = 4
)

// CVNScriptKey selects the secure messaging session key of a cryptogram
// version's issuer scripts.
type CVNScriptKey uint8

const (
	// CVNScriptVisa is the Visa secure messaging session key: the ICC
	// master key diversified with the ATC (SessionKeyVisaSM).
	CVNScriptVisa CVNScriptKey = 1
	// CVNScriptCommon is the common session key with R = ARQC (EMV Book 2
	// A1.3, as Mastercard M/Chip uses it).
	CVNScriptCommon CVNScriptKey = 2
)

// CVN describes a cryptogram version as data: how the issuer host derives
// the keys, which field 55 data elements go into the MAC in which order, and
// how it answers. The package defines the common versions (CVNVisa10 ...);
// a processor that meets another version copies the closest one and changes
// its fields. A CVN must not be modified while in use; it is safe for
// concurrent use otherwise.
type CVN struct {
	// Name is a label for logs: "Visa CVN 18".
	Name string
	// Number is the cryptogram version number as the issuer application
	// data carries it (Visa: byte 3 of a format 0/1 IAD, byte 2 of a format
	// 2 IAD; Mastercard: byte 2). Verify checks it.
	Number byte
	// MasterKey is the ICC master key derivation.
	MasterKey ICCKeyDerivation
	// SessionKey is the application cryptogram session key derivation.
	SessionKey SessionKeyMethod
	// Padding is the ISO 9797-1 padding of the cryptogram MAC.
	Padding mac.Padding
	// Tags are the terminal and card data elements, in MAC order, taken
	// from field 55 (at most 16). Amount, other (9F03) may be absent from
	// field 55 and then counts as zero.
	Tags []Tag
	// IssuerData is the part of tag 9F10 appended after Tags.
	IssuerData CVNIssuerData
	// ARPCMethod is 1 (ARPCMethod1, with the ARC) or 2 (ARPCMethod2, with
	// the CSU and proprietary authentication data).
	ARPCMethod int
	// ARPCSessionKey is true when the ARPC is computed under the session
	// key and false when it is computed under the ICC master key.
	ARPCSessionKey bool
	// ScriptKey is the issuer script (secure messaging) session key.
	ScriptKey CVNScriptKey
}

// cdol1 is the data every version here takes, in the order of the usual
// CDOL1: amount authorised, amount other, terminal country code, TVR,
// transaction currency code, transaction date, transaction type,
// unpredictable number, AIP, ATC.
var cdol1 = []Tag{0x9F02, 0x9F03, 0x9F1A, 0x95, 0x5F2A, 0x9A, 0x9C, 0x9F37, 0x82, 0x9F36}

// The cryptogram versions this package knows. Each value is documented with
// the sources it follows; the tests check each against published vectors
// where there are any.
var (
	// CVNVisa10 is Visa CVN 10 (VIS 1.4): option A, the ICC master key
	// used directly, padding method 1, CDOL1 data then the CVR, ARPC
	// method 1 under the ICC master key, Visa secure messaging keys.
	CVNVisa10 = CVN{Name: "Visa CVN 10", Number: 0x0A, MasterKey: ICCKeyOptionA, SessionKey: SessionKeyNone,
		Padding: mac.Method1, Tags: cdol1, IssuerData: CVNDataVisaCVR, ARPCMethod: 1, ScriptKey: CVNScriptVisa}
	// CVNVisa18 is Visa CVN 18 (VIS 1.5): option B, the common session
	// key with R = ATC ‖ 0, padding method 2, CDOL1 data then the whole
	// IAD, ARPC method 2 under the session key, Visa secure messaging keys.
	CVNVisa18 = CVN{Name: "Visa CVN 18", Number: 0x12, MasterKey: ICCKeyOptionB, SessionKey: SessionKeyCommon,
		Padding: mac.Method2, Tags: cdol1, IssuerData: CVNDataIAD, ARPCMethod: 2, ARPCSessionKey: true, ScriptKey: CVNScriptVisa}
	// CVNVisa22 is Visa CVN '22' (hex; VIS 1.6 with issuer application
	// data format 2, a 32-byte IAD starting 1F 22): the CVN 18 cryptogram
	// algorithm over the CDOL1 data and the whole format 2 IAD (the layout
	// of the VSDC Issuer Implementation Guide, example H.1), ARPC method 2
	// under the session key, common secure messaging keys with R = ARQC.
	CVNVisa22 = CVN{Name: "Visa CVN 22", Number: 0x22, MasterKey: ICCKeyOptionB, SessionKey: SessionKeyCommon,
		Padding: mac.Method2, Tags: cdol1, IssuerData: CVNDataIAD, ARPCMethod: 2, ARPCSessionKey: true, ScriptKey: CVNScriptCommon}
	// CVNMastercard16 is Mastercard M/Chip CVN 16 (IAD byte 2 = 10): option
	// A, the Mastercard session key (R = ATC ‖ 0000 ‖ UN), padding method
	// 2, CDOL1 data then the 6-byte CVR, ARPC method 1 under the ICC master
	// key, common secure messaging keys with R = ARQC.
	CVNMastercard16 = CVN{Name: "Mastercard CVN 16", Number: 0x10, MasterKey: ICCKeyOptionA, SessionKey: SessionKeyMastercard,
		Padding: mac.Method2, Tags: cdol1, IssuerData: CVNDataMastercardCVR, ARPCMethod: 1, ScriptKey: CVNScriptCommon}
	// CVNMastercard17 is Mastercard M/Chip CVN 17 (IAD byte 2 = 11): CVN 16
	// with the 8 bytes of counters from the IAD after the CVR.
	CVNMastercard17 = CVN{Name: "Mastercard CVN 17", Number: 0x11, MasterKey: ICCKeyOptionA, SessionKey: SessionKeyMastercard,
		Padding: mac.Method2, Tags: cdol1, IssuerData: CVNDataMastercardCVRCounters, ARPCMethod: 1, ScriptKey: CVNScriptCommon}
)

// CVNForIAD picks the cryptogram version from issuer application data (tag
// 9F10): a Visa format 0/1 IAD (first byte 06) carries the version in its
// third byte, a Visa format 2 IAD (first byte 1F, 32 bytes) in its second,
// and a Mastercard M/Chip IAD (18 bytes or more) in its second. Because the
// formats overlap, a host that knows the card's scheme (from the AID) should
// prefer choosing the CVN itself.
//
// Errors: ErrCVN when no known version matches.
func CVNForIAD(iad []byte) (CVN, error) {
	switch {
	case len(iad) >= 7 && iad[0] == 0x06:
		switch iad[2] {
		case 0x0A:
			return CVNVisa10, nil
		case 0x12:
			return CVNVisa18, nil
		}
	case len(iad) == 32 && iad[0] == 0x1F:
		if iad[1] == 0x22 {
			return CVNVisa22, nil
		}
	}
	if len(iad) >= 18 {
		switch iad[1] {
		case 0x10:
			return CVNMastercard16, nil
		case 0x11:
			return CVNMastercard17, nil
		}
	}
	return CVN{}, fmt.Errorf("%w: issuer application data of %d bytes names no known version", ErrCVN, len(iad))
}

const maxCVNTags = 16

// check reports whether c is a complete description.
func (c *CVN) check() error {
	switch {
	case c.MasterKey != ICCKeyOptionA && c.MasterKey != ICCKeyOptionB,
		c.SessionKey < SessionKeyNone || c.SessionKey > SessionKeyMastercard,
		c.Padding != mac.Method1 && c.Padding != mac.Method2,
		len(c.Tags) == 0 || len(c.Tags) > maxCVNTags,
		c.IssuerData < CVNDataVisaCVR || c.IssuerData > CVNDataMastercardCVRCounters,
		c.ARPCMethod != 1 && c.ARPCMethod != 2:
		return fmt.Errorf("%w: %q is incomplete", ErrCVN, c.Name)
	}
	return nil
}

// cryptogramFields holds what one pass over field 55 found. The slices
// alias field 55.
type cryptogramFields struct {
	vals [maxCVNTags][]byte
	iad  []byte
	atc  []byte
	un   []byte
	arqc []byte
}

// fixedLength returns the length EMV Book 3 fixes for the data elements the
// cryptogram versions use, or 0 for any other tag.
func fixedLength(t Tag) int {
	switch t {
	case 0x9F02, 0x9F03:
		return 6
	case 0x9F1A, 0x5F2A, 0x82, 0x9F36:
		return 2
	case 0x95:
		return 5
	case 0x9A:
		return 3
	case 0x9C:
		return 1
	case 0x9F37:
		return 4
	case 0x9F26:
		return 8
	}
	return 0
}

// collect reads field55 once and keeps the first value of each tag it needs.
func (c *CVN) collect(f *cryptogramFields, field55 []byte) error {
	s := NewScanner(field55)
	for s.Next() {
		if s.Constructed() {
			continue
		}
		t := s.Tag()
		v := s.Value()
		switch t {
		case 0x9F10:
			if f.iad == nil {
				f.iad = v
			}
		case 0x9F36:
			if f.atc == nil {
				f.atc = v
			}
		case 0x9F37:
			if f.un == nil {
				f.un = v
			}
		case 0x9F26:
			if f.arqc == nil {
				f.arqc = v
			}
		}
		for i, want := range c.Tags {
			if want == t && f.vals[i] == nil {
				f.vals[i] = v
			}
		}
	}
	if err := s.Err(); err != nil {
		// the TLV error's text without its own "emv: ", so that the
		// package prefix appears once
		return fmt.Errorf("%w: %s", ErrCryptogramData, strings.TrimPrefix(err.Error(), "emv: "))
	}
	for i, t := range c.Tags {
		v := f.vals[i]
		if v == nil {
			if t == 0x9F03 {
				continue
			}
			return fmt.Errorf("%w: tag %v is missing", ErrCryptogramData, t)
		}
		if n := fixedLength(t); n != 0 && len(v) != n {
			return fmt.Errorf("%w: tag %v has %d bytes, not %d", ErrCryptogramData, t, len(v), n)
		}
	}
	if len(f.atc) != 2 {
		return fmt.Errorf("%w: tag 9F36 (ATC) must be 2 bytes", ErrCryptogramData)
	}
	if c.SessionKey == SessionKeyMastercard && len(f.un) != 4 {
		return fmt.Errorf("%w: tag 9F37 (unpredictable number) must be 4 bytes", ErrCryptogramData)
	}
	return nil
}

// issuerData returns the part of the IAD the version MACs, after checking
// the IAD names this version.
func (c *CVN) issuerData(iad []byte) ([]byte, error) {
	if iad == nil {
		return nil, fmt.Errorf("%w: tag 9F10 (issuer application data) is missing", ErrCryptogramData)
	}
	var version byte
	var part []byte
	switch c.IssuerData {
	case CVNDataVisaCVR:
		if len(iad) < 7 || iad[0] != 0x06 {
			return nil, fmt.Errorf("%w: tag 9F10 is not a Visa format 0/1 IAD", ErrCryptogramData)
		}
		version, part = iad[2], iad[3:7]
	case CVNDataIAD:
		switch {
		case len(iad) >= 7 && iad[0] == 0x06:
			version = iad[2]
		case len(iad) == 32 && iad[0] == 0x1F:
			version = iad[1]
		default:
			return nil, fmt.Errorf("%w: tag 9F10 is not a Visa format 0/1 or 2 IAD", ErrCryptogramData)
		}
		part = iad
	case CVNDataMastercardCVR, CVNDataMastercardCVRCounters:
		if len(iad) < 18 {
			return nil, fmt.Errorf("%w: tag 9F10 is shorter than a Mastercard IAD (18 bytes)", ErrCryptogramData)
		}
		version, part = iad[1], iad[2:8]
	}
	if version != c.Number {
		return nil, fmt.Errorf("%w: IAD names version %02X, not %s", ErrCVN, version, c.Name)
	}
	return part, nil
}

var zeroAmount [6]byte

// appendInput appends the cryptogram input to dst.
func (c *CVN) appendInput(dst []byte, f *cryptogramFields) ([]byte, error) {
	part, err := c.issuerData(f.iad)
	if err != nil {
		return dst, err
	}
	for i := range c.Tags {
		if f.vals[i] == nil {
			dst = append(dst, zeroAmount[:]...) // only 9F03 may be absent
			continue
		}
		dst = append(dst, f.vals[i]...)
	}
	dst = append(dst, part...)
	if c.IssuerData == CVNDataMastercardCVRCounters {
		dst = append(dst, f.iad[10:18]...)
	}
	return dst, nil
}

// AppendInput appends to dst the data the card MACs for this cryptogram
// version, taken from the field 55 TLVs: the values of c.Tags in order, then
// the part of tag 9F10 the version names. It checks the lengths of the
// fixed-length elements and that the IAD carries this version's number.
//
// Errors: ErrCVN, ErrCryptogramData.
func (c CVN) AppendInput(dst, field55 []byte) ([]byte, error) {
	if err := c.check(); err != nil {
		return dst, err
	}
	var f cryptogramFields
	if err := c.collect(&f, field55); err != nil {
		return dst, err
	}
	return c.appendInput(dst, &f)
}

// Input returns the data the card MACs for this version (see AppendInput).
func (c CVN) Input(field55 []byte) ([]byte, error) {
	return c.AppendInput(nil, field55)
}

// ARPCResponse is the issuer's answer that the ARPC authenticates: ARC for
// ARPC method 1, CSU and optional proprietary authentication data for
// method 2.
type ARPCResponse struct {
	ARC         []byte // authorisation response code, 2 bytes (tag 8A value, "00" = 30 30)
	CSU         []byte // card status update, 4 bytes
	Proprietary []byte // proprietary authentication data, 0 to 8 bytes
}

// IssuerAuthenticationData returns the value of tag 91 for arpc: ARPC ‖ ARC
// for an 8-byte method 1 ARPC, ARPC ‖ CSU ‖ proprietary data for a 4-byte
// method 2 ARPC.
func (r ARPCResponse) IssuerAuthenticationData(arpc []byte) []byte {
	out := make([]byte, 0, 16)
	out = append(out, arpc...)
	if len(arpc) == 8 {
		return append(out, r.ARC...)
	}
	out = append(out, r.CSU...)
	return append(out, r.Proprietary...)
}

func (c *CVN) checkResponse(r *ARPCResponse) error {
	if c.ARPCMethod == 1 {
		if len(r.ARC) != 2 {
			return fmt.Errorf("%w: ARC is 2 bytes, got %d", ErrARPCData, len(r.ARC))
		}
		return nil
	}
	if len(r.CSU) != 4 || len(r.Proprietary) > 8 {
		return fmt.Errorf("%w: CSU is 4 bytes and proprietary data 0 to 8", ErrARPCData)
	}
	return nil
}

// cardKeys holds the keys of one transaction and the scratch buffers the
// ciphers write to, in one value so that it costs one allocation when the
// interface calls move it to the heap. Call wipe when done.
type cardKeys struct {
	mk, sk [16]byte
	x      [8]byte      // scratch block
	a2     [20]byte     // ARPC method 2 input
	in     [128]byte    // cryptogram input
	mkC    cipher.Block // ICC master key cipher, when built
}

func (k *cardKeys) wipe() {
	wipe.Bytes(k.mk[:])
	wipe.Bytes(k.sk[:])
}

// derive computes the ICC master key under the issuer master key cipher
// imkC, and the session key.
func (c *CVN) derive(k *cardKeys, imkC cipher.Block, pan, psn string, f *cryptogramFields) error {
	if err := iccMasterKey(&k.mk, &k.x, imkC, pan, psn, c.MasterKey == ICCKeyOptionB); err != nil {
		return err
	}
	if c.SessionKey == SessionKeyNone {
		k.sk = k.mk
		return nil
	}
	k.mkC, _ = tdes.NewCipher(k.mk[:])
	k.x = [8]byte{}
	copy(k.x[:2], f.atc)
	if c.SessionKey == SessionKeyMastercard {
		copy(k.x[4:], f.un)
	}
	commonSessionKey(&k.sk, k.mkC, &k.x)
	return nil
}

// prepare does the work common to ARQC and Verify up to the cryptogram MAC,
// under the issuer master key cipher imk.
func (c *CVN) prepare(k *cardKeys, imk cipher.Block, pan, psn string, field55 []byte) (in []byte, f cryptogramFields, alg mac.Algorithm, err error) {
	if err = c.check(); err != nil {
		return
	}
	if err = c.collect(&f, field55); err != nil {
		return
	}
	if in, err = c.appendInput(k.in[:0], &f); err != nil {
		return
	}
	if err = c.derive(k, imk, pan, psn, &f); err != nil {
		return
	}
	alg, err = mac.NewISO9797Alg3(k.sk[:], c.Padding)
	return
}

// ARQC computes the application cryptogram a card of this version would
// produce for the transaction in field55 (which needs no tag 9F26), from the
// issuer master key imk (16 or 24 bytes), the PAN and the PAN sequence
// number (tag 5F34, two digits; "" means "00"). Test tools and card
// simulators use it; hosts use Verify.
//
// Errors: ErrCVN, ErrCryptogramData, ErrCryptogramKeyLength,
// ErrCryptogramPAN, ErrCryptogramPSN, ErrCryptogramCipher.
func (c CVN) ARQC(imk []byte, pan, psn string, field55 []byte) ([]byte, error) {
	imkC, err := issuerCipher(imk)
	if err != nil {
		return nil, err
	}
	return c.arqc(imkC, pan, psn, field55)
}

// ARQCFromBlock is ARQC with the issuer master key behind a cipher.Block
// handle (an HSM or a KMS keeps it): it calls only imk's Encrypt, twice,
// to derive the ICC master key. Errors as ARQC.
func (c CVN) ARQCFromBlock(imk cipher.Block, pan, psn string, field55 []byte) ([]byte, error) {
	if err := checkHandle(imk); err != nil {
		return nil, err
	}
	return c.arqc(imk, pan, psn, field55)
}

func (c *CVN) arqc(imk cipher.Block, pan, psn string, field55 []byte) ([]byte, error) {
	var k cardKeys
	defer k.wipe()
	in, _, alg, err := c.prepare(&k, imk, pan, psn, field55)
	if err != nil {
		return nil, err
	}
	return alg.MAC(in), nil
}

// Verify is the issuer host's call: from the issuer master key imk (16 or 24
// bytes), the PAN, the PAN sequence number ("" means "00") and the field 55
// TLVs it derives the card's keys, builds the cryptogram input, checks the
// ARQC (tag 9F26) in constant time and, when it verifies, returns the ARPC
// that answers resp with this version's ARPC method: 8 bytes for method 1, 4
// for method 2. resp.IssuerAuthenticationData(arpc) is the tag 91 value.
//
// Errors: ErrARQCMismatch when the cryptogram does not verify; ErrCVN,
// ErrCryptogramData, ErrARQCLength (9F26 is not the whole 8 bytes),
// ErrARPCData, ErrCryptogramKeyLength, ErrCryptogramPAN, ErrCryptogramPSN
// for bad input; ErrCryptogramCipher when TDES is refused.
func (c CVN) Verify(imk []byte, pan, psn string, field55 []byte, resp ARPCResponse) ([]byte, error) {
	if err := c.checkResponse(&resp); err != nil {
		return nil, err
	}
	imkC, err := issuerCipher(imk)
	if err != nil {
		return nil, err
	}
	return c.verify(imkC, pan, psn, field55, &resp)
}

// VerifyFromBlock is Verify with the issuer master key behind a
// cipher.Block handle (an HSM or a KMS keeps it): it calls only imk's
// Encrypt, twice, to derive the ICC master key; the session key, the ARQC
// check and the ARPC are computed in this process. Errors as Verify.
func (c CVN) VerifyFromBlock(imk cipher.Block, pan, psn string, field55 []byte, resp ARPCResponse) ([]byte, error) {
	if err := c.checkResponse(&resp); err != nil {
		return nil, err
	}
	if err := checkHandle(imk); err != nil {
		return nil, err
	}
	return c.verify(imk, pan, psn, field55, &resp)
}

func (c *CVN) verify(imk cipher.Block, pan, psn string, field55 []byte, resp *ARPCResponse) ([]byte, error) {
	var k cardKeys
	defer k.wipe()
	in, f, alg, err := c.prepare(&k, imk, pan, psn, field55)
	if err != nil {
		return nil, err
	}
	if f.arqc == nil {
		return nil, fmt.Errorf("%w: tag 9F26 (application cryptogram) is missing", ErrCryptogramData)
	}
	if len(f.arqc) != 8 {
		return nil, ErrARQCLength
	}
	if !alg.Verify(in, f.arqc) { // the full 8-byte MAC
		return nil, ErrARQCMismatch
	}
	return c.arpc(&k, alg, f.arqc, resp)
}

// arpc computes the response cryptogram, reusing the key schedules already
// built where it can.
func (c *CVN) arpc(k *cardKeys, alg mac.Algorithm, arqc []byte, r *ARPCResponse) ([]byte, error) {
	underMK := !c.ARPCSessionKey || c.SessionKey == SessionKeyNone
	// algKeyed: the cryptogram MAC is keyed with the ARPC key.
	algKeyed := !underMK || c.SessionKey == SessionKeyNone
	if c.ARPCMethod == 1 {
		out := make([]byte, 8)
		copy(out, arqc)
		out[0] ^= r.ARC[0]
		out[1] ^= r.ARC[1]
		switch {
		case underMK && k.mkC != nil:
			k.mkC.Encrypt(out, out)
			return out, nil
		case algKeyed && c.Padding == mac.Method1:
			// ISO 9797-1 algorithm 3 over one aligned block with padding
			// method 1 is TDES encryption of that block. (AppendMAC may
			// write dst before reading data: give it separate buffers.)
			copy(k.x[:], out)
			return alg.AppendMAC(out[:0], k.x[:]), nil
		}
		key := k.sk[:]
		if underMK {
			key = k.mk[:]
		}
		return ARPCMethod1(key, arqc, r.ARC)
	}
	in := arpc2Input(&k.a2, arqc, r.CSU, r.Proprietary)
	if algKeyed && c.Padding == mac.Method2 {
		return alg.MAC(in)[:4:4], nil
	}
	key := k.sk[:]
	if underMK {
		key = k.mk[:]
	}
	return ARPCMethod2(key, arqc, r.CSU, r.Proprietary)
}

// IssuerScriptMAC computes the MAC of an issuer script command for a card
// of this version: it derives the ICC secure messaging integrity master key
// from the issuer's integrity master key imkSMI, the session key the version
// names (from atc or from arqc), and MACs header ‖ ATC ‖ ARQC ‖ data with
// IssuerScriptMAC. header is CLA INS P1 P2 Lc with Lc counting the MAC; for
// each further command in the same script the caller adds 1 to the ARQC as
// the schemes require. The result is the full 8 bytes.
//
// Errors: ErrCVN, ErrIssuerScriptData, ErrCryptogramKeyLength,
// ErrCryptogramPAN, ErrCryptogramPSN, ErrCryptogramCipher.
func (c CVN) IssuerScriptMAC(imkSMI []byte, pan, psn string, atc, arqc, header, data []byte) ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if c.ScriptKey != CVNScriptVisa && c.ScriptKey != CVNScriptCommon {
		return nil, fmt.Errorf("%w: %q has no script key method", ErrCVN, c.Name)
	}
	if len(atc) != 2 || len(arqc) != 8 || len(header) != 5 {
		return nil, fmt.Errorf("%w: ATC is 2 bytes, ARQC 8, header 5", ErrIssuerScriptData)
	}
	imkC, err := issuerCipher(imkSMI)
	if err != nil {
		return nil, err
	}
	var k cardKeys
	defer k.wipe()
	if err := iccMasterKey(&k.mk, &k.x, imkC, pan, psn, c.MasterKey == ICCKeyOptionB); err != nil {
		return nil, err
	}
	if c.ScriptKey == CVNScriptVisa {
		visaSMSessionKey(&k.sk, k.mk[:], atc)
	} else {
		mkC, _ := tdes.NewCipher(k.mk[:])
		copy(k.x[:], arqc)
		commonSessionKey(&k.sk, mkC, &k.x)
	}
	msg := make([]byte, 0, 10+len(data))
	msg = append(msg, atc...)
	msg = append(msg, arqc...)
	msg = append(msg, data...)
	return IssuerScriptMAC(k.sk[:], header, msg)
}
