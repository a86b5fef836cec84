package svm

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/internal/npsum"
)

// Errors returned for data or settings that cannot be used; the methods wrap
// them with the offending size or value.
var (
	// ErrClasses: the labels hold fewer than two classes.
	ErrClasses = errors.New("svm: need at least two classes")
	// ErrShape: the data has the wrong shape (labels, or features that do
	// not match the fitted model).
	ErrShape = errors.New("svm: shape mismatch")
	// ErrNotFinite: the data holds NaN or ±Inf.
	ErrNotFinite = errors.New("svm: data not finite")
	// ErrNotFitted: a prediction method was called before Fit.
	ErrNotFitted = errors.New("svm: model not fitted")
	// ErrModel: the fitted state is inconsistent (a model decoded from a
	// damaged file).
	ErrModel = errors.New("svm: inconsistent model")
	// ErrParam: C, Gamma or Tol is out of range, or the kernel is unknown.
	ErrParam = errors.New("svm: invalid parameter")
	// ErrNotBinary: DecisionFunction was called on a model of more than two
	// classes (use Decision).
	ErrNotBinary = errors.New("svm: not a two-class model")
)

// Kernel names the kernel function.
type Kernel string

// The kernels of sklearn.svm.SVC that bcikit supports.
const (
	// Linear is K(x, z) = xᵀz.
	Linear Kernel = "linear"
	// RBF is K(x, z) = exp(−γ‖x − z‖²).
	RBF Kernel = "rbf"
)

// DefaultTol is LIBSVM's (and sklearn's) stopping tolerance.
const DefaultTol = 1e-3

// maxIter bounds the SMO iterations of one pairwise problem as a guard; LIBSVM
// itself (sklearn's max_iter=-1) has no bound and converges long before.
const maxIter = 10_000_000

// SVC is a C-support vector classifier. Set Kernel, C and, for RBF,
// optionally Gamma before Fit; the other fields are the fitted state (the
// LIBSVM model).
type SVC struct {
	// Kernel is Linear or RBF.
	Kernel Kernel `json:"kernel"`
	// C is the penalty of the soft margin; it must be positive.
	C float64 `json:"c"`
	// Gamma is the RBF width; 0 means sklearn's gamma='scale',
	// 1/(n_features·var(X)).
	Gamma float64 `json:"gamma,omitempty"`
	// Tol is the stopping tolerance of the solver; 0 means DefaultTol.
	Tol float64 `json:"tol,omitempty"`
	// NoShrinking turns LIBSVM's shrinking heuristic off (sklearn's
	// shrinking=False).
	NoShrinking bool `json:"no_shrinking,omitempty"`

	// Classes are the sorted distinct training labels.
	Classes []int `json:"classes"`
	// FitGamma is the RBF γ Fit used (sklearn's _gamma).
	FitGamma float64 `json:"fit_gamma"`
	// Support holds the support vectors (grouped by class, in Classes
	// order), SupportIndex their rows in the training data and NSupport
	// their number per class (sklearn's support_vectors_, support_,
	// n_support_).
	Support      [][]float64 `json:"support"`
	SupportIndex []int       `json:"support_index"`
	NSupport     []int       `json:"n_support"`
	// DualCoef is LIBSVM's sv_coef, (n_classes−1) × n_SV: for the pair
	// (i, j), the coefficients of class i's vectors are in row j−1 and
	// those of class j's in row i (sklearn's _dual_coef_; sklearn's public
	// dual_coef_ is its negative for two classes).
	DualCoef [][]float64 `json:"dual_coef"`
	// Rho is LIBSVM's ρ for each pair (i, j), i < j, in order (sklearn's
	// _intercept_ is −ρ).
	Rho []float64 `json:"rho"`
	// NIter is the number of SMO iterations of each pairwise problem.
	NIter []int `json:"n_iter"`
}

// New returns an unfitted SVC with sklearn's defaults for the kernel: C = 1,
// gamma='scale'.
func New(k Kernel) *SVC { return &SVC{Kernel: k, C: 1} }

// NumFeatures returns the number of features the model was fitted on, 0
// before Fit.
func (m *SVC) NumFeatures() int {
	if len(m.Support) == 0 {
		return 0
	}
	return len(m.Support[0])
}

// Fit trains the one-vs-one LIBSVM models on x (n_samples × n_features) and
// the labels y (one per row of x).
func (m *SVC) Fit(x *mat.Dense, y []int) error {
	if m.Kernel != Linear && m.Kernel != RBF {
		return fmt.Errorf("%w: kernel %q", ErrParam, m.Kernel)
	}
	if !(m.C > 0) || math.IsInf(m.C, 0) {
		return fmt.Errorf("%w: C = %v", ErrParam, m.C)
	}
	if !(m.Gamma >= 0) || math.IsInf(m.Gamma, 0) {
		return fmt.Errorf("%w: gamma = %v", ErrParam, m.Gamma)
	}
	if !(m.Tol >= 0) || math.IsInf(m.Tol, 0) {
		return fmt.Errorf("%w: tol = %v", ErrParam, m.Tol)
	}
	n, _, err := checkX(x)
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
	tol := m.Tol
	if tol == 0 {
		tol = DefaultTol
	}
	gamma := m.Gamma
	if m.Kernel == RBF && gamma == 0 {
		gamma = scaleGamma(x)
	}

	// LIBSVM's svm_group_classes: samples grouped by class, in data order.
	count := make([]int, k)
	for _, c := range index {
		count[c]++
	}
	start := make([]int, k)
	for c := 1; c < k; c++ {
		start[c] = start[c-1] + count[c-1]
	}
	perm := make([]int, n)
	next := slices.Clone(start)
	for i, c := range index {
		perm[next[c]] = i
		next[c]++
	}

	kern := newGram(x, m.Kernel, gamma)
	nonzero := make([]bool, n) // by position in perm
	type pairFit struct {
		coef []float64
		rho  float64
	}
	fits := make([]pairFit, 0, k*(k-1)/2)
	iters := make([]int, 0, k*(k-1)/2)
	for i := range k {
		for j := i + 1; j < k; j++ {
			rows := append(slices.Clone(perm[start[i]:start[i]+count[i]]), perm[start[j]:start[j]+count[j]]...)
			l := len(rows)
			ys := make([]int8, l)
			cs := make([]float64, l)
			for t := range l {
				ys[t] = -1
				if t < count[i] {
					ys[t] = 1
				}
				cs[t] = m.C
			}
			q, qd := kern.sub(rows, ys)
			coef, rho, it, ok := solveCSVC(q, qd, ys, cs, tol, !m.NoShrinking, maxIter)
			if !ok {
				return fmt.Errorf("svm: pair (%d, %d) did not converge in %d iterations", classes[i], classes[j], it)
			}
			for t := range count[i] {
				if coef[t] != 0 {
					nonzero[start[i]+t] = true
				}
			}
			for t := range count[j] {
				if coef[count[i]+t] != 0 {
					nonzero[start[j]+t] = true
				}
			}
			fits = append(fits, pairFit{coef, rho})
			iters = append(iters, it)
		}
	}

	// The model: support vectors in perm order, LIBSVM's sv_coef layout.
	nsv := make([]int, k)
	var support [][]float64
	var supportIndex []int
	for c := range k {
		for t := range count[c] {
			if nonzero[start[c]+t] {
				nsv[c]++
				r := perm[start[c]+t]
				support = append(support, slices.Clone(x.RawRowView(r)))
				supportIndex = append(supportIndex, r)
			}
		}
	}
	nzStart := make([]int, k)
	for c := 1; c < k; c++ {
		nzStart[c] = nzStart[c-1] + nsv[c-1]
	}
	dual := make([][]float64, k-1)
	for c := range dual {
		dual[c] = make([]float64, len(support))
	}
	rho := make([]float64, len(fits))
	pi := 0
	for i := range k {
		for j := i + 1; j < k; j++ {
			f := fits[pi]
			q := nzStart[i]
			for t := range count[i] {
				if nonzero[start[i]+t] {
					dual[j-1][q] = f.coef[t]
					q++
				}
			}
			q = nzStart[j]
			for t := range count[j] {
				if nonzero[start[j]+t] {
					dual[i][q] = f.coef[count[i]+t]
					q++
				}
			}
			rho[pi] = f.rho
			pi++
		}
	}
	m.Classes, m.FitGamma = classes, gamma
	m.Support, m.SupportIndex, m.NSupport = support, supportIndex, nsv
	m.DualCoef, m.Rho, m.NIter = dual, rho, iters
	return nil
}

// scaleGamma is sklearn's gamma='scale': 1/(n_features·X.var()), the
// variance over all values summed in NumPy's pairwise order; 1 when the
// variance is 0.
func scaleGamma(x *mat.Dense) float64 {
	n, p := x.Dims()
	all := make([]float64, 0, n*p)
	for i := range n {
		all = append(all, x.RawRowView(i)...)
	}
	mean := numpySum(all) / float64(len(all))
	for i, v := range all {
		d := v - mean
		all[i] = d * d
	}
	v := numpySum(all) / float64(len(all))
	if v == 0 {
		return 1
	}
	return 1.0 / (float64(p) * v)
}

// numpySum is numpy.sum of a contiguous array: NumPy's pairwise summation
// within each 8192-element buffer, the buffers added in order.
func numpySum(x []float64) float64 {
	const buf = 8192
	var s float64
	for len(x) > buf {
		s += npsum.Sum(x[:buf])
		x = x[buf:]
	}
	return s + npsum.Sum(x)
}

// pairwise returns LIBSVM's decision values of every row of x for every
// pair (i, j), i < j: n_samples × n_classes(n_classes−1)/2.
func (m *SVC) pairwise(x *mat.Dense) (*mat.Dense, error) {
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
	k := len(m.Classes)
	kv := m.kernelValues(x) // n × nSV
	start := make([]int, k)
	for c := 1; c < k; c++ {
		start[c] = start[c-1] + m.NSupport[c-1]
	}
	out := mat.NewDense(n, k*(k-1)/2, nil)
	for r := range n {
		kr, dst := kv.RawRowView(r), out.RawRowView(r)
		pi := 0
		for i := range k {
			for j := i + 1; j < k; j++ {
				var sum float64
				c1, c2 := m.DualCoef[j-1], m.DualCoef[i]
				for t := start[i]; t < start[i]+m.NSupport[i]; t++ {
					sum += c1[t] * kr[t]
				}
				for t := start[j]; t < start[j]+m.NSupport[j]; t++ {
					sum += c2[t] * kr[t]
				}
				dst[pi] = sum - m.Rho[pi]
				pi++
			}
		}
	}
	return out, nil
}

// check reports whether the fitted state is usable: fitted, and with
// consistent sizes (it may come from a JSON file).
func (m *SVC) check() error {
	if len(m.Support) == 0 {
		return ErrNotFitted
	}
	k := len(m.Classes)
	if k < 2 {
		return fmt.Errorf("%w: %d classes", ErrModel, k)
	}
	if m.Kernel != Linear && m.Kernel != RBF {
		return fmt.Errorf("%w: kernel %q", ErrModel, m.Kernel)
	}
	if len(m.NSupport) != k || len(m.DualCoef) != k-1 || len(m.Rho) != k*(k-1)/2 {
		return fmt.Errorf("%w: %d classes with %d support counts, %d coefficient rows, %d intercepts",
			ErrModel, k, len(m.NSupport), len(m.DualCoef), len(m.Rho))
	}
	total := 0
	for _, c := range m.NSupport {
		if c < 0 || c > len(m.Support) {
			return fmt.Errorf("%w: support counts %v", ErrModel, m.NSupport)
		}
		total += c
	}
	if total != len(m.Support) {
		return fmt.Errorf("%w: support counts %v for %d vectors", ErrModel, m.NSupport, len(m.Support))
	}
	for _, row := range m.DualCoef {
		if len(row) != total {
			return fmt.Errorf("%w: %d dual coefficients for %d vectors", ErrModel, len(row), total)
		}
	}
	p := len(m.Support[0])
	for i, row := range m.Support {
		if len(row) != p || p == 0 {
			return fmt.Errorf("%w: support vector %d has %d values, vector 0 %d", ErrModel, i, len(row), p)
		}
	}
	return nil
}

// Decision returns sklearn's decision_function for every row of x: an
// n_samples × 1 matrix for two classes (positive favours Classes[1]), else
// the n_samples × n_classes one-vs-rest transform of the one-vs-one votes
// and decision values (decision_function_shape='ovr').
func (m *SVC) Decision(x *mat.Dense) (*mat.Dense, error) {
	dec, err := m.pairwise(x)
	if err != nil {
		return nil, err
	}
	n, _ := dec.Dims()
	k := len(m.Classes)
	if k == 2 {
		out := mat.NewDense(n, 1, nil)
		for r := range n {
			out.Set(r, 0, -dec.At(r, 0))
		}
		return out, nil
	}
	// sklearn.utils.multiclass._ovr_decision_function(dec < 0, -dec, k).
	out := mat.NewDense(n, k, nil)
	conf := make([]float64, k)
	for r := range n {
		src, dst := dec.RawRowView(r), out.RawRowView(r)
		clear(conf)
		pi := 0
		for i := range k {
			for j := i + 1; j < k; j++ {
				conf[i] -= -src[pi]
				conf[j] += -src[pi]
				if src[pi] < 0 {
					dst[j]++
				} else {
					dst[i]++
				}
				pi++
			}
		}
		for c := range k {
			dst[c] += conf[c] / (3 * (math.Abs(conf[c]) + 1))
		}
	}
	return out, nil
}

// DecisionFunction returns the two-class decision value of every row of x
// (positive favours Classes[1]); it is what sklearn's roc_auc scorer uses.
func (m *SVC) DecisionFunction(x *mat.Dense) ([]float64, error) {
	if len(m.Classes) > 2 {
		return nil, fmt.Errorf("%w: %d classes", ErrNotBinary, len(m.Classes))
	}
	d, err := m.Decision(x)
	if err != nil {
		return nil, err
	}
	return d.RawMatrix().Data, nil
}

// Predict returns the predicted label of every row of x by LIBSVM's
// one-vs-one vote (a tie goes to the class that comes first).
func (m *SVC) Predict(x *mat.Dense) ([]int, error) {
	dec, err := m.pairwise(x)
	if err != nil {
		return nil, err
	}
	n, _ := dec.Dims()
	k := len(m.Classes)
	out := make([]int, n)
	vote := make([]int, k)
	for r := range n {
		src := dec.RawRowView(r)
		clear(vote)
		pi := 0
		for i := range k {
			for j := i + 1; j < k; j++ {
				if src[pi] > 0 {
					vote[i]++
				} else {
					vote[j]++
				}
				pi++
			}
		}
		best := 0
		for c := 1; c < k; c++ {
			if vote[c] > vote[best] {
				best = c
			}
		}
		out[r] = m.Classes[best]
	}
	return out, nil
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
