package emv

import (
	"errors"
	"strings"
	"testing"
)

func TestTVR(t *testing.T) {
	tvr, err := ParseTVR(mustHex("8000048000"))
	if err != nil {
		t.Fatal(err)
	}
	if !tvr.Has(TVROfflineDataAuthNotPerformed) || !tvr.Has(TVROnlinePINEntered) || !tvr.Has(TVRFloorLimitExceeded) || tvr.Has(TVRSDAFailed) {
		t.Errorf("flags of %X", tvr[:])
	}
	if s := tvr.String(); s != "offline data authentication was not performed; online PIN entered; transaction exceeds floor limit" {
		t.Errorf("String %q", s)
	}
	tvr.Clear(TVROnlinePINEntered)
	tvr.Set(TVRIssuerAuthFailed)
	if tvr != (TVR{0x80, 0, 0, 0x80, 0x40}) {
		t.Errorf("after Set/Clear %X", tvr[:])
	}
	if (TVR{0x01}).String() != "byte 1 bit 1" || (TVR{}).String() != "none" {
		t.Error("RFU or empty")
	}
	if _, err := ParseTVR(mustHex("80000480")); !errors.Is(err, ErrFieldLength) {
		t.Error("short TVR")
	}
	var out TVR
	out.Set(TVRBit(0x0901)) // out of range: ignored
	if out != (TVR{}) || out.Has(TVRBit(0x0001)) {
		t.Error("out-of-range bit")
	}
}

func TestBitFieldStrings(t *testing.T) {
	tsi, _ := ParseTSI(mustHex("E800"))
	aip, _ := ParseAIP(mustHex("7800"))
	auc, _ := ParseAUC(mustHex("AB80"))
	ttq, _ := ParseTTQ(mustHex("36400000"))
	ctq, _ := ParseCTQ(mustHex("8040"))
	tc, _ := ParseTerminalCapabilities(mustHex("E0F8C8"))
	atc, _ := ParseAdditionalTerminalCapabilities(mustHex("6000F0A001"))
	tests := []struct {
		got, want string
	}{
		{tsi.String(), "offline data authentication was performed; cardholder verification was performed; card risk management was performed; terminal risk management was performed"},
		{aip.String(), "SDA supported; DDA supported; cardholder verification is supported; terminal risk management is to be performed"},
		{auc.String(), "valid for domestic cash transactions; valid for domestic goods; valid for domestic services; valid at ATMs; valid at terminals other than ATMs; domestic cashback allowed"},
		{ttq.String(), "EMV mode (qVSDC) supported; EMV contact chip supported; online PIN supported; signature supported; CVM required"},
		{ctq.String(), "online PIN required; card supports issuer update processing at the POS"},
		{tc.String(), "manual key entry; magnetic stripe; IC with contacts; plaintext PIN for ICC verification; enciphered PIN for online verification; signature (paper); enciphered PIN for offline verification; no CVM required; SDA; DDA; CDA"},
		{atc.String(), "goods; services; numeric keys; alphabetic and special characters keys; command keys; function keys; print, attendant; display, attendant; code table 1"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got  %q\nwant %q", tc.got, tc.want)
		}
	}
	if !aip.Has(AIPDDA) || aip.Has(AIPCDA) || !tc.Has(TermCapCDA) || !ttq.Has(TTQCVMRequired) || !ctq.Has(CTQOnlinePINRequired) ||
		!auc.Has(AUCATM) || !tsi.Has(TSICardRiskManagementPerformed) || !atc.Has(AddTermCapCodeTable1) {
		t.Error("Has")
	}
	aip.Set(AIPCDA)
	tc.Clear(TermCapCDA)
	if !aip.Has(AIPCDA) || tc.Has(TermCapCDA) {
		t.Error("Set/Clear")
	}
	for _, f := range []func() error{
		func() error { _, err := ParseTSI(nil); return err },
		func() error { _, err := ParseAIP(make([]byte, 3)); return err },
		func() error { _, err := ParseAUC(nil); return err },
		func() error { _, err := ParseTTQ(make([]byte, 2)); return err },
		func() error { _, err := ParseCTQ(nil); return err },
		func() error { _, err := ParseTerminalCapabilities(nil); return err },
		func() error { _, err := ParseAdditionalTerminalCapabilities(nil); return err },
		func() error { _, err := ParseCVMResults(nil); return err },
		func() error { _, err := ParseCVMList(make([]byte, 7)); return err },
		func() error { _, err := ParseCVMList(make([]byte, 9)); return err },
	} {
		if err := f(); !errors.Is(err, ErrFieldLength) {
			t.Errorf("wrong length accepted: %v", err)
		}
	}
}

func TestCID(t *testing.T) {
	tests := []struct {
		c    CID
		typ  ACType
		want string
	}{
		{0x80, ACTypeARQC, "ARQC"},
		{0x40, ACTypeTC, "TC"},
		{0x00, ACTypeAAC, "AAC"},
		{0x0A, ACTypeAAC, "AAC, advice required, PIN try limit exceeded"},
		{0x01, ACTypeAAC, "AAC, service not allowed"},
		{0x03, ACTypeAAC, "AAC, issuer authentication failed"},
		{0xC5, ACTypeRFU, "RFU, reason 5"},
	}
	for _, tc := range tests {
		if tc.c.Type() != tc.typ || tc.c.String() != tc.want {
			t.Errorf("%02X: %v %q", byte(tc.c), tc.c.Type(), tc.c.String())
		}
	}
	if CID(0xB0).SchemeBits() != 3 || !CID(0x08).AdviceRequired() || CID(0x0A).Reason() != 2 {
		t.Error("CID bits")
	}
}

func TestCVMList(t *testing.T) {
	v := mustHex("000003E8000007D0" + "42031E031F00" + "0106")
	l, err := ParseCVMList(v)
	if err != nil {
		t.Fatal(err)
	}
	if l.X != 1000 || l.Y != 2000 || len(l.Rules) != 4 {
		t.Fatalf("%+v", l)
	}
	want := []CVMRule{
		{CVMEncipheredPINOnline, true, CVMIfTerminalSupports},
		{CVMSignature, false, CVMIfTerminalSupports},
		{CVMNoCVM, false, CVMAlways},
		{CVMPlaintextPINICC, false, CVMIfUnderX},
	}
	for i := range want {
		if l.Rules[i] != want[i] {
			t.Errorf("rule %d = %+v", i, l.Rules[i])
		}
	}
	if string(hexOf(l.AppendBytes(nil))) != strings.ToUpper(string(hexOf(v))) {
		t.Error("AppendBytes round trip")
	}
	s := l.String()
	if !strings.HasPrefix(s, "X=1000 Y=2000\n1. enciphered PIN verified online, if terminal supports the CVM, else next rule\n") ||
		!strings.HasSuffix(s, "4. plaintext PIN verified by ICC, if transaction is in the application currency and is under X value, else fail") {
		t.Errorf("String %q", s)
	}
	for _, m := range []CVMMethod{CVMFail, CVMPlaintextPINICCAndSignature, CVMEncipheredPINICC, CVMEncipheredPINICCAndSignature, CVMNotAvailable, 0x21, 0x31, 0x10} {
		if m.String() == "" {
			t.Error("CVMMethod.String")
		}
	}
	for c := CVMAlways; c <= 0x0A; c++ {
		if c.String() == "" {
			t.Error("CVMCondition.String")
		}
	}
	if CVMMethod(0x21).String() != "payment system CVM 21" || CVMMethod(0x31).String() != "issuer CVM 31" || CVMCondition(0x0A).String() != "condition 0A" {
		t.Error("reserved codes")
	}
}

func TestCVMResults(t *testing.T) {
	r, err := ParseCVMResults(mustHex("420302"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Method() != CVMEncipheredPINOnline || !r.ApplyNext() || r.Condition() != CVMIfTerminalSupports || r.Result() != CVMResultSuccessful {
		t.Errorf("%X", r[:])
	}
	if r.String() != "enciphered PIN verified online, if terminal supports the CVM: successful" {
		t.Error(r.String())
	}
	if (CVMResults{0x3F, 0, 1}).String() != "no CVM performed, always: failed" || CVMResult(7).String() != "result 07" {
		t.Error("no CVM performed")
	}
}

func TestTerminalType(t *testing.T) {
	tests := []struct {
		t                         TerminalType
		want                      string
		attended, online, offline bool
	}{
		{0x22, "22 merchant, attended, offline with online capability", true, true, true},
		{0x14, "14 financial institution, unattended, online only", false, true, false},
		{0x36, "36 cardholder, unattended, offline only", false, false, true},
		{0x21, "21 merchant, attended, online only", true, true, false},
		{0x00, "00 invalid", false, false, false},
		{0x27, "27 invalid", false, false, false},
	}
	for _, tc := range tests {
		if tc.t.String() != tc.want || tc.t.Attended() != tc.attended || tc.t.OnlineCapable() != tc.online || tc.t.OfflineCapable() != tc.offline {
			t.Errorf("%02X: %q %v %v %v", byte(tc.t), tc.t.String(), tc.t.Attended(), tc.t.OnlineCapable(), tc.t.OfflineCapable())
		}
	}
}

// Every named bit of every field: Set makes Has true and String name it,
// Clear undoes it, and no two names share a bit.
func TestEveryNamedBit(t *testing.T) {
	type field struct {
		names []bitName
		run   func(bit uint16) (has bool, str string, cleared bool)
	}
	fields := map[string]field{
		"TVR": {namesTVR, func(b uint16) (bool, string, bool) {
			var v TVR
			v.Set(TVRBit(b))
			h, s := v.Has(TVRBit(b)), v.String()
			v.Clear(TVRBit(b))
			return h, s, v == TVR{}
		}},
		"TSI": {namesTSI, func(b uint16) (bool, string, bool) {
			var v TSI
			v.Set(TSIBit(b))
			h, s := v.Has(TSIBit(b)), v.String()
			v.Clear(TSIBit(b))
			return h, s, v == TSI{}
		}},
		"AIP": {namesAIP, func(b uint16) (bool, string, bool) {
			var v AIP
			v.Set(AIPBit(b))
			h, s := v.Has(AIPBit(b)), v.String()
			v.Clear(AIPBit(b))
			return h, s, v == AIP{}
		}},
		"AUC": {namesAUC, func(b uint16) (bool, string, bool) {
			var v AUC
			v.Set(AUCBit(b))
			h, s := v.Has(AUCBit(b)), v.String()
			v.Clear(AUCBit(b))
			return h, s, v == AUC{}
		}},
		"TTQ": {namesTTQ, func(b uint16) (bool, string, bool) {
			var v TTQ
			v.Set(TTQBit(b))
			h, s := v.Has(TTQBit(b)), v.String()
			v.Clear(TTQBit(b))
			return h, s, v == TTQ{}
		}},
		"CTQ": {namesCTQ, func(b uint16) (bool, string, bool) {
			var v CTQ
			v.Set(CTQBit(b))
			h, s := v.Has(CTQBit(b)), v.String()
			v.Clear(CTQBit(b))
			return h, s, v == CTQ{}
		}},
		"TerminalCapabilities": {namesTerminalCapabilities, func(b uint16) (bool, string, bool) {
			var v TerminalCapabilities
			v.Set(TerminalCapabilitiesBit(b))
			h, s := v.Has(TerminalCapabilitiesBit(b)), v.String()
			v.Clear(TerminalCapabilitiesBit(b))
			return h, s, v == TerminalCapabilities{}
		}},
		"AdditionalTerminalCapabilities": {namesAdditionalTerminalCapabilities, func(b uint16) (bool, string, bool) {
			var v AdditionalTerminalCapabilities
			v.Set(AdditionalTerminalCapabilitiesBit(b))
			h, s := v.Has(AdditionalTerminalCapabilitiesBit(b)), v.String()
			v.Clear(AdditionalTerminalCapabilitiesBit(b))
			return h, s, v == AdditionalTerminalCapabilities{}
		}},
	}
	for name, f := range fields {
		seen := map[uint16]bool{}
		for _, nb := range f.names {
			if seen[nb.bit] || nb.bit&0xFF == 0 || nb.bit&(nb.bit-1)&0xFF != 0 {
				t.Errorf("%s: bit %04X repeated or not a single bit", name, nb.bit)
			}
			seen[nb.bit] = true
			has, str, cleared := f.run(nb.bit)
			if !has || str != nb.name || !cleared {
				t.Errorf("%s: bit %04X: has %v, String %q, cleared %v", name, nb.bit, has, str, cleared)
			}
		}
	}
}
