package spectral

import "math"

// Window names a tapering window as scipy.signal.get_window does. Name is
// one of "hann", "hamming", "blackman", "boxcar", "bartlett", "flattop"
// or "kaiser"; Beta is the shape parameter of the Kaiser window and is
// ignored by the others. The zero Window is the Hann window.
type Window struct {
	Name string
	Beta float64
}

// cosineTerms holds the coefficients of scipy.signal.windows.general_cosine
// for the windows that are sums of cosines.
var cosineTerms = map[string][]float64{
	"hann":     {0.5, 0.5},
	"hamming":  {0.54, 0.46},
	"blackman": {0.42, 0.50, 0.08},
	"flattop":  {0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368},
}

// check reports an unknown window name or a bad Kaiser beta.
func (w Window) check() error {
	switch w.Name {
	case "", "boxcar", "bartlett":
		return nil
	case "kaiser":
		if math.IsNaN(w.Beta) || math.IsInf(w.Beta, 0) {
			return paramError("window", "kaiser beta must be finite, got %v", w.Beta)
		}
		return nil
	}
	if _, ok := cosineTerms[w.Name]; ok {
		return nil
	}
	return paramError("window", "unknown window %q (want hann, hamming, blackman, boxcar, bartlett, flattop or kaiser)", w.Name)
}

// Values returns the n-point window in dst (allocated when nil or too
// short). A periodic window is the DFT-even window of spectral analysis
// (get_window's default, fftbins=True: the first n points of the n+1-point
// symmetric window); otherwise the window is symmetric, as used in filter
// design. The formulas and their floating-point evaluation order follow
// scipy.signal.windows.
func (w Window) Values(dst []float64, n int, periodic bool) ([]float64, error) {
	if err := w.check(); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, paramError("window length", "must be >= 0, got %d", n)
	}
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	if n <= 1 {
		for i := range dst {
			dst[i] = 1
		}
		return dst, nil
	}
	m := n // length of the symmetric window the values come from
	if periodic {
		m = n + 1
	}
	name := w.Name
	if name == "" {
		name = "hann"
	}
	switch name {
	case "boxcar":
		for i := range dst {
			dst[i] = 1
		}
	case "bartlett":
		half := float64(m-1) / 2
		for i := range dst {
			t := 2 * float64(i) / float64(m-1)
			if float64(i) <= half {
				dst[i] = t
			} else {
				dst[i] = 2 - t
			}
		}
	case "kaiser":
		alpha := float64(m-1) / 2
		den := besselI0(w.Beta)
		for i := range dst {
			r := (float64(i) - alpha) / alpha
			dst[i] = besselI0(w.Beta*math.Sqrt(1-r*r)) / den
		}
	default:
		// general_cosine: fac = linspace(-pi, pi, m); w = sum a[k] cos(k fac).
		a := cosineTerms[name]
		step := 2 * math.Pi / float64(m-1)
		for i := range dst {
			fac := float64(i)*step - math.Pi
			if i == m-1 {
				fac = math.Pi
			}
			s := 0.0
			for k, ak := range a {
				s += ak * math.Cos(float64(k)*fac)
			}
			dst[i] = s
		}
	}
	return dst, nil
}

// besselI0 is the modified Bessel function of the first kind of order
// zero, summed from its power series sum_k ((x/2)^k / k!)^2. Every term is
// positive, so the sum is accurate to a few ulps; it needs about |x|+20
// terms, which is cheap for the window shapes used in practice.
func besselI0(x float64) float64 {
	q := x * x / 4
	term, sum := 1.0, 1.0
	for k := 1; k < 1000; k++ {
		term *= q / float64(k*k)
		sum += term
		if term <= sum*1e-17 {
			break
		}
	}
	return sum
}
