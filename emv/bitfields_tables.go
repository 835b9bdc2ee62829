// Bit fields of EMV Book 3 annex C, Book 4 annex A and Book C-3 (Visa).

package emv

import "fmt"

// TVR is the Terminal Verification Results (tag 95, EMV Book 3 annex C5).
type TVR [5]byte

// TVRBit names one bit of a TVR: the byte number (1-5) in the high
// byte, the bit mask in the low byte.
type TVRBit uint16

// Bits of TVR.
const (
	TVROfflineDataAuthNotPerformed TVRBit = 0x0180 // byte 1 b8: offline data authentication was not performed
	TVRSDAFailed                   TVRBit = 0x0140 // byte 1 b7: SDA failed
	TVRCardDataMissing             TVRBit = 0x0120 // byte 1 b6: ICC data missing
	TVRExceptionFile               TVRBit = 0x0110 // byte 1 b5: card appears on terminal exception file
	TVRDDAFailed                   TVRBit = 0x0108 // byte 1 b4: DDA failed
	TVRCDAFailed                   TVRBit = 0x0104 // byte 1 b3: CDA failed
	TVRSDASelected                 TVRBit = 0x0102 // byte 1 b2: SDA selected
	TVRVersionMismatch             TVRBit = 0x0280 // byte 2 b8: ICC and terminal have different application versions
	TVRExpired                     TVRBit = 0x0240 // byte 2 b7: expired application
	TVRNotYetEffective             TVRBit = 0x0220 // byte 2 b6: application not yet effective
	TVRServiceNotAllowed           TVRBit = 0x0210 // byte 2 b5: requested service not allowed for card product
	TVRNewCard                     TVRBit = 0x0208 // byte 2 b4: new card
	TVRCVMFailed                   TVRBit = 0x0380 // byte 3 b8: cardholder verification was not successful
	TVRUnrecognisedCVM             TVRBit = 0x0340 // byte 3 b7: unrecognised CVM
	TVRPINTryLimitExceeded         TVRBit = 0x0320 // byte 3 b6: PIN try limit exceeded
	TVRPINPadMissing               TVRBit = 0x0310 // byte 3 b5: PIN entry required and PIN pad not present or not working
	TVRPINNotEntered               TVRBit = 0x0308 // byte 3 b4: PIN entry required, PIN pad present, but PIN was not entered
	TVROnlinePINEntered            TVRBit = 0x0304 // byte 3 b3: online PIN entered
	TVRFloorLimitExceeded          TVRBit = 0x0480 // byte 4 b8: transaction exceeds floor limit
	TVRLowerOfflineLimitExceeded   TVRBit = 0x0440 // byte 4 b7: lower consecutive offline limit exceeded
	TVRUpperOfflineLimitExceeded   TVRBit = 0x0420 // byte 4 b6: upper consecutive offline limit exceeded
	TVRRandomlySelected            TVRBit = 0x0410 // byte 4 b5: transaction selected randomly for online processing
	TVRMerchantForcedOnline        TVRBit = 0x0408 // byte 4 b4: merchant forced transaction online
	TVRDefaultTDOLUsed             TVRBit = 0x0580 // byte 5 b8: default TDOL used
	TVRIssuerAuthFailed            TVRBit = 0x0540 // byte 5 b7: issuer authentication failed
	TVRScriptFailedBeforeAC        TVRBit = 0x0520 // byte 5 b6: script processing failed before final GENERATE AC
	TVRScriptFailedAfterAC         TVRBit = 0x0510 // byte 5 b5: script processing failed after final GENERATE AC
	TVRRelayThresholdExceeded      TVRBit = 0x0508 // byte 5 b4: relay resistance threshold exceeded (kernel C-2)
	TVRRelayTimeLimitsExceeded     TVRBit = 0x0504 // byte 5 b3: relay resistance time limits exceeded (kernel C-2)
)

var namesTVR = []bitName{
	{0x0180, "offline data authentication was not performed"},
	{0x0140, "SDA failed"},
	{0x0120, "ICC data missing"},
	{0x0110, "card appears on terminal exception file"},
	{0x0108, "DDA failed"},
	{0x0104, "CDA failed"},
	{0x0102, "SDA selected"},
	{0x0280, "ICC and terminal have different application versions"},
	{0x0240, "expired application"},
	{0x0220, "application not yet effective"},
	{0x0210, "requested service not allowed for card product"},
	{0x0208, "new card"},
	{0x0380, "cardholder verification was not successful"},
	{0x0340, "unrecognised CVM"},
	{0x0320, "PIN try limit exceeded"},
	{0x0310, "PIN entry required and PIN pad not present or not working"},
	{0x0308, "PIN entry required, PIN pad present, but PIN was not entered"},
	{0x0304, "online PIN entered"},
	{0x0480, "transaction exceeds floor limit"},
	{0x0440, "lower consecutive offline limit exceeded"},
	{0x0420, "upper consecutive offline limit exceeded"},
	{0x0410, "transaction selected randomly for online processing"},
	{0x0408, "merchant forced transaction online"},
	{0x0580, "default TDOL used"},
	{0x0540, "issuer authentication failed"},
	{0x0520, "script processing failed before final GENERATE AC"},
	{0x0510, "script processing failed after final GENERATE AC"},
	{0x0508, "relay resistance threshold exceeded (kernel C-2)"},
	{0x0504, "relay resistance time limits exceeded (kernel C-2)"},
}

// ParseTVR reads a TVR from its 5-byte value.
func ParseTVR(b []byte) (TVR, error) {
	var v TVR
	if len(b) != len(v) {
		return v, fmt.Errorf("%w: TVR needs 5 bytes, got %d", ErrFieldLength, len(b))
	}
	copy(v[:], b)
	return v, nil
}

// Has reports whether bit is set.
func (t TVR) Has(bit TVRBit) bool { return hasBit(t[:], uint16(bit)) }

// Set sets bit.
func (t *TVR) Set(bit TVRBit) { setBit(t[:], uint16(bit), true) }

// Clear clears bit.
func (t *TVR) Clear(bit TVRBit) { setBit(t[:], uint16(bit), false) }

// String lists the set bits in words, separated by "; " (bits without a
// name are shown as "byte N bit M"); "none" when no bit is set.
func (t TVR) String() string { return bitsString(t[:], namesTVR) }

// TSI is the Transaction Status Information (tag 9B, EMV Book 3 annex C6).
type TSI [2]byte

// TSIBit names one bit of a TSI: the byte number (1-2) in the high
// byte, the bit mask in the low byte.
type TSIBit uint16

// Bits of TSI.
const (
	TSIOfflineDataAuthPerformed        TSIBit = 0x0180 // byte 1 b8: offline data authentication was performed
	TSICVMPerformed                    TSIBit = 0x0140 // byte 1 b7: cardholder verification was performed
	TSICardRiskManagementPerformed     TSIBit = 0x0120 // byte 1 b6: card risk management was performed
	TSIIssuerAuthPerformed             TSIBit = 0x0110 // byte 1 b5: issuer authentication was performed
	TSITerminalRiskManagementPerformed TSIBit = 0x0108 // byte 1 b4: terminal risk management was performed
	TSIScriptProcessingPerformed       TSIBit = 0x0104 // byte 1 b3: script processing was performed
)

var namesTSI = []bitName{
	{0x0180, "offline data authentication was performed"},
	{0x0140, "cardholder verification was performed"},
	{0x0120, "card risk management was performed"},
	{0x0110, "issuer authentication was performed"},
	{0x0108, "terminal risk management was performed"},
	{0x0104, "script processing was performed"},
}

// ParseTSI reads a TSI from its 2-byte value.
func ParseTSI(b []byte) (TSI, error) {
	var v TSI
	if len(b) != len(v) {
		return v, fmt.Errorf("%w: TSI needs 2 bytes, got %d", ErrFieldLength, len(b))
	}
	copy(v[:], b)
	return v, nil
}

// Has reports whether bit is set.
func (t TSI) Has(bit TSIBit) bool { return hasBit(t[:], uint16(bit)) }

// Set sets bit.
func (t *TSI) Set(bit TSIBit) { setBit(t[:], uint16(bit), true) }

// Clear clears bit.
func (t *TSI) Clear(bit TSIBit) { setBit(t[:], uint16(bit), false) }

// String lists the set bits in words, separated by "; " (bits without a
// name are shown as "byte N bit M"); "none" when no bit is set.
func (t TSI) String() string { return bitsString(t[:], namesTSI) }

// AIP is the Application Interchange Profile (tag 82, EMV Book 3 annex C1).
type AIP [2]byte

// AIPBit names one bit of a AIP: the byte number (1-2) in the high
// byte, the bit mask in the low byte.
type AIPBit uint16

// Bits of AIP.
const (
	AIPSDA                    AIPBit = 0x0140 // byte 1 b7: SDA supported
	AIPDDA                    AIPBit = 0x0120 // byte 1 b6: DDA supported
	AIPCVM                    AIPBit = 0x0110 // byte 1 b5: cardholder verification is supported
	AIPTerminalRiskManagement AIPBit = 0x0108 // byte 1 b4: terminal risk management is to be performed
	AIPIssuerAuth             AIPBit = 0x0104 // byte 1 b3: issuer authentication is supported
	AIPOnDeviceCVM            AIPBit = 0x0102 // byte 1 b2: on-device cardholder verification is supported (kernel C-2)
	AIPCDA                    AIPBit = 0x0101 // byte 1 b1: CDA supported
	AIPEMVMode                AIPBit = 0x0280 // byte 2 b8: EMV mode is supported (contactless)
	AIPRelayResistance        AIPBit = 0x0201 // byte 2 b1: relay resistance protocol is supported (kernel C-2)
)

var namesAIP = []bitName{
	{0x0140, "SDA supported"},
	{0x0120, "DDA supported"},
	{0x0110, "cardholder verification is supported"},
	{0x0108, "terminal risk management is to be performed"},
	{0x0104, "issuer authentication is supported"},
	{0x0102, "on-device cardholder verification is supported (kernel C-2)"},
	{0x0101, "CDA supported"},
	{0x0280, "EMV mode is supported (contactless)"},
	{0x0201, "relay resistance protocol is supported (kernel C-2)"},
}

// ParseAIP reads a AIP from its 2-byte value.
func ParseAIP(b []byte) (AIP, error) {
	var v AIP
	if len(b) != len(v) {
		return v, fmt.Errorf("%w: AIP needs 2 bytes, got %d", ErrFieldLength, len(b))
	}
	copy(v[:], b)
	return v, nil
}

// Has reports whether bit is set.
func (a AIP) Has(bit AIPBit) bool { return hasBit(a[:], uint16(bit)) }

// Set sets bit.
func (a *AIP) Set(bit AIPBit) { setBit(a[:], uint16(bit), true) }

// Clear clears bit.
func (a *AIP) Clear(bit AIPBit) { setBit(a[:], uint16(bit), false) }

// String lists the set bits in words, separated by "; " (bits without a
// name are shown as "byte N bit M"); "none" when no bit is set.
func (a AIP) String() string { return bitsString(a[:], namesAIP) }

// AUC is the Application Usage Control (tag 9F07, EMV Book 3 annex C2).
type AUC [2]byte

// AUCBit names one bit of a AUC: the byte number (1-2) in the high
// byte, the bit mask in the low byte.
type AUCBit uint16

// Bits of AUC.
const (
	AUCDomesticCash          AUCBit = 0x0180 // byte 1 b8: valid for domestic cash transactions
	AUCInternationalCash     AUCBit = 0x0140 // byte 1 b7: valid for international cash transactions
	AUCDomesticGoods         AUCBit = 0x0120 // byte 1 b6: valid for domestic goods
	AUCInternationalGoods    AUCBit = 0x0110 // byte 1 b5: valid for international goods
	AUCDomesticServices      AUCBit = 0x0108 // byte 1 b4: valid for domestic services
	AUCInternationalServices AUCBit = 0x0104 // byte 1 b3: valid for international services
	AUCATM                   AUCBit = 0x0102 // byte 1 b2: valid at ATMs
	AUCNonATM                AUCBit = 0x0101 // byte 1 b1: valid at terminals other than ATMs
	AUCDomesticCashback      AUCBit = 0x0280 // byte 2 b8: domestic cashback allowed
	AUCInternationalCashback AUCBit = 0x0240 // byte 2 b7: international cashback allowed
)

var namesAUC = []bitName{
	{0x0180, "valid for domestic cash transactions"},
	{0x0140, "valid for international cash transactions"},
	{0x0120, "valid for domestic goods"},
	{0x0110, "valid for international goods"},
	{0x0108, "valid for domestic services"},
	{0x0104, "valid for international services"},
	{0x0102, "valid at ATMs"},
	{0x0101, "valid at terminals other than ATMs"},
	{0x0280, "domestic cashback allowed"},
	{0x0240, "international cashback allowed"},
}

// ParseAUC reads a AUC from its 2-byte value.
func ParseAUC(b []byte) (AUC, error) {
	var v AUC
	if len(b) != len(v) {
		return v, fmt.Errorf("%w: AUC needs 2 bytes, got %d", ErrFieldLength, len(b))
	}
	copy(v[:], b)
	return v, nil
}

// Has reports whether bit is set.
func (a AUC) Has(bit AUCBit) bool { return hasBit(a[:], uint16(bit)) }

// Set sets bit.
func (a *AUC) Set(bit AUCBit) { setBit(a[:], uint16(bit), true) }

// Clear clears bit.
func (a *AUC) Clear(bit AUCBit) { setBit(a[:], uint16(bit), false) }

// String lists the set bits in words, separated by "; " (bits without a
// name are shown as "byte N bit M"); "none" when no bit is set.
func (a AUC) String() string { return bitsString(a[:], namesAUC) }

// TTQ is the Terminal Transaction Qualifiers (tag 9F66, EMV Book C-3 / Visa).
type TTQ [4]byte

// TTQBit names one bit of a TTQ: the byte number (1-4) in the high
// byte, the bit mask in the low byte.
type TTQBit uint16

// Bits of TTQ.
const (
	TTQMSD                      TTQBit = 0x0180 // byte 1 b8: mag-stripe mode supported
	TTQQVSDC                    TTQBit = 0x0120 // byte 1 b6: EMV mode (qVSDC) supported
	TTQContactChip              TTQBit = 0x0110 // byte 1 b5: EMV contact chip supported
	TTQOfflineOnly              TTQBit = 0x0108 // byte 1 b4: offline-only reader
	TTQOnlinePIN                TTQBit = 0x0104 // byte 1 b3: online PIN supported
	TTQSignature                TTQBit = 0x0102 // byte 1 b2: signature supported
	TTQODAForOnline             TTQBit = 0x0101 // byte 1 b1: offline data authentication for online authorisations supported
	TTQOnlineCryptogramRequired TTQBit = 0x0280 // byte 2 b8: online cryptogram required
	TTQCVMRequired              TTQBit = 0x0240 // byte 2 b7: CVM required
	TTQContactOfflinePIN        TTQBit = 0x0220 // byte 2 b6: (contact chip) offline PIN supported
	TTQIssuerUpdate             TTQBit = 0x0380 // byte 3 b8: issuer update processing supported
	TTQConsumerDeviceCVM        TTQBit = 0x0340 // byte 3 b7: consumer device CVM supported
)

var namesTTQ = []bitName{
	{0x0180, "mag-stripe mode supported"},
	{0x0120, "EMV mode (qVSDC) supported"},
	{0x0110, "EMV contact chip supported"},
	{0x0108, "offline-only reader"},
	{0x0104, "online PIN supported"},
	{0x0102, "signature supported"},
	{0x0101, "offline data authentication for online authorisations supported"},
	{0x0280, "online cryptogram required"},
	{0x0240, "CVM required"},
	{0x0220, "(contact chip) offline PIN supported"},
	{0x0380, "issuer update processing supported"},
	{0x0340, "consumer device CVM supported"},
}

// ParseTTQ reads a TTQ from its 4-byte value.
func ParseTTQ(b []byte) (TTQ, error) {
	var v TTQ
	if len(b) != len(v) {
		return v, fmt.Errorf("%w: TTQ needs 4 bytes, got %d", ErrFieldLength, len(b))
	}
	copy(v[:], b)
	return v, nil
}

// Has reports whether bit is set.
func (t TTQ) Has(bit TTQBit) bool { return hasBit(t[:], uint16(bit)) }

// Set sets bit.
func (t *TTQ) Set(bit TTQBit) { setBit(t[:], uint16(bit), true) }

// Clear clears bit.
func (t *TTQ) Clear(bit TTQBit) { setBit(t[:], uint16(bit), false) }

// String lists the set bits in words, separated by "; " (bits without a
// name are shown as "byte N bit M"); "none" when no bit is set.
func (t TTQ) String() string { return bitsString(t[:], namesTTQ) }

// CTQ is the Card Transaction Qualifiers (tag 9F6C, EMV Book C-3 / Visa).
type CTQ [2]byte

// CTQBit names one bit of a CTQ: the byte number (1-2) in the high
// byte, the bit mask in the low byte.
type CTQBit uint16

// Bits of CTQ.
const (
	CTQOnlinePINRequired          CTQBit = 0x0180 // byte 1 b8: online PIN required
	CTQSignatureRequired          CTQBit = 0x0140 // byte 1 b7: signature required
	CTQOnlineIfODAFails           CTQBit = 0x0120 // byte 1 b6: go online if offline data authentication fails and reader is online capable
	CTQSwitchIfODAFails           CTQBit = 0x0110 // byte 1 b5: switch interface if offline data authentication fails and reader supports contact chip
	CTQOnlineIfExpired            CTQBit = 0x0108 // byte 1 b4: go online if application expired
	CTQSwitchForCash              CTQBit = 0x0104 // byte 1 b3: switch interface for cash transactions
	CTQSwitchForCashback          CTQBit = 0x0102 // byte 1 b2: switch interface for cashback transactions
	CTQConsumerDeviceCVMPerformed CTQBit = 0x0280 // byte 2 b8: consumer device CVM performed
	CTQIssuerUpdate               CTQBit = 0x0240 // byte 2 b7: card supports issuer update processing at the POS
)

var namesCTQ = []bitName{
	{0x0180, "online PIN required"},
	{0x0140, "signature required"},
	{0x0120, "go online if offline data authentication fails and reader is online capable"},
	{0x0110, "switch interface if offline data authentication fails and reader supports contact chip"},
	{0x0108, "go online if application expired"},
	{0x0104, "switch interface for cash transactions"},
	{0x0102, "switch interface for cashback transactions"},
	{0x0280, "consumer device CVM performed"},
	{0x0240, "card supports issuer update processing at the POS"},
}

// ParseCTQ reads a CTQ from its 2-byte value.
func ParseCTQ(b []byte) (CTQ, error) {
	var v CTQ
	if len(b) != len(v) {
		return v, fmt.Errorf("%w: CTQ needs 2 bytes, got %d", ErrFieldLength, len(b))
	}
	copy(v[:], b)
	return v, nil
}

// Has reports whether bit is set.
func (c CTQ) Has(bit CTQBit) bool { return hasBit(c[:], uint16(bit)) }

// Set sets bit.
func (c *CTQ) Set(bit CTQBit) { setBit(c[:], uint16(bit), true) }

// Clear clears bit.
func (c *CTQ) Clear(bit CTQBit) { setBit(c[:], uint16(bit), false) }

// String lists the set bits in words, separated by "; " (bits without a
// name are shown as "byte N bit M"); "none" when no bit is set.
func (c CTQ) String() string { return bitsString(c[:], namesCTQ) }

// TerminalCapabilities is the Terminal Capabilities (tag 9F33, EMV Book 4 annex A2).
type TerminalCapabilities [3]byte

// TerminalCapabilitiesBit names one bit of a TerminalCapabilities: the byte number (1-3) in the high
// byte, the bit mask in the low byte.
type TerminalCapabilitiesBit uint16

// Bits of TerminalCapabilities.
const (
	TermCapManualEntry          TerminalCapabilitiesBit = 0x0180 // byte 1 b8: manual key entry
	TermCapMagStripe            TerminalCapabilitiesBit = 0x0140 // byte 1 b7: magnetic stripe
	TermCapContactChip          TerminalCapabilitiesBit = 0x0120 // byte 1 b6: IC with contacts
	TermCapPlaintextPIN         TerminalCapabilitiesBit = 0x0280 // byte 2 b8: plaintext PIN for ICC verification
	TermCapEncipheredPINOnline  TerminalCapabilitiesBit = 0x0240 // byte 2 b7: enciphered PIN for online verification
	TermCapSignature            TerminalCapabilitiesBit = 0x0220 // byte 2 b6: signature (paper)
	TermCapEncipheredPINOffline TerminalCapabilitiesBit = 0x0210 // byte 2 b5: enciphered PIN for offline verification
	TermCapNoCVM                TerminalCapabilitiesBit = 0x0208 // byte 2 b4: no CVM required
	TermCapSDA                  TerminalCapabilitiesBit = 0x0380 // byte 3 b8: SDA
	TermCapDDA                  TerminalCapabilitiesBit = 0x0340 // byte 3 b7: DDA
	TermCapCardCapture          TerminalCapabilitiesBit = 0x0320 // byte 3 b6: card capture
	TermCapCDA                  TerminalCapabilitiesBit = 0x0308 // byte 3 b4: CDA
)

var namesTerminalCapabilities = []bitName{
	{0x0180, "manual key entry"},
	{0x0140, "magnetic stripe"},
	{0x0120, "IC with contacts"},
	{0x0280, "plaintext PIN for ICC verification"},
	{0x0240, "enciphered PIN for online verification"},
	{0x0220, "signature (paper)"},
	{0x0210, "enciphered PIN for offline verification"},
	{0x0208, "no CVM required"},
	{0x0380, "SDA"},
	{0x0340, "DDA"},
	{0x0320, "card capture"},
	{0x0308, "CDA"},
}

// ParseTerminalCapabilities reads a TerminalCapabilities from its 3-byte value.
func ParseTerminalCapabilities(b []byte) (TerminalCapabilities, error) {
	var v TerminalCapabilities
	if len(b) != len(v) {
		return v, fmt.Errorf("%w: TerminalCapabilities needs 3 bytes, got %d", ErrFieldLength, len(b))
	}
	copy(v[:], b)
	return v, nil
}

// Has reports whether bit is set.
func (t TerminalCapabilities) Has(bit TerminalCapabilitiesBit) bool { return hasBit(t[:], uint16(bit)) }

// Set sets bit.
func (t *TerminalCapabilities) Set(bit TerminalCapabilitiesBit) { setBit(t[:], uint16(bit), true) }

// Clear clears bit.
func (t *TerminalCapabilities) Clear(bit TerminalCapabilitiesBit) { setBit(t[:], uint16(bit), false) }

// String lists the set bits in words, separated by "; " (bits without a
// name are shown as "byte N bit M"); "none" when no bit is set.
func (t TerminalCapabilities) String() string { return bitsString(t[:], namesTerminalCapabilities) }

// AdditionalTerminalCapabilities is the Additional Terminal Capabilities (tag 9F40, EMV Book 4 annex A3).
type AdditionalTerminalCapabilities [5]byte

// AdditionalTerminalCapabilitiesBit names one bit of a AdditionalTerminalCapabilities: the byte number (1-5) in the high
// byte, the bit mask in the low byte.
type AdditionalTerminalCapabilitiesBit uint16

// Bits of AdditionalTerminalCapabilities.
const (
	AddTermCapCash              AdditionalTerminalCapabilitiesBit = 0x0180 // byte 1 b8: cash
	AddTermCapGoods             AdditionalTerminalCapabilitiesBit = 0x0140 // byte 1 b7: goods
	AddTermCapServices          AdditionalTerminalCapabilitiesBit = 0x0120 // byte 1 b6: services
	AddTermCapCashback          AdditionalTerminalCapabilitiesBit = 0x0110 // byte 1 b5: cashback
	AddTermCapInquiry           AdditionalTerminalCapabilitiesBit = 0x0108 // byte 1 b4: inquiry
	AddTermCapTransfer          AdditionalTerminalCapabilitiesBit = 0x0104 // byte 1 b3: transfer
	AddTermCapPayment           AdditionalTerminalCapabilitiesBit = 0x0102 // byte 1 b2: payment
	AddTermCapAdministrative    AdditionalTerminalCapabilitiesBit = 0x0101 // byte 1 b1: administrative
	AddTermCapCashDeposit       AdditionalTerminalCapabilitiesBit = 0x0280 // byte 2 b8: cash deposit
	AddTermCapNumericKeys       AdditionalTerminalCapabilitiesBit = 0x0380 // byte 3 b8: numeric keys
	AddTermCapAlphabeticKeys    AdditionalTerminalCapabilitiesBit = 0x0340 // byte 3 b7: alphabetic and special characters keys
	AddTermCapCommandKeys       AdditionalTerminalCapabilitiesBit = 0x0320 // byte 3 b6: command keys
	AddTermCapFunctionKeys      AdditionalTerminalCapabilitiesBit = 0x0310 // byte 3 b5: function keys
	AddTermCapPrintAttendant    AdditionalTerminalCapabilitiesBit = 0x0480 // byte 4 b8: print, attendant
	AddTermCapPrintCardholder   AdditionalTerminalCapabilitiesBit = 0x0440 // byte 4 b7: print, cardholder
	AddTermCapDisplayAttendant  AdditionalTerminalCapabilitiesBit = 0x0420 // byte 4 b6: display, attendant
	AddTermCapDisplayCardholder AdditionalTerminalCapabilitiesBit = 0x0410 // byte 4 b5: display, cardholder
	AddTermCapCodeTable10       AdditionalTerminalCapabilitiesBit = 0x0402 // byte 4 b2: code table 10
	AddTermCapCodeTable9        AdditionalTerminalCapabilitiesBit = 0x0401 // byte 4 b1: code table 9
	AddTermCapCodeTable8        AdditionalTerminalCapabilitiesBit = 0x0580 // byte 5 b8: code table 8
	AddTermCapCodeTable7        AdditionalTerminalCapabilitiesBit = 0x0540 // byte 5 b7: code table 7
	AddTermCapCodeTable6        AdditionalTerminalCapabilitiesBit = 0x0520 // byte 5 b6: code table 6
	AddTermCapCodeTable5        AdditionalTerminalCapabilitiesBit = 0x0510 // byte 5 b5: code table 5
	AddTermCapCodeTable4        AdditionalTerminalCapabilitiesBit = 0x0508 // byte 5 b4: code table 4
	AddTermCapCodeTable3        AdditionalTerminalCapabilitiesBit = 0x0504 // byte 5 b3: code table 3
	AddTermCapCodeTable2        AdditionalTerminalCapabilitiesBit = 0x0502 // byte 5 b2: code table 2
	AddTermCapCodeTable1        AdditionalTerminalCapabilitiesBit = 0x0501 // byte 5 b1: code table 1
)

var namesAdditionalTerminalCapabilities = []bitName{
	{0x0180, "cash"},
	{0x0140, "goods"},
	{0x0120, "services"},
	{0x0110, "cashback"},
	{0x0108, "inquiry"},
	{0x0104, "transfer"},
	{0x0102, "payment"},
	{0x0101, "administrative"},
	{0x0280, "cash deposit"},
	{0x0380, "numeric keys"},
	{0x0340, "alphabetic and special characters keys"},
	{0x0320, "command keys"},
	{0x0310, "function keys"},
	{0x0480, "print, attendant"},
	{0x0440, "print, cardholder"},
	{0x0420, "display, attendant"},
	{0x0410, "display, cardholder"},
	{0x0402, "code table 10"},
	{0x0401, "code table 9"},
	{0x0580, "code table 8"},
	{0x0540, "code table 7"},
	{0x0520, "code table 6"},
	{0x0510, "code table 5"},
	{0x0508, "code table 4"},
	{0x0504, "code table 3"},
	{0x0502, "code table 2"},
	{0x0501, "code table 1"},
}

// ParseAdditionalTerminalCapabilities reads a AdditionalTerminalCapabilities from its 5-byte value.
func ParseAdditionalTerminalCapabilities(b []byte) (AdditionalTerminalCapabilities, error) {
	var v AdditionalTerminalCapabilities
	if len(b) != len(v) {
		return v, fmt.Errorf("%w: AdditionalTerminalCapabilities needs 5 bytes, got %d", ErrFieldLength, len(b))
	}
	copy(v[:], b)
	return v, nil
}

// Has reports whether bit is set.
func (a AdditionalTerminalCapabilities) Has(bit AdditionalTerminalCapabilitiesBit) bool {
	return hasBit(a[:], uint16(bit))
}

// Set sets bit.
func (a *AdditionalTerminalCapabilities) Set(bit AdditionalTerminalCapabilitiesBit) {
	setBit(a[:], uint16(bit), true)
}

// Clear clears bit.
func (a *AdditionalTerminalCapabilities) Clear(bit AdditionalTerminalCapabilitiesBit) {
	setBit(a[:], uint16(bit), false)
}

// String lists the set bits in words, separated by "; " (bits without a
// name are shown as "byte N bit M"); "none" when no bit is set.
func (a AdditionalTerminalCapabilities) String() string {
	return bitsString(a[:], namesAdditionalTerminalCapabilities)
}
