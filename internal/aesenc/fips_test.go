package aesenc

import (
	"bytes"
	"crypto/fips140"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// In FIPS 140-3 mode every key goes through crypto/aes, Go's validated
// module, and the results do not change. The test re-runs itself with
// GODEBUG=fips140=on.
func TestFIPSModeUsesStandardLibrary(t *testing.T) {
	if os.Getenv("AESENC_FIPS_CHILD") == "1" {
		if !fips140.Enabled() {
			t.Skip("FIPS 140-3 mode did not take effect")
		}
		if Accelerated() {
			t.Fatal("Accelerated in FIPS 140-3 mode")
		}
		for _, tc := range fips197Vectors {
			var k Key
			if err := k.Init(unhex(t, tc.key)); err != nil {
				t.Fatal(err)
			}
			if k.block == nil || k.rounds != 0 {
				t.Fatalf("%s: own schedule built in FIPS 140-3 mode", tc.name)
			}
			out := make([]byte, BlockSize)
			k.Encrypt(out, unhex(t, tc.in))
			if !bytes.Equal(out, unhex(t, tc.out)) {
				t.Errorf("%s: %x", tc.name, out)
			}
		}
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	if purego {
		t.Skip("FIPS 140-3 mode is incompatible with the purego build tag")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFIPSModeUsesStandardLibrary$", "-test.v")
	cmd.Env = append(os.Environ(), "AESENC_FIPS_CHILD=1", "GODEBUG=fips140=on")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "--- SKIP") {
		t.Skipf("FIPS 140-3 mode unavailable here:\n%s", out)
	}
	if !strings.Contains(string(out), "--- PASS: TestFIPSModeUsesStandardLibrary") {
		t.Fatalf("child did not run the test:\n%s", out)
	}
}
