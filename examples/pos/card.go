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
	"github.com/poskit/poskit/mac"
)

// chip is one card's chip: the card data and its application transaction
// counter.
type chip struct {
	card testCard
	atc  atomic.Uint32
}

// generateAC builds field 55 for a sale of amount minor units in currency
// (ISO 4217 numeric) on day: the terminal's data, the card's data and an
// ARQC over the CVN 18 input. contactless changes the CVM results (no CVM).
func (c *chip) generateAC(amount int64, currency uint16, day time.Time, contactless bool) ([]byte, error) {
	un := make([]byte, 4)
	if _, err := rand.Read(un); err != nil {
		return nil, err
	}
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
		0x95:   {0x00, 0x00, 0x00, 0x80, 0x00}, // above the floor limit
		0x9A:   bcd(day.Year()%100, int(day.Month()), day.Day()),
		0x9C:   {0x00}, // goods and services
		0x9F02: amountBCD(amount),
		0x5F2A: binary.BigEndian.AppendUint16(nil, bcd16(currency)),
		0x82:   {0x39, 0x00},
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
