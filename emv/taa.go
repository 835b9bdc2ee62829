package emv

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
)

// Errors of terminal risk management; test them with errors.Is.
var (
	// ErrAmount reports a transaction amount below zero or over the 12
	// digits of tag 9F02.
	ErrAmount = errors.New("emv: invalid transaction amount")
	// ErrRandom reports a random source that failed or kept returning
	// bytes outside the unbiased range.
	ErrRandom = errors.New("emv: random source failed")
)

// IssuerActionCodes are the issuer action codes a card supplied (tags
// 9F0E denial, 9F0F online, 9F0D default). An absent code takes the value
// EMV Book 3 section 10.7 gives it: all zeros for denial, all ones for
// online and default.
type IssuerActionCodes struct {
	ActionCodes
	HasDenial, HasOnline, HasDefault bool
}

// ReadIssuerActionCodes reads tags 9F0E, 9F0F and 9F0D from card data (the
// records read, or any TLV holding them).
//
// Errors: those of [Find], ErrFieldLength for a code that is not 5 bytes.
func ReadIssuerActionCodes(data []byte) (IssuerActionCodes, error) {
	var iac IssuerActionCodes
	for _, c := range [...]struct {
		tag Tag
		dst *TVR
		has *bool
	}{
		{0x9F0E, &iac.Denial, &iac.HasDenial},
		{0x9F0F, &iac.Online, &iac.HasOnline},
		{0x9F0D, &iac.Default, &iac.HasDefault},
	} {
		v, ok, err := Find(data, c.tag)
		if err != nil {
			return IssuerActionCodes{}, err
		}
		if !ok {
			continue
		}
		if len(v) != 5 {
			return IssuerActionCodes{}, fmt.Errorf("%w: tag %04X: %d bytes, want 5", ErrFieldLength, uint32(c.tag), len(v))
		}
		*c.dst, *c.has = TVR(v), true
	}
	return iac, nil
}

// denial, online and fallback return the codes in use, with the defaults
// of Book 3 section 10.7 for absent ones.
func (i IssuerActionCodes) denial() TVR {
	if i.HasDenial {
		return i.Denial
	}
	return TVR{}
}

func (i IssuerActionCodes) online() TVR {
	if i.HasOnline {
		return i.Online
	}
	return TVR{0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
}

func (i IssuerActionCodes) fallback() TVR {
	if i.HasDefault {
		return i.Default
	}
	return TVR{0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
}

// matches reports whether any bit set in tvr is set in a or b.
func matches(tvr, a, b TVR) bool {
	var acc byte
	for i := range tvr {
		acc |= tvr[i] & (a[i] | b[i])
	}
	return acc != 0
}

// ActionAnalysis is the terminal action analysis of EMV Book 3 section
// 10.7 before the first GENERATE AC, and returns the cryptogram to request:
//
//  1. a TVR bit also set in TAC-Denial or IAC-Denial: AAC;
//  2. an online-capable terminal: a TVR bit also set in TAC-Online or
//     IAC-Online gives ARQC, none gives TC;
//  3. a terminal without online capability: a TVR bit also set in
//     TAC-Default or IAC-Default gives AAC, none gives TC.
//
// It does not allocate.
func ActionAnalysis(tvr TVR, tac ActionCodes, iac IssuerActionCodes, onlineCapable bool) ACType {
	if matches(tvr, tac.Denial, iac.denial()) {
		return ACTypeAAC
	}
	if !onlineCapable {
		return UnableToGoOnline(tvr, tac, iac)
	}
	if matches(tvr, tac.Online, iac.online()) {
		return ACTypeARQC
	}
	return ACTypeTC
}

// UnableToGoOnline is the default action analysis of EMV Book 3 section
// 10.7 for an online-capable terminal that requested an ARQC and could not
// reach the host: a TVR bit also set in TAC-Default or IAC-Default gives
// AAC (decline), none gives TC (approve offline). The caller sets no TVR
// bit for the failed connection itself.
func UnableToGoOnline(tvr TVR, tac ActionCodes, iac IssuerActionCodes) ACType {
	if matches(tvr, tac.Default, iac.fallback()) {
		return ACTypeAAC
	}
	return ACTypeTC
}

// ActionAnalysis applies [ActionAnalysis] with p's terminal action codes.
func (p AIDParams) ActionAnalysis(tvr TVR, iac IssuerActionCodes, onlineCapable bool) ACType {
	return ActionAnalysis(tvr, p.TAC, iac, onlineCapable)
}

// UnableToGoOnline applies [UnableToGoOnline] with p's terminal action
// codes.
func (p AIDParams) UnableToGoOnline(tvr TVR, iac IssuerActionCodes) ACType {
	return UnableToGoOnline(tvr, p.TAC, iac)
}

// checkAmount refuses amounts outside the n 12 range.
func checkAmount(amount int64) error {
	if amount < 0 || amount > maxAmount {
		return fmt.Errorf("%w: %d", ErrAmount, amount)
	}
	return nil
}

// CheckFloorLimit is the floor limit check of EMV Book 3 section 10.6.1:
// it sets TVRFloorLimitExceeded in tvr when amount is equal to or greater
// than the floor limit. amount includes any earlier part of a split sale
// from the terminal's log.
//
// Errors: ErrAmount.
func (p AIDParams) CheckFloorLimit(amount int64, tvr *TVR) error {
	if err := checkAmount(amount); err != nil {
		return err
	}
	if amount >= p.FloorLimit {
		tvr.Set(TVRFloorLimitExceeded)
	}
	return nil
}

// SelectRandomly is the random transaction selection of EMV Book 3
// section 10.6.2, for online-capable terminals. It draws a number from 1
// to 99 from r (crypto/rand when r is nil). Below the threshold the
// transaction is selected when the number is at most TargetPercent; from
// the threshold up to the floor limit, when it is at most the transaction
// target percent, which rises linearly from TargetPercent at the
// threshold towards MaxTargetPercent at the floor limit (compared exactly,
// in integers). At or above the floor limit nothing is drawn and false is
// returned: the floor limit check already sends the transaction online.
//
// Errors: ErrAmount, ErrRandom.
func (p AIDParams) SelectRandomly(amount int64, r io.Reader) (bool, error) {
	if err := checkAmount(amount); err != nil {
		return false, err
	}
	if amount >= p.FloorLimit {
		return false, nil
	}
	n, err := randomPercent(r)
	if err != nil {
		return false, err
	}
	target, maxTarget := int64(p.TargetPercent), int64(p.MaxTargetPercent)
	if amount < p.Threshold {
		return n <= target, nil
	}
	// n <= target + (max-target)*(amount-threshold)/(floor-threshold),
	// multiplied through by floor-threshold (> 0 here): at most 99 times
	// 10^12 on either side.
	span := p.FloorLimit - p.Threshold
	return (n-target)*span <= (maxTarget-target)*(amount-p.Threshold), nil
}

// RiskManagement performs the floor limit check and, for an online-capable
// terminal, random transaction selection (EMV Book 3 sections 10.6.1 and
// 10.6.2), setting TVRFloorLimitExceeded and TVRRandomlySelected in tvr.
//
// Errors: ErrAmount, ErrRandom.
func (p AIDParams) RiskManagement(amount int64, tvr *TVR, onlineCapable bool, r io.Reader) error {
	if err := p.CheckFloorLimit(amount, tvr); err != nil {
		return err
	}
	if !onlineCapable {
		return nil
	}
	sel, err := p.SelectRandomly(amount, r)
	if err != nil {
		return err
	}
	if sel {
		tvr.Set(TVRRandomlySelected)
	}
	return nil
}

// randomPercent returns a uniform number from 1 to 99: a byte below 198
// gives byte%99+1; other bytes are discarded, up to 32 times.
func randomPercent(r io.Reader) (int64, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [1]byte
	for range 32 {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, fmt.Errorf("%w: %v", ErrRandom, err)
		}
		if b[0] < 198 {
			return int64(b[0]%99) + 1, nil
		}
	}
	return 0, fmt.Errorf("%w: no byte below 198 in 32 reads", ErrRandom)
}
