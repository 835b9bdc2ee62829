// Command receipt prints one sale slip three ways — UTF-8 text for a screen
// or a log, ESC/POS bytes for a thermal printer (GB18030 for the Chinese
// text, the shop's logo as a raster image) and an HTML e-receipt with the
// QR code as inline SVG — and the batch's settlement slip as text and HTML.
// It writes slip.txt, slip.bin, slip.html, settlement.txt and
// settlement.html into a directory.
//
//	go run ./examples/receipt                  # into a new temporary directory
//	go run ./examples/receipt -dir out -lang en -paper 80
//	cat out/slip.bin > /dev/usb/lp0            # on a real ESC/POS printer
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
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
	lang := fs.String("lang", "both", "zh, zh-hant, en, both or both-hant")
	paper := fs.Int("paper", 58, "paper width in mm: 58 or 80")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := printer(*lang, *paper) // once per paper and language
	if err != nil {
		return err
	}
	if *dir == "" {
		*dir, err = os.MkdirTemp("", "poskit-receipt-")
	} else {
		err = os.MkdirAll(*dir, 0o755)
	}
	if err != nil {
		return err
	}
	var text []byte
	for _, f := range []struct {
		name   string
		doc    receipt.Document
		render func([]byte, receipt.Document) ([]byte, error)
	}{
		{"slip.txt", sale(), p.AppendText},
		{"slip.bin", sale(), p.AppendESCPOS},
		{"slip.html", sale(), p.AppendHTML},
		{"settlement.txt", settlement(), p.AppendText},
		{"settlement.html", settlement(), p.AppendHTML},
	} {
		b, err := f.render(nil, f.doc)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		path := filepath.Join(*dir, f.name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s (%d bytes)\n", path, len(b))
		if text == nil {
			text = b
		}
	}
	fmt.Fprintf(w, "\n%s", text)
	return nil
}

func printer(lang string, paper int) (*receipt.Printer, error) {
	cfg := receipt.Config{
		Profile: receipt.Paper58,
		// UnionPay practice: first 6 and last 4 of the card on every copy;
		// no signature line at or under 300.00 for a no-CVM contactless sale.
		Policy: receipt.Policy{Mask: receipt.MaskUnionPay, NoSignatureLimit: 30000},
		Logo:   logo(),
		Header: []string{"欢迎光临 WELCOME"},
		Footer: []string{"客服热线 HOTLINE 95516"},
	}
	langs := map[string]receipt.Language{"zh": receipt.Chinese, "zh-hant": receipt.TraditionalChinese,
		"en": receipt.English, "both": receipt.Bilingual, "both-hant": receipt.BilingualTraditional}
	var ok bool
	if cfg.Language, ok = langs[lang]; !ok {
		return nil, fmt.Errorf("-lang %q: want zh, zh-hant, en, both or both-hant", lang)
	}
	switch paper {
	case 58:
	case 80:
		cfg.Profile = receipt.Paper80
	default:
		return nil, fmt.Errorf("-paper %d: want 58 or 80", paper)
	}
	return receipt.NewPrinter(cfg)
}

// logo draws the shop's logo: a bowl under three lines of steam, 192×64.
func logo() image.Image {
	img := image.NewGray(image.Rect(0, 0, 192, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 192; x++ {
			dx, dy := x-96, y-24
			bowl := y >= 30 && dx*dx*4+dy*dy*36 <= 80*80*4 && dy >= 6
			steam := y < 26 && (x-70+y%8/2)%26 < 4 && x >= 66 && x < 126
			if !bowl && !steam {
				img.SetGray(x, y, color.Gray{Y: 0xFF})
			}
		}
	}
	return img
}

var merchant = receipt.Merchant{Name: "示范面馆 NOODLE BAR", Number: "898310048160001", TerminalID: "POS00001", Operator: "01"}

func sale() *receipt.Slip {
	return &receipt.Slip{
		Merchant: merchant,
		Acquirer: "POSKIT ACQUIRER",
		Issuer:   "TEST ISSUER",
		Card:     receipt.Card{PAN: "6222021234567890128", Entry: receipt.EntryContactless, Funding: receipt.Debit},
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
}

func settlement() *receipt.SettlementSlip {
	return &receipt.SettlementSlip{
		Merchant: merchant, Acquirer: "POSKIT ACQUIRER", Batch: "000001",
		Time: time.Date(2026, 11, 21, 22, 0, 0, 0, time.Local), Currency: receipt.CNY,
		Totals: []receipt.Total{
			{Group: receipt.Domestic, Type: receipt.Sale, Count: 128, Amount: 1234567},
			{Group: receipt.Domestic, Type: receipt.Void, Count: 2, Amount: 7000},
			{Group: receipt.Domestic, Type: receipt.Refund, Count: 1, Amount: 1000000000},
			{Group: receipt.QRPay, Type: receipt.Sale, Count: 57, Amount: 456789},
		},
	}
}
