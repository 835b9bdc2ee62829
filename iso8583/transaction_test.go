package iso8583

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"
)

var testNow = time.Date(2026, 11, 21, 10, 30, 15, 0, time.FixedZone("CST", 8*3600))

func testTerminal(s Scheme) *Terminal {
	return &Terminal{
		Scheme: s, TerminalID: "10000019", MerchantID: "850100082410002", AcquirerID: "48020000",
		Currency: "156", Batch: "000024", ReadCapability: "6", STAN: NewSTANSource(402),
		Now: func() time.Time { return testNow },
	}
}

var (
	testPIN  = []byte{0xD1, 0xEE, 0xF4, 0x19, 0xD0, 0xAE, 0x26, 0x09}
	testICC  = []byte{0x9F, 0x26, 0x08, 0x95, 0xBB, 0xE3, 0x72, 0x27, 0x1D, 0xDA, 0x7C, 0x9F, 0x27, 0x01, 0x80}
	swipe    = Card{Track2: "6224242900000113=28062013949031013", PINBlock: testPIN}
	chip     = Card{PAN: "6224242900000113", Expiry: "2806", SequenceNumber: "001", ICC: testICC, PINBlock: testPIN, Contactless: true, Track2: "6224242900000113D28062013949031013"}
	manual   = Card{PAN: "6224242900000113", Expiry: "2806"}
	original = Original{Batch: "000024", STAN: "000403", Date: "1121", RRN: "532410000403", AuthCode: "A1B2C3"}
)

// roundTrip packs tx on the scheme's spec, unpacks it and compares field by
// field.
func roundTrip(t *testing.T, s Scheme, tx *Transaction) *Transaction {
	t.Helper()
	b, err := tx.Pack(s.Spec())
	if err != nil {
		t.Fatalf("pack: %v", err)
	}
	back, err := Unpack(s.Spec(), b)
	if err != nil {
		t.Fatalf("unpack: %v", err)
	}
	if !reflect.DeepEqual(tx, back) {
		a, b := reflect.ValueOf(*tx), reflect.ValueOf(*back)
		for i := range a.NumField() {
			if !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
				t.Errorf("field %s: %v != %v", a.Type().Field(i).Name, a.Field(i).Interface(), b.Field(i).Interface())
			}
		}
	}
	return back
}

func TestTransactionsRoundTrip(t *testing.T) {
	for _, s := range []Scheme{ISO87, UnionPay} {
		term := testTerminal(s)
		build := map[Kind]func() (*Transaction, error){
			KindSale:           func() (*Transaction, error) { return term.Sale(chip, 1000) },
			KindVoid:           func() (*Transaction, error) { return term.Void(swipe, 1000, original) },
			KindRefund:         func() (*Transaction, error) { return term.Refund(manual, 500, original) },
			KindPreAuth:        func() (*Transaction, error) { return term.PreAuth(swipe, 20000) },
			KindPreAuthVoid:    func() (*Transaction, error) { return term.PreAuthVoid(swipe, 20000, original) },
			KindCompletion:     func() (*Transaction, error) { return term.Completion(manual, 18000, original) },
			KindCompletionVoid: func() (*Transaction, error) { return term.CompletionVoid(manual, 18000, original) },
			KindBalanceInquiry: func() (*Transaction, error) { return term.BalanceInquiry(swipe) },
			KindSignOn:         term.SignOn,
			KindEcho:           term.Echo,
			KindSettlement: func() (*Transaction, error) {
				return term.Settlement(Totals{DebitCount: 3, DebitAmount: 30000, CreditCount: 1, CreditAmount: 500})
			},
			KindReversal: func() (*Transaction, error) {
				sale, err := term.Sale(chip, 1000)
				if err != nil {
					return nil, err
				}
				return term.Reversal(sale, "")
			},
			KindBatchUpload: func() (*Transaction, error) {
				sale, _ := term.Sale(chip, 1000)
				resp, _ := NewResponse(sale, "00", "532410000403", "A1B2C3", testNow)
				return term.BatchUpload(sale, resp)
			},
		}
		for kind, f := range build {
			t.Run(fmt.Sprintf("%d/%s", s, kind), func(t *testing.T) {
				tx, err := f()
				if err != nil {
					t.Fatal(err)
				}
				back := roundTrip(t, s, tx)
				if back.Kind() != kind {
					t.Errorf("Kind() = %v, want %v", back.Kind(), kind)
				}
				if kind == KindSignOn || kind == KindEcho || kind == KindSettlement || kind == KindReversal || kind == KindBatchUpload {
					return
				}
				resp, err := NewResponse(tx, "00", "532410000403", "A1B2C3", testNow)
				if err != nil {
					t.Fatal(err)
				}
				rb := roundTrip(t, s, resp)
				if rb.Kind() != kind {
					t.Errorf("response Kind() = %v, want %v", rb.Kind(), kind)
				}
				if !rb.Approved() || rb.MTI[2] != tx.MTI[2]+1 || rb.STAN != tx.STAN || rb.PAN != "6224242900000113" {
					t.Errorf("response %+v", rb)
				}
			})
		}
	}
}

func TestSaleFields(t *testing.T) {
	term := testTerminal(UnionPay)
	tx, err := term.Sale(chip, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := Transaction{
		MTI: "0200", PAN: "6224242900000113", ProcessingCode: "000000", Amount: "000000000001", STAN: "000403",
		LocalTime: "103015", LocalDate: "1121", Expiry: "2806", EntryMode: "071", CardSequence: "001", ConditionCode: "00",
		PINCapture: "12", AcquirerID: "48020000", Track2: chip.Track2, TerminalID: "10000019", MerchantID: "850100082410002",
		Currency: "156", PINBlock: testPIN, SecurityControl: "2600000000000000", ICC: testICC,
		F60: &Field60{TxnType: "22", Batch: "000024", NetMgmt: "000", ReadCapability: "6"},
	}
	if !reflect.DeepEqual(*tx, want) {
		t.Errorf("sale\n%+v\nwant\n%+v", *tx, want)
	}
	iso, _ := testTerminal(ISO87).Sale(manual, 1)
	if iso.TransmissionTime != "1121023015" || iso.EntryMode != "012" || iso.F60 != nil || iso.SecurityControl != "" {
		t.Errorf("ISO sale %+v", iso)
	}
	// the caller's slices are copied, not kept
	c := chip
	c.ICC = append([]byte(nil), testICC...)
	tx, _ = term.Sale(c, 1)
	c.ICC[0] = 0
	if tx.ICC[0] != 0x9F {
		t.Error("Sale keeps the caller's ICC slice")
	}
}

func TestReferringFields(t *testing.T) {
	up := testTerminal(UnionPay)
	v, _ := up.Void(swipe, 1000, original)
	if v.RRN != original.RRN || *v.F61 != (Field61{OrigBatch: "000024", OrigSTAN: "000403", OrigDate: "1121"}) || v.F60.TxnType != TxnVoid || v.ProcessingCode != ProcVoid {
		t.Errorf("void %+v %+v", v, v.F61)
	}
	pv, _ := up.PreAuthVoid(swipe, 1000, original)
	if pv.AuthCode != "A1B2C3" || pv.RRN != "" || *pv.F61 != (Field61{OrigBatch: "000000", OrigSTAN: "000000", OrigDate: "1121"}) || pv.ConditionCode != "06" || pv.MTI != "0100" {
		t.Errorf("pre-auth void %+v %+v", pv, pv.F61)
	}
	r, _ := up.Refund(manual, 100, original)
	if r.MTI != "0220" || r.F60.TxnType != TxnRefund {
		t.Errorf("refund %+v", r)
	}
	cv, _ := up.CompletionVoid(manual, 100, original)
	if cv.AuthCode == "" || cv.RRN == "" || cv.F60.TxnType != TxnCompletionVoid {
		t.Errorf("completion void %+v", cv)
	}
	for name, f := range map[string]func() (*Transaction, error){
		"void without RRN":        func() (*Transaction, error) { return up.Void(swipe, 1, Original{Batch: "1", STAN: "2"}) },
		"void without STAN":       func() (*Transaction, error) { return up.Void(swipe, 1, Original{RRN: "x"}) },
		"refund without date":     func() (*Transaction, error) { return up.Refund(swipe, 1, Original{RRN: "x"}) },
		"completion without auth": func() (*Transaction, error) { return up.Completion(swipe, 1, Original{Date: "1121"}) },
	} {
		if _, err := f(); !errors.Is(err, ErrOriginal) {
			t.Errorf("%s: %v", name, err)
		}
	}
	o := OriginalOf(v, &Transaction{RRN: "r", AuthCode: "a", LocalDate: "1122"})
	if o != (Original{Batch: "000024", STAN: v.STAN, Date: "1122", RRN: "r", AuthCode: "a"}) {
		t.Errorf("OriginalOf %+v", o)
	}
}

func TestReversal(t *testing.T) {
	up := testTerminal(UnionPay)
	sale, _ := up.Sale(chip, 1000)
	rv, err := up.Reversal(sale, "06")
	if err != nil {
		t.Fatal(err)
	}
	if rv.MTI != "0400" || rv.STAN != sale.STAN || rv.ResponseCode != "06" || rv.Track2 != "" || rv.PINBlock != nil ||
		rv.PINCapture != "" || rv.SecurityControl != "" || !bytes.Equal(rv.ICC, sale.ICC) || *rv.F60 != *sale.F60 || rv.Amount != sale.Amount {
		t.Errorf("UnionPay reversal %+v", rv)
	}
	rv.F60.Batch = "999999"
	if sale.F60.Batch == "999999" {
		t.Error("reversal shares 60 with the original")
	}
	sw, _ := up.Sale(swipe, 1000)
	rv, _ = up.Reversal(sw, "")
	if rv.PAN != "6224242900000113" || rv.ResponseCode != "98" {
		t.Errorf("PAN from track: %+v", rv)
	}

	iso := testTerminal(ISO87)
	sale, _ = iso.Sale(manual, 1000)
	rv, err = iso.Reversal(sale, "")
	if err != nil {
		t.Fatal(err)
	}
	want90 := "0200" + sale.STAN + sale.TransmissionTime + "00048020000" + "00000000000"
	if rv.OriginalData != want90 || len(rv.OriginalData) != 42 || rv.STAN == sale.STAN {
		t.Errorf("ISO reversal 90 %q want %q, STAN %s", rv.OriginalData, want90, rv.STAN)
	}
	if _, err := iso.Reversal(&Transaction{MTI: "0800", STAN: "1"}, ""); !errors.Is(err, ErrMTI) {
		t.Errorf("0800: %v", err)
	}
	if _, err := iso.Reversal(&Transaction{MTI: "0200"}, ""); !errors.Is(err, ErrOriginal) {
		t.Errorf("no STAN: %v", err)
	}
	if _, err := iso.Reversal(&Transaction{MTI: "0200", STAN: "000001", AcquirerID: "123456789012"}, ""); !errors.Is(err, ErrOriginal) {
		t.Errorf("long acquirer: %v", err)
	}
	if _, err := (&Terminal{}).Reversal(sale, ""); !errors.Is(err, ErrTerminal) {
		t.Errorf("no STAN source: %v", err)
	}
}

func TestManagementMessages(t *testing.T) {
	up := testTerminal(UnionPay)
	so, _ := up.SignOnWith(SignOnWithTDK)
	if so.MTI != "0800" || so.F60.NetMgmt != "004" || so.F63.Code != "001" || so.Kind() != KindSignOn {
		t.Errorf("sign-on %+v", so)
	}
	st, _ := up.Settlement(Totals{DebitCount: 3, DebitAmount: 30000, CreditCount: 1, CreditAmount: 500, ForeignDebitCount: 1, ForeignDebitAmount: 7})
	// amount before count (see settle.go for the sources)
	want48 := "000000030000003000000000500001" + "0" + "000000000007001000000000000000" + "0"
	if st.AdditionalData != want48 || st.F60.NetMgmt != "201" || st.MTI != "0500" {
		t.Errorf("settlement 48 %q", st.AdditionalData)
	}
	iso, _ := testTerminal(ISO87).Settlement(Totals{DebitCount: 3, DebitAmount: 30000, CreditCount: 1, CreditAmount: 500})
	if iso.DebitsNumber != "0000000003" || iso.CreditsAmount != "0000000000000500" || iso.AdditionalData != "" {
		t.Errorf("ISO settlement %+v", iso)
	}
	if _, err := up.Settlement(Totals{DebitCount: 1000}); !errors.Is(err, ErrAmount) {
		t.Errorf("count: %v", err)
	}
	if _, err := up.Settlement(Totals{DebitAmount: -1}); !errors.Is(err, ErrAmount) {
		t.Errorf("amount: %v", err)
	}
	e, _ := testTerminal(ISO87).Echo()
	if e.NetworkMgmtCode != "301" || e.Kind() != KindEcho {
		t.Errorf("ISO echo %+v", e)
	}
	if _, err := up.BatchUpload(&Transaction{}, nil); !errors.Is(err, ErrOriginal) {
		t.Errorf("batch upload: %v", err)
	}
}

func TestConstructorErrors(t *testing.T) {
	up := testTerminal(UnionPay)
	cases := map[string]struct {
		f    func() (*Transaction, error)
		want error
	}{
		"no terminal ID": {func() (*Transaction, error) { return (&Terminal{MerchantID: "m", STAN: &STANSource{}}).Sale(manual, 1) }, ErrTerminal},
		"no STAN":        {func() (*Transaction, error) { return (&Terminal{TerminalID: "t", MerchantID: "m"}).Echo() }, ErrTerminal},
		"zero amount":    {func() (*Transaction, error) { return up.Sale(manual, 0) }, ErrAmount},
		"negative":       {func() (*Transaction, error) { return up.Sale(manual, -5) }, ErrAmount},
		"too large":      {func() (*Transaction, error) { return up.Sale(manual, 1e12) }, ErrAmount},
		"no card":        {func() (*Transaction, error) { return up.Sale(Card{}, 1) }, ErrCard},
		"short PAN":      {func() (*Transaction, error) { return up.Sale(Card{PAN: "12345"}, 1) }, ErrCard},
		"PAN letters":    {func() (*Transaction, error) { return up.Sale(Card{PAN: "62242429000001AB"}, 1) }, ErrCard},
		"expiry":         {func() (*Transaction, error) { return up.Sale(Card{PAN: "6224242900000113", Expiry: "28"}, 1) }, ErrCard},
		"PIN block":      {func() (*Transaction, error) { return up.Sale(Card{PAN: "6224242900000113", PINBlock: []byte{1}}, 1) }, ErrCard},
		"response to response": {func() (*Transaction, error) {
			return NewResponse(&Transaction{MTI: "0210"}, "00", "", "", testNow)
		}, ErrMTI},
	}
	for name, c := range cases {
		if _, err := c.f(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	_, err := up.Sale(Card{PAN: "6224242900000113999999"}, 1)
	if err == nil || bytes.Contains([]byte(err.Error()), []byte("6224242900000113999999")) {
		t.Errorf("error shows the PAN: %v", err)
	}
}

func TestResponseHelpers(t *testing.T) {
	tx := &Transaction{ResponseCode: "A0"}
	if tx.Approved() || tx.Response().Action != ActionSignOn || tx.Response().Chinese == "" {
		t.Errorf("A0: %+v", tx.Response())
	}
	for code, want := range map[string]Action{
		"00": ActionApprove, "10": ActionApprove, "05": ActionDecline, "41": ActionPickUp, "98": ActionReverse,
		"96": ActionRetry, "77": ActionSignOn, "22": ActionDecline, "97": ActionDecline, "ZZ": ActionDecline,
	} {
		rc, ok := LookupResponse(code)
		if rc.Action != want || (code != "ZZ") != ok {
			t.Errorf("%s: %v %v", code, rc.Action, ok)
		}
	}
	for _, rc := range ResponseCodes() {
		if len(rc.Code) != 2 || rc.English == "" || rc.Chinese == "" {
			t.Errorf("incomplete %+v", rc)
		}
	}
	if ActionPickUp.String() != "pick-up" || Action(99).String() != "unknown" {
		t.Error("Action.String")
	}
	if KindSale.String() != "sale" || KindSale.Chinese() != "消费" || Kind(99).String() != "unknown" || Kind(99).Chinese() != "未知" {
		t.Error("Kind names")
	}
	if a, err := (&Transaction{Amount: "000000001000"}).AmountMinor(); a != 1000 || err != nil {
		t.Errorf("AmountMinor %d %v", a, err)
	}
	if _, err := (&Transaction{Amount: "x"}).AmountMinor(); !errors.Is(err, ErrAmount) {
		t.Errorf("AmountMinor bad: %v", err)
	}
	if a, err := (&Transaction{}).AmountMinor(); a != 0 || err != nil {
		t.Error("AmountMinor empty")
	}
	if (&Transaction{MTI: "02"}).Kind() != KindUnknown || (&Transaction{MTI: "0200", ProcessingCode: "999999"}).Kind() != KindUnknown {
		t.Error("unknown kinds")
	}
}

func TestSTANSource(t *testing.T) {
	s := NewSTANSource(999998)
	if got := []string{s.Next(), s.Next(), s.Next()}; !reflect.DeepEqual(got, []string{"999999", "000001", "000002"}) {
		t.Errorf("wrap: %v", got)
	}
	var zero STANSource
	if zero.Next() != "000001" || zero.Last() != 1 {
		t.Error("zero value")
	}
	const workers, each = 8, 2000
	src := NewSTANSource(0)
	var mu sync.Mutex
	seen := make(map[string]bool, workers*each)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]string, 0, each)
			for range each {
				local = append(local, src.Next())
			}
			mu.Lock()
			for _, v := range local {
				if seen[v] {
					t.Errorf("duplicate STAN %s", v)
				}
				seen[v] = true
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(seen) != workers*each || src.Last() != workers*each {
		t.Errorf("%d unique, last %d", len(seen), src.Last())
	}
}

func TestRRN(t *testing.T) {
	got, err := RRN(testNow, "000403")
	if err != nil || got != "632510000403" || len(got) != 12 {
		t.Errorf("RRN = %q %v", got, err)
	}
	for _, bad := range []string{"12345", "12345a", ""} {
		if _, err := RRN(testNow, bad); !errors.Is(err, ErrSTAN) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// Message and FromMessage move fields without reflection; moov's Marshal
// and Unmarshal through the iso8583 tags must give the same message.
// Errors of the one mapping, each a *FieldError naming the field.
func TestMappingErrors(t *testing.T) {
	// errors on the direct path
	var fe *FieldError
	if _, err := (&Transaction{MTI: "0200", NetworkMgmtCode: "001"}).Pack(SpecUnionPay); !errors.As(err, &fe) || fe.Field != 70 || !errors.Is(err, ErrField) {
		t.Errorf("field 70 on UnionPay: %v", err)
	}
	if _, err := (&Transaction{MTI: "0200", F60: &Field60{TxnType: "x"}}).Message(SpecUnionPay); !errors.As(err, &fe) || fe.Field != 60 || !errors.Is(err, ErrInvalidDigit) {
		t.Errorf("bad 60: %v", err)
	}
	if _, err := (&Transaction{MTI: "0200", PINBlock: []byte{1}}).Pack(SpecUnionPay); !errors.As(err, &fe) || fe.Field != 52 || !errors.Is(err, ErrLength) {
		t.Errorf("short PIN block: %v", err)
	}
	if _, err := (&Transaction{MTI: "0200", Amount: "12x"}).Pack(Spec87ASCII); !errors.As(err, &fe) || fe.Field != 4 || !errors.Is(err, ErrInvalidDigit) ||
		strings.Count(err.Error(), "iso8583") != 1 {
		t.Errorf("bad amount: %v", err)
	}
	if _, err := Unpack(SpecUnionPay, []byte{0x02}); err == nil {
		t.Error("garbage unpacked")
	}
	m := moov.NewMessage(Spec87ASCII)
	m.MTI("0200")
	_ = m.Field(60, "free text")
	if _, err := FromMessage(m); !errors.Is(err, ErrSubfield) {
		t.Errorf("free-text 60: %v", err)
	}
}

// SettlementTotals reads back what Settlement wrote, through a pack and an
// unpack, on both specs.
func TestSettlementTotalsRoundTrip(t *testing.T) {
	in := Totals{DebitCount: 3, DebitAmount: 30000, CreditCount: 1, CreditAmount: 500,
		ForeignDebitCount: 2, ForeignDebitAmount: 7, ForeignCreditCount: 999, ForeignCreditAmount: 999999999999}
	for _, c := range []struct {
		scheme Scheme
		spec   *moov.MessageSpec
		want   Totals
	}{
		{UnionPay, SpecUnionPay, in},
		// ISO 8583:1987 has no foreign split: the totals are summed.
		{ISO87, Spec87ASCII, Totals{DebitCount: 5, DebitAmount: 30007, CreditCount: 1000, CreditAmount: 1000000000499}},
	} {
		st, err := testTerminal(c.scheme).Settlement(in)
		if err != nil {
			t.Fatal(err)
		}
		packed, err := st.Pack(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Unpack(c.spec, packed)
		if err != nil {
			t.Fatal(err)
		}
		got, err := back.SettlementTotals()
		if err != nil || got != c.want {
			t.Errorf("scheme %v: totals %+v, %v; want %+v", c.scheme, got, err, c.want)
		}
	}
	for _, bad := range []*Transaction{
		{AdditionalData: "123"},
		{AdditionalData: strings.Repeat("0", 61) + "x"},
		{},
		{CreditsNumber: "1", DebitsNumber: "2", CreditsAmount: "3", DebitsAmount: "-4"},
	} {
		if _, err := bad.SettlementTotals(); !errors.Is(err, ErrAmount) {
			t.Errorf("%+v: err = %v, want ErrAmount", bad, err)
		}
	}
}
