#include "textflag.h"

// func rotateAVX(x, y []float64, c, s float64)
// len(x) is a positive multiple of 4; y is at least as long.
TEXT ·rotateAVX(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	VBROADCASTSD c+48(FP), Y0
	VBROADCASTSD s+56(FP), Y1
	SHRQ $2, CX
loop:
	VMOVUPD (SI), Y2        // x
	VMOVUPD (DI), Y3        // y
	VMULPD  Y2, Y1, Y4      // s*x
	VMULPD  Y3, Y0, Y5      // c*y
	VADDPD  Y5, Y4, Y4      // s*x + c*y
	VMULPD  Y2, Y0, Y6      // c*x
	VMULPD  Y3, Y1, Y7      // s*y
	VSUBPD  Y7, Y6, Y6      // c*x - s*y
	VMOVUPD Y4, (DI)
	VMOVUPD Y6, (SI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     loop
	VZEROUPPER
	RET

