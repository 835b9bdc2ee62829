package terminal

import (
	"errors"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"
)

// A Send that never returns (the iso8583-connection v0.9.0 lock-up of a
// timeout racing a connection failure) is given up after the limit: the
// connection is dropped and the message counts as possibly sent.
func TestGuardedSend(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	dropped := false
	_, err := guarded(50*time.Millisecond, func() (*moov.Message, error) {
		<-block
		return nil, nil
	}, func() { dropped = true })
	if !errors.Is(err, errStuck) || !dropped {
		t.Errorf("err %v, dropped %v", err, dropped)
	}
	want := errors.New("message send timeout")
	if _, err := guarded(time.Minute, func() (*moov.Message, error) { return nil, want }, func() { t.Error("dropped") }); err != want {
		t.Errorf("a returning Send: %v", err)
	}
}
