package terminal_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	connection "github.com/moov-io/iso8583-connection"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
	"github.com/poskit/poskit/terminal/boltstore"
)

// The crash test re-executes the test binary as a terminal process. In
// the child, TestMain runs the terminal and exits; it never runs the
// tests.
func TestMain(m *testing.M) {
	if os.Getenv("POSKIT_CRASH_CHILD") != "" {
		os.Exit(crashChild())
	}
	os.Exit(m.Run())
}

// crashChild runs one phase of the terminal over the bolt store:
//
//	phase "sale":    one sale (the first may have its answer lost by the host)
//	phase "flush":   deliver the queue (after a sale whose answer was lost)
//	phase "recover": deliver the queue, one more sale, print the totals
//
// It kills itself with SIGKILL at POSKIT_CRASH_POINT (no deferred
// function, no buffered write survives).
func crashChild() int {
	dir, addr, target, phase := os.Getenv("POSKIT_CRASH_DIR"), os.Getenv("POSKIT_CRASH_ADDR"), os.Getenv("POSKIT_CRASH_POINT"), os.Getenv("POSKIT_CRASH_CHILD")
	terminal.SetCrashPoint(func(step string) {
		if step == target {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	})
	store, err := boltstore.Open(filepath.Join(dir, "terminal.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	link, err := newTestLink(addr, 300*time.Millisecond)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	pos, err := terminal.Open(terminal.Config{Terminal: testTerm("10000019", iso8583.UnionPay), Store: store, Sender: link})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	switch phase {
	case "sale":
		fmt.Println(pos.Sale(card, 7600).Status)
	case "flush":
		fmt.Println(pos.Flush())
	case "download":
		out := pos.SignOn()
		_, err := pos.Downloads()
		fmt.Println(out.Status, err)
	case "download-check":
		due, _ := pos.Downloads()
		fmt.Printf("keys %d AIDs %d hot %d due %d\n", pos.CAKeys().Len(), len(pos.AIDs()), pos.HotList().Version(), len(due))
	case "recover":
		if err := pos.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		if out := pos.Sale(card, 1000); out.Status != terminal.Approved {
			fmt.Fprintln(os.Stderr, out)
			return 3
		}
		b, _ := json.Marshal(pos.Totals())
		fmt.Printf("totals %s\n", b)
	}
	_ = link.Close()
	_ = pos.Close()
	return 0
}

// A terminal process killed between every pair of steps of a request
// (write reversal -> send -> receive -> clear) and of a queued reversal's
// delivery loses nothing and reverses nothing twice: after a restart the
// host's books equal the terminal's journal, and no original saw two
// first-send reversals (0400).
func TestCrashBetweenSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	points := []struct {
		point string
		flush bool // crash while delivering a queued reversal
	}{
		{"armed", false},         // reversal written, request not sent
		{"host-received", false}, // request sent and booked, answer not read
		{"answered", false},      // answer read, reversal not cleared
		{"cleared", false},       // cleared and journaled, not returned
		{"queue-armed", true},    // attempt counted, reversal not sent
		{"host-reversal", true},  // reversal applied by the host, 0410 not read
		{"queue-answered", true}, // 0410 read, record not removed
		{"queue-cleared", true},  // record removed
		{"none", false},          // no crash at all
	}
	for _, pt := range points {
		t.Run(pt.point, func(t *testing.T) {
			rig := newCrashRig(t, exe, pt.point, pt.flush)
			if pt.flush {
				if out, err := rig.run("sale", ""); err != nil || !strings.Contains(out, "reversal pending") {
					t.Fatalf("sale phase: %v %s", err, out)
				}
				if out, err := rig.run("flush", pt.point); !wasKilled(err) && pt.point != "none" {
					t.Fatalf("flush phase was not killed: %v %s", err, out)
				}
			} else if out, err := rig.run("sale", pt.point); !wasKilled(err) && pt.point != "none" {
				t.Fatalf("sale phase was not killed: %v %s", err, out)
			}
			rig.recoverAndCheck()
		})
	}
}

// A terminal killed just before and just after the download set is
// written finds, after a restart, either the old set (none here, so all
// downloads still due) or the whole new one, never a part; the next
// sign-on completes what is due.
func TestCrashDuringDownload(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const none, full = "keys 0 AIDs 0 hot 0 due 4", "keys 2 AIDs 2 hot 5 due 0"
	for _, c := range []struct{ point, after string }{{"download-write", none}, {"download-written", full}} {
		t.Run(c.point, func(t *testing.T) {
			rig := newCrashRig(t, exe, c.point, false)
			serveDownloads(t, rig.h, 2, 5)
			if out, err := rig.run("download", c.point); !wasKilled(err) {
				t.Fatalf("download was not killed: %v %s", err, out)
			}
			if out, err := rig.run("download-check", ""); err != nil || !strings.Contains(out, c.after) {
				t.Fatalf("after the kill: %v %q, want %q", err, out, c.after)
			}
			if out, err := rig.run("download", ""); err != nil || !strings.Contains(out, "approved <nil>") {
				t.Fatalf("second download: %v %s", err, out)
			}
			if out, err := rig.run("download-check", ""); err != nil || !strings.Contains(out, full) {
				t.Fatalf("after the second download: %v %q", err, out)
			}
		})
	}
}

// crashRig is one crash case: a host on loopback and the terminal
// processes run against it one after another.
type crashRig struct {
	t      *testing.T
	exe    string
	dir    string
	h      *testHost
	nh     *netHost
	mu     sync.Mutex
	child  *exec.Cmd
	killed bool
}

func newCrashRig(t *testing.T, exe, point string, flush bool) *crashRig {
	r := &crashRig{t: t, exe: exe, dir: t.TempDir(), h: newTestHost()}
	r.nh = startNetHost(t, r.h)
	r.nh.setBefore(func(c *connection.Connection, req *iso8583.Transaction) bool {
		switch {
		case flush && req.MTI == "0200" && req.STAN == "000001":
			_, _ = r.h.handle(req) // booked, answer lost
			return false
		case point == "host-received" && req.MTI == "0200" && req.STAN == "000001",
			point == "host-reversal" && req.MTI[:2] == "04":
			return !r.kill(func() { _, _ = r.h.handle(req) })
		}
		return true
	})
	return r
}

// kill books the request and kills the running child, once: the host
// side of the crash points.
func (r *crashRig) kill(book func()) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.killed {
		return false
	}
	r.killed = true
	book()
	_ = r.child.Process.Kill()
	return true
}

// run runs one phase of the terminal in a child process.
func (r *crashRig) run(phase, point string) (string, error) {
	var out strings.Builder
	r.mu.Lock()
	r.child = exec.Command(r.exe, "-test.run=^$")
	r.child.Env = append(os.Environ(), "POSKIT_CRASH_CHILD="+phase, "POSKIT_CRASH_DIR="+r.dir,
		"POSKIT_CRASH_ADDR="+r.nh.srv.Addr, "POSKIT_CRASH_POINT="+point)
	r.child.Stdout, r.child.Stderr = &out, &out
	err := r.child.Start()
	cmd := r.child
	r.mu.Unlock()
	if err != nil {
		r.t.Fatal(err)
	}
	err = cmd.Wait()
	return out.String(), err
}

// recoverAndCheck restarts the terminal, lets it deliver its queue and
// make one more sale, and compares its totals with the host's books.
func (r *crashRig) recoverAndCheck() {
	t := r.t
	out, err := r.run("recover", "")
	if err != nil {
		t.Fatalf("recover: %v %s", err, out)
	}
	var tt iso8583.Totals
	i := strings.Index(out, "totals ")
	if i < 0 || json.Unmarshal([]byte(strings.TrimSpace(out[i+7:])), &tt) != nil {
		t.Fatalf("recover output %q", out)
	}
	if host := r.h.totals("10000019"); tt != host {
		t.Errorf("terminal %+v, host %+v", tt, host)
	}
	if n := r.h.doubleReversals(); n != 0 {
		t.Errorf("%d originals got two 0400", n)
	}
	// the first sale is either booked on both sides or reversed on the host
	r.h.mu.Lock()
	b := r.h.books["10000019/000001"]
	lost := b != nil && b.booked && !b.reversed && tt.DebitCount != 2
	r.h.mu.Unlock()
	if lost {
		t.Errorf("booked sale missing from the journal: %+v", tt)
	}
}

func wasKilled(err error) bool {
	ee, ok := err.(*exec.ExitError)
	if !ok {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}
