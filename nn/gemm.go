package nn

// gemm is row-major SGEMM: C = alpha·op(A)·op(B) + beta·C with op(A) m×k
// and op(B) k×n. Every heavy inner product of the engine goes through it,
// so that a faster kernel is one line away.
func gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGo(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmGo is a plain Go SGEMM, row by row with contiguous inner loops.
func gemmGo(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := range m {
		cr := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(cr)
		} else if beta != 1 {
			for j := range cr {
				cr[j] *= beta
			}
		}
	}
	switch {
	case !transA && !transB:
		for i := range m {
			cr := c[i*ldc : i*ldc+n]
			ar := a[i*lda : i*lda+k]
			for p, av := range ar {
				axpy(cr, b[p*ldb:p*ldb+n], alpha*av)
			}
		}
	case !transA && transB:
		for i := range m {
			cr := c[i*ldc : i*ldc+n]
			ar := a[i*lda : i*lda+k]
			for j := range cr {
				cr[j] += alpha * dot(ar, b[j*ldb:j*ldb+k])
			}
		}
	case transA && !transB:
		for p := range k {
			ar := a[p*lda : p*lda+m]
			br := b[p*ldb : p*ldb+n]
			for i, av := range ar {
				axpy(c[i*ldc:i*ldc+n], br, alpha*av)
			}
		}
	default:
		for i := range m {
			for j := range n {
				var s float32
				for p := range k {
					s += a[p*lda+i] * b[j*ldb+p]
				}
				c[i*ldc+j] += alpha * s
			}
		}
	}
}

// axpy adds s·x to y.
func axpy(y, x []float32, s float32) {
	x = x[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		y[i] += s * x[i]
		y[i+1] += s * x[i+1]
		y[i+2] += s * x[i+2]
		y[i+3] += s * x[i+3]
	}
	for ; i < len(y); i++ {
		y[i] += s * x[i]
	}
}

// dot returns the inner product of x and y.
func dot(x, y []float32) float32 {
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
