package f32

import "fmt"

// Conv1D computes the forward pass and both gradients of a stride-1
// convolution layer whose kernel spans one row — EEGNet's, ShallowConvNet's
// and EEGNeX's temporal convolutions — for one input row and a bank of
// filters, without im2col: the input row, zero-padded once into scratch
// memory, is read as the Toeplitz matrix T[j, i] = x[i + j·dil − pad]
// with rows overlapping in place, and multiplied by the Gemm kernels.
//
// In every method the bank w holds nf filters of k taps row-major
// (w[f·k + j], nf = len(w)/k), dil ≥ 1 is the dilation, pad ≥ 0 the
// zeros before x (PyTorch's left padding), ny the output length and ldy
// the row stride of the nf output rows y (or dy); x[t] is 0 outside
// [0, len(x)), as are the values of dy outside [0, ny). With
// len(x) = N, "valid" is pad = 0, ny = N − dil·(k−1); PyTorch's "same" is
// pad = dil·(k−1)/2 (rounded down), ny = N.
//
// A layer with several input channels sums one call per input row: lay
// its weights out per input channel ([ci][f][j], one contiguous bank per
// ci) once per step, pass beta = 0 for the first input channel and 1 for
// the others, and permute the weight gradient back likewise.
//
// The zero value is ready for use; it keeps its scratch memory between
// calls, so a layer holds one Conv1D per worker. It is not safe for
// concurrent use. The methods run on the calling goroutine.
//
// The methods panic with an "f32: ..." message on shapes that do not fit.
type Conv1D struct {
	xp []float32
	gw gemmWork
}

func checkConv(fn string, nw, k, dil, pad, ny, ldy, nyBuf int) int {
	if k <= 0 || nw%k != 0 || nw == 0 {
		panic(fmt.Sprintf("f32: Conv1D.%s: %d weights are not whole filters of %d taps", fn, nw, k))
	}
	if dil < 1 || pad < 0 || ny < 0 || ldy < max(1, ny) {
		panic(fmt.Sprintf("f32: Conv1D.%s: bad geometry dil=%d pad=%d ny=%d ldy=%d", fn, dil, pad, ny, ldy))
	}
	nf := nw / k
	if ny > 0 && nyBuf < (nf-1)*ldy+ny {
		panic(fmt.Sprintf("f32: Conv1D.%s: output rows have %d elements, %d rows of %d with stride %d need %d", fn, nyBuf, nf, ny, ldy, (nf-1)*ldy+ny))
	}
	return nf
}

// pad fills c.xp with x shifted right by lead zeros over n elements and
// returns it.
func (c *Conv1D) pad(x []float32, lead, n int) []float32 {
	c.xp = grow(c.xp, n)
	xp := c.xp
	lo := min(lead, n)
	clear(xp[:lo])
	m := copy(xp[lo:], x)
	clear(xp[lo+m:])
	return xp
}

// Forward sets, for f < nf and i < ny,
//
//	y[f·ldy + i] = beta·y[f·ldy + i] + Σ_j w[f·k + j]·x[i + j·dil − pad]
//
// (y is not read when beta is 0).
func (c *Conv1D) Forward(y []float32, ny, ldy int, x, w []float32, k, dil, pad int, beta float32) {
	nf := checkConv("Forward", len(w), k, dil, pad, ny, ldy, len(y))
	if ny == 0 {
		return
	}
	if !useAsm || Generic {
		for f := range nf {
			yf := y[f*ldy : f*ldy+ny]
			scaleRow(yf, beta)
			corrDilGo(yf, x, w[f*k:(f+1)*k], dil, pad)
		}
		return
	}
	ext := (k - 1) * dil
	xp := c.pad(x, pad, ny+ext)
	c.gw.run(gemmKernel, true, false, false, 0, nf, 0, ny, k, 1, w, k, xp, dil, beta, y, ldy)
}

// GradKernel sets, for f < nf and j < k,
//
//	dw[f·k + j] = beta·dw[f·k + j] + Σ_{i<ny} dy[f·ldy + i]·x[i + j·dil − pad]
//
// the gradient of Forward's output with respect to the bank (dw is not
// read when beta is 0; pass beta = 1 to accumulate over rows and trials).
func (c *Conv1D) GradKernel(dw []float32, x, dy []float32, ny, ldy, k, dil, pad int, beta float32) {
	nf := checkConv("GradKernel", len(dw), k, dil, pad, ny, ldy, len(dy))
	if ny == 0 {
		scaleRow(dw, beta)
		return
	}
	if !useAsm || Generic {
		for f := range nf {
			dwf := dw[f*k : (f+1)*k]
			scaleRow(dwf, beta)
			dyf := dy[f*ldy : f*ldy+ny]
			for j := range dwf {
				var s float32
				for i, v := range dyf {
					if t := i + j*dil - pad; t >= 0 && t < len(x) {
						s += v * x[t]
					}
				}
				dwf[j] += s
			}
		}
		return
	}
	ext := (k - 1) * dil
	xp := c.pad(x, pad, ny+ext)
	// dw = dy·Bᵀ with B[j, i] = xp[i + j·dil]: the dot-product path on
	// rows of xp dil apart (faster than the blocked path on B read in
	// place, for dil = 1, on every shape timed: EEGNet's, ShallowConvNet's).
	gemmNT(ntKernel, 1, nf, k, ny, 1, dy, ldy, xp, dil, beta, dw, k)
}

// GradInput sets, for t < len(dx),
//
//	dx[t] = beta·dx[t] + Σ_f Σ_j w[f·k + j]·dy[f·ldy + t − j·dil + pad]
//
// the gradient of Forward's output with respect to the row x (dx is not
// read when beta is 0).
func (c *Conv1D) GradInput(dx []float32, dy []float32, ny, ldy int, w []float32, k, dil, pad int, beta float32) {
	nf := checkConv("GradInput", len(w), k, dil, pad, ny, ldy, len(dy))
	scaleRow(dx, beta)
	if ny == 0 || len(dx) == 0 {
		return
	}
	// With dy_f zero-padded by ext = dil·(k−1) in front, dy index
	// t − j·dil + pad is padded index t + pad + (k−1−j)·dil: the taps run
	// backwards with stride −dil from padded index t + pad + ext.
	ext := (k - 1) * dil
	n := len(dx) + pad + ext
	for f := range nf {
		dyp := c.pad(dy[f*ldy:f*ldy+ny], ext, n)
		corrRows(dx, dyp, pad+ext, w[f*k:(f+1)*k], -dil)
	}
}

// corrDilGo adds to y the dilated correlation y[i] += Σ_j w[j]·x[i+j·dil−pad].
func corrDilGo(y, x, w []float32, dil, pad int) {
	for i := range y {
		var s float32
		for j, wj := range w {
			if t := i + j*dil - pad; t >= 0 && t < len(x) {
				s += wj * x[t]
			}
		}
		y[i] += s
	}
}
