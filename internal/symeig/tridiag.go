package symeig

import "math"

// tridiagonalize reduces the symmetric n×n matrix whose upper triangle is
// in a (row-major, stride n) to tridiagonal form T = Qᵀ·A·Q by Householder
// reflections H₀…H_{n−2}, Q = H₀·H₁⋯H_{n−2}, the algorithm of LAPACK's
// dsytd2 with row-contiguous loops: step k annihilates row k right of
// its super-diagonal (column k below the diagonal, by symmetry),
// H_k = I − τ·v·vᵀ with v stored in that row (v₀ = 1). d receives the
// diagonal of T and e[0:n-1] its super-diagonal (e[k] couples k and k+1);
// p is n scratch values. It does not rescale as dlarfg does, so the
// caller keeps the entries of a well inside the floating-point range.
func tridiagonalize(a, d, e, tau, p []float64, n int) {
	for k := 0; k < n-1; k++ {
		m := n - k - 1
		x := a[k*n+k+1 : k*n+n]
		d[k] = a[k*n+k]
		alpha := x[0]
		xnorm := math.Sqrt(dot(x[1:], x[1:]))
		if xnorm == 0 {
			// Already reduced: H = I.
			tau[k] = 0
			e[k] = alpha
			continue
		}
		beta := -math.Copysign(hypot(alpha, xnorm), alpha)
		t := (beta - alpha) / beta
		scal := 1 / (alpha - beta)
		for i := 1; i < m; i++ {
			x[i] *= scal
		}
		x[0] = 1
		tau[k], e[k] = t, beta
		v := x
		// p = τ·S·v for the trailing block S = A[k+1:, k+1:] (upper
		// triangle): row i of S gives p[i] its dot with v and adds
		// S[i,j]·v[i] to p[j] for j > i.
		pp := p[:m]
		clear(pp)
		s := a[(k+1)*n+k+1 : n*n] // S[0,0] on
		if useAVX {
			symvUpperAVX(&s[0], n, m, &v[0], &pp[0])
		} else {
			for i := range m {
				r := s[i*n+i : i*n+m]
				pp[i] += r[0]*v[i] + dotAxpy(r[1:], v[i+1:], pp[i+1:], v[i])
			}
		}
		for i := range pp {
			pp[i] *= t
		}
		// w = p − ½τ(pᵀv)·v, in p.
		alpha2 := -0.5 * t * dot(pp, v)
		axpy(v, pp, alpha2)
		// S ← S − v·wᵀ − w·vᵀ, upper triangle.
		if useAVX {
			syr2UpperAVX(&s[0], n, m, &v[0], &pp[0])
		} else {
			for i := range m {
				axpy2(s[i*n+i:i*n+m], pp[i:], v[i:], v[i], pp[i])
			}
		}
	}
	d[n-1] = a[(n-1)*n+n-1]
}

// formQt writes Qᵀ = H_{n−2}⋯H₀ of tridiagonalize (reflectors in the
// rows of a, factors in tau) into qt, row-major n×n.
func formQt(qt, a, tau []float64, n int) {
	clear(qt[:n*n])
	for i := range n {
		qt[i*n+i] = 1
	}
	// Qᵀ = ((H_{n−2}·H_{n−3})⋯)·H₀: multiply on the right by H_k for k
	// descending; the product so far is the identity outside the block
	// [k+2:, k+2:], so H_k touches rows and columns k+1 on.
	for k := n - 2; k >= 0; k-- {
		t := tau[k]
		if t == 0 {
			continue
		}
		v := a[k*n+k+1 : k*n+n]
		if useAVX {
			reflectRowsAVX(&qt[(k+1)*n+k+1], n, n-k-1, &v[0], n-k-1, -t)
			continue
		}
		for i := k + 1; i < n; i++ {
			r := qt[i*n+k+1 : i*n+n]
			axpy(v, r, -t*dot(r, v))
		}
	}
}
