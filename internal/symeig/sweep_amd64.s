#include "textflag.h"

// The QL sweep kernels: count rotations applied to a strip of 4·W
// columns (W four-lane chunks) of consecutive rows of a row-major matrix.
// Rotation q (q = 0 … count−1) acts on the rows x = row − q·stride and
// y = x + stride (stride in elements) with c[−q] and s[−q]: y ← s·x + c·y,
// x ← c·x − s·y. The lower row y is carried in registers (Y0 … Y7, one
// per chunk) from one rotation to the next, so each rotation loads and
// stores one row; strips as wide as the matrix keep the two vector ports
// busy where a narrow strip would wait on the carried chain.
// sweepAVX_W multiplies and adds separately (as rotateGo), sweepFMA_W
// fuses: y ← fma(s, x, c·y), x ← fma(c, x, −s·y) (as rotateFMA).
// Registers: Y12 = c, Y13 = s, Y14 = x, Y15, Y8 temporaries.

// ROTAVX(off, YC): one chunk at byte offset off, carried y in YC.
#define ROTAVX(off, YC) \
	VMOVUPD off(SI), Y14; \
	VMULPD  Y14, Y13, Y15; \
	VMULPD  YC, Y12, Y8; \
	VADDPD  Y8, Y15, Y15; \
	VMOVUPD Y15, off(DI); \
	VMULPD  Y14, Y12, Y14; \
	VMULPD  YC, Y13, Y8; \
	VSUBPD  Y8, Y14, YC

#define ROTFMA(off, YC) \
	VMOVUPD     off(SI), Y14; \
	VMULPD      YC, Y12, Y15; \
	VFMADD231PD Y14, Y13, Y15; \
	VMOVUPD     Y15, off(DI); \
	VMULPD      YC, Y13, Y8; \
	VFMSUB231PD Y14, Y12, Y8; \
	VMOVAPD     Y8, YC

// func sweepAVX_1(row *float64, stride, count int, c, s *float64)
TEXT ·sweepAVX_1(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTAVX(0, Y0)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VZEROUPPER
	RET

// func sweepAVX_2(row *float64, stride, count int, c, s *float64)
TEXT ·sweepAVX_2(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTAVX(0, Y0)
	ROTAVX(32, Y1)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VZEROUPPER
	RET

// func sweepAVX_4(row *float64, stride, count int, c, s *float64)
TEXT ·sweepAVX_4(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTAVX(0, Y0)
	ROTAVX(32, Y1)
	ROTAVX(64, Y2)
	ROTAVX(96, Y3)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VZEROUPPER
	RET

// func sweepAVX_6(row *float64, stride, count int, c, s *float64)
TEXT ·sweepAVX_6(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 128(DI), Y4
	VMOVUPD 160(DI), Y5
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTAVX(0, Y0)
	ROTAVX(32, Y1)
	ROTAVX(64, Y2)
	ROTAVX(96, Y3)
	ROTAVX(128, Y4)
	ROTAVX(160, Y5)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VZEROUPPER
	RET

// func sweepAVX_8(row *float64, stride, count int, c, s *float64)
TEXT ·sweepAVX_8(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 128(DI), Y4
	VMOVUPD 160(DI), Y5
	VMOVUPD 192(DI), Y6
	VMOVUPD 224(DI), Y7
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTAVX(0, Y0)
	ROTAVX(32, Y1)
	ROTAVX(64, Y2)
	ROTAVX(96, Y3)
	ROTAVX(128, Y4)
	ROTAVX(160, Y5)
	ROTAVX(192, Y6)
	ROTAVX(224, Y7)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	VZEROUPPER
	RET

// func sweepFMA_1(row *float64, stride, count int, c, s *float64)
TEXT ·sweepFMA_1(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTFMA(0, Y0)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VZEROUPPER
	RET

// func sweepFMA_2(row *float64, stride, count int, c, s *float64)
TEXT ·sweepFMA_2(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTFMA(0, Y0)
	ROTFMA(32, Y1)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VZEROUPPER
	RET

// func sweepFMA_4(row *float64, stride, count int, c, s *float64)
TEXT ·sweepFMA_4(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTFMA(0, Y0)
	ROTFMA(32, Y1)
	ROTFMA(64, Y2)
	ROTFMA(96, Y3)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VZEROUPPER
	RET

// func sweepFMA_6(row *float64, stride, count int, c, s *float64)
TEXT ·sweepFMA_6(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 128(DI), Y4
	VMOVUPD 160(DI), Y5
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTFMA(0, Y0)
	ROTFMA(32, Y1)
	ROTFMA(64, Y2)
	ROTFMA(96, Y3)
	ROTFMA(128, Y4)
	ROTFMA(160, Y5)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VZEROUPPER
	RET

// func sweepFMA_8(row *float64, stride, count int, c, s *float64)
TEXT ·sweepFMA_8(SB), NOSPLIT, $0-40
	MOVQ row+0(FP), SI
	MOVQ stride+8(FP), R8
	MOVQ count+16(FP), CX
	MOVQ c+24(FP), AX
	MOVQ s+32(FP), BX
	SHLQ $3, R8
	MOVQ SI, DI
	ADDQ R8, DI
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 128(DI), Y4
	VMOVUPD 160(DI), Y5
	VMOVUPD 192(DI), Y6
	VMOVUPD 224(DI), Y7
loop:
	VBROADCASTSD (AX), Y12
	VBROADCASTSD (BX), Y13
	ROTFMA(0, Y0)
	ROTFMA(32, Y1)
	ROTFMA(64, Y2)
	ROTFMA(96, Y3)
	ROTFMA(128, Y4)
	ROTFMA(160, Y5)
	ROTFMA(192, Y6)
	ROTFMA(224, Y7)
	MOVQ SI, DI
	SUBQ R8, SI
	SUBQ $8, AX
	SUBQ $8, BX
	DECQ CX
	JNZ  loop
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	VZEROUPPER
	RET

