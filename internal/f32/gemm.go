package f32

import (
	"fmt"
	"runtime"
	"sync/atomic"

	"github.com/bcikit/bcikit/internal/parallel"
)

// Gemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices,
// with BLAS SGEMM semantics: op(A) is m×k (A is m×k with row stride lda,
// or k×m if transA), op(B) is k×n (B is k×n with row stride ldb, or n×k
// if transB), C is m×n with row stride ldc. When beta is 0, C is not read
// (NaN and Inf in C are overwritten); when alpha is 0 or k is 0, A and B
// are not read. Large products run on all cores, split into blocks of
// rows or columns, unless another Gemm is running at the same time (then
// the caller is presumably already parallel); small ones run on the
// calling goroutine, as [GemmSerial] always does.
//
// Gemm panics with an "f32: ..." message when a dimension is negative, a
// stride is smaller than the row it spans or a slice is too short.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	// Split over the cores only when no other Gemm is running: callers
	// that already run one product per core (a layer's workers) would
	// otherwise start more goroutines than cores.
	busy := inFlight.Add(1)
	defer inFlight.Add(-1)
	w := 1
	if m*n*k >= parallelFlops && busy == 1 {
		w = runtime.GOMAXPROCS(0)
	}
	gemm(w, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// inFlight counts the Gemm calls running now.
var inFlight atomic.Int32

// GemmSerial is Gemm on the calling goroutine only, for callers that
// already run one product per core (a layer parallel over trials).
func GemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	gemm(1, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func checkGemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("f32: Gemm: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMat("A", ar, ac, a, lda)
	checkMat("B", br, bc, b, ldb)
	checkMat("C", m, n, c, ldc)
}

func checkMat(name string, r, c int, s []float32, ld int) {
	if ld < max(1, c) {
		panic(fmt.Sprintf("f32: Gemm: ld%s=%d smaller than its %d columns", name, ld, c))
	}
	if r == 0 || c == 0 {
		return
	}
	if need := (r-1)*ld + c; len(s) < need {
		panic(fmt.Sprintf("f32: Gemm: %s has %d elements, a %d×%d matrix with stride %d needs %d", name, len(s), r, c, ld, need))
	}
}

// parallelFlops is the multiply-add count below which Gemm stays on the
// calling goroutine.
const parallelFlops = 1 << 18

// gemmGo is the portable Gemm on the given number of workers: C rows
// scaled by beta, then rank-1 updates in i-p-j order so the inner loop
// runs along contiguous rows of B and C.
func gemmGo(workers int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	g := gemmCall{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc}
	g.tiles, g.tile = m, 1 // split rows only
	g.workers = max(1, min(workers, m))
	if g.workers == 1 {
		g.goRows(0, m)
		return
	}
	g.goParallel()
}

func (g gemmCall) goParallel() {
	parallel.ForEach(g.workers, g.workers, func(_, t int) { g.goRows(g.span(t)) })
}

// goRows computes rows [i0, i1) of C.
func (g *gemmCall) goRows(i0, i1 int) {
	a, b, c := g.a, g.b, g.c
	lda, ldb, ldc, n := g.lda, g.ldb, g.ldc, g.n
	for i := i0; i < i1; i++ {
		ci := c[i*ldc : i*ldc+n]
		scaleRow(ci, g.beta)
		if g.alpha == 0 {
			continue
		}
		for p := range g.k {
			var aip float32
			if g.transA {
				aip = a[p*lda+i]
			} else {
				aip = a[i*lda+p]
			}
			aip *= g.alpha
			if g.transB {
				for j := range ci {
					ci[j] += aip * b[j*ldb+p]
				}
			} else {
				axpyGo(aip, b[p*ldb:p*ldb+n], ci)
			}
		}
	}
}

func scaleRow(c []float32, beta float32) {
	switch beta {
	case 0:
		clear(c)
	case 1:
	default:
		for j := range c {
			c[j] *= beta
		}
	}
}
