package receipt

import (
	"fmt"

	"github.com/poskit/poskit/internal/digits"
)

const (
	maxInt64 = 1<<63 - 1
	maxTotal = 1 << 58
)

// check validates s and returns the minor-unit digits of its currency.
func (s *Slip) check() (uint8, error) {
	if s == nil {
		return 0, ErrNil
	}
	if s.Type >= numKinds {
		return 0, fmt.Errorf("%w: slip kind %d", ErrKind, s.Type)
	}
	d, err := s.Amount.Currency.digits()
	if err != nil {
		return 0, err
	}
	if s.Amount.Minor < 0 || s.Tip < 0 || s.Fee < 0 || s.Tip > maxInt64-s.Fee || s.Amount.Minor > maxInt64-s.Tip-s.Fee {
		return 0, fmt.Errorf("%w: slip amount, tip and fee must be 0 or more with a total below 2^63", ErrAmount)
	}
	if err := s.Card.check(); err != nil {
		return 0, err
	}
	if s.Copy >= numCopies {
		return 0, fmt.Errorf("%w: slip copy %d", ErrCopy, s.Copy)
	}
	if s.CVM >= numCVMs {
		return 0, fmt.Errorf("%w: slip CVM %d", ErrCVM, s.CVM)
	}
	if err := checkCode(s.QRCode, false); err != nil {
		return 0, err
	}
	if err := checkCode(s.Barcode, true); err != nil {
		return 0, err
	}
	if i := s.Installment; i != nil {
		if i.Periods < 2 || i.Periods > 99 || i.First < 0 || i.Each < 0 || i.Fee < 0 {
			return 0, fmt.Errorf("%w: instalments need 2 to 99 periods and amounts of 0 or more", ErrAmount)
		}
	}
	if err := s.DCC.check(); err != nil {
		return 0, err
	}
	if err := s.checkPayee(); err != nil {
		return 0, err
	}
	return d, nil
}

// Lengths of a payee account: ISO 8583 field 103 holds up to 28
// characters; fewer than 8 digits is no bank account.
const (
	minAccount = 8
	maxAccount = 28
)

// checkPayee checks that a Transfer has a payee account of 8 to 28 digits
// and that no other kind has a payee.
func (s *Slip) checkPayee() error {
	switch {
	case s.Type != Transfer && s.Payee != nil:
		return fmt.Errorf("%w: a payee on a slip that is not a transfer", ErrPayee)
	case s.Type != Transfer:
		return nil
	case s.Payee == nil:
		return fmt.Errorf("%w: a transfer slip without a payee", ErrPayee)
	}
	if a := s.Payee.Account; len(a) < minAccount || len(a) > maxAccount || !digits.Valid(a) {
		return fmt.Errorf("%w: payee account of %d characters, want %d to %d digits", ErrPayee, len(a), minAccount, maxAccount)
	}
	return nil
}

func (c *Card) check() error {
	if c.PAN != "" && (len(c.PAN) < 12 || len(c.PAN) > 19 || !digits.Valid(c.PAN)) {
		return fmt.Errorf("%w: slip card has %d characters", ErrPAN, len(c.PAN))
	}
	if c.Expiry != "" && !validExpiry(c.Expiry) {
		return fmt.Errorf("%w: slip card expiry is not YYMM with a month of 01 to 12", ErrExpiry)
	}
	if !c.Entry.valid() {
		return fmt.Errorf("%w: slip card entry %#x", ErrEntry, byte(c.Entry))
	}
	if c.Funding >= numFundings {
		return fmt.Errorf("%w: slip card funding %d", ErrFunding, c.Funding)
	}
	return nil
}

func (d *DCC) check() error {
	if d == nil {
		return nil
	}
	if _, err := d.Amount.Currency.digits(); err != nil {
		return err
	}
	if d.Amount.Minor < 0 {
		return fmt.Errorf("%w: negative amount", ErrDCC)
	}
	if !decimalString(d.Rate, 12) {
		return fmt.Errorf("%w: rate must be a decimal number of at most 12 characters", ErrDCC)
	}
	if !decimalString(d.Markup, 8) {
		return fmt.Errorf("%w: markup must be a decimal percentage of at most 8 characters", ErrDCC)
	}
	return nil
}

// decimalString reports whether s is digits with at most one '.' between
// digits, at most n bytes long.
func decimalString(s string, n int) bool {
	if s == "" || len(s) > n || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !dot:
			dot = true
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// sums holds the count and amount of each kind in each card group.
type sums [numGroups][numKinds]struct{ n, a int64 }

// check validates s, adds its totals into t and returns the minor-unit
// digits of its currency.
func (s *SettlementSlip) check(t *sums) (uint8, error) {
	if s == nil {
		return 0, ErrNil
	}
	d, err := s.Currency.digits()
	if err != nil {
		return 0, err
	}
	// Each (group, kind) sum is kept below 2^58 minor units (2.9e17, far
	// beyond any batch), so the nets and the grand total cannot overflow.
	for i := range s.Totals {
		tt := &s.Totals[i]
		g := tt.group()
		switch {
		case g >= numGroups:
			return 0, fmt.Errorf("%w: settlement total %d: group %d", ErrCardGroup, i, g)
		case tt.Type >= numKinds:
			return 0, fmt.Errorf("%w: settlement total %d: kind %d", ErrKind, i, tt.Type)
		case tt.Count < 0 || tt.Amount < 0:
			return 0, fmt.Errorf("%w: settlement total %d is negative", ErrAmount, i)
		}
		p := &t[g][tt.Type]
		if tt.Count > maxTotal-p.n || tt.Amount > maxTotal-p.a {
			return 0, fmt.Errorf("%w: settlement total %d: a sum reaches 2^58", ErrAmount, i)
		}
		p.n += tt.Count
		p.a += tt.Amount
	}
	return d, nil
}
