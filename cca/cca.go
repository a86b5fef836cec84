package cca

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// DefaultHarmonics is the number of harmonics when Harmonics is zero,
// MOABB's default n_harmonics=3.
const DefaultHarmonics = 3

// CCA is the SSVEP decoder of MOABB 0.4.6 (SSVEP_CCA): each trial goes to
// the class whose sine/cosine reference has the largest first canonical
// correlation with it.
//
// The configuration (Freqs, SFreq, Harmonics, Duration and optionally
// Classes) is set before Fit; Fit records the classes and the trial shape.
// Everything is plain data, so a fitted CCA round-trips through
// encoding/json. A fitted CCA is safe for concurrent use by Correlations,
// Predict and Score (the references are built on first use and shared).
type CCA struct {
	// Freqs maps a class label to its stimulation frequency in Hz. Labels
	// absent from Freqs (rest) are never predicted.
	Freqs map[int]float64 `json:"freqs"`
	// SFreq is the sampling rate of the trials in Hz.
	SFreq float64 `json:"sfreq"`
	// Harmonics is the number of harmonics of each frequency in its
	// reference (a sine and a cosine each); 0 means DefaultHarmonics.
	Harmonics int `json:"harmonics"`
	// Duration is the time span of the references in seconds: their
	// time axis is linspace(0, Duration, n_times), as MOABB's with
	// Duration = interval[1] − interval[0]. 0 means (n_times − 1)/SFreq,
	// the trials' own time axis.
	Duration float64 `json:"duration"`
	// Classes are the classes of the problem, sorted: those with a
	// frequency and those without (rest). Left nil, Fit sets them to the
	// labels of its y and of Freqs; set before Fit, they are checked: a
	// label of y outside them is an error.
	Classes []int `json:"classes"`
	// Channels and Times are the shape of the trials given to Fit; later
	// trials must have the same.
	Channels int `json:"channels"`
	Times    int `json:"times"`

	refs atomic.Value // *references, built for the current settings
}

// harmonics returns the effective number of harmonics.
func (c *CCA) harmonics() int {
	if c.Harmonics == 0 {
		return DefaultHarmonics
	}
	return c.Harmonics
}

// checkParams validates the settings other than the classes.
func (c *CCA) checkParams() error {
	if !(c.SFreq > 0) || math.IsInf(c.SFreq, 0) {
		return fmt.Errorf("cca: sampling rate %v Hz: must be positive and finite: %w", c.SFreq, ErrParam)
	}
	if c.Harmonics < 0 {
		return fmt.Errorf("cca: %d harmonics: must be positive (0 for %d): %w", c.Harmonics, DefaultHarmonics, ErrParam)
	}
	if !(c.Duration >= 0) || math.IsInf(c.Duration, 0) {
		return fmt.Errorf("cca: duration %v s: must be positive and finite (0 for the trials' own): %w", c.Duration, ErrParam)
	}
	for _, k := range sortedKeys(c.Freqs) {
		f := c.Freqs[k]
		if !(f > 0) || math.IsInf(f, 0) {
			return fmt.Errorf("cca: class %d: frequency %v Hz: must be positive and finite: %w", k, f, ErrParam)
		}
		if f >= c.SFreq/2 {
			return fmt.Errorf("cca: class %d: frequency %v Hz at or above the Nyquist frequency %v Hz: %w", k, f, c.SFreq/2, ErrParam)
		}
	}
	return nil
}

func sortedKeys(m map[int]float64) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// FreqClasses returns the classes that have a stimulation frequency, in
// the order of Classes: the classes Predict chooses from and the order of
// Correlations.
func (c *CCA) FreqClasses() []int {
	var out []int
	for _, k := range c.Classes {
		if _, ok := c.Freqs[k]; ok {
			out = append(out, k)
		}
	}
	return out
}

// checkShape validates a non-empty rectangular [trial][channel][time]
// array (values are checked later, trial by trial). want, when non-zero,
// are the channels and times the trials must have.
func checkShape(trials [][][]float64, wantCh, wantT int) (nCh, nT int, err error) {
	if len(trials) == 0 {
		return 0, 0, fmt.Errorf("cca: no trials: %w", ErrShape)
	}
	nCh, nT = wantCh, wantT
	if nCh == 0 {
		nCh = len(trials[0])
		if nCh == 0 {
			return 0, 0, fmt.Errorf("cca: trial 0 has no channels: %w", ErrShape)
		}
		nT = len(trials[0][0])
	}
	for t, tr := range trials {
		if len(tr) != nCh {
			return 0, 0, fmt.Errorf("cca: trial %d has %d channels, want %d: %w", t, len(tr), nCh, ErrShape)
		}
		for ch, row := range tr {
			if len(row) != nT {
				return 0, 0, fmt.Errorf("cca: trial %d channel %d has %d samples, want %d: %w", t, ch, len(row), nT, ErrShape)
			}
		}
	}
	return nCh, nT, nil
}

// Fit checks the settings and the trials, and records the classes and the
// trial shape; CCA learns nothing from the trials themselves (the
// references are fixed sinusoids). trials are [trial][channel][time] and
// y their labels.
//
// Errors: ErrParam for a bad setting or a frequency at or above the
// Nyquist frequency, ErrShape for ragged trials, labels that do not match
// them or too few samples (a trial needs more than channels + 2·harmonics),
// ErrNonFinite for NaN or infinite samples, ErrClass for a label outside a
// preset Classes or no class with a frequency.
func (c *CCA) Fit(trials [][][]float64, y []int) error {
	if err := c.checkParams(); err != nil {
		return err
	}
	nCh, nT, err := checkShape(trials, 0, 0)
	if err != nil {
		return err
	}
	if len(y) != len(trials) {
		return fmt.Errorf("cca: %d labels for %d trials: %w", len(y), len(trials), ErrShape)
	}
	if q := 2 * c.harmonics(); nT <= nCh+q {
		return fmt.Errorf("cca: trials of %d samples for %d channels and %d reference signals: need more than %d: %w",
			nT, nCh, q, nCh+q, ErrShape)
	}
	for t, tr := range trials {
		for ch, row := range tr {
			for i, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("cca: trial %d channel %d sample %d is %v: %w", t, ch, i, v, ErrNonFinite)
				}
			}
		}
	}
	var classes []int
	if c.Classes != nil {
		classes = slices.Clone(c.Classes)
		slices.Sort(classes)
		if len(slices.Compact(slices.Clone(classes))) != len(classes) {
			return fmt.Errorf("cca: classes %v repeat a label: %w", c.Classes, ErrClass)
		}
		for i, l := range y {
			if _, ok := slices.BinarySearch(classes, l); !ok {
				return fmt.Errorf("cca: label %d of trial %d is not one of the classes %v: %w", l, i, classes, ErrClass)
			}
		}
	} else {
		classes = append(slices.Clone(y), sortedKeys(c.Freqs)...)
		slices.Sort(classes)
		classes = slices.Compact(classes)
	}
	nf := 0
	for _, k := range classes {
		if _, ok := c.Freqs[k]; ok {
			nf++
		}
	}
	if nf == 0 {
		return fmt.Errorf("cca: none of the classes %v has a stimulation frequency (Freqs %v): %w", classes, c.Freqs, ErrClass)
	}
	c.Classes, c.Channels, c.Times = classes, nCh, nT
	_, err = c.references()
	return err
}

// references returns the reference bases for the current settings,
// building them (once) when there are none yet or the settings changed.
func (c *CCA) references() (*references, error) {
	if r, ok := c.refs.Load().(*references); ok && r.matches(c) {
		return r, nil
	}
	if c.Channels == 0 || c.Times == 0 || c.Classes == nil {
		return nil, ErrNotFitted
	}
	if err := c.checkParams(); err != nil {
		return nil, err
	}
	if len(c.FreqClasses()) == 0 {
		return nil, fmt.Errorf("cca: no class has a stimulation frequency: %w", ErrClass)
	}
	if h := c.harmonics(); h > c.Times {
		return nil, fmt.Errorf("cca: %d harmonics for %d samples: %w", h, c.Times, ErrParam)
	}
	r, err := newReferences(c)
	if err != nil {
		return nil, err
	}
	c.refs.Store(r)
	return r, nil
}

// references holds, for each frequency class, an orthonormal basis of its
// centred sine/cosine reference for one trial length.
type references struct {
	n        int
	sfreq    float64
	duration float64
	harm     int
	channels int
	classes  []int     // frequency classes, in Classes order
	freqs    []float64 // their frequencies
	bases    [][][]float64
	maxRank  int
}

func (r *references) matches(c *CCA) bool {
	if r.n != c.Times || r.sfreq != c.SFreq || r.duration != c.Duration ||
		r.harm != c.harmonics() || r.channels != c.Channels {
		return false
	}
	i := 0
	for _, k := range c.Classes {
		f, ok := c.Freqs[k]
		if !ok {
			continue
		}
		if i >= len(r.classes) || r.classes[i] != k || r.freqs[i] != f {
			return false
		}
		i++
	}
	return i == len(r.classes)
}

// newReferences builds MOABB's references
//
//	sin(2π f h t), cos(2π f h t), h = 1..H, t = linspace(0, slen, n)
//
// and their orthonormal bases.
func newReferences(c *CCA) (*references, error) {
	n, h := c.Times, c.harmonics()
	r := &references{n: n, sfreq: c.SFreq, duration: c.Duration, harm: h, channels: c.Channels}
	slen := c.Duration
	if slen == 0 {
		slen = float64(n-1) / c.SFreq
	}
	// np.linspace(0, slen, n): i·step, the last point exactly slen.
	t := make([]float64, n)
	step := slen / float64(n-1)
	for i := range t {
		t[i] = float64(i) * step
	}
	t[n-1] = slen
	sig := make([][]float64, 2*h)
	for i := range sig {
		sig[i] = make([]float64, n)
	}
	for _, k := range c.Classes {
		f, ok := c.Freqs[k]
		if !ok {
			continue
		}
		for j := 1; j <= h; j++ {
			a := 2 * math.Pi * f * float64(j) // evaluated as NumPy does
			s, co := sig[2*j-2], sig[2*j-1]
			for i, ti := range t {
				s[i], co[i] = math.Sincos(a * ti)
			}
		}
		buf := make([]float64, 2*h*n)
		b := make([][]float64, 2*h)
		for i := range b {
			b[i] = buf[i*n : (i+1)*n]
		}
		rank, err := orthonormalize(b, sig, math.Sqrt(float64(n)), "signal")
		if err != nil {
			return nil, fmt.Errorf("cca: reference of class %d (%v Hz): %w", k, f, err)
		}
		r.classes = append(r.classes, k)
		r.freqs = append(r.freqs, f)
		r.bases = append(r.bases, b[:rank:rank])
		r.maxRank = max(r.maxRank, rank)
	}
	return r, nil
}

// work is the per-goroutine workspace of one trial: its centred,
// orthonormalised channels and the small Jacobi matrix.
type work struct {
	buf  []float64
	rows [][]float64
	jac  []float64
}

var workPool sync.Pool

func getWork(nCh, nT, q int) *work {
	w, _ := workPool.Get().(*work)
	if w == nil {
		w = new(work)
	}
	if cap(w.buf) < nCh*nT {
		w.buf = make([]float64, nCh*nT)
	}
	w.rows = w.rows[:0]
	for i := range nCh {
		w.rows = append(w.rows, w.buf[i*nT:(i+1)*nT])
	}
	if cap(w.jac) < nCh*q {
		w.jac = make([]float64, nCh*q)
	}
	return w
}

// correlations writes into dst (one per frequency class) the first
// canonical correlation of trial with each reference.
func (r *references) correlations(dst []float64, trial [][]float64, w *work) error {
	rx, err := orthonormalize(w.rows[:len(trial)], trial, 0, "channel")
	if err != nil {
		return err
	}
	qx := w.rows[:rx]
	for i, b := range r.bases {
		dst[i] = firstCorrelation(qx, b, w.jac[:rx*len(b)])
	}
	return nil
}

// Correlations returns the first canonical correlation of trial
// ([channel][time]) with the reference of each class that has a
// frequency, in the order of FreqClasses.
func (c *CCA) Correlations(trial [][]float64) ([]float64, error) {
	if c.Channels == 0 || c.Times == 0 || c.Classes == nil {
		return nil, fmt.Errorf("cca: Correlations: %w", ErrNotFitted)
	}
	// The shape first: the references are sized by the model's Times,
	// which a damaged model file could make absurd.
	if _, _, err := checkShape([][][]float64{trial}, c.Channels, c.Times); err != nil {
		return nil, err
	}
	r, err := c.references()
	if err != nil {
		return nil, fmt.Errorf("cca: Correlations: %w", err)
	}
	w := getWork(c.Channels, c.Times, r.maxRank)
	defer workPool.Put(w)
	out := make([]float64, len(r.bases))
	if err := r.correlations(out, trial, w); err != nil {
		return nil, fmt.Errorf("cca: trial: %w", err)
	}
	return out, nil
}

// correlateAll fills corr (len(trials) × frequency classes, row-major)
// using up to GOMAXPROCS goroutines. The error is that of the first
// failing trial.
func (c *CCA) correlateAll(trials [][][]float64) (*references, []float64, error) {
	if c.Channels == 0 || c.Times == 0 || c.Classes == nil {
		return nil, nil, ErrNotFitted
	}
	// The shape first: the references are sized by the model's Times,
	// which a damaged model file could make absurd.
	if _, _, err := checkShape(trials, c.Channels, c.Times); err != nil {
		return nil, nil, err
	}
	r, err := c.references()
	if err != nil {
		return nil, nil, err
	}
	nf := len(r.bases)
	corr := make([]float64, len(trials)*nf)
	errs := make([]error, len(trials))
	workers := min(runtime.GOMAXPROCS(0), len(trials))
	var next atomic.Int64
	run := func() {
		w := getWork(c.Channels, c.Times, r.maxRank)
		defer workPool.Put(w)
		for {
			i := int(next.Add(1)) - 1
			if i >= len(trials) {
				return
			}
			errs[i] = r.correlations(corr[i*nf:(i+1)*nf], trials[i], w)
		}
	}
	if workers <= 1 {
		run()
	} else {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(run)
		}
		wg.Wait()
	}
	for i, err := range errs {
		if err != nil {
			return nil, nil, fmt.Errorf("cca: trial %d: %w", i, err)
		}
	}
	return r, corr, nil
}

// Predict returns, for each trial ([trial][channel][time]), the class
// whose reference has the largest canonical correlation with it (the
// first in FreqClasses order on a tie, as MOABB's max over its frequency
// dict). Trials are decoded in parallel.
func (c *CCA) Predict(trials [][][]float64) ([]int, error) {
	r, corr, err := c.correlateAll(trials)
	if err != nil {
		return nil, err
	}
	nf := len(r.classes)
	out := make([]int, len(trials))
	for i := range out {
		row := corr[i*nf : (i+1)*nf]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		out[i] = r.classes[best]
	}
	return out, nil
}

// Score returns, for a two-class problem whose two classes both have a
// frequency, the correlation with the larger label's reference minus that
// with the smaller label's: positive means the larger label. Other
// problems are ErrClass.
func (c *CCA) Score(trials [][][]float64) ([]float64, error) {
	if c.Classes == nil {
		return nil, fmt.Errorf("cca: Score: %w", ErrNotFitted)
	}
	if len(c.Classes) != 2 || len(c.FreqClasses()) != 2 {
		return nil, fmt.Errorf("cca: Score needs two classes with frequencies, have classes %v with frequencies for %v: %w",
			c.Classes, c.FreqClasses(), ErrClass)
	}
	r, corr, err := c.correlateAll(trials)
	if err != nil {
		return nil, err
	}
	lo, hi := 0, 1 // Classes are sorted: r.classes[0] < r.classes[1]
	if r.classes[0] > r.classes[1] {
		lo, hi = 1, 0
	}
	out := make([]float64, len(trials))
	for i := range out {
		out[i] = corr[2*i+hi] - corr[2*i+lo]
	}
	return out, nil
}
