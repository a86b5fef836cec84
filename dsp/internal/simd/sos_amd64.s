#include "textflag.h"

// func sos8AVX(coef, x, z []float64, nsec, off, n, stride int)
//
// Runs n samples starting at float64 index off of x, stepping stride
// bytes. For each sample (lanes 0-3 in Y0, 4-7 in Y1) and each section:
//   xn = b0*x + z0
//   z0 = (b1*x - a1*xn) + z1
//   z1 = b2*x - a2*xn
//   x  = xn
// The two halves are independent dependency chains.
TEXT ·sos8AVX(SB), NOSPLIT, $0-104
	MOVQ coef_base+0(FP), SI
	MOVQ x_base+24(FP), DI
	MOVQ z_base+48(FP), DX
	MOVQ nsec+72(FP), R8
	MOVQ off+80(FP), R12
	LEAQ (DI)(R12*8), DI
	MOVQ n+88(FP), R9
	MOVQ stride+96(FP), R13
	TESTQ R9, R9
	JZ done

sample:
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	MOVQ SI, AX
	MOVQ DX, BX
	MOVQ R8, CX

section:
	VBROADCASTSD 0(AX), Y2
	VBROADCASTSD 8(AX), Y3
	VBROADCASTSD 16(AX), Y4
	VBROADCASTSD 24(AX), Y5
	VBROADCASTSD 32(AX), Y6
	VMULPD Y0, Y2, Y7
	VADDPD 0(BX), Y7, Y7
	VMULPD Y1, Y2, Y10
	VADDPD 32(BX), Y10, Y10
	VMULPD Y0, Y3, Y8
	VMULPD Y7, Y5, Y9
	VSUBPD Y9, Y8, Y8
	VADDPD 64(BX), Y8, Y8
	VMOVUPD Y8, 0(BX)
	VMULPD Y1, Y3, Y11
	VMULPD Y10, Y5, Y12
	VSUBPD Y12, Y11, Y11
	VADDPD 96(BX), Y11, Y11
	VMOVUPD Y11, 32(BX)
	VMULPD Y0, Y4, Y8
	VMULPD Y7, Y6, Y9
	VSUBPD Y9, Y8, Y8
	VMOVUPD Y8, 64(BX)
	VMULPD Y1, Y4, Y11
	VMULPD Y10, Y6, Y12
	VSUBPD Y12, Y11, Y11
	VMOVUPD Y11, 96(BX)
	VMOVAPD Y7, Y0
	VMOVAPD Y10, Y1
	ADDQ $40, AX
	ADDQ $128, BX
	DECQ CX
	JNZ section

	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	ADDQ R13, DI
	DECQ R9
	JNZ sample

done:
	VZEROUPPER
	RET

// func difStageAVX(x, tw []float64, half, groups int)
//
// For each group of 2*half points and j < half, with p = x[j], q = x[j+half]
// (points of 64 bytes: four real parts, four imaginary parts):
//   p, q = p + q, (p - q) * w_j
TEXT ·difStageAVX(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), SI
	MOVQ tw_base+24(FP), DX
	MOVQ half+48(FP), R8
	MOVQ groups+56(FP), R11
	MOVQ R8, R10
	SHLQ $6, R10
	TESTQ R11, R11
	JZ difdone

difgroup:
	MOVQ SI, AX
	LEAQ (SI)(R10*1), BX
	MOVQ DX, CX
	MOVQ R8, DI

difbfly:
	VMOVUPD 0(AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 0(BX), Y2
	VMOVUPD 32(BX), Y3
	VADDPD Y2, Y0, Y4
	VADDPD Y3, Y1, Y5
	VSUBPD Y2, Y0, Y6
	VSUBPD Y3, Y1, Y7
	VMOVUPD Y4, 0(AX)
	VMOVUPD Y5, 32(AX)
	VBROADCASTSD 0(CX), Y8
	VBROADCASTSD 8(CX), Y9
	VMULPD Y8, Y6, Y10
	VMULPD Y9, Y7, Y11
	VSUBPD Y11, Y10, Y10
	VMULPD Y9, Y6, Y12
	VMULPD Y8, Y7, Y13
	VADDPD Y13, Y12, Y12
	VMOVUPD Y10, 0(BX)
	VMOVUPD Y12, 32(BX)
	ADDQ $64, AX
	ADDQ $64, BX
	ADDQ $16, CX
	DECQ DI
	JNZ difbfly

	LEAQ (SI)(R10*2), SI
	DECQ R11
	JNZ difgroup

difdone:
	VZEROUPPER
	RET

// func ditStageAVX(x, tw []float64, half, groups int)
//
//   t = w_j * q; p, q = p + t, p - t
TEXT ·ditStageAVX(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), SI
	MOVQ tw_base+24(FP), DX
	MOVQ half+48(FP), R8
	MOVQ groups+56(FP), R11
	MOVQ R8, R10
	SHLQ $6, R10
	TESTQ R11, R11
	JZ ditdone

ditgroup:
	MOVQ SI, AX
	LEAQ (SI)(R10*1), BX
	MOVQ DX, CX
	MOVQ R8, DI

ditbfly:
	VMOVUPD 0(BX), Y2
	VMOVUPD 32(BX), Y3
	VBROADCASTSD 0(CX), Y8
	VBROADCASTSD 8(CX), Y9
	VMULPD Y8, Y2, Y10
	VMULPD Y9, Y3, Y11
	VSUBPD Y11, Y10, Y10
	VMULPD Y9, Y2, Y12
	VMULPD Y8, Y3, Y13
	VADDPD Y13, Y12, Y12
	VMOVUPD 0(AX), Y0
	VMOVUPD 32(AX), Y1
	VADDPD Y10, Y0, Y4
	VADDPD Y12, Y1, Y5
	VSUBPD Y10, Y0, Y6
	VSUBPD Y12, Y1, Y7
	VMOVUPD Y4, 0(AX)
	VMOVUPD Y5, 32(AX)
	VMOVUPD Y6, 0(BX)
	VMOVUPD Y7, 32(BX)
	ADDQ $64, AX
	ADDQ $64, BX
	ADDQ $16, CX
	DECQ DI
	JNZ ditbfly

	LEAQ (SI)(R10*2), SI
	DECQ R11
	JNZ ditgroup

ditdone:
	VZEROUPPER
	RET

// func mulSpectrumAVX(x, h []float64)
//
// x[k] *= h[2k] + i h[2k+1] for every point k (len(h)/2 points).
TEXT ·mulSpectrumAVX(SB), NOSPLIT, $0-48
	MOVQ x_base+0(FP), SI
	MOVQ h_base+24(FP), DX
	MOVQ h_len+32(FP), CX
	SHRQ $1, CX
	TESTQ CX, CX
	JZ muldone

mulpoint:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y1
	VBROADCASTSD 0(DX), Y8
	VBROADCASTSD 8(DX), Y9
	VMULPD Y8, Y0, Y10
	VMULPD Y9, Y1, Y11
	VSUBPD Y11, Y10, Y10
	VMULPD Y9, Y0, Y12
	VMULPD Y8, Y1, Y13
	VADDPD Y13, Y12, Y12
	VMOVUPD Y10, 0(SI)
	VMOVUPD Y12, 32(SI)
	ADDQ $64, SI
	ADDQ $16, DX
	DECQ CX
	JNZ mulpoint

muldone:
	VZEROUPPER
	RET

// CMUL sets (rr, ri) = (ar + i ai)(wr + i wi), using t as scratch; rr must
// differ from ar and ai.
#define CMUL(ar, ai, wr, wi, rr, ri, t) \
	VMULPD wr, ar, rr; \
	VMULPD wi, ai, t; \
	VSUBPD t, rr, rr; \
	VMULPD wi, ar, ri; \
	VMULPD wr, ai, t; \
	VADDPD t, ri, ri

// func dif4StageAVX(x, tw []float64, half, groups int)
//
// Radix-4 decimation in frequency (two fused radix-2 stages); see
// dif4StageGo. a0..a3 at AX, AX+Q, AX+2Q, AX+3Q with Q = half/2 points.
TEXT ·dif4StageAVX(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), SI
	MOVQ tw_base+24(FP), DX
	MOVQ half+48(FP), R8
	MOVQ groups+56(FP), R11
	MOVQ R8, R10
	SHLQ $5, R10          // Q bytes = half/2 * 64
	SHRQ $1, R8           // k count = half/2
	LEAQ (R10)(R10*2), R12 // 3Q
	TESTQ R11, R11
	JZ dif4done

dif4group:
	MOVQ SI, AX
	MOVQ DX, CX
	MOVQ R8, DI

dif4bfly:
	VMOVUPD 0(AX), Y0
	VMOVUPD 32(AX), Y1
	VMOVUPD 0(AX)(R10*2), Y2
	VMOVUPD 32(AX)(R10*2), Y3
	VADDPD Y2, Y0, Y4
	VADDPD Y3, Y1, Y5
	VSUBPD Y2, Y0, Y6
	VSUBPD Y3, Y1, Y7
	VMOVUPD 0(AX)(R10*1), Y0
	VMOVUPD 32(AX)(R10*1), Y1
	VMOVUPD 0(AX)(R12*1), Y2
	VMOVUPD 32(AX)(R12*1), Y3
	VADDPD Y2, Y0, Y8
	VADDPD Y3, Y1, Y9
	VSUBPD Y2, Y0, Y10
	VSUBPD Y3, Y1, Y11
	VADDPD Y8, Y4, Y0
	VADDPD Y9, Y5, Y1
	VMOVUPD Y0, 0(AX)
	VMOVUPD Y1, 32(AX)
	VSUBPD Y8, Y4, Y4
	VSUBPD Y9, Y5, Y5
	VBROADCASTSD 16(CX), Y12
	VBROADCASTSD 24(CX), Y13
	CMUL(Y4, Y5, Y12, Y13, Y0, Y1, Y14)
	VMOVUPD Y0, 0(AX)(R10*1)
	VMOVUPD Y1, 32(AX)(R10*1)
	VADDPD Y11, Y6, Y2
	VSUBPD Y10, Y7, Y3
	VBROADCASTSD 0(CX), Y12
	VBROADCASTSD 8(CX), Y13
	CMUL(Y2, Y3, Y12, Y13, Y0, Y1, Y14)
	VMOVUPD Y0, 0(AX)(R10*2)
	VMOVUPD Y1, 32(AX)(R10*2)
	VSUBPD Y11, Y6, Y2
	VADDPD Y10, Y7, Y3
	VBROADCASTSD 32(CX), Y12
	VBROADCASTSD 40(CX), Y13
	CMUL(Y2, Y3, Y12, Y13, Y0, Y1, Y14)
	VMOVUPD Y0, 0(AX)(R12*1)
	VMOVUPD Y1, 32(AX)(R12*1)
	ADDQ $64, AX
	ADDQ $48, CX
	DECQ DI
	JNZ dif4bfly

	LEAQ (SI)(R10*4), SI
	DECQ R11
	JNZ dif4group

dif4done:
	VZEROUPPER
	RET

// func dit4StageAVX(x, tw []float64, half, groups int)
//
// Radix-4 decimation in time (two fused radix-2 stages); see dit4StageGo.
TEXT ·dit4StageAVX(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), SI
	MOVQ tw_base+24(FP), DX
	MOVQ half+48(FP), R8
	MOVQ groups+56(FP), R11
	MOVQ R8, R10
	SHLQ $5, R10
	SHRQ $1, R8
	LEAQ (R10)(R10*2), R12
	TESTQ R11, R11
	JZ dit4done

dit4group:
	MOVQ SI, AX
	MOVQ DX, CX
	MOVQ R8, DI

dit4bfly:
	VMOVUPD 0(AX)(R10*1), Y0
	VMOVUPD 32(AX)(R10*1), Y1
	VBROADCASTSD 16(CX), Y12
	VBROADCASTSD 24(CX), Y13
	CMUL(Y0, Y1, Y12, Y13, Y2, Y3, Y14)
	VMOVUPD 0(AX), Y0
	VMOVUPD 32(AX), Y1
	VADDPD Y2, Y0, Y4
	VADDPD Y3, Y1, Y5
	VSUBPD Y2, Y0, Y6
	VSUBPD Y3, Y1, Y7
	VMOVUPD 0(AX)(R10*2), Y0
	VMOVUPD 32(AX)(R10*2), Y1
	VBROADCASTSD 0(CX), Y12
	VBROADCASTSD 8(CX), Y13
	CMUL(Y0, Y1, Y12, Y13, Y8, Y9, Y14)
	VMOVUPD 0(AX)(R12*1), Y0
	VMOVUPD 32(AX)(R12*1), Y1
	VBROADCASTSD 32(CX), Y12
	VBROADCASTSD 40(CX), Y13
	CMUL(Y0, Y1, Y12, Y13, Y10, Y11, Y14)
	VADDPD Y10, Y8, Y0
	VADDPD Y11, Y9, Y1
	VSUBPD Y10, Y8, Y8
	VSUBPD Y11, Y9, Y9
	VADDPD Y0, Y4, Y2
	VADDPD Y1, Y5, Y3
	VMOVUPD Y2, 0(AX)
	VMOVUPD Y3, 32(AX)
	VSUBPD Y0, Y4, Y2
	VSUBPD Y1, Y5, Y3
	VMOVUPD Y2, 0(AX)(R10*2)
	VMOVUPD Y3, 32(AX)(R10*2)
	VSUBPD Y9, Y6, Y2
	VADDPD Y8, Y7, Y3
	VMOVUPD Y2, 0(AX)(R10*1)
	VMOVUPD Y3, 32(AX)(R10*1)
	VADDPD Y9, Y6, Y2
	VSUBPD Y8, Y7, Y3
	VMOVUPD Y2, 0(AX)(R12*1)
	VMOVUPD Y3, 32(AX)(R12*1)
	ADDQ $64, AX
	ADDQ $48, CX
	DECQ DI
	JNZ dit4bfly

	LEAQ (SI)(R10*4), SI
	DECQ R11
	JNZ dit4group

dit4done:
	VZEROUPPER
	RET

// SOS8SECTIONS runs the sections at AX (coef, up to the end pointer in
// the local cend) and BX (state) on the lanes in Y0 (0-3) and Y1 (4-7),
// as sos8AVX's inner loop; it clobbers AX, BX and Y2-Y12.
#define SOS8SECTIONS(label) \
label: \
	VBROADCASTSD 0(AX), Y2; \
	VBROADCASTSD 8(AX), Y3; \
	VBROADCASTSD 16(AX), Y4; \
	VBROADCASTSD 24(AX), Y5; \
	VBROADCASTSD 32(AX), Y6; \
	VMULPD Y0, Y2, Y7; \
	VADDPD 0(BX), Y7, Y7; \
	VMULPD Y1, Y2, Y10; \
	VADDPD 32(BX), Y10, Y10; \
	VMULPD Y0, Y3, Y8; \
	VMULPD Y7, Y5, Y9; \
	VSUBPD Y9, Y8, Y8; \
	VADDPD 64(BX), Y8, Y8; \
	VMOVUPD Y8, 0(BX); \
	VMULPD Y1, Y3, Y11; \
	VMULPD Y10, Y5, Y12; \
	VSUBPD Y12, Y11, Y11; \
	VADDPD 96(BX), Y11, Y11; \
	VMOVUPD Y11, 32(BX); \
	VMULPD Y0, Y4, Y8; \
	VMULPD Y7, Y6, Y9; \
	VSUBPD Y9, Y8, Y8; \
	VMOVUPD Y8, 64(BX); \
	VMULPD Y1, Y4, Y11; \
	VMULPD Y10, Y6, Y12; \
	VSUBPD Y12, Y11, Y11; \
	VMOVUPD Y11, 96(BX); \
	VMOVAPD Y7, Y0; \
	VMOVAPD Y10, Y1; \
	ADDQ $40, AX; \
	ADDQ $128, BX; \
	CMPQ AX, cend-8(SP); \
	JLT label

// LOAD8PTRS loads the eight lane pointers of the array at p into SI,
// R8-R13 and DX.
#define LOAD8PTRS(p) \
	MOVQ p, AX; \
	MOVQ 0(AX), SI; \
	MOVQ 8(AX), R8; \
	MOVQ 16(AX), R9; \
	MOVQ 24(AX), R10; \
	MOVQ 32(AX), R11; \
	MOVQ 40(AX), R12; \
	MOVQ 48(AX), R13; \
	MOVQ 56(AX), DX

// func sos8GatherAVX(coef, x, z []float64, src *[8]*float64, n int) (bad float64)
//
// Sample i of lane l is read from src[l][i], filtered as in sos8AVX and
// written to x[8i+l]. bad accumulates v-v over the inputs: 0 unless one
// is NaN or infinite.
TEXT ·sos8GatherAVX(SB), NOSPLIT, $8-96
	MOVQ coef_base+0(FP), AX
	MOVQ coef_len+8(FP), BX
	LEAQ (AX)(BX*8), BX
	MOVQ BX, cend-8(SP)
	LOAD8PTRS(src+72(FP))
	MOVQ x_base+24(FP), CX
	VXORPD Y15, Y15, Y15
	XORQ DI, DI
	CMPQ DI, n+80(FP)
	JGE gdone

gsample:
	VMOVSD (SI)(DI*8), X0
	VMOVHPD (R8)(DI*8), X0, X0
	VMOVSD (R9)(DI*8), X2
	VMOVHPD (R10)(DI*8), X2, X2
	VINSERTF128 $1, X2, Y0, Y0
	VMOVSD (R11)(DI*8), X1
	VMOVHPD (R12)(DI*8), X1, X1
	VMOVSD (R13)(DI*8), X2
	VMOVHPD (DX)(DI*8), X2, X2
	VINSERTF128 $1, X2, Y1, Y1
	VSUBPD Y0, Y0, Y2
	VADDPD Y2, Y15, Y15
	VSUBPD Y1, Y1, Y2
	VADDPD Y2, Y15, Y15
	MOVQ coef_base+0(FP), AX
	MOVQ z_base+48(FP), BX
	SOS8SECTIONS(gsection)
	VMOVUPD Y0, 0(CX)
	VMOVUPD Y1, 32(CX)
	ADDQ $64, CX
	INCQ DI
	CMPQ DI, n+80(FP)
	JLT gsample

gdone:
	VEXTRACTF128 $1, Y15, X2
	VADDPD X2, X15, X15
	VPERMILPD $1, X15, X2
	VADDSD X2, X15, X15
	VMOVSD X15, bad+88(FP)
	VZEROUPPER
	RET

// func sos8ScatterAVX(coef, x, z []float64, dst *[8]*float64, n int)
//
// Runs the sections from the last sample of x to the first, writing lane l
// of sample i to dst[l][i].
TEXT ·sos8ScatterAVX(SB), NOSPLIT, $8-88
	MOVQ coef_base+0(FP), AX
	MOVQ coef_len+8(FP), BX
	LEAQ (AX)(BX*8), BX
	MOVQ BX, cend-8(SP)
	LOAD8PTRS(dst+72(FP))
	MOVQ n+80(FP), DI
	TESTQ DI, DI
	JLE sdone
	DECQ DI
	MOVQ DI, CX
	SHLQ $6, CX
	ADDQ x_base+24(FP), CX

ssample:
	VMOVUPD 0(CX), Y0
	VMOVUPD 32(CX), Y1
	MOVQ coef_base+0(FP), AX
	MOVQ z_base+48(FP), BX
	SOS8SECTIONS(ssection)
	VMOVSD X0, (SI)(DI*8)
	VMOVHPD X0, (R8)(DI*8)
	VEXTRACTF128 $1, Y0, X2
	VMOVSD X2, (R9)(DI*8)
	VMOVHPD X2, (R10)(DI*8)
	VMOVSD X1, (R11)(DI*8)
	VMOVHPD X1, (R12)(DI*8)
	VEXTRACTF128 $1, Y1, X2
	VMOVSD X2, (R13)(DI*8)
	VMOVHPD X2, (DX)(DI*8)
	SUBQ $64, CX
	DECQ DI
	JGE ssample

sdone:
	VZEROUPPER
	RET
