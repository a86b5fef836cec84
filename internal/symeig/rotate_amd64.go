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
