package spectral

import (
	"math"
	"slices"
)

// MNEOptions are the parameters of MNE-Python's
// mne.time_frequency.psd_array_welch. Start from MNEDefaults() and change
// fields: the zero MNEOptions has FMax 0.
type MNEOptions struct {
	// FMin and FMax select the bins kept: those with FMin <= f <= FMax.
	FMin, FMax float64
	// NFFT is the FFT length (n_fft).
	NFFT int
	// NOverlap is the overlap of consecutive segments (n_overlap).
	NOverlap int
	// NPerSeg is the segment length (n_per_seg); 0 means None, i.e. NFFT.
	// A value above NFFT is lowered to NFFT and one above the signal
	// length to the signal length, as MNE does.
	NPerSeg int
	// Average combines the segments' periodograms.
	Average Average
	// Window tapers each segment (periodic, as get_window makes it).
	Window Window
	// SkipNonFinite leaves segments that hold a NaN or infinite sample out
	// of the average instead of reporting an error, as MNE's nanmean and
	// nanmedian do. raw.compute_psd() (reject_by_annotation=True) sets the
	// samples of BAD_ annotations to NaN: write NaN into those spans and
	// set SkipNonFinite to get its result. A bin with no segment left is
	// NaN.
	SkipNonFinite bool
}

// MNEDefaults returns the defaults of psd_array_welch, which are also
// those that MNE 1.3's raw.compute_psd() (method='welch') passes on:
// FMin 0, FMax +Inf, NFFT 256, NOverlap 0, NPerSeg None (= NFFT), mean
// average, Hamming window. Unlike SciPy's welch, MNE does not shorten
// NFFT to a short signal: a signal shorter than 256 samples is an error
// with these options.
func MNEDefaults() MNEOptions {
	return MNEOptions{FMax: math.Inf(1), NFFT: 256, Window: Window{Name: "hamming"}}
}

// NewMNEWelcher returns a Welcher for signals of n samples at sfreq Hz
// with MNE's rules for the parameters (psd_array_welch and its
// _check_nfft): constant detrend, density scaling, one-sided, and only the
// bins between FMin and FMax in the output.
func NewMNEWelcher(n int, sfreq float64, opt MNEOptions) (*Welcher, error) {
	if err := checkFS("sfreq", sfreq); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, paramError("signal length", "must be >= 1, got %d", n)
	}
	if math.IsNaN(opt.FMin) || math.IsInf(opt.FMin, 0) {
		return nil, paramError("fmin", "must be finite, got %v", opt.FMin)
	}
	if math.IsNaN(opt.FMax) {
		return nil, paramError("fmax", "must not be NaN")
	}
	if opt.FMin > opt.FMax {
		return nil, paramError("fmin", "%v is above fmax %v", opt.FMin, opt.FMax)
	}
	nfft := opt.NFFT
	if nfft < 1 {
		return nil, paramError("n_fft", "must be >= 1, got %d", nfft)
	}
	if opt.NPerSeg < 0 {
		return nil, paramError("n_per_seg", "must be > 0 (or 0 for None), got %d", opt.NPerSeg)
	}
	if opt.NPerSeg == 0 && nfft > n {
		return nil, paramError("n_fft", "%d is above the signal length %d and n_per_seg is None (MNE pads only when n_per_seg is set)", nfft, n)
	}
	nperseg := opt.NPerSeg
	if nperseg == 0 || nperseg > nfft {
		nperseg = nfft
	}
	nperseg = min(nperseg, n)
	if opt.NOverlap >= nperseg {
		return nil, paramError("n_overlap", "must be less than n_per_seg (%d), got %d", nperseg, opt.NOverlap)
	}
	w := &Welcher{n: n, detrend: DetrendConstant, average: opt.Average, skipBad: opt.SkipNonFinite}
	if err := w.setup(sfreq, nperseg, opt.NOverlap, nfft, opt.Window, Density); err != nil {
		return nil, err
	}
	// MNE: freqs = arange(n_fft // 2 + 1) * (sfreq / n_fft), then the
	// contiguous run from the first to the last bin in [fmin, fmax].
	df := sfreq / float64(nfft)
	first, last := -1, -1
	for k := range nfft/2 + 1 {
		f := float64(k) * df
		if f >= opt.FMin && f <= opt.FMax {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	if first < 0 {
		return nil, paramError("fmin/fmax", "no frequencies found between fmin=%v and fmax=%v", opt.FMin, opt.FMax)
	}
	w.first = first
	w.freqs = make([]float64, last-first+1)
	for i := range w.freqs {
		w.freqs[i] = float64(first+i) * df
	}
	return w, nil
}

// PSDArrayWelch computes the Welch PSD of every channel of x sampled at
// sfreq Hz as mne.time_frequency.psd_array_welch(x, sfreq, ...) with the
// given options (MNEDefaults() for its defaults).
func PSDArrayWelch(x [][]float64, sfreq float64, opt MNEOptions) (*PSD, error) {
	n, err := commonLength(x)
	if err != nil {
		return nil, err
	}
	w, err := NewMNEWelcher(n, sfreq, opt)
	if err != nil {
		return nil, err
	}
	p, err := w.PSDs(nil, x)
	if err != nil {
		return nil, err
	}
	return &PSD{Freqs: slices.Clone(w.Freqs()), Power: p}, nil
}

// ComputePSD is what MNE 1.3's raw.compute_psd(method='welch', fmin, fmax,
// **kwargs) computes from the picked channels x of a recording sampled at
// sfreq Hz: PSDArrayWelch, after rejecting a finite FMax above the Nyquist
// frequency as compute_psd does. Pass MNEDefaults() for compute_psd's
// defaults; see MNEOptions.SkipNonFinite for BAD_ annotations.
func ComputePSD(x [][]float64, sfreq float64, opt MNEOptions) (*PSD, error) {
	if err := checkFS("sfreq", sfreq); err != nil {
		return nil, err
	}
	if !math.IsInf(opt.FMax, 0) && opt.FMax > sfreq/2 {
		return nil, paramError("fmax", "%v Hz is above half the sampling frequency (%v Hz)", opt.FMax, sfreq/2)
	}
	return PSDArrayWelch(x, sfreq, opt)
}
