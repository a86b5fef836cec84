package symeig

// Vector operations of the tridiagonal reduction on contiguous rows. The
// first len&^7 elements go to the AVX kernels where there are some; the Go
// loops below do the same arithmetic in the same order (dot products in
// eight lanes, lane l summing elements 8q+l, then lanes l and l+4, then
// (0+2)+(1+3), then the tail in order), so results do not depend on the
// machine.

// dot returns Σ x[i]·y[i]; y is at least as long as x.
func dot(x, y []float64) float64 {
	n8 := len(x) &^ 7
	var s float64
	if useAVX && n8 > 0 {
		s = dotAVX(x[:n8], y[:n8])
	} else if n8 > 0 {
		s = dotAxpyGo(x[:n8], y[:n8], nil, 0)
	}
	y = y[:len(x)]
	for i := n8; i < len(x); i++ {
		s += x[i] * y[i]
	}
	return s
}

// dotAxpy returns Σ x[i]·y[i] and adds a·x to z; y and z are at least as
// long as x.
func dotAxpy(x, y, z []float64, a float64) float64 {
	n8 := len(x) &^ 7
	var s float64
	if n8 > 0 {
		if useAVX {
			s = dotAxpyAVX(x[:n8], y[:n8], z[:n8], a)
		} else {
			s = dotAxpyGo(x[:n8], y[:n8], z[:n8], a)
		}
	}
	y, z = y[:len(x)], z[:len(x)]
	for i := n8; i < len(x); i++ {
		s += x[i] * y[i]
		z[i] += a * x[i]
	}
	return s
}

// dotAxpyGo is the kernels' arithmetic on len(x), a multiple of 8; z nil
// skips the update.
func dotAxpyGo(x, y, z []float64, a float64) float64 {
	var l [8]float64
	for q := 0; q < len(x); q += 8 {
		for k := range 8 {
			l[k] += x[q+k] * y[q+k]
		}
		if z != nil {
			for k := range 8 {
				z[q+k] += a * x[q+k]
			}
		}
	}
	c0, c1, c2, c3 := l[0]+l[4], l[1]+l[5], l[2]+l[6], l[3]+l[7]
	return (c0 + c2) + (c1 + c3)
}

// axpy adds a·x to y; y is at least as long as x.
func axpy(x, y []float64, a float64) {
	n8 := len(x) &^ 7
	if useAVX && n8 > 0 {
		axpyAVX(x[:n8], y[:n8], a)
	} else {
		n8 = 0
	}
	y = y[:len(x)]
	for i := n8; i < len(x); i++ {
		y[i] += a * x[i]
	}
}

// axpy2 subtracts a·x + b·y from z; x and y are at least as long as z.
func axpy2(z, x, y []float64, a, b float64) {
	n8 := len(z) &^ 7
	if useAVX && n8 > 0 {
		axpy2AVX(z[:n8], x[:n8], y[:n8], a, b)
	} else {
		n8 = 0
	}
	x, y = x[:len(z)], y[:len(z)]
	for i := n8; i < len(z); i++ {
		z[i] -= a*x[i] + b*y[i]
	}
}
