package dsp

import (
	"fmt"
	"math"
	"math/cmplx"
	"unsafe"

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

// maxLaneFFT is the largest block length filtered eight channels at a time
// (the block then takes 64 bytes a point, 8 MiB); longer filters run
// channel by channel on gonum's real FFT, 8 bytes a point.
var maxLaneFFT = 1 << 17

// firFilter is a symmetric FIR filter prepared for FFT convolution at one
// block length: for the lane FFT (fft, spec) or, for very long filters,
// for gonum's real FFT (nfft, rspec).
type firFilter struct {
	h     []float64
	fft   *simd.FFT4
	spec  []float64 // H[k]/nfft at Forward's output positions, re/im pairs
	nfft  int
	rspec []complex128 // H[k]/nfft, k <= nfft/2
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
	f.nfft = nfft
	buf := make([]float64, nfft)
	copy(buf, h)
	half := fourier.NewFFT(nfft).Coefficients(nil, buf)
	scale := 1 / float64(nfft)
	if nfft > maxLaneFFT {
		for i := range half {
			half[i] *= complex(scale, 0)
		}
		f.rspec = half
		return f
	}
	f.fft = simd.NewFFT4(nfft)
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
	x     [firLanes][]float64 // inputs; spare lanes read zeros
	own   [firLanes][]float64 // copies of inputs that alias their output
	left  [firLanes][]float64 // padding before x[0]
	right [firLanes][]float64 // padding after x[n-1], then nfft zeros
	out   [firLanes][]float64 // outputs; spare lanes write to scratch
	data  []float64           // one FFT block, four complex lanes
	zero  []float64           // input of spare lanes
	junk  []float64           // output of spare lanes

	// The channel-by-channel path of very long filters.
	rfft *fourier.FFT
	in   []float64 // padded span of one channel, plus nfft zeros
	seg  []float64
	coef []complex128
}

func (f *firFilter) newWork() *firWork {
	w := &firWork{}
	switch {
	case f.fft != nil:
		w.data = make([]float64, 8*f.fft.Len())
	case f.rspec != nil:
		w.rfft = fourier.NewFFT(f.nfft)
		w.seg = make([]float64, f.nfft)
		w.coef = make([]complex128, f.nfft/2+1)
	}
	return w
}

// applyLong is apply for one channel on gonum's real FFT (very long
// filters): the same padding and overlap-save blocks.
func (f *firFilter) applyLong(w *firWork, y, x []float64) int {
	n, nh := len(x), len(f.h)
	half := (nh - 1) / 2
	nEdge := max(min(nh, n)-1, 0)
	w.in = grow(w.in, n+2*half+f.nfft)
	in := w.in
	if i := checkFiniteIndex(x); i >= 0 {
		return i
	}
	reflectLimited(in[:half], in[half+n:], x, half, nEdge)
	copy(in[half:half+n], x)
	step := f.nfft - nh + 1
	for t0 := 0; t0 < n; t0 += step {
		copy(w.seg, in[t0:t0+f.nfft])
		w.rfft.Coefficients(w.coef, w.seg)
		for i, c := range f.rspec {
			w.coef[i] *= c
		}
		w.rfft.Sequence(w.seg, w.coef)
		copy(y[t0:min(t0+step, n)], w.seg[nh-1:])
	}
	return -1
}

// reflectLimited writes the padding of MNE's 'reflect_limited' mode that
// reaches a zero-phase output: left[half-d] and right[d-1] hold the points
// d samples before x[0] and after x[n-1] reflected through them,
// 2*x[0] - x[d] and 2*x[n-1] - x[n-1-d], for d <= nEdge = min(nh, n)-1,
// and zeros beyond; right continues with zeros to its end.
func reflectLimited(left, right, x []float64, half, nEdge int) {
	n := len(x)
	for d := 1; d <= half; d++ {
		l, r := 0.0, 0.0
		if d <= nEdge {
			l = 2*x[0] - x[d]
			r = 2*x[n-1] - x[n-1-d]
		}
		left[half-d] = l
		right[d-1] = r
	}
	clear(right[half:])
}

// apply writes into ys the zero-phase filtering of the channels xs (at
// most firLanes, all of one length) as MNE's _overlap_add_filter(x, h,
// phase='zero', pad='reflect_limited'): each x is extended by
// min(len(h), len(x))-1 samples at both ends by point reflection, convolved
// with h and re-centred. The convolution runs by FFT overlap-save, two
// channels per complex lane; of the padding only the half filter length
// that reaches the output is built. ys[i] may be xs[i]. It returns the
// channel and sample of a NaN or infinite input (then ys is incomplete),
// or -1, -1.
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
	if f.rspec != nil {
		for c, x := range xs {
			if overlaps(x, ys[c]) {
				w.own[c] = append(w.own[c][:0], x...)
				x = w.own[c]
			}
			if i := f.applyLong(w, ys[c], x); i >= 0 {
				return c, i
			}
		}
		return -1, -1
	}
	half := (nh - 1) / 2
	nEdge := max(min(nh, n)-1, 0)
	nfft := f.fft.Len()
	if len(xs) < firLanes {
		w.zero, w.junk = grow(w.zero, n), grow(w.junk, n)
		clear(w.zero)
	}
	for c := range w.x {
		if c < len(xs) {
			w.x[c], w.out[c] = xs[c], ys[c]
			if overlaps(xs[c], ys[c]) {
				// Blocks read ahead of the outputs they write.
				w.own[c] = append(w.own[c][:0], xs[c]...)
				w.x[c] = w.own[c]
			}
		} else {
			w.x[c], w.out[c] = w.zero, w.junk
		}
		w.left[c], w.right[c] = grow(w.left[c], half), grow(w.right[c], half+nfft)
		reflectLimited(w.left[c], w.right[c], w.x[c], half, nEdge)
	}
	step := nfft - nh + 1
	data := w.data
	for t0 := 0; t0 < n; t0 += step {
		// The block holds padded indices j = t0 .. t0+nfft-1: left padding
		// below half, x from half to half+n, right padding after.
		end := t0 + nfft
		if lo, hi := t0, min(end, half); lo < hi {
			gather8(data[8*(lo-t0):], &w.left, lo, hi-lo)
		}
		if lo, hi := max(t0, half), min(end, half+n); lo < hi {
			if c, i := gather8Checked(data[8*(lo-t0):], &w.x, lo-half, hi-lo); c >= 0 {
				return c, i
			}
		}
		if lo, hi := max(t0, half+n), end; lo < hi {
			gather8(data[8*(lo-t0):], &w.right, lo-half-n, hi-lo)
		}
		f.fft.Forward(data)
		simd.MulSpectrum(data, f.spec)
		f.fft.Inverse(data)
		scatter8(&w.out, t0, min(step, n-t0), data[8*(nh-1):])
	}
	return -1, -1
}

// gather8 writes points 0..m-1 of data from src[c][off : off+m]: point i
// holds the real parts (channels 0, 2, 4, 6) and then the imaginary parts
// (channels 1, 3, 5, 7) of the four complex lanes.
func gather8(data []float64, src *[firLanes][]float64, off, m int) {
	s0, s1, s2, s3 := src[0][off:off+m], src[1][off:off+m], src[2][off:off+m], src[3][off:off+m]
	s4, s5, s6, s7 := src[4][off:off+m], src[5][off:off+m], src[6][off:off+m], src[7][off:off+m]
	data = data[:8*m]
	for i := range s0 {
		d := (*[8]float64)(data[8*i : 8*i+8])
		d[0], d[1], d[2], d[3] = s0[i], s2[i], s4[i], s6[i]
		d[4], d[5], d[6], d[7] = s1[i], s3[i], s5[i], s7[i]
	}
}

// gather8Checked is gather8 that also checks every value, returning the
// channel and index (in src) of the first NaN or infinity, or -1, -1.
func gather8Checked(data []float64, src *[firLanes][]float64, off, m int) (int, int) {
	s0, s1, s2, s3 := src[0][off:off+m], src[1][off:off+m], src[2][off:off+m], src[3][off:off+m]
	s4, s5, s6, s7 := src[4][off:off+m], src[5][off:off+m], src[6][off:off+m], src[7][off:off+m]
	data = data[:8*m]
	for i := range s0 {
		v0, v1, v2, v3, v4, v5, v6, v7 := s0[i], s1[i], s2[i], s3[i], s4[i], s5[i], s6[i], s7[i]
		// v-v is 0 for a finite v and NaN otherwise.
		if (v0-v0)+(v1-v1)+(v2-v2)+(v3-v3)+(v4-v4)+(v5-v5)+(v6-v6)+(v7-v7) != 0 {
			for c, s := range src {
				if v := s[off+i]; v-v != 0 {
					return c, off + i
				}
			}
		}
		d := (*[8]float64)(data[8*i : 8*i+8])
		d[0], d[1], d[2], d[3] = v0, v2, v4, v6
		d[4], d[5], d[6], d[7] = v1, v3, v5, v7
	}
	return -1, -1
}

// scatter8 writes dst[c][t0 : t0+m] from points 0..m-1 of data, the
// inverse of gather8's layout.
func scatter8(dst *[firLanes][]float64, t0, m int, data []float64) {
	y0, y1, y2, y3 := dst[0][t0:t0+m], dst[1][t0:t0+m], dst[2][t0:t0+m], dst[3][t0:t0+m]
	y4, y5, y6, y7 := dst[4][t0:t0+m], dst[5][t0:t0+m], dst[6][t0:t0+m], dst[7][t0:t0+m]
	data = data[:8*m]
	for i := range y0 {
		d := (*[8]float64)(data[8*i : 8*i+8])
		y0[i], y2[i], y4[i], y6[i] = d[0], d[1], d[2], d[3]
		y1[i], y3[i], y5[i], y7[i] = d[4], d[5], d[6], d[7]
	}
}

// overlaps reports whether a and b share memory.
func overlaps(a, b []float64) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	a0, b0 := uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&b[0]))
	return a0 < b0+uintptr(8*len(b)) && b0 < a0+uintptr(8*len(a))
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
