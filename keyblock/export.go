package keyblock

import (
	"fmt"

	"github.com/poskit/poskit/internal/wipe"
)

// Export re-wraps a key block for another party: it unwraps keyBlock under
// kbpk and wraps the same key and header under the other party's key block
// protection key, in the given version ('B' or 'D'), with fresh padding.
// It applies the X9.143 exportability rule: a key whose exportability is N
// (non-exportable), or whose key context is '1' (storage only), is never
// exported ([ErrExportability]). The header is otherwise kept, so the
// strength rule is checked again against the new KBPK.
//
// Errors: those of [Unwrap] and [Wrap], and ErrExportability.
func (w Wrapper) Export(kbpk []byte, keyBlock string, to []byte, version byte) (string, error) {
	h, key, err := Unwrap(kbpk, keyBlock)
	if err != nil {
		return "", err
	}
	defer wipe.Bytes(key)
	if h.Exportability == 'N' {
		return "", fmt.Errorf("%w: the key is non-exportable (N)", ErrExportability)
	}
	if h.Context == '1' {
		return "", fmt.Errorf("%w: the key block is for storage only (key context 1)", ErrExportability)
	}
	h.Version = version
	return w.Wrap(to, h, key)
}
