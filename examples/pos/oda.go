package main

// oda.go: offline data authentication on the journey's chip sale. The
// terminal holds the CA public keys it downloaded from the host (an
// emv.CAPKStore) and the AID parameters; before it asks the card for a
// cryptogram it authenticates the card's data with them (DDA when card and
// terminal both support it, else SDA), sets the TVR bits of the result,
// runs terminal risk management and terminal action analysis with the
// downloaded parameters, and asks for an ARQC. A card that fails ODA still
// goes online: the failure is in the TVR the issuer sees.
//
// The CA keys and the card's certificates are test keys made by
// internal/gentms (go generate), never a payment scheme's.

//go:generate go run ./internal/gentms -out testdata

import (
	"bytes"
	"crypto/rand"
	_ "embed"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/examples/pos/internal/tms"
)

var (
	//go:embed testdata/tms.json
	tmsJSON []byte
	//go:embed testdata/card.json
	cardJSON []byte
)

// shippedTMS is the terminal management file the host serves.
var shippedTMS = sync.OnceValues(func() (*tms.File, error) { return tms.Parse(tmsJSON) })

// shippedCard is the ODA personalisation of the example's card.
var shippedCard = sync.OnceValues(func() (*tms.Card, error) { return tms.ParseCard(cardJSON) })

// cardRecords is what the terminal reads from the card for ODA (READ
// RECORD): the application interchange profile, the CA key index and the
// certificates, and the records whose data the issuer signed.
type cardRecords struct {
	AID, AIP                         []byte
	CAIndex                          byte
	Records, SDATagList              []byte
	IssuerCert, IssuerRem, IssuerExp []byte
	SSAD                             []byte
	ICCCert, ICCRem, ICCExp          []byte
	PAN                              string
}

// staticData is the static data to be authenticated: the ODA records and,
// when the SDA tag list names it, the AIP.
func (r *cardRecords) staticData() []byte {
	out := append([]byte(nil), r.Records...)
	if bytes.Equal(r.SDATagList, []byte{0x82}) {
		out = append(out, r.AIP...)
	}
	return out
}

// odaResult says what offline data authentication did.
type odaResult struct {
	Method string // "SDA", "DDA", or "" when not performed
	CAKey  string // RID/index of the CA key used, e.g. A000000003/E1
	Err    error  // why it failed; nil when it succeeded
}

// String is the journey's line: method, result and CA key, no key bytes.
func (r odaResult) String() string {
	switch {
	case r.Method == "":
		return fmt.Sprintf("ODA: not performed (%v)", r.Err)
	case r.Err != nil:
		return fmt.Sprintf("ODA: %s failed with CA key %s: %v", r.Method, r.CAKey, r.Err)
	}
	return fmt.Sprintf("ODA: %s ok with CA key %s", r.Method, r.CAKey)
}

// errNoODA reports a card or terminal that supports neither SDA nor DDA.
var errNoODA = errors.New("no ODA method both card and terminal support")

// Terminal capabilities (tag 9F33) byte 3: SDA, DDA.
const (
	capSDA = 0x80
	capDDA = 0x40
)

// offlineAuth authenticates the card rec with the CA keys of store at now,
// DDA (INTERNAL AUTHENTICATE with ddolData, the unpredictable number) when
// card and terminal capabilities caps both support it, else SDA; it sets
// the TVR bits of the outcome in tvr.
func offlineAuth(store *emv.CAPKStore, caps []byte, rec *cardRecords, c *chip, ddolData []byte, now time.Time, tvr *emv.TVR) odaResult {
	aip := emv.AIP{}
	copy(aip[:], rec.AIP)
	r := odaResult{CAKey: fmt.Sprintf("%X/%02X", rec.AID[:min(5, len(rec.AID))], rec.CAIndex)}
	switch {
	case len(caps) == 3 && caps[2]&capDDA != 0 && aip.Has(emv.AIPDDA):
		r.Method = "DDA"
	case len(caps) == 3 && caps[2]&capSDA != 0 && aip.Has(emv.AIPSDA):
		r.Method = "SDA"
		tvr.Set(emv.TVRSDASelected)
	default:
		tvr.Set(emv.TVROfflineDataAuthNotPerformed)
		r.Err = errNoODA
		return r
	}
	if store == nil {
		store = emv.NewCAPKStore() // nothing downloaded: the lookup fails
	}
	ik, err := store.RecoverIssuerKey(rec.AID, rec.CAIndex, rec.IssuerCert, rec.IssuerRem, rec.IssuerExp, rec.PAN, now)
	if err == nil && r.Method == "SDA" {
		_, err = emv.ODAVerifySDA(ik.ODAPublicKey, rec.SSAD, rec.staticData())
	} else if err == nil {
		err = dda(ik.ODAPublicKey, rec, c, ddolData)
	}
	if err != nil {
		r.Err = err
		if r.Method == "SDA" {
			tvr.Set(emv.TVRSDAFailed)
		} else {
			tvr.Set(emv.TVRDDAFailed)
		}
	}
	return r
}

// dda recovers the ICC key with the issuer key, asks the card to sign
// ddolData and verifies its signature.
func dda(issuer emv.ODAPublicKey, rec *cardRecords, c *chip, ddolData []byte) error {
	icc, err := emv.ODARecoverICCKey(issuer, rec.ICCCert, rec.ICCRem, rec.ICCExp, rec.staticData(), rec.PAN)
	if err != nil {
		return err
	}
	sdad, err := c.internalAuthenticate(ddolData)
	if err != nil {
		return err
	}
	_, err = emv.ODAVerifyDDA(icc.ODAPublicKey, sdad, ddolData)
	return err
}

// riskAndAction runs terminal risk management (floor limit, random
// selection) and terminal action analysis with the AID's parameters and
// the card's issuer action codes; it returns the cryptogram type to ask
// for. Without parameters for the AID it asks for an ARQC, as an
// online-only POS does.
func riskAndAction(p *emv.AIDParams, rec *cardRecords, amount int64, tvr *emv.TVR) (emv.ACType, error) {
	if p == nil {
		tvr.Set(emv.TVRFloorLimitExceeded) // floor limit 0
		return emv.ACTypeARQC, nil
	}
	if err := p.RiskManagement(amount, tvr, true, rand.Reader); err != nil {
		return emv.ACTypeAAC, err
	}
	iac, err := emv.ReadIssuerActionCodes(rec.Records)
	if err != nil {
		return emv.ACTypeAAC, err
	}
	return p.ActionAnalysis(*tvr, iac, true), nil
}

// acName names a cryptogram type as a terminal's log does.
func acName(t emv.ACType) string {
	switch t {
	case emv.ACTypeAAC:
		return "AAC (decline offline)"
	case emv.ACTypeTC:
		return "TC (approve offline)"
	case emv.ACTypeARQC:
		return "ARQC (go online)"
	}
	return "RFU"
}

// chipDecision is what the terminal decided before GENERATE AC on a
// contact chip sale.
type chipDecision struct {
	ODA odaResult
	TVR emv.TVR
	UN  []byte // the unpredictable number (9F37) DDA signed and the ARQC covers
	AC  emv.ACType
}

// decide reads the card's ODA records, authenticates them with the
// downloaded CA keys and runs risk management and action analysis with the
// downloaded AID parameters. A card that fails ODA is not refused: the TVR
// says so and the action codes send it online. Only an AAC (decline
// offline) is an error.
func (t *Terminal) decide(amount int64) (*chipDecision, error) {
	d := &chipDecision{UN: make([]byte, 4), AC: emv.ACTypeARQC}
	if _, err := rand.Read(d.UN); err != nil {
		return nil, err
	}
	if t.onHotList(t.chip.card.PAN) {
		d.TVR.Set(emv.TVRExceptionFile)
		return d, errHotCard
	}
	rec, err := t.chip.readRecords()
	if err != nil {
		d.TVR.Set(emv.TVROfflineDataAuthNotPerformed)
		d.TVR.Set(emv.TVRFloorLimitExceeded)
		d.ODA = odaResult{Err: err}
		return d, nil
	}
	d.ODA = offlineAuth(t.capk, t.capabilities(), rec, t.chip, d.UN, time.Now(), &d.TVR)
	if d.AC, err = riskAndAction(t.aidParams(rec.AID), rec, amount, &d.TVR); err != nil {
		return d, err
	}
	if d.AC == emv.ACTypeAAC {
		return d, fmt.Errorf("declined offline: terminal action analysis gives an AAC (TVR %X)", d.TVR[:])
	}
	return d, nil
}

// capabilities are the terminal capabilities (9F33) of the example's
// terminal: E0F8C8, which supports SDA, DDA and CDA.
func (t *Terminal) capabilities() []byte { return []byte{0xE0, 0xF8, 0xC8} }

// errHotCard reports a card on the downloaded hot-card list: the terminal
// refuses it before going online.
var errHotCard = errors.New("card on the hot-card list (止付名单): refused")

// aidParams returns the downloaded parameters of the application aid: an
// entry equal to it, or one allowing partial selection that is a prefix of
// it; nil when none matches.
func (t *Terminal) aidParams(aid []byte) *emv.AIDParams {
	for i := range t.aids {
		p := &t.aids[i]
		if bytes.Equal(p.AID, aid) || p.Partial && bytes.HasPrefix(aid, p.AID) {
			return p
		}
	}
	return nil
}
