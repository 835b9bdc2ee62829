package iso8583

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/poskit/poskit/emv"
)

// tlvHex builds a payload from a status byte and hex TLV text.
func tlvHex(t *testing.T, status byte, h string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(h, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte{status}, b...)
}

// checkErr checks that err wraps ErrDownload and names want.
func checkErr(t *testing.T, name string, err error, want string) {
	t.Helper()
	if !errors.Is(err, ErrDownload) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: %v, want ErrDownload naming %q", name, err, want)
	}
}

// goodKeyTLV is a complete CA key download answer body, as hex.
func goodKeyTLV(t *testing.T) string {
	k := testCAKey(t, 0x08, 176)
	b, err := AppendCAKey(nil, k)
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestParseCAKeyErrors: every malformed CA key answer is refused with an
// error naming the tag, and no error shows key bytes.
func TestParseCAKeyErrors(t *testing.T) {
	good := goodKeyTLV(t)
	k := testCAKey(t, 0x08, 176)
	drop := func(tag string) string { // good without the object of tag
		b, _ := hex.DecodeString(good)
		var out []byte
		_ = scanFlat(b, func(tg emv.Tag, v []byte) error {
			if tg.String() != tag {
				out = emv.AppendTLV(out, tg, v)
			}
			return nil
		})
		return hex.EncodeToString(out)
	}
	for _, c := range []struct{ name, body, want string }{
		{"truncated", "9F0605A000", "9F06"},
		{"no modulus", drop("DF02"), "tag DF02: missing"},
		{"no check value", drop("DF03"), "tag DF03: missing"},
		{"no expiry", drop("DF05"), "tag DF05: missing"},
		{"short check value", drop("DF03") + "DF0313" + strings.Repeat("00", 19), "tag DF03: 19 bytes"},
		{"repeated RID", good + "9F0605A000000333", "tag 9F06: repeated"},
		{"bad date", drop("DF05") + "DF0508" + hex.EncodeToString([]byte("20301331")), "tag DF05"},
		{"date length", drop("DF05") + "DF0503203012", "tag DF05: 3 bytes"},
		{"RID length", "9F0604A0000003" + good[16:], "tag 9F06: 4 bytes"},
		{"long exponent", drop("DF04") + "DF040401000001", "tag DF04: 4 bytes"},
		{"two-byte hash", drop("DF06") + "DF06020101", "tag DF06"},
	} {
		_, _, err := ParseCAKey(tlvHex(t, '1', c.body))
		checkErr(t, c.name, err, c.want)
		if err != nil && strings.Contains(strings.ToUpper(err.Error()), strings.ToUpper(hex.EncodeToString(k.Modulus[:8]))) {
			t.Errorf("%s: error shows modulus bytes", c.name)
		}
	}
	for _, p := range [][]byte{nil, {'1'}, {'2', 0x9F}, {'3'}, {'0', 0x9F}} {
		_, _, err := ParseCAKey(p)
		checkErr(t, fmt.Sprintf("status %q", p), err, "status")
	}
}

// TestParseListErrors: the status query answers.
func TestParseListErrors(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"no index", "9F0605A000000333 DF05083230333031323331", "9F22: missing"},
		{"expiry first", "DF0508" + hex.EncodeToString([]byte("20301231")), "tag DF05: before 9F06"},
		{"short entry", "9F0605A000000333 9F220101", "tag DF05: missing, entry 1"},
		{"bad tag", "9F", "emv: truncated"},
	} {
		_, err := ParseCAKeyList(tlvHex(t, '2', c.body))
		checkErr(t, c.name, err, c.want)
	}
	for _, p := range [][]byte{nil, {'1'}, {'2'}, {'0', 1}, {'5', 0x9F, 6, 5, 1, 2, 3, 4, 5}} {
		if _, err := ParseCAKeyList(p); !errors.Is(err, ErrDownload) {
			t.Errorf("list %q: %v", p, err)
		}
		if _, err := ParseAIDList(p); !errors.Is(err, ErrDownload) {
			t.Errorf("AID list %q: %v", p, err)
		}
	}
	if l, err := ParseCAKeyList([]byte{'0'}); err != nil || l.More || len(l.Keys) != 0 {
		t.Errorf("empty list: %+v %v", l, err)
	}
	if l, err := ParseAIDList([]byte{'0'}); err != nil || l.More || len(l.AIDs) != 0 {
		t.Errorf("empty AID list: %+v %v", l, err)
	}
	_, err := ParseAIDList(tlvHex(t, '1', "9F0603A00000"))
	checkErr(t, "short AID", err, "tag 9F06: 3 bytes")
	_, err = ParseAIDList(tlvHex(t, '1', "DF0101"+"00"))
	checkErr(t, "no AID", err, "tag 9F06: missing")
}

// TestParseAIDEntryErrors: malformed AID answers name their tag.
func TestParseAIDEntryErrors(t *testing.T) {
	e := testAID()
	good, err := AppendAIDEntry(nil, e)
	if err != nil {
		t.Fatal(err)
	}
	g := hex.EncodeToString(good)
	replace := func(old, new string) string {
		if !strings.Contains(g, strings.ToLower(old)) {
			t.Fatalf("%s not in %s", old, g)
		}
		return strings.Replace(g, strings.ToLower(old), new, 1)
	}
	for _, c := range []struct{ name, body, want string }{
		{"short TAC", replace("DF1105D84000A800", "DF1104D84000A8"), "tag DF11: 4 bytes"},
		{"floor not BCD", replace("9F1B06000000050000", "9F1B060000000500A0"), "tag 9F1B: not BCD"},
		{"ASI value", replace("DF010100", "DF010102"), "tag DF01: value 02"},
		{"no version", replace("9F09020030", ""), "tag 9F09: missing"},
		{"percent length", replace("DF160160", "DF16020060"), "tag DF16: 2 bytes"},
		{"threshold over floor", replace("DF1506000000010000", "DF1506000000090000"), "emv: invalid AID parameters"},
		{"repeated", g + "DF180100", "tag DF18: repeated"},
		{"amount too long", replace("9F1B06000000050000", "9F1B0700000000050000"), "tag 9F1B: 7 bytes"},
		{"bad DDOL", replace("DF14039F3704", "DF14029F37"), "emv: invalid AID parameters"},
	} {
		_, _, err := ParseAIDEntry(tlvHex(t, '1', c.body))
		checkErr(t, c.name, err, c.want)
	}
	if _, ok, err := ParseAIDEntry([]byte{'0'}); ok || err != nil {
		t.Errorf("not held: %v %v", ok, err)
	}
	bad := e
	bad.Params.AID = []byte{1, 2}
	if _, err := AppendAIDEntry(nil, bad); !errors.Is(err, ErrDownload) || !errors.Is(err, emv.ErrAIDParams) {
		t.Errorf("append bad AID: %v", err)
	}
}

// TestParseParamSetErrors: unknown, repeated, cut short and malformed
// entries name their ID.
func TestParseParamSetErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1160", ""},
		{"99x", "unknown parameter 99"},
		{"0512", "unknown parameter 05"},
		{"11601161", "parameter 11 repeated"},
		{"116", "parameter 11 cut short"},
		{"11a0", "parameter 11: not digits"},
		{"172", "parameter 17: not 0 or 1"},
		{"1", "parameter ID at offset 0"},
		{"1160x1", "parameter ID at offset 4"},
	} {
		_, err := ParseParamSet([]byte(c.in))
		if c.want == "" {
			if err != nil {
				t.Errorf("%q: %v", c.in, err)
			}
			continue
		}
		checkErr(t, c.in, err, c.want)
	}
	for _, p := range []ParamSet{{TimeoutSeconds: 100}, {Redials: -1}, {MerchantName: strings.Repeat("x", 41)}, {Phones: [3]string{"012345678901234"}}} {
		if _, err := AppendParamSet(nil, p); !errors.Is(err, ErrDownload) {
			t.Errorf("append %+v: %v", p, err)
		}
	}
}

// TestParseHotListErrors: malformed parts.
func TestParseHotListErrors(t *testing.T) {
	head := "00000120261204" // last 000001, version 20261204
	for _, c := range []struct {
		status byte
		body   string
		want   string
	}{
		{'1', "000001", "hot-list header"},
		{'4', head, "hot-list header"},
		{'1', "0000A1" + "20261204", "not BCD"},
		{'1', head + "05123456", "record 1: length"},
		{'1', head + "0962220001", "record 1: length"},
		{'1', head + "08622200A1", "record 1: not BCD"},
		{'1', head + "076222000F" + "07622200F1", "record 2: not BCD"},
		{'0', head + "0862220001", "records after status 0"},
		{'2', head, "status 2 without records"},
		{'1', "00000020261204" + "0862220001" + "0862220002", "last position 0 before record 2"},
	} {
		_, err := ParseHotListPart(tlvHex(t, c.status, c.body))
		checkErr(t, c.body, err, c.want)
	}
	if h, err := ParseHotListPart(tlvHex(t, '0', head)); err != nil || h.Last != -1 || h.Version != 20261204 {
		t.Errorf("empty part: %+v %v", h, err)
	}
}

// TestDownloadMessageErrors: the typed accessors refuse messages of
// another kind or step, ISO87 field 62 that is not hex, and the builders
// refuse out-of-range arguments.
func TestDownloadMessageErrors(t *testing.T) {
	term := testTerminal(ISO87)
	sale, _ := term.Sale(swipe, 100)
	q, _ := term.CAKeyQuery(0)
	for name, err := range map[string]error{
		"CAKeyList of a sale":  second(sale.CAKeyList()),
		"CAKey of a query":     third(q.CAKey()),
		"AIDList of a query":   second(q.AIDList()),
		"AIDEntry of a sale":   third(sale.AIDEntry()),
		"Params of a sale":     second(sale.Params()),
		"HotListPart of sale":  second(sale.HotListPart()),
		"CAKeyRequested":       third(q.CAKeyRequested()),
		"AIDRequested":         second(q.AIDRequested()),
		"DownloadStart sale":   second(sale.DownloadStart()),
		"list answer to sale":  second(NewCAKeyListResponse(sale, nil, testNow)),
		"key answer to query":  second(NewCAKeyResponse(q, nil, testNow)),
		"AID list to sale":     second(NewAIDListResponse(sale, nil, testNow)),
		"AID answer to sale":   second(NewAIDResponse(sale, nil, testNow)),
		"params to sale":       second(NewParamResponse(sale, ParamSet{}, testNow)),
		"hot list to sale":     second(NewHotListResponse(sale, 1, nil, testNow)),
		"query start 100":      second(term.CAKeyQuery(100)),
		"AID query -1":         second(term.AIDQuery(-1)),
		"AID of 4 bytes":       second(term.AIDDownload([]byte{1, 2, 3, 4})),
		"hot list at -1":       second(term.HotListDownload(-1)),
		"end of a sale":        second(term.DownloadEnd(KindSale)),
		"hot list version":     second(NewHotListResponse(mustHot(t, term), -1, nil, testNow)),
		"hot list entry":       second(NewHotListResponse(mustHot(t, term), 1, []string{"12345"}, testNow)),
		"AID list bad AID":     second(NewAIDListResponse(mustAIDQuery(t, term), [][]byte{{1}}, testNow)),
		"key without checksum": second(NewCAKeyResponse(mustKeyReq(t, term), &emv.CAPublicKey{Modulus: []byte{3}, Exponent: []byte{3}}, testNow)),
	} {
		if !errors.Is(err, ErrDownload) {
			t.Errorf("%s: %v", name, err)
		}
	}
	q.F62 = []byte("1G0")
	if _, err := q.DownloadStart(); !errors.Is(err, ErrDownload) {
		t.Errorf("not hex: %v", err)
	}
	if _, err := (&Terminal{}).CAKeyQuery(0); !errors.Is(err, ErrTerminal) {
		t.Errorf("no IDs: %v", err)
	}
	for _, k := range []emv.CAPublicKey{{}, {Modulus: []byte{3}}, {Modulus: []byte{3}, Exponent: []byte{3}, Checksum: make([]byte, 20)}} {
		if _, err := AppendCAKey(nil, k); !errors.Is(err, ErrDownload) {
			t.Errorf("append %+v: %v", k, err)
		}
	}
}

func second[T any](_ T, err error) error        { return err }
func third[T, U any](_ T, _ U, err error) error { return err }

func mustHot(t *testing.T, term *Terminal) *Transaction {
	r, err := term.HotListDownload(0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustAIDQuery(t *testing.T, term *Terminal) *Transaction {
	r, err := term.AIDQuery(0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustKeyReq(t *testing.T, term *Terminal) *Transaction {
	r, err := term.CAKeyDownload([5]byte{1, 2, 3, 4, 5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestHostRequest: the UnionPay header nibble and the ISO87 field 48
// digit both ways.
func TestHostRequest(t *testing.T) {
	for _, d := range dialects {
		term := testTerminal(d)
		so, _ := term.SignOn()
		resp, _ := NewResponse(so, "00", "", "", testNow)
		h := NewHeader(0x60, 0x31, 0, 0, [3]byte{0x31, 0x10, 0x03})
		h, err := RequestDownload(resp, h, RequestCAKeys)
		if err != nil {
			t.Fatal(err)
		}
		got := DownloadRequested(wire(t, d, resp), h)
		if got != RequestCAKeys || got.Download() != KindCAKeyDownload {
			t.Errorf("%v: %v", d, got)
		}
		if d == UnionPay && (h.ProcessingRequest() != 4 || h.TerminalStatus() != 0 || resp.AdditionalData != "") {
			t.Errorf("UnionPay header %s", h)
		}
		if d == ISO87 && resp.AdditionalData != "4" {
			t.Errorf("ISO87 48 %q", resp.AdditionalData)
		}
	}
	sale, _ := testTerminal(ISO87).Sale(swipe, 1)
	if _, err := RequestDownload(sale, Header{}, RequestAIDs); !errors.Is(err, ErrMTI) {
		t.Errorf("ISO87 sale: %v", err)
	}
	if _, err := RequestDownload(nil, Header{}, 10); !errors.Is(err, ErrDownload) {
		t.Errorf("request 10: %v", err)
	}
	if DownloadRequested(nil, Header{}) != RequestNone || DownloadRequested(sale, Header{}) != RequestNone {
		t.Error("request on nil or sale")
	}
	for r, k := range map[HostRequest]Kind{RequestParameters: KindParameterDownload, RequestAIDs: KindAIDDownload,
		RequestHotList: KindHotListDownload, RequestSignOn: KindUnknown, RequestNone: KindUnknown} {
		if r.Download() != k {
			t.Errorf("%d: %v", r, r.Download())
		}
	}
}

// TestDownloadKinds: every code is classified on both dialects and the
// kinds have English and Chinese names.
func TestDownloadKinds(t *testing.T) {
	for code, want := range downloadCodes {
		for _, tx := range []*Transaction{
			{MTI: "0800", NetworkMgmtCode: code},
			{MTI: "0830", F60: &Field60{TxnType: "00", NetMgmt: code}},
		} {
			if tx.Kind() != want.kind || tx.DownloadStep() != want.step {
				t.Errorf("%s %s: %v %v", tx.MTI, code, tx.Kind(), tx.DownloadStep())
			}
		}
	}
	for _, k := range []Kind{KindParameterDownload, KindCAKeyDownload, KindAIDDownload, KindHotListDownload, KindTransfer} {
		if k.String() == "unknown" || k.Chinese() == "未知" {
			t.Errorf("%d unnamed", k)
		}
	}
	if (&Transaction{MTI: "0800", NetworkMgmtCode: "001"}).Kind() != KindSignOn || StepItem.String() != "item" || DownloadStep(9).String() != "none" {
		t.Error("sign-on or step names")
	}
	if !bytes.Equal(appendBCD(nil, 123456789012, 6), []byte{0x12, 0x34, 0x56, 0x78, 0x90, 0x12}) {
		t.Error("appendBCD")
	}
}

// TestDownloadAccessorsNotHex: on ISO87 every accessor refuses a field 62
// that is not hex, and the host builders refuse an answer as request.
func TestDownloadAccessorsNotHex(t *testing.T) {
	term := testTerminal(ISO87)
	mk := func(tx *Transaction, err error) *Transaction {
		if err != nil {
			t.Fatal(err)
		}
		tx.F62 = []byte("ZZ")
		return tx
	}
	q, item := mk(term.CAKeyQuery(0)), mk(term.CAKeyDownload([5]byte{}, 1))
	aq, aitem := mk(term.AIDQuery(0)), mk(term.AIDDownload(make([]byte, 7)))
	par, hot := mk(term.ParamDownload()), mk(term.HotListDownload(0))
	for name, err := range map[string]error{
		"CAKeyList": second(q.CAKeyList()), "CAKey": third(item.CAKey()), "CAKeyRequested": third(item.CAKeyRequested()),
		"AIDList": second(aq.AIDList()), "AIDEntry": third(aitem.AIDEntry()), "AIDRequested": second(aitem.AIDRequested()),
		"Params": second(par.Params()), "HotListPart": second(hot.HotListPart()),
		"CA list answer":  second(NewCAKeyListResponse(q, nil, testNow)),
		"AID list answer": second(NewAIDListResponse(aq, nil, testNow)),
		"hot answer":      second(NewHotListResponse(hot, 1, nil, testNow)),
	} {
		if !errors.Is(err, ErrDownload) {
			t.Errorf("%s: %v", name, err)
		}
	}
	ans, _ := NewParamResponse(mk(term.ParamDownload()), ParamSet{}, testNow)
	if _, err := NewParamResponse(ans, ParamSet{}, testNow); !errors.Is(err, ErrMTI) {
		t.Errorf("answer to an answer: %v", err)
	}
}

// TestDownloadEdges: the BCD expiry form, a query past the end of the
// list, an AID request naming two AIDs, a transfer without its payee.
func TestDownloadEdges(t *testing.T) {
	l, err := ParseCAKeyList(tlvHex(t, '1', "9F0605A000000333 9F220101 DF050420301231"))
	if err != nil || len(l.Keys) != 1 || l.Keys[0].Expiry.Format("20060102") != "20301231" {
		t.Errorf("BCD expiry: %+v %v", l, err)
	}
	_, err = ParseCAKeyList(tlvHex(t, '1', "9F0605A000000333 9F220101 DF05042030123A"))
	checkErr(t, "BCD expiry not a date", err, "tag DF05")
	term := testTerminal(UnionPay)
	q, _ := term.CAKeyQuery(5)
	ans, err := NewCAKeyListResponse(q, []CAKeyStatus{{Index: 1, Expiry: testNow}}, testNow)
	if err != nil || !bytes.Equal(ans.F62, []byte{'0'}) {
		t.Errorf("past the end: %q %v", ans.F62, err)
	}
	req, _ := term.AIDDownload(make([]byte, 5))
	req.F62 = append(req.F62, req.F62...)
	if _, err := req.AIDRequested(); !errors.Is(err, ErrDownload) {
		t.Errorf("two AIDs: %v", err)
	}
	req.F62 = req.F62[:3]
	if _, err := req.AIDRequested(); !errors.Is(err, ErrDownload) {
		t.Errorf("cut AID: %v", err)
	}
	kr, _ := term.CAKeyDownload([5]byte{}, 1)
	kr.F62 = kr.F62[:7]
	if _, _, err := kr.CAKeyRequested(); !errors.Is(err, ErrDownload) {
		t.Errorf("cut key request: %v", err)
	}
	if p := (&Transaction{MTI: "0200", ProcessingCode: ProcTransfer}).Payee(); p != "" {
		t.Errorf("payee %q", p)
	}
}
