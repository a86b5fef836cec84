// Package symeig computes eigenvalues and eigenvectors of real symmetric
// matrices stored row-major, faster than LAPACK's dsyev as gonum runs it
// for the sizes bcikit meets (up to a few hundred: augmented covariances).
//
// The method is dsyev's: Householder reduction to tridiagonal form, then
// the implicit QL algorithm with Wilkinson shifts on the tridiagonal
// matrix (EISPACK's tql2). The reduction is dsytd2's, written with loops
// along contiguous rows (AVX kernels where the CPU has them), and forms
// Qᵀ directly (gonum's Dsytrd and Dorgtr remain for matrices whose entries
// need dlarfg's rescaling). The plane rotations of the QL sweeps go to
// rows of the transposed eigenvector matrix, contiguous in memory, where
// gonum's Dsteqr walks columns of a row-major matrix, a sweep at a time
// (AVX kernels, fused multiply-adds where the CPU has FMA3). Eigenvalues
// are ascending, as dsyev gives them; eigenvectors are unit columns, their
// signs those of the algorithm. EigenPair decomposes two matrices with
// their QL iterations interleaved, with the same results as one at a time.
//
// The package also multiplies small square matrices (Mul, MulSym, ...)
// for the matrix functions built on the decomposition. Kernels and the Go
// loops that stand in for them elsewhere do the same arithmetic in the
// same order, so results do not depend on the kernel, only on whether the
// CPU has FMA3.
package symeig

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack/gonum"
)

var impl gonum.Implementation

// Work is the scratch space of one decomposition of n×n matrices; reuse it
// for every matrix of that size (not from several goroutines at once).
type Work struct {
	n          int
	e, tau, vt []float64
	lwork      []float64
	cs, ss     []float64 // rotations of a QL sweep
	perm       []int
	tmp        []float64
}

// NewWork returns the scratch space for n×n matrices.
func NewWork(n int) *Work {
	w := &Work{n: n, e: make([]float64, n), tau: make([]float64, max(n-1, 1)), vt: make([]float64, n*n), cs: make([]float64, n), ss: make([]float64, n), perm: make([]int, n), tmp: make([]float64, n*n)}
	q := []float64{0}
	a := make([]float64, max(n*n, 1))
	d := make([]float64, max(n, 1))
	impl.Dsytrd(blas.Upper, n, a, max(n, 1), d, w.e, w.tau, q, -1)
	l := int(q[0])
	impl.Dorgtr(blas.Upper, n, a, max(n, 1), w.tau, q, -1)
	l = max(l, int(q[0]), 1)
	w.lwork = make([]float64, l)
	return w
}

// Eigen decomposes the symmetric n×n matrix whose upper triangle is in a
// (row-major, stride n). On return vals holds the eigenvalues ascending
// and, with vectors, a holds the unit eigenvectors in its columns;
// without, a is overwritten. It reports false if the QL iteration did not
// converge (non-finite input).
func (w *Work) Eigen(a, vals []float64, vectors bool) bool {
	if w.n == 0 {
		return true
	}
	if !vectors {
		return w.reduce(a, vals, false)
	}
	var q, none ql
	if !w.reduce(a, vals, true) {
		return false
	}
	w.startQL(&q, vals)
	ok, _ := tql2Pair(&q, &none)
	return ok && w.sortVectors(a, vals)
}

// EigenPair decomposes two symmetric matrices as Eigen(a, vals, true) and
// w2.Eigen(a2, vals2, true) would (w and w2 of the same size, distinct),
// with the same results, running their QL iterations interleaved so that
// one's dependent scalar operations overlap the other's. It reports
// whether each decomposition succeeded.
func (w *Work) EigenPair(w2 *Work, a, vals, a2, vals2 []float64) (bool, bool) {
	if w.n == 0 {
		return true, true
	}
	var q, q2, none ql
	ok, ok2 := w.reduce(a, vals, true), w2.reduce(a2, vals2, true)
	pa, pb := &none, &none
	if ok {
		w.startQL(&q, vals)
		pa = &q
	}
	if ok2 {
		w2.startQL(&q2, vals2)
		pb = &q2
	}
	r, r2 := tql2Pair(pa, pb)
	ok = ok && r && w.sortVectors(a, vals)
	ok2 = ok2 && r2 && w2.sortVectors(a2, vals2)
	return ok, ok2
}

// reduce brings the matrix in a to tridiagonal form (vals the diagonal,
// w.e the off-diagonal) and, with vectors, w.vt to Qᵀ; without vectors
// it finishes the eigenvalues and reports whether they converged.
func (w *Work) reduce(a, vals []float64, vectors bool) bool {
	n := w.n
	e := w.e
	vt := w.vt
	if inRange(a, n) {
		tridiagonalize(a, vals, e, w.tau, w.tmp, n)
		if !vectors {
			return impl.Dsterf(n, vals, e[:n-1])
		}
		formQt(vt, a, w.tau, n)
	} else {
		// Entries so small or large that the reflectors need dlarfg's
		// rescaling (or not finite): LAPACK's reduction.
		impl.Dsytrd(blas.Upper, n, a, n, vals, e[:n-1+boolInt(n == 1)], w.tau, w.lwork, len(w.lwork))
		if !vectors {
			// Eigenvalues only: the tridiagonal QL without rotations.
			e2 := e[:max(n-1, 0)]
			return impl.Dsterf(n, vals, e2)
		}
		impl.Dorgtr(blas.Upper, n, a, n, w.tau, w.lwork, len(w.lwork))
		transpose(vt, a, n)
	}
	return true
}

// startQL sets q up for the QL iterations on the tridiagonal matrix of
// reduce.
func (w *Work) startQL(q *ql, vals []float64) {
	q.start(vals, w.e, w.vt, w.cs, w.ss, w.n)
}

// sortVectors sorts the eigenvalues ascending with the rows of w.vt and
// writes the eigenvectors into the columns of a.
func (w *Work) sortVectors(a, vals []float64) bool {
	n, vt := w.n, w.vt
	perm := w.perm
	for i := range perm {
		perm[i] = i
	}
	sorted := true
	for i := 1; i < n; i++ {
		if vals[i] < vals[i-1] {
			sorted = false
			break
		}
	}
	if !sorted {
		insertionSort(vals, perm)
		copy(w.tmp, vt)
		for i, p := range perm {
			copy(vt[i*n:(i+1)*n], w.tmp[p*n:(p+1)*n])
		}
	}
	transpose(a, vt, n)
	return true
}

// inRange reports whether every entry of the upper triangle of a is
// finite and, unless zero, of magnitude within [2⁻³⁰⁰, 2³⁰⁰], where the
// reflectors of tridiagonalize need no rescaling.
func inRange(a []float64, n int) bool {
	for i := range n {
		for _, v := range a[i*n+i : i*n+n] {
			if av := math.Abs(v); av != 0 && !(av >= 0x1p-300 && av <= 0x1p+300) {
				return false
			}
		}
	}
	return true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// insertionSort sorts vals ascending, permuting perm alongside (stable,
// n is small).
func insertionSort(vals []float64, perm []int) {
	for i := 1; i < len(vals); i++ {
		v, p := vals[i], perm[i]
		j := i - 1
		for j >= 0 && vals[j] > v {
			vals[j+1], perm[j+1] = vals[j], perm[j]
			j--
		}
		vals[j+1], perm[j+1] = v, p
	}
}

// Transpose writes the transpose of the row-major n×n src into dst (which
// must not overlap it), in cache-sized blocks.
func Transpose(dst, src []float64, n int) { transpose(dst, src, n) }

// transpose writes the transpose of the n×n src into dst, in blocks.
func transpose(dst, src []float64, n int) {
	const bs = 32
	for i0 := 0; i0 < n; i0 += bs {
		for j0 := 0; j0 < n; j0 += bs {
			for i := i0; i < min(i0+bs, n); i++ {
				row := src[i*n:]
				for j := j0; j < min(j0+bs, n); j++ {
					dst[j*n+i] = row[j]
				}
			}
		}
	}
}

// sweepGo is sweep on columns j0 on.
func sweepGo(vt []float64, n, lo, hi int, c, s []float64, j0 int) {
	rot := rotateGo
	if useFMA {
		rot = rotateFMA
	}
	for i := hi - 1; i >= lo; i-- {
		rot(vt[i*n+j0:(i+1)*n], vt[(i+1)*n+j0:(i+2)*n], c[i], s[i])
	}
}

// rotateFMA is rotateGo with fused multiply-adds, as the sweep kernel
// computes where the CPU has them: y ← fma(s, x, c·y), x ← fma(c, x, −s·y).
func rotateFMA(x, y []float64, c, s float64) {
	y = y[:len(x)]
	for k, xv := range x {
		h := y[k]
		y[k] = math.FMA(s, xv, c*h)
		x[k] = math.FMA(c, xv, -(s * h))
	}
}

// rotateGo applies the plane rotation to the rows x (column i of the
// eigenvectors) and y (column i+1): y ← s·x + c·y, x ← c·x − s·y.
func rotateGo(x, y []float64, c, s float64) {
	y = y[:len(x)]
	for k, xv := range x {
		h := y[k]
		y[k] = s*xv + c*h
		x[k] = c*xv - s*h
	}
}

// hypot is math.Hypot without its scaling when neither square can
// overflow or underflow (the common case), where sqrt(p²+q²) is as
// accurate and several times faster.
func hypot(p, q float64) float64 {
	ap, aq := math.Abs(p), math.Abs(q)
	m := max(ap, aq)
	if m < 0x1p+500 && (m > 0x1p-500 || m == 0) {
		return math.Sqrt(p*p + q*q)
	}
	return math.Hypot(p, q)
}
