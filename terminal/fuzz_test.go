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
