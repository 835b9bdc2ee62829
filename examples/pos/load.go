package main

// load.go: many terminals at once against one host, to measure it and to
// check that nothing is lost or counted twice under concurrency and
// injected faults. The host runs in this process, or in another one
// (-serve there, -host here).

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/poskit/poskit/fees"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

// loadConfig is what a load run drives.
type loadConfig struct {
	Spec      Spec
	DUKPT     DUKPT
	Terminals int
	Duration  time.Duration
	MaxSales  int           // per terminal, when > 0
	Addr      string        // a host in another process; "" starts one here
	Faults    faults        // injected by the host started here
	Seed      uint64        // of the fault draws
	Timeout   time.Duration // how long a terminal waits for an answer
	Log       io.Writer     // the host's log
}

// loadResult is what a load run measured and checked.
type loadResult struct {
	Terminals int
	Elapsed   time.Duration
	Sales     int     // approved chip sales with PIN, ARQC and MAC
	Voids     int     // of which voided (every seventh)
	TPS       float64 // approved sales and voids per second
	P50, P99  time.Duration
	Max       time.Duration

	Unknown   int    // requests whose outcome was unknown, hence reversed
	Reversals int    // reversals acknowledged
	Queued    int    // reversals still queued at the end
	Faults    string // what the host injected, when it runs here

	// Terminal is the sum of every batch the terminals settled or tried
	// to; Host the sum of the host's totals for the same batches, as its
	// settlement answers (0510) carry them.
	Terminal, Host iso8583.Totals
}

func (r loadResult) String() string {
	return fmt.Sprintf("load: %d terminals, %d transactions (%d chip sales with PIN, %d voids) in %v: %.0f TPS, latency p50 %v, p99 %v, max %v",
		r.Terminals, r.Sales+r.Voids, r.Sales, r.Voids, r.Elapsed.Round(time.Millisecond), r.TPS,
		r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Max.Round(time.Microsecond))
}

// Balanced reports whether the terminals' totals equal the host's with no
// reversal left to send.
func (r loadResult) Balanced() bool { return r.Terminal == r.Host && r.Queued == 0 }

// Reconciled is the one line every run ends with.
func (r loadResult) Reconciled() string {
	verdict := "balanced"
	if !r.Balanced() {
		verdict = "NOT BALANCED"
	}
	return fmt.Sprintf("reconciled: terminals %s; host %s; %d outcomes unknown, %d reversals acknowledged, %d still queued; faults %s: %s",
		totalsText(r.Terminal), totalsText(r.Host), r.Unknown, r.Reversals, r.Queued, r.Faults, verdict)
}

func totalsText(t iso8583.Totals) string {
	return fmt.Sprintf("%d debits %s, %d credits %s", t.DebitCount, fees.FormatAmount(t.DebitAmount, fees.CNY),
		t.CreditCount, fees.FormatAmount(t.CreditAmount, fees.CNY))
}

// terminalRun is what one terminal of a load run did.
type terminalRun struct {
	tid        string
	lat        []time.Duration
	rrns       map[string]string // RRN → STAN of the request it answered
	voids      int
	unknown    int
	reversals  int
	queued     int
	mine, host iso8583.Totals
	declined   []string // requests the host declined: none expected
	err        error
}

// runLoad runs cfg.Terminals terminals for cfg.Duration. Each signs on,
// sells (voiding every seventh sale), reverses what ended unknown before
// its next transaction, settles every 900 sales and at the end. It fails
// unless every answer carried its own STAN and a MAC and ARPC that
// verify, every RRN is unique and (host in this process) booked for the
// request it answered, and every settlement balances once the queued
// reversals have been sent.
func runLoad(cfg loadConfig) (loadResult, error) {
	res := loadResult{Terminals: cfg.Terminals, Faults: "none"}
	if cfg.Timeout == 0 {
		cfg.Timeout = ioTimeout
	}
	var h *Host
	addr := cfg.Addr
	if addr == "" {
		var err error
		h, err = startHost(hostConfig{Spec: cfg.Spec, DUKPT: cfg.DUKPT, Faults: cfg.Faults, Seed: cfg.Seed, Log: &tracer{w: cfg.Log}})
		if err != nil {
			return res, err
		}
		defer h.Close()
		addr = h.Addr()
		res.Faults = cfg.Faults.String()
	} else {
		res.Faults = "as the host was started"
	}

	out := make([]terminalRun, cfg.Terminals)
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	var wg sync.WaitGroup
	for i := range cfg.Terminals {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := &out[i]
			o.rrns = map[string]string{}
			o.err = o.drive(cfg, addr, i+1, deadline, h)
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	if h != nil {
		res.Faults += " (injected: " + h.faults.Counts() + ")"
	}
	return res, res.collect(out, h)
}

// collect adds up the terminals' runs and checks the RRNs.
func (res *loadResult) collect(out []terminalRun, h *Host) error {
	var all []time.Duration
	seen := map[string]bool{}
	var errs []error
	for _, o := range out {
		if o.err != nil {
			errs = append(errs, o.err)
		}
		for _, d := range o.declined {
			errs = append(errs, fmt.Errorf("%s: declined: %s", o.tid, d))
		}
		all = append(all, o.lat...)
		res.Voids += o.voids
		res.Sales += len(o.rrns)
		res.Unknown += o.unknown
		res.Reversals += o.reversals
		res.Queued += o.queued
		res.Terminal = addTotals(res.Terminal, o.mine)
		res.Host = addTotals(res.Host, o.host)
		for rrn, stan := range o.rrns {
			if seen[rrn] {
				errs = append(errs, fmt.Errorf("RRN %s given to two terminals", rrn))
			}
			seen[rrn] = true
			if h == nil {
				continue
			}
			// the host booked that RRN for this terminal's request
			if tid, s, ok := h.Booked(rrn); !ok || tid != o.tid || s != stan {
				errs = append(errs, fmt.Errorf("RRN %s: host booked %s/%s, terminal %s sent STAN %s", rrn, tid, s, o.tid, stan))
			}
		}
		if h != nil {
			// what the settlement answers said is what the host holds
			if all := h.AllTotals(o.tid); all != o.host {
				errs = append(errs, fmt.Errorf("%s: the host holds %+v, its settlement answers said %+v", o.tid, all, o.host))
			}
		}
	}
	if len(all) > 0 {
		sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
		res.P50 = all[len(all)/2]
		res.P99 = all[(len(all)*99+99)/100-1]
		res.Max = all[len(all)-1]
		res.TPS = float64(len(all)) / res.Elapsed.Seconds()
	}
	if !res.Balanced() {
		errs = append(errs, errors.New(res.Reconciled()))
	}
	return errors.Join(errs...)
}

// drive is one terminal of a load run, on the lifecycle package: the POS
// sends its queued reversals before each request by itself.
func (o *terminalRun) drive(cfg loadConfig, addr string, n int, deadline time.Time, h *Host) error {
	t, err := newLCTerminal(cfg.Spec, cfg.DUKPT, addr, n, cfg.Timeout)
	if err != nil {
		return err
	}
	defer t.Close()
	o.tid = t.id
	if err := retryN(5, t.SignOn); err != nil {
		return fmt.Errorf("%s sign-on: %w", t.id, err)
	}
	for k := 0; time.Now().Before(deadline) && (cfg.MaxSales == 0 || k < cfg.MaxSales); k++ {
		amount := int64(100 + (n*7919+k*104729)%90000)
		t0 := time.Now()
		out, err := t.ChipSale(amount) // the POS checks STAN and MAC, the card the ARPC
		if err != nil {
			return fmt.Errorf("%s sale %d: %w", t.id, k, err)
		}
		if !o.outcome(out, t0) {
			continue
		}
		if _, dup := o.rrns[out.Response.RRN]; dup {
			return fmt.Errorf("%s: RRN %s given twice", t.id, out.Response.RRN)
		}
		o.rrns[out.Response.RRN] = out.Request.STAN
		if k%7 == 6 {
			// now and then the customer changes their mind
			t0 := time.Now()
			if o.outcome(t.Void(out), t0) {
				o.voids++
			}
		}
		if len(t.pos.Journal()) >= 900 {
			if err := o.settle(t, h); err != nil {
				return err
			}
		}
	}
	// every reversal goes before the last settlement
	err = retryN(50, t.pos.Flush)
	expired, _ := t.pos.Expired()
	o.queued = len(t.pos.Pending()) + len(expired)
	o.reversals = o.unknown - o.queued
	if err != nil || len(expired) > 0 {
		return fmt.Errorf("%s: %d reversals not acknowledged: %v", t.id, o.queued, err)
	}
	return o.settle(t, h)
}

// outcome counts what a request came to and reports whether it was
// approved: a pending reversal is an unknown outcome; a decline of a
// request that was sent is a failure of the run, one never sent (the
// queue could not be delivered first) is tried again later.
func (o *terminalRun) outcome(out terminal.Outcome, t0 time.Time) bool {
	switch out.Status {
	case terminal.Approved:
		o.lat = append(o.lat, time.Since(t0))
		return true
	case terminal.ReversalPending:
		o.unknown++
	default:
		if !errors.Is(out.Err, terminal.ErrNotSent) {
			o.declined = append(o.declined, out.String())
		}
	}
	return false
}

// settle settles the open batch and adds what the terminal sent, and the
// host's totals from its answer, to the run's.
func (o *terminalRun) settle(t *lcTerminal, h *Host) error {
	if h != nil {
		if err := retryN(50, t.pos.Flush); err != nil {
			return err
		}
		if mine, host := t.pos.Totals(), h.Totals(t.id); mine != host {
			return fmt.Errorf("%s before settlement: terminal totals %+v, host %+v", t.id, mine, host)
		}
	}
	var res terminal.SettleResult
	err := retryN(5, func() error {
		var err error
		res, err = t.pos.Settle()
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", t.id, err)
	}
	o.mine = addTotals(o.mine, res.Totals)
	ht, err := res.Response.SettlementTotals()
	if err != nil {
		return fmt.Errorf("%s: settlement answer: %w", t.id, err)
	}
	o.host = addTotals(o.host, ht)
	if !res.Balanced {
		return fmt.Errorf("%s: settlement not balanced: terminal %+v, host %+v", t.id, res.Totals, ht)
	}
	return nil
}

// retryN calls f until it succeeds, n times at most.
func retryN(n int, f func() error) error {
	var err error
	for range n {
		if err = f(); err == nil {
			return nil
		}
	}
	return err
}
