package symeig

// The AVX kernels of vec.go's functions, for the first len(x)&^7
// elements.

//go:noescape
func dotAVX(x, y []float64) float64

//go:noescape
func dotAxpyAVX(x, y, z []float64, a float64) float64

//go:noescape
func axpyAVX(x, y []float64, a float64)

//go:noescape
func axpy2AVX(z, x, y []float64, a, b float64)
