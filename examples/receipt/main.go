// Command receipt prints one sale slip three ways: UTF-8 text for a screen
// or a log, ESC/POS bytes for a 58 mm thermal printer (GB18030 for the
// Chinese text) and an HTML e-receipt. It writes slip.txt, slip.bin and
// slip.html into a directory.
//
//	go run ./examples/receipt                  # into a new temporary directory
//	go run ./examples/receipt -dir out -lang en -paper 80
//	cat out/slip.bin > /dev/usb/lp0            # on a real ESC/POS printer
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/poskit/poskit/receipt"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "receipt:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("receipt", flag.ContinueOnError)
	fs.SetOutput(w)
	dir := fs.String("dir", "", "output directory (default: a new temporary directory)")
	lang := fs.String("lang", "both", "zh, en or both")
	paper := fs.Int("paper", 58, "paper width in mm: 58 or 80")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := receipt.Config{
		Profile: receipt.Paper58,
		// UnionPay practice: first 6 and last 4 of the card on every copy;
		// no signature line under 300.00 for a no-CVM contactless sale.
		Policy: receipt.Policy{Mask: receipt.MaskUnionPay, NoSignatureLimit: 30000},
	}
	switch *lang {
	case "zh":
		cfg.Language = receipt.Chinese
	case "en":
		cfg.Language = receipt.English
	case "both":
		cfg.Language = receipt.Bilingual
	default:
		return fmt.Errorf("-lang %q: want zh, en or both", *lang)
	}
	switch *paper {
	case 58:
	case 80:
		cfg.Profile = receipt.Paper80
	default:
		return fmt.Errorf("-paper %d: want 58 or 80", *paper)
	}
	p, err := receipt.NewPrinter(cfg) // once per paper and language
	if err != nil {
		return err
	}

	slip := &receipt.Slip{
		Merchant: receipt.Merchant{Name: "示范面馆 NOODLE BAR", Number: "898310048160001", TerminalID: "POS00001", Operator: "01"},
		Acquirer: "POSKIT ACQUIRER",
		Issuer:   "TEST ISSUER",
		Card:     receipt.Card{PAN: "6222021234567890128", Entry: receipt.EntryContactless},
		Type:     receipt.Sale,
		Batch:    "000001",
		Voucher:  "000042",
		AuthCode: "123456",
		RRN:      "632506000042",
		Time:     time.Date(2026, 11, 21, 12, 30, 0, 0, time.Local),
		Amount:   receipt.Amount{Minor: 3500, Currency: receipt.CNY},
		CVM:      receipt.CVMNone,
		Chip:     &receipt.Chip{AID: "A000000333010101", Label: "UnionPay Debit", TVR: "0000000000", ATC: "0042", CryptogramType: "ARQC", Cryptogram: "1A2B3C4D5E6F7081"},
		Copy:     receipt.MerchantCopy,
		Footer:   []string{"谢谢惠顾 THANK YOU"},
		QRCode:   "https://example.com/r/632506000042", // the e-receipt link, printed as a QR code
	}

	if *dir == "" {
		*dir, err = os.MkdirTemp("", "poskit-receipt-")
	} else {
		err = os.MkdirAll(*dir, 0o755)
	}
	if err != nil {
		return err
	}
	text, err := p.AppendText(nil, slip)
	if err != nil {
		return err
	}
	escpos, err := p.AppendESCPOS(nil, slip)
	if err != nil {
		return err
	}
	html, err := p.AppendHTML(nil, slip)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"slip.txt", text}, {"slip.bin", escpos}, {"slip.html", html}} {
		path := filepath.Join(*dir, f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s (%d bytes)\n", path, len(f.data))
	}
	fmt.Fprintf(w, "\n%s", text)
	return nil
}
