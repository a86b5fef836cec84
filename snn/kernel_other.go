//go:build !amd64

package snn

const (
	useAVX    = false
	useAVX512 = false
)

func cubaAVX(v, ge, gi, rel *float64, mask *byte, n int, s float64, c *kcoef) {
	panic("snn: no AVX kernel")
}

func cubaAVX512(v, ge, gi, rel *float64, mask *byte, n int, s float64, c *kcoef) {
	panic("snn: no AVX-512 kernel")
}
