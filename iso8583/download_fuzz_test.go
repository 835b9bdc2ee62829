package iso8583

import (
	"reflect"
	"testing"

	"github.com/poskit/poskit/emv"
)

// The fuzz targets of the download decoders: each parses arbitrary bytes
// without panicking, and whatever parses encodes again and parses back to
// the same value. Seeds live in testdata/fuzz/<target>.

// FuzzParseCAKey fuzzes the CA key download answer.
func FuzzParseCAKey(f *testing.F) {
	k := testCAKey(f, 0x08, 176)
	good, _ := AppendCAKey([]byte{'1'}, k)
	for _, s := range [][]byte{good, good[:40], {'0'}, {'1', 0xDF, 0x02, 0x81}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		k, ok, err := ParseCAKey(p)
		if err != nil || !ok {
			return
		}
		b, err := AppendCAKey([]byte{'1'}, k)
		if err != nil {
			t.Fatalf("re-append: %v", err)
		}
		k2, ok, err := ParseCAKey(b)
		if err != nil || !ok || !reflect.DeepEqual(k, k2) {
			t.Fatalf("round trip: %v %v", ok, err)
		}
	})
}

// FuzzParseAIDEntry fuzzes the AID download answer.
func FuzzParseAIDEntry(f *testing.F) {
	good, _ := AppendAIDEntry([]byte{'1'}, testAID())
	for _, s := range [][]byte{good, good[:30], {'0'}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		e, ok, err := ParseAIDEntry(p)
		if err != nil || !ok {
			return
		}
		b, err := AppendAIDEntry([]byte{'1'}, e)
		if err != nil {
			t.Fatalf("re-append: %v", err)
		}
		e2, ok, err := ParseAIDEntry(b)
		if err != nil || !ok || !reflect.DeepEqual(e, e2) {
			t.Fatalf("round trip: %v %v\n%+v\n%+v", ok, err, e, e2)
		}
	})
}

// FuzzDownloadLists fuzzes the status query answers (CA keys and AIDs).
func FuzzDownloadLists(f *testing.F) {
	k := testCAKey(f, 0x08, 176)
	ca := appendExpiry(appendKeyID([]byte{'2'}, k.RID, k.Index), k.Expiry)
	for _, s := range [][]byte{ca, {'0'}, {'1', 0x9F, 0x06, 0x05, 0xA0, 0, 0, 0, 0x03}, ca[:9]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		if l, err := ParseCAKeyList(p); err == nil && len(l.Keys) > 0 {
			var entries [][]byte
			for _, k := range l.Keys {
				entries = append(entries, appendExpiry(appendKeyID(nil, k.RID, k.Index), k.Expiry))
			}
			b, _ := packList(entries, 1<<20)
			l2, err := ParseCAKeyList(b)
			if err != nil || !reflect.DeepEqual(l.Keys, l2.Keys) {
				t.Fatalf("CA list round trip: %v", err)
			}
		}
		if l, err := ParseAIDList(p); err == nil && len(l.AIDs) > 0 {
			var entries [][]byte
			for _, a := range l.AIDs {
				entries = append(entries, emv.AppendTLV(nil, 0x9F06, a))
			}
			b, _ := packList(entries, 1<<20)
			l2, err := ParseAIDList(b)
			if err != nil || !reflect.DeepEqual(l.AIDs, l2.AIDs) {
				t.Fatalf("AID list round trip: %v", err)
			}
		}
	})
}

// FuzzParseParamSet fuzzes the parameter download answer.
func FuzzParseParamSet(f *testing.F) {
	good, _ := AppendParamSet(nil, ParamSet{TimeoutSeconds: 60, MerchantName: "TEST", Tips: true, KeyIndex: 3})
	for _, s := range []string{string(good), "1160", "2", "99", "1160116"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		ps, err := ParseParamSet(p)
		if err != nil {
			return
		}
		b, err := AppendParamSet(nil, ps)
		if err != nil {
			// text with trailing spaces trimmed always fits; numbers too
			t.Fatalf("re-append: %v", err)
		}
		ps2, err := ParseParamSet(b)
		if err != nil || ps2 != ps {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, ps, ps2)
		}
	})
}

// FuzzParseHotListPart fuzzes the hot-list answer.
func FuzzParseHotListPart(f *testing.F) {
	good, _ := appendHotListPart(nil, 7, []string{"622200", "6217000010001234567", "62220000000000001"}, 0, 512)
	for _, s := range [][]byte{good, good[:12], {'0', 0, 0, 0, 0, 0, 0, 1}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		h, err := ParseHotListPart(p)
		if err != nil || len(h.Entries) == 0 {
			return
		}
		b, err := appendHotListPart(nil, h.Version, h.Entries, 0, 1<<20)
		if err != nil {
			t.Fatalf("re-append: %v", err)
		}
		h2, err := ParseHotListPart(b)
		if err != nil || h2.Version != h.Version || !reflect.DeepEqual(h2.Entries, h.Entries) || h2.More {
			t.Fatalf("round trip: %v", err)
		}
	})
}
