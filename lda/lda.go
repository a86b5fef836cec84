package lda

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Errors returned for data that cannot be fitted or predicted; Fit and the
// prediction methods wrap them with the offending size or value.
var (
	// ErrClasses: the labels hold fewer than two classes.
	ErrClasses = errors.New("lda: need at least two classes")
	// ErrSamples: too few samples (Fit needs more samples than classes).
	ErrSamples = errors.New("lda: too few samples")
	// ErrShape: the data has the wrong shape (labels, or features that do
	// not match the fitted model).
	ErrShape = errors.New("lda: shape mismatch")
	// ErrNotFinite: the data holds NaN or ±Inf.
	ErrNotFinite = errors.New("lda: data not finite")
	// ErrNotFitted: a prediction method was called before Fit.
	ErrNotFitted = errors.New("lda: model not fitted")
	// ErrModel: the fitted state is inconsistent (a model decoded from a
	// damaged file).
	ErrModel = errors.New("lda: inconsistent model")
	// ErrShrinkage: the fixed shrinkage is outside [0, 1].
	ErrShrinkage = errors.New("lda: shrinkage outside [0, 1]")
	// ErrNotBinary: DecisionFunction was called on a model of more than two
	// classes (use Decision).
	ErrNotBinary = errors.New("lda: not a two-class model")
)

// Shrinkage says how the class covariances are regularised. The zero value
// is no shrinkage (sklearn's shrinkage=None).
type Shrinkage struct {
	// Auto selects the Ledoit-Wolf coefficient, computed per class on
	// standardised features (sklearn's shrinkage='auto'). Value is then
	// ignored.
	Auto bool `json:"auto,omitempty"`
	// Value is a fixed coefficient in [0, 1]: (1−s)·S + s·tr(S)/p·I.
	Value float64 `json:"value,omitempty"`
}

// Auto is the Ledoit-Wolf shrinkage that MOABB and pyRiemann pipelines use.
var Auto = Shrinkage{Auto: true}

// Fixed returns a fixed shrinkage coefficient (sklearn's shrinkage=s).
func Fixed(s float64) Shrinkage { return Shrinkage{Value: s} }

// LDA is a linear discriminant analysis classifier. Set Shrinkage before
// Fit; the other fields are the fitted state.
type LDA struct {
	// Shrinkage is the covariance regularisation used by Fit.
	Shrinkage Shrinkage `json:"shrinkage"`

	// Classes are the sorted distinct training labels.
	Classes []int `json:"classes"`
	// Priors are the class frequencies, in Classes order.
	Priors []float64 `json:"priors"`
	// Means are the class means (len(Classes) × n_features).
	Means [][]float64 `json:"means"`
	// ClassShrinkage is the Ledoit-Wolf coefficient of each class when
	// Shrinkage.Auto is set (what sklearn's ledoit_wolf returns on the
	// standardised class data), else nil.
	ClassShrinkage []float64 `json:"class_shrinkage,omitempty"`
	// Coef are the discriminant weights: one row (class 1 against class 0)
	// for two classes, one row per class otherwise (sklearn's coef_).
	Coef [][]float64 `json:"coef"`
	// Intercept has one value per row of Coef (sklearn's intercept_).
	Intercept []float64 `json:"intercept"`
}

// New returns an unfitted LDA with the given shrinkage.
func New(s Shrinkage) *LDA { return &LDA{Shrinkage: s} }

// NumFeatures returns the number of features the model was fitted on, 0
// before Fit.
func (m *LDA) NumFeatures() int {
	if len(m.Coef) == 0 {
		return 0
	}
	return len(m.Coef[0])
}

// Fit estimates the model from x (n_samples × n_features) and the labels y
// (one per row of x). It needs at least two classes and more samples than
// classes.
func (m *LDA) Fit(x *mat.Dense, y []int) error {
	if !m.Shrinkage.Auto && !(m.Shrinkage.Value >= 0 && m.Shrinkage.Value <= 1) {
		return fmt.Errorf("%w: %v", ErrShrinkage, m.Shrinkage.Value)
	}
	n, p, err := checkX(x)
	if err != nil {
		return err
	}
	if len(y) != n {
		return fmt.Errorf("%w: %d labels for %d samples", ErrShape, len(y), n)
	}
	classes, index := encode(y)
	k := len(classes)
	if k < 2 {
		return fmt.Errorf("%w: got %d", ErrClasses, k)
	}
	if n <= k {
		return fmt.Errorf("%w: %d samples for %d classes", ErrSamples, n, k)
	}

	groups := make([][]int, k)
	for i, c := range index {
		groups[c] = append(groups[c], i)
	}
	priors := make([]float64, k)
	means := make([][]float64, k)
	for c, g := range groups {
		priors[c] = float64(len(g)) / float64(n)
		means[c] = classMean(x, g)
	}

	// Σ = diag(d) + Σ_c w_c A_cᵀ A_c, where A_c holds the centred (and, for
	// Auto, standardised then rescaled) rows of class c.
	cs := newCovSum(p)
	var lw []float64
	if m.Shrinkage.Auto {
		lw = make([]float64, k)
	}
	for c, g := range groups {
		s, err := cs.addClass(x, g, means[c], priors[c], m.Shrinkage)
		if err != nil {
			return err
		}
		if lw != nil {
			lw[c] = s
		}
	}
	w := cs.solve(means) // p × k: Σ⁻¹ Mᵀ

	coef := make([][]float64, k)
	intercept := make([]float64, k)
	for c := range k {
		row := make([]float64, p)
		var d float64
		for j := range p {
			row[j] = w.At(j, c)
			d += means[c][j] * row[j]
		}
		coef[c] = row
		intercept[c] = -0.5*d + math.Log(priors[c])
	}
	if k == 2 {
		row := make([]float64, p)
		for j := range p {
			row[j] = coef[1][j] - coef[0][j]
		}
		coef = [][]float64{row}
		intercept = []float64{intercept[1] - intercept[0]}
	}
	m.Classes, m.Priors, m.Means, m.ClassShrinkage = classes, priors, means, lw
	m.Coef, m.Intercept = coef, intercept
	return nil
}

// Decision returns the decision function for every row of x: an
// n_samples × 1 matrix for two classes (log-odds of class 1 against class
// 0), n_samples × n_classes otherwise (sklearn's decision_function).
func (m *LDA) Decision(x *mat.Dense) (*mat.Dense, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	n, p, err := checkX(x)
	if err != nil {
		return nil, err
	}
	if p != m.NumFeatures() {
		return nil, fmt.Errorf("%w: %d×%d data for a model of %d features", ErrShape, n, p, m.NumFeatures())
	}
	r := len(m.Coef)
	coef := mat.NewDense(r, p, nil)
	for i, row := range m.Coef {
		coef.SetRow(i, row)
	}
	out := mat.NewDense(n, r, nil)
	out.Mul(x, coef.T())
	for i := range n {
		row := out.RawRowView(i)
		for j := range row {
			row[j] += m.Intercept[j]
		}
	}
	return out, nil
}

// check reports whether the fitted state is usable: fitted, and with
// consistent sizes (it may come from a JSON file).
func (m *LDA) check() error {
	if len(m.Coef) == 0 {
		return ErrNotFitted
	}
	k := len(m.Classes)
	want := k
	if k == 2 {
		want = 1
	}
	switch {
	case k < 2:
		return fmt.Errorf("%w: %d classes", ErrModel, k)
	case len(m.Coef) != want:
		return fmt.Errorf("%w: %d coefficient rows for %d classes", ErrModel, len(m.Coef), k)
	case len(m.Intercept) != len(m.Coef):
		return fmt.Errorf("%w: %d intercepts for %d coefficient rows", ErrModel, len(m.Intercept), len(m.Coef))
	}
	p := len(m.Coef[0])
	for i, row := range m.Coef {
		if len(row) != p || p == 0 {
			return fmt.Errorf("%w: coefficient row %d has %d values, row 0 %d", ErrModel, i, len(row), p)
		}
	}
	return nil
}

// DecisionFunction returns the two-class decision value of every row of x
// (positive favours Classes[1]); it is what sklearn's roc_auc scorer uses.
func (m *LDA) DecisionFunction(x *mat.Dense) ([]float64, error) {
	if len(m.Coef) > 1 {
		return nil, fmt.Errorf("%w: %d classes", ErrNotBinary, len(m.Classes))
	}
	d, err := m.Decision(x)
	if err != nil {
		return nil, err
	}
	return d.RawMatrix().Data, nil
}

// Predict returns the predicted label of every row of x.
func (m *LDA) Predict(x *mat.Dense) ([]int, error) {
	d, err := m.Decision(x)
	if err != nil {
		return nil, err
	}
	n, r := d.Dims()
	out := make([]int, n)
	for i := range n {
		row := d.RawRowView(i)
		if r == 1 {
			if row[0] > 0 {
				out[i] = m.Classes[1]
			} else {
				out[i] = m.Classes[0]
			}
			continue
		}
		best := 0
		for j := 1; j < r; j++ {
			if row[j] > row[best] {
				best = j
			}
		}
		out[i] = m.Classes[best]
	}
	return out, nil
}

// PredictProba returns the class probabilities of every row of x
// (n_samples × n_classes, columns in Classes order): the logistic function
// of the decision for two classes, its softmax otherwise.
func (m *LDA) PredictProba(x *mat.Dense) (*mat.Dense, error) {
	d, err := m.Decision(x)
	if err != nil {
		return nil, err
	}
	n, r := d.Dims()
	out := mat.NewDense(n, len(m.Classes), nil)
	for i := range n {
		row, dst := d.RawRowView(i), out.RawRowView(i)
		if r == 1 {
			p := expit(row[0])
			dst[0], dst[1] = 1-p, p
			continue
		}
		softmax(dst, row)
	}
	return out, nil
}

// expit is the logistic function, computed as scipy.special.expit.
func expit(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + math.Exp(-v))
	}
	e := math.Exp(v)
	return e / (1 + e)
}

// softmax writes sklearn.utils.extmath.softmax of src into dst.
func softmax(dst, src []float64) {
	mx := slices.Max(src)
	var sum float64
	for j, v := range src {
		dst[j] = math.Exp(v - mx)
		sum += dst[j]
	}
	for j := range dst {
		dst[j] /= sum
	}
}

// checkX returns the shape of x and an error when it is empty or holds a
// value that is not finite.
func checkX(x *mat.Dense) (n, p int, err error) {
	if x == nil || x.IsEmpty() {
		return 0, 0, fmt.Errorf("%w: empty data", ErrShape)
	}
	n, p = x.Dims()
	for i := range n {
		for j, v := range x.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("%w: x[%d][%d] = %v", ErrNotFinite, i, j, v)
			}
		}
	}
	return n, p, nil
}

// encode returns the sorted distinct labels and the class index of every
// label.
func encode(y []int) (classes, index []int) {
	classes = slices.Clone(y)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	index = make([]int, len(y))
	for i, v := range y {
		index[i], _ = slices.BinarySearch(classes, v)
	}
	return classes, index
}

// classMean returns the mean of the rows rows of x, summed in row order as
// NumPy's np.add.at does.
func classMean(x *mat.Dense, rows []int) []float64 {
	_, p := x.Dims()
	mean := make([]float64, p)
	for _, i := range rows {
		for j, v := range x.RawRowView(i) {
			mean[j] += v
		}
	}
	inv := float64(len(rows))
	for j := range mean {
		mean[j] /= inv
	}
	return mean
}
