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

// Whole loops of tridiagonalize and formQt (see tridiag_amd64.s).

//go:noescape
func reflectRowsAVX(row *float64, stride, nrows int, v *float64, m int, ntau float64)

//go:noescape
func symvUpperAVX(a *float64, stride, m int, v, p *float64)

//go:noescape
func syr2UpperAVX(a *float64, stride, m int, v, w *float64)
