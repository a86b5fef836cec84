package riemann

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/riemann/internal/shlda"
)

// FGDA is pyRiemann 0.6's Fisher geodesic discriminant analysis
// (pyriemann.tangentspace.FGDA, metric 'riemann'): matrices are mapped to
// the tangent space at their affine-invariant mean, filtered there by the
// projection onto the span of the weight vectors W of a shrinkage LDA
// (scikit-learn's LinearDiscriminantAnalysis(solver='lsqr',
// shrinkage='auto'), computed by an internal port), t ← t·Wᵀ·(W·Wᵀ)⁺·W,
// and mapped back to the manifold.
//
// The fitted state is plain data and marshals to JSON. The projection is
// kept factored as Coef and GramPinv (a few rows) rather than as pyRiemann's
// Dim()×Dim() matrix.
type FGDA struct {
	// TangentSpace holds the reference point.
	TangentSpace TangentSpace `json:"tangent_space"`
	// Classes are the sorted distinct training labels.
	Classes []int `json:"classes"`
	// Coef is the LDA coef_ W: one row for two classes, else one per
	// class, each of TangentSpace.Dim() entries.
	Coef [][]float64 `json:"coef"`
	// GramPinv is (W·Wᵀ)⁺, row-major len(Coef)×len(Coef).
	GramPinv []float64 `json:"gram_pinv"`
}

// Fit fits the tangent space and the LDA filter on covs labelled y.
func (f *FGDA) Fit(covs []*mat.SymDense, y []int) error {
	_, err := f.FitTransform(covs, y)
	return err
}

// FitTransform fits as Fit and returns the filtered training matrices.
// Errors wrap ErrShape, ErrClasses, ErrNonFinite or ErrNotSPD.
func (f *FGDA) FitTransform(covs []*mat.SymDense, y []int) ([]*mat.SymDense, error) {
	if _, err := checkSet(covs, 0); err != nil {
		return nil, err
	}
	classes, err := labelClasses(y, len(covs))
	if err != nil {
		return nil, err
	}
	var ts TangentSpace
	if err := ts.Fit(covs); err != nil {
		return nil, err
	}
	t, err := ts.Transform(covs)
	if err != nil {
		return nil, err
	}
	W, err := shlda.Coef(t, y, classes)
	if err != nil {
		return nil, fmt.Errorf("%w: FGDA discriminant: %v", ErrNonFinite, err)
	}
	k, _ := W.Dims()
	var g mat.Dense
	g.Mul(W, W.T())
	gp, err := shlda.Pinv(&g)
	if err != nil {
		return nil, fmt.Errorf("%w: FGDA projection: %v", ErrNonFinite, err)
	}
	coef := make([][]float64, k)
	for i := range coef {
		coef[i] = append([]float64(nil), W.RawRowView(i)...)
	}
	f.TangentSpace, f.Classes, f.Coef, f.GramPinv = ts, classes, coef, gp
	return f.retroProject(t)
}

func (f *FGDA) check() error {
	if err := f.TangentSpace.check(); err != nil {
		return err
	}
	k, d := len(f.Coef), f.TangentSpace.Dim()
	if k == 0 || len(f.GramPinv) != k*k {
		return fmt.Errorf("%w: FGDA has %d weight vectors and %d projection values", ErrNotFitted, k, len(f.GramPinv))
	}
	for i, w := range f.Coef {
		if len(w) != d {
			return fmt.Errorf("%w: FGDA weight vector %d has %d entries, want %d", ErrShape, i, len(w), d)
		}
	}
	return nil
}

// Transform returns the filtered matrices of covs. Errors wrap
// ErrNotFitted, ErrShape, ErrNonFinite or ErrNotSPD.
func (f *FGDA) Transform(covs []*mat.SymDense) ([]*mat.SymDense, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	t, err := f.TangentSpace.Transform(covs)
	if err != nil {
		return nil, err
	}
	return f.retroProject(t)
}

// retroProject filters the tangent vectors in the rows of t in place and
// maps them back to the manifold.
func (f *FGDA) retroProject(t *mat.Dense) ([]*mat.SymDense, error) {
	k := len(f.Coef)
	a := make([]float64, k)
	b := make([]float64, k)
	r, _ := t.Dims()
	for i := range r {
		row := t.RawRowView(i)
		for l, w := range f.Coef {
			var s float64
			for j, v := range row {
				s += v * w[j]
			}
			a[l] = s
		}
		for l := range b {
			var s float64
			for m, v := range a {
				s += f.GramPinv[l*k+m] * v
			}
			b[l] = s
		}
		clear(row)
		for l, w := range f.Coef {
			for j, v := range w {
				row[j] += b[l] * v
			}
		}
	}
	return f.TangentSpace.InverseTransform(t)
}

// FgMDM is pyRiemann 0.6's FgMDM (metric 'riemann'): FGDA filtering, then
// an affine-invariant MDM on the filtered matrices.
//
// The fitted state is plain data and marshals to JSON.
type FgMDM struct {
	FGDA FGDA `json:"fgda"`
	MDM  MDM  `json:"mdm"`
}

// Fit fits the filter and the class means on covs labelled y. Errors wrap
// ErrShape, ErrClasses, ErrNonFinite or ErrNotSPD.
func (c *FgMDM) Fit(covs []*mat.SymDense, y []int) error {
	filtered, err := c.FGDA.FitTransform(covs, y)
	if err != nil {
		return err
	}
	c.MDM = MDM{Metric: AffineInvariant}
	return c.MDM.Fit(filtered, y)
}

// Transform returns the distances of the filtered covs to the class means
// (len(covs) × classes). Errors are those of FGDA.Transform and
// MDM.Transform.
func (c *FgMDM) Transform(covs []*mat.SymDense) (*mat.Dense, error) {
	filtered, err := c.FGDA.Transform(covs)
	if err != nil {
		return nil, err
	}
	return c.MDM.Transform(filtered)
}

// Predict returns the class of the nearest mean after filtering.
func (c *FgMDM) Predict(covs []*mat.SymDense) ([]int, error) {
	d, err := c.Transform(covs)
	if err != nil {
		return nil, err
	}
	return argminClasses(d, c.MDM.Classes), nil
}

// PredictProba returns the softmax of the negated squared distances after
// filtering, columns in the order of MDM.Classes.
func (c *FgMDM) PredictProba(covs []*mat.SymDense) (*mat.Dense, error) {
	d, err := c.Transform(covs)
	if err != nil {
		return nil, err
	}
	softmaxNegSq(d)
	return d, nil
}
