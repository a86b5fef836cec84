#include "textflag.h"

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

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
