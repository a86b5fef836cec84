package lda

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// covSum accumulates the within-class covariance in factored form,
//
//	Σ = diag(d) + Σ_c B_cᵀ B_c,
//
// where B_c (n_c × p) holds the centred rows of class c scaled so that
// B_cᵀ B_c is the class's prior-weighted, (1−s)-scaled empirical covariance,
// and d collects the prior-weighted shrinkage targets s·µ (times the squared
// feature scales for Auto).
type covSum struct {
	p      int
	n      int // total rows in blocks
	d      []float64
	blocks []*mat.Dense
}

func newCovSum(p int) *covSum { return &covSum{p: p, d: make([]float64, p)} }

// addClass adds the shrunk covariance of the rows of x (class mean mean)
// weighted by prior, as sklearn's _class_cov/_cov do, and returns the
// Ledoit-Wolf coefficient when sh is Auto (0 otherwise).
func (cs *covSum) addClass(x *mat.Dense, rows []int, mean []float64, prior float64, sh Shrinkage) (float64, error) {
	p, nc := cs.p, len(rows)
	a := mat.NewDense(nc, p, nil)
	for r, i := range rows {
		dst := a.RawRowView(r)
		for j, v := range x.RawRowView(i) {
			dst[j] = v - mean[j]
		}
	}
	fn := float64(nc)
	if !sh.Auto {
		s := sh.Value
		// (1−s)·S + s·tr(S)/p·I with S = AᵀA/n.
		var tr float64
		for r := range nc {
			for _, v := range a.RawRowView(r) {
				tr += v * v
			}
		}
		mu := tr / fn / float64(p)
		cs.addBlock(a, math.Sqrt(prior*(1-s)/fn))
		for j := range cs.d {
			cs.d[j] += prior * s * mu
		}
		return 0, nil
	}

	// sklearn's StandardScaler: variance by the corrected two-pass formula,
	// near-constant features keep a scale of 1.
	scale := make([]float64, p)
	corr := make([]float64, p)
	for r := range nc {
		for j, v := range a.RawRowView(r) {
			corr[j] += v
			scale[j] += v * v
		}
	}
	const eps = 0x1p-52
	for j := range scale {
		v := (scale[j] - corr[j]*corr[j]/fn) / fn
		bound := fn*eps*v + (fn*mean[j]*eps)*(fn*mean[j]*eps)
		if v <= bound {
			scale[j] = 1
		} else {
			scale[j] = math.Sqrt(v)
		}
	}
	// z = standardised rows, centred again as ledoit_wolf does.
	zmean := make([]float64, p)
	for r := range nc {
		row := a.RawRowView(r)
		for j := range row {
			row[j] /= scale[j]
			zmean[j] += row[j]
		}
	}
	for j := range zmean {
		zmean[j] /= fn
	}
	for r := range nc {
		row := a.RawRowView(r)
		for j := range row {
			row[j] -= zmean[j]
		}
	}
	s, mu := ledoitWolf(a)
	// Rescale: D((1−s)·S_z + s·µ·I)D.
	for r := range nc {
		row := a.RawRowView(r)
		for j := range row {
			row[j] *= scale[j]
		}
	}
	cs.addBlock(a, math.Sqrt(prior*(1-s)/fn))
	for j := range cs.d {
		cs.d[j] += prior * s * mu * scale[j] * scale[j]
	}
	return s, nil
}

func (cs *covSum) addBlock(a *mat.Dense, w float64) {
	a.Scale(w, a)
	cs.blocks = append(cs.blocks, a)
	r, _ := a.Dims()
	cs.n += r
}

// ledoitWolf returns sklearn's ledoit_wolf_shrinkage of the centred data z
// (n × p) and µ = tr(S)/p, S = zᵀz/n. The sums over the p×p matrix zᵀz are
// taken on the smaller n×n Gram matrix zzᵀ where that is smaller (the
// Frobenius norms are equal).
func ledoitWolf(z *mat.Dense) (shrinkage, mu float64) {
	n, p := z.Dims()
	fn, fp := float64(n), float64(p)
	var trace float64
	for r := range n {
		for _, v := range z.RawRowView(r) {
			trace += v * v
		}
	}
	trace /= fn // Σ_j emp_cov_trace[j]
	mu = trace / fp
	if p == 1 {
		return 0, mu
	}
	// beta_ = Σ_ij (z²ᵀz²)_ij = Σ_k (Σ_i z_ki²)², delta_ = ‖zᵀz‖²_F / n².
	var beta, delta float64
	for r := range n {
		var s float64
		for _, v := range z.RawRowView(r) {
			s += v * v
		}
		beta += s * s
	}
	var g mat.SymDense
	if n <= p {
		g.SymOuterK(1, z)
	} else {
		g.SymOuterK(1, z.T())
	}
	m := g.SymmetricDim()
	for i := range m {
		for j := range m {
			v := g.At(i, j)
			delta += v * v
		}
	}
	delta /= fn * fn
	beta = (beta/fn - delta) / (fp * fn)
	delta = (delta - 2*mu*trace + fp*mu*mu) / fp
	beta = math.Min(beta, delta)
	if beta == 0 {
		return 0, mu
	}
	return beta / delta, mu
}

// solve returns Σ⁻¹ Mᵀ (p × k) for the class means M (k × p).
func (cs *covSum) solve(means [][]float64) *mat.Dense {
	p, k := cs.p, len(means)
	rhs := mat.NewDense(p, k, nil)
	for c, row := range means {
		rhs.SetCol(c, row)
	}
	if cs.p > cs.n && useWoodbury {
		pos := true
		for _, v := range cs.d {
			if !(v > 0) {
				pos = false
				break
			}
		}
		if pos {
			if w, ok := cs.woodbury(rhs); ok {
				return w
			}
		}
	}
	return cs.dense(rhs)
}

// useWoodbury lets tests force the dense solve.
var useWoodbury = true

// stacked returns the blocks as one n × p matrix.
func (cs *covSum) stacked() *mat.Dense {
	b := mat.NewDense(cs.n, cs.p, nil)
	r := 0
	for _, a := range cs.blocks {
		nr, _ := a.Dims()
		b.Slice(r, r+nr, 0, cs.p).(*mat.Dense).Copy(a)
		r += nr
	}
	return b
}

// woodbury solves (D + BᵀB) W = R through the n×n capacitance matrix
// I + B D⁻¹ Bᵀ, and reports false when the solution's residual is not at
// rounding level.
func (cs *covSum) woodbury(rhs *mat.Dense) (*mat.Dense, bool) {
	p, k := rhs.Dims()
	b := cs.stacked()
	n := cs.n
	// bs = B D^{-1/2}
	bs := mat.NewDense(n, p, nil)
	for r := range n {
		src, dst := b.RawRowView(r), bs.RawRowView(r)
		for j, v := range src {
			dst[j] = v / math.Sqrt(cs.d[j])
		}
	}
	capm := mat.NewSymDense(n, nil)
	capm.SymOuterK(1, bs)
	for i := range n {
		capm.SetSym(i, i, capm.At(i, i)+1)
	}
	var ch mat.Cholesky
	if !ch.Factorize(capm) {
		return nil, false
	}
	y := mat.NewDense(p, k, nil)
	for j := range p {
		src, dst := rhs.RawRowView(j), y.RawRowView(j)
		for c, v := range src {
			dst[c] = v / cs.d[j]
		}
	}
	var t, s mat.Dense
	t.Mul(b, y)
	if err := ch.SolveTo(&s, &t); err != nil {
		return nil, false
	}
	var bt mat.Dense
	bt.Mul(b.T(), &s)
	w := y
	for j := range p {
		row, corr := w.RawRowView(j), bt.RawRowView(j)
		for c := range row {
			row[c] -= corr[c] / cs.d[j]
		}
	}
	// Residual D W + Bᵀ(B W) − R against R.
	var bw, res mat.Dense
	bw.Mul(b, w)
	res.Mul(b.T(), &bw)
	var rmax, emax float64
	for j := range p {
		rr, wr, er := rhs.RawRowView(j), w.RawRowView(j), res.RawRowView(j)
		for c := range rr {
			rmax = math.Max(rmax, math.Abs(rr[c]))
			emax = math.Max(emax, math.Abs(er[c]+cs.d[j]*wr[c]-rr[c]))
		}
	}
	if emax > 1e-10*rmax {
		return nil, false
	}
	return w, true
}

// dense builds Σ and solves it as scipy.linalg.lstsq does for a
// well-conditioned matrix (Cholesky), or through the eigendecomposition
// with lstsq's cut-off (eigenvalues below eps·max|λ| are dropped: the
// minimum-norm solution) when Σ is singular or nearly so.
func (cs *covSum) dense(rhs *mat.Dense) *mat.Dense {
	p, k := rhs.Dims()
	sigma := mat.NewSymDense(p, nil)
	for _, a := range cs.blocks {
		sigma.SymRankK(sigma, 1, a.T())
	}
	for j, v := range cs.d {
		sigma.SetSym(j, j, sigma.At(j, j)+v)
	}
	var ch mat.Cholesky
	if ch.Factorize(sigma) && ch.Cond() < 1e10 {
		var w mat.Dense
		if err := ch.SolveTo(&w, rhs); err == nil {
			return &w
		}
	}
	var eig mat.EigenSym
	w := mat.NewDense(p, k, nil)
	if !eig.Factorize(sigma, true) {
		return w // unreachable for a finite symmetric matrix
	}
	vals := eig.Values(nil)
	var v mat.Dense
	eig.VectorsTo(&v)
	var lmax float64
	for _, l := range vals {
		lmax = math.Max(lmax, math.Abs(l))
	}
	cut := 0x1p-52 * lmax
	var t mat.Dense
	t.Mul(v.T(), rhs) // p × k
	for i, l := range vals {
		row := t.RawRowView(i)
		for c := range row {
			if math.Abs(l) > cut {
				row[c] /= l
			} else {
				row[c] = 0
			}
		}
	}
	w.Mul(&v, &t)
	return w
}
