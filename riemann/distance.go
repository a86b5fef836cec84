package riemann

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// Distance returns the affine-invariant Riemannian distance between the
// SPD matrices a and b, pyRiemann 0.6's distance_riemann:
//
//	d(A, B) = sqrt(Σ log²(λᵢ)),  λ the eigenvalues of the pencil (A, B)
//
// It is AffineInvariant.Distance(a, b).
func Distance(a, b *mat.SymDense) float64 { return AffineInvariant.Distance(a, b) }

// Distance returns the distance between a and b under the metric m, as
// pyRiemann 0.6's distance(A, B, metric=m.String()). Matrices of different
// sizes make it panic. It returns NaN when an input holds NaN or ±Inf, or
// when the metric needs a positive definite matrix (all but Euclidean) and
// one is not.
func (m Metric) Distance(a, b *mat.SymDense) float64 {
	n := a.SymmetricDim()
	if b.SymmetricDim() != n {
		panic(fmt.Sprintf("riemann: distance between %d×%d and %d×%d matrices", n, n, b.SymmetricDim(), b.SymmetricDim()))
	}
	if n == 0 {
		return 0
	}
	s := getWS(n)
	defer putWS(s)
	ar, br := a.RawSymmetric(), b.RawSymmetric()
	switch m {
	case AffineInvariant:
		u := make([]float64, n*n)
		if !cholUpper(u, n, br.Data, br.Stride) {
			return math.NaN()
		}
		return s.riemannDist(ar.Data, ar.Stride, u)
	case LogEuclidean:
		la, lb := make([]float64, n*n), make([]float64, n*n)
		if !s.logm(la, ar.Data, ar.Stride) || !s.logm(lb, br.Data, br.Stride) {
			return math.NaN()
		}
		return frobDiff(la, lb, n, n)
	case Euclidean:
		return frobDiffUpper(ar.Data, ar.Stride, br.Data, br.Stride, n)
	case Harmonic:
		ia, ib := make([]float64, n*n), make([]float64, n*n)
		if !inverse(ia, n, ar.Data, ar.Stride) || !inverse(ib, n, br.Data, br.Stride) {
			return math.NaN()
		}
		return frobDiff(ia, ib, n, n)
	case LogDet:
		la, okA := logdet(s.b, n, ar.Data, ar.Stride)
		lb, okB := logdet(s.b, n, br.Data, br.Stride)
		for i := range n {
			for j := i; j < n; j++ {
				s.c[i*n+j] = (ar.Data[i*ar.Stride+j] + br.Data[i*br.Stride+j]) / 2
			}
		}
		lm, okM := logdet(s.b, n, s.c, n)
		if !okA || !okB || !okM {
			return math.NaN()
		}
		return logdetDist(lm, la, lb)
	}
	panic(fmt.Sprintf("riemann: unknown metric %v", m))
}

// logdetDist is pyRiemann's distance_logdet from the log-determinants of
// (A+B)/2, A and B: sqrt(max(0, log det((A+B)/2) − ½ log det(AB))).
func logdetDist(lm, la, lb float64) float64 {
	return math.Sqrt(max(0, lm-0.5*(la+lb)))
}

// riemannDist returns the affine-invariant distance between the symmetric
// matrix c (upper triangle, row stride cstride) and B = UᵀU given by its
// upper Cholesky factor u (row-major n×n): the eigenvalues of U⁻ᵀ·C·U⁻¹
// are those of the pencil (C, B), as LAPACK's dsygst reduction in SciPy's
// eigvalsh(A, B).
func (s *ws) riemannDist(c []float64, cstride int, u []float64) float64 {
	n := s.n
	for i := range n {
		copy(s.a[i*n+i:i*n+n], c[i*cstride+i:i*cstride+n])
		for j := i + 1; j < n; j++ {
			s.a[j*n+i] = s.a[i*n+j]
		}
	}
	t := blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: n, Stride: n, Data: u}
	blas64.Trsm(blas.Left, blas.Trans, 1, t, s.gen(s.a))
	blas64.Trsm(blas.Right, blas.NoTrans, 1, t, s.gen(s.a))
	if !s.eigenA(false) || !s.positive() {
		return math.NaN()
	}
	var sum float64
	for _, l := range s.w {
		ll := math.Log(l)
		sum += ll * ll
	}
	return math.Sqrt(sum)
}

// riemannDistInv is riemannDist with B = L·Lᵀ given by L⁻¹ (lower
// triangular, zeros above the diagonal): the eigenvalues of L⁻¹·C·L⁻ᵀ,
// the same as those of U⁻ᵀ·C·U⁻¹ (U = Lᵀ), by two triangular products
// instead of two triangular solves, for many C against one B.
func (s *ws) riemannDistInv(c []float64, cstride int, linv []float64) float64 {
	s.lowerCongruence(s.a, linv, c, cstride)
	if !upperFinite(s.a, s.n) || !s.eigenA(false) || !s.positive() {
		return math.NaN()
	}
	var sum float64
	for _, l := range s.w {
		ll := math.Log(l)
		sum += ll * ll
	}
	return math.Sqrt(sum)
}

// logm writes the logarithm of the symmetric matrix c (upper, row stride
// cstride) into the full n×n dst, reporting false unless c is finite and
// positive definite.
func (s *ws) logm(dst, c []float64, cstride int) bool {
	if !s.eigen(c, cstride, true) || !s.positive() {
		return false
	}
	s.apply(dst, s.n, fnLog)
	return true
}

// cholUpper copies the symmetric c (upper, row stride cstride) into the
// row-major n×n dst and factorises it in place as UᵀU, U upper. It reports
// false when c is not positive definite. The strict lower part of dst is
// zeroed.
func cholUpper(dst []float64, n int, c []float64, cstride int) bool {
	for i := range n {
		clear(dst[i*n : i*n+i])
		copy(dst[i*n+i:i*n+n], c[i*cstride+i:i*cstride+n])
	}
	_, ok := lapack64.Potrf(blas64.Symmetric{N: n, Stride: n, Uplo: blas.Upper, Data: dst})
	return ok
}

// logdet returns log det C of the symmetric c via a Cholesky factorisation
// in the n×n buffer buf, and whether c is positive definite.
func logdet(buf []float64, n int, c []float64, cstride int) (float64, bool) {
	if !cholUpper(buf, n, c, cstride) {
		return math.NaN(), false
	}
	var l float64
	for i := range n {
		l += math.Log(buf[i*n+i])
	}
	return 2 * l, true
}

// inverse writes the inverse of the SPD matrix c (upper, row stride
// cstride) into the full n×n dst, reporting false when c is not positive
// definite.
func inverse(dst []float64, n int, c []float64, cstride int) bool {
	if !cholUpper(dst, n, c, cstride) {
		return false
	}
	t := blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: n, Stride: n, Data: dst}
	if _, ok := lapack64.Potri(t); !ok {
		return false
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			dst[j*n+i] = dst[i*n+j]
		}
	}
	return true
}

// frobDiff returns ‖A − B‖_F of two full row-major n×n matrices with row
// stride stride.
func frobDiff(a, b []float64, n, stride int) float64 {
	var sum float64
	for i := range n {
		ra, rb := a[i*stride:i*stride+n], b[i*stride:i*stride+n]
		for j, v := range ra {
			d := v - rb[j]
			sum += d * d
		}
	}
	return math.Sqrt(sum)
}

// frobDiffUpper returns ‖A − B‖_F of two symmetric matrices given by their
// upper triangles.
func frobDiffUpper(a []float64, as int, b []float64, bs int, n int) float64 {
	var diag, off float64
	for i := range n {
		d := a[i*as+i] - b[i*bs+i]
		diag += d * d
		for j := i + 1; j < n; j++ {
			d := a[i*as+j] - b[i*bs+j]
			off += d * d
		}
	}
	return math.Sqrt(diag + 2*off)
}
