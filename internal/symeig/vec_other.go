//go:build !amd64

package symeig

func dotAVX(x, y []float64) float64                   { panic("symeig: no AVX kernel") }
func dotAxpyAVX(x, y, z []float64, a float64) float64 { panic("symeig: no AVX kernel") }
func axpyAVX(x, y []float64, a float64)               { panic("symeig: no AVX kernel") }
func axpy2AVX(z, x, y []float64, a, b float64)        { panic("symeig: no AVX kernel") }

func reflectRowsAVX(row *float64, stride, nrows int, v *float64, m int, ntau float64) {
	panic("symeig: no AVX kernel")
}
func symvUpperAVX(a *float64, stride, m int, v, p *float64) { panic("symeig: no AVX kernel") }
func syr2UpperAVX(a *float64, stride, m int, v, w *float64) { panic("symeig: no AVX kernel") }
