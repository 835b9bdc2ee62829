package iso8583

import (
	"fmt"
	"time"

	"github.com/poskit/poskit/internal/digits"
)

// MaxHotListVersion is the largest list version (n8).
const MaxHotListVersion = 99_999_999

// HotListPart is one part of a hot-card list download answer.
type HotListPart struct {
	// More is true when more records follow: ask again from Last+1.
	More bool
	// Last is the position of the last record of the part; -1 when the
	// part has no records.
	Last int
	// Version is the version of the whole list (0 to MaxHotListVersion).
	// Every part carries it, so a terminal whose list already has the
	// version of the first part may stop there and send the end message.
	Version int
	// Entries are card numbers or BIN prefixes, 6 to 19 digits.
	Entries []string
}

// HotListDownload builds a request for the part of the hot-card list that
// starts at position start (0 first, then the last position received plus
// one): UnionPay 0800 with 60.3 390, ISO87 field 70 390.
func (t *Terminal) HotListDownload(start int) (*Transaction, error) {
	if start < 0 || start > 999999 {
		return nil, fmt.Errorf("%w: hot-list position %d", ErrDownload, start)
	}
	var b [6]byte
	return t.downloadRequest("0800", NetHotListDownload, putDigits(b[:], int64(start)))
}

// appendHotListPart appends the field 62 of a hot-list answer holding the
// records of list from position start, as many as fit in max bytes.
func appendHotListPart(dst []byte, version int, list []string, start, max int) ([]byte, error) {
	if version < 0 || version > MaxHotListVersion {
		return dst, fmt.Errorf("%w: hot-list version %d", ErrDownload, version)
	}
	head := len(dst)
	dst = append(dst, listNone, 0, 0, 0)
	dst = appendBCD(dst, int64(version), 4)
	n := 0
	for _, e := range list[min(start, len(list)):] {
		if len(e) < 6 || len(e) > 19 || !digits.Valid(e) {
			return dst[:head], fmt.Errorf("%w: hot-list entry %s", ErrDownload, digits.MaskPAN(e))
		}
		if len(dst)-head+1+(len(e)+1)/2 > max {
			break
		}
		dst = append(dst, byte(len(e)))
		for i := 0; i < len(e); i += 2 {
			lo := byte(0x0F)
			if i+1 < len(e) {
				lo = e[i+1] - '0'
			}
			dst = append(dst, (e[i]-'0')<<4|lo)
		}
		n++
	}
	if n > 0 {
		dst[head] = listLast
		if start+n < len(list) {
			dst[head] = listMore
		}
		copy(dst[head+1:head+4], appendBCD(nil, int64(start+n-1), 3))
	}
	return dst, nil
}

// ParseHotListPart parses the field 62 of a hot-list answer.
//
// Errors: ErrDownload naming the record that is malformed.
//
// Hot-card list download (黑名单下载, 60.3 390, end 391). The list is
// fetched in parts: each request names the position of the first record it
// wants, the answer carries as many records as fit and says whether more
// follow. The field 62 layouts:
//
//   - request (0800, 390): six ASCII digits, the position of the first
//     record wanted (000000 at the start, then the last position received
//     plus one); three digits are read too;
//   - answer (0810): a status byte ("0" no records from that position, "1"
//     this part ends the list, "2" more follow), the position of the last
//     record of the part (n6, 3 bytes of BCD), the list version (n8, 4 bytes
//     of BCD), then per record one byte, the number of digits (6 to 19: a
//     card number or a BIN prefix), and the digits in packed BCD padded
//     with F.
//
// The status and position come first as in the public terminal
// applications; the version and the record layout are poskit's, the
// sources showing none: the terminal keeps the version to tell whether its
// list is current.
func ParseHotListPart(p []byte) (HotListPart, error) {
	if len(p) < 8 || p[0] < listNone || p[0] > listMore {
		return HotListPart{}, fmt.Errorf("%w: hot-list header", ErrDownload)
	}
	last, err1 := parseBCDAmount(0, p[1:4])
	ver, err2 := parseBCDAmount(0, p[4:8])
	if err1 != nil || err2 != nil {
		return HotListPart{}, fmt.Errorf("%w: hot-list position or version not BCD", ErrDownload)
	}
	h := HotListPart{More: p[0] == listMore, Last: int(last), Version: int(ver)}
	for off := 8; off < len(p); {
		n := int(p[off])
		size := (n + 1) / 2
		if n < 6 || n > 19 || len(p)-off-1 < size {
			return HotListPart{}, fmt.Errorf("%w: hot-list record %d: length", ErrDownload, len(h.Entries)+1)
		}
		e, ok := unpackDigits(p[off+1:off+1+size], n)
		if !ok {
			return HotListPart{}, fmt.Errorf("%w: hot-list record %d: not BCD", ErrDownload, len(h.Entries)+1)
		}
		h.Entries = append(h.Entries, e)
		off += 1 + size
	}
	switch {
	case p[0] == listNone && len(h.Entries) > 0:
		return HotListPart{}, fmt.Errorf("%w: records after status 0", ErrDownload)
	case p[0] == listNone:
		h.Last = -1
	case len(h.Entries) == 0:
		return HotListPart{}, fmt.Errorf("%w: status %c without records", ErrDownload, p[0])
	case h.Last+1 < len(h.Entries):
		return HotListPart{}, fmt.Errorf("%w: last position %d before record %d", ErrDownload, h.Last, len(h.Entries))
	}
	return h, nil
}

// unpackDigits reads n digits of packed BCD padded with F.
func unpackDigits(b []byte, n int) (string, bool) {
	out := make([]byte, 0, n)
	for i, c := range b {
		for j, d := range [2]byte{c >> 4, c & 0x0F} {
			switch {
			case 2*i+j < n && d <= 9:
				out = append(out, '0'+d)
			case 2*i+j >= n && d == 0x0F:
			default:
				return "", false
			}
		}
	}
	return string(out), true
}

// HotListPart parses the answer to a hot-list request (0810, 60.3 390).
//
// Errors: ErrDownload.
func (t *Transaction) HotListPart() (HotListPart, error) {
	if err := t.expect(KindHotListDownload, StepItem); err != nil {
		return HotListPart{}, err
	}
	p, err := payloadOf(t)
	if err != nil {
		return HotListPart{}, err
	}
	return ParseHotListPart(p)
}

// NewHotListResponse builds the host's answer to a hot-list request: the
// records of list (card numbers or BIN prefixes of 6 to 19 digits) from the
// position the request asks for, as many as fit in field 62, with the list
// version.
//
// Errors: those of NewResponse and DownloadStart, ErrDownload for a
// version or an entry out of range (shown masked).
func NewHotListResponse(req *Transaction, version int, list []string, now time.Time) (*Transaction, error) {
	if err := req.expect(KindHotListDownload, StepItem); err != nil {
		return nil, err
	}
	start, err := req.DownloadStart()
	if err != nil {
		return nil, err
	}
	p, err := appendHotListPart(nil, version, list, start, maxPayload(req))
	if err != nil {
		return nil, err
	}
	return newDownloadResponse(req, p, now)
}
