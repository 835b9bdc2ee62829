package terminal_test

import (
	"errors"
	"testing"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

// FuzzOpen: whatever the store's queue and journal records hold, Open
// either loads them or fails with ErrCorrupt; it never panics, and a
// loaded record re-reads the same after a restart.
func FuzzOpen(f *testing.F) {
	f.Add([]byte(`{"msg":"MDQwMA==","attempts":1,"created":0}`), []byte(`{"req":"","resp":""}`))
	f.Add([]byte(`{`), []byte(`null`))
	f.Add([]byte(`{"msg":null}`), []byte(`{"voided":true,"req":"MDIwMA=="}`))
	f.Fuzz(func(t *testing.T, queue, journal []byte) {
		s := terminal.NewMemStore()
		_ = s.Apply(
			terminal.Op{Bucket: terminal.BucketQueue, Key: "00000000000000000001", Value: queue},
			terminal.Op{Bucket: terminal.BucketJournal, Key: "00000000000000000002", Value: journal})
		cfg := terminal.Config{Terminal: &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019", MerchantID: "850100082410002"},
			Store: s, Sender: newTestHost()}
		pos, err := terminal.Open(cfg)
		if err != nil {
			if !errors.Is(err, terminal.ErrCorrupt) {
				t.Fatalf("not ErrCorrupt: %v", err)
			}
			return
		}
		p, j := pos.Pending(), pos.Journal()
		pos2, err := terminal.Open(cfg)
		if err != nil || len(pos2.Pending()) != len(p) || len(pos2.Journal()) != len(j) {
			t.Fatalf("second open: %v", err)
		}
		_ = pos.Totals()
	})
}

// FuzzOpenDownload: whatever the store holds as the download set, the
// hot-card list and the operator table, Open either loads them or fails
// with ErrCorrupt; it never panics, and what loads re-encodes to a record
// that loads the same after a download rewrites it.
func FuzzOpenDownload(f *testing.F) {
	f.Add([]byte(`{"have":15,"params":"MTE2MDEyMw==","aids":["MZ8GB6AAAAMzAQGfCQIAIN8RBdhAAAAA3xIF2ECAAADfEwUAEAAAAJ8bBgAAAAAAAA=="]}`), []byte("PKHL\x01\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00"), []byte(nil))
	f.Add([]byte(`{"have":2,"capk":["MQ=="]}`), []byte("PKHL"), []byte("PKOP\x01"))
	f.Add([]byte(`{`), []byte(nil), []byte(nil))
	f.Fuzz(func(t *testing.T, set, hot, ops []byte) {
		s := terminal.NewMemStore()
		put := func(bucket, key string, v []byte) {
			if v != nil {
				_ = s.Apply(terminal.Op{Bucket: bucket, Key: key, Value: v})
			}
		}
		put(terminal.BucketDownload, "set", set)
		put(terminal.BucketDownload, "hotlist", hot)
		put(terminal.BucketState, "operators", ops)
		cfg := terminal.Config{Terminal: &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019", MerchantID: "850100082410002"},
			Store: s, Sender: newTestHost(), ManualDownload: true}
		pos, err := terminal.Open(cfg)
		if err != nil {
			if !errors.Is(err, terminal.ErrCorrupt) {
				t.Fatalf("not ErrCorrupt: %v", err)
			}
			return
		}
		keys, aids, hl := pos.CAKeys().Len(), len(pos.AIDs()), pos.HotList()
		ps, okParams := pos.Params()
		_, _ = pos.Downloads()
		_ = hl.Contains("6224242900000113")
		pos2, err := terminal.Open(cfg)
		if err != nil {
			t.Fatalf("second open: %v", err)
		}
		ps2, ok2 := pos2.Params()
		if pos2.CAKeys().Len() != keys || len(pos2.AIDs()) != aids || ps2 != ps || ok2 != okParams || pos2.HotList().Version() != hl.Version() {
			t.Fatal("second open differs")
		}
	})
}
