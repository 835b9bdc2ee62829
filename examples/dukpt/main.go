// Command dukpt walks through DUKPT on both sides: a terminal (originator)
// loaded with its initial key gives each transaction a new KSN and keys; the
// host (receiver), holding only the BDK, derives the same keys from the KSN.
//
//	go run ./examples/dukpt          # TDES DUKPT, ANSI X9.24-1:2009
//	go run ./examples/dukpt -aes     # AES DUKPT, ANSI X9.24-3:2017
//
// The BDKs and KSNs are the standards' published test values. Keys are shown
// only by their check values (KCV), as key ceremonies do.
//
// The initial key travels from the key-injection facility to the terminal as
// an ANSI X9.143 (TR-31) key block, never in clear: usage B1, wrapped under the
// key block protection key the two share (version B under a TDES KBPK,
// version D under an AES one), with the initial KSN in the KS optional block
// (TDES) or the initial key ID in IK (AES). The terminal loads its originator
// straight from the block.
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
	"github.com/poskit/poskit/keyblock"
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

// The key block protection keys shared by the key-injection facility and
// the terminal: example values (the KBPKs of TR-31:2018 A.7.2.2 and A.7.4).
const (
	tdesKBPK = "DD7515F2BFC17F85CE48F3CA25CB21F6"
	aesKBPK  = "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6"
)

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

	// The injection facility wraps the IPEK in a key block for the terminal.
	kbpk, _ := hex.DecodeString(tdesKBPK)
	kb, err := keyblock.Wrap(kbpk, keyblock.Header{Version: 'B', Usage: "B1", Algorithm: 'T', Mode: 'X',
		KeyVersion: "00", Exportability: 'N', Blocks: []keyblock.Block{
			{ID: "KS", Data: fmt.Sprintf("%X", ksn)}, {ID: "KC", Data: keyblock.KCVLegacy}}}, ipek)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "key block %s… (%d characters)\n", kb[:52], len(kb))
	// The terminal loads its originator from the block: KBPK, MAC, usage,
	// check value and KSN are all checked.
	term, err := dukpt.NewTDESOriginatorFromKeyBlock(kbpk, kb)
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

	kbpk, _ := hex.DecodeString(aesKBPK)
	kb, err := keyblock.Wrap(kbpk, keyblock.Header{Version: 'D', Usage: "B1", Algorithm: 'A', Mode: 'X',
		KeyVersion: "00", Exportability: 'N', Blocks: []keyblock.Block{
			{ID: "IK", Data: fmt.Sprintf("%X", id)}, {ID: "KC", Data: keyblock.KCVCMAC}}}, ik)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "key block %s… (%d characters)\n", kb[:52], len(kb))
	term, err := dukpt.NewAESOriginatorFromKeyBlock(kbpk, kb, dukpt.AES128)
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
