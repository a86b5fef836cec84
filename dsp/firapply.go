package dsp

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// nextFastLen returns the smallest 5-smooth integer >= target, as
// mne.filter.next_fast_len.
func nextFastLen(target int) int {
	if target <= 6 || target&(target-1) == 0 {
		return target
	}
	best := math.MaxInt
	for p5 := 1; p5 < 2*target; p5 *= 5 {
		for p35 := p5; p35 < 2*target; p35 *= 3 {
			n := p35
			for n < target {
				n *= 2
			}
			if n < best {
				best = n
			}
		}
	}
	return best
}

// firFFTLength chooses the FFT block length of MNE's _overlap_add_filter
// for a filter of nh taps and a padded signal of nx samples: the power of
// two minimizing MNE's multiplication-count cost, or one block when the
// signal is shorter than the filter.
func firFFTLength(nh, nx int) int {
	minFFT := 2*nh - 1
	if nx < minFFT {
		return nextFastLen(minFFT)
	}
	lo := int(math.Ceil(math.Log2(float64(minFFT))))
	hi := int(math.Ceil(math.Log2(float64(nx))))
	best, bestCost := 0, math.Inf(1)
	for e := lo; e <= hi; e++ {
		n := 1 << e
		cost := math.Ceil(float64(nx)/float64(n-nh+1))*float64(n)*(float64(e)+1) + 4e-5*float64(n)*float64(nx)
		if cost < bestCost {
			best, bestCost = n, cost
		}
	}
	return best
}

// firFilter is a symmetric FIR filter prepared for FFT convolution at one
// block length: its spectrum, scaled by 1/nfft for gonum's unnormalized
// inverse transform.
type firFilter struct {
	h    []float64
	nfft int
	spec []complex128
}

// newFIRFilter prepares h for channels of up to maxLen samples.
func newFIRFilter(h []float64, maxLen int) *firFilter {
	f := &firFilter{h: h}
	if len(h) == 1 {
		return f
	}
	nEdge := max(min(len(h), maxLen)-1, 0)
	f.nfft = firFFTLength(len(h), maxLen+2*nEdge)
	fft := fourier.NewFFT(f.nfft)
	buf := make([]float64, f.nfft)
	copy(buf, h)
	f.spec = fft.Coefficients(nil, buf)
	s := 1 / float64(f.nfft)
	for i := range f.spec {
		f.spec[i] *= complex(s, 0)
	}
	return f
}

// firWork is one worker's reusable workspace for firFilter.apply.
type firWork struct {
	fft  *fourier.FFT
	in   []float64 // padded input span
	seg  []float64 // one FFT block
	coef []complex128
}

func (f *firFilter) newWork() *firWork {
	if f.nfft == 0 {
		return &firWork{}
	}
	return &firWork{
		fft:  fourier.NewFFT(f.nfft),
		seg:  make([]float64, f.nfft),
		coef: make([]complex128, f.nfft/2+1),
	}
}

// apply writes into y the zero-phase filtering of x as MNE's
// _overlap_add_filter(x, h, phase='zero', pad='reflect_limited'): x is
// extended by min(len(h), len(x))-1 samples at each end by point
// reflection (zeros beyond), convolved with h and re-centred. The
// convolution runs by FFT overlap-save; only the half filter length of
// padding that reaches the output is built. y may be x.
func (f *firFilter) apply(w *firWork, y, x []float64) {
	n, nh := len(x), len(f.h)
	if n == 0 {
		return
	}
	if nh == 1 {
		for i, v := range x {
			y[i] = v * f.h[0]
		}
		return
	}
	half := (nh - 1) / 2
	nEdge := max(min(nh, n)-1, 0)

	// in[j] is the padded signal at index j - half relative to x[0]:
	// MNE's x_ext[nEdge + j - half], zero outside x_ext.
	w.in = grow(w.in, n+2*half)
	in := w.in
	for j := 0; j < half; j++ {
		// Left side: offset d = half - j samples before x[0].
		d := half - j
		if d <= nEdge {
			in[j] = 2*x[0] - x[d]
		} else {
			in[j] = 0
		}
	}
	copy(in[half:half+n], x)
	for j := 0; j < half; j++ {
		d := j + 1 // samples after x[n-1]
		if d <= nEdge {
			in[half+n+j] = 2*x[n-1] - x[n-1-d]
		} else {
			in[half+n+j] = 0
		}
	}

	// Overlap-save: each block of nfft inputs yields nfft-nh+1 outputs.
	step := f.nfft - nh + 1
	seg := w.seg
	for t0 := 0; t0 < n; t0 += step {
		m := copy(seg, in[t0:])
		for i := m; i < len(seg); i++ {
			seg[i] = 0
		}
		w.fft.Coefficients(w.coef, seg)
		for i, c := range f.spec {
			w.coef[i] *= c
		}
		w.fft.Sequence(seg, w.coef)
		copy(y[t0:min(t0+step, n)], seg[nh-1:])
	}
}

// ApplyFIR filters every channel of src with the symmetric (zero-phase) FIR
// filter h as MNE's _overlap_add_filter with phase='zero' and
// pad='reflect_limited' (the FIR path of mne.filter.filter_data), and
// returns the result in dst (allocated when nil; dst may be src). h must
// have an odd length. Channels are filtered in parallel by FFT
// overlap-save.
func ApplyFIR(dst, src [][]float64, h []float64) ([][]float64, error) {
	if len(h)%2 == 0 {
		return nil, fmt.Errorf("dsp: apply FIR: filter length %d must be odd for zero phase: %w", len(h), ErrParam)
	}
	for i, v := range h {
		if v-v != 0 {
			return nil, fmt.Errorf("dsp: apply FIR: coefficient %d = %v is not finite: %w", i, v, ErrParam)
		}
	}
	dst = prepareDst(dst, src)
	maxLen := 0
	for _, x := range src {
		maxLen = max(maxLen, len(x))
	}
	f := newFIRFilter(h, maxLen)
	err := forEachChannel(len(src), func() func(int) error {
		w := f.newWork()
		return func(ch int) error {
			if err := checkFinite(src[ch], ch); err != nil {
				return err
			}
			f.apply(w, dst[ch], src[ch])
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}
