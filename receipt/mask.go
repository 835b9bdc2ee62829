package receipt

// MaskPolicy decides how much of a PAN each copy of a slip shows.
type MaskPolicy uint8

// Masking policies.
const (
	// MaskUnionPay shows the first 6 and last 4 digits on every copy, the
	// practice on China UnionPay slips.
	MaskUnionPay MaskPolicy = iota
	// MaskPCI shows the last 4 digits on the cardholder copy and the first 6
	// and last 4 on the merchant and bank copies (PCI DSS 3.4, Visa rules).
	MaskPCI
	// MaskFACTA shows the last 4 digits on every copy and never the expiry
	// (US Fair and Accurate Credit Transactions Act: at most the last 5).
	MaskFACTA
	numPolicies
)

// Policy is what a Printer may print of the card.
type Policy struct {
	// Mask is how much of the PAN each copy shows.
	Mask MaskPolicy
	// ShowExpiry prints the card's expiry date; ignored under MaskFACTA.
	// The default is never to print it.
	ShowExpiry bool
	// NoSignatureLimit, in minor units, prints "no signature required"
	// (免签) in place of the signature line for a sale (Kind Sale only)
	// paid with no CVM or with a signature CVM whose total is at most this
	// amount. A void, refund, pre-authorisation, completion or transfer
	// is never exempt. Zero disables it.
	NoSignatureLimit int64
}

// visible returns how many leading and trailing digits policy m shows of a
// PAN of n digits on copy c.
func visible(m MaskPolicy, c Copy, n int) (head, tail int) {
	head, tail = 6, 4
	switch m {
	case MaskPCI:
		if c == CardholderCopy {
			head = 0
		}
	case MaskFACTA:
		head = 0
	case MaskUnionPay:
	default: // unknown policy: the strictest
		head = 0
	}
	if n <= 10 {
		head = 0
	}
	if n <= 4 {
		tail = 0
	}
	return head, tail
}

// AppendMaskedPAN appends pan masked by policy m for copy c to dst, each
// hidden character replaced by '*'. Non-digit characters are always masked.
func AppendMaskedPAN(dst []byte, pan string, m MaskPolicy, c Copy) []byte {
	n := len(pan)
	head, tail := visible(m, c, n)
	for i := 0; i < n; i++ {
		ch := pan[i]
		if (i < head || i >= n-tail) && ch >= '0' && ch <= '9' {
			dst = append(dst, ch)
		} else {
			dst = append(dst, '*')
		}
	}
	return dst
}

// MaskPAN returns pan masked by policy m for copy c.
func MaskPAN(pan string, m MaskPolicy, c Copy) string {
	return string(AppendMaskedPAN(make([]byte, 0, len(pan)), pan, m, c))
}
