//go:build !amd64

package simd

// HasAVX reports whether the AVX kernels are in use; never off amd64.
func HasAVX() bool { return false }

// SetAVX reports false: there are no AVX kernels off amd64.
func SetAVX(bool) bool { return false }

func sos8(coef, x, z []float64, nsec int, reverse bool) { sos8Go(coef, x, z, nsec, reverse) }

func difStage(x, tw []float64, half, groups int) { difStageGo(x, tw, half, groups) }
func ditStage(x, tw []float64, half, groups int) { ditStageGo(x, tw, half, groups) }
func mulSpectrum(x, h []float64)                 { mulSpectrumGo(x, h) }

func dif4Stage(x, tw []float64, half, groups int) { dif4StageGo(x, tw, half, groups) }
func dit4Stage(x, tw []float64, half, groups int) { dit4StageGo(x, tw, half, groups) }

func sos8Gather(coef, x, z []float64, src *[SOSLanes]*float64, n int) bool {
	return sos8GatherGo(coef, x, z, src, n)
}

func sos8Scatter(coef, x, z []float64, dst *[SOSLanes]*float64, n int) {
	sos8ScatterGo(coef, x, z, dst, n)
}
