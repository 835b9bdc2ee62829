package emv

import "sort"

// Format is the EMV data-element format (EMV Book 3, section 4.3).
type Format uint8

const (
	// FormatB is binary.
	FormatB Format = iota
	// FormatN is numeric: BCD, right-justified, leading zeros.
	FormatN
	// FormatCN is compressed numeric: BCD, left-justified, trailing F.
	FormatCN
	// FormatAN is alphanumeric ASCII.
	FormatAN
	// FormatANS is alphanumeric and special ASCII (or the issuer code table).
	FormatANS
	// FormatTemplate is a constructed object holding other objects.
	FormatTemplate
)

// String returns the Book 3 abbreviation: "b", "n", "cn", "an", "ans",
// "template".
func (f Format) String() string {
	switch f {
	case FormatB:
		return "b"
	case FormatN:
		return "n"
	case FormatCN:
		return "cn"
	case FormatAN:
		return "an"
	case FormatANS:
		return "ans"
	case FormatTemplate:
		return "template"
	}
	return "?"
}

// Source says where a data element comes from.
type Source uint8

const (
	// SourceICC is the card.
	SourceICC Source = iota
	// SourceTerminal is the terminal (or the kernel configuration).
	SourceTerminal
	// SourceIssuer is the issuer host, through the authorisation response.
	SourceIssuer
)

// String returns "ICC", "Terminal" or "Issuer".
func (s Source) String() string {
	switch s {
	case SourceICC:
		return "ICC"
	case SourceTerminal:
		return "Terminal"
	case SourceIssuer:
		return "Issuer"
	}
	return "?"
}

// Kernel names a contactless kernel (the EMV kernel identifier) or the
// contact specification, for tags whose meaning depends on it.
type Kernel uint8

const (
	// KernelEMV is EMV Books 1-4 (contact) and the names shared by kernels.
	KernelEMV Kernel = 0
	// KernelMastercard is EMV Kernel C-2 (Mastercard).
	KernelMastercard Kernel = 2
	// KernelVisa is EMV Kernel C-3 (Visa).
	KernelVisa Kernel = 3
	// KernelUnionPay is EMV Kernel C-7 and the UnionPay (UICS/PBOC) tags.
	KernelUnionPay Kernel = 7
)

// TagInfo describes a data element of the dictionary.
type TagInfo struct {
	Tag    Tag
	Name   string
	Format Format
	// MinLen and MaxLen bound the value length in bytes; MaxLen 0 means
	// variable with no fixed bound (certificates, templates).
	MinLen, MaxLen int
	Source         Source
	// Template is the template(s) the element normally appears in, as
	// hex tags ("70 or 77"); empty when it has none or is one.
	Template string
	// Sensitivity is the masking class (see SensitivityOf).
	Sensitivity Sensitivity
	// Note records kernel-dependent meanings and other remarks.
	Note string

	str string // Tag.String(), interned for tree decoding
}

// Lookup returns the dictionary entry of tag: the EMV Book 3 annex A data
// elements, EMV Book 4 terminal elements, and the common scheme tags
// (Mastercard Kernel C-2 DF81xx/FF81xx, Visa 9F6x/9F7x, UnionPay DF3x and
// electronic-cash tags). A tag whose meaning depends on the kernel (9F6B is
// Track 2 Data for Mastercard and Card CVM Limit for Visa; 9F66, 9F6C, 9F6E,
// 9F7C likewise) is listed under a combined name with a Note; LookupKernel
// gives the kernel-specific entry.
func Lookup(tag Tag) (TagInfo, bool) {
	if i := findInfo(dictionary, tag); i >= 0 {
		return dictionary[i], true
	}
	return TagInfo{}, false
}

// LookupKernel returns the entry of tag as kernel k defines it, falling back
// to Lookup.
func LookupKernel(tag Tag, k Kernel) (TagInfo, bool) {
	var tab []TagInfo
	switch k {
	case KernelMastercard:
		tab = mastercardTags
	case KernelVisa:
		tab = visaTags
	case KernelUnionPay:
		tab = unionPayTags
	}
	if i := findInfo(tab, tag); i >= 0 {
		return tab[i], true
	}
	return Lookup(tag)
}

// Name returns the dictionary name of tag, or "" if it is unknown.
func Name(tag Tag) string {
	if i := findInfo(dictionary, tag); i >= 0 {
		return dictionary[i].Name
	}
	return ""
}

func findInfo(tab []TagInfo, tag Tag) int {
	i := sort.Search(len(tab), func(i int) bool { return tab[i].Tag >= tag })
	if i < len(tab) && tab[i].Tag == tag {
		return i
	}
	return -1
}

func internedTag(t Tag) (string, bool) {
	// An open-addressed hash table: this runs once or twice per object in
	// tree decoding (BenchmarkDecodeTreeIntoField55; a binary search over
	// the dictionary cost half of that benchmark).
	for h := internHash(t); ; h = (h + 1) & (internSize - 1) {
		e := &internTable[h]
		if e.tag == t {
			return e.str, true
		}
		if e.tag == 0 {
			return "", false
		}
	}
}

// internSize is the size of internTable, a power of two at least four
// times the dictionary.
const internSize = 1024

type internEntry struct {
	tag Tag
	str string
}

var internTable [internSize]internEntry

func internHash(t Tag) uint32 { return uint32(t) * 0x9E3779B1 >> (32 - 10) }

// Tags returns the tags of the (kernel-independent) dictionary in
// ascending order.
func Tags() []Tag {
	out := make([]Tag, len(dictionary))
	for i := range dictionary {
		out[i] = dictionary[i].Tag
	}
	return out
}

func init() {
	for _, tab := range [][]TagInfo{dictionary, mastercardTags, visaTags, unionPayTags} {
		sort.Slice(tab, func(i, j int) bool { return tab[i].Tag < tab[j].Tag })
		for i := range tab {
			tab[i].str = tab[i].Tag.String()
			tab[i].Sensitivity = SensitivityOf(tab[i].Tag)
			if tab[i].Tag.Constructed() {
				tab[i].Format = FormatTemplate
			}
		}
	}
	for _, info := range dictionary {
		h := internHash(info.Tag)
		for internTable[h].tag != 0 {
			h = (h + 1) & (internSize - 1)
		}
		internTable[h] = internEntry{info.Tag, info.str}
	}
}

// dictionary: EMV 4.3 Book 3 annex A (A1), Book 4 terminal data, and the
// common scheme tags. Lengths are in bytes.
var dictionary = []TagInfo{
	{Tag: 0x42, Name: "Issuer Identification Number (IIN)", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceICC, Template: "BF0C"},
	{Tag: 0x4F, Name: "Application Identifier (AID) - card", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceICC, Template: "61"},
	{Tag: 0x50, Name: "Application Label", Format: FormatANS, MinLen: 1, MaxLen: 16, Source: SourceICC, Template: "61 or A5"},
	{Tag: 0x56, Name: "Track 1 Data", Format: FormatANS, MinLen: 0, MaxLen: 76, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x57, Name: "Track 2 Equivalent Data", Format: FormatB, MinLen: 0, MaxLen: 19, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x5A, Name: "Application Primary Account Number (PAN)", Format: FormatCN, MinLen: 0, MaxLen: 10, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x5F20, Name: "Cardholder Name", Format: FormatANS, MinLen: 2, MaxLen: 26, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x5F24, Name: "Application Expiration Date", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceICC, Template: "70 or 77", Note: "YYMMDD"},
	{Tag: 0x5F25, Name: "Application Effective Date", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceICC, Template: "70 or 77", Note: "YYMMDD"},
	{Tag: 0x5F28, Name: "Issuer Country Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceICC, Template: "70 or 77", Note: "ISO 3166"},
	{Tag: 0x5F2A, Name: "Transaction Currency Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceTerminal, Note: "ISO 4217"},
	{Tag: 0x5F2D, Name: "Language Preference", Format: FormatAN, MinLen: 2, MaxLen: 8, Source: SourceICC, Template: "A5", Note: "ISO 639, 1-4 languages"},
	{Tag: 0x5F30, Name: "Service Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x5F34, Name: "Application PAN Sequence Number", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x5F36, Name: "Transaction Currency Exponent", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x5F50, Name: "Issuer URL", Format: FormatANS, Source: SourceICC, Template: "BF0C"},
	{Tag: 0x5F53, Name: "International Bank Account Number (IBAN)", Format: FormatB, MaxLen: 34, Source: SourceICC, Template: "BF0C"},
	{Tag: 0x5F54, Name: "Bank Identifier Code (BIC)", Format: FormatB, MinLen: 8, MaxLen: 11, Source: SourceICC, Template: "BF0C"},
	{Tag: 0x5F55, Name: "Issuer Country Code (alpha2 format)", Format: FormatAN, MinLen: 2, MaxLen: 2, Source: SourceICC, Template: "BF0C"},
	{Tag: 0x5F56, Name: "Issuer Country Code (alpha3 format)", Format: FormatAN, MinLen: 3, MaxLen: 3, Source: SourceICC, Template: "BF0C"},
	{Tag: 0x5F57, Name: "Account Type", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x61, Name: "Application Template", Source: SourceICC, Template: "70 or BF0C"},
	{Tag: 0x6F, Name: "File Control Information (FCI) Template", Source: SourceICC},
	{Tag: 0x70, Name: "READ RECORD Response Message Template", Source: SourceICC},
	{Tag: 0x71, Name: "Issuer Script Template 1", Source: SourceIssuer},
	{Tag: 0x72, Name: "Issuer Script Template 2", Source: SourceIssuer},
	{Tag: 0x73, Name: "Directory Discretionary Template", Source: SourceICC, Template: "61"},
	{Tag: 0x77, Name: "Response Message Template Format 2", Source: SourceICC},
	{Tag: 0x80, Name: "Response Message Template Format 1", Format: FormatB, Source: SourceICC},
	{Tag: 0x81, Name: "Amount, Authorised (Binary)", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x82, Name: "Application Interchange Profile (AIP)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC, Template: "77 or 80"},
	{Tag: 0x83, Name: "Command Template", Format: FormatB, Source: SourceTerminal},
	{Tag: 0x84, Name: "Dedicated File (DF) Name", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceICC, Template: "6F"},
	{Tag: 0x86, Name: "Issuer Script Command", Format: FormatB, MaxLen: 261, Source: SourceIssuer, Template: "71 or 72"},
	{Tag: 0x87, Name: "Application Priority Indicator", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Template: "61 or A5"},
	{Tag: 0x88, Name: "Short File Identifier (SFI)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Template: "A5"},
	{Tag: 0x89, Name: "Authorisation Code", Format: FormatAN, MinLen: 6, MaxLen: 6, Source: SourceIssuer},
	{Tag: 0x8A, Name: "Authorisation Response Code", Format: FormatAN, MinLen: 2, MaxLen: 2, Source: SourceIssuer},
	{Tag: 0x8C, Name: "Card Risk Management Data Object List 1 (CDOL1)", Format: FormatB, MaxLen: 252, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x8D, Name: "Card Risk Management Data Object List 2 (CDOL2)", Format: FormatB, MaxLen: 252, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x8E, Name: "Cardholder Verification Method (CVM) List", Format: FormatB, MinLen: 10, MaxLen: 252, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x8F, Name: "Certification Authority Public Key Index", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x90, Name: "Issuer Public Key Certificate", Format: FormatB, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x91, Name: "Issuer Authentication Data", Format: FormatB, MinLen: 8, MaxLen: 16, Source: SourceIssuer},
	{Tag: 0x92, Name: "Issuer Public Key Remainder", Format: FormatB, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x93, Name: "Signed Static Application Data", Format: FormatB, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x94, Name: "Application File Locator (AFL)", Format: FormatB, MaxLen: 252, Source: SourceICC, Template: "77 or 80"},
	{Tag: 0x95, Name: "Terminal Verification Results (TVR)", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal},
	{Tag: 0x97, Name: "Transaction Certificate Data Object List (TDOL)", Format: FormatB, MaxLen: 252, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x98, Name: "Transaction Certificate (TC) Hash Value", Format: FormatB, MinLen: 20, MaxLen: 20, Source: SourceTerminal},
	{Tag: 0x99, Name: "Transaction PIN Data", Format: FormatB, Source: SourceTerminal},
	{Tag: 0x9A, Name: "Transaction Date", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceTerminal, Note: "YYMMDD"},
	{Tag: 0x9B, Name: "Transaction Status Information (TSI)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9C, Name: "Transaction Type", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9D, Name: "Directory Definition File (DDF) Name", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceICC, Template: "61"},
	{Tag: 0x9F01, Name: "Acquirer Identifier", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0x9F02, Name: "Amount, Authorised (Numeric)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0x9F03, Name: "Amount, Other (Numeric)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0x9F04, Name: "Amount, Other (Binary)", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F05, Name: "Application Discretionary Data", Format: FormatB, MinLen: 1, MaxLen: 32, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F06, Name: "Application Identifier (AID) - terminal", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceTerminal},
	{Tag: 0x9F07, Name: "Application Usage Control (AUC)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F08, Name: "Application Version Number - card", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F09, Name: "Application Version Number - terminal", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9F0A, Name: "Application Selection Registered Proprietary Data", Format: FormatB, Source: SourceICC, Template: "73", Note: "EMV Specification Bulletin 175"},
	{Tag: 0x9F0B, Name: "Cardholder Name Extended", Format: FormatANS, MinLen: 27, MaxLen: 45, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F0D, Name: "Issuer Action Code - Default", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F0E, Name: "Issuer Action Code - Denial", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F0F, Name: "Issuer Action Code - Online", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F10, Name: "Issuer Application Data", Format: FormatB, MaxLen: 32, Source: SourceICC, Template: "77 or 80"},
	{Tag: 0x9F11, Name: "Issuer Code Table Index", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceICC, Template: "A5"},
	{Tag: 0x9F12, Name: "Application Preferred Name", Format: FormatANS, MinLen: 1, MaxLen: 16, Source: SourceICC, Template: "61 or A5"},
	{Tag: 0x9F13, Name: "Last Online ATC Register", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC},
	{Tag: 0x9F14, Name: "Lower Consecutive Offline Limit", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F15, Name: "Merchant Category Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9F16, Name: "Merchant Identifier", Format: FormatANS, MinLen: 15, MaxLen: 15, Source: SourceTerminal},
	{Tag: 0x9F17, Name: "PIN Try Counter", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC},
	{Tag: 0x9F18, Name: "Issuer Script Identifier", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceIssuer, Template: "71 or 72"},
	{Tag: 0x9F19, Name: "Token Requestor ID", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceICC, Note: "EMV payment tokenisation"},
	{Tag: 0x9F1A, Name: "Terminal Country Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceTerminal, Note: "ISO 3166"},
	{Tag: 0x9F1B, Name: "Terminal Floor Limit", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F1C, Name: "Terminal Identification", Format: FormatAN, MinLen: 8, MaxLen: 8, Source: SourceTerminal},
	{Tag: 0x9F1D, Name: "Terminal Risk Management Data", Format: FormatB, MinLen: 1, MaxLen: 8, Source: SourceTerminal},
	{Tag: 0x9F1E, Name: "Interface Device (IFD) Serial Number", Format: FormatAN, MinLen: 8, MaxLen: 8, Source: SourceTerminal},
	{Tag: 0x9F1F, Name: "Track 1 Discretionary Data", Format: FormatANS, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F20, Name: "Track 2 Discretionary Data", Format: FormatCN, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F21, Name: "Transaction Time", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceTerminal, Note: "HHMMSS"},
	{Tag: 0x9F22, Name: "Certification Authority Public Key Index - terminal", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F23, Name: "Upper Consecutive Offline Limit", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F24, Name: "Payment Account Reference (PAR)", Format: FormatAN, MinLen: 29, MaxLen: 29, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F25, Name: "Last 4 Digits of PAN", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceICC},
	{Tag: 0x9F26, Name: "Application Cryptogram", Format: FormatB, MinLen: 8, MaxLen: 8, Source: SourceICC, Template: "77 or 80"},
	{Tag: 0x9F27, Name: "Cryptogram Information Data", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Template: "77 or 80"},
	{Tag: 0x9F29, Name: "Extended Selection", Format: FormatB, Source: SourceICC, Template: "61"},
	{Tag: 0x9F2A, Name: "Kernel Identifier", Format: FormatB, MinLen: 1, MaxLen: 8, Source: SourceICC, Template: "61"},
	{Tag: 0x9F2D, Name: "ICC PIN Encipherment Public Key Certificate", Format: FormatB, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F2E, Name: "ICC PIN Encipherment Public Key Exponent", Format: FormatB, MinLen: 1, MaxLen: 3, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F2F, Name: "ICC PIN Encipherment Public Key Remainder", Format: FormatB, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F32, Name: "Issuer Public Key Exponent", Format: FormatB, MinLen: 1, MaxLen: 3, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F33, Name: "Terminal Capabilities", Format: FormatB, MinLen: 3, MaxLen: 3, Source: SourceTerminal},
	{Tag: 0x9F34, Name: "Cardholder Verification Method (CVM) Results", Format: FormatB, MinLen: 3, MaxLen: 3, Source: SourceTerminal},
	{Tag: 0x9F35, Name: "Terminal Type", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F36, Name: "Application Transaction Counter (ATC)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC, Template: "77 or 80"},
	{Tag: 0x9F37, Name: "Unpredictable Number", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F38, Name: "Processing Options Data Object List (PDOL)", Format: FormatB, Source: SourceICC, Template: "A5"},
	{Tag: 0x9F39, Name: "Point-of-Service (POS) Entry Mode", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F3A, Name: "Amount, Reference Currency", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F3B, Name: "Application Reference Currency", Format: FormatN, MinLen: 2, MaxLen: 8, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F3C, Name: "Transaction Reference Currency Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9F3D, Name: "Transaction Reference Currency Exponent", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F40, Name: "Additional Terminal Capabilities", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal},
	{Tag: 0x9F41, Name: "Transaction Sequence Counter", Format: FormatN, MinLen: 2, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F42, Name: "Application Currency Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F43, Name: "Application Reference Currency Exponent", Format: FormatN, MinLen: 1, MaxLen: 4, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F44, Name: "Application Currency Exponent", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F45, Name: "Data Authentication Code", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC},
	{Tag: 0x9F46, Name: "ICC Public Key Certificate", Format: FormatB, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F47, Name: "ICC Public Key Exponent", Format: FormatB, MinLen: 1, MaxLen: 3, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F48, Name: "ICC Public Key Remainder", Format: FormatB, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F49, Name: "Dynamic Data Authentication Data Object List (DDOL)", Format: FormatB, MaxLen: 252, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F4A, Name: "Static Data Authentication Tag List", Format: FormatB, Source: SourceICC, Template: "70 or 77"},
	{Tag: 0x9F4B, Name: "Signed Dynamic Application Data", Format: FormatB, Source: SourceICC, Template: "77 or 80"},
	{Tag: 0x9F4C, Name: "ICC Dynamic Number", Format: FormatB, MinLen: 2, MaxLen: 8, Source: SourceICC},
	{Tag: 0x9F4D, Name: "Log Entry", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC, Template: "BF0C"},
	{Tag: 0x9F4E, Name: "Merchant Name and Location", Format: FormatANS, Source: SourceTerminal},
	{Tag: 0x9F4F, Name: "Log Format", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F50, Name: "Offline Accumulator Balance", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceICC, Note: "Mastercard"},
	{Tag: 0x9F51, Name: "Application Currency Code (Mastercard) / DRDOL (Kernel C-2)", Format: FormatB, Source: SourceICC, Note: "Mastercard M/Chip: application currency code n3; Kernel C-2: DRDOL"},
	{Tag: 0x9F53, Name: "Transaction Category Code (Mastercard) / Consecutive Transaction Limit, International (Visa)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Mastercard: an 1, terminal; Visa VSDC: card, b 1"},
	{Tag: 0x9F52, Name: "Application Default Action (ADA)", Format: FormatB, MinLen: 2, MaxLen: 4, Source: SourceICC, Note: "Visa VIS, UnionPay"},
	{Tag: 0x9F54, Name: "DS ODS Card (Kernel C-2) / Cumulative Total Transaction Amount Limit (Visa)", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F55, Name: "Geographic Indicator", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Note: "Visa VIS"},
	{Tag: 0x9F56, Name: "Issuer Authentication Indicator", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Note: "Visa VIS"},
	{Tag: 0x9F5A, Name: "Application Program Identifier", Format: FormatB, MinLen: 1, MaxLen: 16, Source: SourceICC, Template: "61 or A5", Note: "Visa"},
	{Tag: 0x9F5B, Name: "Issuer Script Results (Visa) / DSDOL (Kernel C-2)", Format: FormatB, Source: SourceTerminal},
	{Tag: 0x9F5D, Name: "Available Offline Spending Amount (AOSA)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceICC, Note: "Visa, UnionPay; Kernel C-2: Application Capabilities Information (b 3)"},
	{Tag: 0x9F5C, Name: "DS Requested Operator ID (Kernel C-2) / Cumulative Total Transaction Amount Upper Limit (Visa)", Format: FormatB, Source: SourceTerminal},
	{Tag: 0x9F5E, Name: "DS ID (Kernel C-2) / Consecutive Transaction International Upper Limit (Visa)", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F5F, Name: "DS Slot Availability (Kernel C-2) / Offline Balance", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F60, Name: "CVC3 (Track1)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC, Note: "Mastercard"},
	{Tag: 0x9F61, Name: "CVC3 (Track2)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC, Note: "Mastercard"},
	{Tag: 0x9F62, Name: "PCVC3 (Track1)", Format: FormatB, MinLen: 6, MaxLen: 6, Source: SourceICC, Note: "Mastercard"},
	{Tag: 0x9F63, Name: "PUNATC (Track1) (Mastercard) / Card Product Identification (UnionPay)", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F64, Name: "NATC (Track1)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Note: "Mastercard"},
	{Tag: 0x9F65, Name: "PCVC3 (Track2)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC, Note: "Mastercard"},
	{Tag: 0x9F66, Name: "Terminal Transaction Qualifiers (TTQ)", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal, Note: "Visa, UnionPay, Amex and others; Mastercard Kernel C-2: PUNATC (Track2), card, b 2"},
	{Tag: 0x9F67, Name: "NATC (Track2) (Mastercard) / MSD Offset (Visa)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC},
	{Tag: 0x9F68, Name: "Card Additional Processes (Visa) / Mag-stripe CVM List (Mastercard)", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F69, Name: "Card Authentication Related Data (Visa) / UDOL (Mastercard)", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F6A, Name: "Unpredictable Number (Numeric)", Format: FormatN, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F6B, Name: "Track 2 Data (Mastercard) / Card CVM Limit (Visa)", Format: FormatB, MaxLen: 19, Source: SourceICC, Note: "Kernel C-2: Track 2 Data, b up to 19, sensitive; Kernel C-3: Card CVM Limit, n12; masked in both cases"},
	{Tag: 0x9F6C, Name: "Card Transaction Qualifiers (CTQ)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC, Note: "Visa, UnionPay; Kernel C-2: Mag-stripe Application Version Number (Card)"},
	{Tag: 0x9F6D, Name: "Mag-stripe Application Version Number (Reader) (Mastercard) / VLP Reset Threshold", Format: FormatB, Source: SourceTerminal},
	{Tag: 0x9F6E, Name: "Form Factor Indicator (Visa) / Third Party Data (Mastercard)", Format: FormatB, MinLen: 4, MaxLen: 32, Source: SourceICC, Note: "Visa: 4 bytes, form factor; Mastercard: Third Party Data, 5-32 bytes"},
	{Tag: 0x9F6F, Name: "DS Slot Management Control", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC, Note: "Kernel C-2"},
	{Tag: 0x9F70, Name: "Protected Data Envelope 1", Format: FormatB, Source: SourceICC, Note: "Kernel C-2"},
	{Tag: 0x9F71, Name: "Protected Data Envelope 2", Format: FormatB, Source: SourceICC, Note: "Kernel C-2"},
	{Tag: 0x9F72, Name: "Protected Data Envelope 3", Format: FormatB, Source: SourceICC, Note: "Kernel C-2"},
	{Tag: 0x9F73, Name: "Protected Data Envelope 4", Format: FormatB, Source: SourceICC, Note: "Kernel C-2"},
	{Tag: 0x9F74, Name: "Protected Data Envelope 5 (Mastercard) / Electronic Cash Issuer Authorisation Code (UnionPay)", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F75, Name: "Unprotected Data Envelope 1", Format: FormatB, Source: SourceICC, Note: "Kernel C-2"},
	{Tag: 0x9F76, Name: "Unprotected Data Envelope 2", Format: FormatB, Source: SourceICC, Note: "Kernel C-2"},
	{Tag: 0x9F77, Name: "Unprotected Data Envelope 3", Format: FormatB, Source: SourceICC, Note: "Kernel C-2; UnionPay: Electronic Cash Balance Limit"},
	{Tag: 0x9F78, Name: "Unprotected Data Envelope 4", Format: FormatB, Source: SourceICC, Note: "Kernel C-2; UnionPay: Electronic Cash Single Transaction Limit"},
	{Tag: 0x9F79, Name: "Unprotected Data Envelope 5", Format: FormatB, Source: SourceICC, Note: "Kernel C-2; UnionPay: Electronic Cash Balance"},
	{Tag: 0x9F7C, Name: "Customer Exclusive Data (Visa) / Merchant Custom Data (Mastercard)", Format: FormatB, MaxLen: 32, Source: SourceICC, Note: "Visa: card, up to 32 bytes; Mastercard Kernel C-2: terminal, 20 bytes"},
	{Tag: 0x9F7D, Name: "DS Summary 1", Format: FormatB, MinLen: 8, MaxLen: 16, Source: SourceICC, Note: "Kernel C-2"},
	{Tag: 0x9F7E, Name: "Mobile Support Indicator", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0x9F7F, Name: "DS Unpredictable Number", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xA5, Name: "File Control Information (FCI) Proprietary Template", Source: SourceICC, Template: "6F"},
	{Tag: 0xBF0C, Name: "File Control Information (FCI) Issuer Discretionary Data", Source: SourceICC, Template: "A5", MaxLen: 222},
	{Tag: 0xDF31, Name: "Issuer Script Results", Format: FormatB, Source: SourceTerminal, Note: "UnionPay field 55"},
	{Tag: 0xDF32, Name: "Chip Serial Number", Format: FormatB, Source: SourceICC, Note: "UnionPay field 55"},
	{Tag: 0xDF33, Name: "Transaction Authentication Data", Format: FormatB, Source: SourceICC, Note: "UnionPay field 55"},
	{Tag: 0xDF34, Name: "Terminal Reading Capability", Format: FormatB, Source: SourceTerminal, Note: "UnionPay field 55"},
	{Tag: 0xDF8101, Name: "DS Summary 2", Format: FormatB, MinLen: 8, MaxLen: 16, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8102, Name: "DS Summary 3", Format: FormatB, MinLen: 8, MaxLen: 16, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8104, Name: "Balance Read Before Gen AC", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8105, Name: "Balance Read After Gen AC", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8106, Name: "Data Needed", Format: FormatB, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8107, Name: "CDOL1 Related Data", Format: FormatB, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8108, Name: "DS AC Type", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8109, Name: "DS Input (Term)", Format: FormatB, MinLen: 8, MaxLen: 8, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF810A, Name: "DS ODS Info For Reader", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF810B, Name: "DS Summary Status", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF810C, Name: "Kernel ID", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF810D, Name: "DSVN Term", Format: FormatB, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF810E, Name: "Post-Gen AC Put Data Status", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF810F, Name: "Pre-Gen AC Put Data Status", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8110, Name: "Proceed To First Write Flag", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8111, Name: "PDOL Related Data", Format: FormatB, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8112, Name: "Tags To Read", Format: FormatB, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8113, Name: "DRDOL Related Data", Format: FormatB, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8114, Name: "Reference Control Parameter", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8115, Name: "Error Indication", Format: FormatB, MinLen: 6, MaxLen: 6, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8116, Name: "User Interface Request Data", Format: FormatB, MinLen: 22, MaxLen: 22, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8117, Name: "Card Data Input Capability", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8118, Name: "CVM Capability - CVM Required", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8119, Name: "CVM Capability - No CVM Required", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF811A, Name: "Default UDOL", Format: FormatB, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF811B, Name: "Kernel Configuration", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF811C, Name: "Max Lifetime of Torn Transaction Log Record", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF811D, Name: "Max Number of Torn Transaction Log Records", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF811E, Name: "Mag-stripe CVM Capability - CVM Required", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF811F, Name: "Security Capability", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8120, Name: "Terminal Action Code - Default", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8121, Name: "Terminal Action Code - Denial", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8122, Name: "Terminal Action Code - Online", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8123, Name: "Reader Contactless Floor Limit", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8124, Name: "Reader Contactless Transaction Limit (No On-device CVM)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8125, Name: "Reader Contactless Transaction Limit (On-device CVM)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8126, Name: "Reader CVM Required Limit", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8127, Name: "Time Out Value", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8128, Name: "IDS Status", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8129, Name: "Outcome Parameter Set", Format: FormatB, MinLen: 8, MaxLen: 8, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF812A, Name: "DD Card (Track1)", Format: FormatANS, MaxLen: 56, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF812B, Name: "DD Card (Track2)", Format: FormatB, MaxLen: 8, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF812C, Name: "Mag-stripe CVM Capability - No CVM Required", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF812D, Name: "Message Hold Time", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8130, Name: "Hold Time Value", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xDF8131, Name: "Phone Message Table", Format: FormatB, Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xFF8101, Name: "Torn Record", Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xFF8102, Name: "Tags To Write Before Gen AC", Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xFF8103, Name: "Tags To Write After Gen AC", Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xFF8104, Name: "Data To Send", Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xFF8105, Name: "Data Record", Source: SourceTerminal, Note: "Kernel C-2"},
	{Tag: 0xFF8106, Name: "Discretionary Data", Source: SourceTerminal, Note: "Kernel C-2"},
}

// mastercardTags: names that EMV Kernel C-2 gives to tags used otherwise by
// other kernels.
var mastercardTags = []TagInfo{
	{Tag: 0x9F51, Name: "DRDOL", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F53, Name: "Transaction Category Code", Format: FormatAN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F5B, Name: "DSDOL", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F5D, Name: "Application Capabilities Information", Format: FormatB, MinLen: 3, MaxLen: 3, Source: SourceICC},
	{Tag: 0x9F63, Name: "PUNATC (Track1)", Format: FormatB, MinLen: 6, MaxLen: 6, Source: SourceICC},
	{Tag: 0x9F66, Name: "PUNATC (Track2)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC},
	{Tag: 0x9F67, Name: "NATC (Track2)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC},
	{Tag: 0x9F68, Name: "Mag-stripe CVM List", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F69, Name: "UDOL", Format: FormatB, Source: SourceICC},
	{Tag: 0x9F6B, Name: "Track 2 Data", Format: FormatB, MaxLen: 19, Source: SourceICC},
	{Tag: 0x9F6C, Name: "Mag-stripe Application Version Number (Card)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC},
	{Tag: 0x9F6D, Name: "Mag-stripe Application Version Number (Reader)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9F6E, Name: "Third Party Data", Format: FormatB, MinLen: 5, MaxLen: 32, Source: SourceICC},
	{Tag: 0x9F7C, Name: "Merchant Custom Data", Format: FormatB, MinLen: 20, MaxLen: 20, Source: SourceTerminal},
}

// visaTags: names that EMV Kernel C-3 (Visa payWave) gives to shared tags.
var visaTags = []TagInfo{
	{Tag: 0x9F53, Name: "Consecutive Transaction Limit (International)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC},
	{Tag: 0x9F5B, Name: "Issuer Script Results", Format: FormatB, Source: SourceTerminal},
	{Tag: 0x9F66, Name: "Terminal Transaction Qualifiers (TTQ)", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F67, Name: "MSD Offset", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceICC},
	{Tag: 0x9F68, Name: "Card Additional Processes", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceICC},
	{Tag: 0x9F69, Name: "Card Authentication Related Data", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceICC},
	{Tag: 0x9F6B, Name: "Card CVM Limit", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceICC},
	{Tag: 0x9F6C, Name: "Card Transaction Qualifiers (CTQ)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC},
	{Tag: 0x9F6E, Name: "Form Factor Indicator", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceICC},
	{Tag: 0x9F7C, Name: "Customer Exclusive Data", Format: FormatB, MaxLen: 32, Source: SourceICC},
}

// unionPayTags: UnionPay (UICS / PBOC 3.0 electronic cash) names.
var unionPayTags = []TagInfo{
	{Tag: 0x9F51, Name: "Application Currency Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceICC},
	{Tag: 0x9F5D, Name: "Available Offline Spending Amount", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceICC},
	{Tag: 0x9F63, Name: "Card Product Identification", Format: FormatB, MinLen: 16, MaxLen: 16, Source: SourceICC},
	{Tag: 0x9F66, Name: "Terminal Transaction Qualifiers (TTQ)", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F6C, Name: "Card Transaction Qualifiers (CTQ)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceICC},
	{Tag: 0x9F6D, Name: "Electronic Cash Reset Threshold", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceICC},
	{Tag: 0x9F74, Name: "Electronic Cash Issuer Authorisation Code", Format: FormatAN, MinLen: 6, MaxLen: 6, Source: SourceICC},
	{Tag: 0x9F77, Name: "Electronic Cash Balance Limit", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceICC},
	{Tag: 0x9F78, Name: "Electronic Cash Single Transaction Limit", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceICC},
	{Tag: 0x9F79, Name: "Electronic Cash Balance", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceICC},
}
