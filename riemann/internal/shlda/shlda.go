// Package shlda computes the weight vectors of a shrinkage linear
// discriminant analysis exactly as scikit-learn 1.2's
// LinearDiscriminantAnalysis(solver='lsqr', shrinkage='auto') does
// (sklearn/discriminant_analysis.py: _class_means, _class_cov, _cov,
// _solve_lsqr), for pyRiemann's FGDA. It is internal to package riemann;
// the standalone LDA classifier of bcikit is package lda.
package shlda

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/cov"
)

// ErrSolve is returned when the within-class covariance system cannot be
// solved (non-finite data).
var ErrSolve = errors.New("shlda: cannot solve the within-class covariance system")

// Coef returns scikit-learn's coef_ for the samples in the rows of x
// (n × p) labelled y, with classes the sorted distinct labels: one row,
// coef[1]−coef[0], for two classes, else one row per class. It panics if
// len(y) differs from the rows of x or classes are not those of y.
//
// The steps are sklearn's: class means; per class the Ledoit-Wolf
// covariance of the standardised samples (StandardScaler, then
// ledoit_wolf) rescaled by the feature scales; their sum weighted by the
// class priors; coef = lstsq(Σ, meansᵀ)ᵀ. The system is solved by Cholesky
// (Σ is positive definite whenever a shrinkage is positive), falling back
// to an SVD least-squares solution with SciPy's cutoff when it is not.
func Coef(x *mat.Dense, y []int, classes []int) (*mat.Dense, error) {
	n, p := x.Dims()
	if len(y) != n {
		panic(fmt.Sprintf("shlda: %d labels for %d samples", len(y), n))
	}
	K := len(classes)
	means := mat.NewDense(K, p, nil)
	sigma := mat.NewSymDense(p, nil)
	for k, c := range classes {
		var rows []int
		for i, l := range y {
			if l == c {
				rows = append(rows, i)
			}
		}
		if len(rows) == 0 {
			panic(fmt.Sprintf("shlda: class %d has no samples", c))
		}
		// _class_means: np.add.at in sample order, then divide.
		mk := means.RawRowView(k)
		for _, i := range rows {
			for j, v := range x.RawRowView(i) {
				mk[j] += v
			}
		}
		for j := range mk {
			mk[j] /= float64(len(rows))
		}
		sk, err := shrunkCov(x, rows)
		if err != nil {
			return nil, fmt.Errorf("class %d: %w", c, err)
		}
		prior := float64(len(rows)) / float64(n)
		sr, gr := sk.RawSymmetric(), sigma.RawSymmetric()
		for i := range p {
			for j := i; j < p; j++ {
				gr.Data[i*gr.Stride+j] += prior * sr.Data[i*sr.Stride+j]
			}
		}
	}
	sol, err := solve(sigma, means.T())
	if err != nil {
		return nil, err
	}
	coef := mat.DenseCopyOf(sol.T())
	if K == 2 {
		d := mat.NewDense(1, p, nil)
		for j := range p {
			d.Set(0, j, coef.At(1, j)-coef.At(0, j))
		}
		return d, nil
	}
	return coef, nil
}

// shrunkCov is sklearn's _cov(X[rows], shrinkage='auto'): standardise the
// features (StandardScaler), Ledoit-Wolf covariance, rescale.
func shrunkCov(x *mat.Dense, rows []int) (*mat.SymDense, error) {
	_, p := x.Dims()
	m := len(rows)
	fm := float64(m)
	// StandardScaler.fit: _incremental_mean_and_var from scratch.
	sum := make([]float64, p)
	for _, i := range rows {
		for j, v := range x.RawRowView(i) {
			sum[j] += v
		}
	}
	mean := make([]float64, p)
	corr := make([]float64, p)
	sq := make([]float64, p)
	for j := range p {
		mean[j] = sum[j] / fm
	}
	for _, i := range rows {
		for j, v := range x.RawRowView(i) {
			t := v - mean[j]
			corr[j] += t
			sq[j] += t * t
		}
	}
	scale := make([]float64, p)
	const eps = 0x1p-52
	for j := range p {
		v := (sq[j] - corr[j]*corr[j]/fm) / fm
		// _is_constant_feature, then _handle_zeros_in_scale.
		bound := fm*eps*v + (fm*mean[j]*eps)*(fm*mean[j]*eps)
		if v <= bound {
			scale[j] = 1
		} else {
			scale[j] = math.Sqrt(v)
		}
	}
	// Standardised samples as a [feature][sample] trial for cov.LWF.
	z := make([][]float64, p)
	buf := make([]float64, p*m)
	for j := range z {
		z[j] = buf[j*m : (j+1)*m]
	}
	for s, i := range rows {
		for j, v := range x.RawRowView(i) {
			z[j][s] = (v - mean[j]) / scale[j]
		}
	}
	lw, err := cov.EstimateTrial(nil, z, cov.LWF)
	if err != nil {
		return nil, err
	}
	r := lw.RawSymmetric()
	for i := range p {
		for j := i; j < p; j++ {
			r.Data[i*r.Stride+j] = scale[i] * r.Data[i*r.Stride+j] * scale[j]
		}
	}
	return lw, nil
}

// solve returns the solution Z of Σ·Z = B, by Cholesky when Σ is positive
// definite, else by SVD least squares with singular values below
// eps·s_max dropped (scipy.linalg.lstsq's gelsd with cond=None).
func solve(sigma *mat.SymDense, b mat.Matrix) (*mat.Dense, error) {
	var chol mat.Cholesky
	var z mat.Dense
	if chol.Factorize(sigma) {
		if err := chol.SolveTo(&z, b); err == nil {
			return &z, nil
		}
	}
	var svd mat.SVD
	if !svd.Factorize(sigma, mat.SVDThin) {
		return nil, ErrSolve
	}
	s := svd.Values(nil)
	rank := 0
	for _, v := range s {
		if v > 0x1p-52*s[0] {
			rank++
		}
	}
	if rank == 0 {
		return nil, ErrSolve
	}
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	var utb mat.Dense
	utb.Mul(u.T(), b)
	r, c := utb.Dims()
	for i := range r {
		for j := range c {
			if i < rank {
				utb.Set(i, j, utb.At(i, j)/s[i])
			} else {
				utb.Set(i, j, 0)
			}
		}
	}
	z.Mul(&v, &utb)
	return &z, nil
}

// Pinv returns the Moore-Penrose pseudo-inverse of the symmetric k×k
// matrix a as numpy.linalg.pinv (rcond 1e-15 of the largest singular
// value), row-major.
func Pinv(a *mat.Dense) ([]float64, error) {
	k, _ := a.Dims()
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		return nil, ErrSolve
	}
	s := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	cut := 1e-15 * slices.Max(s)
	out := mat.NewDense(k, k, nil)
	for i := range k {
		for j := range k {
			var sum float64
			for l, sl := range s {
				if sl > cut {
					sum += v.At(i, l) / sl * u.At(j, l)
				}
			}
			out.Set(i, j, sum)
		}
	}
	return out.RawMatrix().Data, nil
}
