package iso8583

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	moov "github.com/moov-io/iso8583"
)

func testRecords(n int) []BatchRecord {
	recs := make([]BatchRecord, n)
	for i := range recs {
		recs[i] = BatchRecord{Foreign: i%3 == 2, STAN: fmt.Sprintf("%06d", 400+i), PAN: "62242429000001" + fmt.Sprintf("%02d", i), Amount: int64(1000 * (i + 1))}
	}
	recs[0].PAN = "4761739001010119" // 16 digits
	recs[n-1].PAN = "6212345678901234567"
	return recs
}

func TestBatchRecordsLayout(t *testing.T) {
	// layout of the public UnionPay POS terminal code (see batchmag.go):
	// n2 count, then n2 organisation, n6 STAN, n20 PAN, n12 amount
	recs := []BatchRecord{{STAN: "000403", PAN: "6224242900000113", Amount: 1000}, {Foreign: true, STAN: "000404", PAN: "4761739001010119", Amount: 25}}
	got, err := AppendBatchRecords([]byte("x"), recs)
	if err != nil {
		t.Fatal(err)
	}
	want := "x02" +
		"00" + "000403" + "00006224242900000113" + "000000001000" +
		"01" + "000404" + "00004761739001010119" + "000000000025"
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	back, err := ParseBatchRecords(want[1:])
	if err != nil || !reflect.DeepEqual(back, recs) {
		t.Fatalf("parse: %v %+v", err, back)
	}
}

func TestBatchUploadMagstripe(t *testing.T) {
	for _, tc := range []struct {
		n, icc   int
		balanced bool
		msgs     int
		end      string
	}{
		{0, 0, true, 1, NetBatchEndBalanced},
		{1, 0, false, 2, NetBatchEndUnbalanced},
		{8, 2, true, 2, NetBatchEndBalanced},
		{9, 0, false, 3, NetBatchEndUnbalanced},
		{17, 3, true, 4, NetBatchEndBalanced},
	} {
		term := testTerminal(UnionPay)
		var recs []BatchRecord
		if tc.n > 0 {
			recs = testRecords(tc.n)
		}
		msgs, err := term.BatchUploadMagstripe(recs, tc.icc, tc.balanced)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != tc.msgs {
			t.Fatalf("%d records: %d messages, want %d", tc.n, len(msgs), tc.msgs)
		}
		var all []BatchRecord
		stans := map[string]bool{}
		for i, m := range msgs {
			if m.MTI != "0320" || m.Kind() != KindBatchUpload || m.F60.TxnType != "00" || m.F60.Batch != "000024" {
				t.Errorf("message %d: %+v", i, m)
			}
			stans[m.STAN] = true
			back := roundTrip(t, UnionPay, m)
			if i == len(msgs)-1 {
				break
			}
			if m.F60.NetMgmt != NetBatchUploadMag {
				t.Errorf("message %d: 60.3 %q", i, m.F60.NetMgmt)
			}
			r, err := back.BatchRecords()
			if err != nil {
				t.Fatal(err)
			}
			if len(r) > MaxBatchRecords {
				t.Errorf("message %d holds %d records", i, len(r))
			}
			all = append(all, r...)
		}
		if len(stans) != len(msgs) {
			t.Errorf("STANs not distinct: %v", stans)
		}
		if !reflect.DeepEqual(all, recs) {
			t.Errorf("%d records: uploaded %+v", tc.n, all)
		}
		last := msgs[len(msgs)-1]
		if last.F60.NetMgmt != tc.end {
			t.Errorf("%d records, balanced %v: last 60.3 %q, want %q", tc.n, tc.balanced, last.F60.NetMgmt, tc.end)
		}
		if total, err := last.BatchTotal(); err != nil || total != tc.n+tc.icc {
			t.Errorf("total %d, %v; want %d", total, err, tc.n+tc.icc)
		}
		if _, err := last.BatchRecords(); !errors.Is(err, ErrBatchRecord) {
			t.Errorf("records of end message: %v", err)
		}
		if len(msgs) > 1 {
			if _, err := msgs[0].BatchTotal(); !errors.Is(err, ErrBatchRecord) {
				t.Errorf("total of record message: %v", err)
			}
		}
	}
}

func TestBatchRecordOf(t *testing.T) {
	term := testTerminal(UnionPay)
	sale, _ := term.Sale(swipe, 1234)
	r, err := BatchRecordOf(sale, true)
	if err != nil || r != (BatchRecord{Foreign: true, STAN: sale.STAN, PAN: "6224242900000113", Amount: 1234}) {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := BatchRecordOf(nil, false); !errors.Is(err, ErrOriginal) {
		t.Error(err)
	}
	if _, err := BatchRecordOf(&Transaction{STAN: "000001", PAN: "6224242900000113", Amount: "12x"}, false); !errors.Is(err, ErrBatchRecord) {
		t.Error(err)
	}
	if _, err := BatchRecordOf(&Transaction{STAN: "000001"}, false); !errors.Is(err, ErrBatchRecord) {
		t.Error(err)
	}
}

func TestBatchRecordErrors(t *testing.T) {
	good := BatchRecord{STAN: "000001", PAN: "6224242900000113", Amount: 1}
	bad := map[string]BatchRecord{
		"STAN short":    {STAN: "01", PAN: good.PAN},
		"STAN letters":  {STAN: "00000a", PAN: good.PAN},
		"PAN short":     {STAN: good.STAN, PAN: "12345"},
		"PAN long":      {STAN: good.STAN, PAN: "62242429000001130000"},
		"PAN letters":   {STAN: good.STAN, PAN: "62242429000001AB"},
		"PAN leading 0": {STAN: good.STAN, PAN: "0224242900000113"},
		"amount":        {STAN: good.STAN, PAN: good.PAN, Amount: -1},
		"amount large":  {STAN: good.STAN, PAN: good.PAN, Amount: 1e12},
	}
	for name, r := range bad {
		if _, err := AppendBatchRecords(nil, []BatchRecord{r}); !errors.Is(err, ErrBatchRecord) {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := testTerminal(UnionPay).BatchUploadMagstripe([]BatchRecord{good, r}, 0, true); !errors.Is(err, ErrBatchRecord) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := AppendBatchRecords(nil, nil); !errors.Is(err, ErrBatchRecord) {
		t.Error(err)
	}
	if _, err := AppendBatchRecords(nil, testRecords(9)); !errors.Is(err, ErrBatchRecord) {
		t.Error(err)
	}
	_, err := AppendBatchRecords(nil, []BatchRecord{{STAN: "000001", PAN: "62242429000001ABC"}})
	if err == nil || strings.Contains(err.Error(), "62242429000001ABC") {
		t.Errorf("error shows the PAN: %v", err)
	}
	ok, _ := AppendBatchRecords(nil, []BatchRecord{good})
	for name, f48 := range map[string]string{
		"empty":        "",
		"one digit":    "0",
		"zero records": "00",
		"nine":         "09" + strings.Repeat("0", 360),
		"short":        string(ok[:len(ok)-1]),
		"long":         string(ok) + "0",
		"letters":      strings.Replace(string(ok), "0", "A", 1),
		"organisation": "01" + "02" + string(ok[4:]),
		"PAN zeros":    "01" + "00" + "000001" + strings.Repeat("0", 20) + "000000000001",
	} {
		if _, err := ParseBatchRecords(f48); !errors.Is(err, ErrBatchRecord) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := testTerminal(UnionPay).BatchUploadMagstripe(nil, -1, true); !errors.Is(err, ErrBatchRecord) {
		t.Error(err)
	}
	if _, err := testTerminal(UnionPay).BatchUploadMagstripe(nil, 10000, true); !errors.Is(err, ErrBatchRecord) {
		t.Error(err)
	}
	if _, err := testTerminal(ISO87).BatchUploadMagstripe([]BatchRecord{good}, 0, true); !errors.Is(err, ErrTerminal) {
		t.Errorf("ISO87: %v", err)
	}
	if _, err := (&Terminal{Scheme: UnionPay}).BatchUploadMagstripe(nil, 0, true); !errors.Is(err, ErrTerminal) {
		t.Errorf("no IDs: %v", err)
	}
	bad48 := &Transaction{MTI: "0320", F60: &Field60{NetMgmt: NetBatchEndBalanced}, AdditionalData: "12a4"}
	if _, err := bad48.BatchTotal(); !errors.Is(err, ErrBatchRecord) {
		t.Error(err)
	}
}

func TestQRSale(t *testing.T) {
	const code = "6225881234567890123" // 19 digits, UnionPay C2B code shape
	for _, s := range []Scheme{ISO87, UnionPay} {
		term := testTerminal(s)
		tx, err := term.QRSale(code, 2500)
		if err != nil {
			t.Fatal(err)
		}
		if tx.MTI != "0200" || tx.ProcessingCode != ProcSale || tx.EntryMode != "032" || tx.PAN != code ||
			tx.Amount != "000000002500" || tx.ConditionCode != "00" || tx.Track2 != "" || tx.ICC != nil || tx.PINBlock != nil {
			t.Errorf("%v: %+v", s, tx)
		}
		if !tx.IsQR() || tx.Kind() != KindSale {
			t.Errorf("%v: IsQR %v, kind %v", s, tx.IsQR(), tx.Kind())
		}
		if s == UnionPay && (tx.F60 == nil || tx.F60.TxnType != TxnSale) {
			t.Errorf("60: %+v", tx.F60)
		}
		back := roundTrip(t, s, tx)
		if !back.IsQR() {
			t.Errorf("%v: unpacked not QR", s)
		}
		resp, err := NewResponse(back, "00", "532410000403", "A1B2C3", testNow)
		if err != nil {
			t.Fatal(err)
		}
		if resp.MTI != "0210" || resp.PAN != code || !resp.Approved() || resp.Kind() != KindSale {
			t.Errorf("%v response %+v", s, resp)
		}
		roundTrip(t, s, resp)
		sale, _ := term.Sale(swipe, 1)
		if sale.IsQR() {
			t.Error("swiped sale reported as QR")
		}
	}
	up := testTerminal(UnionPay)
	for name, c := range map[string]struct {
		code   string
		amount int64
		want   error
	}{
		"short code":   {"123456789012345", 1, ErrQRCode},
		"long code":    {"12345678901234567890", 1, ErrQRCode},
		"letters":      {"62258812345678901A", 1, ErrQRCode},
		"zero amount":  {code, 0, ErrAmount},
		"negative":     {code, -1, ErrAmount},
		"too large":    {code, 1e12, ErrAmount},
		"no terminal":  {code, 1, ErrTerminal},
		"error masked": {"6225881234567890123456", 1, ErrQRCode},
	} {
		term := up
		if name == "no terminal" {
			term = &Terminal{Scheme: UnionPay}
		}
		_, err := term.QRSale(c.code, c.amount)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v", name, err)
		}
		if err != nil && len(c.code) > 10 && strings.Contains(err.Error(), c.code) {
			t.Errorf("%s: error shows the code", name)
		}
	}
}

// TestVerifyPackedFunc checks VerifyPackedFunc on a signed message: the key
// callback, its errors, a MAC mismatch and a message that does not unpack.
// Long because each step reuses the message the one before it signed.
func TestVerifyPackedFunc(t *testing.T) {
	// one MAC key per terminal ID (field 41), as a host holding session
	// keys from sign-on would look it up
	keys := map[string]MACAlgorithm{}
	for i, c := range macCases(t) {
		keys[fmt.Sprintf("1000001%d", i)] = c.alg
	}
	errUnknown := errors.New("unknown terminal")
	lookup := func(m *moov.Message) (MACAlgorithm, error) {
		tid, err := m.GetString(41)
		if err != nil {
			return nil, err
		}
		if a, ok := keys[tid]; ok {
			return a, nil
		}
		return nil, errUnknown
	}
	for _, s := range []Scheme{UnionPay, ISO87} {
		for tid, alg := range keys {
			term := testTerminal(s)
			term.TerminalID = tid
			sale, err := term.Sale(chip, 1000)
			if err != nil {
				t.Fatal(err)
			}
			m, _ := sale.Message(s.Spec())
			packed, err := SignMessage(m, alg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := VerifyPackedFunc(s.Spec(), packed, lookup)
			if err != nil || got == nil {
				t.Fatalf("%v %s: %v", s, tid, err)
			}
			if v, _ := got.GetString(41); v != tid {
				t.Errorf("field 41 %q", v)
			}
			// the right key for another terminal is the wrong key here
			wrong := func(*moov.Message) (MACAlgorithm, error) {
				for id, a := range keys {
					if id != tid {
						return a, nil
					}
				}
				return nil, nil
			}
			if got, err := VerifyPackedFunc(s.Spec(), packed, wrong); !errors.Is(err, ErrMACMismatch) || got == nil {
				t.Errorf("%v %s wrong key: %v", s, tid, err)
			}
			// a flipped byte in the amount
			bad := append([]byte(nil), packed...)
			bad[len(bad)-9] ^= 1
			if _, err := VerifyPackedFunc(s.Spec(), bad, lookup); err == nil {
				t.Errorf("%v: tampered message verifies", s)
			}
		}
		// unknown terminal: the callback error, wrapped
		term := testTerminal(s)
		term.TerminalID = "99999999"
		sale, _ := term.Sale(chip, 1000)
		m, _ := sale.Message(s.Spec())
		packed, _ := SignMessage(m, keys["10000010"])
		got, err := VerifyPackedFunc(s.Spec(), packed, lookup)
		if !errors.Is(err, errUnknown) || !errors.Is(err, ErrMACKey) || got == nil {
			t.Errorf("%v callback error: %v", s, err)
		}
		// a nil algorithm without an error
		if _, err := VerifyPackedFunc(s.Spec(), packed, func(*moov.Message) (MACAlgorithm, error) { return nil, nil }); !errors.Is(err, ErrMACAlgorithm) {
			t.Errorf("nil algorithm: %v", err)
		}
		if _, err := VerifyPackedFunc(s.Spec(), packed, nil); !errors.Is(err, ErrMACAlgorithm) {
			t.Errorf("nil callback: %v", err)
		}
		// garbage: the callback is never called
		called := false
		if _, err := VerifyPackedFunc(s.Spec(), []byte{1, 2}, func(*moov.Message) (MACAlgorithm, error) { called = true; return nil, nil }); err == nil || called {
			t.Errorf("garbage: %v, called %v", err, called)
		}
		// no MAC field
		sale2, _ := testTerminal(s).Sale(chip, 1000)
		plain, _ := sale2.Pack(s.Spec())
		fixed := func(*moov.Message) (MACAlgorithm, error) { return keys["10000010"], nil }
		if _, err := VerifyPackedFunc(s.Spec(), plain, fixed); !errors.Is(err, ErrNoMAC) {
			t.Errorf("no MAC: %v", err)
		}
	}
}

// FuzzParseBatchRecords: no panic; records that parse append back to the
// same field 48.
func FuzzParseBatchRecords(f *testing.F) {
	one, _ := AppendBatchRecords(nil, testRecords(1))
	eight, _ := AppendBatchRecords(nil, testRecords(8))
	for _, s := range []string{"", "0", "01", string(one), string(eight), string(eight[:100]), "99" + string(one[2:])} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		recs, err := ParseBatchRecords(s)
		if err != nil {
			return
		}
		back, err := AppendBatchRecords(nil, recs)
		if err != nil || string(back) != s {
			t.Fatalf("re-append: %v\n%q\n%q", err, back, s)
		}
	})
}
