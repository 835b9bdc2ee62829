package terminal

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/iso8583"
)

// BucketDownload holds what the host downloads to the terminal: the
// download set (terminal parameters, CA public keys, AID parameters) and
// the hot-card list, each under its own key and always written together.
const BucketDownload = "download"

// keyDownloadSet is the key of the download set in BucketDownload.
const keyDownloadSet = "set"

// ErrDownload reports a download that could not be completed: the host
// did not answer, declined, or sent something unusable (a CA key whose
// check value does not verify, say). The set in force is unchanged and
// the download stays due.
var ErrDownload = errors.New("terminal: download failed")

// HeaderSender is a Sender that can tell the UnionPay message header an
// answer arrived with; *Link is one. The POS reads the host's processing
// request (处理要求: download the parameters, the CA keys, the AIDs, the
// hot-card list) from it. Without it the POS still reads the ISO 8583:1987
// request of iso8583.DownloadRequested, which travels in the message.
type HeaderSender interface {
	Sender
	ReceivedHeader(answer *moov.Message) (iso8583.Header, bool)
}

// downloadKinds are the downloads a POS runs, in this order; a kind's
// index is its bit in the masks below.
var downloadKinds = [...]iso8583.Kind{iso8583.KindParameterDownload, iso8583.KindCAKeyDownload,
	iso8583.KindAIDDownload, iso8583.KindHotListDownload}

const allDownloads = 1<<len(downloadKinds) - 1

// downloadBit returns the bit of kind k; 0 for a kind that is not a download.
func downloadBit(k iso8583.Kind) uint8 {
	for i, d := range downloadKinds {
		if d == k {
			return 1 << i
		}
	}
	return 0
}

// downloadSet is the complete download in force.
type downloadSet struct {
	have   uint8 // downloads completed at least once
	params iso8583.ParamSet
	keys   []emv.CAPublicKey
	store  *emv.CAPKStore
	aids   []iso8583.AIDEntry
}

// downloadRec is the stored form of a downloadSet: the parameters, each
// CA key and each AID in the field 62 layout of their download answers
// (iso8583.AppendParamSet; status "1" and iso8583.AppendCAKey or
// AppendAIDEntry), so that loading them repeats the checks of a download.
type downloadRec struct {
	Have   uint8    `json:"have"`
	Params []byte   `json:"params,omitempty"`
	Keys   [][]byte `json:"capk,omitempty"`
	AIDs   [][]byte `json:"aids,omitempty"`
}

func encodeDownload(s *downloadSet) ([]byte, error) {
	r := downloadRec{Have: s.have}
	var err error
	if s.have&downloadBit(iso8583.KindParameterDownload) != 0 {
		if r.Params, err = iso8583.AppendParamSet(nil, s.params); err != nil {
			return nil, err
		}
	}
	for _, k := range s.keys {
		b, err := iso8583.AppendCAKey([]byte{'1'}, k)
		if err != nil {
			return nil, err
		}
		r.Keys = append(r.Keys, b)
	}
	for _, a := range s.aids {
		b, err := iso8583.AppendAIDEntry([]byte{'1'}, a)
		if err != nil {
			return nil, err
		}
		r.AIDs = append(r.AIDs, b)
	}
	return json.Marshal(r)
}

// decodeDownload reads a stored set; the CA keys' check values are
// verified again (emv.CAPKStore.Add).
func decodeDownload(b []byte) (*downloadSet, error) {
	var r downloadRec
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%w: download set: %w", ErrCorrupt, err)
	}
	s := &downloadSet{have: r.Have & allDownloads, store: emv.NewCAPKStore()}
	var err error
	if s.have&downloadBit(iso8583.KindParameterDownload) != 0 {
		if s.params, err = iso8583.ParseParamSet(r.Params); err != nil {
			return nil, fmt.Errorf("%w: download set parameters: %w", ErrCorrupt, err)
		}
	}
	for i, kb := range r.Keys {
		k, ok, err := iso8583.ParseCAKey(kb)
		if err == nil && !ok {
			err = errors.New("no key")
		}
		if err == nil {
			err = s.store.Add(k)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: download set CA key %d: %w", ErrCorrupt, i, err)
		}
		s.keys = append(s.keys, k)
	}
	for i, ab := range r.AIDs {
		a, ok, err := iso8583.ParseAIDEntry(ab)
		if err == nil && !ok {
			err = errors.New("no AID")
		}
		if err != nil {
			return nil, fmt.Errorf("%w: download set AID %d: %w", ErrCorrupt, i, err)
		}
		s.aids = append(s.aids, a)
	}
	return s, nil
}

// loadDownload reads the download set at Open; what was never downloaded
// is due.
func (p *POS) loadDownload() error {
	p.dl = &downloadSet{store: emv.NewCAPKStore()}
	v, ok, err := p.cfg.Store.Get(BucketDownload, keyDownloadSet)
	if err != nil {
		return fmt.Errorf("%w: read download set: %w", ErrStore, err)
	}
	if ok {
		if p.dl, err = decodeDownload(v); err != nil {
			return err
		}
	}
	p.due = allDownloads &^ p.dl.have
	return nil
}

// noteAnswer marks the download the host asks for in an answer: in the
// UnionPay header the answer came with (when the Sender can tell it) or,
// on ISO 8583:1987, in the answer itself.
func (p *POS) noteAnswer(rm *moov.Message, resp *iso8583.Transaction) {
	var h iso8583.Header
	if hs, ok := p.cfg.Sender.(HeaderSender); ok {
		h, _ = hs.ReceivedHeader(rm)
	}
	bit := downloadBit(iso8583.DownloadRequested(resp, h).Download())
	if bit == 0 {
		return
	}
	if p.due&bit == 0 {
		p.due |= bit
		p.retryAt = time.Time{} // a new request from the host is served at once
	}
	p.hostAsked = true
}

// Downloads reports the downloads due (never completed, asked for by the
// host, or failed and to be retried) and the error of the last automatic
// download that failed (nil when the last one succeeded).
func (p *POS) Downloads() (due []iso8583.Kind, lastErr error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, k := range downloadKinds {
		if p.due&(1<<i) != 0 {
			due = append(due, k)
		}
	}
	return due, p.dlErr
}

// runDue runs the downloads due, unless they are configured manual or a
// failed one waits for its retry time. The error is kept for Downloads.
func (p *POS) runDue() {
	p.hostAsked = false
	if p.cfg.ManualDownload || p.due == 0 || p.cfg.Now().Before(p.retryAt) {
		return
	}
	p.dlErr = p.download(p.due)
	if p.dlErr != nil {
		p.retryAt = p.cfg.Now().Add(p.cfg.DownloadRetry)
	}
}

// Download runs the download exchanges of kinds (all four when none is
// given: iso8583.KindParameterDownload, KindCAKeyDownload,
// KindAIDDownload, KindHotListDownload) through the Sender, each as the
// host's status query, one request per item and the end message, and
// then replaces the set in force with the result in one Store write: a
// download cut short leaves the previous complete set (and hot-card
// list) in force and stays due. A hot-card list whose version is not
// newer than the one in force is not fetched beyond its first part.
//
// A POS also downloads on its own, unless Config.ManualDownload is set:
// at SignOn when something was never downloaded (first start) or is due,
// and after any request whose answer asks for a download (the UnionPay
// header's processing request; field 48 of an ISO 8583:1987 network
// management answer). A failed automatic download is retried after
// Config.DownloadRetry.
//
// Errors: ErrConfig for a kind that is not a download; ErrDownload
// wrapping the cause (ErrNoAnswer, a declined answer, an iso8583 or emv
// error); ErrStore.
func (p *POS) Download(kinds ...iso8583.Kind) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var mask uint8
	for _, k := range kinds {
		bit := downloadBit(k)
		if bit == 0 {
			return fmt.Errorf("%w: %v is not a download", ErrConfig, k)
		}
		mask |= bit
	}
	if mask == 0 {
		mask = allDownloads
	}
	return p.download(mask)
}

// download fetches the downloads of mask into a copy of the set in
// force and commits it.
func (p *POS) download(mask uint8) error {
	next := *p.dl
	hot := p.hot
	var err error
	for i, k := range downloadKinds {
		if mask&(1<<i) == 0 {
			continue
		}
		switch k {
		case iso8583.KindParameterDownload:
			next.params, err = p.fetchParams()
		case iso8583.KindCAKeyDownload:
			next.keys, next.store, err = p.fetchCAKeys()
		case iso8583.KindAIDDownload:
			next.aids, err = p.fetchAIDs()
		case iso8583.KindHotListDownload:
			hot, err = p.fetchHotList()
		}
		if err != nil {
			p.due |= mask // retried later
			return wrap(ErrDownload, err)
		}
		next.have |= 1 << i
	}
	return p.commitDownload(&next, hot, mask)
}

// commitDownload writes the new set and hot-card list in one Store write
// and puts them in force.
func (p *POS) commitDownload(next *downloadSet, hot *HotList, mask uint8) error {
	enc, err := encodeDownload(next)
	if err != nil {
		return wrap(ErrDownload, err)
	}
	ops := []Op{{BucketDownload, keyDownloadSet, enc}}
	if hot != p.hot {
		hb, _ := hot.MarshalBinary()
		ops = append(ops, Op{BucketDownload, keyHotList, hb})
	}
	point("download-write")
	if err := p.cfg.Store.Apply(ops...); err != nil {
		p.due |= mask
		return wrap(ErrDownload, wrapStore("write download", err))
	}
	point("download-written")
	p.dl, p.hot = next, hot
	p.due &^= mask
	return nil
}

// manage sends one download message and returns the host's approving
// answer.
func (p *POS) manage(build func(t *iso8583.Terminal) (*iso8583.Transaction, error)) (*iso8583.Transaction, error) {
	out := p.call(build)
	if out.Err != nil {
		return nil, out.Err
	}
	if out.Status != Approved {
		return nil, fmt.Errorf("%s answered %s (%s)", out.Request.Kind(), out.Code.Code, out.Code.English)
	}
	return out.Response, nil
}

// end sends the end message of download k.
func (p *POS) end(k iso8583.Kind) error {
	_, err := p.manage(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.DownloadEnd(k) })
	return err
}

func (p *POS) fetchParams() (iso8583.ParamSet, error) {
	resp, err := p.manage(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.ParamDownload() })
	if err != nil {
		return iso8583.ParamSet{}, err
	}
	ps, err := resp.Params()
	if err != nil {
		return iso8583.ParamSet{}, err
	}
	return ps, p.end(iso8583.KindParameterDownload)
}

// maxListed bounds the entries of a status query (its start is n2).
const maxListed = 99

func (p *POS) fetchCAKeys() ([]emv.CAPublicKey, *emv.CAPKStore, error) {
	var held []iso8583.CAKeyStatus
	for {
		start := len(held)
		resp, err := p.manage(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.CAKeyQuery(start) })
		if err != nil {
			return nil, nil, err
		}
		l, err := resp.CAKeyList()
		if err != nil {
			return nil, nil, err
		}
		held = append(held, l.Keys...)
		if !l.More || len(l.Keys) == 0 || len(held) > maxListed {
			break
		}
	}
	store := emv.NewCAPKStore()
	var keys []emv.CAPublicKey
	for _, h := range held {
		resp, err := p.manage(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.CAKeyDownload(h.RID, h.Index) })
		if err != nil {
			return nil, nil, err
		}
		k, ok, err := resp.CAKey()
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			continue // listed, then withdrawn: not held
		}
		if err := store.Add(k); err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
	}
	return keys, store, p.end(iso8583.KindCAKeyDownload)
}

func (p *POS) fetchAIDs() ([]iso8583.AIDEntry, error) {
	var held [][]byte
	for {
		start := len(held)
		resp, err := p.manage(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.AIDQuery(start) })
		if err != nil {
			return nil, err
		}
		l, err := resp.AIDList()
		if err != nil {
			return nil, err
		}
		held = append(held, l.AIDs...)
		if !l.More || len(l.AIDs) == 0 || len(held) > maxListed {
			break
		}
	}
	var aids []iso8583.AIDEntry
	for _, aid := range held {
		resp, err := p.manage(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.AIDDownload(aid) })
		if err != nil {
			return nil, err
		}
		e, ok, err := resp.AIDEntry()
		if err != nil {
			return nil, err
		}
		if ok {
			aids = append(aids, e)
		}
	}
	return aids, p.end(iso8583.KindAIDDownload)
}

// fetchHotList fetches the hot-card list part by part. Entries of 12
// digits or more are card numbers, shorter ones BIN prefixes. A list
// whose version is not newer than the one in force is not fetched
// further, and the one in force is returned.
func (p *POS) fetchHotList() (*HotList, error) {
	var d HotListDownload
	start := 0
	for {
		resp, err := p.manage(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.HotListDownload(start) })
		if err != nil {
			return nil, err
		}
		part, err := resp.HotListPart()
		if err != nil {
			return nil, err
		}
		if start == 0 && p.hot != nil && uint32(part.Version) <= p.hot.Version() {
			return p.hot, p.end(iso8583.KindHotListDownload)
		}
		d.Version = uint32(part.Version)
		for _, e := range part.Entries {
			if len(e) >= minHotPAN {
				d.PANs = append(d.PANs, e)
			} else {
				d.Ranges = append(d.Ranges, HotRange{Low: e, High: e})
			}
		}
		if !part.More || part.Last < start {
			break
		}
		start = part.Last + 1
	}
	h, err := p.hot.Update(d)
	if err != nil {
		return nil, err
	}
	return h, p.end(iso8583.KindHotListDownload)
}

// CAKeys returns the CA public keys downloaded, in an emv.CAPKStore ready
// for offline data authentication; an empty store before the first
// download. The store is shared and replaced by the next download: do
// not modify it.
func (p *POS) CAKeys() *emv.CAPKStore {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dl.store
}

// AIDs returns the AID parameters downloaded, in the host's order; nil
// before the first download. The slice is the caller's; its byte slices
// are shared and must not be modified.
func (p *POS) AIDs() []iso8583.AIDEntry {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]iso8583.AIDEntry(nil), p.dl.aids...)
}

// Params returns the terminal parameters downloaded; ok is false before
// the first parameter download.
func (p *POS) Params() (ps iso8583.ParamSet, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dl.params, p.dl.have&downloadBit(iso8583.KindParameterDownload) != 0
}
