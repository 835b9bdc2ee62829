// Package fipstest runs a package's FIPS 140-only checks in a child
// process, for tests: GODEBUG=fips140=only must be set when a program
// starts, so a test re-executes its own binary with it.
package fipstest

import (
	"crypto/fips140"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// childEnv marks the child process, so that it does not start another.
const childEnv = "POSKIT_FIPS_CHILD"

// RunOnly runs the test named run (an exact name, without anchors) of the
// current test binary under GODEBUG=fips140=only, with the extra
// environment variables env ("NAME=value"), and fails t unless the child
// passes and prints marker. It skips when the test already runs in FIPS
// 140-only mode or in the child, under -short, and in a purego build,
// which FIPS 140-3 mode refuses to start.
func RunOnly(t *testing.T, run, marker string, env ...string) {
	t.Helper()
	if fips140.Enforced() || os.Getenv(childEnv) != "" {
		t.Skip("already in FIPS 140-only mode")
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+run+"$", "-test.v")
	cmd.Env = append(append(os.Environ(), "GODEBUG=fips140=only", childEnv+"=1"), env...)
	out, err := cmd.CombinedOutput()
	if strings.Contains(string(out), "incompatible with the purego build tag") {
		t.Skip("FIPS 140-3 mode does not start in a purego build")
	}
	if err != nil || !strings.Contains(string(out), marker) {
		t.Fatalf("child under fips140=only: %v\n%s", err, out)
	}
}
