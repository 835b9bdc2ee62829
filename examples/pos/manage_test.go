package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/poskit/poskit/emv"
	"github.com/poskit/poskit/iso8583"
)

// signedOn starts a host and a terminal signed on to it, on spec.
func signedOn(t *testing.T, spec Spec, log *syncBuffer) (*Host, *Terminal) {
	t.Helper()
	h, err := NewHost(spec, DUKPTTDES, &tracer{w: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	term, err := NewTerminal(spec, DUKPTTDES, h.Addr(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	if err := term.SignOn(); err != nil {
		t.Fatal(err)
	}
	return h, term
}

// The host answers every download message on both specs, each with what
// the shipped file holds: the CA key and AID lists, each key and AID (and
// "not held" for one it lacks), the parameters, the hot-card list, and
// the end messages; a request it cannot read is answered 30.
// Long because it walks every message of the four downloads.
func TestHostServesDownloads(t *testing.T) {
	needSHA1(t)
	file, err := shippedTMS()
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := file.CAPublicKeys()
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		t.Run(string(spec), func(t *testing.T) {
			var log syncBuffer
			_, term := signedOn(t, spec, &log)
			ex := term.manageExchange

			resp, err := ex(term.iso.CAKeyQuery(0))
			if err != nil {
				t.Fatal(err)
			}
			l, err := resp.CAKeyList()
			if err != nil || l.More || len(l.Keys) != 3 || l.Keys[2].RID != keys[2].RID || l.Keys[2].Index != 0xE1 {
				t.Fatalf("CA key list %+v, %v", l, err)
			}
			for _, k := range keys {
				resp, err := ex(term.iso.CAKeyDownload(k.RID, k.Index))
				if err != nil {
					t.Fatal(err)
				}
				got, ok, err := resp.CAKey()
				if err != nil || !ok || !bytes.Equal(got.Modulus, k.Modulus) || !bytes.Equal(got.Checksum, k.Checksum) || !got.Expiry.Equal(k.Expiry) {
					t.Errorf("CA key %X/%02X: ok %v, %v", k.RID, k.Index, ok, err)
				}
			}
			resp, err = ex(term.iso.CAKeyDownload(keys[0].RID, 0x99))
			if _, ok, err2 := resp.CAKey(); err != nil || ok || err2 != nil {
				t.Errorf("a key the host lacks: ok %v, %v, %v", ok, err, err2)
			}

			resp, err = ex(term.iso.AIDQuery(0))
			if err != nil {
				t.Fatal(err)
			}
			al, err := resp.AIDList()
			if err != nil || len(al.AIDs) != 3 {
				t.Fatalf("AID list %+v, %v", al, err)
			}
			for i, id := range al.AIDs {
				resp, err := ex(term.iso.AIDDownload(id))
				if err != nil {
					t.Fatal(err)
				}
				e, ok, err := resp.AIDEntry()
				want, _ := file.AIDs[i].Params()
				if err != nil || !ok || !bytes.Equal(e.Params.AID, want.AID) || e.Params.TAC != want.TAC || e.Params.FloorLimit != want.FloorLimit || !e.OnlinePIN {
					t.Errorf("AID %X: %+v, ok %v, %v", id, e, ok, err)
				}
			}
			resp, err = ex(term.iso.AIDDownload([]byte{0xA0, 0, 0, 0, 0x99, 1}))
			if _, ok, err2 := resp.AIDEntry(); err != nil || ok || err2 != nil {
				t.Errorf("an AID the host lacks: ok %v, %v, %v", ok, err, err2)
			}

			resp, err = ex(term.iso.ParamDownload())
			if err != nil {
				t.Fatal(err)
			}
			if p, err := resp.Params(); err != nil || p.MerchantName != file.Terminal.MerchantName || p.TimeoutSeconds != 60 || p.Resends != 3 {
				t.Errorf("parameters %+v, %v", p, err)
			}
			resp, err = ex(term.iso.HotListDownload(0))
			if err != nil {
				t.Fatal(err)
			}
			if p, err := resp.HotListPart(); err != nil || p.Version != 1 || p.More || strings.Join(p.Entries, ",") != strings.Join(file.HotCards.PANs, ",") {
				t.Errorf("hot-card list %+v, %v", p, err)
			}
			for _, k := range []iso8583.Kind{iso8583.KindCAKeyDownload, iso8583.KindAIDDownload, iso8583.KindParameterDownload, iso8583.KindHotListDownload} {
				if _, err := ex(term.iso.DownloadEnd(k)); err != nil {
					t.Errorf("end of %s: %v", k, err)
				}
			}

			// A per-key request without the key's RID and index.
			bad, err := term.iso.CAKeyDownload(keys[0].RID, keys[0].Index)
			if err != nil {
				t.Fatal(err)
			}
			bad.F62 = nil
			if _, err := ex(bad, nil); !errors.Is(err, errDownload) || !strings.Contains(err.Error(), "answered 30") {
				t.Errorf("unreadable request: %v", err)
			}
			waitLog(t, &log, "answering 30")
		})
	}
}

// After a download the terminal holds the CA keys, AIDs, parameters and
// hot-card list; a card of the hot-card list is refused before anything
// is sent; a card whose signed data was altered fails ODA, gets the TVR
// bit, goes online and is approved, the issuer seeing the bit in field 55.
func TestDownloadThenODA(t *testing.T) {
	needSHA1(t)
	var log syncBuffer
	h, term := signedOn(t, SpecCUP, &log)
	d, err := term.Download()
	if err != nil {
		t.Fatal(err)
	}
	if term.capk.Len() != 3 || len(term.aids) != 3 || term.params == nil || term.hotVersion != 1 || len(term.hot) != 4 || len(d.CAKeys) != 3 {
		t.Fatalf("after the download: %s", d)
	}

	r, err := term.ChipSale(1000)
	if err != nil || !r.Entry.Approved || r.Chip.ODA.Err != nil || r.Chip.ODA.Method != "DDA" {
		t.Fatalf("sale: %v, %v", r.Chip.ODA, err)
	}

	good := term.chip.perso
	tampered := *good
	tampered.SSAD = bytes.Clone(good.SSAD)
	tampered.Records = append(bytes.Clone(good.Records), 0x9F, 0x08, 0x02, 0x00, 0x30) // a record the issuer did not sign
	term.chip.perso = &tampered
	r, err = term.ChipSale(2000)
	term.chip.perso = good
	if err != nil || !r.Entry.Approved {
		t.Fatalf("tampered card: %v", err)
	}
	if !errors.Is(r.Chip.ODA.Err, emv.ErrODAHash) || !r.Chip.TVR.Has(emv.TVRDDAFailed) || r.Chip.AC != emv.ACTypeARQC {
		t.Errorf("tampered card: %v, TVR %s, %s", r.Chip.ODA, r.Chip.TVR, acName(r.Chip.AC))
	}
	tvr, ok, _ := emv.Find(r.ICC, 0x95)
	if !ok || !emv.TVR(tvr).Has(emv.TVRDDAFailed) {
		t.Errorf("field 55 TVR %X lacks DDA failed", tvr)
	}

	before := h.Totals(term.ID())
	term.hot["476173"] = true // the card's BIN
	if _, err := term.ChipSale(3000); !errors.Is(err, errHotCard) {
		t.Errorf("hot card: %v", err)
	}
	if h.Totals(term.ID()) != before {
		t.Error("a hot card reached the host")
	}
}

// A transfer is booked as the debit of the payer's card: the totals and
// the settlement count it, a transfer whose answer is lost is reversed
// and undone, and a transfer without a valid payee is answered 14.
func TestTransferReconciles(t *testing.T) {
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		t.Run(string(spec), func(t *testing.T) {
			var log syncBuffer
			h, term := signedOn(t, spec, &log)
			r, err := term.Transfer(50000, transferTo)
			if err != nil || !r.Entry.Approved || r.Entry.Req.Kind() != iso8583.KindTransfer {
				t.Fatalf("transfer: %v", err)
			}
			if tt := h.Totals(term.ID()); tt.DebitCount != 1 || tt.DebitAmount != 50000 || tt != term.Totals() {
				t.Errorf("host %+v, terminal %+v", tt, term.Totals())
			}

			h.DropNextReply()
			term.timeout = 300e6
			r, err = term.Transfer(7000, transferTo)
			term.timeout = ioTimeout
			if !errors.Is(err, errTimeout) {
				t.Fatalf("lost transfer: %v", err)
			}
			if _, err := term.Reverse(r.Entry.Req); err != nil {
				t.Fatal(err)
			}
			if tt := h.Totals(term.ID()); tt.DebitCount != 1 || tt.DebitAmount != 50000 {
				t.Errorf("after the reversal: host %+v", tt)
			}

			tx, err := term.iso.Transfer(iso8583.Card{Track2: card.track2()}, 100, transferTo)
			if err != nil {
				t.Fatal(err)
			}
			tx.AccountID2, tx.AdditionalData = "", "" // no payee
			tx.ProcessingCode = iso8583.ProcTransfer
			keys, _ := term.keysFor(false)
			resp, _, err := term.exchange(tx, nil, keys)
			if err != nil || resp.ResponseCode != "14" {
				t.Errorf("transfer without payee: %v, %v", resp, err)
			}
			if _, _, err := term.Settle(); err != nil {
				t.Errorf("settlement: %v", err)
			}
			settled, booked := h.Reconciliation()
			if settled != booked || booked.DebitAmount != 50000 {
				t.Errorf("reconciliation: settled %+v, booked %+v", settled, booked)
			}
			waitLog(t, &log, "transfer STAN")
		})
	}
}

// The load's terminals (terminal.POS) download at first start, after
// sign-on, through the POS: CA keys, AIDs, parameters and the hot-card
// list, kept in the POS's Store.
func TestLoadTerminalDownloads(t *testing.T) {
	needSHA1(t)
	for _, spec := range []Spec{SpecASCII, SpecCUP} {
		var log syncBuffer
		h, err := NewHost(spec, DUKPTTDES, &tracer{w: &log})
		if err != nil {
			t.Fatal(err)
		}
		lt, err := newLCTerminal(spec, DUKPTTDES, h.Addr(), 3, ioTimeout)
		if err != nil {
			t.Fatal(err)
		}
		if err := lt.SignOn(); err != nil {
			t.Fatal(err)
		}
		due, lastErr := lt.pos.Downloads()
		p, ok := lt.pos.Params()
		if len(due) != 0 || lastErr != nil || lt.pos.CAKeys().Len() != 3 || len(lt.pos.AIDs()) != 3 || !ok || p.MerchantName == "" || lt.pos.HotList().Version() != 1 || !lt.pos.HotList().Contains("6212340000000000018") {
			t.Errorf("%s: due %v, %v; %d CA keys, %d AIDs\n%s", spec, due, lastErr, lt.pos.CAKeys().Len(), len(lt.pos.AIDs()), log.String())
		}
		lt.Close()
		h.Close()
	}
}
