package terminal_test

import (
	"errors"
	"fmt"
	"sync"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

// fault is what the test host does with one message.
type fault int

const (
	answer    fault = iota // book and answer
	lose                   // book, then lose the answer (a timeout)
	unreached              // the message never reaches the host (connection reset)
	garbage                // book, answer something that does not match
	notSent                // the sender reports the message never left
)

var errTimeout = errors.New("i/o timeout")

// testHost is an acquirer host in memory, a Sender: it books financial
// requests by terminal and STAN, applies a reversal once (repeats and a
// reversal before its original change nothing more), and counts what it
// saw.
type testHost struct {
	mu       sync.Mutex
	now      time.Time
	books    map[string]*booking // terminal/STAN of the original
	seen     map[string]int      // MTI -> count
	first    map[string]int      // terminal/STAN -> 0400 (first sends) received
	fault    func(req *iso8583.Transaction) fault
	code     func(req *iso8583.Transaction) string // response code; "00" when nil
	rrn      int
	uploaded int
	ends     []string // 60.3 of the end-of-batch-upload messages received

	dl      hostDownloads
	ask     iso8583.HostRequest // asked for in the next answer, then cleared
	lastAsk iso8583.HostRequest // what the last answer's header carried
}

// hostDownloads is what the test host serves to download requests.
type hostDownloads struct {
	params     iso8583.ParamSet
	keys       []emv.CAPublicKey
	aids       []iso8583.AIDEntry
	hot        []string
	hotVersion int
}

type booking struct {
	kind     iso8583.Kind
	amount   int64
	reversed bool // a reversal was applied (or arrived before the original)
	booked   bool
	voids    string // STAN this void cancels
}

func newTestHost() *testHost {
	return &testHost{
		now:   time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC),
		books: map[string]*booking{}, seen: map[string]int{}, first: map[string]int{},
	}
}

func (h *testHost) Send(m *moov.Message) (*moov.Message, error) {
	req, err := iso8583.FromMessage(m)
	if err != nil {
		return nil, err
	}
	f := answer
	if h.fault != nil {
		f = h.fault(req)
	}
	switch f {
	case notSent:
		return nil, fmt.Errorf("%w: dial refused", terminal.ErrNotSent)
	case unreached:
		return nil, errors.New("read tcp: connection reset by peer")
	}
	resp, err := h.handle(req)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.lastAsk, h.ask = h.ask, 0
	if req.F60 == nil && h.lastAsk != 0 && req.MTI[:2] == "08" {
		_, _ = iso8583.RequestDownload(resp, iso8583.Header{}, h.lastAsk)
	}
	h.mu.Unlock()
	switch f {
	case lose:
		return nil, errTimeout
	case garbage:
		resp.STAN = "999999"
	}
	return resp.Message(m.GetSpec())
}

func key(tx *iso8583.Transaction) string { return tx.TerminalID + "/" + tx.STAN }

func (h *testHost) handle(req *iso8583.Transaction) (*iso8583.Transaction, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seen[req.MTI]++
	code := "00"
	if h.code != nil {
		code = h.code(req)
	}
	switch req.MTI[:2] {
	case "01", "02":
		b := h.books[key(req)]
		if b == nil {
			b = &booking{}
			h.books[key(req)] = b
		}
		amount, _ := req.AmountMinor()
		b.kind, b.amount = req.Kind(), amount
		if req.F61 != nil {
			b.voids = req.F61.OrigSTAN
		}
		if code == "00" && !b.reversed {
			b.booked = true
		}
	case "04":
		k := key(req)
		if len(req.OriginalData) >= 10 { // ISO87: the original's STAN in field 90
			k = req.TerminalID + "/" + req.OriginalData[4:10]
		}
		if req.MTI == "0400" {
			h.first[k]++
		}
		b := h.books[k]
		if b == nil {
			b = &booking{}
			h.books[k] = b
		}
		b.reversed = true
	case "03":
		if req.IsBatchUploadEnd() {
			h.ends = append(h.ends, req.F60.NetMgmt)
		} else {
			h.uploaded++
		}
	case "08":
		if req.DownloadStep() != iso8583.StepNone {
			return h.download(req)
		}
	case "05":
		resp, err := iso8583.NewResponse(req, "00", "", "", h.now)
		if err != nil {
			return nil, err
		}
		tt, _ := req.SettlementTotals()
		balanced := tt == h.totalsLocked(req.TerminalID)
		if req.AdditionalData == "" { // ISO87: the response code says it
			if !balanced {
				resp.ResponseCode = "95"
			}
			return resp, nil
		}
		rc := iso8583.ReconBalanced
		if !balanced {
			rc = iso8583.ReconUnbalanced
		}
		return resp, resp.SetReconciliation(req, rc, iso8583.ReconBalanced)
	}
	h.rrn++
	return iso8583.NewResponse(req, code, fmt.Sprintf("%012d", h.rrn), "A1B2C3", h.now)
}

// totals returns what the host holds for a terminal: booked, unreversed
// sales not voided (debits) and refunds (credits).
func (h *testHost) totals(tid string) iso8583.Totals {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.totalsLocked(tid)
}

func (h *testHost) totalsLocked(tid string) iso8583.Totals {
	var tt iso8583.Totals
	voided := map[string]bool{}
	for k, b := range h.books {
		if b.booked && !b.reversed && b.kind == iso8583.KindVoid && k[:len(tid)] == tid {
			voided[tid+"/"+b.voids] = true
		}
	}
	for k, b := range h.books {
		if !b.booked || b.reversed || k[:len(tid)+1] != tid+"/" {
			continue
		}
		switch b.kind {
		case iso8583.KindSale, iso8583.KindTransfer:
			if !voided[k] {
				tt.DebitCount++
				tt.DebitAmount += b.amount
			}
		case iso8583.KindRefund:
			tt.CreditCount++
			tt.CreditAmount += b.amount
		}
	}
	return tt
}

// doubleReversals counts originals whose reversal came as a first send
// (0400) more than once: a terminal that lost count of its attempts.
func (h *testHost) doubleReversals() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.first {
		if c > 1 {
			n++
		}
	}
	return n
}

func (h *testHost) count(mti string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seen[mti]
}

// ReceivedHeader makes the test host a HeaderSender: the UnionPay header
// of its last answer carries the host request asked for.
func (h *testHost) ReceivedHeader(*moov.Message) (iso8583.Header, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	hdr := iso8583.Header{0x60, 0x31, byte(h.lastAsk), 0x00, 0x00, 0x00}
	return hdr, true
}

// download answers a download request from h.dl; the caller holds h.mu.
func (h *testHost) download(req *iso8583.Transaction) (*iso8583.Transaction, error) {
	if req.DownloadStep() == iso8583.StepEnd {
		return iso8583.NewResponse(req, "00", "", "", h.now)
	}
	switch req.Kind() {
	case iso8583.KindParameterDownload:
		return iso8583.NewParamResponse(req, h.dl.params, h.now)
	case iso8583.KindCAKeyDownload:
		if req.DownloadStep() == iso8583.StepQuery {
			var held []iso8583.CAKeyStatus
			for _, k := range h.dl.keys {
				held = append(held, iso8583.StatusOf(k))
			}
			return iso8583.NewCAKeyListResponse(req, held, h.now)
		}
		rid, index, err := req.CAKeyRequested()
		if err != nil {
			return nil, err
		}
		for _, k := range h.dl.keys {
			if k.RID == rid && k.Index == index {
				return iso8583.NewCAKeyResponse(req, &k, h.now)
			}
		}
		return iso8583.NewCAKeyResponse(req, nil, h.now)
	case iso8583.KindAIDDownload:
		if req.DownloadStep() == iso8583.StepQuery {
			var held [][]byte
			for _, a := range h.dl.aids {
				held = append(held, a.Params.AID)
			}
			return iso8583.NewAIDListResponse(req, held, h.now)
		}
		aid, err := req.AIDRequested()
		if err != nil {
			return nil, err
		}
		for _, a := range h.dl.aids {
			if string(a.Params.AID) == string(aid) {
				return iso8583.NewAIDResponse(req, &a, h.now)
			}
		}
		return iso8583.NewAIDResponse(req, nil, h.now)
	}
	return iso8583.NewHotListResponse(req, h.dl.hotVersion, h.dl.hot, h.now)
}
