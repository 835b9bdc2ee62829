package main

// card.go: the chip card, simulated. It answers GENERATE AC with an ARQC
// computed from its ICC keys, and checks the issuer's ARPC when the answer
// comes back. A real terminal would read all this from the card over
// ISO 7816; here the card is a few lines of Go.

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/examples/pos/internal/tms"
	"github.com/poskit/poskit/mac"
)

// chip is one card's chip: the card data and its application transaction
// counter.
type chip struct {
	card testCard
	atc  atomic.Uint32
	// perso is the card's ODA data (certificates, signed data, ICC key),
	// from testdata/card.json; nil for a card without it.
	perso *tms.Card
}

// newChip returns the example's card with its ODA personalisation.
func newChip() (*chip, error) {
	p, err := shippedCard()
	if err != nil {
		return nil, err
	}
	return &chip{card: card, perso: p}, nil
}

// aip is the card's application interchange profile: SDA and DDA
// supported when it carries ODA data (7C), else DDA's bit without the data
// (39, as before ODA: the terminal then finds no certificate).
func (c *chip) aip() []byte {
	if c.perso != nil {
		return c.perso.AIP
	}
	return []byte{0x39, 0x00}
}

// errNoRecords reports a card without ODA data.
var errNoRecords = errors.New("card: no ODA records")

// readRecords returns what the terminal reads for ODA (READ RECORD).
func (c *chip) readRecords() (*cardRecords, error) {
	p := c.perso
	if p == nil {
		return nil, errNoRecords
	}
	r := &cardRecords{
		AID: c.card.AID, AIP: p.AIP, Records: p.Records, SDATagList: p.SDATagList,
		IssuerCert: p.IssuerCert, IssuerRem: p.IssuerRemainder, IssuerExp: p.IssuerExponent, SSAD: p.SSAD,
		ICCCert: p.ICCCert, ICCRem: p.ICCRemainder, ICCExp: p.ICCExponent, PAN: c.card.PAN,
	}
	if len(p.CAIndex) == 1 {
		r.CAIndex = p.CAIndex[0]
	}
	return r, nil
}

// internalAuthenticate answers INTERNAL AUTHENTICATE (DDA): the card signs
// a fresh ICC dynamic number and the terminal's DDOL data with its ICC
// private key.
func (c *chip) internalAuthenticate(ddolData []byte) ([]byte, error) {
	if c.perso == nil {
		return nil, errNoRecords
	}
	dyn := make([]byte, 9)
	dyn[0] = 8 // length of the ICC dynamic number that follows
	if _, err := rand.Read(dyn[1:]); err != nil {
		return nil, err
	}
	return c.perso.SignDynamic(dyn, ddolData)
}

// generateAC builds field 55 for a sale of amount minor units in currency
// (ISO 4217 numeric) on day: the terminal's data, the card's data and an
// ARQC over the CVN 18 input. contactless changes the CVM results (no CVM).
// The TVR says the floor limit was exceeded, and nothing else.
func (c *chip) generateAC(amount int64, currency uint16, day time.Time, contactless bool) ([]byte, error) {
	un := make([]byte, 4)
	if _, err := rand.Read(un); err != nil {
		return nil, err
	}
	return c.generateACWith(amount, currency, day, contactless, emv.TVR{0, 0, 0, 0x80, 0}, un, txGoods)
}

// Transaction types (tag 9C): the first two digits of the ISO 8583
// processing code.
const (
	txGoods    byte = 0x00 // goods and services
	txTransfer byte = 0x40 // cardholder accounts transfer
)

// generateACWith is generateAC with the terminal's TVR, unpredictable
// number (the one DDA signed) and transaction type (9C).
func (c *chip) generateACWith(amount int64, currency uint16, day time.Time, contactless bool, tvr emv.TVR, un []byte, txType byte) ([]byte, error) {
	atc := uint16(c.atc.Add(1))
	cvm := []byte{0x42, 0x03, 0x00} // enciphered PIN online, always, result unknown
	if contactless {
		cvm = []byte{0x1F, 0x03, 0x02} // no CVM performed, successful
	}
	src := emv.MapSource{
		0x9F27: {0x80}, // ARQC
		0x9F10: c.card.IAD,
		0x9F37: un,
		0x9F36: binary.BigEndian.AppendUint16(nil, atc),
		0x95:   tvr[:],
		0x9A:   bcd(day.Year()%100, int(day.Month()), day.Day()),
		0x9C:   {txType},
		0x9F02: amountBCD(amount),
		0x5F2A: binary.BigEndian.AppendUint16(nil, bcd16(currency)),
		0x82:   c.aip(),
		0x9F1A: {0x01, 0x56}, // China
		0x9F03: make([]byte, 6),
		0x9F33: {0xE0, 0xF8, 0xC8},
		0x9F34: cvm,
		0x9F35: {0x22},
		0x84:   c.card.AID,
		0x9F09: {0x00, 0x8C},
		0x5F34: {0x01},
	}
	f55, err := emv.Field55Builder{SkipMissing: true}.Append(nil, src)
	if err != nil {
		return nil, err
	}
	arqc, err := cvn.ARQC(issuerMasterKey, c.card.PAN, c.card.PSN, f55)
	if err != nil {
		return nil, err
	}
	return append(emv.AppendTLV(nil, 0x9F26, arqc), f55...), nil
}

var errARPC = errors.New("card: ARPC does not verify")

// externalAuthenticate checks the issuer authentication data (tag 91) the
// host returned for the cryptogram in request field 55. The card holds the
// same ICC keys the issuer derives, so it recomputes the expected ARPC with
// the same cryptogram version and compares in constant time.
func (c *chip) externalAuthenticate(request55, response55 []byte) error {
	iad, ok, err := emv.Find(response55, 0x91)
	if err != nil || !ok || len(iad) < 8 {
		return fmt.Errorf("%w: no issuer authentication data", errARPC)
	}
	csu := iad[4:8]
	want, err := cvn.Verify(issuerMasterKey, c.card.PAN, c.card.PSN, request55, emv.ARPCResponse{CSU: csu})
	if err != nil {
		return err
	}
	if !mac.Equal(want, iad[:4]) {
		return errARPC
	}
	return nil
}

func bcd(vals ...int) []byte {
	out := make([]byte, len(vals))
	for i, v := range vals {
		out[i] = byte(v/10%10<<4 | v%10)
	}
	return out
}

func bcd16(v uint16) uint16 {
	return (v/1000%10)<<12 | (v/100%10)<<8 | (v/10%10)<<4 | v%10
}

func amountBCD(minor int64) []byte {
	out := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		out[i] = byte((minor/10%10)<<4 | minor%10)
		minor /= 100
	}
	return out
}
