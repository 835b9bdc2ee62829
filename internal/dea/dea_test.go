package dea

import (
	"bufio"
	"bytes"
	"crypto/des"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
)

func h64(t testing.TB, s string) uint64 {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 8 {
		t.Fatalf("bad hex block %q", s)
	}
	return binary.BigEndian.Uint64(b)
}

func hb(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q", s)
	}
	return b
}

func keyOf(t testing.TB, s string) *Key {
	var k Key
	k.SetUint64(h64(t, s))
	return &k
}

func edeOf(t testing.TB, s string) *EDE {
	var e EDE
	if !e.Init(hb(t, s)) {
		t.Fatalf("EDE.Init(%d bytes) = false", len(s)/2)
	}
	return &e
}

// blocker is what the ECB/CBC/MAC helpers below need of Key and EDE.
type blocker interface {
	Encrypt(uint64) uint64
	Decrypt(uint64) uint64
}

func ecb(b blocker, in []byte) []byte {
	out := make([]byte, len(in))
	for i := 0; i+8 <= len(in); i += 8 {
		binary.BigEndian.PutUint64(out[i:], b.Encrypt(binary.BigEndian.Uint64(in[i:])))
	}
	return out
}

func cbc(b blocker, iv uint64, in []byte) []byte {
	out := make([]byte, len(in))
	for i := 0; i+8 <= len(in); i += 8 {
		iv = b.Encrypt(iv ^ binary.BigEndian.Uint64(in[i:]))
		binary.BigEndian.PutUint64(out[i:], iv)
	}
	return out
}

// zeroPad pads with zeros to a multiple of 8 (ISO 9797-1 padding method 1).
func zeroPad(b []byte) []byte {
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	return b
}

// cbcMAC is ISO 9797-1 MAC algorithm 1 over already padded data.
func cbcMAC(b blocker, data []byte) uint64 {
	var v uint64
	for i := 0; i+8 <= len(data); i += 8 {
		v = b.Encrypt(v ^ binary.BigEndian.Uint64(data[i:]))
	}
	return v
}

// FIPS PUB 81 (DES Modes of Operation), Appendix B, tables B1 (ECB) and C1
// (CBC): key 0123456789ABCDEF, plaintext "Now is the time for all ", CBC
// initialisation vector 1234567890ABCDEF.
func TestFIPS81(t *testing.T) {
	k := keyOf(t, "0123456789ABCDEF")
	pt := []byte("Now is the time for all ")
	if got, want := ecb(k, pt), hb(t, "3FA40E8A984D4815 6A271787AB8883F9 893D51EC4B563B53"); !bytes.Equal(got, want) {
		t.Errorf("ECB = %X, want %X", got, want)
	}
	if got, want := cbc(k, 0x1234567890ABCDEF, pt), hb(t, "E5C7CDDE872BF27C 43E934008C389C0F 683788499A7C05F6"); !bytes.Equal(got, want) {
		t.Errorf("CBC = %X, want %X", got, want)
	}
	var b [8]byte
	copy(b[:], pt)
	k.EncryptBlock(&b, &b)
	if binary.BigEndian.Uint64(b[:]) != 0x3FA40E8A984D4815 {
		t.Errorf("EncryptBlock = %X", b)
	}
	k.DecryptBlock(&b, &b)
	if string(b[:]) != "Now is t" {
		t.Errorf("DecryptBlock = %q", b)
	}
	var kb [8]byte
	binary.BigEndian.PutUint64(kb[:], 0x0123456789ABCDEF)
	var k2 Key
	k2.Init(&kb)
	if k2 != *k {
		t.Error("Init and SetUint64 give different schedules")
	}
}

// NIST SP 800-20 Appendix A (the NBS SP 500-20 tests): variable plaintext,
// inverse permutation, variable key, permutation operation and substitution
// table known answers; see testdata/sp800-20.txt.
func TestSP80020(t *testing.T) {
	f, err := os.Open("testdata/sp800-20.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	count := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 4 {
			t.Fatalf("bad line %q", line)
		}
		key, pt, ct := h64(t, fs[1]), h64(t, fs[2]), h64(t, fs[3])
		var k Key
		k.SetUint64(key)
		if got := k.Encrypt(pt); got != ct {
			t.Errorf("%s key %s: Encrypt(%s) = %016X, want %s", fs[0], fs[1], fs[2], got, fs[3])
		}
		if got := k.Decrypt(ct); got != pt {
			t.Errorf("%s key %s: Decrypt(%s) = %016X, want %s", fs[0], fs[1], fs[3], got, fs[2])
		}
		// The same test through TDEA with K1 = K2 = K3, as SP 800-20 runs it.
		var e EDE
		e.SetKeys(key, key, key)
		if got := e.Encrypt(pt); got != ct {
			t.Errorf("%s key %s: EDE.Encrypt(%s) = %016X, want %s", fs[0], fs[1], fs[2], got, fs[3])
		}
		if got := e.Decrypt(ct); got != pt {
			t.Errorf("%s key %s: EDE.Decrypt(%s) = %016X, want %s", fs[0], fs[1], fs[3], got, fs[2])
		}
		count[fs[0]]++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	// Every entry of the four tables is there.
	for table, n := range map[string]int{"A.1": 64, "A.2": 56, "A.3": 32, "A.4": 19} {
		if count[table] != n {
			t.Errorf("table %s: %d vectors, want %d", table, count[table], n)
		}
	}
}

// NIST SP 800-67 Rev. 1, Appendix B.1: the TDEA ECB example. The plaintext
// is as printed, "The qufck brown fox jump" (the standard's hex of "The
// quick" has that typo, and its ciphertext follows the hex).
func TestSP80067(t *testing.T) {
	e := edeOf(t, "0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123")
	pt := []byte("The qufck brown fox jump")
	ct := hb(t, "A826FD8CE53B855F CCE21C8112256FE6 68D5C05DD9B6B900")
	if got := ecb(e, pt); !bytes.Equal(got, ct) {
		t.Errorf("Encrypt = %X, want %X", got, ct)
	}
	for i := 0; i < len(ct); i += 8 {
		if got := e.Decrypt(binary.BigEndian.Uint64(ct[i:])); got != binary.BigEndian.Uint64(pt[i:]) {
			t.Errorf("Decrypt block %d = %016X", i/8, got)
		}
	}
	var e2 EDE
	e2.SetKeys(0x0123456789ABCDEF, 0x23456789ABCDEF01, 0x456789ABCDEF0123)
	if e2 != *e {
		t.Error("SetKeys and Init give different schedules")
	}
}

// The TDES and DES values of docs/VECTORS.md (MACs, key check value),
// computed here with this package alone.
func TestVectorsMD(t *testing.T) {
	t.Run("FIPS113 X9.9 MAC", func(t *testing.T) {
		k := keyOf(t, "0123456789ABCDEF")
		if got := cbcMAC(k, zeroPad([]byte("7654321 Now is the time for "))); got != 0xF1D30F6849312CA4 {
			t.Errorf("MAC = %016X", got)
		}
	})
	t.Run("X9.19 retail MAC", func(t *testing.T) {
		key := hb(t, "7CA110454A1A6E570131D9619DC1376E")
		data := []byte("Hello World !!!!")
		k1 := keyOf(t, hex.EncodeToString(key[:8]))
		k2 := keyOf(t, hex.EncodeToString(key[8:]))
		v := cbcMAC(k1, data)
		if got := k1.Encrypt(k2.Decrypt(v)); got != 0xF09B856213BAB83B {
			t.Errorf("alg 3 = %016X", got)
		}
		if got := cbcMAC(edeOf(t, hex.EncodeToString(key)), data); got != 0x862304D33AF01096 {
			t.Errorf("alg 1 = %016X", got)
		}
	})
	t.Run("alg 1 padding method 2", func(t *testing.T) {
		e := edeOf(t, "0123456789ABCDEFFEDCBA9876543210")
		if got := cbcMAC(e, hb(t, "1234567890ABCDEF 8000000000000000")); got != 0x925B1737EF681AD3 {
			t.Errorf("MAC = %016X", got)
		}
	})
	t.Run("KCV", func(t *testing.T) {
		if got := edeOf(t, "0123456789ABCDEFFEDCBA9876543210").Encrypt(0); got>>40 != 0x08D7B4 {
			t.Errorf("KCV = %06X", got>>40)
		}
	})
}

// The ANSI X9.24-1:2009 Annex A.4 DUKPT values of docs/VECTORS.md, computed
// here with this package alone.
func TestVectorsMDDUKPT(t *testing.T) {
	t.Run("DUKPT IPEK", func(t *testing.T) {
		// IPEK = TDES(BDK, KSN with the counter cleared) ‖ TDES(BDK ⊕ C0C0C0C000000000C0C0C0C000000000, same).
		bdk := hb(t, "0123456789ABCDEFFEDCBA9876543210")
		ksn := h64(t, "FFFF9876543210E0")
		left := edeOf(t, hex.EncodeToString(bdk)).Encrypt(ksn)
		for _, i := range []int{0, 1, 2, 3, 8, 9, 10, 11} {
			bdk[i] ^= 0xC0
		}
		right := edeOf(t, hex.EncodeToString(bdk)).Encrypt(ksn)
		if left != 0x6AC292FAA1315B4D || right != 0x858AB3A3D7D5933A {
			t.Errorf("IPEK = %016X%016X", left, right)
		}
	})
	t.Run("DUKPT counter 1 key", func(t *testing.T) {
		// The non-reversible key generation process of X9.24-1 with single DES:
		// from the IPEK, shift register bit 1 set in the KSN's rightmost 64 bits.
		kl, kr := uint64(0x6AC292FAA1315B4D), uint64(0x858AB3A3D7D5933A)
		reg := uint64(0x9876543210E00001)
		var k Key
		nrkgp := func(kl, kr uint64) uint64 {
			k.SetUint64(kl)
			return k.Encrypt(reg^kr) ^ kr
		}
		right := nrkgp(kl, kr)
		left := nrkgp(kl^0xC0C0C0C000000000, kr^0xC0C0C0C000000000)
		if left != 0x042666B49184CFA3 || right != 0x68DE9628D0397BC9 {
			t.Errorf("transaction key = %016X%016X", left, right)
		}
	})
	t.Run("DUKPT PIN blocks", func(t *testing.T) {
		for _, v := range []struct{ key, ct string }{
			{"042666B49184CF5C68DE9628D0397B36", "1B9C1845EB993A7A"},
			{"C46551CEF9FD244FAA9AD834130D3B38", "10A01C8D02C69107"},
			{"0DF3D9422ACA561A47676D07AD6BAD05", "18DC07B94797B466"},
		} {
			e := edeOf(t, v.key)
			if got := e.Encrypt(0x041274EDCBA9876F); got != h64(t, v.ct) {
				t.Errorf("PIN key %s: %016X, want %s", v.key, got, v.ct)
			}
			if got := e.Decrypt(h64(t, v.ct)); got != 0x041274EDCBA9876F {
				t.Errorf("PIN key %s: decrypt %016X", v.key, got)
			}
		}
	})
	t.Run("DUKPT data encryption", func(t *testing.T) {
		e := edeOf(t, "448D3F076D8304036A55A3D7E0055A78")
		want := hb(t, "FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F")
		if got := cbc(e, 0, zeroPad([]byte("4012345678909D987"))); !bytes.Equal(got, want) {
			t.Errorf("TDES-CBC = %X", got)
		}
	})
}

// Differential test against crypto/des: random keys and blocks, single DES
// and TDES with 16- and 24-byte keys, both directions.
func TestCompareCryptoDES(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	rng := rand.New(rand.NewChaCha8([32]byte{'d', 'e', 'a'}))
	var key [24]byte
	var in, out [8]byte
	for range n {
		for i := 0; i < 24; i += 8 {
			binary.BigEndian.PutUint64(key[i:], rng.Uint64())
		}
		x := rng.Uint64()
		binary.BigEndian.PutUint64(in[:], x)

		var k Key
		k.Init((*[8]byte)(key[:8]))
		c, _ := des.NewCipher(key[:8])
		c.Encrypt(out[:], in[:])
		if got := k.Encrypt(x); got != binary.BigEndian.Uint64(out[:]) {
			t.Fatalf("DES key %X: Encrypt(%016X) = %016X, crypto/des %X", key[:8], x, got, out)
		}
		c.Decrypt(out[:], in[:])
		if got := k.Decrypt(x); got != binary.BigEndian.Uint64(out[:]) {
			t.Fatalf("DES key %X: Decrypt(%016X) = %016X, crypto/des %X", key[:8], x, got, out)
		}

		for _, size := range []int{16, 24} {
			var e EDE
			if !e.Init(key[:size]) {
				t.Fatalf("Init(%d bytes) = false", size)
			}
			full := key
			if size == 16 {
				copy(full[16:], key[:8])
			}
			c, _ := des.NewTripleDESCipher(full[:])
			c.Encrypt(out[:], in[:])
			if got := e.Encrypt(x); got != binary.BigEndian.Uint64(out[:]) {
				t.Fatalf("TDES key %X: Encrypt(%016X) = %016X, crypto/des %X", key[:size], x, got, out)
			}
			c.Decrypt(out[:], in[:])
			if got := e.Decrypt(x); got != binary.BigEndian.Uint64(out[:]) {
				t.Fatalf("TDES key %X: Decrypt(%016X) = %016X, crypto/des %X", key[:size], x, got, out)
			}
		}
	}
}

func TestEDEInitLength(t *testing.T) {
	var e EDE
	e.SetKeys(1, 2, 3)
	before := e
	for _, n := range []int{0, 1, 7, 8, 9, 15, 17, 23, 25, 32, 48} {
		if e.Init(make([]byte, n)) {
			t.Errorf("Init(%d bytes) = true", n)
		}
		if e != before {
			t.Errorf("Init(%d bytes) changed the schedule", n)
		}
	}
	if e.Init(nil) {
		t.Error("Init(nil) = true")
	}
	// A 16-byte key is the 24-byte key K1 K2 K1, and K1's schedule is shared.
	key := hb(t, "0123456789ABCDEFFEDCBA9876543210")
	var e16, e24 EDE
	e16.Init(key)
	e24.Init(append(append([]byte{}, key...), key[:8]...))
	if e16 != e24 {
		t.Error("16-byte key differs from K1 K2 K1")
	}
	if e16.k3 != e16.k1 {
		t.Error("K3 schedule is not K1's")
	}
}

// The key bytes are only read.
func TestInputsNotMutated(t *testing.T) {
	key := hb(t, "0123456789ABCDEFFEDCBA98765432100123456789ABCDEF")
	orig := bytes.Clone(key)
	var e EDE
	e.Init(key)
	e.Init(key[:16])
	var k Key
	k.Init((*[8]byte)(key[:8]))
	src := [8]byte{1, 2, 3, 4, 5, 6, 7, 8}
	var dst [8]byte
	k.EncryptBlock(&dst, &src)
	e.DecryptBlock(&dst, &src)
	if !bytes.Equal(key, orig) || src != [8]byte{1, 2, 3, 4, 5, 6, 7, 8} {
		t.Error("input mutated")
	}
}

func TestWipe(t *testing.T) {
	var zero Key
	zero.SetUint64(0)
	k := keyOf(t, "0123456789ABCDEF")
	k.Wipe()
	if *k != (Key{}) {
		t.Error("Key.Wipe left round keys")
	}
	if k.Encrypt(0x4E6F772069732074) != zero.Encrypt(0x4E6F772069732074) {
		t.Error("wiped Key is not the all-zero key")
	}
	e := edeOf(t, "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123")
	e.Wipe()
	if *e != (EDE{}) {
		t.Error("EDE.Wipe left round keys")
	}
}

// Parity bits are ignored: flipping the low bit of any key byte changes
// nothing.
func TestParityIgnored(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 200 {
		key := rng.Uint64()
		var a, b Key
		a.SetUint64(key)
		b.SetUint64(key ^ rng.Uint64()&0x0101010101010101)
		if a != b {
			t.Fatalf("key %016X: parity bits change the schedule", key)
		}
	}
}

// FIPS 74 (Guidelines for Implementing and Using the NBS DES), section 3.6:
// the four weak keys make encryption an involution; each semi-weak key's
// partner decrypts what it encrypts. They are accepted, as crypto/des does.
func TestWeakKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, w := range []string{"0101010101010101", "FEFEFEFEFEFEFEFE", "E0E0E0E0F1F1F1F1", "1F1F1F1F0E0E0E0E"} {
		k := keyOf(t, w)
		for range 10 {
			x := rng.Uint64()
			if k.Encrypt(k.Encrypt(x)) != x || k.Encrypt(x) != k.Decrypt(x) {
				t.Errorf("weak key %s: encryption is not an involution", w)
			}
		}
	}
	for _, p := range [][2]string{
		{"01FE01FE01FE01FE", "FE01FE01FE01FE01"},
		{"1FE01FE00EF10EF1", "E01FE01FF10EF10E"},
		{"01E001E001F101F1", "E001E001F101F101"},
		{"1FFE1FFE0EFE0EFE", "FE1FFE1FFE0EFE0E"},
		{"011F011F010E010E", "1F011F010E010E01"},
		{"E0FEE0FEF1FEF1FE", "FEE0FEE0FEF1FEF1"},
	} {
		a, b := keyOf(t, p[0]), keyOf(t, p[1])
		for range 10 {
			x := rng.Uint64()
			if b.Encrypt(a.Encrypt(x)) != x || a.Encrypt(b.Encrypt(x)) != x {
				t.Errorf("semi-weak pair %s/%s: E(k2, E(k1, x)) != x", p[0], p[1])
			}
		}
	}
}

// The complementation property of DES: E(¬k, ¬x) = ¬E(k, x).
func TestComplementation(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for range 500 {
		key, x := rng.Uint64(), rng.Uint64()
		var k, nk Key
		k.SetUint64(key)
		nk.SetUint64(^key)
		if nk.Encrypt(^x) != ^k.Encrypt(x) {
			t.Fatalf("key %016X block %016X: complementation property fails", key, x)
		}
	}
}

// Init, Encrypt and Decrypt of a local Key or EDE allocate nothing.
func TestNoAllocs(t *testing.T) {
	key := hb(t, "0123456789ABCDEFFEDCBA98765432100123456789ABCDEF")
	var sink uint64
	var blk [8]byte
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"Key", func() {
			var k Key
			k.Init((*[8]byte)(key[:8]))
			sink ^= k.Decrypt(k.Encrypt(sink))
			k.EncryptBlock(&blk, &blk)
			k.DecryptBlock(&blk, &blk)
			k.Wipe()
		}},
		{"Key.SetUint64", func() {
			var k Key
			k.SetUint64(sink)
			sink ^= k.Decrypt(k.Encrypt(sink))
		}},
		{"EDE16", func() {
			var e EDE
			e.Init(key[:16])
			sink ^= e.Decrypt(e.Encrypt(sink))
			e.EncryptBlock(&blk, &blk)
			e.DecryptBlock(&blk, &blk)
			e.Wipe()
		}},
		{"EDE24", func() {
			var e EDE
			e.Init(key)
			sink ^= e.Decrypt(e.Encrypt(sink))
		}},
		{"EDE.SetKeys", func() {
			var e EDE
			e.SetKeys(sink, 2, 3)
			sink ^= e.Decrypt(e.Encrypt(sink))
		}},
	} {
		if n := testing.AllocsPerRun(100, c.f); n != 0 {
			t.Errorf("%s: %v allocations per run", c.name, n)
		}
	}
}

// One Key and one EDE serve concurrent callers (run under -race).
func TestConcurrent(t *testing.T) {
	k := keyOf(t, "0123456789ABCDEF")
	e := edeOf(t, "0123456789ABCDEFFEDCBA9876543210")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				x := uint64(g)<<32 | uint64(i)
				if k.Decrypt(k.Encrypt(x)) != x || e.Decrypt(e.Encrypt(x)) != x {
					t.Error("round trip failed")
					return
				}
			}
		})
	}
	wg.Wait()
	if k.Encrypt(0x4E6F772069732074) != 0x3FA40E8A984D4815 {
		t.Error("schedule changed")
	}
}
