package dukpt_test

import (
	"testing"

	"github.com/poskit/poskit/dukpt"
)

// A TDES derivation allocates the key it returns and nothing else: its DES
// schedules are values on the stack. An AES derivation allocates the key and
// one crypto/aes schedule per key it uses: the BDK (AESKey only), the
// initial key (not when a receiver has it cached), and one intermediate key
// per one-bit of the counter.
func TestDerivationAllocations(t *testing.T) {
	tbdk := unhex(t, tdesBDK)
	abdk := unhex(t, aes128BDK)
	tr, err := dukpt.NewTDESReceiver(tbdk)
	if err != nil {
		t.Fatal(err)
	}
	ar, err := dukpt.NewAESReceiver(abdk)
	if err != nil {
		t.Fatal(err)
	}
	tksn := unhex(t, "FFFF9876543210E003FF") // 10 one-bits
	aksn := unhex(t, aesKeyID+"0000FFFF")    // 16 one-bits
	cases := []struct {
		name string
		want float64
		f    func()
	}{
		{"TDESKey PIN", 1, func() { _, _ = dukpt.TDESKey(tbdk, tksn, dukpt.PINEncryption) }},
		{"TDESKey data", 1, func() { _, _ = dukpt.TDESKey(tbdk, tksn, dukpt.DataDecryption) }},
		{"TDESReceiver", 1, func() { _, _ = tr.Key(tksn, dukpt.MACGeneration) }},
		{"AESKey AES-128", 1 + 2 + 16, func() { _, _ = dukpt.AESKey(abdk, aksn, dukpt.PINEncryption, dukpt.AES128) }},
		{"AESKey TDES3", 1 + 2 + 16, func() { _, _ = dukpt.AESKey(abdk, aksn, dukpt.DataBoth, dukpt.TDES3) }},
		{"AESReceiver", 1 + 16, func() { _, _ = ar.Key(aksn, dukpt.MACBoth, dukpt.AES128) }},
	}
	for _, c := range cases {
		c.f() // fill the receivers' device caches
		if n := testing.AllocsPerRun(50, c.f); n != c.want {
			t.Errorf("%s: %v allocations per derivation, want %v", c.name, n, c.want)
		}
	}
}
