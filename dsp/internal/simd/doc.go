// Package simd holds dsp's vectorized inner loops: the second-order-section
// recurrence run on four channels at once (interleaved lane by lane), with
// an AVX implementation on amd64 and a portable Go one elsewhere.
//
// Both implementations perform, lane by lane, exactly the floating-point
// operations of SciPy's _sosfilt in the same order (no fused multiply-add),
// so every lane's output is bit-identical to a scalar run.
package simd

// Lanes is the number of complex lanes of FFT4 (four float64s per vector).
const Lanes = 4

// SOSLanes is the number of channels the second-order-section kernels
// filter at once: two vectors of four, two independent dependency chains.
const SOSLanes = 8

// SOS8 filters the eight interleaved channels x (x[8*i+lane] is sample i
// of a lane) in place through nsec second-order sections, carrying the
// state z (len 16*nsec: per section z0 for the eight lanes, then z1). coef
// holds per section b0, b1, b2, a1, a2 (a0 = 1), len 5*nsec.
func SOS8(coef, x, z []float64) {
	if checkSOS8(coef, x, z) {
		sos8(coef, x, z, len(coef)/5, false)
	}
}

// SOS8Reverse is SOS8 run from the last sample to the first, as filtering
// the time-reversed signal: the backward pass of a zero-phase filter
// without reversing the buffer.
func SOS8Reverse(coef, x, z []float64) {
	if checkSOS8(coef, x, z) {
		sos8(coef, x, z, len(coef)/5, true)
	}
}

// checkSOS8 panics on inconsistent lengths and reports whether there is
// work to do.
func checkSOS8(coef, x, z []float64) bool {
	nsec := len(coef) / 5
	if len(coef) != 5*nsec || len(z) != 2*SOSLanes*nsec || len(x)%SOSLanes != 0 {
		panic("simd: SOS8: inconsistent lengths")
	}
	return nsec > 0 && len(x) > 0
}

// sos8Go is the portable SOS8 kernel, run backward when reverse is set.
// The float64 conversions forbid fused multiply-adds.
func sos8Go(coef, x, z []float64, nsec int, reverse bool) {
	const L = SOSLanes
	n := len(x) / L
	for k := 0; k < n; k++ {
		i := L * k
		if reverse {
			i = L * (n - 1 - k)
		}
		v := (*[L]float64)(x[i : i+L])
		for s := 0; s < nsec; s++ {
			c := (*[5]float64)(coef[5*s : 5*s+5])
			st := (*[2 * L]float64)(z[2*L*s : 2*L*s+2*L])
			b0, b1, b2, a1, a2 := c[0], c[1], c[2], c[3], c[4]
			for l := 0; l < L; l++ {
				xc := v[l]
				xn := float64(b0*xc) + st[l]
				st[l] = float64(b1*xc) - float64(a1*xn) + st[L+l]
				st[L+l] = float64(b2*xc) - float64(a2*xn)
				v[l] = xn
			}
		}
	}
}
