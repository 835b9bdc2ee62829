//go:build !amd64 || purego

package aesenc

// hasAESNI is false on this build (another architecture or the purego tag):
// Init always uses crypto/aes and k.rounds stays 0, so the two methods
// below are never reached.
const hasAESNI = false

// expandKey is the AES-NI key expansion, which this build does not have:
// Init never calls it here.
func (k *Key) expandKey(key []byte, nr int) {}

// encryptBlock is the AES-NI block encryption, which this build does not
// have: Encrypt never calls it here (k.rounds stays 0). Were it reached, it
// would write zeros rather than pass the plaintext through.
func (k *Key) encryptBlock(dst, src []byte) {
	clear(dst[:BlockSize])
}
