package main

// manage.go: terminal management. The host serves the terminal
// management file it ships (testdata/tms.json, made by internal/gentms:
// test CA public keys, AID parameters, terminal parameters and the
// hot-card list) through iso8583's download messages; the terminal, after
// sign-on, downloads what it lacks — a status query, then one request per
// CA key or AID, then the end message, for each kind — and keeps the CA
// keys in an emv.CAPKStore for offline data authentication (oda.go).
// Transfers are dispatched here too (transfer.go).

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/iso8583"
)

// manage answers the requests of terminal management (parameter, CA key,
// AID and hot-card list downloads) and transfers; ok is false for every
// other request, which handleMessage answers.
func (h *Host) manage(peer string, req *iso8583.Transaction, alg iso8583.MACAlgorithm) (a answer, ok bool, err error) {
	switch req.Kind() {
	case iso8583.KindTransfer:
		a, err = h.transfer(peer, req, alg)
		return a, true, err
	case iso8583.KindParameterDownload, iso8583.KindCAKeyDownload, iso8583.KindAIDDownload, iso8583.KindHotListDownload:
		a, err = h.download(peer, req, alg)
		return a, true, err
	}
	return answer{}, false, nil
}

// served is the shipped file in the form the host's answers take, made
// once.
type served struct {
	keys    []emv.CAPublicKey
	held    []iso8583.CAKeyStatus
	aids    []iso8583.AIDEntry
	aidIDs  [][]byte
	params  iso8583.ParamSet
	hot     []string
	hotVers int
}

var servedTMS = sync.OnceValues(func() (*served, error) {
	f, err := shippedTMS()
	if err != nil {
		return nil, err
	}
	s := &served{hot: f.HotCards.PANs}
	if s.keys, err = f.CAPublicKeys(); err != nil {
		return nil, err
	}
	for _, k := range s.keys {
		s.held = append(s.held, iso8583.StatusOf(k))
	}
	aids, err := f.AIDParameters()
	if err != nil {
		return nil, err
	}
	for _, p := range aids {
		s.aids = append(s.aids, iso8583.AIDEntry{Params: p, OnlinePIN: true})
		s.aidIDs = append(s.aidIDs, p.AID)
	}
	if s.hotVers, err = strconv.Atoi(f.HotCards.Version); err != nil {
		return nil, fmt.Errorf("hot-card list version %q: %w", f.HotCards.Version, err)
	}
	tp := f.Terminal
	s.params = iso8583.ParamSet{TimeoutSeconds: tp.TimeoutSeconds, Redials: tp.Redials, MerchantName: tp.MerchantName,
		Resends: tp.ReversalTries, KeyIndex: 1}
	return s, nil
})

// download answers one step of a download from the shipped file: the
// status queries list what it holds, an item request gets the item (or,
// for an item the file lacks, an answer saying so), an end message is
// acknowledged. A request the host cannot read is answered 30.
func (h *Host) download(peer string, req *iso8583.Transaction, alg iso8583.MACAlgorithm) (answer, error) {
	s, err := servedTMS()
	if err != nil {
		h.log.printf("host: %s: %s: the terminal management file: %v; answering 96\n", peer, req.Kind(), err)
		return h.reply(req, "96", nil, nil, alg)
	}
	resp, err := s.answer(req, time.Now())
	if err != nil {
		h.log.printf("host: %s: %s %s STAN %s: %v; answering 30\n", peer, req.Kind(), req.DownloadStep(), req.STAN, err)
		return h.reply(req, "30", nil, nil, alg)
	}
	h.log.printf("host: %s: %s %s\n", req.TerminalID, req.Kind(), req.DownloadStep())
	if resp == nil { // an end message
		return h.reply(req, "00", nil, nil, alg)
	}
	f62 := resp.F62
	return h.reply(req, "00", nil, func(r *iso8583.Transaction) { r.F62 = f62 }, alg)
}

// answer builds the answer to a download request with iso8583's host
// builders; nil for an end message, which takes a plain 00.
func (s *served) answer(req *iso8583.Transaction, now time.Time) (*iso8583.Transaction, error) {
	switch k, step := req.Kind(), req.DownloadStep(); {
	case step == iso8583.StepEnd:
		return nil, nil
	case k == iso8583.KindCAKeyDownload && step == iso8583.StepQuery:
		return iso8583.NewCAKeyListResponse(req, s.held, now)
	case k == iso8583.KindCAKeyDownload && step == iso8583.StepItem:
		rid, index, err := req.CAKeyRequested()
		if err != nil {
			return nil, err
		}
		for i := range s.keys {
			if s.keys[i].RID == rid && s.keys[i].Index == index {
				return iso8583.NewCAKeyResponse(req, &s.keys[i], now)
			}
		}
		return iso8583.NewCAKeyResponse(req, nil, now)
	case k == iso8583.KindAIDDownload && step == iso8583.StepQuery:
		return iso8583.NewAIDListResponse(req, s.aidIDs, now)
	case k == iso8583.KindAIDDownload && step == iso8583.StepItem:
		aid, err := req.AIDRequested()
		if err != nil {
			return nil, err
		}
		for i := range s.aids {
			if bytes.Equal(s.aidIDs[i], aid) {
				return iso8583.NewAIDResponse(req, &s.aids[i], now)
			}
		}
		return iso8583.NewAIDResponse(req, nil, now)
	case k == iso8583.KindParameterDownload && step == iso8583.StepItem:
		return iso8583.NewParamResponse(req, s.params, now)
	case k == iso8583.KindHotListDownload && step == iso8583.StepItem:
		return iso8583.NewHotListResponse(req, s.hotVers, s.hot, now)
	}
	return nil, errors.New("not a download step the host serves")
}

// downloaded is what the terminal's download brought.
type downloaded struct {
	CAKeys     []string // RID/index of each key, e.g. A000000333/E1
	AIDs       int
	Params     iso8583.ParamSet
	HotVersion int
	HotCards   int
}

// String is the journey's summary line: no key bytes.
func (d downloaded) String() string {
	return fmt.Sprintf("downloaded: %d CA keys %v, %d AIDs, terminal parameters (merchant %q, timeout %d s), hot-card list version %d (%d entries)",
		len(d.CAKeys), d.CAKeys, d.AIDs, d.Params.MerchantName, d.Params.TimeoutSeconds, d.HotVersion, d.HotCards)
}

// errDownload reports a download answer the terminal cannot use.
var errDownload = errors.New("download failed")

// Download fetches, from the host, the terminal parameters, the CA public
// keys, the AID parameters and the hot-card list, and installs them only
// when every part completed: a download cut halfway leaves what the
// terminal had.
//
// The trace shows the first exchange whole and one line for each of the
// others.
func (t *Terminal) Download() (downloaded, error) {
	var d downloaded
	tr := t.trace
	t.brief = tr
	defer func() { t.trace, t.brief = tr, nil }()
	store := emv.NewCAPKStore()
	if err := t.downloadCAKeys(store, &d); err != nil {
		return d, err
	}
	aids, err := t.downloadAIDs()
	if err != nil {
		return d, err
	}
	d.AIDs = len(aids)
	if d.Params, err = t.downloadParams(); err != nil {
		return d, err
	}
	hot, version, err := t.downloadHotList()
	if err != nil {
		return d, err
	}
	d.HotVersion, d.HotCards = version, len(hot)
	t.capk, t.aids, t.params = store, aids, &d.Params
	t.hot, t.hotVersion = hot, version
	return d, nil
}

// manageExchange sends one download request and returns its approved
// answer.
func (t *Terminal) manageExchange(tx *iso8583.Transaction, err error) (*iso8583.Transaction, error) {
	if err != nil {
		return nil, err
	}
	resp, err := t.exchangePlain(tx)
	if err != nil {
		return nil, err
	}
	if t.trace == nil && t.brief != nil {
		t.brief.printf("terminal ⇄ host %s/%s %s %s, STAN %s: %s\n", tx.MTI, resp.MTI, tx.Kind(), tx.DownloadStep(), tx.STAN, resp.ResponseCode)
	}
	t.trace = nil // the next exchanges of the download in one line each
	if !resp.Approved() {
		return nil, fmt.Errorf("%w: %s answered %s", errDownload, tx.Kind(), resp.ResponseCode)
	}
	return resp, nil
}

// downloadCAKeys lists the host's CA keys (as many queries as the list
// needs), downloads each and adds it to store, which checks its check
// value, and ends the download.
func (t *Terminal) downloadCAKeys(store *emv.CAPKStore, d *downloaded) error {
	var held []iso8583.CAKeyStatus
	for {
		resp, err := t.manageExchange(t.iso.CAKeyQuery(len(held)))
		if err != nil {
			return err
		}
		l, err := resp.CAKeyList()
		if err != nil {
			return err
		}
		held = append(held, l.Keys...)
		if !l.More || len(l.Keys) == 0 {
			break
		}
	}
	for _, st := range held {
		resp, err := t.manageExchange(t.iso.CAKeyDownload(st.RID, st.Index))
		if err != nil {
			return err
		}
		k, ok, err := resp.CAKey()
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: the host listed CA key %X/%02X but does not hold it", errDownload, st.RID, st.Index)
		}
		if err := store.Add(k); err != nil {
			return err
		}
		d.CAKeys = append(d.CAKeys, fmt.Sprintf("%X/%02X", k.RID, k.Index))
	}
	_, err := t.manageExchange(t.iso.DownloadEnd(iso8583.KindCAKeyDownload))
	return err
}

// downloadAIDs lists the host's AIDs, downloads the parameters of each
// and ends the download.
func (t *Terminal) downloadAIDs() ([]emv.AIDParams, error) {
	var ids [][]byte
	for {
		resp, err := t.manageExchange(t.iso.AIDQuery(len(ids)))
		if err != nil {
			return nil, err
		}
		l, err := resp.AIDList()
		if err != nil {
			return nil, err
		}
		ids = append(ids, l.AIDs...)
		if !l.More || len(l.AIDs) == 0 {
			break
		}
	}
	var out []emv.AIDParams
	for _, id := range ids {
		resp, err := t.manageExchange(t.iso.AIDDownload(id))
		if err != nil {
			return nil, err
		}
		e, ok, err := resp.AIDEntry()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%w: the host listed AID %X but does not hold it", errDownload, id)
		}
		out = append(out, e.Params)
	}
	_, err := t.manageExchange(t.iso.DownloadEnd(iso8583.KindAIDDownload))
	return out, err
}

// downloadParams downloads the terminal parameters and ends the download.
func (t *Terminal) downloadParams() (iso8583.ParamSet, error) {
	resp, err := t.manageExchange(t.iso.ParamDownload())
	if err != nil {
		return iso8583.ParamSet{}, err
	}
	p, err := resp.Params()
	if err != nil {
		return p, err
	}
	_, err = t.manageExchange(t.iso.DownloadEnd(iso8583.KindParameterDownload))
	return p, err
}

// downloadHotList downloads the hot-card list, part after part, and ends
// the download.
func (t *Terminal) downloadHotList() (map[string]bool, int, error) {
	hot := map[string]bool{}
	version, next := 0, 0
	for {
		resp, err := t.manageExchange(t.iso.HotListDownload(next))
		if err != nil {
			return nil, 0, err
		}
		p, err := resp.HotListPart()
		if err != nil {
			return nil, 0, err
		}
		for _, e := range p.Entries {
			hot[e] = true
		}
		version = p.Version
		if !p.More || p.Last < next {
			break
		}
		next = p.Last + 1
	}
	_, err := t.manageExchange(t.iso.DownloadEnd(iso8583.KindHotListDownload))
	return hot, version, err
}

// onHotList reports whether pan, or one of its BIN prefixes of 6 digits
// or more, is on the downloaded hot-card list.
func (t *Terminal) onHotList(pan string) bool {
	for n := 6; n <= len(pan); n++ {
		if t.hot[pan[:n]] {
			return true
		}
	}
	return false
}
