package xdawn

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// DefaultFilters is the number of filters per class when NFilter is zero,
// pyRiemann's default nfilter=4.
const DefaultFilters = 4

// Xdawn is pyRiemann 0.6's Xdawn spatial filter. The zero value has
// pyRiemann's defaults (nfilter=4, all classes, estimator='scm', baseline
// covariance from all trials).
//
// Fit computes, for each class, the class-average response P (the evoked
// response) and the generalised eigenvectors of cov(P) against the signal
// covariance Cx (of all trials concatenated, or BaselineCov); the
// NFilter eigenvectors with the largest eigenvalues, scaled to unit norm,
// are that class's filters.
//
// The configuration fields are read by Fit; the fitted fields are plain
// data so that a fitted Xdawn round-trips through encoding/json.
type Xdawn struct {
	// NFilter is the number of filters per class; 0 means
	// DefaultFilters. It is capped at the number of channels.
	NFilter int `json:"nfilter,omitempty"`
	// Classes are the classes to compute filters for, in this order; nil
	// means every label, sorted.
	Classes []int `json:"classes,omitempty"`
	// Estimator is the covariance estimator for Cx and the evoked
	// covariances; "" means SCM.
	Estimator Estimator `json:"estimator,omitempty"`
	// BaselineCov, if not nil, is the n_channels×n_channels signal
	// covariance Cx (rows), used instead of the covariance of the trials.
	BaselineCov [][]float64 `json:"baseline_cov,omitempty"`

	// FittedClasses are the classes the filters were computed for
	// (pyRiemann's classes_).
	FittedClasses []int `json:"fitted_classes,omitempty"`
	// Filters are the spatial filters, one per row, NFilter per class,
	// class after class (pyRiemann's filters_).
	Filters [][]float64 `json:"filters,omitempty"`
	// Patterns are the matching spatial patterns (pyRiemann's patterns_):
	// rows of the pseudo-inverse of each class's full filter matrix.
	Patterns [][]float64 `json:"patterns,omitempty"`
	// Evokeds are the filtered class-average responses, one row per
	// filter (pyRiemann's evokeds_), n_times long.
	Evokeds [][]float64 `json:"evokeds,omitempty"`
}

func (x *Xdawn) nFilter(nCh int) int {
	k := x.NFilter
	if k == 0 {
		k = DefaultFilters
	}
	return min(k, nCh)
}

// checkTrials validates a non-empty rectangular [trial][channel][time]
// array of finite values with at least two samples per trial.
func checkTrials(trials [][][]float64) (nCh, nT int, err error) {
	if len(trials) == 0 {
		return 0, 0, fmt.Errorf("xdawn: no trials: %w", ErrShape)
	}
	nCh = len(trials[0])
	if nCh == 0 {
		return 0, 0, fmt.Errorf("xdawn: trial 0 has no channels: %w", ErrShape)
	}
	nT = len(trials[0][0])
	if nT < 2 {
		return 0, 0, fmt.Errorf("xdawn: trial 0 has %d samples, need at least 2: %w", nT, ErrShape)
	}
	for t, tr := range trials {
		if len(tr) != nCh {
			return 0, 0, fmt.Errorf("xdawn: trial %d has %d channels, want %d: %w", t, len(tr), nCh, ErrShape)
		}
		for ch, row := range tr {
			if len(row) != nT {
				return 0, 0, fmt.Errorf("xdawn: trial %d channel %d has %d samples, want %d: %w", t, ch, len(row), nT, ErrShape)
			}
			for _, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return 0, 0, fmt.Errorf("xdawn: trial %d channel %d: %w", t, ch, ErrNonFinite)
				}
			}
		}
	}
	return nCh, nT, nil
}

// Fit computes the Xdawn filters, patterns and evoked responses from trials
// ([trial][channel][time]) and their labels.
func (x *Xdawn) Fit(trials [][][]float64, y []int) error {
	if x.NFilter < 0 {
		return fmt.Errorf("xdawn: nfilter %d: %w", x.NFilter, ErrParam)
	}
	if err := x.Estimator.check(); err != nil {
		return err
	}
	nCh, nT, err := checkTrials(trials)
	if err != nil {
		return err
	}
	if len(y) != len(trials) {
		return fmt.Errorf("xdawn: %d labels for %d trials: %w", len(y), len(trials), ErrShape)
	}
	classes := x.Classes
	if classes == nil {
		classes = slices.Compact(slices.Sorted(slices.Values(y)))
	}
	if len(classes) == 0 {
		return fmt.Errorf("xdawn: no classes: %w", ErrClasses)
	}

	// signal covariance Cx
	var cx []float64
	if x.BaselineCov != nil {
		if len(x.BaselineCov) != nCh {
			return fmt.Errorf("xdawn: baseline covariance has %d rows, want %d: %w", len(x.BaselineCov), nCh, ErrShape)
		}
		cx = make([]float64, 0, nCh*nCh)
		for i, row := range x.BaselineCov {
			if len(row) != nCh {
				return fmt.Errorf("xdawn: baseline covariance row %d has %d entries, want %d: %w", i, len(row), nCh, ErrShape)
			}
			cx = append(cx, row...)
		}
	} else {
		all := make([][]float64, nCh) // channels × (time, trial) as pyRiemann's reshape
		for c := range all {
			r := make([]float64, 0, nT*len(trials))
			for k := 0; k < nT; k++ {
				for _, tr := range trials {
					r = append(r, tr[c][k])
				}
			}
			all[c] = r
		}
		cx = covariance(nil, x.Estimator, all)
	}

	nf := x.nFilter(nCh)
	var filters, patterns, evokeds [][]float64
	p := make([][]float64, nCh)
	for c := range p {
		p[c] = make([]float64, nT)
	}
	for _, cl := range classes {
		// class-average response: trials added in order, then divided
		for c := range p {
			clear(p[c])
		}
		count := 0
		for t, lab := range y {
			if lab != cl {
				continue
			}
			count++
			for c, row := range trials[t] {
				pr := p[c]
				for k, v := range row {
					pr[k] += v
				}
			}
		}
		if count == 0 {
			return fmt.Errorf("xdawn: class %d has no trials: %w", cl, ErrClasses)
		}
		for c := range p {
			for k := range p[c] {
				p[c][k] /= float64(count)
			}
		}
		cp := covariance(nil, x.Estimator, p)
		vals, vecs, ok := genEig(cp, cx, nCh)
		if !ok {
			return fmt.Errorf("xdawn: signal covariance is not positive definite (class %d): %w", cl, ErrSingular)
		}
		// descending eigenvalues (numpy's argsort(evals)[::-1]), unit norm
		ix := make([]int, nCh)
		for i := range ix {
			ix[i] = i
		}
		sort.SliceStable(ix, func(a, b int) bool { return vals[ix[a]] < vals[ix[b]] })
		slices.Reverse(ix)
		v := make([]float64, nCh*nCh) // sorted eigenvectors in columns
		for j, src := range ix {
			norm := 0.0
			for r := 0; r < nCh; r++ {
				norm += vecs[r*nCh+src] * vecs[r*nCh+src]
			}
			norm = math.Sqrt(norm)
			for r := 0; r < nCh; r++ {
				v[r*nCh+j] = vecs[r*nCh+src] / norm
			}
		}
		// A = pinv(Vᵀ); patterns are the first nf columns of A, as rows
		vt := make([]float64, nCh*nCh)
		for r := 0; r < nCh; r++ {
			for j := 0; j < nCh; j++ {
				vt[j*nCh+r] = v[r*nCh+j]
			}
		}
		a, ok := pinv(vt, nCh, nCh)
		if !ok {
			return fmt.Errorf("xdawn: pattern SVD did not converge (class %d): %w", cl, ErrSingular)
		}
		for j := 0; j < nf; j++ {
			f := make([]float64, nCh)
			pat := make([]float64, nCh)
			for r := 0; r < nCh; r++ {
				f[r] = v[r*nCh+j]
				pat[r] = a[r*nCh+j]
			}
			ev := make([]float64, nT)
			for k := range ev {
				s := 0.0
				for r := 0; r < nCh; r++ {
					s += f[r] * p[r][k]
				}
				ev[k] = s
			}
			filters = append(filters, f)
			patterns = append(patterns, pat)
			evokeds = append(evokeds, ev)
		}
	}
	for _, f := range filters {
		for _, v := range f {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("xdawn: decomposition produced non-finite filters: %w", ErrSingular)
			}
		}
	}
	x.FittedClasses = slices.Clone(classes)
	x.Filters, x.Patterns, x.Evokeds = filters, patterns, evokeds
	return nil
}

// fitted checks the fitted state and returns the channel count.
func (x *Xdawn) fitted() (int, error) {
	if len(x.Filters) == 0 {
		return 0, ErrNotFitted
	}
	n := len(x.Filters[0])
	for i, f := range x.Filters {
		if len(f) != n {
			return 0, fmt.Errorf("xdawn: filter %d has %d coefficients, want %d: %w", i, len(f), n, ErrShape)
		}
	}
	return n, nil
}

// Apply writes the spatially filtered trial (one row per filter) into dst,
// reusing its rows when they are long enough, and returns it.
func (x *Xdawn) Apply(dst [][]float64, trial [][]float64) ([][]float64, error) {
	n, err := x.fitted()
	if err != nil {
		return nil, err
	}
	if len(trial) != n {
		return nil, fmt.Errorf("xdawn: trial has %d channels, filters expect %d: %w", len(trial), n, ErrShape)
	}
	nT := len(trial[0])
	for ch, row := range trial {
		if len(row) != nT {
			return nil, fmt.Errorf("xdawn: channel %d has %d samples, want %d: %w", ch, len(row), nT, ErrShape)
		}
	}
	if cap(dst) < len(x.Filters) {
		dst = make([][]float64, len(x.Filters))
	}
	dst = dst[:len(x.Filters)]
	for j, f := range x.Filters {
		if cap(dst[j]) < nT {
			dst[j] = make([]float64, nT)
		}
		out := dst[j][:nT]
		clear(out)
		for c, row := range trial {
			a := f[c]
			for k, v := range row {
				out[k] += a * v
			}
		}
		for _, v := range out {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("xdawn: filtered trial: %w", ErrNonFinite)
			}
		}
		dst[j] = out
	}
	return dst, nil
}

// Transform returns the spatially filtered trials, [trial][filter][time],
// as pyRiemann's Xdawn.transform.
func (x *Xdawn) Transform(trials [][][]float64) ([][][]float64, error) {
	out := make([][][]float64, len(trials))
	for t, tr := range trials {
		f, err := x.Apply(nil, tr)
		if err != nil {
			return nil, fmt.Errorf("%w (trial %d)", err, t)
		}
		out[t] = f
	}
	return out, nil
}

// XdawnCovariances is pyRiemann 0.6's XdawnCovariances: Xdawn filters
// fitted on the training trials, then for each trial the covariance of the
// evoked responses stacked over the filtered trial — a
// (2·NFilter·n_classes)-square SPD matrix that carries both the ERP shape
// and the trial's correlation with it. The zero value has pyRiemann's
// defaults (nfilter=4, applyfilters=True, estimator and xdawn_estimator
// 'scm').
type XdawnCovariances struct {
	// NFilter, Classes and BaselineCov configure the Xdawn filters as in
	// Xdawn.
	NFilter     int         `json:"nfilter,omitempty"`
	Classes     []int       `json:"classes,omitempty"`
	BaselineCov [][]float64 `json:"baseline_cov,omitempty"`
	// NoFilters stacks the evoked responses over the raw trial instead of
	// the filtered one: pyRiemann's applyfilters=False.
	NoFilters bool `json:"no_filters,omitempty"`
	// Estimator is the estimator of the output covariances; "" means SCM.
	Estimator Estimator `json:"estimator,omitempty"`
	// XdawnEstimator is the estimator used to fit the filters; "" means
	// SCM.
	XdawnEstimator Estimator `json:"xdawn_estimator,omitempty"`

	// Xdawn is the fitted filter (pyRiemann's Xd_); its Evokeds are the
	// prototypes P_.
	Xdawn Xdawn `json:"xdawn"`
}

// Fit fits the Xdawn filters on trials ([trial][channel][time]) and labels.
func (xc *XdawnCovariances) Fit(trials [][][]float64, y []int) error {
	if err := xc.Estimator.check(); err != nil {
		return err
	}
	xc.Xdawn = Xdawn{
		NFilter:     xc.NFilter,
		Classes:     xc.Classes,
		Estimator:   xc.XdawnEstimator,
		BaselineCov: xc.BaselineCov,
	}
	return xc.Xdawn.Fit(trials, y)
}

// Covariance writes the Xdawn covariance of one trial ([channel][time])
// into dst (allocated when nil or of the wrong size) and returns it. The
// first rows and columns belong to the evoked responses, the last to the
// (filtered) trial.
func (xc *XdawnCovariances) Covariance(dst *mat.SymDense, trial [][]float64) (*mat.SymDense, error) {
	if _, err := xc.Xdawn.fitted(); err != nil {
		return nil, err
	}
	ev := xc.Xdawn.Evokeds
	nT := len(ev[0])
	if len(trial) == 0 || len(trial[0]) != nT {
		got := 0
		if len(trial) > 0 {
			got = len(trial[0])
		}
		return nil, fmt.Errorf("xdawn: trial has %d samples, evoked responses have %d: %w", got, nT, ErrShape)
	}
	var rows [][]float64
	if xc.NoFilters {
		for ch, row := range trial {
			if len(row) != nT {
				return nil, fmt.Errorf("xdawn: channel %d has %d samples, want %d: %w", ch, len(row), nT, ErrShape)
			}
			for _, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("xdawn: channel %d: %w", ch, ErrNonFinite)
				}
			}
		}
		rows = append(slices.Clip(ev), trial...)
	} else {
		f, err := xc.Xdawn.Apply(nil, trial)
		if err != nil {
			return nil, err
		}
		rows = append(slices.Clip(ev), f...)
	}
	m := len(rows)
	c := covariance(nil, xc.Estimator, rows)
	if dst == nil || dst.SymmetricDim() != m {
		dst = mat.NewSymDense(m, nil)
	}
	for i := 0; i < m; i++ {
		for j := i; j < m; j++ {
			dst.SetSym(i, j, c[i*m+j])
		}
	}
	return dst, nil
}

// Transform returns the Xdawn covariance of each trial, as pyRiemann's
// XdawnCovariances.transform.
func (xc *XdawnCovariances) Transform(trials [][][]float64) ([]*mat.SymDense, error) {
	out := make([]*mat.SymDense, len(trials))
	for t, tr := range trials {
		c, err := xc.Covariance(nil, tr)
		if err != nil {
			return nil, fmt.Errorf("%w (trial %d)", err, t)
		}
		out[t] = c
	}
	return out, nil
}
