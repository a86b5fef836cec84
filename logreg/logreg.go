package logreg

import (
	"errors"
	"fmt"
	"github.com/bcikit/bcikit/internal/linear"
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// Errors returned for data or settings that cannot be used; the methods wrap
// them with the offending size or value.
var (
	// ErrClasses: the labels hold fewer than two classes.
	ErrClasses = errors.New("logreg: need at least two classes")
	// ErrShape: the data has the wrong shape (labels, or features that do
	// not match the fitted model).
	ErrShape = errors.New("logreg: shape mismatch")
	// ErrNotFinite: the data holds NaN or ±Inf.
	ErrNotFinite = errors.New("logreg: data not finite")
	// ErrNotFitted: a prediction method was called before Fit.
	ErrNotFitted = errors.New("logreg: model not fitted")
	// ErrModel: the fitted state is inconsistent (a model decoded from a
	// damaged file).
	ErrModel = errors.New("logreg: inconsistent model")
	// ErrParam: C or MaxIter is not positive.
	ErrParam = errors.New("logreg: invalid parameter")
	// ErrNotBinary: DecisionFunction was called on a multinomial model (use
	// Decision).
	ErrNotBinary = errors.New("logreg: not a two-class model")
)

// LogReg is an L2-penalised logistic regression classifier. Set C (and
// optionally MaxIter) before Fit; the other fields are the fitted state.
type LogReg struct {
	// C is the inverse penalty strength (sklearn's C); it must be positive.
	C float64 `json:"c"`
	// MaxIter bounds the Newton iterations; 0 means 100.
	MaxIter int `json:"max_iter,omitempty"`

	// Classes are the sorted distinct training labels.
	Classes []int `json:"classes"`
	// Coef are the weights: one row (for Classes[1]) for two classes, one
	// row per class otherwise (sklearn's coef_).
	Coef [][]float64 `json:"coef"`
	// Intercept has one value per row of Coef (sklearn's intercept_; the
	// multinomial intercepts sum to zero).
	Intercept []float64 `json:"intercept"`
	// NIter is the number of Newton iterations Fit took.
	NIter int `json:"n_iter"`
	// Converged reports whether Fit reached the optimum to rounding within
	// MaxIter iterations.
	Converged bool `json:"converged"`
}

// New returns an unfitted LogReg with sklearn's default C = 1.
func New() *LogReg { return &LogReg{C: 1} }

// NumFeatures returns the number of features the model was fitted on, 0
// before Fit.
func (m *LogReg) NumFeatures() int {
	if len(m.Coef) == 0 {
		return 0
	}
	return len(m.Coef[0])
}

// Fit estimates the model from x (n_samples × n_features) and the labels y
// (one per row of x).
func (m *LogReg) Fit(x *mat.Dense, y []int) error {
	if !(m.C > 0) || math.IsInf(m.C, 0) {
		return fmt.Errorf("%w: C = %v", ErrParam, m.C)
	}
	if m.MaxIter < 0 {
		return fmt.Errorf("%w: MaxIter = %d", ErrParam, m.MaxIter)
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
	maxIter := m.MaxIter
	if maxIter == 0 {
		maxIter = 100
	}

	z, q := reduce(x)
	_, r := z.Dims()
	blocks := 1
	if k > 2 {
		blocks = k
	}
	pr := newProblem(z, index, blocks, 1/m.C)
	theta := make([]float64, blocks*(r+1))
	iters, ok := pr.newton(theta, maxIter)

	coef := make([][]float64, blocks)
	intercept := make([]float64, blocks)
	for c := range blocks {
		beta := theta[c*(r+1) : c*(r+1)+r]
		w := make([]float64, p)
		if q == nil {
			copy(w, beta)
		} else {
			wv := mat.NewVecDense(p, w)
			wv.MulVec(q, mat.NewVecDense(r, beta))
		}
		coef[c] = w
		intercept[c] = theta[c*(r+1)+r]
	}
	if blocks > 1 {
		var mean float64
		for _, b := range intercept {
			mean += b
		}
		mean /= float64(blocks)
		for c := range intercept {
			intercept[c] -= mean
		}
	}
	m.Classes, m.Coef, m.Intercept, m.NIter, m.Converged = classes, coef, intercept, iters, ok
	return nil
}

// reduce returns the data in an orthonormal basis of its row space and the
// basis (p × n), or x itself and nil when there are no more features than
// samples.
func reduce(x *mat.Dense) (z *mat.Dense, q *mat.Dense) {
	n, p := x.Dims()
	if p <= n {
		return x, nil
	}
	// Xᵀ = Q R (thin), so X = Rᵀ Qᵀ and X Q = Rᵀ.
	a := blas64.General{Rows: p, Cols: n, Stride: n, Data: make([]float64, p*n)}
	for i := range n {
		for j, v := range x.RawRowView(i) {
			a.Data[j*n+i] = v
		}
	}
	tau := make([]float64, n)
	work := make([]float64, 1)
	lapack64.Geqrf(a, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Geqrf(a, tau, work, len(work))
	z = mat.NewDense(n, n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			z.Set(j, i, a.Data[i*n+j]) // Rᵀ
		}
	}
	lapack64.Orgqr(a, tau, work, -1)
	if int(work[0]) > len(work) {
		work = make([]float64, int(work[0]))
	}
	lapack64.Orgqr(a, tau, work, len(work))
	return z, mat.NewDense(p, n, a.Data)
}

// linear is the fitted model as the shared linear-classifier code sees it.
func (m *LogReg) linear() linear.Model {
	return linear.Model{Classes: m.Classes, Coef: m.Coef, Intercept: m.Intercept, Err: errs}
}

var errs = linear.Errors{NotFitted: ErrNotFitted, Model: ErrModel, Shape: ErrShape, NotFinite: ErrNotFinite, NotBinary: ErrNotBinary}

// Decision returns the decision function for every row of x: an
// n_samples × 1 matrix for two classes (log-odds of Classes[1] against
// Classes[0]), n_samples × n_classes otherwise (sklearn's
// decision_function).
func (m *LogReg) Decision(x *mat.Dense) (*mat.Dense, error) { return m.linear().Decision(x) }

// DecisionFunction returns the two-class decision value of every row of x
// (positive favours Classes[1]); it is what sklearn's roc_auc scorer uses.
func (m *LogReg) DecisionFunction(x *mat.Dense) ([]float64, error) {
	return m.linear().DecisionFunction(x)
}

// Predict returns the predicted label of every row of x.
func (m *LogReg) Predict(x *mat.Dense) ([]int, error) { return m.linear().Predict(x) }

// PredictProba returns the class probabilities of every row of x
// (n_samples × n_classes, columns in Classes order): the logistic function
// of the decision for two classes, its softmax otherwise.
func (m *LogReg) PredictProba(x *mat.Dense) (*mat.Dense, error) { return m.linear().PredictProba(x) }

func checkX(x *mat.Dense) (n, p int, err error) { return linear.CheckX(x, errs) }

func encode(y []int) (classes, index []int) { return linear.Encode(y) }

func expit(v float64) float64 { return linear.Expit(v) }
