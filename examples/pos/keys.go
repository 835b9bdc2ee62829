package main

// keys.go: the test key material and test card of the example. Every value
// here is a published test value or made up for the example; none may ever
// protect real money.

import (
	"encoding/hex"
	"fmt"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/emv"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err) // constant test data only
	}
	return b
}

var (
	// terminalMasterKey (TMK) is loaded into the terminal at key injection;
	// the host sends the session PIN and MAC keys under it at sign-on.
	terminalMasterKey = mustHex("C1D0F8FB4958670DBA40AB1F3752EF0D")

	// tdesBDK and tdesInitialKSN are the ANSI X9.24-1:2009 test BDK and
	// KSN (annex A).
	tdesBDK        = mustHex("0123456789ABCDEFFEDCBA9876543210")
	tdesInitialKSN = mustHex("FFFF9876543210E00000")

	// aesBDK and aesInitialKeyID are the ANSI X9.24-3:2017 test BDK and
	// initial key ID (annex A).
	aesBDK          = mustHex("FEDCBA9876543210F1F1F1F1F1F1F1F1")
	aesInitialKeyID = mustHex("1234567890123456")

	// issuerMasterKey is the issuer's AC master key from which the test
	// card's ICC keys derive (the EMV Book 2 worked example key).
	issuerMasterKey = mustHex("0123456789ABCDEFFEDCBA9876543210")
)

// DUKPT names the PIN and MAC key scheme of a run.
type DUKPT string

const (
	DUKPTTDES DUKPT = "tdes" // ISO 9564 format 0 PIN blocks, X9.19 MAC
	DUKPTAES  DUKPT = "aes"  // ISO 9564 format 4 PIN blocks, AES-CMAC
)

// newOriginator loads terminal number n with its initial DUKPT key, as a
// key injection facility would: the initial key is derived from the BDK
// and a device ID unique to the terminal.
func newOriginator(d DUKPT, n int) (originator, error) {
	switch d {
	case DUKPTTDES:
		ksn := append([]byte(nil), tdesInitialKSN...)
		ksn[6] ^= byte(n) // device ID bits, outside the 21-bit counter
		ipek, err := dukpt.TDESInitialKey(tdesBDK, ksn)
		if err != nil {
			return nil, err
		}
		o, err := dukpt.NewTDESOriginator(ipek, ksn)
		if err != nil {
			return nil, err
		}
		return tdesOriginator{o}, nil
	case DUKPTAES:
		id := append([]byte(nil), aesInitialKeyID...)
		id[7] ^= byte(n)
		ik, err := dukpt.AESInitialKey(aesBDK, id)
		if err != nil {
			return nil, err
		}
		o, err := dukpt.NewAESOriginator(ik, id, dukpt.AES128)
		if err != nil {
			return nil, err
		}
		return aesOriginator{o}, nil
	}
	return nil, fmt.Errorf("unknown DUKPT scheme %q", d)
}

// dukptKeys are the keys a terminal uses for one transaction.
type dukptKeys struct {
	KSN         []byte
	PIN         []byte
	MACRequest  []byte
	MACResponse []byte
}

func (k *dukptKeys) wipe() {
	for _, b := range [][]byte{k.PIN, k.MACRequest, k.MACResponse} {
		clear(b)
	}
}

// originator hides the difference between the TDES and AES originators.
type originator interface {
	next() (dukptKeys, error)
	state() ([]byte, error) // to persist before the keys are used
}

type tdesOriginator struct{ o *dukpt.TDESOriginator }

func (t tdesOriginator) next() (dukptKeys, error) {
	tx, err := t.o.Next()
	if err != nil {
		return dukptKeys{}, err
	}
	// A real terminal persists t.o.MarshalBinary() here, before using the
	// keys (see dukpt.TDESOriginator).
	return dukptKeys{KSN: tx.KSN[:], PIN: tx.PIN, MACRequest: tx.MACRequest, MACResponse: tx.MACResponse}, nil
}

func (t tdesOriginator) state() ([]byte, error) { return t.o.MarshalBinary() }

type aesOriginator struct{ o *dukpt.AESOriginator }

func (a aesOriginator) state() ([]byte, error) { return a.o.MarshalBinary() }

func (a aesOriginator) next() (dukptKeys, error) {
	tx, err := a.o.Next()
	if err != nil {
		return dukptKeys{}, err
	}
	return dukptKeys{KSN: tx.KSN[:], PIN: tx.PIN, MACRequest: tx.MACGeneration, MACResponse: tx.MACVerification}, nil
}

// testCard is the card the customer presents: a Visa CVN 18 test card
// (the EMVCo/Visa test PAN 4761 7390 0101 0119) whose ICC master key derives
// from issuerMasterKey, with the PIN the issuer knows.
type testCard struct {
	PAN    string
	PSN    string // PAN sequence number, tag 5F34
	Expiry string // YYMM
	PIN    string
	AID    []byte
	Label  string
	IAD    []byte // issuer application data, Visa format 0, CVN 18 (0x12)
}

var card = testCard{
	PAN:    "4761739001010119",
	PSN:    "01",
	Expiry: "2912",
	PIN:    "1234",
	AID:    mustHex("A0000000031010"),
	Label:  "VISA CREDIT",
	IAD:    mustHex("06011203A0B800"),
}

func (c testCard) track2() string { return c.PAN + "=" + c.Expiry + "2011000000000" }

// cvn is the cryptogram version of the test card.
var cvn = emv.CVNVisa18
