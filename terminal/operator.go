package terminal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"golang.org/x/crypto/argon2"

	"github.com/poskit/poskit/iso8583"
)

// Errors of the operator table; test them with errors.Is. They never carry
// a password or a hash.
var (
	// ErrOperator reports an operator number that is not 2 to 4 digits, an
	// unknown role, a number already in the table, or Argon2 parameters
	// out of range.
	ErrOperator = errors.New("terminal: invalid operator")
	// ErrOperatorUnknown reports an operator number not in the table.
	ErrOperatorUnknown = errors.New("terminal: unknown operator")
	// ErrOperatorPassword reports a wrong password; it counts towards the
	// lockout.
	ErrOperatorPassword = errors.New("terminal: wrong operator password")
	// ErrOperatorLocked reports an operator locked after too many wrong
	// passwords, until a supervisor unlocks it.
	ErrOperatorLocked = errors.New("terminal: operator locked")
	// ErrWeakPassword reports a password the table refuses: see
	// [Operators.Add].
	ErrWeakPassword = errors.New("terminal: password refused")
	// ErrNotSupervisor reports a kind of transaction, or an
	// administration step, that needs a supervisor.
	ErrNotSupervisor = errors.New("terminal: supervisor required")
	// ErrOperatorTable reports a binary form that is not a valid operator
	// table.
	ErrOperatorTable = errors.New("terminal: invalid operator table")
)

// OperatorRole is what an operator may do.
type OperatorRole uint8

// Roles.
const (
	// RoleOperator opens the terminal and performs sales.
	RoleOperator OperatorRole = 1
	// RoleSupervisor also authorises voids and refunds and unlocks
	// operators (主管).
	RoleSupervisor OperatorRole = 2
)

// String names the role.
func (r OperatorRole) String() string {
	switch r {
	case RoleOperator:
		return "operator"
	case RoleSupervisor:
		return "supervisor"
	}
	return "unknown"
}

// Argon2Params are the Argon2id parameters of a password hash (RFC 9106).
type Argon2Params struct {
	Time      uint32 // passes, 1 to 16
	MemoryKiB uint32 // memory in KiB, 8×Threads to 1048576 (1 GiB)
	Threads   uint8  // lanes, 1 to 16
	KeyLen    uint8  // hash length in bytes, 16 to 64
}

// DefaultArgon2 is the OWASP Password Storage Cheat Sheet minimum for
// Argon2id: 2 passes over 19 MiB, one lane, a 32-byte hash. A terminal
// with the memory may use RFC 9106's second recommended option instead (3
// passes, 64 MiB, 4 lanes). Every hash keeps the parameters it was made
// with, so a change applies to new passwords only.
var DefaultArgon2 = Argon2Params{Time: 2, MemoryKiB: 19 * 1024, Threads: 1, KeyLen: 32}

func (p Argon2Params) valid() bool {
	return p.Time >= 1 && p.Time <= 16 && p.Threads >= 1 && p.Threads <= 16 &&
		p.MemoryKiB >= 8*uint32(p.Threads) && p.MemoryKiB <= 1<<20 && p.KeyLen >= 16 && p.KeyLen <= 64
}

const saltLen = 16

// OperatorConfig configures an operator table.
type OperatorConfig struct {
	// Argon2 are the parameters of new hashes; zero means DefaultArgon2.
	Argon2 Argon2Params
	// MaxFailures is the number of consecutive wrong passwords that locks
	// an operator, 1 to 255; zero means 5.
	MaxFailures int
	// Rand is the source of salts; nil means crypto/rand.
	Rand io.Reader
}

// operator is one entry of the table.
type operator struct {
	role     OperatorRole
	failures uint8
	params   Argon2Params
	salt     [saltLen]byte
	hash     []byte
}

// Operators is the operator table of a terminal: operator numbers with
// Argon2id password hashes (a random salt each, compared in constant
// time), roles and lockout counters. It is safe for concurrent use; create
// it with NewOperators, or unmarshal into a zero Operators (which otherwise
// has the defaults of NewOperators). Its
// String, GoString and Format print counts only, never a password or hash.
// The failure counters are part of the table: persist it with
// MarshalBinary after each check so a restart does not reset them.
type Operators struct {
	mu          sync.Mutex
	params      Argon2Params
	maxFailures uint8
	rand        io.Reader
	ops         map[string]*operator
}

// NewOperators returns an empty table.
//
// Errors: ErrOperator for parameters out of range.
func NewOperators(cfg OperatorConfig) (*Operators, error) {
	if cfg.Argon2 == (Argon2Params{}) {
		cfg.Argon2 = DefaultArgon2
	}
	if cfg.MaxFailures == 0 {
		cfg.MaxFailures = 5
	}
	if !cfg.Argon2.valid() || cfg.MaxFailures < 1 || cfg.MaxFailures > 255 {
		return nil, fmt.Errorf("%w: Argon2 parameters or failure limit out of range", ErrOperator)
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	return &Operators{params: cfg.Argon2, maxFailures: uint8(cfg.MaxFailures), rand: cfg.Rand,
		ops: make(map[string]*operator)}, nil
}

// validID reports whether id is 2 to 4 digits.
func validID(id string) bool {
	if len(id) < 2 || len(id) > 4 {
		return false
	}
	_, ok := parseDigits(id)
	return ok
}

// CheckPassword applies the password rules of [Operators.Add] for an
// operator id with role r.
//
// Errors: ErrWeakPassword, saying which rule.
func CheckPassword(id, password string, r OperatorRole) error {
	minLen := 4
	if r == RoleSupervisor {
		minLen = 6
	}
	if _, ok := parseDigits(password); !ok || len(password) < minLen || len(password) > 12 {
		return fmt.Errorf("%w: %d to 12 digits for a %v", ErrWeakPassword, minLen, r)
	}
	if password == id {
		return fmt.Errorf("%w: equal to the operator number", ErrWeakPassword)
	}
	for period := 1; period <= 3; period++ {
		rep := true
		for i := period; i < len(password); i++ {
			rep = rep && password[i] == password[i-period]
		}
		if rep {
			return fmt.Errorf("%w: one to three digits repeated", ErrWeakPassword)
		}
	}
	up, down := true, true
	for i := 1; i < len(password); i++ {
		d := (int(password[i]) - int(password[i-1]) + 10) % 10
		up, down = up && d == 1, down && d == 9
	}
	if up || down {
		return fmt.Errorf("%w: a run of consecutive digits", ErrWeakPassword)
	}
	return nil
}

// settings returns the table's parameters, failure limit and salt source,
// with the defaults of NewOperators for a zero Operators. The caller holds
// t.mu.
func (t *Operators) settings() (Argon2Params, uint8, io.Reader) {
	p, m, r := t.params, t.maxFailures, t.rand
	if p == (Argon2Params{}) {
		p = DefaultArgon2
	}
	if m == 0 {
		m = 5
	}
	if r == nil {
		r = rand.Reader
	}
	return p, m, r
}

func (t *Operators) newOperator(role OperatorRole, password string) (*operator, error) {
	t.mu.Lock()
	params, _, rnd := t.settings()
	t.mu.Unlock()
	op := &operator{role: role, params: params}
	if _, err := io.ReadFull(rnd, op.salt[:]); err != nil {
		return nil, fmt.Errorf("%w: salt: %v", ErrOperator, err)
	}
	op.hash = op.derive(password)
	return op, nil
}

func (op *operator) derive(password string) []byte {
	return argon2id(op.params, op.salt[:], password)
}

// argon2id hashes password with salt under p (RFC 9106, version 0x13).
func argon2id(p Argon2Params, salt []byte, password string) []byte {
	return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(p.KeyLen))
}

// Add enters a new operator with its password, which must be digits, 4 to
// 12 of them (6 to 12 for a supervisor), not the operator number, not a
// repetition of one to three digits (0000, 1212, 123123: the 01/0000
// factory defaults) and not a run of consecutive digits (1234, 987654).
//
// Errors: ErrOperator (number, role, duplicate, salt source),
// ErrWeakPassword.
func (t *Operators) Add(id, password string, r OperatorRole) error {
	if !validID(id) || (r != RoleOperator && r != RoleSupervisor) {
		return fmt.Errorf("%w: number must be 2 to 4 digits, role operator or supervisor", ErrOperator)
	}
	if err := CheckPassword(id, password, r); err != nil {
		return err
	}
	op, err := t.newOperator(r, password)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, dup := t.ops[id]; dup {
		return fmt.Errorf("%w: operator %s exists", ErrOperator, id)
	}
	if t.ops == nil {
		t.ops = make(map[string]*operator)
	}
	t.ops[id] = op
	return nil
}

// Remove deletes an operator, if present.
func (t *Operators) Remove(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.ops, id)
}

// Login checks an operator's password and returns its role. A wrong
// password counts a failure; the last allowed failure locks the operator,
// and a locked operator is refused even with the right password. A right
// password resets the count.
//
// Errors: ErrOperatorUnknown, ErrOperatorLocked, ErrOperatorPassword.
func (t *Operators) Login(id, password string) (OperatorRole, error) {
	t.mu.Lock()
	op, ok := t.ops[id]
	var snap operator
	if ok {
		snap = *op
	}
	_, maxFailures, _ := t.settings()
	t.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrOperatorUnknown, id)
	}
	if snap.failures >= maxFailures {
		return 0, fmt.Errorf("%w: %s", ErrOperatorLocked, id)
	}
	good := subtle.ConstantTimeCompare(snap.derive(password), snap.hash) == 1
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ops[id] != op { // removed or replaced meanwhile
		return 0, fmt.Errorf("%w: %s", ErrOperatorUnknown, id)
	}
	_, maxFailures, _ = t.settings()
	if op.failures >= maxFailures {
		return 0, fmt.Errorf("%w: %s", ErrOperatorLocked, id)
	}
	if !good {
		op.failures++
		if op.failures >= maxFailures {
			return 0, fmt.Errorf("%w: %s after %d wrong passwords", ErrOperatorLocked, id, op.failures)
		}
		return 0, fmt.Errorf("%w: %s, %d of %d", ErrOperatorPassword, id, op.failures, maxFailures)
	}
	op.failures = 0
	return op.role, nil
}

// NeedsSupervisor reports whether kind k needs a supervisor: voids and
// refunds (消费撤销, 退货, 预授权撤销, 预授权完成撤销).
func NeedsSupervisor(k iso8583.Kind) bool {
	switch k {
	case iso8583.KindVoid, iso8583.KindRefund, iso8583.KindPreAuthVoid, iso8583.KindCompletionVoid:
		return true
	}
	return false
}

// Authorize checks id's password as [Operators.Login] does and then that
// its role may perform kind k: a kind for which [NeedsSupervisor] is true
// needs a supervisor.
//
// Errors: those of Login, ErrNotSupervisor.
func (t *Operators) Authorize(id, password string, k iso8583.Kind) error {
	r, err := t.Login(id, password)
	if err != nil {
		return err
	}
	if NeedsSupervisor(k) && r != RoleSupervisor {
		return fmt.Errorf("%w: %v by operator %s", ErrNotSupervisor, k, id)
	}
	return nil
}

// Unlock resets the failure count of operator id, after checking the
// supervisor's password.
//
// Errors: those of Login for the supervisor, ErrNotSupervisor,
// ErrOperatorUnknown for id.
func (t *Operators) Unlock(supervisor, password, id string) error {
	r, err := t.Login(supervisor, password)
	if err != nil {
		return err
	}
	if r != RoleSupervisor {
		return fmt.Errorf("%w: unlock by operator %s", ErrNotSupervisor, supervisor)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	op, ok := t.ops[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrOperatorUnknown, id)
	}
	op.failures = 0
	return nil
}

// ChangePassword replaces id's password after checking the old one; the
// new one follows the rules of [Operators.Add] and gets a new salt.
//
// Errors: those of Login, ErrWeakPassword, ErrOperator (salt source).
func (t *Operators) ChangePassword(id, oldPassword, newPassword string) error {
	r, err := t.Login(id, oldPassword)
	if err != nil {
		return err
	}
	if err := CheckPassword(id, newPassword, r); err != nil {
		return err
	}
	op, err := t.newOperator(r, newPassword)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.ops[id]; !ok {
		return fmt.Errorf("%w: %s", ErrOperatorUnknown, id)
	}
	t.ops[id] = op
	return nil
}

// counts returns the number of operators, supervisors and locked ones.
func (t *Operators) counts() (n, supervisors, locked int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, maxFailures, _ := t.settings()
	for _, op := range t.ops {
		n++
		if op.role == RoleSupervisor {
			supervisors++
		}
		if op.failures >= maxFailures {
			locked++
		}
	}
	return n, supervisors, locked
}

// String prints counts only.
func (t *Operators) String() string {
	n, s, l := t.counts()
	return fmt.Sprintf("operator table: %d operators, %d supervisors, %d locked", n, s, l)
}

// GoString is String, so %#v prints no hash.
func (t *Operators) GoString() string { return t.String() }

// Format prints String for every verb.
func (t *Operators) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(t.String())) }

// operatorMagic starts the binary form: "PKOP" and format 1.
var operatorMagic = []byte{'P', 'K', 'O', 'P', 1}

func appendParams(b []byte, p Argon2Params) []byte {
	b = binary.BigEndian.AppendUint32(b, p.Time)
	b = binary.BigEndian.AppendUint32(b, p.MemoryKiB)
	return append(b, p.Threads, p.KeyLen)
}

func readParams(b []byte) Argon2Params {
	return Argon2Params{Time: binary.BigEndian.Uint32(b), MemoryKiB: binary.BigEndian.Uint32(b[4:]),
		Threads: b[8], KeyLen: b[9]}
}

// MarshalBinary encodes the table for a Store: magic "PKOP" 01, the
// failure limit, the Argon2 parameters of new hashes (time and memory 4
// bytes each, threads, key length), the count (2 bytes) and each operator
// in ascending number order as number length and number, role, failure
// count, its Argon2 parameters, salt (16 bytes) and hash.
func (t *Operators) MarshalBinary() ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ids := make([]string, 0, len(t.ops))
	for id := range t.ops {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	params, maxFailures, _ := t.settings()
	b := append([]byte(nil), operatorMagic...)
	b = appendParams(append(b, maxFailures), params)
	b = binary.BigEndian.AppendUint16(b, uint16(len(ids)))
	for _, id := range ids {
		op := t.ops[id]
		b = append(append(b, byte(len(id))), id...)
		b = appendParams(append(b, byte(op.role), op.failures), op.params)
		b = append(append(b, op.salt[:]...), op.hash...)
	}
	return b, nil
}

// UnmarshalBinary replaces the table's operators, failure limit and
// parameters with those data encodes, which must be in the canonical form
// MarshalBinary writes (numbers in ascending order, no trailing bytes); the salt source is kept (crypto/rand
// for a zero Operators). Parameters are bounded as in [NewOperators], so a
// corrupted table cannot make a check run away with memory.
//
// Errors: ErrOperatorTable, naming the offset of the fault.
func (t *Operators) UnmarshalBinary(data []byte) error {
	bad := func(off int, what string) error {
		return fmt.Errorf("%w: offset %d: %s", ErrOperatorTable, off, what)
	}
	head := len(operatorMagic) + 1 + 10 + 2
	if len(data) < head || string(data[:len(operatorMagic)]) != string(operatorMagic) {
		return bad(0, "not an operator table")
	}
	off := len(operatorMagic)
	maxFailures, params := data[off], readParams(data[off+1:])
	if maxFailures == 0 || !params.valid() {
		return bad(off, "failure limit or Argon2 parameters out of range")
	}
	count := int(binary.BigEndian.Uint16(data[off+11:]))
	off = head
	ops := make(map[string]*operator, min(count, len(data)/32))
	prev := ""
	for range count {
		if off >= len(data) || len(data)-off < 1+int(data[off])+12+saltLen {
			return bad(off, "truncated operator")
		}
		n := int(data[off])
		id := string(data[off+1 : off+1+n])
		off += 1 + n
		op := &operator{role: OperatorRole(data[off]), failures: data[off+1], params: readParams(data[off+2:])}
		off += 12
		if id <= prev || !validID(id) || (op.role != RoleOperator && op.role != RoleSupervisor) || !op.params.valid() {
			return bad(off-12-n-1, "operator number, role or parameters out of range")
		}
		copy(op.salt[:], data[off:])
		off += saltLen
		if len(data)-off < int(op.params.KeyLen) {
			return bad(off, "truncated hash")
		}
		op.hash = append([]byte(nil), data[off:off+int(op.params.KeyLen)]...)
		off += int(op.params.KeyLen)
		ops[id], prev = op, id
	}
	if off != len(data) {
		return bad(off, "trailing bytes")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.maxFailures, t.params, t.ops = maxFailures, params, ops
	return nil
}
