// Package xdawn computes Xdawn spatial filters for event-related potentials
// and the Xdawn covariance matrices built on them, as pyRiemann 0.6's
// pyriemann.spatialfilters.Xdawn and pyriemann.estimation.XdawnCovariances.
//
// Xdawn finds, for each class, the spatial filters that maximise the power
// of the class-average response (the evoked potential) relative to the
// power of the whole signal: the generalised eigenvectors of the evoked
// covariance against the signal covariance.
//
//	xc := xdawn.XdawnCovariances{NFilter: 2, Estimator: xdawn.LedoitWolf}
//	if err := xc.Fit(trials, labels); err != nil { ... } // trials [trial][channel][time]
//	covs, err := xc.Transform(trials) // one SPD matrix per trial
//
// The covariance estimators are those of pyRiemann's covariances: the
// sample covariance ("scm", the default), NumPy's unbiased covariance
// ("cov") and correlation ("corr"), sklearn's Ledoit-Wolf ("lwf") and OAS
// ("oas") shrinkage, and the Schaefer-Strimmer estimator ("sch").
//
// The sign of each filter is arbitrary, as in pyRiemann (it is whatever the
// eigensolver returns). Evoked responses and Xdawn covariance entries carry
// the signs of their filters; Riemannian distances between covariances do
// not depend on them.
package xdawn
