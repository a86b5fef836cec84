package riemann

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/bcikit/bcikit/internal/symeig"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// ws is the scratch space of one goroutine for n×n matrices: an eigen
// decomposition and a few row-major n×n buffers. Matrices inside the
// package are full row-major n×n slices; *mat.SymDense appears only at the
// API.
type ws struct {
	n   int
	a   []float64    // eigen input, then eigenvectors in columns
	w   []float64    // eigenvalues, ascending
	fl  []float64    // f(λ) of apply
	eig *symeig.Work // eigensolver scratch
	b   []float64    // scratch of apply
	c   []float64    // scratch of congruence
	d   []float64    // scratch of congruenceFull
	t   []float64    // scratch of apply (eigenvectors in rows)
	// A second decomposition, for pairs decomposed together (logmPair).
	a2, w2 []float64
	eig2   *symeig.Work
	e2, e3 []float64 // the matrices of a pair (TangentSpace.Transform)
}

var wsPool sync.Pool

// getWS returns a workspace for n×n matrices.
func getWS(n int) *ws {
	s, _ := wsPool.Get().(*ws)
	if s == nil {
		s = new(ws)
	}
	if s.n != n {
		s.n = n
		s.a = make([]float64, n*n)
		s.w = make([]float64, n)
		s.fl = make([]float64, n)
		s.b = make([]float64, n*n)
		s.c = make([]float64, n*n)
		s.d = make([]float64, n*n)
		s.t = make([]float64, n*n)
		s.a2 = make([]float64, n*n)
		s.w2 = make([]float64, n)
		s.e2 = make([]float64, n*n)
		s.e3 = make([]float64, n*n)
		s.eig2 = symeig.NewWork(n)
		s.eig = symeig.NewWork(n)
	}
	return s
}

func putWS(s *ws) { wsPool.Put(s) }

// sym views the row-major n×n slice m as a symmetric matrix (upper
// triangle used).
func (s *ws) sym(m []float64) blas64.Symmetric {
	return blas64.Symmetric{N: s.n, Stride: max(1, s.n), Uplo: blas.Upper, Data: m}
}

func (s *ws) gen(m []float64) blas64.General {
	return blas64.General{Rows: s.n, Cols: s.n, Stride: max(1, s.n), Data: m}
}

// eigen decomposes the symmetric matrix whose upper triangle is in src
// (row stride stride); with vectors false only s.w is valid. It reports
// false when src is not finite or the decomposition failed.
func (s *ws) eigen(src []float64, stride int, vectors bool) bool {
	n := s.n
	for i := range n {
		row := src[i*stride+i : i*stride+n]
		for _, v := range row {
			if v-v != 0 {
				return false
			}
		}
		copy(s.a[i*n+i:i*n+n], row)
	}
	return s.eigenA(vectors)
}

// eigenA decomposes the symmetric matrix whose upper triangle is in s.a,
// in place.
func (s *ws) eigenA(vectors bool) bool {
	return s.eig.Eigen(s.a, s.w, vectors)
}

// apply writes V·diag(f(λ))·Vᵀ of the last eigen decomposition into the
// n×n row-major dst with row stride stride (the whole square is written,
// exactly symmetric).
func (s *ws) apply(dst []float64, stride int, f func(float64) float64) {
	s.applyOf(s.a, s.w, dst, stride, f)
}

// applyOf is apply for the decomposition with eigenvectors in the columns
// of a and eigenvalues w.
func (s *ws) applyOf(a, w, dst []float64, stride int, f func(float64) float64) {
	n := s.n
	fl := s.fl
	for j, l := range w {
		fl[j] = f(l)
	}
	for i := range n {
		row, out := a[i*n:i*n+n], s.b[i*n:i*n+n]
		for j, v := range row {
			out[j] = v * fl[j]
		}
	}
	symeig.Transpose(s.t, a, n)
	if stride == n {
		symeig.MulSym(dst, s.b, s.t, n)
		return
	}
	symeig.MulSym(s.d, s.b, s.t, n)
	for i := range n {
		copy(dst[i*stride:i*stride+n], s.d[i*n:i*n+n])
	}
}

// logmPair writes log(c1) into dst1 and log(c2) into dst2 for the full
// symmetric n×n c1 and c2 (upper triangles read; each dst may be its c),
// decomposing the two together (symeig's EigenPair). It reports, for each,
// whether it was finite and positive definite.
func (s *ws) logmPair(dst1, c1, dst2, c2 []float64) (bool, bool) {
	n := s.n
	f1, f2 := upperFinite(c1, n), upperFinite(c2, n)
	if !f1 || !f2 {
		// A bad matrix fails alone; the other is decomposed by itself.
		ok1 := f1 && s.logm(dst1, c1, n)
		ok2 := f2 && s.logm(dst2, c2, n)
		return ok1, ok2
	}
	for i := range n {
		copy(s.a[i*n+i:i*n+n], c1[i*n+i:i*n+n])
		copy(s.a2[i*n+i:i*n+n], c2[i*n+i:i*n+n])
	}
	ok1, ok2 := s.eig.EigenPair(s.eig2, s.a, s.w, s.a2, s.w2)
	ok1 = ok1 && s.w[0] > 0
	ok2 = ok2 && s.w2[0] > 0
	if ok1 {
		s.applyOf(s.a, s.w, dst1, n, fnLog)
	}
	if ok2 {
		s.applyOf(s.a2, s.w2, dst2, n, fnLog)
	}
	return ok1, ok2
}

// upperFinite reports whether the upper triangle of the n×n m is finite.
func upperFinite(m []float64, n int) bool {
	for i := range n {
		for _, v := range m[i*n+i : i*n+n] {
			if v-v != 0 {
				return false
			}
		}
	}
	return true
}

// positive reports whether every eigenvalue of the last decomposition is
// positive.
func (s *ws) positive() bool {
	return s.w[0] > 0 // ascending
}

// congruence writes p·c·p into dst, for symmetric p (full) and symmetric
// c given by its upper triangle with row stride cstride; dst is exactly
// symmetric.
func (s *ws) congruence(dst, p, c []float64, cstride int) {
	n := s.n
	mirror(s.d, c, cstride, n)
	symeig.Mul(s.c, s.d, p, n)
	symeig.MulSym(dst, p, s.c, n)
}

// congruenceFull writes p·c·p into dst for full symmetric p and c; dst is
// exactly symmetric.
func (s *ws) congruenceFull(dst, p, c []float64) {
	symeig.Mul(s.d, c, p, s.n)
	symeig.MulSym(dst, p, s.d, s.n)
}

// lowerCongruence writes l·c·lᵀ into dst, for lower-triangular l (full
// n×n, zeros above the diagonal) and symmetric c given by its upper
// triangle with row stride cstride; dst is exactly symmetric.
func (s *ws) lowerCongruence(dst, l, c []float64, cstride int) {
	n := s.n
	mirror(s.d, c, cstride, n)
	symeig.MulLower(s.c, l, s.d, n) // l·c
	symeig.Transpose(s.d, s.c, n)   // (l·c)ᵀ = c·lᵀ
	symeig.MulLowerSym(dst, l, s.d, n)
}

// mirror writes into the row-major n×n dst the symmetric matrix whose
// upper triangle is in c (row stride cstride), both triangles.
func mirror(dst, c []float64, cstride, n int) {
	for i := range n {
		copy(dst[i*n+i:i*n+n], c[i*cstride+i:i*cstride+n])
	}
	const bs = 16
	for i0 := 0; i0 < n; i0 += bs {
		for j0 := 0; j0 <= i0; j0 += bs {
			for i := i0; i < min(i0+bs, n); i++ {
				row := dst[i*n : i*n+i]
				for j := j0; j < min(j0+bs, i); j++ {
					row[j] = dst[j*n+i]
				}
			}
		}
	}
}

// cholLower factorises the SPD matrix m (full n×n, upper triangle read)
// as L·Lᵀ, writing L and L⁻¹ (lower-triangular, zeros above the
// diagonal) into l and linv. It reports false when m is not positive
// definite.
func (s *ws) cholLower(l, linv, m []float64) bool {
	n := s.n
	// Upper Cholesky factor U of the row-major m is Lᵀ.
	if !cholUpper(s.b, n, m, n) {
		return false
	}
	symeig.Transpose(l, s.b, n)
	if !lapack64.Trtri(blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: n, Stride: n, Data: s.b}) {
		return false
	}
	symeig.Transpose(linv, s.b, n) // L⁻¹ = (U⁻¹)ᵀ
	return true
}

var (
	fnSqrt    = math.Sqrt
	fnInvSqrt = func(x float64) float64 { return 1 / math.Sqrt(x) }
	fnLog     = math.Log
	fnExp     = math.Exp
)

// parallel calls fn(s, i) for i in [0, count) on up to GOMAXPROCS
// goroutines, each with its own workspace for n×n matrices. Results must
// go to per-i storage so that they do not depend on scheduling.
func parallel(count, n int, fn func(s *ws, i int)) {
	workers := min(runtime.GOMAXPROCS(0), count)
	if workers <= 1 {
		s := getWS(n)
		for i := range count {
			fn(s, i)
		}
		putWS(s)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			s := getWS(n)
			defer putWS(s)
			for {
				i := int(next.Add(1) - 1)
				if i >= count {
					return
				}
				fn(s, i)
			}
		})
	}
	wg.Wait()
}

// parallelPairs calls fn(s, i, j) for the pairs (0, 1), (2, 3), … of
// [0, count), j = -1 for a last index without a partner, on up to
// GOMAXPROCS goroutines as parallel does.
func parallelPairs(count, n int, fn func(s *ws, i, j int)) {
	pairs := (count + 1) / 2
	parallel(pairs, n, func(s *ws, k int) {
		i, j := 2*k, 2*k+1
		if j >= count {
			j = -1
		}
		fn(s, i, j)
	})
}

// useSym returns dst ready to hold an n×n result: allocated when nil,
// resized when empty; a dst of another size is a programmer error.
func useSym(dst *mat.SymDense, n int) *mat.SymDense {
	switch {
	case dst == nil:
		return mat.NewSymDense(n, nil)
	case dst.IsEmpty():
		dst.ReuseAsSym(n)
	case dst.SymmetricDim() != n:
		panic(fmt.Sprintf("riemann: destination is %d×%d, want %d×%d", dst.SymmetricDim(), dst.SymmetricDim(), n, n))
	}
	return dst
}

// fullFrom copies the symmetric m into the row-major n×n slice dst, both
// triangles.
func fullFrom(dst []float64, m *mat.SymDense) {
	r := m.RawSymmetric()
	mirror(dst, r.Data, r.Stride, r.N)
}

// symFrom returns a new SymDense holding the upper triangle of the full
// row-major n×n slice m.
func symFrom(m []float64, n int) *mat.SymDense {
	return mat.NewSymDense(n, append([]float64(nil), m[:n*n]...))
}

// checkSet validates a set of matrices: at least one, all n×n with the
// same n (want, if positive), all entries finite. It returns n.
func checkSet(covs []*mat.SymDense, want int) (int, error) {
	if len(covs) == 0 {
		return 0, fmt.Errorf("%w: no matrices", ErrShape)
	}
	n := want
	if n <= 0 {
		n = covs[0].SymmetricDim()
	}
	if n == 0 {
		return 0, fmt.Errorf("%w: matrix 0 is empty", ErrShape)
	}
	for i, c := range covs {
		if d := c.SymmetricDim(); d != n {
			return 0, fmt.Errorf("%w: matrix %d is %d×%d, want %d×%d", ErrShape, i, d, d, n, n)
		}
		r := c.RawSymmetric()
		for k := range n {
			for _, v := range r.Data[k*r.Stride+k : k*r.Stride+n] {
				if v-v != 0 {
					return 0, fmt.Errorf("%w: matrix %d holds %v", ErrNonFinite, i, v)
				}
			}
		}
	}
	return n, nil
}
