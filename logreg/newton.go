package logreg

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// problem is the penalised log-likelihood on the (reduced) data z with an
// intercept column: blocks = 1 is the binary model of class 1, blocks = k
// the multinomial model. theta holds blocks rows of (β, b), r+1 values each.
type problem struct {
	zt     *mat.Dense // n × (r+1): z with a column of ones
	label  []int
	blocks int
	lam    float64 // 1/C

	scores *mat.Dense // n × blocks
	resid  *mat.Dense // n × blocks: p − y
}

func newProblem(z *mat.Dense, label []int, blocks int, lam float64) *problem {
	n, r := z.Dims()
	zt := mat.NewDense(n, r+1, nil)
	for i := range n {
		row := zt.RawRowView(i)
		copy(row, z.RawRowView(i))
		row[r] = 1
	}
	return &problem{
		zt: zt, label: label, blocks: blocks, lam: lam,
		scores: mat.NewDense(n, blocks, nil),
		resid:  mat.NewDense(n, blocks, nil),
	}
}

// eval computes the scores and the residuals of theta and returns the
// objective.
func (pr *problem) eval(theta []float64) float64 {
	n, r1 := pr.zt.Dims()
	th := mat.NewDense(pr.blocks, r1, theta)
	pr.scores.Mul(pr.zt, th.T())
	var f float64
	for i := range n {
		s, res := pr.scores.RawRowView(i), pr.resid.RawRowView(i)
		if pr.blocks == 1 {
			v := s[0]
			// log(1+e^v) − t·v, and σ(v) − t.
			var t float64
			if pr.label[i] == 1 {
				t = 1
			}
			if v > 0 {
				f += v + math.Log1p(math.Exp(-v)) - t*v
			} else {
				f += math.Log1p(math.Exp(v)) - t*v
			}
			res[0] = expit(v) - t
			continue
		}
		mx := s[0]
		for _, v := range s[1:] {
			mx = math.Max(mx, v)
		}
		var sum float64
		for c, v := range s {
			res[c] = math.Exp(v - mx)
			sum += res[c]
		}
		f += mx + math.Log(sum) - s[pr.label[i]]
		for c := range res {
			res[c] /= sum
		}
		res[pr.label[i]]--
	}
	for c := range pr.blocks {
		for _, b := range theta[c*r1 : c*r1+r1-1] {
			f += 0.5 * pr.lam * b * b
		}
	}
	return f
}

// gradient writes the gradient at the point of the last eval into g.
func (pr *problem) gradient(theta, g []float64) {
	_, r1 := pr.zt.Dims()
	gm := mat.NewDense(pr.blocks, r1, g)
	gm.Mul(pr.resid.T(), pr.zt)
	for c := range pr.blocks {
		for j := c * r1; j < c*r1+r1-1; j++ {
			g[j] += pr.lam * theta[j]
		}
	}
}

// hessian returns the Hessian at the point of the last eval. For the
// multinomial model it adds a multiple of uuᵀ, u the direction that shifts
// every intercept alike (which leaves the objective unchanged), so the
// matrix is positive definite; the gradient is orthogonal to u, so the
// Newton step is not changed.
func (pr *problem) hessian() *mat.SymDense {
	n, r1 := pr.zt.Dims()
	k := pr.blocks
	h := mat.NewSymDense(k*r1, nil)
	// Probabilities from the residuals: p = res + y.
	prob := mat.NewDense(n, k, nil)
	for i := range n {
		src, dst := pr.resid.RawRowView(i), prob.RawRowView(i)
		copy(dst, src)
		if k == 1 {
			if pr.label[i] == 1 {
				dst[0]++
			}
		} else {
			dst[pr.label[i]]++
		}
	}
	wz := mat.NewDense(n, r1, nil)
	var blk mat.Dense
	for a := range k {
		for b := a; b < k; b++ {
			for i := range n {
				pi := prob.RawRowView(i)
				var w float64
				if k == 1 {
					w = pi[0] * (1 - pi[0])
				} else {
					w = -pi[a] * pi[b]
					if a == b {
						w += pi[a]
					}
				}
				src, dst := pr.zt.RawRowView(i), wz.RawRowView(i)
				for j, v := range src {
					dst[j] = w * v
				}
			}
			blk.Mul(pr.zt.T(), wz)
			for i := range r1 {
				for j := range r1 {
					if a == b && j < i {
						continue
					}
					h.SetSym(a*r1+i, b*r1+j, blk.At(i, j))
				}
			}
		}
	}
	var dmax float64
	for c := range k {
		for j := c * r1; j < c*r1+r1-1; j++ {
			h.SetSym(j, j, h.At(j, j)+pr.lam)
		}
		dmax = math.Max(dmax, h.At(c*r1+r1-1, c*r1+r1-1))
	}
	if k > 1 {
		alpha := math.Max(dmax, 1) / float64(k)
		for a := range k {
			for b := a; b < k; b++ {
				i, j := a*r1+r1-1, b*r1+r1-1
				h.SetSym(i, j, h.At(i, j)+alpha)
			}
		}
	}
	return h
}

// newton minimises the objective from theta (updated in place) and returns
// the number of Newton steps and whether the optimum was reached to
// rounding.
func (pr *problem) newton(theta []float64, maxIter int) (int, bool) {
	dim := len(theta)
	g := make([]float64, dim)
	d := make([]float64, dim)
	trial := make([]float64, dim)
	f := pr.eval(theta)
	var g0 float64
	for it := range maxIter {
		pr.gradient(theta, g)
		gmax := maxAbs(g)
		if it == 0 {
			g0 = gmax
		}
		if gmax == 0 {
			return it, true
		}
		h := pr.hessian()
		// Newton direction d = −H⁻¹g by Cholesky (LAPACK dpotrf, as
		// gonum's mat.Cholesky, without its condition estimate: the
		// penalty keeps H well conditioned), in place in h.
		fallback := 1 / (pr.lam + maxDiag(h))
		hr := h.RawSymmetric()
		copy(d, g)
		if tri, ok := lapack64.Potrf(blas64.Symmetric{N: dim, Stride: hr.Stride, Uplo: blas.Upper, Data: hr.Data}); ok {
			// H = UᵀU: solve Uᵀy = g, then Ud = y (dpotrs with one
			// right-hand side, by the level-2 solver: gonum's dtrsm walks
			// a one-column matrix slowly).
			v := blas64.Vector{N: dim, Inc: 1, Data: d}
			blas64.Trsv(blas.Trans, tri, v)
			blas64.Trsv(blas.NoTrans, tri, v)
			for j := range d {
				d[j] = -d[j]
			}
		} else {
			// Not expected (the Hessian is positive definite): fall back to
			// a scaled gradient step.
			for j := range d {
				d[j] = -fallback * g[j]
			}
		}
		var slope float64
		for j := range d {
			slope += g[j] * d[j]
		}
		// Near the optimum the decrease of the objective is below its
		// rounding, so the line search could not judge it: take the full
		// Newton step (quadratic convergence) there.
		if -slope <= 1e-10*(1+math.Abs(f)) {
			for j := range theta {
				theta[j] += d[j]
			}
			f = pr.eval(theta)
			if maxAbs(d) <= 1e-13*(1+maxAbs(theta)) {
				return it + 1, true
			}
			continue
		}
		step, accepted := 1.0, false
		for range 60 {
			for j := range trial {
				trial[j] = theta[j] + step*d[j]
			}
			ft := pr.eval(trial)
			if ft <= f+1e-4*step*slope {
				f, accepted = ft, true
				break
			}
			step /= 2
		}
		if !accepted {
			pr.eval(theta) // restore the residuals of theta
			return it, gmax <= 1e-8*math.Max(g0, 1)
		}
		copy(theta, trial)
	}
	return maxIter, false
}

func maxAbs(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

func maxDiag(h *mat.SymDense) float64 {
	var m float64
	for i := range h.SymmetricDim() {
		m = math.Max(m, h.At(i, i))
	}
	return m
}
