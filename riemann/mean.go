package riemann

import (
	"fmt"
	"math"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/internal/npsum"
	"github.com/bcikit/bcikit/internal/symeig"
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
	// Exact makes the affine-invariant mean decompose every matrix, and
	// exp(νJ), at every iteration, as pyRiemann does. By default, once the iterates
	// have nearly converged, a matrix's logarithm is updated to first
	// order from its last decomposition where that is accurate far
	// inside Tol; the result agrees with the exact iterates to 1e-13 to
	// 2e-9 relative (pyRiemann itself stops at ‖J‖ ≤ 1e-8), in about half
	// the time.
	Exact bool
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
		return meanRiemann(covs, w, n, init, tol, maxIter, opt.Exact)
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
//
// Once the iterates have nearly converged, log Bᵢ moves little from one
// iteration to the next. Unless exact is set, each Bᵢ keeps the eigen
// decomposition Bᵢ = V·Λ·Vᵀ of the last iteration that decomposed it
// (the reference, whitened by that iteration's factor Lᵣ); later iterates
// see Bᵢ' = H·Bᵢ·Hᵀ with H = L⁻¹·Lᵣ, and log Bᵢ' is taken to first order
// (the Daleckii–Krein formula) as
//
//	V·(log Λ + Γ∘E)·Vᵀ,  E = (R−I)·Λ + Λ·(R−I)ᵀ,  R = Vᵀ·H·V,
//	Γᵢⱼ = (log λᵢ − log λⱼ)/(λᵢ − λⱼ)  (1/λᵢ when equal),
//
// a few matrix products instead of a decomposition. Its error is about
// ε²/2 with ε² = Σᵢⱼ Eᵢⱼ²/(λᵢλⱼ), the relative size of the perturbation;
// the update is used only where ε ≤ maxPerturb and ε²/2 ≤ perturbTol·‖J‖
// of the previous iteration (and never in the last perturbMargin
// iterations before maxIter), else the matrix is decomposed again and
// becomes its own reference. An error δ in J moves the next iterate by
// about νδ, which the following iterations contract, so the result stays
// close to the exact iterates: 1e-13 to 1e-11 relative on EEG
// covariances, 2e-9 at worst on the pyRiemann fixture (TestMeanFirstOrder),
// against pyRiemann's own stopping point ‖J‖ ≤ 1e-8. MeanOptions.Exact
// turns the updates off.
func meanRiemann(covs []*mat.SymDense, w []float64, n int, init []float64, tol float64, maxIter int, exact bool) (*mat.SymDense, int, error) {
	s := getWS(n)
	defer putWS(s)
	count, nn := len(covs), n*n
	M, next := init, make([]float64, nn)
	X := make([]float64, nn)
	J := make([]float64, nn)
	e := make([]float64, nn)
	// J is summed in fixed chunks of matrices, each chunk's partial sum by
	// one worker, then the partials in chunk order: the result does not
	// depend on scheduling or on the number of workers.
	chunks := (count + meanChunk - 1) / meanChunk
	partials := make([]float64, chunks*nn)
	bad := make([]bool, count)
	// References of the first-order updates (see above), when they fit.
	var (
		vecs, vals, lgs []float64 // per matrix: V (columns), λ, log λ
		refOf           []int     // iteration of the reference, -1 none
		factors         [][]float64
		hs              = map[int][]float64{}
	)
	keep := !exact && count*nn <= maxPerturbFloats
	if keep {
		vecs = make([]float64, count*nn)
		vals = make([]float64, count*n)
		lgs = make([]float64, count*n)
		refOf = make([]int, count)
		for i := range refOf {
			refOf[i] = -1
		}
	}
	store := func(i int, a, lam []float64, it int) {
		copy(vecs[i*nn:(i+1)*nn], a)
		copy(vals[i*n:(i+1)*n], lam)
		for j, l := range lam {
			lgs[i*n+j] = math.Log(l)
		}
		refOf[i] = it
	}
	var drift []float64
	lastStep := 0.0
	nu := 1.0
	tau := math.MaxFloat64
	prevCrit := math.Inf(1)
	k := 0
	for k < maxIter {
		k++
		L := make([]float64, nn)
		if !s.cholLower(L, X, M) {
			return nil, k, fmt.Errorf("%w: mean iterate %d", ErrNotSPD, k)
		}
		limit := perturbTol * prevCrit
		if k+perturbMargin > maxIter {
			// Too few iterations left to contract the error: decompose.
			limit = 0
		}
		if keep {
			// drift[r]: how far the iterate has moved since iteration r
			// (the sum of the steps ν‖J‖ since), a cheap estimate of ε
			// for the references made then; clearly too far, the update
			// is not tried. H = L⁻¹·Lᵣ for the references that may be.
			for r := range drift {
				drift[r] += lastStep
			}
			drift = append(drift, 0)
			factors = append(factors, L)
			clear(hs)
			for _, r := range refOf {
				if r >= 0 && hs[r] == nil && driftOK(drift[r], limit) {
					h := make([]float64, nn)
					symeig.MulLower(h, X, factors[r], n)
					hs[r] = h
				}
			}
		}
		it := k - 1
		parallel(chunks, n, func(t *ws, c int) {
			P := partials[c*nn : (c+1)*nn]
			clear(P)
			add := func(i int, l []float64) {
				wi := w[i]
				for j, v := range l {
					P[j] += wi * v
				}
			}
			// First-order updates first, then decompositions in pairs,
			// each in index order.
			var todo [meanChunk]int
			nt := 0
			for i := c * meanChunk; i < min(count, (c+1)*meanChunk); i++ {
				if keep && refOf[i] >= 0 && driftOK(drift[refOf[i]], limit) && t.logPerturbed(t.e2, vecs[i*nn:(i+1)*nn], vals[i*n:(i+1)*n], lgs[i*n:(i+1)*n], hs[refOf[i]], limit) {
					perturbed.Add(1)
					add(i, t.e2)
					continue
				}
				todo[nt] = i
				nt++
			}
			for a := 0; a < nt; a += 2 {
				i := todo[a]
				r := covs[i].RawSymmetric()
				t.lowerCongruence(t.e2, X, r.Data, r.Stride)
				if a+1 == nt {
					if bad[i] = !t.logm(t.e2, t.e2, n); !bad[i] {
						if keep {
							store(i, t.a, t.w, it)
						}
						add(i, t.e2)
					}
					continue
				}
				j := todo[a+1]
				r2 := covs[j].RawSymmetric()
				t.lowerCongruence(t.e3, X, r2.Data, r2.Stride)
				ok1, ok2 := t.logmPair(t.e2, t.e2, t.e3, t.e3)
				bad[i], bad[j] = !ok1, !ok2
				if ok1 && ok2 {
					if keep {
						store(i, t.a, t.w, it)
						store(j, t.a2, t.w2, it)
					}
					add(i, t.e2)
					add(j, t.e3)
				}
			}
		})
		for i := range covs {
			if bad[i] {
				return nil, k, fmt.Errorf("%w: matrix %d", ErrNotSPD, i)
			}
		}
		clear(J)
		for c := range chunks {
			for j, v := range partials[c*nn : (c+1)*nn] {
				J[j] += v
			}
		}
		var crit float64
		for _, v := range J {
			crit += v * v
		}
		crit = math.Sqrt(crit)
		prevCrit = crit
		// M ← L exp(νJ') Lᵀ
		for j := range J {
			e[j] = nu * J[j]
		}
		if nu*crit <= expSeriesMax && !exact {
			s.expSmall(e)
		} else {
			if !s.eigen(e, n, true) {
				return nil, k, fmt.Errorf("%w: mean iterate %d", ErrNonFinite, k)
			}
			s.apply(e, n, fnExp)
		}
		s.lowerCongruence(next, L, e, n)
		M, next = next, M
		h := nu * crit
		lastStep = h
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

// driftOK reports whether a reference the iterate has moved d from since
// may pass logPerturbed's test: ε is about d (on EEG covariances the
// test passes exactly when d²/2 ≤ limit), so an update is not tried when
// even ε = d/√2 would fail.
func driftOK(d, limit float64) bool {
	return d*d/4 <= limit && d/math.Sqrt2 <= maxPerturb
}

// expSeriesMax is the largest ‖νJ‖_F whose exponential meanRiemann takes
// by its Taylor series to the fourth power (remainder below
// ‖νJ‖⁵/120·e^‖νJ‖ < 1e-17) instead of an eigen decomposition.
const expSeriesMax = 1e-3

// expSmall replaces the full symmetric n×n a, of Frobenius norm at most
// expSeriesMax, by exp(a) = I + a(I + a/2(I + a/3(I + a/4))), exactly
// symmetric.
func (s *ws) expSmall(a []float64) {
	n := s.n
	t, p := s.b, s.t
	for i := range a {
		t[i] = a[i] / 4
	}
	for _, c := range []float64{1.0 / 3, 0.5, 1} {
		for i := range n {
			t[i*n+i]++
		}
		symeig.MulSym(p, a, t, n)
		for i := range p {
			t[i] = c * p[i]
		}
	}
	for i := range n {
		t[i*n+i]++
	}
	copy(a, t)
}

// perturbed counts the first-order updates (for the tests).
var perturbed atomic.Int64

// The first-order updates of meanRiemann: the largest ε accepted, the
// accepted error ε²/2 relative to the previous ‖J‖, the most floats the
// references may take (beyond it every iteration decomposes every
// matrix), the matrices whose logarithms one worker sums, and the last
// iterations before MaxIter that decompose every matrix (their error
// would not be contracted).
const (
	maxPerturb       = 0.05
	perturbTol       = 1e-2
	maxPerturbFloats = 1 << 25
	meanChunk        = 4
	perturbMargin    = 3
)

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
