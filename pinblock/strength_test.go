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
func TestConcurrentSharedInputs(t *testing.T) {
	key16 := []byte("\x04\x26\x66\xB4\x91\x84\xCF\x5C\x68\xDE\x96\x28\xD0\x39\x7B\x36")
	keyAES := []byte("\xAF\x8C\xB1\x33\xA7\x8F\x8D\xC2\xD1\x35\x9F\x18\x52\x75\x93\xFB")
	const pan = "4012345678909"
	block0 := []byte("\x1B\x9C\x18\x45\xEB\x99\x3A\x7A")
	pinBytes := []byte("1234")
	block4, err := Encrypt(ISO4, keyAES, "1234", pan)
	if err != nil {
		t.Fatal(err)
	}
	clear0 := []byte("\x04\x12\x74\xED\xCB\xA9\x87\x6F")
	c0, _ := NewCipher(ISO0, key16)
	c4, _ := NewCipher(ISO4, keyAES)
	prefix := make([]byte, 2, 64) // shared, with spare capacity nobody may write

	snap := func() [][]byte {
		return [][]byte{bytes.Clone(key16), bytes.Clone(keyAES), bytes.Clone(block0), bytes.Clone(block4), bytes.Clone(pinBytes), bytes.Clone(clear0), bytes.Clone(prefix[:cap(prefix)])}
	}
	before := snap()

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if b, err := Encrypt(ISO0, key16, "1234", pan); err != nil || !bytes.Equal(b, block0) {
					errs <- errors.New("Encrypt(ISO0) differs")
					return
				}
				if b, err := c0.AppendEncrypt(prefix[:0:0], pinBytes, pan); err != nil || !bytes.Equal(b, block0) {
					errs <- errors.New("AppendEncrypt differs")
					return
				}
				if p, err := Decrypt(ISO0, key16, block0, pan); err != nil || p != "1234" {
					errs <- errors.New("Decrypt(ISO0) differs")
					return
				}
				if p, err := c4.Decrypt(block4, pan); err != nil || p != "1234" {
					errs <- errors.New("Cipher.Decrypt(ISO4) differs")
					return
				}
				if p, err := Decrypt(ISO4, keyAES, block4, pan); err != nil || p != "1234" {
					errs <- errors.New("Decrypt(ISO4) differs")
					return
				}
				if p, err := Decode(ISO0, clear0, pan); err != nil || p != "1234" {
					errs <- errors.New("Decode differs")
					return
				}
				if f, err := Detect(clear0); err != nil || f != ISO0 {
					errs <- errors.New("Detect differs")
					return
				}
				out, err := c4.Translate(c0, block4, pan)
				if err != nil || !bytes.Equal(out, block0) {
					errs <- errors.New("Translate differs")
					return
				}
				out, err = Translate(ISO0, key16, ISO4, keyAES, block0, pan)
				if err != nil {
					errs <- err
					return
				}
				if p, err := c4.Decrypt(out, pan); err != nil || p != "1234" {
					errs <- errors.New("Translate to ISO4 differs")
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
