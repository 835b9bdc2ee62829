// Package tms reads the terminal management file the example's host serves
// (testdata/tms.json: CA public keys, AID parameters, terminal parameters
// and a hot-card list) and the personalisation of the example's chip card
// (testdata/card.json: its issuer and ICC public key certificates and its
// signed static application data), both made by the generator in
// ../gentms.
//
//	f, err := tms.Parse(data)         // checks every CA key's check value
//	keys, err := f.CAPublicKeys()     // []emv.CAPublicKey for an emv.CAPKStore
//	aids, err := f.AIDParameters()    // []emv.AIDParams
//
// Every key in these files was generated for the example: none is a
// payment scheme's key, and none may protect real money.
package tms

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/poskit/poskit/emv"
)

// ErrFile reports a file that does not parse or whose values are not
// usable; the wrapping error names the entry and field, never key bytes.
var ErrFile = errors.New("tms: malformed file")

// File is the terminal management file: what an acquirer downloads to its
// terminals.
type File struct {
	Comment  string         `json:"comment"`
	Terminal TerminalParams `json:"terminal"`
	CAKeys   []CAKey        `json:"caKeys"`
	AIDs     []AID          `json:"aids"`
	HotCards HotCardList    `json:"hotCards"`
}

// TerminalParams are the terminal parameters of the download.
type TerminalParams struct {
	Version        string `json:"version"` // parameter version, 12 digits
	MerchantName   string `json:"merchantName"`
	Country        string `json:"country"`        // ISO 3166 numeric, tag 9F1A
	Currency       string `json:"currency"`       // ISO 4217 numeric, tag 5F2A
	Capabilities   string `json:"capabilities"`   // terminal capabilities, tag 9F33, hex
	TerminalType   string `json:"terminalType"`   // tag 9F35, hex
	TimeoutSeconds int    `json:"timeoutSeconds"` // how long to wait for an answer
	Redials        int    `json:"redials"`        // dial attempts before giving up
	ReversalTries  int    `json:"reversalTries"`  // sends of a reversal before it is kept for later
}

// CAKey is one certification authority public key, its byte fields in hex.
type CAKey struct {
	RID      string `json:"rid"`
	Index    string `json:"index"`
	Modulus  string `json:"modulus"`
	Exponent string `json:"exponent"`
	Expiry   string `json:"expiry"` // YYYY-MM-DD, the last day of use
	Checksum string `json:"checksum"`
}

// AID is one application's parameters; amounts are minor units, byte
// fields hex.
type AID struct {
	AID              string `json:"aid"`
	Partial          bool   `json:"partialSelection"`
	Version          string `json:"version"`
	TACDenial        string `json:"tacDenial"`
	TACOnline        string `json:"tacOnline"`
	TACDefault       string `json:"tacDefault"`
	FloorLimit       int64  `json:"floorLimit"`
	Threshold        int64  `json:"threshold"`
	TargetPercent    uint8  `json:"targetPercent"`
	MaxTargetPercent uint8  `json:"maxTargetPercent"`
	DefaultDDOL      string `json:"defaultDDOL"`
	DefaultTDOL      string `json:"defaultTDOL"`
	CLFloorLimit     int64  `json:"contactlessFloorLimit"`
	CLTxnLimit       int64  `json:"contactlessTransactionLimit"`
	CLCVMLimit       int64  `json:"contactlessCVMLimit"`
}

// HotCardList is the stop-payment list (止付名单) with its version.
type HotCardList struct {
	Version string   `json:"version"`
	PANs    []string `json:"pans"`
}

// Parse reads a terminal management file and checks it: every CA key
// loads into an emv.CAPKStore (its check value verifies), every AID's
// parameters validate, every hot-card entry is a PAN of digits.
//
// Errors: ErrFile, and emv's CA key errors (ErrCAPKChecksum, ...).
func Parse(data []byte) (*File, error) {
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFile, err)
	}
	if _, err := f.CAPublicKeys(); err != nil {
		return nil, err
	}
	if _, err := f.AIDParameters(); err != nil {
		return nil, err
	}
	for i, p := range f.HotCards.PANs {
		if len(p) < 12 || len(p) > 19 || strings.Trim(p, "0123456789") != "" {
			return nil, fmt.Errorf("%w: hot-card entry %d is not a PAN", ErrFile, i)
		}
	}
	return &f, nil
}

// Store loads the file's CA keys into a new store.
//
// Errors: as [File.CAPublicKeys], and emv's CA key errors.
func (f *File) Store() (*emv.CAPKStore, error) {
	keys, err := f.CAPublicKeys()
	if err != nil {
		return nil, err
	}
	s := emv.NewCAPKStore()
	for _, k := range keys {
		if err := s.Add(k); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// CAPublicKeys converts the CA keys, checking each one's check value as a
// terminal does on load.
//
// Errors: ErrFile, and emv's CA key errors.
func (f *File) CAPublicKeys() ([]emv.CAPublicKey, error) {
	out := make([]emv.CAPublicKey, 0, len(f.CAKeys))
	for i, c := range f.CAKeys {
		k, err := c.Key()
		if err != nil {
			return nil, fmt.Errorf("CA key %d: %w", i, err)
		}
		if err := emv.NewCAPKStore().Add(k); err != nil {
			return nil, fmt.Errorf("CA key %s/%s: %w", c.RID, c.Index, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// Key converts c without checking its check value.
//
// Errors: ErrFile.
func (c CAKey) Key() (emv.CAPublicKey, error) {
	var k emv.CAPublicKey
	rid, err := hexField("rid", c.RID, 5, 5)
	if err != nil {
		return k, err
	}
	idx, err := hexField("index", c.Index, 1, 1)
	if err != nil {
		return k, err
	}
	k.RID, k.Index = [5]byte(rid), idx[0]
	k.HashAlgorithm, k.KeyAlgorithm = emv.CAPKHashSHA1, emv.CAPKAlgorithmRSA
	if k.Modulus, err = hexField("modulus", c.Modulus, 1, 248); err != nil {
		return k, err
	}
	if k.Exponent, err = hexField("exponent", c.Exponent, 1, 3); err != nil {
		return k, err
	}
	if k.Checksum, err = hexField("checksum", c.Checksum, 20, 20); err != nil {
		return k, err
	}
	if k.Expiry, err = time.Parse(time.DateOnly, c.Expiry); err != nil {
		return k, fmt.Errorf("%w: expiry %q", ErrFile, c.Expiry)
	}
	return k, nil
}

// AIDParameters converts the AID list and validates each entry.
//
// Errors: ErrFile, emv.ErrAIDParams.
func (f *File) AIDParameters() ([]emv.AIDParams, error) {
	out := make([]emv.AIDParams, 0, len(f.AIDs))
	for i, a := range f.AIDs {
		p, err := a.Params()
		if err != nil {
			return nil, fmt.Errorf("AID %d: %w", i, err)
		}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("AID %s: %w", a.AID, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Params converts a without validating it.
//
// Errors: ErrFile.
func (a AID) Params() (emv.AIDParams, error) {
	p := emv.AIDParams{Partial: a.Partial, FloorLimit: a.FloorLimit, Threshold: a.Threshold,
		TargetPercent: a.TargetPercent, MaxTargetPercent: a.MaxTargetPercent,
		ContactlessFloorLimit: a.CLFloorLimit, ContactlessTransactionLimit: a.CLTxnLimit, ContactlessCVMLimit: a.CLCVMLimit}
	var err error
	if p.AID, err = hexField("aid", a.AID, 5, 16); err != nil {
		return p, err
	}
	v, err := hexField("version", a.Version, 2, 2)
	if err != nil {
		return p, err
	}
	p.Version = [2]byte(v)
	for _, t := range []struct {
		name string
		s    string
		dst  *emv.TVR
	}{{"tacDenial", a.TACDenial, &p.TAC.Denial}, {"tacOnline", a.TACOnline, &p.TAC.Online}, {"tacDefault", a.TACDefault, &p.TAC.Default}} {
		b, err := hexField(t.name, t.s, 5, 5)
		if err != nil {
			return p, err
		}
		*t.dst = emv.TVR(b)
	}
	if p.DefaultDDOL, err = hexField("defaultDDOL", a.DefaultDDOL, 0, 252); err != nil {
		return p, err
	}
	if p.DefaultTDOL, err = hexField("defaultTDOL", a.DefaultTDOL, 0, 252); err != nil {
		return p, err
	}
	return p, nil
}

// hexField decodes a hex field of min to max bytes.
func hexField(name, s string, min, max int) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not hex", ErrFile, name)
	}
	if len(b) < min || len(b) > max {
		return nil, fmt.Errorf("%w: %s of %d bytes, want %d to %d", ErrFile, name, len(b), min, max)
	}
	return b, nil
}
