// Package dsp designs digital filters and applies them to multichannel
// signals held as channel-major [][]float64 (one slice per channel).
//
// Designs and filtering agree with SciPy 1.10 and MNE-Python 1.3:
//
//   - IIR design in second-order sections: Butter, Cheby1, Cheby2 and Ellip
//     (scipy.signal.butter/cheby1/cheby2/ellip with output='sos'), IIRNotch.
//   - FIR design: FirWin (scipy.signal.firwin) and CreateFilter (the
//     default FIR design of mne.filter.create_filter).
//   - Filtering: SOSFilt with carried state, SOSFiltFilt, LFilter,
//     FiltFilt, FFT overlap-add convolution, and the array-level MNE
//     functions FilterData and NotchFilter.
//
// Frequencies are in the units of the sampling frequency fs (Hz). Bad
// parameters are reported as errors wrapping ErrParam; a signal too short
// for the requested padding wraps ErrTooShort, and a NaN or infinite sample
// wraps ErrNonFinite and names its channel and sample. Channels are
// filtered in parallel by a pool of runtime.GOMAXPROCS workers.
package dsp
