package dsp

import (
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/bcikit/bcikit/dsp/internal/simd"
)

// firFFTLength chooses the FFT block length for a filter of nh taps and a
// padded signal of nx samples with MNE's _overlap_add_filter cost (number
// of multiplications plus a penalty on long blocks) over powers of two; a
// signal shorter than the filter gets one block of the next power of two
// >= 2*nh-1 (MNE takes the next 5-smooth length; the choice only changes
// rounding).
func firFFTLength(nh, nx int) int {
	minFFT := 2*nh - 1
	lo := int(math.Ceil(math.Log2(float64(minFFT))))
	if nx < minFFT {
		return 1 << lo
	}
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

// firLanes is the number of real channels one FFT pass filters: two per
// complex lane (real and imaginary parts), four lanes.
const firLanes = 2 * simd.Lanes

// firFilter is a symmetric FIR filter prepared for FFT convolution at one
// block length.
type firFilter struct {
	h    []float64
	fft  *simd.FFT4
	spec []float64 // H[k]/nfft at Forward's output positions, re/im pairs
}

// newFIRFilter prepares h for channels of up to maxLen samples. The
// filter's spectrum is computed once with gonum's real FFT.
func newFIRFilter(h []float64, maxLen int) *firFilter {
	f := &firFilter{h: h}
	if len(h) == 1 {
		return f
	}
	nEdge := max(min(len(h), maxLen)-1, 0)
	nfft := firFFTLength(len(h), maxLen+2*nEdge)
	f.fft = simd.NewFFT4(nfft)
	buf := make([]float64, nfft)
	copy(buf, h)
	half := fourier.NewFFT(nfft).Coefficients(nil, buf)
	scale := 1 / float64(nfft)
	f.spec = make([]float64, 2*nfft)
	for k := 0; k < nfft; k++ {
		c := complex(0, 0)
		if k <= nfft/2 {
			c = half[k]
		} else {
			c = cmplx.Conj(half[nfft-k])
		}
		b := f.fft.BitReverse(k)
		f.spec[2*b], f.spec[2*b+1] = real(c)*scale, imag(c)*scale
	}
	return f
}

// firWork is one worker's reusable workspace for firFilter.apply.
type firWork struct {
	in   [firLanes][]float64 // padded input span of each channel, plus nfft zeros
	out  [firLanes][]float64 // outputs; spare lanes write to scratch
	data []float64           // one FFT block, four complex lanes
	zero []float64           // input of spare lanes
	junk []float64           // output of spare lanes
}

func (f *firFilter) newWork() *firWork {
	w := &firWork{}
	if f.fft != nil {
		w.data = make([]float64, 8*f.fft.Len())
	}
	return w
}

// padReflectLimited writes into in the span of MNE's padded signal that
// reaches the output: x extended by point reflection over
// nEdge = min(nh, len(x))-1 samples ('reflect_limited') and by zeros
// beyond, half samples at each end, followed by zeros to the end of in.
// It returns the index of the first NaN or infinite sample of x, or -1.
func padReflectLimited(in, x []float64, half, nEdge int) int {
	n := len(x)
	body := in[half : half+n]
	for i, v := range x {
		if v-v != 0 {
			return i
		}
		body[i] = v
	}
	for d := 1; d <= half; d++ {
		l, r := 0.0, 0.0
		if d <= nEdge {
			l = 2*x[0] - x[d]
			r = 2*x[n-1] - x[n-1-d]
		}
		in[half-d] = l
		in[half+n-1+d] = r
	}
	clear(in[2*half+n:])
	return -1
}

// apply writes into ys the zero-phase filtering of the channels xs (at
// most firLanes, all of one length) as MNE's _overlap_add_filter(x, h,
// phase='zero', pad='reflect_limited'): each x is extended by
// min(len(h), len(x))-1 samples at both ends by point reflection, convolved
// with h and re-centred. The convolution runs by FFT overlap-save, two
// channels per complex lane; only the half filter length of padding that
// reaches the output is built. ys[i] may be xs[i]. It returns the channel
// and sample of the first NaN or infinite input, or -1, -1.
func (f *firFilter) apply(w *firWork, ys, xs [][]float64) (int, int) {
	n, nh := len(xs[0]), len(f.h)
	if n == 0 {
		return -1, -1
	}
	if nh == 1 {
		for c, x := range xs {
			if i := checkFiniteIndex(x); i >= 0 {
				return c, i
			}
			for i, v := range x {
				ys[c][i] = v * f.h[0]
			}
		}
		return -1, -1
	}
	half := (nh - 1) / 2
	nEdge := max(min(nh, n)-1, 0)
	nfft := f.fft.Len()
	span := n + 2*half + nfft
	for c, x := range xs {
		w.in[c] = grow(w.in[c], span)
		if i := padReflectLimited(w.in[c], x, half, nEdge); i >= 0 {
			return c, i
		}
		w.out[c] = ys[c]
	}
	if len(xs) < firLanes {
		w.zero = grow(w.zero, span)
		clear(w.zero)
		w.junk = grow(w.junk, n)
		for c := len(xs); c < firLanes; c++ {
			w.in[c], w.out[c] = w.zero, w.junk
		}
	}
	step := nfft - nh + 1
	data := w.data
	in, out := &w.in, &w.out
	for t0 := 0; t0 < n; t0 += step {
		// Point i holds the real parts (channels 0, 2, 4, 6) and the
		// imaginary parts (channels 1, 3, 5, 7) of the four lanes.
		s0, s1, s2, s3 := in[0][t0:t0+nfft], in[1][t0:t0+nfft], in[2][t0:t0+nfft], in[3][t0:t0+nfft]
		s4, s5, s6, s7 := in[4][t0:t0+nfft], in[5][t0:t0+nfft], in[6][t0:t0+nfft], in[7][t0:t0+nfft]
		for i := range s0 {
			d := (*[8]float64)(data[8*i : 8*i+8])
			d[0], d[1], d[2], d[3] = s0[i], s2[i], s4[i], s6[i]
			d[4], d[5], d[6], d[7] = s1[i], s3[i], s5[i], s7[i]
		}
		f.fft.Forward(data)
		simd.MulSpectrum(data, f.spec)
		f.fft.Inverse(data)
		m := min(step, n-t0)
		y0, y1, y2, y3 := out[0][t0:t0+m], out[1][t0:t0+m], out[2][t0:t0+m], out[3][t0:t0+m]
		y4, y5, y6, y7 := out[4][t0:t0+m], out[5][t0:t0+m], out[6][t0:t0+m], out[7][t0:t0+m]
		res := data[8*(nh-1):]
		for i := range y0 {
			d := (*[8]float64)(res[8*i : 8*i+8])
			y0[i], y2[i], y4[i], y6[i] = d[0], d[1], d[2], d[3]
			y1[i], y3[i], y5[i], y7[i] = d[4], d[5], d[6], d[7]
		}
	}
	return -1, -1
}

// checkFiniteIndex returns the index of the first NaN or infinite value of
// x, or -1.
func checkFiniteIndex(x []float64) int {
	for i, v := range x {
		if v-v != 0 {
			return i
		}
	}
	return -1
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
	groups := channelGroups(src, firLanes)
	err := forEachChannel(len(groups), func() func(int) error {
		w := f.newWork()
		var xs, ys [][]float64
		return func(g int) error {
			xs, ys = xs[:0], ys[:0]
			for _, ch := range groups[g] {
				xs, ys = append(xs, src[ch]), append(ys, dst[ch])
			}
			if c, i := f.apply(w, ys, xs); c >= 0 {
				ch := groups[g][c]
				return fmt.Errorf("dsp: channel %d, sample %d is %v: %w", ch, i, src[ch][i], ErrNonFinite)
			}
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}
