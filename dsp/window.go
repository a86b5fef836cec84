package dsp

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/dsp/internal/special"
)

// Window selects the window of a windowed-sinc FIR design.
//
// Name is one of "hamming", "hann", "blackman", "kaiser" (Beta is the
// Kaiser shape parameter) or "boxcar"; Beta is ignored by the others.
type Window struct {
	Name string
	Beta float64
}

// symmetricWindow writes the symmetric (filter-design) window of length
// len(dst) into dst, as scipy.signal.get_window(w, len(dst), fftbins=False).
func symmetricWindow(dst []float64, w Window) error {
	switch w.Name {
	case "hamming":
		generalCosine(dst, []float64{0.54, 1 - 0.54})
	case "hann":
		generalCosine(dst, []float64{0.5, 1 - 0.5})
	case "blackman":
		generalCosine(dst, []float64{0.42, 0.50, 0.08})
	case "boxcar":
		for i := range dst {
			dst[i] = 1
		}
	case "kaiser":
		if math.IsNaN(w.Beta) || math.IsInf(w.Beta, 0) {
			return fmt.Errorf("dsp: window: kaiser beta %v: %w", w.Beta, ErrParam)
		}
		kaiser(dst, w.Beta)
	default:
		return fmt.Errorf("dsp: window: unknown window %q: %w", w.Name, ErrParam)
	}
	return nil
}

// generalCosine writes the symmetric window sum_k a[k] cos(k x) for x on
// np.linspace(-pi, pi, M), following scipy.signal.windows.general_cosine
// term by term (same evaluation order, so the same rounding).
func generalCosine(dst []float64, a []float64) {
	m := len(dst)
	if m <= 1 {
		for i := range dst {
			dst[i] = 1
		}
		return
	}
	step := 2 * math.Pi / float64(m-1)
	for i := range dst {
		x := float64(i)*step - math.Pi
		if i == m-1 {
			x = math.Pi
		}
		v := a[0]
		for k := 1; k < len(a); k++ {
			v += a[k] * math.Cos(float64(k)*x)
		}
		dst[i] = v
	}
}

// kaiser writes the symmetric Kaiser window with shape beta, as
// scipy.signal.windows.kaiser: I0(beta sqrt(1-((n-a)/a)^2)) / I0(beta).
func kaiser(dst []float64, beta float64) {
	m := len(dst)
	if m <= 1 {
		for i := range dst {
			dst[i] = 1
		}
		return
	}
	alpha := float64(m-1) / 2
	den := special.I0(beta)
	for i := range dst {
		r := (float64(i) - alpha) / alpha
		dst[i] = special.I0(beta*math.Sqrt(1-r*r)) / den
	}
}
