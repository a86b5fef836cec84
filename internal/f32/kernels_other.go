//go:build !amd64

package f32

// Dispatch to the portable kernels; the amd64 assembly replaces these in
// a later step.

func gemm(w int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGo(w, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func dot(x, y []float32) float32         { return dotGo(x, y) }
func axpy(alpha float32, x, y []float32) { axpyGo(alpha, x, y) }

func correlate(dst, x, w []float32, pad int)          { correlateGo(dst, x, w, pad) }
func correlateGradInput(dx, dy, w []float32, pad int) { correlateGradInputGo(dx, dy, w, pad) }
func correlateGradKernel(dw, x, dy []float32, pad int) {
	correlateGradKernelGo(dw, x, dy, pad)
}

// useAsm reports whether assembly kernels run: never off amd64.
const useAsm = false

// ntKernel is the portable dot kernel off amd64.
var ntKernel = dotGoNT

// dotKernels lists the dot kernels this CPU runs, for the tests.
func dotKernels() map[string]dotKernel { return map[string]dotKernel{"go": dotGoNT} }

func corrRows(y, x []float32, x0 int, w []float32, xs int) { corrRowsGo(y, x, x0, w, xs) }

// gemmKernel is the portable micro-kernel off amd64.
var gemmKernel microKernel = kernGo

func sum64(x []float32) float64                              { return sum64Go(x) }
func dev(x []float32, mean float64) (ss, c float64)          { return devGo(x, mean) }
func scaleShift(dst, x []float32, a, b float32)              { scaleShiftGo(dst, x, a, b) }
func addScaled(dst, x []float32, alpha float32, y []float32) { addScaledGo(dst, x, alpha, y) }
func mul(dst, x, y []float32)                                { mulGo(dst, x, y) }

func elu(dst, x []float32, alpha float32)            { eluGo(dst, x, alpha) }
func eluBackward(dx, dy, y []float32, alpha float32) { eluBackwardGo(dx, dy, y, alpha) }

// microKernels lists the micro-kernels this CPU runs, for the tests.
func microKernels() map[string]microKernel { return map[string]microKernel{"go": kernGo} }

func sumDot(x, y []float32) (sx, sxy float64) { return sumDotGo(x, y) }
func linComb(dst []float32, a float32, x []float32, b float32, y []float32, c float32) {
	linCombGo(dst, a, x, b, y, c)
}

// corrNoAVX512 has no effect off amd64.
var corrNoAVX512 = false

// useAVX512 reports whether AVX-512 kernels run: never off amd64.
const useAVX512 = false

// onlyAVX2 does nothing off amd64.
func onlyAVX2() (restore func()) { return func() {} }
