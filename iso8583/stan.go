package iso8583

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// ErrSTAN reports a STAN that is not 6 digits from 000001 to 999999.
var ErrSTAN = errors.New("iso8583: bad STAN")

// STANSource hands out systems trace audit numbers (field 11) from 000001
// to 999999, wrapping from 999999 to 000001. It is safe for concurrent use;
// the zero value starts at 000001.
type STANSource struct {
	last atomic.Uint32 // last number handed out, 0 before the first
}

// NewSTANSource returns a source whose next number follows last (0 to
// start at 000001), e.g. the last STAN a terminal stored before a restart.
func NewSTANSource(last uint32) *STANSource {
	s := &STANSource{}
	s.last.Store(last % 1000000)
	return s
}

// Next returns the next STAN as 6 digits.
func (s *STANSource) Next() string {
	for {
		old := s.last.Load()
		n := old + 1
		if n > 999999 {
			n = 1
		}
		if s.last.CompareAndSwap(old, n) {
			var b [6]byte
			return string(putDigits(b[:], int64(n)))
		}
	}
}

// Last returns the last number handed out (0 before the first).
func (s *STANSource) Last() uint32 { return s.last.Load() }

// putDigits writes v right aligned with leading zeros over all of dst
// (v must fit) and returns dst.
func putDigits(dst []byte, v int64) []byte {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = byte('0' + v%10)
		v /= 10
	}
	return dst
}

// RRN builds a retrieval reference number (field 37, an12) from the local
// time and the STAN: the last digit of the year, the day of the year (3
// digits), the hour (2 digits) and the STAN (6 digits), e.g.
// "5324" + "14" + "000123". The same terminal and STAN give a distinct RRN
// within any ten-year span, except when the STAN source wraps within an
// hour.
func RRN(t time.Time, stan string) (string, error) {
	if len(stan) != 6 {
		return "", ErrSTAN
	}
	for _, c := range []byte(stan) {
		if c-'0' > 9 {
			return "", ErrSTAN
		}
	}
	return fmt.Sprintf("%d%03d%02d%s", t.Year()%10, t.YearDay(), t.Hour(), stan), nil
}
