package terminal_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

func testTerm(tid string, d iso8583.Dialect) *iso8583.Terminal {
	return &iso8583.Terminal{
		Dialect: d, TerminalID: tid, MerchantID: "850100082410002", AcquirerID: "48020000",
		Currency: "156", Batch: "000024", ReadCapability: "6",
		Now: func() time.Time { return time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC) },
	}
}

var card = iso8583.Card{PAN: "6224242900000113", Expiry: "2806"}

type fixture struct {
	host  *testHost
	store *terminal.MemStore
	pos   *terminal.POS
	now   time.Time
	cfg   terminal.Config
}

func newFixture(t *testing.T, d iso8583.Dialect) *fixture {
	t.Helper()
	f := &fixture{host: newTestHost(), store: terminal.NewMemStore(), now: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)}
	f.cfg = terminal.Config{Terminal: testTerm("10000019", d), Store: f.store, Sender: f.host, Now: func() time.Time { return f.now }}
	f.reopen(t)
	return f
}

// reopen starts a new POS on the same store: a restart.
func (f *fixture) reopen(t *testing.T) {
	t.Helper()
	pos, err := terminal.Open(f.cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.pos = pos
}

func (f *fixture) checkReconciled(t *testing.T) {
	t.Helper()
	if err := f.pos.Flush(); err != nil {
		t.Fatalf("flush: %v", err)
	}
	if mine, host := f.pos.Totals(), f.host.totals("10000019"); mine != host {
		t.Errorf("terminal %+v, host %+v", mine, host)
	}
	if n := f.host.doubleReversals(); n != 0 {
		t.Errorf("%d originals reversed twice", n)
	}
}

func TestApprovedAndDeclined(t *testing.T) {
	for _, d := range []iso8583.Dialect{iso8583.UnionPay, iso8583.ISO87} {
		f := newFixture(t, d)
		out := f.pos.Sale(card, 1000)
		if out.Status != terminal.Approved || out.Err != nil || out.Response == nil || out.Code.Code != "00" {
			t.Fatalf("%v: %v", d, out)
		}
		f.host.code = func(*iso8583.Transaction) string { return "51" }
		out = f.pos.Sale(card, 2000)
		if out.Status != terminal.Declined || out.Err != nil || out.Code.Code != "51" {
			t.Fatalf("%v: %v", d, out)
		}
		if len(f.pos.Journal()) != 1 || len(f.pos.Pending()) != 0 {
			t.Errorf("%v: journal %d, queue %d", d, len(f.pos.Journal()), len(f.pos.Pending()))
		}
		n := 0
		_ = f.store.Scan(terminal.BucketQueue, func(string, []byte) error { n++; return nil })
		if n != 0 {
			t.Errorf("%v: %d reversal records left", d, n)
		}
		f.checkReconciled(t)
	}
}

// Each fault leaves the sale ReversalPending with the reason in Err, the
// reversal goes out before the next sale, and the host's books end as the
// terminal's.
func TestFaultsReverseBeforeNextSale(t *testing.T) {
	cases := []struct {
		name    string
		fault   fault
		code    string
		wantErr error
	}{
		{"lost answer", lose, "00", terminal.ErrNoAnswer},
		{"connection reset", unreached, "00", terminal.ErrNoAnswer},
		{"garbage answer", garbage, "00", terminal.ErrBadAnswer},
		{"issuer timeout code 98", answer, "98", nil},
		{"late response code 68", answer, "68", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, iso8583.UnionPay)
			f.host.fault = func(req *iso8583.Transaction) fault {
				if req.MTI == "0200" && req.STAN == "000001" {
					return c.fault
				}
				return answer
			}
			f.host.code = func(req *iso8583.Transaction) string {
				if req.MTI == "0200" && req.STAN == "000001" {
					return c.code
				}
				return "00"
			}
			out := f.pos.Sale(card, 7600)
			if out.Status != terminal.ReversalPending || !errors.Is(out.Err, c.wantErr) || (c.wantErr == nil && out.Err != nil) {
				t.Fatalf("first sale: %v", out)
			}
			if len(f.pos.Pending()) != 1 || !f.pos.Pending()[0].IsReversal() {
				t.Fatalf("queue %v", f.pos.Pending())
			}
			reason := iso8583.ReasonNoResponse
			if c.fault == garbage {
				reason = iso8583.ReasonTerminalError
			}
			if got := f.pos.Pending()[0].Message.ResponseCode; got != reason {
				t.Errorf("reversal reason %s, want %s", got, reason)
			}
			out = f.pos.Sale(card, 1000)
			if out.Status != terminal.Approved {
				t.Fatalf("second sale: %v", out)
			}
			if f.host.count("0400") != 1 || len(f.pos.Pending()) != 0 {
				t.Errorf("host saw %d reversals; queue %d", f.host.count("0400"), len(f.pos.Pending()))
			}
			f.checkReconciled(t)
			if tt := f.pos.Totals(); tt.DebitCount != 1 || tt.DebitAmount != 1000 {
				t.Errorf("totals %+v", tt)
			}
		})
	}
}

func TestNotSent(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	f.host.fault = func(*iso8583.Transaction) fault { return notSent }
	out := f.pos.Sale(card, 1000)
	if out.Status != terminal.Declined || !errors.Is(out.Err, terminal.ErrNotSent) {
		t.Fatalf("%v", out)
	}
	if len(f.pos.Pending()) != 0 {
		t.Errorf("queue %v", f.pos.Pending())
	}
	// a reversal that cannot be delivered blocks the next sale, which is
	// not sent
	f.host.fault = func(*iso8583.Transaction) fault { return lose }
	if out := f.pos.Sale(card, 1000); out.Status != terminal.ReversalPending {
		t.Fatalf("%v", out)
	}
	f.host.fault = func(*iso8583.Transaction) fault { return unreached }
	sales := f.host.count("0200")
	out = f.pos.Sale(card, 1000)
	if out.Status != terminal.Declined || !errors.Is(out.Err, terminal.ErrNotSent) || !errors.Is(out.Err, terminal.ErrQueueBlocked) {
		t.Fatalf("%v", out)
	}
	if f.host.count("0200") != sales {
		t.Error("a sale was sent behind an undelivered reversal")
	}
	onePrefix(t, out.Err)
	f.host.fault = nil
	f.checkReconciled(t)
}

func TestStoreFailureSendsNothing(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	f.store.FailApply = func([]terminal.Op) error { return errors.New("disk full") }
	out := f.pos.Sale(card, 1000)
	if out.Status != terminal.Declined || !errors.Is(out.Err, terminal.ErrNotSent) || !errors.Is(out.Err, terminal.ErrStore) {
		t.Fatalf("%v", out)
	}
	if f.host.count("0200") != 0 {
		t.Error("sent without a reversal record")
	}
	// the write after the answer fails: the reversal stays, so the host
	// is told
	fails := 0
	f.store.FailApply = func(ops []terminal.Op) error {
		for _, op := range ops {
			if op.Bucket == terminal.BucketQueue && op.Value == nil {
				fails++
				return errors.New("disk full")
			}
		}
		return nil
	}
	out = f.pos.Sale(card, 1000)
	if out.Status != terminal.ReversalPending || !errors.Is(out.Err, terminal.ErrStore) || fails != 1 {
		t.Fatalf("%v", out)
	}
	onePrefix(t, out.Err)
	f.store.FailApply = nil
	f.checkReconciled(t)
}

// A sale whose answer was lost, then the terminal restarts: the reversal
// comes back from the store and goes out (as 0400, never sent before)
// before anything else.
func TestReversalAcrossRestart(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	f.host.fault = func(*iso8583.Transaction) fault { return lose }
	if out := f.pos.Sale(card, 7600); out.Status != terminal.ReversalPending {
		t.Fatal(out)
	}
	f.host.fault = func(*iso8583.Transaction) fault { return unreached }
	_ = f.pos.Flush() // one attempt, lost on the way
	if p := f.pos.Pending(); len(p) != 1 || p[0].Attempts != 1 {
		t.Fatalf("pending %v", p)
	}
	_ = f.pos.Close()
	f.host.fault = nil
	f.reopen(t)
	if p := f.pos.Pending(); len(p) != 1 || p[0].Attempts != 1 || p[0].Message.STAN != "000001" {
		t.Fatalf("after restart: %v", p)
	}
	out := f.pos.Sale(card, 1000)
	if out.Status != terminal.Approved || out.Request.STAN != "000002" {
		t.Fatalf("%v (STAN must continue after restart)", out)
	}
	if f.host.count("0401") != 1 || f.host.count("0400") != 0 {
		t.Errorf("0400 %d, 0401 %d: the second send is a repeat", f.host.count("0400"), f.host.count("0401"))
	}
	f.checkReconciled(t)
}

func TestRepeatLimitAndExpiry(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	f.cfg.MaxRepeats = 2
	f.reopen(t)
	f.host.fault = func(*iso8583.Transaction) fault { return lose }
	f.pos.Sale(card, 500)
	for range 5 {
		if err := f.pos.Flush(); err == nil || !errors.Is(err, terminal.ErrQueueBlocked) {
			break
		}
	}
	if f.host.count("0400") != 1 || f.host.count("0401") != 2 {
		t.Errorf("0400 %d, 0401 %d; want 1 and 2", f.host.count("0400"), f.host.count("0401"))
	}
	exp, err := f.pos.Expired()
	if err != nil || len(exp) != 1 || exp[0].Attempts != 3 || exp[0].Reason == "" || len(f.pos.Pending()) != 0 {
		t.Fatalf("expired %v %v, pending %v", exp, err, f.pos.Pending())
	}
	// expiry: a reversal older than Expiry is given up unsent
	f.host.fault = func(*iso8583.Transaction) fault { return lose }
	f.pos.Sale(card, 600)
	f.host.fault = nil
	f.now = f.now.Add(49 * time.Hour)
	before := f.host.count("0400") + f.host.count("0401")
	if err := f.pos.Flush(); err != nil {
		t.Fatal(err)
	}
	if f.host.count("0400")+f.host.count("0401") != before {
		t.Error("an expired reversal was sent")
	}
	if exp, _ := f.pos.Expired(); len(exp) != 2 {
		t.Errorf("expired %v", exp)
	}
	// a "retry" answer to a reversal keeps it queued
	f.host.code = func(req *iso8583.Transaction) string {
		if req.MTI[:2] == "04" {
			return "96"
		}
		return "00"
	}
	f.host.fault = func(req *iso8583.Transaction) fault {
		if req.MTI == "0200" && req.STAN == "000003" {
			return lose
		}
		return answer
	}
	f.pos.Sale(card, 700)
	if err := f.pos.Flush(); !errors.Is(err, terminal.ErrQueueBlocked) || len(f.pos.Pending()) != 1 {
		t.Errorf("retry code: %v, pending %v", err, f.pos.Pending())
	}
}

func TestVoidRefundSettle(t *testing.T) {
	for _, d := range []iso8583.Dialect{iso8583.UnionPay, iso8583.ISO87} {
		f := newFixture(t, d)
		s1 := f.pos.Sale(card, 1000)
		f.pos.Sale(card, 2000)
		o := iso8583.OriginalOf(s1.Request, s1.Response)
		o.Batch = f.pos.Batch()
		void := f.pos.Request(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Void(card, 1000, o) })
		if void.Status != terminal.Approved {
			t.Fatalf("%v void: %v", d, void)
		}
		o.Date = "1204"
		refund := f.pos.Request(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Refund(card, 300, o) })
		if refund.Status != terminal.Approved {
			t.Fatalf("%v refund: %v", d, refund)
		}
		tt := f.pos.Totals()
		if tt.DebitCount != 1 || tt.DebitAmount != 2000 || tt.CreditCount != 1 || tt.CreditAmount != 300 {
			t.Errorf("%v totals %+v", d, tt)
		}
		if d == iso8583.UnionPay {
			f.checkReconciled(t)
		}
		res, err := f.pos.Settle()
		if err != nil || res.Batch != "000024" || res.Totals != tt {
			t.Fatalf("%v settle: %+v %v", d, res, err)
		}
		if f.pos.Batch() != "000025" || len(f.pos.Journal()) != 0 {
			t.Errorf("%v: batch %s, journal %d", d, f.pos.Batch(), len(f.pos.Journal()))
		}
		if out := f.pos.Sale(card, 100); out.Request.F60 != nil && out.Request.F60.Batch != "000025" {
			t.Errorf("%v: next sale in batch %s", d, out.Request.F60.Batch)
		}
		// the closed batch survives a restart; the open one is empty
		f.reopen(t)
		if f.pos.Batch() != "000025" || len(f.pos.Journal()) != 1 {
			t.Errorf("%v after restart: batch %s, journal %d", d, f.pos.Batch(), len(f.pos.Journal()))
		}
	}
}

func TestSettleUnbalancedUploads(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	f.pos.Sale(card, 1000)
	f.pos.Sale(card, 2000)
	// the host lost one sale from its books: not balanced
	f.host.mu.Lock()
	f.host.books["10000019/000001"].booked = false
	f.host.mu.Unlock()
	var endTotal int
	f.host.code = func(req *iso8583.Transaction) string {
		if req.IsBatchUploadEnd() {
			endTotal, _ = req.BatchTotal()
		}
		return "00"
	}
	res, err := f.pos.Settle()
	if err != nil || res.Balanced || res.Uploaded != 2 || f.host.uploaded != 2 {
		t.Fatalf("%+v %v (host saw %d uploads)", res, err, f.host.uploaded)
	}
	// UnionPay ends the upload with 批上送结束, 60.3 202, and the count
	if len(f.host.ends) != 1 || f.host.ends[0] != iso8583.NetBatchEndUnbalanced || endTotal != 2 {
		t.Errorf("end of batch upload: %v, total %d", f.host.ends, endTotal)
	}
	f.host.code = nil
	// a settlement without answer keeps the batch open
	f.pos.Sale(card, 1000)
	f.host.fault = func(req *iso8583.Transaction) fault {
		if req.MTI == "0500" {
			return lose
		}
		return answer
	}
	batch := f.pos.Batch()
	_, err = f.pos.Settle()
	if !errors.Is(err, terminal.ErrSettlement) || !errors.Is(err, terminal.ErrNoAnswer) || f.pos.Batch() != batch {
		t.Errorf("lost settlement: %v, batch %s", err, f.pos.Batch())
	}
	onePrefix(t, err)
	// a lost answer to the end of the upload keeps the batch open too
	f.host.mu.Lock()
	f.host.books["10000019/"+f.pos.Journal()[0].STAN].booked = false
	f.host.mu.Unlock()
	f.host.fault = func(req *iso8583.Transaction) fault {
		if req.IsBatchUploadEnd() {
			return lose
		}
		return answer
	}
	if _, err = f.pos.Settle(); !errors.Is(err, terminal.ErrSettlement) || f.pos.Batch() != batch {
		t.Errorf("lost end of upload: %v, batch %s", err, f.pos.Batch())
	}
}

func TestAdviceAndSignOn(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	f.cfg.ManualDownload = true
	f.reopen(t)
	term := testTerm("10000019", iso8583.UnionPay)
	term.STAN = iso8583.NewSTANSource(100)
	off, _ := term.Sale(card, 4200)
	adv, err := term.Advice(off, "")
	if err != nil {
		t.Fatal(err)
	}
	f.host.fault = func(*iso8583.Transaction) fault { return unreached }
	if err := f.pos.Advise(adv, true); err != nil {
		t.Fatal(err)
	}
	if len(f.pos.Pending()) != 1 || len(f.pos.Journal()) != 1 {
		t.Fatalf("queue %d journal %d", len(f.pos.Pending()), len(f.pos.Journal()))
	}
	f.host.fault = nil
	out := f.pos.SignOn()
	if out.Status != terminal.Approved || out.Err != nil || len(f.pos.Pending()) != 0 {
		t.Fatalf("sign-on: %v, pending %v", out, f.pos.Pending())
	}
	if f.host.count("0221") != 1 || f.host.count("0800") != 1 {
		t.Errorf("0220 %d 0221 %d 0800 %d", f.host.count("0220"), f.host.count("0221"), f.host.count("0800"))
	}
	if err := f.pos.Advise(off, true); !errors.Is(err, terminal.ErrConfig) {
		t.Errorf("a 0200 is not an advice: %v", err)
	}
	if out := f.pos.Call(func(*iso8583.Terminal) (*iso8583.Transaction, error) { return nil, iso8583.ErrTerminal }); !errors.Is(out.Err, terminal.ErrNotSent) {
		t.Errorf("build error: %v", out)
	}
}

func TestKeyStateStoredBeforeSend(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	n := 0 // the originator's counter: Sign uses a key and moves it on
	f.cfg.Sign = func(*moov.Message) error { n++; return nil }
	f.cfg.KeyState = func() ([]byte, error) { return []byte(fmt.Sprintf("state-%d", n)), nil }
	f.reopen(t)
	var atSend []byte
	f.host.fault = func(*iso8583.Transaction) fault {
		atSend, _, _ = f.pos.KeyState()
		return answer
	}
	f.pos.Sale(card, 100)
	if string(atSend) != "state-1" {
		t.Errorf("key state at send %q, want the state after Sign", atSend)
	}
	f.cfg.KeyState = func() ([]byte, error) { return nil, errors.New("sealed key missing") }
	f.reopen(t)
	if out := f.pos.Sale(card, 100); !errors.Is(out.Err, terminal.ErrNotSent) {
		t.Errorf("%v", out)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := terminal.Open(terminal.Config{}); !errors.Is(err, terminal.ErrConfig) {
		t.Errorf("empty config: %v", err)
	}
	s := terminal.NewMemStore()
	_ = s.Apply(terminal.Op{Bucket: terminal.BucketQueue, Key: "00000000000000000001", Value: []byte("{")})
	cfg := terminal.Config{Terminal: testTerm("10000019", iso8583.UnionPay), Store: s, Sender: newTestHost()}
	if _, err := terminal.Open(cfg); !errors.Is(err, terminal.ErrCorrupt) {
		t.Errorf("corrupt queue: %v", err)
	}
	s = terminal.NewMemStore()
	_ = s.Apply(terminal.Op{Bucket: terminal.BucketState, Key: "stan", Value: []byte("x")})
	cfg.Store = s
	if _, err := terminal.Open(cfg); !errors.Is(err, terminal.ErrCorrupt) {
		t.Errorf("corrupt STAN: %v", err)
	}
}

// Several terminals share one host concurrently, with lost answers and
// resets at random; at the end every terminal's journal matches the
// host's books and no original was reversed twice.
func TestConcurrentTerminals(t *testing.T) {
	host := newTestHost()
	var mu sync.Mutex
	n := 0
	host.fault = func(req *iso8583.Transaction) fault {
		mu.Lock()
		defer mu.Unlock()
		n++
		switch n % 7 {
		case 3:
			return lose
		case 5:
			return unreached
		}
		return answer
	}
	const terminals = 6
	poses := make([]*terminal.POS, terminals)
	for i := range poses {
		p, err := terminal.Open(terminal.Config{Terminal: testTerm(fmt.Sprintf("1000%04d", i), iso8583.UnionPay), Store: terminal.NewMemStore(), Sender: host})
		if err != nil {
			t.Fatal(err)
		}
		poses[i] = p
	}
	var wg sync.WaitGroup
	for _, p := range poses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				p.Sale(card, int64(100+i))
			}
		}()
	}
	wg.Wait()
	host.fault = nil
	for i, p := range poses {
		if err := p.Flush(); err != nil {
			t.Fatal(err)
		}
		if mine, theirs := p.Totals(), host.totals(fmt.Sprintf("1000%04d", i)); mine != theirs || mine.DebitCount == 0 {
			t.Errorf("terminal %d: %+v, host %+v", i, mine, theirs)
		}
	}
	if host.doubleReversals() != 0 {
		t.Error("double reversals")
	}
}

func TestStatusStrings(t *testing.T) {
	for s, want := range map[terminal.Status]string{terminal.Approved: "approved", terminal.Declined: "declined", terminal.ReversalPending: "unknown, reversal pending", 9: "Status(9)"} {
		if s.String() != want {
			t.Errorf("%d: %q", s, s.String())
		}
	}
	f := newFixture(t, iso8583.UnionPay)
	out := f.pos.Sale(card, 1000)
	for _, s := range []string{out.String(), f.pos.Journal()[0].String()} {
		if containsPAN(s) {
			t.Errorf("card number in %q", s)
		}
	}
	f.host.fault = func(*iso8583.Transaction) fault { return lose }
	f.pos.Sale(card, 1000)
	if s := f.pos.Pending()[0].String(); containsPAN(s) {
		t.Errorf("card number in %q", s)
	}
}

func containsPAN(s string) bool {
	for i := 0; i+len(card.PAN) <= len(s); i++ {
		if s[i:i+len(card.PAN)] == card.PAN {
			return true
		}
	}
	return false
}

// onePrefix checks the house error format: the package prefix once.
func onePrefix(t *testing.T, err error) {
	t.Helper()
	if err == nil || strings.Count(err.Error(), "terminal:") != 1 {
		t.Errorf("error %q: want the prefix \"terminal:\" exactly once", err)
	}
}
