package csp

import (
	"math"

	"github.com/bcikit/bcikit/internal/npsum"
)

// ajdPham jointly diagonalises the symmetric positive-definite n×n matrices
// covs (row-major) with Pham's algorithm, as MNE 1.3's
// mne.decoding.csp._ajd_pham (itself adapted from pyRiemann's ajd_pham)
// does with its defaults eps=1e-6 and max_iter=15: sweeps of 2×2
// transformations over every channel pair, stopping when the decrease of
// the criterion over a sweep falls below n(n−1)·eps.
//
// It returns the joint diagonaliser V (n×n row-major; MNE uses its rows,
// transposed, as the eigenvectors). The input matrices are not modified.
//
// Reference: D. T. Pham, "Joint approximate diagonalization of positive
// definite Hermitian matrices", SIAM J. Matrix Anal. Appl. 22(4), 2001.
func ajdPham(covs [][]float64, n int) []float64 {
	const (
		tolerance = 1e-6
		maxIter   = 15
	)
	k := len(covs)
	// a[m] is a working copy of matrix m; MNE stacks them side by side as
	// A = [C₀ C₁ …] (n × n·k) and updates rows and column pairs of A.
	a := make([][]float64, k)
	for m, c := range covs {
		a[m] = append([]float64(nil), c...)
	}
	v := make([]float64, n*n)
	for i := 0; i < n; i++ {
		v[i*n+i] = 1
	}
	epsilon := float64(n*(n-1)) * tolerance
	q := make([]float64, k) // per-matrix terms, averaged as numpy.mean does
	mean := func() float64 { return npsum.Sum(q) / float64(k) }

	for it := 0; it < maxIter; it++ {
		decr := 0.0
		for ii := 1; ii < n; ii++ {
			for jj := 0; jj < ii; jj++ {
				// c1 = diag ii, c2 = diag jj of every matrix
				for m := range a {
					q[m] = a[m][ii*n+jj] / a[m][ii*n+ii]
				}
				g12 := mean()
				for m := range a {
					q[m] = a[m][ii*n+jj] / a[m][jj*n+jj]
				}
				g21 := mean()
				for m := range a {
					q[m] = a[m][ii*n+ii] / a[m][jj*n+jj]
				}
				omega21 := mean()
				for m := range a {
					q[m] = a[m][jj*n+jj] / a[m][ii*n+ii]
				}
				omega12 := mean()
				omega := math.Sqrt(omega12 * omega21)

				tmp := math.Sqrt(omega21 / omega12)
				tmp1 := (tmp*g12 + g21) / (omega + 1)
				tmp2 := (tmp*g12 - g21) / math.Max(omega-1, 1e-9)

				h12 := tmp1 + tmp2
				h21 := (tmp1 - tmp2) / tmp

				decr += float64(k) * (g12*h12 + g21*h21) / 2.0

				// real part of 1 + sqrt(1 − h12·h21) taken in complex
				// arithmetic: a negative radicand contributes nothing.
				t := 1.0
				if r := 1 - h12*h21; r > 0 {
					t += math.Sqrt(r)
				}
				t12 := -h12 / t
				t21 := -h21 / t

				// rows ii, jj of every matrix: [ri; rj] ← τ [ri; rj]
				for _, am := range a {
					ri := am[ii*n : (ii+1)*n]
					rj := am[jj*n : (jj+1)*n]
					for c := range ri {
						x, y := ri[c], rj[c]
						ri[c] = x + t12*y
						rj[c] = t21*x + y
					}
				}
				// columns ii, jj of every matrix, same transformation
				for _, am := range a {
					for r := 0; r < n; r++ {
						x, y := am[r*n+ii], am[r*n+jj]
						am[r*n+ii] = x + t12*y
						am[r*n+jj] = t21*x + y
					}
				}
				ri := v[ii*n : (ii+1)*n]
				rj := v[jj*n : (jj+1)*n]
				for c := range ri {
					x, y := ri[c], rj[c]
					ri[c] = x + t12*y
					rj[c] = t21*x + y
				}
			}
		}
		if decr < epsilon {
			break
		}
	}
	return v
}
