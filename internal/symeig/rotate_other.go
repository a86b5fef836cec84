//go:build !amd64

package symeig

// rotate applies the plane rotation to the rows x (column i of the
// eigenvectors) and y (column i+1): y ← s·x + c·y, x ← c·x − s·y.
func rotate(x, y []float64, c, s float64) { rotateGo(x, y, c, s) }
