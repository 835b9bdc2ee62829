package terminal

import (
	"errors"
	"fmt"
	"strings"

	"github.com/poskit/poskit/iso8583"
)

// Errors of the package. An Outcome's Err wraps one of the first three;
// the others come from Open, Flush, Settle and the stores.
var (
	// ErrNoAnswer reports a request whose answer did not come: a timeout,
	// a dropped connection, a connection reset. Its reversal is queued.
	ErrNoAnswer = errors.New("terminal: no answer from the host")
	// ErrBadAnswer reports an answer that cannot be used: it does not
	// unpack, its MAC fails, or it does not match the request. Its
	// reversal is queued.
	ErrBadAnswer = errors.New("terminal: unusable answer")
	// ErrNotSent reports a request that never left the terminal (the
	// queue could not be emptied first, the connection could not be
	// made, the reversal record could not be written); nothing needs
	// reversing.
	ErrNotSent = errors.New("terminal: request not sent")
	// ErrQueueBlocked reports queued reversals or advices that could not
	// all be sent; they stay queued.
	ErrQueueBlocked = errors.New("terminal: queued messages not delivered")
	// ErrSettlement reports a settlement that could not be completed; the
	// batch stays open.
	ErrSettlement = errors.New("terminal: settlement failed")
	// ErrConfig reports an unusable Config or LinkConfig.
	ErrConfig = errors.New("terminal: bad configuration")
	// ErrCorrupt reports a record in the Store that cannot be read.
	ErrCorrupt = errors.New("terminal: corrupt store record")
)

// Status is the result of an online request, as far as the terminal can
// know it.
type Status uint8

const (
	// Declined: the host declined the request, or it was never sent
	// (Err wraps ErrNotSent). Nothing is owed either way.
	Declined Status = iota
	// Approved: the host approved the request; it is in the batch journal.
	Approved
	// ReversalPending: the outcome is unknown (no answer, an unusable
	// answer, or a response code whose action is "reverse"); a reversal
	// is queued and is sent before the next transaction. Treat the
	// transaction as not done.
	ReversalPending
)

var statusNames = [...]string{"declined", "approved", "unknown, reversal pending"}

// String names the status.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Outcome is what an online request came to. It is never a raw I/O
// error: Status is always one of the three, Err says why when the
// request was not approved.
type Outcome struct {
	Status Status
	// Request is the request as sent (or as it would have been sent).
	Request *iso8583.Transaction
	// Response is the host's answer when one was usable; nil otherwise.
	Response *iso8583.Transaction
	// Code describes the response code (field 39) of Response; its zero
	// value when there is no Response.
	Code iso8583.ResponseCode
	// Operator is the number of the operator logged in ([POS.Login]), for
	// the slip; empty on a POS without an operator table.
	Operator string
	// Err is nil for Approved. For Declined it is nil (a declining
	// answer) or wraps ErrNotSent; for ReversalPending it wraps
	// ErrNoAnswer or ErrBadAnswer (ErrStore when the answer could not be
	// booked), or is nil when the response code itself asked for a
	// reversal.
	Err error
}

// String describes the outcome without card data: status, kind, STAN,
// amount and response code.
func (o Outcome) String() string {
	s := o.Status.String()
	if o.Request != nil {
		s += fmt.Sprintf(" %s STAN %s amount %s", o.Request.Kind(), o.Request.STAN, o.Request.Amount)
	}
	if o.Code.Code != "" {
		s += fmt.Sprintf(" code %s (%s)", o.Code.Code, o.Code.English)
	}
	if o.Err != nil {
		s += ": " + o.Err.Error()
	}
	return s
}

// chained is an error of this package that wraps another: its message
// names the package once ("terminal: outer: inner"), and errors.Is
// matches both.
type chained struct{ outer, inner error }

func (c *chained) Error() string {
	return c.outer.Error() + ": " + strings.TrimPrefix(c.inner.Error(), "terminal: ")
}

func (c *chained) Unwrap() []error { return []error{c.outer, c.inner} }

// wrap returns outer wrapping inner, with the package prefix once; inner
// alone when it already is outer.
func wrap(outer, inner error) error {
	if inner == nil {
		return outer
	}
	if errors.Is(inner, outer) {
		return inner
	}
	return &chained{outer, inner}
}
