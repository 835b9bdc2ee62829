package emv

import (
	"errors"
	"fmt"
)

// ErrAIDParams reports AID parameters that cannot drive terminal risk
// management: see [AIDParams.Validate].
var ErrAIDParams = errors.New("emv: invalid AID parameters")

// maxAmount is the largest amount of the n 12 amount fields (9F02, 9F1B).
const maxAmount = 999_999_999_999

// ActionCodes are the three action codes of one party, each a mask over
// the TVR (EMV Book 3 section 10.7): the terminal's (TAC, set by the
// acquirer) or the issuer's (IAC, tags 9F0E, 9F0F, 9F0D, read from the
// card).
type ActionCodes struct {
	Denial  TVR // a matching TVR bit declines offline (AAC)
	Online  TVR // a matching TVR bit sends the transaction online (ARQC)
	Default TVR // a matching TVR bit declines when online is not possible
}

// AIDParams are the terminal's parameters for one application, as an
// acquirer downloads them: the AID with its selection indicator, the
// terminal action codes, the floor limit and random selection values of
// EMV Book 3 section 10.6, the default DOLs and the contactless limits.
// Amounts are minor units of the transaction currency.
type AIDParams struct {
	AID []byte // 5 to 16 bytes (tag 9F06)
	// Partial allows partial AID selection (Application Selection
	// Indicator, EMV Book 1 section 12.3.1).
	Partial bool
	// Version is the terminal's application version number (tag 9F09).
	Version [2]byte
	// TAC are the terminal action codes.
	TAC ActionCodes
	// FloorLimit is the terminal floor limit (tag 9F1B); 0 sends every
	// transaction above zero online.
	FloorLimit int64
	// Threshold is the threshold value for biased random selection; it is
	// at most FloorLimit.
	Threshold int64
	// TargetPercent and MaxTargetPercent are the target percentage and the
	// maximum target percentage of random selection, 0 to 99, with
	// TargetPercent at most MaxTargetPercent.
	TargetPercent, MaxTargetPercent uint8
	// DefaultDDOL and DefaultTDOL are used when the card supplies no DDOL
	// (tag 9F49) or TDOL (tag 97).
	DefaultDDOL, DefaultTDOL []byte
	// ContactlessFloorLimit, ContactlessTransactionLimit and
	// ContactlessCVMLimit are the reader limits of EMV Book A/B; a
	// negative value means the limit is not set.
	ContactlessFloorLimit, ContactlessTransactionLimit, ContactlessCVMLimit int64
}

// Validate checks p: an AID of 5 to 16 bytes; a floor limit and threshold
// between 0 and 999999999999 with the threshold at most the floor limit;
// percentages up to 99 with the target at most the maximum; default DOLs
// that parse; contactless limits of at most 12 digits.
//
// Errors: ErrAIDParams.
func (p AIDParams) Validate() error {
	switch {
	case len(p.AID) < 5 || len(p.AID) > 16:
		return fmt.Errorf("%w: AID of %d bytes", ErrAIDParams, len(p.AID))
	case p.FloorLimit < 0 || p.FloorLimit > maxAmount:
		return fmt.Errorf("%w: floor limit %d", ErrAIDParams, p.FloorLimit)
	case p.Threshold < 0 || p.Threshold > p.FloorLimit:
		return fmt.Errorf("%w: threshold %d outside 0 to the floor limit", ErrAIDParams, p.Threshold)
	case p.MaxTargetPercent > 99 || p.TargetPercent > p.MaxTargetPercent:
		return fmt.Errorf("%w: target percentages %d and %d", ErrAIDParams, p.TargetPercent, p.MaxTargetPercent)
	case p.ContactlessFloorLimit > maxAmount || p.ContactlessTransactionLimit > maxAmount || p.ContactlessCVMLimit > maxAmount:
		return fmt.Errorf("%w: contactless limit over 12 digits", ErrAIDParams)
	}
	for _, d := range [][]byte{p.DefaultDDOL, p.DefaultTDOL} {
		if _, err := ParseDOL(d); err != nil {
			return fmt.Errorf("%w: default DOL does not parse", ErrAIDParams)
		}
	}
	return nil
}

// TerminalAID returns the AID and its selection indicator for application
// selection. It shares p.AID.
func (p AIDParams) TerminalAID() TerminalAID {
	return TerminalAID{AID: p.AID, Partial: p.Partial}
}
