package spectral

import (
	"fmt"
	"math"
	"slices"

	"github.com/bcikit/bcikit/internal/parallel"
	"github.com/bcikit/bcikit/spectral/fft"
)

// Detrend is how each Welch segment is detrended before windowing.
type Detrend int

const (
	// DetrendConstant subtracts the segment mean (SciPy's default).
	DetrendConstant Detrend = iota
	// DetrendNone leaves the segment as it is (detrend=False).
	DetrendNone
	// DetrendLinear subtracts the least-squares line (detrend='linear').
	DetrendLinear
)

// Scaling selects the units of a Welch estimate.
type Scaling int

const (
	// Density is the power spectral density, in units²/Hz (SciPy's default).
	Density Scaling = iota
	// Spectrum is the power spectrum, in units².
	Spectrum
)

// Average is how the periodograms of the segments are combined.
type Average int

const (
	// Mean averages the periodograms (SciPy's and MNE's default).
	Mean Average = iota
	// Median takes the median of the periodograms at each frequency and
	// divides it by the bias of the median of a set of periodograms
	// relative to the mean (scipy.signal.welch(average='median')).
	Median
)

// Auto, as Options.NOverlap, asks for SciPy's default overlap of half a
// segment (nperseg//2).
const Auto = -1

// Options are the parameters of scipy.signal.welch. Start from Defaults()
// and change fields: the zero Options asks for no overlap, unlike SciPy.
type Options struct {
	// Window tapers each segment; the window is periodic (DFT-even), as
	// get_window makes it. The zero Window is "hann".
	Window Window
	// NPerSeg is the segment length; 0 means 256. As SciPy does, a
	// segment longer than the signal is shortened to the signal length.
	NPerSeg int
	// NOverlap is the number of samples shared by consecutive segments,
	// or Auto for NPerSeg/2 (after NPerSeg is shortened to the signal).
	NOverlap int
	// NFFT is the FFT length, >= NPerSeg (segments are zero-padded); 0
	// means NPerSeg.
	NFFT int
	// Detrend is applied to each segment before the window.
	Detrend Detrend
	// Scaling selects density (units²/Hz) or spectrum (units²).
	Scaling Scaling
	// Average combines the segments' periodograms.
	Average Average
}

// Defaults returns the defaults of scipy.signal.welch: Hann window, 256
// samples per segment, half overlap, nfft = nperseg, constant detrend,
// one-sided density, mean average.
func Defaults() Options {
	return Options{Window: Window{Name: "hann"}, NPerSeg: 256, NOverlap: Auto}
}

// Welcher computes Welch spectra of signals of one fixed length with one
// fixed set of parameters. It holds the window, the FFT plan and the
// scratch memory, so that repeated calls allocate nothing. A Welcher is
// not safe for concurrent use; PSDs spreads one call over its own
// workers.
type Welcher struct {
	n        int // signal length
	nperseg  int
	noverlap int
	nfft     int
	nseg     int
	win      []float64
	scale    float64
	detrend  Detrend
	average  Average
	skipBad  bool // leave out segments with a non-finite sample (MNE's nanmean)
	freqs    []float64
	first    int // first bin kept (MNE's fmin/fmax selection)
	work     []*welchWork
}

// welchWork is one worker's scratch memory.
type welchWork struct {
	fft  *fft.Real
	seg  []float64    // nfft: the detrended, windowed, zero-padded segment
	coef []complex128 // nfft/2+1: its spectrum
	acc  []float64    // nfft/2+1: sum of the periodograms (mean)
	all  []float64    // nseg*(nfft/2+1): every periodogram (median)
	col  []float64    // nseg: one frequency across the segments (median)
}

// NewWelcher returns a Welcher for signals of n samples sampled at fs Hz,
// with SciPy's rules for the parameters (scipy.signal.welch): NPerSeg is
// shortened to n, NOverlap Auto is NPerSeg/2, NFFT 0 is NPerSeg.
func NewWelcher(n int, fs float64, opt Options) (*Welcher, error) {
	if err := checkFS("fs", fs); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, paramError("signal length", "must be >= 1, got %d", n)
	}
	nperseg := opt.NPerSeg
	switch {
	case nperseg == 0:
		nperseg = 256
	case nperseg < 0:
		return nil, paramError("nperseg", "must be > 0, got %d", nperseg)
	}
	nperseg = min(nperseg, n)
	noverlap := opt.NOverlap
	if noverlap == Auto {
		noverlap = nperseg / 2
	}
	nfft := opt.NFFT
	if nfft == 0 {
		nfft = nperseg
	}
	w := &Welcher{n: n, detrend: opt.Detrend, average: opt.Average}
	if err := w.setup(fs, nperseg, noverlap, nfft, opt.Window, opt.Scaling); err != nil {
		return nil, err
	}
	// scipy.fft.rfftfreq: k * (1 / (nfft * (1/fs))).
	val := 1 / (float64(nfft) * (1 / fs))
	w.freqs = make([]float64, nfft/2+1)
	for k := range w.freqs {
		w.freqs[k] = float64(k) * val
	}
	return w, nil
}

// setup checks and stores the resolved segment parameters and the window.
func (w *Welcher) setup(fs float64, nperseg, noverlap, nfft int, win Window, scaling Scaling) error {
	switch {
	case noverlap < 0:
		return paramError("noverlap", "must be >= 0, got %d", noverlap)
	case noverlap >= nperseg:
		return paramError("noverlap", "must be less than nperseg (%d), got %d", nperseg, noverlap)
	case nfft < nperseg:
		return paramError("nfft", "must be >= nperseg (%d), got %d", nperseg, nfft)
	}
	switch w.detrend {
	case DetrendConstant, DetrendNone, DetrendLinear:
	default:
		return paramError("detrend", "unknown value %d", w.detrend)
	}
	switch w.average {
	case Mean, Median:
	default:
		return paramError("average", "unknown value %d", w.average)
	}
	values, err := win.Values(nil, nperseg, true)
	if err != nil {
		return err
	}
	var scale float64
	switch scaling {
	case Density:
		ss := 0.0
		for _, v := range values {
			ss += v * v
		}
		scale = 1 / (fs * ss)
	case Spectrum:
		s := 0.0
		for _, v := range values {
			s += v
		}
		scale = 1 / (s * s)
	default:
		return paramError("scaling", "unknown value %d", scaling)
	}
	w.nperseg, w.noverlap, w.nfft = nperseg, noverlap, nfft
	w.nseg = (w.n - noverlap) / (nperseg - noverlap)
	w.win, w.scale = values, scale
	return nil
}

// Len returns the signal length the Welcher is built for.
func (w *Welcher) Len() int { return w.n }

// Freqs returns the frequencies of the spectrum bins, in Hz. The slice
// belongs to the Welcher; do not modify it.
func (w *Welcher) Freqs() []float64 { return w.freqs }

// Segments returns the number of segments averaged.
func (w *Welcher) Segments() int { return w.nseg }

// NPerSeg returns the segment length in use (after shortening).
func (w *Welcher) NPerSeg() int { return w.nperseg }

// NOverlap returns the overlap in use.
func (w *Welcher) NOverlap() int { return w.noverlap }

// NFFT returns the FFT length in use.
func (w *Welcher) NFFT() int { return w.nfft }

// worker returns the scratch memory of worker i, making it on first use.
func (w *Welcher) worker(i int) *welchWork {
	for len(w.work) <= i {
		w.work = append(w.work, nil)
	}
	if w.work[i] == nil {
		nf := w.nfft/2 + 1
		ww := &welchWork{
			fft:  fft.NewReal(w.nfft),
			seg:  make([]float64, w.nfft),
			coef: make([]complex128, nf),
			acc:  make([]float64, nf),
		}
		if w.average == Median {
			ww.all = make([]float64, w.nseg*nf)
			ww.col = make([]float64, w.nseg)
		}
		w.work[i] = ww
	}
	return w.work[i]
}

// PSD computes the spectrum of one signal x (len(x) must be Len()) into
// dst, which is allocated when nil and must otherwise have len(Freqs()).
// It does not check x for NaN or infinite samples: they propagate to the
// result as they do in SciPy (PSDs and Welch check).
func (w *Welcher) PSD(dst, x []float64) []float64 {
	return w.psd(w.worker(0), dst, x)
}

// PSDs computes the spectra of every channel of x into dst (allocated when
// nil), running runtime.GOMAXPROCS workers over the channels. It reports a
// NaN or infinite sample as an error wrapping ErrNonFinite that names the
// channel and the sample (unless the Welcher was made by NewMNEWelcher
// with SkipNonFinite).
func (w *Welcher) PSDs(dst, x [][]float64) ([][]float64, error) {
	for ch, row := range x {
		if len(row) != w.n {
			return nil, paramError("signal length", "channel %d has %d samples, the Welcher was made for %d", ch, len(row), w.n)
		}
	}
	if !w.skipBad {
		if err := checkFinite(x); err != nil {
			return nil, err
		}
	}
	if dst == nil {
		dst = make([][]float64, len(x))
	}
	if len(dst) != len(x) {
		panic("spectral: len(dst) != len(x)")
	}
	workers := parallel.Workers(len(x))
	for i := range workers {
		w.worker(i)
	}
	parallel.ForEach(len(x), workers, func(worker, ch int) {
		dst[ch] = w.psd(w.work[worker], dst[ch], x[ch])
	})
	return dst, nil
}

// psd is PSD with explicit scratch memory.
func (w *Welcher) psd(ww *welchWork, dst, x []float64) []float64 {
	if len(x) != w.n {
		panic(fmt.Sprintf("spectral: signal of %d samples given to a Welcher for %d", len(x), w.n))
	}
	nf := w.nfft/2 + 1
	kept := len(w.freqs)
	if dst == nil {
		dst = make([]float64, kept)
	}
	if len(dst) != kept {
		panic("spectral: len(dst) != len(Freqs())")
	}
	for i := range ww.acc {
		ww.acc[i] = 0
	}
	step := w.nperseg - w.noverlap
	used := 0
	for s := range w.nseg {
		seg := x[s*step : s*step+w.nperseg]
		if w.skipBad && !finite(seg) {
			continue
		}
		w.periodogram(ww, seg)
		if w.average == Median {
			row := ww.all[used*nf : (used+1)*nf]
			for k, c := range ww.coef {
				row[k] = w.power(k, c)
			}
		} else {
			for k, c := range ww.coef {
				ww.acc[k] += w.power(k, c)
			}
		}
		used++
	}
	for i := range dst {
		k := w.first + i
		switch {
		case used == 0:
			dst[i] = math.NaN()
		case w.average == Median:
			col := ww.col[:used]
			for s := range col {
				col[s] = ww.all[s*nf+k]
			}
			dst[i] = median(col) / medianBias(used)
		default:
			dst[i] = ww.acc[k] / float64(used)
		}
	}
	return dst
}

// power is the scaled one-sided periodogram value of bin k: |c|² times the
// scale, doubled except at DC and (for even nfft) at Nyquist.
func (w *Welcher) power(k int, c complex128) float64 {
	p := (real(c)*real(c) + imag(c)*imag(c)) * w.scale
	if k > 0 && (w.nfft%2 == 1 || k < w.nfft/2) {
		p *= 2
	}
	return p
}

// periodogram detrends and windows seg into ww.seg, zero-pads it to nfft
// and leaves its FFT in ww.coef.
func (w *Welcher) periodogram(ww *welchWork, seg []float64) {
	buf := ww.seg[:len(seg)]
	copy(buf, seg)
	switch w.detrend {
	case DetrendConstant:
		removeMean(buf)
	case DetrendLinear:
		removeLine(buf)
	}
	for i, v := range w.win {
		buf[i] *= v
	}
	for i := len(seg); i < len(ww.seg); i++ {
		ww.seg[i] = 0
	}
	ww.fft.Coefficients(ww.coef, ww.seg)
}

// removeMean subtracts the mean of x from x.
func removeMean(x []float64) {
	s := 0.0
	for _, v := range x {
		s += v
	}
	m := s / float64(len(x))
	for i := range x {
		x[i] -= m
	}
}

// removeLine subtracts the least-squares line through x (scipy.signal.detrend
// type='linear'), computed about the centre of the segment for accuracy.
func removeLine(x []float64) {
	n := len(x)
	if n < 2 {
		removeMean(x)
		return
	}
	c := float64(n-1) / 2
	s := 0.0
	for _, v := range x {
		s += v
	}
	mean := s / float64(n)
	var sxy, sxx float64
	for i, v := range x {
		t := float64(i) - c
		sxy += t * (v - mean)
		sxx += t * t
	}
	slope := sxy / sxx
	for i := range x {
		x[i] -= mean + slope*(float64(i)-c)
	}
}

// median returns the median of x, reordering x; for an even count it is
// the mean of the two middle values, as numpy.median.
func median(x []float64) float64 {
	slices.Sort(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}

// medianBias is the bias of the median of n periodograms relative to their
// mean (scipy.signal._spectral_py._median_bias, after Allen et al.,
// FINDCHIRP, Phys. Rev. D 85, 2012, appendix B).
func medianBias(n int) float64 {
	s := 0.0
	for k := 1; k <= (n-1)/2; k++ {
		ii := 2 * float64(k)
		s += 1/(ii+1) - 1/ii
	}
	return 1 + s
}

// finite reports whether every sample of x is finite.
func finite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// Welch computes the Welch spectrum of every channel of x (channel-major,
// all channels of one length) sampled at fs Hz, as scipy.signal.welch(x,
// fs, ...) with the given options. A NaN or infinite sample is an error
// wrapping ErrNonFinite that names the channel and the sample.
func Welch(x [][]float64, fs float64, opt Options) (*PSD, error) {
	n, err := commonLength(x)
	if err != nil {
		return nil, err
	}
	w, err := NewWelcher(n, fs, opt)
	if err != nil {
		return nil, err
	}
	p, err := w.PSDs(nil, x)
	if err != nil {
		return nil, err
	}
	return &PSD{Freqs: slices.Clone(w.Freqs()), Power: p}, nil
}

// commonLength returns the length shared by every channel of x.
func commonLength(x [][]float64) (int, error) {
	if len(x) == 0 {
		return 0, paramError("x", "no channels")
	}
	n := len(x[0])
	for ch, row := range x {
		if len(row) != n {
			return 0, paramError("x", "channel %d has %d samples, channel 0 has %d", ch, len(row), n)
		}
	}
	if n == 0 {
		return 0, paramError("x", "no samples")
	}
	return n, nil
}
