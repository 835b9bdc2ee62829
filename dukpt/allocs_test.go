package dukpt_test

import (
	"testing"

	"github.com/poskit/poskit/dukpt"
	"github.com/poskit/poskit/internal/aesenc"
)

// A derivation allocates the key it returns and nothing else: its key
// schedules are values on the stack (issue: "allocations per derivation ≤ 2,
// the returned key"). AES schedules are values only on the AES-NI path;
// elsewhere crypto/aes allocates one per step.
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
		aes  bool
		f    func()
	}{
		{"TDESKey PIN", false, func() { _, _ = dukpt.TDESKey(tbdk, tksn, dukpt.PINEncryption) }},
		{"TDESKey data", false, func() { _, _ = dukpt.TDESKey(tbdk, tksn, dukpt.DataDecryption) }},
		{"TDESReceiver", false, func() { _, _ = tr.Key(tksn, dukpt.MACGeneration) }},
		{"AESKey AES-128", true, func() { _, _ = dukpt.AESKey(abdk, aksn, dukpt.PINEncryption, dukpt.AES128) }},
		{"AESKey TDES3", true, func() { _, _ = dukpt.AESKey(abdk, aksn, dukpt.DataBoth, dukpt.TDES3) }},
		{"AESReceiver", true, func() { _, _ = ar.Key(aksn, dukpt.MACBoth, dukpt.AES128) }},
	}
	for _, c := range cases {
		if c.aes && !aesenc.Accelerated() {
			t.Logf("%s: skipped, AES schedules come from crypto/aes here", c.name)
			continue
		}
		c.f() // fill the receivers' device caches
		if n := testing.AllocsPerRun(50, c.f); n != 1 {
			t.Errorf("%s: %v allocations per derivation, want 1 (the key)", c.name, n)
		}
	}
}
