package f32

// useAsm reports whether the AVX2+FMA kernels run.
var useAsm = hasAVX2FMA()

// kern4x24 is the AVX2+FMA micro-kernel (see microKernel).
//
//go:noescape
func kern4x24(k int, a, b *float32, ldb int, c *float32, ldc int, beta float32)

// dot4x3 is the AVX2+FMA dotKernel.
//
//go:noescape
func dot4x3(k8 int, a *float32, lda int, b *float32, ldb int, out *float32)

func gemm(w int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !useAsm || Generic {
		gemmGo(w, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if useNT(transA, transB, m, n, k) {
		gemmNT(dot4x3, w, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmBlocked(kern4x24, w, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func dot(x, y []float32) float32         { return dotGo(x, y) }
func axpy(alpha float32, x, y []float32) { axpyGo(alpha, x, y) }

func correlate(dst, x, w []float32, pad int)          { correlateGo(dst, x, w, pad) }
func correlateGradInput(dx, dy, w []float32, pad int) { correlateGradInputGo(dx, dy, w, pad) }
func correlateGradKernel(dw, x, dy []float32, pad int) {
	correlateGradKernelGo(dw, x, dy, pad)
}
