package iso8583

import (
	"fmt"
	"strconv"
	"time"

	"github.com/poskit/poskit/emv"
)

// List status of a query answer or hot-list part: the first byte of its
// payload (an ASCII digit, as UnionPay hosts send it).
const (
	listNone = '0' // the host holds nothing (more)
	listLast = '1' // this part ends the list
	listMore = '2' // more parts follow: query again from the next position
)

// scanFlat reads p as a sequence of TLV objects without descending into
// any (UnionPay's private tags DF02... have the constructed bit set but
// hold plain values) and calls f with each. Errors wrap ErrDownload and the
// emv scanner's error, which names the offset and the tag.
func scanFlat(p []byte, f func(tag emv.Tag, v []byte) error) error {
	s := emv.NewScanner(p)
	for s.Next() {
		s.Skip()
		if err := f(s.Tag(), s.Value()); err != nil {
			return err
		}
	}
	if err := s.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrDownload, err)
	}
	return nil
}

// tagError reports a bad value of tag.
func tagError(tag emv.Tag, format string, args ...any) error {
	return fmt.Errorf("%w: tag %v: %s", ErrDownload, tag, fmt.Sprintf(format, args...))
}

// wantLen checks the length of a value.
func wantLen(tag emv.Tag, v []byte, lo, hi int) error {
	if len(v) < lo || len(v) > hi {
		if lo == hi {
			return tagError(tag, "%d bytes, want %d", len(v), lo)
		}
		return tagError(tag, "%d bytes, want %d to %d", len(v), lo, hi)
	}
	return nil
}

// seen tracks the tags met in one TLV group, to refuse duplicates and name
// missing ones.
type seen []emv.Tag

func (s *seen) add(tag emv.Tag) error {
	for _, t := range *s {
		if t == tag {
			return tagError(tag, "repeated")
		}
	}
	*s = append(*s, tag)
	return nil
}

func (s seen) require(tags ...emv.Tag) error {
	for _, want := range tags {
		found := false
		for _, t := range s {
			found = found || t == want
		}
		if !found {
			return tagError(want, "missing")
		}
	}
	return nil
}

// parseExpiry reads DF05: 8 ASCII digits YYYYMMDD as UnionPay hosts send
// it, or the same date in 4 bytes of BCD.
func parseExpiry(tag emv.Tag, v []byte) (time.Time, error) {
	var s string
	switch len(v) {
	case 8:
		s = string(v)
	case 4:
		s = fmt.Sprintf("%X", v)
	default:
		return time.Time{}, tagError(tag, "%d bytes, want 8 digits or 4 BCD bytes", len(v))
	}
	d, err := time.Parse("20060102", s)
	if err != nil || !digitsOnly(s) {
		return time.Time{}, tagError(tag, "not a date YYYYMMDD")
	}
	return d, nil
}

// appendExpiry appends DF05 as 8 ASCII digits.
func appendExpiry(dst []byte, d time.Time) []byte {
	return emv.AppendTLV(dst, 0xDF05, []byte(d.UTC().Format("20060102")))
}

// parseBCDAmount reads an amount of 1 to 6 bytes of packed BCD (n2 to n12).
func parseBCDAmount(tag emv.Tag, v []byte) (int64, error) {
	if err := wantLen(tag, v, 1, 6); err != nil {
		return 0, err
	}
	var n int64
	for _, b := range v {
		hi, lo := b>>4, b&0x0F
		if hi > 9 || lo > 9 {
			return 0, tagError(tag, "not BCD")
		}
		n = n*100 + int64(hi)*10 + int64(lo)
	}
	return n, nil
}

// appendBCD appends v as size bytes of packed BCD; v must fit.
func appendBCD(dst []byte, v int64, size int) []byte {
	b := make([]byte, size)
	for i := size - 1; i >= 0; i-- {
		b[i] = byte(v%10) | byte(v/10%10)<<4
		v /= 100
	}
	return append(dst, b...)
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// queryPayload is the payload of a status query: "1" and two digits, the
// number of entries already received (00 on the first query).
func queryPayload(start int) ([]byte, error) {
	if start < 0 || start > 99 {
		return nil, fmt.Errorf("%w: query start %d outside 0 to 99", ErrDownload, start)
	}
	return []byte{'1', byte('0' + start/10), byte('0' + start%10)}, nil
}

// DownloadStart returns the position a status query (StepQuery) or a
// hot-list request asks the host to list from: the number of entries the
// terminal already received. The host reads it to build the next part.
//
// Errors: ErrDownload for a message that is neither, or a malformed field 62.
func (t *Transaction) DownloadStart() (int, error) {
	p, err := payloadOf(t)
	if err != nil {
		return 0, err
	}
	switch {
	case t.DownloadStep() == StepQuery:
		if len(p) != 3 || p[0] != '1' || !digitsOnly(string(p[1:])) {
			return 0, fmt.Errorf("%w: status query field 62", ErrDownload)
		}
		return int(p[1]-'0')*10 + int(p[2]-'0'), nil
	case t.Kind() == KindHotListDownload && t.DownloadStep() == StepItem && (len(p) == 3 || len(p) == 6):
		if n, err := strconv.Atoi(string(p)); err == nil && digitsOnly(string(p)) {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%w: not a status query or hot-list request", ErrDownload)
}

// itemPayload splits the payload of an item answer: ok is false when the
// host has no such item (status 0), otherwise body is the TLV after the
// status 1.
func itemPayload(p []byte) (body []byte, ok bool, err error) {
	switch {
	case len(p) == 1 && p[0] == listNone:
		return nil, false, nil
	case len(p) > 1 && p[0] == listLast:
		return p[1:], true, nil
	}
	return nil, false, fmt.Errorf("%w: item answer status", ErrDownload)
}

// listStatus splits a list payload into its status and entries.
func listStatus(p []byte) (more bool, body []byte, err error) {
	if len(p) == 0 {
		return false, nil, fmt.Errorf("%w: empty list answer", ErrDownload)
	}
	switch p[0] {
	case listNone:
		if len(p) != 1 {
			return false, nil, fmt.Errorf("%w: entries after status 0", ErrDownload)
		}
		return false, nil, nil
	case listLast, listMore:
		if len(p) == 1 {
			return false, nil, fmt.Errorf("%w: status %c without entries", ErrDownload, p[0])
		}
		return p[0] == listMore, p[1:], nil
	}
	return false, nil, fmt.Errorf("%w: list status %q", ErrDownload, p[0])
}

// packList appends entries, each already encoded, after a status byte
// while they fit in max bytes, and reports how many it took.
func packList(entries [][]byte, max int) ([]byte, int) {
	if len(entries) == 0 {
		return []byte{listNone}, 0
	}
	out := []byte{listLast}
	n := 0
	for _, e := range entries {
		if len(out)+len(e) > max {
			break
		}
		out = append(out, e...)
		n++
	}
	if n < len(entries) {
		out[0] = listMore
	}
	return out, n
}
