// Package emv reads and writes EMV chip data: BER-TLV, the tag dictionary,
// data object lists, the bit fields of the terminal and card, track 2,
// application selection, field 55 and application cryptograms.
//
// # TLV
//
// [Find] returns one value, searching nested templates, without allocating:
//
//	ac, ok, err := emv.Find(field55, 0x9F26)
//	pan, ok, err := emv.FindPathString(records, "70.5A")
//
// A [Scanner] walks every object depth first, zero-copy, with its raw bytes
// (tag, length and value exactly as received, for MAC and ODA inputs):
//
//	s := emv.NewScanner(data)
//	for s.Next() {
//		fmt.Println(s.Depth(), s.Tag(), s.Value())
//	}
//	if err := s.Err(); err != nil { ... }
//
// Reading is strict by default: definite lengths of at most 4 bytes, tags of
// at most 4 bytes, values inside their container and nesting no deeper than
// [MaxDepth] (16). [NewScannerMode](data, emv.Lenient) also skips the 00 and FF
// padding real cards send and keeps a constructed object whose content is
// not TLV as raw bytes. Errors are [*Error] values wrapping a sentinel
// ([ErrTruncated], [ErrIndefiniteLength], [ErrLengthTooLong], ...) with the
// offset and tag; they never carry value bytes.
//
// [AppendTLV] and [Builder] encode without allocating beyond their buffer.
// [DecodeTree] and [EncodeTree] convert to and from github.com/moov-io/bertlv's
// []bertlv.TLV; DecodeTree builds the tree itself after validating, so
// bertlv's faults on hostile input cannot be reached.
//
// # Dictionary and description
//
// [Lookup] returns a tag's name, format, length range, source, template and
// sensitivity; [LookupKernel] resolves the tags whose meaning depends on the
// kernel. [Describe] prints data as a masked, decoded tree, reading values
// as the kernel defines them, amounts with the ISO 4217 exponent of the
// transaction currency and dates with the EMV century rule:
//
//	emv.Describe(os.Stdout, field55, emv.DescribeKernel(emv.KernelMastercard))
//
// [SplitStatusWord] separates the ISO/IEC 7816-4 [StatusWord] that ends a
// card response from its data.
//
// # Terminal processing
//
// [ParseFCI] reads a PPSE or application SELECT response into candidates
// sorted by priority; [TerminalAID.Matches] applies partial AID selection.
// [ParseGPO] and [ParseAFL] read GET PROCESSING OPTIONS. [ParseDOL] and [BuildDOL]
// produce PDOL and CDOL data with the EMV padding rules. [TVR], [TSI], [AIP],
// [AUC], [TTQ], [CTQ], [TerminalCapabilities] and [AdditionalTerminalCapabilities]
// have Has/Set/Clear and a String in words; [CID], [CVMList], [CVMResults] and
// [TerminalType] decode their structures. [ParseTrack2] reads tag 57 or a
// magnetic stripe, with a masked String.
//
// # Field 55
//
// [Field55Builder] assembles the standard online-authorisation set in the
// caller's order; [ParseField55] reads it back into typed values and keeps
// every element it can, listing what is wrong with the others as
// [Finding] values beside the result ([Field55Strict] makes the first one
// an error):
//
//	f, err := emv.ParseField55(field55)
//	for _, x := range f.Findings {
//		log.Print(x) // emv: wrong value length: tag 9F1E at offset 120: 4 bytes, want 8
//	}
//
// # Application cryptograms
//
// An issuer host verifies the ARQC in field 55 and answers with an ARPC in
// one call; a CVN value says how the card computes it (key derivation,
// session key, padding, data order, ARPC method):
//
//	cvn, err := emv.CVNForIAD(iad) // or emv.CVNVisa18, emv.CVNMastercard16 ...
//	resp := emv.ARPCResponse{ARC: []byte("00")} // CSU for ARPC method 2
//	arpc, err := cvn.Verify(imk, pan, psn, field55, resp)
//	if errors.Is(err, emv.ErrARQCMismatch) { /* decline */ }
//	tag91 := resp.IssuerAuthenticationData(arpc)
//
// Visa CVN 10, 18, 22 and Mastercard CVN 16, 17 are predefined; copy one and
// edit its fields for another version. The steps are exported for test tools
// and other schemes: ICCMasterKeyOptionA/B, CommonSessionKey,
// MastercardSessionKey, SessionKeyVisaSM, ARQC, VerifyARQC, ARPCMethod1/2 and
// IssuerScriptMAC (secure messaging). Comparisons are constant time; errors
// never carry keys or data.
//
// # Offline data authentication
//
// ODARecoverIssuerKey and ODARecoverICCKey recover public key certificates
// with RSA (math/big); ODAVerifySDA checks signed static data and
// ODAVerifyDDA signed dynamic data.
package emv
