// Package bench runs MOABB-style evaluations: every pipeline on every
// subject of a dataset, scored by within-session cross-validation,
// cross-session or cross-subject transfer, with one subject's data in
// memory per worker and the folds of all pipelines spread over every core.
//
// The shell scripts beside this package (compare_*.sh) time bcikit against
// the reference Python tools on the same inputs.
package bench
