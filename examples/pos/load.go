package main

// load.go: many terminals at once against one host, to measure it and to
// check that nothing is lost or counted twice under concurrency.

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// loadResult is what a load run measured and checked.
type loadResult struct {
	Terminals int
	Elapsed   time.Duration
	Sales     int     // approved chip sales with PIN, ARQC and MAC
	Voids     int     // of which voided (every seventh)
	TPS       float64 // sales and voids per second
	P50, P99  time.Duration
	Max       time.Duration
}

func (r loadResult) String() string {
	return fmt.Sprintf("load: %d terminals, %d transactions (%d chip sales with PIN, %d voids) in %v: %.0f TPS, latency p50 %v, p99 %v, max %v",
		r.Terminals, r.Sales+r.Voids, r.Sales, r.Voids, r.Elapsed.Round(time.Millisecond), r.TPS,
		r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Max.Round(time.Microsecond))
}

// runLoad runs n terminals against one host for d (and at most maxSales
// sales each when maxSales > 0). Each terminal signs on, sells until the
// time is up (voiding every seventh sale), then settles. It fails unless every request was answered with
// its own STAN and a MAC and ARPC that verify, every RRN is unique and booked
// by the host for the request it answered, each terminal's totals equal the
// host's and the sum of its approved sales, and every settlement balances.
func runLoad(spec Spec, dk DUKPT, n int, d time.Duration, maxSales int, log io.Writer) (loadResult, error) {
	res := loadResult{Terminals: n}
	h, err := NewHost(spec, dk, &tracer{w: log})
	if err != nil {
		return res, err
	}
	defer h.Close()

	type outcome struct {
		tid   string
		lat   []time.Duration
		rrns  map[string]string // RRN → STAN of the request it answered
		voids int
		err   error
	}
	out := make([]outcome, n)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := &out[i]
			o.rrns = map[string]string{}
			o.err = func() error {
				t, err := NewTerminal(spec, dk, h.Addr(), i+1, nil)
				if err != nil {
					return err
				}
				defer t.Close()
				o.tid = t.ID()
				if err := t.SignOn(); err != nil {
					return err
				}
				// settle checks the terminal's totals against the host's and
				// the sales it made, then closes the batch; a batch holds at
				// most 999 sales (the UnionPay count is 3 digits).
				var sum int64
				var count int
				settle := func() error {
					mine, host := t.Totals(), h.Totals(t.ID())
					if mine != host || mine.DebitAmount != sum || mine.DebitCount != count {
						return fmt.Errorf("%s: terminal totals %+v, host %+v, sum of sales %d", t.ID(), mine, host, sum)
					}
					sum, count = 0, 0
					_, _, err := t.Settle()
					return err
				}
				for k := 0; time.Now().Before(deadline) && (maxSales == 0 || k < maxSales); k++ {
					amount := int64(100 + (i*7919+k*104729)%90000)
					t0 := time.Now()
					r, err := t.ChipSale(amount) // checks STAN, MAC and ARPC of the answer
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
					sum += amount
					count++
					if k%7 == 6 {
						// now and then the customer changes their mind
						t0 := time.Now()
						v, err := t.Void(r.Entry)
						o.lat = append(o.lat, time.Since(t0))
						if err != nil {
							return fmt.Errorf("%s void %d: %w", t.ID(), k, err)
						}
						if !v.Approved {
							return fmt.Errorf("%s void %d declined: %s", t.ID(), k, v.Resp.ResponseCode)
						}
						o.voids++
						sum -= amount
						count--
					}
					if count == 900 {
						if err := settle(); err != nil {
							return err
						}
					}
				}
				return settle()
			}()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)

	var all []time.Duration
	seen := map[string]bool{}
	var errs []error
	for _, o := range out {
		if o.err != nil {
			errs = append(errs, o.err)
		}
		all = append(all, o.lat...)
		res.Voids += o.voids
		for rrn, stan := range o.rrns {
			if seen[rrn] {
				errs = append(errs, fmt.Errorf("RRN %s given to two terminals", rrn))
			}
			seen[rrn] = true
			// the host booked that RRN for this terminal's request
			if tid, s, ok := h.Booked(rrn); !ok || tid != o.tid || s != stan {
				errs = append(errs, fmt.Errorf("RRN %s: host booked %s/%s, terminal %s sent STAN %s", rrn, tid, s, o.tid, stan))
			}
		}
	}
	for _, o := range out {
		res.Sales += len(o.rrns)
	}
	if len(all) > 0 {
		sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
		res.P50 = all[len(all)/2]
		res.P99 = all[(len(all)*99+99)/100-1]
		res.Max = all[len(all)-1]
		res.TPS = float64(len(all)) / res.Elapsed.Seconds()
	}
	return res, errors.Join(errs...)
}
