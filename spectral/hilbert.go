package spectral

import (
	"math"
	"math/cmplx"

	"github.com/bcikit/bcikit/internal/parallel"
	"github.com/bcikit/bcikit/spectral/fft"
)

// Hilbert computes analytic signals of a fixed FFT length with reusable
// memory, as scipy.signal.hilbert(x, N): the FFT of x (zero-padded or
// truncated to N points), with the negative frequencies zeroed and the
// positive ones doubled, transformed back. Repeated calls allocate
// nothing. A Hilbert is not safe for concurrent use.
type Hilbert struct {
	n    int
	rfft *fft.Real
	cfft *fft.Complex
	buf  []float64    // n: the input, padded or truncated
	half []complex128 // n/2+1: its one-sided spectrum
	spec []complex128 // n: the analytic spectrum
	out  []complex128 // n: the analytic signal, for Envelope and Phase
}

// NewHilbert returns a Hilbert of FFT length n (SciPy's N), which is also
// the length of the analytic signals it returns. It panics if n < 1.
func NewHilbert(n int) *Hilbert {
	if n < 1 {
		panic("spectral: Hilbert length < 1")
	}
	return &Hilbert{
		n:    n,
		rfft: fft.NewReal(n),
		cfft: fft.NewComplex(n),
		buf:  make([]float64, n),
		half: make([]complex128, n/2+1),
		spec: make([]complex128, n),
		out:  make([]complex128, n),
	}
}

// Len returns the FFT length, the length of every result.
func (h *Hilbert) Len() int { return h.n }

// Analytic stores the analytic signal of x, x + i·H(x), in dst (allocated
// when nil, else of length Len()) and returns it. x may have any length:
// it is zero-padded or truncated to Len() as SciPy's N does. NaN or
// infinite samples are not checked here and spread to the whole result.
func (h *Hilbert) Analytic(dst []complex128, x []float64) []complex128 {
	if dst == nil {
		dst = make([]complex128, h.n)
	}
	if len(dst) != h.n {
		panic("spectral: len(dst) != Hilbert length")
	}
	m := copy(h.buf, x)
	for i := m; i < h.n; i++ {
		h.buf[i] = 0
	}
	h.rfft.Coefficients(h.half, h.buf)
	// Analytic spectrum: DC and (even n) Nyquist kept, positive
	// frequencies doubled, negative ones zero.
	pos := (h.n + 1) / 2 // bins 1 .. pos-1 are the doubled ones
	h.spec[0] = h.half[0]
	for k := 1; k < pos; k++ {
		h.spec[k] = 2 * h.half[k]
	}
	for k := pos; k < h.n; k++ {
		h.spec[k] = 0
	}
	if h.n%2 == 0 {
		h.spec[h.n/2] = h.half[h.n/2]
	}
	h.cfft.Sequence(dst, h.spec)
	inv := 1 / float64(h.n)
	for i, v := range dst {
		dst[i] = complex(real(v)*inv, imag(v)*inv)
	}
	return dst
}

// Envelope stores the amplitude envelope of x, the modulus of its
// analytic signal (numpy.abs(hilbert(x, N))), in dst (allocated when nil,
// else of length Len()) and returns it.
func (h *Hilbert) Envelope(dst []float64, x []float64) []float64 {
	return h.real(dst, x, cmplx.Abs)
}

// Phase stores the instantaneous phase of x, the angle of its analytic
// signal in (-π, π] (numpy.angle(hilbert(x, N))), in dst (allocated when
// nil, else of length Len()) and returns it. Unwrap it with Unwrap for a
// continuous phase.
func (h *Hilbert) Phase(dst []float64, x []float64) []float64 {
	return h.real(dst, x, cmplx.Phase)
}

// real maps the analytic signal of x through f into dst.
func (h *Hilbert) real(dst []float64, x []float64, f func(complex128) float64) []float64 {
	if dst == nil {
		dst = make([]float64, h.n)
	}
	if len(dst) != h.n {
		panic("spectral: len(dst) != Hilbert length")
	}
	a := h.Analytic(h.out, x)
	for i, v := range a {
		dst[i] = f(v)
	}
	return dst
}

// Unwrap removes the jumps larger than π from the phase p in place, as
// numpy.unwrap(p) with its defaults, and returns p.
func Unwrap(p []float64) []float64 {
	if len(p) == 0 {
		return p
	}
	prev := p[0]
	offset := 0.0
	for i := 1; i < len(p); i++ {
		d := p[i] - prev
		prev = p[i]
		if math.Abs(d) >= math.Pi {
			// numpy: ddmod = mod(d + π, 2π) - π (Python's mod, in
			// [0, 2π)), with -π turned to π where d > 0.
			dd := math.Mod(d+math.Pi, 2*math.Pi)
			if dd < 0 {
				dd += 2 * math.Pi
			}
			dd -= math.Pi
			if dd == -math.Pi && d > 0 {
				dd = math.Pi
			}
			offset += dd - d
		}
		p[i] += offset
	}
	return p
}

// Analytic returns the analytic signal of every channel of x, as
// scipy.signal.hilbert(x, N=n) along the last axis; n = 0 means the
// channel length. Channels may differ in length when n > 0. A NaN or
// infinite sample is an error wrapping ErrNonFinite.
func Analytic(x [][]float64, n int) ([][]complex128, error) {
	n, err := hilbertLength(x, n)
	if err != nil {
		return nil, err
	}
	out := make([][]complex128, len(x))
	workers := parallel.Workers(len(x))
	hs := make([]*Hilbert, workers)
	parallel.ForEach(len(x), workers, func(w, ch int) {
		if hs[w] == nil {
			hs[w] = NewHilbert(n)
		}
		out[ch] = hs[w].Analytic(nil, x[ch])
	})
	return out, nil
}

// Envelope returns the amplitude envelope |hilbert(x)| of every channel
// of x (see Analytic).
func Envelope(x [][]float64) ([][]float64, error) {
	return mapAnalytic(x, (*Hilbert).Envelope)
}

// Phase returns the instantaneous phase angle(hilbert(x)) of every
// channel of x, in (-π, π] (see Analytic and Unwrap).
func Phase(x [][]float64) ([][]float64, error) {
	return mapAnalytic(x, (*Hilbert).Phase)
}

// mapAnalytic runs f, a real-valued Hilbert method, over the channels.
func mapAnalytic(x [][]float64, f func(*Hilbert, []float64, []float64) []float64) ([][]float64, error) {
	n, err := hilbertLength(x, 0)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(x))
	workers := parallel.Workers(len(x))
	hs := make([]*Hilbert, workers)
	parallel.ForEach(len(x), workers, func(w, ch int) {
		if hs[w] == nil {
			hs[w] = NewHilbert(n)
		}
		out[ch] = f(hs[w], nil, x[ch])
	})
	return out, nil
}

// hilbertLength checks x and returns the FFT length: n, or the common
// channel length when n is 0.
func hilbertLength(x [][]float64, n int) (int, error) {
	if n < 0 {
		return 0, paramError("N", "must be > 0 (or 0 for the signal length), got %d", n)
	}
	if n == 0 {
		m, err := commonLength(x)
		if err != nil {
			return 0, err
		}
		n = m
	} else if len(x) == 0 {
		return 0, paramError("x", "no channels")
	}
	if err := checkFinite(x); err != nil {
		return 0, err
	}
	return n, nil
}
