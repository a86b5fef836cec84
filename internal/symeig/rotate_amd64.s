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

// func sweepAVX(row *float64, stride, count int, c, s *float64, wide bool)
// Applies count rotations to a strip of 16 columns (wide) or 4 columns of
// consecutive rows: rotation q (q = 0 … count-1) acts on the rows at
// row − q·stride (x) and row − (q−1)·stride (y) with c[−q], s[−q]; the
// lower row is carried in registers between rotations. stride is in
// elements; row points at the row of the first x.
TEXT ·sweepAVX(SB), NOSPLIT, $0-41
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	MOVB wide+40(FP), DX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI              // DI: the y row (row + stride)
	TESTB DL, DL
	JZ   narrow
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
wloop:
	VBROADCASTSD (AX), Y4    // c
	VBROADCASTSD (BX), Y5    // s
	VMOVUPD      (SI), Y6    // x
	VMULPD       Y6, Y5, Y7  // s*x
	VMULPD       Y0, Y4, Y8  // c*y
	VADDPD       Y8, Y7, Y7  // s*x + c*y
	VMOVUPD      Y7, (DI)
	VMULPD       Y6, Y4, Y6  // c*x
	VMULPD       Y0, Y5, Y8  // s*y
	VSUBPD       Y8, Y6, Y0  // c*x - s*y: the next y
	VMOVUPD      32(SI), Y6
	VMULPD       Y6, Y5, Y7
	VMULPD       Y1, Y4, Y8
	VADDPD       Y8, Y7, Y7
	VMOVUPD      Y7, 32(DI)
	VMULPD       Y6, Y4, Y6
	VMULPD       Y1, Y5, Y8
	VSUBPD       Y8, Y6, Y1
	VMOVUPD      64(SI), Y6
	VMULPD       Y6, Y5, Y7
	VMULPD       Y2, Y4, Y8
	VADDPD       Y8, Y7, Y7
	VMOVUPD      Y7, 64(DI)
	VMULPD       Y6, Y4, Y6
	VMULPD       Y2, Y5, Y8
	VSUBPD       Y8, Y6, Y2
	VMOVUPD      96(SI), Y6
	VMULPD       Y6, Y5, Y7
	VMULPD       Y3, Y4, Y8
	VADDPD       Y8, Y7, Y7
	VMOVUPD      Y7, 96(DI)
	VMULPD       Y6, Y4, Y6
	VMULPD       Y3, Y5, Y8
	VSUBPD       Y8, Y6, Y3
	MOVQ         SI, DI
	SUBQ         R8, SI
	SUBQ         $8, AX
	SUBQ         $8, BX
	DECQ         CX
	JNZ          wloop
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VZEROUPPER
	RET
narrow:
	VMOVUPD (DI), Y0
nloop:
	VBROADCASTSD (AX), Y4
	VBROADCASTSD (BX), Y5
	VMOVUPD      (SI), Y6
	VMULPD       Y6, Y5, Y7
	VMULPD       Y0, Y4, Y8
	VADDPD       Y8, Y7, Y7
	VMOVUPD      Y7, (DI)
	VMULPD       Y6, Y4, Y6
	VMULPD       Y0, Y5, Y8
	VSUBPD       Y8, Y6, Y0
	MOVQ         SI, DI
	SUBQ         R8, SI
	SUBQ         $8, AX
	SUBQ         $8, BX
	DECQ         CX
	JNZ          nloop
	VMOVUPD Y0, (DI)
	VZEROUPPER
	RET

// func sweepFMA(row *float64, stride, count int, c, s *float64, wide bool)
// sweepAVX with fused multiply-adds: y = fma(s, x, c·y), x = fma(c, x, −s·y).
// Applies count rotations to a strip of 16 columns (wide) or 4 columns of
// consecutive rows: rotation q (q = 0 … count-1) acts on the rows at
// row − q·stride (x) and row − (q−1)·stride (y) with c[−q], s[−q]; the
// lower row is carried in registers between rotations. stride is in
// elements; row points at the row of the first x.
TEXT ·sweepFMA(SB), NOSPLIT, $0-41
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	MOVB wide+40(FP), DX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI              // DI: the y row (row + stride)
	TESTB DL, DL
	JZ   narrow
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
wloop:
	VBROADCASTSD (AX), Y4    // c
	VBROADCASTSD (BX), Y5    // s
	VMOVUPD      (SI), Y6
	VMULPD       Y0, Y4, Y7      // c*y
	VFMADD231PD  Y6, Y5, Y7      // s*x + c*y, rounded once
	VMOVUPD      Y7, (DI)
	VMULPD       Y0, Y5, Y8      // s*y
	VFMSUB231PD  Y6, Y4, Y8      // c*x - s*y, rounded once
	VMOVAPD      Y8, Y0
	VMOVUPD      32(SI), Y6
	VMULPD       Y1, Y4, Y7      // c*y
	VFMADD231PD  Y6, Y5, Y7      // s*x + c*y, rounded once
	VMOVUPD      Y7, 32(DI)
	VMULPD       Y1, Y5, Y8      // s*y
	VFMSUB231PD  Y6, Y4, Y8      // c*x - s*y, rounded once
	VMOVAPD      Y8, Y1
	VMOVUPD      64(SI), Y6
	VMULPD       Y2, Y4, Y7      // c*y
	VFMADD231PD  Y6, Y5, Y7      // s*x + c*y, rounded once
	VMOVUPD      Y7, 64(DI)
	VMULPD       Y2, Y5, Y8      // s*y
	VFMSUB231PD  Y6, Y4, Y8      // c*x - s*y, rounded once
	VMOVAPD      Y8, Y2
	VMOVUPD      96(SI), Y6
	VMULPD       Y3, Y4, Y7      // c*y
	VFMADD231PD  Y6, Y5, Y7      // s*x + c*y, rounded once
	VMOVUPD      Y7, 96(DI)
	VMULPD       Y3, Y5, Y8      // s*y
	VFMSUB231PD  Y6, Y4, Y8      // c*x - s*y, rounded once
	VMOVAPD      Y8, Y3
	MOVQ         SI, DI
	SUBQ         R8, SI
	SUBQ         $8, AX
	SUBQ         $8, BX
	DECQ         CX
	JNZ          wloop
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VZEROUPPER
	RET
narrow:
	VMOVUPD (DI), Y0
nloop:
	VBROADCASTSD (AX), Y4
	VBROADCASTSD (BX), Y5
	VMOVUPD      (SI), Y6
	VMULPD       Y0, Y4, Y7      // c*y
	VFMADD231PD  Y6, Y5, Y7      // s*x + c*y, rounded once
	VMOVUPD      Y7, (DI)
	VMULPD       Y0, Y5, Y8      // s*y
	VFMSUB231PD  Y6, Y4, Y8      // c*x - s*y, rounded once
	VMOVAPD      Y8, Y0
	MOVQ         SI, DI
	SUBQ         R8, SI
	SUBQ         $8, AX
	SUBQ         $8, BX
	DECQ         CX
	JNZ          nloop
	VMOVUPD Y0, (DI)
	VZEROUPPER
	RET
