// Package cov estimates spatial covariance matrices of trials, as
// pyRiemann 0.6's covariances(X, estimator=...) does with the
// scikit-learn 1.2 estimators it wraps, and builds MOABB's augmented
// (delay-embedded) trials for augmented covariance matrices.
//
// Trials are indexed [trial][channel][time] (what package epochs
// produces); each trial gives one n_channels × n_channels matrix:
//
//	covs, err := cov.Estimate(ep.Data, cov.OAS)
//
// The estimators are
//
//	SCM        sample covariance, centred, divided by n_times (pyRiemann 'scm',
//	           sklearn empirical_covariance)
//	Cov        unbiased sample covariance, divided by n_times-1 (pyRiemann 'cov',
//	           numpy.cov; what MOABB's augmented-covariance pipelines use)
//	LWF        Ledoit-Wolf shrinkage (pyRiemann 'lwf', sklearn ledoit_wolf)
//	OAS        oracle approximating shrinkage (pyRiemann 'oas', sklearn oas
//	           with its 1.2 formula)
//	SCH        Schäfer-Strimmer shrinkage towards the diagonal (pyRiemann 'sch')
//	Corr       correlation coefficients (pyRiemann 'corr', numpy.corrcoef)
//	Shrunk(a)  fixed shrinkage a towards the scaled identity (sklearn
//	           shrunk_covariance of the SCM)
//
// Augment stacks lagged copies of each trial as extra channels exactly as
// MOABB's AugmentedDataset(order, lag) does; its output feeds Estimate
// (MOABB uses the Cov estimator after it).
//
// Estimate runs trials in parallel; EstimateTrial computes one matrix into a
// caller's destination without allocating, for online use.
package cov
