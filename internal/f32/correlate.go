package f32

import "fmt"

// Correlate adds to dst the correlation of the row x with the kernel w
// at padding pad, the forward pass of a stride-1, undilated convolution
// layer (which, as in PyTorch, does not flip its kernel):
//
//	dst[i] += Σ_j w[j]·x[i+j−pad]   for i in [0, len(dst)), j in [0, len(w))
//
// where x[t] is 0 outside [0, len(x)). With K = len(w), N = len(x),
// "valid" output has pad = 0 and len(dst) = N−K+1; PyTorch's "same" has
// pad = (K−1)/2 (rounded down; the extra zero goes right) and len(dst) = N;
// symmetric padding P has pad = P and len(dst) = N+2P−K+1.
//
// It panics if w is empty or pad is negative.
func Correlate(dst, x, w []float32, pad int) {
	checkCorr("Correlate", len(w), pad)
	correlate(dst, x, w, pad)
}

// CorrelateGradInput adds to dx the gradient of Σ dy[i]·(Correlate output)[i]
// with respect to the input row x of length len(dx):
//
//	dx[t] += Σ_j w[j]·dy[t−j+pad]   for t in [0, len(dx)), j in [0, len(w))
//
// where dy[i] is 0 outside [0, len(dy)): the full convolution of dy with
// w, cropped. dy and pad are those of the forward Correlate call.
//
// It panics if w is empty or pad is negative.
func CorrelateGradInput(dx, dy, w []float32, pad int) {
	checkCorr("CorrelateGradInput", len(w), pad)
	correlateGradInput(dx, dy, w, pad)
}

// CorrelateGradKernel adds to dw the gradient of Σ dy[i]·(Correlate output)[i]
// with respect to the kernel w of length len(dw):
//
//	dw[j] += Σ_i dy[i]·x[i+j−pad]   for j in [0, len(dw)), i in [0, len(dy))
//
// where x[t] is 0 outside [0, len(x)): the correlation of x with dy.
// x, dy and pad are those of the forward Correlate call.
//
// It panics if dw is empty or pad is negative.
func CorrelateGradKernel(dw, x, dy []float32, pad int) {
	checkCorr("CorrelateGradKernel", len(dw), pad)
	correlateGradKernel(dw, x, dy, pad)
}

func checkCorr(fn string, k, pad int) {
	if k == 0 {
		panic(fmt.Sprintf("f32: %s: empty kernel", fn))
	}
	if pad < 0 {
		panic(fmt.Sprintf("f32: %s: negative padding %d", fn, pad))
	}
}

// validRange returns the range [lo, hi) of j in [0, k) for which
// 0 <= s+j < n.
func validRange(s, k, n int) (lo, hi int) {
	lo = max(0, -s)
	hi = min(k, n-s)
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

func correlateGo(dst, x, w []float32, pad int) {
	for i := range dst {
		s := i - pad
		lo, hi := validRange(s, len(w), len(x))
		var acc float32
		for j := lo; j < hi; j++ {
			acc += w[j] * x[s+j]
		}
		dst[i] += acc
	}
}

func correlateGradInputGo(dx, dy, w []float32, pad int) {
	k := len(w)
	for t := range dx {
		// dy index i = t+pad−j for j in [0,k): i runs over (t+pad−k, t+pad].
		var acc float32
		for j := range k {
			i := t + pad - j
			if i >= 0 && i < len(dy) {
				acc += w[j] * dy[i]
			}
		}
		dx[t] += acc
	}
}

func correlateGradKernelGo(dw, x, dy []float32, pad int) {
	for j := range dw {
		// x index t = i+j−pad must lie in [0, len(x)).
		lo, hi := validRange(j-pad, len(dy), len(x))
		var acc float32
		for i := lo; i < hi; i++ {
			acc += dy[i] * x[i+j-pad]
		}
		dw[j] += acc
	}
}

// interior clips [lo, hi) to [0, n), with hi ≥ lo.
func interior(n, lo, hi int) (int, int) {
	lo = min(max(lo, 0), n)
	hi = min(max(hi, lo), n)
	return lo, hi
}

// corrRowsGo is the portable corrRows.
func corrRowsGo(y, x []float32, x0 int, w []float32, xs int) {
	for i := range y {
		var acc float32
		p := x0 + i
		for _, wj := range w {
			acc += wj * x[p]
			p += xs
		}
		y[i] += acc
	}
}
