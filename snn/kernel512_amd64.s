#include "textflag.h"

// func cubaAVX512(v, ge, gi, rel *float64, mask *byte, n int, s float64, c *kcoef)
// As cubaAVX, eight lanes at a time with opmasks for the blends; n is a
// positive multiple of 8; mask gets one byte per eight neurons.
TEXT ·cubaAVX512(SB), NOSPLIT, $0-64
	MOVQ v+0(FP), DI
	MOVQ ge+8(FP), SI
	MOVQ gi+16(FP), DX
	MOVQ rel+24(FP), R8
	MOVQ mask+32(FP), R9
	MOVQ n+40(FP), CX
	VBROADCASTSD s+48(FP), Z15
	MOVQ c+56(FP), AX
	VBROADCASTSD 0(AX), Z14  // em
	VBROADCASTSD 8(AX), Z13  // c0
	VBROADCASTSD 16(AX), Z12 // ke
	VBROADCASTSD 24(AX), Z11 // ki
	VBROADCASTSD 32(AX), Z10 // ee
	VBROADCASTSD 40(AX), Z9  // ei
	VBROADCASTSD 48(AX), Z8  // vt
	VBROADCASTSD 56(AX), Z7  // vr
	XORQ R10, R10            // byte offset into the float slices
	XORQ R11, R11            // offset into mask
	SHLQ $3, CX              // end
loop:
	VMOVUPD (DI)(R10*1), Z0  // v
	VMOVUPD (SI)(R10*1), Z1  // e
	VMOVUPD (DX)(R10*1), Z2  // g
	VMOVUPD (R8)(R10*1), Z5  // rel (loaded before the stores: 4K aliasing)
	VMULPD  Z10, Z1, Z3      // e*ee
	VMOVUPD Z3, (SI)(R10*1)
	VMULPD  Z9, Z2, Z3       // g*ei
	VMOVUPD Z3, (DX)(R10*1)
	VMULPD  Z14, Z0, Z3      // v*em
	VADDPD  Z13, Z3, Z3      // + c0
	VMULPD  Z12, Z1, Z4      // e*ke
	VADDPD  Z4, Z3, Z3
	VMULPD  Z11, Z2, Z4      // g*ki
	VADDPD  Z4, Z3, Z3       // vn
	VCMPPD  $0x0d, Z5, Z15, K1 // nr = s >= rel
	VMOVAPD Z3, K1, Z0       // v' = nr ? vn : v
	VCMPPD  $0x1e, Z8, Z0, K1, K2 // spike = nr && v' > vt
	VMOVAPD Z7, K2, Z0       // spike ? vr : v'
	VMOVUPD Z0, (DI)(R10*1)
	KMOVW   K2, BX
	MOVB    BX, (R9)(R11*1)
	ADDQ    $64, R10
	INCQ    R11
	CMPQ    R10, CX
	JNE     loop
	VZEROUPPER
	RET
