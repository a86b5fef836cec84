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

// eluc holds the constants of eluAVX, each repeated over 8 lanes.
DATA eluc<>+0(SB)/4, $0x3fb8aa3b
DATA eluc<>+4(SB)/4, $0x3fb8aa3b
DATA eluc<>+8(SB)/4, $0x3fb8aa3b
DATA eluc<>+12(SB)/4, $0x3fb8aa3b
DATA eluc<>+16(SB)/4, $0x3fb8aa3b
DATA eluc<>+20(SB)/4, $0x3fb8aa3b
DATA eluc<>+24(SB)/4, $0x3fb8aa3b
DATA eluc<>+28(SB)/4, $0x3fb8aa3b
DATA eluc<>+32(SB)/4, $0x3f318000
DATA eluc<>+36(SB)/4, $0x3f318000
DATA eluc<>+40(SB)/4, $0x3f318000
DATA eluc<>+44(SB)/4, $0x3f318000
DATA eluc<>+48(SB)/4, $0x3f318000
DATA eluc<>+52(SB)/4, $0x3f318000
DATA eluc<>+56(SB)/4, $0x3f318000
DATA eluc<>+60(SB)/4, $0x3f318000
DATA eluc<>+64(SB)/4, $0xb95e8083
DATA eluc<>+68(SB)/4, $0xb95e8083
DATA eluc<>+72(SB)/4, $0xb95e8083
DATA eluc<>+76(SB)/4, $0xb95e8083
DATA eluc<>+80(SB)/4, $0xb95e8083
DATA eluc<>+84(SB)/4, $0xb95e8083
DATA eluc<>+88(SB)/4, $0xb95e8083
DATA eluc<>+92(SB)/4, $0xb95e8083
DATA eluc<>+96(SB)/4, $0x37d00d01
DATA eluc<>+100(SB)/4, $0x37d00d01
DATA eluc<>+104(SB)/4, $0x37d00d01
DATA eluc<>+108(SB)/4, $0x37d00d01
DATA eluc<>+112(SB)/4, $0x37d00d01
DATA eluc<>+116(SB)/4, $0x37d00d01
DATA eluc<>+120(SB)/4, $0x37d00d01
DATA eluc<>+124(SB)/4, $0x37d00d01
DATA eluc<>+128(SB)/4, $0x39500d01
DATA eluc<>+132(SB)/4, $0x39500d01
DATA eluc<>+136(SB)/4, $0x39500d01
DATA eluc<>+140(SB)/4, $0x39500d01
DATA eluc<>+144(SB)/4, $0x39500d01
DATA eluc<>+148(SB)/4, $0x39500d01
DATA eluc<>+152(SB)/4, $0x39500d01
DATA eluc<>+156(SB)/4, $0x39500d01
DATA eluc<>+160(SB)/4, $0x3ab60b61
DATA eluc<>+164(SB)/4, $0x3ab60b61
DATA eluc<>+168(SB)/4, $0x3ab60b61
DATA eluc<>+172(SB)/4, $0x3ab60b61
DATA eluc<>+176(SB)/4, $0x3ab60b61
DATA eluc<>+180(SB)/4, $0x3ab60b61
DATA eluc<>+184(SB)/4, $0x3ab60b61
DATA eluc<>+188(SB)/4, $0x3ab60b61
DATA eluc<>+192(SB)/4, $0x3c088889
DATA eluc<>+196(SB)/4, $0x3c088889
DATA eluc<>+200(SB)/4, $0x3c088889
DATA eluc<>+204(SB)/4, $0x3c088889
DATA eluc<>+208(SB)/4, $0x3c088889
DATA eluc<>+212(SB)/4, $0x3c088889
DATA eluc<>+216(SB)/4, $0x3c088889
DATA eluc<>+220(SB)/4, $0x3c088889
DATA eluc<>+224(SB)/4, $0x3d2aaaab
DATA eluc<>+228(SB)/4, $0x3d2aaaab
DATA eluc<>+232(SB)/4, $0x3d2aaaab
DATA eluc<>+236(SB)/4, $0x3d2aaaab
DATA eluc<>+240(SB)/4, $0x3d2aaaab
DATA eluc<>+244(SB)/4, $0x3d2aaaab
DATA eluc<>+248(SB)/4, $0x3d2aaaab
DATA eluc<>+252(SB)/4, $0x3d2aaaab
DATA eluc<>+256(SB)/4, $0x3e2aaaab
DATA eluc<>+260(SB)/4, $0x3e2aaaab
DATA eluc<>+264(SB)/4, $0x3e2aaaab
DATA eluc<>+268(SB)/4, $0x3e2aaaab
DATA eluc<>+272(SB)/4, $0x3e2aaaab
DATA eluc<>+276(SB)/4, $0x3e2aaaab
DATA eluc<>+280(SB)/4, $0x3e2aaaab
DATA eluc<>+284(SB)/4, $0x3e2aaaab
DATA eluc<>+288(SB)/4, $0x3f000000
DATA eluc<>+292(SB)/4, $0x3f000000
DATA eluc<>+296(SB)/4, $0x3f000000
DATA eluc<>+300(SB)/4, $0x3f000000
DATA eluc<>+304(SB)/4, $0x3f000000
DATA eluc<>+308(SB)/4, $0x3f000000
DATA eluc<>+312(SB)/4, $0x3f000000
DATA eluc<>+316(SB)/4, $0x3f000000
DATA eluc<>+320(SB)/4, $0xc2ae0000
DATA eluc<>+324(SB)/4, $0xc2ae0000
DATA eluc<>+328(SB)/4, $0xc2ae0000
DATA eluc<>+332(SB)/4, $0xc2ae0000
DATA eluc<>+336(SB)/4, $0xc2ae0000
DATA eluc<>+340(SB)/4, $0xc2ae0000
DATA eluc<>+344(SB)/4, $0xc2ae0000
DATA eluc<>+348(SB)/4, $0xc2ae0000
DATA eluc<>+352(SB)/4, $0x3f800000
DATA eluc<>+356(SB)/4, $0x3f800000
DATA eluc<>+360(SB)/4, $0x3f800000
DATA eluc<>+364(SB)/4, $0x3f800000
DATA eluc<>+368(SB)/4, $0x3f800000
DATA eluc<>+372(SB)/4, $0x3f800000
DATA eluc<>+376(SB)/4, $0x3f800000
DATA eluc<>+380(SB)/4, $0x3f800000
DATA eluc<>+384(SB)/4, $0x0000007f
DATA eluc<>+388(SB)/4, $0x0000007f
DATA eluc<>+392(SB)/4, $0x0000007f
DATA eluc<>+396(SB)/4, $0x0000007f
DATA eluc<>+400(SB)/4, $0x0000007f
DATA eluc<>+404(SB)/4, $0x0000007f
DATA eluc<>+408(SB)/4, $0x0000007f
DATA eluc<>+412(SB)/4, $0x0000007f
GLOBL eluc<>(SB), RODATA|NOPTR, $416

// func eluAVX(n8 int, dst, x *float32, alpha float32)
//
// dst[i] = x[i] if x[i] > 0, else alpha·(exp(x[i]) − 1) with exp rounded
// to float32 before 1 is subtracted, as PyTorch 1.13's CPU ELU does (NaN
// stays NaN). exp as in fdlibm's expf: x = n·ln2 + r with |r| ≤ ln2/2
// (Cody–Waite split of ln2), exp(r) = 1 + (r + r²·q(r)) with q the Taylor
// polynomial to r⁶/8!, scaled by 2ⁿ; x is clamped to −87, where
// exp(x) − 1 is −1 in float32.
TEXT ·eluAVX(SB), NOSPLIT, $0-28
	MOVQ         n8+0(FP), CX
	MOVQ         dst+8(FP), DI
	MOVQ         x+16(FP), SI
	VBROADCASTSS alpha+24(FP), Y14
	VXORPS       Y15, Y15, Y15

eluloop:
	VMOVUPS      (SI), Y0
	VMINPS       Y15, Y0, Y1
	VMAXPS       eluc<>+320(SB), Y1, Y1
	VMULPS       eluc<>+0(SB), Y1, Y2
	VROUNDPS     $0, Y2, Y2
	VMOVAPS      Y1, Y3
	VFNMADD231PS eluc<>+32(SB), Y2, Y3
	VFNMADD231PS eluc<>+64(SB), Y2, Y3
	VMOVUPS      eluc<>+96(SB), Y4
	VFMADD213PS  eluc<>+128(SB), Y3, Y4
	VFMADD213PS  eluc<>+160(SB), Y3, Y4
	VFMADD213PS  eluc<>+192(SB), Y3, Y4
	VFMADD213PS  eluc<>+224(SB), Y3, Y4
	VFMADD213PS  eluc<>+256(SB), Y3, Y4
	VFMADD213PS  eluc<>+288(SB), Y3, Y4
	VMULPS       Y3, Y3, Y5
	VFMADD213PS  Y3, Y5, Y4
	VCVTPS2DQ    Y2, Y6
	VPADDD       eluc<>+384(SB), Y6, Y6
	VPSLLD       $23, Y6, Y6
	VADDPS       eluc<>+352(SB), Y4, Y4
	VMULPS       Y6, Y4, Y7
	VSUBPS       eluc<>+352(SB), Y7, Y7
	VMULPS       Y14, Y7, Y7
	VCMPPS       $1, Y0, Y15, Y8
	VBLENDVPS    Y8, Y0, Y7, Y9
	VCMPPS       $3, Y0, Y0, Y10
	VBLENDVPS    Y10, Y0, Y9, Y9
	VMOVUPS      Y9, (DI)
	ADDQ         $32, SI
	ADDQ         $32, DI
	DECQ         CX
	JNZ          eluloop
	VZEROUPPER
	RET

// func eluBackAVX(n8 int, dx, dy, y *float32, alpha float32)
//
// dx[i] = dy[i] if y[i] > 0, else dy[i]·(y[i] + alpha), over 8·n8
// elements: the ELU gradient from its output.
TEXT ·eluBackAVX(SB), NOSPLIT, $0-36
	MOVQ         n8+0(FP), CX
	MOVQ         dx+8(FP), DI
	MOVQ         dy+16(FP), SI
	MOVQ         y+24(FP), R8
	VBROADCASTSS alpha+32(FP), Y14
	VXORPS       Y15, Y15, Y15

elubackloop:
	VMOVUPS   (SI), Y0
	VMOVUPS   (R8), Y1
	VADDPS    Y14, Y1, Y2
	VMULPS    Y0, Y2, Y2
	VCMPPS    $1, Y1, Y15, Y3
	VBLENDVPS Y3, Y0, Y2, Y2
	VMOVUPS   Y2, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	ADDQ      $32, R8
	DECQ      CX
	JNZ       elubackloop
	VZEROUPPER
	RET

// func sumDotAVX(n16 int, x, y *float32) (sx, sxy float64)
//
// sx = Σ x[i], sxy = Σ x[i]·y[i] over 16·n16 elements, widened to float64
// (four lanes per register, two accumulators each).
TEXT ·sumDotAVX(SB), NOSPLIT, $0-40
	MOVQ   n16+0(FP), CX
	MOVQ   x+8(FP), SI
	MOVQ   y+16(FP), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

sumdotloop:
	VCVTPS2PD 0(SI), Y4
	VCVTPS2PD 0(DI), Y8
	VCVTPS2PD 16(SI), Y5
	VCVTPS2PD 16(DI), Y9
	VCVTPS2PD 32(SI), Y6
	VCVTPS2PD 32(DI), Y10
	VCVTPS2PD 48(SI), Y7
	VCVTPS2PD 48(DI), Y11
	VADDPD Y4, Y0, Y0
	VFMADD231PD Y8, Y4, Y2
	VADDPD Y5, Y1, Y1
	VFMADD231PD Y9, Y5, Y3
	VADDPD Y6, Y0, Y0
	VFMADD231PD Y10, Y6, Y2
	VADDPD Y7, Y1, Y1
	VFMADD231PD Y11, Y7, Y3
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  sumdotloop

	VADDPD       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VUNPCKHPD    X0, X0, X1
	VADDSD       X1, X0, X0
	VMOVSD       X0, sx+24(FP)
	VADDPD       Y3, Y2, Y2
	VEXTRACTF128 $1, Y2, X1
	VADDPD       X1, X2, X2
	VUNPCKHPD    X2, X2, X1
	VADDSD       X1, X2, X2
	VMOVSD       X2, sxy+32(FP)
	VZEROUPPER
	RET

// func linCombAVX(n32 int, dst, x, y *float32, a, b, c float32)
//
// dst[i] = a·x[i] + (b·y[i] + c) over 32·n32 elements, two fused
// multiply-adds.
TEXT ·linCombAVX(SB), NOSPLIT, $0-44
	MOVQ         n32+0(FP), CX
	MOVQ         dst+8(FP), DI
	MOVQ         x+16(FP), SI
	MOVQ         y+24(FP), R8
	VBROADCASTSS a+32(FP), Y13
	VBROADCASTSS b+36(FP), Y14
	VBROADCASTSS c+40(FP), Y15

lincombloop:
	VMOVAPS     Y15, Y0
	VFMADD231PS 0(R8), Y14, Y0
	VFMADD231PS 0(SI), Y13, Y0
	VMOVUPS     Y0, 0(DI)
	VMOVAPS     Y15, Y1
	VFMADD231PS 32(R8), Y14, Y1
	VFMADD231PS 32(SI), Y13, Y1
	VMOVUPS     Y1, 32(DI)
	VMOVAPS     Y15, Y2
	VFMADD231PS 64(R8), Y14, Y2
	VFMADD231PS 64(SI), Y13, Y2
	VMOVUPS     Y2, 64(DI)
	VMOVAPS     Y15, Y3
	VFMADD231PS 96(R8), Y14, Y3
	VFMADD231PS 96(SI), Y13, Y3
	VMOVUPS     Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, R8
	DECQ CX
	JNZ  lincombloop
	VZEROUPPER
	RET

// func corrRow128z(nb int, y, x, w *float32, k, xs int)
//
// corrRow64 with 16-lane registers: y[i] += Σ_{j<k} w[j]·x[i + j·xs]
// for i in [0, 128·nb), eight accumulators of 16 outputs. nb, k ≥ 1.
TEXT ·corrRow128z(SB), NOSPLIT, $0-48
	MOVQ nb+0(FP), CX
	MOVQ y+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ w+24(FP), DI
	MOVQ k+32(FP), R8
	MOVQ xs+40(FP), R9
	SHLQ $2, R9

zblock128:
	VMOVUPS 0(DX), Z0
	VMOVUPS 64(DX), Z1
	VMOVUPS 128(DX), Z2
	VMOVUPS 192(DX), Z3
	VMOVUPS 256(DX), Z4
	VMOVUPS 320(DX), Z5
	VMOVUPS 384(DX), Z6
	VMOVUPS 448(DX), Z7
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ R8, R12

ztap128:
	VBROADCASTSS (R11), Z15
	VFMADD231PS 0(R10), Z15, Z0
	VFMADD231PS 64(R10), Z15, Z1
	VFMADD231PS 128(R10), Z15, Z2
	VFMADD231PS 192(R10), Z15, Z3
	VFMADD231PS 256(R10), Z15, Z4
	VFMADD231PS 320(R10), Z15, Z5
	VFMADD231PS 384(R10), Z15, Z6
	VFMADD231PS 448(R10), Z15, Z7
	ADDQ $4, R11
	ADDQ R9, R10
	DECQ R12
	JNZ  ztap128

	VMOVUPS Z0, 0(DX)
	VMOVUPS Z1, 64(DX)
	VMOVUPS Z2, 128(DX)
	VMOVUPS Z3, 192(DX)
	VMOVUPS Z4, 256(DX)
	VMOVUPS Z5, 320(DX)
	VMOVUPS Z6, 384(DX)
	VMOVUPS Z7, 448(DX)
	ADDQ $512, DX
	ADDQ $512, SI
	DECQ CX
	JNZ  zblock128
	VZEROUPPER
	RET
