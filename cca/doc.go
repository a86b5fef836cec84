// Package cca decodes steady-state visual evoked potentials (SSVEP) by
// canonical correlation analysis with sine/cosine references (Lin et al.
// 2006; Bin et al. 2009), as MOABB 0.4.6's
// moabb.pipelines.classification.SSVEP_CCA.
//
// For each stimulation frequency f the reference is the 2·H signals
//
//	sin(2π f h t), cos(2π f h t),   h = 1..H (Harmonics, default 3),
//
// at t = linspace(0, Duration, n_times), MOABB's time axis (Duration is
// MOABB's interval[1] − interval[0], by default (n_times − 1)/SFreq). A
// trial (channels × times) is assigned to the class whose reference has
// the largest first canonical correlation with it; classes without a
// frequency (rest) are never predicted.
//
//	c := cca.CCA{Freqs: map[int]float64{2: 13, 3: 21, 4: 17}, SFreq: 256}
//	if err := c.Fit(trials, labels); err != nil { ... } // trials [trial][channel][time]
//	pred, err := c.Predict(trials)
//
// # Exact canonical correlations
//
// MOABB fits sklearn's CCA(n_components=1) to every trial and reference and
// takes np.corrcoef of the two first canonical variates. sklearn's CCA
// finds the first pair of canonical weights by NIPALS, a power iteration
// stopped when the weights move by less than tol (1e-6 by default, at most
// 500 iterations); the correlation of its variates converges to the first
// canonical correlation from below. This package computes that correlation
// exactly instead: with the rows of each signal centred, Qx and Qy
// orthonormal bases of their row spaces, the first canonical correlation is
// the largest singular value of Qx Qyᵀ (Björck and Golub 1973), which is
// numerically stable where the covariance-matrix formulas are not. On the
// SSVEP-Exo recordings MOABB's default NIPALS differs from it by up to
// about 1e-5, sklearn run to tol=1e-12 by about 1e-11, NumPy's QR and SVD
// by about 1e-15; the predicted classes are MOABB's.
//
// Linearly dependent variables (a flat channel, a channel that is a
// combination of others, as after a common average reference) add nothing
// to a row space, so they are left out of its basis: a centred row whose
// norm is below 1e-9 of its norm before centring counts as flat, and a row
// whose part outside the span of the rows before it is below 1e-9 of its
// centred norm counts as dependent. The canonical correlation is then that
// of the remaining variables, as in exact arithmetic. A plain QR would give
// such rows a direction made of rounding errors instead.
//
// Every numeric routine is checked against NumPy, scikit-learn 1.2 and a
// transcription of MOABB 0.4.6 (testdata/gen/cca_ref.py).
package cca
