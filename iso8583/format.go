package iso8583

import (
	"fmt"
	"strings"

	"github.com/poskit/poskit/internal/digits"
)

// String describes t with every field as MaskField shows it: "0200
// 2=622424******0113 3=000000 4=000000001000 ...". No full PAN, track
// data, expiry, PIN block or key appears.
func (t Transaction) String() string {
	var sb strings.Builder
	sb.WriteString(t.MTI)
	for _, f := range txStrings[1:] {
		if v := *f.get(&t); v != "" {
			fmt.Fprintf(&sb, " %d=%s", f.id, MaskField(f.id, v, nil))
		}
	}
	for _, f := range txBytes {
		v := *f.get(&t)
		switch {
		case len(v) == 0:
		case f.id == 55:
			fmt.Fprintf(&sb, " 55=%s", MaskICC(v))
		case f.id == 64:
			fmt.Fprintf(&sb, " 64=%X", v)
		default:
			fmt.Fprintf(&sb, " %d=[%d bytes hidden]", f.id, len(v))
		}
	}
	for _, f := range t.subfieldTexts() {
		if !f.ok {
			continue
		}
		if b, err := f.v.MarshalText(); err == nil && len(b) > 0 {
			fmt.Fprintf(&sb, " %d=%s", f.id, MaskText(string(b)))
		}
	}
	return sb.String()
}

// Format writes String for every verb (%v, %+v, %#v, %s...), so that
// formatting a Transaction never prints card data.
func (t Transaction) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(t.String())) }

// String describes c with the PAN masked and the expiry, track data, ICC
// data and PIN block hidden.
func (c Card) String() string {
	return fmt.Sprintf("Card{PAN: %s, Expiry: %s, Track2: %s, Track3: %s, Sequence: %s, ICC: %d bytes, PIN block: %d bytes, Contactless: %t}",
		digits.MaskPAN(c.PAN), hidden(c.Expiry), maskTrack(c.Track2), maskTrack(c.Track3), c.SequenceNumber, len(c.ICC), len(c.PINBlock), c.Contactless)
}

// Format writes String for every verb.
func (c Card) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// String describes r with its PAN masked.
func (r BatchRecord) String() string {
	return fmt.Sprintf("BatchRecord{Foreign: %t, STAN: %s, PAN: %s, Amount: %d}", r.Foreign, r.STAN, digits.MaskPAN(r.PAN), r.Amount)
}

// Format writes String for every verb.
func (r BatchRecord) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(r.String())) }

// Format writes String for every verb: key bytes never appear, not even
// with %#v or %x.
func (k SessionKeys) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }
