package csp

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// covWorkspace holds the scratch space for covariance estimation of one
// data block, reused across classes and epochs.
type covWorkspace struct {
	nCh int
	buf []float64 // one trial, contiguous nCh×nT
	g   []float64 // Gram matrix Σ x xᵀ, nCh×nCh row-major
}

// gram accumulates Σ X Xᵀ over the given trials into w.g (overwritten) and,
// when rowSq is not nil, Σₖ (Σᵢ x[i][k]²)² — the sum over samples of the
// squared per-sample energy that sklearn's ledoit_wolf_shrinkage calls
// beta_ — into *rowSq. It returns an error for a non-finite sample.
func (w *covWorkspace) gram(trials [][][]float64, idx []int, rowSq *float64) error {
	n := w.nCh
	clear(w.g)
	var beta float64
	for _, t := range idx {
		tr := trials[t]
		nT := len(tr[0])
		if cap(w.buf) < n*nT {
			w.buf = make([]float64, n*nT)
		}
		buf := w.buf[:n*nT]
		for i, row := range tr {
			copy(buf[i*nT:(i+1)*nT], row)
		}
		blas64.Syrk(blas.NoTrans, 1, blas64.General{Rows: n, Cols: nT, Stride: nT, Data: buf},
			1, blas64.Symmetric{N: n, Stride: n, Data: w.g, Uplo: blas.Upper})
		if rowSq != nil {
			for k := 0; k < nT; k++ {
				s := 0.0
				for i := 0; i < n; i++ {
					v := buf[i*nT+k]
					s += v * v
				}
				beta += s * s
			}
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			w.g[j*n+i] = w.g[i*n+j]
		}
	}
	// A non-finite sample makes its channel's sum of squares non-finite;
	// only then look for it (a finite overflow is reported the same way).
	for i := 0; i < n; i++ {
		if d := w.g[i*n+i]; math.IsNaN(d) || math.IsInf(d, 0) {
			for _, t := range idx {
				for ch, row := range trials[t] {
					for _, v := range row {
						if math.IsNaN(v) || math.IsInf(v, 0) {
							return fmt.Errorf("csp: trial %d channel %d: %w", t, ch, ErrNonFinite)
						}
					}
				}
			}
			return fmt.Errorf("csp: covariance overflows: %w", ErrNonFinite)
		}
	}
	if rowSq != nil {
		*rowSq = beta
	}
	return nil
}

// regularizedCov estimates the covariance of the concatenation of the
// given trials into dst (nCh×nCh, row-major) as MNE 1.3's
// _regularized_covariance(data, reg, rank=None) does:
//
//   - the data are not centred (MNE's assume_centered=True) and the result
//     is unbiased: Σ x xᵀ / (n − 1);
//   - Shrinkage blends it with μI, μ = trace/n_channels, with the given
//     weight (sklearn's shrunk_covariance), LedoitWolf and OAS choose that
//     weight as sklearn's LedoitWolf and OAS estimators with
//     assume_centered=True do;
//   - MNE estimates the data rank first (singular values above
//     n·σmax·eps) and, when the data are rank deficient, estimates the
//     covariance inside the signal subspace and projects it back. That is
//     reproduced for the empirical and fixed-shrinkage estimators, which do
//     not depend on the basis MNE picks for the subspace. For Ledoit-Wolf
//     and OAS, MNE 1.3 computes the shrinkage weight on subspace
//     coordinates picked with mismatched channel indices (the first
//     coordinate repeated), which depends on an arbitrary basis; those
//     give ErrRankDeficient.
func (c *CSP) regularizedCov(dst []float64, w *covWorkspace, trials [][][]float64, idx []int) error {
	n := w.nCh
	var beta float64
	var betaPtr *float64
	if c.Reg == LedoitWolf {
		betaPtr = &beta
	}
	if err := w.gram(trials, idx, betaPtr); err != nil {
		return err
	}
	nSamp := 0
	for _, t := range idx {
		nSamp += len(trials[t][0])
	}
	ns := float64(nSamp)

	// rank: the signal subspace, nil when the data have full rank
	proj, rank, err := signalSubspace(w.g, n, trials, idx, nSamp)
	if err != nil {
		return err
	}
	if proj != nil && (c.Reg == LedoitWolf || c.Reg == OAS) {
		return fmt.Errorf("csp: data rank %d < %d channels with %s shrinkage: %w", rank, n, c.Reg, ErrRankDeficient)
	}

	// S = X Xᵀ / n (sklearn's EmpiricalCovariance with assume_centered=True)
	s := dst
	for i, v := range w.g {
		s[i] = v / ns
	}
	if proj != nil {
		projectSym(s, proj, n)
	}
	p := float64(rank)
	trace := 0.0
	for i := 0; i < n; i++ {
		trace += s[i*n+i]
	}
	mu := trace / p

	shrink := 0.0
	switch c.Reg {
	case Empirical, "":
	case Shrinkage:
		shrink = c.Shrinkage
	case LedoitWolf:
		// sklearn.covariance.ledoit_wolf_shrinkage, assume_centered=True
		delta := 0.0
		for _, v := range w.g {
			delta += v * v
		}
		delta /= ns * ns
		b := 1 / (p * ns) * (beta/ns - delta)
		d := (delta - 2*mu*trace + p*mu*mu) / p
		b = math.Min(b, d)
		if b != 0 {
			shrink = b / d
		}
	case OAS:
		// sklearn.covariance.OAS, assume_centered=True (Chen et al.'s
		// implementation formula as sklearn 1.2 has it); full rank here
		alpha := 0.0
		for _, v := range s {
			alpha += v * v
		}
		alpha /= p * p
		num := alpha + mu*mu
		den := (ns + 1) * (alpha - mu*mu/p)
		if den == 0 {
			shrink = 1
		} else {
			shrink = math.Min(num/den, 1)
		}
	default:
		return fmt.Errorf("csp: regularization %q: %w", c.Reg, ErrParam)
	}
	if shrink != 0 {
		for i := range s {
			s[i] *= 1 - shrink
		}
		if proj == nil {
			for i := 0; i < n; i++ {
				s[i*n+i] += shrink * mu
			}
		} else {
			for i := range s {
				s[i] += shrink * mu * proj[i]
			}
		}
	}
	unbias := ns / (ns - 1)
	for i := range s {
		s[i] *= unbias
	}
	return nil
}

// signalSubspace decides, as MNE's compute_rank(rank=None) does, whether the
// data block has full rank: its rank is the number of singular values above
// min(n_channels, n_samples)·σmax·eps. It returns nil for full-rank data,
// else the n×n orthogonal projector onto the span of the leading
// eigenvectors of the Gram matrix g (the subspace MNE's _smart_eigh keeps)
// and the rank.
//
// The eigenvalues of g decide the common case cheaply: when the smallest is
// above 1e-10 of the largest, the singular values are far above MNE's
// threshold whatever the rounding. Otherwise the singular values are
// computed from the data themselves, as MNE does.
func signalSubspace(g []float64, n int, trials [][][]float64, idx []int, nSamp int) ([]float64, int, error) {
	vals, ok := symEigValues(g, n)
	if !ok {
		return nil, 0, fmt.Errorf("csp: covariance eigendecomposition did not converge: %w", ErrNonFinite)
	}
	if vals[n-1] <= 0 {
		return nil, 0, fmt.Errorf("csp: all-zero data: %w", ErrRankDeficient)
	}
	if nSamp >= n && vals[0] > 1e-10*vals[n-1] {
		return nil, n, nil
	}
	rank := dataRank(trials, idx, n, nSamp)
	if rank == n {
		return nil, n, nil
	}
	if rank == 0 {
		return nil, 0, fmt.Errorf("csp: all-zero data: %w", ErrRankDeficient)
	}
	_, vecs, ok := symEig(g, n)
	if !ok {
		return nil, 0, fmt.Errorf("csp: covariance eigendecomposition did not converge: %w", ErrNonFinite)
	}
	proj := make([]float64, n*n)
	for c := n - rank; c < n; c++ {
		for i := 0; i < n; i++ {
			vi := vecs[i*n+c]
			for j := 0; j < n; j++ {
				proj[i*n+j] += vi * vecs[j*n+c]
			}
		}
	}
	return proj, rank, nil
}

// dataRank is MNE's estimate_rank(data, tol='auto') on the n×nSamp
// concatenation of the trials.
func dataRank(trials [][][]float64, idx []int, n, nSamp int) int {
	// Singular values of the wide n×nSamp matrix are those of its
	// nSamp×n transpose; gonum's Gesvd handles the tall shape with a QR
	// first.
	a := make([]float64, nSamp*n)
	off := 0
	for _, t := range idx {
		tr := trials[t]
		nT := len(tr[0])
		for i, row := range tr {
			for k, v := range row {
				a[(off+k)*n+i] = v
			}
		}
		off += nT
	}
	k := min(n, nSamp)
	s := make([]float64, k)
	work := []float64{0}
	ag := blas64.General{Rows: nSamp, Cols: n, Stride: n, Data: a}
	none := blas64.General{Stride: 1}
	lapack64.Gesvd(lapack.SVDNone, lapack.SVDNone, ag, none, none, s, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Gesvd(lapack.SVDNone, lapack.SVDNone, ag, none, none, s, work, len(work))
	tol := float64(k) * s[0] * eps
	r := 0
	for _, v := range s {
		if v > tol {
			r++
		}
	}
	return r
}

// projectSym replaces the symmetric n×n s by P s P.
func projectSym(s, p []float64, n int) {
	t := make([]float64, n*n)
	sg := blas64.General{Rows: n, Cols: n, Stride: n, Data: s}
	pg := blas64.General{Rows: n, Cols: n, Stride: n, Data: p}
	tg := blas64.General{Rows: n, Cols: n, Stride: n, Data: t}
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, pg, sg, 0, tg)
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, tg, pg, 0, sg)
}
