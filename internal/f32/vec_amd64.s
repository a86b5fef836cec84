#include "textflag.h"

// func corrRow64(nb int, y, x, w *float32, k, xs int)
//
// y[i] += Σ_{j<k} w[j]·x[i + j·xs] for i in [0, 64·nb), xs in elements
// (negative for a flipped kernel): 8 accumulators of 8 outputs, one
// broadcast of w[j] and 8 fused multiply-adds from x per tap. nb, k ≥ 1.
TEXT ·corrRow64(SB), NOSPLIT, $0-48
	MOVQ nb+0(FP), CX
	MOVQ y+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ w+24(FP), DI
	MOVQ k+32(FP), R8
	MOVQ xs+40(FP), R9
	SHLQ $2, R9

block64:
	VMOVUPS 0(DX), Y0
	VMOVUPS 32(DX), Y1
	VMOVUPS 64(DX), Y2
	VMOVUPS 96(DX), Y3
	VMOVUPS 128(DX), Y4
	VMOVUPS 160(DX), Y5
	VMOVUPS 192(DX), Y6
	VMOVUPS 224(DX), Y7
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ R8, R12

tap64:
	VBROADCASTSS (R11), Y15
	VFMADD231PS 0(R10), Y15, Y0
	VFMADD231PS 32(R10), Y15, Y1
	VFMADD231PS 64(R10), Y15, Y2
	VFMADD231PS 96(R10), Y15, Y3
	VFMADD231PS 128(R10), Y15, Y4
	VFMADD231PS 160(R10), Y15, Y5
	VFMADD231PS 192(R10), Y15, Y6
	VFMADD231PS 224(R10), Y15, Y7
	ADDQ $4, R11
	ADDQ R9, R10
	DECQ R12
	JNZ  tap64

	VMOVUPS Y0, 0(DX)
	VMOVUPS Y1, 32(DX)
	VMOVUPS Y2, 64(DX)
	VMOVUPS Y3, 96(DX)
	VMOVUPS Y4, 128(DX)
	VMOVUPS Y5, 160(DX)
	VMOVUPS Y6, 192(DX)
	VMOVUPS Y7, 224(DX)
	ADDQ $256, DX
	ADDQ $256, SI
	DECQ CX
	JNZ  block64
	VZEROUPPER
	RET

// func corrRow32(nb int, y, x, w *float32, k, xs int)
//
// y[i] += Σ_{j<k} w[j]·x[i + j·xs] for i in [0, 32·nb), xs in elements
// (negative for a flipped kernel): 4 accumulators of 8 outputs, one
// broadcast of w[j] and 4 fused multiply-adds from x per tap. nb, k ≥ 1.
TEXT ·corrRow32(SB), NOSPLIT, $0-48
	MOVQ nb+0(FP), CX
	MOVQ y+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ w+24(FP), DI
	MOVQ k+32(FP), R8
	MOVQ xs+40(FP), R9
	SHLQ $2, R9

block32:
	VMOVUPS 0(DX), Y0
	VMOVUPS 32(DX), Y1
	VMOVUPS 64(DX), Y2
	VMOVUPS 96(DX), Y3
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ R8, R12

tap32:
	VBROADCASTSS (R11), Y15
	VFMADD231PS 0(R10), Y15, Y0
	VFMADD231PS 32(R10), Y15, Y1
	VFMADD231PS 64(R10), Y15, Y2
	VFMADD231PS 96(R10), Y15, Y3
	ADDQ $4, R11
	ADDQ R9, R10
	DECQ R12
	JNZ  tap32

	VMOVUPS Y0, 0(DX)
	VMOVUPS Y1, 32(DX)
	VMOVUPS Y2, 64(DX)
	VMOVUPS Y3, 96(DX)
	ADDQ $128, DX
	ADDQ $128, SI
	DECQ CX
	JNZ  block32
	VZEROUPPER
	RET

// func corrRow8(nb int, y, x, w *float32, k, xs int)
//
// y[i] += Σ_{j<k} w[j]·x[i + j·xs] for i in [0, 8·nb), xs in elements
// (negative for a flipped kernel): 1 accumulators of 8 outputs, one
// broadcast of w[j] and 1 fused multiply-adds from x per tap. nb, k ≥ 1.
TEXT ·corrRow8(SB), NOSPLIT, $0-48
	MOVQ nb+0(FP), CX
	MOVQ y+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ w+24(FP), DI
	MOVQ k+32(FP), R8
	MOVQ xs+40(FP), R9
	SHLQ $2, R9

block8:
	VMOVUPS 0(DX), Y0
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ R8, R12

tap8:
	VBROADCASTSS (R11), Y15
	VFMADD231PS 0(R10), Y15, Y0
	ADDQ $4, R11
	ADDQ R9, R10
	DECQ R12
	JNZ  tap8

	VMOVUPS Y0, 0(DX)
	ADDQ $32, DX
	ADDQ $32, SI
	DECQ CX
	JNZ  block8
	VZEROUPPER
	RET

// func dotAVX(n32 int, x, y *float32) float32
//
// Σ x[i]·y[i] over 32·n32 elements, in four accumulators of 8 lanes.
TEXT ·dotAVX(SB), NOSPLIT, $0-28
	MOVQ   n32+0(FP), CX
	MOVQ   x+8(FP), SI
	MOVQ   y+16(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

dotvloop:
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        CX
	JNZ         dotvloop

	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0
	VMOVSS       X0, ret+24(FP)
	VZEROUPPER
	RET

// func axpyAVX(n32 int, alpha float32, x, y *float32)
//
// y[i] += alpha·x[i] over 32·n32 elements.
TEXT ·axpyAVX(SB), NOSPLIT, $0-32
	MOVQ         n32+0(FP), CX
	VBROADCASTSS alpha+8(FP), Y15
	MOVQ         x+16(FP), SI
	MOVQ         y+24(FP), DI

axpyloop:
	VMOVUPS     (DI), Y0
	VMOVUPS     32(DI), Y1
	VMOVUPS     64(DI), Y2
	VMOVUPS     96(DI), Y3
	VFMADD231PS (SI), Y15, Y0
	VFMADD231PS 32(SI), Y15, Y1
	VFMADD231PS 64(SI), Y15, Y2
	VFMADD231PS 96(SI), Y15, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        CX
	JNZ         axpyloop
	VZEROUPPER
	RET

// func sum64AVX(n16 int, x *float32) float64
//
// Σ x[i] over 16·n16 elements, widened to float64 in four accumulators
// of 4 lanes.
TEXT ·sum64AVX(SB), NOSPLIT, $0-24
	MOVQ   n16+0(FP), CX
	MOVQ   x+8(FP), SI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

sum64loop:
	VCVTPS2PD (SI), Y4
	VCVTPS2PD 16(SI), Y5
	VCVTPS2PD 32(SI), Y6
	VCVTPS2PD 48(SI), Y7
	VADDPD    Y4, Y0, Y0
	VADDPD    Y5, Y1, Y1
	VADDPD    Y6, Y2, Y2
	VADDPD    Y7, Y3, Y3
	ADDQ      $64, SI
	DECQ      CX
	JNZ       sum64loop

	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VUNPCKHPD    X0, X0, X1
	VADDSD       X1, X0, X0
	VMOVSD       X0, ret+16(FP)
	VZEROUPPER
	RET

// func devAVX(n16 int, x *float32, mean float64) (ss, c float64)
//
// ss = Σ (x[i]−mean)², c = Σ (x[i]−mean) over 16·n16 elements, in
// float64 (the second pass of a two-pass variance).
TEXT ·devAVX(SB), NOSPLIT, $0-40
	MOVQ         n16+0(FP), CX
	MOVQ         x+8(FP), SI
	VBROADCASTSD mean+16(FP), Y15
	VXORPD       Y0, Y0, Y0
	VXORPD       Y1, Y1, Y1
	VXORPD       Y2, Y2, Y2
	VXORPD       Y3, Y3, Y3
	VXORPD       Y8, Y8, Y8
	VXORPD       Y9, Y9, Y9

devloop:
	VCVTPS2PD   (SI), Y4
	VCVTPS2PD   16(SI), Y5
	VCVTPS2PD   32(SI), Y6
	VCVTPS2PD   48(SI), Y7
	VSUBPD      Y15, Y4, Y4
	VSUBPD      Y15, Y5, Y5
	VSUBPD      Y15, Y6, Y6
	VSUBPD      Y15, Y7, Y7
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	VFMADD231PD Y6, Y6, Y2
	VFMADD231PD Y7, Y7, Y3
	VADDPD      Y4, Y8, Y8
	VADDPD      Y5, Y9, Y9
	VADDPD      Y6, Y8, Y8
	VADDPD      Y7, Y9, Y9
	ADDQ        $64, SI
	DECQ        CX
	JNZ         devloop

	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VUNPCKHPD    X0, X0, X1
	VADDSD       X1, X0, X0
	VMOVSD       X0, ss+24(FP)
	VADDPD       Y9, Y8, Y8
	VEXTRACTF128 $1, Y8, X1
	VADDPD       X1, X8, X8
	VUNPCKHPD    X8, X8, X1
	VADDSD       X1, X8, X8
	VMOVSD       X8, c+32(FP)
	VZEROUPPER
	RET

// func scaleShiftAVX(n32 int, dst, x *float32, a, b float32)
//
// dst[i] = a·x[i] + b over 32·n32 elements (one fused multiply-add).
TEXT ·scaleShiftAVX(SB), NOSPLIT, $0-32
	MOVQ n32+0(FP), CX
	MOVQ         dst+8(FP), DI
	MOVQ         x+16(FP), SI
	VBROADCASTSS a+24(FP), Y14
	VBROADCASTSS b+28(FP), Y15
	MOVQ         SI, R8
scaleShiftAVXloop:
	VMOVUPS     0(SI), Y0
	VFMADD213PS Y15, Y14, Y0
	VMOVUPS     Y0, 0(DI)
	VMOVUPS     32(SI), Y1
	VFMADD213PS Y15, Y14, Y1
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     64(SI), Y2
	VFMADD213PS Y15, Y14, Y2
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     96(SI), Y3
	VFMADD213PS Y15, Y14, Y3
	VMOVUPS     Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, R8
	DECQ CX
	JNZ  scaleShiftAVXloop
	VZEROUPPER
	RET

// func addScaledAVX(n32 int, dst, x *float32, alpha float32, y *float32)
//
// dst[i] = x[i] + alpha·y[i] over 32·n32 elements (one fused multiply-add).
TEXT ·addScaledAVX(SB), NOSPLIT, $0-40
	MOVQ n32+0(FP), CX
	MOVQ         dst+8(FP), DI
	MOVQ         x+16(FP), SI
	VBROADCASTSS alpha+24(FP), Y15
	MOVQ         y+32(FP), R8
addScaledAVXloop:
	VMOVUPS     0(SI), Y0
	VFMADD231PS 0(R8), Y15, Y0
	VMOVUPS     Y0, 0(DI)
	VMOVUPS     32(SI), Y1
	VFMADD231PS 32(R8), Y15, Y1
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     64(SI), Y2
	VFMADD231PS 64(R8), Y15, Y2
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     96(SI), Y3
	VFMADD231PS 96(R8), Y15, Y3
	VMOVUPS     Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, R8
	DECQ CX
	JNZ  addScaledAVXloop
	VZEROUPPER
	RET

// func mulAVX(n32 int, dst, x, y *float32)
//
// dst[i] = x[i]·y[i] over 32·n32 elements.
TEXT ·mulAVX(SB), NOSPLIT, $0-32
	MOVQ n32+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ y+24(FP), R8
mulAVXloop:
	VMOVUPS 0(SI), Y0
	VMULPS  0(R8), Y0, Y0
	VMOVUPS Y0, 0(DI)
	VMOVUPS 32(SI), Y1
	VMULPS  32(R8), Y1, Y1
	VMOVUPS Y1, 32(DI)
	VMOVUPS 64(SI), Y2
	VMULPS  64(R8), Y2, Y2
	VMOVUPS Y2, 64(DI)
	VMOVUPS 96(SI), Y3
	VMULPS  96(R8), Y3, Y3
	VMOVUPS Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, R8
	DECQ CX
	JNZ  mulAVXloop
	VZEROUPPER
	RET
