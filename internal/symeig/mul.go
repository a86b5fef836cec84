package symeig

import "math"

// Products of small row-major n×n matrices for the matrix functions built
// on the eigen decomposition (V·diag(f(λ))·Vᵀ, congruences P·C·P). The
// work is done in blocks of 4 rows × 8 columns by an AVX kernel where
// there is one (see mul_amd64.go), and by the same loop in Go for the
// rows and columns left over and elsewhere. Every entry is the sum over k
// in ascending order of a[i,k]·b[k,j]: with fused multiply-adds where the
// CPU has them (useFMA), else multiplied and added separately, the same in
// the kernel and in the Go loop, so the two agree bit for bit.

const (
	blockRows = 4
	blockCols = 8
)

// Mul writes a·b into dst; all three are row-major n×n and dst must not
// overlap a or b.
func Mul(dst, a, b []float64, n int) {
	mul(dst, a, b, n, false, false)
}

// MulSym writes a·b into dst when the product is known to be symmetric
// (a congruence, V·D·Vᵀ): only the blocks on and above the diagonal are
// computed and the lower triangle is copied from the upper, so dst is
// exactly symmetric. dst must not overlap a or b.
func MulSym(dst, a, b []float64, n int) {
	mul(dst, a, b, n, false, true)
}

// MulLower writes l·b into dst for lower-triangular l: the entries of l
// above the diagonal must be zero (they are multiplied, not skipped, in
// the blocks that straddle the diagonal). dst must not overlap l or b.
func MulLower(dst, l, b []float64, n int) {
	mul(dst, l, b, n, true, false)
}

// MulLowerSym is MulLower for a product known to be symmetric, computed
// as MulSym computes it.
func MulLowerSym(dst, l, b []float64, n int) {
	mul(dst, l, b, n, true, true)
}

func mul(dst, a, b []float64, n int, lower, sym bool) {
	if n == 0 {
		return
	}
	if len(dst) < n*n || len(a) < n*n || len(b) < n*n {
		panic("symeig: matrix slices shorter than n×n")
	}
	rb := n / blockRows * blockRows
	cb := n / blockCols * blockCols
	for i0 := 0; i0 < n; i0 += blockRows {
		rows := min(blockRows, n-i0)
		kn := n
		if lower {
			kn = i0 + rows
		}
		j0 := 0
		if sym {
			j0 = i0 / blockCols * blockCols
		}
		if i0 < rb && useAVX {
			for j := j0; j < cb; j += blockCols {
				if useFMA {
					mul4x8FMA(&dst[i0*n+j], &a[i0*n], &b[j], n, kn)
				} else {
					mul4x8AVX(&dst[i0*n+j], &a[i0*n], &b[j], n, kn)
				}
			}
			j0 = max(j0, cb)
		}
		for i := i0; i < i0+rows; i++ {
			ai := a[i*n : i*n+kn]
			di := dst[i*n : i*n+n]
			for j := j0; j < n; j++ {
				var s float64
				if useFMA {
					for k, av := range ai {
						s = math.FMA(av, b[k*n+j], s)
					}
				} else {
					for k, av := range ai {
						s += av * b[k*n+j]
					}
				}
				di[j] = s
			}
		}
	}
	if sym {
		for i := 1; i < n; i++ {
			for j := range i {
				dst[i*n+j] = dst[j*n+i]
			}
		}
	}
}
