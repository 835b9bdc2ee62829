package tms

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// Hex is a byte string written as upper-case hex in JSON.
type Hex []byte

// MarshalText writes h as upper-case hex.
func (h Hex) MarshalText() ([]byte, error) {
	return []byte(strings.ToUpper(hex.EncodeToString(h))), nil
}

// UnmarshalText reads hex.
func (h *Hex) UnmarshalText(b []byte) error {
	v, err := hex.DecodeString(string(b))
	if err != nil {
		return fmt.Errorf("%w: a byte field is not hex", ErrFile)
	}
	*h = v
	return nil
}

// Card is the personalisation of the example's chip card for offline data
// authentication: what its records hold and what the issuer signed. The
// ICC private key is here because the simulated card signs its dynamic
// data with it; it was generated for the example, as every key here.
type Card struct {
	Comment string `json:"comment"`
	AID     Hex    `json:"aid"`
	AIP     Hex    `json:"aip"`     // application interchange profile, tag 82
	CAIndex Hex    `json:"caIndex"` // tag 8F
	// Records are the data objects of the records the AFL names for
	// offline data authentication, as they follow the record template 70.
	Records    Hex `json:"records"`
	SDATagList Hex `json:"sdaTagList"` // tag 9F4A: 82, the AIP is signed too

	IssuerCert      Hex `json:"issuerCert"`      // tag 90
	IssuerRemainder Hex `json:"issuerRemainder"` // tag 92
	IssuerExponent  Hex `json:"issuerExponent"`  // tag 9F32
	SSAD            Hex `json:"ssad"`            // tag 93, signed static application data

	ICCCert      Hex `json:"iccCert"`      // tag 9F46
	ICCRemainder Hex `json:"iccRemainder"` // tag 9F48
	ICCExponent  Hex `json:"iccExponent"`  // tag 9F47
	// ICCModulus and ICCPrivateExponent are the card's RSA key, with which
	// the simulated card signs dynamic data (INTERNAL AUTHENTICATE).
	ICCModulus         Hex `json:"iccModulus"`
	ICCPrivateExponent Hex `json:"iccPrivateExponent"`
}

// String names the card without any key or certificate.
func (c *Card) String() string {
	return fmt.Sprintf("card %X (CA key index %X)", []byte(c.AID), []byte(c.CAIndex))
}

// ParseCard reads the card's personalisation.
//
// Errors: ErrFile.
func ParseCard(data []byte) (*Card, error) {
	var c Card
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%w: card: %v", ErrFile, err)
	}
	switch {
	case len(c.AID) < 5, len(c.AIP) != 2, len(c.CAIndex) != 1, len(c.IssuerCert) == 0, len(c.IssuerExponent) == 0:
		return nil, fmt.Errorf("%w: card lacks its AID, AIP, CA key index or issuer certificate", ErrFile)
	}
	return &c, nil
}

// StaticData is the static data to be authenticated (EMV Book 3 section
// 10.3): the ODA records, followed by the AIP when the SDA tag list names
// it.
func (c *Card) StaticData() []byte {
	out := append([]byte(nil), c.Records...)
	if len(c.SDATagList) == 1 && c.SDATagList[0] == 0x82 {
		out = append(out, c.AIP...)
	}
	return out
}
