package riemann

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// TangentSpace maps SPD matrices to vectors in the tangent space at a
// reference point, as pyRiemann 0.6's TangentSpace(metric='riemann'): Fit
// sets the reference C_ref to the affine-invariant mean of the training
// matrices, and Transform maps each C to the upper triangle, row by row, of
// log(C_ref^-½ · C · C_ref^-½), off-diagonal entries multiplied by √2
// (pyRiemann's upper), so that vectors have n(n+1)/2 entries and the
// Euclidean norm of a vector is the affine-invariant distance to C_ref.
//
// The fitted state is plain data and marshals to JSON.
type TangentSpace struct {
	// N is the size of the matrices, zero before Fit.
	N int `json:"n"`
	// Reference is C_ref, row-major N×N.
	Reference []float64 `json:"reference"`
	// InvSqrtReference is C_ref^-½, row-major N×N, kept so that Transform
	// need not recompute it. If empty, Transform computes it from Reference.
	InvSqrtReference []float64 `json:"inv_sqrt_reference,omitempty"`
}

// Fit sets the reference point to the affine-invariant mean of covs
// (Mean(covs, AffineInvariant)).
func (ts *TangentSpace) Fit(covs []*mat.SymDense) error {
	ref, err := Mean(covs, AffineInvariant)
	if err != nil {
		return fmt.Errorf("tangent space reference: %w", err)
	}
	return ts.SetReference(ref)
}

// SetReference sets the reference point to the SPD matrix ref, as Fit does
// with the mean.
func (ts *TangentSpace) SetReference(ref *mat.SymDense) error {
	n, err := checkSet([]*mat.SymDense{ref}, 0)
	if err != nil {
		return fmt.Errorf("tangent space reference: %w", err)
	}
	r := make([]float64, n*n)
	fullFrom(r, ref)
	s := getWS(n)
	defer putWS(s)
	if !s.eigen(r, n, true) || !s.positive() {
		return fmt.Errorf("tangent space reference: %w", ErrNotSPD)
	}
	inv := make([]float64, n*n)
	s.apply(inv, n, fnInvSqrt)
	ts.N, ts.Reference, ts.InvSqrtReference = n, r, inv
	return nil
}

// Dim returns the length of the tangent vectors, N(N+1)/2.
func (ts *TangentSpace) Dim() int { return ts.N * (ts.N + 1) / 2 }

func (ts *TangentSpace) check() error {
	if ts.N <= 0 || len(ts.Reference) != ts.N*ts.N {
		return fmt.Errorf("%w: tangent space has no reference point", ErrNotFitted)
	}
	if len(ts.InvSqrtReference) != 0 && len(ts.InvSqrtReference) != ts.N*ts.N {
		return fmt.Errorf("%w: tangent space InvSqrtReference has %d values, want %d", ErrShape, len(ts.InvSqrtReference), ts.N*ts.N)
	}
	return nil
}

// invSqrtRef returns C_ref^-½, computing it when it was not stored.
func (ts *TangentSpace) invSqrtRef() ([]float64, error) {
	if len(ts.InvSqrtReference) == ts.N*ts.N {
		return ts.InvSqrtReference, nil
	}
	s := getWS(ts.N)
	defer putWS(s)
	if !s.eigen(ts.Reference, ts.N, true) || !s.positive() {
		return nil, fmt.Errorf("tangent space reference: %w", ErrNotSPD)
	}
	inv := make([]float64, ts.N*ts.N)
	s.apply(inv, ts.N, fnInvSqrt)
	return inv, nil
}

// Transform returns the tangent vectors of covs, one row per matrix
// (len(covs) × Dim()). Matrices are mapped in parallel. Errors wrap
// ErrNotFitted, ErrShape (a matrix not N×N), ErrNonFinite or ErrNotSPD and
// name the matrix.
func (ts *TangentSpace) Transform(covs []*mat.SymDense) (*mat.Dense, error) {
	if err := ts.check(); err != nil {
		return nil, err
	}
	n := ts.N
	if _, err := checkSet(covs, n); err != nil {
		return nil, err
	}
	p, err := ts.invSqrtRef()
	if err != nil {
		return nil, err
	}
	out := mat.NewDense(len(covs), ts.Dim(), nil)
	raw := out.RawMatrix()
	bad := make([]bool, len(covs))
	row := func(i int) []float64 { return raw.Data[i*raw.Stride : i*raw.Stride+ts.Dim()] }
	parallelPairs(len(covs), n, func(s *ws, i, j int) {
		if j < 0 {
			bad[i] = !s.tangentVector(row(i), p, covs[i])
			return
		}
		r1, r2 := covs[i].RawSymmetric(), covs[j].RawSymmetric()
		s.congruence(s.e2, p, r1.Data, r1.Stride)
		s.congruence(s.e3, p, r2.Data, r2.Stride)
		ok1, ok2 := s.logmPair(s.e2, s.e2, s.e3, s.e3)
		if ok1 {
			upper(row(i), s.e2, n)
		}
		if ok2 {
			upper(row(j), s.e3, n)
		}
		bad[i], bad[j] = !ok1, !ok2
	})
	for i, b := range bad {
		if b {
			return nil, fmt.Errorf("%w: matrix %d", ErrNotSPD, i)
		}
	}
	return out, nil
}

// Vector writes the tangent vector of one matrix into dst (allocated when
// nil, else of length Dim()) and returns it: the per-window call of an
// online decoder.
func (ts *TangentSpace) Vector(dst []float64, c *mat.SymDense) ([]float64, error) {
	if err := ts.check(); err != nil {
		return nil, err
	}
	if _, err := checkSet([]*mat.SymDense{c}, ts.N); err != nil {
		return nil, err
	}
	if dst == nil {
		dst = make([]float64, ts.Dim())
	} else if len(dst) != ts.Dim() {
		panic(fmt.Sprintf("riemann: tangent vector destination has length %d, want %d", len(dst), ts.Dim()))
	}
	p, err := ts.invSqrtRef()
	if err != nil {
		return nil, err
	}
	s := getWS(ts.N)
	defer putWS(s)
	if !s.tangentVector(dst, p, c) {
		return nil, ErrNotSPD
	}
	return dst, nil
}

// tangentVector writes upper(log(P·C·P)) into dst, P = C_ref^-½.
func (s *ws) tangentVector(dst, p []float64, c *mat.SymDense) bool {
	n := s.n
	r := c.RawSymmetric()
	s.congruence(s.b, p, r.Data, r.Stride)
	if !s.eigen(s.b, n, true) || !s.positive() {
		return false
	}
	s.apply(s.c, n, fnLog)
	upper(dst, s.c, n)
	return true
}

// upper is pyRiemann's upper: the upper triangle of the full n×n matrix m
// row by row, off-diagonal entries times √2.
func upper(dst, m []float64, n int) {
	k := 0
	for i := range n {
		dst[k] = m[i*n+i]
		k++
		for j := i + 1; j < n; j++ {
			dst[k] = math.Sqrt2 * m[i*n+j]
			k++
		}
	}
}

// unupper is pyRiemann's unupper: the symmetric full n×n matrix whose
// upper triangle is v row by row, off-diagonal entries divided by √2.
func unupper(dst, v []float64, n int) {
	k := 0
	for i := range n {
		dst[i*n+i] = v[k]
		k++
		for j := i + 1; j < n; j++ {
			x := v[k] / math.Sqrt2
			dst[i*n+j], dst[j*n+i] = x, x
			k++
		}
	}
}

// InverseTransform maps tangent vectors (rows of v, Dim() columns) back to
// SPD matrices: C_ref^½ · exp(unupper(v)) · C_ref^½, pyRiemann's
// untangent_space. Errors wrap ErrNotFitted, ErrShape or ErrNonFinite.
func (ts *TangentSpace) InverseTransform(v mat.Matrix) ([]*mat.SymDense, error) {
	if err := ts.check(); err != nil {
		return nil, err
	}
	rows, cols := v.Dims()
	if cols != ts.Dim() {
		return nil, fmt.Errorf("%w: tangent vectors have %d entries, want %d for %d×%d matrices", ErrShape, cols, ts.Dim(), ts.N, ts.N)
	}
	n := ts.N
	s := getWS(n)
	if !s.eigen(ts.Reference, n, true) || !s.positive() {
		putWS(s)
		return nil, fmt.Errorf("tangent space reference: %w", ErrNotSPD)
	}
	c12 := make([]float64, n*n)
	s.apply(c12, n, fnSqrt)
	putWS(s)
	out := make([]*mat.SymDense, rows)
	backing := make([]float64, rows*n*n)
	bad := make([]bool, rows)
	parallel(rows, n, func(s *ws, i int) {
		vec := make([]float64, cols) // mat.Row copies; small next to the eigen decomposition
		mat.Row(vec, i, v)
		unupper(s.c, vec, n)
		if !s.eigen(s.c, n, true) {
			bad[i] = true
			return
		}
		s.apply(s.c, n, fnExp)
		d := backing[i*n*n : (i+1)*n*n : (i+1)*n*n]
		s.congruenceFull(d, c12, s.c)
		out[i] = mat.NewSymDense(n, d)
	})
	for i, b := range bad {
		if b {
			return nil, fmt.Errorf("%w: tangent vector %d", ErrNonFinite, i)
		}
	}
	return out, nil
}
