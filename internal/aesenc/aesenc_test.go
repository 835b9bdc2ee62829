package aesenc

import (
	"bytes"
	"crypto/aes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// paths runs f once per implementation: "aesni" (skipped where the CPU or
// build has none) and "fallback" (crypto/aes, forced through forceFallback).
func paths(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	t.Run("aesni", func(t *testing.T) {
		if !hasAESNI {
			t.Skip("no AES-NI on this CPU or build")
		}
		if !Accelerated() {
			t.Fatal("Accelerated() = false with AES-NI and no forced fallback")
		}
		f(t)
	})
	t.Run("fallback", func(t *testing.T) {
		forceFallback = true
		defer func() { forceFallback = false }()
		if Accelerated() {
			t.Fatal("Accelerated() = true with forced fallback")
		}
		f(t)
	})
}

// checkPath fails t unless k was built by the path the test runs on.
func checkPath(t testing.TB, k *Key) {
	t.Helper()
	if Accelerated() {
		if k.rounds == 0 || k.block != nil {
			t.Fatalf("AES-NI path: rounds %d, block %v", k.rounds, k.block != nil)
		}
	} else if k.rounds != 0 || k.block == nil {
		t.Fatalf("fallback path: rounds %d, block %v", k.rounds, k.block != nil)
	}
}

// FIPS 197 Appendix A: the full key expansion w[0..4(Nr+1)) for the three
// example keys (A.1 AES-128, A.2 AES-192, A.3 AES-256), words concatenated.
var fips197AppendixA = []struct {
	name, key, schedule string
	rounds              int
}{
	{"A.1 AES-128", "2b7e151628aed2a6abf7158809cf4f3c",
		"2b7e151628aed2a6abf7158809cf4f3c" +
			"a0fafe1788542cb123a339392a6c7605" +
			"f2c295f27a96b9435935807a7359f67f" +
			"3d80477d4716fe3e1e237e446d7a883b" +
			"ef44a541a8525b7fb671253bdb0bad00" +
			"d4d1c6f87c839d87caf2b8bc11f915bc" +
			"6d88a37a110b3efddbf98641ca0093fd" +
			"4e54f70e5f5fc9f384a64fb24ea6dc4f" +
			"ead27321b58dbad2312bf5607f8d292f" +
			"ac7766f319fadc2128d12941575c006e" +
			"d014f9a8c9ee2589e13f0cc8b6630ca6", 10},
	{"A.2 AES-192", "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
		"8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b" +
			"fe0c91f72402f5a5ec12068e6c827f6b0e7a95b95c56fec2" +
			"4db7b4bd69b5411885a74796e92538fde75fad44bb095386" +
			"485af05721efb14fa448f6d94d6dce24aa326360113b30e6" +
			"a25e7ed583b1cf9a27f939436a94f767c0a69407d19da4e1" +
			"ec1786eb6fa64971485f703222cb8755e26d135233f0b7b3" +
			"40beeb282f18a2596747d26b458c553ea7e1466c9411f1df" +
			"821f750aad07d753ca4005388fcc5006282d166abc3ce7b5" +
			"e98ba06f448c773c8ecc720401002202", 12},
	{"A.3 AES-256", "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4" +
			"9ba354118e6925afa51a8b5f2067fcdea8b09c1a93d194cdbe49846eb75d5b9a" +
			"d59aecb85bf3c917fee94248de8ebe96b5a9328a2678a647983122292f6c79b3" +
			"812c81addadf48ba24360af2fab8b46498c5bfc9bebd198e268c3ba709e04214" +
			"68007bacb2df331696e939e46c518d80c814e20476a9fb8a5025c02d59c58239" +
			"de1369676ccc5a71fa2563959674ee155886ca5d2e2f31d77e0af1fa27cf73c3" +
			"749c47ab18501ddae2757e4f7401905acafaaae3e4d59b349adf6acebd10190d" +
			"fe4890d1e6188d0b046df344706c631e", 14},
}

func TestKeyExpansionFIPS197AppendixA(t *testing.T) {
	if !hasAESNI {
		t.Skip("the schedule is visible on the AES-NI path only")
	}
	for _, tc := range fips197AppendixA {
		t.Run(tc.name, func(t *testing.T) {
			want := unhex(t, tc.schedule)
			if len(want) != (tc.rounds+1)*BlockSize {
				t.Fatalf("vector has %d bytes, want %d", len(want), (tc.rounds+1)*BlockSize)
			}
			var k Key
			// Start from a dirty schedule: Init must overwrite or clear all of it.
			for i := range k.enc {
				k.enc[i] = 0xa5
			}
			if err := k.Init(unhex(t, tc.key)); err != nil {
				t.Fatal(err)
			}
			if k.rounds != tc.rounds {
				t.Fatalf("rounds = %d, want %d", k.rounds, tc.rounds)
			}
			for r := 0; r <= tc.rounds; r++ {
				got, exp := k.enc[r*BlockSize:(r+1)*BlockSize], want[r*BlockSize:(r+1)*BlockSize]
				if !bytes.Equal(got, exp) {
					t.Errorf("round key %d = %x, want %x", r, got, exp)
				}
			}
			if tail := k.enc[len(want):]; !bytes.Equal(tail, make([]byte, len(tail))) {
				t.Errorf("bytes past the schedule not cleared: %x", tail)
			}
		})
	}
}

// FIPS 197 Appendix C (example vectors C.1, C.2, C.3) and Appendix B (the
// cipher example, AES-128).
var fips197Vectors = []struct {
	name, key, in, out string
}{
	{"B AES-128", "2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734", "3925841d02dc09fbdc118597196a0b32"},
	{"C.1 AES-128", "000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a"},
	{"C.2 AES-192", "000102030405060708090a0b0c0d0e0f1011121314151617", "00112233445566778899aabbccddeeff", "dda97ca4864cdfe06eaf70a0ec0d7191"},
	{"C.3 AES-256", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089"},
}

func TestFIPS197Vectors(t *testing.T) {
	paths(t, func(t *testing.T) {
		for _, tc := range fips197Vectors {
			key, in, want := unhex(t, tc.key), unhex(t, tc.in), unhex(t, tc.out)
			keyCopy, inCopy := bytes.Clone(key), bytes.Clone(in)
			var k Key
			if err := k.Init(key); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			checkPath(t, &k)
			got := make([]byte, BlockSize)
			k.Encrypt(got, in)
			if !bytes.Equal(got, want) {
				t.Errorf("%s: Encrypt = %x, want %x", tc.name, got, want)
			}
			if !bytes.Equal(key, keyCopy) || !bytes.Equal(in, inCopy) {
				t.Errorf("%s: caller's key or input modified", tc.name)
			}
			// In place.
			buf := bytes.Clone(in)
			k.Encrypt(buf, buf)
			if !bytes.Equal(buf, want) {
				t.Errorf("%s: in-place Encrypt = %x, want %x", tc.name, buf, want)
			}
			// Longer slices: only the first block is read and written.
			long := bytes.Repeat([]byte{0xee}, 40)
			k.Encrypt(long, append(bytes.Clone(in), 1, 2, 3))
			if !bytes.Equal(long[:BlockSize], want) || !bytes.Equal(long[BlockSize:], bytes.Repeat([]byte{0xee}, 24)) {
				t.Errorf("%s: Encrypt into a 40-byte dst = %x", tc.name, long)
			}
		}
	})
}

// TestDifferential compares Encrypt with crypto/aes for random keys of each
// size and random blocks, out of place and in place, on both paths.
func TestDifferential(t *testing.T) {
	const trials = 20000
	paths(t, func(t *testing.T) {
		rng := rand.New(rand.NewChaCha8([32]byte{'a', 'e', 's', 'e', 'n', 'c'}))
		for _, size := range []int{16, 24, 32} {
			key := make([]byte, size)
			var in, got, want, buf [BlockSize]byte
			for i := range trials {
				fill(rng, key)
				fill(rng, in[:])
				ref, err := aes.NewCipher(key)
				if err != nil {
					t.Fatal(err)
				}
				ref.Encrypt(want[:], in[:])
				var k Key
				if err := k.Init(key); err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					checkPath(t, &k)
				}
				k.Encrypt(got[:], in[:])
				buf = in
				k.Encrypt(buf[:], buf[:])
				if got != want || buf != want {
					t.Fatalf("AES-%d trial %d: key %x block %x: got %x, in place %x, crypto/aes %x",
						size*8, i, key, in, got, buf, want)
				}
			}
		}
	})
}

func fill(rng *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
}

// TestOverlap checks dst and src that overlap without being equal, which
// crypto/aes's cipher.Block rejects with a panic.
func TestOverlap(t *testing.T) {
	paths(t, func(t *testing.T) {
		key := unhex(t, fips197Vectors[1].key)
		in, want := unhex(t, fips197Vectors[1].in), unhex(t, fips197Vectors[1].out)
		var k Key
		if err := k.Init(key); err != nil {
			t.Fatal(err)
		}
		for _, shift := range []int{-15, -8, -1, 1, 7, 15} {
			buf := make([]byte, 48)
			src := buf[16 : 16+BlockSize]
			copy(src, in)
			dst := buf[16+shift : 16+shift+BlockSize]
			k.Encrypt(dst, src)
			if !bytes.Equal(dst, want) {
				t.Errorf("shift %d: got %x, want %x", shift, dst, want)
			}
		}
	})
}

func TestInitKeySize(t *testing.T) {
	paths(t, func(t *testing.T) {
		for _, n := range []int{0, 1, 8, 15, 17, 23, 25, 31, 33, 48, 64} {
			key := bytes.Repeat([]byte{0xc3}, n)
			var k Key
			if err := k.Init(unhex(t, fips197Vectors[3].key)); err != nil {
				t.Fatal(err)
			}
			err := k.Init(key)
			if !errors.Is(err, ErrKeySize) {
				t.Fatalf("Init(%d bytes) = %v, want ErrKeySize", n, err)
			}
			if strings.Contains(strings.ToLower(err.Error()), "c3c3") {
				t.Errorf("error carries key bytes: %q", err)
			}
			// A failed Init leaves no key behind, not the previous one.
			if k != (Key{}) {
				t.Errorf("Init(%d bytes) failed but k still holds a key", n)
			}
			dst := bytes.Repeat([]byte{0xff}, BlockSize)
			k.Encrypt(dst, unhex(t, fips197Vectors[1].in))
			if !bytes.Equal(dst, make([]byte, BlockSize)) {
				t.Errorf("Encrypt after failed Init wrote %x, want zeros", dst)
			}
		}
	})
}

// TestNoKey checks that a Key without a key zeroes dst rather than passing
// the plaintext through.
func TestNoKey(t *testing.T) {
	in := unhex(t, fips197Vectors[1].in)
	var k Key
	dst := bytes.Clone(in)
	k.Encrypt(dst, dst)
	if !bytes.Equal(dst, make([]byte, BlockSize)) {
		t.Errorf("zero Key: Encrypt wrote %x, want zeros", dst)
	}
}

func TestShortSlices(t *testing.T) {
	paths(t, func(t *testing.T) {
		var k Key
		if err := k.Init(unhex(t, fips197Vectors[1].key)); err != nil {
			t.Fatal(err)
		}
		full := unhex(t, fips197Vectors[1].in)
		for _, n := range []int{0, 1, 15} {
			// Short src: dst is zeroed, never left holding stale data.
			dst := bytes.Repeat([]byte{0xff}, BlockSize)
			src := bytes.Clone(full[:n])
			k.Encrypt(dst, src)
			if !bytes.Equal(dst, make([]byte, BlockSize)) {
				t.Errorf("src %d bytes: dst = %x, want zeros", n, dst)
			}
			if !bytes.Equal(src, full[:n]) {
				t.Errorf("src %d bytes: src modified", n)
			}
			// Short dst: what there is of it is zeroed, nothing beyond it.
			backing := bytes.Repeat([]byte{0xff}, BlockSize)
			k.Encrypt(backing[:n], full)
			if !bytes.Equal(backing[:n], make([]byte, n)) || !bytes.Equal(backing[n:], bytes.Repeat([]byte{0xff}, BlockSize-n)) {
				t.Errorf("dst %d bytes: backing array = %x", n, backing)
			}
		}
		k.Encrypt(nil, nil) // must not panic
	})
}

func TestWipe(t *testing.T) {
	paths(t, func(t *testing.T) {
		for _, tc := range fips197Vectors {
			var k Key
			if err := k.Init(unhex(t, tc.key)); err != nil {
				t.Fatal(err)
			}
			k.Wipe()
			if k != (Key{}) {
				t.Fatalf("%s: Wipe left %+v", tc.name, k)
			}
			dst := unhex(t, tc.in)
			k.Encrypt(dst, dst)
			if !bytes.Equal(dst, make([]byte, BlockSize)) {
				t.Errorf("%s: Encrypt after Wipe wrote %x, want zeros", tc.name, dst)
			}
			// The Key can be used again.
			if err := k.Init(unhex(t, tc.key)); err != nil {
				t.Fatal(err)
			}
			dst = unhex(t, tc.in)
			k.Encrypt(dst, dst)
			if !bytes.Equal(dst, unhex(t, tc.out)) {
				t.Errorf("%s: after Wipe and Init: %x, want %s", tc.name, dst, tc.out)
			}
		}
	})
}

// TestReinit moves one Key through every size and both paths: each Init
// replaces the whole previous key, including longer schedules' tails.
func TestReinit(t *testing.T) {
	order := []int{3, 1, 2, 0, 3, 2, 1}
	var k Key
	for step, i := range order {
		tc := fips197Vectors[i]
		forceFallback = hasAESNI && step%2 == 1
		err := k.Init(unhex(t, tc.key))
		forceFallback = false
		if err != nil {
			t.Fatal(err)
		}
		if k.rounds != 0 {
			if tail := k.enc[(k.rounds+1)*BlockSize:]; !bytes.Equal(tail, make([]byte, len(tail))) {
				t.Errorf("step %d %s: stale round keys after the schedule", step, tc.name)
			}
		} else if k.enc != ([maxScheduleLen]byte{}) {
			t.Errorf("step %d %s: fallback left AES-NI round keys behind", step, tc.name)
		}
		dst := make([]byte, BlockSize)
		k.Encrypt(dst, unhex(t, tc.in))
		if !bytes.Equal(dst, unhex(t, tc.out)) {
			t.Errorf("step %d %s: %x, want %s", step, tc.name, dst, tc.out)
		}
	}
}

// TestCopy checks that a copied Key holds the same key as the original.
func TestCopy(t *testing.T) {
	paths(t, func(t *testing.T) {
		tc := fips197Vectors[3]
		var k Key
		if err := k.Init(unhex(t, tc.key)); err != nil {
			t.Fatal(err)
		}
		c := k
		k.Wipe()
		dst := make([]byte, BlockSize)
		c.Encrypt(dst, unhex(t, tc.in))
		if !bytes.Equal(dst, unhex(t, tc.out)) {
			t.Errorf("copy: %x, want %s", dst, tc.out)
		}
	})
}

// TestConcurrentEncrypt shares one Key between goroutines (run with -race).
func TestConcurrentEncrypt(t *testing.T) {
	paths(t, func(t *testing.T) {
		var k Key
		if err := k.Init(unhex(t, fips197Vectors[2].key)); err != nil {
			t.Fatal(err)
		}
		ref, err := aes.NewCipher(unhex(t, fips197Vectors[2].key))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan string, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var in, got, want [BlockSize]byte
				for i := range 500 {
					in[0], in[1], in[15] = byte(g), byte(i), byte(i>>8)
					k.Encrypt(got[:], in[:])
					ref.Encrypt(want[:], in[:])
					if got != want {
						errs <- "goroutine result differs from crypto/aes"
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	})
}

// TestAllocs checks the point of the package: on the AES-NI path Init and
// Encrypt of a local Key allocate nothing.
func TestAllocs(t *testing.T) {
	if !Accelerated() {
		t.Skip("allocation-free on the AES-NI path only")
	}
	for _, tc := range fips197Vectors {
		key, in := unhex(t, tc.key), unhex(t, tc.in)
		var out [BlockSize]byte
		n := testing.AllocsPerRun(100, func() {
			var k Key
			if err := k.Init(key); err != nil {
				panic(err)
			}
			k.Encrypt(out[:], in)
			k.Encrypt(out[:], out[:])
			k.Wipe()
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per Init+Encrypt, want 0", tc.name, n)
		}
	}
}

// TestFallbackAllocs checks that the fallback allocates in Init only, not
// per block.
func TestFallbackAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under -race")
	}
	forceFallback = true
	defer func() { forceFallback = false }()
	var k Key
	if err := k.Init(unhex(t, fips197Vectors[1].key)); err != nil {
		t.Fatal(err)
	}
	var buf [BlockSize]byte
	n := testing.AllocsPerRun(100, func() { k.Encrypt(buf[:], buf[:]) })
	if n != 0 {
		t.Errorf("fallback Encrypt: %v allocations, want 0", n)
	}
}

// TestCPUID compares cpuHasAES with the kernel's view of the CPU on
// linux/amd64.
func TestCPUID(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("needs /proc/cpuinfo on amd64")
	}
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skip(err)
	}
	var flags []string
	for line := range strings.SplitSeq(string(info), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "flags" {
			flags = strings.Fields(value)
			break
		}
	}
	if flags == nil {
		t.Skip("no flags line in /proc/cpuinfo")
	}
	kernel := false
	for _, f := range flags {
		if f == "aes" {
			kernel = true
		}
	}
	if purego {
		if hasAESNI {
			t.Error("hasAESNI with the purego tag")
		}
		return
	}
	if hasAESNI != kernel {
		t.Errorf("CPUID AES bit = %v, /proc/cpuinfo aes flag = %v", hasAESNI, kernel)
	}
}
