package riemann

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/internal/npsum"
)

// MeanOptions tunes MeanWith. The zero value gives pyRiemann 0.6's
// defaults.
type MeanOptions struct {
	// Weights are non-negative weights of the matrices, normalised to sum
	// to one (pyRiemann's sample_weight). Nil means equal weights.
	Weights []float64
	// Tol is the stopping tolerance of the iterative means: on ‖J‖_F, the
	// norm of the gradient step, for AffineInvariant (pyRiemann default
	// 1e-8), and on ‖Mₖ₊₁ − Mₖ‖_F for LogDet (default 1e-4). Zero selects
	// the default.
	Tol float64
	// MaxIter bounds the iterations of the iterative means; zero means 50.
	// Reaching it is not an error (pyRiemann only warns).
	MaxIter int
	// Init is the starting point of the iterative means; nil starts from
	// the weighted Euclidean mean, as pyRiemann.
	Init *mat.SymDense
}

// Mean returns the mean of the SPD matrices covs under the metric m with
// equal weights, as pyRiemann 0.6's mean_covariance(covs, metric=m):
//
//	AffineInvariant  mean_riemann: gradient descent from the Euclidean mean,
//	                 step ν starting at 1, ×0.95 while ν‖J‖ decreases else
//	                 ×0.5, until ‖J‖_F ≤ 1e-8 or ν ≤ 1e-8 or 50 iterations
//	LogEuclidean     exp(Σ wᵢ log Cᵢ)
//	Euclidean        Σ wᵢ Cᵢ
//	Harmonic         (Σ wᵢ Cᵢ⁻¹)⁻¹
//	LogDet           mean_logdet fixed point M ← (Σ wᵢ ((Cᵢ+M)/2)⁻¹)⁻¹
//
// Errors wrap ErrShape (no matrices, or of different sizes), ErrNonFinite
// or ErrNotSPD.
func Mean(covs []*mat.SymDense, m Metric) (*mat.SymDense, error) {
	return MeanWith(covs, m, MeanOptions{})
}

// MeanWith is Mean with weights, tolerance, iteration limit and starting
// point; see MeanOptions. Errors also wrap ErrParam for bad options.
func MeanWith(covs []*mat.SymDense, m Metric, opt MeanOptions) (*mat.SymDense, error) {
	c, _, err := mean(covs, m, opt)
	return c, err
}

// mean computes the mean and reports the number of iterations it took
// (zero for the closed-form means).
func mean(covs []*mat.SymDense, m Metric, opt MeanOptions) (*mat.SymDense, int, error) {
	if err := m.check(); err != nil {
		return nil, 0, err
	}
	n, err := checkSet(covs, 0)
	if err != nil {
		return nil, 0, err
	}
	w, err := weights(opt.Weights, len(covs))
	if err != nil {
		return nil, 0, err
	}
	maxIter := opt.MaxIter
	if maxIter == 0 {
		maxIter = 50
	}
	if maxIter < 0 {
		return nil, 0, fmt.Errorf("%w: MaxIter %d", ErrParam, maxIter)
	}
	if opt.Tol < 0 || math.IsNaN(opt.Tol) {
		return nil, 0, fmt.Errorf("%w: Tol %v", ErrParam, opt.Tol)
	}
	var init []float64
	if opt.Init != nil {
		if _, err := checkSet([]*mat.SymDense{opt.Init}, n); err != nil {
			return nil, 0, fmt.Errorf("initial mean: %w", err)
		}
		init = make([]float64, n*n)
		fullFrom(init, opt.Init)
	}
	switch m {
	case Euclidean:
		return symFrom(euclidMean(covs, w, n), n), 0, nil
	case AffineInvariant:
		tol := opt.Tol
		if tol == 0 {
			tol = 10e-9
		}
		if init == nil {
			init = euclidMean(covs, w, n)
		}
		return meanRiemann(covs, w, n, init, tol, maxIter)
	case LogEuclidean:
		c, err := meanLogEuclid(covs, w, n)
		return c, 0, err
	case Harmonic:
		c, err := meanHarmonic(covs, w, n)
		return c, 0, err
	case LogDet:
		tol := opt.Tol
		if tol == 0 {
			tol = 10e-5
		}
		if init == nil {
			init = euclidMean(covs, w, n)
		}
		return meanLogDet(covs, w, n, init, tol, maxIter)
	}
	panic("unreachable")
}

// weights checks sample weights and normalises them as pyRiemann's
// check_weights (equal weights when nil).
func weights(w []float64, count int) ([]float64, error) {
	out := make([]float64, count)
	if w == nil {
		for i := range out {
			out[i] = 1
		}
	} else {
		if len(w) != count {
			return nil, fmt.Errorf("%w: %d weights for %d matrices", ErrParam, len(w), count)
		}
		for i, v := range w {
			if !(v >= 0) || math.IsInf(v, 1) {
				return nil, fmt.Errorf("%w: weight %d is %v", ErrParam, i, v)
			}
		}
		copy(out, w)
	}
	sum := npsum.Sum(out)
	if !(sum > 0) {
		return nil, fmt.Errorf("%w: weights sum to %v", ErrParam, sum)
	}
	for i := range out {
		out[i] /= sum
	}
	return out, nil
}

// euclidMean returns Σ wᵢCᵢ / Σ wᵢ (numpy.average) as a full n×n slice.
func euclidMean(covs []*mat.SymDense, w []float64, n int) []float64 {
	m := make([]float64, n*n)
	var sw float64
	for k, c := range covs {
		r := c.RawSymmetric()
		for i := range n {
			row := r.Data[i*r.Stride+i : i*r.Stride+n]
			for j, v := range row {
				m[i*n+i+j] += w[k] * v
			}
		}
		sw += w[k]
	}
	for i := range n {
		for j := i; j < n; j++ {
			m[i*n+j] /= sw
			m[j*n+i] = m[i*n+j]
		}
	}
	return m
}

// meanRiemann transcribes pyRiemann 0.6's mean_riemann
// (pyriemann/utils/mean.py): a gradient descent on the affine-invariant
// manifold from init with an adaptive step ν,
//
//	J = Σ wᵢ log(M^-½ Cᵢ M^-½),  M ← M½ exp(νJ) M½,
//
// computed in the frame of the Cholesky factor M = L·Lᵀ instead of M½:
// Q = M^-½·L is orthogonal, so M^-½ Cᵢ M^-½ = Q·Bᵢ·Qᵀ with
// Bᵢ = L⁻¹ Cᵢ L⁻ᵀ, J = Q·J'·Qᵀ with J' = Σ wᵢ log Bᵢ, ‖J‖_F = ‖J'‖_F,
// and M½ exp(νJ) M½ = L exp(νJ') Lᵀ. The iterates are pyRiemann's up to
// rounding, without the eigen decomposition of M and with triangular
// congruences.
func meanRiemann(covs []*mat.SymDense, w []float64, n int, init []float64, tol float64, maxIter int) (*mat.SymDense, int, error) {
	s := getWS(n)
	defer putWS(s)
	M, next := init, make([]float64, n*n)
	L := make([]float64, n*n)
	X := make([]float64, n*n)
	J := make([]float64, n*n)
	e := make([]float64, n*n)
	logs := make([]float64, len(covs)*n*n)
	bad := make([]bool, len(covs))
	nu := 1.0
	tau := math.MaxFloat64
	k := 0
	for k < maxIter {
		k++
		if !s.cholLower(L, X, M) {
			return nil, k, fmt.Errorf("%w: mean iterate %d", ErrNotSPD, k)
		}
		parallelPairs(len(covs), n, func(t *ws, i, j int) {
			r := covs[i].RawSymmetric()
			l := logs[i*n*n : (i+1)*n*n]
			t.lowerCongruence(l, X, r.Data, r.Stride)
			if j < 0 {
				bad[i] = !t.logm(l, l, n)
				return
			}
			r2 := covs[j].RawSymmetric()
			l2 := logs[j*n*n : (j+1)*n*n]
			t.lowerCongruence(l2, X, r2.Data, r2.Stride)
			ok1, ok2 := t.logmPair(l, l, l2, l2)
			bad[i], bad[j] = !ok1, !ok2
		})
		clear(J)
		for i := range covs {
			if bad[i] {
				return nil, k, fmt.Errorf("%w: matrix %d", ErrNotSPD, i)
			}
			wi := w[i]
			for j, v := range logs[i*n*n : (i+1)*n*n] {
				J[j] += wi * v
			}
		}
		var crit float64
		for _, v := range J {
			crit += v * v
		}
		crit = math.Sqrt(crit)
		// M ← L exp(νJ') Lᵀ
		for j := range J {
			e[j] = nu * J[j]
		}
		if !s.eigen(e, n, true) {
			return nil, k, fmt.Errorf("%w: mean iterate %d", ErrNonFinite, k)
		}
		s.apply(e, n, fnExp)
		s.lowerCongruence(next, L, e, n)
		M, next = next, M
		h := nu * crit
		if h < tau {
			nu *= 0.95
			tau = h
		} else {
			nu *= 0.5
		}
		if crit <= tol || nu <= tol {
			break
		}
	}
	return symFrom(M, n), k, nil
}

// meanLogEuclid is pyRiemann's mean_logeuclid: exp(Σ wᵢ log Cᵢ).
func meanLogEuclid(covs []*mat.SymDense, w []float64, n int) (*mat.SymDense, error) {
	logs := make([]float64, len(covs)*n*n)
	bad := make([]bool, len(covs))
	parallel(len(covs), n, func(t *ws, i int) {
		r := covs[i].RawSymmetric()
		bad[i] = !t.logm(logs[i*n*n:(i+1)*n*n], r.Data, r.Stride)
	})
	T := make([]float64, n*n)
	for i := range covs {
		if bad[i] {
			return nil, fmt.Errorf("%w: matrix %d", ErrNotSPD, i)
		}
		for j, v := range logs[i*n*n : (i+1)*n*n] {
			T[j] += w[i] * v
		}
	}
	out := mat.NewSymDense(n, nil)
	s := getWS(n)
	defer putWS(s)
	if !s.eigen(T, n, true) {
		return nil, fmt.Errorf("%w: log-Euclidean mean", ErrNonFinite)
	}
	r := out.RawSymmetric()
	s.apply(r.Data, r.Stride, fnExp)
	return out, nil
}

// meanHarmonic is pyRiemann's mean_harmonic: (Σ wᵢ Cᵢ⁻¹)⁻¹.
func meanHarmonic(covs []*mat.SymDense, w []float64, n int) (*mat.SymDense, error) {
	invs := make([]float64, len(covs)*n*n)
	bad := make([]bool, len(covs))
	parallel(len(covs), n, func(_ *ws, i int) {
		r := covs[i].RawSymmetric()
		bad[i] = !inverse(invs[i*n*n:(i+1)*n*n], n, r.Data, r.Stride)
	})
	T := make([]float64, n*n)
	var sw float64
	for i := range covs {
		if bad[i] {
			return nil, fmt.Errorf("%w: matrix %d", ErrNotSPD, i)
		}
		for j, v := range invs[i*n*n : (i+1)*n*n] {
			T[j] += w[i] * v
		}
		sw += w[i]
	}
	for j := range T {
		T[j] /= sw
	}
	out := make([]float64, n*n)
	if !inverse(out, n, T, n) {
		return nil, fmt.Errorf("%w: harmonic mean", ErrNotSPD)
	}
	return symFrom(out, n), nil
}

// meanLogDet transcribes pyRiemann 0.6's mean_logdet: the fixed point
// M ← (Σ wᵢ (½Cᵢ + ½M)⁻¹)⁻¹, stopped when ‖Mₖ₊₁ − Mₖ‖_F ≤ tol.
func meanLogDet(covs []*mat.SymDense, w []float64, n int, init []float64, tol float64, maxIter int) (*mat.SymDense, int, error) {
	M := init
	invs := make([]float64, len(covs)*n*n)
	bad := make([]bool, len(covs))
	J := make([]float64, n*n)
	k := 0
	for k < maxIter {
		k++
		parallel(len(covs), n, func(t *ws, i int) {
			r := covs[i].RawSymmetric()
			for a := range n {
				for b := a; b < n; b++ {
					t.c[a*n+b] = 0.5*r.Data[a*r.Stride+b] + 0.5*M[a*n+b]
				}
			}
			bad[i] = !inverse(invs[i*n*n:(i+1)*n*n], n, t.c, n)
		})
		clear(J)
		for i := range covs {
			if bad[i] {
				return nil, k, fmt.Errorf("%w: matrix %d", ErrNotSPD, i)
			}
			for j, v := range invs[i*n*n : (i+1)*n*n] {
				J[j] += w[i] * v
			}
		}
		next := make([]float64, n*n)
		if !inverse(next, n, J, n) {
			return nil, k, fmt.Errorf("%w: log-det mean iterate %d", ErrNotSPD, k)
		}
		crit := frobDiff(next, M, n, n)
		M = next
		if crit <= tol {
			break
		}
	}
	return symFrom(M, n), k, nil
}
