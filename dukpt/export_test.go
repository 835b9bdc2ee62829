package dukpt

import (
	"encoding/binary"
)

// Test hooks: put an originator at an arbitrary valid counter, with the
// registers it would hold there, computed along each counter's path from the
// initial key (the receiver's way) rather than by running the originator.

// SeekTDES sets o (loaded from ipek) to counter c.
func SeekTDES(o *TDESOriginator, ipek []byte, c uint32) {
	o.mu.Lock()
	defer o.mu.Unlock()
	base := tdesCryptoBase(o.ksn[:])
	o.regs = [tdesRegisters][16]byte{}
	for j, x := range registerCounters(uint64(c), tdesRegisters, tdesMaxOnes) {
		if x == 0 {
			continue
		}
		transactionKey(regOf(ipek), nil, base, uint32(x)).put(o.regs[j][:])
	}
	o.counter = c
}

// SeekAES sets o (loaded from initialKey) to counter c.
func SeekAES(o *AESOriginator, initialKey []byte, c uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.regs = [aesRegisters][32]byte{}
	idLow := binary.BigEndian.Uint32(o.id[4:])
	for j, x := range registerCounters(c, aesRegisters, aesMaxOnes) {
		if x == 0 {
			continue
		}
		ik, err := newAES(initialKey)
		if err != nil {
			panic(err)
		}
		if _, err := intermediate(ik, o.t, idLow, uint32(x), o.regs[j][:]); err != nil {
			panic(err)
		}
		clear(o.regs[j][o.t.Size():])
	}
	o.counter = c
}

// DeviceCacheLen returns how many terminals r's cache holds.
func (r *TDESReceiver) DeviceCacheLen() int {
	if r.cache == nil {
		return 0
	}
	return r.cache.len()
}

// DeviceCacheLen returns how many terminals r's cache holds.
func (r *AESReceiver) DeviceCacheLen() int {
	if r.cache == nil {
		return 0
	}
	return r.cache.len()
}
