package terminal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Errors of the hot-card list; test them with errors.Is. They never carry
// a PAN or a prefix, only entry numbers and lengths.
var (
	// ErrHotList reports a download or a binary form that is not a valid
	// hot-card list.
	ErrHotList = errors.New("terminal: invalid hot-card list")
	// ErrHotListVersion reports a download whose version is not newer than
	// the list it would replace.
	ErrHotListVersion = errors.New("terminal: hot-card list version is not newer")
)

// Bounds of hot-card entries: a full PAN has 12 to 19 digits (ISO/IEC
// 7812-1); a range bound is a prefix of 1 to 19 digits.
const (
	minHotPAN = 12
	maxHotPAN = 19
)

// HotRange is a range of card numbers by prefix (a BIN range): every PAN
// whose first len(Low) digits, read as a number, lie from Low to High
// inclusive. Low and High have the same number of digits; a single prefix
// is a range with Low equal to High.
type HotRange struct {
	Low, High string
}

// HotListDownload is a hot-card (stop-payment, 止付名单) list as the host
// sends it: a version, full PANs and prefix ranges.
type HotListDownload struct {
	Version uint32
	PANs    []string
	Ranges  []HotRange
}

// numRange is a range of prefixes of one length, as numbers.
type numRange struct{ lo, hi uint64 }

// HotList is a loaded hot-card list. It is immutable once built, so safe
// for concurrent use; a newer download builds a new list ([HotList.Update]).
// A nil *HotList is an empty list. Its String, GoString and Format print a
// summary, never a PAN or prefix.
type HotList struct {
	version uint32
	npans   int
	pans    [maxHotPAN + 1]map[uint64]struct{} // by PAN length
	ranges  [maxHotPAN + 1][]numRange          // by prefix length, sorted, disjoint
	lengths []uint8                            // prefix lengths with ranges, ascending
}

// parseDigits reads 1 to 19 decimal digits as a number.
func parseDigits(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > maxHotPAN {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + uint64(c)
	}
	return v, true
}

// NewHotList builds a list from a download: every PAN must have 12 to 19
// digits (a Luhn check is not applied) and every range bounds of equal
// length, 1 to 19 digits, with Low at most High. Duplicate PANs and
// overlapping ranges are merged.
//
// Errors: ErrHotList, naming the entry by its position.
func NewHotList(d HotListDownload) (*HotList, error) {
	h := &HotList{version: d.Version}
	for i, p := range d.PANs {
		v, ok := parseDigits(p)
		if !ok || len(p) < minHotPAN {
			return nil, fmt.Errorf("%w: PAN %d: %d characters, want 12 to 19 digits", ErrHotList, i, len(p))
		}
		h.addPAN(len(p), v)
	}
	for i, r := range d.Ranges {
		lo, okLo := parseDigits(r.Low)
		hi, okHi := parseDigits(r.High)
		if !okLo || !okHi || len(r.Low) != len(r.High) || lo > hi {
			return nil, fmt.Errorf("%w: range %d: bounds must be digits of one length, low first", ErrHotList, i)
		}
		h.ranges[len(r.Low)] = append(h.ranges[len(r.Low)], numRange{lo, hi})
	}
	h.mergeRanges()
	return h, nil
}

func (h *HotList) addPAN(n int, v uint64) {
	if h.pans[n] == nil {
		h.pans[n] = make(map[uint64]struct{})
	}
	if _, dup := h.pans[n][v]; !dup {
		h.pans[n][v] = struct{}{}
		h.npans++
	}
}

// mergeRanges sorts the ranges of each length, merges overlapping and
// adjacent ones, and lists the lengths in use.
func (h *HotList) mergeRanges() {
	h.lengths = h.lengths[:0]
	for n := range h.ranges {
		rs := h.ranges[n]
		if len(rs) == 0 {
			continue
		}
		slices.SortFunc(rs, func(a, b numRange) int {
			switch {
			case a.lo < b.lo:
				return -1
			case a.lo > b.lo:
				return 1
			}
			return 0
		})
		out := rs[:1]
		for _, r := range rs[1:] {
			last := &out[len(out)-1]
			if r.lo <= last.hi || r.lo == last.hi+1 {
				last.hi = max(last.hi, r.hi)
				continue
			}
			out = append(out, r)
		}
		h.ranges[n] = slices.Clip(out)
		h.lengths = append(h.lengths, uint8(n))
	}
}

// Update returns the list built from d when d.Version is newer than h's
// (any version replaces a nil list).
//
// Errors: ErrHotListVersion, ErrHotList.
func (h *HotList) Update(d HotListDownload) (*HotList, error) {
	if h != nil && d.Version <= h.version {
		return nil, fmt.Errorf("%w: version %d, have %d", ErrHotListVersion, d.Version, h.version)
	}
	return NewHotList(d)
}

// Version returns the list's version; 0 for a nil list.
func (h *HotList) Version() uint32 {
	if h == nil {
		return 0
	}
	return h.version
}

// Len returns the number of distinct PANs and of merged ranges.
func (h *HotList) Len() (pans, ranges int) {
	if h == nil {
		return 0, 0
	}
	for _, rs := range h.ranges {
		ranges += len(rs)
	}
	return h.npans, ranges
}

// Contains reports whether pan is on the list, as a full PAN or within a
// range; a pan that is not 1 to 19 digits is not. The terminal checks it
// before online authorisation. It does not allocate, and takes one map
// lookup plus a binary search per range length in use.
func (h *HotList) Contains(pan string) bool {
	if h == nil {
		return false
	}
	v, ok := parseDigits(pan)
	if !ok {
		return false
	}
	if _, hit := h.pans[len(pan)][v]; hit {
		return true
	}
	for _, n := range h.lengths {
		if int(n) > len(pan) {
			break
		}
		p := v
		for range len(pan) - int(n) {
			p /= 10
		}
		if inRanges(h.ranges[n], p) {
			return true
		}
	}
	return false
}

// inRanges reports whether x lies in one of the sorted disjoint ranges.
func inRanges(rs []numRange, x uint64) bool {
	lo, hi := 0, len(rs) // find the first range with lo > x
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if rs[m].lo <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo > 0 && x <= rs[lo-1].hi
}

// String summarises the list without any card number. String, GoString
// and Format have value receivers so that a HotList value prints no card
// number either.
func (h HotList) String() string {
	pans, ranges := h.Len()
	return fmt.Sprintf("hot-card list version %d: %d PANs, %d ranges", h.version, pans, ranges)
}

// GoString is String, so %#v prints no card number.
func (h HotList) GoString() string { return h.String() }

// Format prints String for every verb, so no verb prints a card number.
func (h HotList) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(h.String())) }

// hotListMagic starts the binary form: "PKHL" and format 1.
var hotListMagic = []byte{'P', 'K', 'H', 'L', 1}

// MarshalBinary encodes the list for a Store: magic "PKHL" 01, the version
// (4 bytes big-endian), the PAN count (4 bytes) and each PAN as its length
// (1 byte) and value (8 bytes big-endian), the range count (4 bytes) and
// each range as its length, low and high. PANs and ranges are in ascending
// order, so equal lists encode equally.
func (h *HotList) MarshalBinary() ([]byte, error) {
	pans, ranges := h.Len()
	b := make([]byte, 0, len(hotListMagic)+12+9*pans+17*ranges)
	b = append(b, hotListMagic...)
	b = binary.BigEndian.AppendUint32(b, h.Version())
	b = binary.BigEndian.AppendUint32(b, uint32(pans))
	if h == nil {
		return binary.BigEndian.AppendUint32(b, 0), nil
	}
	for n, m := range h.pans {
		keys := make([]uint64, 0, len(m))
		for v := range m {
			keys = append(keys, v)
		}
		slices.Sort(keys)
		for _, v := range keys {
			b = binary.BigEndian.AppendUint64(append(b, byte(n)), v)
		}
	}
	b = binary.BigEndian.AppendUint32(b, uint32(ranges))
	for n, rs := range h.ranges {
		for _, r := range rs {
			b = binary.BigEndian.AppendUint64(append(b, byte(n)), r.lo)
			b = binary.BigEndian.AppendUint64(b, r.hi)
		}
	}
	return b, nil
}

// pow10 are the powers of ten up to 10^19.
var pow10 = func() (p [maxHotPAN + 1]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// fitsDigits reports whether v has at most n digits, 0 <= n <= 19.
func fitsDigits(v uint64, n int) bool { return v < pow10[n] }

// UnmarshalBinary replaces h with the list data encodes (the form of
// [HotList.MarshalBinary]). It is meant for a fresh HotList: a list in use
// by other goroutines must not be unmarshalled into.
//
// Errors: ErrHotList, naming the offset of the fault.
func (h *HotList) UnmarshalBinary(data []byte) error {
	bad := func(off int, what string) error {
		return fmt.Errorf("%w: offset %d: %s", ErrHotList, off, what)
	}
	if len(data) < len(hotListMagic)+8 || string(data[:len(hotListMagic)]) != string(hotListMagic) {
		return bad(0, "not a hot-card list")
	}
	off := len(hotListMagic)
	n := &HotList{version: binary.BigEndian.Uint32(data[off:])}
	count := int(binary.BigEndian.Uint32(data[off+4:]))
	off += 8
	if count > (len(data)-off)/9 {
		return bad(off, "PAN count exceeds the data")
	}
	for range count {
		l, v := int(data[off]), binary.BigEndian.Uint64(data[off+1:])
		if l < minHotPAN || l > maxHotPAN || !fitsDigits(v, l) {
			return bad(off, "PAN length or value out of range")
		}
		n.addPAN(l, v)
		off += 9
	}
	if len(data)-off < 4 {
		return bad(off, "missing range count")
	}
	count = int(binary.BigEndian.Uint32(data[off:]))
	off += 4
	if count != (len(data)-off)/17 || (len(data)-off)%17 != 0 {
		return bad(off, "range count does not match the data")
	}
	for range count {
		l := int(data[off])
		lo, hi := binary.BigEndian.Uint64(data[off+1:]), binary.BigEndian.Uint64(data[off+9:])
		if l < 1 || l > maxHotPAN || lo > hi || !fitsDigits(hi, l) {
			return bad(off, "range length or bounds out of range")
		}
		n.ranges[l] = append(n.ranges[l], numRange{lo, hi})
		off += 17
	}
	n.mergeRanges()
	*h = *n
	return nil
}
