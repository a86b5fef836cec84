#include "textflag.h"

// One group of four lanes at byte offset R10 (floats); their spike bits
// are left in BX:
//   e, g := ge, gi;  ge = e*ee;  gi = g*ei
//   vn := ((v*em + c0) + e*ke) + g*ki
//   nr := rel <= s;  v' = nr ? vn : v
//   sp := nr && v' > vt;  v = sp ? vr : v';  bits = sp
// Y0-Y6 are scratch; the coefficients live in Y7-Y15. All four inputs are
// loaded before the first store: the slices may lie at the same offset in
// their pages, and a load after a store 4 KiB apart stalls (4K aliasing).
#define LANES4(off) \
	VMOVUPD off(DI)(R10*1), Y0 \
	VMOVUPD off(SI)(R10*1), Y1 \
	VMOVUPD off(DX)(R10*1), Y2 \
	VMOVUPD off(R8)(R10*1), Y5 \
	VMULPD  Y10, Y1, Y3 \
	VMOVUPD Y3, off(SI)(R10*1) \
	VMULPD  Y9, Y2, Y3 \
	VMOVUPD Y3, off(DX)(R10*1) \
	VMULPD  Y14, Y0, Y3 \
	VADDPD  Y13, Y3, Y3 \
	VMULPD  Y12, Y1, Y4 \
	VADDPD  Y4, Y3, Y3 \
	VMULPD  Y11, Y2, Y4 \
	VADDPD  Y4, Y3, Y3 \
	VCMPPD  $2, Y15, Y5, Y5 \
	VBLENDVPD Y5, Y3, Y0, Y3 \
	VCMPPD  $0x1e, Y8, Y3, Y6 \
	VANDPD  Y5, Y6, Y6 \
	VBLENDVPD Y6, Y7, Y3, Y3 \
	VMOVUPD Y3, off(DI)(R10*1) \
	VMOVMSKPD Y6, BX

// func cubaAVX(v, ge, gi, rel *float64, mask *byte, n int, s float64, c *kcoef)
// kcoef: em, c0, ke, ki, ee, ei, vt, vr. n is a positive multiple of 4;
// mask gets one byte per eight neurons (bit b: neuron 8j+b spiked).
TEXT ·cubaAVX(SB), NOSPLIT, $0-64
	MOVQ v+0(FP), DI
	MOVQ ge+8(FP), SI
	MOVQ gi+16(FP), DX
	MOVQ rel+24(FP), R8
	MOVQ mask+32(FP), R9
	MOVQ n+40(FP), CX
	VBROADCASTSD s+48(FP), Y15
	MOVQ c+56(FP), AX
	VBROADCASTSD 0(AX), Y14  // em
	VBROADCASTSD 8(AX), Y13  // c0
	VBROADCASTSD 16(AX), Y12 // ke
	VBROADCASTSD 24(AX), Y11 // ki
	VBROADCASTSD 32(AX), Y10 // ee
	VBROADCASTSD 40(AX), Y9  // ei
	VBROADCASTSD 48(AX), Y8  // vt
	VBROADCASTSD 56(AX), Y7  // vr
	XORQ R10, R10            // byte offset into the float slices
	XORQ R11, R11            // byte offset into mask
	MOVQ CX, R12
	ANDQ $-8, R12
	SHLQ $3, R12             // end of the pairs of groups
	SHLQ $3, CX              // end
	CMPQ R10, R12
	JEQ  tail
loop8:
	LANES4(0)
	MOVQ BX, R13
	LANES4(32)
	SHLQ $4, BX
	ORQ  R13, BX
	MOVB BX, (R9)(R11*1)
	ADDQ $64, R10
	INCQ R11
	CMPQ R10, R12
	JNE  loop8
tail:
	CMPQ R10, CX
	JEQ  done
	LANES4(0)
	MOVB BX, (R9)(R11*1)
done:
	VZEROUPPER
	RET
