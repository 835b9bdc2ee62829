package emv

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func tvrOf(bits ...TVRBit) TVR {
	var t TVR
	for _, b := range bits {
		t.Set(b)
	}
	return t
}

// TestActionAnalysis follows the rules of EMV Book 3 section 10.7, one
// case per rule, with online-capable and offline-only terminals.
func TestActionAnalysis(t *testing.T) {
	exception := tvrOf(TVRExceptionFile)
	floor := tvrOf(TVRFloorLimitExceeded)
	odaNot := tvrOf(TVROfflineDataAuthNotPerformed)
	tac := ActionCodes{Denial: exception, Online: floor, Default: odaNot}
	all := IssuerActionCodes{HasDenial: true, HasOnline: true, HasDefault: true}
	withIAC := func(d, o, f TVR) IssuerActionCodes {
		return IssuerActionCodes{ActionCodes{d, o, f}, true, true, true}
	}
	cases := []struct {
		rule   string
		tvr    TVR
		tac    ActionCodes
		iac    IssuerActionCodes
		online bool
		want   ACType
	}{
		{"10.7: no TVR bit set, online capable: no online match, TC", TVR{}, tac, IssuerActionCodes{}, true, ACTypeTC},
		{"10.7: no TVR bit set, offline only: no default match, TC", TVR{}, tac, IssuerActionCodes{}, false, ACTypeTC},
		{"10.7 denial: TVR bit in TAC-Denial gives AAC", exception, tac, all, true, ACTypeAAC},
		{"10.7 denial: TVR bit in IAC-Denial gives AAC", tvrOf(TVRExpired), tac, withIAC(tvrOf(TVRExpired), TVR{}, TVR{}), true, ACTypeAAC},
		{"10.7 denial: absent IAC-Denial is all zeros", tvrOf(TVRExpired), ActionCodes{}, IssuerActionCodes{HasOnline: true, HasDefault: true}, true, ACTypeTC},
		{"10.7 denial before online: both match, AAC", tvrOf(TVRExceptionFile, TVRFloorLimitExceeded), tac, all, true, ACTypeAAC},
		{"10.7 online: TVR bit in TAC-Online gives ARQC", floor, tac, all, true, ACTypeARQC},
		{"10.7 online: TVR bit in IAC-Online gives ARQC", tvrOf(TVRNewCard), tac, withIAC(TVR{}, tvrOf(TVRNewCard), TVR{}), true, ACTypeARQC},
		{"10.7 online: absent IAC-Online is all ones, any bit gives ARQC", tvrOf(TVRNewCard), ActionCodes{}, IssuerActionCodes{HasDenial: true, HasDefault: true}, true, ACTypeARQC},
		{"10.7 online: bit in neither online code gives TC", tvrOf(TVRNewCard), tac, all, true, ACTypeTC},
		{"10.7 online: only default codes match, online capable ignores them: TC", odaNot, tac, all, true, ACTypeTC},
		{"10.7 offline only: TVR bit in TAC-Default gives AAC", odaNot, tac, all, false, ACTypeAAC},
		{"10.7 offline only: TVR bit in IAC-Default gives AAC", tvrOf(TVRNewCard), tac, withIAC(TVR{}, TVR{}, tvrOf(TVRNewCard)), false, ACTypeAAC},
		{"10.7 offline only: absent IAC-Default is all ones, any bit gives AAC", tvrOf(TVRNewCard), ActionCodes{}, IssuerActionCodes{HasDenial: true, HasOnline: true}, false, ACTypeAAC},
		{"10.7 offline only: online codes are not consulted, TC", floor, tac, all, false, ACTypeTC},
		{"10.7: a bit in byte 5 is compared as well", tvrOf(TVRIssuerAuthFailed), ActionCodes{Denial: tvrOf(TVRIssuerAuthFailed)}, all, true, ACTypeAAC},
	}
	for _, c := range cases {
		if got := ActionAnalysis(c.tvr, c.tac, c.iac, c.online); got != c.want {
			t.Errorf("%s: %v, want %v", c.rule, got, c.want)
		}
		p := AIDParams{TAC: c.tac}
		if got := p.ActionAnalysis(c.tvr, c.iac, c.online); got != c.want {
			t.Errorf("%s (AIDParams): %v, want %v", c.rule, got, c.want)
		}
	}
}

// TestUnableToGoOnline follows the default action analysis of EMV Book 3
// section 10.7 for a terminal that requested an ARQC and could not reach
// the host.
func TestUnableToGoOnline(t *testing.T) {
	tac := ActionCodes{Default: tvrOf(TVROfflineDataAuthNotPerformed)}
	all := IssuerActionCodes{HasDenial: true, HasOnline: true, HasDefault: true}
	cases := []struct {
		rule string
		tvr  TVR
		iac  IssuerActionCodes
		want ACType
	}{
		{"10.7 unable online: TVR bit in TAC-Default gives AAC", tvrOf(TVROfflineDataAuthNotPerformed, TVRFloorLimitExceeded), all, ACTypeAAC},
		{"10.7 unable online: TVR bit in IAC-Default gives AAC", tvrOf(TVRFloorLimitExceeded),
			IssuerActionCodes{ActionCodes{Default: tvrOf(TVRFloorLimitExceeded)}, true, true, true}, ACTypeAAC},
		{"10.7 unable online: no default match gives TC", tvrOf(TVRFloorLimitExceeded), all, ACTypeTC},
		{"10.7 unable online: absent IAC-Default is all ones", tvrOf(TVRFloorLimitExceeded), IssuerActionCodes{HasDenial: true}, ACTypeAAC},
		{"10.7 unable online: empty TVR gives TC", TVR{}, IssuerActionCodes{}, ACTypeTC},
	}
	for _, c := range cases {
		if got := UnableToGoOnline(c.tvr, tac, c.iac); got != c.want {
			t.Errorf("%s: %v, want %v", c.rule, got, c.want)
		}
		if got := (AIDParams{TAC: tac}).UnableToGoOnline(c.tvr, c.iac); got != c.want {
			t.Errorf("%s (AIDParams): %v, want %v", c.rule, got, c.want)
		}
	}
}

func TestReadIssuerActionCodes(t *testing.T) {
	// A record template 70 with IAC-Default, IAC-Denial, IAC-Online.
	rec := mustHexCAPK(t, "7018 9F0D05B860AC8800 9F0E050010000000 9F0F05B468BC9800")
	iac, err := ReadIssuerActionCodes(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := IssuerActionCodes{ActionCodes{
		Denial:  TVR{0x00, 0x10, 0x00, 0x00, 0x00},
		Online:  TVR{0xB4, 0x68, 0xBC, 0x98, 0x00},
		Default: TVR{0xB8, 0x60, 0xAC, 0x88, 0x00},
	}, true, true, true}
	if iac != want {
		t.Fatalf("%+v, want %+v", iac, want)
	}
	iac, err = ReadIssuerActionCodes(mustHexCAPK(t, "9F0E050010000000"))
	if err != nil || !iac.HasDenial || iac.HasOnline || iac.HasDefault {
		t.Fatalf("denial only: %+v %v", iac, err)
	}
	if _, err := ReadIssuerActionCodes(mustHexCAPK(t, "9F0F04B468BC98")); !errors.Is(err, ErrFieldLength) ||
		!strings.Contains(err.Error(), "9F0F") {
		t.Fatalf("short IAC: %v", err)
	}
	if _, err := ReadIssuerActionCodes(mustHexCAPK(t, "9F0D05B860")); !errors.Is(err, ErrValueOutOfBounds) {
		t.Fatalf("truncated TLV: %v", err)
	}
}

// TestCheckFloorLimit follows EMV Book 3 section 10.6.1: an amount equal
// to or greater than the floor limit sets the TVR bit.
func TestCheckFloorLimit(t *testing.T) {
	p := AIDParams{FloorLimit: 10000}
	for _, c := range []struct {
		amount int64
		want   bool
	}{{0, false}, {9999, false}, {10000, true}, {10001, true}, {maxAmount, true}} {
		var tvr TVR
		if err := p.CheckFloorLimit(c.amount, &tvr); err != nil {
			t.Fatal(err)
		}
		if tvr.Has(TVRFloorLimitExceeded) != c.want || tvr != tvrOf(TVRFloorLimitExceeded) && c.want {
			t.Errorf("10.6.1 amount %d: %v", c.amount, tvr)
		}
	}
	var tvr TVR
	if err := (AIDParams{}).CheckFloorLimit(0, &tvr); err != nil || !tvr.Has(TVRFloorLimitExceeded) {
		t.Errorf("10.6.1 floor limit zero, amount zero: %v %v", tvr, err)
	}
	for _, a := range []int64{-1, maxAmount + 1} {
		if err := p.CheckFloorLimit(a, &tvr); !errors.Is(err, ErrAmount) {
			t.Errorf("amount %d: %v", a, err)
		}
	}
}

// percentByte returns the byte randomPercent maps to n (1 to 99).
func percentByte(n int) byte { return byte(n - 1) }

// TestSelectRandomly follows EMV Book 3 section 10.6.2 with floor limit
// 10000, threshold 5000, target 20 % and maximum 80 %: the transaction
// target percent is 20 below the threshold and 20 + 60 × (amount − 5000) /
// 5000 from there to the floor limit.
func TestSelectRandomly(t *testing.T) {
	p := AIDParams{FloorLimit: 10000, Threshold: 5000, TargetPercent: 20, MaxTargetPercent: 80}
	cases := []struct {
		rule   string
		amount int64
		n      int
		want   bool
	}{
		{"10.6.2 below threshold: random equal to target selects", 1000, 20, true},
		{"10.6.2 below threshold: random above target does not", 1000, 21, false},
		{"10.6.2 below threshold: random 1 selects", 0, 1, true},
		{"10.6.2 at threshold: target percent is the target", 5000, 20, true},
		{"10.6.2 at threshold: one above does not select", 5000, 21, false},
		{"10.6.2 biased: halfway, 50 %, random 50 selects", 7500, 50, true},
		{"10.6.2 biased: halfway, random 51 does not", 7500, 51, false},
		{"10.6.2 biased: 9999 gives 79.988 %, random 79 selects", 9999, 79, true},
		{"10.6.2 biased: 9999, random 80 does not", 9999, 80, false},
		{"10.6.2 biased: 6001 gives 32.012 %, random 32 selects", 6001, 32, true},
		{"10.6.2 biased: 6001, random 33 does not", 6001, 33, false},
	}
	for _, c := range cases {
		got, err := p.SelectRandomly(c.amount, bytes.NewReader([]byte{percentByte(c.n)}))
		if err != nil || got != c.want {
			t.Errorf("%s: %v %v, want %v", c.rule, got, err, c.want)
		}
	}
	// At or above the floor limit nothing is drawn (an empty reader would fail).
	if got, err := p.SelectRandomly(10000, bytes.NewReader(nil)); got || err != nil {
		t.Errorf("10.6.2 at floor limit: %v %v", got, err)
	}
	// Target 0 never selects; threshold equal to the floor limit has no biased range.
	q := AIDParams{FloorLimit: 5000, Threshold: 5000, MaxTargetPercent: 99}
	if got, _ := q.SelectRandomly(4999, bytes.NewReader([]byte{0})); got {
		t.Error("target 0 selected")
	}
	if _, err := p.SelectRandomly(100, nil); err != nil {
		t.Errorf("crypto/rand: %v", err)
	}
}

// TestRandomPercent checks the byte mapping: 0 → 1, 197 → 99, bytes from
// 198 are discarded, a failing or hostile reader gives ErrRandom.
func TestRandomPercent(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want int64
	}{{[]byte{0}, 1}, {[]byte{98}, 99}, {[]byte{99}, 1}, {[]byte{197}, 99}, {[]byte{198, 255, 5}, 6}} {
		got, err := randomPercent(bytes.NewReader(c.in))
		if err != nil || got != c.want {
			t.Errorf("% X: %d %v, want %d", c.in, got, err, c.want)
		}
	}
	if _, err := randomPercent(bytes.NewReader(nil)); !errors.Is(err, ErrRandom) {
		t.Errorf("empty reader: %v", err)
	}
	if _, err := randomPercent(bytes.NewReader(bytes.Repeat([]byte{0xFF}, 40))); !errors.Is(err, ErrRandom) {
		t.Errorf("hostile reader: %v", err)
	}
	p := AIDParams{FloorLimit: 100}
	if _, err := p.SelectRandomly(1, bytes.NewReader(nil)); !errors.Is(err, ErrRandom) {
		t.Errorf("SelectRandomly with a failing reader: %v", err)
	}
	for _, a := range []int64{-1, maxAmount + 1} {
		if _, err := p.SelectRandomly(a, nil); !errors.Is(err, ErrAmount) {
			t.Errorf("amount %d: %v", a, err)
		}
	}
}

// TestSelectRandomlyRational cross-checks the integer comparison against
// an independent evaluation of the book's formula with exact rationals
// (math/big.Rat) over 20,000 random parameter sets.
func TestSelectRandomlyRational(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		floor := rng.Int64N(maxAmount) + 1
		thr := rng.Int64N(floor + 1)
		maxT := uint8(rng.IntN(100))
		tgt := uint8(rng.IntN(int(maxT) + 1))
		amount := rng.Int64N(floor)
		n := rng.IntN(99) + 1
		p := AIDParams{FloorLimit: floor, Threshold: thr, TargetPercent: tgt, MaxTargetPercent: maxT}
		got, err := p.SelectRandomly(amount, bytes.NewReader([]byte{percentByte(n)}))
		if err != nil {
			t.Fatal(err)
		}
		ttp := new(big.Rat).SetInt64(int64(tgt))
		if amount >= thr {
			frac := big.NewRat(amount-thr, floor-thr)
			ttp.Add(ttp, frac.Mul(frac, new(big.Rat).SetInt64(int64(maxT)-int64(tgt))))
		}
		want := new(big.Rat).SetInt64(int64(n)).Cmp(ttp) <= 0
		if got != want {
			t.Fatalf("floor %d threshold %d target %d max %d amount %d random %d: %v, want %v",
				floor, thr, tgt, maxT, amount, n, got, want)
		}
	}
}

func TestRiskManagement(t *testing.T) {
	p := AIDParams{FloorLimit: 10000, Threshold: 5000, TargetPercent: 20, MaxTargetPercent: 80}
	var tvr TVR
	if err := p.RiskManagement(1000, &tvr, true, bytes.NewReader([]byte{percentByte(5)})); err != nil ||
		tvr != tvrOf(TVRRandomlySelected) {
		t.Errorf("selected: %v %v", tvr, err)
	}
	tvr = TVR{}
	if err := p.RiskManagement(1000, &tvr, false, bytes.NewReader(nil)); err != nil || tvr != (TVR{}) {
		t.Errorf("offline only draws nothing: %v %v", tvr, err)
	}
	if err := p.RiskManagement(20000, &tvr, true, bytes.NewReader(nil)); err != nil || tvr != tvrOf(TVRFloorLimitExceeded) {
		t.Errorf("over the floor limit: %v %v", tvr, err)
	}
	if err := p.RiskManagement(-5, &tvr, true, nil); !errors.Is(err, ErrAmount) {
		t.Errorf("negative: %v", err)
	}
	if err := p.RiskManagement(1, &tvr, true, bytes.NewReader(nil)); !errors.Is(err, ErrRandom) {
		t.Errorf("failing reader: %v", err)
	}
}

func TestAIDParamsValidate(t *testing.T) {
	good := AIDParams{AID: mustHexCAPK(t, "A000000333010101"), Partial: true, Version: [2]byte{0, 0x30},
		FloorLimit: 50000, Threshold: 10000, TargetPercent: 10, MaxTargetPercent: 50,
		DefaultDDOL: mustHexCAPK(t, "9F3704"), DefaultTDOL: mustHexCAPK(t, "9F0206"), ContactlessCVMLimit: 100000,
		ContactlessFloorLimit: -1, ContactlessTransactionLimit: -1}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	if ta := good.TerminalAID(); !ta.Partial || !ta.Matches(mustHexCAPK(t, "A00000033301010199")) {
		t.Error("TerminalAID")
	}
	cases := []struct {
		name string
		f    func(*AIDParams)
	}{
		{"short AID", func(p *AIDParams) { p.AID = p.AID[:4] }},
		{"long AID", func(p *AIDParams) { p.AID = make([]byte, 17) }},
		{"negative floor", func(p *AIDParams) { p.FloorLimit = -1 }},
		{"floor over 12 digits", func(p *AIDParams) { p.FloorLimit = maxAmount + 1 }},
		{"negative threshold", func(p *AIDParams) { p.Threshold = -1 }},
		{"threshold over floor", func(p *AIDParams) { p.Threshold = 50001 }},
		{"max over 99", func(p *AIDParams) { p.MaxTargetPercent = 100 }},
		{"target over max", func(p *AIDParams) { p.TargetPercent = 51 }},
		{"contactless limit", func(p *AIDParams) { p.ContactlessCVMLimit = maxAmount + 1 }},
		{"DDOL", func(p *AIDParams) { p.DefaultDDOL = mustHexCAPK(t, "9F37") }},
		{"TDOL", func(p *AIDParams) { p.DefaultTDOL = mustHexCAPK(t, "9F") }},
	}
	for _, c := range cases {
		p := good
		c.f(&p)
		err := p.Validate()
		if !errors.Is(err, ErrAIDParams) || strings.Count(err.Error(), "emv:") != 1 {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// naiveActionAnalysis is the baseline of the benchmark: the rules written
// bit by bit with TVR.Has over the 40 bits.
func naiveActionAnalysis(tvr TVR, tac ActionCodes, iac IssuerActionCodes, online bool) ACType {
	hit := func(a, b TVR) bool {
		for byteNo := 1; byteNo <= 5; byteNo++ {
			for bit := 0; bit < 8; bit++ {
				b8 := TVRBit(byteNo<<8 | 1<<bit)
				if tvr.Has(b8) && (a.Has(b8) || b.Has(b8)) {
					return true
				}
			}
		}
		return false
	}
	if hit(tac.Denial, iac.denial()) {
		return ACTypeAAC
	}
	if !online {
		if hit(tac.Default, iac.fallback()) {
			return ACTypeAAC
		}
		return ACTypeTC
	}
	if hit(tac.Online, iac.online()) {
		return ACTypeARQC
	}
	return ACTypeTC
}

// TestNaiveAgrees checks that the benchmark baseline decides as
// ActionAnalysis over random inputs, so the ratio compares equals.
func TestNaiveAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var buf [35]byte
	for i := 0; i < 5000; i++ {
		for j := range buf {
			r := rng.Uint32() // sparse bytes: about one bit in eight set
			buf[j] = byte(r) & byte(r>>8) & byte(r>>16)
		}
		tvr, tac := TVR(buf[0:5]), ActionCodes{TVR(buf[5:10]), TVR(buf[10:15]), TVR(buf[15:20])}
		iac := IssuerActionCodes{ActionCodes{TVR(buf[20:25]), TVR(buf[25:30]), TVR(buf[30:35])},
			rng.IntN(2) == 0, rng.IntN(2) == 0, rng.IntN(2) == 0}
		online := rng.IntN(2) == 0
		if a, b := ActionAnalysis(tvr, tac, iac, online), naiveActionAnalysis(tvr, tac, iac, online); a != b {
			t.Fatalf("case %d: %v vs %v", i, a, b)
		}
	}
}

var benchAC ACType

func benchInputs() (TVR, ActionCodes, IssuerActionCodes) {
	// TACs of a typical UnionPay contact profile; a TVR with only "ODA not
	// performed" and "floor limit exceeded": the analysis goes the whole
	// way to the online codes.
	tac := ActionCodes{
		Denial:  TVR{0x00, 0x10, 0x00, 0x00, 0x00},
		Online:  TVR{0xD8, 0x40, 0x04, 0xF8, 0x00},
		Default: TVR{0xD8, 0x40, 0x00, 0xA8, 0x00},
	}
	iac := IssuerActionCodes{ActionCodes{Online: TVR{0, 0, 0, 0x80, 0}}, true, true, false}
	return tvrOf(TVROfflineDataAuthNotPerformed, TVRFloorLimitExceeded), tac, iac
}

func BenchmarkActionAnalysis(b *testing.B) {
	tvr, tac, iac := benchInputs()
	b.ReportAllocs()
	for b.Loop() {
		benchAC = ActionAnalysis(tvr, tac, iac, true)
	}
}

func BenchmarkActionAnalysisNaive(b *testing.B) {
	tvr, tac, iac := benchInputs()
	b.ReportAllocs()
	for b.Loop() {
		benchAC = naiveActionAnalysis(tvr, tac, iac, true)
	}
}

func TestActionAnalysisAllocs(t *testing.T) {
	tvr, tac, iac := benchInputs()
	if n := testing.AllocsPerRun(100, func() { benchAC = ActionAnalysis(tvr, tac, iac, true) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

// FuzzReadIssuerActionCodes: any input gives codes or an error, never a
// panic; codes found are 5 bytes and flagged present.
func FuzzReadIssuerActionCodes(f *testing.F) {
	f.Add(mustHexCAPK(f, "70189F0D05B860AC88009F0E0500100000009F0F05B468BC9800"))
	f.Add(mustHexCAPK(f, "9F0F04B468BC98"))
	f.Add(mustHexCAPK(f, "9F0D05B860"))
	f.Fuzz(func(t *testing.T, data []byte) {
		iac, err := ReadIssuerActionCodes(data)
		if err != nil {
			if iac != (IssuerActionCodes{}) {
				t.Fatal("codes returned with an error")
			}
			return
		}
		if v, ok, _ := Find(data, 0x9F0E); ok != iac.HasDenial || ok && !bytes.Equal(v, iac.Denial[:]) {
			t.Fatal("denial code differs from Find")
		}
		_ = ActionAnalysis(TVR{0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, ActionCodes{}, iac, true)
	})
}
