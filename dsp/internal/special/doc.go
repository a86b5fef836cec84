// Package special holds the special functions that dsp's filter designs
// need, ported from the Cephes Math Library (Stephen L. Moshier, release
// 2.8, as vendored by SciPy 1.10 under scipy/special/cephes) so that window
// and elliptic-filter coefficients agree with SciPy to the last few ulps.
package special
