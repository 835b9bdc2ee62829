package dea

import (
	"bytes"
	"math/bits"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// A literal, bit-by-bit reading of FIPS 46-3, straight from the tables in
// tables.go: the reference against which the fast paths are checked.

// refSchedule returns the 16 round keys K1..K16 (48 bits each).
func refSchedule(key uint64) [16]uint64 {
	cd := permute(key, 64, pc1Table[:])
	c, d := cd>>28, cd&(1<<28-1)
	var ks [16]uint64
	for i, s := range shifts {
		c = (c<<s | c>>(28-s)) & (1<<28 - 1)
		d = (d<<s | d>>(28-s)) & (1<<28 - 1)
		ks[i] = permute(c<<28|d, 56, pc2Table[:])
	}
	return ks
}

// refF is the cipher function f(R, K).
func refF(r, k uint64) uint64 {
	x := permute(r, 32, eTable[:]) ^ k
	var s uint64
	for g := range 8 {
		six := x >> (42 - 6*g) & 63
		s = s<<4 | uint64(sBoxes[g][six>>4&2|six&1][six>>1&15])
	}
	return permute(s, 32, pTable[:])
}

func refCrypt(key, block uint64, decrypt bool) uint64 {
	ks := refSchedule(key)
	x := permute(block, 64, ipTable[:])
	l, r := x>>32, x&0xffffffff
	for i := range 16 {
		k := ks[i]
		if decrypt {
			k = ks[15-i]
		}
		l, r = r, l^refF(r, k)
	}
	return permute(r<<32|l, 64, fpTable[:])
}

// TestPermutations checks the swap networks ip, fp and pc1 against the
// FIPS 46-3 tables. They move bits without combining them, so agreement on
// the 64 single-bit inputs proves agreement on every input; random inputs
// are checked as well.
func TestPermutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	inputs := make([]uint64, 0, 64+1000)
	for i := range 64 {
		inputs = append(inputs, 1<<i)
	}
	for range 1000 {
		inputs = append(inputs, rng.Uint64())
	}
	for _, x := range inputs {
		if got, want := ip(x), permute(x, 64, ipTable[:]); got != want {
			t.Fatalf("ip(%016x) = %016x, table says %016x", x, got, want)
		}
		if got, want := fp(x), permute(x, 64, fpTable[:]); got != want {
			t.Fatalf("fp(%016x) = %016x, table says %016x", x, got, want)
		}
		if fp(ip(x)) != x {
			t.Fatalf("fp(ip(%016x)) != x", x)
		}
		c, d := pc1(bits.ReverseBytes64(x))
		if got, want := uint64(c)<<28|uint64(d), permute(x, 64, pc1Table[:]); got != want {
			t.Fatalf("pc1(%016x) = %014x, table says %014x", x, got, want)
		}
		l, r := split(x)
		if join(l, r) != x {
			t.Fatalf("join(split(%016x)) != x", x)
		}
	}
	// The standard prints IP⁻¹ as its own table: check that it is IP's inverse.
	for i, p := range ipTable {
		if int(fpTable[p-1]) != i+1 {
			t.Fatalf("fpTable is not the inverse of ipTable at %d", i+1)
		}
	}
}

// TestSchedule checks the table-driven key schedule against the literal one.
func TestSchedule(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 2000 {
		key := rng.Uint64()
		if n < 64 {
			key = 1 << n
		}
		var k Key
		k.SetUint64(key)
		want := refSchedule(key)
		for i := range 16 {
			if got := k.sub[i]; got != pack(want[i]) {
				t.Fatalf("key %016x round %d: %016x, want %016x", key, i+1, got, pack(want[i]))
			}
		}
	}
}

// TestReference checks the fast cipher against the literal one, and so the
// derived S-box/P tables and the E-expansion by rotation against the
// standard's S, P and E tables.
func TestReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		key, x := rng.Uint64(), rng.Uint64()
		var k Key
		k.SetUint64(key)
		if got, want := k.Encrypt(x), refCrypt(key, x, false); got != want {
			t.Fatalf("Encrypt key %016x block %016x = %016x, reference %016x", key, x, got, want)
		}
		if got, want := k.Decrypt(x), refCrypt(key, x, true); got != want {
			t.Fatalf("Decrypt key %016x block %016x = %016x, reference %016x", key, x, got, want)
		}
	}
	// The reference itself meets FIPS 81's example.
	if got := refCrypt(0x0123456789abcdef, 0x4e6f772069732074, false); got != 0x3fa40e8a984d4815 {
		t.Fatalf("reference: %016x", got)
	}
}

// TestGeneratedRounds checks that rounds.go is what gen_rounds.go writes.
func TestGeneratedRounds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out := filepath.Join(t.TempDir(), "rounds.out") // not *.go: go run would compile it
	if msg, err := exec.Command(goCmd, "run", "gen_rounds.go", out).CombinedOutput(); err != nil {
		t.Fatalf("go run gen_rounds.go: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("rounds.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("rounds.go is stale: run go generate")
	}
}
