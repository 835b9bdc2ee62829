package terminal

import (
	"errors"
	"fmt"
	"strings"

	"github.com/poskit/poskit/iso8583"
)

// Errors of the checks a POS makes before a request goes online. An
// Outcome refused by one of them is Declined and its Err wraps both
// ErrNotSent and the reason.
var (
	// ErrHotCard reports a card on the POS's hot-card list (止付名单): the
	// request is refused without being sent.
	ErrHotCard = errors.New("terminal: card on the hot-card list")
	// ErrNoOperator reports a request or step that needs a logged-in
	// operator while the POS has an operator table.
	ErrNoOperator = errors.New("terminal: no operator logged in")
)

// Store keys of the operator table and the hot-card list.
const (
	keyOperators = "operators" // BucketState: Operators.MarshalBinary
	keyHotList   = "hotlist"   // BucketDownload: HotList.MarshalBinary
)

// RequestOption adjusts one request of [POS.Request].
type RequestOption func(*requestOpts)

type requestOpts struct {
	supervisor, password string
	supervised           bool
}

// WithSupervisor passes the supervisor's number and password with a
// request whose kind needs one ([NeedsSupervisor]: voids and refunds)
// on a POS with an operator table. The password is checked with
// [Operators.Authorize] before anything is sent, and the table (with its
// failure counters) is stored after the check.
func WithSupervisor(id, password string) RequestOption {
	return func(o *requestOpts) { o.supervisor, o.password, o.supervised = id, password, true }
}

// hotChecked reports whether kind k is refused for a card on the hot-card
// list: the kinds that take money or reserve it.
func hotChecked(k iso8583.Kind) bool {
	switch k {
	case iso8583.KindSale, iso8583.KindPreAuth, iso8583.KindCompletion:
		return true
	}
	return isTransfer(k)
}

// cardPAN returns the PAN of a request: field 2, else the digits of
// track 2 before its separator.
func cardPAN(tx *iso8583.Transaction) string {
	if tx.PAN != "" {
		return tx.PAN
	}
	t2 := tx.Track2
	if i := strings.IndexAny(t2, "=D"); i >= 0 {
		return t2[:i]
	}
	return t2
}

// screen applies the checks made before a built request goes online: the
// hot-card list and, on a POS with an operator table, the supervisor of
// a kind that needs one. It returns nil when req may go.
func (p *POS) screen(req *iso8583.Transaction, o requestOpts) error {
	k := req.Kind()
	if hotChecked(k) && p.hot.Contains(cardPAN(req)) {
		return fmt.Errorf("%w: %v refused", ErrHotCard, k)
	}
	if p.ops == nil || !NeedsSupervisor(k) {
		return nil
	}
	if !o.supervised {
		return fmt.Errorf("%w: %v needs the supervisor password", ErrNotSupervisor, k)
	}
	err := p.ops.Authorize(o.supervisor, o.password, k)
	if serr := p.saveOperators(); serr != nil {
		return serr
	}
	return err
}

// SetHotList makes h the POS's hot-card list and stores it; nil clears
// the list. A list set here is replaced by the next download whose
// version is newer.
//
// Errors: ErrStore (the list in force is unchanged).
func (p *POS) SetHotList(h *HotList) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var v []byte
	if h != nil {
		v, _ = h.MarshalBinary()
	}
	if err := p.cfg.Store.Apply(Op{BucketDownload, keyHotList, v}); err != nil {
		return wrapStore("write hot-card list", err)
	}
	p.hot = h
	return nil
}

// HotList returns the hot-card list in force; nil when there is none. A
// HotList is immutable.
func (p *POS) HotList() *HotList {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hot
}

// loadSession reads the operator table and the hot-card list at Open.
func (p *POS) loadSession() error {
	s := p.cfg.Store
	v, ok, err := s.Get(BucketState, keyOperators)
	switch {
	case err != nil:
		return fmt.Errorf("%w: read operator table: %w", ErrStore, err)
	case ok:
		if p.ops == nil {
			p.ops = &Operators{}
		}
		if err := p.ops.UnmarshalBinary(v); err != nil {
			return fmt.Errorf("%w: operator table: %w", ErrCorrupt, err)
		}
	case p.ops != nil:
		if err := p.saveOperators(); err != nil {
			return err
		}
	}
	v, ok, err = s.Get(BucketDownload, keyHotList)
	if err != nil {
		return fmt.Errorf("%w: read hot-card list: %w", ErrStore, err)
	}
	if ok {
		h := new(HotList)
		if err := h.UnmarshalBinary(v); err != nil {
			return fmt.Errorf("%w: hot-card list: %w", ErrCorrupt, err)
		}
		p.hot = h
	}
	return nil
}

// saveOperators stores the operator table (its failure counters with it).
func (p *POS) saveOperators() error {
	b, _ := p.ops.MarshalBinary()
	return wrapStore("write operator table", p.cfg.Store.Apply(Op{BucketState, keyOperators, b}))
}

// Login opens a session for operator id (签到 of the cashier): the
// password is checked with [Operators.Login] and the table, with its
// failure counters, is stored after the check, so a lockout survives a
// restart. A successful login replaces the operator logged in before.
// The operator's number is carried by every Outcome and journal Entry of
// the session (for the slip) and, when it has at most 3 digits, by field
// 63.1 of the management messages.
//
// Errors: ErrConfig when the POS has no operator table; those of
// Operators.Login; ErrStore when the table cannot be stored.
func (p *POS) Login(id, password string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ops == nil {
		return fmt.Errorf("%w: no operator table", ErrConfig)
	}
	role, err := p.ops.Login(id, password)
	if serr := p.saveOperators(); serr != nil {
		return serr
	}
	if err != nil {
		return err
	}
	p.operator, p.role = id, role
	if len(id) <= 3 {
		p.term.Operator = strings.Repeat("0", 3-len(id)) + id
	}
	return nil
}

// Logout ends the operator's session; on a POS with an operator table,
// requests are refused until the next Login.
func (p *POS) Logout() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.operator, p.role = "", 0
	p.term.Operator = p.cfg.Terminal.Operator
}

// Operator returns the number and role of the logged-in operator; ok is
// false when nobody is logged in.
func (p *POS) Operator() (id string, role OperatorRole, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.operator, p.role, p.operator != ""
}

// SaveOperators stores the operator table after a change made to it
// directly (Add, Remove, ChangePassword, Unlock).
//
// Errors: ErrConfig when the POS has no operator table; ErrStore.
func (p *POS) SaveOperators() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ops == nil {
		return fmt.Errorf("%w: no operator table", ErrConfig)
	}
	return p.saveOperators()
}

// needOperator returns ErrNoOperator when the POS has an operator table
// and nobody is logged in.
func (p *POS) needOperator() error {
	if p.ops != nil && p.operator == "" {
		return ErrNoOperator
	}
	return nil
}
