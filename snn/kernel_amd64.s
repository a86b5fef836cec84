#include "textflag.h"

// func cubaAVX(v, ge, gi, rel *float64, mask *byte, n int, s float64, c *kcoef)
// kcoef: em, c0, ke, ki, ee, ei, vt, vr. Per lane:
//   e, g := ge, gi;  ge = e*ee;  gi = g*ei
//   vn := ((v*em + c0) + e*ke) + g*ki
//   nr := rel <= s;  v' = nr ? vn : v
//   sp := nr && v' > vt;  v = sp ? vr : v';  mask bit = sp
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
	SHRQ $2, CX
	JZ   done
loop:
	VMOVUPD (DI), Y0         // v
	VMOVUPD (SI), Y1         // e
	VMOVUPD (DX), Y2         // g
	VMULPD  Y10, Y1, Y3      // e*ee
	VMOVUPD Y3, (SI)
	VMULPD  Y9, Y2, Y3       // g*ei
	VMOVUPD Y3, (DX)
	VMULPD  Y14, Y0, Y3      // v*em
	VADDPD  Y13, Y3, Y3      // + c0
	VMULPD  Y12, Y1, Y4      // e*ke
	VADDPD  Y4, Y3, Y3
	VMULPD  Y11, Y2, Y4      // g*ki
	VADDPD  Y4, Y3, Y3       // vn
	VMOVUPD (R8), Y5         // rel
	VCMPPD  $2, Y15, Y5, Y5  // nr = rel <= s
	VBLENDVPD Y5, Y3, Y0, Y3 // nr ? vn : v
	VCMPPD  $0x1e, Y8, Y3, Y6 // v' > vt (ordered, quiet)
	VANDPD  Y5, Y6, Y6       // spike
	VBLENDVPD Y6, Y7, Y3, Y3 // spike ? vr : v'
	VMOVUPD Y3, (DI)
	VMOVMSKPD Y6, BX
	MOVB    BX, (R9)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	INCQ    R9
	DECQ    CX
	JNZ     loop
done:
	VZEROUPPER
	RET
