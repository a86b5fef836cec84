package svm

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// gram holds the kernel matrix of the training data, computed once and
// shared by the pairwise problems.
//
// LIBSVM computes each kernel value with a sequential dot product and
// stores it as float32 (Qfloat). The off-diagonal products here come from
// BLAS, whose summation order differs by a few ulps of the float64 value;
// that changes the float32 value only when the float64 value lies within
// those ulps of a float32 rounding boundary (odds ~1e-9 per value). The
// diagonal, which the solver also uses in float64, is the sequential dot
// product as in LIBSVM.
type gram struct {
	kernel Kernel
	gamma  float64
	dot    *mat.SymDense // X Xᵀ
	sq     []float64     // sequential x_iᵀx_i
}

func newGram(x *mat.Dense, k Kernel, gamma float64) *gram {
	n, _ := x.Dims()
	g := &gram{kernel: k, gamma: gamma, dot: mat.NewSymDense(n, nil), sq: make([]float64, n)}
	g.dot.SymOuterK(1, x)
	for i := range n {
		var s float64
		for _, v := range x.RawRowView(i) {
			s += v * v
		}
		g.sq[i] = s
	}
	return g
}

// at returns K(x_i, x_j) as LIBSVM's kernel_linear/kernel_rbf.
func (g *gram) at(i, j int) float64 {
	d := g.sq[i]
	if i != j {
		d = g.dot.At(i, j)
	}
	if g.kernel == Linear {
		return d
	}
	return math.Exp(-g.gamma * (g.sq[i] + g.sq[j] - 2*d))
}

// sub returns the float32 matrix Q_ab = y_a y_b K(x_ra, x_rb) of the
// sub-problem on rows and its float64 diagonal.
func (g *gram) sub(rows []int, y []int8) ([]float32, []float64) {
	l := len(rows)
	q := make([]float32, l*l)
	qd := make([]float64, l)
	for a, ra := range rows {
		qd[a] = g.at(ra, ra)
		for b := a; b < l; b++ {
			v := float32(float64(int(y[a])*int(y[b])) * g.at(ra, rows[b]))
			q[a*l+b] = v
			q[b*l+a] = v
		}
	}
	return q, qd
}

// kernelValues returns K(x_r, sv_t) for every row of x and support vector
// (n_samples × n_SV). The RBF distances are ‖x‖² + ‖sv‖² − 2xᵀsv (LIBSVM's
// k_function sums the squared differences instead: the two agree to
// rounding relative to ‖x‖², ~1e-15 on standardised features).
func (m *SVC) kernelValues(x *mat.Dense) *mat.Dense {
	n, p := x.Dims()
	nsv := len(m.Support)
	sv := mat.NewDense(nsv, p, nil)
	for t, row := range m.Support {
		sv.SetRow(t, row)
	}
	kv := mat.NewDense(n, nsv, nil)
	kv.Mul(x, sv.T())
	if m.Kernel == Linear {
		return kv
	}
	svsq := make([]float64, nsv)
	for t, row := range m.Support {
		for _, v := range row {
			svsq[t] += v * v
		}
	}
	for r := range n {
		var xsq float64
		for _, v := range x.RawRowView(r) {
			xsq += v * v
		}
		row := kv.RawRowView(r)
		for t := range row {
			d := math.Max(xsq+svsq[t]-2*row[t], 0)
			row[t] = math.Exp(-m.FitGamma * d)
		}
	}
	return kv
}
