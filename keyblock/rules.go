package keyblock

import (
	"fmt"
	"strings"
)

// usageRule is what X9.143 (table 6, key usage; table 8, mode of use) allows
// for one key usage: the algorithms and the modes of use.
type usageRule struct {
	algorithms, modes string
}

// Symbolic sets of the table below.
const (
	symmetric  = "TAD"
	tdesAES    = "TA"
	asymmetric = "RES"
	derive     = "NX"
	crypt      = "BDEN"
	macModes   = "CGVN"
)

// usageRules lists the key usages of X9.143 with their algorithms and modes
// of use. Numeric usages ("00" to "99") are proprietary and unrestricted.
var usageRules = map[string]usageRule{
	"B0": {tdesAES, derive},       // base derivation key (BDK)
	"B1": {tdesAES, derive},       // initial DUKPT key
	"B2": {"T", derive},           // base key variant key
	"B3": {tdesAES, derive},       // key derivation key (non-X9.24)
	"C0": {"T", macModes},         // card verification key
	"D0": {symmetric, crypt},      // symmetric data encryption
	"D1": {"RE", crypt},           // asymmetric data encryption
	"D2": {tdesAES, crypt},        // data encryption for decimalization tables
	"D3": {tdesAES, crypt},        // data encryption for sensitive data
	"E0": {tdesAES, derive},       // EMV issuer master key: application cryptograms
	"E1": {tdesAES, derive},       // EMV issuer master key: secure messaging, confidentiality
	"E2": {tdesAES, derive},       // EMV issuer master key: secure messaging, integrity
	"E3": {tdesAES, derive},       // EMV issuer master key: data authentication code
	"E4": {tdesAES, derive},       // EMV issuer master key: dynamic numbers
	"E5": {tdesAES, derive},       // EMV issuer master key: card personalisation
	"E6": {tdesAES, derive},       // EMV issuer master key: other
	"E7": {tdesAES, derive},       // EMV master personalisation key
	"I0": {symmetric, "N"},        // initialisation vector
	"K0": {tdesAES, crypt + "X"},  // key encryption or wrapping
	"K1": {tdesAES, crypt + "X"},  // X9.143 key block protection key
	"K2": {"R", crypt},            // TR-34 asymmetric key
	"K3": {"RE", crypt + "X"},     // asymmetric key agreement / wrapping
	"K4": {tdesAES, crypt + "X"},  // ISO 20038 key block protection key
	"M0": {"T", macModes},         // ISO 16609 MAC algorithm 1 (TDES)
	"M1": {"TD", macModes},        // ISO 9797-1 MAC algorithm 1
	"M2": {"T", macModes},         // ISO 9797-1 MAC algorithm 2
	"M3": {"T", macModes},         // ISO 9797-1 MAC algorithm 3 (X9.19)
	"M4": {"T", macModes},         // ISO 9797-1 MAC algorithm 4
	"M5": {tdesAES, macModes},     // ISO 9797-1:1999 MAC algorithm 5
	"M6": {tdesAES, macModes},     // ISO 9797-1:2011 MAC algorithm 5 (CMAC)
	"M7": {"H", macModes},         // HMAC
	"M8": {tdesAES, macModes},     // ISO 9797-1:2011 MAC algorithm 6
	"P0": {symmetric, crypt},      // PIN encryption
	"P1": {tdesAES, macModes},     // PIN generation
	"S0": {asymmetric, "SVNT"},    // asymmetric key pair for digital signature
	"S1": {asymmetric, "SVN"},     // asymmetric key pair, CA key
	"S2": {asymmetric, "SVNTBDE"}, // asymmetric key pair, non-X9.24 key
	"V0": {tdesAES, macModes},     // PIN verification, other algorithm
	"V1": {tdesAES, macModes},     // PIN verification, IBM 3624
	"V2": {tdesAES, macModes},     // PIN verification, Visa PVV
	"V3": {tdesAES, macModes},     // PIN verification, X9.132 algorithm 1
	"V4": {tdesAES, macModes},     // PIN verification, X9.132 algorithm 2
	"V5": {tdesAES, macModes},     // PIN verification, X9.132 algorithm 3
}

// knownAlgorithms and knownModes are the codes of X9.143 tables 7 and 8.
const (
	knownAlgorithms = "ADEHRST"
	knownModes      = "BCDEGNSTVXY"
)

// checkRules applies the X9.143 rules that depend on the header alone: the
// usage/algorithm/mode of use combination and the exportability. The
// algorithms and modes of proprietary (numeric) usages are not restricted.
func checkRules(h *Header) error {
	if !strings.ContainsRune(knownAlgorithms, rune(h.Algorithm)) {
		return fmt.Errorf("%w: algorithm %s is not defined by X9.143", ErrCombination, printable(h.Algorithm))
	}
	if !strings.ContainsRune(knownModes, rune(h.Mode)) {
		return fmt.Errorf("%w: mode of use %s is not defined by X9.143", ErrCombination, printable(h.Mode))
	}
	switch h.Exportability {
	case 'E', 'N', 'S':
	default:
		return fmt.Errorf("%w: %s is not E, N or S", ErrExportability, printable(h.Exportability))
	}
	if isDigit(h.Usage[0]) && isDigit(h.Usage[1]) {
		return nil
	}
	r, ok := usageRules[h.Usage]
	if !ok {
		return fmt.Errorf("%w: key usage %s is not defined by X9.143", ErrCombination, printableS(h.Usage))
	}
	if !strings.ContainsRune(r.algorithms, rune(h.Algorithm)) {
		return fmt.Errorf("%w: key usage %s does not allow algorithm %c (allowed: %s)", ErrCombination, h.Usage, h.Algorithm, r.algorithms)
	}
	if !strings.ContainsRune(r.modes, rune(h.Mode)) {
		return fmt.Errorf("%w: key usage %s does not allow mode of use %c (allowed: %s)", ErrCombination, h.Usage, h.Mode, r.modes)
	}
	return nil
}

// kbpkStrength is the security strength in bits (NIST SP 800-57 part 1,
// table 2) of a key block protection key of n bytes under version v.
func kbpkStrength(v byte, n int) int {
	if v == 'D' {
		return 8 * n
	}
	return tdesStrength(n)
}

// tdesStrength: single DES 56, 2TDEA 80, 3TDEA 112 bits.
func tdesStrength(n int) int {
	switch n {
	case 8:
		return 56
	case 16:
		return 80
	}
	return 112
}

// keyStrength is the security strength of a wrapped key, and whether it is
// known: asymmetric keys (R, E, S) carry theirs in their encoding, which
// this package does not parse.
func keyStrength(alg byte, n int) (int, bool) {
	switch alg {
	case 'D':
		return 56, true
	case 'T':
		return tdesStrength(n), true
	case 'A':
		return 8 * n, true
	case 'H':
		return min(8*n, 256), true
	}
	return 0, false
}

// checkKey applies the rules on the key itself: its length for its
// algorithm (checkLength, on wrap) and the KBPK strength rule: a key is
// never carried by a weaker key block protection key.
func checkKey(h *Header, kbpkLen, keyLen int, checkLength bool) error {
	if checkLength {
		ok := true
		switch h.Algorithm {
		case 'D':
			ok = keyLen == 8
		case 'T':
			ok = keyLen == 16 || keyLen == 24
		case 'A':
			ok = keyLen == 16 || keyLen == 24 || keyLen == 32
		}
		if !ok || keyLen == 0 {
			return fmt.Errorf("%w: %d bytes for algorithm %c", ErrKey, keyLen, h.Algorithm)
		}
	}
	ks, known := keyStrength(h.Algorithm, keyLen)
	if ps := kbpkStrength(h.Version, kbpkLen); known && ks > ps {
		return fmt.Errorf("%w: a %d-bit key under a %d-bit KBPK", ErrStrength, ks, ps)
	}
	return nil
}
