//go:build !amd64

package symeig

func mul4x8AVX(dst, a, b *float64, n, kn int) { panic("symeig: no AVX kernel") }

// useAVX is false off amd64: the Go loops run.
var useAVX = false
