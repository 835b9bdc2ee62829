package iso8583

import (
	"bytes"
	"crypto/fips140"
	"crypto/sha1"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/poskit/poskit/emv"
)

var dialects = []Dialect{ISO87, UnionPay}

// wire packs tx on d's spec and unpacks it: what the peer reads.
func wire(t *testing.T, d Dialect, tx *Transaction) *Transaction {
	t.Helper()
	b, err := tx.Pack(d.Spec())
	if err != nil {
		t.Fatalf("%v: pack %s: %v", d, tx.MTI, err)
	}
	back, err := Unpack(d.Spec(), b)
	if err != nil {
		t.Fatalf("%v: unpack %s: %v", d, tx.MTI, err)
	}
	return back
}

// testCAKey returns a CA key with a made-up odd modulus of n bytes and its
// check value computed with crypto/sha1 over RID, index, modulus and
// exponent (EMV Book 2 section 11.2.2), independently of emv.
func testCAKey(t testing.TB, index byte, n int) emv.CAPublicKey {
	t.Helper()
	mod := bytes.Repeat([]byte{0xC3, 0x5A}, n/2+1)[:n]
	mod[n-1] |= 1
	k := emv.CAPublicKey{RID: [5]byte{0xA0, 0, 0, 0x03, 0x33}, Index: index, HashAlgorithm: 1, KeyAlgorithm: 1,
		Modulus: mod, Exponent: []byte{3}, Expiry: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)}
	if fips140.Enforced() { // SHA-1 is refused: a stand-in value, which emv.CAPKStore refuses
		k.Checksum = bytes.Repeat([]byte{0x5C}, 20)
		return k
	}
	h := sha1.New()
	h.Write(k.RID[:])
	h.Write([]byte{k.Index})
	h.Write(k.Modulus)
	h.Write(k.Exponent)
	k.Checksum = h.Sum(nil)
	return k
}

func testAID() AIDEntry {
	return AIDEntry{OnlinePIN: true, Params: emv.AIDParams{
		AID: []byte{0xA0, 0, 0, 0x03, 0x33, 0x01, 0x01, 0x01}, Partial: true, Version: [2]byte{0x00, 0x30},
		TAC: emv.ActionCodes{
			Default: emv.TVR{0xD8, 0x40, 0, 0xA8, 0}, Online: emv.TVR{0xD8, 0x40, 0x04, 0xF8, 0}, Denial: emv.TVR{0x00, 0x10, 0, 0, 0}},
		FloorLimit: 50000, Threshold: 10000, TargetPercent: 20, MaxTargetPercent: 60,
		DefaultDDOL: []byte{0x9F, 0x37, 0x04}, ContactlessFloorLimit: 0, ContactlessTransactionLimit: 100000,
		ContactlessCVMLimit: -1,
	}}
}

// TestCAKeyDownloadFlow runs the whole CA key download on both dialects:
// a status query in two parts (the host's list does not fit one field 62),
// one download per key, the end; every message goes through Pack and
// Unpack, and the keys downloaded load into an emv.CAPKStore.
func TestCAKeyDownloadFlow(t *testing.T) {
	var held []emv.CAPublicKey
	for i := range 30 { // 30 entries of 23 bytes: more than 512 or 499 bytes
		held = append(held, testCAKey(t, byte(i+1), 176+i%3*32))
	}
	var status []CAKeyStatus
	for _, k := range held {
		status = append(status, StatusOf(k))
	}
	for _, d := range dialects {
		term := testTerminal(d)
		listed := listCAKeys(t, d, term, status)
		if !reflect.DeepEqual(listed, status) {
			t.Fatalf("%v: listed %d keys, want %d", d, len(listed), len(status))
		}
		store := emv.NewCAPKStore()
		for i, s := range listed {
			req, err := term.CAKeyDownload(s.RID, s.Index)
			if err != nil {
				t.Fatal(err)
			}
			hreq := wire(t, d, req)
			rid, idx, err := hreq.CAKeyRequested()
			if err != nil || rid != s.RID || idx != s.Index {
				t.Fatalf("%v: requested %X %02X %v", d, rid, idx, err)
			}
			ans, err := NewCAKeyResponse(hreq, &held[i], testNow)
			if err != nil {
				t.Fatal(err)
			}
			k, ok, err := wire(t, d, ans).CAKey()
			if err != nil || !ok {
				t.Fatalf("%v: key %d: %v %v", d, i, ok, err)
			}
			if !reflect.DeepEqual(k, held[i]) {
				t.Fatalf("%v: key %d differs", d, i)
			}
			if err := store.Add(k); err != nil && !fips140.Enforced() {
				t.Fatalf("%v: store: %v", d, err)
			}
		}
		if store.Len() != len(held) && !fips140.Enforced() {
			t.Errorf("%v: store holds %d", d, store.Len())
		}
		end, err := term.DownloadEnd(KindCAKeyDownload)
		if err != nil {
			t.Fatal(err)
		}
		hend := wire(t, d, end)
		if hend.Kind() != KindCAKeyDownload || hend.DownloadStep() != StepEnd || hend.netCode() != "371" || hend.F62 != nil {
			t.Errorf("%v: end %+v", d, hend)
		}
		r, err := NewResponse(hend, "00", "", "", testNow)
		if err != nil || wire(t, d, r).DownloadStep() != StepEnd {
			t.Errorf("%v: end answer %v", d, err)
		}
	}
}

// listCAKeys runs the CA key status query until the host's list ends.
func listCAKeys(t *testing.T, d Dialect, term *Terminal, status []CAKeyStatus) []CAKeyStatus {
	t.Helper()
	var listed []CAKeyStatus
	for parts := 0; ; parts++ {
		q, err := term.CAKeyQuery(len(listed))
		if err != nil {
			t.Fatal(err)
		}
		hq := wire(t, d, q)
		if hq.Kind() != KindCAKeyDownload || hq.DownloadStep() != StepQuery {
			t.Fatalf("%v: query kind %v step %v", d, hq.Kind(), hq.DownloadStep())
		}
		if wantMTI := map[Dialect]string{ISO87: "0800", UnionPay: "0820"}[d]; hq.MTI != wantMTI || hq.netCode() != "372" {
			t.Errorf("%v: query MTI %s code %s", d, hq.MTI, hq.netCode())
		}
		ans, err := NewCAKeyListResponse(hq, status, testNow)
		if err != nil {
			t.Fatal(err)
		}
		l, err := wire(t, d, ans).CAKeyList()
		if err != nil {
			t.Fatalf("%v: %v", d, err)
		}
		listed = append(listed, l.Keys...)
		if !l.More {
			if parts == 0 {
				t.Errorf("%v: 30 keys listed in one part", d)
			}
			return listed
		}
	}
}

// TestCAKeyNotHeld: a host without the key answers status 0.
func TestCAKeyNotHeld(t *testing.T) {
	for _, d := range dialects {
		req, _ := testTerminal(d).CAKeyDownload([5]byte{0xA0, 0, 0, 0, 0x03}, 0x99)
		ans, err := NewCAKeyResponse(wire(t, d, req), nil, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, err := wire(t, d, ans).CAKey(); ok || err != nil {
			t.Errorf("%v: ok %v err %v", d, ok, err)
		}
	}
}

// TestAIDDownloadFlow runs the AID download on both dialects and checks
// the parameters arrive equal.
func TestAIDDownloadFlow(t *testing.T) {
	e := testAID()
	aids := [][]byte{e.Params.AID}
	for i := range 40 { // 40 AIDs of 7 bytes + 3: more than one part
		aids = append(aids, []byte{0xA0, 0, 0, 0, byte(i), 0x10, 0x10})
	}
	for _, d := range dialects {
		term := testTerminal(d)
		var listed [][]byte
		for {
			q, _ := term.AIDQuery(len(listed))
			ans, err := NewAIDListResponse(wire(t, d, q), aids, testNow)
			if err != nil {
				t.Fatal(err)
			}
			l, err := wire(t, d, ans).AIDList()
			if err != nil {
				t.Fatal(err)
			}
			listed = append(listed, l.AIDs...)
			if !l.More {
				break
			}
		}
		if !reflect.DeepEqual(listed, aids) {
			t.Fatalf("%v: listed %d AIDs", d, len(listed))
		}
		req, err := term.AIDDownload(aids[0])
		if err != nil {
			t.Fatal(err)
		}
		hreq := wire(t, d, req)
		if aid, err := hreq.AIDRequested(); err != nil || !bytes.Equal(aid, aids[0]) {
			t.Fatalf("%v: requested %X %v", d, aid, err)
		}
		ans, err := NewAIDResponse(hreq, &e, testNow)
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := wire(t, d, ans).AIDEntry()
		if err != nil || !ok || !reflect.DeepEqual(got, e) {
			t.Fatalf("%v: %+v %v %v, want %+v", d, got, ok, err, e)
		}
	}
}

// TestParamDownloadFlow round-trips a full parameter set.
func TestParamDownloadFlow(t *testing.T) {
	p := ParamSet{TimeoutSeconds: 60, Redials: 3, Phones: [3]string{"02150001234", "", "4008001234"},
		ManagementTel: "95516", Tips: true, TipPercent: 15, ManualEntry: false, AutoSignOff: true,
		MerchantName: "POSKIT TEST MERCHANT", Resends: 3, KeyIndex: 7}
	for _, d := range dialects {
		req, err := testTerminal(d).ParamDownload()
		if err != nil {
			t.Fatal(err)
		}
		hreq := wire(t, d, req)
		if hreq.Kind() != KindParameterDownload || hreq.DownloadStep() != StepItem || hreq.F62 != nil {
			t.Fatalf("%v: request %v %v", d, hreq.Kind(), hreq.DownloadStep())
		}
		ans, err := NewParamResponse(hreq, p, testNow)
		if err != nil {
			t.Fatal(err)
		}
		got, err := wire(t, d, ans).Params()
		if err != nil || got != p {
			t.Fatalf("%v: %+v %v", d, got, err)
		}
	}
}

// TestHotListDownloadFlow downloads a list of 300 entries in parts.
func TestHotListDownloadFlow(t *testing.T) {
	var list []string
	for i := range 300 {
		list = append(list, fmt.Sprintf("6222%0*d", 2+i%14, i)) // 6 to 19 digits
	}
	for _, d := range dialects {
		term := testTerminal(d)
		var got []string
		parts := 0
		for start := 0; ; parts++ {
			req, err := term.HotListDownload(start)
			if err != nil {
				t.Fatal(err)
			}
			ans, err := NewHotListResponse(wire(t, d, req), 20261204, list, testNow)
			if err != nil {
				t.Fatal(err)
			}
			part, err := wire(t, d, ans).HotListPart()
			if err != nil {
				t.Fatal(err)
			}
			if part.Version != 20261204 || part.Last != start+len(part.Entries)-1 {
				t.Fatalf("%v: part %+v", d, part)
			}
			got = append(got, part.Entries...)
			if !part.More {
				break
			}
			start = part.Last + 1
		}
		if !reflect.DeepEqual(got, list) || parts < 2 {
			t.Fatalf("%v: %d entries in %d parts", d, len(got), parts+1)
		}
	}
}

// TestBatchUploadEnd builds the end of a batch upload, which the host
// recognises and answers.
func TestBatchUploadEnd(t *testing.T) {
	term := testTerminal(UnionPay)
	for _, balanced := range []bool{true, false} {
		end, err := term.BatchUploadEnd(12, balanced)
		if err != nil {
			t.Fatal(err)
		}
		h := wire(t, UnionPay, end)
		want := map[bool]string{true: "207", false: "202"}[balanced]
		if !h.IsBatchUploadEnd() || h.Kind() != KindBatchUpload || h.F60.NetMgmt != want || h.F60.TxnType != "00" {
			t.Errorf("balanced %v: %+v", balanced, h.F60)
		}
		if n, err := h.BatchTotal(); n != 12 || err != nil {
			t.Errorf("total %d %v", n, err)
		}
		r, err := NewResponse(h, "00", "", "", testNow)
		if err != nil || r.MTI != "0330" || !wire(t, UnionPay, r).IsBatchUploadEnd() {
			t.Errorf("answer %v %v", r, err)
		}
	}
	if _, err := testTerminal(ISO87).BatchUploadEnd(1, true); !errors.Is(err, ErrTerminal) {
		t.Errorf("ISO87: %v", err)
	}
	for _, n := range []int{-1, 10000} {
		if _, err := term.BatchUploadEnd(n, true); !errors.Is(err, ErrBatchRecord) {
			t.Errorf("total %d: %v", n, err)
		}
	}
}

// TestDownloadEnds: the four end messages and their answers on both specs.
func TestDownloadEnds(t *testing.T) {
	codes := map[Kind]string{KindParameterDownload: "361", KindCAKeyDownload: "371", KindAIDDownload: "381", KindHotListDownload: "391"}
	for _, d := range dialects {
		for k, code := range codes {
			end, err := testTerminal(d).DownloadEnd(k)
			if err != nil {
				t.Fatal(err)
			}
			h := wire(t, d, end)
			if h.MTI != "0800" || h.netCode() != code || h.Kind() != k || h.DownloadStep() != StepEnd {
				t.Errorf("%v %v: %s %s %v %v", d, k, h.MTI, h.netCode(), h.Kind(), h.DownloadStep())
			}
			if d == UnionPay && (h.F60.TxnType != "00" || h.F60.Batch != "000024" || h.LocalTime != "") {
				t.Errorf("UnionPay %v: 60 %+v, 12 %q", k, h.F60, h.LocalTime)
			}
			r, err := NewResponse(h, "00", "", "", testNow)
			if err != nil {
				t.Fatal(err)
			}
			if hr := wire(t, d, r); hr.MTI != "0810" || hr.Kind() != k || hr.DownloadStep() != StepEnd || !hr.Approved() {
				t.Errorf("%v %v answer: %s %v %v", d, k, hr.MTI, hr.Kind(), hr.DownloadStep())
			}
		}
	}
}

// TestKindAllocs: classifying a download, a transfer or a sale allocates
// nothing.
func TestKindAllocs(t *testing.T) {
	term := testTerminal(UnionPay)
	q, _ := term.CAKeyQuery(0)
	tr, _ := term.Transfer(swipe, 100, "6217000010001234567")
	sale, _ := term.Sale(swipe, 100)
	for _, tx := range []*Transaction{q, tr, sale} {
		if n := testing.AllocsPerRun(100, func() { _ = tx.Kind(); _ = tx.DownloadStep() }); n != 0 {
			t.Errorf("%v: %v allocations", tx.Kind(), n)
		}
	}
}
