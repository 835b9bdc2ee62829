package pinblock

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
)

// Format 4 under a wrong PAN and under a wrong key: every one of 100,000
// trials of each must fail with ErrBadBlock. A random block passes the
// format 4 checks with probability about 6e-8 (see the package doc), so a
// correct implementation fails this test for about 1 seed in 80; the seed
// is fixed, so the test is deterministic, and a weaker check (say, not
// checking the A fill) fails it more than a hundred times.
func TestFormat4WrongPANAndKey(t *testing.T) {
	const trials = 100_000
	r := rand.New(rand.NewChaCha8([32]byte{'p', 'i', 'n', 'b', 'l', 'o', 'c', 'k'}))
	key := make([]byte, 16)
	for i := range key {
		key[i] = byte(r.Uint32())
	}
	c, err := NewCipher(ISO4, key)
	if err != nil {
		t.Fatal(err)
	}
	c.Rand = rand.NewChaCha8([32]byte{'f', 'i', 'l', 'l'})

	wrongPAN, wrongKey := 0, 0
	for i := 0; i < trials; i++ {
		pin := randDigits(r, 4+r.IntN(9), false)
		pan := randDigits(r, 12+r.IntN(8), true)
		block, err := c.Encrypt(pin, pan)
		if err != nil {
			t.Fatal(err)
		}
		// Half the wrong PANs differ in one digit (a typo), half are
		// unrelated PANs of random length.
		other := []byte(pan)
		if i%2 == 0 {
			// Change one digit to another; the first stays non-zero, as
			// in a real PAN (leading zeros of a short PAN are padding).
			j := r.IntN(len(other))
			for string(other) == pan || other[0] == '0' {
				other[j] = byte('0' + r.IntN(10))
			}
		} else {
			for string(other) == pan {
				other = []byte(randDigits(r, 1+r.IntN(19), true))
			}
		}
		if string(other) == pan {
			t.Fatal("test bug: wrong PAN equals the PAN")
		}
		if _, err := c.Decrypt(block, string(other)); errors.Is(err, ErrBadBlock) {
			wrongPAN++
		}
		k2 := bytes.Clone(key)
		k2[r.IntN(16)] ^= byte(1 + r.IntN(255))
		if _, err := Decrypt(ISO4, k2, block, pan); errors.Is(err, ErrBadBlock) {
			wrongKey++
		}
	}
	if wrongPAN != trials || wrongKey != trials {
		t.Fatalf("ErrBadBlock under a wrong PAN in %d and under a wrong key in %d of %d trials", wrongPAN, wrongKey, trials)
	}
}

// Concurrent calls that share their input slices (key, block, PIN bytes,
// destination prefix) give identical results and leave the inputs as they
// were. Run under -race.
// sharedInputs are the buffers every goroutine of
// TestConcurrentSharedInputs reads at once.
type sharedInputs struct {
	key16, keyAES, block0, block4, pinBytes, clear0, prefix []byte
	c0, c4                                                  *Cipher
}

const sharedPAN = "4012345678909"

// round runs every entry point once on the shared inputs.
func (s *sharedInputs) round() error {
	const pan = sharedPAN
	if b, err := Encrypt(ISO0, s.key16, "1234", pan); err != nil || !bytes.Equal(b, s.block0) {
		return errors.New("Encrypt(ISO0) differs")
	}
	if b, err := s.c0.AppendEncrypt(s.prefix[:0:0], s.pinBytes, pan); err != nil || !bytes.Equal(b, s.block0) {
		return errors.New("AppendEncrypt differs")
	}
	if p, err := Decrypt(ISO0, s.key16, s.block0, pan); err != nil || p != "1234" {
		return errors.New("Decrypt(ISO0) differs")
	}
	if p, err := s.c4.Decrypt(s.block4, pan); err != nil || p != "1234" {
		return errors.New("Cipher.Decrypt(ISO4) differs")
	}
	if p, err := Decrypt(ISO4, s.keyAES, s.block4, pan); err != nil || p != "1234" {
		return errors.New("Decrypt(ISO4) differs")
	}
	if p, err := Decode(ISO0, s.clear0, pan); err != nil || p != "1234" {
		return errors.New("Decode differs")
	}
	if f, err := Detect(s.clear0); err != nil || f != ISO0 {
		return errors.New("Detect differs")
	}
	out, err := s.c4.Translate(s.c0, s.block4, pan)
	if err != nil || !bytes.Equal(out, s.block0) {
		return errors.New("Translate differs")
	}
	out, err = Translate(ISO0, s.key16, ISO4, s.keyAES, s.block0, pan)
	if err != nil {
		return err
	}
	if p, err := s.c4.Decrypt(out, pan); err != nil || p != "1234" {
		return errors.New("Translate to ISO4 differs")
	}
	return nil
}

func TestConcurrentSharedInputs(t *testing.T) {
	s := &sharedInputs{
		key16:    []byte("\x04\x26\x66\xB4\x91\x84\xCF\x5C\x68\xDE\x96\x28\xD0\x39\x7B\x36"),
		keyAES:   []byte("\xAF\x8C\xB1\x33\xA7\x8F\x8D\xC2\xD1\x35\x9F\x18\x52\x75\x93\xFB"),
		block0:   []byte("\x1B\x9C\x18\x45\xEB\x99\x3A\x7A"),
		pinBytes: []byte("1234"),
		clear0:   []byte("\x04\x12\x74\xED\xCB\xA9\x87\x6F"),
		prefix:   make([]byte, 2, 64), // shared, with spare capacity nobody may write
	}
	var err error
	if s.block4, err = Encrypt(ISO4, s.keyAES, "1234", sharedPAN); err != nil {
		t.Fatal(err)
	}
	s.c0, _ = NewCipher(ISO0, s.key16)
	s.c4, _ = NewCipher(ISO4, s.keyAES)
	snap := func() [][]byte {
		return [][]byte{bytes.Clone(s.key16), bytes.Clone(s.keyAES), bytes.Clone(s.block0), bytes.Clone(s.block4),
			bytes.Clone(s.pinBytes), bytes.Clone(s.clear0), bytes.Clone(s.prefix[:cap(s.prefix)])}
	}
	before := snap()

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if err := s.round(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, b := range snap() {
		if !bytes.Equal(b, before[i]) {
			t.Fatalf("shared input %d modified", i)
		}
	}
}
