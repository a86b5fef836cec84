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
// gonum's Dsteqr walks columns of a row-major matrix. Eigenvalues are
// ascending, as dsyev gives them; eigenvectors are unit columns, their
// signs those of the algorithm.
//
// The package also multiplies small square matrices (Mul, MulSym, ...)
// for the matrix functions built on the decomposition.
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
	n := w.n
	if n == 0 {
		return true
	}
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
	// tql2 indexes the off-diagonal as e[i] coupling i-1 and i; Dsytrd
	// gives e[i] coupling i and i+1.
	for i := n - 1; i > 0; i-- {
		e[i] = e[i-1]
	}
	e[0] = 0
	if !tql2(vals, e, vt, w.cs, w.ss, n) {
		return false
	}
	// Sort ascending, moving rows of vt.
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

// tql2 diagonalises the symmetric tridiagonal matrix with diagonal d and
// sub-diagonal e[1:] (e[i] couples i-1 and i) by the implicit QL method,
// applying the rotations to rows of vt (the transposed eigenvector
// matrix) a sweep at a time (sweep; cs and ss hold a sweep's cosines and
// sines). d receives the eigenvalues, unsorted.
func tql2(d, e, vt, cs, ss []float64, n int) bool {
	for i := 1; i < n; i++ {
		e[i-1] = e[i]
	}
	e[n-1] = 0
	f, tst1 := 0.0, 0.0
	const eps = 0x1p-52
	for l := 0; l < n; l++ {
		// Find a small sub-diagonal element.
		tst1 = math.Max(tst1, math.Abs(d[l])+math.Abs(e[l]))
		m := l
		for m < n {
			if math.Abs(e[m]) <= eps*tst1 {
				break
			}
			m++
		}
		if m == n {
			m = n - 1
		}
		// If m == l, d[l] is an eigenvalue; otherwise iterate.
		if m > l {
			iter := 0
			for {
				iter++
				if iter > 30*n+100 || math.IsNaN(tst1) {
					return false
				}
				// Compute the implicit shift.
				g := d[l]
				p := (d[l+1] - g) / (2 * e[l])
				r := hypot(p, 1)
				if p < 0 {
					r = -r
				}
				d[l] = e[l] / (p + r)
				d[l+1] = e[l] * (p + r)
				dl1 := d[l+1]
				h := g - d[l]
				for i := l + 2; i < n; i++ {
					d[i] -= h
				}
				f += h
				// Implicit QL transformation.
				p = d[m]
				c, c2, c3 := 1.0, 1.0, 1.0
				el1 := e[l+1]
				s, s2 := 0.0, 0.0
				for i := m - 1; i >= l; i-- {
					c3 = c2
					c2 = c
					s2 = s
					ei, di := e[i], d[i]
					g = c * ei
					h = c * p
					// p ← c·d[i] − s·g with c = p/r and s = e[i]/r, as
					// (p·d[i] − e[i]·g)·(1/r): one division, and the
					// products need not wait for r, which shortens the
					// chain of dependent operations from one rotation to
					// the next (the square root and the division).
					pd := p*di - ei*g
					r = hypot(p, ei)
					e[i+1] = s * r
					ri := 1 / r
					s = ei * ri
					c = p * ri
					p = pd * ri
					d[i+1] = h + s*(c*g+s*di)
					cs[i], ss[i] = c, s
				}
				// The sweep's rotations on rows l … m of vt, at once.
				sweep(vt, n, l, m, cs, ss)
				p = -s * s2 * c3 * el1 * e[l] / dl1
				e[l] = s * p
				d[l] = c * p
				if !(math.Abs(e[l]) > eps*tst1) {
					break
				}
			}
		}
		d[l] += f
		e[l] = 0
	}
	return true
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
