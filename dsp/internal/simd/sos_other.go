//go:build !amd64

package simd

// HasAVX reports whether the AVX kernels are in use; never off amd64.
func HasAVX() bool { return false }

func sos8(coef, x, z []float64, nsec int, reverse bool) { sos8Go(coef, x, z, nsec, reverse) }

func difStage(x, tw []float64, half, groups int) { difStageGo(x, tw, half, groups) }
func ditStage(x, tw []float64, half, groups int) { ditStageGo(x, tw, half, groups) }
func mulSpectrum(x, h []float64)                 { mulSpectrumGo(x, h) }
