package cca

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// Rank thresholds of the orthonormal bases (see the package comment).
const (
	// flatTol: a centred row below flatTol × its norm before centring
	// (or × √n for references) is flat.
	flatTol = 1e-9
	// depTol: a row whose part outside the span of the rows before it is
	// below depTol × its centred norm is dependent on them.
	depTol = 1e-9
	// maxSweeps bounds the one-sided Jacobi iteration (a k×k problem with
	// k ≤ 2·harmonics converges in a handful of sweeps).
	maxSweeps = 64
)

// Canonical returns the first canonical correlation of x and y: the
// largest correlation between a linear combination of the rows of x and
// one of the rows of y. Rows are variables (channels, reference signals),
// columns samples; x and y must have the same number of columns, more than
// their numbers of rows together (with fewer, centred signals are so short
// that the correlation is 1 whatever they hold).
//
// It equals the limit of sklearn's CCA(n_components=1) followed by
// np.corrcoef of the two canonical variates (see the package comment), and
// the largest singular value of Qxᵀ Qy for QR factorisations of the centred
// xᵀ and yᵀ. Rows that are flat or linearly dependent on earlier rows of
// the same signal are left out. A signal with no varying row is ErrFlat.
func Canonical(x, y [][]float64) (float64, error) {
	p, q := len(x), len(y)
	if p == 0 || q == 0 {
		return 0, fmt.Errorf("cca: signals with %d and %d rows: need at least one each: %w", p, q, ErrShape)
	}
	n := len(x[0])
	for s, a := range [][][]float64{x, y} {
		for i, row := range a {
			if len(row) != n {
				return 0, fmt.Errorf("cca: %s row %d has %d samples, x row 0 has %d: %w", "xy"[s:s+1], i, len(row), n, ErrShape)
			}
		}
	}
	if n <= p+q {
		return 0, fmt.Errorf("cca: %d samples for %d+%d variables: need more than %d: %w", n, p, q, p+q, ErrShape)
	}
	buf := make([]float64, (p+q)*n)
	wx, wy := make([][]float64, p), make([][]float64, q)
	for i := range wx {
		wx[i] = buf[i*n : (i+1)*n]
	}
	for i := range wy {
		wy[i] = buf[(p+i)*n : (p+i+1)*n]
	}
	rx, err := orthonormalize(wx, x, 0, "row")
	if err != nil {
		return 0, fmt.Errorf("cca: x: %w", err)
	}
	ry, err := orthonormalize(wy, y, 0, "row")
	if err != nil {
		return 0, fmt.Errorf("cca: y: %w", err)
	}
	jac := make([]float64, rx*ry)
	return firstCorrelation(wx[:rx], wy[:ry], jac), nil
}

// orthonormalize centres the rows of src into dst (same shape) and turns
// dst's rows, in order, into an orthonormal basis of the span of the
// centred rows by modified Gram-Schmidt with one reorthogonalisation
// ("twice is enough": orthogonal to working precision). Rows found flat or
// dependent are dropped (the next row is centred over them); the basis is
// dst[:r], r is returned.
//
// scale, when positive, replaces each row's norm before centring in the
// flatness test (references use √n: a unit-amplitude sinusoid that
// vanishes at every sample, such as a harmonic at the Nyquist frequency,
// is flat though its samples are rounding errors).
//
// Non-finite samples are ErrNonFinite, no varying row ErrFlat; errors name
// the row as what (row, channel).
func orthonormalize(dst, src [][]float64, scale float64, what string) (int, error) {
	r := 0
	for i, s := range src {
		// Pass 1: mean and norm; non-finite values poison both.
		var sum, sq float64
		for _, v := range s {
			sum += v
			sq += v * v
		}
		if math.IsNaN(sum) || math.IsInf(sum, 0) || math.IsInf(sq, 0) || math.IsNaN(sq) {
			for j, v := range s {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return 0, fmt.Errorf("%s %d sample %d is %v: %w", what, i, j, v, ErrNonFinite)
				}
			}
			return 0, fmt.Errorf("%s %d: values too large (sum of squares overflows): %w", what, i, ErrNonFinite)
		}
		n := float64(len(s))
		mean := sum / n
		// Pass 2: centre, with the mean of the residuals as a correction
		// (the two-pass algorithm: exact to rounding of the centred values).
		d := dst[r]
		var corr float64
		for j, v := range s {
			d[j] = v - mean
			corr += d[j]
		}
		corr /= n
		var cn float64
		for j := range d {
			d[j] -= corr
			cn += d[j] * d[j]
		}
		cn = math.Sqrt(cn)
		ref := math.Sqrt(sq)
		if scale > 0 {
			ref = scale
		}
		if cn == 0 || cn <= flatTol*ref {
			continue
		}
		// Two passes of modified Gram-Schmidt against the basis so far.
		for range 2 {
			for k := range r {
				floats.AddScaled(d, -floats.Dot(dst[k], d), dst[k])
			}
		}
		rn := math.Sqrt(floats.Dot(d, d))
		if rn <= depTol*cn {
			continue
		}
		floats.Scale(1/rn, d)
		r++
	}
	if r == 0 {
		return 0, fmt.Errorf("all %d %ss are flat: %w", len(src), what, ErrFlat)
	}
	return r, nil
}

// firstCorrelation returns the largest singular value of M = Qx Qyᵀ
// (Qx, Qy with orthonormal rows, all of the same length), clamped to 1.
// jac is a workspace of len(qx)·len(qy) values. The singular value is found
// by one-sided Jacobi on M or Mᵀ, whichever has fewer columns: columns are
// rotated pairwise until orthogonal, and their norms are then the singular
// values, to high relative accuracy.
func firstCorrelation(qx, qy [][]float64, jac []float64) float64 {
	a, b := qx, qy // columns indexed by b
	if len(qy) > len(qx) {
		a, b = qy, qx
	}
	m, k := len(a), len(b)
	jac = jac[:m*k]
	for c := range k {
		col := jac[c*m : (c+1)*m]
		for e := range m {
			col[e] = floats.Dot(a[e], b[c])
		}
	}
	for range maxSweeps {
		rotated := false
		for i := 0; i < k-1; i++ {
			ci := jac[i*m : (i+1)*m]
			for j := i + 1; j < k; j++ {
				cj := jac[j*m : (j+1)*m]
				var alpha, beta, gamma float64
				for e := range m {
					alpha += ci[e] * ci[e]
					beta += cj[e] * cj[e]
					gamma += ci[e] * cj[e]
				}
				if gamma == 0 || math.Abs(gamma) <= 1e-15*math.Sqrt(alpha*beta) {
					continue
				}
				rotated = true
				zeta := (beta - alpha) / (2 * gamma)
				t := math.Copysign(1, zeta) / (math.Abs(zeta) + math.Sqrt(1+zeta*zeta))
				if math.IsInf(zeta*zeta, 0) {
					t = 0.5 / zeta
				}
				c := 1 / math.Sqrt(1+t*t)
				s := c * t
				for e := range m {
					u, v := ci[e], cj[e]
					ci[e] = c*u - s*v
					cj[e] = s*u + c*v
				}
			}
		}
		if !rotated {
			break
		}
	}
	var best float64
	for c := range k {
		col := jac[c*m : (c+1)*m]
		best = max(best, floats.Dot(col, col))
	}
	return min(math.Sqrt(best), 1)
}
