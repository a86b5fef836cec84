package symeig

import "github.com/bcikit/bcikit/internal/cpu"

// useAVX reports whether the AVX kernel runs.
var useAVX = cpu.AVX

// rotateAVX is rotate for len(x) a multiple of 4, four lanes at a time
// with separate multiplies and adds (no FMA), so that every lane rounds
// as the Go loop does.
//
//go:noescape
func rotateAVX(x, y []float64, c, s float64)

// rotate applies the plane rotation to the rows x (column i of the
// eigenvectors) and y (column i+1): y ← s·x + c·y, x ← c·x − s·y.
func rotate(x, y []float64, c, s float64) {
	y = y[:len(x)]
	n4 := len(x) &^ 3
	if useAVX && n4 > 0 {
		rotateAVX(x[:n4], y[:n4], c, s)
		x, y = x[n4:], y[n4:]
	}
	rotateGo(x, y, c, s)
}

// The sweep kernels (sweep_amd64.s) for strips of 4, 8, 16, 24 and 32
// columns, without and with fused multiply-adds.

//go:noescape
func sweepAVX_1(row *float64, stride, count int, c, s *float64)

//go:noescape
func sweepAVX_2(row *float64, stride, count int, c, s *float64)

//go:noescape
func sweepAVX_4(row *float64, stride, count int, c, s *float64)

//go:noescape
func sweepAVX_6(row *float64, stride, count int, c, s *float64)

//go:noescape
func sweepAVX_8(row *float64, stride, count int, c, s *float64)

//go:noescape
func sweepFMA_1(row *float64, stride, count int, c, s *float64)

//go:noescape
func sweepFMA_2(row *float64, stride, count int, c, s *float64)

//go:noescape
func sweepFMA_4(row *float64, stride, count int, c, s *float64)

//go:noescape
func sweepFMA_6(row *float64, stride, count int, c, s *float64)

//go:noescape
func sweepFMA_8(row *float64, stride, count int, c, s *float64)

type sweepKernel func(row *float64, stride, count int, c, s *float64)

// sweepStrips are the kernels by strip width, widest first.
var sweepStrips = []struct {
	cols     int
	avx, fma sweepKernel
}{
	{32, sweepAVX_8, sweepFMA_8},
	{24, sweepAVX_6, sweepFMA_6},
	{16, sweepAVX_4, sweepFMA_4},
	{8, sweepAVX_2, sweepFMA_2},
	{4, sweepAVX_1, sweepFMA_1},
}

// sweep applies the rotations i = hi−1 down to lo, rotation i acting on
// rows i and i+1 of the row-major n×n vt with c[i] and s[i], as rotate
// does one at a time: strips of columns as wide as fit go to the kernels,
// the last n mod 4 columns to the Go loop.
func sweep(vt []float64, n, lo, hi int, c, s []float64) {
	if hi <= lo {
		return
	}
	_ = vt[hi*n+n-1]
	_, _ = c[hi-1], s[hi-1]
	j := 0
	if useAVX {
		for _, st := range sweepStrips {
			k := st.avx
			if useFMA {
				k = st.fma
			}
			for ; j+st.cols <= n; j += st.cols {
				k(&vt[(hi-1)*n+j], n, hi-lo, &c[hi-1], &s[hi-1])
			}
		}
	}
	if j < n {
		sweepGo(vt, n, lo, hi, c, s, j)
	}
}
