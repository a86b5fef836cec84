//go:build !amd64

package symeig

func mul4x8AVX(dst, a, b *float64, n, kn int) { panic("symeig: no AVX kernel") }
func mul4x8FMA(dst, a, b *float64, n, kn int) { panic("symeig: no AVX kernel") }

// useAVX and useFMA are false off amd64: the Go loops run.
var useAVX, useFMA = false, false
