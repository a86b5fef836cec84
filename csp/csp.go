package csp

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Reg selects the covariance estimator, MNE's reg argument.
type Reg string

// Covariance estimators.
const (
	// Empirical is the plain covariance, MNE's reg=None (the default).
	Empirical Reg = "empirical"
	// Shrinkage blends the covariance with a multiple of the identity with
	// the weight in CSP.Shrinkage: MNE's reg=<float> (and reg='shrinkage',
	// whose weight is 0.1).
	Shrinkage Reg = "shrinkage"
	// LedoitWolf chooses the shrinkage weight with sklearn's Ledoit-Wolf
	// formula, MNE's reg='ledoit_wolf'.
	LedoitWolf Reg = "ledoit_wolf"
	// OAS chooses it with sklearn's oracle approximating shrinkage,
	// MNE's reg='oas'.
	OAS Reg = "oas"
)

// CovEst selects how class covariances are estimated, MNE's cov_est.
type CovEst string

// Class covariance estimation modes.
const (
	// Concat estimates one covariance from the concatenated trials of a
	// class (the default).
	Concat CovEst = "concat"
	// Epoch averages the covariances of the single trials of a class.
	Epoch CovEst = "epoch"
)

// Order selects how components are sorted, MNE's component_order.
type Order string

// Component orders.
const (
	// MutualInfo sorts by decreasing mutual information with the class
	// (the default). With two classes this is MNE's simplification:
	// decreasing |λ − 0.5| of the generalised eigenvalues.
	MutualInfo Order = "mutual_info"
	// Alternate (two classes only) takes the largest eigenvalue, then the
	// smallest, then the second largest, and so on.
	Alternate Order = "alternate"
)

// DefaultComponents is the number of components kept when NComponents is
// zero, MNE's default n_components=4.
const DefaultComponents = 4

// CSP is a Common Spatial Patterns decomposition equal to MNE 1.3's
// mne.decoding.CSP with transform_into='average_power', rank=None and no
// cov_method_params. The zero value has MNE's defaults (n_components=4,
// reg=None, log=True, cov_est='concat', norm_trace=False,
// component_order='mutual_info').
//
// The configuration fields are read by Fit; the fitted fields are plain
// data so that a fitted CSP round-trips through encoding/json.
type CSP struct {
	// NComponents is the number of components (features) Transform
	// returns; 0 means DefaultComponents. It is capped at the number of
	// channels, as MNE's filters_[:n_components] is.
	NComponents int `json:"n_components,omitempty"`
	// Reg is the covariance estimator; "" means Empirical.
	Reg Reg `json:"reg,omitempty"`
	// Shrinkage is the shrinkage weight in [0, 1] used when Reg is
	// Shrinkage.
	Shrinkage float64 `json:"shrinkage,omitempty"`
	// ZScore replaces the log of the average power by its z-score with the
	// training mean and standard deviation: MNE's log=False.
	ZScore bool `json:"zscore,omitempty"`
	// CovEst is the class covariance mode; "" means Concat.
	CovEst CovEst `json:"cov_est,omitempty"`
	// NormTrace divides each class covariance by its trace.
	NormTrace bool `json:"norm_trace,omitempty"`
	// ComponentOrder sorts the components; "" means MutualInfo.
	ComponentOrder Order `json:"component_order,omitempty"`

	// Classes are the sorted distinct training labels.
	Classes []int `json:"classes,omitempty"`
	// Filters are MNE's filters_: one spatial filter per row, all
	// n_channels of them, sorted; Transform uses the first NComponents.
	// The sign of each filter is arbitrary (the eigensolver's).
	Filters [][]float64 `json:"filters,omitempty"`
	// Patterns are MNE's patterns_, the pseudo-inverse of the filter
	// matrix: row i is the forward model of component i.
	Patterns [][]float64 `json:"patterns,omitempty"`
	// Mean and Std are MNE's mean_ and std_: the mean and (population)
	// standard deviation over the training trials of the average power of
	// each kept component, used by ZScore.
	Mean []float64 `json:"mean,omitempty"`
	Std  []float64 `json:"std,omitempty"`
}

// nComponents returns the number of kept components for nCh channels.
func (c *CSP) nComponents(nCh int) int {
	k := c.NComponents
	if k == 0 {
		k = DefaultComponents
	}
	return min(k, nCh)
}

func (c *CSP) check() error {
	if c.NComponents < 0 {
		return fmt.Errorf("csp: n_components %d: %w", c.NComponents, ErrParam)
	}
	switch c.Reg {
	case "", Empirical, LedoitWolf, OAS:
	case Shrinkage:
		if !(c.Shrinkage >= 0 && c.Shrinkage <= 1) {
			return fmt.Errorf("csp: shrinkage %g not in [0, 1]: %w", c.Shrinkage, ErrParam)
		}
	default:
		return fmt.Errorf("csp: regularization %q: %w", c.Reg, ErrParam)
	}
	switch c.CovEst {
	case "", Concat, Epoch:
	default:
		return fmt.Errorf("csp: cov_est %q: %w", c.CovEst, ErrParam)
	}
	switch c.ComponentOrder {
	case "", MutualInfo, Alternate:
	default:
		return fmt.Errorf("csp: component_order %q: %w", c.ComponentOrder, ErrParam)
	}
	return nil
}

// checkTrials validates that trials is a non-empty, rectangular
// [trial][channel][time] array with at least two samples per trial, and
// returns its channel and sample counts.
func checkTrials(trials [][][]float64) (nCh, nT int, err error) {
	if len(trials) == 0 {
		return 0, 0, fmt.Errorf("csp: no trials: %w", ErrShape)
	}
	nCh = len(trials[0])
	if nCh == 0 {
		return 0, 0, fmt.Errorf("csp: trial 0 has no channels: %w", ErrShape)
	}
	nT = len(trials[0][0])
	if nT < 2 {
		return 0, 0, fmt.Errorf("csp: trial 0 has %d samples, need at least 2: %w", nT, ErrShape)
	}
	for t, tr := range trials {
		if len(tr) != nCh {
			return 0, 0, fmt.Errorf("csp: trial %d has %d channels, want %d: %w", t, len(tr), nCh, ErrShape)
		}
		for ch, row := range tr {
			if len(row) != nT {
				return 0, 0, fmt.Errorf("csp: trial %d channel %d has %d samples, want %d: %w", t, ch, len(row), nT, ErrShape)
			}
		}
	}
	return nCh, nT, nil
}

// classesOf returns the sorted distinct labels.
func classesOf(y []int) []int {
	c := slices.Clone(y)
	slices.Sort(c)
	return slices.Compact(c)
}

// Fit estimates the spatial filters from trials ([trial][channel][time])
// and their labels, as MNE's CSP.fit. Two classes use the generalised
// eigendecomposition of the first class covariance against the sum of
// both; more classes use Pham's approximate joint diagonalisation and the
// information-theoretic component order of Grosse-Wentrup and Buss (2008).
func (c *CSP) Fit(trials [][][]float64, y []int) error {
	if err := c.check(); err != nil {
		return err
	}
	nCh, _, err := checkTrials(trials)
	if err != nil {
		return err
	}
	if len(y) != len(trials) {
		return fmt.Errorf("csp: %d labels for %d trials: %w", len(y), len(trials), ErrShape)
	}
	classes := classesOf(y)
	if len(classes) < 2 {
		return fmt.Errorf("csp: %d class in labels, need at least 2: %w", len(classes), ErrClasses)
	}
	if len(classes) > 2 && c.ComponentOrder == Alternate {
		return fmt.Errorf("csp: component order %q needs two classes, got %d: %w", Alternate, len(classes), ErrClasses)
	}

	// class covariances and MNE's sample weights
	n := nCh
	covs := make([][]float64, len(classes))
	weights := make([]float64, len(classes))
	ws := &covWorkspace{nCh: n, g: make([]float64, n*n)}
	for ci, cl := range classes {
		var idx []int
		for t, lab := range y {
			if lab == cl {
				idx = append(idx, t)
			}
		}
		cov := make([]float64, n*n)
		if c.CovEst == Epoch {
			one := make([]float64, n*n)
			for _, t := range idx {
				if err := c.regularizedCov(one, ws, trials, []int{t}); err != nil {
					return fmt.Errorf("%w (class %d)", err, cl)
				}
				for i, v := range one {
					cov[i] += v
				}
			}
			for i := range cov {
				cov[i] /= float64(len(idx))
			}
			weights[ci] = float64(len(idx))
		} else {
			if err := c.regularizedCov(cov, ws, trials, idx); err != nil {
				return fmt.Errorf("%w (class %d)", err, cl)
			}
			// MNE 1.3 takes the weight from the channels×samples
			// concatenation's first dimension: the number of channels, the
			// same for every class.
			weights[ci] = float64(n)
		}
		if c.NormTrace {
			tr := 0.0
			for i := 0; i < n; i++ {
				tr += cov[i*n+i]
			}
			for i := range cov {
				cov[i] /= tr
			}
		}
		covs[ci] = cov
	}

	// decomposition and component order
	var vecs []float64 // eigenvectors in columns, n×n row-major
	var ix []int
	if len(classes) == 2 {
		sum := make([]float64, n*n)
		for i := range sum {
			sum[i] = covs[0][i] + covs[1][i]
		}
		vals, v, ok := genEig(covs[0], sum, n)
		if !ok {
			return fmt.Errorf("csp: sum of class covariances is not positive definite: %w", ErrRankDeficient)
		}
		vecs = v
		ix = order2(vals, c.ComponentOrder)
	} else {
		for _, cv := range covs {
			if !posDef(cv, n) {
				return fmt.Errorf("csp: class covariance is not positive definite: %w", ErrRankDeficient)
			}
		}
		v := ajdPham(covs, n)
		vecs = transpose(v, n)
		normalizeEigenvectors(vecs, covs, weights, n)
		mi := mutualInfo(vecs, covs, weights, n)
		ix = argsortDesc(mi)
	}

	sorted := make([]float64, n*n) // eigenvectors in columns, sorted
	for r := 0; r < n; r++ {
		for j, src := range ix {
			sorted[r*n+j] = vecs[r*n+src]
		}
	}
	for _, v := range sorted {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("csp: decomposition produced non-finite filters: %w", ErrRankDeficient)
		}
	}
	filters := make([][]float64, n)
	for i := range filters {
		filters[i] = make([]float64, n)
		for j := 0; j < n; j++ {
			filters[i][j] = sorted[j*n+i]
		}
	}
	pv := pinv(sorted, n, n)
	patterns := make([][]float64, n)
	for i := range patterns {
		patterns[i] = slices.Clone(pv[i*n : (i+1)*n])
	}

	c.Classes = classes
	c.Filters = filters
	c.Patterns = patterns

	// training power statistics (MNE's mean_ and std_)
	k := c.nComponents(n)
	pow := make([]float64, k)
	sum := make([]float64, k)
	sumSq := make([]float64, k)
	all := make([][]float64, len(trials))
	for t, tr := range trials {
		c.power(pow, tr)
		all[t] = slices.Clone(pow)
		for j, p := range pow {
			sum[j] += p
		}
	}
	mean := make([]float64, k)
	for j := range mean {
		mean[j] = sum[j] / float64(len(trials))
	}
	for _, p := range all {
		for j := range p {
			d := p[j] - mean[j]
			sumSq[j] += d * d
		}
	}
	std := make([]float64, k)
	for j := range std {
		std[j] = math.Sqrt(sumSq[j] / float64(len(trials)))
	}
	c.Mean, c.Std = mean, std
	return nil
}

// order2 returns the two-class component order from the generalised
// eigenvalues (ascending), as MNE's _order_components.
func order2(vals []float64, o Order) []int {
	n := len(vals)
	if o == Alternate {
		i := make([]int, n)
		for j := range i {
			i[j] = j
		}
		sort.SliceStable(i, func(a, b int) bool { return vals[i[a]] < vals[i[b]] })
		ix := make([]int, n)
		lo, hi := i[:n/2], i[n/2:]
		for j := range lo {
			ix[2*j+1] = lo[j]
		}
		for j := range hi {
			ix[2*j] = hi[len(hi)-1-j]
		}
		return ix
	}
	d := make([]float64, n)
	for i, v := range vals {
		d[i] = math.Abs(v - 0.5)
	}
	return argsortDesc(d)
}

// argsortDesc is numpy's argsort(x)[::-1]: indices by decreasing value,
// ties in decreasing index order (numpy sorts short arrays stably).
func argsortDesc(x []float64) []int {
	ix := make([]int, len(x))
	for i := range ix {
		ix[i] = i
	}
	sort.SliceStable(ix, func(a, b int) bool { return x[ix[a]] < x[ix[b]] })
	slices.Reverse(ix)
	return ix
}

func transpose(a []float64, n int) []float64 {
	t := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			t[j*n+i] = a[i*n+j]
		}
	}
	return t
}

// normalizeEigenvectors scales each eigenvector (column) v to vᵀ M v = 1
// with M the weighted mean of the class covariances, as MNE's
// _normalize_eigenvectors.
func normalizeEigenvectors(vecs []float64, covs [][]float64, w []float64, n int) {
	m := make([]float64, n*n)
	wsum := 0.0
	for _, x := range w {
		wsum += x
	}
	for ci, cv := range covs {
		for i, v := range cv {
			m[i] += w[ci] * v
		}
	}
	for i := range m {
		m[i] /= wsum
	}
	for col := 0; col < n; col++ {
		s := math.Sqrt(quadForm(m, vecs, n, col))
		for r := 0; r < n; r++ {
			vecs[r*n+col] /= s
		}
	}
}

// mutualInfo is MNE's _compute_mutual_info: an approximation of the mutual
// information between each component's power and the class.
func mutualInfo(vecs []float64, covs [][]float64, w []float64, n int) []float64 {
	wsum := 0.0
	for _, x := range w {
		wsum += x
	}
	mi := make([]float64, n)
	for col := 0; col < n; col++ {
		aa, bb := 0.0, 0.0
		for ci, cv := range covs {
			p := w[ci] / wsum
			t := quadForm(cv, vecs, n, col)
			aa += p * math.Log(math.Sqrt(t))
			bb += p * (t*t - 1)
		}
		mi[col] = -(aa + (3.0/16)*(bb*bb))
	}
	return mi
}

// powerBlock is the number of samples power filters at a time: the
// filtered block lives on the stack.
const powerBlock = 64

// power writes to dst (length = kept components) the average power of
// each kept component of one trial: mean over time of (filter · x(t))².
// Components are filtered four at a time over blocks of samples, so each
// sample is read once per four components and the inner loops run over
// contiguous memory.
func (c *CSP) power(dst []float64, trial [][]float64) {
	nT := len(trial[0])
	k := len(dst)
	for j := 0; j < k; j += 4 {
		nc := min(4, k-j)
		var f [4][]float64
		for q := 0; q < nc; q++ {
			f[q] = c.Filters[j+q]
		}
		var s [4]float64
		for t0 := 0; t0 < nT; t0 += powerBlock {
			m := min(powerBlock, nT-t0)
			var y [4][powerBlock]float64
			y0, y1, y2, y3 := y[0][:m], y[1][:m], y[2][:m], y[3][:m]
			if nc == 4 {
				f0, f1, f2, f3 := f[0], f[1], f[2], f[3]
				i := 0
				// four channels at a time: 16 products per 4 loads of x
				for ; i+4 <= len(trial); i += 4 {
					x0 := trial[i][t0 : t0+m]
					x1 := trial[i+1][t0 : t0+m]
					x2 := trial[i+2][t0 : t0+m]
					x3 := trial[i+3][t0 : t0+m]
					a00, a01, a02, a03 := f0[i], f0[i+1], f0[i+2], f0[i+3]
					a10, a11, a12, a13 := f1[i], f1[i+1], f1[i+2], f1[i+3]
					a20, a21, a22, a23 := f2[i], f2[i+1], f2[i+2], f2[i+3]
					a30, a31, a32, a33 := f3[i], f3[i+1], f3[i+2], f3[i+3]
					x1, x2, x3 = x1[:len(x0)], x2[:len(x0)], x3[:len(x0)]
					for t, v0 := range x0 {
						v1, v2, v3 := x1[t], x2[t], x3[t]
						y0[t] += a00*v0 + a01*v1 + a02*v2 + a03*v3
						y1[t] += a10*v0 + a11*v1 + a12*v2 + a13*v3
						y2[t] += a20*v0 + a21*v1 + a22*v2 + a23*v3
						y3[t] += a30*v0 + a31*v1 + a32*v2 + a33*v3
					}
				}
				for ; i < len(trial); i++ {
					x := trial[i][t0 : t0+m]
					a0, a1, a2, a3 := f0[i], f1[i], f2[i], f3[i]
					for t, v := range x {
						y0[t] += a0 * v
						y1[t] += a1 * v
						y2[t] += a2 * v
						y3[t] += a3 * v
					}
				}
			} else {
				for q := 0; q < nc; q++ {
					yq := y[q][:m]
					for i, row := range trial {
						a := f[q][i]
						for t, v := range row[t0 : t0+m] {
							yq[t] += a * v
						}
					}
				}
			}
			for q := 0; q < nc; q++ {
				acc := 0.0
				for _, v := range y[q][:m] {
					acc += v * v
				}
				s[q] += acc
			}
		}
		for q := 0; q < nc; q++ {
			dst[j+q] = s[q] / float64(nT)
		}
	}
}

// fitted returns the number of channels the filters expect, or an error if
// the CSP has not been fitted or its state is inconsistent (as after a
// hand-edited JSON model).
func (c *CSP) fitted() (int, error) {
	n := len(c.Filters)
	if n == 0 {
		return 0, ErrNotFitted
	}
	for i, f := range c.Filters {
		if len(f) != n {
			return 0, fmt.Errorf("csp: filter %d has %d coefficients, want %d: %w", i, len(f), n, ErrShape)
		}
	}
	k := c.nComponents(n)
	if c.ZScore && (len(c.Mean) != k || len(c.Std) != k) {
		return 0, fmt.Errorf("csp: %d means and %d stds for %d components: %w", len(c.Mean), len(c.Std), k, ErrShape)
	}
	return n, nil
}

// Features writes the features of one trial ([channel][time]) to dst and
// returns it, allocating only when dst is shorter than NComponents: the log
// of the average power of each kept component (MNE's default) or, with
// ZScore, its z-score. It is the per-trial form of Transform for online
// use.
func (c *CSP) Features(dst []float64, trial [][]float64) ([]float64, error) {
	n, err := c.fitted()
	if err != nil {
		return nil, err
	}
	if len(trial) != n {
		return nil, fmt.Errorf("csp: trial has %d channels, filters expect %d: %w", len(trial), n, ErrShape)
	}
	nT := len(trial[0])
	if nT == 0 {
		return nil, fmt.Errorf("csp: trial has no samples: %w", ErrShape)
	}
	for ch, row := range trial {
		if len(row) != nT {
			return nil, fmt.Errorf("csp: channel %d has %d samples, want %d: %w", ch, len(row), nT, ErrShape)
		}
	}
	k := c.nComponents(n)
	if cap(dst) < k {
		dst = make([]float64, k)
	}
	dst = dst[:k]
	c.power(dst, trial)
	// A non-finite sample makes some power non-finite; only then look for
	// it (a finite overflow is reported the same way).
	for _, p := range dst {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			for ch, row := range trial {
				for _, v := range row {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						return nil, fmt.Errorf("csp: channel %d: %w", ch, ErrNonFinite)
					}
				}
			}
			return nil, fmt.Errorf("csp: component power overflows: %w", ErrNonFinite)
		}
	}
	for j, p := range dst {
		if c.ZScore {
			dst[j] = (p - c.Mean[j]) / c.Std[j]
		} else {
			dst[j] = math.Log(p)
		}
	}
	return dst, nil
}

// Transform returns the features of each trial ([trial][channel][time]) as
// an n_trials × NComponents matrix, as MNE's CSP.transform.
func (c *CSP) Transform(trials [][][]float64) (*mat.Dense, error) {
	n, err := c.fitted()
	if err != nil {
		return nil, err
	}
	if len(trials) == 0 {
		return nil, fmt.Errorf("csp: no trials: %w", ErrShape)
	}
	k := c.nComponents(n)
	out := mat.NewDense(len(trials), k, nil)
	raw := out.RawMatrix()
	for t, tr := range trials {
		row := raw.Data[t*raw.Stride : t*raw.Stride+k]
		if _, err := c.Features(row, tr); err != nil {
			return nil, fmt.Errorf("%w (trial %d)", err, t)
		}
	}
	return out, nil
}
