package terminal_test

import (
	"bytes"
	"crypto/fips140"
	"errors"
	"fmt"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/internal/fipstest"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

// testCAKey returns a CA key as a host holds it: a made-up odd modulus
// (test data, no scheme's key) with its SHA-1 check value.
func testCAKey(t *testing.T, index byte, size int) emv.CAPublicKey {
	t.Helper()
	m := bytes.Repeat([]byte{index | 0x80, 0x5A}, size/2)
	m[len(m)-1] |= 1
	k := emv.CAPublicKey{RID: [5]byte{0xA0, 0, 0, 0x03, 0x33}, Index: index, HashAlgorithm: emv.CAPKHashSHA1,
		KeyAlgorithm: emv.CAPKAlgorithmRSA, Modulus: m, Exponent: []byte{3},
		Expiry: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)}
	sum, err := k.ComputeChecksum()
	if err != nil {
		t.Skipf("SHA-1 refused (FIPS 140-only): %v", err)
	}
	k.Checksum = sum
	return k
}

func testAID(aid string, floor int64) iso8583.AIDEntry {
	var b []byte
	_, _ = fmt.Sscanf(aid, "%X", &b)
	return iso8583.AIDEntry{OnlinePIN: true, Params: emv.AIDParams{AID: b, Version: [2]byte{0x00, 0x20},
		TAC:        emv.ActionCodes{Denial: emv.TVR{0, 0x10}, Online: emv.TVR{0xD8, 0x40, 0, 0x80}, Default: emv.TVR{0xD8, 0x40}},
		FloorLimit: floor, Threshold: 0, ContactlessFloorLimit: -1, ContactlessTransactionLimit: 100000, ContactlessCVMLimit: -1}}
}

// serveDownloads fills the test host with a download: parameters, n CA
// keys, two AIDs and a hot-card list of version v with 300 cards (several
// parts) and a BIN prefix.
func serveDownloads(t *testing.T, h *testHost, n int, v int) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dl.params = iso8583.ParamSet{TimeoutSeconds: 60, Redials: 3, MerchantName: "POSKIT TEST SHOP", KeyIndex: 1}
	h.dl.keys = nil
	for i := range n {
		h.dl.keys = append(h.dl.keys, testCAKey(t, byte(i+1), 176))
	}
	h.dl.aids = []iso8583.AIDEntry{testAID("A000000333010101", 0), testAID("A000000333010102", 50000)}
	h.dl.hot, h.dl.hotVersion = []string{"622911"}, v
	for i := range 300 {
		h.dl.hot = append(h.dl.hot, fmt.Sprintf("62242400%08d", i))
	}
}

func checkDownloaded(t *testing.T, f *fixture, keys int, version uint32) {
	t.Helper()
	if due, err := f.pos.Downloads(); len(due) != 0 || err != nil {
		t.Fatalf("due %v, last error %v", due, err)
	}
	if got := f.pos.CAKeys().Len(); got != keys {
		t.Errorf("%d CA keys, want %d", got, keys)
	}
	if keys > 0 {
		k := f.host.dl.keys[keys-1]
		pk, err := f.pos.CAKeys().LookupAt(k.RID[:], k.Index, f.now)
		if err != nil || !bytes.Equal(pk.Modulus, k.Modulus) {
			t.Errorf("lookup: %v", err)
		}
	}
	if a := f.pos.AIDs(); len(a) != 2 || a[1].Params.FloorLimit != 50000 || !a[0].OnlinePIN {
		t.Errorf("AIDs %+v", a)
	}
	if ps, ok := f.pos.Params(); !ok || ps.MerchantName != "POSKIT TEST SHOP" || ps.Redials != 3 {
		t.Errorf("params %+v %v", ps, ok)
	}
	h := f.pos.HotList()
	if h.Version() != version || !h.Contains("6224240000000299") || !h.Contains("6229110000000001") || h.Contains(card.PAN) {
		t.Errorf("hot list %v", h)
	}
}

// At first start the POS downloads everything at sign-on, keeps it across
// a restart and does not download again.
func TestDownloadAtFirstStart(t *testing.T) {
	for _, d := range []iso8583.Dialect{iso8583.UnionPay, iso8583.ISO87} {
		f := newFixture(t, d)
		serveDownloads(t, f.host, 3, 5)
		if due, _ := f.pos.Downloads(); len(due) != 4 {
			t.Fatalf("%v: due %v", d, due)
		}
		if out := f.pos.SignOn(); out.Status != terminal.Approved || out.Err != nil {
			t.Fatalf("%v: %v", d, out)
		}
		checkDownloaded(t, f, 3, 5)
		q, k := "0820", "0800"
		if d == iso8583.ISO87 {
			q = "none" // queries are 0800 too
		}
		// sign-on, params + end, 3 keys + end, 2 AIDs + end, hot-list parts + end
		if got := f.host.count(k); d == iso8583.UnionPay && (got < 1+2+4+3+3 || f.host.count(q) != 2) {
			t.Errorf("%v: %d 0800, %d 0820", d, got, f.host.count(q))
		}
		sent := f.host.count(k) + f.host.count(q)
		f.reopen(t)
		checkDownloaded(t, f, 3, 5)
		f.pos.SignOn()
		if f.host.count(k)+f.host.count(q) != sent+1 {
			t.Errorf("%v: downloaded again after a restart", d)
		}
		// the downloaded list screens cards
		if out := f.pos.Sale(iso8583.Card{PAN: "6224240000000007", Expiry: "2806"}, 100); !errors.Is(out.Err, terminal.ErrHotCard) {
			t.Errorf("%v: %v", d, out)
		}
	}
}

// A download cut halfway leaves the previous set in force, stays due and
// succeeds on a later sign-on.
func TestDownloadCutHalfway(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	serveDownloads(t, f.host, 2, 5)
	if err := f.pos.Download(); err != nil {
		t.Fatal(err)
	}
	serveDownloads(t, f.host, 4, 6)
	f.host.fault = func(req *iso8583.Transaction) fault {
		if req.Kind() == iso8583.KindCAKeyDownload && req.DownloadStep() == iso8583.StepItem {
			if rid, idx, _ := req.CAKeyRequested(); rid[4] == 0x33 && idx == 3 {
				return lose
			}
		}
		return answer
	}
	err := f.pos.Download()
	if !errors.Is(err, terminal.ErrDownload) || !errors.Is(err, terminal.ErrNoAnswer) {
		t.Fatalf("cut: %v", err)
	}
	onePrefix(t, err)
	checkDownloaded2(t, f, 2, 5)
	f.reopen(t)
	checkDownloaded2(t, f, 2, 5)
	// an automatic retry waits for DownloadRetry
	f.pos.Download(iso8583.KindCAKeyDownload) // fails again: due
	if due, _ := f.pos.Downloads(); len(due) != 1 || due[0] != iso8583.KindCAKeyDownload {
		t.Fatalf("due %v", due)
	}
	f.pos.SignOn()
	if _, err := f.pos.Downloads(); !errors.Is(err, terminal.ErrDownload) {
		t.Fatalf("automatic download: %v", err)
	}
	f.host.fault = nil
	f.pos.SignOn()
	if due, _ := f.pos.Downloads(); len(due) != 1 {
		t.Fatalf("retried before DownloadRetry: due %v", due)
	}
	f.now = f.now.Add(6 * time.Minute)
	f.pos.SignOn()
	if due, err := f.pos.Downloads(); len(due) != 0 || err != nil || f.pos.CAKeys().Len() != 4 {
		t.Fatalf("after the retry: due %v, %v, %d keys", due, err, f.pos.CAKeys().Len())
	}
	if err := f.pos.Download(iso8583.KindSale); !errors.Is(err, terminal.ErrConfig) {
		t.Errorf("not a download: %v", err)
	}
}

// checkDownloaded2 checks the set of the first download of
// TestDownloadCutHalfway is still in force.
func checkDownloaded2(t *testing.T, f *fixture, keys int, version uint32) {
	t.Helper()
	if f.pos.CAKeys().Len() != keys || f.pos.HotList().Version() != version || len(f.pos.AIDs()) != 2 {
		t.Fatalf("%d keys, hot list %v", f.pos.CAKeys().Len(), f.pos.HotList())
	}
	if _, ok := f.pos.Params(); !ok {
		t.Fatal("parameters lost")
	}
}

// The host asks for a download in an answer: the POS runs it after the
// request (UnionPay: the header of a sale's answer; ISO87: field 48 of an
// echo's answer).
func TestDownloadOnHostRequest(t *testing.T) {
	for _, d := range []iso8583.Dialect{iso8583.UnionPay, iso8583.ISO87} {
		f := newFixture(t, d)
		serveDownloads(t, f.host, 1, 5)
		if err := f.pos.Download(); err != nil {
			t.Fatal(err)
		}
		serveDownloads(t, f.host, 1, 9)
		f.host.ask = iso8583.RequestHotList
		var out terminal.Outcome
		if d == iso8583.UnionPay {
			out = f.pos.Sale(card, 100)
		} else {
			out = f.pos.Call(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Echo() })
		}
		if out.Status != terminal.Approved {
			t.Fatalf("%v: %v", d, out)
		}
		if v := f.pos.HotList().Version(); v != 9 {
			t.Errorf("%v: hot list version %d after the host asked", d, v)
		}
		// a list of the same version is not fetched beyond its first part
		parts := f.host.count("0800")
		f.host.ask = iso8583.RequestHotList
		f.pos.Call(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Echo() })
		if d == iso8583.UnionPay {
			f.pos.Sale(card, 100)
		}
		if got := f.host.count("0800") - parts; got > 3 {
			t.Errorf("%v: %d messages for an unchanged list", d, got)
		}
	}
}

// The new set replaces the old in one Store write: a failing write
// leaves the old one, in memory and in the Store; a corrupt record stops
// Open with ErrCorrupt.
func TestDownloadStoreWrite(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	serveDownloads(t, f.host, 2, 5)
	if err := f.pos.Download(); err != nil {
		t.Fatal(err)
	}
	serveDownloads(t, f.host, 3, 6)
	writes := 0
	f.store.FailApply = func(ops []terminal.Op) error {
		for _, op := range ops {
			if op.Bucket == terminal.BucketDownload {
				writes++
				if len(ops) != 2 {
					t.Errorf("download written in %d ops", len(ops))
				}
				return errors.New("disk full")
			}
		}
		return nil
	}
	if err := f.pos.Download(); !errors.Is(err, terminal.ErrDownload) || !errors.Is(err, terminal.ErrStore) || writes != 1 {
		t.Fatalf("%v, %d writes", err, writes)
	}
	checkDownloaded2(t, f, 2, 5)
	f.store.FailApply = nil
	f.reopen(t)
	checkDownloaded2(t, f, 2, 5)
	for _, bad := range []string{`{`, `{"have":1,"params":"MTE="}`, `{"have":2,"capk":["MQ=="]}`, `{"have":4,"aids":["MA=="]}`, `{"capk":["MA=="]}`} {
		_ = f.store.Apply(terminal.Op{Bucket: terminal.BucketDownload, Key: "set", Value: []byte(bad)})
		if _, err := terminal.Open(f.cfg); !errors.Is(err, terminal.ErrCorrupt) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// TestDownloadFIPS140Only runs TestDownloadFIPSOnly in a child process
// under GODEBUG=fips140=only.
func TestDownloadFIPS140Only(t *testing.T) {
	fipstest.RunOnly(t, "TestDownloadFIPSOnly", "terminal FIPS download checks ran")
}

// In FIPS 140-only mode SHA-1 is refused: a CA key download fails with a
// clear error and nothing changes.
func TestDownloadFIPSOnly(t *testing.T) {
	if !fips140.Enforced() {
		t.Skip("runs under GODEBUG=fips140=only (see TestDownloadFIPS140Only)")
	}
	f := newFixture(t, iso8583.UnionPay)
	f.host.dl.keys = []emv.CAPublicKey{{RID: [5]byte{0xA0, 0, 0, 3, 0x33}, Index: 1, HashAlgorithm: 1, KeyAlgorithm: 1,
		Modulus: []byte{0xC1, 0x01}, Exponent: []byte{3}, Expiry: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Checksum: make([]byte, 20)}}
	err := f.pos.Download(iso8583.KindCAKeyDownload)
	if !errors.Is(err, terminal.ErrDownload) || !errors.Is(err, emv.ErrCAPKChecksum) {
		t.Fatalf("%v", err)
	}
	if f.pos.CAKeys().Len() != 0 {
		t.Error("a key was stored")
	}
	t.Log("terminal FIPS download checks ran")
}

// A Link tells the UnionPay header an answer came with (the host replies
// with the header of the request here), so a POS over a Link reads the
// host's processing request; a Link that has not dialled tells none.
func TestLinkReceivedHeader(t *testing.T) {
	nh := startNetHost(t, newTestHost())
	link, err := newTestLink(nh.srv.Addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()
	if _, ok := link.ReceivedHeader(nil); ok {
		t.Fatal("a header before any answer")
	}
	term := testTerm("10000019", iso8583.UnionPay)
	term.STAN = iso8583.NewSTANSource(0)
	req, _ := term.Sale(card, 100)
	m, _ := req.Message(iso8583.SpecUnionPay)
	rm, err := link.Send(m)
	if err != nil {
		t.Fatal(err)
	}
	h, ok := link.ReceivedHeader(rm)
	if !ok || h != testHeader {
		t.Fatalf("header %v %v, want %v", h, ok, testHeader)
	}
	var _ terminal.HeaderSender = link
}

// Config.SignedOn sees the sign-on answer before the queue and the
// downloads go out (the session keys they are signed with come in it);
// an error stops SignOn there.
func TestSignedOnBeforeDownloads(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	serveDownloads(t, f.host, 1, 5)
	var seen []string
	f.cfg.Sign = func(m *moov.Message) error {
		mti, _ := m.GetMTI()
		seen = append(seen, mti)
		return nil
	}
	f.cfg.SignedOn = func(resp *iso8583.Transaction) error {
		seen = append(seen, "signed-on "+resp.MTI)
		return nil
	}
	f.reopen(t)
	if out := f.pos.SignOn(); out.Status != terminal.Approved || out.Err != nil {
		t.Fatal(out)
	}
	if len(seen) < 3 || seen[0] != "0800" || seen[1] != "signed-on 0810" {
		t.Fatalf("order %v", seen)
	}
	g := newFixture(t, iso8583.UnionPay)
	g.cfg.SignedOn = func(*iso8583.Transaction) error { return errors.New("keys do not verify") }
	g.reopen(t)
	out := g.pos.SignOn()
	if out.Status != terminal.Approved || !errors.Is(out.Err, terminal.ErrConfig) || g.host.count("0820") != 0 {
		t.Fatalf("%v, %d queries", out, g.host.count("0820"))
	}
}
