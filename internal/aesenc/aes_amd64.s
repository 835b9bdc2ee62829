//go:build amd64 && !purego

#include "textflag.h"

// AES-NI primitives for package aesenc. Round keys are stored as the bytes
// of the FIPS 197 word sequence w[0], w[1], ...: round key r is bytes
// 16r..16r+15, which is also the byte order AESENC expects.
//
// Key expansion keeps the last Nk words of the schedule in XMM registers
// (word j of a register is bytes 4j..4j+3 of the key, so "shift left by 4
// bytes" moves w[j] to position j+1). AESKEYGENASSIST with immediate rcon
// on a register holding words (a, b, c, d) yields
//	(SubWord(b), RotWord(SubWord(b))^rcon, SubWord(d), RotWord(SubWord(d))^rcon)
// so PSHUFD picks and broadcasts the term FIPS 197 section 5.2 needs.

// PREFIXXOR replaces the four words of R by their running XOR:
// (a, b, c, d) -> (a, a^b, a^b^c, a^b^c^d). T is a scratch register.
#define PREFIXXOR(R, T) \
	MOVO  R, T;  \
	PSLLO $4, T; \
	PXOR  T, R;  \
	MOVO  R, T;  \
	PSLLO $8, T; \
	PXOR  T, R

// STEP128 derives the next AES-128 round key in X1 from the previous one
// and stores it at OFF(DI):
// w[i] = w[i-4] ^ SubWord(RotWord(w[i-1])) ^ Rcon for i = 0 mod 4, then a running XOR.
#define STEP128(RCON, OFF) \
	AESKEYGENASSIST $RCON, X1, X2; \
	PSHUFD          $0xff, X2, X2; \
	PREFIXXOR(X1, X4);             \
	PXOR            X2, X1;        \
	MOVOU           X1, OFF(DI)

// STEP192 derives the next six AES-192 words. X1 holds w[i-6..i-3] and the
// low half of X3 holds w[i-2..i-1]; afterwards they hold w[i..i+3] and
// w[i+4..i+5]. The upper half of X3 is scratch: words 0 and 1 of a running
// XOR never depend on words 2 and 3.
#define STEP192(RCON) \
	AESKEYGENASSIST $RCON, X3, X2; \
	PSHUFD          $0x55, X2, X2; \
	PREFIXXOR(X1, X4);             \
	PXOR            X2, X1;        \
	PSHUFD          $0xff, X1, X5; \
	MOVO            X3, X4;        \
	PSLLO           $4, X4;        \
	PXOR            X4, X3;        \
	PXOR            X5, X3

// STEP256A derives the even AES-256 round key (i = 0 mod 8) into X1 from X1
// and the odd one in X3; STEP256B the odd one (i = 4 mod 8, SubWord without
// RotWord or Rcon) into X3 from X3 and X1.
#define STEP256A(RCON, OFF) \
	AESKEYGENASSIST $RCON, X3, X2; \
	PSHUFD          $0xff, X2, X2; \
	PREFIXXOR(X1, X4);             \
	PXOR            X2, X1;        \
	MOVOU           X1, OFF(DI)

#define STEP256B(OFF) \
	AESKEYGENASSIST $0x00, X1, X2; \
	PSHUFD          $0xaa, X2, X2; \
	PREFIXXOR(X3, X4);             \
	PXOR            X2, X3;        \
	MOVOU           X3, OFF(DI)

// func expandKeyAsm(nr int, key *byte, enc *[240]byte)
TEXT ·expandKeyAsm(SB), NOSPLIT, $0-24
	MOVQ nr+0(FP), CX
	MOVQ key+8(FP), SI
	MOVQ enc+16(FP), DI
	MOVOU (SI), X1
	MOVOU X1, 0(DI)
	CMPQ CX, $12
	JB   exp128
	JE   exp192

	// AES-256: Nk = 8, 15 round keys.
	MOVOU 16(SI), X3
	MOVOU X3, 16(DI)
	STEP256A(0x01, 32)
	STEP256B(48)
	STEP256A(0x02, 64)
	STEP256B(80)
	STEP256A(0x04, 96)
	STEP256B(112)
	STEP256A(0x08, 128)
	STEP256B(144)
	STEP256A(0x10, 160)
	STEP256B(176)
	STEP256A(0x20, 192)
	STEP256B(208)
	STEP256A(0x40, 224)
	JMP done

exp192:
	// AES-192: Nk = 6, 52 words stored six at a time (24 bytes).
	MOVQ 16(SI), X3
	MOVQ X3, 16(DI)
	STEP192(0x01)
	MOVOU X1, 24(DI)
	MOVQ  X3, 40(DI)
	STEP192(0x02)
	MOVOU X1, 48(DI)
	MOVQ  X3, 64(DI)
	STEP192(0x04)
	MOVOU X1, 72(DI)
	MOVQ  X3, 88(DI)
	STEP192(0x08)
	MOVOU X1, 96(DI)
	MOVQ  X3, 112(DI)
	STEP192(0x10)
	MOVOU X1, 120(DI)
	MOVQ  X3, 136(DI)
	STEP192(0x20)
	MOVOU X1, 144(DI)
	MOVQ  X3, 160(DI)
	STEP192(0x40)
	MOVOU X1, 168(DI)
	MOVQ  X3, 184(DI)
	// Last step: only w[48..51] are part of the schedule.
	AESKEYGENASSIST $0x80, X3, X2
	PSHUFD          $0x55, X2, X2
	PREFIXXOR(X1, X4)
	PXOR            X2, X1
	MOVOU           X1, 192(DI)
	JMP done

exp128:
	// AES-128: Nk = 4, 11 round keys.
	STEP128(0x01, 16)
	STEP128(0x02, 32)
	STEP128(0x04, 48)
	STEP128(0x08, 64)
	STEP128(0x10, 80)
	STEP128(0x20, 96)
	STEP128(0x40, 112)
	STEP128(0x80, 128)
	STEP128(0x1b, 144)
	STEP128(0x36, 160)

done:
	// Leave no key material in the vector registers.
	PXOR X1, X1
	PXOR X2, X2
	PXOR X3, X3
	PXOR X4, X4
	PXOR X5, X5
	RET

// func encryptBlockAsm(nr int, enc *[240]byte, dst, src *byte)
TEXT ·encryptBlockAsm(SB), NOSPLIT, $0-32
	MOVQ nr+0(FP), CX
	MOVQ enc+8(FP), AX
	MOVQ dst+16(FP), DX
	MOVQ src+24(FP), BX
	MOVOU (BX), X0
	MOVOU 0(AX), X1
	PXOR  X1, X0
	CMPQ  CX, $12
	JB    enc128
	JE    enc192
	MOVOU 16(AX), X1
	AESENC X1, X0
	MOVOU 32(AX), X1
	AESENC X1, X0
	ADDQ  $32, AX

enc192:
	MOVOU 16(AX), X1
	AESENC X1, X0
	MOVOU 32(AX), X1
	AESENC X1, X0
	ADDQ  $32, AX

enc128:
	MOVOU 16(AX), X1
	AESENC X1, X0
	MOVOU 32(AX), X1
	AESENC X1, X0
	MOVOU 48(AX), X1
	AESENC X1, X0
	MOVOU 64(AX), X1
	AESENC X1, X0
	MOVOU 80(AX), X1
	AESENC X1, X0
	MOVOU 96(AX), X1
	AESENC X1, X0
	MOVOU 112(AX), X1
	AESENC X1, X0
	MOVOU 128(AX), X1
	AESENC X1, X0
	MOVOU 144(AX), X1
	AESENC X1, X0
	MOVOU 160(AX), X1
	AESENCLAST X1, X0
	// src is read in full before dst is written, so any overlap is safe.
	MOVOU X0, (DX)
	PXOR  X0, X0
	PXOR  X1, X1
	RET

// func cpuHasAES() bool
TEXT ·cpuHasAES(SB), NOSPLIT, $0-1
	// CPUID leaf 1: ECX bit 25 reports the AES instructions (AESENC,
	// AESENCLAST, AESKEYGENASSIST, ...).
	MOVL $1, AX
	XORL CX, CX
	CPUID
	SHRL $25, CX
	ANDL $1, CX
	MOVB CX, ret+0(FP)
	RET
