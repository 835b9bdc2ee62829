package dukpt_test

import (
	"bytes"
	"crypto/des"
	"encoding/hex"
	"errors"
	"fmt"
	"log"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/mac"
)

// decodeISO0 undoes an ISO 9564 format 0 PIN block by hand: XOR with the
// PAN block (0000 and the 12 rightmost PAN digits before the check digit),
// then read the control nibble, the length and the digits. Package pinblock
// does this properly; the example keeps to dukpt.
func decodeISO0(block []byte, pan string) (string, bool) {
	digits := pan[len(pan)-13 : len(pan)-1]
	panBlock, err := hex.DecodeString("0000" + digits)
	if err != nil || len(block) != 8 {
		return "", false
	}
	var clear [8]byte
	for i := range clear {
		clear[i] = block[i] ^ panBlock[i]
	}
	h := hex.EncodeToString(clear[:])
	n := int(clear[0] & 0x0F)
	if clear[0]>>4 != 0 || n < 4 || n > 12 {
		return "", false
	}
	for _, c := range h[2+n:] {
		if c != 'f' {
			return "", false
		}
	}
	return h[2 : 2+n], true
}

// A host receives an encrypted PIN block and the terminal's KSN, derives the
// PIN key from its BDK and recovers the PIN (X9.24-1:2009 A.4.2 values).
func ExampleTDESReceiver() {
	bdk, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	host, err := dukpt.NewTDESReceiver(bdk) // once per BDK
	if err != nil {
		log.Fatal(err)
	}

	ksn, _ := hex.DecodeString("FFFF9876543210E00001")
	encrypted, _ := hex.DecodeString("1B9C1845EB993A7A")

	pinKey, err := host.Key(ksn, dukpt.PINEncryption)
	if err != nil {
		log.Fatal(err)
	}
	kcv, _ := mac.KCV(pinKey)
	fmt.Printf("PIN key KCV %X\n", kcv)

	k24 := append(append([]byte{}, pinKey...), pinKey[:8]...) // K1 K2 K1
	c, _ := des.NewTripleDESCipher(k24)
	block := make([]byte, 8)
	c.Decrypt(block, encrypted)

	pin, ok := decodeISO0(block, "4012345678909")
	fmt.Println("format 0 block ok:", ok, "- digits:", len(pin), "- PIN matches:", pin == "1234")
	// Output:
	// PIN key KCV A10107
	// format 0 block ok: true - digits: 4 - PIN matches: true
}

// A terminal loop: each transaction takes the next KSN and keys, persists
// the originator's new state, and only then uses the keys.
func ExampleTDESOriginator() {
	ipek, _ := hex.DecodeString("6AC292FAA1315B4D858AB3A3D7D5933A")
	initialKSN, _ := hex.DecodeString("FFFF9876543210E00000")
	terminal, err := dukpt.NewTDESOriginator(ipek, initialKSN)
	if err != nil {
		log.Fatal(err)
	}
	var store []byte // stands for flash or a file written atomically

	bdk, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	host, _ := dukpt.NewTDESReceiver(bdk)

	for range 3 {
		tx, err := terminal.Next()
		if err != nil {
			log.Fatal(err) // ErrExhausted: the terminal needs a new IPEK
		}
		if store, err = terminal.MarshalBinary(); err != nil {
			log.Fatal(err)
		}
		// ... now encrypt the PIN block with tx.PIN, MAC with tx.MACRequest ...
		hostKey, _ := host.Key(tx.KSN[:], dukpt.PINEncryption)
		fmt.Println(tx.KSN, "host derives the same PIN key:", bytes.Equal(hostKey, tx.PIN))
		tx.Wipe()
	}

	// After a restart the terminal continues where it stopped.
	var restarted dukpt.TDESOriginator
	if err := restarted.UnmarshalBinary(store); err != nil {
		log.Fatal(err)
	}
	tx, _ := restarted.Next()
	fmt.Println("after restart:", tx.KSN)
	// Output:
	// FFFF9876543210E00001 host derives the same PIN key: true
	// FFFF9876543210E00002 host derives the same PIN key: true
	// FFFF9876543210E00003 host derives the same PIN key: true
	// after restart: FFFF9876543210E00004
}

// A terminal keeps its state sealed under a device key, and refuses to go
// back to a KSN the host has already seen (a restored backup).
func ExampleTDESOriginator_MarshalSealed() {
	ipek, _ := hex.DecodeString("6AC292FAA1315B4D858AB3A3D7D5933A")
	initialKSN, _ := hex.DecodeString("FFFF9876543210E00000")
	deviceKey := make([]byte, 32) // in practice random, held apart from the store
	terminal, err := dukpt.NewTDESOriginator(ipek, initialKSN)
	if err != nil {
		log.Fatal(err)
	}
	backup, _ := terminal.MarshalSealed(deviceKey) // next KSN ...0001
	tx, _ := terminal.Next()
	lastSeenByHost := tx.KSN

	var restored dukpt.TDESOriginator
	if err := restored.UnmarshalSealed(deviceKey, backup); err != nil {
		log.Fatal(err)
	}
	err = restored.SetLastUsed(lastSeenByHost)
	fmt.Println(errors.Is(err, dukpt.ErrRollback))
	_, err = restored.Next()
	fmt.Println(err)
	// Output:
	// true
	// dukpt: originator state rolled back: next counter 0x1, but counter 0x1 was already seen
}

// AES DUKPT: the terminal and the host agree on an AES-128 PIN key
// (X9.24-3:2017 test values).
func ExampleAESKey() {
	bdk, _ := hex.DecodeString("FEDCBA9876543210F1F1F1F1F1F1F1F1")
	id, _ := hex.DecodeString("1234567890123456")

	initialKey, _ := dukpt.AESInitialKey(bdk, id) // injected into the terminal
	terminal, _ := dukpt.NewAESOriginator(initialKey, id, dukpt.AES128)
	tx, _ := terminal.Next()

	pinKey, err := dukpt.AESKey(bdk, tx.KSN[:], dukpt.PINEncryption, dukpt.AES128)
	if err != nil {
		log.Fatal(err)
	}
	kcv, _ := mac.AESKCV(pinKey)
	fmt.Printf("KSN %v, PIN key KCV %X, same as terminal: %v\n", tx.KSN, kcv, bytes.Equal(pinKey, tx.PIN))
	// Output:
	// KSN 123456789012345600000001, PIN key KCV 98964FF967, same as terminal: true
}

// Track data enciphered under the data request key (X9.24-1:2009 A.4.2).
func ExampleEncryptTDESCBC() {
	bdk, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	ksn, _ := hex.DecodeString("FFFF9876543210E00001")
	key, err := dukpt.TDESKey(bdk, ksn, dukpt.DataEncryption)
	if err != nil {
		log.Fatal(err)
	}
	ct, err := dukpt.EncryptTDESCBC(key, make([]byte, 8), []byte("4012345678909D987"), dukpt.ZeroPadding)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%X\n", ct)
	// Output:
	// FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F
}
