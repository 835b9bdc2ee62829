package mac

import "github.com/poskit/poskit/internal/tdes"

// Wipe zeroes the key material an Algorithm of this package holds: the
// DES and TDES key schedules it built and the CMAC subkeys. A host that
// builds an Algorithm per transaction (from a DUKPT MAC key, say) calls it
// once the answer is signed; the Algorithm must not be used afterwards.
//
// Wipe reports whether everything was cleared. It is false for an
// Algorithm over a caller's cipher.Block (the FromBlock constructors: the
// caller owns that key), over an AES schedule (crypto/aes offers no way to
// clear one; its subkeys are cleared all the same), and for an Algorithm
// not made by this package.
func Wipe(a Algorithm) bool {
	switch m := a.(type) {
	case *cbcMAC:
		body := tdes.Wipe(m.body)
		final := m.final == m.body || tdes.Wipe(m.final)
		return body && final
	case *cupMAC:
		return tdes.Wipe(m.c)
	case *cmac:
		clear(m.k1[:])
		clear(m.k2[:])
		return tdes.Wipe(m.c)
	}
	return false
}
