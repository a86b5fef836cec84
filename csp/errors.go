package csp

import "errors"

var (
	// ErrShape reports trials with inconsistent or unexpected dimensions,
	// or labels that do not match the trials.
	ErrShape = errors.New("csp: shape mismatch")

	// ErrNonFinite reports a NaN or infinite sample.
	ErrNonFinite = errors.New("csp: non-finite value")

	// ErrClasses reports labels with fewer than two classes, or a class
	// layout the requested option does not support.
	ErrClasses = errors.New("csp: unsupported classes")

	// ErrRankDeficient reports data whose covariance is singular where the
	// decomposition needs it positive definite (for example trials after an
	// average reference without regularisation).
	ErrRankDeficient = errors.New("csp: rank-deficient data")

	// ErrNotFitted reports a Transform on an estimator that has no filters.
	ErrNotFitted = errors.New("csp: not fitted")

	// ErrParam reports an invalid option value.
	ErrParam = errors.New("csp: invalid parameter")
)
