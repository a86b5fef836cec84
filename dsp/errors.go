package dsp

import "errors"

var (
	// ErrParam is wrapped by every error about a bad filter parameter:
	// an order, a frequency, a ripple, a sampling frequency or a length.
	ErrParam = errors.New("dsp: invalid parameter")
	// ErrTooShort is wrapped when a signal is too short for the padding a
	// zero-phase filter needs (SciPy's padlen rule).
	ErrTooShort = errors.New("dsp: signal too short")
	// ErrNonFinite is wrapped when an input sample is NaN or infinite; the
	// error names the channel and the sample.
	ErrNonFinite = errors.New("dsp: non-finite sample")
)
