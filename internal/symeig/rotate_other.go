//go:build !amd64

package symeig

// rotate applies the plane rotation to the rows x (column i of the
// eigenvectors) and y (column i+1): y ← s·x + c·y, x ← c·x − s·y.
func rotate(x, y []float64, c, s float64) { rotateGo(x, y, c, s) }

// sweep applies the rotations i = hi−1 down to lo, rotation i acting on
// rows i and i+1 of the row-major n×n vt with c[i] and s[i].
func sweep(vt []float64, n, lo, hi int, c, s []float64) {
	sweepGo(vt, n, lo, hi, c, s, 0)
}
