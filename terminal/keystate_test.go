package terminal_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/terminal"
)

// The DUKPT originator's sealed state is stored with each request's
// reversal record, before the request leaves; after a restart the
// terminal resumes at the next counter, never reusing a key.
func TestDUKPTStateAcrossRestart(t *testing.T) {
	ik := bytes.Repeat([]byte{0x12}, 16) // a test initial key, not a vector
	id := []byte{0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56}
	devKey := bytes.Repeat([]byte{0x5A}, 32)
	o, err := dukpt.NewAESOriginator(ik, id, dukpt.AES128)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, iso8583.UnionPay)
	f.cfg.KeyState = func() ([]byte, error) { return o.MarshalSealed(devKey) }
	f.reopen(t)
	var used []uint32
	sale := func() {
		if _, err := o.Next(); err != nil { // the keys of this transaction
			t.Fatal(err)
		}
		c, _ := o.Counter()
		used = append(used, c)
		if out := f.pos.Sale(card, 100); out.Status != terminal.Approved {
			t.Fatal(out)
		}
	}
	sale()
	sale()
	// restart: a new originator from the stored state
	f.reopen(t)
	state, ok, err := f.pos.KeyState()
	if err != nil || !ok {
		t.Fatalf("no key state: %v", err)
	}
	o2, _ := dukpt.NewAESOriginator(ik, id, dukpt.AES128)
	if err := o2.UnmarshalSealed(devKey, state); err != nil {
		t.Fatal(err)
	}
	o = o2
	sale()
	if used[2] <= used[1] {
		t.Errorf("counters %v: a key was reused after the restart", used)
	}
}

// An approved sale the card then declines is reversed: out of the
// journal, reversal queued and delivered, in one write.
func TestReverseApproved(t *testing.T) {
	f := newFixture(t, iso8583.UnionPay)
	s1 := f.pos.Sale(card, 1000)
	out := f.pos.Sale(card, 2000)
	o := iso8583.OriginalOf(s1.Request, s1.Response)
	o.Batch = f.pos.Batch()
	void := f.pos.Request(func(t *iso8583.Terminal) (*iso8583.Transaction, error) { return t.Void(card, 1000, o) })
	if err := f.pos.Reverse(out); err != nil {
		t.Fatal(err)
	}
	if err := f.pos.Reverse(void); err != nil { // the void undone: the sale counts again
		t.Fatal(err)
	}
	if tt := f.pos.Totals(); tt.DebitCount != 1 || tt.DebitAmount != 1000 {
		t.Errorf("totals %+v", tt)
	}
	if f.host.count("0400") != 2 || len(f.pos.Pending()) != 0 {
		t.Errorf("host saw %d reversals, pending %v", f.host.count("0400"), f.pos.Pending())
	}
	f.checkReconciled(t)
	if err := f.pos.Reverse(out); !errors.Is(err, terminal.ErrConfig) {
		t.Errorf("reversed twice: %v", err)
	}
	f.reopen(t)
	if tt := f.pos.Totals(); tt.DebitCount != 1 {
		t.Errorf("after restart %+v", tt)
	}
}
