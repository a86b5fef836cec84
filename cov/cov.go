package cov

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/internal/npsum"
)

// Estimate returns the covariance matrix of every trial of trials, indexed
// [trial][channel][time], with the estimator est. Trials are estimated in
// parallel (up to GOMAXPROCS at once); the result does not depend on the
// number of workers.
//
// Every trial must have the same number of channels and every channel the
// same number of samples, at least one (two for Cov, SCH and Corr).
// Errors wrap ErrEstimator, ErrShape, ErrNonFinite or ErrDegenerate and
// name the offending trial.
func Estimate(trials [][][]float64, est Estimator) ([]*mat.SymDense, error) {
	if err := est.check(); err != nil {
		return nil, err
	}
	if len(trials) == 0 {
		return nil, fmt.Errorf("%w: no trials", ErrShape)
	}
	p, nt, err := trialShape(trials[0], 0, est)
	if err != nil {
		return nil, err
	}
	for i, tr := range trials[1:] {
		q, mt, err := trialShape(tr, i+1, est)
		if err != nil {
			return nil, err
		}
		if q != p || mt != nt {
			return nil, fmt.Errorf("%w: trial %d is %d channels × %d samples, trial 0 is %d × %d",
				ErrShape, i+1, q, mt, p, nt)
		}
	}
	out := make([]*mat.SymDense, len(trials))
	backing := make([]float64, len(trials)*p*p)
	errs := make([]error, len(trials))
	parallel(len(trials), func(w *work, i int) {
		d := backing[i*p*p : (i+1)*p*p : (i+1)*p*p]
		out[i] = mat.NewSymDense(p, d)
		_, errs[i] = w.estimate(out[i], trials[i], i, est)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EstimateTrial computes the covariance matrix of one trial, indexed
// [channel][time], into dst and returns it. A nil dst is allocated; an
// empty one (see mat.SymDense.Reset) is resized; otherwise dst must be
// n_channels × n_channels or EstimateTrial panics. Working memory is
// reused between calls, so a steady stream of same-sized trials does not
// allocate. Errors are those of Estimate; dst is then unspecified.
func EstimateTrial(dst *mat.SymDense, trial [][]float64, est Estimator) (*mat.SymDense, error) {
	if err := est.check(); err != nil {
		return nil, err
	}
	p, _, err := trialShape(trial, -1, est)
	if err != nil {
		return nil, err
	}
	switch {
	case dst == nil:
		dst = mat.NewSymDense(p, nil)
	case dst.IsEmpty():
		dst.ReuseAsSym(p)
	case dst.SymmetricDim() != p:
		panic(fmt.Sprintf("cov: destination is %d×%d, trial has %d channels", dst.SymmetricDim(), dst.SymmetricDim(), p))
	}
	w := workPool.Get().(*work)
	_, err = w.estimate(dst, trial, -1, est)
	workPool.Put(w)
	if err != nil {
		return nil, err
	}
	return dst, nil
}

// where names trial i in an error message; i < 0 stands for a lone trial.
func where(i int) string {
	if i < 0 {
		return "trial"
	}
	return fmt.Sprintf("trial %d", i)
}

// trialShape checks that trial is a non-ragged channels × times array with
// enough samples for est, and returns its size.
func trialShape(trial [][]float64, i int, est Estimator) (p, nt int, err error) {
	if len(trial) == 0 {
		return 0, 0, fmt.Errorf("%w: %s has no channels", ErrShape, where(i))
	}
	nt = len(trial[0])
	for c, ch := range trial {
		if len(ch) != nt {
			return 0, 0, fmt.Errorf("%w: %s: channel %d has %d samples, channel 0 has %d",
				ErrShape, where(i), c, len(ch), nt)
		}
	}
	if nt < est.minTimes() {
		return 0, 0, fmt.Errorf("%w: %s has %d samples, estimator %v needs at least %d",
			ErrShape, where(i), nt, est, est.minTimes())
	}
	return len(trial), nt, nil
}

// work holds the buffers of one estimation; a worker reuses it across trials.
type work struct {
	x  []float64 // centred trial, channels × times, row-major
	x2 []float64 // squared centred trial (SCH)
	a  []float64 // channels × channels scratch (SCH)
	ts []float64 // per-sample sums over channels (LWF)
}

var workPool = sync.Pool{New: func() any { return new(work) }}

func grow(buf *[]float64, n int) []float64 {
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// parallel calls fn(w, i) for i in [0, n), spreading the calls over up to
// GOMAXPROCS goroutines, each with its own work buffers.
func parallel(n int, fn func(w *work, i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		w := workPool.Get().(*work)
		for i := range n {
			fn(w, i)
		}
		workPool.Put(w)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			w := workPool.Get().(*work)
			defer workPool.Put(w)
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(w, i)
			}
		})
	}
	wg.Wait()
}

// estimate writes the covariance of trial (index i, for messages) into dst,
// which is p × p, and returns the shrinkage coefficient the estimator chose
// (zero for estimators without one).
func (w *work) estimate(dst *mat.SymDense, trial [][]float64, i int, est Estimator) (float64, error) {
	p, nt := len(trial), len(trial[0])
	x := grow(&w.x, p*nt)
	for c, ch := range trial {
		for t, v := range ch {
			if v-v != 0 { // NaN or ±Inf
				return 0, fmt.Errorf("%w: %s channel %d sample %d is %v", ErrNonFinite, where(i), c, t, v)
			}
		}
		// numpy.cov and sklearn centre with numpy.mean (pairwise sum).
		m := npsum.Mean(ch)
		row := x[c*nt : (c+1)*nt]
		for t, v := range ch {
			row[t] = v - m
		}
	}
	// g = X·Xᵀ, the unnormalised Gram matrix of the centred trial, in the
	// upper triangle of dst.
	g := dst.RawSymmetric()
	blas64.Syrk(blas.NoTrans, 1, blas64.General{Rows: p, Cols: nt, Stride: nt, Data: x}, 0, g)
	n := float64(nt)
	switch est.kind {
	case kindSCM:
		scaleUpper(g, 1/n)
	case kindCov:
		scaleUpper(g, 1/(n-1))
	case kindShrunk:
		scaleUpper(g, 1/n)
		shrinkToIdentity(g, est.shrinkage)
		return est.shrinkage, nil
	case kindLWF:
		if p == 1 {
			scaleUpper(g, 1/n)
			return 0, nil
		}
		s := w.ledoitWolf(g, x, p, nt)
		scaleUpper(g, 1/n)
		shrinkToIdentity(g, s)
		return s, nil
	case kindOAS:
		scaleUpper(g, 1/n)
		if p == 1 {
			return 0, nil
		}
		s := oasShrinkage(g, nt)
		shrinkToIdentity(g, s)
		return s, nil
	case kindCorr:
		scaleUpper(g, 1/(n-1))
		return 0, w.corrcoef(g, i)
	case kindSCH:
		return w.schaeferStrimmer(g, x, p, nt, i)
	}
	return 0, nil
}

// scaleUpper multiplies the upper triangle of s by f (numpy.cov multiplies
// by 1/fact rather than dividing).
func scaleUpper(s blas64.Symmetric, f float64) {
	for i := range s.N {
		row := s.Data[i*s.Stride+i : i*s.Stride+s.N]
		for j := range row {
			row[j] *= f
		}
	}
}

// shrinkToIdentity replaces s by (1-a)·s + a·mu·I with mu = trace(s)/n, as
// sklearn's shrunk_covariance.
func shrinkToIdentity(s blas64.Symmetric, a float64) {
	var tr float64
	for i := range s.N {
		tr += s.Data[i*s.Stride+i]
	}
	mu := tr / float64(s.N)
	scaleUpper(s, 1-a)
	for i := range s.N {
		s.Data[i*s.Stride+i] += a * mu
	}
}

// sumSqUpper returns the sum of squares of all entries of the symmetric s.
func sumSqUpper(s blas64.Symmetric) float64 {
	var diag, off float64
	for i := range s.N {
		row := s.Data[i*s.Stride+i : i*s.Stride+s.N]
		diag += row[0] * row[0]
		for _, v := range row[1:] {
			off += v * v
		}
	}
	return diag + 2*off
}

// ledoitWolf returns sklearn's ledoit_wolf_shrinkage (scikit-learn 1.2,
// sklearn/covariance/_shrunk_covariance.py) for the centred trial x whose
// Gram matrix g = X·Xᵀ is given; samples are the columns of x.
func (w *work) ledoitWolf(g blas64.Symmetric, x []float64, p, nt int) float64 {
	n, fp := float64(nt), float64(p)
	// emp_cov_trace[i] = sum_t x_it² / n; mu = sum(emp_cov_trace) / p.
	var traceSum float64
	for i := range p {
		traceSum += g.Data[i*g.Stride+i] / n
	}
	mu := traceSum / fp
	// delta_ = sum((XᵀX)²) / n², beta_ = sum((X²)ᵀX²) = sum_t (sum_i x_it²)².
	delta_ := sumSqUpper(g) / (n * n)
	ts := grow(&w.ts, nt)
	clear(ts)
	for i := range p {
		row := x[i*nt : (i+1)*nt]
		for t, v := range row {
			ts[t] += v * v
		}
	}
	var beta_ float64
	for _, v := range ts {
		beta_ += v * v
	}
	beta := 1 / (fp * n) * (beta_/n - delta_)
	delta := (delta_ - 2*mu*traceSum + fp*mu*mu) / fp
	beta = pyMin(beta, delta)
	if beta == 0 {
		return 0
	}
	return beta / delta
}

// oasShrinkage returns the OAS coefficient of scikit-learn 1.2's oas for
// the empirical covariance s from nt samples (the 1.2 formula, "from Chen
// et al.'s implementation").
func oasShrinkage(s blas64.Symmetric, nt int) float64 {
	p := float64(s.N)
	var tr float64
	for i := range s.N {
		tr += s.Data[i*s.Stride+i]
	}
	mu := tr / p
	alpha := sumSqUpper(s) / (p * p)
	num := alpha + mu*mu
	den := (float64(nt) + 1) * (alpha - mu*mu/p)
	if den == 0 {
		return 1
	}
	return min(num/den, 1)
}

// corrcoef turns the covariance in the upper triangle of s into
// correlation coefficients as numpy.corrcoef does, clipped to [-1, 1].
func (w *work) corrcoef(s blas64.Symmetric, trial int) error {
	sd := grow(&w.ts, s.N)
	for i := range s.N {
		sd[i] = math.Sqrt(s.Data[i*s.Stride+i])
		if sd[i] == 0 {
			return fmt.Errorf("%w: %s channel %d", ErrDegenerate, where(trial), i)
		}
	}
	for i := range s.N {
		row := s.Data[i*s.Stride : i*s.Stride+s.N]
		for j := i; j < s.N; j++ {
			row[j] = math.Max(-1, math.Min(1, row[j]/sd[i]/sd[j]))
		}
	}
	return nil
}

// schaeferStrimmer transcribes pyRiemann 0.6's _sch
// (pyriemann/utils/covariance.py; Schäfer & Strimmer 2005): the unbiased
// covariance shrunk towards its diagonal with the authors' estimate of the
// optimal weight gamma. On entry the upper triangle of g holds X·Xᵀ of the
// centred trial x; on return it holds the estimate, and gamma is returned.
func (w *work) schaeferStrimmer(g blas64.Symmetric, x []float64, p, nt, trial int) (float64, error) {
	n := float64(nt)
	x2 := grow(&w.x2, p*nt)
	for k, v := range x {
		x2[k] = v * v
	}
	// Per-channel variance as numpy's X.var(axis=1): mean of squared
	// deviations, pairwise-summed.
	vr := grow(&w.ts, p)
	for i := range p {
		vr[i] = npsum.Mean(x2[i*nt : (i+1)*nt])
		if vr[i] == 0 {
			return 0, fmt.Errorf("%w: %s channel %d", ErrDegenerate, where(trial), i)
		}
	}
	a := blas64.Symmetric{N: p, Stride: p, Uplo: blas.Upper, Data: grow(&w.a, p*p)}
	blas64.Syrk(blas.NoTrans, 1, blas64.General{Rows: p, Cols: nt, Stride: nt, Data: x2}, 0, a)
	// Off-diagonal sums of var_R and R² (symmetric, so twice the upper).
	var sumV, sumR2 float64
	cube := (n - 1) * (n - 1) * (n - 1)
	for i := range p {
		for j := i + 1; j < p; j++ {
			gij := g.Data[i*g.Stride+j]
			c := 1 / n * gij
			r := n / ((n - 1) * (math.Sqrt(vr[i]) * math.Sqrt(vr[j]))) * c
			v := a.Data[i*p+j] - 2*c*gij + n*(c*c)
			v *= n / (cube * (vr[i] * vr[j]))
			sumV += v
			sumR2 += r * r
		}
	}
	gamma := pyMax(0, pyMin(1, sumV/sumR2))
	off := (1 - gamma) * (n / (n - 1))
	on := gamma * (n / (n - 1))
	for i := range p {
		row := g.Data[i*g.Stride : i*g.Stride+p]
		for j := i; j < p; j++ {
			c := 1 / n * row[j]
			row[j] = off * c
			if j == i {
				row[j] += on * c
			}
		}
	}
	return gamma, nil
}
