package xdawn

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// genEig solves the symmetric-definite generalised eigenproblem
// A v = λ B v as scipy.linalg.eigh(a, b): eigenvalues ascending,
// eigenvectors in the columns of the returned n×n row-major matrix. It
// reduces the problem through the Cholesky factor of B (LAPACK dsygv's
// method); ok is false when B is not positive definite. Eigenvector signs
// are the eigensolver's and can differ from SciPy's.
func genEig(a, b []float64, n int) (vals, vecs []float64, ok bool) {
	l := append([]float64(nil), b...)
	tri, ok := lapack64.Potrf(blas64.Symmetric{N: n, Stride: n, Data: l, Uplo: blas.Lower})
	if !ok {
		return nil, nil, false
	}
	// A numerically singular B can still factorise through rounding;
	// treat a Cholesky diagonal spanning more than 1/(16·n·eps) in squared
	// magnitude (a condition number above about 1e14) as singular.
	dmin, dmax := math.Inf(1), 0.0
	for i := 0; i < n; i++ {
		d := l[i*n+i]
		dmin, dmax = math.Min(dmin, d), math.Max(dmax, d)
		for j := i + 1; j < n; j++ {
			l[i*n+j] = 0
		}
	}
	if !(dmin*dmin > 16*float64(n)*0x1p-52*dmax*dmax) {
		return nil, nil, false
	}
	c := append([]float64(nil), a...)
	cg := blas64.General{Rows: n, Cols: n, Stride: n, Data: c}
	blas64.Trsm(blas.Left, blas.NoTrans, 1, tri, cg)
	blas64.Trsm(blas.Right, blas.Trans, 1, tri, cg)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			m := 0.5 * (c[i*n+j] + c[j*n+i])
			c[i*n+j], c[j*n+i] = m, m
		}
	}
	vals = make([]float64, n)
	sym := blas64.Symmetric{N: n, Stride: n, Data: c, Uplo: blas.Upper}
	work := []float64{0}
	lapack64.Syev(lapack.EVCompute, sym, vals, work, -1)
	work = make([]float64, int(work[0]))
	if !lapack64.Syev(lapack.EVCompute, sym, vals, work, len(work)) {
		return nil, nil, false
	}
	blas64.Trsm(blas.Left, blas.Trans, 1, tri, blas64.General{Rows: n, Cols: n, Stride: n, Data: c})
	return vals, c, true
}

// pinv returns the pseudo-inverse (n×m) of the m×n row-major matrix a as
// numpy.linalg.pinv with its default rcond=1e-15: singular values at or
// below 1e-15·σmax count as zero. ok is false if the SVD fails.
func pinv(a []float64, m, n int) (out []float64, ok bool) {
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
	if !lapack64.Gesvd(lapack.SVDStore, lapack.SVDStore, ag, ug, vg, s, work, len(work)) {
		return nil, false
	}
	out = make([]float64, n*m)
	tol := 1e-15 * s[0]
	for r := 0; r < k && s[r] > tol; r++ {
		inv := 1 / s[r]
		for i := 0; i < n; i++ {
			v := vt[r*n+i] * inv
			row := out[i*m : (i+1)*m]
			for j := range row {
				row[j] += v * u[j*k+r]
			}
		}
	}
	return out, true
}
