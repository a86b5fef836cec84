// Package spectral estimates power spectra and analytic signals of
// multichannel signals held as channel-major [][]float64 (one slice per
// channel), with the numbers of SciPy 1.10 and MNE-Python 1.3:
//
//   - Welch's method: Welch and the reusable Welcher, equal to
//     scipy.signal.welch (Defaults() are its defaults: Hann window, 256
//     samples per segment shortened to the signal, half overlap, constant
//     detrend, one-sided density, mean), with options for the window,
//     segment, overlap, FFT length, detrend, scaling and average.
//   - MNE's Welch: PSDArrayWelch and NewMNEWelcher, equal to
//     mne.time_frequency.psd_array_welch, and ComputePSD, equal to MNE
//     1.3's raw.compute_psd() (method='welch'); MNEDefaults() are the
//     defaults of both: n_fft=256, n_overlap=0, n_per_seg=None, Hamming
//     window, mean, fmin=0, fmax=inf. (The n_fft=2048 default seen in MNE
//     plots is raw.plot_psd's legacy default, not compute_psd's.)
//   - Band power: BandPower integrates a spectrum over [fmin, fmax] with
//     the trapezoidal rule (scipy.integrate.trapezoid over the bins in
//     the band) or averages its bins (MeanBins).
//   - Analytic signal: Analytic and the reusable Hilbert, equal to
//     scipy.signal.hilbert(x, N); Envelope and Phase for the amplitude
//     envelope and the instantaneous phase, Unwrap as numpy.unwrap.
//
// FFTs of every length come from the sub-package spectral/fft: gonum's
// FFTPACK for lengths with small factors, Bluestein's algorithm for lengths
// with a large prime factor (a prime signal length for Hilbert, say), so
// no length is pathologically slow.
//
// Channels are processed in parallel by runtime.GOMAXPROCS workers, each
// with its own FFT plan and scratch memory; the Welcher and Hilbert
// workspaces allocate nothing per call once sized. Bad parameters are
// errors wrapping ErrParam that name the parameter; a NaN or infinite
// sample is an error wrapping ErrNonFinite that names its channel and
// index.
package spectral
