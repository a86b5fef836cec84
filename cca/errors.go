package cca

import "errors"

var (
	// ErrShape reports empty, ragged or mismatched signals, labels that do
	// not match the trials, trials unlike those Fit saw, or too few samples
	// for the number of variables.
	ErrShape = errors.New("cca: shape mismatch")

	// ErrNonFinite reports a NaN or infinite sample (or one so large that
	// its square overflows).
	ErrNonFinite = errors.New("cca: non-finite value")

	// ErrFlat reports a signal none of whose variables varies: it has no
	// canonical correlation.
	ErrFlat = errors.New("cca: signal without variance")

	// ErrParam reports an invalid setting: sampling rate, harmonics,
	// duration or stimulation frequency.
	ErrParam = errors.New("cca: invalid parameter")

	// ErrClass reports a label outside the classes, no class with a
	// stimulation frequency, or a two-class score asked of another
	// problem.
	ErrClass = errors.New("cca: invalid classes")

	// ErrNotFitted reports a prediction before Fit.
	ErrNotFitted = errors.New("cca: not fitted")
)
