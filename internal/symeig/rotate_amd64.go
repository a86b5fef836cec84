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

// sweepAVX applies count ≥ 1 rotations to a strip of 16 columns (wide)
// or 4 columns of the rows of a row-major matrix with row stride stride:
// rotation q acts on rows x = row − q·stride and y = x + stride with
// c[−q] and s[−q] (pointers walk down), as rotate does, carrying y in
// registers.
//
//go:noescape
func sweepAVX(row *float64, stride, count int, c, s *float64, wide bool)

// sweepFMA is sweepAVX with fused multiply-adds, as rotateFMA.
//
//go:noescape
func sweepFMA(row *float64, stride, count int, c, s *float64, wide bool)

// sweep applies the rotations i = hi−1 down to lo, rotation i acting on
// rows i and i+1 of the row-major n×n vt with c[i] and s[i], as rotate
// does one at a time.
func sweep(vt []float64, n, lo, hi int, c, s []float64) {
	if hi <= lo {
		return
	}
	_ = vt[hi*n+n-1]
	_, _ = c[hi-1], s[hi-1]
	j := 0
	if useAVX {
		k := sweepAVX
		if useFMA {
			k = sweepFMA
		}
		for ; j+16 <= n; j += 16 {
			k(&vt[(hi-1)*n+j], n, hi-lo, &c[hi-1], &s[hi-1], true)
		}
		for ; j+4 <= n; j += 4 {
			k(&vt[(hi-1)*n+j], n, hi-lo, &c[hi-1], &s[hi-1], false)
		}
	}
	if j < n {
		sweepGo(vt, n, lo, hi, c, s, j)
	}
}
