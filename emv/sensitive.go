package emv

// Sensitivity classifies how a data element must be treated in logs,
// descriptions and receipts.
type Sensitivity uint8

const (
	// Public data may be shown as is (amounts, dates, TVR, cryptograms).
	Public Sensitivity = iota
	// PAN is an account number: shown masked, first 6 and last 4 digits at
	// most (5A, and the PAN inside track data).
	PAN
	// Track is track or track-equivalent data, or its discretionary part:
	// never shown beyond the masked PAN (57, 56, 9F6B as track 2, 9F1F,
	// 9F20, 5F21-5F23, DF812A, DF812B).
	Track
	// Personal is cardholder personal data: names and similar (5F20, 9F0B,
	// 5F2B); shown fully masked.
	Personal
	// Secret is PIN-related or key material (99, DF01 PIN block, DF08,
	// DF09 ...): never shown.
	Secret
)

// String returns the class name.
func (c Sensitivity) String() string {
	switch c {
	case Public:
		return "public"
	case PAN:
		return "pan"
	case Track:
		return "track"
	case Personal:
		return "personal"
	case Secret:
		return "secret"
	}
	return "unknown"
}

// SensitivityOf returns the sensitivity class of a tag. Tags not known to be
// sensitive are Public. 9F6B is classed as Track because in the Mastercard
// kernel it holds track 2 data (Visa uses it for the card CVM limit, which
// loses nothing by being masked).
func SensitivityOf(t Tag) Sensitivity {
	switch t {
	case 0x5A, 0x9F24: // PAN; Payment Account Reference links to one
		return PAN
	case 0x57, 0x56, 0x58, 0x9F6B, 0x9F1F, 0x9F20, 0x5F21, 0x5F22, 0x5F23,
		0xDF812A, 0xDF812B:
		return Track
	case 0x5F20, 0x9F0B, 0x5F2B, 0x5F35, 0x5F42, 0x5B, 0x5F2C:
		return Personal
	case 0x99, 0xDF01, 0xDF08, 0xDF09, 0xDF26, 0xDF42, 0xDF43, 0xDF44,
		0xDF47, 0xDF65, 0xDF79, 0x5F48:
		return Secret
	}
	return Public
}

// IsSensitive reports whether the value of tag t must be masked when shown:
// PAN (5A), track data (57, 56, 9F6B, 9F1F, 9F20 ...), cardholder personal
// data (5F20, 9F0B ...) and secrets (PIN data 99 ...).
func IsSensitive(t Tag) bool { return SensitivityOf(t) != Public }
