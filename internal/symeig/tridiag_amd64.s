#include "textflag.h"

// Whole loops of the tridiagonal reduction (tridiag.go), so that the
// short rows of small matrices do not pay a call per row. Dot products
// run in two four-lane accumulators over blocks of eight (lane l of the
// pair summing elements 8q+l), combined as (c0+c2)+(c1+c3) with
// cl = lane l + lane l+4, then the tail in order; updates are elementwise.
// Multiplies and adds are separate, as in the Go loops of vec.go.

// func reflectRowsAVX(row *float64, stride, nrows int, v *float64, m int, ntau float64)
// For each of nrows rows of length m (row stride stride elements):
// row += (ntau·(row·v))·v.
TEXT ·reflectRowsAVX(SB), NOSPLIT, $0-48
	MOVQ   row+0(FP), SI
	MOVQ   stride+8(FP), R8
	SHLQ   $3, R8
	MOVQ   nrows+16(FP), R9
	MOVQ   v+24(FP), BX
	MOVQ   m+32(FP), R10
	VMOVSD ntau+40(FP), X15
	MOVQ   R10, R11
	SHRQ   $3, R11
	MOVQ   R10, R12
	ANDQ   $7, R12
	TESTQ  R9, R9
	JZ     rdone
rrow:
	MOVQ SI, DI
	MOVQ BX, DX
	MOVQ R11, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	TESTQ  CX, CX
	JZ     rdh
rdb:
	VMOVUPD (DI), Y2
	VMOVUPD 32(DI), Y3
	VMULPD  (DX), Y2, Y2
	VMULPD  32(DX), Y3, Y3
	VADDPD  Y2, Y0, Y0
	VADDPD  Y3, Y1, Y1
	ADDQ    $64, DI
	ADDQ    $64, DX
	DECQ    CX
	JNZ     rdb
rdh:
	VADDPD       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	MOVQ         R12, CX
	TESTQ        CX, CX
	JZ           rdd
rdt:
	VMOVSD (DI), X2
	VMULSD (DX), X2, X2
	VADDSD X2, X0, X0
	ADDQ   $8, DI
	ADDQ   $8, DX
	DECQ   CX
	JNZ    rdt
rdd:
	VMULSD       X15, X0, X0         // a = ntau·t
	VMOVDDUP     X0, X4
	VINSERTF128  $1, X4, Y4, Y4
	MOVQ SI, DI
	MOVQ BX, DX
	MOVQ R11, CX
	TESTQ CX, CX
	JZ   rat
rab:
	VMULPD  (DX), Y4, Y2
	VMULPD  32(DX), Y4, Y3
	VADDPD  (DI), Y2, Y2
	VADDPD  32(DI), Y3, Y3
	VMOVUPD Y2, (DI)
	VMOVUPD Y3, 32(DI)
	ADDQ    $64, DI
	ADDQ    $64, DX
	DECQ    CX
	JNZ     rab
rat:
	MOVQ  R12, CX
	TESTQ CX, CX
	JZ    ranext
ratl:
	VMOVSD (DX), X2
	VMULSD X4, X2, X2
	VADDSD (DI), X2, X2
	VMOVSD X2, (DI)
	ADDQ   $8, DI
	ADDQ   $8, DX
	DECQ   CX
	JNZ    ratl
ranext:
	ADDQ R8, SI
	DECQ R9
	JNZ  rrow
rdone:
	VZEROUPPER
	RET

// func symvUpperAVX(a *float64, stride, m int, v, p *float64)
// For i < m, with r the row i of the upper triangle from its diagonal
// (a + i·stride + i): x = Σ_{j≥1} r[j]·v[i+j] while p[i+j] += v[i]·r[j],
// then p[i] += r[0]·v[i] + x.
TEXT ·symvUpperAVX(SB), NOSPLIT, $0-40
	MOVQ a+0(FP), SI
	MOVQ stride+8(FP), R8
	INCQ R8
	SHLQ $3, R8              // stride+1 elements: the next diagonal
	MOVQ m+16(FP), R9
	MOVQ v+24(FP), BX
	MOVQ p+32(FP), R13
	TESTQ R9, R9
	JZ   sdone
srow:
	DECQ R9                  // R9: length of r[1:]
	MOVQ R9, R11
	SHRQ $3, R11
	MOVQ R9, R12
	ANDQ $7, R12
	VMOVSD       (BX), X5        // v[i]
	VMOVDDUP     X5, X4
	VINSERTF128  $1, X4, Y4, Y4  // v[i] in every lane
	LEAQ 8(SI), DI           // r[1:]
	LEAQ 8(BX), DX           // v[i+1:]
	LEAQ 8(R13), AX          // p[i+1:]
	MOVQ R11, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	TESTQ CX, CX
	JZ   sh
sb:
	VMOVUPD (DI), Y2
	VMOVUPD 32(DI), Y3
	VMULPD  (DX), Y2, Y6
	VMULPD  32(DX), Y3, Y7
	VADDPD  Y6, Y0, Y0
	VADDPD  Y7, Y1, Y1
	VMULPD  Y2, Y4, Y2
	VMULPD  Y3, Y4, Y3
	VADDPD  (AX), Y2, Y2
	VADDPD  32(AX), Y3, Y3
	VMOVUPD Y2, (AX)
	VMOVUPD Y3, 32(AX)
	ADDQ    $64, DI
	ADDQ    $64, DX
	ADDQ    $64, AX
	DECQ    CX
	JNZ     sb
sh:
	VADDPD       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	MOVQ         R12, CX
	TESTQ        CX, CX
	JZ           sd
st:
	VMOVSD (DI), X2
	VMULSD (DX), X2, X3
	VADDSD X3, X0, X0
	VMULSD X4, X2, X2
	VADDSD (AX), X2, X2
	VMOVSD X2, (AX)
	ADDQ   $8, DI
	ADDQ   $8, DX
	ADDQ   $8, AX
	DECQ   CX
	JNZ    st
sd:
	VMOVSD (SI), X2          // r[0]
	VMULSD X5, X2, X2        // r[0]·v[i]
	VADDSD X0, X2, X2        // + x
	VADDSD (R13), X2, X2     // p[i] + …
	VMOVSD X2, (R13)
	ADDQ   R8, SI
	ADDQ   $8, BX
	ADDQ   $8, R13
	TESTQ  R9, R9
	JNZ    srow
sdone:
	VZEROUPPER
	RET

// func syr2UpperAVX(a *float64, stride, m int, v, w *float64)
// For i < m, with r the row i of the upper triangle from its diagonal:
// r[j] -= v[i]·w[i+j] + w[i]·v[i+j] for j < m−i.
TEXT ·syr2UpperAVX(SB), NOSPLIT, $0-40
	MOVQ a+0(FP), SI
	MOVQ stride+8(FP), R8
	INCQ R8
	SHLQ $3, R8
	MOVQ m+16(FP), R9
	MOVQ v+24(FP), BX
	MOVQ w+32(FP), R13
	TESTQ R9, R9
	JZ   wdone
wrow:
	MOVQ R9, R11
	SHRQ $3, R11
	MOVQ R9, R12
	ANDQ $7, R12
	VMOVSD       (BX), X5
	VMOVDDUP     X5, X4
	VINSERTF128  $1, X4, Y4, Y4  // a = v[i]
	VMOVSD       (R13), X7
	VMOVDDUP     X7, X6
	VINSERTF128  $1, X6, Y6, Y6  // b = w[i]
	MOVQ SI, DI
	MOVQ R13, DX             // x = w[i:]
	MOVQ BX, AX              // y = v[i:]
	MOVQ R11, CX
	TESTQ CX, CX
	JZ   wt
wb:
	VMULPD  (DX), Y4, Y0
	VMULPD  32(DX), Y4, Y1
	VMULPD  (AX), Y6, Y2
	VMULPD  32(AX), Y6, Y3
	VADDPD  Y2, Y0, Y0
	VADDPD  Y3, Y1, Y1
	VMOVUPD (DI), Y2
	VMOVUPD 32(DI), Y3
	VSUBPD  Y0, Y2, Y2
	VSUBPD  Y1, Y3, Y3
	VMOVUPD Y2, (DI)
	VMOVUPD Y3, 32(DI)
	ADDQ    $64, DI
	ADDQ    $64, DX
	ADDQ    $64, AX
	DECQ    CX
	JNZ     wb
wt:
	MOVQ  R12, CX
	TESTQ CX, CX
	JZ    wnext
wtl:
	VMOVSD (DX), X0
	VMULSD X5, X0, X0
	VMOVSD (AX), X2
	VMULSD X7, X2, X2
	VADDSD X2, X0, X0
	VMOVSD (DI), X2
	VSUBSD X0, X2, X2
	VMOVSD X2, (DI)
	ADDQ   $8, DI
	ADDQ   $8, DX
	ADDQ   $8, AX
	DECQ   CX
	JNZ    wtl
wnext:
	ADDQ R8, SI
	ADDQ $8, BX
	ADDQ $8, R13
	DECQ R9
	JNZ  wrow
wdone:
	VZEROUPPER
	RET
