package f32

import (
	"sync"
	"unsafe"

	"github.com/bcikit/bcikit/internal/parallel"
)

// dotKernel computes, with f, the 4·cols dot products of 4 rows of A (at
// a + r·lda) with cols rows of B (at b + c·ldb) over block·nb elements,
// each left as lanes partial sums: out[lanes·(cols·r+c) + l] (lanes = 1:
// the sums themselves). Strides are in elements; nb ≥ 1.
type dotKernel struct {
	f                  func(nb int, a *float32, lda int, b *float32, ldb int, out *float32)
	block, lanes, cols int
}

// dotGoNT is the portable dotKernel, used to test gemmNT anywhere.
var dotGoNT = dotKernel{dotGo4x3, 8, 8, 3}

// dotGo4x3 is dotGoNT's function.
func dotGo4x3(k8 int, a *float32, lda int, b *float32, ldb int, out *float32) {
	n := 8 * k8
	as := unsafe.Slice(a, 3*lda+n)
	bs := unsafe.Slice(b, 2*ldb+n)
	o := unsafe.Slice(out, 96)
	for r := range 4 {
		for c := range 3 {
			acc := o[8*(3*r+c) : 8*(3*r+c)+8]
			clear(acc)
			ar, br := as[r*lda:r*lda+n], bs[c*ldb:c*ldb+n]
			for p := range n {
				acc[p%8] += ar[p] * br[p]
			}
		}
	}
}

// useNT reports whether Gemm takes the dot-product path gemmNT: A·Bᵀ
// with k long enough next to m and n that packing would cost more than
// the 4×3 tiles' lower reuse.
func useNT(transA, transB bool, m, n, k int) bool {
	return !transA && transB && k >= ntMinK && k >= 4*min(m, n)
}

// ntMinK is the shortest k for which gemmNT is used.
var ntMinK = 256

// ntKC is the block of k over which gemmNT keeps rows of A in L1 and
// rows of B in L2.
const ntKC = 1024

// ntWork holds copies of the rows of a partial tile.
type ntWork struct {
	out [12 * 8]float32
	a   [4 * ntKC]float32
	b   [6 * ntKC]float32
}

var ntPool = sync.Pool{New: func() any { return new(ntWork) }}

// gemmNT is Gemm for op(A) = A, op(B) = Bᵀ when k is long next to m and
// n (the weight gradient of a convolution: C = dY·Xᵀ over many
// positions): both operands are read in place along their contiguous
// rows, as 4×3 (AVX2) or 4×6 (AVX-512) tiles of dot products, with no packing. A partial tile at
// the bottom or right edge reads copies of its rows from scratch rows so
// the kernel's reads stay in bounds; the sums of the rows it lacks are
// dropped.
func gemmNT(kern dotKernel, workers, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	g := gemmCall{transB: true, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc}
	g.setSplit(workers, 4, kern.cols)
	if g.workers == 1 {
		g.ntPart(kern, 0)
		return
	}
	g.ntParallel(kern)
}

func (g gemmCall) ntParallel(kern dotKernel) {
	parallel.ForEach(g.workers, g.workers, func(_, t int) { g.ntPart(kern, t) })
}

func (g *gemmCall) ntPart(kern dotKernel, t int) {
	lo, hi := g.span(t)
	i0, i1, j0, j1 := 0, g.m, lo, hi
	if !g.splitN {
		i0, i1, j0, j1 = lo, hi, 0, g.n
	}
	a, b, c := g.a, g.b, g.c
	lda, ldb, ldc, k := g.lda, g.ldb, g.ldc, g.k
	alpha, beta := g.alpha, g.beta
	w := ntPool.Get().(*ntWork)
	defer ntPool.Put(w)
	var tile [24]float32
	blk, lanes, nc := kern.block, kern.lanes, kern.cols
	kv := k / blk * blk
	for pc := 0; pc < k; pc += ntKC {
		kcb := min(ntKC, k-pc)
		bet := beta
		if pc > 0 {
			bet = 1
		}
		for i := i0; i < i1; i += 4 {
			rows := min(4, i1-i)
			pa, sa := &a[i*lda+pc], lda
			if rows < 4 {
				// A partial tile reads its rows from a copy, so the
				// kernel's fixed 4 rows stay in bounds.
				for r := range rows {
					copy(w.a[r*ntKC:r*ntKC+kcb], a[(i+r)*lda+pc:(i+r)*lda+pc+kcb])
				}
				pa, sa = &w.a[0], ntKC
			}
			for j := j0; j < j1; j += nc {
				cols := min(nc, j1-j)
				pb, sb := &b[j*ldb+pc], ldb
				if cols < nc {
					for cc := range cols {
						copy(w.b[cc*ntKC:cc*ntKC+kcb], b[(j+cc)*ldb+pc:(j+cc)*ldb+pc+kcb])
					}
					pb, sb = &w.b[0], ntKC
				}
				clear(tile[:])
				// The vector part covers [pc, pc+v), the rest is scalar.
				v := max(0, min(kcb, kv-pc)) / blk * blk
				if v > 0 {
					kern.f(v/blk, pa, sa, pb, sb, &w.out[0])
					if lanes == 1 {
						copy(tile[:], w.out[:4*nc])
					} else {
						for q := range 4 * nc {
							tile[q] = sumLanes(w.out[lanes*q : lanes*q+lanes])
						}
					}
				}
				for r := range rows {
					for cc := range cols {
						s := tile[nc*r+cc]
						ar := a[(i+r)*lda : (i+r)*lda+k]
						br := b[(j+cc)*ldb : (j+cc)*ldb+k]
						for p := pc + v; p < pc+kcb; p++ {
							s += ar[p] * br[p]
						}
						ci := &c[(i+r)*ldc+j+cc]
						switch bet {
						case 0:
							*ci = alpha * s
						default:
							*ci = bet**ci + alpha*s
						}
					}
				}
			}
		}
	}
}

// sumLanes adds a dot kernel's 8 partial sums pairwise.
func sumLanes(o []float32) float32 {
	o = o[:8]
	return ((o[0] + o[1]) + (o[2] + o[3])) + ((o[4] + o[5]) + (o[6] + o[7]))
}
