#include "textflag.h"

// The vector kernels of the tridiagonal reduction. Each handles the first
// len(x)&^7 elements, eight at a time in two four-lane accumulators (dot
// products) or elementwise, with separate multiplies and adds; vec.go has
// the Go loops they match bit for bit.

// func dotAVX(x, y []float64) float64
TEXT ·dotAVX(SB), NOSPLIT, $0-56
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	SHRQ $3, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	TESTQ CX, CX
	JZ   dotdone
dotloop:
	VMOVUPD (SI), Y2
	VMOVUPD 32(SI), Y3
	VMULPD  (DI), Y2, Y2
	VMULPD  32(DI), Y3, Y3
	VADDPD  Y2, Y0, Y0
	VADDPD  Y3, Y1, Y1
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     dotloop
dotdone:
	VADDPD       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	VMOVSD       X0, ret+48(FP)
	VZEROUPPER
	RET

// func dotAxpyAVX(x, y, z []float64, a float64) float64
// Returns Σ x·y and sets z += a·x.
TEXT ·dotAxpyAVX(SB), NOSPLIT, $0-88
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	MOVQ z_base+48(FP), DX
	VBROADCASTSD a+72(FP), Y4
	SHRQ $3, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	TESTQ CX, CX
	JZ   dadone
daloop:
	VMOVUPD (SI), Y2
	VMOVUPD 32(SI), Y3
	VMULPD  (DI), Y2, Y5
	VMULPD  32(DI), Y3, Y6
	VADDPD  Y5, Y0, Y0
	VADDPD  Y6, Y1, Y1
	VMULPD  Y2, Y4, Y2
	VMULPD  Y3, Y4, Y3
	VADDPD  (DX), Y2, Y2
	VADDPD  32(DX), Y3, Y3
	VMOVUPD Y2, (DX)
	VMOVUPD Y3, 32(DX)
	ADDQ    $64, SI
	ADDQ    $64, DI
	ADDQ    $64, DX
	DECQ    CX
	JNZ     daloop
dadone:
	VADDPD       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	VMOVSD       X0, ret+80(FP)
	VZEROUPPER
	RET

// func axpyAVX(x, y []float64, a float64)
// y += a·x.
TEXT ·axpyAVX(SB), NOSPLIT, $0-56
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	VBROADCASTSD a+48(FP), Y4
	SHRQ $3, CX
	TESTQ CX, CX
	JZ   axdone
axloop:
	VMULPD  (SI), Y4, Y2
	VMULPD  32(SI), Y4, Y3
	VADDPD  (DI), Y2, Y2
	VADDPD  32(DI), Y3, Y3
	VMOVUPD Y2, (DI)
	VMOVUPD Y3, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     axloop
axdone:
	VZEROUPPER
	RET

// func axpy2AVX(z, x, y []float64, a, b float64)
// z -= a·x + b·y.
TEXT ·axpy2AVX(SB), NOSPLIT, $0-88
	MOVQ z_base+0(FP), DX
	MOVQ z_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DI
	VBROADCASTSD a+72(FP), Y4
	VBROADCASTSD b+80(FP), Y5
	SHRQ $3, CX
	TESTQ CX, CX
	JZ   a2done
a2loop:
	VMULPD  (SI), Y4, Y0
	VMULPD  32(SI), Y4, Y1
	VMULPD  (DI), Y5, Y2
	VMULPD  32(DI), Y5, Y3
	VADDPD  Y2, Y0, Y0
	VADDPD  Y3, Y1, Y1
	VMOVUPD (DX), Y2
	VMOVUPD 32(DX), Y3
	VSUBPD  Y0, Y2, Y2
	VSUBPD  Y1, Y3, Y3
	VMOVUPD Y2, (DX)
	VMOVUPD Y3, 32(DX)
	ADDQ    $64, SI
	ADDQ    $64, DI
	ADDQ    $64, DX
	DECQ    CX
	JNZ     a2loop
a2done:
	VZEROUPPER
	RET
