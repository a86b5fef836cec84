package xdawn

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/internal/npsum"
)

// Estimator names a covariance estimator, pyRiemann's estimator argument.
type Estimator string

// Covariance estimators (pyRiemann 0.6's cov_est_functions without the
// robust and random ones). All of them centre each channel first.
const (
	// SCM is the sample covariance, Σ (x−x̄)(x−x̄)ᵀ / n: pyRiemann's "scm"
	// (numpy.cov(X, bias=1)), the default.
	SCM Estimator = "scm"
	// Cov is numpy.cov(X): the unbiased covariance, divided by n − 1.
	Cov Estimator = "cov"
	// Corr is numpy.corrcoef(X), the correlation matrix.
	Corr Estimator = "corr"
	// LedoitWolf is sklearn.covariance.ledoit_wolf: the sample covariance
	// shrunk towards a multiple of the identity by Ledoit and Wolf's
	// weight (pyRiemann's "lwf").
	LedoitWolf Estimator = "lwf"
	// OAS is sklearn.covariance.oas, oracle approximating shrinkage.
	OAS Estimator = "oas"
	// Schaefer is pyRiemann's covariance_sch: the unbiased covariance
	// shrunk towards its diagonal by Schäfer and Strimmer's weight.
	Schaefer Estimator = "sch"
)

func (e Estimator) check() error {
	switch e {
	case "", SCM, Cov, Corr, LedoitWolf, OAS, Schaefer:
		return nil
	}
	return fmt.Errorf("xdawn: covariance estimator %q: %w", e, ErrParam)
}

// covariance estimates the covariance of the rows of x (m rows of n
// samples) with estimator e into dst (m×m, row-major), allocating when
// dst is too short.
func covariance(dst []float64, e Estimator, x [][]float64) []float64 {
	m := len(x)
	n := len(x[0])
	if cap(dst) < m*m {
		dst = make([]float64, m*m)
	}
	dst = dst[:m*m]
	// centred copy
	xc := make([][]float64, m)
	buf := make([]float64, m*n)
	for i, row := range x {
		mean := npsum.Sum(row) / float64(n)
		r := buf[i*n : (i+1)*n]
		for k, v := range row {
			r[k] = v - mean
		}
		xc[i] = r
	}
	// S = Xc Xcᵀ (scatter)
	for i := 0; i < m; i++ {
		for j := i; j < m; j++ {
			s := dot(xc[i], xc[j])
			dst[i*m+j], dst[j*m+i] = s, s
		}
	}
	fn := float64(n)
	switch e {
	case "", SCM:
		scale(dst, 1/fn)
	case Cov:
		scale(dst, 1/(fn-1))
	case Corr:
		scale(dst, 1/(fn-1))
		d := make([]float64, m)
		for i := range d {
			d[i] = math.Sqrt(dst[i*m+i])
		}
		for i := 0; i < m; i++ {
			for j := 0; j < m; j++ {
				v := dst[i*m+j] / d[i] / d[j]
				dst[i*m+j] = math.Max(-1, math.Min(1, v))
			}
		}
	case LedoitWolf:
		ledoitWolf(dst, xc, m, n)
	case OAS:
		oas(dst, m, n)
	case Schaefer:
		schaefer(dst, xc, m, n)
	}
	return dst
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func scale(x []float64, f float64) {
	for i := range x {
		x[i] *= f
	}
}

// ledoitWolf turns the scatter matrix s of the centred rows xc into
// sklearn's ledoit_wolf estimate (features = rows, samples = columns).
func ledoitWolf(s []float64, xc [][]float64, p, n int) {
	fn, fp := float64(n), float64(p)
	scale(s, 1/fn) // empirical covariance
	if p == 1 {
		return // sklearn returns the variance for a single feature
	}
	// sklearn.covariance.ledoit_wolf_shrinkage
	trace := 0.0
	for i := 0; i < p; i++ {
		trace += s[i*p+i]
	}
	mu := trace / fp
	beta := 0.0 // Σ over sample pairs of squared products: Σₖ (Σᵢ xᵢₖ²)²
	for k := 0; k < n; k++ {
		e := 0.0
		for i := 0; i < p; i++ {
			v := xc[i][k]
			e += v * v
		}
		beta += e * e
	}
	delta := 0.0
	for _, v := range s {
		delta += v * v // (XᵀX/n)² summed
	}
	b := 1 / (fp * fn) * (beta/fn - delta)
	d := (delta - 2*mu*trace + fp*mu*mu) / fp
	b = math.Min(b, d)
	shrink := 0.0
	if b != 0 {
		shrink = b / d
	}
	scale(s, 1-shrink)
	for i := 0; i < p; i++ {
		s[i*p+i] += shrink * mu
	}
}

// oas turns the scatter matrix s into sklearn's oas estimate.
func oas(s []float64, p, n int) {
	fn, fp := float64(n), float64(p)
	scale(s, 1/fn)
	if p == 1 {
		return
	}
	trace := 0.0
	for i := 0; i < p; i++ {
		trace += s[i*p+i]
	}
	mu := trace / fp
	alpha := 0.0
	for _, v := range s {
		alpha += v * v
	}
	alpha /= fp * fp
	num := alpha + mu*mu
	den := (fn + 1) * (alpha - mu*mu/fp)
	shrink := 1.0
	if den != 0 {
		shrink = math.Min(num/den, 1)
	}
	scale(s, 1-shrink)
	for i := 0; i < p; i++ {
		s[i*p+i] += shrink * mu
	}
}

// schaefer turns the scatter matrix s of the centred rows xc into
// pyRiemann's covariance_sch (Schäfer and Strimmer's shrinkage towards the
// diagonal).
func schaefer(s []float64, xc [][]float64, p, n int) {
	fn := float64(n)
	scale(s, 1/fn) // C_scm
	vars := make([]float64, p)
	for i := range vars {
		vars[i] = s[i*p+i] // population variances = X.var(axis=1)
	}
	// var_R entries need (Xc²)(Xc²)ᵀ
	sq := make([][]float64, p)
	for i, r := range xc {
		sq[i] = make([]float64, n)
		for k, v := range r {
			sq[i][k] = v * v
		}
	}
	num, den := 0.0, 0.0
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			if i == j {
				continue
			}
			c := s[i*p+j]
			r := fn / ((fn - 1) * math.Sqrt(vars[i]) * math.Sqrt(vars[j])) * c
			v := dot(sq[i], sq[j]) - 2*c*(c*fn) + fn*c*c
			v *= fn / ((fn - 1) * (fn - 1) * (fn - 1) * (vars[i] * vars[j]))
			num += v
			den += r * r
		}
	}
	// Python's max(0, min(1, ratio)): a NaN ratio (no off-diagonal
	// terms) gives 1, as Python's min keeps its first argument.
	gamma := num / den
	if !(gamma < 1) { // NaN too
		gamma = 1
	}
	if gamma < 0 {
		gamma = 0
	}
	f := fn / (fn - 1)
	a, b := (1-gamma)*f, gamma*f
	for i := 0; i < p; i++ {
		for j := 0; j < p; j++ {
			c := s[i*p+j]
			if i == j {
				s[i*p+j] = a*c + b*c
			} else {
				s[i*p+j] = a * c
			}
		}
	}
}
