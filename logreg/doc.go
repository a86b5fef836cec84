// Package logreg is L2-penalised logistic regression, the model of
// scikit-learn 1.2's LogisticRegression(penalty="l2", C=1.0,
// solver="lbfgs"): for two classes one logistic model of Classes[1]
// against Classes[0], for three or more the multinomial (softmax) model,
// both with an unpenalised intercept. Fit minimises
//
//	Σ_i loss_i + ‖W‖²_F / (2C)
//
// — the objective sklearn's lbfgs solver minimises — and the decision
// function, probabilities and predictions are sklearn's formulas.
//
// sklearn stops L-BFGS-B at its tolerances and at SciPy's default relative
// decrease of the objective (ftol ≈ 2.2e-9, which sklearn does not expose),
// so with tol=1e-10 as with the default tol=1e-4 its coefficients sit up to
// ~3e-4 relative from the optimum (on the test cases). Fit instead runs
// Newton's method with a backtracking line search to the optimum itself, to
// rounding: the tests match a Newton-refined sklearn optimum to 1e-9
// relative, and sklearn's own output to its accuracy (5e-4 relative), with
// identical predictions.
//
// Newton's method stays cheap when features outnumber samples (a 64-channel
// tangent space has 2080): the optimal weights lie in the row space of the
// data, so Fit first rotates the data onto an orthonormal basis of that
// space (a thin QR factorisation of Xᵀ), solves the problem on at most
// n_samples features, and rotates the weights back. The penalty is
// unchanged by the rotation, so the optimum is the same.
//
//	m := logreg.New() // C = 1
//	if err := m.Fit(x, y); err != nil { ... }
//	proba, err := m.PredictProba(xTest)
//
// The fitted state is plain exported fields, so a LogReg round-trips
// through encoding/json.
package logreg
