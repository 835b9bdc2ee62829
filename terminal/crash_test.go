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
			dir := t.TempDir()
			h := newTestHost()
			nh := startNetHost(t, h)
			var (
				mu     sync.Mutex
				child  *exec.Cmd
				killed bool
			)
			// kill books the request and kills the running child, once:
			// the host side of the crash points.
			kill := func(book func()) bool {
				mu.Lock()
				defer mu.Unlock()
				if killed {
					return false
				}
				killed = true
				book()
				_ = child.Process.Kill()
				return true
			}
			nh.setBefore(func(c *connection.Connection, req *iso8583.Transaction) bool {
				switch {
				case pt.flush && req.MTI == "0200" && req.STAN == "000001":
					_, _ = h.handle(req) // booked, answer lost
					return false
				case pt.point == "host-received" && req.MTI == "0200" && req.STAN == "000001",
					pt.point == "host-reversal" && req.MTI[:2] == "04":
					return !kill(func() { _, _ = h.handle(req) })
				}
				return true
			})
			run := func(phase, point string) (string, error) {
				var out strings.Builder
				mu.Lock()
				child = exec.Command(exe, "-test.run=^$")
				child.Env = append(os.Environ(), "POSKIT_CRASH_CHILD="+phase, "POSKIT_CRASH_DIR="+dir,
					"POSKIT_CRASH_ADDR="+nh.srv.Addr, "POSKIT_CRASH_POINT="+point)
				child.Stdout, child.Stderr = &out, &out
				err := child.Start()
				cmd := child
				mu.Unlock()
				if err != nil {
					t.Fatal(err)
				}
				err = cmd.Wait()
				return out.String(), err
			}
			if pt.flush {
				if out, err := run("sale", ""); err != nil || !strings.Contains(out, "reversal pending") {
					t.Fatalf("sale phase: %v %s", err, out)
				}
				out, err := run("flush", pt.point)
				if !wasKilled(err) && pt.point != "none" {
					t.Fatalf("flush phase was not killed: %v %s", err, out)
				}
			} else {
				out, err := run("sale", pt.point)
				if !wasKilled(err) && pt.point != "none" {
					t.Fatalf("sale phase was not killed: %v %s", err, out)
				}
			}
			out, err := run("recover", "")
			if err != nil {
				t.Fatalf("recover: %v %s", err, out)
			}
			var tt iso8583.Totals
			i := strings.Index(out, "totals ")
			if i < 0 || json.Unmarshal([]byte(strings.TrimSpace(out[i+7:])), &tt) != nil {
				t.Fatalf("recover output %q", out)
			}
			if host := h.totals("10000019"); tt != host {
				t.Errorf("terminal %+v, host %+v", tt, host)
			}
			if n := h.doubleReversals(); n != 0 {
				t.Errorf("%d originals got two 0400", n)
			}
			// the sale is either booked on both sides or reversed on the host
			b := h.books["10000019/000001"]
			if b != nil && b.booked && !b.reversed && tt.DebitCount != 2 {
				t.Errorf("booked sale missing from the journal: %+v", tt)
			}
		})
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
