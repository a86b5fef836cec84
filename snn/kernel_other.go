//go:build !amd64

package snn

const useAVX = false

func cubaAVX(v, ge, gi, rel *float64, mask *byte, n int, s float64, c *kcoef) {
	panic("snn: no AVX kernel")
}
