package csp

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// Dense row-major n×n helpers on plain slices. The CSP decompositions are
// small (n = number of channels), so clarity beats blocking here; the large
// work (Gram matrices of long signals) goes through BLAS.

// symEig returns the eigenvalues of the symmetric n×n matrix a (ascending)
// and, in the columns of the returned row-major matrix, its orthonormal
// eigenvectors, as scipy.linalg.eigh. a is not modified.
func symEig(a []float64, n int) (vals, vecs []float64, ok bool) {
	vecs = append([]float64(nil), a...)
	vals = make([]float64, n)
	sym := blas64.Symmetric{N: n, Stride: n, Data: vecs, Uplo: blas.Upper}
	work := []float64{0}
	lapack64.Syev(lapack.EVCompute, sym, vals, work, -1)
	work = make([]float64, int(work[0]))
	ok = lapack64.Syev(lapack.EVCompute, sym, vals, work, len(work))
	return vals, vecs, ok
}

// symEigValues returns the eigenvalues of the symmetric n×n matrix a,
// ascending. It computes the eigenvectors too: gonum 0.17's values-only
// path (Dsterf) panics on matrices that need internal rescaling.
func symEigValues(a []float64, n int) (vals []float64, ok bool) {
	vals, _, ok = symEig(a, n)
	return vals, ok
}

// genEig solves the symmetric-definite generalised eigenproblem
// A v = λ B v as scipy.linalg.eigh(a, b): eigenvalues ascending,
// eigenvectors in the columns of the returned row-major matrix, normalised
// so that Vᵀ B V = I. It reduces the problem to a standard one through the
// Cholesky factor of B (LAPACK dsygv's method). ok is false when B is not
// positive definite.
//
// The sign of each eigenvector is whatever the symmetric eigensolver gives;
// it can differ from SciPy's (both are valid).
func genEig(a, b []float64, n int) (vals, vecs []float64, ok bool) {
	l := append([]float64(nil), b...)
	tri, ok := lapack64.Potrf(blas64.Symmetric{N: n, Stride: n, Data: l, Uplo: blas.Lower})
	if !ok {
		return nil, nil, false
	}
	for i := 0; i < n; i++ { // clear the unused upper triangle
		for j := i + 1; j < n; j++ {
			l[i*n+j] = 0
		}
	}
	// C = L⁻¹ A L⁻ᵀ
	c := append([]float64(nil), a...)
	cg := blas64.General{Rows: n, Cols: n, Stride: n, Data: c}
	blas64.Trsm(blas.Left, blas.NoTrans, 1, tri, cg)
	blas64.Trsm(blas.Right, blas.Trans, 1, tri, cg)
	for i := 0; i < n; i++ { // symmetrise away the rounding
		for j := i + 1; j < n; j++ {
			m := 0.5 * (c[i*n+j] + c[j*n+i])
			c[i*n+j], c[j*n+i] = m, m
		}
	}
	vals, w, ok := symEig(c, n)
	if !ok {
		return nil, nil, false
	}
	// V = L⁻ᵀ W
	blas64.Trsm(blas.Left, blas.Trans, 1, tri, blas64.General{Rows: n, Cols: n, Stride: n, Data: w})
	return vals, w, true
}

// posDef reports whether the symmetric n×n matrix a has a Cholesky factor.
func posDef(a []float64, n int) bool {
	l := append([]float64(nil), a...)
	_, ok := lapack64.Potrf(blas64.Symmetric{N: n, Stride: n, Data: l, Uplo: blas.Lower})
	return ok
}

// pinv returns the Moore-Penrose pseudo-inverse of the m×n row-major matrix
// a (n×m, row-major) as mne.fixes.pinv / numpy.linalg.pinv: singular values
// at or below max(m, n)·eps·σmax are treated as zero.
func pinv(a []float64, m, n int) []float64 {
	k := min(m, n)
	cp := append([]float64(nil), a...)
	s := make([]float64, k)
	u := make([]float64, m*k)
	vt := make([]float64, k*n)
	work := []float64{0}
	ag := blas64.General{Rows: m, Cols: n, Stride: n, Data: cp}
	ug := blas64.General{Rows: m, Cols: k, Stride: k, Data: u}
	vg := blas64.General{Rows: k, Cols: n, Stride: n, Data: vt}
	lapack64.Gesvd(lapack.SVDStore, lapack.SVDStore, ag, ug, vg, s, work, -1)
	work = make([]float64, int(work[0]))
	out := make([]float64, n*m)
	if !lapack64.Gesvd(lapack.SVDStore, lapack.SVDStore, ag, ug, vg, s, work, len(work)) {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	tol := float64(max(m, n)) * eps * s[0]
	// out = V diag(1/s) Uᵀ over the kept singular values
	for r := 0; r < k && s[r] > tol; r++ {
		inv := 1 / s[r]
		for i := 0; i < n; i++ {
			v := vt[r*n+i] * inv
			if v == 0 {
				continue
			}
			row := out[i*m : (i+1)*m]
			for j := range row {
				row[j] += v * u[j*k+r]
			}
		}
	}
	return out
}

const eps = 0x1p-52

// quadForm returns vᵀ A v for the n×n row-major A, where v is column col of
// the row-major n×n matrix vecs.
func quadForm(a, vecs []float64, n, col int) float64 {
	s := 0.0
	for i := 0; i < n; i++ {
		t := 0.0
		row := a[i*n : (i+1)*n]
		for j, aij := range row {
			t += aij * vecs[j*n+col]
		}
		s += vecs[i*n+col] * t
	}
	return s
}
