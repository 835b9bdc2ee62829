package receipt

import (
	"fmt"
	"time"
)

// DownloadSlip is the terminal-management result slip (参数下载结果单) a
// terminal prints after downloading its EMV configuration from the host:
// how many CA public keys (公钥下载) and AID parameter entries it loaded,
// and the version of the hot-card list (黑名单) it now holds, then
// "download complete" or "download failed" with the reason.
type DownloadSlip struct {
	Merchant       Merchant  // the card acceptor; its operator number prints like on every slip
	Time           time.Time // local date and time of the download; zero = not printed
	CAKeys         int       // CA public keys loaded, 0 or more (printed when 0 too)
	AIDs           int       // AID parameter entries loaded, 0 or more (printed when 0 too)
	HotListVersion string    // hot-card list version now held; empty = not printed
	Failure        string    // empty: the download completed; else why it failed, printed as given
	Reprint        bool      // prints the reprint marker (重打印 / DUPLICATED)
	Footer         []string  // centred lines at the bottom
}

func (*DownloadSlip) document() {}

// check validates s.
func (s *DownloadSlip) check() error {
	switch {
	case s == nil:
		return ErrNil
	case s.CAKeys < 0 || s.AIDs < 0:
		return fmt.Errorf("%w: download counts must be 0 or more", ErrAmount)
	}
	return nil
}

// download prints a terminal-management result slip.
func (w *writer) download(s *DownloadSlip) {
	w.title(KeyDownloadTitle)
	if s.Reprint {
		w.text(centre, sBold, w.key(KeyReprint, false))
	}
	w.rule()
	w.merchant(&s.Merchant)
	var buf [24]byte
	if !s.Time.IsZero() {
		w.pair(w.key(KeyDateTime, true), raw(appendTime(buf[:0], s.Time)), nothing, 0)
	}
	w.rule()
	w.pair(w.key(KeyCAKeys, true), raw(appendUint(buf[:0], uint64(s.CAKeys))), nothing, 0)
	w.pair(w.key(KeyAIDs, true), raw(appendUint(buf[:0], uint64(s.AIDs))), nothing, 0)
	w.pair(w.key(KeyHotList, true), id(s.HotListVersion), nothing, 0)
	w.rule()
	if s.Failure == "" {
		w.text(centre, sBold, w.key(KeyDownloadOK, false))
	} else {
		w.text(centre, sBold, w.key(KeyDownloadFailed, false))
		w.text(left, 0, src(s.Failure))
	}
	for _, f := range s.Footer {
		w.text(centre, 0, src(f))
	}
}
