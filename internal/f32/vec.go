package f32

import (
	"fmt"
	"math"
)

// Generic forces the portable Go kernels even where the assembly ones
// run; tests and benchmarks set it to check both paths. Set it before
// any concurrent use of the package.
var Generic = false

func checkLen(fn string, x, y []float32) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("f32: %s: lengths %d and %d differ", fn, len(x), len(y)))
	}
}

// Dot returns Σ x[i]·y[i]. It panics if the lengths differ.
func Dot(x, y []float32) float32 {
	checkLen("Dot", x, y)
	return dot(x, y)
}

func dotGo(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// Axpy computes y += alpha·x. It panics if the lengths differ.
func Axpy(alpha float32, x, y []float32) {
	checkLen("Axpy", x, y)
	axpy(alpha, x, y)
}

func axpyGo(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// Scale computes x *= alpha.
func Scale(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

// Add computes dst += x. It panics if the lengths differ.
func Add(dst, x []float32) {
	checkLen("Add", dst, x)
	axpy(1, x, dst)
}

// AddScaled computes dst = x + alpha·y. It panics if the lengths differ;
// dst may be x or y.
func AddScaled(dst, x []float32, alpha float32, y []float32) {
	checkLen("AddScaled", dst, x)
	checkLen("AddScaled", dst, y)
	addScaled(dst, x, alpha, y)
}

func addScaledGo(dst, x []float32, alpha float32, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = x[i] + alpha*y[i]
	}
}

// ScaleShift computes dst = a·x + b elementwise, the affine step of a
// batch normalisation. It panics if the lengths differ; dst may be x.
func ScaleShift(dst, x []float32, a, b float32) {
	checkLen("ScaleShift", dst, x)
	scaleShift(dst, x, a, b)
}

func scaleShiftGo(dst, x []float32, a, b float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = a*v + b
	}
}

// Mul computes dst = x·y elementwise. It panics if the lengths differ;
// dst may be x or y.
func Mul(dst, x, y []float32) {
	checkLen("Mul", dst, x)
	checkLen("Mul", dst, y)
	mul(dst, x, y)
}

func mulGo(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = x[i] * y[i]
	}
}

// Sum returns Σ x[i], accumulated in float64.
func Sum(x []float32) float32 {
	return float32(sum64(x))
}

func sum64Go(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	return s
}

// devGo returns Σ (x[i]−mean)² and Σ (x[i]−mean) in float64.
func devGo(x []float32, mean float64) (ss, c float64) {
	for _, v := range x {
		d := float64(v) - mean
		ss += d * d
		c += d
	}
	return ss, c
}

// SumDot returns Σ x[i] and Σ x[i]·y[i] in one pass, accumulated in
// float64: the two sums of a batch normalisation's backward pass over a
// plane (x = dy, y = the input), as PyTorch's CPU kernel accumulates in
// double. It panics if the lengths differ.
func SumDot(x, y []float32) (sx, sxy float64) {
	checkLen("SumDot", x, y)
	return sumDot(x, y)
}

func sumDotGo(x, y []float32) (sx, sxy float64) {
	y = y[:len(x)]
	for i, v := range x {
		sx += float64(v)
		sxy += float64(v) * float64(y[i])
	}
	return sx, sxy
}

// LinComb sets dst[i] = a·x[i] + b·y[i] + c, in one pass (the input
// gradient of a batch normalisation: dx = k·dy − k·mdx·x + const). It
// panics if the lengths differ; dst may be x or y.
func LinComb(dst []float32, a float32, x []float32, b float32, y []float32, c float32) {
	checkLen("LinComb", dst, x)
	checkLen("LinComb", dst, y)
	linComb(dst, a, x, b, y, c)
}

func linCombGo(dst []float32, a float32, x []float32, b float32, y []float32, c float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = a*x[i] + (b*y[i] + c)
	}
}

// MeanVar returns the mean and the biased variance (divided by len(x)) of
// x, accumulated in float64 in two passes (the second corrected by the
// sum of the deviations), as PyTorch's CPU batch norm accumulates in
// double. It returns 0, 0 for an empty x.
func MeanVar(x []float32) (mean, variance float64) {
	if len(x) == 0 {
		return 0, 0
	}
	n := float64(len(x))
	mean = sum64(x) / n
	ss, c := dev(x, mean)
	return mean, (ss - c*c/n) / n
}

// AdamStep does one Adam update of the parameters w from their gradient
// g, in place on the first moment m and second moment v, as PyTorch's
// torch.optim.Adam/AdamW (non-amsgrad, single-tensor) do:
//
//	w ← w·(1 − lr·wd)                 (decoupled weight decay, AdamW)
//	m ← b1·m + (1 − b1)·g
//	v ← b2·v + (1 − b2)·g²
//	w ← w − (lr/bc1)·m / (√v/√bc2 + eps)
//
// where bc1 = 1 − b1^t and bc2 = 1 − b2^t for step t ≥ 1. For Adam with
// L2 weight decay (torch.optim.Adam's weight_decay) add wd·w to g first
// (Axpy(wd, w, g)) and pass wd = 0. It panics if the lengths differ.
func AdamStep(w, g, m, v []float32, lr, b1, b2, eps, wd, bc1, bc2 float32) {
	checkLen("AdamStep", w, g)
	checkLen("AdamStep", w, m)
	checkLen("AdamStep", w, v)
	step := lr / bc1
	sq := float32(math.Sqrt(float64(bc2)))
	decay := 1 - lr*wd
	for i := range w {
		gi := g[i]
		mi := b1*m[i] + (1-b1)*gi
		vi := b2*v[i] + (1-b2)*gi*gi
		m[i], v[i] = mi, vi
		den := float32(math.Sqrt(float64(vi)))/sq + eps
		w[i] = w[i]*decay - step*(mi/den)
	}
}

// ELU sets dst[i] = x[i] where x[i] > 0 and alpha·(eˣ − 1) elsewhere,
// the exponential linear unit, computed as PyTorch 1.13's CPU kernel
// computes it: eˣ rounded to float32 (within 1 ulp), then 1 subtracted.
// So ELU matches torch.nn.functional.elu to 1 ulp of eˣ; like it, it has
// only the absolute accuracy of eˣ (6e−8·alpha) for |x| below about
// 1e−3, where a true expm1 would be accurate relative to the result
// (PyTorch's ELU(−1e−7) is −1.19e−7; expm1 gives −1e−7). NaN stays NaN.
// It panics if the lengths differ; dst may be x.
func ELU(dst, x []float32, alpha float32) {
	checkLen("ELU", dst, x)
	elu(dst, x, alpha)
}

func eluGo(dst, x []float32, alpha float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v > 0 {
			dst[i] = v
		} else if v == v {
			dst[i] = alpha * (float32(math.Exp(float64(v))) - 1)
		} else {
			dst[i] = v
		}
	}
}

// ELUBackward sets dx[i] = dy[i] where y[i] > 0 and dy[i]·(y[i] + alpha)
// elsewhere: the gradient of ELU through its output y (as PyTorch's
// elu_backward with is_result). It panics if the lengths differ; dx may
// be dy.
func ELUBackward(dx, dy, y []float32, alpha float32) {
	checkLen("ELUBackward", dx, dy)
	checkLen("ELUBackward", dx, y)
	eluBackward(dx, dy, y, alpha)
}

func eluBackwardGo(dx, dy, y []float32, alpha float32) {
	dy, y = dy[:len(dx)], y[:len(dx)]
	for i, v := range y {
		if v > 0 {
			dx[i] = dy[i]
		} else {
			dx[i] = dy[i] * (v + alpha)
		}
	}
}
