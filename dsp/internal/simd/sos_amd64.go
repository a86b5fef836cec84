package simd

import "github.com/bcikit/bcikit/internal/cpu"

// hasAVX reports whether the AVX kernels are in use.
var hasAVX = cpu.AVX

// HasAVX reports whether the AVX kernels are in use.
func HasAVX() bool { return hasAVX }

// SetAVX turns the AVX kernels off (or back on where supported) and
// returns the previous setting; tests use it to exercise the portable
// kernels. It must not be called while kernels run.
func SetAVX(on bool) bool {
	prev := hasAVX
	hasAVX = on && avxSupported
	return prev
}

var avxSupported = cpu.AVX

// sos8AVX runs n samples starting at x[off] (in float64s), stepping by
// stride bytes (+64 forward, -64 backward).
//
//go:noescape
func sos8AVX(coef, x, z []float64, nsec, off, n, stride int)

func sos8(coef, x, z []float64, nsec int, reverse bool) {
	if !hasAVX {
		sos8Go(coef, x, z, nsec, reverse)
		return
	}
	n := len(x) / SOSLanes
	if reverse {
		sos8AVX(coef, x, z, nsec, len(x)-SOSLanes, n, -8*SOSLanes)
	} else {
		sos8AVX(coef, x, z, nsec, 0, n, 8*SOSLanes)
	}
}

//go:noescape
func difStageAVX(x, tw []float64, half, groups int)

//go:noescape
func ditStageAVX(x, tw []float64, half, groups int)

//go:noescape
func mulSpectrumAVX(x, h []float64)

func difStage(x, tw []float64, half, groups int) {
	if hasAVX {
		difStageAVX(x, tw, half, groups)
		return
	}
	difStageGo(x, tw, half, groups)
}

func ditStage(x, tw []float64, half, groups int) {
	if hasAVX {
		ditStageAVX(x, tw, half, groups)
		return
	}
	ditStageGo(x, tw, half, groups)
}

func mulSpectrum(x, h []float64) {
	if hasAVX {
		mulSpectrumAVX(x, h)
		return
	}
	mulSpectrumGo(x, h)
}

//go:noescape
func dif4StageAVX(x, tw []float64, half, groups int)

//go:noescape
func dit4StageAVX(x, tw []float64, half, groups int)

func dif4Stage(x, tw []float64, half, groups int) {
	if hasAVX {
		dif4StageAVX(x, tw, half, groups)
		return
	}
	dif4StageGo(x, tw, half, groups)
}

func dit4Stage(x, tw []float64, half, groups int) {
	if hasAVX {
		dit4StageAVX(x, tw, half, groups)
		return
	}
	dit4StageGo(x, tw, half, groups)
}

//go:noescape
func sos8GatherAVX(coef, x, z []float64, src *[SOSLanes]*float64, n int) (bad float64)

//go:noescape
func sos8ScatterAVX(coef, x, z []float64, dst *[SOSLanes]*float64, n int)

func sos8Gather(coef, x, z []float64, src *[SOSLanes]*float64, n int) bool {
	if !hasAVX {
		return sos8GatherGo(coef, x, z, src, n)
	}
	return sos8GatherAVX(coef, x, z, src, n) == 0
}

func sos8Scatter(coef, x, z []float64, dst *[SOSLanes]*float64, n int) {
	if !hasAVX {
		sos8ScatterGo(coef, x, z, dst, n)
		return
	}
	sos8ScatterAVX(coef, x, z, dst, n)
}
