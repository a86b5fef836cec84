// Package linear holds what bcikit's linear classifiers (lda, logreg)
// share once fitted: scikit-learn's decision function, prediction and
// probabilities of a model made of classes, coefficient rows and
// intercepts, and the checks of their input and of a model read from a
// file.
package linear

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Errors are the calling package's sentinel errors, wrapped by the errors
// this package returns.
type Errors struct {
	NotFitted, Model, Shape, NotFinite, NotBinary error
}

// Model is a fitted linear classifier: one coefficient row (Classes[1]
// against Classes[0]) for two classes, one per class otherwise.
type Model struct {
	Classes   []int
	Coef      [][]float64
	Intercept []float64
	Err       Errors
}

// Check reports whether the model is usable: fitted, and with consistent
// sizes (it may come from a JSON file).
func (m Model) Check() error {
	if len(m.Coef) == 0 {
		return m.Err.NotFitted
	}
	k := len(m.Classes)
	want := k
	if k == 2 {
		want = 1
	}
	switch {
	case k < 2:
		return fmt.Errorf("%w: %d classes", m.Err.Model, k)
	case len(m.Coef) != want:
		return fmt.Errorf("%w: %d coefficient rows for %d classes", m.Err.Model, len(m.Coef), k)
	case len(m.Intercept) != len(m.Coef):
		return fmt.Errorf("%w: %d intercepts for %d coefficient rows", m.Err.Model, len(m.Intercept), len(m.Coef))
	}
	p := len(m.Coef[0])
	for i, row := range m.Coef {
		if len(row) != p || p == 0 {
			return fmt.Errorf("%w: coefficient row %d has %d values, row 0 %d", m.Err.Model, i, len(row), p)
		}
	}
	return nil
}

// Decision returns x·Coefᵀ + Intercept: an n_samples × 1 matrix for two
// classes, n_samples × n_classes otherwise (sklearn's decision_function).
func (m Model) Decision(x *mat.Dense) (*mat.Dense, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	n, p, err := CheckX(x, m.Err)
	if err != nil {
		return nil, err
	}
	if p != len(m.Coef[0]) {
		return nil, fmt.Errorf("%w: %d×%d data for a model of %d features", m.Err.Shape, n, p, len(m.Coef[0]))
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

// DecisionFunction returns the two-class decision value of every row of x
// (positive favours Classes[1]); it is what sklearn's roc_auc scorer uses.
func (m Model) DecisionFunction(x *mat.Dense) ([]float64, error) {
	if len(m.Coef) > 1 {
		return nil, fmt.Errorf("%w: %d classes", m.Err.NotBinary, len(m.Classes))
	}
	d, err := m.Decision(x)
	if err != nil {
		return nil, err
	}
	return d.RawMatrix().Data, nil
}

// Predict returns the predicted label of every row of x: the sign of the
// decision for two classes, its arg max otherwise (first on ties).
func (m Model) Predict(x *mat.Dense) ([]int, error) {
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
func (m Model) PredictProba(x *mat.Dense) (*mat.Dense, error) {
	d, err := m.Decision(x)
	if err != nil {
		return nil, err
	}
	n, r := d.Dims()
	out := mat.NewDense(n, len(m.Classes), nil)
	for i := range n {
		row, dst := d.RawRowView(i), out.RawRowView(i)
		if r == 1 {
			p := Expit(row[0])
			dst[0], dst[1] = 1-p, p
			continue
		}
		Softmax(dst, row)
	}
	return out, nil
}

// Expit is the logistic function, computed as scipy.special.expit.
func Expit(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + math.Exp(-v))
	}
	e := math.Exp(v)
	return e / (1 + e)
}

// Softmax writes sklearn.utils.extmath.softmax of src into dst.
func Softmax(dst, src []float64) {
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

// CheckX returns the shape of x and an error when it is empty or holds a
// value that is not finite.
func CheckX(x *mat.Dense, e Errors) (n, p int, err error) {
	if x == nil || x.IsEmpty() {
		return 0, 0, fmt.Errorf("%w: empty data", e.Shape)
	}
	n, p = x.Dims()
	for i := range n {
		for j, v := range x.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("%w: x[%d][%d] = %v", e.NotFinite, i, j, v)
			}
		}
	}
	return n, p, nil
}

// Encode returns the sorted distinct labels and the class index of every
// label.
func Encode(y []int) (classes, index []int) {
	classes = slices.Clone(y)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	index = make([]int, len(y))
	for i, v := range y {
		index[i], _ = slices.BinarySearch(classes, v)
	}
	return classes, index
}
