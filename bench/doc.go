// Package bench runs MOABB-style evaluations: every pipeline on every
// subject of a dataset, scored by within-session cross-validation,
// cross-session or cross-subject transfer, with one subject's data in
// memory per worker and the folds of all pipelines spread over every core.
//
// Run does everything in-process. Tasks, Prepare and Collect cut the same
// run into tasks (one fold of one pipeline on one block of trials) that can
// be computed apart — on other machines, as package cluster does — and
// collected into Run's rows, bit for bit but the time column.
//
// The shell scripts beside this package (compare_*.sh) time bcikit against
// the reference Python tools on the same inputs.
package bench
