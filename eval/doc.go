// Package eval holds the evaluation side of a MOABB-style benchmark: how
// trials are split for cross-validation, how predictions are scored, and
// how pipelines are compared statistically. Everything is a pure function
// of its inputs (no files, no clocks, no global randomness), equal to the
// Python reference:
//
//   - Splits. StratifiedKFold gives exactly the test folds of scikit-learn
//     1.2's StratifiedKFold(n_splits, shuffle=True, random_state=seed) —
//     the within-session evaluation of MOABB — because its shuffles draw
//     from a port of NumPy's legacy RandomState (MT19937 and NumPy's masked
//     bounded-integer sampler). LeaveOneGroupOut gives the cross-session
//     and cross-subject folds. ReadSplits/WriteSplits carry externally
//     given folds in a small JSON format (see Splits).
//   - Metrics, equal to sklearn's: Accuracy, BalancedAccuracy, CohenKappa,
//     and ROCAUC from decision values (ties count one half, as sklearn's
//     trapezoids do); ITR is Wolpaw's information transfer rate.
//   - Statistics: Wilcoxon is scipy.stats.wilcoxon (SciPy 1.10 defaults:
//     exact up to 50 pairs without zeros, else the normal approximation
//     with tie correction). PermutationPValues, WilcoxonPValues, SMD,
//     DatasetStatistics, Stouffer and FindSignificantDifferences follow
//     MOABB's moabb/analysis/meta_analysis.py: the paired sign-flip
//     permutation test (exact up to 13 subjects, 10000 seeded random flips
//     above, drawn as NumPy would), the one-sided Wilcoxon p-values, the
//     standardised mean difference, the per-dataset pipeline-versus-
//     pipeline table and the Stouffer meta-analysis over datasets.
//
// A typical within-session evaluation:
//
//	folds, err := eval.StratifiedKFold(labels, 5, 42)
//	for _, f := range folds {
//		// fit on f.Train, score on f.Test
//		auc, err := eval.ROCAUC(yTest, decision)
//	}
package eval
