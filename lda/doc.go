// Package lda is linear discriminant analysis as scikit-learn 1.2's
// LinearDiscriminantAnalysis(solver="lsqr") computes it: class priors from
// the class frequencies, a within-class covariance that is the
// prior-weighted sum of the class covariances (each optionally shrunk), and
// the linear rule
//
//	coef_k      = Σ⁻¹ µ_k
//	intercept_k = −½ µ_kᵀ Σ⁻¹ µ_k + log π_k
//
// reduced to one row (class 1 minus class 0) for two classes. The decision
// function, predictions and probabilities (logistic for two classes, softmax
// otherwise) are sklearn's.
//
// Shrinkage is None (the empirical class covariances), a fixed value s
// ((1−s)·S + s·tr(S)/p·I), or Auto: sklearn's Ledoit-Wolf estimate on
// standardised features, rescaled to the original units, which is what
// MOABB's csp+lda and pyRiemann's ts+lda pipelines use
// (shrinkage='auto').
//
//	m := lda.New(lda.Auto)
//	if err := m.Fit(x, y); err != nil { ... } // x: n_samples × n_features
//	pred, err := m.Predict(xTest)
//
// With more features than samples (a 64-channel tangent space has 2080)
// the shrunk covariance is a positive diagonal plus a matrix of rank below
// n_samples, and Fit solves it through the Woodbury identity in
// O(p·n²) instead of factorising the p×p matrix; the result is the
// same to rounding (it is checked against a residual and falls back to the
// dense solve when it is not).
//
// The fitted state is plain exported fields, so an LDA round-trips through
// encoding/json.
package lda
