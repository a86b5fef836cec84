package resample

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/internal/parallel"
	"github.com/bcikit/bcikit/spectral"
	"github.com/bcikit/bcikit/spectral/fft"
)

// Auto, as FFTOptions.NPad, pads to the next power of two as MNE's
// npad='auto' does.
const Auto = -1

// FFTOptions are the options of mne.filter.resample. Start from
// FFTDefaults(): the zero FFTOptions asks for no padding.
type FFTOptions struct {
	// NPad is the number of samples added at each end before the FFT, or
	// Auto: enough to reach the next power of two of at least
	// n + 2·min(n/8, 100) samples, split between the ends as MNE does.
	NPad int
	// Window is the frequency-domain window (MNE's window, applied as
	// ifftshift(get_window(window, padded length))); the zero Window is
	// "boxcar", i.e. none.
	Window spectral.Window
	// Pad is how the ends are padded: "reflect_limited" (MNE's default:
	// odd reflection about the end samples, continued with zeros where
	// the signal is shorter than the pad), "edge" or "constant" (zeros),
	// as numpy.pad's modes of those names. "" means "reflect_limited".
	Pad string
}

// FFTDefaults returns the defaults of MNE 1.3's raw.resample: npad='auto',
// window='boxcar', pad='reflect_limited'. (mne.filter.resample itself
// defaults to npad=100.)
func FFTDefaults() FFTOptions {
	return FFTOptions{NPad: Auto, Window: spectral.Window{Name: "boxcar"}, Pad: "reflect_limited"}
}

// Length returns the length of a signal of n samples resampled by
// up/down as MNE computes it: max(round(n·up/down), 1), rounding halves
// to even as Python's round does.
func Length(n int, up, down float64) int {
	return max(int(math.RoundToEven(up/down*float64(n))), 1)
}

// FFTResampler resamples signals of one length by a real factor up/down
// in the frequency domain, as mne.filter.resample: the signal is padded,
// transformed with a real FFT of the padded length, multiplied by the
// (folded) window and the length ratio, transformed back with an inverse
// real FFT of the resampled padded length, and trimmed. It holds the FFT
// plans and scratch memory; it is not safe for concurrent use.
type FFTResampler struct {
	n, nOut       int
	padL, padR    int
	oldLen        int // n + padL + padR
	newLen        int // resampled padded length
	trimL, trimR  int
	mode          string
	nyq           int     // the bin rescaled for an even use length, or -1
	nyqScale      float64 // 2 when shortening, 0.5 when lengthening
	w             []float64
	forward       *fft.Real
	inverse       *fft.Real
	padded, yfull []float64
	spec          []complex128 // oldLen/2+1
	spec2         []complex128 // newLen/2+1
}

// NewFFTResampler returns an FFTResampler for signals of n samples,
// resampled by the ratio up/down (both finite and > 0; raw.resample uses
// up = new sfreq, down = old sfreq) with the given options.
func NewFFTResampler(n int, up, down float64, opt FFTOptions) (*FFTResampler, error) {
	if !(up > 0) || math.IsInf(up, 0) {
		return nil, paramError("up", "must be finite and > 0, got %v", up)
	}
	if !(down > 0) || math.IsInf(down, 0) {
		return nil, paramError("down", "must be finite and > 0, got %v", down)
	}
	if n < 1 {
		return nil, paramError("signal length", "must be >= 1, got %d", n)
	}
	mode := opt.Pad
	switch mode {
	case "":
		mode = "reflect_limited"
	case "reflect_limited", "edge", "constant":
	default:
		return nil, paramError("pad", "unknown mode %q (want reflect_limited, edge or constant)", mode)
	}
	ratio := up / down
	r := &FFTResampler{n: n, nOut: Length(n, up, down), mode: mode, nyq: -1}
	switch {
	case opt.NPad == Auto:
		minAdd := min(n/8, 100) * 2
		p := 1
		for p < n+minAdd {
			p *= 2
		}
		pad := p - n
		r.padL, r.padR = pad/2, pad/2+pad%2
	case opt.NPad < 0:
		return nil, paramError("npad", "must be >= 0 or Auto, got %d", opt.NPad)
	default:
		r.padL, r.padR = opt.NPad, opt.NPad
	}
	r.oldLen = n + r.padL + r.padR
	r.newLen = max(int(math.RoundToEven(ratio*float64(r.oldLen))), 1)
	r.trimL = int(math.RoundToEven(ratio * float64(r.padL)))
	r.trimR = r.newLen - r.nOut - r.trimL
	if r.trimL < 0 || r.trimR < 0 {
		return nil, paramError("up/down", "ratio %v with %d samples padded by %d+%d leaves an inconsistent trim (%d, %d)",
			ratio, n, r.padL, r.padR, r.trimL, r.trimR)
	}

	// The window: get_window(window, oldLen) (periodic), ifftshift-ed,
	// times newLen/oldLen, folded onto the one-sided spectrum.
	win := opt.Window
	if win.Name == "" {
		win.Name = "boxcar"
	}
	full, err := win.Values(nil, r.oldLen, true)
	if err != nil {
		return nil, fmt.Errorf("%w: window: %v", ErrParam, err)
	}
	scale := float64(r.newLen) / float64(r.oldLen)
	shifted := make([]float64, r.oldLen)
	for i := range shifted {
		shifted[i] = full[(i+r.oldLen/2)%r.oldLen] * scale
	}
	nf := r.oldLen/2 + 1
	r.w = make([]float64, nf)
	r.w[0] = shifted[0]
	for k := 1; k < nf; k++ {
		r.w[k] = (shifted[k] + shifted[r.oldLen-k]) / 2
	}

	shorter := r.newLen < r.oldLen
	use := r.oldLen
	r.nyqScale = 0.5
	if shorter {
		use = r.newLen
		r.nyqScale = 2
	}
	if use%2 == 0 {
		r.nyq = use / 2
	}
	r.forward = fft.NewReal(r.oldLen)
	r.inverse = fft.NewReal(r.newLen)
	r.padded = make([]float64, r.oldLen)
	r.yfull = make([]float64, r.newLen)
	r.spec = make([]complex128, nf)
	r.spec2 = make([]complex128, r.newLen/2+1)
	return r, nil
}

// Len returns the input length the FFTResampler is built for.
func (r *FFTResampler) Len() int { return r.n }

// OutLen returns the output length, Length(Len(), up, down).
func (r *FFTResampler) OutLen() int { return r.nOut }

// Pads returns the padding added before and after the signal.
func (r *FFTResampler) Pads() (before, after int) { return r.padL, r.padR }

// Apply resamples x (len(x) must be Len()) into dst (allocated when nil,
// else of length OutLen()) and returns it. It does not check x for NaN or
// infinite samples (they spread over the whole output).
func (r *FFTResampler) Apply(dst, x []float64) []float64 {
	if len(x) != r.n {
		panic(fmt.Sprintf("resample: signal of %d samples given to an FFTResampler for %d", len(x), r.n))
	}
	if dst == nil {
		dst = make([]float64, r.nOut)
	}
	if len(dst) != r.nOut {
		panic("resample: len(dst) != OutLen()")
	}
	r.pad(x)
	spec := r.forward.Coefficients(r.spec, r.padded)
	if r.nyq >= 0 && r.nyq < len(spec) {
		spec[r.nyq] *= complex(r.nyqScale, 0)
	}
	for k, w := range r.w {
		spec[k] *= complex(w, 0)
	}
	// irfft(spec, newLen): the spectrum cut or zero-extended to newLen/2+1
	// bins, normalized by 1/newLen.
	m := copy(r.spec2, spec)
	for k := m; k < len(r.spec2); k++ {
		r.spec2[k] = 0
	}
	y := r.inverse.Sequence(r.yfull, r.spec2)
	inv := 1 / float64(r.newLen)
	for i := range dst {
		dst[i] = y[r.trimL+i] * inv
	}
	return dst
}

// pad writes x with its padding into r.padded (MNE's _smart_pad).
func (r *FFTResampler) pad(x []float64) {
	n := len(x)
	p := r.padded
	copy(p[r.padL:], x)
	left, right := p[:r.padL], p[r.padL+n:]
	switch r.mode {
	case "reflect_limited":
		// left[padL-j] = 2·x[0] - x[j] for j = 1..min(padL, n-1), zeros
		// beyond; likewise on the right about x[n-1].
		for i := range left {
			j := r.padL - i
			if j < n {
				left[i] = 2*x[0] - x[j]
			} else {
				left[i] = 0
			}
		}
		for i := range right {
			j := i + 1
			if j < n {
				right[i] = 2*x[n-1] - x[n-1-j]
			} else {
				right[i] = 0
			}
		}
	case "edge":
		for i := range left {
			left[i] = x[0]
		}
		for i := range right {
			right[i] = x[n-1]
		}
	case "constant":
		for i := range left {
			left[i] = 0
		}
		for i := range right {
			right[i] = 0
		}
	}
}

// FFT resamples every channel of x (channel-major, all of one length) by
// up/down as mne.filter.resample(x, up, down, npad, window=..., pad=...)
// with the given options, running runtime.GOMAXPROCS workers over the
// channels. A NaN or infinite sample is an error wrapping ErrNonFinite.
func FFT(x [][]float64, up, down float64, opt FFTOptions) ([][]float64, error) {
	n, err := commonLength(x)
	if err != nil {
		return nil, err
	}
	r, err := NewFFTResampler(n, up, down, opt)
	if err != nil {
		return nil, err
	}
	if err := checkFinite(x); err != nil {
		return nil, err
	}
	return r.apply(x), nil
}

// apply runs r (and copies of it, one per worker) over the channels.
func (r *FFTResampler) apply(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	workers := parallel.Workers(len(x))
	rs := make([]*FFTResampler, workers)
	rs[0] = r
	parallel.ForEach(len(x), workers, func(w, ch int) {
		if rs[w] == nil {
			rs[w] = r.clone()
		}
		out[ch] = rs[w].Apply(nil, x[ch])
	})
	return out
}

// clone returns an FFTResampler with the same parameters and its own
// plans and scratch memory.
func (r *FFTResampler) clone() *FFTResampler {
	c := *r
	c.forward = fft.NewReal(r.oldLen)
	c.inverse = fft.NewReal(r.newLen)
	c.padded = make([]float64, r.oldLen)
	c.yfull = make([]float64, r.newLen)
	c.spec = make([]complex128, len(r.spec))
	c.spec2 = make([]complex128, len(r.spec2))
	return &c
}

// Stim resamples a stim (trigger) channel to nNew samples as MNE's
// _resample_stim_channels: output sample i takes the first non-zero value
// of the input window starting at floor(i/ratio), ratio = nNew/len(x), and
// ending where the next window starts, or the window's first value when
// all are zero, so that short trigger pulses survive downsampling. An
// empty x or an nNew below 1 gives an empty result.
func Stim(dst, x []float64, nNew int) []float64 {
	n := len(x)
	if n == 0 || nNew < 1 {
		return dst[:0]
	}
	ratio := float64(nNew) / float64(n)
	m := int(math.RoundToEven(float64(n) * ratio))
	if dst == nil {
		dst = make([]float64, m)
	}
	if len(dst) != m {
		panic("resample: len(dst) != resampled stim length")
	}
	pick := func(i int) int {
		return min(int(float64(i)/ratio), n-1)
	}
	for i := range dst {
		start := pick(i)
		stop := n
		if i+1 < m {
			stop = pick(i + 1)
		}
		dst[i] = x[start]
		for j := start; j < stop; j++ {
			if x[j] != 0 {
				dst[i] = x[j]
				break
			}
		}
	}
	return dst
}

// Raw resamples the channels of a continuous recording sampled at sfreq Hz
// to newSfreq Hz as MNE 1.3's raw.resample(newSfreq, npad, window, pad):
// each channel whose index is in stim with Stim, every other channel with
// FFT(x, newSfreq, sfreq, opt) (FFTDefaults() for raw.resample's
// defaults). All channels come out with Length(n, newSfreq, sfreq)
// samples. What raw.resample changes besides the samples is the caller's
// to apply to its recording: info['lowpass'] becomes min(lowpass,
// newSfreq/2), first_samp becomes round(first_samp·newSfreq/sfreq), and
// event and annotation sample indices scale by the same ratio. (A Raw
// concatenated from several files is resampled piece by piece in MNE;
// call Raw once per piece for that.)
func Raw(x [][]float64, sfreq, newSfreq float64, stim []int, opt FFTOptions) ([][]float64, error) {
	if !(sfreq > 0) || math.IsInf(sfreq, 0) {
		return nil, paramError("sfreq", "must be finite and > 0, got %v", sfreq)
	}
	if !(newSfreq > 0) || math.IsInf(newSfreq, 0) {
		return nil, paramError("new sfreq", "must be finite and > 0, got %v", newSfreq)
	}
	n, err := commonLength(x)
	if err != nil {
		return nil, err
	}
	isStim := make([]bool, len(x))
	for _, ch := range stim {
		if ch < 0 || ch >= len(x) {
			return nil, paramError("stim", "channel index %d out of range [0, %d)", ch, len(x))
		}
		isStim[ch] = true
	}
	r, err := NewFFTResampler(n, newSfreq, sfreq, opt)
	if err != nil {
		return nil, err
	}
	if err := checkFinite(x); err != nil {
		return nil, err
	}
	var data [][]float64
	var dataIdx []int
	for ch, row := range x {
		if !isStim[ch] {
			data = append(data, row)
			dataIdx = append(dataIdx, ch)
		}
	}
	out := make([][]float64, len(x))
	for i, y := range r.apply(data) {
		out[dataIdx[i]] = y
	}
	for ch, row := range x {
		if isStim[ch] {
			out[ch] = Stim(nil, row, r.nOut)
		}
	}
	return out, nil
}
