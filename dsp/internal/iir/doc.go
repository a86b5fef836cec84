// Package iir holds the analog prototypes and zero-pole-gain transforms
// behind dsp's IIR designs. It is a port of scipy.signal._filter_design
// (SciPy 1.10): buttap, cheb1ap, cheb2ap, ellipap (with _ellipdeg and
// _arc_jac_sc1, after S. J. Orfanidis, "Lecture Notes on Elliptic Filter
// Design", 2006), lp2lp_zpk, lp2hp_zpk, lp2bp_zpk, lp2bs_zpk, bilinear_zpk
// and zpk2sos with pairing='nearest' (including _cplxreal's ordering), so
// that the second-order sections agree with SciPy's to rounding.
//
// The operations are carried out in the same order as SciPy's so that
// ties in the pole-zero pairing are broken the same way.
package iir
