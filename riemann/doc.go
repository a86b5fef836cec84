// Package riemann holds the Riemannian geometry of symmetric positive
// definite (SPD) matrices used in BCI decoding, giving the numbers of
// pyRiemann 0.6: matrix functions, distances and means under several
// metrics, the tangent space map, and the MDM, FGDA and FgMDM estimators.
//
// Geometry is plain functions on *mat.SymDense:
//
//	m, err := riemann.Mean(covs, riemann.AffineInvariant)
//	d := riemann.Distance(a, b)                  // affine-invariant
//	d = riemann.LogEuclidean.Distance(a, b)      // any metric
//	l := riemann.Logm(nil, a)                    // also Sqrtm, InvSqrtm, Expm, Powm
//
// Estimators are small types with Fit/Transform/Predict whose fitted state
// is exported plain data (JSON-serialisable):
//
//	var ts riemann.TangentSpace
//	err = ts.Fit(train)
//	features, err := ts.Transform(test) // *mat.Dense, n × N(N+1)/2
//
//	clf := riemann.MDM{Metric: riemann.AffineInvariant}
//	err = clf.Fit(train, labels)
//	pred, err := clf.Predict(test)
//
// Matrix functions use the symmetric eigen decomposition, as pyRiemann.
// The affine-invariant mean is pyRiemann's mean_riemann iteration
// step for step (same start, step-size rule and stopping tests). Once the
// iterates have nearly converged, a matrix's logarithm is updated to first
// order (Daleckii–Krein) from its last eigen decomposition instead of
// decomposing it again, and exp(νJ) is taken by its series, wherever the
// error stays far inside the stopping tolerance: results agree with the
// exact iterates to 1e-13–2e-9 relative, and with pyRiemann far inside its
// 1e-8 tolerance, in about half the time; MeanOptions.Exact decomposes
// every matrix at every iteration. Work on
// many matrices (means, Transform, Predict) runs in parallel over up to
// GOMAXPROCS goroutines; results do not depend on their number.
//
// FGDA needs scikit-learn's shrinkage LDA; package riemann carries its own
// internal port of it (riemann/internal/shlda).
package riemann
