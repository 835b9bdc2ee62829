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

// drive is one terminal of a load run.
func (o *terminalRun) drive(cfg loadConfig, addr string, n int, deadline time.Time, h *Host) error {
	t, err := NewTerminal(cfg.Spec, cfg.DUKPT, addr, n, nil)
	if err != nil {
		return err
	}
	defer t.Close()
	t.timeout = cfg.Timeout
	o.tid = t.ID()
	if err := retryUnknown(t.SignOn); err != nil {
		return fmt.Errorf("%s sign-on: %w", t.ID(), err)
	}
	for k := 0; time.Now().Before(deadline) && (cfg.MaxSales == 0 || k < cfg.MaxSales); k++ {
		if err := o.flush(t, 1); err != nil {
			continue // the reversals go first; try again
		}
		amount := int64(100 + (n*7919+k*104729)%90000)
		t0 := time.Now()
		r, err := t.ChipSale(amount) // checks STAN, MAC and ARPC of the answer
		if errors.Is(err, errUnknown) {
			o.unknown++
			if err := t.queueReversal(r.Entry.Req); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("%s sale %d: %w", t.ID(), k, err)
		}
		o.lat = append(o.lat, time.Since(t0))
		if !r.Entry.Approved {
			return fmt.Errorf("%s sale %d declined: %s", t.ID(), k, r.Entry.Resp.ResponseCode)
		}
		if _, dup := o.rrns[r.Entry.Resp.RRN]; dup {
			return fmt.Errorf("%s: RRN %s given twice", t.ID(), r.Entry.Resp.RRN)
		}
		o.rrns[r.Entry.Resp.RRN] = r.Entry.Req.STAN
		if k%7 == 6 {
			// now and then the customer changes their mind
			if err := o.void(t, r.Entry, k); err != nil {
				return err
			}
		}
		if len(t.batch) >= 900 {
			if err := o.settle(t, h); err != nil {
				return err
			}
		}
	}
	// every reversal goes before the last settlement
	if err := o.flush(t, 50); err != nil {
		o.queued = t.Queued()
		return fmt.Errorf("%s: %d reversals not acknowledged: %w", t.ID(), t.Queued(), err)
	}
	return o.settle(t, h)
}

// void voids e; an unknown outcome queues the void's reversal.
func (o *terminalRun) void(t *Terminal, e *entry, k int) error {
	t0 := time.Now()
	v, err := t.Void(e)
	if errors.Is(err, errUnknown) {
		o.unknown++
		return t.queueReversal(v.Req)
	}
	if err != nil {
		return fmt.Errorf("%s void %d: %w", t.ID(), k, err)
	}
	o.lat = append(o.lat, time.Since(t0))
	if !v.Approved {
		return fmt.Errorf("%s void %d declined: %s", t.ID(), k, v.Resp.ResponseCode)
	}
	o.voids++
	return nil
}

// flush sends the queued reversals, trying up to tries times.
func (o *terminalRun) flush(t *Terminal, tries int) error {
	var err error
	for range tries {
		var n int
		n, err = t.SendQueued()
		o.reversals += n
		if err == nil {
			return nil
		}
	}
	return err
}

// settle sends the batch totals and adds them, and the host's totals from
// its answer, to the run's.
func (o *terminalRun) settle(t *Terminal, h *Host) error {
	if h != nil {
		if mine, host := t.Totals(), h.Totals(t.ID()); mine != host {
			return fmt.Errorf("%s before settlement: terminal totals %+v, host %+v", t.ID(), mine, host)
		}
	}
	resp, tt, err := t.Settle()
	o.mine = addTotals(o.mine, tt)
	if resp != nil {
		if ht, herr := resp.SettlementTotals(); herr == nil {
			o.host = addTotals(o.host, ht)
		}
	}
	return err
}

// retryUnknown calls f until its outcome is known, five times at most.
func retryUnknown(f func() error) error {
	var err error
	for range 5 {
		if err = f(); !errors.Is(err, errUnknown) {
			return err
		}
	}
	return err
}
