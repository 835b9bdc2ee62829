// Command dukpt walks through DUKPT on both sides: a terminal (originator)
// loaded with its initial key gives each transaction a new KSN and keys; the
// host (receiver), holding only the BDK, derives the same keys from the KSN.
//
//	go run ./examples/dukpt          # TDES DUKPT, ANSI X9.24-1:2009
//	go run ./examples/dukpt -aes     # AES DUKPT, ANSI X9.24-3:2017
//
// The BDKs and KSNs are the standards' published test values. Keys are shown
// only by their check values (KCV), as key ceremonies do.
package main

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/mac"
	"github.com/poskit/poskit/pinblock"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "dukpt:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("dukpt", flag.ContinueOnError)
	fs.SetOutput(w)
	useAES := fs.Bool("aes", false, "AES DUKPT (X9.24-3) instead of TDES DUKPT (X9.24-1)")
	n := fs.Int("n", 3, "number of transactions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 100 {
		return errors.New("-n: 1 to 100")
	}
	if *useAES {
		return runAES(w, *n)
	}
	return runTDES(w, *n)
}

// The PIN and the data of X9.24-1:2009 annex A.4.
const (
	pin     = "1234"
	pan     = "4012345678909"
	macData = "4012345678909D987"
)

func runTDES(w io.Writer, n int) error {
	bdk, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	ksn, _ := hex.DecodeString("FFFF9876543210E00000")

	// Key injection: the IPEK derives from the BDK and the initial KSN.
	ipek, err := dukpt.TDESInitialKey(bdk, ksn)
	if err != nil {
		return err
	}
	kcv, _ := mac.KCV(ipek)
	fmt.Fprintf(w, "TDES DUKPT: initial KSN %X, IPEK KCV %X\n", ksn, kcv)
	term, err := dukpt.NewTDESOriginator(ipek, ksn)
	if err != nil {
		return err
	}
	host, err := dukpt.NewTDESReceiver(bdk)
	if err != nil {
		return err
	}

	for range n {
		// Terminal: next KSN and keys (persist term.MarshalBinary() first).
		tx, err := term.Next()
		if err != nil {
			return err
		}
		block, err := pinblock.Encrypt(pinblock.ISO0, tx.PIN, pin, pan)
		if err != nil {
			return err
		}
		tag, err := mac.ISO9797Alg3(tx.MACRequest, []byte(macData), mac.Method1)
		if err != nil {
			return err
		}

		// Host: the same keys from the BDK and the KSN alone.
		pinKey, err := host.Key(tx.KSN[:], dukpt.PINEncryption)
		if err != nil {
			return err
		}
		macKey, err := host.Key(tx.KSN[:], dukpt.MACGeneration)
		if err != nil {
			return err
		}
		got, err := pinblock.Decrypt(pinblock.ISO0, pinKey, block, pan)
		if err != nil {
			return err
		}
		ok, _ := mac.ISO9797Alg3(macKey, []byte(macData), mac.Method1)
		pk, _ := mac.KCV(tx.PIN)
		fmt.Fprintf(w, "KSN %s  PIN key KCV %X  PIN block %X  MAC %X  host: PIN ok %v, MAC ok %v\n",
			tx.KSN, pk, block, tag[:4], got == pin, mac.Equal(ok, tag))
		tx.Wipe()
	}
	return nil
}

func runAES(w io.Writer, n int) error {
	bdk, _ := hex.DecodeString("FEDCBA9876543210F1F1F1F1F1F1F1F1")
	id, _ := hex.DecodeString("1234567890123456")

	ik, err := dukpt.AESInitialKey(bdk, id)
	if err != nil {
		return err
	}
	kcv, _ := mac.AESKCV(ik)
	fmt.Fprintf(w, "AES DUKPT: initial key ID %X, initial key KCV %X\n", id, kcv)
	term, err := dukpt.NewAESOriginator(ik, id, dukpt.AES128)
	if err != nil {
		return err
	}
	host, err := dukpt.NewAESReceiver(bdk)
	if err != nil {
		return err
	}
	for range n {
		tx, err := term.Next()
		if err != nil {
			return err
		}
		block, err := pinblock.Encrypt(pinblock.ISO4, tx.PIN, pin, pan)
		if err != nil {
			return err
		}
		tag, err := mac.AESCMAC(tx.MACGeneration, []byte(macData))
		if err != nil {
			return err
		}
		pinKey, err := host.Key(tx.KSN[:], dukpt.PINEncryption, dukpt.AES128)
		if err != nil {
			return err
		}
		macKey, err := host.Key(tx.KSN[:], dukpt.MACGeneration, dukpt.AES128)
		if err != nil {
			return err
		}
		got, err := pinblock.Decrypt(pinblock.ISO4, pinKey, block, pan)
		if err != nil {
			return err
		}
		want, _ := mac.AESCMAC(macKey, []byte(macData))
		pk, _ := mac.AESKCV(tx.PIN)
		fmt.Fprintf(w, "KSN %X  PIN key KCV %X  MAC %X  host: PIN ok %v, MAC ok %v, same key %v\n",
			tx.KSN[:], pk, tag[:8], got == pin, mac.Equal(want, tag), bytes.Equal(pinKey, tx.PIN))
		tx.Wipe()
	}
	return nil
}
