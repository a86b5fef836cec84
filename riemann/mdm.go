package riemann

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// MDM is the minimum distance to mean classifier of pyRiemann 0.6
// (pyriemann.classification.MDM): Fit computes one mean per class with
// Metric, Predict assigns each matrix to the class of the nearest mean by
// the same metric's distance.
//
// The fitted state is plain data and marshals to JSON; Metric is written
// as pyRiemann's name for it.
type MDM struct {
	// Metric is the metric of the class means and distances; the zero
	// value is AffineInvariant, pyRiemann's default.
	Metric Metric `json:"metric"`
	// N is the size of the matrices, zero before Fit.
	N int `json:"n"`
	// Classes are the sorted distinct training labels.
	Classes []int `json:"classes"`
	// Means holds the mean of each class, in the order of Classes,
	// row-major N×N.
	Means [][]float64 `json:"means"`
}

// Fit computes the class means of covs labelled y. Errors wrap ErrShape
// (no matrices, sizes differ, len(y) ≠ len(covs)), ErrClasses (fewer than
// two classes), ErrNonFinite or ErrNotSPD.
func (m *MDM) Fit(covs []*mat.SymDense, y []int) error {
	if err := m.Metric.check(); err != nil {
		return err
	}
	n, err := checkSet(covs, 0)
	if err != nil {
		return err
	}
	classes, err := labelClasses(y, len(covs))
	if err != nil {
		return err
	}
	means := make([][]float64, len(classes))
	for k, c := range classes {
		var sub []*mat.SymDense
		for i, l := range y {
			if l == c {
				sub = append(sub, covs[i])
			}
		}
		mk, err := Mean(sub, m.Metric)
		if err != nil {
			return fmt.Errorf("mean of class %d: %w", c, err)
		}
		means[k] = make([]float64, n*n)
		fullFrom(means[k], mk)
	}
	m.N, m.Classes, m.Means = n, classes, means
	return nil
}

// labelClasses returns the sorted distinct labels of y, checking that y
// labels count matrices and holds at least two classes.
func labelClasses(y []int, count int) ([]int, error) {
	if len(y) != count {
		return nil, fmt.Errorf("%w: %d labels for %d matrices", ErrShape, len(y), count)
	}
	classes := slices.Clone(y)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	if len(classes) < 2 {
		return nil, fmt.Errorf("%w: labels hold %d class(es)", ErrClasses, len(classes))
	}
	return classes, nil
}

func (m *MDM) check() error {
	if err := m.Metric.check(); err != nil {
		return err
	}
	if m.N <= 0 || len(m.Classes) < 2 || len(m.Means) != len(m.Classes) {
		return fmt.Errorf("%w: MDM has %d classes and %d means", ErrNotFitted, len(m.Classes), len(m.Means))
	}
	for k, mk := range m.Means {
		if len(mk) != m.N*m.N {
			return fmt.Errorf("%w: MDM mean %d has %d values, want %d", ErrShape, k, len(mk), m.N*m.N)
		}
	}
	return nil
}

// Transform returns the distance of every matrix of covs to every class
// mean: len(covs) rows, one column per class in the order of Classes.
// Distances are computed in parallel. Errors wrap ErrNotFitted, ErrShape
// (a matrix not N×N), ErrNonFinite or ErrNotSPD and name the matrix.
func (m *MDM) Transform(covs []*mat.SymDense) (*mat.Dense, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if _, err := checkSet(covs, m.N); err != nil {
		return nil, err
	}
	prep, err := m.prepare()
	if err != nil {
		return nil, err
	}
	K := len(m.Classes)
	out := mat.NewDense(len(covs), K, nil)
	raw := out.RawMatrix()
	bad := make([]bool, len(covs))
	parallel(len(covs), m.N, func(s *ws, i int) {
		row := raw.Data[i*raw.Stride : i*raw.Stride+K]
		prep.distances(s, row, covs[i])
		for _, d := range row {
			if math.IsNaN(d) {
				bad[i] = true
			}
		}
	})
	for i, b := range bad {
		if b {
			return nil, fmt.Errorf("%w: matrix %d", ErrNotSPD, i)
		}
	}
	return out, nil
}

// Predict returns the class of the nearest mean for every matrix of covs
// (the first class on an exact tie, as numpy.argmin). Errors are those of
// Transform.
func (m *MDM) Predict(covs []*mat.SymDense) ([]int, error) {
	d, err := m.Transform(covs)
	if err != nil {
		return nil, err
	}
	return argminClasses(d, m.Classes), nil
}

func argminClasses(d *mat.Dense, classes []int) []int {
	r, _ := d.Dims()
	pred := make([]int, r)
	for i := range pred {
		row := d.RawRowView(i)
		best := 0
		for k, v := range row {
			if v < row[best] {
				best = k
			}
		}
		pred[i] = classes[best]
	}
	return pred
}

// PredictProba returns class probabilities for every matrix of covs, the
// softmax of the negated squared distances (pyRiemann's predict_proba with
// scikit-learn's softmax), columns in the order of Classes. Errors are
// those of Transform.
func (m *MDM) PredictProba(covs []*mat.SymDense) (*mat.Dense, error) {
	d, err := m.Transform(covs)
	if err != nil {
		return nil, err
	}
	softmaxNegSq(d)
	return d, nil
}

// PredictWithProba returns Predict and PredictProba of covs from one
// computation of the distances (the results equal the two calls').
func (m *MDM) PredictWithProba(covs []*mat.SymDense) ([]int, *mat.Dense, error) {
	d, err := m.Transform(covs)
	if err != nil {
		return nil, nil, err
	}
	pred := argminClasses(d, m.Classes)
	softmaxNegSq(d)
	return pred, d, nil
}

// softmaxNegSq replaces every row x of d by softmax(-x²) as
// sklearn.utils.extmath.softmax: subtract the row maximum, exponentiate,
// divide by the row sum.
func softmaxNegSq(d *mat.Dense) {
	r, _ := d.Dims()
	for i := range r {
		row := d.RawRowView(i)
		mx := math.Inf(-1)
		for k, v := range row {
			row[k] = -(v * v)
			mx = max(mx, row[k])
		}
		var sum float64
		for k := range row {
			row[k] = math.Exp(row[k] - mx)
			sum += row[k]
		}
		for k := range row {
			row[k] /= sum
		}
	}
}

// mdmPrep holds what the distance to each class mean needs, computed once
// per Transform call.
type mdmPrep struct {
	metric Metric
	n      int
	means  [][]float64 // full class means
	aux    [][]float64 // per class: inverse L⁻¹ of the Cholesky factor (AffineInvariant), log (LogEuclidean), inverse (Harmonic)
	logdet []float64   // per class log det (LogDet)
}

func (m *MDM) prepare() (*mdmPrep, error) {
	n := m.N
	p := &mdmPrep{metric: m.Metric, n: n, means: m.Means, aux: make([][]float64, len(m.Means)),
		logdet: make([]float64, len(m.Means))}
	s := getWS(n)
	defer putWS(s)
	for k, mk := range m.Means {
		var ok bool
		switch m.Metric {
		case AffineInvariant:
			p.aux[k] = make([]float64, n*n)
			ok = s.cholLower(s.e2, p.aux[k], mk)
		case LogEuclidean:
			p.aux[k] = make([]float64, n*n)
			ok = s.logm(p.aux[k], mk, n)
		case Harmonic:
			p.aux[k] = make([]float64, n*n)
			ok = inverse(p.aux[k], n, mk, n)
		case LogDet:
			p.logdet[k], ok = logdet(s.b, n, mk, n)
		case Euclidean:
			ok = true
			for _, v := range mk {
				if v-v != 0 {
					ok = false
				}
			}
		}
		if !ok {
			return nil, fmt.Errorf("%w: mean of class %d", ErrNotSPD, m.Classes[k])
		}
	}
	return p, nil
}

// distances writes the distance of c to every class mean into row (NaN
// where c is not positive definite).
func (p *mdmPrep) distances(s *ws, row []float64, c *mat.SymDense) {
	n := p.n
	r := c.RawSymmetric()
	switch p.metric {
	case AffineInvariant:
		for k, linv := range p.aux {
			row[k] = s.riemannDistInv(r.Data, r.Stride, linv)
		}
	case LogEuclidean:
		if !s.logm(s.d, r.Data, r.Stride) {
			fillNaN(row)
			return
		}
		for k, l := range p.aux {
			row[k] = frobDiff(s.d, l, n, n)
		}
	case Euclidean:
		for k, mk := range p.means {
			row[k] = frobDiffUpper(r.Data, r.Stride, mk, n, n)
		}
	case Harmonic:
		if !inverse(s.d, n, r.Data, r.Stride) {
			fillNaN(row)
			return
		}
		for k, l := range p.aux {
			row[k] = frobDiff(s.d, l, n, n)
		}
	case LogDet:
		lc, ok := logdet(s.b, n, r.Data, r.Stride)
		if !ok {
			fillNaN(row)
			return
		}
		for k, mk := range p.means {
			for i := range n {
				for j := i; j < n; j++ {
					s.c[i*n+j] = (r.Data[i*r.Stride+j] + mk[i*n+j]) / 2
				}
			}
			lm, ok := logdet(s.b, n, s.c, n)
			if !ok {
				row[k] = math.NaN()
				continue
			}
			row[k] = logdetDist(lm, lc, p.logdet[k])
		}
	}
}

func fillNaN(x []float64) {
	for i := range x {
		x[i] = math.NaN()
	}
}
