package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poskit/poskit/keyblock"
)

// TR-31:2018 A.7.4 (version D) and A.7.3.2 (version B with KS); see
// keyblock/vectors_test.go.
const (
	kbD     = "D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34"
	kbpkD   = "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6"
	keyD    = "3F419E1CB7079442AA37474C2EFBF8B8"
	kbB     = "B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627"
	kbpkB   = "1D22BF32387C600AD97F9B97A51311AC"
	unwrapD = "version        D (AES, key derivation binding)\nlength         112\nkey usage      P0\nalgorithm      A\nmode of use    E\nkey version    00\nexportability  E\nkey context    0\n"
)

func TestKeyBlock(t *testing.T) {
	dir := t.TempDir()
	kbpkFile := filepath.Join(dir, "kbpk")
	if err := os.WriteFile(kbpkFile, []byte(kbpkD+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("POSKIT_TEST_KBPK", kbpkB)
	runCases(t, []cmdCase{
		{name: "inspect", args: []string{"keyblock", "inspect", kbB},
			stdout: "version        B (TDES, key derivation binding)\nlength         104\nkey usage      B0\nalgorithm      T\nmode of use    X\nkey version    12\nexportability  S\nkey context    0\nblock KS       00604B120F9292800000\n"},
		{name: "inspect stdin", args: []string{"keyblock", "inspect"}, stdin: kbB[:50] + "\n" + kbB[50:] + "\n",
			stdout: "version        B (TDES, key derivation binding)\nlength         104\nkey usage      B0\nalgorithm      T\nmode of use    X\nkey version    12\nexportability  S\nkey context    0\nblock KS       00604B120F9292800000\n"},
		{name: "unwrap masked", args: []string{"keyblock", "unwrap", "-kbpk", kbpkD, kbD},
			stdout: unwrapD + "key            16 bytes (masked; -unmask shows it)\nKCV            08793E25AB\n"},
		{name: "unwrap unmask file", args: []string{"keyblock", "unwrap", "-kbpk-file", kbpkFile, "-unmask", kbD},
			stdout: unwrapD + "key            " + keyD + "\nKCV            08793E25AB\n"},
		{name: "unwrap stdin kbpk", args: []string{"keyblock", "unwrap", "-kbpk", "-", kbD}, stdin: kbpkD + "\n",
			stdout: unwrapD + "key            16 bytes (masked; -unmask shows it)\nKCV            08793E25AB\n"},
		{name: "unwrap env json", args: []string{"keyblock", "unwrap", "-kbpk-env", "POSKIT_TEST_KBPK", "-json", kbB},
			stdout: "{\n  \"version\": \"B\",\n  \"length\": 104,\n  \"key_usage\": \"B0\",\n  \"algorithm\": \"T\",\n  \"mode_of_use\": \"X\",\n  \"key_version\": \"12\",\n  \"exportability\": \"S\",\n  \"key_context\": \"0\",\n  \"optional_blocks\": [\n    {\n      \"id\": \"KS\",\n      \"data\": \"00604B120F9292800000\"\n    }\n  ],\n  \"key_length\": 16,\n  \"key\": \"16 bytes (masked; -unmask shows it)\",\n  \"kcv\": \"9A4212\"\n}\n"},
		// errors
		{name: "wrong kbpk", args: []string{"keyblock", "unwrap", "-kbpk", kbpkB, kbB[:len(kbB)-1] + "8"}, code: 1, errHas: "MAC does not verify"},
		{name: "no kbpk", args: []string{"keyblock", "unwrap", kbD}, code: 2, errHas: "missing -kbpk"},
		{name: "both stdin", args: []string{"keyblock", "unwrap", "-kbpk", "-"}, code: 2, errHas: "give the key block as an argument"},
		{name: "inspect malformed", args: []string{"keyblock", "inspect", "B0016P0TE00N01"}, code: 1, errHas: "malformed key block"},
		{name: "wrap header", args: []string{"keyblock", "wrap", "-kbpk", kbpkD, "-key", keyD, "-header", "D0000"}, code: 2, errHas: "-header"},
		{name: "wrap A refused", args: []string{"keyblock", "wrap", "-kbpk", kbpkB, "-key", keyD, "-header", "A0000P0TE00E0000"}, code: 1, errHas: "deprecated"},
		{name: "wrap opt", args: []string{"keyblock", "wrap", "-kbpk", kbpkB, "-key", keyD, "-header", "B0000P0TE00E0000", "-opt", "K=1"}, code: 2},
		{name: "wrap two stdin", args: []string{"keyblock", "wrap", "-kbpk", "-", "-key", "-", "-header", "B0000P0TE00E0000"}, code: 2, errHas: "only one"},
		{name: "unknown verb", args: []string{"keyblock", "open"}, code: 2, errHas: "unknown verb"},
	})
}

// wrap's output unwraps, with the optional blocks and computed check value;
// -legacy writes version C.
func TestKeyBlockWrap(t *testing.T) {
	r := poskit(t, keyD, "keyblock", "wrap", "-kbpk", kbpkD, "-key", "-", "-header", "D0000B1AX00N0000", "-opt", "IK=1234567890123456", "-opt", "KC=01")
	if r.code != 0 {
		t.Fatalf("wrap: %+v", r)
	}
	h, key, err := keyblock.Unwrap(unhexT(t, kbpkD), strings.TrimSpace(r.stdout))
	if err != nil || upperHex(key) != keyD {
		t.Fatalf("unwrap of wrap output: %v", err)
	}
	if kc, _ := h.Find("KC"); kc != "0108793E25AB" || h.Usage != "B1" {
		t.Errorf("header %v, KC %q", h, kc)
	}
	r = poskit(t, "", "keyblock", "wrap", "-legacy", "-kbpk", kbpkB, "-key", keyD, "-header", "C0000P0TE00E0000")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "C0072P0TE00E0000") {
		t.Fatalf("legacy wrap: %+v", r)
	}
	if _, _, err := keyblock.Unwrap(unhexT(t, kbpkB), strings.TrimSpace(r.stdout)); err != nil {
		t.Fatalf("legacy unwrap: %v", err)
	}
}

// No output or error of keyblock shows the key unless -unmask is given.
func TestKeyBlockMasks(t *testing.T) {
	for _, args := range [][]string{
		{"keyblock", "unwrap", "-kbpk", kbpkD, kbD},
		{"keyblock", "unwrap", "-kbpk", kbpkD, "-json", kbD},
		{"keyblock", "unwrap", "-kbpk", kbpkD, kbD[:len(kbD)-1] + "0"},
		{"keyblock", "wrap", "-kbpk", kbpkD, "-key", keyD + "00", "-header", "D0000P0AE00E0000"},
		{"keyblock", "wrap", "-kbpk", kbpkD + "0", "-key", keyD, "-header", "D0000P0AE00E0000"},
	} {
		r := poskit(t, "", args...)
		if strings.Contains(r.stdout+r.stderr, keyD) || strings.Contains(r.stdout+r.stderr, kbpkD[:16]) {
			t.Errorf("%v shows a key: %+v", args, r)
		}
	}
}

func unhexT(t *testing.T, s string) []byte {
	t.Helper()
	b, err := parseHex("test", s, true)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKeyBlockHelp(t *testing.T) {
	for _, verb := range []string{"wrap", "unwrap", "inspect"} {
		r := poskit(t, "", "keyblock", verb, "-h")
		if r.code != 0 || !strings.Contains(r.stdout, "usage: poskit keyblock "+verb) || !strings.Contains(r.stdout, "example:") {
			t.Errorf("keyblock %s -h: %+v", verb, r)
		}
	}
	if r := poskit(t, "", "keyblock", "-h"); r.code != 0 || !strings.Contains(r.stdout, "usage: poskit keyblock") ||
		!strings.Contains(r.stdout, "inspect") || !strings.Contains(r.stdout, "unwrap") {
		t.Errorf("keyblock -h: %+v", r)
	}
}
