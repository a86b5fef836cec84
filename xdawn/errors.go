package xdawn

import "errors"

var (
	// ErrShape reports trials with inconsistent or unexpected dimensions,
	// labels that do not match the trials, or a baseline covariance of the
	// wrong size.
	ErrShape = errors.New("xdawn: shape mismatch")

	// ErrNonFinite reports a NaN or infinite sample.
	ErrNonFinite = errors.New("xdawn: non-finite value")

	// ErrClasses reports a requested class with no trials, or no class.
	ErrClasses = errors.New("xdawn: unsupported classes")

	// ErrSingular reports a signal covariance that is not positive
	// definite (the generalised eigenproblem needs it).
	ErrSingular = errors.New("xdawn: singular covariance")

	// ErrNotFitted reports a Transform before Fit.
	ErrNotFitted = errors.New("xdawn: not fitted")

	// ErrParam reports an invalid option value.
	ErrParam = errors.New("xdawn: invalid parameter")
)
