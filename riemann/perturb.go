package riemann

import "github.com/bcikit/bcikit/internal/symeig"

// logPerturbed writes into dst (full n×n) the first-order approximation of
// log(H·B·Hᵀ) from the decomposition B = V·diag(λ)·Vᵀ (v: eigenvectors in
// its columns; lam ascending and positive; lg = log λ) and the
// lower-triangular h, as meanRiemann describes, and reports true; or, when
// ε = ‖E‖_F/λ_min exceeds maxPerturb or ε²/2 exceeds limit, writes nothing
// and reports false.
func (s *ws) logPerturbed(dst, v, lam, lg, h []float64, limit float64) bool {
	n := s.n
	vt, y, r, x := s.t, s.b, s.c, s.d
	symeig.MulLower(y, h, v, n) // H·V
	symeig.Transpose(vt, v, n)
	symeig.Mul(r, vt, y, n) // R = Vᵀ·H·V
	// E = (R−I)Λ + Λ(R−I)ᵀ into the upper triangle of x.
	var ss float64
	for i := range n {
		li := lam[i]
		eii := 2 * (r[i*n+i] - 1) * li
		x[i*n+i] = eii
		ss += eii * eii / (li * li)
		for j := i + 1; j < n; j++ {
			eij := r[i*n+j]*lam[j] + li*r[j*n+i]
			x[i*n+j] = eij
			ss += 2 * eij * eij / (li * lam[j])
		}
	}
	eps2 := ss
	if !(eps2 <= maxPerturb*maxPerturb && eps2/2 <= limit) {
		return false
	}
	// X = log Λ + Γ∘E, both triangles.
	for i := range n {
		li, gi := lam[i], lg[i]
		x[i*n+i] = gi + x[i*n+i]/li
		for j := i + 1; j < n; j++ {
			d := lam[j] - li
			var g float64
			if rel := d / li; rel < 1e-4 {
				// (log(1+ρ)/ρ)/λᵢ by its series, ρ ≥ 0 (ascending λ):
				// the next term, ρ⁴/5, is below 2e-17.
				g = (1 - rel*(0.5-rel*(1.0/3-rel*0.25))) / li
			} else {
				g = (lg[j] - gi) / d
			}
			e := g * x[i*n+j]
			x[i*n+j] = e
			x[j*n+i] = e
		}
	}
	symeig.Mul(y, v, x, n)       // V·X
	symeig.MulSym(dst, y, vt, n) // V·X·Vᵀ
	return true
}
