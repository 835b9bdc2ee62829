package main

// lifecycle.go: the terminals of -load, built on poskit's terminal
// package: a terminal.POS (durable reversal record before each request,
// reversals and advices delivered before the next one, batch journal and
// settlement) over a terminal.Link (moov-io/iso8583-connection with its
// own iso8583.MessageIO per connection, timeouts, reconnects). What the
// example adds is the security of its two dialects, in the POS's Sign and
// Verify hooks: the DUKPT key serial number (and an AES format 4 PIN
// block) in field 59, and the MAC.

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	moov "github.com/moov-io/iso8583"

	"github.com/poskit/poskit/iso8583"
	"github.com/poskit/poskit/mac"
	"github.com/poskit/poskit/terminal"
)

// lcTerminal is one terminal of a load run on the lifecycle package.
type lcTerminal struct {
	spec  Spec
	dukpt DUKPT
	id    string
	pos   *terminal.POS
	link  *terminal.Link
	dk    originator
	chip  *chip

	mu       sync.Mutex
	mak      iso8583.MACAlgorithm    // UnionPay: the session MAK
	prepared map[string]preparedKeys // by STAN: keys a request was built with
	respMAC  iso8583.MACAlgorithm    // the MAC the answer in flight must carry
}

// preparedKeys are the DUKPT keys a request's PIN block was enciphered
// under, and the field 59 entries that go with them.
type preparedKeys struct {
	keys *dukptKeys
	priv privateData
}

// newLCTerminal makes terminal number n on a MemStore, with a Link to the
// host at addr whose answers must come within timeout.
func newLCTerminal(spec Spec, d DUKPT, addr string, n int, timeout time.Duration) (*lcTerminal, error) {
	o, err := newOriginator(d, n)
	if err != nil {
		return nil, err
	}
	t := &lcTerminal{spec: spec, dukpt: d, id: terminalID(n), dk: o, chip: &chip{card: card}, prepared: map[string]preparedKeys{}}
	t.link, err = terminal.NewLink(terminal.LinkConfig{
		Addr:        addr,
		Conn:        iso8583.Conn{Spec: spec.spec(), Framing: spec.framing(), TPDU: terminalTPDU, Header: terminalHeader},
		SendTimeout: timeout, ConnectTimeout: timeout,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
	})
	if err != nil {
		return nil, err
	}
	t.pos, err = terminal.Open(terminal.Config{
		Terminal: &iso8583.Terminal{
			Dialect:        spec.dialect(),
			TerminalID:     t.id,
			MerchantID:     "898310048160001",
			AcquirerID:     "48020000",
			Currency:       "156",
			Batch:          "000001",
			ReadCapability: "6",
			STAN:           iso8583.NewSTANSource(0),
		},
		Store:  terminal.NewMemStore(),
		Sender: t.link,
		// The example's host keeps one set of totals (it books every card
		// as domestic), so its terminals count every card there too.
		Domestic: func(string) bool { return true },
		// The download runs after SignOn installed the session MAK, which
		// the download messages are MAC'd with (see SignOn).
		ManualDownload: true,
		Sign:           t.sign,
		Verify:         t.verify,
		KeyState:       o.state,
	})
	if err != nil {
		t.link.Close()
		return nil, err
	}
	return t, nil
}

// Close hangs up and closes the store.
func (t *lcTerminal) Close() error {
	return errors.Join(t.pos.Close(), t.link.Close())
}

// sign is the POS's Sign hook: field 59 with the KSN of the request's
// DUKPT transaction (the one its PIN block was made under, or, on ISO
// 8583:1987, a new one for every message), then the MAC — DUKPT MAC keys
// on ISO 8583:1987, the session MAK on UnionPay. A sign-on or echo goes
// without; a download message carries one, as the example's host wants.
func (t *lcTerminal) sign(m *moov.Message) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.respMAC = nil
	if mti, _ := m.GetMTI(); strings.HasPrefix(mti, "08") && !isDownload(m) {
		return nil
	}
	stan, _ := m.GetString(11)
	p, ok := t.prepared[stan]
	delete(t.prepared, stan)
	if !ok {
		p.priv = privateData{}
		if t.spec == SpecASCII {
			k, err := t.dk.next()
			if err != nil {
				return err
			}
			p.keys = &k
		}
	}
	if p.keys != nil {
		defer p.keys.wipe()
		p.priv[tagKSN] = strings.ToUpper(hex.EncodeToString(p.keys.KSN))
	}
	if len(p.priv) > 0 {
		if err := m.Field(59, p.priv.encode()); err != nil {
			return err
		}
	}
	req, resp := t.mak, t.mak
	if t.spec == SpecASCII {
		var err error
		if req, resp, err = newDUKPTMAC(t.dukpt, p.keys.MACRequest, p.keys.MACResponse); err != nil {
			return err
		}
	}
	if req == nil {
		return errors.New("not signed on: no MAC key")
	}
	if _, err := iso8583.SignMessage(m, req); err != nil {
		return err
	}
	t.respMAC = resp
	return nil
}

// verify is the POS's Verify hook: the answer's MAC, which only a decline
// may lack.
func (t *lcTerminal) verify(m *moov.Message) error {
	t.mu.Lock()
	alg := t.respMAC
	t.mu.Unlock()
	if alg == nil {
		return nil
	}
	if m.GetField(iso8583.MACField(m)) == nil {
		if code, _ := m.GetString(39); code == "00" {
			return errors.New("approval without MAC")
		}
		return nil
	}
	return iso8583.VerifyMessage(m, alg)
}

// SignOn signs on and, on UnionPay, installs the session MAK after
// checking the keys against their check values.
func (t *lcTerminal) SignOn() error {
	out := t.pos.SignOn()
	if out.Status != terminal.Approved {
		return fmt.Errorf("sign-on: %v (%v)", out, out.Err)
	}
	f62 := out.Response.F62
	if t.spec == SpecASCII {
		var err error
		if f62, err = hex.DecodeString(string(f62)); err != nil {
			return fmt.Errorf("sign-on keys: %w", err)
		}
	}
	keys, err := iso8583.ParseSignOnKeys(f62, terminalMasterKey)
	if err != nil {
		return err
	}
	mak, err := mac.NewCUPECB(keys.MAC)
	keys.Wipe()
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.mak = mak
	t.mu.Unlock()
	// At first start the POS has no CA keys, AIDs, parameters or hot-card
	// list: it downloads them from the host and keeps them in its Store.
	// A download cut by the network stays due (Downloads reports it) and
	// runs again at the next sign-on; the POS sells on without it.
	if due, _ := t.pos.Downloads(); len(due) > 0 {
		_ = t.pos.Download(due...)
	}
	return nil
}

// isDownload reports whether m is a message of a terminal management
// download.
func isDownload(m *moov.Message) bool {
	tx, err := iso8583.FromMessage(m)
	return err == nil && tx.DownloadStep() != iso8583.StepNone
}

// ChipSale reads the card (ARQC), enciphers the PIN under a new DUKPT
// transaction and runs the sale through the POS; an approved sale's ARPC
// is checked by the card.
func (t *lcTerminal) ChipSale(amount int64) (terminal.Outcome, error) {
	f55, err := t.chip.generateAC(amount, 156, time.Now(), false)
	if err != nil {
		return terminal.Outcome{}, err
	}
	k, err := t.dk.next()
	if err != nil {
		return terminal.Outcome{}, err
	}
	c := iso8583.Card{Track2: t.chip.card.track2(), SequenceNumber: "0" + t.chip.card.PSN, ICC: f55}
	p := preparedKeys{keys: &k, priv: privateData{}}
	if err := encipherPIN(t.dukpt, &k, &c, p.priv); err != nil {
		k.wipe()
		return terminal.Outcome{}, err
	}
	var stan string
	out := t.pos.Request(func(it *iso8583.Terminal) (*iso8583.Transaction, error) {
		tx, err := it.Sale(c, amount)
		if err != nil {
			return nil, err
		}
		if p.priv[tagPINBlock] != "" {
			// a format 4 block travels in field 59; field 22 still says "PIN entered"
			tx.EntryMode, tx.PINCapture = tx.EntryMode[:2]+"1", "12"
		}
		stan = tx.STAN
		t.mu.Lock()
		t.prepared[stan] = p
		t.mu.Unlock()
		return tx, nil
	})
	t.mu.Lock()
	if _, unused := t.prepared[stan]; unused { // never signed: not sent
		delete(t.prepared, stan)
		k.wipe()
	}
	t.mu.Unlock()
	if out.Status == terminal.Approved {
		if err := t.chip.externalAuthenticate(f55, out.Response.ICC); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Void cancels an approved sale.
func (t *lcTerminal) Void(sale terminal.Outcome) terminal.Outcome {
	amount, _ := sale.Request.AmountMinor()
	orig := iso8583.OriginalOf(sale.Request, sale.Response)
	return t.pos.Request(func(it *iso8583.Terminal) (*iso8583.Transaction, error) {
		return it.Void(iso8583.Card{PAN: card.PAN}, amount, orig)
	})
}

// encipherPIN forms the PIN block of the test card under the DUKPT PIN key
// of k: ISO 9564 format 0 in field 52 under TDES DUKPT, format 4 in field
// 59 under AES DUKPT.
func encipherPIN(d DUKPT, k *dukptKeys, c *iso8583.Card, priv privateData) error {
	t := &Terminal{dukpt: d, chip: &chip{card: card}}
	return t.encipherPIN(k, c, priv)
}

// terminalID is the terminal ID (field 41) of terminal number n.
func terminalID(n int) string { return fmt.Sprintf("POS%05d", n) }
