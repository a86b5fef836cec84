package nn

import "github.com/bcikit/bcikit/internal/f32"

// gemm is row-major SGEMM: C = alpha·op(A)·op(B) + beta·C with op(A) m×k
// and op(B) k×n. Every heavy inner product of the engine goes through it
// (internal/f32's kernel: AVX2/FMA assembly where available).
func gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	f32.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// axpy adds s·x to y.
func axpy(y, x []float32, s float32) { f32.Axpy(s, x[:len(y)], y) }

// gemmSerial is gemm on the calling goroutine, for layers that already
// run one example range per core.
func gemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	f32.GemmSerial(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
