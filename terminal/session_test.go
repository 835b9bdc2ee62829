package terminal_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

// bigHotList returns a list of n full PANs (16 digits, 6224... with the
// serial i) and two BIN ranges, version v.
func bigHotList(t testing.TB, n int, v uint32) *terminal.HotList {
	t.Helper()
	d := terminal.HotListDownload{Version: v, Ranges: []terminal.HotRange{{Low: "4111", High: "4111"}, {Low: "622900", High: "622999"}}}
	for i := range n {
		d.PANs = append(d.PANs, fmt.Sprintf("6224240%09d", i*7))
	}
	h, err := terminal.NewHotList(d)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// A card on a 100,000-entry hot-card list is refused before anything is
// sent: Declined, ErrHotCard and ErrNotSent, no reversal record, no STAN
// booked; a card off the list goes online. The list survives a restart.
func TestHotCardRefusedBeforeOnline(t *testing.T) {
	for _, d := range []iso8583.Dialect{iso8583.UnionPay, iso8583.ISO87} {
		f := newFixture(t, d)
		if f.pos.HotList() != nil {
			t.Fatal("a new POS has a hot-card list")
		}
		h := bigHotList(t, 100000, 3)
		if err := f.pos.SetHotList(h); err != nil {
			t.Fatal(err)
		}
		hot := iso8583.Card{PAN: fmt.Sprintf("6224240%09d", 99999*7), Expiry: "2806"}
		track := iso8583.Card{Track2: "6229001234567890=28061010000000000"}
		applies := 0
		f.store.FailApply = func([]terminal.Op) error { applies++; return nil }
		kinds := map[string]func(*iso8583.Terminal, iso8583.Card) (*iso8583.Transaction, error){
			"sale":    func(t *iso8583.Terminal, c iso8583.Card) (*iso8583.Transaction, error) { return t.Sale(c, 100) },
			"preauth": func(t *iso8583.Terminal, c iso8583.Card) (*iso8583.Transaction, error) { return t.PreAuth(c, 100) },
		}
		for name, build := range kinds {
			for _, c := range []iso8583.Card{hot, track} {
				out := f.pos.Request(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return build(t, c) })
				if out.Status != terminal.Declined || !errors.Is(out.Err, terminal.ErrHotCard) || !errors.Is(out.Err, terminal.ErrNotSent) {
					t.Fatalf("%v %s: %v", d, name, out)
				}
				if containsPAN(out.Err.Error()) || containsPAN(out.String()) {
					t.Errorf("card number in %q", out)
				}
				onePrefix(t, out.Err)
			}
		}
		if applies != 0 || len(f.host.seen) != 0 || len(f.pos.Pending()) != 0 {
			t.Errorf("%v: %d writes, host saw %v, queue %d", d, applies, f.host.seen, len(f.pos.Pending()))
		}
		f.store.FailApply = nil
		if out := f.pos.Sale(card, 100); out.Status != terminal.Approved {
			t.Fatalf("%v: card off the list: %v", d, out)
		}
		f.reopen(t)
		if got := f.pos.HotList(); got.Version() != 3 {
			t.Fatalf("%v after restart: %v", d, got)
		}
		if out := f.pos.Sale(hot, 100); !errors.Is(out.Err, terminal.ErrHotCard) {
			t.Errorf("%v after restart: %v", d, out)
		}
		if err := f.pos.SetHotList(nil); err != nil {
			t.Fatal(err)
		}
		f.reopen(t)
		if out := f.pos.Sale(hot, 100); out.Status != terminal.Approved {
			t.Errorf("%v list cleared: %v", d, out)
		}
	}
}

func TestHotListStoreErrors(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	f.store.FailApply = func([]terminal.Op) error { return errors.New("disk full") }
	if err := f.pos.SetHotList(bigHotList(t, 10, 1)); !errors.Is(err, terminal.ErrStore) || f.pos.HotList() != nil {
		t.Fatalf("%v", err)
	}
	f.store.FailApply = nil
	_ = f.store.Apply(terminal.Op{Bucket: terminal.BucketDownload, Key: "hotlist", Value: []byte("PKHL?")})
	if _, err := terminal.Open(f.cfg); !errors.Is(err, terminal.ErrCorrupt) {
		t.Fatalf("corrupt list: %v", err)
	}
}

var fastArgon2 = terminal.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32}

// operatorFixture is a POS with operator 02 (password 4711) and
// supervisor 09 (password 802156).
func operatorFixture(t *testing.T) *fixture {
	t.Helper()
	ops, err := terminal.NewOperators(terminal.OperatorConfig{Argon2: fastArgon2, MaxFailures: 3})
	if err != nil {
		t.Fatal(err)
	}
	// the factory default 01/0000 is refused
	if err := ops.Add("01", "0000", terminal.RoleSupervisor); !errors.Is(err, terminal.ErrWeakPassword) {
		t.Fatalf("01/0000: %v", err)
	}
	if err := ops.Add("01", "0000", terminal.RoleOperator); !errors.Is(err, terminal.ErrWeakPassword) {
		t.Fatalf("01/0000: %v", err)
	}
	if ops.Add("02", "4711", terminal.RoleOperator) != nil || ops.Add("09", "802156", terminal.RoleSupervisor) != nil {
		t.Fatal("add")
	}
	f := newFixture(t, iso8583.UnionPay)
	f.cfg.Operators = ops
	f.reopen(t)
	return f
}

func TestOperatorGating(t *testing.T) {
	f := operatorFixture(t)
	out := f.pos.Sale(card, 100)
	if out.Status != terminal.Declined || !errors.Is(out.Err, terminal.ErrNoOperator) || !errors.Is(out.Err, terminal.ErrNotSent) {
		t.Fatalf("no login: %v", out)
	}
	if err := f.pos.Login("02", "1111"); !errors.Is(err, terminal.ErrOperatorPassword) || strings.Contains(err.Error(), "1111") {
		t.Fatalf("wrong password: %v", err)
	}
	if err := f.pos.Login("07", "4711"); !errors.Is(err, terminal.ErrOperatorUnknown) {
		t.Fatalf("unknown: %v", err)
	}
	if err := f.pos.Login("02", "4711"); err != nil {
		t.Fatal(err)
	}
	if id, role, ok := f.pos.Operator(); id != "02" || role != terminal.RoleOperator || !ok {
		t.Fatalf("operator %s %v %v", id, role, ok)
	}
	sale := f.pos.Sale(card, 1000)
	if sale.Status != terminal.Approved || sale.Operator != "02" {
		t.Fatalf("sale: %v operator %q", sale, sale.Operator)
	}
	if j := f.pos.Journal(); len(j) != 1 || j[0].Operator != "02" {
		t.Fatalf("journal %v", j)
	}
	o := iso8583.OriginalOf(sale.Request, sale.Response)
	o.Batch = f.pos.Batch()
	// a void needs the supervisor's password with the request
	if out := f.pos.Void(card, 1000, o); !errors.Is(out.Err, terminal.ErrNotSupervisor) || out.Status != terminal.Declined {
		t.Fatalf("void without supervisor: %v", out)
	}
	if out := f.pos.Void(card, 1000, o, terminal.WithSupervisor("02", "4711")); !errors.Is(out.Err, terminal.ErrNotSupervisor) {
		t.Fatalf("void by an operator: %v", out)
	}
	if out := f.pos.Refund(card, 10, o, terminal.WithSupervisor("09", "802157")); !errors.Is(out.Err, terminal.ErrOperatorPassword) {
		t.Fatalf("refund, wrong supervisor password: %v", out)
	}
	if f.host.count("0200")+f.host.count("0220") != 1 {
		t.Fatalf("a refused request was sent: %v", f.host.seen)
	}
	void := f.pos.Void(card, 1000, o, terminal.WithSupervisor("09", "802156"))
	if void.Status != terminal.Approved || void.Operator != "02" {
		t.Fatalf("void: %v", void)
	}
	// the operator number reaches 63.1 of management messages
	var op631 string
	f.host.code = func(req *iso8583.Transaction) string {
		if req.F63 != nil {
			op631 = req.F63.Code
		}
		return "00"
	}
	res, err := f.pos.Settle()
	if err != nil || res.Response == nil || op631 != "002" {
		t.Fatalf("settle: %v, 63.1 %q", err, op631)
	}
	f.pos.Logout()
	if _, _, ok := f.pos.Operator(); ok {
		t.Fatal("still logged in")
	}
	if out := f.pos.Sale(card, 100); !errors.Is(out.Err, terminal.ErrNoOperator) {
		t.Fatalf("after logout: %v", out)
	}
}

// Wrong passwords lock an operator; the lockout survives a restart even
// when the Config passes a fresh table, and a supervisor unlocks.
func TestOperatorLockoutAcrossRestart(t *testing.T) {
	f := operatorFixture(t)
	for i := range 3 {
		err := f.pos.Login("02", "5555")
		if i < 2 && !errors.Is(err, terminal.ErrOperatorPassword) || i == 2 && !errors.Is(err, terminal.ErrOperatorLocked) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	fresh, _ := terminal.NewOperators(terminal.OperatorConfig{Argon2: fastArgon2})
	_ = fresh.Add("02", "4711", terminal.RoleOperator)
	f.cfg.Operators = fresh
	f.reopen(t)
	if err := f.pos.Login("02", "4711"); !errors.Is(err, terminal.ErrOperatorLocked) {
		t.Fatalf("after restart: %v", err)
	}
	// a Store holding a table gates the POS even without Config.Operators
	f.cfg.Operators = nil
	f.reopen(t)
	if out := f.pos.Sale(card, 100); !errors.Is(out.Err, terminal.ErrNoOperator) {
		t.Fatalf("no Config.Operators: %v", out)
	}
	if err := f.pos.Login("09", "802156"); err != nil {
		t.Fatal(err)
	}
	f.cfg.Operators = fresh
	f.reopen(t)
	if err := fresh.Unlock("09", "802156", "02"); err != nil {
		t.Fatal(err)
	}
	if err := f.pos.SaveOperators(); err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	if err := f.pos.Login("02", "4711"); err != nil {
		t.Fatalf("after unlock and restart: %v", err)
	}
}

func TestOperatorErrors(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	if err := f.pos.Login("02", "4711"); !errors.Is(err, terminal.ErrConfig) {
		t.Errorf("login without a table: %v", err)
	}
	if err := f.pos.SaveOperators(); !errors.Is(err, terminal.ErrConfig) {
		t.Errorf("save without a table: %v", err)
	}
	// without a table, a void needs no supervisor
	s := f.pos.Sale(card, 100)
	o := iso8583.OriginalOf(s.Request, s.Response)
	if out := f.pos.Void(card, 100, o); out.Status != terminal.Approved {
		t.Errorf("void without a table: %v", out)
	}
	g := operatorFixture(t)
	g.store.FailApply = func([]terminal.Op) error { return errors.New("disk full") }
	if err := g.pos.Login("02", "4711"); !errors.Is(err, terminal.ErrStore) {
		t.Errorf("login, store failing: %v", err)
	}
	if _, _, ok := g.pos.Operator(); ok {
		t.Error("logged in although the table could not be stored")
	}
	if err := g.pos.SaveOperators(); !errors.Is(err, terminal.ErrStore) {
		t.Errorf("save, store failing: %v", err)
	}
	if _, err := terminal.Open(g.cfg); err != nil {
		t.Errorf("open with a stored table: %v", err)
	}
	h := newFixture(t, iso8583.UnionPay)
	h.cfg.Operators = g.cfg.Operators
	h.store.FailApply = func([]terminal.Op) error { return errors.New("disk full") }
	if _, err := terminal.Open(h.cfg); !errors.Is(err, terminal.ErrStore) {
		t.Errorf("open, table not storable: %v", err)
	}
	h.store.FailApply = nil
	_ = h.store.Apply(terminal.Op{Bucket: terminal.BucketState, Key: "operators", Value: []byte("PKOP")})
	if _, err := terminal.Open(h.cfg); !errors.Is(err, terminal.ErrCorrupt) {
		t.Errorf("open, corrupt table: %v", err)
	}
}

// Domestic and foreign cards land in their own settlement totals; the
// UnionPay settlement carries both and balances against a host that
// splits the same way.
func TestDomesticForeignTotals(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	visa := iso8583.Card{PAN: "4761739001010010", Expiry: "2806"}
	f.pos.Sale(card, 1000)
	f.pos.Sale(visa, 2500)
	s := f.pos.Sale(visa, 700)
	o := iso8583.OriginalOf(s.Request, s.Response)
	o.Batch = f.pos.Batch()
	if out := f.pos.Refund(visa, 300, o); out.Status != terminal.Approved {
		t.Fatal(out)
	}
	want := iso8583.Totals{DebitCount: 1, DebitAmount: 1000, ForeignDebitCount: 2, ForeignDebitAmount: 3200,
		ForeignCreditCount: 1, ForeignCreditAmount: 300}
	if tt := f.pos.Totals(); tt != want {
		t.Fatalf("totals %+v, want %+v", tt, want)
	}
	var sent iso8583.Totals
	f.host.code = func(req *iso8583.Transaction) string {
		if req.MTI == "0500" {
			sent, _ = req.SettlementTotals()
		}
		return "00"
	}
	_, _ = f.pos.Settle()
	if sent != want {
		t.Errorf("settlement sent %+v", sent)
	}
	// a rule of the caller's
	g := newFixture(t, iso8583.UnionPay)
	g.cfg.Domestic = func(string) bool { return false }
	g.reopen(t)
	g.pos.Sale(card, 1000)
	if tt := g.pos.Totals(); tt.ForeignDebitCount != 1 || tt.DebitCount != 0 {
		t.Errorf("caller's rule: %+v", tt)
	}
	// ISO 8583:1987 has no split: its settlement sends the sums
	h := newFixture(t, iso8583.ISO87)
	h.pos.Sale(card, 1000)
	h.pos.Sale(visa, 2500)
	var sums iso8583.Totals
	h.host.code = func(req *iso8583.Transaction) string {
		if req.MTI == "0500" {
			sums, _ = req.SettlementTotals()
		}
		return "00"
	}
	if res, err := h.pos.Settle(); err != nil || res.Totals.ForeignDebitCount != 1 || sums.DebitCount != 2 || sums.DebitAmount != 3500 {
		t.Errorf("ISO87: %+v %v, sent %+v", res, err, sums)
	}
	if !terminal.UnionPayDomestic("6212345678901234") || terminal.UnionPayDomestic("4761739001010010") || terminal.UnionPayDomestic("6") {
		t.Error("UnionPayDomestic")
	}
}

// An expired reversal stays in the Store, across restarts and a
// settlement, counted by Reconciliation, until it is acknowledged.
func TestExpiredKeptUntilAcknowledged(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	f.host.fault = func(*iso8583.Transaction) fault { return lose }
	f.pos.Sale(card, 7600)
	f.host.fault = nil
	f.now = f.now.Add(49 * time.Hour)
	if err := f.pos.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := f.pos.Reconciliation()
	if err != nil || r.Expired != 1 || r.ExpiredAmount != 7600 || r.Pending != 0 || r.Batch != "000024" {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := f.pos.Settle(); err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	exp, err := f.pos.Expired()
	if err != nil || len(exp) != 1 {
		t.Fatalf("after settlement and restart: %v %v", exp, err)
	}
	if err := f.pos.AckExpired(exp[0].Seq + 100); !errors.Is(err, terminal.ErrConfig) {
		t.Errorf("unknown record: %v", err)
	}
	f.store.FailApply = func([]terminal.Op) error { return errors.New("disk full") }
	if err := f.pos.AckExpired(exp[0].Seq); !errors.Is(err, terminal.ErrStore) {
		t.Errorf("store failing: %v", err)
	}
	f.store.FailApply = nil
	if err := f.pos.AckExpired(exp[0].Seq); err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	if r, _ := f.pos.Reconciliation(); r.Expired != 0 {
		t.Errorf("after acknowledgement: %+v", r)
	}
	// pending ones are counted too
	f.host.fault = func(*iso8583.Transaction) fault { return lose }
	f.pos.Sale(card, 500)
	if r, _ := f.pos.Reconciliation(); r.Pending != 1 || r.PendingAmount != 500 {
		t.Errorf("pending: %+v", r)
	}
	// with an operator table, acknowledging needs an operator
	g := operatorFixture(t)
	if err := g.pos.AckExpired(1); !errors.Is(err, terminal.ErrNoOperator) {
		t.Errorf("no operator: %v", err)
	}
}

// BenchmarkSaleHotListCheck: an approved sale through a POS (in-memory
// store and host) without a hot-card list, the baseline, and with a
// 100,000-entry list, whose check is one lookup; and a sale refused by
// the list, which ends before the store and the host.
func BenchmarkSaleHotListCheck(b *testing.B) {
	run := func(b *testing.B, h *terminal.HotList, c iso8583.Card) {
		f := &fixture{host: newTestHost(), store: terminal.NewMemStore()}
		f.cfg = terminal.Config{Terminal: testTerm("10000019", iso8583.UnionPay), Store: f.store, Sender: f.host, ManualDownload: true}
		pos, err := terminal.Open(f.cfg)
		if err != nil {
			b.Fatal(err)
		}
		if err := pos.SetHotList(h); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			pos.Sale(c, 100)
		}
	}
	b.Run("baseline-no-list", func(b *testing.B) { run(b, nil, card) })
	list := bigHotList(b, 100000, 1)
	b.Run("list-100k-approved", func(b *testing.B) { run(b, list, card) })
	b.Run("list-100k-refused", func(b *testing.B) {
		run(b, list, iso8583.Card{PAN: "6224240000000007", Expiry: "2806"})
	})
}
