// Package csp computes Common Spatial Patterns, the spatial filters whose
// output power best separates classes of trials, equal to MNE-Python 1.3's
// mne.decoding.CSP: the same covariance estimators (empirical, fixed
// shrinkage, Ledoit-Wolf, OAS; concatenated or per-epoch), the same
// two-class generalised eigendecomposition and multiclass joint
// diagonalisation, the same component order and log-power features.
//
//	var c csp.CSP // MNE's defaults: 4 components, log-variance features
//	if err := c.Fit(trials, labels); err != nil { ... } // trials [trial][channel][time]
//	x, err := c.Transform(trials) // n_trials × 4 *mat.Dense
//
// FilterBank fits one CSP per frequency band (the FBCSP pipelines of
// MOABB), with optional selection of the most informative features by
// mutual information as sklearn's SelectKBest(mutual_info_classif).
//
// Fitted estimators are plain structs that round-trip through
// encoding/json. Filter signs are arbitrary, as in MNE: features do not
// depend on them.
package csp
