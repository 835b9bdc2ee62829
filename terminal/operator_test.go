package terminal

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/poskit/poskit/iso8583"
)

// fastArgon2 keeps the tests quick; the rules do not depend on the cost.
var fastArgon2 = Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32}

func newTestOperators(t testing.TB, maxFailures int) *Operators {
	t.Helper()
	ops, err := NewOperators(OperatorConfig{Argon2: fastArgon2, MaxFailures: maxFailures})
	if err != nil {
		t.Fatal(err)
	}
	if err := ops.Add("00", "480265", RoleSupervisor); err != nil {
		t.Fatal(err)
	}
	if err := ops.Add("01", "7391", RoleOperator); err != nil {
		t.Fatal(err)
	}
	return ops
}

// TestArgon2idVectors checks the parameter mapping against the Argon2id
// vectors of the reference implementation (P-H-C/phc-winner-argon2,
// src/test.c, version 0x13, password "password", salt "somesalt").
func TestArgon2idVectors(t *testing.T) {
	cases := []struct {
		p    Argon2Params
		want string
	}{
		{Argon2Params{Time: 2, MemoryKiB: 1 << 16, Threads: 1, KeyLen: 32},
			"09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"},
		{Argon2Params{Time: 2, MemoryKiB: 256, Threads: 1, KeyLen: 32}, "b64:nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"},
	}
	for _, c := range cases {
		var want []byte
		var err error
		if s, ok := strings.CutPrefix(c.want, "b64:"); ok {
			want, err = base64.RawStdEncoding.DecodeString(s)
		} else {
			want, err = hex.DecodeString(c.want)
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := argon2id(c.p, []byte("somesalt"), "password"); !bytes.Equal(got, want) {
			t.Errorf("m=%d t=%d: %x", c.p.MemoryKiB, c.p.Time, got)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	refused := []struct {
		id, pw string
		r      OperatorRole
	}{
		{"01", "0000", RoleOperator},          // the factory default
		{"01", "000000", RoleSupervisor},      // ditto for supervisors
		{"01", "8888", RoleOperator},          // one digit repeated
		{"01", "1212", RoleOperator},          // period 2
		{"01", "0101", RoleOperator},          // the operator number repeated
		{"01", "123123", RoleOperator},        // period 3
		{"01", "1234", RoleOperator},          // ascending run
		{"01", "123456", RoleSupervisor},      // ascending run
		{"01", "7890", RoleOperator},          // ascending run through 0
		{"01", "9876", RoleOperator},          // descending run
		{"01", "210987", RoleOperator},        // descending run through 9
		{"1357", "1357", RoleOperator},        // equal to the operator number
		{"01", "739", RoleOperator},           // too short
		{"01", "73914", RoleSupervisor},       // too short for a supervisor
		{"01", "7391480265731", RoleOperator}, // too long
		{"01", "73a1", RoleOperator},          // not digits
		{"01", "", RoleOperator},
	}
	for _, c := range refused {
		err := CheckPassword(c.id, c.pw, c.r)
		if !errors.Is(err, ErrWeakPassword) {
			t.Errorf("%s/%s (%v): %v, want ErrWeakPassword", c.id, c.pw, c.r, err)
		} else if strings.Contains(err.Error(), c.pw) && c.pw != "" {
			t.Errorf("%s: error shows the password: %v", c.pw, err)
		}
	}
	for _, pw := range []string{"7391", "1235", "112233", "480265", "24680", "135791"} {
		if err := CheckPassword("01", pw, RoleOperator); err != nil {
			t.Errorf("%s refused: %v", pw, err)
		}
	}
}

func TestOperatorAddErrors(t *testing.T) {
	ops := newTestOperators(t, 3)
	cases := []struct {
		id, pw string
		r      OperatorRole
		want   error
	}{
		{"1", "7391", RoleOperator, ErrOperator},
		{"12345", "7391", RoleOperator, ErrOperator},
		{"0a", "7391", RoleOperator, ErrOperator},
		{"02", "7391", OperatorRole(3), ErrOperator},
		{"02", "7391", OperatorRole(0), ErrOperator},
		{"01", "5820", RoleOperator, ErrOperator}, // exists
		{"02", "0000", RoleOperator, ErrWeakPassword},
	}
	for _, c := range cases {
		if err := ops.Add(c.id, c.pw, c.r); !errors.Is(err, c.want) {
			t.Errorf("Add(%s, %v): %v, want %v", c.id, c.r, err, c.want)
		}
	}
	failing, _ := NewOperators(OperatorConfig{Argon2: fastArgon2, Rand: bytes.NewReader([]byte{1, 2, 3})})
	if err := failing.Add("02", "5820", RoleOperator); !errors.Is(err, ErrOperator) {
		t.Errorf("failing salt source: %v", err)
	}
	for _, cfg := range []OperatorConfig{
		{Argon2: Argon2Params{Time: 0, MemoryKiB: 64, Threads: 1, KeyLen: 32}},
		{Argon2: Argon2Params{Time: 1, MemoryKiB: 4, Threads: 1, KeyLen: 32}},
		{Argon2: Argon2Params{Time: 1, MemoryKiB: 64, Threads: 0, KeyLen: 32}},
		{Argon2: Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 8}},
		{Argon2: Argon2Params{Time: 1, MemoryKiB: 1<<20 + 1, Threads: 1, KeyLen: 32}},
		{Argon2: fastArgon2, MaxFailures: 256},
		{Argon2: fastArgon2, MaxFailures: -1},
	} {
		if _, err := NewOperators(cfg); !errors.Is(err, ErrOperator) {
			t.Errorf("NewOperators(%+v): %v", cfg.Argon2, err)
		}
	}
}

// TestOperatorSaltAndHash checks that each operator gets its own random
// salt (the same password hashes differently) and that the stored hash is
// the Argon2id of the password under that salt.
func TestOperatorSaltAndHash(t *testing.T) {
	ops := newTestOperators(t, 3)
	if err := ops.Add("02", "7391", RoleOperator); err != nil {
		t.Fatal(err)
	}
	a, b := ops.ops["01"], ops.ops["02"]
	if a.salt == b.salt || bytes.Equal(a.hash, b.hash) {
		t.Fatal("two operators share a salt or a hash")
	}
	if !bytes.Equal(a.hash, argon2id(fastArgon2, a.salt[:], "7391")) || len(a.hash) != 32 {
		t.Fatal("stored hash is not Argon2id of the password")
	}
}

func TestOperatorLoginAndLockout(t *testing.T) {
	ops := newTestOperators(t, 3)
	if r, err := ops.Login("01", "7391"); err != nil || r != RoleOperator {
		t.Fatalf("login: %v %v", r, err)
	}
	if _, err := ops.Login("09", "7391"); !errors.Is(err, ErrOperatorUnknown) {
		t.Errorf("unknown: %v", err)
	}
	// Two failures, a success resets the count, then three failures lock.
	for i := 0; i < 2; i++ {
		if _, err := ops.Login("01", "7390"); !errors.Is(err, ErrOperatorPassword) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, err := ops.Login("01", "7391"); err != nil {
		t.Fatalf("success after two failures: %v", err)
	}
	for i := 0; i < 2; i++ {
		_, _ = ops.Login("01", "7390")
	}
	if _, err := ops.Login("01", "7390"); !errors.Is(err, ErrOperatorLocked) {
		t.Fatalf("third failure: %v", err)
	}
	if _, err := ops.Login("01", "7391"); !errors.Is(err, ErrOperatorLocked) {
		t.Fatalf("right password while locked: %v", err)
	}
	if got := ops.String(); got != "operator table: 2 operators, 1 supervisors, 1 locked" {
		t.Errorf("String %q", got)
	}
	// Only a supervisor unlocks, with the right password.
	if err := ops.Add("02", "5820", RoleOperator); err != nil {
		t.Fatal(err)
	}
	if err := ops.Unlock("02", "5820", "01"); !errors.Is(err, ErrNotSupervisor) {
		t.Errorf("unlock by an operator: %v", err)
	}
	if err := ops.Unlock("00", "480266", "01"); !errors.Is(err, ErrOperatorPassword) {
		t.Errorf("unlock with a wrong supervisor password: %v", err)
	}
	if err := ops.Unlock("00", "480265", "07"); !errors.Is(err, ErrOperatorUnknown) {
		t.Errorf("unlock of an unknown operator: %v", err)
	}
	if err := ops.Unlock("00", "480265", "01"); err != nil {
		t.Fatal(err)
	}
	if _, err := ops.Login("01", "7391"); err != nil {
		t.Errorf("after unlock: %v", err)
	}
	ops.Remove("02")
	if _, err := ops.Login("02", "5820"); !errors.Is(err, ErrOperatorUnknown) {
		t.Errorf("after Remove: %v", err)
	}
}

// TestAuthorize: voids and refunds need the supervisor; sales do not.
func TestAuthorize(t *testing.T) {
	ops := newTestOperators(t, 5)
	for _, k := range []iso8583.Kind{iso8583.KindVoid, iso8583.KindRefund, iso8583.KindPreAuthVoid, iso8583.KindCompletionVoid} {
		if err := ops.Authorize("01", "7391", k); !errors.Is(err, ErrNotSupervisor) {
			t.Errorf("%v by an operator: %v", k, err)
		}
		if err := ops.Authorize("00", "480265", k); err != nil {
			t.Errorf("%v by the supervisor: %v", k, err)
		}
	}
	for _, k := range []iso8583.Kind{iso8583.KindSale, iso8583.KindPreAuth, iso8583.KindBalanceInquiry} {
		if err := ops.Authorize("01", "7391", k); err != nil {
			t.Errorf("%v by an operator: %v", k, err)
		}
	}
	if err := ops.Authorize("00", "000000", iso8583.KindVoid); !errors.Is(err, ErrOperatorPassword) {
		t.Errorf("wrong supervisor password: %v", err)
	}
	err := ops.Authorize("01", "7391", iso8583.KindRefund)
	if err == nil || err.Error() != "terminal: supervisor required: refund by operator 01" {
		t.Errorf("error text %q", err)
	}
}

func TestChangePassword(t *testing.T) {
	ops := newTestOperators(t, 3)
	old := ops.ops["01"].salt
	if err := ops.ChangePassword("01", "7391", "1234"); !errors.Is(err, ErrWeakPassword) {
		t.Errorf("weak new password: %v", err)
	}
	if err := ops.ChangePassword("01", "7390", "5820"); !errors.Is(err, ErrOperatorPassword) {
		t.Errorf("wrong old password: %v", err)
	}
	if err := ops.ChangePassword("01", "7391", "5820"); err != nil {
		t.Fatal(err)
	}
	if ops.ops["01"].salt == old {
		t.Error("salt not renewed")
	}
	if _, err := ops.Login("01", "7391"); !errors.Is(err, ErrOperatorPassword) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := ops.Login("01", "5820"); err != nil {
		t.Errorf("new password: %v", err)
	}
	failing, _ := NewOperators(OperatorConfig{Argon2: fastArgon2})
	_ = failing.Add("03", "5820", RoleOperator)
	failing.rand = bytes.NewReader(nil)
	if err := failing.ChangePassword("03", "5820", "6931"); !errors.Is(err, ErrOperator) {
		t.Errorf("failing salt source: %v", err)
	}
}

func TestOperatorsNeverPrint(t *testing.T) {
	ops := newTestOperators(t, 3)
	h := ops.ops["01"].hash
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d"} {
		{
			out := fmt.Sprintf(verb, ops)
			for _, secret := range []string{"7391", "480265", fmt.Sprintf("%x", h), fmt.Sprint(h[:4])} {
				if strings.Contains(out, secret) {
					t.Errorf("%s printed a secret: %s", verb, out)
				}
			}
		}
	}
}

func TestOperatorsBinary(t *testing.T) {
	ops := newTestOperators(t, 3)
	_, _ = ops.Login("01", "0007") // one failure is persisted
	b, err := ops.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Operators
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if again, _ := back.MarshalBinary(); !bytes.Equal(again, b) {
		t.Fatal("round trip changed the table")
	}
	if r, err := back.Login("00", "480265"); err != nil || r != RoleSupervisor {
		t.Fatalf("supervisor after round trip: %v", err)
	}
	for i := 0; i < 1; i++ {
		_, _ = back.Login("01", "0007")
	}
	if _, err := back.Login("01", "0007"); !errors.Is(err, ErrOperatorLocked) {
		t.Fatalf("failure count not persisted: %v", err)
	}
	if err := back.Add("04", "5820", RoleOperator); err != nil { // a zero Operators has a salt source
		t.Fatal(err)
	}
	var zero Operators
	if err := zero.Add("05", "5820", RoleOperator); err != nil { // defaults apply
		t.Fatal(err)
	}
	if zero.ops["05"].params != DefaultArgon2 {
		t.Error("zero Operators does not use DefaultArgon2")
	}
	// The first operator record starts after the 18-byte header: length 2,
	// "00", role, failures, 10 bytes of parameters, salt, hash.
	const rec = 18
	corrupt := map[string][]byte{
		"empty":            nil,
		"magic":            append([]byte("PKOX\x01"), b[5:]...),
		"zero limit":       patchByte(b, 5, 0),
		"table params":     patchBytes(b, 6, []byte{0, 0, 0, 0}),
		"count too big":    patchBytes(b, 16, []byte{0, 9}),
		"count too small":  patchBytes(b, 16, []byte{0, 1}),
		"trailing":         append(bytes.Clone(b), 0),
		"truncated":        b[:len(b)-1],
		"number length":    patchByte(b, rec, 9),
		"number digits":    patchByte(b, rec+1, 'x'),
		"role":             patchByte(b, rec+3, 7),
		"operator params":  patchBytes(b, rec+5, []byte{0, 0, 0, 0}),
		"huge key length":  patchByte(b, rec+14, 64),
		"duplicate number": patchByte(b, rec+3+12+16+32+2, '0'),
		"huge memory":      patchBytes(b, rec+9, []byte{0x7F, 0xFF, 0xFF, 0xFF}),
	}
	for name, c := range corrupt {
		var x Operators
		if err := x.UnmarshalBinary(c); !errors.Is(err, ErrOperatorTable) {
			t.Errorf("%s: %v, want ErrOperatorTable", name, err)
		}
	}
}

// TestOperatorsConcurrent logs in from several goroutines while another
// adds, changes and marshals; run with -race.
func TestOperatorsConcurrent(t *testing.T) {
	ops := newTestOperators(t, 200)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				_, _ = ops.Login("01", "7391")
				_, _ = ops.Login("01", "7390")
				_ = ops.Authorize("00", "480265", iso8583.KindVoid)
				_ = ops.String()
			}
		}()
	}
	for i := 0; i < 10; i++ {
		_ = ops.Add(fmt.Sprintf("%02d", 10+i), "5820", RoleOperator)
		if _, err := ops.MarshalBinary(); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
}

func FuzzOperatorsUnmarshal(f *testing.F) {
	ops := newTestOperators(f, 3)
	b, _ := ops.MarshalBinary()
	f.Add(b)
	f.Add([]byte("PKOP\x01\x05\x00\x00\x00\x01\x00\x00\x00\x40\x01\x20\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var x Operators
		if err := x.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrOperatorTable) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		enc, err := x.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, data) {
			t.Fatalf("re-encoding differs:\n%x\n%x", enc, data)
		}
		_ = x.String()
	})
}

// The terminal refuses the factory default password, then lets an
// operator sell but asks for the supervisor's password for a void.
func ExampleOperators_Authorize() {
	ops, _ := NewOperators(OperatorConfig{Argon2: Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32}})
	fmt.Println(ops.Add("01", "0000", RoleOperator))
	_ = ops.Add("01", "7391", RoleOperator)
	_ = ops.Add("00", "480265", RoleSupervisor)

	fmt.Println(ops.Authorize("01", "7391", iso8583.KindSale))
	fmt.Println(ops.Authorize("01", "7391", iso8583.KindVoid))
	fmt.Println(ops.Authorize("00", "480265", iso8583.KindVoid))
	fmt.Println(ops)
	// Output:
	// terminal: password refused: one to three digits repeated
	// <nil>
	// terminal: supervisor required: void by operator 01
	// <nil>
	// operator table: 2 operators, 1 supervisors, 0 locked
}
