package f32

import "unsafe"

// useAsm reports whether the AVX2+FMA kernels run.
var useAsm = hasAVX2FMA()

// useAVX512 reports whether the AVX-512 matrix kernels run.
var useAVX512 = hasAVX512()

// kern4x24 is the AVX2+FMA kernel for a 4×24 tile (see microKernel).
//
//go:noescape
func kern4x24(k int, a, b *float32, ldb int, c *float32, ldc int, beta float32)

// kern4x48z is the AVX-512 micro-kernel (see microKernel).
//
//go:noescape
func kern4x48z(k int, a, b *float32, ldb int, c *float32, ldc int, beta float32)

// kern4x48 is the AVX2+FMA micro-kernel: two 4×24 halves.
func kern4x48(k int, a, b *float32, ldb int, c *float32, ldc int, beta float32) {
	kern4x24(k, a, b, ldb, c, ldc, beta)
	kern4x24(k, a, (*float32)(unsafe.Add(unsafe.Pointer(b), 24*4)), ldb, (*float32)(unsafe.Add(unsafe.Pointer(c), 24*4)), ldc, beta)
}

// dot4x6z is the AVX-512 dot kernel function for 4×6 tiles, summed.
//
//go:noescape
func dot4x6z(k16 int, a *float32, lda int, b *float32, ldb int, out *float32)

// ntKernel is the fastest dot kernel the CPU runs.
var ntKernel = func() dotKernel {
	if useAVX512 {
		return dotKernel{dot4x6z, 16, 1, 6}
	}
	return dotKernel{dot4x3, 8, 8, 3}
}()

// dotKernels lists the dot kernels this CPU runs, for the tests.
func dotKernels() map[string]dotKernel {
	ks := map[string]dotKernel{"go": dotGoNT}
	if useAsm {
		ks["avx2"] = dotKernel{dot4x3, 8, 8, 3}
	}
	if useAVX512 {
		ks["avx512"] = dotKernel{dot4x6z, 16, 1, 6}
	}
	return ks
}

// gemmKernel is the fastest micro-kernel the CPU runs.
var gemmKernel = func() microKernel {
	if useAVX512 {
		return kern4x48z
	}
	return kern4x48
}()

// dot4x3 is the AVX2+FMA dot kernel function: 8 partial sums.
//
//go:noescape
func dot4x3(k8 int, a *float32, lda int, b *float32, ldb int, out *float32)

func gemm(w int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !useAsm || Generic {
		gemmGo(w, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if useNT(transA, transB, m, n, k) {
		gemmNT(ntKernel, w, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmBlocked(gemmKernel, w, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

//go:noescape
func corrRow128z(nb int, y, x, w *float32, k, xs int)

//go:noescape
func corrRow64(nb int, y, x, w *float32, k, xs int)

//go:noescape
func corrRow32(nb int, y, x, w *float32, k, xs int)

//go:noescape
func corrRow8(nb int, y, x, w *float32, k, xs int)

//go:noescape
func dotAVX(n32 int, x, y *float32) float32

//go:noescape
func axpyAVX(n32 int, alpha float32, x, y *float32)

func dot(x, y []float32) float32 {
	n32 := len(x) / 32
	if !useAsm || Generic || n32 == 0 {
		return dotGo(x, y)
	}
	s := dotAVX(n32, &x[0], &y[0])
	if r := n32 * 32; r < len(x) {
		s += dotGo(x[r:], y[r:len(x)])
	}
	return s
}

func axpy(alpha float32, x, y []float32) {
	n32 := len(x) / 32
	if !useAsm || Generic || n32 == 0 {
		axpyGo(alpha, x, y)
		return
	}
	axpyAVX(n32, alpha, &x[0], &y[0])
	if r := n32 * 32; r < len(x) {
		axpyGo(alpha, x[r:], y[r:len(x)])
	}
}

//go:noescape
func sum64AVX(n16 int, x *float32) float64

//go:noescape
func devAVX(n16 int, x *float32, mean float64) (ss, c float64)

//go:noescape
func scaleShiftAVX(n32 int, dst, x *float32, a, b float32)

//go:noescape
func addScaledAVX(n32 int, dst, x *float32, alpha float32, y *float32)

//go:noescape
func mulAVX(n32 int, dst, x, y *float32)

func sum64(x []float32) float64 {
	n16 := len(x) / 16
	if !useAsm || Generic || n16 == 0 {
		return sum64Go(x)
	}
	return sum64AVX(n16, &x[0]) + sum64Go(x[n16*16:])
}

func dev(x []float32, mean float64) (ss, c float64) {
	n16 := len(x) / 16
	if !useAsm || Generic || n16 == 0 {
		return devGo(x, mean)
	}
	ss, c = devAVX(n16, &x[0], mean)
	ts, tc := devGo(x[n16*16:], mean)
	return ss + ts, c + tc
}

func scaleShift(dst, x []float32, a, b float32) {
	n32 := len(x) / 32
	if !useAsm || Generic || n32 == 0 {
		scaleShiftGo(dst, x, a, b)
		return
	}
	scaleShiftAVX(n32, &dst[0], &x[0], a, b)
	scaleShiftGo(dst[n32*32:], x[n32*32:], a, b)
}

func addScaled(dst, x []float32, alpha float32, y []float32) {
	n32 := len(dst) / 32
	if !useAsm || Generic || n32 == 0 {
		addScaledGo(dst, x, alpha, y)
		return
	}
	addScaledAVX(n32, &dst[0], &x[0], alpha, &y[0])
	addScaledGo(dst[n32*32:], x[n32*32:], alpha, y[n32*32:])
}

func mul(dst, x, y []float32) {
	n32 := len(dst) / 32
	if !useAsm || Generic || n32 == 0 {
		mulGo(dst, x, y)
		return
	}
	mulAVX(n32, &dst[0], &x[0], &y[0])
	mulGo(dst[n32*32:], x[n32*32:], y[n32*32:])
}

//go:noescape
func eluAVX(n8 int, dst, x *float32, alpha float32)

//go:noescape
func eluBackAVX(n8 int, dx, dy, y *float32, alpha float32)

func elu(dst, x []float32, alpha float32) {
	n8 := len(x) / 8
	if !useAsm || Generic || n8 == 0 {
		eluGo(dst, x, alpha)
		return
	}
	eluAVX(n8, &dst[0], &x[0], alpha)
	eluGo(dst[n8*8:], x[n8*8:], alpha)
}

func eluBackward(dx, dy, y []float32, alpha float32) {
	n8 := len(dx) / 8
	if !useAsm || Generic || n8 == 0 {
		eluBackwardGo(dx, dy, y, alpha)
		return
	}
	eluBackAVX(n8, &dx[0], &dy[0], &y[0], alpha)
	eluBackwardGo(dx[n8*8:], dy[n8*8:], y[n8*8:], alpha)
}

//go:noescape
func sumDotAVX(n16 int, x, y *float32) (sx, sxy float64)

//go:noescape
func linCombAVX(n32 int, dst, x, y *float32, a, b, c float32)

func sumDot(x, y []float32) (sx, sxy float64) {
	n16 := len(x) / 16
	if !useAsm || Generic || n16 == 0 {
		return sumDotGo(x, y)
	}
	sx, sxy = sumDotAVX(n16, &x[0], &y[0])
	tx, txy := sumDotGo(x[n16*16:], y[n16*16:len(x)])
	return sx + tx, sxy + txy
}

func linComb(dst []float32, a float32, x []float32, b float32, y []float32, c float32) {
	n32 := len(dst) / 32
	if !useAsm || Generic || n32 == 0 {
		linCombGo(dst, a, x, b, y, c)
		return
	}
	linCombAVX(n32, &dst[0], &x[0], &y[0], a, b, c)
	linCombGo(dst[n32*32:], a, x[n32*32:], b, y[n32*32:], c)
}

// corrNoAVX512 keeps corrRows on the AVX2 kernels (the tests set it to
// check both).
var corrNoAVX512 = false

// corrRows adds to y[i], i < len(y), the sum Σ_j w[j]·x[x0 + i + j·xs];
// the caller guarantees every index is inside x. Blocks of 128 (AVX-512),
// 64, 32 and 8 outputs run in assembly, the last few in Go.
func corrRows(y, x []float32, x0 int, w []float32, xs int) {
	n, k := len(y), len(w)
	if !useAsm || Generic {
		corrRowsGo(y, x, x0, w, xs)
		return
	}
	i := 0
	if nb := n / 128; nb > 0 && useAVX512 && !corrNoAVX512 {
		corrRow128z(nb, &y[0], &x[x0], &w[0], k, xs)
		i = nb * 128
	}
	if nb := (n - i) / 64; nb > 0 {
		corrRow64(nb, &y[i], &x[x0+i], &w[0], k, xs)
		i += nb * 64
	}
	if n-i >= 32 {
		corrRow32(1, &y[i], &x[x0+i], &w[0], k, xs)
		i += 32
	}
	if nb := (n - i) / 8; nb > 0 {
		corrRow8(nb, &y[i], &x[x0+i], &w[0], k, xs)
		i += nb * 8
	}
	if i < n {
		corrRowsGo(y[i:], x, x0+i, w, xs)
	}
}

func correlate(dst, x, w []float32, pad int) {
	// Outputs whose window lies inside x: i−pad ≥ 0, i−pad+k−1 < len(x).
	lo, hi := interior(len(dst), pad, len(x)-len(w)+1+pad)
	if !corrEdge(dst[:lo], x, -pad, w, 1) {
		correlateGo(dst[:lo], x, w, pad)
	}
	if !corrEdge(dst[hi:], x, hi-pad, w, 1) {
		correlateGo(dst[hi:], x, w, pad-hi)
	}
	if hi > lo {
		corrRows(dst[lo:hi], x, lo-pad, w, 1)
	}
}

func correlateGradInput(dx, dy, w []float32, pad int) {
	// dx[t] += Σ_j w[j]·dy[t+pad−j]: inside dy for t+pad−(k−1) ≥ 0, t+pad < len(dy).
	k := len(w)
	lo, hi := interior(len(dx), k-1-pad, len(dy)-pad)
	if !corrEdge(dx[:lo], dy, pad-(k-1), w, -1) {
		correlateGradInputGo(dx[:lo], dy, w, pad)
	}
	if !corrEdge(dx[hi:], dy, hi+pad-(k-1), w, -1) {
		correlateGradInputGo(dx[hi:], dy, w, pad+hi)
	}
	if hi > lo {
		corrRows(dx[lo:hi], dy, lo+pad, w, -1)
	}
}

// edgeMax is the longest zero-padded window corrEdge copies on the stack.
const edgeMax = 1024

// corrEdge computes corrRows(y, ...) on the window of src starting at
// index start (which may be negative), copied with its zeros outside src
// into a stack buffer, for the outputs at the ends of a row whose taps
// reach past it. The taps run forwards (xs = 1) or backwards (xs = −1)
// from y's index. It reports false, doing nothing, when the window does
// not fit the buffer.
func corrEdge(y, src []float32, start int, w []float32, xs int) bool {
	if len(y) == 0 {
		return true
	}
	n := len(y) + len(w) - 1
	if n > edgeMax {
		return false
	}
	var buf [edgeMax]float32
	tmp := buf[:n]
	for s := range tmp {
		if t := start + s; t >= 0 && t < len(src) {
			tmp[s] = src[t]
		}
	}
	x0 := 0
	if xs < 0 {
		x0 = len(w) - 1
	}
	corrRows(y, tmp, x0, w, xs)
	return true
}

func correlateGradKernel(dw, x, dy []float32, pad int) {
	for j := range dw {
		lo, hi := validRange(j-pad, len(dy), len(x))
		if hi > lo {
			dw[j] += dot(dy[lo:hi], x[lo+j-pad:hi+j-pad])
		}
	}
}

// microKernels lists the micro-kernels this CPU runs, for the tests.
func microKernels() map[string]microKernel {
	ks := map[string]microKernel{"go": kernGo}
	if useAsm {
		ks["avx2"] = kern4x48
	}
	if useAVX512 {
		ks["avx512"] = kern4x48z
	}
	return ks
}

// onlyAVX2 makes the kernels that have AVX-512 versions use their AVX2
// ones, for the tests, and returns the function that undoes it.
func onlyAVX2() (restore func()) {
	g, n, c := gemmKernel, ntKernel, corrNoAVX512
	gemmKernel, ntKernel, corrNoAVX512 = kern4x48, dotKernel{dot4x3, 8, 8, 3}, true
	return func() { gemmKernel, ntKernel, corrNoAVX512 = g, n, c }
}
