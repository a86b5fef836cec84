// Package resample changes the sampling rate of multichannel signals held
// as channel-major [][]float64 (one slice per channel), with the numbers
// of SciPy 1.10 and MNE-Python 1.3:
//
//   - Polyphase filtering: Poly, PolyChannels and the reusable Polyphase,
//     equal to scipy.signal.resample_poly(x, up, down) (Kaiser window with
//     beta 5, zero padding, factors reduced by their gcd, filter of
//     20·max(up, down)+1 taps designed by dsp.FirWin).
//   - FFT resampling: FFT and the reusable FFTResampler, equal to
//     mne.filter.resample(x, up, down, npad, window, pad), and Raw, equal
//     to MNE's raw.resample(sfreq) with FFTDefaults() (npad='auto',
//     window='boxcar', pad='reflect_limited'), with Stim for trigger
//     channels and Length for MNE's output length.
//
// Channels are resampled in parallel by runtime.GOMAXPROCS workers. Bad
// parameters are errors wrapping ErrParam that name the parameter; a NaN
// or infinite sample is an error wrapping ErrNonFinite that names its
// channel and index.
package resample
