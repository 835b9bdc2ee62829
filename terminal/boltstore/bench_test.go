package boltstore_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
	"github.com/poskit/poskit/terminal/boltstore"
)

// instantHost approves every request at once, without a network.
type instantHost struct{ now time.Time }

func (h instantHost) Send(m *moov.Message) (*moov.Message, error) {
	req, err := iso8583.FromMessage(m)
	if err != nil {
		return nil, err
	}
	resp, err := iso8583.NewResponse(req, "00", "532410000403", "A1B2C3", h.now)
	if err != nil {
		return nil, err
	}
	return resp.Message(m.GetSpec())
}

func benchStores(b *testing.B) map[string]func() terminal.Store {
	return map[string]func() terminal.Store{
		"mem": func() terminal.Store { return terminal.NewMemStore() },
		"bolt-fsync": func() terminal.Store {
			s, err := boltstore.Open(filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
}

// BenchmarkReversalRecord: per transaction, the durable reversal record
// written before the request and cleared (with the journal entry) after
// the answer: two Applies of the sizes a UnionPay sale writes. The mem
// case is the baseline of the ratio.
func BenchmarkReversalRecord(b *testing.B) {
	record := make([]byte, 420)  // an encoded 0400 with its JSON envelope
	journal := make([]byte, 900) // an encoded request and answer
	for _, name := range []string{"mem", "bolt-fsync"} {
		b.Run(name, func(b *testing.B) {
			s := benchStores(b)[name]()
			defer s.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				key := fmt.Sprintf("%020d", i)
				if err := s.Apply(
					terminal.Op{Bucket: terminal.BucketState, Key: "stan", Value: []byte("000123")},
					terminal.Op{Bucket: terminal.BucketQueue, Key: key, Value: record}); err != nil {
					b.Fatal(err)
				}
				if err := s.Apply(
					terminal.Op{Bucket: terminal.BucketQueue, Key: key},
					terminal.Op{Bucket: terminal.BucketJournal, Key: key, Value: journal}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/tx")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}

// BenchmarkSale: a whole approved sale through POS.Sale against a host
// that answers at once: message building, the reversal record, the answer
// and the journal entry.
func BenchmarkSale(b *testing.B) {
	card := iso8583.Card{PAN: "6224242900000113", Expiry: "2806"}
	for _, name := range []string{"mem", "bolt-fsync"} {
		b.Run(name, func(b *testing.B) {
			s := benchStores(b)[name]()
			now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
			term := &iso8583.Terminal{Dialect: iso8583.UnionPay, TerminalID: "10000019", MerchantID: "850100082410002",
				Currency: "156", Batch: "000001", Now: func() time.Time { return now }}
			pos, err := terminal.Open(terminal.Config{Terminal: term, Store: s, Sender: instantHost{now}})
			if err != nil {
				b.Fatal(err)
			}
			defer pos.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if i > 0 && i%900 == 0 { // keep the batch small, as a real one is
					b.StopTimer()
					if _, err := pos.Settle(); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				if out := pos.Sale(card, 1000); out.Status != terminal.Approved {
					b.Fatal(out)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/tx")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}
