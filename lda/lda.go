package lda

import (
	"errors"
	"fmt"
	"github.com/bcikit/bcikit/internal/linear"
	"math"

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

// linear is the fitted model as the shared linear-classifier code sees it.
func (m *LDA) linear() linear.Model {
	return linear.Model{Classes: m.Classes, Coef: m.Coef, Intercept: m.Intercept, Err: errs}
}

var errs = linear.Errors{NotFitted: ErrNotFitted, Model: ErrModel, Shape: ErrShape, NotFinite: ErrNotFinite, NotBinary: ErrNotBinary}

// Decision returns the decision function for every row of x: an
// n_samples × 1 matrix for two classes (log-odds of Classes[1] against
// Classes[0]), n_samples × n_classes otherwise (sklearn's
// decision_function).
func (m *LDA) Decision(x *mat.Dense) (*mat.Dense, error) { return m.linear().Decision(x) }

// DecisionFunction returns the two-class decision value of every row of x
// (positive favours Classes[1]); it is what sklearn's roc_auc scorer uses.
func (m *LDA) DecisionFunction(x *mat.Dense) ([]float64, error) {
	return m.linear().DecisionFunction(x)
}

// Predict returns the predicted label of every row of x.
func (m *LDA) Predict(x *mat.Dense) ([]int, error) { return m.linear().Predict(x) }

// PredictProba returns the class probabilities of every row of x
// (n_samples × n_classes, columns in Classes order): the logistic function
// of the decision for two classes, its softmax otherwise.
func (m *LDA) PredictProba(x *mat.Dense) (*mat.Dense, error) { return m.linear().PredictProba(x) }

func checkX(x *mat.Dense) (n, p int, err error) { return linear.CheckX(x, errs) }

func encode(y []int) (classes, index []int) { return linear.Encode(y) }

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
